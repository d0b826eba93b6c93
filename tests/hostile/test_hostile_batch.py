"""Every hostile family in one ``ingest`` batch with good files: the good files are stored, each
bad one is named on one line, nothing prints a traceback, and the store stays sound.

The issue's contract for a batch; the files one at a time are in ``test_hostile_files.py``.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from .generate import generate

ROOT = Path(__file__).resolve().parents[2]
GOOD = ["002_71bab22afd98218f.txt", "nq03_pl2_part1.md"]
MEMORY_LIMIT = 3 << 30


def _limits() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def test_a_hostile_batch_stores_every_good_file(tmp_path):
    folder = tmp_path / "in"
    made = generate(folder)
    for name in GOOD:
        shutil.copy(ROOT / "corpus" / name, folder / name)
    db = tmp_path / "batch.db"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), DIRECTIVE_NLP_LANG="vi")
    res = subprocess.run(
        [sys.executable, "-m", "directive_nlp", "ingest", str(folder), "--db", str(db), "--jobs", "2"],
        capture_output=True,
        timeout=1800,
        env=env,
        stdin=subprocess.DEVNULL,
        preexec_fn=_limits,
    )
    err = res.stderr.decode("utf-8", "replace")
    assert res.returncode == 1, err  # some files are refused
    assert "Traceback" not in err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert all(ln.startswith("directive-nlp: ") for ln in lines), lines[:5]
    # no more lines than files: each refused or skipped file gets one line, nothing else
    assert len(lines) <= len(made) + len(GOOD)
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {r[0] for r in con.execute("SELECT file_name FROM sources")}
        assert set(GOOD) <= stored
        # the good plans keep all their tasks (nothing half-written beside the bad files)
        n = con.execute(
            "SELECT COUNT(*) FROM tasks t JOIN documents d ON d.id = t.doc_id "
            "JOIN sources s ON s.id = d.primary_source WHERE s.file_name = ?",
            [GOOD[0]],
        ).fetchone()[0]
        assert n >= 25
    finally:
        con.close()
