"""Citations: find, normalise and resolve the documents a directive cites.

The grammar lives in data (``gazetteers/symbol_patterns.toml``, ``doc_types.toml``,
``laws.toml``); this module compiles it and runs it in passes, like eyecite:

1. ``find_symbols`` finds full document symbols (Party ``02-KH/BCĐTW``, State normative
   ``118/2025/NĐ-CP``, National Assembly ``33/2021/QH15``, State other ``06/QĐ-TTg``, letters
   ``3990/UBND-ĐMPT``), tolerant of OCR noise, and gives each its canonical form.
2. ``find_named_laws`` finds laws cited by name ("Luật Dữ liệu") and gives a stable name key.
3. ``analyse_citations`` resolves, within one document, symbols written in the wrong style,
   alias definitions ("(sau đây viết tắt là Đề án 06)") and short references ("Kế hoạch 02"),
   failing closed: a short form with no unique antecedent is not a citation.

Canonical symbols follow spec section 1 "Canonical document symbol".
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from ..model import Citation, ReadDocument
from ..normalise.text import fold
from ..resources import data_dir

# ---------------------------------------------------------------------------------------------
# Data files


def gazetteer_dir() -> Path:
    """Folder of the data files (``resources.data_dir``: $DIRECTIVE_NLP_DATA, else gazetteers/)."""
    return data_dir()


@cache
def load_data(name: str) -> dict[str, Any]:
    """Parse one TOML data file of the gazetteer folder (cached)."""
    with open(gazetteer_dir() / name, "rb") as fh:
        return tomllib.load(fh)


@dataclass(frozen=True)
class DocType:
    abbr: str
    names: tuple[str, ...]
    also: tuple[str, ...] = ()
    in_symbol: bool = True


@cache
def doc_types() -> tuple[DocType, ...]:
    out = []
    for t in load_data("doc_types.toml")["type"]:
        out.append(
            DocType(
                abbr=t["abbr"],
                names=tuple(t.get("names", [])),
                also=tuple(t.get("also", [])),
                in_symbol=t.get("symbol", True),
            )
        )
    return tuple(out)


@cache
def _abbr_index() -> dict[str, str]:
    """Upper-cased abbreviation -> canonical spelling ("QYĐ" -> "QyĐ"). Đ and D stay apart."""
    return {t.abbr.upper(): t.abbr for t in doc_types()}


@cache
def _word_index() -> tuple[tuple[str, DocType], ...]:
    """(lower-cased type word, type), longest word first."""
    pairs = [(n.lower(), t) for t in doc_types() for n in t.names]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def _alternation(items: Iterable[str]) -> str:
    return "|".join(re.escape(s) for s in sorted(set(items), key=lambda s: (-len(s), s)))


@cache
def _type_words_re() -> str:
    """Regex alternation of all type words, case-insensitive, whitespace-tolerant."""
    words = {n for t in doc_types() for n in t.names}
    alts = sorted(words, key=lambda s: -len(s))
    body = "|".join(r"\s+".join(re.escape(w) for w in a.split()) for a in alts)
    return f"(?i:{body})"


# ---------------------------------------------------------------------------------------------
# Compiled symbol grammar

_PLACEHOLDER = re.compile(r"<<(\w+)>>")
# 1:1 look-alike repairs applied before matching (offsets are kept)
_MATCH_FIX = str.maketrans(
    {
        "\u00d0": "\u0110",
        "\u00f0": "\u0111",
        "\u0189": "\u0110",
        "\u041e": "O",
        "\u2010": "-",
        "\u2011": "-",
        "\u00a0": " ",
    }
)
_LEFT_EDGE = r"(?<![\w/.\-\u2010\u2011\u2013])(?<!\d:)"
_DATE_WORD_BEFORE = re.compile(r"(?i)(?:năm|tháng|ngày|quý)\s*$")


@dataclass(frozen=True)
class SymbolPattern:
    name: str
    regex: re.Pattern[str]
    canonical: str
    examples: tuple[dict[str, str], ...]
    counter_examples: tuple[str, ...]


def _expand(template: str, pieces: dict[str, str], depth: int = 0) -> str:
    if depth > 8:
        raise ValueError(f"symbol_patterns.toml: placeholders nest too deep in {template!r}")

    def sub(m: re.Match[str]) -> str:
        key = m.group(1)
        if key not in pieces:
            raise KeyError(f"symbol_patterns.toml: unknown piece <<{key}>>")
        return _expand(pieces[key], pieces, depth + 1)

    return _PLACEHOLDER.sub(sub, template)


@cache
def _pieces() -> dict[str, str]:
    data = load_data("symbol_patterns.toml")
    pieces = dict(data["pieces"])
    issuers = data.get("issuers", {})
    pieces["types"] = "(?i:" + _alternation(t.abbr for t in doc_types() if t.in_symbol) + ")"
    mixed = issuers.get("mixed_case", [])
    pieces["mixed_case"] = "(?i:" + _alternation(mixed) + ")" if mixed else "(?!)"
    glue = issuers.get("glue_issuers", [])
    pieces["glue_issuers"] = "(?i:" + _alternation(glue) + ")" if glue else "(?!)"
    pieces["type_words"] = _type_words_re()
    return pieces


@cache
def symbol_patterns() -> tuple[SymbolPattern, ...]:
    data = load_data("symbol_patterns.toml")
    pieces = _pieces()
    out = []
    for p in data["pattern"]:
        rx = re.compile(_LEFT_EDGE + _expand(p["regex"], pieces))
        out.append(
            SymbolPattern(
                name=p["name"],
                regex=rx,
                canonical=p["canonical"],
                examples=tuple(p.get("examples", [])),
                counter_examples=tuple(p.get("counter_examples", [])),
            )
        )
    return tuple(out)


@cache
def _section_regex(section: str) -> re.Pattern[str]:
    return re.compile(_expand(load_data("symbol_patterns.toml")[section]["regex"], _pieces()))


@cache
def _mixed_case() -> dict[str, str]:
    return {m.upper(): m for m in load_data("symbol_patterns.toml").get("issuers", {}).get("mixed_case", [])}


def _canon_segment(seg: str) -> str:
    seg = seg.translate(_MATCH_FIX).strip()
    return _mixed_case().get(seg.upper(), seg.upper())


def _canon_issuer(issuer: str) -> str:
    return "-".join(_canon_segment(s) for s in re.split(r"\s*-\s*", issuer.strip()) if s)


def _canon_type(t: str) -> str:
    return _abbr_index().get(t.strip().upper(), t.strip())


def _canon_number(n: str) -> str:
    return n.strip().replace("O", "0")


# ---------------------------------------------------------------------------------------------
# Dates


_DATE_RE = re.compile(
    r"(?P<d>\d{1,2})\s*[/\-.]\s*(?P<m>\d{1,2})\s*[/\-.]\s*(?P<y>\d{4})(?!\d)"
    r"|(?P<d2>\d{1,2})\s+(?i:tháng)\s+(?P<m2>\d{1,2})\s*,?\s+(?i:năm)\s+(?P<y2>\d{4})(?!\d)"
)


def iso_date(day: int | str, month: int | str, year: int | str) -> str | None:
    """ISO date string, or None when the parts are not a real date."""
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except (TypeError, ValueError):
        return None


def date_from_match(m: re.Match[str]) -> str | None:
    if m.group("d"):
        return iso_date(m.group("d"), m.group("m"), m.group("y"))
    return iso_date(m.group("d2"), m.group("m2"), m.group("y2"))


def parse_date(text: str) -> str | None:
    """First complete date in ``text`` ("22/12/2024", "22 tháng 12 năm 2024") as ISO, or None."""
    for m in _DATE_RE.finditer(text):
        iso = date_from_match(m)
        if iso:
            return iso
    return None


# the words that may stand between a symbol and its date: ", ngày", " năm 2024 ngày", " ban hành ngày"
_AFTER_SYMBOL = re.compile(
    r"\s*[,)]?\s*(?:(?i:năm)\s+\d{4}\s*,?\s*)?(?:(?i:ban hành)\s+)?"
    r"(?P<ngay>(?i:ngày)\s*:?\s*)?"
)
_ISSUER_INTRO = re.compile(r"\s*,?\s*(?i:của|do)\s+")
_ISSUER_STOP_RX = (
    r"\s+(?i:về|quy định|phê duyệt|ban hành|hướng dẫn|sửa đổi|thực hiện|triển khai|và các|và những|"
    r"đã|được|tại|trong|theo|để|nhằm|với|cho|khi|từ|đến|năm|ngày|là|thì|có|sau|trước|đối với)(?!\w)"
    r"|\s+(?i:và|,)\s+(?:{words})(?!\w)"
    r"|\s*[,;:()\[\]|\n.\u201c\u201d\"]|\s+[-\u2013]\s|$"
)


@cache
def _issuer_stop() -> re.Pattern[str]:
    return re.compile(_ISSUER_STOP_RX.format(words=_type_words_re()))


def date_after(text: str, pos: int) -> tuple[str | None, int]:
    """The date written right after position ``pos`` (after a symbol), and where it ends."""
    m = _AFTER_SYMBOL.match(text, pos)
    if not m:
        return None, pos
    d = _DATE_RE.match(text, m.end())
    if d and (m.group("ngay") or m.end() - pos <= 3):
        iso = date_from_match(d)
        if iso:
            return iso, d.end()
    return None, pos


def issuer_after(text: str, pos: int) -> str | None:
    """The issuer named right after ``pos`` ("của Bộ Chính trị về …" -> "Bộ Chính trị")."""
    m = _ISSUER_INTRO.match(text, pos)
    if not m:
        return None
    start = m.end()
    if start >= len(text) or not text[start].isupper():
        return None
    limit = min(len(text), start + 160)
    stop = _issuer_stop().search(text, start, limit)
    end = stop.start() if stop else limit
    name = re.sub(r"\s+", " ", text[start:end]).strip(" ,")
    words = name.split()
    if not words or len(words) > 16:
        return None
    return name


# ---------------------------------------------------------------------------------------------
# Symbols


@dataclass(frozen=True)
class SymbolMatch:
    """One document symbol found in a text."""

    start: int
    end: int
    raw: str
    canonical: str
    style: str  # pattern name: party, state_normative, assembly, state_other, letter, …
    number: str
    year: str | None
    type_part: str | None  # canonical type abbreviation of the symbol, if it has one
    issuer: str  # canonical issuer part (for a letter: ORG-UNIT)
    word: str | None = None  # the type word written before it ("Nghị quyết", "Luật")
    doc_type: str | None = None

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)

    @property
    def type(self) -> str | None:
        """The document type (same as ``doc_type``)."""
        return self.doc_type

    @property
    def style_key(self) -> tuple[int, str, str | None]:
        """Identity of the document whatever the style it is written in."""
        issuer = self.issuer
        if self.type_part:
            issuer = self.type_part.upper() + "|" + issuer.upper()
        return (int(self.number), issuer.upper(), self.year)


@cache
def _type_word_re() -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + _type_words_re() + r")(?!\w)")


# what may stand between a type word and its symbol: a few words and "số"
_WORD_GAP = re.compile(r"(?:\s+[^\s\d;,.()]+){0,5}?\s+(?:(?i:số)\s*:?\s*)?")


def word_before(text: str, end: int, reach: int = 80) -> str | None:
    """The type word nearest before ``end`` ("theo quy định tại Nghị quyết số " -> "Nghị quyết";
    "Pháp lệnh số " -> "Pháp lệnh" whole, never its last word alone)."""
    start = max(0, end - reach)
    best = None
    for m in _type_word_re().finditer(text, start, end):
        if _WORD_GAP.fullmatch(text, m.end(), end):
            best = m
    return re.sub(r"\s+", " ", best.group()) if best else None


def type_of_word(word: str) -> str | None:
    """Type abbreviation of a type word at the start of ``word`` ("Nghị quyết số …" -> "NQ")."""
    w = re.sub(r"\s+", " ", word.strip()).lower()
    for name, t in _word_index():
        if w == name or (w.startswith(name) and not w[len(name)].isalnum()):
            return t.abbr
    return None


def _style_default(style: str) -> str | None:
    return {"assembly": "NQ", "letter": "CV"}.get(style)


def _build_match(p: SymbolPattern, m: re.Match[str], text: str) -> SymbolMatch | None:
    gd = m.groupdict()
    number = _canon_number(gd["number"])
    year = _canon_number(gd["year"]) if gd.get("year") else None
    type_part = _canon_type(gd["type"]) if gd.get("type") else None
    issuer = _canon_issuer(gd["issuer"])
    parts = {"number": number, "year": year or "", "type": type_part or "", "issuer": issuer}
    if gd.get("org"):
        org = _canon_segment(gd["org"])
        if org.upper() in _abbr_index():  # a letter's ORG part is never a type abbreviation
            return None
        parts["org"] = org
        issuer = f"{org}-{issuer}"
    canonical = unicodedata.normalize("NFC", p.canonical.format(**parts))
    word = word_before(text, m.start())
    doc_type = type_part or (type_of_word(word) if word else None) or _style_default(p.name)
    return SymbolMatch(
        start=m.start(),
        end=m.end(),
        raw=text[m.start() : m.end()],
        canonical=canonical,
        style=p.name,
        number=number,
        year=year,
        type_part=type_part,
        issuer=issuer,
        word=word,
        doc_type=doc_type,
    )


def find_symbols(text: str) -> list[SymbolMatch]:
    """All full document symbols in ``text``, in order, with canonical forms.

    Patterns are tried in the order of symbol_patterns.toml; an earlier pattern keeps a span that
    a later one also matches. A number right after a date word ("năm 2025 /NQ-CP") is not a
    symbol's number.
    """
    fixed = text.translate(_MATCH_FIX)
    taken: list[tuple[int, int]] = []
    out: list[SymbolMatch] = []
    for p in symbol_patterns():
        for m in p.regex.finditer(fixed):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            if _DATE_WORD_BEFORE.search(fixed, max(0, m.start() - 8), m.start()):
                continue
            sm = _build_match(p, m, fixed)
            if sm is None:
                continue
            sm = replace(sm, raw=text[sm.start : sm.end])
            taken.append((m.start(), m.end()))
            out.append(sm)
    out.sort(key=lambda s: s.start)
    return out


def canonical_symbol(raw: str) -> str | None:
    """Canonical form of the first document symbol in ``raw`` ("02- KH/BCĐTW" -> "02-KH/BCĐTW"),
    or None when ``raw`` holds no symbol. Type words around it are allowed
    ("Nghị quyết số 57-\\nNQ/TW" -> "57-NQ/TW")."""
    if not raw:
        return None
    found = find_symbols(unicodedata.normalize("NFC", raw))
    return found[0].canonical if found else None


def doc_type_of(symbol_or_words: str) -> str | None:
    """Type abbreviation of a symbol or of type words.

    From the symbol's type part ("57-NQ/TW" -> NQ); for a symbol without one, from the type word
    before it ("Luật số 109/2025/QH15" -> L) or the style default (National Assembly -> NQ,
    letter -> CV); for words, from the leading type word ("THÔNG BÁO KẾT LUẬN" -> TB); an
    abbreviation alone maps to itself ("HD" -> HD, never HĐ).
    """
    s = unicodedata.normalize("NFC", (symbol_or_words or "").translate(_MATCH_FIX)).strip()
    if not s:
        return None
    found = find_symbols(s)
    if found:
        return found[0].doc_type
    if s.upper() in _abbr_index() and " " not in s:
        # an abbreviation alone: exact spelling up to case, Đ never folded
        return _abbr_index()[s.upper()]
    return type_of_word(s)


# ---------------------------------------------------------------------------------------------
# Blank self-references, short forms, aliases


@dataclass(frozen=True)
class BlankSymbol:
    """A symbol whose number was left blank ("Thông báo số      -TB/VPTU")."""

    start: int
    end: int
    type_part: str
    issuer: str
    style: str  # party | state


def find_blank_symbols(text: str) -> list[BlankSymbol]:
    out = []
    for m in _section_regex("blank").finditer(text.translate(_MATCH_FIX)):
        style = "party" if m.group("sep") == "-" else "state"
        out.append(
            BlankSymbol(
                m.start(), m.end(), _canon_type(m.group("type")), _canon_issuer(m.group("issuer")), style
            )
        )
    return out


@dataclass(frozen=True)
class ShortForm:
    start: int
    end: int
    words: str
    number: str
    types: frozenset[str]


def find_short_forms(text: str) -> list[ShortForm]:
    """ "Kế hoạch 02", "Nghị quyết số 57": a type word and a bare number."""
    out = []
    for m in _section_regex("short_form").finditer(text):
        words = re.sub(r"\s+", " ", m.group("words"))
        abbr = type_of_word(words)
        if abbr is None:
            continue
        t = next(t for t in doc_types() if t.abbr == abbr)
        out.append(ShortForm(m.start(), m.end(), words, m.group("number"), frozenset((abbr, *t.also))))
    return out


@dataclass(frozen=True)
class AliasDefinition:
    start: int  # the opening parenthesis
    end: int
    alias: str


def find_alias_definitions(text: str) -> list[AliasDefinition]:
    out = []
    for m in _section_regex("alias").finditer(text):
        alias = re.sub(r"\s+", " ", m.group("alias")).strip(" ,.")
        if alias:
            out.append(AliasDefinition(m.start(), m.end(), alias))
    return out


# ---------------------------------------------------------------------------------------------
# Laws cited by name


@dataclass(frozen=True)
class NamedLaw:
    start: int
    end: int
    key: str  # "Luật Giao dịch điện tử 2023"
    doc_type: str
    symbol: SymbolMatch | None = None  # "Luật … số 20/2023/QH15": the law's own symbol


@cache
def _law_config() -> dict[str, Any]:
    return load_data("symbol_patterns.toml")["named_law"]


@cache
def _heads_re() -> re.Pattern[str]:
    heads = [h["head"] for h in _law_config()["heads"]]
    alts = []
    for h in sorted(heads, key=len, reverse=True):
        first, *rest = h.split()
        tail = "".join(r"\s+" + f"[{w[0].upper()}{w[0].lower()}]" + re.escape(w[1:]) for w in rest)
        alts.append(re.escape(first) + tail)
    return re.compile(r"(?<!\w)(?P<head>" + "|".join(alts) + r")[ \t]+(?=[^\W\d_])")


@cache
def _head_types() -> dict[str, str]:
    return {fold(h["head"]): h["doc_type"] for h in _law_config()["heads"]}


@cache
def _stop_words() -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    singles, pairs = set(), set()
    for w in _law_config()["stop_words"]:
        parts = w.split()
        if len(parts) == 1:
            singles.add(w)
        else:
            pairs.add((parts[0], parts[1]))
    return frozenset(singles), frozenset(pairs)


@cache
def _law_gazetteer() -> tuple[tuple[str, ...], ...]:
    """Folded word sequences (after the head word) of known law names, longest first."""
    heads = sorted((h["head"] for h in _law_config()["heads"]), key=len, reverse=True)
    seqs = set()
    for name in load_data("laws.toml")["names"]:
        for h in heads:
            if name.startswith(h + " "):
                seqs.add(tuple(fold(name[len(h) :]).split()))
                break
    return tuple(sorted(seqs, key=len, reverse=True))


_TOKEN = re.compile(r"[^\W_]+|\S")
_YEAR_AFTER = re.compile(
    r"\s*(?:\(\s*(?:(?i:năm)\s+)?(?P<y1>(?:19|20)\d{2})\s*\)|(?:(?i:năm)\s+)?(?P<y2>(?:19|20)\d{2}))(?![\d/\-])"
)
_SYMBOL_INTRO = re.compile(r"\s*,?\s*(?i:số)\s*:?\s*")


def _tokens(text: str, pos: int, limit: int) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text, pos, limit)]


def _word_run(text: str, pos: int) -> tuple[list[tuple[str, int, int]], list[str]]:
    """Words from ``pos`` to the first punctuation other than a comma (or the end of the line),
    and the separator between each word and the next ("" or ",")."""
    limit = text.find("\n", pos)
    limit = min(len(text) if limit < 0 else limit, pos + 400)
    words: list[tuple[str, int, int]] = []
    between: list[str] = []
    pending = ""
    for tok, s, e in _tokens(text, pos, limit):
        if tok[0].isalnum():
            if words:
                between.append(pending)
            words.append((tok, s, e))
            pending = ""
        elif tok == "," and words and not pending:
            pending = ","
        else:
            break
    between.append(pending)  # after the last word
    return words, between


def _gazetteer_prefix(words: list[tuple[str, int, int]]) -> int:
    """Length (in words) of the longest known law name the word run starts with."""
    folded = tuple(fold(w) for w, _, _ in words[:20])
    for seq in _law_gazetteer():
        if folded[: len(seq)] == seq:
            return len(seq)
    return 0


_DANGLING = frozenset({"và", "hoặc", "với", "cùng"})


def _name_extent(text: str, pos: int) -> int:
    """End offset of a law name whose first (capitalised) word starts at ``pos``."""
    cfg = _law_config()
    singles, pairs = _stop_words()
    words, between = _word_run(text, pos)
    if not words:
        return pos

    def stops(i: int) -> bool:
        w = words[i][0]
        if w.isdigit():
            return True
        if w[0].isupper() and fold(w) == "luật":  # the next law of a list
            return True
        if w.islower():
            if w in singles:
                return True
            if i + 1 < len(words) and between[i] == "" and (w, words[i + 1][0]) in pairs:
                return True
        return False

    def comma_run(n: int) -> int | None:
        """After "name," a short run up to a hard stop continues the name
        ("Luật Phòng, chống tham nhũng"); returns the new length or None."""
        j = n
        while j < len(words) and not stops(j):
            j += 1
            if between[j - 1] == ",":
                return None  # another comma: a list, not a name
        run = j - n
        if run == 0 or run > int(cfg.get("comma_max_words", 6)):
            return None
        return j

    known = _gazetteer_prefix(words)
    n = max(known, 1)
    max_words = max(int(cfg.get("max_words", 14)), known)
    while n < len(words) and n < max_words:
        if between[n - 1] == ",":
            if n == known:
                break  # a known name ends at its comma
            j = comma_run(n)
            if j is None:
                break
            n = j
            continue
        if stops(n):
            break
        n += 1
    while n > 1 and words[n - 1][0] in _DANGLING:
        n -= 1  # "Luật Đất đai và" + a stop: the conjunction belongs to the sentence
    return words[n - 1][2]


def find_named_laws(text: str) -> list[NamedLaw]:
    """Laws and codes cited by name, with stable keys ("Luật Dữ liệu", "Luật … 2023")."""
    out: list[NamedLaw] = []
    covered = 0
    for m in _heads_re().finditer(text):
        if m.start() < covered:
            continue
        pos = m.end()
        if not text[pos].isupper():
            continue
        end = _name_extent(text, pos)
        if end <= pos:
            continue
        name = re.sub(r"\s+", " ", text[pos:end]).strip(" ,")
        head = re.sub(r"\s+", " ", m.group("head"))
        key_end = end
        year = None
        ym = _YEAR_AFTER.match(text, end)
        if ym:
            year = ym.group("y1") or ym.group("y2")
            key_end = ym.end()
        symbol = None
        sm = _SYMBOL_INTRO.match(text, key_end)
        if sm:
            found = find_symbols(text[sm.end() : sm.end() + 60])
            if found and found[0].start == 0:
                f = found[0]
                symbol = replace(f, start=f.start + sm.end(), end=f.end + sm.end())
        key = f"{head} {name}" + (f" {year}" if year else "")
        doc_type = _head_types().get(fold(head), "L")
        out.append(NamedLaw(m.start(), key_end, unicodedata.normalize("NFC", key), doc_type, symbol))
        covered = key_end
    return out


# ---------------------------------------------------------------------------------------------
# Evidence sentences

_SENT_BREAK = re.compile(r"[.!?]+\s+|\n")


def _is_sentence_break(text: str, m: re.Match[str]) -> bool:
    if m.group() == "\n":
        return True
    nxt = text[m.end() : m.end() + 2].lstrip('"“(-–•* ')
    return bool(nxt) and (nxt[0].isupper() or nxt[0].isdigit())


def sentence_at(text: str, start: int, end: int, cap: int = 400) -> str:
    """The sentence of ``text`` around [start, end), trimmed to about ``cap`` characters."""
    left = max(0, start - 2000)
    for m in _SENT_BREAK.finditer(text, left, start):
        if _is_sentence_break(text, m):
            left = m.end()
    right = len(text)
    for m in _SENT_BREAK.finditer(text, end):
        if _is_sentence_break(text, m):
            right = m.start() + (1 if m.group() != "\n" else 0)
            break
    s, e = left, right
    if e - s > cap:
        s = max(s, start - cap // 2)
        e = min(e, end + cap // 2)
    return re.sub(r"\s+", " ", text[s:e]).strip(" |")


# ---------------------------------------------------------------------------------------------
# Document-level resolution


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    key: str  # canonical symbol or name key
    kind: str  # symbol | short | alias | name


@dataclass
class CitationResult:
    """Citations of one document, and what is needed to resolve references in its parts."""

    citations: list[Citation] = field(default_factory=list)
    own_symbol: str | None = None
    mentions: list[Mention] = field(default_factory=list)  # every resolved mention, in order
    aliases: dict[str, str] = field(default_factory=dict)  # alias text -> key
    style_index: dict[tuple[int, str, str | None], str] = field(default_factory=dict)
    short_index: dict[tuple[int, str], set[str]] = field(default_factory=dict)
    name_index: dict[str, str] = field(default_factory=dict)  # folded name key -> key
    own_keys: set[tuple[int, str, str | None]] = field(default_factory=set)

    def get(self, key: str) -> Citation | None:
        return next((c for c in self.citations if c.symbol == key), None)

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        return [m for m in self.mentions if m.start >= start and m.end <= end]

    def cites_in(self, text: str) -> list[str]:
        """Canonical symbols / name keys cited in ``text`` (e.g. a task's text), resolved with the
        document's context (wrong styles, aliases, short forms), in order, deduplicated. The
        document's own symbol is not a citation."""
        found = [(m.start, m.key) for m in _resolve_mentions(text, self)]
        out: list[str] = []
        for _, key in sorted(found):
            if key not in out:
                out.append(key)
        return out


def _resolve_symbol(sm: SymbolMatch, ctx: CitationResult) -> str | None:
    if sm.style_key in ctx.own_keys:
        return None
    return ctx.style_index.get(sm.style_key, sm.canonical)


def _alias_regex(alias: str) -> re.Pattern[str]:
    parts = [re.escape(p) for p in alias.split()]
    return re.compile(r"(?<!\w)(?i:" + r"\s+".join(parts) + r")(?!\w)")


def _resolve_mentions(
    text: str, ctx: CitationResult, skip: list[tuple[int, int]] | None = None
) -> list[Mention]:
    """Mentions in ``text`` resolved with a document context ``ctx``."""
    taken: list[tuple[int, int]] = list(skip or [])
    out: list[Mention] = []

    def free(s: int, e: int) -> bool:
        return not any(s < b and a < e for a, b in taken)

    laws = find_named_laws(text)
    for sm in find_symbols(text):
        key = _resolve_symbol(sm, ctx)
        taken.append(sm.span)
        if key:
            out.append(Mention(sm.start, sm.end, key, "symbol"))
    for alias, key in ctx.aliases.items():
        for m in _alias_regex(alias).finditer(text):
            if free(m.start(), m.end()):
                taken.append((m.start(), m.end()))
                out.append(Mention(m.start(), m.end(), key, "alias"))
    for sf in find_short_forms(text):
        if not free(sf.start, sf.end):
            continue
        keys: set[str] = set()
        for t in sf.types:
            keys |= ctx.short_index.get((int(sf.number), t), set())
        taken.append((sf.start, sf.end))
        if len(keys) == 1:
            key = next(iter(keys))
            if key != ctx.own_symbol:
                out.append(Mention(sf.start, sf.end, key, "short"))
    for law in laws:
        if law.symbol or not free(law.start, law.end):
            continue  # a law written with its symbol is mentioned by the symbol
        key = ctx.name_index.get(fold(law.key), law.key)
        out.append(Mention(law.start, law.end, key, "name"))
    out.sort(key=lambda m: m.start)
    return out


def _one_edit_apart(a: str, b: str) -> bool:
    """True when b is a with one letter substituted, inserted or deleted."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=False)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


MIN_SLIP_ISSUER = 4  # shorter issuer codes (TU/HU, ĐU/TU) differ by one letter on purpose


def _merge_ocr_slips(
    groups: dict[tuple[int, str, str | None], list[SymbolMatch]],
    style_index: dict[tuple[int, str, str | None], str],
) -> None:
    """A symbol cited once whose issuer is one letter off a more cited symbol of the same number,
    type and year ("02-KH/BCĐTVW" beside eight "02-KH/BCĐTW") is an OCR slip of it."""
    keys = list(groups)
    for k in keys:
        n, issuer, year = k
        typ, _, iss = issuer.rpartition("|")
        if len(iss) < MIN_SLIP_ISSUER:
            continue
        for other in keys:
            if other == k or other[0] != n or other[2] != year or len(groups[other]) <= len(groups[k]):
                continue
            otyp, _, oiss = other[1].rpartition("|")
            if otyp == typ and len(oiss) >= MIN_SLIP_ISSUER and _one_edit_apart(iss, oiss):
                style_index[k] = style_index[other]
                break


def _own_keys(own: str | None) -> set[tuple[int, str, str | None]]:
    if not own:
        return set()
    return {s.style_key for s in find_symbols(own)}


def _sentence_bounds_ok(text: str, a: int, b: int) -> bool:
    """No sentence boundary between offsets a and b."""
    return not re.search(r"[;\n]|[.!?]\s+[A-ZĐ]", text[a:b])


def analyse_citations(doc: ReadDocument, own_symbol: str | None = None) -> CitationResult:
    """All documents ``doc`` cites, one ``Citation`` per canonical symbol or name key.

    ``own_symbol`` is the document's own symbol, excluded from citations; None reads it from the
    document's header (``metadata.find_own_symbol``); pass "" to exclude nothing.
    """
    text = doc.text
    if own_symbol is None:
        from .metadata import find_own_symbol

        own_symbol = find_own_symbol(doc)
    own = (canonical_symbol(own_symbol) or own_symbol) if own_symbol else None
    ctx = CitationResult(own_symbol=own, own_keys=_own_keys(own))

    symbols = find_symbols(text)
    laws = find_named_laws(text)

    # 1. wrong styles: the most cited spelling of one document wins (first seen on a tie)
    groups: dict[tuple[int, str, str | None], list[SymbolMatch]] = {}
    for sm in symbols:
        groups.setdefault(sm.style_key, []).append(sm)
    for style_key, items in groups.items():
        counts: dict[str, int] = {}
        for sm in items:
            counts[sm.canonical] = counts.get(sm.canonical, 0) + 1
        best = max(
            counts, key=lambda c: (counts[c], -next(i for i, s in enumerate(items) if s.canonical == c))
        )
        ctx.style_index[style_key] = best
    _merge_ocr_slips(groups, ctx.style_index)

    # 2. named laws: names followed by their own symbol alias to it
    for law in laws:
        if law.symbol:
            sk = law.symbol.style_key
            ctx.name_index[fold(law.key)] = ctx.style_index.get(sk, law.symbol.canonical)
    for law in laws:
        ctx.name_index.setdefault(fold(law.key), law.key)

    # full-symbol details: doc_type (a typeless symbol takes its type word: "Luật số …" is an L),
    # date and issuer from the first mention that states them
    details: dict[str, dict[str, Any]] = {}
    law_types = {nl.symbol.start: nl.doc_type for nl in laws if nl.symbol}
    for sm in symbols:
        key = ctx.style_index[sm.style_key]
        d = details.setdefault(
            key, {"doc_type": None, "worded": False, "date": None, "issuer": None, "number": sm.number}
        )
        worded = (
            sm.type_part is not None
            or sm.start in law_types
            or (sm.word is not None and type_of_word(sm.word) is not None)
        )
        if d["doc_type"] is None or (worded and not d["worded"]):
            d["doc_type"] = law_types.get(sm.start) or sm.doc_type
            d["worded"] = worded
        iso, after = date_after(text, sm.end)
        if iso and d["date"] is None:
            d["date"] = iso
        iss = issuer_after(text, after)
        if iss and (d["issuer"] is None or (d["issuer"].isupper() and not iss.isupper())):
            d["issuer"] = iss

    # 3. short-form index over fully cited documents (own symbol included, to recognise it)
    for key, d in details.items():
        if d["doc_type"]:
            ctx.short_index.setdefault((int(d["number"]), d["doc_type"]), set()).add(key)
    if own:
        for sm in find_symbols(own):
            if sm.doc_type:
                ctx.short_index.setdefault((int(sm.number), sm.doc_type), set()).add(own)

    # 4. alias definitions bind to the citation just before them in the same sentence
    alias_defs = find_alias_definitions(text)
    for ad in alias_defs:
        if find_symbols(ad.alias) or type_of_word(ad.alias) is None:
            continue
        prev = [sm for sm in symbols if sm.end <= ad.start and _sentence_bounds_ok(text, sm.end, ad.start)]
        if not prev:
            continue
        target = prev[-1]
        digits = re.findall(r"\d+", ad.alias)
        if digits and int(digits[0]) != int(target.number):
            continue
        if not digits and len(ad.alias.split()) < 3:
            continue
        key = ctx.style_index[target.style_key]
        if target.style_key in ctx.own_keys:
            continue
        ctx.aliases[ad.alias] = key

    # 5. resolve every mention of the document
    skip = [(ad.start, ad.end) for ad in alias_defs]
    ctx.mentions = _resolve_mentions(text, ctx, skip=skip)

    # 6. one citation per key, in order of first mention
    by_key: dict[str, Citation] = {}
    for m in ctx.mentions:
        c = by_key.get(m.key)
        if c is None:
            d = details.get(m.key, {})
            doc_type = d.get("doc_type")
            if doc_type is None:
                named = next((nl for nl in laws if ctx.name_index.get(fold(nl.key)) == m.key), None)
                doc_type = named.doc_type if named else None
            c = Citation(symbol=m.key, doc_type=doc_type, date=d.get("date"), issuer=d.get("issuer"))
            by_key[m.key] = c
        c.mentions += 1
        c.spans.append((m.start, m.end))
        sent = sentence_at(text, m.start, m.end)
        if sent and sent not in c.evidence:
            c.evidence.append(sent)
    ctx.citations = list(by_key.values())
    return ctx


__all__ = [
    "AliasDefinition",
    "BlankSymbol",
    "CitationResult",
    "DocType",
    "Mention",
    "NamedLaw",
    "ShortForm",
    "SymbolMatch",
    "SymbolPattern",
    "analyse_citations",
    "canonical_symbol",
    "date_after",
    "doc_type_of",
    "doc_types",
    "find_alias_definitions",
    "find_blank_symbols",
    "find_named_laws",
    "find_short_forms",
    "find_symbols",
    "gazetteer_dir",
    "issuer_after",
    "iso_date",
    "load_data",
    "parse_date",
    "sentence_at",
    "symbol_patterns",
    "type_of_word",
]
