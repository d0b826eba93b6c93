"""What a secretariat officer sees: Vietnamese help and errors, office-form exports (Word and
Excel), search and per-unit overviews over the store, one date grammar for every option."""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import json
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from directive_nlp.cli import app, main
from directive_nlp.cli.app import install_click_wording, localise
from directive_nlp.i18n import catalogue, set_lang

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
PLAN = "02-KH/BCĐTW"
AS_OF = "01/09/2025"
DATED = {"by_date", "in_month", "in_quarter", "in_year", "range"}
OFFICE = [
    "STT",
    "Nội dung nhiệm vụ",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Thời hạn",
    "Sản phẩm / Kết quả",
    "Ghi chú",
]


@pytest.fixture(autouse=True)
def _default_language(monkeypatch):
    monkeypatch.delenv("DIRECTIVE_NLP_LANG", raising=False)
    set_lang(None)
    yield
    set_lang(None)


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("ux") / "store.db"
    r = CliRunner().invoke(app, ["ingest", str(CORPUS), "--db", str(path)])
    assert r.exit_code == 0, r.output
    return path


def run(args: list[str]) -> tuple[int, str, str]:
    """The real entry point (``main``) in process: exit status, stdout, stderr."""
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(args)
        except SystemExit as e:
            code = int(e.code or 0)
    return code, out.getvalue(), err.getvalue()


def json_of(args: list[str]) -> list[dict]:
    code, out, err = run(args)
    assert code == 0, err
    return json.loads(out)


def overdue(task: dict, as_of: dt.date) -> bool:
    d = task["deadline"]
    return bool(d["due"]) and d["kind"] in DATED and dt.date.fromisoformat(d["due"]) < as_of


# --------------------------------------------------------------------------- language


def _commands():
    install_click_wording()
    root = localise(typer.main.get_command(app))
    return root, sorted(root.commands.items())


def test_every_help_text_is_a_catalogue_text_in_vietnamese():
    vi_texts = {entry["vi"] for entry in catalogue().values()}
    root, commands = _commands()
    assert root.help in vi_texts
    checked = 0
    for name, cmd in commands:
        assert cmd.help in vi_texts, name
        for p in cmd.params:
            text = getattr(p, "help", None)
            # a help text is a Vietnamese sentence of the catalogue, or the list of choices
            assert text in vi_texts or re.fullmatch(r"[a-z]+( \| [a-z]+)+", text or ""), (name, p.name, text)
            checked += 1
    assert checked > 60


@pytest.mark.parametrize(
    "command",
    ["obligations", "search", "units", "graph", "text", "extract", "doctor", "check", "status", "report"],
)
def test_help_pages_vi_by_default_en_with_lang(command):
    code, out, _ = run([command, "--help"])
    assert code == 0
    assert "Tùy chọn" in out and "Hiện hướng dẫn này rồi thoát." in out and "Show this message" not in out
    code, out, _ = run([command, "--help", "--lang", "en"])
    assert code == 0 and "Options" in out and "Show this message and exit." in out
    assert "Tùy chọn" not in out


def test_language_from_the_environment(monkeypatch):
    monkeypatch.setenv("DIRECTIVE_NLP_LANG", "en")
    code, out, _ = run(["units", "--help"])
    assert "How many tasks each unit leads" in out


def test_errors_are_one_vietnamese_line(tmp_path):
    missing = tmp_path / "nope.txt"
    for args in (["text", str(missing)], ["extract", str(missing)]):
        code, out, err = run(args)
        assert code == 1 and err.strip().splitlines() == [f"directive-nlp: {missing}: không tìm thấy tệp"]
    code, _, err = run(["extract", str(tmp_path)])
    assert code == 1 and "là thư mục, không phải tệp" in err
    code, _, err = run(["text", str(missing), "--lang", "en"])
    assert err.strip() == f"directive-nlp: {missing}: no such file"
    code, _, err = run(["text", "--bogus", str(missing)])
    assert code == 2 and err.strip().splitlines() == [
        "directive-nlp: không có tùy chọn --bogus (xem 'directive-nlp text --help')"
    ]
    code, _, err = run(["units", "--format", "pdf", "--db", str(tmp_path / "x.db")])
    assert code == 1 and "định dạng 'pdf' không hợp lệ" in err


