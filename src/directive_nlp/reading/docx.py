"""DOCX reader: body paragraphs and tables in document order, with Word's automatic numbering.

python-docx gives paragraphs and tables, but ``document.paragraphs`` skips tables and no
automatic list label ("a)", "1.", "II.") is ever rendered. This reader walks the body XML in
order and rebuilds each label from ``numbering.xml`` the way Word does:

* ``w:numPr`` on the paragraph, or inherited from its style (following ``w:basedOn``);
* ``num`` -> ``abstractNum`` (with ``w:numStyleLink``), ``w:lvlOverride`` / ``w:startOverride``;
* each level's ``numFmt`` (decimal, lowerLetter, upperRoman, bullet …), ``lvlText`` with
  ``%1``…``%9`` placeholders, ``start``, ``isLgl`` and ``lvlRestart``;
* counters kept per abstract numbering definition (numIds that share one continue each
  other's sequence, as in Word); a numId with a ``startOverride`` restarts its level the
  first time it is used; a level advancing resets the levels below it.

Runs set in legacy Vietnamese fonts (``.VnTime`` = TCVN3, ``.VnTimeH`` = TCVN3 capitals,
``VNI-Times`` = VNI) are converted to Unicode.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from ..errors import InputError
from ..model import Block, ReadDocument
from ..normalise.legacy import convert_if_plausible, repair_blocks
from ..normalise.text import collapse
from . import sha256_of

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Limits checked before anything is inflated or walked (a real plan is far below each).
MAX_MEMBER_BYTES = 64 * 1024 * 1024  # one package member, uncompressed
MAX_TOTAL_BYTES = 256 * 1024 * 1024  # all members, uncompressed
MAX_RATIO = 200  # uncompressed / compressed size of a member over 1 MB (XML deflates ~10-30x)
MAX_MEMBERS = 5000
MAX_TABLE_DEPTH = 16  # tables inside table cells
MAX_COUNTER = 32767  # Word's own limit on a list's start value
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.I)
# what python-docx and the walk raise on malformed parts (odd attribute values, broken links)
_MALFORMED = (
    ValueError,
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    RecursionError,
    EOFError,
    zlib.error,
    etree.LxmlError,
)
# parts python-docx does not parse itself: no entities, no DTD, no network, no huge trees
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _val(el, tag: str) -> str | None:
    """``w:val`` of the child ``w:tag`` of ``el`` (None when absent)."""
    if el is None:
        return None
    child = el.find(_w(tag))
    if child is None:
        return None
    return child.get(_w("val"))


def _on(el, tag: str) -> bool | None:
    """A toggle property (w:b, w:caps …): True/False when present, None when absent."""
    if el is None:
        return None
    child = el.find(_w(tag))
    if child is None:
        return None
    v = child.get(_w("val"))
    return v not in ("0", "false", "off", "none")


# ---------------------------------------------------------------------------------------
# Container checks
# ---------------------------------------------------------------------------------------


def check_container(path: Path, data: bytes) -> None:
    """Raise ``InputError`` unless ``data`` looks like a DOCX package."""
    if data.startswith(_OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
            raise InputError(str(path), "err.docx_encrypted")
        raise InputError(str(path), "err.docx_is_doc")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            if "word/document.xml" not in names:
                raise InputError(str(path), "err.docx_no_body")
            check_members(path, infos)
            for info in infos:
                if info.filename.endswith((".xml", ".rels")):
                    with zf.open(info) as fh:
                        head = fh.read(4096)
                    if _DTD.search(head):
                        raise InputError(str(path), "err.docx_dtd", member=info.filename)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        ValueError,
        OSError,
        EOFError,
        NotImplementedError,
        zlib.error,
    ):
        raise InputError(str(path), "err.docx_not_zip") from None


def check_members(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse a package whose members would inflate past the limits (a zip bomb), from the
    sizes in the zip directory: nothing is inflated. The declared size also caps what
    ``zipfile`` inflates later (a member that lies about it fails its CRC check)."""
    if len(infos) > MAX_MEMBERS:
        raise InputError(str(path), "err.docx_too_many_parts", count=len(infos), limit=MAX_MEMBERS)
    total = 0
    for info in infos:
        size = info.file_size
        total += size
        if size > MAX_MEMBER_BYTES:
            raise InputError(str(path), "err.docx_bomb", member=info.filename, size=size >> 20)
        if size > 1024 * 1024 and size > MAX_RATIO * max(1, info.compress_size):
            raise InputError(str(path), "err.docx_bomb", member=info.filename, size=size >> 20)
    if total > MAX_TOTAL_BYTES:
        raise InputError(str(path), "err.docx_bomb", member="*", size=total >> 20)


