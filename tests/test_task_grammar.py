"""Every word list in gazetteers/task_grammar.toml ships positive and negative examples."""

from __future__ import annotations

import pytest

from directive_nlp.extraction.grammar import grammar
from directive_nlp.extraction.unitlists import is_unit_start
from directive_nlp.normalise.text import key

G = grammar()
D = G.data


# part keywords (which parts assign work) are tested with the scope rules in tests/test_scopes.py


def test_section_keywords_survive_ocr_marks():
    assert G.task_section.search(key("VI. TỔ CHỨC THỤC HIỆN"))


@pytest.mark.parametrize("text", D["units"]["examples"])
def test_unit_examples(text):
    assert is_unit_start(text)


@pytest.mark.parametrize("text", D["units"]["counter_examples"] + D["units"]["not_heads"])
def test_unit_counter_examples(text):
    assert not is_unit_start(text)


@pytest.mark.parametrize("text", D["predicate"]["examples"])
def test_predicate_examples(text):
    assert G.predicate.match(text)


@pytest.mark.parametrize("text", D["predicate"]["counter_examples"])
def test_predicate_counter_examples(text):
    assert not G.predicate.match(text)


def _is_field(text: str) -> bool:
    body = text.lstrip("-+• ").strip()
    fields = (G.field_lead, G.field_support, G.field_deadline, G.field_target, G.field_deliverable)
    return any(p.match(body) for p in fields)


@pytest.mark.parametrize("text", D["fields"]["examples"])
def test_field_examples(text):
    assert _is_field(text)


@pytest.mark.parametrize("text", D["fields"]["counter_examples"])
def test_field_counter_examples(text):
    assert not _is_field(text)


@pytest.mark.parametrize("text", D["non_obligation"]["examples"])
def test_non_obligation_examples(text):
    assert G.non_obligation.match(text)


@pytest.mark.parametrize("text", D["non_obligation"]["counter_examples"])
def test_non_obligation_counter_examples(text):
    assert not G.non_obligation.match(text) and not G.formula.search(text)


@pytest.mark.parametrize("text", D["non_obligation"]["formula_examples"])
def test_formula_examples(text):
    assert G.formula.search(text)


def test_no_duplicate_words():
    for section in ("predicate", "units"):
        words = D[section]["starters" if section == "predicate" else "heads"]
        assert len(words) == len(set(words)), section
