"""PDF reader: text layer via pdfplumber, OCR for pages without one.

Per page, characters are de-duplicated (overprinted "fake bold"), detached combining marks
are put back on their base letters, ruled tables are found (``find_tables``) and their cells
read from the same characters, and the remaining words are grouped into lines with their
geometry. Across pages:

* running headers/footers (same text at the same height on most pages, set apart from the
  body), page numbers and print-footer URLs are removed;
* the issuer | national-motto layout at the top of page 1 becomes one two-cell table row,
  as the DOCX reader gives it;
* a table continued on the next page (same columns) is merged into one, its repeated header
  row dropped and a row split by the page break glued back together;
* lines are joined into paragraphs by ``reading.lines.join_lines`` with geometry hints.

Pages without a text layer are rendered with pypdfium2 and read by Tesseract ('vie').
"""

from __future__ import annotations

import functools
import io
import os
import re
import statistics
import unicodedata
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, OCRUnavailable
from ..i18n import msg
from ..model import Block, ReadDocument
from ..normalise.legacy import repair_blocks
from ..normalise.text import collapse
from . import sha256_of
from .lines import Line, join_lines, starts_item
from .ocr import Progress

_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi|,b\b|-b\b", re.I)
_PAGE_NO = re.compile(r"^[-–—\s]*(?:trang|page)?\s*\d{1,4}\s*(?:(?:/|of|trên)\s*\d{1,4})?[-–—\s]*$", re.I)
_URL = re.compile(r"(?:https?://|www\.|file:///|about:blank)\S*", re.I)
_SURROGATE = re.compile("[\ud800-\udfff]")
_TERMINAL = re.compile(r"[.:;!?…]\s*$|[.:;]\)\s*$")


Bbox = tuple[float, float, float, float]


# ---------------------------------------------------------------------------------------
# Page content model
# ---------------------------------------------------------------------------------------


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    bold: bool = False
    size: float = 0.0


def _median(xs: list[float]) -> float:
    """``statistics.median`` for a non-empty list, without its overhead."""
    n = len(xs)
    if n == 1:
        return xs[0]
    s = sorted(xs)
    h = n // 2
    return s[h] if n % 2 else (s[h - 1] + s[h]) / 2


@dataclass
class PLine:
    """Words on one line. Its measurements are computed once (``touch()`` after changing words)."""

    words: list[Word]
    page: int  # 1-based
    _cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def touch(self) -> None:
        self._cache.clear()

    def _get(self, name: str) -> Any:
        c = self._cache
        if name not in c:
            ws = self.words
            if name in ("top", "bottom", "height"):
                tops = [w.top for w in ws]
                bottoms = [w.bottom for w in ws]
                # the median, not the minimum: OCR word boxes grow with stacked diacritics
                c["top"] = _median(tops)
                c["bottom"] = _median(bottoms)
                c["height"] = max(1.0, _median([b - t for t, b in zip(tops, bottoms, strict=True)]))
            elif name == "text":
                c["text"] = " ".join(w.text for w in ws)
            elif name in ("x0", "x1"):
                c["x0"] = min([w.x0 for w in ws])
                c["x1"] = max([w.x1 for w in ws])
            elif name == "bold":
                c["bold"] = all(w.bold for w in ws)
            else:
                c["size"] = _median([w.size or (w.bottom - w.top) for w in ws])
        return c[name]

    @property
    def text(self) -> str:
        return str(self._get("text"))

    @property
    def x0(self) -> float:
        return float(self._get("x0"))

    @property
    def x1(self) -> float:
        return float(self._get("x1"))

    @property
    def top(self) -> float:
        return float(self._get("top"))

    @property
    def bottom(self) -> float:
        return float(self._get("bottom"))

    @property
    def height(self) -> float:
        return float(self._get("height"))

    @property
    def bold(self) -> bool:
        return bool(self._get("bold"))

    @property
    def size(self) -> float:
        return float(self._get("size"))


@dataclass
class PTable:
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    col_x: list[float]  # left edges of the columns
    rows: list[list[str]]
    pages: list[int] = field(default_factory=list)
    row_pages: list[int] = field(default_factory=list)  # page of each row


@dataclass
class PageContent:
    number: int  # 1-based
    width: float
    height: float
    lines: list[PLine] = field(default_factory=list)
    tables: list[PTable] = field(default_factory=list)
    ocr: bool = False


# ---------------------------------------------------------------------------------------
# Opening and checking
# ---------------------------------------------------------------------------------------


def check_signature(path: Path, data: bytes) -> None:
    """Refuse files that are not PDFs or were cut short (no %%EOF at all)."""
    if b"%PDF-" not in data[:1024]:
        raise InputError(str(path), "err.pdf_no_header")
    if b"%%EOF" not in data:
        raise InputError(str(path), "err.pdf_truncated")


def tail_warning(data: bytes) -> str | None:
    """A PDF whose last end-of-file marker is not at its end: data after it, or a cut-off update."""
    if b"%%EOF" in data[-4096:]:
        return None
    return msg("msg.pdf_tail")


def _open_pdfium(path: Path, data: bytes):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        msg = str(e)
        if "password" in msg.lower():
            raise InputError(str(path), "err.pdf_encrypted") from None
        raise InputError(str(path), "err.pdf_corrupt", detail=msg.strip().rstrip(".")) from None


def _load_page(path: Path, pdoc, index: int):
    """Page ``index`` (0-based); a page PDFium cannot reach (a page tree that loops, or that
    counts more pages than it holds) is a one-line error."""
    import pypdfium2 as pdfium

    try:
        return pdoc[index]
    except pdfium.PdfiumError:
        raise InputError(str(path), "err.pdf_page_tree", page=index + 1, pages=len(pdoc)) from None


@dataclass(frozen=True)
class PdfLimits:
    """Bounds on what one PDF may cost. ``max_pages`` can be set with the environment variable
    ``DIRECTIVE_NLP_PDF_MAX_PAGES``."""

    max_pages: int = 2000
    max_chars: int = 20_000_000  # characters in the text layers of all pages
    stream_ratio: int = 200  # a compressed stream may decode to this many times its size …
    stream_floor: int = 32 * 1024 * 1024  # … or this many bytes, whichever is more

    @classmethod
    def from_env(cls) -> PdfLimits:
        value = os.environ.get("DIRECTIVE_NLP_PDF_MAX_PAGES", "").strip()
        return cls(max_pages=int(value)) if value.isdigit() and int(value) > 0 else cls()


_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+)")
_NAME = re.compile(rb"/([A-Za-z0-9]+)")
_FLATE = {b"FlateDecode", b"Fl"}
_INFLATE_CHUNK = 4 * 1024 * 1024


