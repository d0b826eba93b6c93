"""CLI tests of ``ingest``, ``docs`` and ``obligations``.

Two kinds:
* end to end through ``python -m directive_nlp`` with the real pipeline (reader + extractor);
* in process (typer's CliRunner) with the extraction replaced by the gold files, so the CLI's
  own behaviour (filters, formats, languages, rollback) is checked whatever the extractor does.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from directive_nlp.cli import app
from directive_nlp.extraction import pipeline
from directive_nlp.model import Extraction
from directive_nlp.storage.store import Store
from directive_nlp.units import same_unit

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED = Path("/work/shared") if Path("/work/shared").is_dir() else ROOT.parent / "shared"
FIXTURE_PDF = SHARED / "fixtures" / "002_71bab22afd98218f.pdf"
GOLD = SHARED / "gold"
VI_HEADER = ["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn"]
EN_HEADER = ["No.", "Task", "Lead", "Support", "Deadline"]


def header_row(ws) -> int:
    """Row number of the table header (below the title block) in an exported sheet."""
    return next(r for r in range(1, 20) if ws.cell(r, 1).value in ("STT", "No."))


TABLES = (
    "documents",
    "sources",
    "extractions",
    "sketches",
    "blocks",
    "tasks",
    "units",
    "task_units",
    "citations",
)
CORPUS_FILES = sorted(p for p in CORPUS.iterdir() if p.suffix in (".txt", ".md"))


def run_cli(*args: object, guard_db: Path) -> subprocess.CompletedProcess:
    """``python -m directive_nlp ARGS`` (DIRECTIVE_NLP_DB points away from the real database)."""
    env = {**os.environ, "DIRECTIVE_NLP_DB": str(guard_db), "COLUMNS": "160"}
    return subprocess.run(
        [sys.executable, "-m", "directive_nlp", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=900,
    )


def dump(db: Path) -> dict[str, list[tuple]]:
    con = sqlite3.connect(db)
    try:
        return {t: con.execute(f"SELECT rowid, * FROM {t} ORDER BY rowid").fetchall() for t in TABLES}
    finally:
        con.close()


def pdf_reader_problem() -> str | None:
    """Why the fixture PDF cannot be read by this checkout (None when it can)."""
    if not FIXTURE_PDF.is_file():
        return f"fixture {FIXTURE_PDF} not available"
    from directive_nlp.reading import read

    try:
        read(FIXTURE_PDF, ocr=False)
    except (ImportError, NotImplementedError) as e:
        return f"PDF reader not available yet ({type(e).__name__}: {e})"
    return None


def truncated_pdf(folder: Path) -> Path:
    """A PDF cut short: the first 40% of the fixture's bytes (or a bare header)."""
    out = folder / "truncated.pdf"
    if FIXTURE_PDF.is_file():
        data = FIXTURE_PDF.read_bytes()
        out.write_bytes(data[: int(len(data) * 0.4)])
    else:
        out.write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R")
    return out


def stderr_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


# --------------------------------------------------------------------------- real pipeline


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """The corpus texts, the fixture PDF and a truncated PDF ingested through the CLI."""
    tmp = tmp_path_factory.mktemp("batch")
    db = tmp / "corpus.db"
    broken = truncated_pdf(tmp)
    inputs = [*CORPUS_FILES, *([FIXTURE_PDF] if FIXTURE_PDF.is_file() else []), broken]
    result = run_cli("ingest", *inputs, "--db", db, guard_db=tmp / "guard.db")
    return {"db": db, "tmp": tmp, "broken": broken, "inputs": inputs, "result": result}


