"""Gap-check scaling benchmark: does the check stay near-linear in the number of tasks?

Extracts a development pair once (ward plan 002 or city notice 003 against 02-KH/BCĐTW), then
times ``linking.gapcheck.check`` (CPU time, median of N rounds) on the pair as it is and on
its k-fold concatenations (each document's task list repeated k times under new ids and
sections, so the local document has k× the tasks and the upstream k× too). Reports each cost
as a ratio to the 1× cost; the target (issue 15) is ≤ 5× at 4×. Writes outputs/bench_gapcheck.json.

    python bench/gapcheck.py [--pair 002|003] [--rounds N] [--folds 1,2,4] [--out FILE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from directive_nlp.extraction.pipeline import extract_file  # noqa: E402
from directive_nlp.linking.gapcheck import check  # noqa: E402

SHARED = ROOT.parent / "shared"
UPSTREAM = "001_83d4318d260d4f48"
LOCALS = {"002": "002_71bab22afd98218f", "003": "003_79301f997b111d77"}


def folded(ex: dict[str, Any], k: int) -> dict[str, Any]:
    """The extraction with its task list repeated ``k`` times (ids and sections made unique)."""
    tasks = []
    for r in range(k):
        for t in ex["tasks"]:
            c = dict(t)
            c["id"] = f"{t['id']}" if r == 0 else f"{t['id']}r{r}"
            c["section"] = f"{t.get('section') or ''}" if r == 0 else f"R{r}.{t.get('section') or ''}"
            tasks.append(c)
    return dict(ex, tasks=tasks)


def cpu(fn: Any, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pair", choices=[*sorted(LOCALS), "all"], default="all")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--folds", default="1,2,4")
    ap.add_argument("--out", type=Path, default=ROOT / "outputs" / "bench_gapcheck.json")
    a = ap.parse_args()
    up = extract_file(SHARED / "corpus" / f"{UPSTREAM}.txt").to_dict()
    pairs = sorted(LOCALS) if a.pair == "all" else [a.pair]
    out: dict[str, Any] = {
        "benchmark": "gapcheck",
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "rounds": a.rounds,
        "target": "4x concatenation costs <= 5x the 1x pair (issue 15)",
        "pairs": {},
    }
    for pair in pairs:
        src = SHARED / "corpus" / f"{LOCALS[pair]}.txt"
        loc = extract_file(src).to_dict()
        text = src.read_text(encoding="utf-8")
        check(loc, up, local_text=text)  # warm-up: gazetteers, vocabulary, regex caches
        rows = []
        base = None
        for k in (int(x) for x in a.folds.split(",")):
            lk, uk = folded(loc, k), folded(up, k)
            secs = cpu(lambda lk=lk, uk=uk, tk=text * k: check(lk, uk, local_text=tk), a.rounds)
            base = base or secs
            rows.append(
                {
                    "fold": k,
                    "local_tasks": len(lk["tasks"]),
                    "upstream_tasks": len(uk["tasks"]),
                    "cpu_seconds": round(secs, 3),
                    "ratio_to_1x": round(secs / base, 2),
                }
            )
            print(
                f"{pair}_vs_001 {k}x: {len(lk['tasks'])} local x {len(uk['tasks'])} upstream tasks: "
                f"{secs:.3f} CPU-s ({secs / base:.2f}x)"
            )
        out["pairs"][f"{pair}_vs_001"] = rows
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(out, indent=1), encoding="utf-8")
    print(f"wrote {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
