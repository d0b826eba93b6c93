"""Citations: canonical symbols, resolution within a document, and the development corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from directive_nlp.extraction.citations import (
    CitationResult,
    analyse_citations,
    canonical_symbol,
    doc_type_of,
    find_named_laws,
    find_symbols,
    parse_date,
)
from directive_nlp.model import Block, ReadDocument

SHARED = Path(__file__).resolve().parents[2] / "shared"


def make_doc(*paragraphs: str) -> ReadDocument:
    doc = ReadDocument(
        path="test.txt",
        format="txt",
        sha256="",
        blocks=[Block(index=i, text=t) for i, t in enumerate(paragraphs)],
    )
    return doc.reindex()


def keys(result: CitationResult) -> list[str]:
    return [c.symbol for c in result.citations]


# --- canonical symbols -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw,canonical",
    [
        ("02- KH/BCĐTW", "02-KH/BCĐTW"),
        ("06 - TB/CQTTBCĐ", "06-TB/CQTTBCĐ"),
        ("Nghị quyết số 57-\nNQ/TW", "57-NQ/TW"),
        ("206/QĐTTg", "206/QĐ-TTg"),
        ("06/QĐ-TTg", "06/QĐ-TTg"),  # mixed-case issuer kept as the spec writes it
        ("06/qđ-ttg", "06/QĐ-TTg"),  # known types and mixed-case issuers are matched in any case
        ("06/qđ-ubnd", None),  # an unknown lower-case issuer is not a symbol
        ("09 / 2025 / QĐ - TTg", "09/2025/QĐ-TTg"),
        ("O6/QĐ-TTg", "06/QĐ-TTg"),  # O read as 0 in the number
        ("118/2025/NÐ-CP", "118/2025/NĐ-CP"),  # Icelandic Eth for Đ
        ("57.NQ/TW", "57-NQ/TW"),  # a dot for the hyphen
        ("Quyết định số 9415/QĐ-\nQLHC-TTDLDC", "9415/QĐ-QLHC-TTDLDC"),
        ("CV 4363/UBND-ĐMPT", "4363/UBND-ĐMPT"),
        ("Luật số: 109/2025/QH15", "109/2025/QH15"),
        ("Thông báo số      -TB/VPTU", None),
        ("Nghị quyết số  /NQ-CP", None),
        ("Luật Dữ liệu", None),
        ("", None),
    ],
)
def test_canonical_symbol(raw, canonical):
    assert canonical_symbol(raw) == canonical


def test_leading_zeros_kept():
    assert canonical_symbol("02-KH/BCĐTW") == "02-KH/BCĐTW"
    assert canonical_symbol("2-KH/BCĐTW") == "2-KH/BCĐTW"


@pytest.mark.parametrize(
    "text,dtype",
    [
        ("57-NQ/TW", "NQ"),
        ("36-HD/VPTW", "HD"),
        ("01/HĐ-UBND", "HĐ"),
        ("01/DA-UBND", "DA"),
        ("01-ĐA/TU", "ĐA"),
        ("33/2021/QH15", "NQ"),
        ("Luật số 109/2025/QH15", "L"),
        ("theo quy định tại Nghị quyết số 33/2021/QH15", "NQ"),
        ("3990/UBND-ĐMPT", "CV"),
        ("Nghị quyết", "NQ"),
        ("KẾ HOẠCH", "KH"),
        ("THÔNG BÁO KẾT LUẬN", "TB"),
        ("Luật Dữ liệu", "L"),
        ("Đề án 06", "ĐA"),
        ("Quy định số 230-QĐ/TW", "QĐ"),
        ("nothing here", None),
    ],
)
def test_doc_type_of(text, dtype):
    assert doc_type_of(text) == dtype


def test_find_symbols_spans_and_types():
    text = "Căn cứ Quyết định số 06/QĐ-TTg, ngày 06/01/2022 và Nghị quyết 57-NQ/TW."
    found = find_symbols(text)
    assert [(s.canonical, s.doc_type, s.style) for s in found] == [
        ("06/QĐ-TTg", "QĐ", "state_other"),
        ("57-NQ/TW", "NQ", "party"),
    ]
    for s in found:
        assert text[s.start : s.end] == s.raw


def test_urls_and_dates_are_not_symbols():
    assert find_symbols("https://thuvienphapluat.vn/Quyet-dinh-1588-QD-TTg-2024-De-an.aspx") == []
    assert find_symbols("ngày 19/6/2025, quý III/2025, giai đoạn 2021 - 2025") == []


@pytest.mark.parametrize(
    "text,iso",
    [
        ("ngày 22/12/2024", "2024-12-22"),
        ("ngày 22 tháng 12 năm 2024", "2024-12-22"),
        ("NGÀY 22 THÁNG 12 NĂM 2024", "2024-12-22"),
        ("ngày 31/02/2024", None),
        ("ngày   /11/2025", None),
    ],
)
def test_parse_date(text, iso):
    assert parse_date(text) == iso


# --- resolution within a document --------------------------------------------------------------


def test_date_and_issuer_after_symbol():
    doc = make_doc(
        "Căn cứ Nghị quyết số 57-NQ/TW, ngày 22/12/2024 của Bộ Chính trị về đột phá;",
        "Quyết định 1588/QĐ-TTg năm 2024 ngày 17/12/2024 của Thủ tướng Chính phủ về phê duyệt;",
        "Công điện số 133/CĐ-TTg 14/12/2024 của Thủ tướng Chính phủ.",
    )
    res = analyse_citations(doc, own_symbol="")
    c = {x.symbol: x for x in res.citations}
    assert (c["57-NQ/TW"].date, c["57-NQ/TW"].issuer) == ("2024-12-22", "Bộ Chính trị")
    assert c["1588/QĐ-TTg"].date == "2024-12-17"
    assert c["133/CĐ-TTg"].date == "2024-12-14"


def test_wrong_style_resolves_to_cited_symbol():
    doc = make_doc(
        "Thực hiện Kế hoạch số 02-KH/BCĐTW của Ban Chỉ đạo Trung ương.",
        "Hoàn thành nhiệm vụ theo Kế hoạch 02/KH-BCĐTW và Kế hoạch số 02-KH/BCĐTW.",
    )
    res = analyse_citations(doc, own_symbol="")
    assert keys(res) == ["02-KH/BCĐTW"]
    assert res.citations[0].mentions == 3


def test_ocr_slip_resolves_to_the_more_cited_symbol():
    doc = make_doc(
        "Thực hiện Kế hoạch số 02-KH/BCĐTW; Kế hoạch số 02-KH/BCĐTW.",
        "Báo cáo kết quả thực hiện Kế hoạch số 02-KH/BCĐTVW trên địa bàn.",
        "Kế hoạch số 12-KH/TU và Kế hoạch số 12-KH/HU.",
    )  # short issuers stay apart
    res = analyse_citations(doc, own_symbol="")
    assert keys(res) == ["02-KH/BCĐTW", "12-KH/TU", "12-KH/HU"]
    assert res.citations[0].mentions == 3


def test_short_forms_resolve_within_document():
    doc = make_doc(
        "Thực hiện Nghị quyết số 57-NQ/TW; Kế hoạch số 02-KH/BCĐTW.",
        "Triển khai Kế hoạch 02 trên địa bàn theo tinh thần Nghị quyết 57.",
    )
    res = analyse_citations(doc, own_symbol="")
    assert keys(res) == ["57-NQ/TW", "02-KH/BCĐTW"]
    assert [c.mentions for c in res.citations] == [2, 2]
    assert res.cites_in("triển khai Kế hoạch 02 và Nghị quyết 57") == ["02-KH/BCĐTW", "57-NQ/TW"]


def test_unresolved_short_form_fails_closed():
    doc = make_doc(
        "Triển khai Kế hoạch 05 và Đề án 06 trên địa bàn.",
        "Căn cứ Quyết định số 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ.",
    )
    res = analyse_citations(doc, own_symbol="")
    # "Đề án 06" is not linked to 06/QĐ-TTg by this text; "Kế hoạch 05" has no antecedent
    assert keys(res) == ["06/QĐ-TTg"]
    assert res.citations[0].mentions == 1
    assert res.cites_in("Triển khai Kế hoạch 05") == []


def test_ambiguous_short_form_fails_closed():
    doc = make_doc("Kế hoạch số 02-KH/BCĐTW và Kế hoạch số 02/KH-UBND.", "Thực hiện Kế hoạch 02.")
    res = analyse_citations(doc, own_symbol="")
    assert res.cites_in("Thực hiện Kế hoạch 02.") == []


def test_alias_definition_links_short_name():
    doc = make_doc(
        "Căn cứ Quyết định số 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ phê duyệt "
        "Đề án phát triển ứng dụng dữ liệu về dân cư (sau đây viết tắt là Đề án 06); "
        "UBND Thành phố ban hành Kế hoạch triển khai Đề án 06.",
        "- Tổ công tác triển khai Đề án 06/CP;",
    )
    res = analyse_citations(doc, own_symbol="")
    assert keys(res) == ["06/QĐ-TTg"]
    assert res.aliases == {"Đề án 06": "06/QĐ-TTg"}
    assert res.citations[0].mentions == 3  # the symbol and two uses of the alias
    assert res.cites_in("thực hiện các nhiệm vụ của Đề án 06/CP") == ["06/QĐ-TTg"]


def test_alias_of_a_body_is_not_a_document():
    doc = make_doc(
        "Căn cứ Kết luận số 130-KL/TW, ngày 14/3/2025 của Bộ Chính trị, Ban Chỉ đạo Trung ương "
        "về chuyển đổi số (sau đây gọi tắt là Ban Chỉ đạo Trung ương) ban hành Kế hoạch."
    )
    res = analyse_citations(doc, own_symbol="")
    assert res.aliases == {}
    assert keys(res) == ["130-KL/TW"]


def test_blank_self_reference_is_not_a_citation():
    doc = make_doc(
        "PHỤ LỤC",
        "(kèm theo Thông báo số      -TB/VPTU, ngày     /11/2025 của Văn phòng Thành uỷ)",
        "(Kèm theo Chương trình hành động tại Nghị quyết số  /NQ-CP ngày 01 tháng 01 năm 2025 của Chính phủ)",
    )
    assert analyse_citations(doc, own_symbol="").citations == []


def test_own_symbol_excluded_in_any_style():
    doc = make_doc(
        "Số 02-KH/BCĐTW",
        "KẾ HOẠCH",
        "thúc đẩy chuyển đổi số",
        "- Căn cứ Nghị quyết số 57-NQ/TW, ngày 22/12/2024 của Bộ Chính trị;",
        "Các cơ quan thực hiện Kế hoạch 02 và Kế hoạch 02/KH-BCĐTW.",
    )
    res = analyse_citations(doc)  # own symbol read from the header
    assert res.own_symbol == "02-KH/BCĐTW"
    assert keys(res) == ["57-NQ/TW"]
    assert analyse_citations(doc, own_symbol="02-KH/BCĐTW").citations[0].symbol == "57-NQ/TW"


def test_named_laws_listed_and_keyed():
    doc = make_doc(
        "Sửa đổi Luật Khoa học và Công nghệ (2013); Luật Viên chức; Luật Phòng, chống tham nhũng; "
        "Luật Doanh nghiệp để tạo điều kiện. Hồ sơ Luật Cán bộ, công chức (sửa đổi).",
        "Rà soát theo Luật Giao dịch điện tử năm 2023 và Bộ luật Hình sự.",
    )
    res = analyse_citations(doc, own_symbol="")
    assert keys(res) == [
        "Luật Khoa học và Công nghệ 2013",
        "Luật Viên chức",
        "Luật Phòng, chống tham nhũng",
        "Luật Doanh nghiệp",
        "Luật Cán bộ, công chức",
        "Luật Giao dịch điện tử 2023",
        "Bộ luật Hình sự",
    ]
    assert all(c.doc_type == "L" for c in res.citations)


def test_law_named_with_its_symbol_is_one_citation():
    doc = make_doc("Căn cứ Luật Giao dịch điện tử số 20/2023/QH15;", "Thực hiện theo Luật Giao dịch điện tử.")
    res = analyse_citations(doc, own_symbol="")
    assert keys(res) == ["20/2023/QH15"]
    assert (res.citations[0].doc_type, res.citations[0].mentions) == ("L", 2)
    assert find_named_laws("Luật Giao dịch điện tử số 20/2023/QH15")[0].symbol.canonical == "20/2023/QH15"


def test_evidence_and_spans():
    doc = make_doc("Mục tiêu chung. Triển khai Nghị quyết số 57-NQ/TW của Bộ Chính trị. Câu khác.")
    res = analyse_citations(doc, own_symbol="")
    c = res.citations[0]
    assert c.evidence == ["Triển khai Nghị quyết số 57-NQ/TW của Bộ Chính trị."]
    s, e = c.spans[0]
    assert doc.text[s:e] == "57-NQ/TW"
    assert c.to_dict()["symbol"] == "57-NQ/TW"


def test_cites_in_order_dedup_and_laws():
    doc = make_doc("Căn cứ Nghị quyết số 57-NQ/TW; Quyết định số 06/QĐ-TTg; Luật Dữ liệu.")
    res = analyse_citations(doc, own_symbol="")
    text = "Hướng dẫn Luật Dữ liệu, Quyết định 06/QĐ-TTg và Nghị quyết 57-NQ/TW, Nghị quyết 57"
    assert res.cites_in(text) == ["Luật Dữ liệu", "06/QĐ-TTg", "57-NQ/TW"]
    assert res.cites_in("không có văn bản nào") == []


# --- development corpus ------------------------------------------------------------------------

GOLD = sorted((SHARED / "gold").glob("*.json")) if (SHARED / "gold").exists() else []


def _is_numbered(sym: str) -> bool:
    import re

    return (
        bool(re.search(r"\d", sym))
        and bool(re.search(r"[/-]", sym))
        and not sym.startswith(("Luật", "Bộ luật"))
    )


@pytest.mark.skipif(not GOLD, reason="shared development gold not available")
@pytest.mark.parametrize("gold_path", GOLD, ids=lambda p: p.stem)
def test_gold_numbered_citations(gold_path):
    from directive_nlp.reading import read

    src = next((SHARED / "corpus").glob(gold_path.stem + ".*"))
    gold = json.loads(gold_path.read_text())
    res = analyse_citations(read(src))
    want = {c["symbol"].upper() for c in gold["citations"] if _is_numbered(c["symbol"])}
    got = {c.symbol.upper() for c in res.citations if _is_numbered(c.symbol)}
    assert got == want
    # dates where gold has them
    by = {c.symbol.upper(): c for c in res.citations}
    for g in gold["citations"]:
        if g.get("date") and g["symbol"].upper() in by:
            assert by[g["symbol"].upper()].date == g["date"], g["symbol"]
