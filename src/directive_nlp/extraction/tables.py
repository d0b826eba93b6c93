"""Tasks from task tables (STT | Tên nhiệm vụ | Chủ trì | Phối hợp | Kết quả | Thời hạn)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Deadline, Provenance, ReadDocument, Task
from ..normalise.text import collapse
from . import deadlines as dl
from .targets import find_targets
from .unitlists import split_units

# checked in this order: "Thời gian thực hiện" is a deadline column although it says "thực hiện"
_COLS = {
    "stt": re.compile(r"^(stt|tt|số\s*tt|số\s*thứ\s*tự)$"),
    "deadline": re.compile(r"(thời\s+gian|thời\s+hạn|tiến\s+độ|hoàn\s+thành|lộ\s+trình)"),
    "support": re.compile(r"phối\s+hợp"),
    "lead": re.compile(
        r"(chủ\s+trì|đơn\s+vị\s+thực\s+hiện|cơ\s+quan\s+thực\s+hiện|thực\s+hiện|trách\s+nhiệm)"
    ),
    "task": re.compile(r"(tên\s+nhiệm\s+vụ|nội\s+dung|nhiệm\s+vụ|công\s+việc|tên\s+đề\s+án|giải\s+pháp)"),
    "result": re.compile(r"(kết\s+quả|sản\s+phẩm|hình\s+thức)"),
    "basis": re.compile(r"(văn\s+bản|kết\s+luận|căn\s+cứ|nguồn)"),
}
_ROMAN_ROW = re.compile(r"^\**\s*[IVXLC]+\s*[.\-]?\s*\**$")
_SUBITEM = re.compile(r"(?:^|\s)-\s+(?=[^\W\d_])")


@dataclass
class _Header:
    cols: dict[str, int]


def _header(cells: list[str]) -> _Header | None:
    cols: dict[str, int] = {}
    for i, c in enumerate(cells):
        low = collapse(c).lower()
        for name, pat in _COLS.items():
            if name in cols:
                continue
            if name == "task" and ("chủ trì" in low or "phối hợp" in low or "thời gian" in low):
                continue
            if name == "lead" and _COLS["task"].search(low) and "chủ trì" not in low:
                continue  # "Nội dung thực hiện" is the task column
            if pat.search(low):
                cols[name] = i
                break
    if "task" in cols and ("lead" in cols or "deadline" in cols):
        return _Header(cols)
    return None


def _cell(cells: list[str], h: _Header, name: str) -> str:
    i = h.cols.get(name)
    return cells[i].strip() if i is not None and i < len(cells) else ""


def _split_subitems(text: str) -> tuple[str, list[str]]:
    """'Intro bao gồm: - A; - B' -> ('Intro bao gồm:', [A, B]); a dash opens an item only
    before a capital letter."""
    cuts = [m for m in _SUBITEM.finditer(text) if text[m.end() : m.end() + 1].isupper()]
    if len(cuts) < 2:
        return text, []
    bounds = [m.start() for m in cuts] + [len(text)]
    subs = [text[cuts[i].end() : bounds[i + 1]].strip().rstrip(";").strip() for i in range(len(cuts))]
    return text[: cuts[0].start()].strip(), [s for s in subs if s]


def table_tasks(doc: ReadDocument, start: int = 1) -> list[Task]:
    """One task per data row of every task table (sub-items "- …" of a row split out)."""
    tasks: list[Task] = []
    header: _Header | None = None
    table_no = None
    group: str | None = None
    phase: Deadline | None = None
    for b in doc.blocks:
        if b.kind != "table_row" or not b.cells:
            words = len(b.text.split())
            if re.match(r"^\W*(PHỤ\s+LỤC|Phụ\s+lục)|^[IVX]{1,5}[.\-]\s", b.text):
                phase = None
            pe = dl.phase_end(b.text) if words <= 20 else None
            if pe:
                phase = pe
            continue
        if b.table != table_no:
            table_no, header, group = b.table, None, None
        h = _header(b.cells)
        if h and (b.header_row or header is None):
            header = h
            continue
        if header is None:
            continue
        task_text = collapse(_cell(b.cells, header, "task"))
        stt = _cell(b.cells, header, "stt").strip("* ")
        lead_c = _cell(b.cells, header, "lead")
        if not task_text:
            continue
        if _ROMAN_ROW.match(stt) or (
            not lead_c and not _cell(b.cells, header, "deadline") and not re.match(r"^\d", stt)
        ):
            group = stt.strip(".") or group
            continue
        lead = split_units(lead_c)
        support = split_units(_cell(b.cells, header, "support"))
        dtext = _cell(b.cells, header, "deadline")
        hit = dl.choose(dl.find_deadlines(dtext, field=True), field=True) if dtext else None
        if not hit and "deadline" not in header.cols:
            hit = dl.choose(dl.find_deadlines(task_text))
        deadline = hit.deadline if hit else Deadline()
        deadline_source = ("table_column" if dtext else "stated") if hit else None
        if hit and dtext:
            deadline.text = dtext
        if (not hit or hit.strength <= dl.PHASE) and phase:
            deadline = Deadline("by_date", phase.due, None, None, inherited=True)
            deadline_source = "phase"
        deliverable = collapse(_cell(b.cells, header, "result")) or None
        basis = _cell(b.cells, header, "basis") or None
        section = ".".join(x for x in (group, stt.strip(".")) if x) or None
        intro, subs = _split_subitems(task_text)
        rows = []
        if subs:
            if len(intro.split()) > 25:
                rows.append((intro, section))
            rows.extend((s, f"{section}.{k}" if section else str(k)) for k, s in enumerate(subs, 1))
        else:
            rows.append((task_text, section))
        for text, sec in rows:
            tasks.append(
                Task(
                    id=f"t{start + len(tasks)}",
                    text=text,
                    section=sec,
                    lead=lead,
                    support=support,
                    deadline=Deadline(deadline.kind, deadline.due, deadline.start, deadline.text),
                    targets=find_targets(text),
                    basis=basis,
                    lead_source="table_column" if lead else None,
                    deadline_source=deadline_source,
                    deliverable=deliverable,
                    cite_context=task_text if subs else None,
                    provenance=Provenance(
                        document=doc.path, block=b.index, page=b.page, span=b.span, blocks=[b.index]
                    ),
                )
            )
    return tasks
