"""Library tests of the corpus store (storage.store) and the report helpers.

Tests that need tasks run the real reader with the extraction replaced by the gold files
(``gold_extract``), so they check the store, not the extractor. Tests of the real pipeline end
to end are in test_cli_store.py.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from directive_nlp import ingest as ingest_mod
from directive_nlp.errors import InputError, NotFoundError
from directive_nlp.extraction import pipeline
from directive_nlp.ingest import collect_files, ingest_file, ingest_paths
from directive_nlp.model import Extraction
from directive_nlp.reports.labels import format_deadline, obligation_columns
from directive_nlp.reports.tables import obligation_table, summary_table, to_csv, to_markdown
from directive_nlp.storage.schema import SCHEMA_VERSION, StoreError
from directive_nlp.storage.store import (
    Store,
    default_db_path,
    is_overdue,
    same_unit,
    symbol_key,
    unit_key,
)

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
GOLD = Path("/work/shared/gold")
if not GOLD.is_dir():
    GOLD = ROOT.parent / "shared" / "gold"
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

needs_gold = pytest.mark.skipif(
    not (GOLD / "001_83d4318d260d4f48.json").is_file(),
    reason="gold annotations (../shared/gold) not available",
)


def gold_for(path: str | Path) -> dict | None:
    g = GOLD / (Path(path).name.split(".")[0] + ".json")
    return json.loads(g.read_text(encoding="utf-8")) if g.is_file() else None


def patch_gold(mp: pytest.MonkeyPatch) -> None:
    """Replace the extraction step by the gold annotation of the file (when there is one)."""
    real = pipeline.extract

    def fake(doc):
        ex = real(doc)
        gold = gold_for(doc.path)
        if gold is None:
            return ex
        gx = Extraction.from_dict(gold)
        gx.source = ex.source  # the real file's path, sha256, format
        return gx

    mp.setattr(pipeline, "extract", fake)


@pytest.fixture
def gold_extract(monkeypatch):
    patch_gold(monkeypatch)


@pytest.fixture(scope="module")
def gold_store(tmp_path_factory):
    """The corpus ingested with gold extractions (shared by read-only tests)."""
    with pytest.MonkeyPatch.context() as mp:
        patch_gold(mp)
        s = Store(tmp_path_factory.mktemp("gold") / "gold.db")
        report = ingest_paths(s, [CORPUS])
    assert not report.failures, report.failures
    yield s
    s.close()


def dump(s: Store) -> dict[str, list[tuple]]:
    """Every row of every table, with rowids: equal dumps mean nothing changed."""
    return {t: [tuple(r) for r in s.db.execute(f"SELECT rowid, * FROM {t} ORDER BY rowid")] for t in TABLES}


# --------------------------------------------------------------------------- schema


def test_new_database_has_schema_version_and_fts(tmp_path):
    s = Store(tmp_path / "x.db")
    assert s.db.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    assert set(TABLES) <= set(s.db.table_names())
    assert s.db["tasks"].detect_fts() == "tasks_fts"
    fks = {(fk.table, fk.column, fk.other_table) for t in TABLES for fk in s.db[t].foreign_keys}
    assert ("tasks", "doc_id", "documents") in fks
    assert ("task_units", "task", "tasks") in fks
    assert ("task_units", "unit", "units") in fks
    assert s.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    s.close()
    # reopening does not migrate again
    s2 = Store(tmp_path / "x.db")
    assert s2.db.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    s2.close()


def test_newer_schema_and_non_database_are_refused(tmp_path):
    s = Store(tmp_path / "x.db")
    s.db["schema_version"].insert({"version": SCHEMA_VERSION + 1, "applied_at": "later"})
    s.close()
    with pytest.raises(StoreError, match="mới hơn"):
        Store(tmp_path / "x.db")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="junk.db"):
        Store(junk)
    with pytest.raises(StoreError, match="chưa có cơ sở dữ liệu"):
        Store(tmp_path / "missing.db", create=False)


def test_default_db_path_is_under_repo_outputs(monkeypatch):
    monkeypatch.delenv("DIRECTIVE_NLP_DB", raising=False)
    assert default_db_path() == ROOT / "outputs" / "directives.db"
    monkeypatch.setenv("DIRECTIVE_NLP_DB", "/tmp/elsewhere.db")
    assert default_db_path() == Path("/tmp/elsewhere.db")


# --------------------------------------------------------------------------- ingest


def test_collect_files_recurses_counts_and_names_what_it_skips(tmp_path):
    (tmp_path / "sub" / ".hidden").mkdir(parents=True)
    for name in (
        "a.txt",
        "sub/b.md",
        "sub/b2.markdown",
        "sub/c.docx",
        "sub/d.pdf",
        "sub/e.json",
        "sub/old.doc",
        "sub/.hidden/f.txt",
        "sub/~$lock.docx",
    ):
        (tmp_path / name).write_text("x", encoding="utf-8")
    got = collect_files([tmp_path, tmp_path / "a.txt", tmp_path / "nope"])
    read_doc = ".doc" in ingest_mod.SUPPORTED  # a reader registered for Word 97 files
    assert [f.relative_to(tmp_path).as_posix() for f in got.files] == [
        "a.txt",
        "sub/b.md",
        "sub/b2.markdown",
        "sub/c.docx",
        "sub/d.pdf",
        *(["sub/old.doc"] if read_doc else []),
    ]
    skipped = {Path(e.path).name: e.key for e in got.skipped}
    # every entry not read is counted and named, with its reason (a .doc only until a reader exists)
    assert skipped["e.json"] == "msg.skipped_type"
    assert skipped[".hidden"] == "msg.skipped_hidden" and skipped["~$lock.docx"] == "msg.skipped_hidden"
    assert ("old.doc" in skipped) != (".doc" in ingest_mod.SUPPORTED)
    assert [str(e) for e in got.problems] == [f"{tmp_path / 'nope'}: không tìm thấy tệp hay thư mục"]


def test_ingest_corpus_texts_and_reingest_changes_nothing(tmp_path):
    s = Store(tmp_path / "c.db")
    report = ingest_paths(s, [CORPUS])
    n_files = len([p for p in CORPUS.iterdir() if p.suffix in (".txt", ".md")])
    assert report.added == n_files and not report.failures
    docs = s.documents()
    assert len(docs) == n_files
    assert all(d["sha256"] and d["format"] in ("txt", "md") for d in docs)
    # the reading is stored block by block, spans consistent
    blocks = s.blocks(docs[0]["id"])
    assert blocks and [b["idx"] for b in blocks] == list(range(len(blocks)))
    assert all(b["span_end"] - b["span_start"] == len(b["text"]) for b in blocks)
    before = dump(s)
    again = ingest_paths(s, [CORPUS])
    assert again.unchanged == n_files and again.added == again.updated == 0
    assert dump(s) == before
    s.close()


def test_new_extractor_or_force_re_extracts_an_unchanged_file(tmp_path, monkeypatch):
    f = CORPUS / "002_71bab22afd98218f.txt"
    s = Store(tmp_path / "c.db")
    first = ingest_file(s, f)
    assert s.documents()[0]["extractor"] == ingest_mod.pipeline_fingerprint()
    assert ingest_file(s, f).status == "unchanged"
    assert ingest_file(s, f, force=True).status == "updated"
    monkeypatch.setattr(ingest_mod, "pipeline_fingerprint", lambda: "another-extractor")
    again = ingest_file(s, f)
    assert again.status == "updated" and again.doc_id == first.doc_id
    assert ingest_file(s, f).status == "unchanged"
    assert s.counts()["documents"] == 1


def test_ingest_file_raises_one_line_input_error(tmp_path):
    s = Store(tmp_path / "c.db")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(InputError) as e:
        ingest_file(s, empty)
    assert str(e.value).startswith(str(empty)) and "\n" not in str(e.value)
    with pytest.raises(InputError, match="không tìm thấy tệp"):
        ingest_file(s, tmp_path / "missing.txt")
    assert s.counts()["documents"] == 0


def test_bad_file_in_a_batch_is_reported_and_the_rest_go_in(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(CORPUS / "002_71bab22afd98218f.txt", src / "good.txt")
    (src / "bad.txt").write_bytes(b"")
    s = Store(tmp_path / "c.db")
    report = ingest_paths(s, [src])
    assert report.added == 1
    assert [r.error for r in report.failures] == [f"{src / 'bad.txt'}: tệp rỗng"]
    assert [d["file_name"] for d in s.documents()] == ["good.txt"]


@needs_gold
def test_changed_file_replaces_previous_version(tmp_path, gold_extract):
    f = tmp_path / "001_83d4318d260d4f48.txt"
    shutil.copy(CORPUS / f.name, f)
    s = Store(tmp_path / "c.db")
    first = ingest_file(s, f)
    assert first.status == "added" and first.tasks == 125
    assert ingest_file(s, f).status == "unchanged"
    f.write_text(f.read_text(encoding="utf-8") + "\nPhụ lục bổ sung.\n", encoding="utf-8")
    second = ingest_file(s, f)
    assert second.status == "updated" and second.doc_id == first.doc_id
    assert s.counts()["documents"] == 1
    assert len(s.tasks()) == 125  # replaced, not duplicated
    assert s.documents()[0]["sha256"] == ingest_mod.file_sha256(f)
    assert s.db.execute("SELECT COUNT(*) FROM tasks_fts").fetchone()[0] == 125
    assert list(s.db.execute("PRAGMA foreign_key_check")) == []


# --------------------------------------------------------------------------- transactions


@needs_gold
def test_failure_mid_write_leaves_nothing_half_written(tmp_path, gold_extract, monkeypatch):
    s = Store(tmp_path / "c.db")
    ingest_file(s, CORPUS / "002_71bab22afd98218f.txt")
    before = dump(s)

    def boom(self, doc_id, citations):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(Store, "_insert_citations", boom)  # after blocks, tasks and units
    with pytest.raises(sqlite3.OperationalError):
        ingest_file(s, CORPUS / "001_83d4318d260d4f48.txt")
    assert dump(s) == before  # no document, source, block, task, unit or link of 001

    # in a batch: the failure is reported on one line, the other files still go in
    report = ingest_paths(s, [CORPUS / "001_83d4318d260d4f48.txt"])
    assert report.failures[0].error.endswith(
        "lỗi không mong đợi: OperationalError: disk I/O error (chạy lại với --debug để xem chi tiết)"
    )
    assert dump(s) == before


@needs_gold
def test_failed_update_keeps_the_previous_version(tmp_path, gold_extract, monkeypatch):
    f = tmp_path / "002_71bab22afd98218f.txt"
    shutil.copy(CORPUS / f.name, f)
    s = Store(tmp_path / "c.db")
    ingest_file(s, f)
    before = dump(s)
    f.write_text(f.read_text(encoding="utf-8") + "\nThêm.\n", encoding="utf-8")

    def boom(self, doc_id, tasks, units=None):
        raise RuntimeError("killed")

    monkeypatch.setattr(Store, "_insert_tasks", boom)
    with pytest.raises(RuntimeError):
        ingest_file(s, f)
    assert dump(s) == before


# --------------------------------------------------------------------------- queries


@needs_gold
def test_document_lookup_by_symbol_path_and_id(gold_store):
    d = gold_store.document("02-KH/BCĐTW")
    assert d is not None and d["tasks"] == 125 and d["doc_type"] == "KH"
    assert gold_store.document("02 - kh/bcđtw")["id"] == d["id"]
    assert gold_store.document(d["id"])["id"] == d["id"]
    assert gold_store.document(str(d["id"]))["id"] == d["id"]
    assert gold_store.document(CORPUS / "001_83d4318d260d4f48.txt")["id"] == d["id"]
    assert gold_store.document("001_83d4318d260d4f48.txt")["id"] == d["id"]
    assert gold_store.document("99-KH/XYZ") is None
    with pytest.raises(NotFoundError):
        gold_store.tasks(doc="99-KH/XYZ")


@needs_gold
def test_extractions_round_trip_the_spec_json(gold_store):
    exs = gold_store.extractions()
    assert len(exs) == len(gold_store.documents())
    by_name = {Path(e["path"]).name: e for e in exs}
    e = by_name["001_83d4318d260d4f48.txt"]
    assert e["schema"] == "directive-nlp/extraction/v1"
    assert isinstance(e["doc_id"], int) and Path(e["path"]).is_absolute()
    gold = gold_for("001_83d4318d260d4f48.txt")
    assert e["document"]["symbol"] == "02-KH/BCĐTW"
    assert [t["id"] for t in e["tasks"]] == [t["id"] for t in gold["tasks"]]
    assert e["tasks"][0]["deadline"] == gold["tasks"][0]["deadline"]
    assert {c["symbol"] for c in e["citations"]} == {c["symbol"] for c in gold["citations"]}


@needs_gold
def test_tasks_filters(gold_store):
    all_tasks = gold_store.tasks()
    assert len(all_tasks) == sum(d["tasks"] for d in gold_store.documents())
    per_doc = {d["file_name"]: d["tasks"] for d in gold_store.documents()}
    assert per_doc["001_83d4318d260d4f48.txt"] == 125
    assert per_doc["002_71bab22afd98218f.txt"] == 32 and per_doc["nq03_pl2_part1.md"] == 56
    kh02 = gold_store.tasks(doc="02-KH/BCĐTW")
    assert len(kh02) == 125 and {t["document"] for t in kh02} == {"02-KH/BCĐTW"}
    t1 = kh02[0]
    assert set(t1) >= {
        "document",
        "id",
        "text",
        "lead",
        "support",
        "deadline",
        "cites",
        "section",
        "provenance",
    }
    assert t1["deadline"] == {
        "kind": "by_date",
        "due": "2025-06-25",
        "start": None,
        "text": "Hoàn thành trong ngày 25/6/2025.",
    }

    police = gold_store.tasks(unit="Bộ Công an")
    assert police
    for t in police:
        assert any(same_unit("Bộ Công an", u) for u in t["lead"] + t["support"]), t
    assert len(police) == sum(
        1 for t in all_tasks if any(same_unit("Bộ Công an", u) for u in t["lead"] + t["support"])
    )
    # tone-mark placement and case do not matter
    assert len(gold_store.tasks(unit="bộ công an")) == len(police)

    before = gold_store.tasks(due_before="2025-07-01")
    assert before and all(t["deadline"]["due"] < "2025-07-01" for t in before)
    overdue = gold_store.tasks(overdue_as_of=dt.date(2025, 8, 1))
    assert overdue and all(t["deadline"]["due"] < "2025-08-01" for t in overdue)
    assert all(t["deadline"]["kind"] not in ("ongoing", "recurring", "none", "immediate") for t in overdue)
    assert len(overdue) == sum(1 for t in all_tasks if is_overdue(t, "2025-08-01"))


@needs_gold
def test_units_links_and_full_text_search(gold_store):
    units = {u["key"]: u for u in gold_store.units()}
    police = unit_key("Bộ Công an")
    assert units[police]["leads"] >= 1 and units[police]["name"] == "Bộ Công an"
    assert unit_key("bộ công an") == police
    n_links = gold_store.db.execute("SELECT COUNT(*) FROM task_units WHERE unit = ?", [police]).fetchone()[0]
    assert n_links >= len(gold_store.tasks(unit="Bộ Công an")) - 1
    hits = gold_store.search("định danh điện tử")
    assert hits and all("định danh" in h["text"].lower() for h in hits[:3])
    assert gold_store.search("đinh danh điên tu")  # tone-mark-insensitive
    assert list(gold_store.db.execute("PRAGMA foreign_key_check")) == []


@needs_gold
def test_summary_counts(gold_store):
    rows = {r["document"]: r for r in gold_store.summary(as_of="2025-08-01")}
    kh02 = rows["02-KH/BCĐTW"]
    tasks = gold_store.tasks(doc="02-KH/BCĐTW")
    assert kh02["tasks"] == 125
    assert kh02["with_due"] == sum(1 for t in tasks if t["deadline"]["due"])
    assert kh02["overdue"] == len(gold_store.tasks(doc="02-KH/BCĐTW", overdue_as_of="2025-08-01"))
    assert kh02["leads"] > 10


def test_symbol_key_and_units():
    assert symbol_key("02 - KH/BCĐTW") == symbol_key("02-kh/bcđtw")
    assert same_unit("Ủy ban nhân dân phường", "Uỷ ban nhân dân phường")
    assert same_unit("Bộ Công an", "Địa phương|Bộ Công an")
    assert not same_unit("Bộ Công an", "Các bộ, ngành")
    assert not is_overdue({"deadline": {"kind": "ongoing", "due": None}}, "2030-01-01")
    assert is_overdue({"deadline": {"kind": "in_month", "due": "2025-08-31"}}, "2025-09-01")
    assert not is_overdue({"deadline": {"kind": "in_month", "due": "2025-08-31"}}, "2025-08-31")


# --------------------------------------------------------------------------- reports


@pytest.mark.parametrize(
    "deadline, vi, en",
    [
        ({"kind": "by_date", "due": "2025-06-30"}, "trước 30/06/2025", "by 30/06/2025"),
        ({"kind": "in_month", "due": "2025-08-31"}, "trong tháng 8/2025", "in August 2025"),
        ({"kind": "in_quarter", "due": "2026-09-30"}, "quý III/2026", "Q3 2026"),
        ({"kind": "in_year", "due": "2025-12-31"}, "trong năm 2025", "in 2025"),
        (
            {"kind": "range", "start": "2025-01-01", "due": "2025-04-30"},
            "từ tháng 1/2025 đến tháng 4/2025",
            "from January 2025 to April 2025",
        ),
        ({"kind": "ongoing"}, "thường xuyên", "ongoing"),
        (
            {"kind": "ongoing", "start": "2025-07-01"},
            "thường xuyên, từ tháng 7/2025",
            "ongoing, from July 2025",
        ),
        (
            {"kind": "recurring", "text": "trước ngày 25 hằng tháng."},
            "định kỳ: trước ngày 25 hằng tháng",
            "recurring: trước ngày 25 hằng tháng",
        ),
        ({"kind": "immediate"}, "ngay", "immediately"),
        ({"kind": "none"}, "", ""),
        (None, "", ""),
    ],
)
def test_format_deadline(deadline, vi, en):
    assert format_deadline(deadline, "vi") == vi
    assert format_deadline(deadline, "en") == en


def test_obligation_table_csv_and_markdown():
    tasks = [
        {
            "document": "02-KH/BCĐTW",
            "id": "t1",
            "text": "Ban hành | quy định",
            "lead": ["Bộ Tài chính"],
            "support": ["Văn phòng Chính phủ", "các bộ, ngành"],
            "deadline": {"kind": "by_date", "due": "2025-06-25", "start": None, "text": None},
            "section": "I.1",
        }
    ]
    columns, rows = obligation_table(tasks, "vi")
    assert columns == [
        "STT",
        "Nội dung nhiệm vụ",
        "Cơ quan chủ trì",
        "Cơ quan phối hợp",
        "Thời hạn",
        "Văn bản",
    ]
    assert columns == obligation_columns("vi")
    assert rows[0][4] == "trước 25/06/2025"
    csv_text = to_csv(*obligation_table(tasks, "en", extended=True))
    assert csv_text.splitlines()[0] == (
        "No.,Task,Lead,Support,Deadline,Product / Result,Notes,Document,Section,Targets,Cited documents,"
        "Lead source,Deadline source,Due date,Task ID"
    )
    assert "Văn phòng Chính phủ; các bộ, ngành" in csv_text and "25/06/2025" in csv_text
    md = to_markdown(columns, rows, "Danh mục")
    assert "| STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn | Văn bản |" in md
    assert "Ban hành \\| quy định" in md
    s_cols, s_rows = summary_table(
        [
            {"document": "A", "doc_type": "KH", "tasks": 3, "with_due": 2, "overdue": 1, "leads": 2},
            {"document": "B", "doc_type": None, "tasks": 1, "with_due": 0, "overdue": 0, "leads": 1},
        ]
    )
    assert s_rows[-1][:5] == ["Tổng cộng", "", 4, 2, 1]


def test_write_xlsx_styles(tmp_path):
    from openpyxl import load_workbook

    from directive_nlp.reports.xlsx import write_xlsx

    out = write_xlsx(
        {
            "Nhiệm vụ": (
                ["STT", "Nhiệm vụ", ("Hạn", 12)],
                [[1, "Một\x01 việc", dt.date(2025, 6, 30)], [2, ["a", "b"], None]],
            ),
            "Tổng/hợp: [x]": (["A"], []),
        },
        tmp_path / "sub" / "r.xlsx",
    )
    wb = load_workbook(out)
    assert wb.sheetnames == ["Nhiệm vụ", "Tổng-hợp- -x-"]
    ws = wb["Nhiệm vụ"]
    assert [c.value for c in ws[1]] == ["STT", "Nhiệm vụ", "Hạn"]
    assert ws["A1"].font.bold and ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:C3"
    assert ws["B2"].value == "Một việc" and ws["B3"].value == "a\nb"
    assert ws["B2"].alignment.wrap_text
    assert ws["C2"].value.date() == dt.date(2025, 6, 30) and ws["C2"].number_format == "DD/MM/YYYY"
    assert abs(ws.column_dimensions["C"].width - 12) < 1  # XlsxWriter adds its padding
