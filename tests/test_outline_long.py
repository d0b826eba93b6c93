"""The outline keeps long enumerations: items numbered 200 and on are items, not text glued to
item 199."""

from __future__ import annotations

from directive_nlp.extraction.pipeline import extract_file
from directive_nlp.outline import enumerator


def test_items_past_199(tmp_path):
    lines = ["KẾ HOẠCH", "II. NHIỆM VỤ"]
    lines += [f"{i}. Sở Nội vụ rà soát hồ sơ lưu trữ của đơn vị số {i}." for i in range(1, 206)]
    f = tmp_path / "long.txt"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tasks = extract_file(f).tasks
    assert len(tasks) == 205
    assert tasks[-1].section == "II.205" and tasks[-1].text.endswith("số 205.")
    assert tasks[198].text.endswith("số 199.")


def test_numbers_that_are_no_labels():
    assert enumerator("250. Sở Y tế báo cáo.")[0] == "num1"
    assert enumerator("250.000 lượt truy cập")[0] == "para"
    assert enumerator("2025. Cụ thể như sau")[0] == "para"
    assert enumerator("1- Ban Tuyên giáo Tỉnh ủy chủ trì")[:2] == ("num1", "1")
    assert enumerator("2025-2030 là giai đoạn")[0] == "para"
