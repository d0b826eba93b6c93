"""Domain vocabulary for alignment: abbreviations and synonyms of directive texts.

Data: ``gazetteers/domain_terms.toml`` (``[[abbreviation]]`` short -> long, ``[[synonym]]``
groups). ``expand`` writes abbreviations out ("25 DVCTT" -> "25 dịch vụ công trực tuyến") and
``canonical`` maps the syllables of a synonym to those of the group's first phrase, so two
tasks that name one thing differently share its terms. ``scope_numbers`` finds the counted
scopes a task names ("25 dịch vụ công", "1.139 thủ tục", "82 nhóm"), which the alignment treats
as terms of their own: a number of that kind is the most specific word a task has.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache

from ..normalise.text import syllables
from ..resources import gazetteer_path

DATA_FILE = "domain_terms.toml"
_REVIEW = re.compile(r"\b(?:rà soát|đánh giá|kiểm tra)\b", re.IGNORECASE)


def reviews(text: str) -> bool:
    """Does the text review or evaluate something ("rà soát", "đánh giá", "kiểm tra")?"""
    return bool(_REVIEW.search(text or ""))


@dataclass(frozen=True)
class Deliverable:
    """The named product an upstream task's first action makes."""

    head: tuple[str, ...]  # folded syllables of the head noun ("quy định")
    words: tuple[str, ...]  # folded content syllables that follow it ("tạm thời", "giao", …)
    phrase: str  # as written
    review: bool = False  # the action reviews an existing product ("rà soát, đánh giá hiệu quả …")

    def carried_by(self, text: str, vocabulary: Vocabulary) -> bool:
        """Does a text name the product: its head and at least half of its words?"""
        toks = vocabulary.canonical(syllables(vocabulary.expand(text)))
        n = len(self.head)
        if not any(tuple(toks[i : i + n]) == self.head for i in range(len(toks) - n + 1)):
            return False
        if not self.words:
            return True
        have = set(toks)
        return sum(w in have for w in self.words) >= 0.5 * len(self.words)


@dataclass(frozen=True)
class Vocabulary:
    abbreviations: tuple[tuple[str, str], ...]  # (short, long), longest short first
    synonyms: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]  # (syllables, canonical syllables)
    pattern: re.Pattern[str] | None
    deliverable_rx: re.Pattern[str] | None = None

    def expand(self, text: str) -> str:
        if not self.pattern or not text:
            return text
        table = dict(self.abbreviations)
        return self.pattern.sub(lambda m: table[m.group(0)], text)

    def canonical(self, tokens: list[str]) -> list[str]:
        """The syllables with every synonym replaced by its group's first phrase."""
        if not self.synonyms:
            return tokens
        out: list[str] = []
        i = 0
        while i < len(tokens):
            for src, dst in self.synonyms:
                if tuple(tokens[i : i + len(src)]) == src:
                    out.extend(dst)
                    i += len(src)
                    break
            else:
                out.append(tokens[i])
                i += 1
        return out

    def deliverable(
        self, text: str, stop: frozenset[str] = frozenset(), n_words: int = 4
    ) -> Deliverable | None:
        """The product the task's first sentence makes, if its action makes one."""
        if not self.deliverable_rx or not text:
            return None
        first = re.split(r"(?<=[.;])\s", text, maxsplit=1)[0]
        m = self.deliverable_rx.search(self.expand(first))
        if not m:
            return None
        words: list[str] = []
        for sy in self.canonical(syllables(m.group("rest"))):
            if sy in stop or sy.isdigit():
                continue
            words.append(sy)
            if len(words) == n_words:
                break
        if not words:
            return None  # a bare head ("các hệ thống") names no particular product
        head = tuple(self.canonical(syllables(m.group("head"))))
        review = bool(_REVIEW.search(m.group(0)))
        return Deliverable(head, tuple(words), (m.group("head") + m.group("rest")).strip(), review)


def parse(data: dict) -> Vocabulary:
    abbrs = sorted(((a["short"], a["long"]) for a in data.get("abbreviation", [])), key=lambda x: -len(x[0]))
    pattern = (
        re.compile(r"(?<![\w&])(?:" + "|".join(re.escape(s) for s, _ in abbrs) + r")(?![\w&])")
        if abbrs
        else None
    )
    syn: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    for group in data.get("synonym", []):
        words = [tuple(syllables(w)) for w in group["words"]]
        for w in words[1:]:
            if w != words[0]:
                syn.append((w, words[0]))
    syn.sort(key=lambda x: -len(x[0]))
    dv = data.get("deliverable") or {}
    deliverable_rx = None
    if dv.get("verbs") and dv.get("heads"):
        verbs = "|".join(re.escape(v) for v in sorted(dv["verbs"], key=len, reverse=True))
        heads = "|".join(re.escape(h) for h in sorted(dv["heads"], key=len, reverse=True))
        deliverable_rx = re.compile(
            rf"(?:^|[\s,])(?:{verbs})(?:\s*(?:,|và)\s*(?:{verbs}))*\s+(?:các\s+|một\s+)?"
            rf"(?P<head>{heads})\b(?P<rest>[^,.;:()]{{0,80}})",
            re.IGNORECASE,
        )
    return Vocabulary(tuple(abbrs), tuple(syn), pattern, deliverable_rx)


@lru_cache(maxsize=1)
def load() -> Vocabulary:
    path = gazetteer_path(DATA_FILE)
    if not path.exists():
        return Vocabulary((), (), None)
    return parse(tomllib.loads(path.read_text(encoding="utf-8")))


# A counted scope: a number (not a date, year, percentage, document number or ordinal) followed
# by a word: "25 dịch vụ", "1.139 thủ tục", "82 nhóm", "12 cơ sở dữ liệu".
_SCOPE_NUMBER = re.compile(r"(?<![\w./,-])(\d{1,3}(?:\.\d{3})+|\d{2,})(?![\w./,%-])(?=\s+[^\W\d])")
_NOT_A_SCOPE_BEFORE = re.compile(r"(?:ngày|tháng|năm|quý|số|giờ|khoản|điều|mục|giai đoạn|đến|từ)\s*$", re.I)
_NOT_A_SCOPE_AFTER = re.compile(r"\s+(?:năm|tháng|ngày|giờ|phút|%|lần)\b", re.I)


def scope_numbers(text: str) -> list[str]:
    out = []
    for m in _SCOPE_NUMBER.finditer(text or ""):
        value = m.group(1).replace(".", "")
        if 1900 <= int(value) <= 2100 and "." not in m.group(1):
            continue
        if _NOT_A_SCOPE_BEFORE.search(text[max(0, m.start() - 12) : m.start()]):
            continue
        if _NOT_A_SCOPE_AFTER.match(text[m.end() : m.end() + 8]):
            continue
        out.append(value)
    return out
