"""Reports benchmark at scale: a 500-document store, timed from the command line.

Builds a store of 500 documents from corpus/ (each corpus document ingested once, then copied
in SQL under new ids, paths and symbols, so the store holds 500 documents and their tasks, unit
links and citations), then times, end to end through the ``directive-nlp`` entry point (median
of N runs, start-up included):

* ``obligations --summary`` and ``obligations --unit …`` (SQL, storage/queries.py)
* ``obligations --format xlsx`` of every task, and ``--format docx`` of one unit's tasks
* ``search`` and ``units``
* ``graph --format html`` (aggregated view): time to write, page size, and in headless
  Chromium (when installed) the time from navigation to the end of the first drawing.

Writes outputs/bench_ux.json and prints it.

    python bench/ux.py [--docs 500] [--runs 3] [--out FILE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from directive_nlp.ingest import ingest_paths
from directive_nlp.storage.store import Store, default_output_dir

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
UNIT = "Bộ Công an"
AS_OF = "01/09/2025"


def build_store(db: Path, n_docs: int) -> dict[str, int]:
    """Ingest corpus/ once, then copy its documents until the store holds ``n_docs``."""
    with Store(db, create=True) as store:
        ingest_paths(store, [CORPUS], jobs=1)
        sdb = store.db
        originals = list(sdb.query("SELECT * FROM documents ORDER BY id"))
        tasks = {
            d["id"]: list(sdb.query("SELECT * FROM tasks WHERE doc_id = ?", [d["id"]])) for d in originals
        }
        links = {
            t["id"]: list(sdb.query("SELECT * FROM task_units WHERE task = ?", [t["id"]]))
            for ts in tasks.values()
            for t in ts
        }
        cites = {
            d["id"]: list(sdb.query("SELECT * FROM citations WHERE doc_id = ?", [d["id"]])) for d in originals
        }
        next_doc = max(d["id"] for d in originals) + 1
        next_task = int(sdb.execute("SELECT MAX(id) FROM tasks").fetchone()[0]) + 1
        copy = 0
        with sdb.conn:
            while next_doc <= n_docs:
                src = originals[copy % len(originals)]
                copy += 1
                doc = dict(src)
                doc["id"] = next_doc
                doc["path"] = f"{src['path']}#copy{copy}"
                doc["file_name"] = f"copy{copy}_{src['file_name']}"
                symbol = f"{copy}-KH/BENCH" if src["symbol"] or copy % 2 else None
                doc["symbol"] = symbol
                doc["symbol_key"] = symbol.casefold() if symbol else None
                extraction = json.loads(src["extraction"] or "{}")
                extraction.setdefault("document", {})["symbol"] = symbol
                doc["extraction"] = json.dumps(extraction, ensure_ascii=False)
                sdb["documents"].insert(doc)
                new_tasks, new_links = [], []
                for t in tasks[src["id"]]:
                    row = dict(t, id=next_task, doc_id=next_doc)
                    new_tasks.append(row)
                    new_links += [dict(link, task=next_task) for link in links[t["id"]]]
                    next_task += 1
                sdb["tasks"].insert_all(new_tasks, batch_size=500)
                sdb["task_units"].insert_all(new_links, batch_size=500)
                sdb["citations"].insert_all(
                    [
                        {k: v for k, v in dict(c, doc_id=next_doc).items() if k != "id"}
                        for c in cites[src["id"]]
                    ]
                )
                next_doc += 1
        return store.counts()


def timed(args: list[str], runs: int, env: dict[str, str]) -> dict[str, Any]:
    times = []
    out = ""
    for _ in range(runs):
        t0 = time.perf_counter()
        r = subprocess.run(
            [sys.executable, "-m", "directive_nlp", *args], capture_output=True, text=True, env=env
        )
        times.append(time.perf_counter() - t0)
        if r.returncode != 0:
            raise SystemExit(f"directive-nlp {' '.join(args)} failed: {r.stderr}")
        out = r.stdout
    return {"seconds": round(statistics.median(times), 3), "runs": runs, "stdout_bytes": len(out)}


def startup(runs: int, env: dict[str, str]) -> float:
    return timed(["--help"], runs, env)["seconds"]


def in_process(db: Path, runs: int) -> dict[str, float]:
    """The queries alone (no start-up): SQL answers, and the store's Python walk for comparison."""
    from directive_nlp.storage import queries

    def best(fn: Any) -> float:
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        return round(min(times), 4)

    with Store(db, create=False) as store:
        queries.unit_keys(store.db, UNIT)  # warm the unit gazetteer once
        return {
            "queries.summary": best(lambda: queries.summary(store.db, as_of="2025-09-01")),
            "queries.obligations(unit)": best(lambda: queries.obligations(store.db, unit=UNIT)),
            "queries.obligations(all)": best(lambda: queries.obligations(store.db)),
            "queries.unit_counts": best(lambda: queries.unit_counts(store.db)),
            "queries.search": best(lambda: queries.search(store, "chuyen doi so")),
            "Store.summary (before: Python walk)": best(lambda: store.summary(as_of="2025-09-01")),
        }


