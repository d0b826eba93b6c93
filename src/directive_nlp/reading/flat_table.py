"""Recover task tables that a PDF-to-text conversion flattened into lines.

A flattened table looks like::

    STT Tên nhiệm vụ Đơn vị chủ trì
    1.
    Tham mưu bố trí cán bộ có trình độ khoa học, kỹ thuật
    … (the task cell, wrapped at the column width)
    Ban Tổ chức Thành
    ủy
    2.
    …
    3. Bảo đảm an ninh mạng và chủ quyền số. Công an Thành phố

Rows are found by their sequential numbers (1, 2, 3 …: a number out of sequence is text);
inside a row the task cell comes first, then an optional reference column ("Thông báo số
14-TB/TGV ngày 21/4/2025") and the narrow unit column, recognised by line length and a unit
name at its start.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..units.heads import is_unit_start

_HEADER = re.compile(r"^\s*(?:STT|TT)\s+.*(?:Tên\s+nhiệm\s+vụ|Nội\s+dung|Nhiệm\s+vụ)", re.I)
_END = re.compile(r"^\s*(?:[A-ZĐ]\.\s+\S|[IVX]{1,5}[.\-]\s+\S|Nơi\s+nhận|PHỤ\s+LỤC)")
_ROW = re.compile(r"^\s*(\d{1,3})\.?(?:\s+(.*))?$")
_REF = re.compile(
    r"^\s*(?:Thông\s+báo|Kế\s+hoạch|Nghị\s+quyết|Quyết\s+định|Công\s+văn|Chỉ\s+thị|Kết\s+luận|Văn\s+bản)\s+(?:số\s+)?\d",
    re.I,
)
_REF_CONT = re.compile(r"^\s*(?:-?\s*[A-ZĐ]{1,6}/[A-ZĐa-z\-]+|ngày\s+\d|\d{1,2}/\d{1,2}/\d{4}|TB/|KH/)", re.I)


@dataclass
class FlatTable:
    start: int  # index of the header line
    end: int  # index after the last line
    header: list[str]
    rows: list[list[str]]  # [stt, task, (reference), lead]


def _is_unit(line: str) -> bool:
    return is_unit_start(line)


def _join(parts: list[str]) -> str:
    out = ""
    for p in parts:
        p = p.strip()
        if not p:
            continue
        if out.endswith("-") and re.match(r"[A-ZĐ]{1,6}/", p):
            out += p
        elif re.search(r"\d$", out) and re.match(r"-\s*[A-ZĐ]{1,6}/", p):
            out += re.sub(r"^-\s*", "-", p)
        else:
            out = f"{out} {p}" if out else p
    return re.sub(r"\s+", " ", out).strip()


def find_flat_tables(lines: list[str]) -> list[FlatTable]:
    """Flattened task tables among ``lines`` (stripped, non-blank source lines)."""
    tables: list[FlatTable] = []
    i = 0
    while i < len(lines):
        if not _HEADER.match(lines[i]):
            i += 1
            continue
        head = lines[i]
        j = i + 1
        # the header may wrap onto a second line ("BCĐ TW Đơn vị chủ trì")
        if (
            j < len(lines)
            and not _ROW.match(lines[j])
            and len(lines[j]) < 40
            and re.search(r"chủ\s+trì|phối\s+hợp", lines[j], re.I)
        ):
            head = f"{head} {lines[j]}"
            j += 1
        has_ref = bool(re.search(r"TB\s+kết\s+luận|văn\s+bản|kết\s+luận\s+của", head, re.I))
        body_end = j
        while body_end < len(lines) and not _END.match(lines[body_end]):
            body_end += 1
        rows = _rows(lines[j:body_end], has_ref)
        if rows:
            header = ["STT", "Tên nhiệm vụ"] + (["Văn bản"] if has_ref else []) + ["Đơn vị chủ trì"]
            tables.append(FlatTable(i, body_end, header, rows))
        i = max(body_end, i + 1)
    return tables


def _rows(lines: list[str], has_ref: bool) -> list[list[str]]:
    groups: list[tuple[str, list[str]]] = []
    expect = 1
    for ln in lines:
        m = _ROW.match(ln)
        if m and int(m.group(1)) == expect:
            groups.append((m.group(1), [m.group(2)] if m.group(2) else []))
            expect += 1
        elif groups:
            groups[-1][1].append(ln)
    if len(groups) < 2:
        return []
    width = max((len(line) for _, ls in groups for line in ls), default=0)
    rows = []
    for stt, ls in groups:
        task, ref, unit = _split_row(ls, width, has_ref)
        rows.append([stt, task] + ([ref] if has_ref else []) + [unit])
    return rows


def _split_row(ls: list[str], width: int, has_ref: bool) -> tuple[str, str, str]:
    task: list[str] = []
    ref: list[str] = []
    unit: list[str] = []
    state = "task"
    narrow = max(32, int(width * 0.5))
    for k, ln in enumerate(ls):
        s = ln.strip()
        if state == "task":
            if k > 0 and has_ref and _REF.match(s) and (s.endswith("-") or len(s) <= 24 or "ngày" in s):
                state = "ref"
            elif (
                k > 0
                and _is_unit(s)
                and len(s) <= narrow
                and not task[-1].rstrip().endswith(",")
                and (s[:1].isupper() or task[-1].rstrip().endswith((".", ";", ":")))
            ):
                state = "unit"
            else:
                # "Bảo đảm an ninh mạng và chủ quyền số. Công an Thành phố": both cells on one line
                m = _inline_unit(s)
                if m is not None:
                    task.append(s[:m])
                    unit.append(s[m:])
                    state = "unit"
                    continue
                # the reference column on the same line as the end of the task cell
                r = re.search(r"\s(Thông\s+báo\s+số\s+\d.*)$", s) if has_ref else None
                if r:
                    task.append(s[: r.start()])
                    ref.append(r.group(1))
                    state = "ref"
                    continue
                task.append(s)
                continue
        if state == "ref":
            if _REF.match(s) or _REF_CONT.match(s) or (ref and ref[-1].rstrip().endswith("-")):
                ref.append(s)
                continue
            state = "unit"
        if state == "task_cont":
            if _is_unit(s) and len(s) <= narrow:
                state = "unit"
            else:
                task.append(s)
                continue
        if state == "unit":
            if len(s) > narrow and not _is_unit(s):
                task.append(s)  # a page break inside the task cell: the cell goes on after the units
                state = "task_cont"
            else:
                unit.append(s)
    return _join(task), _join(ref), _join(unit)


def _inline_unit(s: str) -> int | None:
    """Offset where a unit name starts after the task sentence on the same line, or None."""
    for m in re.finditer(r"[.;]\s+(?=\S)", s):
        rest = s[m.end() :]
        if rest and _is_unit(rest) and len(rest) <= 45 and not rest.rstrip().endswith("."):
            return m.end()
    return None