def test_unexpected_error_is_one_line_and_debug_shows_the_traceback(monkeypatch, tmp_path):
    from directive_nlp.extraction import pipeline

    def broken(*args, **kwargs):
        raise RuntimeError("hỏng giữa chừng")

    monkeypatch.setattr(pipeline, "extract_file", broken)
    doc = tmp_path / "a.txt"
    doc.write_text("KẾ HOẠCH\n1. Làm việc A.\n", encoding="utf-8")
    code, _, err = run(["extract", str(doc)])
    assert code == 1
    assert err.strip().splitlines() == [
        "directive-nlp: lỗi không mong đợi: RuntimeError: hỏng giữa chừng "
        "(chạy lại với --debug để xem chi tiết)"
    ]
    with pytest.raises(RuntimeError, match="hỏng giữa chừng"):
        main(["extract", str(doc), "--debug"])


# --------------------------------------------------------------------------- dates


def test_one_date_grammar_for_every_option(db):
    iso = json_of(["obligations", PLAN, "--due-before", "2025-07-01", "--format", "json", "--db", str(db)])
    vi = json_of(["obligations", PLAN, "--due-before", "1/7/2025", "--format", "json", "--db", str(db)])
    assert iso == vi and 0 < len(vi) < 128
    assert all(t["deadline"]["due"] < "2025-07-01" for t in vi)
    for bad in ("31/06/2025", "2025-13-01", "1/7/2025 x", "hôm qua"):
        code, _, err = run(["obligations", "--as-of", bad, "--db", str(db)])
        assert code == 1 and f"--as-of: '{bad}' không phải ngày hợp lệ" in err


# --------------------------------------------------------------------------- docx / xlsx


def _docx_rows(path: Path):
    from docx import Document

    doc = Document(str(path))
    table = doc.tables[0]
    rows = [[c.text for c in r.cells] for r in table.rows]
    red = []
    for r in table.rows[1:]:
        colours = {
            str(run.font.color.rgb) for c in r.cells for p in c.paragraphs for run in p.runs if run.text
        }
        red.append(colours == {"C00000"})
    return doc, table, rows, red


def test_docx_has_the_office_form(db, tmp_path):
    out = tmp_path / "plan.docx"
    code, _, err = run(
        ["obligations", PLAN, "--format", "docx", "-o", str(out), "--as-of", AS_OF, "--db", str(db)]
    )
    assert code == 0 and f"Đã ghi {out}" in err
    tasks = json_of(["obligations", PLAN, "--format", "json", "--db", str(db)])
    doc, table, rows, red = _docx_rows(out)
    section = doc.sections[0]
    assert section.page_width > section.page_height and abs(section.page_width.mm - 297) < 1  # A4 landscape
    title = [p.text for p in doc.paragraphs if p.text]
    assert title[0] == "DANH MỤC NHIỆM VỤ" and PLAN in title[1]
    assert any("tính đến ngày 01/09/2025" in line for line in title)
    assert rows[0] == OFFICE
    assert table.rows[0]._tr.trPr.xpath("./w:tblHeader")  # the header repeats on every page
    assert len(rows) - 1 == len(tasks)
    as_of = dt.date(2025, 9, 1)
    late = [overdue(t, as_of) for t in tasks]
    assert red == late and 0 < sum(late) < len(late)
    assert all((row[6] == "Quá hạn") == is_late for row, is_late in zip(rows[1:], late, strict=True))
    assert [row[1] for row in rows[1:]] == [t["text"] for t in tasks]


