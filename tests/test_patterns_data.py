"""Every example shipped in the gazetteer data files runs as a test, plus integrity checks.

gazetteers/symbol_patterns.toml  symbol grammar, blank self-references, short forms, aliases,
                                  named laws
gazetteers/doc_types.toml        type abbreviations and type words
gazetteers/laws.toml             law names
"""

from __future__ import annotations

import re

import pytest

from directive_nlp.extraction.citations import (
    doc_type_of,
    doc_types,
    find_alias_definitions,
    find_blank_symbols,
    find_named_laws,
    find_short_forms,
    find_symbols,
    load_data,
    symbol_patterns,
)
from directive_nlp.normalise.text import fold

PATTERNS = symbol_patterns()
SYMBOL_DATA = load_data("symbol_patterns.toml")
TYPE_DATA = load_data("doc_types.toml")["type"]
LAW_DATA = load_data("laws.toml")


def _cases(kind: str) -> list[tuple[str, object]]:
    return [(p.name, ex) for p in PATTERNS for ex in getattr(p, kind)]


# --- symbol patterns ---------------------------------------------------------------------------


def test_every_pattern_has_positive_and_negative_examples():
    for p in PATTERNS:
        assert p.examples, p.name
        assert p.counter_examples, p.name


@pytest.mark.parametrize("name,example", _cases("examples"), ids=lambda v: v if isinstance(v, str) else "")
def test_pattern_example(name, example):
    found = find_symbols(example["text"])
    assert [s.canonical for s in found] == [example["canonical"]], example["text"]
    assert found[0].style == name, f"{example['text']!r} matched by {found[0].style}, not {name}"


@pytest.mark.parametrize(
    "name,text", _cases("counter_examples"), ids=lambda v: v if isinstance(v, str) else ""
)
def test_pattern_counter_example(name, text):
    assert [s.canonical for s in find_symbols(text) if s.style == name] == []


def test_pattern_names_are_unique():
    names = [p.name for p in PATTERNS]
    assert len(names) == len(set(names))


def test_canonical_forms_have_no_spaces_and_are_nfc():
    import unicodedata

    for _name, ex in _cases("examples"):
        c = ex["canonical"]
        assert not re.search(r"\s", c)
        assert unicodedata.normalize("NFC", c) == c


# --- document types ----------------------------------------------------------------------------


@pytest.mark.parametrize("entry", TYPE_DATA, ids=lambda t: t["abbr"])
def test_doc_type_examples(entry):
    assert entry.get("examples") and entry.get("counter_examples"), entry["abbr"]
    for ex in entry["examples"]:
        assert doc_type_of(ex) == entry["abbr"], ex
    for ex in entry["counter_examples"]:
        assert doc_type_of(ex) != entry["abbr"], ex


def test_abbreviations_unique_and_never_folded():
    abbrs = [t.abbr for t in doc_types()]
    assert len({a.upper() for a in abbrs}) == len(abbrs)
    # Đ and D are different letters: both members of each pair exist and stay apart
    for a, b in (("HD", "HĐ"), ("DA", "ĐA")):
        assert a in abbrs and b in abbrs
        assert doc_type_of(a) == a and doc_type_of(b) == b


def test_type_words_map_to_one_type():
    seen: dict[str, str] = {}
    for t in doc_types():
        for n in t.names:
            assert seen.setdefault(n.lower(), t.abbr) == t.abbr, n


def test_issuer_abbreviations_are_words():
    for abbr, full in load_data("doc_types.toml")["issuer_abbreviations"].items():
        assert abbr.isupper() and " " in full


# --- blank self-references, short forms, aliases -----------------------------------------------


@pytest.mark.parametrize("example", SYMBOL_DATA["blank"]["examples"], ids=lambda e: e["text"])
def test_blank_example(example):
    found = find_blank_symbols(example["text"])
    assert [(b.type_part, b.issuer) for b in found] == [(example["type"], example["issuer"])]
    assert find_symbols(example["text"]) == [] or all(
        s.end <= found[0].start or s.start >= found[0].end for s in find_symbols(example["text"])
    )


@pytest.mark.parametrize("text", SYMBOL_DATA["blank"]["counter_examples"])
def test_blank_counter_example(text):
    assert find_blank_symbols(text) == []


@pytest.mark.parametrize("example", SYMBOL_DATA["short_form"]["examples"], ids=lambda e: e["text"])
def test_short_form_example(example):
    found = find_short_forms(example["text"])
    assert [(f.words, f.number) for f in found] == [(example["words"], example["number"])]


@pytest.mark.parametrize("text", SYMBOL_DATA["short_form"]["counter_examples"])
def test_short_form_counter_example(text):
    assert find_short_forms(text) == []


@pytest.mark.parametrize("example", SYMBOL_DATA["alias"]["examples"], ids=lambda e: e["text"])
def test_alias_example(example):
    assert [a.alias for a in find_alias_definitions(example["text"])] == [example["alias"]]


@pytest.mark.parametrize("text", SYMBOL_DATA["alias"]["counter_examples"])
def test_alias_counter_example(text):
    assert find_alias_definitions(text) == []


# --- named laws --------------------------------------------------------------------------------


@pytest.mark.parametrize("example", SYMBOL_DATA["named_law"]["examples"], ids=lambda e: e["text"])
def test_named_law_example(example):
    assert [law.key for law in find_named_laws(example["text"])] == example["keys"]


@pytest.mark.parametrize("text", SYMBOL_DATA["named_law"]["counter_examples"])
def test_named_law_counter_example(text):
    assert [law.key for law in find_named_laws(text) if law.symbol is None] == []


@pytest.mark.parametrize("example", LAW_DATA["examples"], ids=lambda e: e["text"])
def test_law_gazetteer_example(example):
    assert [law.key for law in find_named_laws(example["text"])][:1] == [example["key"]]


@pytest.mark.parametrize("text", LAW_DATA["counter_examples"])
def test_law_gazetteer_counter_example(text):
    assert find_named_laws(text) == []


def test_law_gazetteer_integrity():
    heads = [h["head"] for h in SYMBOL_DATA["named_law"]["heads"]]
    names = LAW_DATA["names"]
    assert len({fold(n) for n in names}) == len(names), "duplicate law name"
    for name in names:
        assert any(name.startswith(h + " ") for h in heads), name
        # a known name is found whole, as a sentence would hold it
        assert [law.key for law in find_named_laws(f"theo {name}; và")] == [name], name
