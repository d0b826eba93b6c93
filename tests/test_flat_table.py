"""Tables flattened into text lines come back as table rows with their cells."""

from __future__ import annotations

from directive_nlp.reading import read
from directive_nlp.reading.flat_table import find_flat_tables

LINES = """STT Tên nhiệm vụ Đơn vị chủ trì
1.
Tham mưu bố trí cán bộ có trình độ khoa học, kỹ thuật
giữ các chức vụ lãnh đạo, quản lý, tham gia vào cấp uỷ
các cấp.
Ban Tổ chức Thành
ủy
2.
Hoàn thiện thể chế, chính sách tạo đột phá cho hoạt
động khoa học, công nghệ, đổi mới sáng tạo và chuyển
đổi số.
Các sở, ngành, đơn
vị; Ủy ban nhân dân
các cấp
3. Bảo đảm an ninh mạng và chủ quyền số. Công an Thành phố
B. Các nhiệm vụ khác""".splitlines()


def test_rows_and_cells():
    (t,) = find_flat_tables(LINES)
    assert [r[0] for r in t.rows] == ["1", "2", "3"]
    assert t.rows[0][2] == "Ban Tổ chức Thành ủy"
    assert t.rows[1][1].endswith("chuyển đổi số.")
    assert t.rows[1][2] == "Các sở, ngành, đơn vị; Ủy ban nhân dân các cấp"
    assert t.rows[2][1:] == ["Bảo đảm an ninh mạng và chủ quyền số.", "Công an Thành phố"]
    assert t.end == len(LINES) - 1  # the next section heading ends the table


def test_numbers_out_of_sequence_are_text():
    lines = [
        "STT Tên nhiệm vụ Đơn vị chủ trì",
        "1.",
        "Cung cấp dịch vụ với",
        "1.000 hồ sơ/năm/tỉnh và",
        "7",
        "thủ tục.",
        "Sở Tư pháp",
        "2.",
        "Rà soát quy trình nội bộ của các cơ quan, đơn vị.",
        "Sở Nội vụ",
    ]
    (t,) = find_flat_tables(lines)
    assert len(t.rows) == 2
    assert "1.000 hồ sơ/năm/tỉnh" in t.rows[0][1] and t.rows[0][2] == "Sở Tư pháp"


def test_notice_appendix_read_as_tables(root):
    doc = read(root / "corpus" / "003_79301f997b111d77.txt")
    rows = [b for b in doc.blocks if b.kind == "table_row" and not b.header_row]
    assert len(rows) >= 60
    assert any(b.cells[-1] == "Sở Ngoại vụ" and b.cells[1].startswith("Đẩy mạnh hợp tác") for b in rows)
