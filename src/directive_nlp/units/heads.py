"""Does a text open with the name of a unit? The unit-head pattern of ``task_grammar.toml``.

The words that open a unit name (``[units]``: ``heads``, ``generic_openers``, ``not_heads``)
are read here, once, for every stage that needs them: the readers (a flat table's unit cells),
extraction (lead and support lists, addressees) and the task grammar.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache

from ..normalise.text import word_alternation
from ..resources import gazetteer_path


@lru_cache(maxsize=1)
def unit_head() -> re.Pattern[str]:
    """Matches at the start of a unit name (a head word, a generic opener, an abbreviation)."""
    data = tomllib.loads(gazetteer_path("task_grammar.toml").read_text(encoding="utf-8"))["units"]
    heads = word_alternation(data["heads"])
    generic = word_alternation(data["generic_openers"])
    not_heads = word_alternation(data.get("not_heads", [])) or "(?!)"
    return re.compile(
        r"^(?!(?:"
        + not_heads
        + r")(?![\wÀ-ỹ]))(?:(?:"
        + heads
        + r")(?![\wÀ-ỹ])|(?:"
        + generic
        + r")\s+\w|[A-ZĐ]{2}[A-ZĐ&\-]*(?![\wÀ-ỹ]))"  # {2}: {2,} then * backtracked quadratically
    )


def is_unit_start(text: str) -> bool:
    """Does ``text`` open with the name of a unit (or a generic addressee)?"""
    return bool(unit_head().match(text.strip()))