def chromium_paint(page: Path) -> dict[str, Any] | None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        return None
    with tempfile.TemporaryDirectory() as profile:
        t0 = time.perf_counter()
        r = subprocess.run(
            [
                browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-extensions",
                "--proxy-server=127.0.0.1:9", f"--user-data-dir={profile}", "--window-size=1400,900",
                "--virtual-time-budget=30000", "--dump-dom", page.as_uri(),
            ],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        wall = time.perf_counter() - t0
    m = re.search(r'data-first-paint-ms="(\d+)"', r.stdout)
    return {"first_paint_ms": int(m.group(1)) if m else None, "browser_wall_s": round(wall, 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=500)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", type=Path, default=default_output_dir() / "bench_ux.json")
    a = ap.parse_args()
    env = dict(os.environ)
    env.setdefault("PYTHONPATH", str(ROOT / "src"))
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        db = tmp / "bench.db"
        t0 = time.perf_counter()
        counts = build_store(db, a.docs)
        build_s = time.perf_counter() - t0
        d = ["--db", str(db)]
        res: dict[str, Any] = {
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "store": counts,
            "store_build_s": round(build_s, 1),
            "startup_s (directive-nlp --help)": startup(a.runs, env),
        }
        res["in_process_s"] = in_process(db, a.runs)
        res["obligations --summary"] = timed(["obligations", "--summary", "--as-of", AS_OF, *d], a.runs, env)
        res["obligations --summary --format json"] = timed(
            ["obligations", "--summary", "--format", "json", *d], a.runs, env
        )
        res["obligations --unit (json)"] = timed(
            ["obligations", "--unit", UNIT, "--format", "json", *d], a.runs, env
        )
        xlsx = tmp / "all.xlsx"
        res["obligations --format xlsx (all tasks)"] = timed(
            ["obligations", "--format", "xlsx", "-o", str(xlsx), "--as-of", AS_OF, *d], 1, env
        ) | {"bytes": xlsx.stat().st_size}
        docx = tmp / "unit.docx"
        res["obligations --unit --format docx"] = timed(
            ["obligations", "--unit", UNIT, "--format", "docx", "-o", str(docx), "--as-of", AS_OF, *d], 1, env
        ) | {"bytes": docx.stat().st_size}
        res["search"] = timed(["search", "chuyen doi so", "--format", "json", *d], a.runs, env)
        res["units"] = timed(["units", "--format", "json", *d], a.runs, env)
        page = tmp / "graph.html"
        res["graph --format html (aggregated)"] = timed(
            ["graph", "--format", "html", "-o", str(page), "--no-align", *d], 1, env
        ) | {"bytes": page.stat().st_size, "chromium": chromium_paint(page)}
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(res, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(res, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
