"""The library's face: the calls a notebook user makes give the same answers as the CLI's."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from directive_nlp import api

ROOT = Path(__file__).resolve().parents[1]
WARD = ROOT / "corpus" / "002_71bab22afd98218f.txt"
CENTRAL = ROOT / "corpus" / "001_83d4318d260d4f48.txt"


def test_check_from_the_library_equals_the_cli(tmp_path):
    report = api.check(WARD, CENTRAL)
    res = subprocess.run(
        [sys.executable, "-m", "directive_nlp", "check", str(WARD), "--against", str(CENTRAL), "-f", "json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert res.returncode == 0, res.stderr
    cli = json.loads(res.stdout)
    lib = report.to_dict()
    assert [(i["upstream_task"], i["status"]) for i in lib["items"]] == [
        (i["upstream_task"], i["status"]) for i in cli["items"]
    ]
    assert any(i["status"] == "missing" for i in lib["items"])


def test_ingest_then_search_and_status_through_the_library(tmp_path):
    db = tmp_path / "x.db"
    report = api.ingest([WARD], db, jobs=1)
    assert report.to_dict()["added"] == 1
    hits = api.search("an ninh mạng", db)
    assert hits and "an ninh mạng" in hits[0]["text"].lower()
    # no progress report is stored: every task is unreported, or overdue once its date passed
    reg = api.status(db, as_of="31/12/2025")
    statuses = [r.status for r in reg.rows]
    assert len(statuses) == report.to_dict()["tasks"]
    assert set(statuses) <= {"unreported", "overdue"} and "unreported" in statuses
    overdue = [r for r in reg.rows if r.status == "overdue"]
    assert all(r.due and r.due < "2025-12-31" for r in overdue)
