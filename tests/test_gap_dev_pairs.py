"""The gap check on the two development pairs, from the CLI, scored by the shared scorer
(``../shared/tools/score.py gapcheck``): the ward plan (002) and the city notice (003), each
against 02-KH/BCĐTW, extracted from the corpus texts by the real pipeline.

Issue 11 asks for missing F1 >= 0.85 and distorted|partial F1 >= 0.75 on each pair. The
floors asserted here are what the check reaches today (002: 0.80 / 0.79; 003: 1.00 / 0.76);
the one figure still below the issue's target (missing on the ward plan: one of three gold
gaps is judged distorted) is kept as a strict expected failure, so that reaching it turns this
file red until the floor is raised.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from directive_nlp.cli import app

PAIRS = {"002_vs_001": "002_71bab22afd98218f", "003_vs_001": "003_79301f997b111d77"}
UPSTREAM = "001_83d4318d260d4f48"
FLOORS = {"002_vs_001": (0.80, 0.75), "003_vs_001": (0.85, 0.75)}
TARGET = (0.85, 0.75)


def _scorer(shared: Path):
    spec = importlib.util.spec_from_file_location("gap_scorer", shared / "tools/score.py")
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


@pytest.fixture(scope="module")
def scores(shared) -> dict[str, dict]:
    runner = CliRunner()
    score = _scorer(shared)
    out = {}
    for name, stem in PAIRS.items():
        res = runner.invoke(
            app,
            [
                "check",
                str(shared / f"corpus/{stem}.txt"),
                "--against",
                str(shared / f"corpus/{UPSTREAM}.txt"),
                "--format",
                "json",
            ],
        )
        assert res.exit_code == 0, res.output
        pred = json.loads(res.stdout)
        gold = json.loads((shared / f"gold/gap/{name}.json").read_text(encoding="utf-8"))
        out[name] = score.score_gapcheck(gold, pred)
    return out


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_flags_reach_the_floor(scores, name):
    missing, distorted = FLOORS[name]
    got = scores[name]
    assert got["missing"]["f1"] >= missing, got["missing"]
    assert got["distorted"]["f1"] >= distorted, got["distorted"]
    n, total = (int(x) for x in got["applicable_paired"].split("/"))
    assert n == total  # every applicable gold task has its item


@pytest.mark.xfail(strict=True, reason="issue 11 target: missing F1 0.80 on the ward plan (one miss)")
def test_issue_target_missing_ward_plan(scores):
    assert scores["002_vs_001"]["missing"]["f1"] >= TARGET[0]


def test_issue_targets_already_met(scores):
    assert scores["003_vs_001"]["missing"]["f1"] >= TARGET[0]
    assert scores["002_vs_001"]["distorted"]["f1"] >= TARGET[1]
    assert scores["003_vs_001"]["distorted"]["f1"] >= TARGET[1]
