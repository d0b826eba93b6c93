"""Ingestion benchmark: how fast the store ingests a fixed set of documents.

Ingests corpus/ (.txt .md) plus the shared fixtures' PDF and DOCX files (when ../shared/fixtures
exists; scanned PDFs only with --with-scans) N times, each round into a fresh temporary
database, after one untimed warm-up. Measures wall time, documents/s and pages/s, the time to
re-ingest unchanged files, peak memory (tracemalloc in a separate round, and the process's
maximum resident set size), and the time pdfplumber alone takes to extract the text of the same
PDF files, with the ratio of our PDF ingest time to it. Writes outputs/bench.json.

    python bench/ingest.py [--rounds N] [--with-scans] [--ocr] [--out FILE]

Pages: a PDF's page count; files without pages (txt, md, and docx unless the reader reports
them) count as one page per 3,000 characters of text read ("estimated").
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import platform
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from directive_nlp.ingest import ingest_file
from directive_nlp.reading import SUPPORTED as INGEST_SUFFIXES
from directive_nlp.storage.store import Store, default_output_dir

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
FIXTURES = next(
    (p for p in (Path("/work/shared/fixtures"), ROOT.parent / "shared" / "fixtures") if p.is_dir()), None
)
CHARS_PER_PAGE = 3000


def bench_files(with_scans: bool) -> list[Path]:
    """The fixed document set: corpus texts, then fixture PDFs/DOCX when present."""
    files = sorted(p for p in CORPUS.iterdir() if p.suffix.lower() in (".txt", ".md"))
    if FIXTURES is not None:
        files += sorted(
            p
            for p in FIXTURES.iterdir()
            if p.suffix.lower() in (".pdf", ".docx")
            and p.suffix.lower() in INGEST_SUFFIXES
            and (with_scans or ".scan." not in p.name)
        )
    return files


def ingest_round(files: list[Path], db: Path, ocr: bool) -> dict[str, Any]:
    """Ingest every file into ``db`` (one by one, timed); returns per-file figures."""
    per_file: list[dict[str, Any]] = []
    start = time.perf_counter()
    with Store(db) as store:
        for f in files:
            t0 = time.perf_counter()
            try:
                r = ingest_file(store, f, ocr=ocr)
                entry: dict[str, Any] = {
                    "file": f.name,
                    "status": r.status,
                    "format": r.format,
                    "pages": r.pages,
                    "tasks": r.tasks,
                    "doc_id": r.doc_id,
                }
            except Exception as e:  # noqa: BLE001 - a benchmark reports, it does not stop
                entry = {"file": f.name, "status": "failed", "error": str(e)}
            entry["seconds"] = time.perf_counter() - t0
            per_file.append(entry)
        wall = time.perf_counter() - start
        for entry in per_file:
            if entry.get("doc_id") is not None:
                chars = store.db.execute(
                    "SELECT COALESCE(SUM(LENGTH(text)), 0) FROM blocks WHERE source_id ="
                    " (SELECT primary_source FROM documents WHERE id = ?)",
                    [entry["doc_id"]],
                ).fetchone()[0]
                entry["chars"] = int(chars)
    return {"wall": wall, "files": per_file}


def page_count(entry: dict[str, Any]) -> tuple[int, bool]:
    """(pages, estimated?) of one ingested file."""
    if entry.get("pages"):
        return int(entry["pages"]), False
    return max(1, math.ceil(entry.get("chars", 0) / CHARS_PER_PAGE)), True


def pdfplumber_seconds(pdfs: list[Path]) -> tuple[float, int, list[str]]:
    """Time pdfplumber alone to extract the text of every page of ``pdfs``."""
    import pdfplumber

    pages, problems = 0, []
    start = time.perf_counter()
    for p in pdfs:
        try:
            with pdfplumber.open(p) as pdf:
                for page in pdf.pages:
                    page.extract_text()
                    pages += 1
        except Exception as e:  # noqa: BLE001
            problems.append(f"{p.name}: {type(e).__name__}: {e}")
    return time.perf_counter() - start, pages, problems


def mb(n_bytes: float) -> float:
    return round(n_bytes / (1024 * 1024), 1)


def run(rounds: int, with_scans: bool, ocr: bool) -> dict[str, Any]:
    files = bench_files(with_scans)
    pdfs = [f for f in files if f.suffix.lower() == ".pdf"]
    t_all = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="directive-nlp-bench-") as tmp:
        tmpdir = Path(tmp)
        ingest_round(files[:1], tmpdir / "warmup.db", ocr)  # imports, models: not timed

        results = [ingest_round(files, tmpdir / f"round{i}.db", ocr) for i in range(rounds)]
        t0 = time.perf_counter()
        ingest_round(files, tmpdir / f"round{rounds - 1}.db", ocr)  # all unchanged
        reingest = time.perf_counter() - t0

        tracemalloc.start()
        ingest_round(files, tmpdir / "memory.db", ocr)
        _, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

    plumber = [pdfplumber_seconds(pdfs) for _ in range(rounds)] if pdfs else []
    maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    if sys.platform == "darwin":
        maxrss_kb /= 1024  # bytes on macOS

    first = results[0]["files"]
    ok = [e for e in first if e["status"] != "failed"]
    pages = [page_count(e) for e in ok]
    n_pages = sum(p for p, _ in pages)
    walls = [r["wall"] for r in results]
    wall = statistics.median(walls)

    def pdf_seconds(r: dict[str, Any]) -> float:
        return sum(
            e["seconds"] for e in r["files"] if e["file"].lower().endswith(".pdf") and e["status"] != "failed"
        )

    ok_pdfs = [e for e in ok if e["file"].lower().endswith(".pdf")]
    plumber_s = statistics.median(p[0] for p in plumber) if plumber else None
    ours_pdf_s = statistics.median(pdf_seconds(r) for r in results) if ok_pdfs else None
    per_file = []
    for i, e in enumerate(first):
        row = {k: e.get(k) for k in ("file", "format", "status", "pages", "tasks", "error")}
        row["seconds_median"] = round(statistics.median(r["files"][i]["seconds"] for r in results), 4)
        per_file.append({k: v for k, v in row.items() if v is not None})

    return {
        "schema": "directive-nlp/bench/v1",
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "rounds": rounds,
        "ocr": ocr,
        "with_scans": with_scans,
        "documents": {
            "files": len(files),
            "ingested": len(ok),
            "failed": [e["error"] for e in first if e["status"] == "failed"],
        },
        "pages": {
            "total": n_pages,
            "counted": sum(p for p, est in pages if not est),
            "estimated": sum(p for p, est in pages if est),
            "chars_per_estimated_page": CHARS_PER_PAGE,
        },
        "ingest": {
            "wall_s_per_round": [round(w, 4) for w in walls],
            "wall_s_median": round(wall, 4),
            "documents_per_s": round(len(ok) / wall, 2) if wall else None,
            "pages_per_s": round(n_pages / wall, 2) if wall else None,
            "tasks": sum(e.get("tasks", 0) for e in ok),
        },
        "reingest_unchanged_s": round(reingest, 4),
        "memory": {"tracemalloc_peak_mb": mb(traced_peak), "maxrss_mb": round(maxrss_kb / 1024, 1)},
        "pdfplumber": {
            "files": len(pdfs),
            "pages": plumber[0][1] if plumber else 0,
            "seconds_median": round(plumber_s, 4) if plumber_s is not None else None,
            "problems": plumber[0][2] if plumber else [],
            "our_pdf_ingest_seconds_median": round(ours_pdf_s, 4) if ours_pdf_s is not None else None,
            "ratio_ours_to_pdfplumber": (
                round(ours_pdf_s / plumber_s, 2) if ours_pdf_s is not None and plumber_s else None
            ),
            "note": None if ok_pdfs or not pdfs else "no PDF could be ingested (see documents.failed)",
        },
        "per_file": per_file,
        "total_wall_s": round(time.perf_counter() - t_all, 2),
    }


def summary_lines(b: dict[str, Any]) -> list[str]:
    ing, pl, mem = b["ingest"], b["pdfplumber"], b["memory"]
    lines = [
        f"documents: {b['documents']['ingested']}/{b['documents']['files']} ingested, "
        f"{b['pages']['total']} pages ({b['pages']['estimated']} estimated), "
        f"{ing['tasks']} tasks; {b['rounds']} rounds",
        f"ingest: {ing['wall_s_median']:.3f} s/round (median) -> "
        f"{ing['documents_per_s']} documents/s, {ing['pages_per_s']} pages/s",
        f"re-ingest unchanged: {b['reingest_unchanged_s']:.3f} s",
        f"memory: tracemalloc peak {mem['tracemalloc_peak_mb']} MB, max RSS {mem['maxrss_mb']} MB",
    ]
    if pl["files"]:
        ratio = pl["ratio_ours_to_pdfplumber"]
        lines.append(
            f"pdfplumber alone: {pl['seconds_median']} s for {pl['pages']} pages of "
            f"{pl['files']} PDFs; ours {pl['our_pdf_ingest_seconds_median']} s"
            + (f" (x{ratio})" if ratio is not None else f" ({pl['note']})")
        )
    for problem in b["documents"]["failed"]:
        lines.append(f"failed: {problem}")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", "-n", type=int, default=3, help="timed rounds (default 3)")
    ap.add_argument("--with-scans", action="store_true", help="include scanned PDFs (*.scan.pdf)")
    ap.add_argument("--ocr", action="store_true", help="allow OCR of pages without text")
    ap.add_argument(
        "--out", type=Path, default=None, help="where to write the JSON (default outputs/bench.json)"
    )
    args = ap.parse_args(argv)
    bench = run(max(1, args.rounds), args.with_scans, args.ocr)
    out = args.out or default_output_dir() / "bench.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(bench, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for line in summary_lines(bench):
        print(line)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
