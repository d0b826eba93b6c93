"""Task extraction on the corpus documents, and the scorer's figures on the development gold."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from directive_nlp.extraction.pipeline import extract_file
from directive_nlp.normalise.text import dice


def _find(tasks, start):
    hits = [t for t in tasks if t.text.startswith(start)]
    assert hits, f"no task starts with {start!r}"
    return hits[0]


@pytest.fixture(scope="module")
def plan02(root):
    return extract_file(root / "corpus" / "001_83d4318d260d4f48.txt")


@pytest.fixture(scope="module")
def ward(root):
    return extract_file(root / "corpus" / "002_71bab22afd98218f.txt")


@pytest.fixture(scope="module")
def nq03(root):
    return extract_file(root / "corpus" / "nq03_pl2_part1.md")


def test_plan02_lead_support_deadline(plan02):
    t = _find(plan02.tasks, "Bộ Tài chính chủ trì, phối hợp với Văn phòng Trung ương Đảng")
    assert t.lead == ["Bộ Tài chính"]
    assert t.support == [
        "Văn phòng Trung ương Đảng",
        "Văn phòng Chính phủ",
        "các bộ, ngành, địa phương liên quan",
    ]
    assert (t.deadline.kind, t.deadline.due) == ("by_date", "2025-06-25")


def test_plan02_numbered_parts_split_and_inherit(plan02):
    # "b) Văn phòng Trung ương Đảng chủ trì …: (1) … (5) … Hoàn thành trước ngày 30/6/2025."
    t = _find(plan02.tasks, "Quy định và quản lý về sử dụng Sổ tay Đảng viên điện tử")
    assert t.lead == ["Văn phòng Trung ương Đảng"]
    assert (t.deadline.kind, t.deadline.due) == ("by_date", "2025-06-30")
    t1 = _find(plan02.tasks, "Ban hành quy định về thực hiện thủ tục hành chính của Đảng")
    assert t1.lead == ["Văn phòng Trung ương Đảng"] and t1.support == ["các cơ quan liên quan"]


def test_plan02_phase_end_is_inherited(plan02):
    # no deadline of its own, under "Giai đoạn từ nay đến ngày 30/6/2025"
    t = _find(plan02.tasks, "Bộ Công an triển khai, nâng cấp Hệ thống định danh")
    assert (t.deadline.kind, t.deadline.due) == ("by_date", "2025-06-30")
    t2 = _find(plan02.tasks, "Duy trì và cung cấp thực chất, hiệu quả 25 dịch vụ công")
    assert (t2.deadline.kind, t2.deadline.due) == ("by_date", "2025-12-31")


def test_plan02_unit_heading_leads_bullets(plan02):
    t = _find(plan02.tasks, "Chủ trì, phối hợp Bộ Công an hướng dẫn, đôn đốc")
    assert t.lead == ["Văn phòng Chính phủ"]
    assert t.deadline.kind == "ongoing"


def test_plan02_distributive_units(plan02):
    t = _find(plan02.tasks, "Các bộ, cơ quan: Công an, Nội vụ, Tài chính")
    assert t.lead == ["Bộ Công an", "Bộ Nội vụ", "Bộ Tài chính", "Văn phòng Trung ương Đảng"]


def test_plan02_non_task_parts_skipped(plan02):
    texts = " ".join(t.text for t in plan02.tasks)
    assert "Quyết liệt, khẩn trương" not in texts  # "Yêu cầu" part
    assert not any(
        t.text.startswith("100% thủ tục hành chính thuộc thẩm quyền") for t in plan02.tasks
    )  # "Mục tiêu"
    assert not any("Như trên" in t.text for t in plan02.tasks)  # recipients
    assert len(plan02.tasks) >= 100


def test_ward_field_lines(ward):
    t = _find(ward.tasks, "Xây dựng và ban hành kế hoạch hoặc văn bản hướng dẫn chi tiết")
    assert t.lead == ["Phòng Văn hóa - Xã hội"]
    assert t.support[0] == "Các phòng thuộc UBND phường"
    assert t.deadline.kind == "ongoing"
    # one set of field lines after a), b), c) applies to each
    t2 = _find(ward.tasks, "Kiểm tra hạ tầng hàng ngày")
    assert t2.lead == ["Trung tâm Phục vụ hành chính công phường"]
    assert t2.deadline.kind == "recurring"
    t3 = _find(ward.tasks, "Ứng dụng hiệu quả hệ thống thông tin giải quyết thủ tục hành chính thành phố")
    assert (t3.deadline.kind, t3.deadline.due) == ("in_year", "2025-12-31")


def test_table_rows(nq03):
    assert len(nq03.tasks) >= 50
    t = _find(nq03.tasks, "Xây dựng chương trình chuyên biệt về khoa học")
    assert t.lead == ["VTV", "VOV", "TTXVN", "các địa phương"] and t.deadline.kind == "ongoing"
    t2 = _find(nq03.tasks, "Nghị định quy định về Quỹ đổi mới công nghệ quốc gia")
    assert t2.lead == ["Bộ Khoa học và Công nghệ"] and (t2.deadline.kind, t2.deadline.due) == (
        "in_year",
        "2025-12-31",
    )


def test_provenance(plan02, root):
    from directive_nlp.reading import read

    doc = read(root / "corpus" / "001_83d4318d260d4f48.txt")
    for t in plan02.tasks:
        p = t.provenance
        assert p is not None and p.document.endswith("001_83d4318d260d4f48.txt")
        # the span points at the task's own words in the document text
        assert doc.text[p.span[0] : p.span[1]].startswith(t.text[:25]), t.id


def _score(shared, tmp_path, name, src):
    """Extract through the CLI, as a user would, and score with ../shared/tools/score.py."""
    out = subprocess.run(
        [sys.executable, "-m", "directive_nlp", "extract", str(src), "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    return _score_json(shared, tmp_path, name, out.stdout)


def _score_json(shared, tmp_path, name, pred_json: str):
    pred = tmp_path / f"{name}.json"
    pred.write_text(pred_json, encoding="utf-8")
    res = subprocess.run(
        [
            sys.executable,
            str(shared / "tools" / "score.py"),
            "extract",
            str(shared / "gold" / f"{name}.json"),
            str(pred),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    body = res.stdout[: res.stdout.rindex("\n", 0, len(res.stdout) - 1)]
    return json.loads(body)["overall"]


@pytest.mark.parametrize(
    "name,src",
    [
        ("001_83d4318d260d4f48", "corpus/001_83d4318d260d4f48.txt"),
        ("002_71bab22afd98218f", "corpus/002_71bab22afd98218f.txt"),
        ("nq03_pl2_part1", "corpus/nq03_pl2_part1.md"),
    ],
)
def test_gold_thresholds(shared, root, tmp_path, name, src):
    o = _score(shared, tmp_path, name, root / src)
    assert o["tasks"]["f1"] >= 0.90
    assert o["lead_accuracy"] >= 0.90
    assert o["deadline_accuracy"] >= 0.90


def test_dice_is_the_scorers():
    assert dice("Hoàn thành hoá đơn", "hoàn thành hóa đơn") == 1.0


def _score_doc(shared, tmp_path, name, ex):
    return _score_json(shared, tmp_path, name, json.dumps(ex.to_dict(), ensure_ascii=False))


@pytest.mark.parametrize(
    "name,fixture",
    [
        ("001_83d4318d260d4f48", "001_83d4318d260d4f48.docx"),
        ("002_71bab22afd98218f", "002_71bab22afd98218f.pdf"),
        ("nq03_pl2_part1", "nq03_pl2_part1.pdf"),
        ("nq03_pl2_part1", "nq03_pl2_part1.docx"),
    ],
)
def test_gold_thresholds_on_fixtures(shared, tmp_path, name, fixture):
    o = _score_doc(shared, tmp_path, name, extract_file(shared / "fixtures" / fixture))
    assert o["tasks"]["f1"] >= 0.90
    assert o["lead_accuracy"] >= 0.90
    assert o["deadline_accuracy"] >= 0.90


def test_gold_thresholds_on_scan(shared, tmp_path):
    from directive_nlp.reading.ocr import ocr_status

    st = ocr_status()
    if not (st.get("tesseract") and st.get("vie")):
        pytest.skip("Tesseract with Vietnamese data is not installed")
    o = _score_doc(
        shared,
        tmp_path,
        "002_71bab22afd98218f",
        extract_file(shared / "fixtures" / "002_71bab22afd98218f.scan.pdf"),
    )
    assert o["tasks"]["f1"] >= 0.90
    assert o["lead_accuracy"] >= 0.90
    assert o["deadline_accuracy"] >= 0.90


@pytest.fixture(scope="module")
def centre(root):
    return extract_file(root / "corpus" / "000_6b10fd807bd99c8b.txt")


@pytest.fixture(scope="module")
def notice(root):
    return extract_file(root / "corpus" / "003_79301f997b111d77.txt")


@pytest.fixture(scope="module")
def hanoi06(root):
    return extract_file(root / "corpus" / "004_a4ab8e019ebfdf2e.txt")


def test_centre_plan_inline_time_fields_and_implied_lead(centre):
    t = _find(centre.tasks, "Lập kế hoạch chi tiết trang bị, bổ sung máy tính")
    assert t.lead == ["Phòng Hành chính - Quản trị"]
    assert (t.deadline.kind, t.deadline.due) == ("by_date", "2025-12-31")
    assert "Thời gian" not in t.text and t.text.endswith("chi nhánh.")
    t2 = _find(centre.tasks, "Phối hợp tổ chức đào tạo, tập huấn kỹ năng")
    assert (t2.deadline.kind, t2.deadline.start, t2.deadline.due) == ("range", "2025-07-01", "2026-05-30")
    t3 = _find(centre.tasks, "Phối hợp Sở Khoa học và Công nghệ, các xã, phường")
    assert (t3.deadline.kind, t3.deadline.start) == ("ongoing", "2025-07-01")
    # the centre's own "Nhiệm vụ trọng tâm" list: the issuer is the implied lead
    t4 = _find(centre.tasks, "Chủ trì rà soát, khắc phục lỗi hệ thống một cửa điện tử")
    assert t4.lead_implied and t4.lead == [centre.document.issuer]


def test_notice_items_and_appendix_tables(notice):
    t = _find(notice.tasks, "Trường Đại học Hải Phòng chủ trì")
    assert t.lead == ["Trường Đại học Hải Phòng"]
    assert t.support == ["Sở Khoa học và Công nghệ", "các đơn vị liên quan"]
    assert (t.deadline.kind, t.deadline.due) == ("in_month", "2025-11-30")
    # appendix "CÁC NHIỆM VỤ ĐẾN HẾT NĂM 2025": rows without a date inherit its end
    row = _find(notice.tasks, "Đẩy mạnh hợp tác, liên kết vùng, quốc tế")
    assert row.lead == ["Sở Ngoại vụ"] and (row.deadline.kind, row.deadline.due) == ("by_date", "2025-12-31")
    # the recipients list and the signature are no tasks
    assert not any("(để báo cáo)" in x.text or x.text.startswith("Nguyễn Mạnh Thắng") for x in notice.tasks)
    assert len(notice.tasks) >= 100


def test_hanoi_plan_field_blocks(hanoi06):
    t = _find(hanoi06.tasks, "Liên thông giữa Văn phòng Đăng ký đất đai")
    assert t.lead == ["Văn phòng Đăng ký đất đai thuộc Sở Tài nguyên Môi trường"]
    assert (t.deadline.kind, t.deadline.start, t.deadline.due) == ("range", "2025-01-01", "2025-04-30")
    t2 = _find(hanoi06.tasks, "Giao Công an Thành phố chủ trì")
    assert t2.lead == ["Công an Thành phố"] and t2.support == ["Văn phòng UBND Thành phố"]
    assert hanoi06.document.implements == ["06/QĐ-TTg"]
