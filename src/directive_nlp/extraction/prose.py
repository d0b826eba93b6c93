"""Resolution prose (spec v1.1 section 2): one task per sentence that states its own obligation.

In the "Nhiệm vụ, giải pháp" part of a central Party resolution, directive or conclusion
(own symbol ending in /TW) a bullet strings several obligations together, one per sentence.
Each such sentence is a task; a sentence that only says how, why or to what standard the
previous one is done ("Việc sửa đổi phải bảo đảm …", "Trong đó, …") stays with it.

Sentences are cut by a regular expression that knows the abbreviations of these texts
("TP. Hồ Chí Minh", "v.v."). It was measured against underthesea's offline ``sent_tokenize``
on the sentences of tests/test_prose.py: both split them alike, and the regular expression
needs no 1.3 s model import, so it is used (see ``SPLITTER_NOTE``).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache

from ..normalise.text import key
from .grammar import data_file

SPLITTER_NOTE = (
    "regex splitter kept: equal to underthesea.sent_tokenize on the test sentences, without its import cost"
)


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class ProseRules:
    issuers: tuple[str, ...]
    parts: re.Pattern
    not_parts: re.Pattern
    elaboration: re.Pattern
    boundary: re.Pattern
    abbreviations: frozenset[str]


@lru_cache(maxsize=1)
def rules() -> ProseRules:
    data = tomllib.loads(data_file("scopes.toml").read_text(encoding="utf-8"))["prose"]
    return ProseRules(
        issuers=tuple(data["issuers"]),
        parts=re.compile(r"(?<!\w)(?:" + "|".join(re.escape(key(w)) for w in data["parts"]) + r")(?!\w)"),
        not_parts=re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(key(w)) for w in data["not_parts"]) + r")(?!\w)"
        ),
        elaboration=re.compile(r"^\W*(?:" + _alt(data["elaboration_openers"]) + r")(?![\wÀ-ỹ])", re.I),
        # a full stop, "!" or "?" then a capital opens a new sentence, unless the word before
        # it is a known abbreviation ("TP. Hồ Chí Minh")
        boundary=re.compile(r"([.!?…])\s+(?=[\"“(]?[A-ZĐÀ-Ỹ])"),
        abbreviations=frozenset(data["abbreviations"]),
    )


def prose_document(symbol: str | None) -> bool:
    """Is the document a central Party text whose task part is prose (symbol ending in /TW)?"""
    if not symbol or "/" not in symbol:
        return False
    return symbol.rsplit("/", 1)[1].upper() in rules().issuers


def prose_part(heading: str) -> bool:
    """Is the part heading a "Nhiệm vụ, giải pháp" part (not "Tổ chức thực hiện")?"""
    k = key(heading[:160])
    return bool(rules().parts.search(k)) and not rules().not_parts.search(k)


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph."""
    out: list[str] = []
    pos = 0
    r = rules()
    for m in r.boundary.finditer(text):
        before = text[: m.start(1)].rsplit(None, 1)[-1] if text[: m.start(1)].strip() else ""
        if before in r.abbreviations or (before.isupper() and len(before) <= 2):
            continue
        out.append(text[pos : m.end(1)].strip())
        pos = m.end()
    tail = text[pos:].strip()
    if tail:
        out.append(tail)
    return [s for s in out if s]


def is_elaboration(sentence: str) -> bool:
    """Does the sentence only say how, why or to what standard the previous one is done?"""
    return bool(rules().elaboration.match(sentence)) or len(sentence.split()) < 4


def split_obligations(text: str) -> list[str]:
    """One piece per sentence that states its own obligation, elaborations kept with it."""
    pieces: list[str] = []
    for s in split_sentences(text):
        if pieces and (is_elaboration(s) or pieces[-1].rstrip().endswith(":")):
            pieces[-1] = f"{pieces[-1]} {s}"
        else:
            pieces.append(s)
    return pieces or [text]


__all__ = [
    "SPLITTER_NOTE",
    "is_elaboration",
    "prose_document",
    "prose_part",
    "split_obligations",
    "split_sentences",
]