def _small_int(v: str | None, lo: int = -(10**9), hi: int = 10**9) -> int | None:
    """An integer attribute, None when it is no plain number of at most 10 digits; clamped to
    [lo, hi] (a 100,000-digit level number must not cost anything; a start of 10^9 is kept
    and rendered in decimal, see ``format_number``)."""
    if v is None:
        return None
    t = v.strip()
    digits = t[1:] if t[:1] in "+-" else t
    if not digits or len(digits) > 10 or not all("0" <= c <= "9" for c in digits):
        return None
    return max(lo, min(hi, int(t)))


# ---------------------------------------------------------------------------------------
# Numbering
# ---------------------------------------------------------------------------------------


@dataclass
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None  # w:lvlRestart: 0 = never, n = after level n (1-based) is used
    legal: bool = False  # w:isLgl: show all levels as decimal
    pstyle: str | None = None


_ROMAN = [
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
]


def to_roman(n: int) -> str:
    out = []
    for value, sym in _ROMAN:
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def to_letters(n: int) -> str:
    """Word's lowerLetter: a … z, then aa … zz, aaa … (Latin alphabet, no đ)."""
    if n <= 0 or n > MAX_COUNTER:
        return str(n)
    letter = "abcdefghijklmnopqrstuvwxyz"[(n - 1) % 26]
    return letter * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """Render counter ``n`` in Word number format ``fmt`` (decimal past ``MAX_COUNTER``)."""
    if not -MAX_COUNTER <= n <= MAX_COUNTER:
        return str(n)
    if fmt == "lowerLetter":
        return to_letters(n)
    if fmt == "upperLetter":
        return to_letters(n).upper()
    if fmt == "lowerRoman":
        return to_roman(n)
    if fmt == "upperRoman":
        return to_roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    if fmt == "bullet":
        return "-"
    return str(n)  # decimal and every format we do not render specially


def _parse_level(lvl) -> Level:
    lv = Level()
    start = _small_int(_val(lvl, "start"))
    if start is not None:
        lv.start = start
    lv.fmt = _val(lvl, "numFmt") or "decimal"
    text = _val(lvl, "lvlText")
    lv.text = text if text is not None else ""
    lv.restart = _small_int(_val(lvl, "lvlRestart"), 0, 9)
    lv.legal = bool(_on(lvl, "isLgl"))
    lv.pstyle = _val(lvl, "pStyle")
    return lv


