"""Unit gazetteer and matcher: who is named in a directive, and at which government level.

Data (``gazetteers/``, see each file's header):

* ``units.toml``              named units: canonical name, aliases, kind, levels, counterparts,
                              2025 validity (merged ministries and departments, abolished districts)
* ``addressee_levels.toml``   generic addressees ("các bộ, ngành, địa phương") and their levels
* ``unit_abbreviations.toml`` abbreviations (UBND, KH&CN, TTPVHCC …), locality qualifiers, places
* ``unit_heads.toml``         head words of unit names, for :func:`looks_like_unit`

API used by the extraction pipeline (keep stable)::

    gz = load_gazetteer()
    gz.lookup("UBND phường Hải An")          -> UnitEntry(id="ubnd_phuong", name="Ủy ban nhân dân phường", …)
    gz.levels_of("các bộ, ngành, địa phương") -> {"central", "province", "commune"}
    gz.same_unit("Bộ KH&CN", "Bộ Khoa học và Công nghệ") -> True
    gz.canonical("Sở TT&TT")                  -> "Sở Thông tin và Truyền thông"
    gz.counterpart("Bộ Tài chính", "province") -> "Sở Tài chính"
    unit_key(name); looks_like_unit(text); find_units(text) -> [UnitSpan]; model_status()

Matching works on *folded* tokens: lower case, no diacritics, đ -> d (so "Uỷ"/"Ủy"/"UỶ" are one
word), with abbreviations expanded for lookups and contracted forms generated as extra patterns
for running text.

Tokenisation for the matcher (and why not pyvi)
------------------------------------------------
``find_units`` matches phrase patterns on a stream of syllable tokens: every run of word
characters is a token, "&" is a token, "hard" punctuation (. : ; ( ) | …) is a token, and "soft"
punctuation (, - – / quotes) is dropped, so "Phòng Văn hóa - Xã hội", "Phòng Văn hóa – Xã hội"
and "Phòng Văn hóa, Xã hội" are the same pattern, and "các bộ, ngành, địa phương" is matched
as one addressee. Whitespace (including PDF line breaks inside a name) is ignored. The pure-Python
fallback and the spaCy pipeline use this same tokeniser, so they return the same spans.

The spaCy pipeline (``directive-nlp build-model``) is ``spacy.blank("vi")`` with this tokeniser
registered as ``directive_nlp.unit_tokenizer.v1`` and a ``span_ruler`` matching phrase patterns on
``NORM`` (the folded syllable). spaCy's own Vietnamese tokeniser was measured and rejected:

* ``use_pyvi=True`` segments words with a CRF whose output depends on the neighbouring words, so
  a name tokenised on its own (the pattern) and inside a sentence can differ ("Công nghệ" vs
  "Công nghệ chủ"); on the corpus it missed a share of the mentions the syllable matcher finds
  (figures in ``models/README.md``), and it is several times slower;
* ``use_pyvi=False`` splits on whitespace only, so punctuation stays glued to the words
  ("dựng," ≠ "dựng") and "Bộ Xây dựng," never matches "Bộ Xây dựng".

Because soft punctuation and extra whitespace are dropped, the spaCy ``Doc`` is a matching view
of the text (``doc.text`` is not the input); character offsets into the input are kept in
``doc.user_data["char_offsets"]`` and every :class:`UnitSpan` carries offsets into the input.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import logging
import os
import re
import time
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from ..normalise.text import LOOKALIKES, clean, collapse, syllables
from ..resources import data_dir, models_dir

log = logging.getLogger(__name__)

LEVELS = ("central", "province", "commune")
DATA_FILES = ("units.toml", "addressee_levels.toml", "unit_abbreviations.toml", "unit_heads.toml")
LABEL = "UNIT"
SPANS_KEY = "units"
TOKENIZER_NAME = "directive_nlp.unit_tokenizer.v1"
# Bump when the tokeniser or the pattern generation changes: built models become stale.
MATCHER_VERSION = 1
META_FILE = "directive_nlp_meta.json"
MODEL_SUBDIR = "units"
BACKEND_ENV = "DIRECTIVE_NLP_UNIT_BACKEND"  # "python" forces the fallback matcher

FUZZY_CUTOFF = 93.0  # rapidfuzz ratio (0-100) for a fuzzy lookup hit; see Gazetteer.resolve
FUZZY_MIN_LEN = 12  # no fuzzy matching of keys shorter than this
MAX_VARIANTS = 64  # contracted/abbreviated variants generated per name


# ---------------------------------------------------------------------------------------------
# Tokenisation and folding
# ---------------------------------------------------------------------------------------------

_TOKEN_RE = re.compile(r"[\w\u0300-\u036f]+|\S")
# dropped from the match stream (do not separate units' words in a meaningful way)
_SOFT = frozenset(",-\u2010\u2011\u2012\u2013\u2014\u2212/'\"\u201c\u201d\u2018\u2019`*_\u00b4")
_DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2212")
# a whitespace-free chunk that is (part of) a document symbol: "02-KH/BCĐTW", "136/KH-UBND"
# (was one regex "\S*\d\S*/\S+|\S+/\S*\d\S*|<code>", cubic on a long run of digits: _symbol_spans
# gives the same spans in linear time)
_CHUNK = re.compile(r"\S+")
_SYMBOL_CODE = re.compile(r"[A-ZĐ\d]+(?:-[A-ZĐ\d]+)*/[A-ZĐa-zđ\d]+(?:-[A-ZĐ\d]+)*")
_SYMBOL_MAX = 256  # a longer chunk is searched for codes only around each "/"
_fold_cache: dict[str, tuple[str, str]] = {}
_TONE_MARKS = {"\u0300": "2", "\u0301": "1", "\u0303": "3", "\u0309": "4", "\u0323": "5"}


def _fold_word(w: str) -> tuple[str, str]:
    """(norm, tnorm) of a word. norm: lower case, no diacritics, đ -> d ('Uỷ' -> 'uy').
    tnorm: lower case, letter marks kept, tone as a digit suffix ('Uỷ' == 'Ủy' -> 'uy4';
    'số' -> 'sô1' differs from 'Sở' -> 'sơ4'). Cached: the syllable vocabulary is small."""
    r = _fold_cache.get(w)
    if r is None:
        tone = ""
        base = []
        for ch in unicodedata.normalize("NFD", w.translate(LOOKALIKES).lower()):
            if ch in _TONE_MARKS:
                tone = _TONE_MARKS[ch]
            else:
                base.append(ch)
        t = unicodedata.normalize("NFC", "".join(base))
        n = "".join(ch for ch in unicodedata.normalize("NFD", t) if unicodedata.category(ch) != "Mn")
        r = (unicodedata.normalize("NFC", n).replace("đ", "d"), t + tone)
        if len(_fold_cache) < 200_000:
            _fold_cache[w] = r
    return r


def _norm_of(tnorm: str) -> str:
    """The norm of a tnorm ('sơ4' -> 'so', '06' -> '06', '&' -> '&')."""
    if not tnorm[:1].isalnum():
        return tnorm
    if len(tnorm) > 1 and tnorm[-1] in "12345" and any(ch.isalpha() for ch in tnorm[:-1]):
        tnorm = tnorm[:-1]
    return _fold_word(tnorm)[0]


class Tok(NamedTuple):
    """One token of the match stream: offsets into the input, folded norms, surface text.

    ``norm`` (no diacritics) is what patterns are matched on; ``tnorm`` (tone-sensitive,
    tone-placement-insensitive) is what matches are verified with. ``gap`` says which soft
    punctuation was dropped just before it: "" none, "-" a dash, "," a comma, slash or quote
    (a dash may join the parts of a name anywhere, a comma only where the name has one);
    ``word`` is False for "&" and
    hard punctuation; ``sym`` marks tokens inside a document symbol ("02-KH/BCĐTW").
    """

    start: int
    end: int
    norm: str
    tnorm: str
    text: str
    gap: str
    word: bool
    sym: bool = False


def _symbol_spans(text: str) -> list[tuple[int, int]]:
    """Spans of whitespace-free chunks that are (part of) a document symbol: a chunk with a
    digit before an inner "/" or a digit after a "/" (the whole chunk), else each code
    "KH/BCĐTW" inside it. One pass per chunk: linear in the text."""
    spans: list[tuple[int, int]] = []
    for c in _CHUNK.finditer(text):
        s = c.group()
        if "/" not in s:
            continue
        digits = [i for i, ch in enumerate(s) if ch.isdecimal()]
        inner_slash = s.rfind("/", 0, len(s) - 1)  # a "/" followed by at least one character
        first_slash = s.find("/", 1)  # a "/" preceded by at least one character
        if digits and (digits[0] < inner_slash or 0 < first_slash < digits[-1]):
            spans.append((c.start(), c.end()))
            continue
        a = c.start()
        if len(s) <= _SYMBOL_MAX:
            spans.extend((a + m.start(), a + m.end()) for m in _SYMBOL_CODE.finditer(s))
            continue
        done = 0
        j = s.find("/")
        while j >= 0:
            if j >= done:
                lo = max(done, j - 64)
                m = _SYMBOL_CODE.search(s, lo, j + 65)
                while m is not None and m.end() <= j:
                    m = _SYMBOL_CODE.search(s, m.end(), j + 65)
                if m is not None and m.start() <= j:
                    spans.append((a + m.start(), a + m.end()))
                    done = m.end()
            j = s.find("/", j + 1)
    return spans


def tokenize(text: str) -> list[Tok]:
    """The match stream of ``text`` (see the module docstring)."""
    out: list[Tok] = []
    gap = ""
    sym_spans = _symbol_spans(text) if "/" in text else []
    si = 0
    nsym = len(sym_spans)
    cache = _fold_cache
    for m in _TOKEN_RE.finditer(text):
        s = m.group()
        c = s[0]
        a = m.start()
        sym = False
        if nsym:
            while si < nsym and sym_spans[si][1] <= a:
                si += 1
            sym = si < nsym and sym_spans[si][0] <= a
        if c.isalnum() or c == "_" or unicodedata.category(c) == "Mn":
            r = cache.get(s)
            n, t = r if r is not None else _fold_word(s)
            out.append(Tok(a, m.end(), n, t, s, gap, True, sym))
            gap = ""
        elif c == "&":
            out.append(Tok(a, m.end(), "&", "&", s, gap, False, sym))
            gap = ""
        elif c in _SOFT:
            gap = "-" if c in _DASHES and gap != "," else ","
        elif (
            c == "."
            and out
            and out[-1].end == a
            and out[-1].word
            and len(out[-1].text) <= 3
            and any(ch.isupper() for ch in out[-1].text)
        ):
            gap = gap or "-"  # "TP." / "Tp." abbreviation dot
        else:
            out.append(Tok(a, m.end(), s, s, s, gap, False, sym))
            gap = ""
    return out


def _key_tokens(text: str) -> list[str]:
    """Folded words and '&' of ``text`` (hard punctuation dropped): the lookup key tokens."""
    return [t.norm for t in tokenize(clean(text)) if t.word or t.norm == "&"]


def _tkey_tokens(text: str) -> tuple[str, ...]:
    """Tone-sensitive tokens (words and '&') of ``text``."""
    return tuple(t.tnorm for t in tokenize(clean(text)) if t.word or t.norm == "&")


def _gapped_tokens(text: str) -> tuple[tuple[str, bool], ...]:
    """(tnorm, soft punctuation before it) of the tokens of ``text``."""
    return tuple((t.tnorm, bool(t.gap)) for t in tokenize(clean(text)))


def _slug(text: str) -> str:
    return "_".join(_key_tokens(text))


# ---------------------------------------------------------------------------------------------
# Data model
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitEntry:
    """One unit (or generic addressee) of the gazetteer."""

    id: str
    name: str
    kind: str
    levels: frozenset[str]
    aliases: tuple[str, ...] = ()
    lookup_only: tuple[str, ...] = ()
    counterparts: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)
    by_locality: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)
    parent: str | None = None
    valid_from: _dt.date | None = None
    valid_until: _dt.date | None = None
    successor: str | None = None
    notes: str = ""
    generic: bool = False
    relative: bool = False
    in_text: bool = True
    examples: tuple[str, ...] = ()
    trailers: tuple[str, ...] = ()  # words that may follow without changing the unit ("công nghệ số")
    family: str | None = None  # template id for entries generated from "localities"
    locality: str | None = None  # the locality word of a generated entry ("phường")
    source: str = "units"  # units | addressees

    @property
    def names(self) -> tuple[str, ...]:
        """Every name this entry answers to in lookups."""
        return (self.name, *self.aliases, *self.lookup_only)

    @property
    def text_names(self) -> tuple[str, ...]:
        """Names matched in running text (``find_units``)."""
        if not self.in_text:
            return ()
        skip = {_slug(n) for n in self.lookup_only}
        return tuple(n for n in (self.name, *self.aliases) if _slug(n) not in skip)

    def valid_on(self, day: _dt.date) -> bool:
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_until and day > self.valid_until)


@dataclass(frozen=True)
class UnitMatch:
    """How a name resolved: the entry, the method, a score, and what was stripped."""

    entry: UnitEntry
    method: str  # exact | qualifier | paren | compact | fuzzy
    score: float = 100.0
    qualifier: str = ""  # stripped trailing words ("Hải An", "liên quan")


@dataclass(frozen=True)
class UnitSpan:
    """A unit mentioned in free text. ``surface == text[start:end]`` (may contain line breaks)."""

    start: int
    end: int
    surface: str
    canonical: str
    levels: frozenset[str]
    id: str = ""
    kind: str = ""
    generic: bool = False

    @property
    def text(self) -> str:
        """The surface with white space collapsed (what to put in a lead/support list)."""
        return collapse(self.surface)


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------


def _as_date(v: Any) -> _dt.date | None:
    if v is None or v == "":
        return None
    if isinstance(v, _dt.datetime):
        return v.date()
    if isinstance(v, _dt.date):
        return v
    return _dt.date.fromisoformat(str(v))


def _sub(v: Any, loc: str, slug: str, in_id: bool = False) -> Any:
    if isinstance(v, str):
        return v.replace("{loc}", slug if in_id else loc)
    if isinstance(v, list):
        return [_sub(x, loc, slug, in_id) for x in v]
    if isinstance(v, dict):
        return {k: _sub(x, loc, slug, in_id) for k, x in v.items()}
    return v


def _expand_templates(raw: list[dict]) -> list[dict]:
    out = []
    for r in raw:
        locs = r.get("localities")
        if not locs:
            out.append(r)
            continue
        for loc in locs:
            slug = _slug(loc)
            g = {}
            for k, v in r.items():
                if k == "localities":
                    continue
                g[k] = _sub(
                    v, loc, slug, in_id=k in ("id", "successor", "parent", "counterparts", "by_locality")
                )
            g["family"] = r["id"]
            g["locality"] = loc
            out.append(g)
    return out


def _entry(r: dict, source: str) -> UnitEntry:
    generic = source == "addressees"
    aliases = list(r.get("aliases", [])) + list(r.get("variants", []))
    return UnitEntry(
        id=r["id"],
        name=r["name"],
        kind=r.get("kind", "generic" if generic else ""),
        levels=frozenset(r.get("levels", [])),
        aliases=tuple(aliases),
        lookup_only=tuple(r.get("lookup_only", [])),
        counterparts=dict(r.get("counterparts", {})),
        by_locality={_slug(k): v for k, v in r.get("by_locality", {}).items()},
        parent=r.get("parent"),
        valid_from=_as_date(r.get("valid_from")),
        valid_until=_as_date(r.get("valid_until")),
        successor=r.get("successor"),
        notes=r.get("notes", ""),
        generic=generic,
        relative=bool(r.get("relative", False)),
        in_text=bool(r.get("in_text", True)),
        examples=tuple(r.get("examples", [])),
        trailers=tuple(r.get("trailers", [])),
        family=r.get("family"),
        locality=r.get("locality"),
        source=source,
    )


def data_hash(directory: Path | None = None) -> str:
    """sha256 over the gazetteer data files (name and bytes, in a fixed order)."""
    d = Path(directory) if directory else data_dir()
    h = hashlib.sha256()
    for name in DATA_FILES:
        p = d / name
        h.update(name.encode())
        h.update(b"\0")
        h.update(p.read_bytes() if p.exists() else b"")
        h.update(b"\0")
    return h.hexdigest()


class GazetteerError(ValueError):
    """The gazetteer data is missing or malformed."""


class Gazetteer:
    """Units, generic addressees and abbreviations, with lookup and matching.

    Build with :func:`load_gazetteer` (cached). All methods are pure and cached where useful.
    """

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        files: dict[str, dict[str, Any]] = {}
        for name in DATA_FILES:
            p = self.directory / name
            if not p.exists():
                if name == "unit_heads.toml":
                    files[name] = {}
                    continue
                raise GazetteerError(f"gazetteer file missing: {p}")
            try:
                files[name] = tomllib.loads(p.read_text(encoding="utf-8"))
            except tomllib.TOMLDecodeError as e:
                raise GazetteerError(f"{p}: {e}") from None
        self.sha256 = data_hash(self.directory)
        units = files["units.toml"]
        self.schema = units.get("schema", {})
        self.kinds = tuple(self.schema.get("kinds", ()))
        raw_units = _expand_templates(units.get("unit", []))
        addr = files["addressee_levels.toml"]
        raw_addr = addr.get("addressee", [])
        self.entries: tuple[UnitEntry, ...] = tuple(
            [_entry(r, "units") for r in raw_units] + [_entry(r, "addressees") for r in raw_addr]
        )
        self._by_id: dict[str, UnitEntry] = {}
        self.duplicate_ids: list[str] = []
        for entry in self.entries:
            if entry.id in self._by_id:
                self.duplicate_ids.append(entry.id)
            self._by_id.setdefault(entry.id, entry)

        ab = files["unit_abbreviations.toml"]
        # (short, long, contract, written short), short/long as tone-sensitive token tuples
        self.abbreviations: list[tuple[tuple[str, ...], tuple[str, ...], bool, str]] = []
        for a in ab.get("abbreviation", []):
            self.abbreviations.append(
                (_tkey_tokens(a["short"]), _tkey_tokens(a["long"]), bool(a.get("contract", True)), a["short"])
            )
        # expansion is looked up on the folded short form ("HDND" == "HĐND") and yields the
        # tone-sensitive long form
        self._expand_map = {tuple(_norm_of(t) for t in s_): long for s_, long, _, _ in self.abbreviations}
        # forms with punctuation gaps, for generating text patterns
        self._gapped: dict[tuple[str, ...], tuple[tuple[str, bool], ...]] = {}
        for a in ab.get("abbreviation", []):
            for w in (a["short"], a["long"]):
                g = _gapped_tokens(w)
                self._gapped[tuple(x for x, _ in g)] = g
        self._expand_max = max((len(k) for k in self._expand_map), default=1)
        q = ab.get("qualifiers", {})
        self._province_words = [_tkey_tokens(w) for w in q.get("province_words", [])]
        self._commune_words = [_tkey_tokens(w) for w in q.get("commune_words", [])]
        self._district_words = [_tkey_tokens(w) for w in q.get("district_words", [])]
        self._locality_words = sorted(
            set(self._province_words + self._commune_words + self._district_words), key=len, reverse=True
        )
        self._trailers = sorted(
            {_tkey_tokens(w) for w in q.get("generic_trailers", [])}, key=len, reverse=True
        )
        self._locality_exceptions = [_tkey_tokens(w) for w in q.get("locality_exceptions", [])]
        self._role_prefixes = sorted(
            {_tkey_tokens(w) for w in q.get("role_prefixes", [])}, key=len, reverse=True
        )
        # entry-specific trailers: (words, entry id), longest first
        self._entry_trailers = sorted(
            ((_tkey_tokens(w), e.id) for e in self.entries for w in e.trailers),
            key=lambda x: len(x[0]),
            reverse=True,
        )
        pl = ab.get("places", {})
        self._places = sorted(
            {_tkey_tokens(w) for w in pl.get("provinces", []) + pl.get("former_provinces", [])},
            key=len,
            reverse=True,
        )

        heads = files["unit_heads.toml"]
        self._heads: list[tuple[tuple[str, ...], str, str | None]] = []
        for h in heads.get("head", []):
            for w in h.get("words", []):
                self._heads.append((tuple(syllables(w)), h.get("next", "any"), h.get("level")))
        self._heads.sort(key=lambda x: len(x[0]), reverse=True)
        self._deny = [tuple(syllables(p)) for d in heads.get("deny", []) for p in d.get("phrases", [])]

        self._components: list[tuple[tuple[str, ...], frozenset[str], bool]] = []
        for c in addr.get("component", []):
            for w in c.get("words", []):
                self._components.append(
                    (_tkey_tokens(w), frozenset(c.get("levels", [])), bool(c.get("ignore", False)))
                )
        self._components.sort(key=lambda x: len(x[0]), reverse=True)

        # lookup index: expanded key -> entry id
        self._index: dict[str, str] = {}
        self.key_conflicts: list[tuple[str, str, str]] = []  # (key, id kept, id dropped)
        for entry in self.entries:
            for n in entry.names:
                k = self.key(n)
                if not k:
                    continue
                old = self._index.get(k)
                if old is not None and old != entry.id:
                    self.key_conflicts.append((k, old, entry.id))
                    continue
                self._index[k] = entry.id
        self._compact: dict[str, str] = {}
        for k, i in self._index.items():
            self._compact.setdefault(k.replace(" ", ""), i)
        self._fuzzy_keys = list(self._index)
        self._resolve_cache: dict[str, UnitMatch | None] = {}
        self._patterns: list[tuple[tuple[str, ...], str]] | None = None
        self._tforms: dict[tuple[str, ...], set[tuple[tuple[str, bool], ...]]] = {}
        self._trie: dict | None = None
        self.pattern_conflicts: list[tuple[str, str, str]] = []

    # -- keys ------------------------------------------------------------------------------

    def pairs(self, name: str) -> list[tuple[str, str]]:
        """(norm, tnorm) of the words of ``name`` with abbreviations expanded and "&" read as "và"."""
        toks = [t for t in tokenize(clean(name)) if t.word or t.norm == "&"]
        out: list[tuple[str, str]] = []
        i, n = 0, len(toks)
        while i < n:
            for L in range(min(self._expand_max, n - i), 0, -1):
                long = self._expand_map.get(tuple(t.norm for t in toks[i : i + L]))
                if long is not None:
                    out.extend((_norm_of(x), x) for x in long)
                    i += L
                    break
            else:
                t = toks[i]
                out.append(("va", "va2") if t.norm == "&" else (t.norm, t.tnorm))
                i += 1
        return out

    def key_tokens(self, name: str) -> list[str]:
        return [n for n, _ in self.pairs(name)]

    def key(self, name: str) -> str:
        """Comparison key: folded, punctuation-free, abbreviations expanded ("UBND" -> "uy ban nhan dan")."""
        return " ".join(self.key_tokens(name))

    @staticmethod
    def _seq_at(pairs: list[tuple[str, str]], i: int, seq: tuple[str, ...]) -> bool:
        """Does the tone-sensitive word sequence ``seq`` occur at ``pairs[i]``? A word written
        without any diacritics matches on its folded form ("phuong" == "phường")."""
        L = len(seq)
        if i < 0 or i + L > len(pairs):
            return False
        for (n, t), w in zip(pairs[i : i + L], seq, strict=False):
            if t != w and not (t == n and n == _norm_of(w)):
                return False
        return True

    # -- entries ---------------------------------------------------------------------------

    def get(self, unit_id: str) -> UnitEntry | None:
        return self._by_id.get(unit_id)

    def __iter__(self):
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    # -- lookup ----------------------------------------------------------------------------

    def _strip_candidates(
        self, pairs: list[tuple[str, str]]
    ) -> list[tuple[list[tuple[str, str]], list[tuple[str, str]]]]:
        """Shorter forms of a name with trailing qualifiers removed, longest first.

        Removes generic trailers ("liên quan"), a trailing known place ("Hà Nội"), and a
        locality word with the (at most 4-word) place name after it, keeping, then dropping, the
        locality word: "UBND phường Hải An" -> "UBND phường", "UBND". Words are compared
        tone-sensitively, so "chủ quản" does not contain the locality word "quận", and
        "xã hội" is not a locality (unit_abbreviations.toml, locality_exceptions).
        """
        cands: list[tuple[list, list]] = []
        seen = set()

        def add(head: list) -> None:
            t = tuple(head)
            if head and t not in seen and len(head) < len(pairs):
                seen.add(t)
                cands.append((head, pairs[len(head) :]))

        frontier = [list(pairs)]
        while frontier and len(cands) < 24:
            nxt = []
            for cur in frontier:
                for tr in self._trailers + self._places:
                    if len(cur) > len(tr) and self._seq_at(cur, len(cur) - len(tr), tr):
                        head = cur[: -len(tr)]
                        if tuple(head) not in seen:
                            add(head)
                            nxt.append(head)
                for i in range(len(cur) - 1, max(0, len(cur) - 7), -1):
                    if any(self._seq_at(cur, i, x) for x in self._locality_exceptions):
                        continue
                    for lw in self._locality_words:
                        if self._seq_at(cur, i, lw) and len(cur) - i - len(lw) <= 4:
                            for head in (cur[: i + len(lw)], cur[:i]):
                                if tuple(head) not in seen and len(head) < len(cur):
                                    add(head)
                                    nxt.append(head)
            frontier = nxt
        cands.sort(key=lambda c: len(c[0]), reverse=True)
        return cands

    def _fuzzy(self, k: str) -> tuple[str, float] | None:
        if len(k) < FUZZY_MIN_LEN:
            return None
        from rapidfuzz import fuzz, process

        best = process.extractOne(k, self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if not best:
            return None
        cand, score, _ = best
        a, b = k.split(), cand.split()
        if a[0] != b[0] or abs(len(k) - len(cand)) > max(3, len(k) // 10):
            return None
        # the words that differ must not be ones that change which unit it is
        diff = set(a) ^ set(b)
        significant = {_norm_of(w) for lw in self._locality_words for w in lw} | {
            "trung",
            "uong",
            "bo",
            "so",
            "phong",
            "ban",
            "cuc",
            "tong",
            "ubnd",
            "cac",
            "cap",
        }
        if diff & significant:
            return None
        return self._index[cand], float(score)

    def resolve(self, name: str) -> UnitMatch | None:
        """Resolve a unit name to an entry, saying how (``UnitMatch.method``).

        Order: ``exact`` key (tone/case/punctuation-insensitive, abbreviations expanded) ->
        ``qualifier``: trailing qualifiers stripped ("… phường Hải An", "… liên quan",
        "… Hà Nội", an entry's own trailers such as "… công nghệ số") -> ``role``: a leading
        role word dropped ("Thủ trưởng các sở, ban, ngành") -> ``paren``: the part before a
        parenthesis -> ``compact``: the key without spaces (split syllables) -> ``fuzzy``:
        rapidfuzz ratio >= FUZZY_CUTOFF with the same first word and no differing level/head word.
        """
        if name in self._resolve_cache:
            return self._resolve_cache[name]
        m = self._resolve(name)
        if len(self._resolve_cache) > 50_000:
            self._resolve_cache.clear()
        self._resolve_cache[name] = m
        return m

    def _resolve(self, name: str) -> UnitMatch | None:
        text = collapse(clean(name or "")).strip(" \t-+*•:;,.")
        if not text:
            return None
        pairs = self.pairs(text)
        if not pairs:
            return None
        k = " ".join(n for n, _ in pairs)
        i = self._index.get(k)
        if i:
            return UnitMatch(self._by_id[i], "exact")
        cands = self._strip_candidates(pairs)
        for head, tail in cands:
            i = self._index.get(" ".join(n for n, _ in head))
            if i:
                return UnitMatch(self._by_id[i], "qualifier", 100.0, self._surface_tail(text, len(tail)))
        for tr, eid in self._entry_trailers:
            if len(pairs) > len(tr) and self._seq_at(pairs, len(pairs) - len(tr), tr):
                head = pairs[: -len(tr)]
                for h in [head] + [c for c, _ in self._strip_candidates(head)]:
                    if self._index.get(" ".join(n for n, _ in h)) == eid:
                        return UnitMatch(
                            self._by_id[eid],
                            "qualifier",
                            100.0,
                            self._surface_tail(text, len(pairs) - len(h)),
                        )
        for rp in self._role_prefixes:
            if len(pairs) > len(rp) and self._seq_at(pairs, 0, rp):
                rest = self._surface_after(text, len(rp))
                m = self.resolve(rest) if rest else None
                if m:
                    return UnitMatch(m.entry, "role", m.score, m.qualifier)
                break
        if "(" in text:
            before = text.split("(", 1)[0].strip()
            if before:
                m = self.resolve(before)
                if m:
                    return UnitMatch(m.entry, "paren", m.score, text[len(before) :].strip())
        i = self._compact.get(k.replace(" ", ""))
        if i:
            return UnitMatch(self._by_id[i], "compact", 99.0)
        f = self._fuzzy(k)
        if f:
            return UnitMatch(self._by_id[f[0]], "fuzzy", f[1])
        for head, tail in cands[:3]:
            f = self._fuzzy(" ".join(n for n, _ in head))
            if f:
                return UnitMatch(self._by_id[f[0]], "fuzzy", f[1], self._surface_tail(text, len(tail)))
        return None

    @staticmethod
    def _surface_tail(text: str, n_words: int) -> str:
        if n_words <= 0:
            return ""
        words = [m for m in re.finditer(r"[\w\u0300-\u036f]+", text)]
        if n_words > len(words):
            return ""
        return text[words[-n_words].start() :].strip()

    @staticmethod
    def _surface_after(text: str, n_words: int) -> str:
        words = [m for m in re.finditer(r"[\w\u0300-\u036f]+", text)]
        if n_words >= len(words):
            return ""
        return text[words[n_words].start() :].strip()

    def lookup(self, name: str) -> UnitEntry | None:
        """The entry a unit name refers to, or None. See :meth:`resolve`."""
        m = self.resolve(name)
        return m.entry if m else None

    def canonical(self, name: str) -> str:
        """Canonical name of a known unit, else the input cleaned and whitespace-collapsed."""
        m = self.resolve(name)
        return m.entry.name if m else collapse(clean(name or ""))

    def same_unit(self, a: str, b: str) -> bool:
        """Do two names refer to the same unit?

        True when the keys are equal, when one is the other plus a locality/relevance qualifier
        ("Trung tâm PVHCC" vs "Trung tâm Phục vụ hành chính công phường"), or when both resolve
        to the same entry. Stricter than the scorer's 0.9 similarity: "Bộ Tài chính" and
        "Sở Tài chính" are different units.
        """
        pa, pb = self.pairs(a), self.pairs(b)
        ka, kb = [n for n, _ in pa], [n for n, _ in pb]
        if not ka or not kb:
            return False
        if ka == kb:
            return True
        for x, y in ((pa, kb), (pb, ka)):
            if any([n for n, _ in head] == y for head, _ in self._strip_candidates(x)):
                return True
        ea, eb = self.lookup(a), self.lookup(b)
        return bool(ea and eb and ea.id == eb.id)

    # -- levels ----------------------------------------------------------------------------

    def levels_of(self, name: str) -> set[str]:
        """Government levels a unit or addressee belongs to: subset of central/province/commune.

        Known entries give their levels. An unknown generic phrase gets the union of the levels
        of its words and of the known units inside it ("các bộ, ngành Trung ương và các xã" ->
        central + commune; "Trung tâm CNTT Bộ Tài chính" -> central); an unknown named unit gets
        the level of a locality word or place in it, else of its head word ("Sở …" -> province).
        Empty set when nothing says, and for addressees relative to the issuer ("các cơ quan
        liên quan": ``lookup(name).relative`` is True).
        """
        m = self.resolve(name)
        if m:
            if m.entry.relative and m.qualifier:  # "Mặt trận Tổ quốc Việt Nam cấp xã"
                q = self._component_levels(self.pairs(m.qualifier))
                if q:
                    return q
            return set(m.entry.levels)
        pairs = self.pairs(name)
        if not pairs:
            return set()
        levels = self._component_levels(pairs)
        for sp in self.match(collapse(clean(name))):
            levels |= self.levels_of(sp.text) if sp.surface != name else sp.levels
        if levels:
            return levels
        return set(self._head_level(name) or ())

    def _component_levels(self, pairs: list[tuple[str, str]]) -> set[str]:
        levels: set[str] = set()
        i, n = 0, len(pairs)
        while i < n:
            for words, lv, _ignore in self._components:
                if self._seq_at(pairs, i, words):
                    levels |= lv
                    i += len(words)
                    break
            else:
                for pl in self._places:
                    if self._seq_at(pairs, i, pl):
                        levels.add("province")
                        i += len(pl)
                        break
                else:
                    i += 1
        return levels

    def _head_level(self, text: str) -> set[str] | None:
        syl = syllables(text)
        for words, _nxt, level in self._heads:
            if level and tuple(syl[: len(words)]) == words:
                return {level}
        return None

    # -- counterparts and validity -----------------------------------------------------------

    def counterpart(self, name: str, level: str, locality: str | None = None) -> str | None:
        """The body at ``level`` that mirrors ``name``: "Bộ Tài chính" -> "Sở Tài chính" (province)
        -> "Phòng Kinh tế" (commune; ``locality="phường"`` -> "Phòng Kinh tế, Hạ tầng và Đô thị").

        Follows province -> commune when there is no direct commune counterpart. Returns the
        name itself when the unit already sits at ``level`` only, None when there is none.
        """
        if level not in LEVELS:
            raise ValueError(f"unknown level {level!r} (expected one of {LEVELS})")
        e = self.lookup(name)
        if e is None:
            return None
        if e.levels == {level}:
            return self._localise(e, locality).name
        target = e.counterparts.get(level)
        if target is None and level == "commune" and "province" in e.counterparts:
            mid = self.get(e.counterparts["province"])
            if mid is not None:
                target = mid.counterparts.get("commune")
        if target is None:
            return None
        t = self.get(target)
        if t is None:
            return None
        return self._localise(t, locality).name

    def _localise(self, e: UnitEntry, locality: str | None) -> UnitEntry:
        if not locality:
            return e
        ls = _slug(locality)
        if ls in e.by_locality and self.get(e.by_locality[ls]):
            return self._by_id[e.by_locality[ls]]
        if e.family:
            for x in self.entries:
                if x.family == e.family and x.locality and _slug(x.locality) == ls and x.levels == e.levels:
                    return x
        return e

    def current(self, name: str, on: _dt.date | None = None) -> UnitEntry | None:
        """The entry that holds the unit's duties on ``on`` (default today): follows successors
        of merged units ("Bộ Thông tin và Truyền thông" -> "Bộ Khoa học và Công nghệ")."""
        on = on or _dt.date.today()
        e = self.lookup(name)
        seen = set()
        while e is not None and e.valid_until and on > e.valid_until and e.successor and e.id not in seen:
            seen.add(e.id)
            nxt = self.get(e.successor)
            if nxt is None:
                break
            e = nxt
        return e

    # -- unit-ness ---------------------------------------------------------------------------

    def looks_like_unit(self, text: str) -> bool:
        """Does the phrase name an organisation/unit? Gazetteer hit, or a unit head word
        (unit_heads.toml) followed by what the head requires ("Ban Chỉ đạo" yes, "Ban hành" no)."""
        t = collapse(clean(text or "")).strip(" \t-+*•:;,.")
        if not t:
            return False
        syl = syllables(t)
        for d in self._deny:
            if tuple(syl[: len(d)]) == d:
                return False
        if self.resolve(t):
            return True
        words = re.findall(r"[\w\u0300-\u036f&]+", t)
        for head, nxt, _lv in self._heads:
            L = len(head)
            if tuple(syl[:L]) != head:
                continue
            if nxt == "any":
                return True
            rest = words[L:] if len(words) >= L else []
            if nxt == "word":
                return bool(rest)
            if nxt == "capital":
                return bool(rest) and (rest[0][0].isupper() or rest[0][0].isdigit())
        return False

    # -- patterns and matching ---------------------------------------------------------------

    def _contractions(self, toks: tuple[tuple[str, bool], ...]) -> set[tuple[tuple[str, bool], ...]]:
        """All forms of a (fully expanded, tone-sensitive, gap-annotated) token sequence with
        abbreviations contracted ("ủy ban nhân dân tỉnh" -> "ubnd tỉnh")."""
        out = {toks}
        frontier = [toks]
        rules = [(self._gapped[s_], long) for s_, long, c, _ in self.abbreviations if c]
        while frontier and len(out) < MAX_VARIANTS:
            nxt = []
            for t in frontier:
                words = tuple(x for x, _ in t)
                for short, long in rules:
                    L = len(long)
                    for i in range(0, len(t) - L + 1):
                        if words[i : i + L] == long:
                            sh = ((short[0][0], t[i][1]),) + short[1:]
                            v = t[:i] + sh + t[i + L :]
                            if v not in out:
                                out.add(v)
                                nxt.append(v)
                                if len(out) >= MAX_VARIANTS:
                                    return out
            frontier = nxt
        return out

    def _match_forms(self, name: str) -> set[tuple[tuple[str, bool], ...]]:
        """Token sequences (tnorm, punctuation allowed before it) under which ``name`` may
        appear in running text: abbreviations expanded, then every contraction."""
        toks = tokenize(clean(name))
        stream = tuple((t.tnorm, bool(t.gap)) for t in toks)
        expanded: list[tuple[str, bool]] = []
        i, n = 0, len(toks)
        while i < n:
            for L in range(min(self._expand_max, n - i), 0, -1):
                long = self._expand_map.get(tuple(t.norm for t in toks[i : i + L]))
                if long is not None:
                    g = self._gapped[long]
                    expanded.append((g[0][0], bool(toks[i].gap)))
                    expanded.extend(g[1:])
                    i += L
                    break
            else:
                expanded.append(stream[i])
                i += 1
        forms = self._contractions(tuple(expanded))
        # "&" written for "và" ("HĐND & UBND")
        more = {
            tuple(("&", g) if x == "va2" else (x, g) for x, g in f)
            for f in forms
            if any(x == "va2" for x, _ in f)
        }
        return forms | more | {stream}

    def _build_patterns(self) -> None:
        pats: dict[tuple[str, ...], str] = {}
        tforms: dict[tuple[str, ...], set[tuple[tuple[str, bool], ...]]] = {}
        for e in self.entries:
            for n in e.text_names:
                for f in self._match_forms(n):
                    if not f:
                        continue
                    nf = tuple(_norm_of(t) for t, _ in f)
                    old = pats.get(nf)
                    if old is not None and old != e.id:
                        self.pattern_conflicts.append((" ".join(t for t, _ in f), old, e.id))
                        continue
                    pats[nf] = e.id
                    tforms.setdefault(nf, set()).add(f)
        self._patterns = sorted(pats.items())
        self._tforms = tforms

    def patterns(self) -> list[tuple[tuple[str, ...], str]]:
        """(norm token sequence, entry id) for every text-matchable name form, sorted.

        These are the phrase patterns of the spaCy model (matched on NORM). A norm-level match
        is then verified against the tone-sensitive forms (:meth:`verify`), so "chuyển đổi số -
        Xây dựng" is not "Sở Xây dựng" although both fold to "so xay dung".
        """
        if self._patterns is None:
            self._build_patterns()
        return self._patterns or []

    def patterns_sha256(self) -> str:
        h = hashlib.sha256(f"{MATCHER_VERSION}\n".encode())
        for f, i in self.patterns():
            h.update(" ".join(f).encode())
            h.update(b"\t")
            h.update(i.encode())
            h.update(b"\n")
        return h.hexdigest()

    def _build_trie(self) -> dict:
        if self._trie is None:
            root: dict = {}
            for f, i in self.patterns():
                node = root
                for t in f:
                    node = node.setdefault(t, {})
                node["\0"] = i
            self._trie = root
        return self._trie

    def raw_matches(self, toks: list[Tok]) -> list[tuple[int, int, str]]:
        """Every norm-level pattern occurrence (token start, token end, id), overlapping ones
        included: the pure-Python equivalent of the spaCy PhraseMatcher on NORM."""
        root = self._build_trie()
        out = []
        n = len(toks)
        for s in range(n):
            node = root.get(toks[s].norm)
            j = s + 1
            while node is not None:
                i = node.get("\0")
                if i is not None:
                    out.append((s, j, i))
                if j >= n:
                    break
                node = node.get(toks[j].norm)
                j += 1
        return out

    def verify(self, toks: list[Tok], s: int, e: int) -> bool:
        """Accept a norm-level match when its tokens also match a tone-sensitive form of the
        pattern: exactly, or with one differing syllable (a typo such as "Tô quốc") in a
        pattern of at least 4 words other than its first. All-capital tokens without tone marks
        (abbreviations: "HDND") match on the norm alone. A comma inside the match must stand
        where the name has punctuation ("Thường trực, Tổ Giúp việc" is two bodies; a dash may
        stand anywhere). Matches inside document symbols ("02-KH/BCĐTW") are rejected."""
        span = toks[s:e]
        if any(t.sym for t in span):
            return False
        if self._patterns is None:
            self._build_patterns()
        forms = self._tforms.get(tuple(t.norm for t in span), ())
        for f in forms:
            miss = 0
            for k, (t, (ft, fg)) in enumerate(zip(span, f, strict=False)):
                if k > 0 and t.gap == "," and not fg:
                    break
                if t.tnorm == ft:
                    continue
                if t.text.isupper() and t.tnorm[-1:] not in "12345" and t.tnorm.replace("đ", "d") == t.norm:
                    continue
                miss += 1
                if miss > 1 or k == 0 or len(f) < 4:
                    break
            else:
                return True
        return False

    def _select(self, raw: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """Longest-first, then leftmost, non-overlapping (spaCy's filter_spans order)."""
        chosen: list[tuple[int, int, str]] = []
        taken: set[int] = set()
        for s, e, i in sorted(set(raw), key=lambda m: (-(m[1] - m[0]), m[0], m[2])):
            r = range(s, e)
            if not taken.isdisjoint(r):
                continue
            chosen.append((s, e, i))
            taken.update(r)
        chosen.sort()
        return chosen

    def _starts_with(self, toks: list[Tok], j: int, seq: tuple[str, ...]) -> bool:
        """Does the tone-sensitive word sequence ``seq`` start at token ``j`` (no punctuation inside)?"""
        L = len(seq)
        if j < 0 or j + L > len(toks):
            return False
        for k in range(L):
            t = toks[j + k]
            w = seq[k]
            if (k > 0 and t.gap) or (t.tnorm != w and not (t.tnorm == t.norm and t.norm == _norm_of(w))):
                return False
        return True

    def _seq_index(
        self, seqs: Iterable[tuple[tuple[str, ...], Any]]
    ) -> dict[str, list[tuple[tuple[str, ...], Any]]]:
        """Sequences grouped by the folded form of their first word, longest first."""
        idx: dict[str, list] = {}
        for seq, tag in seqs:
            idx.setdefault(_norm_of(seq[0]), []).append((seq, tag))
        for v in idx.values():
            v.sort(key=lambda x: len(x[0]), reverse=True)
        return idx

    def _first_at(self, toks: list[Tok], j: int, idx: dict) -> tuple[tuple[str, ...], Any] | None:
        """The longest indexed sequence starting at token ``j`` (not after punctuation)."""
        if j >= len(toks) or toks[j].gap:
            return None
        for seq, tag in idx.get(toks[j].norm, ()):
            if self._starts_with(toks, j, seq):
                return seq, tag
        return None

    def _ext_indexes(self) -> tuple[dict, dict, dict, dict, frozenset]:
        if getattr(self, "_ext_idx", None) is None:
            commune = self._commune_words + self._district_words
            heads = frozenset(h[0][0] for h in self._heads if h[0])
            self._ext_idx = (
                self._seq_index((t, None) for t in self._trailers),
                self._seq_index((w, False) for w in self._province_words),
                self._seq_index((w, True) for w in commune),
                self._seq_index((p, None) for p in self._places),
                heads,
            )
        return self._ext_idx

    def _own_trailers(self, entry: UnitEntry) -> dict:
        cache = self.__dict__.setdefault("_own_trailer_idx", {})
        if entry.id not in cache:
            cache[entry.id] = self._seq_index((_tkey_tokens(w), None) for w in entry.trailers)
        return cache[entry.id]

    def _extend(self, toks: list[Tok], s: int, e: int, entry: UnitEntry) -> int:
        """Extend a match over trailing qualifiers: "… liên quan" (generic addressees),
        "… thành phố", "… tỉnh Nghệ An", "Thành ủy Hà Nội" (known places), "… phường Hải An"
        (a capitalised name after a commune-level word)."""
        trailers, prov, comm, places, heads = self._ext_indexes()
        j = e
        if entry.generic:
            hit = self._first_at(toks, j, trailers)
            if hit:
                j += len(hit[0])
        if entry.trailers:
            own = self._own_trailers(entry)
            hit = self._first_at(toks, j, own)
            if hit:
                j += len(hit[0])
        if entry.levels and entry.levels <= {"central"}:
            return j
        open_level = entry.relative or not entry.levels
        commune_word = any(
            self._starts_with(toks, j - len(w), w)
            for w in self._commune_words + self._district_words
            if j - len(w) >= s
        )
        cands = []
        if "province" in entry.levels or open_level:
            cands.append(self._first_at(toks, j, prov))
        if "commune" in entry.levels or open_level:
            cands.append(self._first_at(toks, j, comm))
        found = [c for c in cands if c is not None]
        if found:
            seq, is_commune = max(found, key=lambda c: len(c[0]))
            j += len(seq)
            commune_word = is_commune
        hit = self._first_at(toks, j, places)
        if hit:
            return j + len(hit[0])
        if commune_word and entry.kind != "chuc_danh" and j < len(toks) and not toks[j].gap:
            k = j
            while k < len(toks) and k - j < 4:
                t = toks[k]
                if (
                    not t.word
                    or (k > j and t.gap)
                    or len(t.text) < 2
                    or not t.text[0].isupper()
                    or not t.text.isalpha()
                    or t.tnorm in heads
                ):
                    break
                k += 1
            j = k
        return j

    def match(
        self, text: str, raw: list[tuple[int, int, str]] | None = None, toks: list[Tok] | None = None
    ) -> list[UnitSpan]:
        """Spans of known units in ``text`` from raw matches (computed here when not given)."""
        if toks is None:
            toks = tokenize(text)
        if raw is None:
            raw = self.raw_matches(toks)
        out = []
        for s, e, i in self._select(m for m in raw if self.verify(toks, m[0], m[1])):
            entry = self._by_id[i]
            e2 = self._extend(toks, s, e, entry)
            a, b = toks[s].start, toks[e2 - 1].end
            out.append(
                UnitSpan(a, b, text[a:b], entry.name, entry.levels, entry.id, entry.kind, entry.generic)
            )
        return out

    def find_units(self, text: str, backend: str = "auto") -> list[UnitSpan]:
        """Known units mentioned in ``text``; ``backend`` is auto | spacy | python."""
        if not text:
            return []
        if backend == "python" or (backend == "auto" and os.environ.get(BACKEND_ENV) == "python"):
            return self.match(text)
        matcher = _default_matcher(self) if backend in ("auto", "spacy") else None
        if matcher is None:
            if backend == "spacy":
                raise GazetteerError(
                    "the unit model is not built or is stale: run `directive-nlp build-model`"
                )
            return self.match(text)
        return matcher.find(text)


# ---------------------------------------------------------------------------------------------
# Module-level API
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _load(directory: str, sha: str) -> Gazetteer:
    return Gazetteer(Path(directory))


_STAT_CACHE: dict[str, tuple[tuple, Gazetteer]] = {}


def _stat_key(p: Path) -> tuple:
    out: list[tuple[str, int | None, int | None]] = []
    for name in DATA_FILES:
        try:
            st = (p / name).stat()
            out.append((name, st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((name, None, None))
    return tuple(out)


def load_gazetteer(path: str | Path | None = None) -> Gazetteer:
    """The gazetteer from ``path`` (a directory, or any of its files), default ``data_dir()``.

    Cached per directory; the data files are re-read when their size or mtime changes.
    """
    p = Path(path) if path else data_dir()
    if p.is_file():
        p = p.parent
    ck = str(p)
    sk = _stat_key(p)
    hit = _STAT_CACHE.get(ck)
    if hit is not None and hit[0] == sk:
        return hit[1]
    if not (p / "units.toml").exists():
        raise GazetteerError(f"no units.toml in {p} (set DIRECTIVE_NLP_DATA to the gazetteer directory)")
    gz = _load(str(p.resolve()), data_hash(p))
    _STAT_CACHE[ck] = (sk, gz)
    return gz


_RECHECK_SECONDS = 2.0
_default_state: list = [0.0, None, None, None]  # checked_at, gazetteer, matcher, env key


def _defaults() -> tuple[Gazetteer, SpacyUnitMatcher | None]:
    """Default gazetteer and matcher for the hot path; files re-checked at most every 2 s."""
    now = time.monotonic()
    env = (
        os.environ.get("DIRECTIVE_NLP_DATA"),
        os.environ.get("DIRECTIVE_NLP_MODELS"),
        os.environ.get(BACKEND_ENV),
    )
    st = _default_state
    if st[1] is None or now - st[0] > _RECHECK_SECONDS or st[3] != env:
        gz = load_gazetteer()
        m = None if env[2] == "python" else load_matcher(None, gz)
        st[:] = [now, gz, m, env]
    return st[1], st[2]


def unit_key(name: str) -> str:
    """Normalised unit key, a refinement of the scorer's: case, tone marks and punctuation
    ignored, abbreviations expanded (UBND, HĐND, TP, TW, KH&CN/KHCN, MTTQ, TTPVHCC …).
    Names the scorer's ``unit_key`` makes equal get equal keys here too."""
    return _defaults()[0].key(name)


def looks_like_unit(text: str) -> bool:
    """See :meth:`Gazetteer.looks_like_unit`."""
    return _defaults()[0].looks_like_unit(text)


def find_units(text: str) -> list[UnitSpan]:
    """Known units (and generic addressees) mentioned in ``text``, in order, non-overlapping.

    Uses the built spaCy pipeline (models/units) when it is present and built from the current
    gazetteer, else the pure-Python matcher; both give the same spans.
    """
    if not text:
        return []
    gz, m = _defaults()
    return m.find(text) if m is not None else gz.match(text)


# ---------------------------------------------------------------------------------------------
# spaCy pipeline: build, load, status
# ---------------------------------------------------------------------------------------------

_REGISTERED = False


def register_spacy() -> None:
    """Register the syllable tokeniser with spaCy (needed before ``spacy.load`` of the model)."""
    global _REGISTERED
    if _REGISTERED:
        return
    import spacy
    from spacy.tokens import Doc

    class UnitTokenizer:
        """spaCy tokeniser producing the match stream (see the module docstring)."""

        def __init__(self, vocab):
            self.vocab = vocab
            self._hashes: dict[str, int] = {}

        def __call__(self, text: str):
            import numpy
            from spacy.attrs import NORM

            toks = tokenize(text)
            doc = Doc(self.vocab, words=[t.text for t in toks], spaces=[True] * len(toks))
            if toks:
                hs = self._hashes
                add = self.vocab.strings.add
                arr = numpy.array(
                    [hs.get(t.norm) or hs.setdefault(t.norm, add(t.norm)) for t in toks], dtype="uint64"
                ).reshape(-1, 1)
                doc.from_array([NORM], arr)  # type: ignore[arg-type]
            doc.user_data["char_offsets"] = [(t.start, t.end) for t in toks]
            doc.user_data["tokens"] = toks
            return doc

        def to_bytes(self, **kwargs) -> bytes:
            return json.dumps({"tokenizer": TOKENIZER_NAME, "matcher_version": MATCHER_VERSION}).encode()

        def from_bytes(self, data: bytes, **kwargs):
            return self

        def to_disk(self, path, **kwargs) -> None:
            Path(path).write_text(
                json.dumps({"tokenizer": TOKENIZER_NAME, "matcher_version": MATCHER_VERSION})
            )

        def from_disk(self, path, **kwargs):
            return self

    if TOKENIZER_NAME not in spacy.registry.tokenizers:

        @spacy.registry.tokenizers(TOKENIZER_NAME)
        def _create_unit_tokenizer():
            def factory(nlp):
                return UnitTokenizer(nlp.vocab)

            return factory

    _REGISTERED = True


def default_model_path() -> Path:
    return models_dir() / MODEL_SUBDIR


def build_model(output: str | Path | None = None, gazetteer: Gazetteer | None = None) -> dict:
    """Build the spaCy unit matcher into ``output`` (default models/units) and return its status.

    ``spacy.blank("vi")`` with the syllable tokeniser and a ``span_ruler`` (label UNIT, pattern
    id = entry id, phrase patterns on NORM, spans in ``doc.spans["units"]``, overlaps kept and
    resolved by the same code as the fallback). Nothing is downloaded.
    """
    import shutil

    import spacy

    register_spacy()
    gz = gazetteer or load_gazetteer()
    out = Path(output) if output else default_model_path()
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}})
    ruler = nlp.add_pipe(
        "span_ruler",
        config={
            "spans_key": SPANS_KEY,
            "phrase_matcher_attr": "NORM",
            "validate": False,
            "spans_filter": None,
            "annotate_ents": False,
            "overwrite": True,
        },
    )
    pats = gz.patterns()
    ruler.add_patterns([{"label": LABEL, "pattern": " ".join(f), "id": i} for f, i in pats])  # type: ignore[attr-defined]
    if out.exists():
        shutil.rmtree(out)
    nlp.to_disk(out)
    meta = {
        "name": "directive_nlp units",
        "built_at": _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat(),
        "gazetteer_sha256": gz.sha256,
        "patterns_sha256": gz.patterns_sha256(),
        "patterns": len(pats),
        "entries": len(gz),
        "matcher_version": MATCHER_VERSION,
        "tokenizer": TOKENIZER_NAME,
        "spacy_version": spacy.__version__,
        "rebuild": "directive-nlp build-model  (or: make models)",
    }
    (out / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    _MATCHERS.clear()
    _default_state[1] = None
    return model_status(out, gz)


def _dir_size(p: Path) -> int:
    return sum(f.stat().st_size for f in p.rglob("*") if f.is_file())


def model_status(path: str | Path | None = None, gazetteer: Gazetteer | None = None) -> dict:
    """Is the unit model built, from which gazetteer, and is it stale?

    Keys: built, path, patterns, built_at, gazetteer_sha256 (the model's), current_gazetteer_sha256,
    stale (patterns differ from what the current gazetteer and code generate), gazetteer_changed,
    size_bytes, backend (what ``find_units`` will use: "spacy" or "python"), fix (the command
    that builds/refreshes it, None when current).
    """
    p = Path(path) if path else default_model_path()
    gz = gazetteer or load_gazetteer()
    st: dict[str, Any] = {
        "built": False,
        "path": str(p),
        "patterns": None,
        "built_at": None,
        "gazetteer_sha256": None,
        "current_gazetteer_sha256": gz.sha256,
        "stale": None,
        "size_bytes": None,
        "backend": "python",
        "fix": "directive-nlp build-model",
    }
    meta_p = p / META_FILE
    if not (meta_p.exists() and (p / "config.cfg").exists()):
        return st
    try:
        meta = json.loads(meta_p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return st
    st.update(
        built=True,
        patterns=meta.get("patterns"),
        built_at=meta.get("built_at"),
        gazetteer_sha256=meta.get("gazetteer_sha256"),
        size_bytes=_dir_size(p),
    )
    st["stale"] = meta.get("patterns_sha256") != gz.patterns_sha256()
    st["gazetteer_changed"] = meta.get("gazetteer_sha256") != gz.sha256
    if not st["stale"]:
        st["fix"] = None
        if os.environ.get(BACKEND_ENV) != "python":
            st["backend"] = "spacy"
    return st


class SpacyUnitMatcher:
    """The built spaCy pipeline, giving the same spans as :meth:`Gazetteer.match`."""

    def __init__(self, path: str | Path, gazetteer: Gazetteer):
        import spacy

        register_spacy()
        self.path = Path(path)
        self.gazetteer = gazetteer
        self.nlp = spacy.load(self.path)

    def find(self, text: str) -> list[UnitSpan]:
        if not text:
            return []
        doc = self.nlp(text)
        raw = [(sp.start, sp.end, sp.id_) for sp in doc.spans[SPANS_KEY]]
        return self.gazetteer.match(text, raw=raw, toks=doc.user_data["tokens"])


_MATCHERS: dict[tuple[str, str], SpacyUnitMatcher | None] = {}


def load_matcher(
    path: str | Path | None = None, gazetteer: Gazetteer | None = None
) -> SpacyUnitMatcher | None:
    """The spaCy matcher at ``path`` if built and current for ``gazetteer``, else None (cached)."""
    gz = gazetteer or load_gazetteer()
    p = Path(path) if path else default_model_path()
    ck = (str(p), gz.sha256)
    if ck not in _MATCHERS:
        st = model_status(p, gz)
        m = None
        if st["built"] and not st["stale"]:
            try:
                m = SpacyUnitMatcher(p, gz)
            except (
                ImportError,
                OSError,
                ValueError,
                KeyError,
            ) as e:  # a broken artefact must not break extraction
                log.warning("unit model at %s cannot be loaded (%s); using the Python matcher", p, e)
        elif st["built"]:
            log.warning(
                "unit model at %s is stale; using the Python matcher (run `directive-nlp build-model`)", p
            )
        _MATCHERS[ck] = m
    return _MATCHERS[ck]


def _default_matcher(gz: Gazetteer) -> SpacyUnitMatcher | None:
    return load_matcher(None, gz)


__all__ = [
    "LEVELS",
    "Gazetteer",
    "GazetteerError",
    "SpacyUnitMatcher",
    "Tok",
    "UnitEntry",
    "UnitMatch",
    "UnitSpan",
    "build_model",
    "data_hash",
    "default_model_path",
    "find_units",
    "load_gazetteer",
    "load_matcher",
    "looks_like_unit",
    "model_status",
    "register_spacy",
    "tokenize",
    "unit_key",
]
