"""Loads ``gazetteers/task_grammar.toml`` and compiles its word lists into regexes."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..normalise.text import key
from ..normalise.text import word_alternation as _alt
from ..resources import gazetteer_path
from ..units.heads import unit_head


def data_file(name: str) -> Path:
    """A gazetteer data file (``task_grammar.toml``, ``scopes.toml``)."""
    return gazetteer_path(name)


def _key_alt(words: list[str]) -> str:
    return "|".join(re.escape(key(w)).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class Grammar:
    data: dict
    task_section: re.Pattern
    non_task_section: re.Pattern
    unit_head: re.Pattern  # matches at the start of a unit name
    predicate: re.Pattern  # a predicate starter word (lower case), as a whole word
    field_lead: re.Pattern
    field_support: re.Pattern
    field_deadline: re.Pattern
    field_target: re.Pattern
    field_deliverable: re.Pattern
    non_obligation: re.Pattern
    formula: re.Pattern
    composition: re.Pattern  # after a subject: "gồm …" states who sits on a body, no obligation


@lru_cache(maxsize=1)
def grammar() -> Grammar:
    data = tomllib.loads(data_file("task_grammar.toml").read_text(encoding="utf-8"))
    parts = tomllib.loads(data_file("scopes.toml").read_text(encoding="utf-8"))["parts"]
    non_task = [
        w
        for kind in ("goals", "purposes", "requirements", "viewpoints", "recipients", "other")
        for w in parts[kind]
    ]
    pred, fields = data["predicate"], data["fields"]
    label = r"^\W{{0,3}}(?:{})(?:\s*\([^)]{{0,40}}\)|[^:()]{{0,40}})?\s*:\s*"
    return Grammar(
        data=data,
        # section keywords are matched on diacritic-free keys (normalise.text.key): OCR drops
        # or changes marks in headings ("TỔ CHỨC THỤC HIỆN")
        task_section=re.compile(r"(?<!\w)(?:" + _key_alt(parts["tasks"]) + r")(?!\w)"),
        non_task_section=re.compile(r"(?<!\w)(?:" + _key_alt(non_task) + r")(?!\w)"),
        unit_head=unit_head(),
        predicate=re.compile(r"(?<![\wÀ-ỹ])(?:" + _alt(pred["starters"]) + r")(?![\wÀ-ỹ])"),
        field_lead=re.compile(label.format(_alt(fields["lead"])), re.I),
        field_support=re.compile(label.format(_alt(fields["support"])), re.I),
        field_deadline=re.compile(label.format(_alt(fields["deadline"])), re.I),
        field_target=re.compile(label.format(_alt(fields["target"])), re.I),
        field_deliverable=re.compile(label.format(_alt(fields["deliverable"])), re.I),
        non_obligation=re.compile(r"^\W*(?:" + _alt(data["non_obligation"]["openers"]) + r")", re.I),
        composition=re.compile(r"(?<=\s)(?:" + _alt(data["non_obligation"]["composition"]) + r")(?![\wÀ-ỹ])"),
        formula=re.compile(_alt(data["non_obligation"].get("formulas", [])) or "(?!)", re.I),
    )
