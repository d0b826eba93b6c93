"""Resolution prose (spec v1.1 section 2): one task per sentence that states its own obligation in
the "Nhiệm vụ, giải pháp" part of central Party documents (/TW), and nowhere else."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from directive_nlp.extraction.pipeline import extract_file
from directive_nlp.extraction.prose import (
    is_elaboration,
    prose_document,
    prose_part,
    rules,
    split_obligations,
    split_sentences,
)
from directive_nlp.extraction.scopes import rules as scope_rules

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from measure_sentence_split import paragraphs  # noqa: E402

PROSE = scope_rules().data["prose"]


def test_sentence_splitter_on_the_measured_paragraphs():
    paras = paragraphs()
    exact = sum(split_sentences(" ".join(p)) == p for p in paras)
    assert exact >= len(paras) - 1  # the measured figure (8 of 9; underthesea scores the same)
    assert split_sentences("Thu hút chuyên gia về TP. Hồ Chí Minh. Bố trí nhà ở công vụ.") == [
        "Thu hút chuyên gia về TP. Hồ Chí Minh.",
        "Bố trí nhà ở công vụ.",
    ]


@pytest.mark.parametrize("text", PROSE["examples"])
def test_elaboration_examples(text):
    assert is_elaboration(text)


@pytest.mark.parametrize("text", PROSE["counter_examples"])
def test_elaboration_counter_examples(text):
    assert not is_elaboration(text)


def test_split_obligations_keeps_elaborations_with_their_sentence():
    text = (
        "Cấp ủy các cấp đưa chỉ tiêu chuyển đổi số vào nghị quyết hằng năm. Người đứng đầu chịu trách "
        "nhiệm về kết quả. Bố trí đủ kinh phí cho các nhiệm vụ, bảo đảm đúng tiến độ. Việc bố trí phải "
        "công khai, minh bạch."
    )
    pieces = split_obligations(text)
    assert len(pieces) == 3
    assert pieces[2].endswith("Việc bố trí phải công khai, minh bạch.")


def test_prose_documents_and_parts():
    assert prose_document("72-NQ/TW") and prose_document("45-CT/TW")
    assert not prose_document("41/NQ-CP") and not prose_document("58-KH/TU") and not prose_document(None)
    assert prose_part("IV- NHIỆM VỤ, GIẢI PHÁP")
    assert not prose_part("V- TỔ CHỨC THỰC HIỆN") and not prose_part("II- MỤC TIÊU")
    assert rules().issuers == ("TW",)


RESOLUTION = """BAN CHẤP HÀNH TRUNG ƯƠNG
*
Số 90-NQ/TW
ĐẢNG CỘNG SẢN VIỆT NAM
Hà Nội, ngày 5 tháng 1 năm 2026

NGHỊ QUYẾT
CỦA BỘ CHÍNH TRỊ
về phát triển kinh tế biển xanh

III- NHIỆM VỤ, GIẢI PHÁP
1. Hoàn thiện thể chế phát triển kinh tế biển
{bullet}
IV- TỔ CHỨC THỰC HIỆN
1. Đảng ủy Chính phủ lãnh đạo xây dựng chương trình hành động. Định kỳ hằng năm báo cáo Bộ Chính trị.
T/M BỘ CHÍNH TRỊ
Tổng Bí thư
""".format(
    bullet="- Sửa đổi Luật Tài nguyên, môi trường biển và hải đảo trong năm 2026. Việc sửa đổi phải bảo "
    "đảm thống nhất với quy hoạch không gian biển. Cấp ủy các tỉnh ven biển đưa mục tiêu kinh tế biển "
    "vào nghị quyết đại hội. Thu hút đầu tư vào cảng biển xanh."
)


def test_central_resolution_prose_one_task_per_obligation(tmp_path):
    f = tmp_path / "resolution.txt"
    f.write_text(RESOLUTION, encoding="utf-8")
    tasks = extract_file(f).tasks
    part3 = [t for t in tasks if (t.section or "").startswith("III")]
    assert len(part3) == 3
    law, party, invest = part3
    assert law.text.endswith("quy hoạch không gian biển.") and law.deadline.kind == "in_year"
    assert law.lead == ["Bộ Chính trị"] and law.lead_source == "implied_issuer"
    assert party.lead == ["Cấp ủy các tỉnh ven biển"] and party.lead_source == "stated"
    assert invest.lead == ["Bộ Chính trị"]
    # must not fire: "Tổ chức thực hiện" items stay whole; the signature is no task
    part4 = [t for t in tasks if (t.section or "").startswith("IV")]
    assert len(part4) == 1 and part4[0].lead == ["Đảng ủy Chính phủ"]
    assert not any(t.text.startswith("Tổng Bí thư") for t in tasks)


def test_plans_keep_one_task_per_item(tmp_path):
    plan = RESOLUTION.replace("Số 90-NQ/TW", "Số 12-KH/TU").replace("CỦA BỘ CHÍNH TRỊ", "CỦA BAN THƯỜNG VỤ")
    f = tmp_path / "plan.txt"
    f.write_text(plan, encoding="utf-8")
    part3 = [t for t in extract_file(f).tasks if (t.section or "").startswith("III")]
    assert len(part3) == 1
