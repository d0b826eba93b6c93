"""``make bench``: throughput, start-up and memory, each as a ratio against its peer in the same run.

Every figure is CPU time (user + system; ``time.process_time`` in this process, ``getrusage`` of
the children for subprocesses), the median of ``--rounds`` runs after one untimed warm-up, and
is reported beside a peer measured on the same input in the same run, so a loaded machine moves
both and the ratio stays meaningful:

* PDF ingest (read + extract + store, text-layer PDFs of the shared fixtures) in pages per
  CPU-second, against PyPDFium2's bare text extraction and pdfplumber's bare text extraction of
  the same pages; the reading stage alone against the same peers;
* DOCX ingest against python-docx's bare text (paragraphs and table cells) of the same files;
* start-up: ``directive-nlp --help`` and ``extract`` of a small .txt against ``python -c pass``;
* peak memory (maximum resident set) of a child process ingesting every fixture, against a
  child that only imports the PDF and DOCX libraries.

Writes outputs/bench.json and a readable outputs/bench.md.

    python bench/run.py [--rounds N] [--out-dir DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = next(
    (p for p in (Path("/work/shared/fixtures"), ROOT.parent / "shared" / "fixtures") if p.is_dir()), None
)
CORPUS = ROOT / "corpus"


def cpu_median(fn: Callable[[], object], rounds: int, min_round: float = 0.25) -> float:
    """Median CPU seconds of one ``fn()`` over ``rounds`` timed rounds, after an untimed warm-up.

    A fast ``fn`` is repeated within a round until the round lasts ``min_round`` CPU seconds, so
    that the timer's resolution and scheduler noise do not dominate a short peer's figure.
    """
    t0 = time.process_time()
    fn()
    once = max(time.process_time() - t0, 1e-4)
    repeat = max(1, round(min_round / once))
    times = []
    for _ in range(rounds):
        t0 = time.process_time()
        for _ in range(repeat):
            fn()
        times.append((time.process_time() - t0) / repeat)
    return statistics.median(times)


# Run a module or code in a child and report its own peak resident set (VmHWM is per address
# space and reset by exec, unlike getrusage's ru_maxrss, which a child inherits from its parent).
_WRAP = """
import atexit, os, runpy, sys
def _peak():
    with open('/proc/self/status') as f:
        kb = next((l.split()[1] for l in f if l.startswith('VmHWM:')), '0')
    with open(os.environ['BENCH_PEAK_FILE'], 'w') as f:
        f.write(kb)
atexit.register(_peak)
kind, target, *rest = sys.argv[1:]
sys.argv = [target, *rest]
if kind == '-m':
    runpy.run_module(target, run_name='__main__', alter_sys=True)
else:
    exec(compile(target, '<bench>', 'exec'), {'__name__': '__main__'})