def test_batch_reports_the_bad_file_and_stores_the_good_ones(batch):
    r = batch["result"]
    assert r.returncode == 1, r.stdout + r.stderr
    lines = stderr_lines(r.stderr)
    assert "Traceback" not in r.stderr
    assert any(line.startswith(f"directive-nlp: {batch['broken']}: ") for line in lines), r.stderr
    assert all(line.startswith("directive-nlp: ") for line in lines), r.stderr
    con = sqlite3.connect(batch["db"])
    names = {r[0] for r in con.execute("SELECT file_name FROM sources")}
    con.close()
    assert {p.name for p in CORPUS_FILES} <= names  # every good file stored (as a document or a source)
    assert batch["broken"].name not in names
    assert "1 lỗi" in r.stdout or "lỗi" in r.stdout  # the closing summary counts failures


def test_fixture_pdf_is_stored(batch):
    problem = pdf_reader_problem()
    if problem:
        pytest.skip(problem)
    docs = json.loads(
        run_cli("docs", "--db", batch["db"], "--format", "json", guard_db=batch["tmp"] / "guard.db").stdout
    )
    with Store(batch["db"]) as s:
        pdf = [x for x in s.sources() if x["file_name"] == FIXTURE_PDF.name]
        txt = [x for x in s.sources() if x["file_name"] == "002_71bab22afd98218f.txt"]
    assert pdf and pdf[0]["format"] == "pdf" and (pdf[0]["pages"] or 0) >= 1
    # the PDF and the TXT of one notice: one document, two sources
    assert txt and txt[0]["doc_id"] == pdf[0]["doc_id"]
    assert len([d for d in docs if d["id"] == pdf[0]["doc_id"]]) == 1
    assert not any(FIXTURE_PDF.name in line for line in stderr_lines(batch["result"].stderr))


def test_reingesting_the_same_batch_changes_nothing(batch):
    before = dump(batch["db"])
    r = run_cli(
        "ingest", *batch["inputs"], "--db", batch["db"], "--lang", "en", guard_db=batch["tmp"] / "guard.db"
    )
    assert r.returncode == 1  # the truncated PDF still fails
    assert "0 added, 0 updated" in r.stdout, r.stdout
    assert dump(batch["db"]) == before


def test_obligations_of_plan_02_lists_at_least_60_tasks(batch):
    """Needs the real task extractor (and document metadata) to find Plan 02-KH/BCĐTW."""
    r = run_cli(
        "obligations",
        "02-KH/BCĐTW",
        "--format",
        "json",
        "--db",
        batch["db"],
        guard_db=batch["tmp"] / "guard.db",
    )
    assert r.returncode == 0, r.stderr
    tasks = json.loads(r.stdout)
    assert len(tasks) >= 60
    for t in tasks:
        assert t["document"] == "02-KH/BCĐTW"
        assert {"id", "text", "lead", "support", "deadline", "cites", "section", "provenance"} <= set(t)
        assert set(t["deadline"]) >= {"kind", "due", "start", "text"}


def test_obligations_unit_filter_keeps_only_that_units_tasks(batch):
    r = run_cli(
        "obligations",
        "--unit",
        "Bộ Công an",
        "--format",
        "json",
        "--db",
        batch["db"],
        guard_db=batch["tmp"] / "guard.db",
    )
    assert r.returncode == 0, r.stderr
    tasks = json.loads(r.stdout)
    assert tasks, "Plan 02-KH/BCĐTW gives Bộ Công an several tasks"
    for t in tasks:
        assert any(same_unit("Bộ Công an", u) for u in t["lead"] + t["support"]), t


def test_obligations_xlsx_has_the_vietnamese_header(batch):
    from openpyxl import load_workbook

    out = batch["tmp"] / "obligations.xlsx"
    r = run_cli(
        "obligations", "--format", "xlsx", "-o", out, "--db", batch["db"], guard_db=batch["tmp"] / "guard.db"
    )
    assert r.returncode == 0, r.stderr
    wb = load_workbook(out)
    ws = wb["Nhiệm vụ"]
    assert [c.value for c in ws[header_row(ws)]][:5] == VI_HEADER
    assert "Tổng hợp" in wb.sheetnames


