"""Text as it comes out of real PDFs and web pages (issue 10): split syllables, spaces inside
numbers and symbols, Cyrillic look-alike letters; the own symbol and the citations come out right."""

from __future__ import annotations

import pytest

from directive_nlp.extraction.pipeline import extract_file
from directive_nlp.normalise.fidelity import fix_symbol_spacing, rejoin_syllables, repair
from directive_nlp.normalise.text import clean


@pytest.mark.parametrize(
    "raw,fixed",
    [
        ("S ố: 12/KH-UBND", "Số: 12/KH-UBND"),
        ("Hà N ội, ngày 5 tháng 3", "Hà Nội, ngày 5 tháng 3"),
        ("Ch ính ph ủ ban hành", "Chính phủ ban hành"),
    ],
)
def test_split_syllables_rejoin(raw, fixed):
    assert rejoin_syllables(raw) == fixed


@pytest.mark.parametrize(
    "text",
    ["điểm a, b khoản 1 Điều 3", "Phụ lục A Ảnh chụp", "Sở Y tế và Ủy ban nhân dân", "ông A ở xã B"],
)
def test_split_syllables_leave_real_words(text):
    assert rejoin_syllables(text) == text


def test_symbol_spacing():
    assert fix_symbol_spacing("Số: 78 /202 5 /TT-BCA") == "Số: 78/2025/TT-BCA"
    assert fix_symbol_spacing("Quyết định số 06 /QĐ-TTg") == "Quyết định số 06/QĐ-TTg"
    # must not fire: a plain count, a year range in words
    assert fix_symbol_spacing("cấp 1.000 tài khoản trong năm 2025") == "cấp 1.000 tài khoản trong năm 2025"


def test_cyrillic_lookalikes_in_symbols():
    assert clean("21/2024/TT-BT\u0421") == "21/2024/TT-BTC"
    assert repair("Thông tư số 05/2025/ТТ-ВТС") == "Thông tư số 05/2025/TT-BTC"


DOC = """BỘ CÔNG AN
S ố: 78 /202 5 /TT-BCA
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Hà N ội, ngày 15 tháng 7 năm 2025

THÔNG TƯ
Quy định chi tiết thi hành một số điều về căn cước

Căn cứ Thông tư số 21/2024/TT-BT\u0421 ngày 10/4/2024 của Bộ Tài chính;
Căn cứ Quyết định số 06 /QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ;

Điều 3. Trách nhiệm thi hành
1. Cục Cảnh sát quản lý hành chính hướng dẫn thực hiện Thông tư này, hoàn thành trong quý IV/2025.
"""


def test_own_symbol_and_citations_from_pdf_like_text(tmp_path):
    f = tmp_path / "circular.txt"
    f.write_text(DOC, encoding="utf-8")
    ex = extract_file(f)
    assert ex.document.symbol == "78/2025/TT-BCA"
    assert ex.document.issued_date == "2025-07-15"
    assert {c.symbol for c in ex.citations} == {"21/2024/TT-BTC", "06/QĐ-TTg"}
    assert ex.tasks and ex.tasks[0].deadline.kind == "in_quarter"
