"""Obligation forms the development corpus has few of: responsibility in brackets or inline
fields, official letters without section headings, "Điều N." articles, "Đối với X:" headings."""

# ruff: noqa: E501  (test documents: a table row or a paragraph is one line of the document)
from __future__ import annotations

from directive_nlp.extraction.pipeline import extract_file

PLAN = """KẾ HOẠCH
Triển khai nhiệm vụ chuyển đổi số năm 2026

I. MỤC TIÊU
1. Bảo đảm 100% hồ sơ công việc được xử lý trên môi trường điện tử.

II. NHIỆM VỤ
1. Xây dựng kế hoạch số hóa hồ sơ lưu trữ của tỉnh (Sở Nội vụ chủ trì, phối hợp với Sở Tài chính; hoàn thành trong quý II/2026).
2. Rà soát hạ tầng mạng của các xã, phường; Chủ trì: Sở Khoa học và Công nghệ; Thời gian: tháng 9/2026.
3. Đối với Sở Y tế:
a) Triển khai hồ sơ sức khỏe điện tử tại các trạm y tế xã.
b) Báo cáo kết quả định kỳ hằng quý.
"""

LETTER = """ỦY BAN NHÂN DÂN TỈNH
Số: 123/UBND-KGVX

Thực hiện Công văn số 456/BTC-NSNN của Bộ Tài chính, Ủy ban nhân dân tỉnh có ý kiến như sau:

Giao Sở Tài chính chủ trì, phối hợp với Sở Nội vụ rà soát, tổng hợp nhu cầu kinh phí chuyển đổi số, báo cáo Ủy ban nhân dân tỉnh trước ngày 15/3/2026.

Đề nghị Ủy ban nhân dân các xã, phường khẩn trương bố trí nhân lực cho Trung tâm Phục vụ hành chính công cấp xã.

Nơi nhận:
- Như trên;
- Lưu: VT.
"""

DECISION = """QUYẾT ĐỊNH
Về việc ban hành Quy chế quản lý hệ thống thông tin

Điều 1. Ban hành kèm theo Quyết định này Quy chế quản lý hệ thống thông tin của tỉnh.
Điều 2. Giao Sở Khoa học và Công nghệ chủ trì, phối hợp với các sở, ngành hướng dẫn triển khai Quy chế; hoàn thành trong tháng 6/2026.
Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc các sở chịu trách nhiệm thi hành Quyết định này.
"""


def _tasks(tmp_path, name, text):
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return extract_file(f).tasks


def _find(tasks, start):
    hits = [t for t in tasks if t.text.startswith(start)]
    assert hits, [t.text for t in tasks]
    return hits[0]


def test_plan_forms(tmp_path):
    tasks = _tasks(tmp_path, "plan.txt", PLAN)
    assert not any(t.text.startswith("Bảo đảm 100%") for t in tasks)  # a goal, not a task
    t1 = _find(tasks, "Xây dựng kế hoạch số hóa hồ sơ lưu trữ")
    assert t1.lead == ["Sở Nội vụ"] and t1.support == ["Sở Tài chính"]
    assert (t1.deadline.kind, t1.deadline.due) == ("in_quarter", "2026-06-30")
    assert "chủ trì" not in t1.text
    t2 = _find(tasks, "Rà soát hạ tầng mạng")
    assert t2.lead == ["Sở Khoa học và Công nghệ"] and (t2.deadline.kind, t2.deadline.due) == (
        "in_month",
        "2026-09-30",
    )
    t3 = _find(tasks, "Triển khai hồ sơ sức khỏe điện tử")
    assert t3.lead == ["Sở Y tế"]
    assert _find(tasks, "Báo cáo kết quả định kỳ").deadline.kind == "recurring"


def test_letter_paragraphs(tmp_path):
    tasks = _tasks(tmp_path, "letter.txt", LETTER)
    assert len(tasks) == 2, [t.text for t in tasks]
    t1, t2 = tasks
    assert t1.lead == ["Sở Tài chính"] and t1.support == ["Sở Nội vụ"]
    assert (t1.deadline.kind, t1.deadline.due) == ("by_date", "2026-03-15")
    assert t2.lead == ["Ủy ban nhân dân các xã, phường"]


def test_decision_articles(tmp_path):
    tasks = _tasks(tmp_path, "qd.txt", DECISION)
    t = _find(tasks, "Giao Sở Khoa học và Công nghệ chủ trì")
    assert t.lead == ["Sở Khoa học và Công nghệ"] and t.support == ["các sở, ngành"]
    assert (t.deadline.kind, t.deadline.due) == ("in_month", "2026-06-30")