@dataclass
class Numbering:
    """numbering.xml, plus the running counters of one pass over the document."""

    abstract: dict[str, dict[int, Level]] = field(default_factory=dict)
    style_link: dict[str, str] = field(default_factory=dict)  # abstractNumId -> numStyleLink
    nums: dict[str, str] = field(default_factory=dict)  # numId -> abstractNumId
    overrides: dict[str, dict[int, tuple[int | None, Level | None]]] = field(default_factory=dict)
    style_num: dict[str, str] = field(default_factory=dict)  # numbering style id -> numId
    counters: dict[str, list[int | None]] = field(default_factory=dict)
    started: set[tuple[str, int]] = field(default_factory=set)

    @classmethod
    def from_xml(cls, root) -> Numbering:
        nb = cls()
        if root is None:
            return nb
        for an in root.findall(_w("abstractNum")):
            aid = an.get(_w("abstractNumId"))
            levels: dict[int, Level] = {}
            for lv in an.findall(_w("lvl")):
                ilvl = _small_int(lv.get(_w("ilvl"), "0"), 0, 9)
                if ilvl is not None:  # a level that is no number 0-9 is ignored
                    levels[ilvl] = _parse_level(lv)
            nb.abstract[aid] = levels
            link = _val(an, "numStyleLink")
            if link:
                nb.style_link[aid] = link
        for num in root.findall(_w("num")):
            nid = num.get(_w("numId"))
            aid = _val(num, "abstractNumId")
            if nid is None or aid is None:
                continue
            nb.nums[nid] = aid
            ovs: dict[int, tuple[int | None, Level | None]] = {}
            for ov in num.findall(_w("lvlOverride")):
                ilvl = _small_int(ov.get(_w("ilvl"), "0"), 0, 9)
                if ilvl is None:
                    continue
                lvl = ov.find(_w("lvl"))
                ovs[ilvl] = (
                    _small_int(_val(ov, "startOverride")),
                    _parse_level(lvl) if lvl is not None else None,
                )
            if ovs:
                nb.overrides[nid] = ovs
        return nb

    def _abstract_id(self, num_id: str) -> str | None:
        aid = self.nums.get(num_id)
        seen = set()
        while aid is not None and aid in self.style_link and aid not in seen:
            seen.add(aid)
            linked_num = self.style_num.get(self.style_link[aid])
            linked = self.nums.get(linked_num) if linked_num else None
            if linked is None or linked == aid:
                break
            aid = linked
        return aid

    def levels(self, num_id: str) -> dict[int, Level]:
        aid = self._abstract_id(num_id)
        levels = dict(self.abstract.get(aid, {})) if aid is not None else {}
        for ilvl, (_, lvl) in self.overrides.get(num_id, {}).items():
            if lvl is not None:
                levels[ilvl] = lvl
        return levels

    def level_for_style(self, num_id: str, style_id: str) -> int | None:
        for ilvl, lv in self.levels(num_id).items():
            if lv.pstyle == style_id:
                return ilvl
        return None

    def next_label(self, num_id: str, ilvl: int) -> str | None:
        """Advance the counter of (num_id, ilvl) and return the rendered label."""
        aid = self._abstract_id(num_id)
        if aid is None or not 0 <= ilvl <= 9:
            return None
        levels = self.levels(num_id)
        lv = levels.get(ilvl)
        if lv is None:
            return None
        counters = self.counters.setdefault(aid, [None] * 10)
        override = self.overrides.get(num_id, {}).get(ilvl, (None, None))[0]
        if override is not None and (num_id, ilvl) not in self.started:
            counters[ilvl] = override
        else:
            current = counters[ilvl]
            counters[ilvl] = lv.start if current is None else current + 1
        self.started.add((num_id, ilvl))
        for lower in range(ilvl + 1, 10):
            low = levels.get(lower)
            restart = low.restart if low is not None else None
            if restart is None or (restart != 0 and ilvl < restart):
                counters[lower] = None
        if lv.fmt == "bullet":
            return "-"
        return self._render(lv, levels, counters, ilvl) or None

    @staticmethod
    def _render(lv: Level, levels: dict[int, Level], counters: list[int | None], ilvl: int) -> str:
        def repl(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            ref = levels.get(k, Level())
            c = counters[k] if 0 <= k < len(counters) else None
            n = c if c is not None else ref.start
            fmt = "decimal" if lv.legal and ref.fmt not in ("none",) else ref.fmt
            return format_number(n, fmt)

        return re.sub(r"%([1-9])", repl, lv.text).strip()


# ---------------------------------------------------------------------------------------
# Styles
# ---------------------------------------------------------------------------------------


@dataclass
class StyleInfo:
    name: str = ""
    based_on: str | None = None
    num_id: str | None = None
    ilvl: int | None = None
    outline: int | None = None
    bold: bool | None = None
    font: str | None = None
    caps: bool | None = None


def _run_font(rpr) -> str | None:
    if rpr is None:
        return None
    f = rpr.find(_w("rFonts"))
    if f is None:
        return None
    return f.get(_w("ascii")) or f.get(_w("hAnsi")) or f.get(_w("cs"))


def _parse_styles(root) -> dict[str, StyleInfo]:
    styles: dict[str, StyleInfo] = {}
    if root is None:
        return styles
    for st in root.findall(_w("style")):
        sid = st.get(_w("styleId"))
        if sid is None:
            continue
        info = StyleInfo(name=(_val(st, "name") or "").lower(), based_on=_val(st, "basedOn"))
        ppr = st.find(_w("pPr"))
        if ppr is not None:
            numpr = ppr.find(_w("numPr"))
            if numpr is not None:
                info.num_id = _val(numpr, "numId")
                info.ilvl = _small_int(_val(numpr, "ilvl"), 0, 9)
            info.outline = _small_int(_val(ppr, "outlineLvl"), 0, 9)
        rpr = st.find(_w("rPr"))
        info.bold = _on(rpr, "b")
        info.caps = _on(rpr, "caps")
        info.font = _run_font(rpr)
        styles[sid] = info
    return styles


def _style_chain(styles: dict[str, StyleInfo], sid: str | None) -> Iterator[StyleInfo]:
    seen: set[str] = set()
    while sid and sid in styles and sid not in seen:
        seen.add(sid)
        yield styles[sid]
        sid = styles[sid].based_on


def _inherit(styles: dict[str, StyleInfo], sid: str | None, attr: str):
    for st in _style_chain(styles, sid):
        v = getattr(st, attr)
        if v is not None:
            return v
    return None


_HEADING = re.compile(r"^heading\s*([1-9])$")


def heading_level(styles: dict[str, StyleInfo], sid: str | None, ppr) -> int | None:
    """Heading level from the style name (Heading N, Title) or the outline level."""
    for st in _style_chain(styles, sid):
        m = _HEADING.match(st.name)
        if m:
            return int(m.group(1))
        if st.name in ("title", "subtitle"):
            return 1 if st.name == "title" else 2
    ol = _val(ppr, "outlineLvl") if ppr is not None else None
    ol_i = _inherit(styles, sid, "outline") if ol is None else _small_int(ol, 0, 9)
    if ol_i is not None and ol_i < 9:
        return ol_i + 1
    return None


# ---------------------------------------------------------------------------------------
# Paragraph text
# ---------------------------------------------------------------------------------------

_SKIP = {
    _w("del"),
    _w("moveFrom"),
    _w("instrText"),
    _w("delText"),
    _w("txbxContent"),
    f"{{{MC}}}Fallback",
    _w("footnoteReference"),
    _w("endnoteReference"),
    _w("rPr"),
    _w("pPr"),
}


def _legacy_font(font: str | None) -> tuple[str | None, bool]:
    """(legacy encoding, upper-case font) for a font name."""
    if not font:
        return None, False
    f = font.strip()
    if f.lower().startswith(".vn"):
        return "tcvn3", f.endswith("H")
    if f.lower().startswith("vni-") or f.lower().startswith("vni "):
        return "vni", False
    return None, False


@dataclass
class _ParaText:
    text: str
    bold: bool  # every visible character is bold


def _iter_runs(el) -> Iterator:
    """Runs of a paragraph in order, skipping deleted text, field codes and text boxes."""
    for child in el:
        if child.tag in _SKIP:
            continue
        if child.tag == _w("r"):
            yield child
        elif child.tag == _w("p"):
            continue
        else:
            yield from _iter_runs(child)


def _run_text(r) -> str:
    parts: list[str] = []
    for child in r:
        tag = child.tag
        if tag == _w("t"):
            parts.append(child.text or "")
        elif tag in (_w("tab"), _w("ptab")):
            parts.append(" ")
        elif tag in (_w("br"), _w("cr")):
            # a manual line break: kept as "\n" so paragraph() can tell a new logical line
            parts.append(" " if child.get(_w("type")) == "page" else "\n")
        elif tag == _w("noBreakHyphen"):
            parts.append("-")
        elif tag == _w("softHyphen"):
            continue
        elif tag == _w("sym"):
            ch = child.get(_w("char"))
            if ch:
                try:
                    code = int(ch, 16)
                    if code >= 0xF000:
                        code -= 0xF000  # Symbol-font private-use range
                    parts.append(chr(code) if code >= 0x20 else "")
                except ValueError:
                    pass
    return "".join(parts)


def paragraph_text(p, styles: dict[str, StyleInfo]) -> _ParaText:
    ppr = p.find(_w("pPr"))
    sid = _val(ppr, "pStyle")
    para_bold = _inherit(styles, sid, "bold")
    para_font = _inherit(styles, sid, "font")
    parts: list[str] = []
    all_bold = True
    any_text = False
    for r in _iter_runs(p):
        t = _run_text(r)
        if not t:
            continue
        rpr = r.find(_w("rPr"))
        rsid = _val(rpr, "rStyle")
        font = _run_font(rpr) or _inherit(styles, rsid, "font") or para_font
        enc, upper = _legacy_font(font)
        if enc:
            t = convert_if_plausible(t, enc)
            if upper:
                t = t.upper()
        caps = _on(rpr, "caps")
        if caps is None:
            caps = _inherit(styles, rsid, "caps") or _inherit(styles, sid, "caps")
        if caps:
            t = t.upper()
        bold = _on(rpr, "b")
        if bold is None:
            bold = _inherit(styles, rsid, "bold")
        if bold is None:
            bold = para_bold
        if t.strip():
            any_text = True
            all_bold = all_bold and bool(bold)
        parts.append(t)
    return _ParaText(text="".join(parts), bold=any_text and all_bold)


def split_soft_breaks(raw: str, text: str, label: str | None) -> list[str]:
    """Split a paragraph at manual line breaks that start a new logical line.

    Word authors put a heading and the phase line under it ("4. Về các nền tảng …" ⏎
    "Giai đoạn từ nay đến ngày 30/6/2025") in one paragraph with Shift+Enter. A break
    followed by a capital letter, an enumerator or a bullet starts a new block; a break
    followed by lower case is a wrap inside a sentence and is joined.
    """
    if "\n" not in raw:
        return [text]
    segs = [collapse(x) for x in raw.split("\n")]
    segs = [x for x in segs if x]
    if len(segs) < 2:
        return [text]
    out = [segs[0]]
    for seg in segs[1:]:
        if seg[:1].isupper() or seg[:1].isdigit() or seg[:1] in "-–•+*(":
            out.append(seg)
        else:
            out[-1] = f"{out[-1]} {seg}"
    if label:
        out[0] = f"{label} {out[0]}"
    return out


def _textbox_paragraphs(p) -> list:
    """Paragraphs inside text boxes anchored in ``p`` (Choice branch only)."""
    out = []
    for tb in p.iter(_w("txbxContent")):
        anc = tb.getparent()
        inside_fallback = False
        while anc is not None and anc is not p:
            if anc.tag == f"{{{MC}}}Fallback":
                inside_fallback = True
                break
            anc = anc.getparent()
        if not inside_fallback:
            out.extend(tb.iter(_w("p")))
    return out


# ---------------------------------------------------------------------------------------
# Document walk
# ---------------------------------------------------------------------------------------


@dataclass
class _Walker:
    styles: dict[str, StyleInfo]
    numbering: Numbering
    path: str = ""
    blocks: list[Block] = field(default_factory=list)
    para_no: int = 0
    table_no: int = 0

    def numbering_of(self, p) -> tuple[str | None, int]:
        ppr = p.find(_w("pPr"))
        sid = _val(ppr, "pStyle")
        numpr = ppr.find(_w("numPr")) if ppr is not None else None
        num_id = _val(numpr, "numId") if numpr is not None else None
        il = _val(numpr, "ilvl") if numpr is not None else None
        if num_id is None:
            num_id = _inherit(self.styles, sid, "num_id")
        if num_id is None or num_id == "0":
            return None, 0
        il_i = _small_int(il, 0, 9) if il is not None else None
        if il_i is not None:
            return num_id, il_i
        style_il = _inherit(self.styles, sid, "ilvl")
        if style_il is not None:
            return num_id, style_il
        for st_id in [sid] if sid else []:
            found = self.numbering.level_for_style(num_id, st_id)
            if found is not None:
                return num_id, found
        return num_id, 0

    def render_paragraph(self, p) -> tuple[str, str | None, bool]:
        """(text with label, label, bold) of one paragraph; advances numbering counters."""
        pt = paragraph_text(p, self.styles)
        num_id, ilvl = self.numbering_of(p)
        label = self.numbering.next_label(num_id, ilvl) if num_id is not None else None
        text = collapse(pt.text)
        if label and text:
            text = f"{label} {text}"
        return text, (label if text else None), pt.bold

    def paragraph(self, p) -> None:
        ppr = p.find(_w("pPr"))
        sid = _val(ppr, "pStyle")
        source = f"p{self.para_no}"
        self.para_no += 1
        raw = paragraph_text(p, self.styles).text
        text, label, bold = self.render_paragraph(p)
        if text:
            level = heading_level(self.styles, sid, ppr)
            kind = "heading" if level is not None else ("list_item" if label else "paragraph")
            for k, piece in enumerate(split_soft_breaks(raw, text, label)):
                self.blocks.append(
                    Block(
                        index=len(self.blocks),
                        text=piece,
                        kind=kind if k == 0 else "paragraph",
                        label=label if k == 0 else None,
                        level=level if k == 0 else None,
                        bold=bold,
                        source=source if k == 0 else f"{source}.br{k}",
                    )
                )
        for i, tp in enumerate(_textbox_paragraphs(p)):
            t, lab, b = self.render_paragraph(tp)
            if t:
                self.blocks.append(
                    Block(
                        index=len(self.blocks),
                        text=t,
                        label=lab,
                        bold=b,
                        kind="list_item" if lab else "paragraph",
                        source=f"{source}.tb{i}",
                    )
                )

    def cell_text(self, tc, depth: int = 1) -> str:
        parts: list[str] = []
        for child in _body_children(tc):
            if child.tag == _w("p"):
                parts.append(self.render_paragraph(child)[0])
            elif child.tag == _w("tbl"):
                if depth >= MAX_TABLE_DEPTH:
                    raise InputError(self.path, "err.docx_too_deep", limit=MAX_TABLE_DEPTH)
                # the nested table's own rows only: each deeper table is rendered once, in its
                # cell (walking every descendant row at every level was exponential in depth)
                for _tr, row_tcs in _table_rows(child):
                    row = [self.cell_text(c, depth + 1) for c in row_tcs]
                    parts.append(" | ".join(c for c in row if c))
        return collapse(" ".join(x for x in parts if x))

    def table(self, tbl) -> None:
        tno = self.table_no
        self.table_no += 1
        rendered: dict[object, str] = {}  # keyed by the w:tc element (kept alive here)
        for r_i, (tr, row_tcs) in enumerate(_table_rows(tbl)):
            cells: list[str] = []
            prev_tc = None
            for tc in row_tcs:
                if tc is prev_tc:
                    continue
                prev_tc = tc
                if tc not in rendered:
                    rendered[tc] = self.cell_text(tc)
                cells.append(rendered[tc])
            trpr = tr.find(_w("trPr"))
            header = r_i == 0 or bool(trpr is not None and _on(trpr, "tblHeader"))
            if not any(c.strip() for c in cells):
                continue
            self.blocks.append(
                Block(
                    index=len(self.blocks),
                    text=" | ".join(cells),
                    kind="table_row",
                    cells=cells,
                    table=tno,
                    header_row=header,
                    source=f"t{tno}r{r_i}",
                )
            )


def _table_rows(tbl) -> Iterator[tuple[Any, list[Any]]]:
    """(w:tr, the w:tc holding each of its cells) for the table's own rows, in one pass.

    A cell continuing a vertical merge (``w:vMerge`` without "restart") stands for the cell
    that opened the merge at the same grid column, as python-docx renders it; the grid columns
    are counted from ``w:gridBefore`` and ``w:gridSpan`` without materialising them (a span of
    10^9 costs nothing), and the merge origin is looked up in a map (python-docx walks up one
    row per continued cell, quadratic and recursive on a long merge)."""
    origin: dict[int, Any] = {}  # grid column -> w:tc opening the vertical merge there
    for tr in tbl.findall(_w("tr")):
        trpr = tr.find(_w("trPr"))
        offset = _small_int(_val(trpr, "gridBefore"), 0, MAX_COUNTER) or 0
        tcs: list = []
        for tc in tr.findall(_w("tc")):
            tcpr = tc.find(_w("tcPr"))
            span = _small_int(_val(tcpr, "gridSpan"), 1, MAX_COUNTER) or 1
            vmerge = tcpr.find(_w("vMerge")) if tcpr is not None else None
            if vmerge is not None and vmerge.get(_w("val"), "continue") == "continue" and offset in origin:
                tcs.append(origin[offset])
            else:
                origin[offset] = tc
                tcs.append(tc)
            offset += span
        yield tr, tcs


def _body_children(el) -> Iterator:
    """Block-level children, descending into content controls (w:sdt) and custom XML."""
    for child in el:
        if child.tag in (_w("p"), _w("tbl")):
            yield child
        elif child.tag in (_w("sdt"), _w("customXml")):
            content = child.find(_w("sdtContent")) if child.tag == _w("sdt") else child
            if content is not None:
                yield from _body_children(content)


def _part_root(document, reltype_suffix: str):
    part = document.part
    for rel in part.rels.values():
        if rel.reltype.endswith(reltype_suffix) and not rel.is_external:
            target = rel.target_part
            element = getattr(target, "element", None)
            if element is not None:
                return element
            return etree.fromstring(target.blob, _SAFE_PARSER)
    return None


def read_docx(path: Path, data: bytes) -> ReadDocument:
    """Read a DOCX file into blocks (paragraphs, headings, list items, table rows)."""
    check_container(path, data)
    import docx  # python-docx
    from docx.exceptions import PythonDocxError
    from docx.opc.exceptions import OpcError

    try:
        document = docx.Document(io.BytesIO(data))
    except (*_MALFORMED, PythonDocxError, OpcError, zipfile.BadZipFile) as e:
        raise InputError(
            str(path), "err.docx_corrupt", detail=f"{type(e).__name__}: {str(e)[:80] or 'unreadable'}"
        ) from None
    root = document.element
    if root.tag != _w("document"):
        raise InputError(str(path), "err.docx_wrong_ns", tag=str(root.tag)[:80])
    body = root.find(_w("body"))
    if body is None:
        raise InputError(str(path), "err.docx_no_body_element")
    try:
        styles = _parse_styles(_part_root(document, "/styles"))
        numbering = Numbering.from_xml(_part_root(document, "/numbering"))
        for sid, st in styles.items():
            if st.num_id:
                numbering.style_num[sid] = st.num_id
        walker = _Walker(styles=styles, numbering=numbering, path=str(path))
        for child in _body_children(body):
            if child.tag == _w("p"):
                walker.paragraph(child)
            else:
                walker.table(child)
    except (*_MALFORMED, PythonDocxError) as e:
        # malformed parts python-docx accepted (odd attribute values, broken relationships)
        raise InputError(
            str(path), "err.docx_corrupt", detail=f"{type(e).__name__}: {str(e)[:80] or 'unreadable'}"
        ) from None
    blocks = walker.blocks
    repair_blocks(blocks)
    doc = ReadDocument(path=str(path), format="docx", sha256=sha256_of(data), blocks=blocks)
    return doc.reindex()


__all__ = ["read_docx", "Numbering", "format_number", "to_roman", "to_letters", "check_container"]
