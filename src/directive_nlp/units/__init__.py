"""Unit knowledge, in one place: who a unit name denotes, at which government level, in which
bloc, and its local counterparts.

* ``gazetteer``: the data (``gazetteers/units.toml``, ``addressee_levels.toml``,
  ``unit_abbreviations.toml``, ``unit_heads.toml``), lookup, canonical names, levels,
  counterparts, head words, name patterns, the unit matcher (``find_units``) and its spaCy
  artefact (``build-model``);
* ``rules``: the rule engine for names the gazetteer does not know (levels, blocs, generic and
  relative addressees, enterprises, regular counterparts);
* ``resolver``: ``UnitResolver``, the gazetteer first and the rules after, used by the gap
  check, the graph and the store.
"""

from .gazetteer import (
    DATA_FILES,
    Gazetteer,
    GazetteerError,
    UnitEntry,
    UnitSpan,
    build_model,
    find_units,
    load_gazetteer,
    looks_like_unit,
    model_status,
)
from .resolver import (
    UnitResolver,
    alternatives,
    default_resolver,
    load_resolver,
    same_unit,
    unit_identity,
    unit_names,
)
from .rules import (
    LEVELS,
    LOCAL_LEVELS,
    blocs,
    is_bloc_head,
    is_enterprise,
    is_generic,
    is_whole_system,
    levels_by_rule,
)

__all__ = [
    "alternatives",
    "same_unit",
    "DATA_FILES",
    "LEVELS",
    "LOCAL_LEVELS",
    "Gazetteer",
    "GazetteerError",
    "UnitEntry",
    "UnitResolver",
    "UnitSpan",
    "blocs",
    "build_model",
    "default_resolver",
    "find_units",
    "is_bloc_head",
    "is_enterprise",
    "is_generic",
    "is_whole_system",
    "levels_by_rule",
    "load_gazetteer",
    "load_resolver",
    "looks_like_unit",
    "model_status",
    "unit_identity",
    "unit_names",
]