def test_summary_prints_per_document_counts(batch):
    r = run_cli("obligations", "--summary", "--db", batch["db"], guard_db=batch["tmp"] / "guard.db")
    assert r.returncode == 0, r.stderr
    for label in ("Văn bản", "Số nhiệm vụ", "Quá hạn", "Tổng cộng"):
        assert label in r.stdout
    as_json = json.loads(
        run_cli(
            "obligations",
            "--summary",
            "--format",
            "json",
            "--db",
            batch["db"],
            guard_db=batch["tmp"] / "guard.db",
        ).stdout
    )
    assert {"document", "tasks", "with_due", "overdue", "leads"} <= set(as_json[0])


def test_parallel_ingest_matches_serial(tmp_path):
    serial, parallel = tmp_path / "serial.db", tmp_path / "parallel.db"
    assert run_cli("ingest", CORPUS, "--db", serial, guard_db=tmp_path / "g.db").returncode == 0
    r = run_cli("ingest", CORPUS, "--db", parallel, "--jobs", "2", guard_db=tmp_path / "g.db")
    assert r.returncode == 0, r.stderr

    def content(db: Path) -> list[tuple]:
        con = sqlite3.connect(db)
        rows = con.execute(
            "SELECT d.id, s.file_name, s.sha256, d.symbol, e.extraction, "
            "(SELECT COUNT(*) FROM tasks t WHERE t.doc_id = d.id), "
            "(SELECT COUNT(*) FROM blocks b WHERE b.source_id = s.id) "
            "FROM documents d JOIN sources s ON s.doc_id = d.id "
            "JOIN extractions e ON e.source_id = s.id ORDER BY d.id, s.id"
        ).fetchall()
        con.close()
        return rows

    assert content(parallel) == content(serial)


def test_errors_are_one_line_with_status_1(tmp_path, monkeypatch):
    db = tmp_path / "e.db"
    guard = tmp_path / "g.db"
    # a bad option value through the real entry point: one line, status 1, no traceback
    assert run_cli("ingest", CORPUS / "002_71bab22afd98218f.txt", "--db", db, guard_db=guard).returncode == 0
    r = run_cli("obligations", "--due-before", "31/06/2025", "--db", db, guard_db=guard)
    assert r.returncode == 1 and stderr_lines(r.stderr) == [
        "directive-nlp: --due-before: '31/06/2025' không phải ngày hợp lệ (ghi dd/mm/yyyy, ví dụ 31/07/2025)"
    ]
    # the rest in process
    monkeypatch.setenv("DIRECTIVE_NLP_DB", str(guard))
    runner = CliRunner()
    for args in (
        ["obligations", "--as-of", "2025-02-30", "--overdue"],
        ["obligations", "99-XX/NOWHERE"],
        ["obligations", "--format", "pdf"],
        ["obligations", "--lang", "fr"],
        ["docs", "--format", "xml"],
    ):
        r = runner.invoke(app, [*args, "--db", str(db)])
        assert r.exit_code == 1, args
        lines = stderr_lines(r.stderr)
        assert len(lines) == 1 and lines[0].startswith("directive-nlp: "), (args, r.stderr)
    r = runner.invoke(app, ["docs", "--db", str(tmp_path / "missing.db")])
    assert r.exit_code == 1 and "chưa có cơ sở dữ liệu" in r.stderr
    assert not (tmp_path / "missing.db").exists()
    r = runner.invoke(app, ["ingest", str(tmp_path / "nope"), "--db", str(db)])
    assert r.exit_code == 1 and f"directive-nlp: {tmp_path / 'nope'}: " in r.stderr


# --------------------------------------------------------------------------- gold-backed (in process)

needs_gold = pytest.mark.skipif(
    not (GOLD / "001_83d4318d260d4f48.json").is_file(),
    reason="gold annotations (../shared/gold) not available",
)


