"""Status cue phrases (gazetteers/status_cues.toml): the file's own examples, and recognising a
progress report on real plans (which are not reports) and on written reports (which are)."""

from __future__ import annotations

from pathlib import Path

import pytest

from directive_nlp.extraction import pipeline
from directive_nlp.followup.cues import load_data, status_of
from directive_nlp.followup.items import as_of_date, citations_in, extract_items
from directive_nlp.followup.recognise import is_status_header, recognise
from directive_nlp.reading import read

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "tests" / "data" / "reports"
EXAMPLES = load_data()["example"]


@pytest.mark.parametrize("ex", EXAMPLES, ids=[e["text"][:40] for e in EXAMPLES])
def test_cue_examples(ex: dict) -> None:
    got = status_of(ex["text"], cell=ex["context"] == "cell") or "none"
    assert got == ex["expect"]


def test_examples_cover_every_status_and_negatives() -> None:
    expects = {e["expect"] for e in EXAMPLES}
    assert {"done", "in_progress", "not_started", "overdue", "none"} <= expects


@pytest.mark.parametrize(
    "cells, expected",
    [
        (["TT", "Nhiệm vụ", "Thời hạn", "Cơ quan thực hiện", "Tiến độ", "Kết quả"], True),
        (["STT", "Nội dung nhiệm vụ", "Văn bản giao", "Kết quả thực hiện"], True),
        (
            [
                "TT",
                "Nhiệm vụ",
                "Văn bản giao",
                "Thời hạn",
                "Cơ quan thực hiện",
                "Tiến độ",
                "Kết quả hiện nay",
            ],
            True,
        ),
        (["STT", "Nội dung công việc", "Đơn vị chủ trì", "Tình hình, kết quả thực hiện"], True),
        # a plan's task table: a product column is not a progress column
        (["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian hoàn thành", "Kết quả đầu ra"], False),
        (["STT", "Tên nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian"], False),
    ],
)
def test_status_table_header(cells: list[str], expected: bool) -> None:
    assert is_status_header(cells) is expected


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "corpus").iterdir()))
def test_plans_are_not_reports(name: str) -> None:
    """Plans, notices and resolutions quote statuses ("đã hoàn thành", "chậm tiến độ") in their
    assessments; none of them is a progress report."""
    doc = read(ROOT / "corpus" / name)
    assert not recognise(pipeline.extract(doc), doc.blocks).is_report


@pytest.mark.parametrize("name", ["ward_progress_table.md", "centre_progress_prose.txt"])
def test_written_reports_are_reports(name: str) -> None:
    doc = read(REPORTS / name)
    assert recognise(pipeline.extract(doc), doc.blocks).is_report


def test_report_without_type_recognised_by_its_status_table(tmp_path: Path) -> None:
    text = (
        "Tình hình triển khai các nhiệm vụ của xã\n\n"
        "| STT | Nội dung nhiệm vụ | Đơn vị thực hiện | Tiến độ thực hiện |\n|---|---|---|---|\n"
        "| 1 | Kiện toàn tổ công nghệ số cộng đồng | Văn phòng | Đã hoàn thành |\n"
        "| 2 | Số hóa hồ sơ hộ tịch | Công chức tư pháp | Chậm so với kế hoạch |\n"
    )
    f = tmp_path / "tinh_hinh.md"
    f.write_text(text, encoding="utf-8")
    doc = read(f)
    ex = pipeline.extract(doc)
    rec = recognise(ex, doc.blocks)
    assert rec.is_report
    found = extract_items(ex, doc.blocks)
    assert [(i.text, i.status) for i in found.items] == [
        ("Kiện toàn tổ công nghệ số cộng đồng", "done"),
        ("Số hóa hồ sơ hộ tịch", "overdue"),
    ]


