"""Plain text and Markdown reader.

Directive texts arrive as text extracted from PDFs: lines broken mid-sentence, blank lines
between every wrapped line, page breaks inside paragraphs, Markdown marks from converters.
This reader rejoins wrapped lines into paragraphs, turns Markdown tables into table rows
and strips Markdown emphasis and heading marks (remembering the heading level).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..model import Block, ReadDocument
from ..normalise.text import clean, collapse
from . import sha256_of
from .lines import Line, join_lines

_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*)$")
_MD_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_URL_LINE = re.compile(r"^\s*(https?://|www\.)\S+\s*$", re.I)


def decode(path: Path, data: bytes) -> str:
    """Bytes -> str, refusing binary data and reporting a wrong encoding clearly."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise InputError(str(path), "err.utf16", detail=e.reason) from None
    sample = data[:65536]
    if b"\x00" in sample:
        raise InputError(str(path), "err.binary")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is None:
        from ..normalise.legacy import decode_legacy  # TCVN3 / VNI / Windows-1258 text

        text = decode_legacy(data)
        if text is None:
            raise InputError(
                str(path),
                "err.encoding",
            )
    else:
        from ..normalise.legacy import fix_legacy_text

        text = fix_legacy_text(text)
    ctrl = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\r\n\t\f")
    if ctrl > max(20, len(text[:20000]) // 50):
        raise InputError(str(path), "err.binary")
    return text


def strip_inline_md(s: str) -> tuple[str, bool]:
    """Remove Markdown emphasis; return (text, whole_line_was_bold)."""
    t = s.strip()
    t = t.replace("\\*", "\x01").replace("\\_", "\x02").replace("\\#", "#").replace("\\-", "-")
    t = t.replace("\\.", ".").replace("\\(", "(").replace("\\)", ")").replace("\\[", "[").replace("\\]", "]")
    bold = bool(re.fullmatch(r"(\*\*|__).+(\*\*|__)[.:]?", t))
    t = re.sub(r"(\*\*|__)(.+?)\1", r"\2", t)
    t = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", t)
    t = t.replace("**", "")
    t = t.replace("\x01", "*").replace("\x02", "_")
    return t, bold


def _split_row(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    cells = re.split(r"(?<!\\)\|", s)
    return [collapse(strip_inline_md(c)[0]) for c in cells]


@dataclass
class _Item:
    line: Line | None = None
    cells: list[str] | None = None
    header: bool = False
    table: int = -1


def _flat_tables(lines: list[str]):
    """Flattened task tables: {first raw line index: table}, and every raw index they cover."""
    from .flat_table import find_flat_tables

    idx = [i for i, l in enumerate(lines) if l.strip() and not _URL_LINE.match(l)]
    stripped = [lines[i].strip() for i in idx]
    at, skip = {}, set()
    for ft in find_flat_tables(stripped):
        first, last = idx[ft.start], idx[ft.end - 1]
        at[first] = ft
        skip.update(range(first, last + 1))
    return at, skip


def read_text(path: Path, data: bytes, fmt: str) -> ReadDocument:
    raw = clean(decode(path, data)).replace("\r\n", "\n").replace("\r", "\n")
    lines = raw.split("\n")
    items: list[_Item] = []
    flat_at, flat_skip = _flat_tables(lines)
    table_no = -1
    in_table = False
    blank_before = False
    for i, rawline in enumerate(lines):
        if i in flat_at:
            ft = flat_at[i]
            table_no += 1
            items.append(_Item(cells=ft.header, table=table_no, header=True))
            items.extend(_Item(cells=r, table=table_no) for r in ft.rows)
            in_table = False
            continue
        if i in flat_skip:
            continue
        if not rawline.strip() or _URL_LINE.match(rawline):
            blank_before = True
            in_table = in_table and bool(rawline.strip())
            continue
        if rawline.lstrip().startswith("|") and rawline.count("|") >= 2:
            if _MD_TABLE_SEP.match(rawline):
                if items and items[-1].cells is not None:
                    items[-1].header = True
                continue
            if not in_table:
                table_no += 1
                in_table = True
            items.append(_Item(cells=_split_row(rawline), table=table_no))
            blank_before = False
            continue
        in_table = False
        level = None
        m = _MD_HEADING.match(rawline)
        body = rawline
        if m:
            level = len(m.group(1))
            body = m.group(2)
        text, bold = strip_inline_md(body)
        if not text.strip():
            continue
        items.append(
            _Item(
                line=Line(
                    text=text.rstrip(),
                    indent=len(rawline) - len(rawline.lstrip()),
                    md_level=level,
                    bold=bold,
                    blank_before=blank_before,
                    lineno=i + 1,
                )
            )
        )
        blank_before = False

    blocks: list[Block] = []
    run: list[Line] = []

    def flush() -> None:
        for para in join_lines(run):
            kind = "heading" if para.md_level else "paragraph"
            blocks.append(
                Block(
                    index=len(blocks),
                    text=para.text,
                    kind=kind,
                    level=para.md_level,
                    bold=para.bold,
                    source=f"line {para.lineno}",
                )
            )
        run.clear()

    for it in items:
        if it.cells is not None:
            flush()
            blocks.append(
                Block(
                    index=len(blocks),
                    text=" | ".join(it.cells),
                    kind="table_row",
                    cells=it.cells,
                    table=it.table,
                    header_row=it.header,
                )
            )
        else:
            run.append(it.line)
    flush()
    # a header row is followed by the separator; mark rows before the separator of each table
    return ReadDocument(path=str(path), format=fmt, sha256=sha256_of(data), blocks=blocks)