def test_xlsx_title_block_sort_red_rows_and_real_dates(db, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "plan.xlsx"
    code, _, err = run(
        [
            "obligations",
            PLAN,
            "--format",
            "xlsx",
            "-o",
            str(out),
            "--as-of",
            AS_OF,
            "--sort",
            "deadline",
            "--db",
            str(db),
        ]
    )
    assert code == 0, err
    ws = load_workbook(out)["Nhiệm vụ"]
    assert ws["A1"].value == "DANH MỤC NHIỆM VỤ" and PLAN in ws["A2"].value
    top = next(r for r in range(1, 10) if ws.cell(r, 1).value == "STT")
    header = [c.value for c in ws[top]]
    assert header[:7] == OFFICE
    for name in ("Chỉ tiêu", "Văn bản dẫn", "Nguồn chủ trì", "Nguồn thời hạn", "Hạn hoàn thành"):
        assert name in header
    assert ws.freeze_panes == f"A{top + 1}" and ws.auto_filter.ref.startswith(f"A{top}")
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
    due_col = header.index("Hạn hoàn thành") + 1
    dues = [ws.cell(r, due_col).value for r in range(top + 1, ws.max_row + 1)]
    dated = [d for d in dues if d is not None]
    assert dated and all(isinstance(d, dt.datetime) for d in dated)
    assert ws.cell(top + 1, due_col).number_format.upper() == "DD/MM/YYYY"
    assert dated == sorted(dated) and dues[: len(dated)] == dated  # earliest first, undated last
    for r in range(top + 1, ws.max_row + 1):
        due = ws.cell(r, due_col).value
        is_red = ws.cell(r, 2).font.color is not None and ws.cell(r, 2).font.color.rgb == "FFC00000"
        note = ws.cell(r, 7).value
        assert is_red == (note == "Quá hạn"), r
    assert any(ws.cell(r, 7).value == "Quá hạn" for r in range(top + 1, ws.max_row + 1))
    assert all(
        ws.cell(r, 7).value != "Quá hạn" or ws.cell(r, due_col).value < dt.datetime(2025, 9, 1)
        for r in range(top + 1, ws.max_row + 1)
    )
    del due


def test_sort_by_unit_and_csv_columns(db):
    code, out, _ = run(["obligations", PLAN, "--format", "csv", "--sort", "unit", "--db", str(db)])
    assert code == 0
    import csv
    import io

    from directive_nlp.normalise.text import key

    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    assert rows[0][:7] == OFFICE and "Nguồn chủ trì" in rows[0]
    firsts = [r[2].split("; ")[0] for r in rows[1:]]
    led = [key(f) for f in firsts if f]
    assert led == sorted(led) and firsts.index("") >= len(led) if "" in firsts else True
    assert all(re.fullmatch(r"\d{2}/\d{2}/\d{4}", c) for r in rows[1:] for c in [r[13]] if c)


def test_per_unit_files_titled_for_their_unit(db, tmp_path):
    from directive_nlp.storage.store import unit_key

    folder = tmp_path / "units"
    code, out, err = run(["obligations", PLAN, "--per-unit", str(folder), "--as-of", AS_OF, "--db", str(db)])
    assert code == 0, err
    tasks = json_of(["obligations", PLAN, "--format", "json", "--db", str(db)])
    by_unit: dict[str, set[str]] = {}
    for t in tasks:
        for name in t["lead"]:
            by_unit.setdefault(unit_key(name), set()).add(t["id"])
    files = sorted(folder.glob("*.docx"))
    assert len(files) == len(by_unit) > 10 and f"{len(files)} tệp" in out
    seen = set()
    for f in files:
        doc, _, rows, _ = _docx_rows(f)
        line = next(p.text for p in doc.paragraphs if p.text.startswith("Đơn vị chủ trì: "))
        unit = unit_key(line.removeprefix("Đơn vị chủ trì: "))
        assert re.fullmatch(r"[A-Za-z0-9_]+\.docx", f.name)
        assert len(rows) - 1 == len(by_unit[unit]), f.name  # every task it leads, nothing else
        assert all(unit in {unit_key(n) for n in row[2].split("\n")} for row in rows[1:]), f.name
        seen.add(unit)
    assert seen == set(by_unit)


def test_markdown_export_escapes_markup(tmp_path):
    from directive_nlp.reports.tables import obligation_table, to_markdown

    task = {
        "id": "t1",
        "text": "Gỡ <script>alert(1)</script> và *nhấn mạnh* | cột",
        "lead": ["[Bộ](http://x)"],
        "support": [],
        "deadline": {"kind": "none", "due": None, "start": None, "text": None},
        "document": "<b>X</b>",
    }
    md = to_markdown(*obligation_table([task], "vi"), title="<img src=x onerror=alert(1)>")
    assert "<script" not in md and "<img" not in md and "<b>" not in md
    assert "&lt;script&gt;" in md and "\\*nhấn mạnh\\*" in md and "\\|" in md and "\\[Bộ\\]" in md


# --------------------------------------------------------------------------- search, units, summary


def test_search_ignores_tone_marks_and_filters(db):
    found = json_of(["search", "chuyen doi so", "--format", "json", "--db", str(db)])
    from directive_nlp.normalise.text import key

    # every word typed without tone marks is in the text, whatever its tone marks there
    assert found and all({"chuyen", "doi", "so"} <= set(re.findall(r"\w+", key(t["text"]))) for t in found)
    assert any("chuyển đổi số" in t["text"].lower() for t in found)
    unit = "Bộ Công an"
    mine = json_of(
        ["search", "dữ liệu", "--unit", unit, "--limit", "500", "--format", "json", "--db", str(db)]
    )
    assert mine and all(unit in t["lead"] + t["support"] for t in mine)
    everyone = json_of(["search", "dữ liệu", "--limit", "500", "--format", "json", "--db", str(db)])
    assert len(everyone) > len(mine)
    in_plan = json_of(["search", "dữ liệu", "--document", PLAN, "--format", "json", "--db", str(db)])
    assert in_plan and {t["document"] for t in in_plan} == {PLAN}
    code, out, _ = run(["search", "dữ liệu", "--format", "csv", "--db", str(db)])
    assert out.splitlines()[0].startswith("STT,Nội dung nhiệm vụ")
    code, out, _ = run(["search", "zzzkhôngcó", "--db", str(db)])
    assert code == 0 and "Không tìm thấy" in out


def test_units_counts_agree_with_the_task_list(db):
    units = {u["name"]: u for u in json_of(["units", "--as-of", AS_OF, "--format", "json", "--db", str(db)])}
    tasks = json_of(["obligations", "--format", "json", "--db", str(db)])
    name = "Bộ Khoa học và Công nghệ"
    assert units[name]["leads"] == sum(1 for t in tasks if name in t["lead"])
    assert units[name]["supports"] == sum(1 for t in tasks if name in t["support"])
    as_of = dt.date(2025, 9, 1)
    assert units[name]["overdue_leads"] == sum(1 for t in tasks if name in t["lead"] and overdue(t, as_of))
    code, out, _ = run(["units", "--db", str(db)])
    assert code == 0 and "Chủ trì quá hạn" in out


def test_summary_and_unit_filter_by_sql_match_the_store(db):
    from directive_nlp.storage import queries
    from directive_nlp.storage.store import Store

    with Store(db, create=False) as store:
        slow = store.summary(as_of="2025-09-01")
        fast = queries.summary(store.db, as_of="2025-09-01")
        assert [{k: s[k] for k in ("document", "tasks", "with_due", "overdue", "leads")} for s in slow] == [
            {k: s[k] for k in ("document", "tasks", "with_due", "overdue", "leads")} for s in fast
        ]
        by_store = {t["rowid"] for t in store.tasks(unit="Bộ Công an")}
        by_sql = {t["rowid"] for t in queries.obligations(store.db, unit="Bộ Công an")}
        assert by_sql == by_store and by_sql


# --------------------------------------------------------------------------- graph page


def _aggregated_page(db: Path, tmp_path: Path) -> tuple[Path, dict, dict]:
    page = tmp_path / "g.html"
    code, out, err = run(["graph", "--format", "html", "-o", str(page), "--no-align", "--db", str(db)])
    assert code == 0, err
    assert "văn bản" in out and "nhiệm vụ" in out  # the statistics line is Vietnamese
    text = page.read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="graph-data">(.*?)</script>', text, re.S).group(1))
    blob = re.search(r'id="graph-tasks">(.*?)</script>', text, re.S).group(1)
    tasks = json.loads(gzip.decompress(base64.b64decode(blob)))
    return page, data, tasks


def test_graph_page_is_aggregated_with_positions_and_tasks_on_demand(db, tmp_path):
    _, data, tasks = _aggregated_page(db, tmp_path)
    assert data["meta"]["positioned"]
    kinds = {n["kind"] for n in data["nodes"]}
    assert "task" not in kinds and {"document", "unit"} <= kinds
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])
    n_tasks = sum(len(v) for v in tasks.values())
    con = sqlite3.connect(db)
    stored = con.execute("SELECT COUNT(*) FROM tasks").fetchone()[0]
    con.close()
    assert n_tasks == data["meta"]["counts"]["task"] == stored > 300
    # the lead edges carry the number of tasks: their sum is every (task, lead unit) pair
    lead_pairs = sum(len(t.get("lead", [])) for v in tasks.values() for t in v)
    lead = data["edge_kinds"].index("lead")
    assert sum(count for _, _, kind, count in data["edges"] if kind == lead) == lead_pairs
    doc_ids = {n["id"] for n in data["nodes"] if n["kind"] == "document" and not n["stub"]}
    assert set(tasks) <= doc_ids and len(tasks) == 6


@pytest.mark.skipif(not shutil.which("chromium"), reason="chromium not installed")
def test_graph_page_draws_in_headless_chromium(db, tmp_path):
    page, data, _ = _aggregated_page(db, tmp_path)
    shot = tmp_path / "g.png"
    node = next(n["id"] for n in data["nodes"] if n["kind"] == "document" and not n["stub"])
    subprocess.run(
        ["bash", str(ROOT / "scripts" / "render_graph_html.sh"), f"{page}#node={node}", str(shot)],
        check=True,
        timeout=180,
        capture_output=True,
    )
    assert shot.stat().st_size > 20_000