def test_as_of_and_cited_documents() -> None:
    assert as_of_date(["Đến hết ngày 24/5/2025, các đơn vị đã hoàn thành 7 nhiệm vụ."]) == "2025-05-24"
    assert as_of_date(["Tính đến ngày 15 tháng 11 năm 2025, toàn tỉnh có …"]) == "2025-11-15"
    assert as_of_date(["Ngày 24/5/2025 UBND xã họp."]) is None
    written, symbols = citations_in(
        "Đã trình ban hành Nghị định số 88/2025/NĐ-CP ngày 13/4/2025 của Chính phủ."
    )
    assert written == ["Nghị định số 88/2025/NĐ-CP ngày 13/4/2025"]
    assert symbols == ["88/2025/NĐ-CP"]


def test_prose_items_skip_problem_and_proposal_sections() -> None:
    doc = read(REPORTS / "centre_progress_prose.txt")
    found = extract_items(pipeline.extract(doc), doc.blocks)
    assert found.as_of == "2025-10-31"
    texts = " ".join(i.text for i in found.items)
    # "II. TỒN TẠI" says "còn chậm" about signatures; "III. KIẾN NGHỊ" asks for money: no items there
    assert "kinh phí mua sắm thiết bị cho Trung tâm" not in texts
    assert sum("chữ ký số" in i.text for i in found.items) == 1


def test_status_marked_in_columns(tmp_path: Path) -> None:
    # a common layout: the progress column is split into one column per status, marked "x"
    text = (
        "BÁO CÁO\n\nTiến độ thực hiện các nhiệm vụ chuyển đổi số của xã đến hết ngày 30/9/2025\n\n"
        "| STT | Nhiệm vụ | Đơn vị thực hiện | Tiến độ | | | Ghi chú |\n|---|---|---|---|---|---|---|\n"
        "| | | | Đã hoàn thành | Đang thực hiện | Chưa thực hiện | |\n"
        "| 1 | Lắp đặt wifi miễn phí tại nhà văn hóa thôn | Văn phòng | x | | | |\n"
        "| 2 | Cấp chữ ký số cho cán bộ xã | Công an xã | | x | | Đã cấp 20/35 |\n"
        "| 3 | Xây dựng bản đồ số du lịch | Văn hóa | | | x | |\n"
    )
    f = tmp_path / "tien_do_xa.md"
    f.write_text(text, encoding="utf-8")
    doc = read(f)
    ex = pipeline.extract(doc)
    assert recognise(ex, doc.blocks).is_report
    found = extract_items(ex, doc.blocks)
    assert found.as_of == "2025-09-30"
    assert [(i.text, i.status) for i in found.items] == [
        ("Lắp đặt wifi miễn phí tại nhà văn hóa thôn", "done"),
        ("Cấp chữ ký số cho cán bộ xã", "in_progress"),
        ("Xây dựng bản đồ số du lịch", "not_started"),
    ]


def test_long_status_cells(tmp_path: Path) -> None:
    text = (
        "| TT | Nội dung công việc | Tình hình, kết quả thực hiện |\n|---|---|---|\n"
        "| 1 | Ban hành quy chế quản lý hệ thống thư điện tử công vụ | Hoàn thành. Ngày 12/8/2025 Chủ tịch "
        "UBND xã ký quyết định ban hành quy chế |\n"
        "| 2 | Rà soát hạ tầng mạng nội bộ của trụ sở | Tổ công tác đang khảo sát, dự kiến xong "
        "trong tháng 12/2025 theo kế hoạch |\n"
        "| 3 | Mua sắm máy quét tài liệu | Chưa có kinh phí nên chưa thực hiện, đề nghị bổ sung dự toán "
        "năm 2026 |\n"
    )
    f = tmp_path / "bc.md"
    f.write_text("BÁO CÁO\n\nKết quả thực hiện nhiệm vụ năm 2025\n\n" + text, encoding="utf-8")
    doc = read(f)
    found = extract_items(pipeline.extract(doc), doc.blocks)
    assert [i.status for i in found.items] == ["done", "in_progress", "not_started"]
