"""Integrity of the gazetteer data files (gazetteers/*.toml).

Every name maps to one entry, ids are unique, levels and kinds are valid, references resolve,
dates are ordered, and every entry's examples resolve to it (and are found in running text).
"""

from __future__ import annotations

import tomllib

import pytest

from directive_nlp.resources import data_dir
from directive_nlp.units.gazetteer import DATA_FILES, LEVELS, load_gazetteer


@pytest.fixture(scope="module")
def gz():
    return load_gazetteer()


def test_files_parse():
    for name in DATA_FILES:
        p = data_dir() / name
        assert p.exists(), p
        tomllib.loads(p.read_text(encoding="utf-8"))


def test_ids_unique_and_templates_expanded(gz):
    assert gz.duplicate_ids == []
    ids = [e.id for e in gz]
    assert len(ids) == len(set(ids))
    for e in gz:
        assert "{" not in e.id + e.name + "".join(e.names) + "".join(e.examples), e.id
        assert e.id.isascii() and e.id == e.id.lower() and " " not in e.id, e.id


def test_every_name_maps_to_one_entry(gz):
    assert gz.key_conflicts == []
    for e in gz:
        for n in e.names:
            m = gz.resolve(n)
            assert m is not None and m.entry.id == e.id and m.method == "exact", (e.id, n)


def test_every_pattern_maps_to_one_entry(gz):
    pats = gz.patterns()
    assert gz.pattern_conflicts == []
    assert len({f for f, _ in pats}) == len(pats)
    ids = {e.id for e in gz}
    assert {i for _, i in pats} <= ids


def test_levels_and_kinds_valid(gz):
    kinds = set(gz.kinds)
    assert set(gz.schema["levels"]) == set(LEVELS)
    for e in gz:
        assert e.levels <= set(LEVELS), e.id
        assert e.kind in kinds, (e.id, e.kind)
        if e.relative:
            assert not e.levels, e.id
        if not e.generic and not e.relative:
            assert e.levels, f"{e.id}: a named unit needs a level"


def test_references_resolve(gz):
    for e in gz:
        for level, target in e.counterparts.items():
            assert level in LEVELS, (e.id, level)
            t = gz.get(target)
            assert t is not None, (e.id, target)
            assert level in t.levels, f"{e.id} -> {target}: counterpart is not at level {level}"
        for target in e.by_locality.values():
            assert gz.get(target) is not None, (e.id, target)
        if e.parent:
            assert gz.get(e.parent) is not None, (e.id, e.parent)
        if e.successor:
            s = gz.get(e.successor)
            assert s is not None, (e.id, e.successor)
            assert e.valid_until is not None, f"{e.id}: a successor needs valid_until"
            assert s.valid_until is None or s.valid_until > e.valid_until, e.id
            assert s.valid_from is None or (s.valid_from - e.valid_until).days <= 1, e.id


def test_dates_ordered(gz):
    for e in gz:
        if e.valid_from and e.valid_until:
            assert e.valid_from < e.valid_until, e.id


def test_examples_resolve_to_their_entry(gz):
    n = 0
    for e in gz:
        for ex in e.examples:
            m = gz.resolve(ex)
            assert m is not None and m.entry.id == e.id, (e.id, ex, m and m.entry.id)
            n += 1
    assert n > 500


def test_examples_found_in_running_text(gz):
    """An example that is not lookup-only is found by find_units as exactly one span."""
    for e in gz:
        if not e.text_names:
            continue
        lookup_only = {gz.key(x) for x in e.lookup_only}
        for ex in e.examples:
            if gz.key(ex) in lookup_only:
                continue
            spans = gz.find_units(f"Giao {ex} chủ trì.", backend="python")
            assert [(s.id, s.text) for s in spans] == [(e.id, ex.strip())], (e.id, ex)


def test_abbreviations_well_formed(gz):
    shorts = set()
    for short, long, _contract, written in gz.abbreviations:
        assert short and long and short != long, written
        assert short not in shorts, f"duplicate abbreviation {written}"
        shorts.add(short)
        assert len(written.split()) == 1, f"abbreviation {written!r} must be one written token"


def test_components_and_heads_valid():
    addr = tomllib.loads((data_dir() / "addressee_levels.toml").read_text(encoding="utf-8"))
    for c in addr["component"]:
        assert set(c.get("levels", [])) <= set(LEVELS)
        assert c["words"]
    heads = tomllib.loads((data_dir() / "unit_heads.toml").read_text(encoding="utf-8"))
    for h in heads["head"]:
        assert h.get("next", "any") in ("any", "capital", "word")
        assert h.get("level") in (None, *LEVELS)


def test_generic_addressee_file_entries(gz):
    generic = [e for e in gz if e.generic]
    assert len(generic) >= 30
    for e in generic:
        assert e.source == "addressees" and e.kind == "generic"


def test_every_level_has_units(gz):
    for level in LEVELS:
        assert sum(1 for e in gz if not e.generic and e.levels == {level}) >= 20, level
