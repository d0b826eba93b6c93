"""Follow-up end to end: ingest a corpus plan and a written progress report, then the register.

The expected statuses (tests/data/reports/expected_status.tsv) and unmatched items
(expected_unmatched.tsv) were written by hand from reading the reports and the plans.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from directive_nlp import tracking as api
from directive_nlp.cli import app
from directive_nlp.ingest import ingest_paths
from directive_nlp.storage.store import Store

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "tests" / "data" / "reports"
CORPUS = ROOT / "corpus"
runner = CliRunner()


def _tsv(name: str) -> list[list[str]]:
    lines = (REPORTS / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


EXPECTED = _tsv("expected_status.tsv")
UNMATCHED = _tsv("expected_unmatched.tsv")
AS_OF = {
    "ward_progress_table.md": "15/09/2025",
    "centre_progress_prose.txt": "31/10/2025",
    "ward_progress_prose.txt": "30/11/2025",
}
SOURCE = {
    "ward_progress_table.md": "58/BC-UBND",
    "centre_progress_prose.txt": "214/BC-TTPVHCC",
    "ward_progress_prose.txt": "71/BC-UBND",
}


def _iso(dmy: str) -> str:
    d, m, y = dmy.split("/")
    return f"{y}-{m}-{d}"


def _ingest(db: Path, *paths: Path) -> None:
    with Store(db) as store:
        report = ingest_paths(store, paths)
    assert not report.failures


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("follow") / "d.db"
    # a report before its plan and one after: ingestion order must not matter
    _ingest(
        path,
        REPORTS / "ward_progress_table.md",
        CORPUS / "002_71bab22afd98218f.txt",
        CORPUS / "000_6b10fd807bd99c8b.txt",
        REPORTS / "centre_progress_prose.txt",
        REPORTS / "ward_progress_prose.txt",
    )
    return path


def _register_json(db: Path, *args: str) -> list[dict]:
    res = runner.invoke(app, ["status", "--db", str(db), "--format", "json", *args])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def _find(rows: list[dict], phrase: str) -> dict:
    hits = [r for r in rows if phrase.casefold() in r["text"].casefold()]
    assert len(hits) == 1, (phrase, [h["text"][:60] for h in hits])
    return hits[0]


@pytest.mark.parametrize("report", sorted(AS_OF))
def test_statuses_of_reported_tasks(db: Path, report: str) -> None:
    expected = [e for e in EXPECTED if e[0] == report]
    plan = expected[0][1]
    rows = _register_json(db, plan, "--as-of", AS_OF[report])
    right = 0
    for _, _, phrase, status in expected:
        row = _find(rows, phrase)
        right += row["status"] == status
        assert row["source"] == SOURCE[report]
        assert row["as_of"] == AS_OF[report]
    accuracy = right / len(expected)
    assert accuracy >= 0.9, accuracy
    # no status on a task no report (up to that date) mentions
    known = [e for e in EXPECTED if e[1] == plan and _iso(AS_OF[e[0]]) <= _iso(AS_OF[report])]
    mentioned = {_find(rows, e[2])["task_id"] for e in known}
    reported = {r["task_id"] for r in rows if r["reported"]}
    assert reported == mentioned


def test_json_fields_and_evidence(db: Path) -> None:
    rows = _register_json(db, "002_71bab22afd98218f.txt", "--as-of", "2025-09-15")
    for key in ("text", "lead", "deadline", "status", "as_of", "source", "evidence"):
        assert all(key in r for r in rows)
    row = _find(rows, "Phân công cán bộ phụ trách an ninh mạng")
    assert row["status"] == "done"
    assert "Quyết định số 41/QĐ-UBND ngày 14/7/2025" in row["evidence"]
    unreported = [r for r in rows if not r["reported"]]
    assert unreported and all(r["status"] in ("unreported", "overdue") for r in unreported)


def test_unmatched_items_are_listed_not_forced(db: Path) -> None:
    with Store(db, create=False) as store:
        reg = api.status_register(store, as_of="31/12/2025")
    texts = [i["text"] for i in reg.unmatched]
    for _, phrase in UNMATCHED:
        assert sum(phrase.casefold() in t.casefold() for t in texts) == 1, phrase
    assert len(reg.unmatched) == len(UNMATCHED)
    res = runner.invoke(app, ["status", "--db", str(db), "--unmatched", "--format", "json"])
    assert res.exit_code == 0, res.output
    listed = json.loads(res.stdout)
    assert {i["source"] for i in listed} == set(SOURCE.values())
    assert any("nhà văn hóa tổ dân phố số 5" in i["text"] for i in listed)


def test_register_only_lists_plans_and_filters(db: Path) -> None:
    rows = _register_json(db, "--as-of", "15/09/2025")
    assert {r["document"] for r in rows} == {"002_71bab22afd98218f.txt", "000_6b10fd807bd99c8b.txt"}
    unrep = _register_json(db, "--as-of", "15/09/2025", "--unreported")
    assert unrep and not any(r["reported"] for r in unrep)
    # before the ward report's as-of date nothing of it is known yet
    early = _register_json(db, "002_71bab22afd98218f.txt", "--as-of", "01/09/2025")
    assert not any(r["reported"] for r in early)


def test_past_deadline_is_overdue_whatever_the_report_said(db: Path) -> None:
    # the ward report says the 80% online-processing task is in progress; its deadline is 2025
    rows = _register_json(db, "002_71bab22afd98218f.txt", "--as-of", "15/01/2026")
    row = _find(rows, "tối thiểu 80% hồ sơ TTHC")
    assert row["reported_status"] == "in_progress" and row["status"] == "overdue"
    assert _find(rows, "Phân công cán bộ phụ trách an ninh mạng")["status"] == "done"
    overdue = _register_json(db, "002_71bab22afd98218f.txt", "--as-of", "15/01/2026", "--overdue")
    assert overdue and all(r["status"] == "overdue" for r in overdue)


LATER_REPORT = """ỦY BAN NHÂN DÂN PHƯỜNG HẢI AN

