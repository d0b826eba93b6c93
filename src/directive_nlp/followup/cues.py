"""Status cue phrases: where a sentence or a status cell says a task stands.

The phrases are data (``gazetteers/status_cues.toml``, with positive and negative examples run
as tests). Matching is on tone-folded syllables, whole words, leftmost-longest, so
"chưa hoàn thành" hides "hoàn thành" and "thời gian hoàn thành" (a deadline) hides it too.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..normalise.text import clean, syllables
from ..resources import gazetteer_path

CUES_FILE = "status_cues.toml"
NEUTRAL = "none"
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Cue:
    phrase: str
    status: str  # done | in_progress | not_started | overdue | none
    scope: str  # any | cell
    words: tuple[str, ...]


@dataclass(frozen=True)
class CueHit:
    cue: Cue
    start: int  # character span in ``clean(text)``
    end: int


@cache
def load_data() -> dict[str, Any]:
    with gazetteer_path(CUES_FILE).open("rb") as fh:
        return tomllib.load(fh)


@cache
def cues() -> tuple[Cue, ...]:
    out = []
    for group in load_data().get("cue", []):
        for phrase in group["phrases"]:
            out.append(Cue(phrase, group["status"], group.get("scope", "any"), tuple(syllables(phrase))))
    # longest first: the first phrase matching at a place is the longest
    return tuple(sorted(out, key=lambda c: -len(c.words)))


@cache
def _by_first_word() -> dict[str, tuple[Cue, ...]]:
    """Cues by their first syllable, longest first."""
    out: dict[str, list[Cue]] = {}
    for c in cues():
        if c.words:
            out.setdefault(c.words[0], []).append(c)
    return {k: tuple(v) for k, v in out.items()}


def report_config() -> dict[str, Any]:
    """The ``[report]`` table: header words, title words, skipped sections, as-of words."""
    return dict(load_data().get("report", {}))


def find_cues(text: str, *, cell: bool = False) -> list[CueHit]:
    """Cue phrases in ``text`` (non-overlapping, leftmost-longest); ``cell``: a status column.

    Spans are character offsets in ``normalise.text.clean(text)`` (the same length as ``text``
    for NFC input)."""
    tokens = [(m.start(), m.end(), (syllables(m.group()) or [""])[0]) for m in _WORD.finditer(clean(text))]
    words = [w for _, _, w in tokens]
    index = _by_first_word()
    hits: list[CueHit] = []
    i = 0
    while i < len(words):  # leftmost-longest: "bảo đảm hoàn thành đúng tiến độ" is an intention
        best = next(
            (
                c
                for c in index.get(words[i], ())
                if (cell or c.scope != "cell") and tuple(words[i : i + len(c.words)]) == c.words
            ),
            None,
        )
        if best is None:
            i += 1
            continue
        n = len(best.words)
        hits.append(CueHit(best, tokens[i][0], tokens[i + n - 1][1]))
        i += n
    return sorted(hits, key=lambda h: h.start)


def decide(statuses: list[str]) -> str | None:
    """One status from the cues of one item.

    A delay wins (the report says the task is late); done together with anything unfinished
    is partial work (in progress); otherwise in progress beats not started beats done.
    """
    found = {s for s in statuses if s != NEUTRAL}
    if not found:
        return None
    if "overdue" in found:
        return "overdue"
    if "done" in found and found - {"done"}:
        return "in_progress"
    for s in ("in_progress", "not_started", "done"):
        if s in found:
            return s
    return None  # pragma: no cover


def status_of(text: str, *, cell: bool = False) -> str | None:
    """The status ``text`` states, or None ("Đã hoàn thành" -> "done")."""
    return decide([h.cue.status for h in find_cues(text, cell=cell)])


def has_status(text: str) -> bool:
    """True when prose ``text`` states a status."""
    return status_of(text) is not None