def patch_gold(mp: pytest.MonkeyPatch) -> None:
    """Replace the extraction step by the gold annotation of the file (when there is one)."""
    real = pipeline.extract

    def fake(doc):
        ex = real(doc)
        g = GOLD / (Path(doc.path).name.split(".")[0] + ".json")
        if not g.is_file():
            return ex
        gx = Extraction.from_dict(json.loads(g.read_text(encoding="utf-8")))
        gx.source = ex.source
        return gx

    mp.setattr(pipeline, "extract", fake)


@pytest.fixture
def gold_extract(monkeypatch):
    patch_gold(monkeypatch)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def gold_db(tmp_path_factory) -> Path:
    """The corpus ingested through the CLI with gold extractions (shared, read-only)."""
    tmp = tmp_path_factory.mktemp("gold")
    db = tmp / "gold.db"
    with pytest.MonkeyPatch.context() as mp:
        patch_gold(mp)
        mp.setenv("DIRECTIVE_NLP_DB", str(tmp / "guard.db"))
        r = CliRunner().invoke(app, ["ingest", str(CORPUS), "--db", str(db)])
    assert r.exit_code == 0, r.stderr
    return db


@needs_gold
def test_gold_obligations_json_and_unit_filter(gold_db, runner):
    r = runner.invoke(app, ["obligations", "02-KH/BCĐTW", "--format", "json", "--db", str(gold_db)])
    assert r.exit_code == 0, r.stderr
    tasks = json.loads(r.stdout)
    assert len(tasks) == 125 >= 60
    assert tasks[0]["deadline"] == {
        "kind": "by_date",
        "due": "2025-06-25",
        "start": None,
        "text": "Hoàn thành trong ngày 25/6/2025.",
    }
    r = runner.invoke(app, ["obligations", "--unit", "Bộ Công an", "--format", "json", "--db", str(gold_db)])
    police = json.loads(r.stdout)
    assert len(police) >= 10
    for t in police:
        assert any(same_unit("Bộ Công an", u) for u in t["lead"] + t["support"]), t
    # the same filter by document id and path
    with Store(gold_db) as s:
        doc = s.document("02-KH/BCĐTW")
    for ref in (str(doc["id"]), str(CORPUS / "001_83d4318d260d4f48.txt")):
        r = runner.invoke(app, ["obligations", ref, "--format", "json", "--db", str(gold_db)])
        assert len(json.loads(r.stdout)) == 125


@needs_gold
def test_gold_due_filters(gold_db, runner):
    r = runner.invoke(
        app, ["obligations", "--due-before", "2025-07-01", "--format", "json", "--db", str(gold_db)]
    )
    before = json.loads(r.stdout)
    assert before and all(t["deadline"]["due"] < "2025-07-01" for t in before)
    r = runner.invoke(
        app, ["obligations", "--overdue", "--as-of", "2025-08-01", "--format", "json", "--db", str(gold_db)]
    )
    overdue = json.loads(r.stdout)
    assert overdue and all(t["deadline"]["due"] < "2025-08-01" for t in overdue)
    assert all(
        t["deadline"]["kind"] in ("by_date", "in_month", "in_quarter", "in_year", "range") for t in overdue
    )
    r = runner.invoke(app, ["obligations", "--overdue", "--as-of", "2020-01-01", "--db", str(gold_db)])
    assert r.exit_code == 0 and "Không có nhiệm vụ nào." in r.stdout


