"""Document metadata from the header block and the opening of a directive.

``extract_metadata(doc)`` reads, where the text states them (null otherwise, never invented):

* ``symbol``: "Số 02-KH/BCĐTW", "Số: 06/2026/TT-BXD", "Luật số: 109/2025/QH15" in the header
  (paragraphs or the cells of a layout table), else the host document of an appendix caption
  "(Kèm theo Quyết định số 123/QĐ-UBND …)";
* ``doc_type``: from the symbol, else the heading word (KẾ HOẠCH -> KH, THÔNG BÁO KẾT LUẬN -> TB),
  else the type part of a blank self-reference in the caption ("Nghị quyết số  /NQ-CP" -> NQ);
* ``title``: the words after the type heading (or after "PHỤ LỤC II");
* ``issuer``: the subject of the opening clause ("…, Ban Chỉ đạo Trung ương về … (sau đây gọi
  tắt là …) ban hành Kế hoạch"), with an abbreviation expanded only where the text itself writes
  the full form; else "của …" of the caption; else the header's issuing-body lines;
* ``issued_date`` and ``place``: "Hà Nội, ngày 19 tháng 6 năm 2025" in the header, or the date
  of the caption's host document; a date in the body ("Ngày 31/10/2025, đồng chí … chủ trì") is
  not the issue date;
* ``signer``: the name under the signature title ("K/T TRƯỞNG BAN / PHÓ TRƯỞNG BAN");
* ``implements``: the documents the title or opening says it carries out ("Thực hiện …",
  "Triển khai thực hiện …"), not those only listed under "Căn cứ".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from ..model import Block, DocumentMeta, ReadDocument
from ..normalise.text import fold
from .citations import (
    CitationResult,
    SymbolMatch,
    _type_words_re,
    _word_index,
    analyse_citations,
    date_after,
    find_blank_symbols,
    find_symbols,
    iso_date,
    issuer_after,
    load_data,
    type_of_word,
    word_before,
)
from .unitlists import is_unit_start, split_units

# how far into the document the header and the opening are looked for
MAX_HEADER_BLOCKS = 20
MAX_OPENING_BLOCKS = 8

_SECTION_HEADING = re.compile(
    r"^\s*(?:[IVXLC]{1,6}\s*[.\-–)]\s|[0-9]{1,2}(?:\.[0-9]{1,2})*[.)]\s|[a-zđ]\)\s|(?i:điều)\s+[0-9]+|"
    r"PHẦN\s|(?i:chương)\s+[IVXLC0-9]+|[A-ZĐ]\.\s|(?i:nơi nhận))"
)
_BODY_START = re.compile(
    r"^\s*[-+•*]?\s*(?:Căn cứ|Thực hiện|Triển khai|Ngày\s+\d|Sau khi|Để\s|Trên cơ sở|"
    r"Kính gửi|Theo đề nghị|Xét đề nghị|Nhằm\s)"
)
# a body start inside a block that also holds the title (text readers join them)
_BODY_START_INSIDE = re.compile(
    r"\s(?=(?:Căn cứ|Thực hiện|Triển khai thực hiện|Kính gửi|Theo đề nghị|"
    r"Xét đề nghị)\s)"
)
# the national / Party motto of a header's right column ("VIỆT NAM" alone is its wrapped tail)
_MOTTO = re.compile(
    r"ĐẢNG CỘNG SẢN VIỆT NAM|CỘNG H(?:OÀ|ÒA) XÃ HỘI CHỦ NGHĨA(?: VIỆT NAM)?|^\s*VIỆT NAM\s*$|"
    r"(?i:độc lập\s*[-–]\s*tự do\s*[-–]\s*hạnh phúc)"
)
_SEPARATOR = re.compile(r"(?:\s*(?:-{3,}|_{3,}|\*+|={3,}))+\s*$")
# "<place>, ngày …": the place's words are checked for title case in code (_place_of)
_PLACE_DATE = re.compile(
    r"(?P<place>(?:TP\.\s*)?[^\W\d_]+(?:\s+[^\W\d_]+){0,5})\s*,\s*(?i:ngày)\s+"
    r"(?:(?P<d>\d{1,2})\s+(?i:tháng)\s+(?P<m>\d{1,2})\s+(?i:năm)\s+(?P<y>\d{4})"
    r"|(?P<d2>\d{1,2})\s*[/.\-]\s*(?P<m2>\d{1,2})\s*[/.\-]\s*(?P<y2>\d{4}))"
)
_CAPTION = re.compile(r"^\s*\(?\s*(?i:ban hành\s+)?(?i:kèm theo)\s+")
_APPENDIX = re.compile(r"^\s*(?i:phụ lục)(?:\s+(?:số\s+)?[IVXLC0-9]+[a-z]?)?\s*[.:\-–]?\s*")


@dataclass(frozen=True)
class _Line:
    text: str
    start: int  # offset in ReadDocument.text
    block: int


def _block_lines(b: Block) -> list[_Line]:
    """The lines of a block; a table row gives the lines of each of its cells."""
    parts: list[str] = []
    if b.cells:
        for c in b.cells:
            parts.extend(re.split(r"\n|<br\s*/?>", c))
    else:
        parts = re.split(r"\n|<br\s*/?>", b.text)
    out = []
    pos = 0
    for p in parts:
        p = p.strip()
        if not p:
            continue
        i = b.text.find(p, pos)
        if i < 0:
            i = b.text.find(p)
        off = b.span[0] + max(i, 0)
        if i >= 0:
            pos = i + len(p)
        out.append(_Line(p, off, b.index))
    return out


def _is_title_word(w: str) -> bool:
    return w.isalpha() and w[0].isupper() and (len(w) == 1 or w[1:].islower())


def _place_of(m: re.Match[str]) -> str | None:
    """The place of a "<place>, ngày …" match: its trailing title-case words ("Hà Nội")."""
    words = m.group("place").split()
    keep: list[str] = []
    for w in reversed(words):
        if _is_title_word(w) or (w == "TP." and keep):
            keep.insert(0, w)
        else:
            break
    return " ".join(keep) or None


def _caps_run_start(text: str, s: int, e: int) -> int | None:
    """Start of a run of 3+ upper-case words after mixed-case words in text[s:e]: the authority
    line of a decision joined to its title ("… số 57-NQ/TW CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH …")."""
    words = list(re.finditer(r"\S+", text[s:e]))
    if not any(w.group().islower() for w in words):
        return None
    for i in range(1, len(words) - 2):
        run = [w.group() for w in words[i : i + 3]]
        if all(len(w) >= 2 and w.isalpha() and w.isupper() for w in run):
            return s + words[i].start()
    return None


def _is_upper_text(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _heading_type(text: str) -> tuple[str, int] | None:
    """(type, end of the heading words) when ``text`` starts with an upper-case type heading,
    possibly after the header's place and date or a separator line joined into the same block
    ("Hà Nội, ngày 22 tháng 6 năm 2023 LUẬT GIAO DỊCH ĐIỆN TỬ")."""
    found = _heading_at(text)
    if found:
        return found
    off = len(text) - len(text.lstrip(" -_*"))
    lead = _PLACE_DATE.match(text, off) or _SEPARATOR_LEAD.match(text)
    if lead and lead.end() < len(text):
        found = _heading_at(text[lead.end() :])
        if found:
            return found[0], lead.end() + found[1]
    return None


_SEPARATOR_LEAD = re.compile(r"^\s*(?:-{3,}|_{3,}|\*+)\s*")


def _heading_at(text: str) -> tuple[str, int] | None:
    """An upper-case type heading ("KẾ HOẠCH …"), or a block that is only a type word ("Kế hoạch")."""
    t = text.strip()
    lead = len(text) - len(text.lstrip())
    for name, dtype in _word_index():
        n = len(name)
        head = t[:n]
        if head.lower() != name or not (head.isupper() or len(t) == n):
            continue
        if len(t) > n and (t[n].isalnum()):
            continue
        return dtype.abbr, lead + n
    return None


@dataclass
class _Layout:
    heading: int | None  # index of the type-heading block
    heading_type: str | None
    header_end: int  # blocks [0, header_end) are the header zone
    title: str | None
    title_span: tuple[int, int] | None
    opening: tuple[int, int]  # span of the opening (after the title, before the first section)
    appendix: bool


def _is_section_block(b: Block) -> bool:
    if b.kind == "table_row" and b.cells and len([c for c in b.cells if c.strip()]) > 3:
        return True
    return bool(_SECTION_HEADING.match(b.text))


def _layout(doc: ReadDocument) -> _Layout:
    blocks = doc.blocks
    heading = heading_type = None
    appendix = False
    limit = min(len(blocks), MAX_HEADER_BLOCKS)
    for i in range(limit):
        b = blocks[i]
        if i > 0 and _is_section_block(b):
            break
        ht = _heading_type(b.text)
        if ht:
            heading, heading_type = i, ht[0]
            break
        if _APPENDIX.match(b.text) and _is_upper_text(b.text[:20]):
            heading, appendix = i, True
            break
    if heading is None:
        header_end = 0
        for i in range(limit):
            if (i > 0 and _is_section_block(blocks[i])) or _BODY_START.match(blocks[i].text):
                break
            header_end = i + 1
        return _Layout(None, None, header_end, None, None, _opening_span(doc, header_end, None), False)

    # the title: the rest of the heading block, else the next block(s) up to the body
    b = blocks[heading]
    found = _APPENDIX.match(b.text) if appendix else None
    ht = _heading_type(b.text)
    rest_at = found.end() if found else (ht[1] if ht else 0)
    parts: list[tuple[int, int]] = []
    if b.text[rest_at:].strip():
        parts.append((b.span[0] + rest_at, b.span[1]))
    j = heading + 1
    while not parts and j < len(blocks) and j <= heading + 2:
        nb = blocks[j]
        if (
            _is_section_block(nb)
            or _CAPTION.match(nb.text)
            or (_BODY_START.match(nb.text) and not nb.text.lstrip().startswith(("Thực hiện", "Triển khai")))
        ):
            break
        parts.append(nb.span)
        j += 1
    # a following block that continues the title (starts in lower case)
    while parts and j < len(blocks) and j <= heading + 3:
        nb = blocks[j]
        if nb.text[:1].islower() and not _is_section_block(nb) and nb.kind != "table_row":
            parts.append(nb.span)
            j += 1
        else:
            break
    title = title_span = None
    text = doc.text
    if parts:
        s, e = parts[0][0], parts[-1][1]
        seg = text[s:e]
        cut = _BODY_START_INSIDE.search(seg, 1)
        if cut:
            e = s + cut.start()
        cap = re.search(r"\s\((?i:ban hành\s+)?(?i:kèm theo)\s", text[s:e])
        if cap:
            e = s + cap.start()
        sep = _SEPARATOR.search(text, s, e)
        if sep:
            e = sep.start()
        caps = _caps_run_start(text, s, e)
        if caps is not None:
            e = caps
        title = re.sub(r"\s+", " ", text[s:e]).strip(" ,;:")
        title_span = (s, e)
    opening_from = title_span[1] if title_span else blocks[heading].span[1]
    return _Layout(
        heading,
        heading_type,
        heading + 1,
        title or None,
        title_span,
        _opening_span(doc, None, opening_from),
        appendix,
    )


def _opening_span(doc: ReadDocument, first_block: int | None, from_offset: int | None) -> tuple[int, int]:
    """From ``from_offset`` (or block ``first_block``) to the first section heading."""
    blocks = doc.blocks
    if from_offset is None:
        if first_block is None or first_block >= len(blocks):
            return (0, 0)
        from_offset = blocks[first_block].span[0]
    start_block = next((b.index for b in blocks if b.span[1] >= from_offset), len(blocks))
    end = from_offset
    for b in blocks[start_block : start_block + MAX_OPENING_BLOCKS]:
        if b.span[0] > from_offset and _is_section_block(b):
            break
        end = b.span[1]
    return (from_offset, max(from_offset, end))


# ---------------------------------------------------------------------------------------------
# Symbol, captions


def _scan_end(doc: ReadDocument) -> int:
    """First block of the body (an opening "Căn cứ …"/"Thực hiện …" or a section heading)."""
    limit = min(len(doc.blocks), MAX_HEADER_BLOCKS)
    for i in range(1, limit):
        b = doc.blocks[i]
        if _is_section_block(b) or _BODY_START.match(b.text):
            return i
    return limit


def _header_lines(doc: ReadDocument, lay: _Layout) -> list[_Line]:
    """Lines of the header zone: up to the type heading, and on to the body's first block (a
    header whose heading was missed, or read in another order, still gives its number and date)."""
    out: list[_Line] = []
    for b in doc.blocks[: max(lay.header_end, _scan_end(doc), 1)]:
        out.extend(_block_lines(b))
    return out


@cache
def _symbol_intro() -> re.Pattern[str]:
    """ "Số", "Số:", "SỐ:", and "Luật số:", "Nghị quyết số:" at the start of a header line."""
    return re.compile(
        r"(?<!\w)(?:(?P<tw>" + _type_words_re() + r")\s+(?:số|Số|SỐ)\s*:?"
        r"|(?:Số|SỐ)(?:\s+(?:(?i:ký)\s+)?(?i:hiệu))?\s*:?"  # "Số hiệu:", "Số ký hiệu:"
        r"|(?:số|Sô|S6|Sổ|Sỗ|Sộ|Só|Sồ)\s*:)\s*"
    )  # OCR slips keep the colon


def _symbol_in_line(line: _Line, next_line: _Line | None = None) -> SymbolMatch | None:
    """The document's own symbol on a header line: "Số 02-KH/BCĐTW", "Số: 06/2026/TT-BXD",
    "Luật số: 109/2025/QH15", at the start of the line or after the issuing body's capitals
    (columns joined by a reader) — not "… NGHỊ QUYẾT SỐ 57-NQ/TW" inside an upper-case title."""
    text = line.text
    for m in _symbol_intro().finditer(text):
        prefix = _MOTTO.sub(" ", text[: m.start()]).strip(" *-–_")
        if prefix:
            if m.group("tw") or not _is_upper_text(prefix):
                continue
            if m.group().lstrip().startswith("SỐ") and ":" not in m.group():
                continue  # "… CHUYỂN ĐỔI SỐ", "… NGHỊ QUYẾT SỐ 57-NQ/TW" in upper-case text
            if word_before(text, m.start()):
                continue  # "QUYẾT ĐỊNH SỐ …": a cited document, not the header's number
        rest = text[m.end() : m.end() + 80]
        if not rest.strip() and next_line is not None:
            rest = next_line.text[:80]  # "Số:" alone, the symbol on the next line
        found = find_symbols(rest)
        if found and found[0].start == 0:
            sm = found[0]
            if sm.type_part is None and m.group("tw"):
                # "Luật số: 20/2023/QH15": the word says what a typeless symbol is
                sm = replace(sm, word=m.group("tw"), doc_type=type_of_word(m.group("tw")) or sm.doc_type)
            return sm
    return None


def _header_symbol(doc: ReadDocument, lay: _Layout) -> SymbolMatch | None:
    lines = _header_lines(doc, lay)
    for i, line in enumerate(lines):
        sm = _symbol_in_line(line, lines[i + 1] if i + 1 < len(lines) else None)
        if sm:
            return sm
    # "Số" lost (OCR): a symbol opening a line above the type heading
    if lay.heading is not None:
        above = [ln for ln in lines if ln.block < lay.heading]
        for line in above:
            found = find_symbols(line.text)
            if found and found[0].start == 0:
                return found[0]
    return None


@dataclass(frozen=True)
class _Caption:
    block: int
    symbol: SymbolMatch | None
    blank_type: str | None
    blank_issuer: str | None
    date: str | None
    issuer: str | None
    span: tuple[int, int]


def _caption(b: Block) -> _Caption | None:
    """An appendix caption "(Kèm theo <type> số <symbol or blank> ngày … của …)"."""
    m = _CAPTION.match(b.text)
    if not m:
        return None
    body = b.text[m.end() :].rstrip(" )")
    syms = find_symbols(body)
    blanks = find_blank_symbols(body)
    first_sym = syms[0] if syms else None
    first_blank = blanks[0] if blanks else None
    if first_sym and (not first_blank or first_sym.start < first_blank.start):
        iso, after = date_after(body, first_sym.end)
        return _Caption(b.index, first_sym, None, None, iso, issuer_after(body, after), b.span)
    if first_blank:
        iso, after = date_after(body, first_blank.end)
        if iso is None:
            # "ngày     /11/2025": an incomplete date is no date
            after = first_blank.end
            dm = re.match(r"\s*,?\s*(?i:ngày)[^,;()]*?(?=\s*(?:,|của|\)|$))", body[after:])
            if dm:
                after += dm.end()
        return _Caption(
            b.index, None, first_blank.type_part, first_blank.issuer, iso, issuer_after(body, after), b.span
        )
    return None


def _header_caption(doc: ReadDocument, lay: _Layout) -> _Caption | None:
    start = lay.heading if lay.heading is not None else 0
    for b in doc.blocks[start : start + 4]:
        cap = _caption(b)
        if cap:
            return cap
    return None


def find_own_symbol(doc: ReadDocument) -> str | None:
    """The document's own symbol from its header ("Số 02-KH/BCĐTW") or from an appendix caption
    naming its host document; None when the text does not state it."""
    lay = _layout(doc)
    sm = _header_symbol(doc, lay)
    if sm:
        return sm.canonical
    cap = _header_caption(doc, lay)
    if cap and cap.symbol:
        return cap.symbol.canonical
    return None


_SUBJECT = re.compile(r"(?<!\w)(?:V/v|V/V|v/v)\s*:?\s*(?P<subject>\S.*)$")


def _letter_subject(doc: ReadDocument) -> str | None:
    """The subject line of an official letter ("V/v hướng dẫn …"), which stands for its title."""
    for b in doc.blocks[:MAX_HEADER_BLOCKS]:
        for line in _block_lines(b):
            m = _SUBJECT.search(line.text)
            if m:
                return re.sub(r"\s+", " ", m.group("subject")).strip()
    return None


# ---------------------------------------------------------------------------------------------
# Issuer


@cache
def _issuer_abbreviations() -> dict[str, str]:
    return dict(load_data("doc_types.toml").get("issuer_abbreviations", {}))


def expand_abbreviations(name: str, full_text: str) -> str:
    """Expand UBND, HĐND … in ``name`` only where ``full_text`` writes the full form somewhere."""
    folded = " " + fold(full_text) + " "
    out = name
    for abbr, full in _issuer_abbreviations().items():
        if re.search(rf"(?<!\w){re.escape(abbr)}(?!\w)", out) and f" {fold(full)} " in folded:
            out = re.sub(rf"(?<!\w){re.escape(abbr)}(?!\w)", full, out)
    if out and out[0].islower():
        out = out[0].upper() + out[1:]
    return out


@cache
def _issue_verb_re() -> re.Pattern[str]:
    return re.compile(
        r"\s(?:(?i:ban hành)|(?i:xây dựng)|(?i:triển khai xây dựng))\s+(?:" + _type_words_re() + r")(?!\w)"
    )


_ALIAS_PAREN = re.compile(
    r"\(\s*(?i:sau đây gọi tắt là|sau đây viết tắt là|sau đây gọi là|gọi tắt là|viết tắt là)?\s*"
    r"(?P<alias>[^()]{2,80})\)\s*$"
)


def _subject_before(text: str, end: int, floor: int) -> str | None:
    """The subject of a clause whose verb starts at ``end`` ("…; UBND phường X xây dựng …")."""
    pre = text[floor:end].rstrip()
    alias = None
    am = _ALIAS_PAREN.search(pre)
    if am:
        alias = am.group("alias").strip()
        pre = pre[: am.start()].rstrip()
    cut_at = max(pre.rfind(";"), pre.rfind("\n"), pre.rfind(":"))
    clause = pre[cut_at + 1 :]
    subject = None
    if alias:
        head = " ".join(alias.split()[:2])
        i = clause.rfind(head)
        if i >= 0:
            subject = clause[i:]
    if subject is None:
        # back to a comma after which the clause starts with a capital letter
        pieces = clause.split(",")
        for k in range(len(pieces) - 1, -1, -1):
            cand = ",".join(pieces[k:]).strip()
            if cand[:1].isupper():
                subject = cand
                break
        if subject:
            # "Ủy ban Khoa học, Công nghệ và Môi trường": a name that holds commas is one unit
            units = split_units(clause)
            if units and units[-1].endswith(subject.strip()) and is_unit_start(units[-1]):
                subject = units[-1]
    if not subject:
        return None
    subject = re.sub(r"\s+", " ", subject).strip(" ,-–")
    subject = re.sub(r"^(?:[-+•]\s*)?(?:Căn cứ|Thực hiện)\s.*$", "", subject)
    words = subject.split()
    if not words or len(words) > 30 or not words[0][:1].isupper() or type_of_word(subject):
        return None
    return subject


def _issuer_from_opening(doc: ReadDocument, lay: _Layout) -> tuple[str | None, tuple[int, int] | None]:
    """(issuer, span of the issuing clause) from "… X ban hành Kế hoạch …" in the opening."""
    text = doc.text
    s, e = lay.opening
    if e <= s:
        return None, None
    for m in _issue_verb_re().finditer(text, s, e):
        subject = _subject_before(text, m.start(), s)
        if subject is None:
            continue  # "Căn cứ Quyết định … về việc ban hành Quy chế …" names no issuer
        clause_end = re.compile(r"[;.](?=\s|$)|\n").search(text, m.end(), e)
        clause_start = text.rfind(subject, s, m.start())
        span = (clause_start if clause_start >= 0 else m.start(), clause_end.start() if clause_end else e)
        return subject, span
    return None, None


_NUMBER_LINE = re.compile(r"(?:^|\s)(?:(?:Luật|LUẬT)\s+)?(?:Số|SỐ|số)\s*(?::|[0-9O…._/\-])")


def _issuer_from_header(doc: ReadDocument, lay: _Layout) -> str | None:
    """Upper-case issuing-body lines of the header (left column) above "Số …", motto removed."""
    names: list[str] = []
    for line in _header_lines(doc, lay):
        t = line.text
        number = _NUMBER_LINE.search(t)
        if number:
            t = t[: number.start()]
        t = _PLACE_DATE.sub(" ", _MOTTO.sub(" ", t))
        t = re.sub(r"\s*(?:-{2,}|_{2,}|\*+|\|)\s*", " ", t).strip(" -–")
        if t:
            if _heading_type(t) or not _is_upper_text(t):
                break
            names.append(t)
        if number:
            break
    name = " ".join(names).strip()
    return re.sub(r"\s+", " ", name) or None


# ---------------------------------------------------------------------------------------------
# Date, signer


def _header_date(doc: ReadDocument, lay: _Layout) -> tuple[str | None, str | None]:
    for line in _header_lines(doc, lay):
        m = _PLACE_DATE.search(line.text)
        if m:
            if m.group("d"):
                iso = iso_date(m.group("d"), m.group("m"), m.group("y"))
            else:
                iso = iso_date(m.group("d2"), m.group("m2"), m.group("y2"))
            place = _place_of(m)
            if place is None:
                continue
            return iso, place
    return None, None


_ROLE = re.compile(
    r"(?<!\w)(?:TRƯỞNG|CHỦ TỊCH|GIÁM ĐỐC|BÍ THƯ|THỦ TƯỚNG|CHÁNH VĂN PHÒNG|CHÁNH ÁN|"
    r"VIỆN TRƯỞNG|TỔNG THƯ KÝ|ỦY VIÊN|UỶ VIÊN|HIỆU TRƯỞNG|THỦ TRƯỞNG)(?!\w)"
)
_NOT_NAME = {
    "ban",
    "bộ",
    "sở",
    "phòng",
    "văn",
    "ủy",
    "uỷ",
    "trung",
    "công",
    "nơi",
    "lưu",
    "các",
    "hội",
    "cục",
    "viện",
    "tòa",
    "toà",
    "đảng",
    "thành",
    "tỉnh",
    "như",
    "chủ",
    "phó",
    "giám",
    "trưởng",
    "thường",
    "ủy ban",
    "tổ",
    "đoàn",
    "kế",
    "thông",
    "nghị",
    "quyết",
    "chỉ",
    "đã",
    "trên",
    "phụ",
    "kính",
    "nhận",
    "lãnh",
}
_SIGNED = re.compile(r"^\(?\s*(?i:đã ký|ký|kí|đã kí|\[?chữ ký\]?|signed)\s*\)?\.?$")


def _person(text: str) -> str | None:
    """A person's name: 2-5 title-case words, not the start of a unit's name."""
    words = text.split()
    if not 2 <= len(words) <= 5 or not all(_is_title_word(w) for w in words):
        return None
    if fold(words[0]) in {fold(w) for w in _NOT_NAME}:
        return None
    return " ".join(words)


def _trailing_person(text: str) -> tuple[int, str] | None:
    """A name at the end of a line after upper-case words ("… CHỦ TỊCH Cao Huy Hiếu")."""
    words = list(re.finditer(r"\S+", text))
    k = len(words)
    while k > 0 and _is_title_word(words[k - 1].group()):
        k -= 1
    k = max(k, len(words) - 5)
    if k == 0 or len(words) - k < 2:
        return None
    name = _person(" ".join(w.group() for w in words[k:]))
    return (words[k].start(), name) if name else None


def _signer(doc: ReadDocument) -> str | None:
    lines: list[_Line] = []
    for b in doc.blocks:
        lines.extend(_block_lines(b))
    return _signer_under_title(lines) or _signer_after_recipients(lines)


def _signer_after_recipients(lines: list[_Line]) -> str | None:
    """A name closing the recipients list ("Nơi nhận: …") when the signature title is lost
    (a stamp over it in a scan)."""
    recipients = max(
        (i for i, line in enumerate(lines) if re.match(r"(?i)\s*nơi nhận", line.text)), default=None
    )
    if recipients is None:
        return None
    for line in lines[recipients + 1 : recipients + 40]:
        t = line.text.strip()
        if t.startswith(("-", "+", "•")) or _SIGNED.match(t) or not t:
            continue
        person = _person(t)
        if person:
            return person
    return None


def _signer_under_title(lines: list[_Line]) -> str | None:
    for i, line in enumerate(lines):
        t = line.text.strip()
        if not t or len(t.split()) > 16:
            continue
        # role and name in one line ("TM. UỶ BAN NHÂN DÂN CHỦ TỊCH Cao Huy Hiếu")
        tail = _trailing_person(t)
        if tail and _ROLE.search(t[: tail[0]]) and _is_upper_text(t[: tail[0]]):
            return tail[1]
        if not (_is_upper_text(t) and _ROLE.search(t)):
            continue
        for nxt in lines[i + 1 : i + 5]:
            n = nxt.text.strip()
            if not n or _SIGNED.match(n):
                continue
            if _is_upper_text(n) and _ROLE.search(n):
                continue  # a second title line ("PHÓ TRƯỞNG BAN")
            person = _person(n)
            if person:
                return person
            if n.isupper() and 2 <= len(n.split()) <= 5 and not _ROLE.search(n):
                return n  # a name written in capitals
            break
    return None


# ---------------------------------------------------------------------------------------------
# Implements

_TRIGGER = re.compile(
    r"(?<!\w)(?i:triển khai thực hiện|tổ chức thực hiện|thực hiện|triển khai|cụ thể hóa|"
    r"cụ thể hoá)(?!\w)"
)
_NOT_TRIGGER_BEFORE = re.compile(
    r"(?i:tình hình|kết quả|sơ kết|tổng kết|đánh giá|quá trình|việc|"
    r"báo cáo|giám sát|kiểm tra|chỉ đạo)\s*$"
)
_SEGMENT_LEAD = re.compile(r"^[\s\-+•*]*(?:(?i:và)\s+)?")
_MODE = [
    (re.compile(r"(?i:triển khai thực hiện|tổ chức thực hiện|thực hiện|triển khai)(?!\w)"), "implements"),
    (re.compile(r"(?i:căn cứ)(?!\w)"), "basis"),
    (re.compile(r"(?i:theo đề nghị|xét đề nghị|theo|xét)(?!\w)"), "other"),
]
WINDOW_WORDS = 8
HEAD_WORDS = 4


def _inline_implements(text: str, span: tuple[int, int], cites: CitationResult) -> list[str]:
    """ "… thực hiện [up to 8 words] <citation>" inside ``span``."""
    out: list[str] = []
    s, e = span
    triggers = [
        m
        for m in _TRIGGER.finditer(text, s, e)
        if not _NOT_TRIGGER_BEFORE.search(text, max(s, m.start() - 20), m.start())
    ]
    for k, t in enumerate(triggers):
        stop = triggers[k + 1].start() if k + 1 < len(triggers) else e
        for m in cites.mentions_in(t.end(), stop):
            gap = text[t.end() : m.start]
            if re.search(r"[;.:()]", gap) or len(gap.split()) > WINDOW_WORDS:
                break
            out.append(m.key)
            break
    return out


def _segment_implements(text: str, span: tuple[int, int], cites: CitationResult) -> list[str]:
    """The preamble "Thực hiện A, …; B, …; C, …": the head citation of every list item."""
    out: list[str] = []
    mode = "other"
    s, e = span
    pos = s
    for piece in re.split(r"(;|\n)", text[s:e]):
        if piece in (";", "\n"):
            pos += len(piece)
            continue
        lead_m = _SEGMENT_LEAD.match(piece)
        seg_start = pos + (len(lead_m.group()) if lead_m else 0)
        pos += len(piece)
        head = text[seg_start:pos]
        for rx, name in _MODE:
            mm = rx.match(head)
            if mm:
                mode = name
                seg_start += mm.end()
                break
        if mode != "implements":
            continue
        ms = cites.mentions_in(seg_start, pos)
        if ms and len(text[seg_start : ms[0].start].split()) <= HEAD_WORDS:
            out.append(ms[0].key)
    return out


def _implements(
    doc: ReadDocument,
    lay: _Layout,
    clause: tuple[int, int] | None,
    caption: _Caption | None,
    cites: CitationResult,
) -> list[str]:
    text = doc.text
    found: list[str] = []
    if lay.title_span:
        found += _inline_implements(text, lay.title_span, cites)
    if caption:
        found += _inline_implements(text, caption.span, cites)
    s, e = lay.opening
    preamble_end = clause[0] if clause else e
    if preamble_end > s:
        found += _segment_implements(text, (s, preamble_end), cites)
    if clause:
        found += _inline_implements(text, clause, cites)
    own = cites.own_symbol
    out: list[str] = []
    for key in found:
        if key != own and key not in out and not key.startswith(("Luật ", "Bộ luật ", "Pháp lệnh ")):
            out.append(key)
    return out


# ---------------------------------------------------------------------------------------------


def extract_metadata(doc: ReadDocument, citations: CitationResult | None = None) -> DocumentMeta:
    """Header and opening fields of ``doc``; unknown values stay None / []."""
    if not doc.blocks:
        return DocumentMeta()
    lay = _layout(doc)
    meta = DocumentMeta()

    own = _header_symbol(doc, lay)
    caption = _header_caption(doc, lay)
    if own is None and caption and caption.symbol:
        own = caption.symbol
    meta.symbol = own.canonical if own else None

    if own is not None and own.type_part is None and own.word is None and lay.heading_type:
        meta.doc_type = lay.heading_type  # a typeless symbol (QH15) under the heading LUẬT
    else:
        meta.doc_type = (own.doc_type if own else None) or lay.heading_type
    if meta.doc_type is None and caption and caption.blank_type:
        meta.doc_type = caption.blank_type
    meta.title = lay.title or _letter_subject(doc)

    if citations is None:
        citations = analyse_citations(doc, own_symbol=meta.symbol or "")

    subject, clause = _issuer_from_opening(doc, lay)
    issuer = subject
    if issuer is None and caption and caption.issuer:
        issuer = caption.issuer
    if issuer is None:
        # a self-reference caption of an appendix further on ("kèm theo Thông báo số -TB/VPTU …
        # của Văn phòng Thành uỷ") names the issuer of this document
        for b in doc.blocks:
            cap = _caption(b) if _CAPTION.match(b.text) else None
            if cap and cap.symbol is None and cap.issuer and cap.blank_type == meta.doc_type:
                issuer = cap.issuer
                break
    if issuer is None:
        issuer = _issuer_from_header(doc, lay)
    meta.issuer = expand_abbreviations(issuer, doc.text) if issuer else None

    iso, place = _header_date(doc, lay)
    if iso is None and caption and caption.date and (caption.symbol is None or own is caption.symbol):
        iso = caption.date
    meta.issued_date = iso
    meta.place = place
    meta.signer = _signer(doc)
    meta.implements = _implements(doc, lay, clause, caption, citations)
    return meta


__all__ = ["expand_abbreviations", "extract_metadata", "find_own_symbol"]
