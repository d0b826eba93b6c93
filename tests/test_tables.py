"""Task tables with other column names and group rows (a Government resolution's appendix)."""

# ruff: noqa: E501  (test documents: a table row or a paragraph is one line of the document)
from __future__ import annotations

from directive_nlp.extraction.pipeline import extract_file

TABLE = """**PHỤ LỤC**

| STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Sản phẩm | Thời hạn hoàn thành |
|---|---|---|---|---|---|
| A | NHÓM NHIỆM VỤ VỀ HOÀN THIỆN THỂ CHẾ | | | | |
| 1 | Xây dựng Nghị định quy định về cơ sở dữ liệu dùng chung | Bộ Công an | Bộ Tư pháp; các bộ, ngành | Nghị định | Quý II/2026 |
| 2 | Rà soát các quy định về thủ tục hành chính liên quan | Các bộ, ngành, địa phương | | Báo cáo | 2025-2026 |
| B | NHÓM NHIỆM VỤ VỀ HẠ TẦNG | | | | |
| 3 | Nâng cấp Mạng truyền số liệu chuyên dùng | Bộ Khoa học và Công nghệ | Bộ Tài chính | Hệ thống | Hằng năm |
| 4 | Tổ chức tập huấn kỹ năng số cho cán bộ cấp xã | Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương | | | |
"""


def test_other_column_names_and_groups(tmp_path):
    f = tmp_path / "phuluc.md"
    f.write_text(TABLE, encoding="utf-8")
    tasks = extract_file(f).tasks
    assert [t.text[:20] for t in tasks] == [
        "Xây dựng Nghị định q",
        "Rà soát các quy định",
        "Nâng cấp Mạng truyền",
        "Tổ chức tập huấn kỹ ",
    ]
    t1, t2, t3, t4 = tasks
    assert t1.lead == ["Bộ Công an"] and t1.support == ["Bộ Tư pháp", "các bộ, ngành"]
    assert (t1.deadline.kind, t1.deadline.due) == ("in_quarter", "2026-06-30")
    assert t1.section == "A.1"
    assert (t2.deadline.kind, t2.deadline.start, t2.deadline.due) == ("range", "2025-01-01", "2026-12-31")
    assert t3.deadline.kind == "recurring" and t3.section == "B.3"
    assert t4.deadline.kind == "none" and t4.lead == [
        "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"
    ]
