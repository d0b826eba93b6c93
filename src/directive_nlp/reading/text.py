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
from typing import Any

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
    elif data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        try:
            return _check_controls(path, data.decode("utf-32"))
        except UnicodeDecodeError as e:
            raise InputError(str(path), "err.utf16", detail=e.reason) from None
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _check_controls(path, data.decode("utf-16"))
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
    return _check_controls(path, text)


def _check_controls(path: Path, text: str) -> str:
    """Refuse decoded text that is mostly control characters (binary data that decoded)."""
    head = text[:20000]
    ctrl = sum(1 for ch in head if ord(ch) < 32 and ch not in "\r\n\t\f")
    if ctrl > max(20, len(head) // 50) or "\x00" in head:
        raise InputError(str(path), "err.binary")
    return text


def _word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def strip_single_emphasis(t: str) -> str:
    """``*text*`` -> ``text``: the regex ``(?<![\\w*])\\*(?!\\s)(.+?)(?<!\\s)\\*(?![\\w*])``
    replaced by its group, in linear time (the regex rescans the rest of the line from every
    unclosed opener: quadratic on " *b *b *b …")."""
    if "*" not in t:
        return t
    n = len(t)
    # nxt[i]: the first valid closer at or after i (a "*" after a non-space, not before a word
    # character or a "*"), or n; a line break at or after i ends the search ("." stops there)
    nxt = [n] * (n + 2)
    brk = [n] * (n + 2)
    for i in range(n - 1, -1, -1):
        ch = t[i]
        closer = (
            ch == "*"
            and i > 0
            and not t[i - 1].isspace()
            and not (i + 1 < n and (_word(t[i + 1]) or t[i + 1] == "*"))
        )
        nxt[i] = i if closer else nxt[i + 1]
        brk[i] = i if ch == "\n" else brk[i + 1]
    out: list[str] = []
    last = 0
    p = 0
    while p < n:
        if (
            t[p] == "*"
            and not (p > 0 and (_word(t[p - 1]) or t[p - 1] == "*"))
            and p + 1 < n
            and not t[p + 1].isspace()
            and t[p + 1] != "\n"
        ):
            q = nxt[p + 2]
            if q < n and q <= brk[p + 1]:
                out.append(t[last:p])
                out.append(t[p + 1 : q])
                last = p = q + 1
                continue
        p += 1
    out.append(t[last:])
    return "".join(out)


def strip_inline_md(s: str) -> tuple[str, bool]:
    """Remove Markdown emphasis; return (text, whole_line_was_bold)."""
    t = s.strip()
    t = t.replace("\\*", "\x01").replace("\\_", "\x02").replace("\\#", "#").replace("\\-", "-")
    t = t.replace("\\.", ".").replace("\\(", "(").replace("\\)", ")").replace("\\[", "[").replace("\\]", "]")
    bold = bool(re.fullmatch(r"(\*\*|__).+(\*\*|__)[.:]?", t))
    t = re.sub(r"(\*\*|__)(.+?)\1", r"\2", t)
    t = strip_single_emphasis(t)
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

    idx = [i for i, ln in enumerate(lines) if ln.strip() and not _URL_LINE.match(ln)]
    stripped = [lines[i].strip() for i in idx]
    at: dict[int, Any] = {}
    skip: set[int] = set()
    for ft in find_flat_tables(stripped):
        first, last = idx[ft.start], idx[ft.end - 1]
        at[first] = ft
        skip.update(range(first, last + 1))
    return at, skip


def read_text(path: Path, data: bytes, fmt: str) -> ReadDocument:
    raw = clean(decode(path, data)).replace("\r\n", "\n").replace("\r", "\n")
    if not any(ch.isalnum() for ch in raw):
        raise InputError(str(path), "err.no_text")  # punctuation, symbols and spaces only
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
        elif it.line is not None:
            run.append(it.line)
    flush()
    # a header row is followed by the separator; mark rows before the separator of each table
    return ReadDocument(path=str(path), format=fmt, sha256=sha256_of(data), blocks=blocks)
