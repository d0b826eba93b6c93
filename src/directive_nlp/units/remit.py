"""The remit of implementing bodies above the local level (data: ``gazetteers/unit_remits.toml``).

``within_remit("assembly", text)`` says whether a task with no addressee of its own (the implied
lead is the issuer of a resolution addressed to the whole political system) falls within the
remit of a body of that bloc, and by which phrase.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache

from ..normalise.text import fold
from ..resources import gazetteer_path

DATA_FILE = "unit_remits.toml"


@dataclass(frozen=True)
class Remit:
    bloc: str
    words: tuple[str, ...]  # folded
    not_words: tuple[str, ...]  # folded

    def match(self, text: str) -> tuple[bool, str | None]:
        """(within the remit, the phrase that decided); (False, phrase) when an excluding
        phrase occurs, (False, None) when no phrase does."""
        f = f" {fold(text)} "
        for w in self.not_words:
            if f" {w} " in f:
                return False, w
        for w in self.words:
            if f" {w} " in f:
                return True, w
        return False, None


@lru_cache(maxsize=1)
def remits() -> dict[str, Remit]:
    path = gazetteer_path(DATA_FILE)
    if not path.exists():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8")).get("remit", {})
    return {
        bloc: Remit(
            bloc,
            tuple(sorted((fold(w) for w in d.get("words", [])), key=len, reverse=True)),
            tuple(fold(w) for w in d.get("not", [])),
        )
        for bloc, d in data.items()
    }


def within_remit(bloc: str, text: str) -> tuple[bool, str | None]:
    """Does a task's subject lie within the remit of an implementing body of ``bloc``?"""
    r = remits().get(bloc)
    return r.match(text) if r else (False, None)