def stream_filters(head: bytes) -> list[bytes]:
    """The filter names of the stream whose dictionary ends ``head`` (the bytes before its
    ``stream`` keyword), in decoding order; [] when it names none."""
    cut = head.rfind(b"obj")
    if cut >= 0:
        head = head[cut:]  # not a filter of the object before
    found = list(_FILTER.finditer(head))
    return _NAME.findall(found[-1].group(1)) if found else []


def _inflate(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Flate-decode a stream of chunks, never more than ``_INFLATE_CHUNK`` bytes at a time.
    Damaged data ends the output (as it ends PDFium's decoder)."""
    d = zlib.decompressobj()
    try:
        for chunk in chunks:
            while chunk and not d.eof:
                out = d.decompress(chunk, _INFLATE_CHUNK)
                if out:
                    yield out
                chunk = d.unconsumed_tail
            if d.eof:
                return
        yield d.flush(_INFLATE_CHUNK)
    except zlib.error:
        return


def decoded_size(body: bytes, filters: list[bytes], bound: int) -> int:
    """How many bytes the leading Flate layers of ``filters`` decode ``body`` to, counted in
    bounded chunks (output discarded) and stopped past ``bound``. Each layer is decoded as a
    stream into the next, so a stream compressed twice is measured at its inner size, not
    at its harmless-looking outer one."""
    layers = 0
    for name in filters:
        if name not in _FLATE:
            break  # another filter (DCT, LZW, a crypt filter …): the Flate layers before it are measured
        layers += 1
    if not layers:
        return len(body)
    chunks: Iterator[bytes] = iter([body])
    for _ in range(layers):
        chunks = _inflate(chunks)
    produced = 0
    for out in chunks:
        produced += len(out)
        if produced > bound:
            break
    return produced


def check_streams(path: Path, data: bytes, limits: PdfLimits) -> None:
    """Refuse a decompression bomb before PDFium decodes it (PDFium aborts the whole process
    when an allocation fails): every Flate stream large enough to matter is decoded in
    bounded chunks, through all its leading Flate layers, and must stay within
    ``limits.stream_ratio`` times its compressed size (or ``stream_floor`` bytes).

    One Flate layer expands at most ~1,032:1, so a single-layer stream shorter than
    floor / 1,032 bytes cannot exceed the floor and is not decoded here; a stream with two or
    more layers always is.
    """
    smallest = limits.stream_floor // 1032
    for m in _STREAM.finditer(data):
        start = m.end()
        end = data.find(b"endstream", start)
        if end < 0:
            end = len(data)
        size = end - start
        filters = stream_filters(data[max(0, m.start() - 1024) : m.start()])
        if not filters or filters[0] not in _FLATE:
            continue
        if size < smallest and (len(filters) < 2 or filters[1] not in _FLATE):
            continue
        bound = max(limits.stream_floor, limits.stream_ratio * size)
        if decoded_size(data[start:end], filters, bound) > bound:
            raise InputError(str(path), "err.pdf_bomb", size=size, limit_mb=bound // (1024 * 1024))


def library_errors() -> tuple[type[BaseException], ...]:
    """What the PDF libraries raise on damaged input: PDFium's ``PdfiumError``, pdfminer's
    ``PSException`` family (``PDFSyntaxError``, ``PDFException`` …), pdfplumber's wrappers,
    and the plain errors pdfminer lets through from a malformed object or stream (a wrong
    type, a missing key, a short or undecodable stream, a reference loop)."""
    import struct

    import pypdfium2 as pdfium
    from pdfminer.psexceptions import PSException
    from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

    return (
        pdfium.PdfiumError,
        PSException,
        PdfminerException,
        MalformedPDFException,
        ValueError,
        KeyError,
        TypeError,
        IndexError,
        EOFError,
        RecursionError,
        struct.error,
        zlib.error,
    )


def _open_plumber(path: Path, data: bytes):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError

    try:
        return pdfplumber.open(io.BytesIO(data))
    except library_errors() as e:
        # pdfplumber wraps pdfminer's error in PdfminerException(original)
        cause = e.args[0] if e.args and isinstance(e.args[0], BaseException) else e
        if isinstance(cause, PDFEncryptionError) or "password" in str(cause).lower():
            raise InputError(str(path), "err.pdf_encrypted") from None
        raise InputError(str(path), "err.pdf_corrupt", detail=type(cause).__name__) from None


# ---------------------------------------------------------------------------------------
# Characters -> words -> lines
# ---------------------------------------------------------------------------------------


def _is_mark(text: str) -> bool:
    if len(text) == 1:
        return unicodedata.combining(text) != 0
    return bool(text) and all(unicodedata.combining(c) for c in text)


def dedupe(chars: list[dict[str, Any]], tol: float = 1.0) -> list[dict[str, Any]]:
    """Drop overprinted duplicates (fake bold); the kept character is marked bold.

    The kept dicts are the input's own (marked in place)."""
    seen: dict[tuple[str, int], list[dict[str, Any]]] = {}
    get = seen.get
    out: list[dict[str, Any]] = []
    for c in chars:
        text, x0, top = c["text"], c["x0"], c["top"]
        ix = int(x0)
        dup = None
        for k in (ix, ix - 1, ix + 1):
            near = get((text, k))
            if near:
                for other in near:
                    if -tol <= other["x0"] - x0 <= tol and -tol <= other["top"] - top <= tol:
                        dup = other
                        break
                if dup is not None:
                    break
        if dup is not None and text.strip():
            dup["fake_bold"] = True
            continue
        seen.setdefault((text, ix), []).append(c)
        out.append(c)
    return out


def attach_marks(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Put combining marks drawn as separate glyphs back on their base letters."""
    if not any(map(unicodedata.combining, "".join([c["text"] for c in chars]))):
        return chars  # nothing to attach (the usual case: precomposed letters)
    out: list[dict[str, Any]] = []
    for i, c in enumerate(chars):
        if not _is_mark(c["text"]):
            out.append(c)
            continue
        cx = (c["x0"] + c["x1"]) / 2
        base = None
        candidates = ([out[-1]] if out else []) + ([chars[i + 1]] if i + 1 < len(chars) else [])
        for cand in candidates:
            if cand["x0"] - 1.5 <= cx <= cand["x1"] + 1.5 and not _is_mark(cand["text"]):
                base = cand
                break
        if base is None:  # search the line for the letter under the mark
            for cand in reversed(out[-40:]):
                near = abs(cand["top"] - c["top"]) < 1.5 * max(cand["size"], 1)
                if near and cand["x0"] - 1.5 <= cx <= cand["x1"] + 1.5:
                    base = cand
                    break
        if base is None:
            continue  # a stray mark: dropping it is better than a split word
        base["text"] = unicodedata.normalize("NFC", base["text"] + c["text"])
    return out


def _char_bold(c: dict[str, Any]) -> bool:
    return bool(c.get("fake_bold")) or _bold_font(c.get("fontname", "") or "")


@functools.lru_cache(maxsize=512)
def _bold_font(fontname: str) -> bool:
    return bool(_BOLD_FONT.search(fontname))


_LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}


def _char_lines(chars: list[dict[str, Any]], tol: float) -> list[list[dict[str, Any]]]:
    """Characters clustered into lines by ``top`` (chained within ``tol``), each line left to
    right: the grouping of pdfplumber's word extractor, without its object model."""
    tops = sorted({c["top"] for c in chars})
    cluster: dict[float, int] = {}
    k, last = 0, tops[0]
    for t in tops:
        if t > last + tol:
            k += 1
        cluster[t] = k
        last = t
    lines: list[list[dict[str, Any]]] = [[] for _ in range(k + 1)]
    for c in chars:
        lines[cluster[c["top"]]].append(c)
    return [sorted(ln, key=lambda c: (c["x0"], c["x1"])) for ln in lines if ln]


def chars_to_words(chars: list[dict[str, Any]], x_tol: float = 3.0, y_tol: float = 3.0) -> list[Word]:
    """Characters -> words: a word ends at a blank, a gap wider than ``x_tol``, a step back,
    or a change of line (as pdfplumber's ``WordExtractor(x_tolerance=3, y_tolerance=3)``)."""
    if not chars:
        return []
    words: list[Word] = []

    def emit(cs: list[dict[str, Any]]) -> None:
        if not cs:
            return
        sizes = [c["size"] for c in cs]
        words.append(
            Word(
                text="".join(_LIGATURES.get(c["text"], c["text"]) for c in cs),
                x0=min([c["x0"] for c in cs]),
                x1=max([c["x1"] for c in cs]),
                top=min([c["top"] for c in cs]),
                bottom=max([c["bottom"] for c in cs]),
                bold=all(_char_bold(c) for c in cs),
                size=sizes[0] if min(sizes) == max(sizes) else _median(sizes),
            )
        )

    for line in _char_lines(chars, y_tol):
        cur: list[dict[str, Any]] = []
        for c in line:
            if c["text"].isspace():
                emit(cur)
                cur = []
                continue
            if cur:
                p = cur[-1]
                if c["x0"] < p["x0"] or c["x0"] > p["x1"] + x_tol or abs(c["top"] - p["top"]) > y_tol:
                    emit(cur)
                    cur = []
            cur.append(c)
        emit(cur)
    return words


def cluster_lines(words: list[Word], page: int) -> list[PLine]:
    """Group words into lines by vertical overlap, left to right; lines top to bottom."""
    lines: list[PLine] = []
    for w in sorted(words, key=lambda w: ((w.top + w.bottom) / 2, w.x0)):
        cy = (w.top + w.bottom) / 2
        target = None
        for ln in reversed(lines[-4:]):
            lc = (ln.top + ln.bottom) / 2
            if abs(cy - lc) <= 0.45 * max(ln.height, w.bottom - w.top) and not any(
                o.x0 < w.x1 - 1 and w.x0 < o.x1 - 1 for o in ln.words
            ):
                target = ln
                break
        if target is None:
            lines.append(PLine(words=[w], page=page))
        else:
            target.words.append(w)
            target.touch()
    for ln in lines:
        ln.words.sort(key=lambda w: w.x0)
        ln.touch()
    lines.sort(key=lambda ln: (ln.top, ln.x0))
    return lines


def _in_any(c: dict[str, Any], boxes: list[Bbox]) -> bool:
    cx, cy = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


class _CharIndex:
    """Characters bucketed by the position of their centre, to find those inside a box quickly."""

    CELL = 24.0  # bucket size (points)

    def __init__(self, chars: list[dict[str, Any]]):
        self.buckets: dict[tuple[int, int], list[tuple[int, float, float, dict[str, Any]]]] = {}
        size = self.CELL
        for i, c in enumerate(chars):
            cx, cy = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
            self.buckets.setdefault((int(cx // size), int(cy // size)), []).append((i, cx, cy, c))

    def inside(self, bbox: tuple[float, float, float, float]) -> list[dict[str, Any]]:
        x0, top, x1, bottom = bbox
        size = self.CELL
        found = []
        for bx in range(int(x0 // size), int(x1 // size) + 1):
            for by in range(int(top // size), int(bottom // size) + 1):
                for i, cx, cy, c in self.buckets.get((bx, by), ()):
                    if x0 <= cx <= x1 and top <= cy <= bottom:
                        found.append((i, c))
        found.sort(key=lambda t: t[0])  # content-stream order
        return [c for _, c in found]


def _cell_text(index: _CharIndex, bbox: tuple[float, float, float, float], page: int) -> str:
    lines = cluster_lines(chars_to_words(index.inside(bbox)), page)
    return collapse(" ".join(ln.text for ln in lines))


def table_rows(grid: list[list[Bbox | None]], text_of) -> list[list[str]]:
    """Cell texts of a table grid from pdfplumber (``None`` where no cell starts).

    A position covered by a cell spanning columns is dropped (the merged cell appears once,
    as the DOCX reader gives it); a position covered by a cell spanning rows repeats that
    cell's text, as python-docx does for vertically merged cells.
    """
    n_cols = max((len(r) for r in grid), default=0)
    col_left = [
        min((c[0] for r in grid if j < len(r) and (c := r[j]) is not None), default=None)
        for j in range(n_cols)
    ]
    above: list[tuple[Bbox, str] | None] = [None] * n_cols
    rows: list[list[str]] = []
    for r in grid:
        row_top = min(c[1] for c in r if c is not None) if any(c is not None for c in r) else None
        cells: list[str] = []
        prev: Bbox | None = None
        for j in range(n_cols):
            c = r[j] if j < len(r) else None
            if c is not None:
                text = text_of(c)
                cells.append(text)
                above[j] = (c, text)
                prev = c
                continue
            left = col_left[j]
            if prev is not None and left is not None and prev[2] > left + 1:
                continue  # spanned by the cell on the left
            cover = above[j]
            if cover is not None and row_top is not None and cover[0][3] > row_top + 1:
                cells.append(cover[1])  # spanned by the cell above
            else:
                cells.append("")
        rows.append(cells)
    return rows


def _tables(grids: list[Grid], chars: list[dict[str, Any]], number: int) -> list[PTable]:
    out: list[PTable] = []
    index = _CharIndex(chars)
    for bbox, grid in grids:
        widest = max(grid, key=lambda r: sum(c is not None for c in r), default=[])
        col_x = [c[0] for c in widest if c is not None]
        rows = table_rows(grid, lambda b: _cell_text(index, b, number))
        rows = [r for r in rows if any(x.strip() for x in r)]
        if not rows or max(len(r) for r in rows) < 2:
            continue
        x0, top, x1, bottom = bbox
        out.append(
            PTable(
                page=number,
                top=top,
                bottom=bottom,
                x0=x0,
                x1=x1,
                col_x=col_x,
                rows=rows,
                pages=[number],
                row_pages=[number] * len(rows),
            )
        )
    return out


def _content(
    chars: list[dict[str, Any]], grids: list[Grid], number: int, width: float, height: float
) -> PageContent:
    tables = _tables(grids, chars, number) if grids else []
    boxes = [(t.x0, t.top, t.x1, t.bottom) for t in tables]
    body = [c for c in chars if not _in_any(c, boxes)] if boxes else chars
    lines = cluster_lines(chars_to_words(body), number)
    return PageContent(number=number, width=width, height=height, lines=lines, tables=tables)


def text_page(page, number: int) -> PageContent:
    """Lines and tables of one page read by pdfplumber (the reference engine)."""
    chars = [dict(c) for c in page.chars if c.get("upright", True)]
    chars = attach_marks(dedupe(chars))
    grids = [(t.bbox, [list(row.cells) for row in t.rows]) for t in page.find_tables()]
    return _content(chars, grids, number, float(page.width), float(page.height))


def may_have_table(pdfium_page) -> bool:
    """Does the page draw anything a ruled table is made of (boxes, or crossing rules)?"""
    import pypdfium2.raw as pdfium_c

    horizontal = vertical = 0
    for obj in pdfium_page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=3):
        left, bottom, right, top = obj.get_bounds()
        w, h = right - left, top - bottom
        if w >= 15 and h >= 15:
            return True
        if w >= 15:
            horizontal += 1
        elif h >= 15:
            vertical += 1
        if horizontal >= 2 and vertical >= 2:
            return True
    return False


def page_edges(pdfium_page) -> tuple[list[dict[str, Any]], bool]:
    """Horizontal and vertical segments drawn by the page's path objects, as pdfplumber edges
    (top-down coordinates), and whether some paths sit inside form XObjects (not read here).

    Each straight piece of a path (a line, a rectangle's side, a polygon's side) is one edge,
    as pdfminer's lines, rects and curves become edges in pdfplumber.
    """
    import ctypes

    import pypdfium2.raw as pdfium_c

    height = pdfium_page.get_height()
    edges: list[dict[str, Any]] = []
    nested = False
    x, y = ctypes.c_float(), ctypes.c_float()
    m = pdfium_c.FS_MATRIX()
    for obj in pdfium_page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=3):
        if obj.level > 0:
            nested = True
            continue
        raw = obj.raw
        pdfium_c.FPDFPageObj_GetMatrix(raw, ctypes.byref(m))
        last: tuple[float, float] | None = None
        start: tuple[float, float] | None = None
        for i in range(pdfium_c.FPDFPath_CountSegments(raw)):
            seg = pdfium_c.FPDFPath_GetPathSegment(raw, i)
            pdfium_c.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y))
            pt = (m.a * x.value + m.c * y.value + m.e, height - (m.b * x.value + m.d * y.value + m.f))
            kind = pdfium_c.FPDFPathSegment_GetType(seg)
            if kind == pdfium_c.FPDF_SEGMENT_MOVETO or last is None:
                start = pt
            elif kind == pdfium_c.FPDF_SEGMENT_LINETO:
                _add_edge(edges, last, pt)
            last = pt
            if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None and last != start:
                _add_edge(edges, last, start)
                last = start
    return edges, nested


def _add_edge(edges: list[dict[str, Any]], p0: tuple[float, float], p1: tuple[float, float]) -> None:
    if abs(p0[1] - p1[1]) < 0.01:
        orientation = "h"
    elif abs(p0[0] - p1[0]) < 0.01:
        orientation = "v"
    else:
        return
    x0, x1 = sorted((p0[0], p1[0]))
    top, bottom = sorted((p0[1], p1[1]))
    if orientation == "h":
        bottom = top
    else:
        x1 = x0
    edges.append(
        {
            "object_type": "line",
            "orientation": orientation,
            "x0": x0,
            "x1": x1,
            "top": top,
            "bottom": bottom,
            "doctop": top,
            "width": x1 - x0,
            "height": bottom - top,
        }
    )


@dataclass
class _EdgePage:
    """What pdfplumber's table finder reads of a page under the default "lines" strategy."""

    edges: list[dict[str, Any]]
    bbox: tuple[float, float, float, float]


Grid = tuple[Bbox, list[list[Bbox | None]]]


def find_grids(edges: list[dict[str, Any]], width: float, height: float) -> list[Grid]:
    """Ruled tables from page edges: (bbox, rows of cell boxes) by pdfplumber's table finder
    (snapping, joining, intersections, cells) run on the edges alone, without parsing the page."""
    if not edges:
        return []
    from pdfplumber.table import TableFinder

    finder = TableFinder(_EdgePage(edges, (0.0, 0.0, width, height)))  # type: ignore[arg-type]
    return [(t.bbox, [list(row.cells) for row in t.rows]) for t in finder.tables]


def _c_function(fn, restype, *argtypes):
    """The same PDFium entry point with plain integer/pointer arguments (no per-call wrapping)."""
    import ctypes

    address = int(ctypes.cast(fn, ctypes.c_void_p).value or 0)
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


@dataclass
class _RunStyle:
    """What every character of one PDFium text object shares."""

    size: float
    fontname: str
    upright: bool
    baseline: float  # origin y minus loose-box bottom (PDF units, upwards)
    loose_h: float  # loose-box height of the object's first character


def pdfium_chars(pdfium_page, textpage=None, text: str | None = None) -> list[dict[str, Any]]:
    """The page's upright characters as pdfplumber-style dicts, read with PDFium.

    Boxes follow pdfminer's convention (a box one font size high; PDFium's character origin
    lands where pdfminer puts the box bottom) so both engines give the same line geometry.
    The text comes in one call; per character only the text object and the loose box are
    asked for; size, font, angle and baseline offset once per text object.
    """
    import ctypes

    import pypdfium2.raw as pdfium_c

    vp, ci = ctypes.c_void_p, ctypes.c_int
    get_object = _c_function(pdfium_c.FPDFText_GetTextObject, vp, vp, ci)
    get_box = _c_function(pdfium_c.FPDFText_GetLooseCharBox, ci, vp, ci, vp)
    height = pdfium_page.get_height()
    tp = textpage if textpage is not None else pdfium_page.get_textpage()
    try:
        raw = tp.raw
        handle = ctypes.cast(raw, vp).value
        n = pdfium_c.FPDFText_CountChars(raw)
        if text is None or len(text) != n:
            text = _page_text(raw, n)
        rect = pdfium_c.FS_RECTF()
        rect_addr = ctypes.addressof(rect)
        ox, oy = ctypes.c_double(), ctypes.c_double()
        ox_ref, oy_ref = ctypes.byref(ox), ctypes.byref(oy)
        styles: dict[int, _RunStyle] = {}
        out: list[dict[str, Any]] = []
        skipped = False  # the last character was rotated (not kept)
        for i in range(n):
            ch = text[i] if text is not None else chr(pdfium_c.FPDFText_GetUnicode(raw, i))
            if ch in "\x00\ufffe\uffff\n\r":
                continue
            if ch.isspace():
                if out and not skipped:
                    prev = out[-1]
                    out.append({**prev, "text": " ", "x0": prev["x1"], "x1": prev["x1"] + 0.1})
                continue
            get_box(handle, i, rect_addr)
            obj = get_object(handle, i) or 0
            st = styles.get(obj)
            if st is None:
                st = styles[obj] = _run_style(raw, i, rect)
            skipped = not st.upright
            if skipped:
                continue
            if abs(rect.top - rect.bottom - st.loose_h) < 0.01:  # the font's box: same baseline offset
                bottom = height - (rect.bottom + st.baseline)
            else:  # a box from the glyph's own outline
                pdfium_c.FPDFText_GetCharOrigin(raw, i, ox_ref, oy_ref)
                bottom = height - oy.value
            size = st.size
            out.append(
                {
                    "text": ch,
                    "x0": rect.left,
                    "x1": rect.right,
                    "top": bottom - size,
                    "bottom": bottom,
                    "size": size,
                    "fontname": st.fontname,
                }
            )
        return out
    finally:
        if textpage is None:
            tp.close()


def _page_text(raw, n: int) -> str | None:
    """The text page's characters in one call, one UTF-16 unit per character index (None when
    surrogate pairs break that correspondence)."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    if n <= 0:
        return ""
    buf = ctypes.create_string_buffer((n + 1) * 2)
    got = pdfium_c.FPDFText_GetText(raw, 0, n, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
    data = buf.raw[: max(0, got - 1) * 2]
    if len(data) != 2 * n:
        return None
    text = data.decode("utf-16-le", errors="surrogatepass")
    return text if len(text) == n and not _SURROGATE.search(text) else None


def _run_style(raw, i: int, rect) -> _RunStyle:
    import ctypes

    import pypdfium2.raw as pdfium_c

    ox, oy = ctypes.c_double(), ctypes.c_double()
    pdfium_c.FPDFText_GetCharOrigin(raw, i, ctypes.byref(ox), ctypes.byref(oy))
    loose_h = abs(rect.top - rect.bottom)
    size = float(pdfium_c.FPDFText_GetFontSize(raw, i))
    if size <= 1.5 and loose_h > 2:  # a unit font size scaled by the text matrix
        size = loose_h / 1.15
    buf = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    pdfium_c.FPDFText_GetFontInfo(raw, i, buf, len(buf), ctypes.byref(flags))
    font = buf.value.decode("latin-1", errors="replace")
    if pdfium_c.FPDFText_GetFontWeight(raw, i) >= 600 and "bold" not in font.lower():
        font += ",Bold"
    angle = pdfium_c.FPDFText_GetCharAngle(raw, i)
    upright = abs(angle) < 0.05 or abs(angle - 6.283) < 0.05
    return _RunStyle(
        size=size,
        fontname=font,
        upright=upright,
        baseline=oy.value - rect.bottom,
        loose_h=rect.top - rect.bottom,
    )


def fast_text_page(
    pdfium_page, number: int, tables: bool = False, textpage=None, text: str | None = None
) -> PageContent | None:
    """Lines (and, with ``tables``, ruled tables) of a page, from PDFium characters and paths.

    Returns None when the page may hold a table drawn inside a form XObject and no table was
    found in the page's own paths: the caller reads that page with pdfplumber.
    """
    chars = pdfium_chars(pdfium_page, textpage, text)
    chars = attach_marks(dedupe(chars))
    width, height = pdfium_page.get_size()
    grids: list[Grid] = []
    if tables:
        edges, nested = page_edges(pdfium_page)
        grids = find_grids(edges, width, height)
        if not grids and nested:
            return None
    return _content(chars, grids, number, float(width), float(height))


def has_text_layer(pdfium_page, textpage=None) -> bool:
    tp = textpage if textpage is not None else pdfium_page.get_textpage()
    try:
        n = tp.count_chars()
        if n == 0:
            return False
        return bool(tp.get_text_range(0, min(n, 2000)).strip())
    finally:
        if textpage is None:
            tp.close()


def needs_ocr(pdfium_page) -> bool:
    """A page without a text layer that still shows something: a scanned image, or text
    drawn as outlines (many vector paths). Blank pages are not OCR'd."""
    import pypdfium2.raw as pdfium_c

    paths = 0
    for obj in pdfium_page.get_objects(max_depth=2):
        if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            return True
        if obj.type == pdfium_c.FPDF_PAGEOBJ_PATH:
            paths += 1
            if paths >= 200:
                return True
    return False


# ---------------------------------------------------------------------------------------
# OCR pages
# ---------------------------------------------------------------------------------------


def ocr_pages(
    pdfium_doc, numbers: list[int], *, path: str = "", progress: Progress | None = None
) -> tuple[list[PageContent], float]:
    """OCR the given 1-based pages, one page rendered, read and freed at a time
    (``reading.ocr.ocr_stream``: page limit ``DIRECTIVE_NLP_OCR_MAX_PAGES``, ``progress(done,
    total)`` after each page); returns their content and the mean word confidence."""
    from .ocr import ocr_stream

    pages = []
    confs: list[float] = []
    for op in ocr_stream(pdfium_doc, numbers, path=path, progress=progress):
        words = [
            Word(text=wd.text, x0=wd.x0, x1=wd.x1, top=wd.top, bottom=wd.bottom, size=wd.bottom - wd.top)
            for ln in op.lines
            for wd in ln.words
        ]
        confs.extend(wd.conf for ln in op.lines for wd in ln.words if wd.conf >= 0)
        pages.append(
            PageContent(
                number=op.number,
                width=op.width,
                height=op.height,
                lines=cluster_lines(words, op.number),
                ocr=True,
            )
        )
    return pages, (statistics.mean(confs) if confs else 0.0)


# ---------------------------------------------------------------------------------------
# Running headers, footers, page numbers
# ---------------------------------------------------------------------------------------


def _norm(text: str) -> str:
    return re.sub(r"\d+", "#", collapse(text).lower())


def _gap_is_wide(page: PageContent, upper: int) -> bool:
    """Is the gap between lines ``upper`` and ``upper + 1`` wider than the page's line spacing?"""
    lines = page.lines
    if upper < 0 or upper + 1 >= len(lines):
        return True
    a, b = lines[upper], lines[upper + 1]
    gaps = [y.top - x.bottom for x, y in zip(lines, lines[1:], strict=False) if y.top > x.bottom]
    typical = statistics.median(gaps) if gaps else a.height * 0.3
    return (b.top - a.bottom) > max(typical * 1.8, a.height * 0.9)


def _set_apart(page: PageContent, candidates: set[int]) -> set[int]:
    """Candidate edge lines (by id) that are separated from the body by a wide gap: a top line
    when the gap below it is wide (or the line below is itself kept), a bottom line likewise."""
    lines = page.lines
    n = len(lines)
    kept: set[int] = set()
    for i in reversed(range(min(2, n))):  # top zone, inner line first
        if id(lines[i]) in candidates and (_gap_is_wide(page, i) or (i + 1 < n and id(lines[i + 1]) in kept)):
            kept.add(id(lines[i]))
    for i in range(max(0, n - 2), n):  # bottom zone, inner line first
        if (
            id(lines[i]) in candidates
            and id(lines[i]) not in kept
            and (_gap_is_wide(page, i - 1) or (i > 0 and id(lines[i - 1]) in kept))
        ):
            kept.add(id(lines[i]))
    return kept


def remove_running(pages: list[PageContent]) -> int:
    """Remove running headers/footers, page numbers and print-footer URLs. Returns how many."""
    removed = 0
    edge: dict[tuple[str, str], list[tuple[PageContent, PLine]]] = {}
    for pg in pages:
        n = len(pg.lines)
        for zone, idxs in (("top", range(min(2, n))), ("bottom", range(max(0, n - 2), n))):
            for i in idxs:
                edge.setdefault((zone, _norm(pg.lines[i].text)), []).append((pg, pg.lines[i]))
    n_pages = sum(1 for p in pages if p.lines)
    need = n_pages if n_pages <= 3 else max(3, (n_pages + 1) // 2)
    candidates: set[int] = set()
    for (_zone, _text), hits in edge.items():
        pages_hit = {p.number for p, _ in hits}
        if n_pages < 2 or len(pages_hit) < need:
            continue
        tops = [ln.top for _, ln in hits]
        if max(tops) - min(tops) <= 4:
            candidates.update(id(ln) for _, ln in hits)
    for pg in pages:
        n = len(pg.lines)
        for i in set(range(min(2, n))) | set(range(max(0, n - 2), n)):
            ln = pg.lines[i]
            t = ln.text.strip()
            if (
                _PAGE_NO.match(t)
                and (ln.x1 - ln.x0) < 0.2 * pg.width
                or _URL.search(t)
                and len(_URL.sub("", t).strip()) < 0.5 * len(t) + 12
            ):
                candidates.add(id(ln))
        drop = _set_apart(pg, candidates)
        before = len(pg.lines)
        pg.lines = [ln for ln in pg.lines if id(ln) not in drop]
        removed += before - len(pg.lines)
    return removed


# ---------------------------------------------------------------------------------------
# Header layout (issuer | national motto) on page 1
# ---------------------------------------------------------------------------------------


def _split_at_gap(ln: PLine) -> tuple[list[Word], list[Word]] | None:
    best = None
    for i in range(1, len(ln.words)):
        gap = ln.words[i].x0 - ln.words[i - 1].x1
        if best is None or gap > best[0]:
            best = (gap, i)
    if best and best[0] >= 2.5 * ln.size:
        return ln.words[: best[1]], ln.words[best[1] :]
    return None


def header_layout(page: PageContent) -> tuple[list[str], int] | None:
    """Two-column header at the top of page 1: ([left, right], number of lines used)."""
    body = [ln for ln in page.lines if len(ln.text) > 40]
    if len(body) >= 3:
        left_m = statistics.median(ln.x0 for ln in body)
        right_m = sorted(ln.x1 for ln in body)[int(len(body) * 0.9)]
        center = (left_m + right_m) / 2
    else:
        center = page.width / 2
    left: list[str] = []
    right: list[str] = []
    used = 0
    split_seen = False
    for ln in page.lines[:14]:
        parts = _split_at_gap(ln)
        if (
            parts is not None
            and max(w.x1 for w in parts[0]) < center + 20
            and min(w.x0 for w in parts[1]) > center - 20
        ):
            left.append(" ".join(w.text for w in parts[0]))
            right.append(" ".join(w.text for w in parts[1]))
            split_seen = True
        elif ln.x1 < center + 5:
            left.append(ln.text)
        elif ln.x0 > center - 5:
            right.append(ln.text)
        else:
            break
        used += 1
    if not split_seen or not left or not right:
        return None
    return [collapse(" ".join(left)), collapse(" ".join(right))], used


# ---------------------------------------------------------------------------------------
# Tables across pages
# ---------------------------------------------------------------------------------------


def _row_key(row: list[str]) -> str:
    return collapse(" ".join(row)).lower()


def continues(prev: PTable, nxt: PTable, tol: float = 6.0) -> bool:
    """Is ``nxt`` (first thing on its page) the continuation of ``prev`` (last on its page)?"""
    if nxt.page != prev.pages[-1] + 1:
        return False
    if len(prev.col_x) != len(nxt.col_x):
        return False
    return all(abs(a - b) <= tol for a, b in zip(prev.col_x, nxt.col_x, strict=False))


def merge_table(prev: PTable, nxt: PTable) -> None:
    """Append ``nxt``'s rows to ``prev``: drop a repeated header, glue a split row."""
    rows = list(nxt.rows)
    if rows and prev.rows and _row_key(rows[0]) == _row_key(prev.rows[0]):
        rows = rows[1:]
    if rows and prev.rows and _is_split_row(prev.rows[-1], rows[0]):
        last = prev.rows[-1]
        first = rows.pop(0)
        prev.rows[-1] = [collapse(f"{a} {b}") for a, b in zip(last, first, strict=False)] + last[len(first) :]
    prev.rows.extend(rows)
    prev.row_pages.extend([nxt.page] * len(rows))
    prev.pages.append(nxt.page)
    prev.bottom = nxt.bottom


def _is_split_row(last: list[str], first: list[str]) -> bool:
    if len(last) != len(first) or first[0].strip() or not last[0].strip():
        return False
    texts = [c for c in first if c.strip()]
    if not texts:
        return False
    starts_lower = texts[0][0].islower()
    open_end = any(
        a.strip() and not _TERMINAL.search(a) for a, b in zip(last, first, strict=False) if b.strip()
    )
    return starts_lower or open_end


# ---------------------------------------------------------------------------------------
# Assembly
# ---------------------------------------------------------------------------------------


@dataclass
class _Item:
    kind: str  # line | table | header
    page: int
    top: float
    line: PLine | None = None
    table: PTable | None = None
    cells: list[str] | None = None


def _page_items(pg: PageContent, skip_lines: int = 0, header: list[str] | None = None) -> list[_Item]:
    items: list[_Item] = []
    if header is not None:
        items.append(_Item(kind="header", page=pg.number, top=-1.0, cells=header))
    for ln in pg.lines[skip_lines:]:
        items.append(_Item(kind="line", page=pg.number, top=ln.top, line=ln))
    for t in pg.tables:
        items.append(_Item(kind="table", page=pg.number, top=t.top, table=t))
    items.sort(key=lambda it: it.top)
    return items


def _right_margin(pg: PageContent) -> float | None:
    xs = sorted(ln.x1 for ln in pg.lines if len(ln.text) > 30)
    if len(xs) < 3:
        return None
    return xs[int(len(xs) * 0.9)]


def _to_line(ln: PLine, prev: PLine | None, right: float | None, lineno: int) -> Line:
    gap = None
    if prev is not None and prev.page == ln.page:
        gap = max(0.0, (ln.top - prev.bottom) / max(prev.height, 1.0))
    return Line(
        text=ln.text,
        bold=ln.bold,
        page=ln.page,
        gap_before=gap,
        x0=ln.x0,
        x1=ln.x1,
        right_margin=right,
        lineno=lineno,
    )


def assemble(pages: list[PageContent]) -> list[Block]:
    """Pages -> blocks in reading order."""
    items: list[_Item] = []
    for pg in pages:
        header = None
        used = 0
        if pg.number == pages[0].number and pg.lines:
            first_table_top = min((t.top for t in pg.tables), default=float("inf"))
            hl = header_layout(pg)
            if hl is not None and pg.lines[hl[1] - 1].top < first_table_top:
                header, used = hl
        items.extend(_page_items(pg, used, header))

    merged: list[_Item] = []
    for it in items:
        last = merged[-1].table if merged else None
        t = it.table
        if t is not None and last is not None and t.page == last.pages[-1] + 1 and continues(last, t):
            merge_table(last, t)
            continue
        merged.append(it)

    margins = {pg.number: _right_margin(pg) for pg in pages}
    indents = {pg.number: _indents(pg) for pg in pages}
    spacing = {pg.number: _line_spacing(pg) for pg in pages}
    blocks: list[Block] = []
    run: list[Line] = []
    prev_line: PLine | None = None
    table_no = 0

    def flush() -> None:
        for para in join_lines(run):
            blocks.append(
                Block(
                    index=len(blocks),
                    text=para.text,
                    page=para.page,
                    bold=para.bold,
                    source=f"page {para.page} line {para.lineno}",
                )
            )
        run.clear()

    line_counter: dict[int, int] = {}
    for it in merged:
        ln = it.line
        if ln is not None:
            line_counter[it.page] = line_counter.get(it.page, 0) + 1
            if prev_line is not None and _hard_break(prev_line, ln, spacing.get(it.page)):
                flush()
            if run and prev_line is not None and _wrapped_item_mark(prev_line, ln, margins, indents):
                last_line = run[-1]
                last_line.text = f"{last_line.text.rstrip()} {ln.text}"
                last_line.x1 = ln.x1
                prev_line = ln
                continue
            run.append(_to_line(ln, prev_line, margins.get(it.page), line_counter[it.page]))
            prev_line = ln
            continue
        flush()
        prev_line = None
        if it.table is not None:
            rows, row_pages = it.table.rows, it.table.row_pages
        else:
            rows, row_pages = [it.cells or []], [it.page]
        for r_i, (cells, page_no) in enumerate(zip(rows, row_pages, strict=False)):
            cells = [collapse(c) for c in cells]
            blocks.append(
                Block(
                    index=len(blocks),
                    text=" | ".join(cells),
                    kind="table_row",
                    page=page_no,
                    cells=cells,
                    table=table_no,
                    header_row=r_i == 0,
                    source=f"page {page_no} table {table_no} row {r_i}",
                )
            )
        table_no += 1
    flush()
    return blocks


def _indents(pg: PageContent) -> tuple[float, float] | None:
    """(left margin of wrapped lines, x0 of list-item first lines) when items are indented."""
    long_x0 = sorted(ln.x0 for ln in pg.lines if len(ln.text) > 30)
    item_x0 = [ln.x0 for ln in pg.lines if starts_item(ln.text)]
    if len(long_x0) < 3 or len(item_x0) < 2:
        return None
    margin = long_x0[len(long_x0) // 10]
    item = statistics.median(item_x0)
    size = statistics.median(ln.size for ln in pg.lines)
    return (margin, item) if item - margin > 0.8 * size else None


def _wrapped_item_mark(
    prev: PLine, ln: PLine, margins: dict[int, float | None], indents: dict[int, tuple[float, float] | None]
) -> bool:
    """A line that opens with '-' or '1.' but is the wrapped tail of a sentence: the previous
    line ran to the right margin without ending, and this one starts at the wrap margin
    while list items on this page start indented."""
    ind = indents.get(ln.page)
    right = margins.get(prev.page)
    if ind is None or right is None or not starts_item(ln.text) or _TERMINAL.search(prev.text):
        return False
    margin, _item = ind
    return abs(ln.x0 - margin) < 0.5 * ln.size and prev.x1 >= right - 2 * prev.size


def _line_spacing(pg: PageContent) -> float | None:
    """The usual gap between two lines of one paragraph on this page (median gap)."""
    gaps = [b.top - a.bottom for a, b in zip(pg.lines, pg.lines[1:], strict=False) if b.top >= a.bottom - 1]
    return statistics.median(gaps) if len(gaps) >= 5 else None


def _hard_break(prev: PLine, ln: PLine, spacing: float | None = None) -> bool:
    """Geometry that always ends a paragraph: a blank line's worth of space on the same page,
    paragraph spacing clearly above the page's line spacing, or a first-line indent after a
    line that ended a sentence."""
    if prev.page != ln.page:
        return False
    gap = ln.top - prev.bottom
    height = max(prev.height, ln.height)
    if gap > 1.2 * height:
        return True
    if spacing is not None and gap > max(spacing, 0.0) + 0.35 * height:
        return True
    return bool(_TERMINAL.search(prev.text) and ln.x0 > prev.x0 + 0.8 * ln.size and ln.text[:1].isupper())


# ---------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------


def read_pdf(
    path: Path,
    data: bytes,
    *,
    ocr: bool = True,
    engine: str = "auto",
    limits: PdfLimits | None = None,
    progress: Progress | None = None,
) -> ReadDocument:
    """Read a PDF: text layer where there is one, Tesseract OCR for scanned pages.

    ``engine``: "auto" reads every text page with PDFium (characters, and on pages that draw
    rules, the ruled tables found by pdfplumber's table finder on PDFium's path segments; a
    page whose rules sit in form XObjects falls back to pdfplumber); "pdfium" skips tables;
    "pdfplumber" reads every page with pdfplumber (the reference engine).

    Scanned pages are OCR'd one at a time (``progress(done, total)`` after each). The
    warnings written into the document are in the current language (``i18n``).
    """
    lim = limits or PdfLimits.from_env()
    check_signature(path, data)
    check_streams(path, data, lim)
    pdoc = _open_pdfium(path, data)
    try:
        n_pages = len(pdoc)
        if n_pages == 0:
            raise InputError(str(path), "err.pdf_no_pages")
        if n_pages > lim.max_pages:
            raise InputError(str(path), "err.pdf_too_many_pages", pages=n_pages, limit=lim.max_pages)
        with_tables: list[int] = []  # pages read by pdfplumber
        scanned: list[int] = []
        pages: list[PageContent] = []
        n_chars = 0
        for i in range(n_pages):
            pg = _load_page(path, pdoc, i)
            try:
                tp = pg.get_textpage()
            except library_errors() as e:
                pg.close()
                raise InputError(str(path), "err.pdf_page_corrupt", page=i + 1, detail=_detail(e)) from None
            try:
                n_chars += tp.count_chars()
                if n_chars > lim.max_chars:
                    raise InputError(str(path), "err.pdf_too_much_text", page=i + 1, limit=lim.max_chars)
                text = _page_text(tp.raw, tp.count_chars())
                if text.strip() if text is not None else has_text_layer(pg, tp):
                    if engine == "pdfplumber":
                        with_tables.append(i + 1)
                        continue
                    tables = engine == "auto" and may_have_table(pg)
                    content = _guard(path, i + 1, fast_text_page, pg, tables, tp, text)
                    if content is None:
                        with_tables.append(i + 1)
                    else:
                        pages.append(content)
                elif needs_ocr(pg):
                    scanned.append(i + 1)
            except library_errors() as e:  # a page object PDFium cannot walk
                raise InputError(str(path), "err.pdf_page_corrupt", page=i + 1, detail=_detail(e)) from None
            finally:
                tp.close()
                pg.close()
        with_text = bool(pages or with_tables)
        warnings: list[str] = [w for w in [tail_warning(data)] if w]
        if with_tables:
            pages.extend(_read_text_pages(path, data, with_tables))
        used_ocr = False
        if scanned:
            if not ocr:
                if not with_text:
                    raise OCRUnavailable(
                        str(path),
                        "err.scan_ocr_off",
                    )
                warnings.append(msg("msg.pdf_ocr_off", pages=_ranges(scanned)))
            else:
                from .ocr import INSTALL_HINT, ocr_available, require_ocr

                if not with_text:
                    require_ocr(str(path))
                if ocr_available():
                    ocr_content, conf = ocr_pages(pdoc, scanned, path=str(path), progress=progress)
                    pages.extend(ocr_content)
                    used_ocr = True
                    warnings.append(msg("msg.pdf_ocr_read", pages=_ranges(scanned), conf=round(conf)))
                else:
                    warnings.append(msg("msg.pdf_ocr_missing", pages=_ranges(scanned), hint=INSTALL_HINT))
    finally:
        pdoc.close()
    pages.sort(key=lambda p: p.number)
    removed = remove_running(pages)
    if removed:
        warnings.append(msg("msg.pdf_running_removed", count=removed))
    blocks = assemble(pages)
    _finish_text(blocks)
    doc = ReadDocument(
        path=str(path),
        format="pdf",
        sha256=sha256_of(data),
        blocks=blocks,
        pages=n_pages,
        ocr=used_ocr,
        warnings=warnings,
    )
    return doc.reindex()


def _guard(path: Path, number: int, fn, page, *args):
    try:
        return fn(page, number, *args)
    except library_errors() as e:  # a damaged content stream
        raise InputError(str(path), "err.pdf_page_corrupt", page=number, detail=_detail(e)) from None


def _read_text_pages(path: Path, data: bytes, numbers: list[int]) -> list[PageContent]:
    out = []
    pdf = _open_plumber(path, data)
    try:
        for n in numbers:
            try:
                out.append(text_page(pdf.pages[n - 1], n))
            except library_errors() as e:  # pdfminer parse errors inside a page
                raise InputError(str(path), "err.pdf_page_corrupt", page=n, detail=_detail(e)) from None
    finally:
        _close_plumber(pdf)
    return out


def _close_plumber(pdf) -> None:
    """Close a pdfplumber document. Its ``close()`` walks every page again, and on a damaged
    page tree that walk raises: the document is unusable then, and the error already
    reported (or about to be) is the one that names the problem."""
    try:
        pdf.close()
    except library_errors():
        pdf.stream.close()


def _detail(e: BaseException) -> str:
    """The name of the error behind ``e`` (pdfplumber wraps pdfminer's)."""
    cause = e.args[0] if e.args and isinstance(e.args[0], BaseException) else e
    return type(cause).__name__


def _finish_text(blocks: list[Block]) -> None:
    """Legacy-font repair (PDFs typed in TCVN3/VNI without a Unicode map), NFC, clean."""
    repair_blocks(blocks)
    blocks[:] = [b for b in blocks if b.text.strip()]


def _ranges(numbers: list[int]) -> str:
    out: list[str] = []
    start = prev = numbers[0]
    tail: list[int | None] = [*numbers[1:], None]
    for n in tail:
        if n is not None and n == prev + 1:
            prev = n
            continue
        out.append(str(start) if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(out)


__all__ = [
    "read_pdf",
    "check_signature",
    "remove_running",
    "header_layout",
    "merge_table",
    "continues",
    "attach_marks",
    "dedupe",
    "cluster_lines",
]