@needs_gold
def test_gold_xlsx_vi_en_and_default_path(gold_db, runner, tmp_path, monkeypatch):
    from openpyxl import load_workbook

    from directive_nlp.cli import store_cmds

    monkeypatch.setattr(store_cmds, "default_output_dir", lambda: tmp_path / "outputs")
    r = runner.invoke(app, ["obligations", "--format", "xlsx", "--db", str(gold_db)])
    assert r.exit_code == 0, r.stderr
    wb = load_workbook(tmp_path / "outputs" / "obligations.xlsx")
    ws = wb["Nhiệm vụ"]
    top = header_row(ws)
    assert [c.value for c in ws[top]][:5] == VI_HEADER
    assert ws.max_row - top == sum(
        1
        for _ in json.loads(
            runner.invoke(app, ["obligations", "--format", "json", "--db", str(gold_db)]).stdout
        )
    )
    assert ws.freeze_panes == f"A{top + 1}" and ws.auto_filter.ref
    assert any(c.value == "trước 25/06/2025" for c in ws["E"])
    en = tmp_path / "en.xlsx"
    r = runner.invoke(
        app,
        [
            "obligations",
            "02-KH/BCĐTW",
            "--format",
            "xlsx",
            "-o",
            str(en),
            "--lang",
            "en",
            "--db",
            str(gold_db),
        ],
    )
    assert r.exit_code == 0, r.stderr
    wb = load_workbook(en)
    assert wb.sheetnames == ["Obligations", "Summary"]
    ws = wb["Obligations"]
    assert [c.value for c in ws[header_row(ws)]][:5] == EN_HEADER
    assert any(c.value == "by 25/06/2025" for c in ws["E"])


@needs_gold
def test_gold_csv_markdown_table_and_docs(gold_db, runner, tmp_path):
    r = runner.invoke(app, ["obligations", "02-KH/BCĐTW", "--format", "csv", "--db", str(gold_db)])
    header = r.stdout.splitlines()[0].split(",")
    assert header[:5] == VI_HEADER
    out = tmp_path / "o.csv"
    runner.invoke(
        app, ["obligations", "02-KH/BCĐTW", "--format", "csv", "-o", str(out), "--db", str(gold_db)]
    )
    assert out.read_text(encoding="utf-8-sig").splitlines()[0].split(",")[:5] == VI_HEADER
    r = runner.invoke(
        app, ["obligations", "02-KH/BCĐTW", "--format", "md", "--lang", "en", "--db", str(gold_db)]
    )
    assert "| No. | Task | Lead | Support | Deadline | Document |" in r.stdout
    assert "by 25/06/2025" in r.stdout
    r = runner.invoke(app, ["obligations", "02-KH/BCĐTW", "--db", str(gold_db)])
    assert r.exit_code == 0 and "Chủ trì" in r.stdout and "Bộ Tài chính" in r.stdout
    r = runner.invoke(
        app, ["obligations", "--summary", "--db", str(gold_db), "--as-of", "2025-08-01", "--format", "json"]
    )
    summary = {s["document"]: s for s in json.loads(r.stdout)}
    assert summary["02-KH/BCĐTW"]["tasks"] == 125 and summary["02-KH/BCĐTW"]["overdue"] > 0
    r = runner.invoke(app, ["docs", "--db", str(gold_db)])
    assert r.exit_code == 0 and "02-KH/BCĐTW" in r.stdout and "Số nhiệm vụ" in r.stdout


