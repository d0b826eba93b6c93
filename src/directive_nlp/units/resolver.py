"""The one answer to "which unit is this, at which level, in which bloc": the gazetteer's
where it knows the name (``units.gazetteer``), else the rules (``units.rules``).

Used by the gap check (applicability, lead comparison), the graph (unit nodes and levels) and
the store (unit identity of task leads and partners).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..normalise.text import collapse
from ..normalise.text import key as text_key
from .gazetteer import Gazetteer, GazetteerError, load_gazetteer
from .rules import (
    LEVELS,
    fallback_counterpart,
    fallback_levels,
    fallback_relative,
    fallback_same_unit,
    is_whole_system,
)

_ASK_ERRORS = (KeyError, ValueError, TypeError, LookupError)


def unit_names(raw: str) -> list[str]:
    """Alternative names of one unit (gold files separate them with '|')."""
    return [collapse(n) for n in str(raw).split("|") if collapse(n)]


@dataclass
class UnitResolver:
    """Answers about unit names: the gazetteer's where it has them, else the rules."""

    gazetteer: Gazetteer | None = None
    notes: list[str] = field(default_factory=list)
    _memo: dict[tuple[Any, ...], Any] = field(default_factory=dict, repr=False)  # answers asked before

    def _ask(self, method: str, *args: Any) -> Any:
        memo = (method, *args)
        if memo not in self._memo:
            g = self.gazetteer
            fn = getattr(g, method, None) if g is not None else None
            try:
                self._memo[memo] = fn(*args) if fn is not None else None
            except _ASK_ERRORS:
                self._memo[memo] = None
        return self._memo[memo]

    def levels_of(self, name: str) -> set[str]:
        if is_whole_system(name):
            return set(LEVELS)
        got = self._ask("levels_of", name)
        if got:
            return {lv for lv in got if lv in LEVELS}
        return fallback_levels(name)

    def levels(self, raw: str) -> list[str]:
        """Levels of a unit given with alternative names ("A|B"), in LEVELS order."""
        found: set[str] = set()
        for name in unit_names(raw):
            found |= self.levels_of(name)
        return [lv for lv in LEVELS if lv in found]

    def same_unit(self, a: str, b: str) -> bool:
        got = self._ask("same_unit", a, b)
        return bool(got) or fallback_same_unit(a, b)

    def counterpart(self, name: str, level: str) -> str | None:
        got = self._ask("counterpart", name, level)
        if got:
            return got if isinstance(got, str) else getattr(got, "name", None) or str(got)
        return fallback_counterpart(name, level)

    def kind(self, name: str) -> str | None:
        """The gazetteer's kind of unit ("bo", "so", "to_chuc_ctxh", "doanh_nghiep" …), if known."""
        entry = self._ask("lookup", name)
        return getattr(entry, "kind", None)

    def relative(self, name: str) -> bool:
        """Does the name mean "the relevant bodies of whoever writes" ("các cơ quan liên quan")?"""
        entry = self._ask("lookup", name)
        if entry is not None and hasattr(entry, "relative"):
            return bool(entry.relative)
        return fallback_relative(name)

    def canonical(self, raw: str) -> str | None:
        """The gazetteer's canonical name of a unit, if it knows one of its names."""
        for name in unit_names(raw):
            found = self._ask("canonical", name)
            if found:
                return str(found)
        return None

    def identity(self, name: str) -> tuple[str, str]:
        """(key, display name): a known unit's entry id and canonical name ("UBND phường" ->
        ("ubnd_phuong", "Ủy ban nhân dân phường")); else its comparison key (abbreviations
        expanded by the gazetteer when there is one) and the name as written."""
        first = (unit_names(name) or [name])[0]
        entry = self._ask("lookup", first)
        entry_id = getattr(entry, "id", None)
        if isinstance(entry_id, str) and entry_id:
            return entry_id, str(getattr(entry, "name", None) or first)
        k = self._ask("key", first)
        return (str(k) if k else text_key(first)), first

    def key(self, raw: str) -> str:
        """The node key of a unit: canonical name when known, else the identity key."""
        names = unit_names(raw) or [raw]
        return self.canonical(raw) or self.identity(names[0])[0] or names[0]

    @property
    def source(self) -> str:
        return "gazetteer" if self.gazetteer is not None else "built-in rules"


def load_resolver(use_gazetteer: bool = True) -> UnitResolver:
    """A resolver over the gazetteer (rules only when it is not wanted or its data is broken,
    with a note saying so)."""
    if not use_gazetteer:
        return UnitResolver(None)
    try:
        return UnitResolver(load_gazetteer())
    except (OSError, GazetteerError, ValueError, KeyError) as e:  # broken data must not stop a check
        return UnitResolver(None, [f"unit gazetteer failed to load ({e}); built-in level rules used"])


@lru_cache(maxsize=1)
def default_resolver() -> UnitResolver:
    """The process-wide resolver (gazetteer loaded once)."""
    return load_resolver()


def unit_identity(name: str) -> tuple[str, str]:
    """(key, display name) of a unit name, by the default resolver."""
    return default_resolver().identity(name)


def alternatives(name: str) -> list[str]:
    """Gold files and sheets may list alternative names of one unit as "A|B"."""
    return [a.strip() for a in name.split("|") if a.strip()] or [name]


@lru_cache(maxsize=65536)
def same_unit(a: str, b: str) -> bool:
    """True when two unit names (each possibly "A|B") denote the same unit, by the default resolver."""
    resolver = default_resolver()
    return any(resolver.same_unit(x, y) for x in alternatives(a) for y in alternatives(b))
