"""Ingest under limits, hostile paths, one document per notice, concurrent writers, the schema
migration, the Dask batch path and the library API (``directive_nlp.ingest`` and ``api``).

Limits are tested with the extraction step replaced by a misbehaving one (slow, memory-hungry,
crashing, noisy) for one file of a batch of real documents: the worker processes are forked, so
the replacement runs inside them exactly where a pathological document would.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest

from directive_nlp import api
from directive_nlp.errors import InputError
from directive_nlp.extraction import pipeline
from directive_nlp.ingest import (
    Limits,
    display_path,
    ingest_file,
    ingest_paths,
)
from directive_nlp.model import Deadline, DocumentMeta, Extraction, Task
from directive_nlp.storage.schema import MIGRATIONS, SCHEMA_VERSION
from directive_nlp.storage.store import Store, StoredFile

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED = Path("/work/shared") if Path("/work/shared").is_dir() else ROOT.parent / "shared"
FIXTURES = SHARED / "fixtures"
PDF_002 = FIXTURES / "002_71bab22afd98218f.pdf"
DOCX_001 = FIXTURES / "001_83d4318d260d4f48.docx"
TXT_002 = CORPUS / "002_71bab22afd98218f.txt"
TXT_001 = CORPUS / "001_83d4318d260d4f48.txt"
needs_fixtures = pytest.mark.skipif(
    not (PDF_002.is_file() and DOCX_001.is_file()), reason="shared fixtures not available"
)


def run_cli(*args: object, db_guard: Path, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "DIRECTIVE_NLP_DB": str(db_guard), "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-m", "directive_nlp", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=600,
        **kw,
    )


def misbehave_on(mp: pytest.MonkeyPatch, name: str, action) -> None:
    """Run ``action`` instead of extracting the file called ``name``; others extract normally."""
    real = pipeline.extract

    def fake(doc):
        if Path(doc.path).name == name:
            return action(doc, real)
        return real(doc)

    mp.setattr(pipeline, "extract", fake)


def batch_folder(tmp_path: Path, bad_name: str) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(CORPUS / "000_6b10fd807bd99c8b.txt", src / "a_first.txt")
    shutil.copy(TXT_002, src / bad_name)
    shutil.copy(CORPUS / "004_a4ab8e019ebfdf2e.txt", src / "z_last.txt")
    return src


# --------------------------------------------------------------------------- limits


def test_a_file_over_the_time_limit_gets_one_line_and_the_batch_goes_on(tmp_path, monkeypatch):
    src = batch_folder(tmp_path, "slow.txt")

    def hang(doc, real):
        time.sleep(600)
        return real(doc)

    misbehave_on(monkeypatch, "slow.txt", hang)
    with Store(tmp_path / "s.db") as s:
        t0 = time.monotonic()
        report = ingest_paths(s, [src], jobs=2, limits=Limits(timeout=25))
        elapsed = time.monotonic() - t0
        assert [r.error for r in report.failures] == [f"{src / 'slow.txt'}: quá thời gian xử lý (25 s)"]
        assert sorted(x["file_name"] for x in s.sources()) == ["a_first.txt", "z_last.txt"]
    assert elapsed < 200  # the hung worker was killed, not waited for


def test_a_file_over_the_memory_limit_gets_one_line_and_the_batch_goes_on(tmp_path, monkeypatch):
    src = batch_folder(tmp_path, "greedy.txt")

    def grab(doc, real):
        hog = bytearray(3 * 1024**3)  # 3 GB, over the 1 GB address-space limit
        return real(doc) if hog else None

    misbehave_on(monkeypatch, "greedy.txt", grab)
    with Store(tmp_path / "s.db") as s:
        report = ingest_paths(s, [src], limits=Limits(max_memory=1024))
        assert [r.error for r in report.failures] == [f"{src / 'greedy.txt'}: vượt giới hạn bộ nhớ (1024 MB)"]
        assert report.added == 2


def test_a_crashing_worker_is_one_line_and_never_stalls_the_batch(tmp_path, monkeypatch):
    src = batch_folder(tmp_path, "crash.txt")
    misbehave_on(monkeypatch, "crash.txt", lambda doc, real: os.kill(os.getpid(), signal.SIGSEGV))
    with Store(tmp_path / "s.db") as s:
        report = ingest_paths(s, [src], jobs=2)
        assert len(report.failures) == 1
        line = report.failures[0].error
        assert line.startswith(f"{src / 'crash.txt'}: ") and "SIGSEGV" in line and "\n" not in line
        assert report.added == 2


def test_library_noise_is_captured_not_printed(tmp_path, monkeypatch, capfd):
    src = batch_folder(tmp_path, "noisy.txt")

    def noisy(doc, real):
        warnings.warn("CropBox missing from /Page, defaulting to MediaBox", UserWarning, stacklevel=1)
        logging.getLogger("pdfminer").warning("Could not get FontBBox from font descriptor")
        os.write(2, b"Warning: pdfium says something\n")
        print("stray print")
        return real(doc)

    misbehave_on(monkeypatch, "noisy.txt", noisy)
    with Store(tmp_path / "s.db") as s:
        report = ingest_paths(s, [src])
    out = capfd.readouterr()
    assert out.err == "" and out.out == ""
    noisy_result = next(r for r in report.results if r.path.endswith("noisy.txt"))
    assert noisy_result.status == "added"
    assert any("CropBox missing" in n for n in noisy_result.notes)
    assert any("FontBBox" in n for n in noisy_result.notes)


# --------------------------------------------------------------------------- hostile paths


def test_only_regular_files_are_read_and_links_stay_inside_the_folder(tmp_path):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    shutil.copy(TXT_002, src / "plan.txt")
    shutil.copy(CORPUS / "004_a4ab8e019ebfdf2e.txt", src / "sub" / "report.txt")
    os.mkfifo(src / "pipe.txt")
    (src / "passwd.txt").symlink_to("/etc/passwd")
    (src / "zero.txt").symlink_to("/dev/zero")
    (src / "inside.txt").symlink_to(src / "sub" / "report.txt")  # the same file: read once
    (src / "loop").symlink_to(src)
    weird = os.fsdecode(b"k\xe9 ho\xe0ch.txt")  # a Latin-1 file name, not valid UTF-8
    shutil.copy(CORPUS / "000_6b10fd807bd99c8b.txt", src / weird)
    (src / "punct.txt").write_text(" ... ,;: -- !!\n\n– • ()\n", encoding="utf-8")
    (src / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    (src / "notes.markdown").write_text(TXT_001.read_text(encoding="utf-8"), encoding="utf-8")
    fifo_named = tmp_path / "named.fifo.txt"
    os.mkfifo(fifo_named)

    db = tmp_path / "h.db"
    r = run_cli("ingest", src, fifo_named, "/dev/zero", "--db", db, db_guard=tmp_path / "g.db")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    lines = r.stderr.splitlines()
    assert all(line.startswith("directive-nlp: ") for line in lines), r.stderr

    def line_for(name: str) -> str:
        found = [line for line in lines if f"/{name}: " in line]
        assert len(found) == 1, (name, r.stderr)
        return found[0]

    assert "FIFO" in line_for("pipe.txt") and "FIFO" in line_for("named.fifo.txt")
    assert "/etc/passwd" in line_for("passwd.txt") and "ngoài thư mục" in line_for("passwd.txt")
    assert "ngoài thư mục" in line_for("zero.txt")
    assert "không phải tệp thường (device)" in line_for("zero")  # /dev/zero named on the command line
    assert "bỏ qua" in line_for("loop")
    assert "không đọc được chữ nào trong tệp" in line_for("punct.txt")
    assert ".doc" in line_for("old.doc")  # named with its reason (skipped, or refused by the reader)

    with Store(db) as s:
        paths = {x["path"] for x in s.sources()}
        assert str((src / "notes.markdown").resolve()) in paths  # .markdown read like .md
        assert display_path((src / weird).resolve()) in paths
        assert any(p.endswith("/k\\xe9 ho\\xe0ch.txt") for p in paths)  # the escaped form
        assert str((src / "sub" / "report.txt").resolve()) in paths
        assert not any("passwd" in p or "zero" in p or "punct" in p for p in paths)
        assert len(paths) == 4
        assert not s.db.execute("SELECT 1 FROM blocks WHERE text LIKE 'root:%'").fetchone()
        assert s.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_ingest_file_refuses_special_and_empty_files_with_one_line(tmp_path):
    with Store(tmp_path / "s.db") as s:
        with pytest.raises(InputError, match="không phải tệp thường"):
            ingest_file(s, "/dev/null")
        empty = tmp_path / "dots.md"
        empty.write_text("# …\n\n* * *\n", encoding="utf-8")
        with pytest.raises(InputError) as e:
            ingest_file(s, empty)
        assert str(e.value) == f"{empty}: không đọc được chữ nào trong tệp"
        assert s.counts()["documents"] == 0


# --------------------------------------------------------------------------- one document, one record


def as_docx(txt: Path, out: Path) -> Path:
    """The same notice typed into Word: one paragraph per line of the text file."""
    import docx

    d = docx.Document()
    for line in txt.read_text(encoding="utf-8").splitlines():
        d.add_paragraph(line)
    d.save(str(out))
    return out


@needs_fixtures
def test_the_same_notice_as_txt_pdf_and_docx_is_one_document(tmp_path):
    docx_002 = as_docx(TXT_002, tmp_path / "thong_bao_ban_word.docx")
    others = [CORPUS / "000_6b10fd807bd99c8b.txt", CORPUS / "004_a4ab8e019ebfdf2e.txt"]
    files = [TXT_002, PDF_002, docx_002, DOCX_001, TXT_001, *others]
    with Store(tmp_path / "a.db") as s:
        report = ingest_paths(s, files, jobs=2)
        assert not report.failures and report.added == 4 and report.merged == 3
        doc = s.document(PDF_002)
        assert doc is not None and doc["sources"] == 3
        assert {x["format"] for x in s.sources(doc["id"])} == {"txt", "pdf", "docx"}
        assert s.document(docx_002)["id"] == s.document(TXT_002)["id"] == doc["id"]
        assert s.document(DOCX_001)["id"] == s.document(TXT_001)["id"] != doc["id"]
        # obligations counted once: the document's tasks are those of one of its files
        per_source = {x["tasks"] for x in s.sources(doc["id"])}
        assert doc["tasks"] == max(per_source) > 0
        assert len(s.tasks()) == sum(d["tasks"] for d in s.documents())
        assert len(s.documents()) == 4  # two different notices of one genre stay apart
        first = {d["id"]: (d["tasks"], d["file_name"]) for d in s.documents()}
    # the order files arrive in does not change which file a document's tasks come from
    with Store(tmp_path / "b.db") as s:
        ingest_paths(s, list(reversed(files)))
        second = {(d["tasks"], d["file_name"]) for d in s.documents()}
    assert second == set(first.values())


def test_same_symbol_but_different_date_or_text_stays_two_documents(tmp_path):
    def ex(symbol: str, date: str, text: str) -> StoredFile:
        meta = DocumentMeta(symbol=symbol, doc_type="KH", issuer="Ban Chỉ đạo", issued_date=date)
        e = Extraction(source={"format": "txt"}, document=meta, tasks=[Task(id="1", text=text)])
        return StoredFile(path=f"/x/{symbol}-{date}-{len(text)}.txt", sha256=date + text, extraction=e)

    with Store(tmp_path / "s.db") as s:
        a = s.write(ex("02-KH/BCĐTW", "2025-06-19", "Triển khai nhiệm vụ năm 2025"))
        b = s.write(ex("02-KH/BCĐTW", "2026-01-05", "Triển khai nhiệm vụ năm 2026"))
        c = s.write(ex("02 - KH/BCĐTW", "2025-06-19", "Bản in lại có sửa chữ"))
        assert a.status == b.status == "added" and a.doc_id != b.doc_id
        assert c.status == "merged" and c.doc_id == a.doc_id  # same symbol, issuer and date


# --------------------------------------------------------------------------- schema


def test_documents_table_is_readable_and_tasks_keep_their_sources(tmp_path):
    task = Task(
        id="2.1",
        text="Xây dựng cơ sở dữ liệu dân cư",
        lead=["Bộ Công an"],
        deadline=Deadline(kind="by_date", due="2025-09-30"),
        lead_source="table_column",
        deadline_source="stated",
        deliverable="Báo cáo kết quả triển khai",
    )
    e = Extraction(source={"format": "docx"}, document=DocumentMeta(symbol="05-KH/UBND"), tasks=[task])
    with Store(tmp_path / "s.db") as s:
        s.write(StoredFile(path="/x/plan.docx", sha256="abc", extraction=e))
        cols = {c.name for c in s.db["documents"].columns}
        assert "extraction" not in cols and {"symbol", "issuer", "issued_date", "title"} <= cols
        row = s.db.execute("SELECT lead_source, deadline_source, deliverable FROM tasks").fetchone()
        assert row == ("table_column", "stated", "Báo cáo kết quả triển khai")
        t = s.tasks()[0]
        assert t["deliverable"] == "Báo cáo kết quả triển khai" and t["lead_source"] == "table_column"
        back = s.extraction("05-KH/UBND")
        assert isinstance(back, Extraction) and back.tasks[0].deliverable == task.deliverable


def test_a_version_1_database_is_migrated(tmp_path):
    import sqlite_utils

    path = tmp_path / "v1.db"
    db = sqlite_utils.Database(path)
    db["schema_version"].create({"version": int, "applied_at": str}, pk="version")
    MIGRATIONS[1](db)
    db["schema_version"].insert({"version": 1, "applied_at": "2025-01-01"})
    ex = {
        "schema": "directive-nlp/extraction/v1",
        "source": {"format": "txt"},
        "document": {"symbol": "7-TB/X"},
    }
    ex["tasks"] = [{"id": "1", "text": "Rà soát quy hoạch", "deadline": {"kind": "none"}}]
    db["documents"].insert(
        {
            "id": 1,
            "path": "/old/tb.txt",
            "file_name": "tb.txt",
            "sha256": "s",
            "format": "txt",
            "symbol": "7-TB/X",
            "symbol_key": "7-tb/x",
            "extraction": json.dumps(ex),
        }
    )
    db["blocks"].insert({"doc_id": 1, "idx": 0, "kind": "paragraph", "text": "Rà soát quy hoạch chung"})
    db["tasks"].insert({"id": 1, "doc_id": 1, "task_id": "1", "text": "Rà soát quy hoạch"})
    db.close()
    with Store(path) as s:
        assert s.db.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == SCHEMA_VERSION == 2
        d = s.document("7-TB/X")
        assert d["file_name"] == "tb.txt" and d["path"] == "/old/tb.txt" and d["tasks"] == 1
        assert [b["text"] for b in s.blocks(d["id"])] == ["Rà soát quy hoạch chung"]
        assert s.extraction(d["id"]).tasks[0].text == "Rà soát quy hoạch"
        assert s.db.execute("SELECT COUNT(*) FROM sketches").fetchone()[0] > 0
        assert list(s.db.execute("PRAGMA foreign_key_check")) == []
        assert "extraction" not in {c.name for c in s.db["documents"].columns}


# --------------------------------------------------------------------------- concurrency


def test_four_concurrent_ingest_processes_on_one_store(tmp_path):
    src = tmp_path / "in"
    # three short documents (a notice, a plan's appendix, a report), two copies of each
    names = ["000_6b10fd807bd99c8b.txt", "002_71bab22afd98218f.txt", "nq03_pl2_part1.md"]
    for copy in range(2):
        (src / f"copy{copy}").mkdir(parents=True)
        for n in names:
            shutil.copy(CORPUS / n, src / f"copy{copy}" / n)
    db = tmp_path / "shared.db"
    env = {**os.environ, "DIRECTIVE_NLP_DB": str(tmp_path / "g.db"), "PYTHONPATH": str(ROOT / "src")}
    # each process gets every folder, in a different order: the same files race to the store
    orders = [[0, 1], [1, 0], [0, 1], [1, 0]]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "directive_nlp", "ingest", *(src / f"copy{i}" for i in order), "--db", db],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=env,
        )
        for order in orders
    ]
    outs = [p.communicate(timeout=600) for p in procs]
    for p, (_out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
        assert "locked" not in err.lower() and "Traceback" not in err
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        paths = [r[0] for r in con.execute("SELECT path FROM sources")]
        assert len(paths) == len(set(paths)) == 2 * len(names)  # every file stored once
        assert con.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == len(names)
        # no document holds its tasks twice
        per_doc = con.execute(
            "SELECT d.id, (SELECT COUNT(*) FROM tasks t WHERE t.doc_id = d.id), s.tasks"
            " FROM documents d JOIN sources s ON s.id = d.primary_source"
        ).fetchall()
        assert all(n == expected for _, n, expected in per_doc), per_doc
    finally:
        con.close()


# --------------------------------------------------------------------------- batch on Dask


def _store_content(db: Path) -> dict[str, list[tuple]]:
    con = sqlite3.connect(db)
    try:
        return {
            "documents": con.execute("SELECT * FROM documents ORDER BY id").fetchall(),
            "sources": con.execute(
                "SELECT id, doc_id, path, sha256, format, pages, tasks, extractor FROM sources ORDER BY id"
            ).fetchall(),
            **{
                t: con.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall()
                for t in ("extractions", "sketches", "blocks", "tasks", "units", "task_units", "citations")
            },
        }
    finally:
        con.close()


@needs_fixtures
def test_batch_on_a_local_cluster_gives_the_same_store_as_ingest(tmp_path):
    pytest.importorskip("dask.distributed")
    files = [*sorted(CORPUS.glob("*.txt")), PDF_002, DOCX_001]
    parts = tmp_path / "parts"
    report = api.batch(files, parts, workers=2, processes=False)
    assert report.failed == 0 and report.files == len(files) and report.partitions
    loaded = api.ingest_from(parts, tmp_path / "batch.db")
    direct = api.ingest(files, tmp_path / "direct.db")
    assert not loaded.failures and not direct.failures
    assert _store_content(tmp_path / "batch.db") == _store_content(tmp_path / "direct.db")
    # loading the partitions again changes nothing
    again = api.ingest_from(parts, tmp_path / "batch.db")
    assert again.unchanged == len(files)


def test_ingest_from_a_folder_without_partitions_is_one_line(tmp_path):
    (tmp_path / "empty").mkdir()
    r = run_cli("ingest", "--from", tmp_path / "empty", "--db", tmp_path / "x.db", db_guard=tmp_path / "g.db")
    assert r.returncode == 1
    assert r.stderr.strip().splitlines() == [
        f"directive-nlp: {tmp_path / 'empty'}: " + "không có tệp phân đoạn trích xuất nào (*.jsonl)"
    ]


# --------------------------------------------------------------------------- api


def test_api_load_from_a_file_a_json_and_the_store(tmp_path):
    ex = api.load(TXT_002)
    assert isinstance(ex, Extraction) and ex.tasks
    j = tmp_path / "ex.json"
    j.write_text(json.dumps(ex.to_dict(), ensure_ascii=False), encoding="utf-8")
    assert [t.text for t in api.load(j).tasks] == [t.text for t in ex.tasks]
    db = tmp_path / "s.db"
    api.ingest([TXT_002], db)
    doc_id = api.documents(db)[0]["id"]
    stored = api.load_document(str(doc_id), db)
    assert [t.id for t in stored.extraction.tasks] == [t.id for t in ex.tasks]
    assert stored.text and "\n" in stored.text
    assert api.load_extractions(db)[0]["doc_id"] == doc_id
    with pytest.raises(InputError, match="không phải văn bản nào trong kho"):
        api.load("99-KH/KHONGCO", db)
    with pytest.raises(InputError, match="là thư mục"):
        api.load(tmp_path, db)
    bad = tmp_path / "bad.json"
    bad.write_text('{"document": {}}', encoding="utf-8")
    with pytest.raises(InputError, match="thiếu danh sách 'tasks'"):
        api.load(bad)