Số: 77/BC-UBND

# BÁO CÁO

**Kết quả thực hiện Kế hoạch triển khai Kế hoạch số 02-KH/BCĐTW trên địa bàn phường Hải An (bổ sung)**

Đến hết ngày 20/11/2025, kết quả cụ thể như sau:

| TT | Nhiệm vụ | Cơ quan thực hiện | Tiến độ | Kết quả |
|---|---|---|---|---|
| 1 | Số hóa tài liệu lưu trữ (hồ sơ giấy cũ) của phường | Phòng Văn hóa - Xã hội | Đang thực hiện | R |
""".replace("| R |", "| " + "Đã ký hợp đồng số hóa 1.200 hồ sơ |")


def test_later_report_supersedes_and_history_is_kept(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    later = tmp_path / "bao_cao_bo_sung.md"
    later.write_text(LATER_REPORT, encoding="utf-8")
    _ingest(db, CORPUS / "002_71bab22afd98218f.txt", REPORTS / "ward_progress_table.md", later)
    phrase = "Tiến hành số hóa tài liệu lưu trữ"
    assert _find(_register_json(db, "--as-of", "30/09/2025"), phrase)["status"] == "not_started"
    row = _find(_register_json(db, "--as-of", "30/11/2025"), phrase)
    assert row["status"] == "in_progress" and row["source"] == "77/BC-UBND" and row["history"] == 2
    # a status set by hand is recorded as such and is the latest
    task = f"002_71bab22afd98218f.txt:{row['task_id']}"
    res = runner.invoke(
        app,
        [
            "status",
            "--db",
            str(db),
            "set",
            task,
            "done",
            "--evidence",
            "Biên bản nghiệm thu ngày 01/12/2025",
            "--as-of",
            "1/12/2025",
        ],
    )
    assert res.exit_code == 0, res.output
    row = _find(_register_json(db, "--as-of", "02/12/2025"), phrase)
    assert row["status"] == "done" and row["source_kind"] == "manual" and row["history"] == 3
    assert row["evidence"] == "Biên bản nghiệm thu ngày 01/12/2025"
    res = runner.invoke(app, ["status", "--db", str(db), "history", task, "-f", "json"])
    assert res.exit_code == 0, res.output
    hist = json.loads(res.stdout)["history"]
    assert [(e["status"], e["source"]) for e in hist] == [
        ("not_started", "58/BC-UBND"),
        ("in_progress", "77/BC-UBND"),
        ("done", "manual"),
    ]


def test_bad_input_is_one_line(db: Path) -> None:
    res = runner.invoke(app, ["status", "--db", str(db), "--as-of", "31/02/2025"])
    assert res.exit_code == 1 and "31/02/2025" in res.output and "Traceback" not in res.output
    res = runner.invoke(app, ["status", "--db", str(db), "set", "nope:t1", "done"])
    assert res.exit_code == 1 and "nope:t1" in res.output
    res = runner.invoke(app, ["status", "--db", str(db), "set", "002_71bab22afd98218f.txt:t1", "finished"])
    assert res.exit_code == 1 and "finished" in res.output


def test_dates_accepted() -> None:
    assert api.parse_date("5/9/2025") == dt.date(2025, 9, 5)
    assert api.parse_date("05/09/2025") == dt.date(2025, 9, 5)
    assert api.parse_date("2025-09-05") == dt.date(2025, 9, 5)
    with pytest.raises(api.StatusError):
        api.parse_date("09/2025")


def test_register_xlsx_has_real_dates_and_colours(db: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "status.xlsx"
    res = runner.invoke(
        app,
        [
            "status",
            "--db",
            str(db),
            "002_71bab22afd98218f.txt",
            "--as-of",
            "15/09/2025",
            "-f",
            "xlsx",
            "-o",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    wb = load_workbook(out)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    assert header[:7] == [
        "TT",
        "Nhiệm vụ",
        "Văn bản giao việc",
        "Cơ quan chủ trì",
        "Thời hạn",
        "Hạn hoàn thành",
        "Tiến độ",
    ]
    status_col, date_col = header.index("Tiến độ") + 1, header.index("Ngày cập nhật") + 1
    due_col = header.index("Hạn hoàn thành") + 1
    fills = {}
    dates = 0
    for r in range(2, ws.max_row + 1):
        fills[ws.cell(r, status_col).value] = ws.cell(r, status_col).fill.fgColor.rgb
        for col in (date_col, due_col):
            value = ws.cell(r, col).value
            if value is not None:
                dates += 1
                assert isinstance(value, dt.datetime) and ws.cell(r, col).number_format == "dd/mm/yyyy"
    assert dates >= 10
    # the digitisation task is due in 2026: its due date is a real date, 31/12/2026
    row = next(r for r in range(2, ws.max_row + 1) if "số hóa tài liệu lưu trữ" in str(ws.cell(r, 2).value))
    assert ws.cell(row, due_col).value == dt.datetime(2026, 12, 31)
    assert fills["Đã hoàn thành"].endswith("C6EFCE")  # green
    assert fills["Quá hạn"].endswith("FFC7CE")  # red
    assert ws.freeze_panes == "A2"


def test_periodic_report_docx(db: Path, tmp_path: Path) -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn

    out = tmp_path / "bc.docx"
    res = runner.invoke(
        app, ["report", "002_71bab22afd98218f.txt", "--db", str(db), "--as-of", "15/01/2026", "-o", str(out)]
    )
    assert res.exit_code == 0, res.output
    doc = Document(str(out))
    sec = doc.sections[0]
    assert sec.orientation == WD_ORIENT.LANDSCAPE
    assert sec.page_width is not None and sec.page_height is not None and sec.page_width > sec.page_height
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "BÁO CÁO ĐỊNH KỲ" in text and "15/01/2026" in text
    tables = doc.tables[1:]
    assert tables
    expected_cols = [
        "TT",
        "Nhiệm vụ",
        "Văn bản giao việc",
        "Cơ quan chủ trì",
        "Thời hạn",
        "Tiến độ",
        "Kết quả hiện nay",
    ]
    order = ["Quá hạn", "Chưa thực hiện", "Đang thực hiện", "Chưa có báo cáo", "Đã hoàn thành"]
    n_rows = 0
    for table in tables:
        assert [c.text for c in table.rows[0].cells] == expected_cols
        tr_pr = table.rows[0]._tr.trPr
        assert tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None
        # the plan has no symbol: a person reads its type and issuer, not a file name
        assert {row.cells[2].text for row in table.rows[1:]} == {"Kế hoạch – Ủy ban nhân dân phường Hải An"}
        statuses = [row.cells[5].text for row in table.rows[1:]]
        assert statuses == sorted(statuses, key=order.index)  # overdue first
        n_rows += len(statuses)
    with Store(db, create=False) as store:
        assert n_rows == len(store.tasks(doc="002_71bab22afd98218f.txt"))
    # the counts table agrees with the rows
    counts = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows[1:]}
    all_statuses = [row.cells[5].text for t in tables for row in t.rows[1:]]
    assert counts["Quá hạn"] == str(all_statuses.count("Quá hạn"))


def test_periodic_report_md_and_english(db: Path) -> None:
    res = runner.invoke(
        app,
        [
            "report",
            "000_6b10fd807bd99c8b.txt",
            "--db",
            str(db),
            "--as-of",
            "31/10/2025",
            "-f",
            "md",
            "--lang",
            "en",
        ],
    )
    assert res.exit_code == 0, res.output
    assert "PERIODIC REPORT" in res.stdout and "| No. | Task | Assigning document |" in res.stdout
    assert "Overdue" in res.stdout


def test_graph_reports_on_edges_and_untracked_exclude_reported(db: Path) -> None:
    from directive_nlp.linking.graph import add_reports_on, build_graph
    from directive_nlp.linking.untracked import exclude_reported, find_untracked, reported_tasks
    from directive_nlp.tracking import report_links

    with Store(db, create=False) as store:
        G = build_graph(store.extractions(), align=False)
        links = report_links(store)
    assert add_reports_on(G, links) == len(links) == len(EXPECTED)
    edges = [(u, v, d) for u, v, k, d in G.edges(keys=True, data=True) if k == "reports_on"]
    assert {G.nodes[u]["symbol"] for u, _, _ in edges} == set(SOURCE.values())
    assert all(G.nodes[v]["kind"] == "task" and d["status"] for _, v, d in edges)
    rows = find_untracked(G, as_of=dt.date(2026, 12, 31))
    kept = exclude_reported(G, rows)
    assert kept and not {r.task for r in kept} & reported_tasks(G)
    assert len(kept) < len(rows)  # reported overdue tasks left out
    res = runner.invoke(
        app,
        [
            "untracked",
            "--db",
            str(db),
            "--as-of",
            "2026-12-31",
            "--no-align",
            "--exclude-reported",
            "-f",
            "json",
        ],
    )
    assert res.exit_code == 0, res.output
    assert len(json.loads(res.stdout)) == len(kept)


# A province's report on the central plan 02-KH/BCĐTW, as a Word table with a "Văn bản giao"
# column (own wording). Expected: the task of 02-KH/BCĐTW each row reports on (a phrase of it,
# read from the plan by hand) and the status; two rows report on other documents' tasks.
PROVINCE_ROWS = [
    ("I", "NHIỆM VỤ HOÀN THÀNH TRONG THÁNG 6/2025", "", "", "", "", ""),
    (
        "1",
        "Xây dựng, công bố mã định danh điện tử của các cơ quan, đơn vị trên địa bàn tỉnh",
        "Kế hoạch số 02-KH/BCĐTW",
        "25/6/2025",
        "Sở Khoa học và Công nghệ",
        "Đã hoàn thành",
        "Quyết định số 1520/QĐ-UBND ngày 24/6/2025 của UBND tỉnh",
    ),
    (
        "2",
        "Rà soát quy trình, công khai danh mục thủ tục hành chính đáp ứng mô hình chính quyền "
        "địa phương hai cấp",
        "Kế hoạch số 02-KH/BCĐTW",
        "30/6/2025",
        "Văn phòng UBND tỉnh",
        "Hoàn thành quá hạn",
        "Công bố ngày 02/7/2025",
    ),
    (
        "3",
        "Bố trí trụ sở, trang thiết bị, nhân lực cho Trung tâm Phục vụ hành chính công tỉnh",
        "Kế hoạch số 02-KH/BCĐTW",
        "30/6/2025",
        "Sở Nội vụ",
        "Đã hoàn thành",
        "Trung tâm hoạt động tại trụ sở mới từ 01/7/2025",
    ),
    (
        "4",
        "Lựa chọn hệ thống thông tin giải quyết thủ tục hành chính thống nhất của tỉnh",
        "Kế hoạch số 02-KH/BCĐTW",
        "25/6/2025",
        "Sở Khoa học và Công nghệ",
        "Hoàn thành",
        "Sử dụng hệ thống của tỉnh, đã kết nối Cổng Dịch vụ công quốc gia",
    ),
    (
        "5",
        "Số hóa kết quả giải quyết thủ tục hành chính còn hiệu lực của cấp huyện, bàn giao hồ sơ cho cấp xã",
        "Kế hoạch số 02-KH/BCĐTW",
        "30/6/2025",
        "UBND các xã, phường",
        "Đang thực hiện",
        "Đã số hóa 71% kết quả",
    ),
    ("II", "NHIỆM VỤ THƯỜNG XUYÊN", "", "", "", "", ""),
    (
        "6",
        "Tổ chức chương trình nâng cao kỹ năng số, hỗ trợ người dân sử dụng dịch vụ công trực tuyến",
        "Kế hoạch số 02-KH/BCĐTW",
        "Thường xuyên",
        "Sở Khoa học và Công nghệ",
        "Đang triển khai",
        "Tổ chức 45 lớp cho 3.200 người dân",
    ),
    (
        "7",
        "Thành lập và duy trì các Tổ công nghệ số cộng đồng, Đội hỗ trợ phản ứng nhanh",
        "Kế hoạch số 02-KH/BCĐTW",
        "25/6/2025",
        "UBND các xã, phường",
        "Đã hoàn thành",
        "1.024 tổ được thành lập",
    ),
    (
        "8",
        "Tổ chức Ngày hội văn hóa các dân tộc tỉnh năm 2025",
        "Kế hoạch số 45/KH-UBND",
        "Tháng 9/2025",
        "Sở Văn hóa, Thể thao và Du lịch",
        "Chưa thực hiện",
        "Lùi sang tháng 11/2025",
    ),
    (
        "9",
        "Nâng cấp đường giao thông liên xã tuyến ĐT.354",
        "Quyết định số 990/QĐ-UBND",
        "Năm 2025",
        "Sở Xây dựng",
        "Đang thực hiện",
        "Đạt 40% khối lượng",
    ),
]
PROVINCE_EXPECTED = [
    ("công bố mã định danh điện tử của các cơ quan, đơn vị theo Quyết định số 20/2020/QĐ-TTg", "done"),
    ("Kịp thời rà soát quy trình, công bố, công khai danh mục các thủ tục hành chính", "done"),
    ("Nhanh chóng bố trí trụ sở, trang cấp thiết bị", "done"),
    ("Lựa chọn hệ thống thông tin giải quyết thủ tục hành chính thống nhất", "done"),
    ("Hoàn thành bàn giao hồ sơ, số hoá 100% kết quả giải quyết TTHC", "in_progress"),
    ("Các địa phương tổ chức chương trình nâng cao kỹ năng số", "in_progress"),
    ("Tổ công nghệ số cộng đồng", "done"),
]


def _province_docx(path: Path) -> Path:
    from docx import Document

    d = Document()
    for line in (
        "ỦY BAN NHÂN DÂN TỈNH HẢI DƯƠNG",
        "Số: 301/BC-UBND",
        "BÁO CÁO",
        "Kết quả thực hiện Kế hoạch số 02-KH/BCĐTW ngày 19/6/2025 của Ban Chỉ đạo Trung ương "
        "về chuyển đổi số",
        "Tính đến ngày 20/8/2025, Ủy ban nhân dân tỉnh báo cáo kết quả như sau (chi tiết tại Phụ lục):",
    ):
        d.add_paragraph(line)
    header = [
        "TT",
        "Nhiệm vụ",
        "Văn bản giao",
        "Thời hạn",
        "Cơ quan thực hiện",
        "Tiến độ",
        "Kết quả hiện nay",
    ]
    table = d.add_table(rows=1, cols=len(header))
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row in PROVINCE_ROWS:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    d.save(str(path))
    return path


def test_word_report_on_a_central_plan(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    report = _province_docx(tmp_path / "bao_cao_tinh.docx")
    _ingest(db, CORPUS / "001_83d4318d260d4f48.txt", CORPUS / "002_71bab22afd98218f.txt", report)
    rows = _register_json(db, "02-KH/BCĐTW", "--as-of", "20/08/2025")
    right = sum(_find(rows, phrase)["reported_status"] == status for phrase, status in PROVINCE_EXPECTED)
    assert right / len(PROVINCE_EXPECTED) >= 0.9
    # both tasks reported in progress were due by 30/6/2025: overdue on 20/8/2025
    late = [_find(rows, phrase) for phrase, status in PROVINCE_EXPECTED if status == "in_progress"]
    assert [r["status"] for r in late] == ["overdue", "overdue"]
    mentioned = {_find(rows, phrase)["task_id"] for phrase, _ in PROVINCE_EXPECTED}
    assert {r["task_id"] for r in rows if r["reported"]} == mentioned
    assert all(r["as_of"] == "20/08/2025" and r["source"] == "301/BC-UBND" for r in rows if r["reported"])
    # the ward plan (also stored) gets nothing from the province's report
    assert not any(r["reported"] for r in _register_json(db, "002_71bab22afd98218f.txt"))
    # the register of the report itself: the tasks it reports on
    assert {r["task_id"] for r in _register_json(db, "301/BC-UBND", "--as-of", "20/8/2025")} == mentioned
    with Store(db, create=False) as store:
        unmatched = api.status_register(store).unmatched
    assert sorted(i["text"][:20] for i in unmatched) == ["Nâng cấp đường giao ", "Tổ chức Ngày hội văn"]


def test_register_csv_md_docx(db: Path, tmp_path: Path) -> None:
    from docx import Document

    args = ["status", "--db", str(db), "000_6b10fd807bd99c8b.txt", "--as-of", "31/10/2025"]
    res = runner.invoke(app, [*args, "-f", "csv"])
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[0].lstrip("\ufeff").startswith("TT,Nhiệm vụ,Văn bản giao việc")
    assert any("31/10/2025" in line and "Quá hạn" in line for line in lines[1:])
    res = runner.invoke(app, [*args, "-f", "md"])
    assert res.exit_code == 0 and "| Quá hạn | 1 |" in res.stdout
    assert "sửa chữa hệ thống điều hòa không khí" in res.stdout  # unmatched items of its report
    out = tmp_path / "so.docx"
    res = runner.invoke(app, [*args, "-f", "docx", "-o", str(out)])
    assert res.exit_code == 0, res.output
    doc = Document(str(out))
    header = [c.text for c in doc.tables[1].rows[0].cells]
    assert header[5:8] == ["Hạn hoàn thành", "Tiến độ", "Ngày cập nhật"]
    done = [r for r in doc.tables[1].rows[1:] if r.cells[6].text == "Đã hoàn thành"]
    assert len(done) == 2 and all(r.cells[7].text == "31/10/2025" for r in done)


def test_periodic_report_xlsx(db: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "bc.xlsx"
    res = runner.invoke(
        app,
        [
            "report",
            "002_71bab22afd98218f.txt",
            "--db",
            str(db),
            "--as-of",
            "15/01/2026",
            "-f",
            "xlsx",
            "-o",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    wb = load_workbook(out)
    assert wb.sheetnames == ["Tổng hợp", "Báo cáo định kỳ"]
    ws = wb["Báo cáo định kỳ"]
    assert [c.value for c in ws[1]][:7] == [
        "TT",
        "Nhiệm vụ",
        "Văn bản giao việc",
        "Cơ quan chủ trì",
        "Thời hạn",
        "Tiến độ",
        "Kết quả hiện nay",
    ]
    first = ws.cell(2, 6)
    assert first.value == "Quá hạn" and first.fill.fgColor.rgb.endswith("FFC7CE")