"""


def child_cpu(cmd: list[str], rounds: int, env: dict[str, str]) -> tuple[float, float]:
    """(median CPU seconds, peak resident MB) of ``python cmd…`` run ``rounds`` times after a warm-up.

    ``cmd`` is ``["-m", module, args…]`` or ``["-c", code, args…]``.
    """
    times, rss = [], 0.0
    for _ in range(rounds + 1):
        with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r") as peak:
            full = [sys.executable, "-c", _WRAP, *cmd]
            proc = subprocess.Popen(
                full, stdout=subprocess.DEVNULL, stderr=err, env={**env, "BENCH_PEAK_FILE": peak.name}
            )
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            if proc.returncode:
                err.seek(0)
                tail = err.read().decode(errors="replace")[-500:]
                raise SystemExit(f"bench: {' '.join(cmd)[:200]} failed: {tail}")
            rss = max(rss, int(peak.read() or 0) / 1024)
        times.append(usage.ru_utime + usage.ru_stime)
    return statistics.median(times[1:]), rss


def fixture_files(suffix: str) -> list[Path]:
    if FIXTURES is None:
        return []
    return sorted(p for p in FIXTURES.iterdir() if p.suffix.lower() == suffix and ".scan." not in p.name)


# ---------------------------------------------------------------------------------------
# Peers
# ---------------------------------------------------------------------------------------


def pdfium_text(pdfs: list[Path]) -> int:
    import pypdfium2 as pdfium

    pages = 0
    for p in pdfs:
        doc = pdfium.PdfDocument(p)
        for page in doc:
            tp = page.get_textpage()
            tp.get_text_range()
            tp.close()
            page.close()
            pages += 1
        doc.close()
    return pages


def pdfplumber_text(pdfs: list[Path]) -> int:
    import pdfplumber

    pages = 0
    for p in pdfs:
        with pdfplumber.open(p) as pdf:
            for page in pdf.pages:
                page.extract_text()
                pages += 1
    return pages


def docx_text(files: list[Path]) -> int:
    import docx

    n = 0
    for f in files:
        d = docx.Document(str(f))
        n += sum(len(p.text) for p in d.paragraphs)
        n += sum(len(c.text) for t in d.tables for row in t.rows for c in row.cells)
    return n


# ---------------------------------------------------------------------------------------
# Ours
# ---------------------------------------------------------------------------------------


def read_files(files: list[Path]) -> None:
    from directive_nlp.reading import read

    for f in files:
        read(f, ocr=False)


def ingest_files(files: list[Path]) -> None:
    from directive_nlp.ingest import ingest_file
    from directive_nlp.storage.store import Store

    with tempfile.TemporaryDirectory(prefix="directive-nlp-bench-") as tmp, Store(Path(tmp) / "b.db") as s:
        for f in files:
            ingest_file(s, f, ocr=False)


# ---------------------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------------------


def ratio(ours: float, peer: float) -> float | None:
    return round(ours / peer, 2) if peer else None


def run(rounds: int) -> dict[str, Any]:
    pdfs = fixture_files(".pdf")
    docxs = fixture_files(".docx")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    out: dict[str, Any] = {
        "schema": "directive-nlp/bench/v2",
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "rounds": rounds,
        "cpu_count": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    if pdfs:
        pages = pdfium_text(pdfs)
        t_pdfium = cpu_median(lambda: pdfium_text(pdfs), rounds)
        t_plumber = cpu_median(lambda: pdfplumber_text(pdfs), rounds)
        t_read = cpu_median(lambda: read_files(pdfs), rounds)
        t_ingest = cpu_median(lambda: ingest_files(pdfs), rounds)
        out["pdf"] = {
            "files": [p.name for p in pdfs],
            "pages": pages,
            "cpu_s": {
                "pypdfium2_text": round(t_pdfium, 4),
                "pdfplumber_text": round(t_plumber, 4),
                "read": round(t_read, 4),
                "ingest": round(t_ingest, 4),
            },
            "pages_per_cpu_s": {
                "pypdfium2_text": round(pages / t_pdfium, 1),
                "pdfplumber_text": round(pages / t_plumber, 1),
                "read": round(pages / t_read, 1),
                "ingest": round(pages / t_ingest, 1),
            },
            "ratio": {
                "ingest_vs_pypdfium2": ratio(t_ingest, t_pdfium),
                "ingest_vs_pdfplumber": ratio(t_ingest, t_plumber),
                "read_vs_pypdfium2": ratio(t_read, t_pdfium),
                "read_vs_pdfplumber": ratio(t_read, t_plumber),
            },
        }
    if docxs:
        t_docx = cpu_median(lambda: docx_text(docxs), rounds)
        t_dread = cpu_median(lambda: read_files(docxs), rounds)
        t_dingest = cpu_median(lambda: ingest_files(docxs), rounds)
        out["docx"] = {
            "files": [p.name for p in docxs],
            "cpu_s": {
                "python_docx_text": round(t_docx, 4),
                "read": round(t_dread, 4),
                "ingest": round(t_dingest, 4),
            },
            "ratio": {
                "read_vs_python_docx": ratio(t_dread, t_docx),
                "ingest_vs_python_docx": ratio(t_dingest, t_docx),
            },
        }

    small_txt = min(CORPUS.glob("*.txt"), key=lambda p: p.stat().st_size)
    t_pass, rss_pass = child_cpu(["-c", "pass"], rounds, env)
    t_help, rss_help = child_cpu(["-m", "directive_nlp", "--help"], rounds, env)
    t_extract, _ = child_cpu(["-m", "directive_nlp", "extract", str(small_txt)], rounds, env)
    out["startup"] = {
        "cpu_s": {
            "python_pass": round(t_pass, 4),
            "help": round(t_help, 4),
            "extract_small_txt": round(t_extract, 4),
        },
        "small_txt": small_txt.name,
        "ratio": {"help_vs_python": ratio(t_help, t_pass), "extract_txt_vs_python": ratio(t_extract, t_pass)},
    }

    files = [str(p) for p in pdfs + docxs] + [str(p) for p in sorted(CORPUS.glob("*.txt"))]
    code_ingest = (
        "import sys, tempfile, pathlib\n"
        "from directive_nlp.ingest import ingest_file\n"
        "from directive_nlp.storage.store import Store\n"
        "with tempfile.TemporaryDirectory() as t, Store(pathlib.Path(t) / 'm.db') as s:\n"
        "    [ingest_file(s, f, ocr=False) for f in sys.argv[1:]]\n"
    )
    code_libs = "import pypdfium2, pdfplumber, docx, sqlite_utils"
    _, rss_ingest = child_cpu(["-c", code_ingest, *files], 1, env)
    _, rss_libs = child_cpu(["-c", code_libs], 1, env)
    out["memory"] = {
        "max_rss_mb": {
            "python_pass": round(rss_pass, 1),
            "help": round(rss_help, 1),
            "import_pdf_docx_sqlite_libs": round(rss_libs, 1),
            "ingest_all_fixtures": round(rss_ingest, 1),
        },
        "ingest_files": len(files),
        "ratio": {"ingest_vs_libs": ratio(rss_ingest, rss_libs), "help_vs_python": ratio(rss_help, rss_pass)},
    }
    return out


def markdown(b: dict[str, Any]) -> str:
    lines = [
        "# directive-nlp bench",
        "",
        f"{b['when']} · Python {b['python']} · {b['cpu_count']} CPUs · load {b['load_average']} · "
        f"median of {b['rounds']} runs, CPU seconds",
        "",
        "| figure | ours | peer | ratio |",
        "|---|---|---|---|",
    ]
    if "pdf" in b:
        p = b["pdf"]
        pps = p["pages_per_cpu_s"]
        lines += [
            f"| PDF ingest, pages/CPU-s ({p['pages']} pages) | {pps['ingest']} | "
            f"pypdfium2 text {pps['pypdfium2_text']} | {p['ratio']['ingest_vs_pypdfium2']}× |",
            f"| PDF ingest, pages/CPU-s | {pps['ingest']} | pdfplumber text {pps['pdfplumber_text']} | "
            f"{p['ratio']['ingest_vs_pdfplumber']}× |",
            f"| PDF read, pages/CPU-s | {pps['read']} | pypdfium2 text {pps['pypdfium2_text']} | "
            f"{p['ratio']['read_vs_pypdfium2']}× |",
        ]
    if "docx" in b:
        d = b["docx"]
        peer = d["cpu_s"]["python_docx_text"]
        lines += [
            f"| DOCX ingest, CPU-s | {d['cpu_s']['ingest']} | python-docx text {peer} | "
            f"{d['ratio']['ingest_vs_python_docx']}× |",
            f"| DOCX read, CPU-s | {d['cpu_s']['read']} | python-docx text {peer} | "
            f"{d['ratio']['read_vs_python_docx']}× |",
        ]
    s = b["startup"]
    m = b["memory"]
    rss = m["max_rss_mb"]
    lines += [
        f"| `--help`, CPU-s | {s['cpu_s']['help']} | `python -c pass` {s['cpu_s']['python_pass']} | "
        f"{s['ratio']['help_vs_python']}× |",
        f"| `extract {s['small_txt']}`, CPU-s | {s['cpu_s']['extract_small_txt']} | `python -c pass` "
        f"{s['cpu_s']['python_pass']} | {s['ratio']['extract_txt_vs_python']}× |",
        f"| peak RSS, ingest of {m['ingest_files']} files, MB | {m['max_rss_mb']['ingest_all_fixtures']} | "
        f"importing the PDF/DOCX/SQLite libraries {m['max_rss_mb']['import_pdf_docx_sqlite_libs']} | "
        f"{m['ratio']['ingest_vs_libs']}× |",
        f"| peak RSS, `--help`, MB | {rss['help']} | `python -c pass` {rss['python_pass']} | "
        f"{m['ratio']['help_vs_python']}× |",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--rounds", "-n", type=int, default=5, help="timed runs per figure (default 5)")
    ap.add_argument("--out-dir", type=Path, default=ROOT / "outputs", help="where bench.json/bench.md go")
    args = ap.parse_args(argv)
    bench = run(max(1, args.rounds))
    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / "bench.json").write_text(json.dumps(bench, ensure_ascii=False, indent=1) + "\n", "utf-8")
    md = markdown(bench)
    (args.out_dir / "bench.md").write_text(md, "utf-8")
    print(md)
    print(f"wrote {args.out_dir / 'bench.json'} and {args.out_dir / 'bench.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