@needs_gold
def test_cli_failure_mid_write_rolls_back_that_document(tmp_path, gold_extract, runner, monkeypatch):
    monkeypatch.setenv("DIRECTIVE_NLP_DB", str(tmp_path / "guard.db"))
    real = Store._insert_citations

    def failing(self, doc_id, citations):
        names = {r[0] for r in self.db.execute("SELECT file_name FROM sources WHERE doc_id = ?", [doc_id])}
        if "001_83d4318d260d4f48.txt" in names:
            raise sqlite3.OperationalError("database or disk is full")
        return real(self, doc_id, citations)

    monkeypatch.setattr(Store, "_insert_citations", failing)
    db = tmp_path / "r.db"
    r = runner.invoke(app, ["ingest", str(CORPUS), "--db", str(db)])
    assert r.exit_code == 1
    lines = stderr_lines(r.stderr)
    assert len(lines) == 1
    assert lines[0].startswith(f"directive-nlp: {CORPUS / '001_83d4318d260d4f48.txt'}: ")
    with Store(db) as s:
        names = [d["file_name"] for d in s.documents()]
        assert "001_83d4318d260d4f48.txt" not in names
        assert len(names) == len(CORPUS_FILES) - 1
        counts = s.counts()
        assert counts["tasks"] == sum(d["tasks"] for d in s.documents())
        orphans = s.db.execute(
            "SELECT (SELECT COUNT(*) FROM blocks WHERE source_id NOT IN (SELECT id FROM sources))"
            " + (SELECT COUNT(*) FROM sources WHERE doc_id NOT IN (SELECT id FROM documents))"
            " + (SELECT COUNT(*) FROM tasks WHERE doc_id NOT IN (SELECT id FROM documents))"
            " + (SELECT COUNT(*) FROM citations WHERE doc_id NOT IN (SELECT id FROM documents))"
            " + (SELECT COUNT(*) FROM task_units WHERE task NOT IN (SELECT id FROM tasks))"
        ).fetchone()[0]
        assert orphans == 0
        assert list(s.db.execute("PRAGMA foreign_key_check")) == []
    # the next run (no failure) adds it
    monkeypatch.setattr(Store, "_insert_citations", real)
    r = runner.invoke(app, ["ingest", str(CORPUS), "--db", str(db)])
    assert r.exit_code == 0
    with Store(db) as s:
        assert s.document("02-KH/BCĐTW")["tasks"] == 125


def test_changed_file_is_updated_through_the_cli(tmp_path, runner, monkeypatch):
    monkeypatch.setenv("DIRECTIVE_NLP_DB", str(tmp_path / "guard.db"))
    f = tmp_path / "plan.txt"
    shutil.copy(CORPUS / "002_71bab22afd98218f.txt", f)
    db = tmp_path / "u.db"
    assert "1 mới" in runner.invoke(app, ["ingest", str(f), "--db", str(db)]).stdout
    assert "1 không đổi" in runner.invoke(app, ["ingest", str(f), "--db", str(db)]).stdout
    f.write_text(f.read_text(encoding="utf-8") + "\nBổ sung.\n", encoding="utf-8")
    r = runner.invoke(app, ["ingest", str(f), "--db", str(db), "--lang", "en"])
    assert "1 updated" in r.stdout and r.exit_code == 0
    with Store(db) as s:
        assert s.counts()["documents"] == 1


@needs_gold
def test_two_copies_of_one_plan_are_one_document_with_two_sources(
    tmp_path, gold_extract, runner, monkeypatch
):
    monkeypatch.setenv("DIRECTIVE_NLP_DB", str(tmp_path / "guard.db"))
    copy = tmp_path / "copy" / "001_83d4318d260d4f48.txt"
    copy.parent.mkdir()
    shutil.copy(CORPUS / copy.name, copy)
    db = tmp_path / "two.db"
    r = runner.invoke(app, ["ingest", str(CORPUS / copy.name), str(copy), "--db", str(db)])
    assert r.exit_code == 0, r.stderr
    assert "1 tệp là bản khác" in r.stdout
    with Store(db) as s:
        found = s.find_documents("02-KH/BCĐTW")
        assert len(found) == 1 and found[0]["sources"] == 2
        assert {x["path"] for x in s.sources(found[0]["id"])} == {
            str((CORPUS / copy.name).resolve()),
            str(copy.resolve()),
        }
        # either path names the one document
        assert s.document(copy)["id"] == s.document(CORPUS / copy.name)["id"] == found[0]["id"]
    r = runner.invoke(app, ["obligations", "02-KH/BCĐTW", "--format", "json", "--db", str(db)])
    assert r.exit_code == 0
    assert len(json.loads(r.stdout)) == 125  # counted once
    assert not r.stderr.strip()
