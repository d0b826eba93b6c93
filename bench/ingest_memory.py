"""Peak memory of ``directive-nlp ingest --jobs N`` against the batch size (Linux only).

Writes a batch of N distinct documents (each a random 40 % of the lines of one corpus
document, in order, under its own heading: documents of the genre, not copies that the store
would merge), ingests it with the CLI into a fresh database, and samples every 50 ms the
memory of the whole process tree (the CLI and every worker it starts):

* ``peak_rss_mb``  the largest sum of resident set sizes (pages shared between the parent and
  its forked workers are counted once per process, so this over-counts);
* ``peak_pss_mb``  the largest sum of proportional set sizes (shared pages split between the
  processes sharing them: the tree's real footprint).

    python bench/ingest_memory.py [--sizes 500 1000] [--jobs 2] [--out outputs/ingest_memory.json]

Not a timed test: figures go to the output file (and stdout) for ``make bench``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


def make_batch(folder: Path, n: int, seed: int = 7) -> int:
    """Write ``n`` distinct documents into ``folder``; returns their total size in bytes."""
    rng = random.Random(seed)
    sources = [p.read_text(encoding="utf-8").splitlines() for p in sorted(CORPUS.glob("*.txt"))]
    total = 0
    for i in range(n):
        lines = sources[i % len(sources)]
        keep = [line for line in lines if rng.random() < 0.4]
        text = f"KẾ HOẠCH SỐ {i + 1}-KH/BENCH\n" + "\n".join(keep) + "\n"
        (folder / f"doc_{i:05d}.txt").write_text(text, encoding="utf-8")
        total += len(text.encode())
    return total


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (from /proc/*/stat)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def _memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in kB (0, 0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="utf-8") as fh:
            fields = dict(line.split(":", 1) for line in fh if ":" in line)
    except OSError:
        return 0, 0
    rss = int(fields.get("Rss", "0 kB").split()[0])
    pss = int(fields.get("Pss", "0 kB").split()[0])
    return rss, pss


def measure(n: int, jobs: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="ingest_memory_") as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        size = make_batch(folder, n)
        db = Path(tmp) / "bench.db"
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "DIRECTIVE_NLP_DB": str(db)}
        cmd = [
            sys.executable,
            "-m",
            "directive_nlp",
            "ingest",
            str(folder),
            "--jobs",
            str(jobs),
            "--db",
            str(db),
        ]
        peak = {"rss": 0, "pss": 0, "processes": 0}
        samples: list[float] = []
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                pids = _tree(proc.pid)
                mem = [_memory_kb(p) for p in pids]
                rss, pss = sum(m[0] for m in mem), sum(m[1] for m in mem)
                peak["rss"], peak["pss"] = max(peak["rss"], rss), max(peak["pss"], pss)
                peak["processes"] = max(peak["processes"], len(pids))
                samples.append(pss / 1024)
                time.sleep(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        out, err = proc.communicate()
        done.set()
        sampler.join()
        wall = time.perf_counter() - start
        quarter = max(1, len(samples) // 4)
        return {
            "documents": n,
            "jobs": jobs,
            "input_mb": round(size / 1024**2, 2),
            "exit_code": proc.returncode,
            "summary": out.strip().splitlines(),
            "errors": err.strip().splitlines()[:5],
            "wall_s": round(wall, 1),
            "docs_per_s": round(n / wall, 2),
            "peak_rss_mb": round(peak["rss"] / 1024, 1),
            "peak_pss_mb": round(peak["pss"] / 1024, 1),
            "max_processes": peak["processes"],
            # flat means the last quarter of the run needs no more than the first
            "pss_first_quarter_max_mb": round(max(samples[:quarter], default=0), 1),
            "pss_last_quarter_max_mb": round(max(samples[-quarter:], default=0), 1),
        }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[500, 1000])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", type=Path, default=ROOT / "outputs" / "ingest_memory.json")
    args = ap.parse_args()
    runs = []
    for n in args.sizes:
        result = measure(n, args.jobs)
        print(json.dumps(result, ensure_ascii=False), flush=True)
        runs.append(result)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    report = {"when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "target_mb": 250, "runs": runs}
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
