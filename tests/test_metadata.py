"""Document metadata from the header and the opening."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from directive_nlp.extraction.citations import analyse_citations
from directive_nlp.extraction.metadata import expand_abbreviations, extract_metadata, find_own_symbol
from directive_nlp.model import Block, DocumentMeta, ReadDocument

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
needs_corpus = pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not available")


def make_doc(*blocks: str | list[str]) -> ReadDocument:
    """Blocks from strings; a list of strings is a table row with those cells."""
    out = []
    for i, b in enumerate(blocks):
        if isinstance(b, list):
            out.append(Block(index=i, text=" | ".join(b), kind="table_row", cells=list(b), table=0))
        else:
            out.append(Block(index=i, text=b))
    return ReadDocument(path="t.txt", format="txt", sha256="", blocks=out).reindex()


def corpus_doc(stem: str) -> ReadDocument:
    from directive_nlp.reading import read

    return read(next(CORPUS.glob(stem + ".*")))


# --- development corpus ------------------------------------------------------------------------


@needs_corpus
@pytest.mark.parametrize("stem", ["001_83d4318d260d4f48", "002_71bab22afd98218f", "nq03_pl2_part1"])
def test_gold_document_fields(stem):
    gold = json.loads((SHARED / "gold" / f"{stem}.json").read_text())["document"]
    meta = extract_metadata(corpus_doc(stem))
    assert meta.doc_type == gold["doc_type"]
    assert meta.issued_date == gold["issued_date"]
    assert set(meta.implements) == set(gold["implements"])
    assert meta.signer == gold["signer"]
    if stem != "nq03_pl2_part1":  # its caption leaves the number blank: not recoverable
        assert meta.symbol == gold["symbol"]


@needs_corpus
def test_plan_001_fields():
    meta = extract_metadata(corpus_doc("001_83d4318d260d4f48"))
    assert (
        meta.issuer
        == "Ban Chỉ đạo Trung ương về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số"
    )
    assert meta.title.startswith("thúc đẩy chuyển đổi số liên thông")


@needs_corpus
def test_ward_plan_002_issuer_expanded_from_its_own_text():
    meta = extract_metadata(corpus_doc("002_71bab22afd98218f"))
    # the body says "UBND phường Hải An"; the signature writes "UỶ BAN NHÂN DÂN" in full
    assert meta.issuer == "Ủy ban nhân dân phường Hải An"
    assert meta.title.startswith("Thực hiện Kế hoạch số 02-KH/BCĐTW")


@needs_corpus
def test_appendix_caption_gives_host_document():
    meta = extract_metadata(corpus_doc("nq03_pl2_part1"))
    assert (meta.symbol, meta.doc_type, meta.issuer, meta.issued_date) == (
        None,
        "NQ",
        "Chính phủ",
        "2025-01-01",
    )
    assert meta.title.startswith("DANH MỤC CÁC NHIỆM VỤ")


@needs_corpus
@pytest.mark.parametrize(
    "stem", ["000_6b10fd807bd99c8b", "002_71bab22afd98218f", "003_79301f997b111d77", "004_a4ab8e019ebfdf2e"]
)
def test_headerless_corpus_files_give_null_symbol_and_date(stem):
    doc = corpus_doc(stem)
    meta = extract_metadata(doc)
    assert meta.symbol is None
    assert meta.issued_date is None
    assert find_own_symbol(doc) is None


@needs_corpus
def test_meeting_date_is_not_issue_date():
    meta = extract_metadata(corpus_doc("003_79301f997b111d77"))
    assert meta.doc_type == "TB"
    assert meta.issued_date is None  # "Ngày 31/10/2025, đồng chí … chủ trì họp"
    assert meta.signer == "Nguyễn Mạnh Thắng"
    assert meta.implements == []  # "sơ kết tình hình thực hiện Nghị quyết …" reviews, not implements


@needs_corpus
def test_implements_from_opening_and_alias():
    assert extract_metadata(corpus_doc("000_6b10fd807bd99c8b")).implements == ["05-TB/BCĐTW", "35-TB/TGV"]
    # "… ban hành Kế hoạch tổ chức triển khai thực hiện các nhiệm vụ của Đề án 06" (alias of 06/QĐ-TTg)
    assert extract_metadata(corpus_doc("004_a4ab8e019ebfdf2e")).implements == ["06/QĐ-TTg"]


# --- header layouts ----------------------------------------------------------------------------


def test_state_header_lines():
    doc = make_doc(
        "CHÍNH PHỦ",
        "-------",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 118/2025/NĐ-CP",
        "Hà Nội, ngày 09 tháng 6 năm 2025",
        "NGHỊ ĐỊNH",
        "Về thực hiện thủ tục hành chính theo cơ chế một cửa",
        "Căn cứ Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025;",
        "Chính phủ ban hành Nghị định về thực hiện thủ tục hành chính.",
        "Chương I",
        "TM. CHÍNH PHỦ",
        "KT. THỦ TƯỚNG",
        "PHÓ THỦ TƯỚNG",
        "Nguyễn Hòa Bình",
    )
    meta = extract_metadata(doc)
    assert (meta.symbol, meta.doc_type, meta.issued_date, meta.place) == (
        "118/2025/NĐ-CP",
        "NĐ",
        "2025-06-09",
        "Hà Nội",
    )
    assert meta.title == "Về thực hiện thủ tục hành chính theo cơ chế một cửa"
    assert meta.issuer == "Chính phủ"
    assert meta.signer == "Nguyễn Hòa Bình"
    assert meta.implements == []


def test_party_header_in_layout_table():
    doc = make_doc(
        [
            "BAN CHỈ ĐẠO TRUNG ƯƠNG\nVỀ PHÁT TRIỂN KHOA HỌC, CÔNG NGHỆ,\n"
            "ĐỔI MỚI SÁNG TẠO VÀ CHUYỂN ĐỔI SỐ\n*\nSố 02-KH/BCĐTW",
            "ĐẢNG CỘNG SẢN VIỆT NAM\n \nHà Nội, ngày 19 tháng 6 năm 2025",
        ],
        "KẾ HOẠCH",
        "thúc đẩy chuyển đổi số liên thông",
        "- Căn cứ Nghị quyết số 57-NQ/TW, ngày 22/12/2024 của Bộ Chính trị;",
        "I- QUAN ĐIỂM CHỈ ĐẠO",
        ["Nơi nhận:\n- Như trên,", "K/T TRƯỞNG BAN\nPHÓ TRƯỞNG BAN\n\n\nTrần Cẩm Tú"],
    )
    meta = extract_metadata(doc)
    assert (meta.symbol, meta.doc_type, meta.issued_date) == ("02-KH/BCĐTW", "KH", "2025-06-19")
    assert meta.title == "thúc đẩy chuyển đổi số liên thông"
    assert (
        meta.issuer
        == "BAN CHỈ ĐẠO TRUNG ƯƠNG VỀ PHÁT TRIỂN KHOA HỌC, CÔNG NGHỆ, ĐỔI MỚI SÁNG TẠO VÀ CHUYỂN ĐỔI SỐ"
    )
    assert meta.signer == "Trần Cẩm Tú"
    assert meta.implements == []  # listed under "Căn cứ" only


def test_header_columns_joined_in_one_line():
    doc = make_doc(
        "BỘ TÀI CHÍNH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc "
        "Số: 4312/BTC-NSNN Hà Nội, ngày 25 tháng 4 năm 2024 V/v hướng dẫn dự toán năm 2025",
        "Kính gửi: Các bộ, cơ quan ngang bộ.",
        "Thực hiện Chỉ thị số 16/CT-TTg ngày 20/5/2024 của Thủ tướng Chính phủ, Bộ Tài chính hướng dẫn:",
    )
    meta = extract_metadata(doc)
    assert (meta.symbol, meta.doc_type, meta.issued_date, meta.place) == (
        "4312/BTC-NSNN",
        "CV",
        "2024-04-25",
        "Hà Nội",
    )
    assert meta.title == "hướng dẫn dự toán năm 2025"
    assert meta.issuer == "BỘ TÀI CHÍNH"
    assert meta.implements == ["16/CT-TTg"]


@pytest.mark.parametrize(
    "line,symbol",
    [
        ("Số: 06/2026/TT-BXD", "06/2026/TT-BXD"),
        ("Số hiệu: 118/2025/NĐ-CP", "118/2025/NĐ-CP"),
        ("Số ký hiệu: 2112/QĐ-UBND", "2112/QĐ-UBND"),
        ("Sô: 45/CT-TTg", "45/CT-TTg"),  # OCR slip of "Số:"
        ("SỐ: 12/KH-UBND", "12/KH-UBND"),
        ("Số:", "123/QĐ-UBND"),  # the number on the next line
        ("123/QĐ-UBND", "123/QĐ-UBND"),  # "Số" lost altogether
        ("Số:      /QĐ-UBND", None),  # a draft
    ],
)
def test_header_number_variants(line, symbol):
    lines = [line, "123/QĐ-UBND"] if line == "Số:" else [line]
    doc = make_doc(
        "ỦY BAN NHÂN DÂN TỈNH X",
        *lines,
        "Quảng Ninh, ngày 5 tháng 3 năm 2024",
        "QUYẾT ĐỊNH",
        "Về việc phê duyệt",
        "Căn cứ Luật Tổ chức chính quyền địa phương;",
        "Điều 1. Phê duyệt.",
    )
    assert extract_metadata(doc).symbol == symbol


def test_law_number_and_type():
    doc = make_doc(
        "QUỐC HỘI",
        "Luật số: 20/2023/QH15",
        "Hà Nội, ngày 22 tháng 6 năm 2023 LUẬT GIAO DỊCH ĐIỆN TỬ",
        "Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;",
        "Chương I",
    )
    meta = extract_metadata(doc)
    assert (meta.symbol, meta.doc_type, meta.issued_date, meta.title) == (
        "20/2023/QH15",
        "L",
        "2023-06-22",
        "GIAO DỊCH ĐIỆN TỬ",
    )


def test_resolution_number_with_type_word():
    doc = make_doc(
        "QUỐC HỘI",
        "Nghị quyết số: 33/2021/QH15",
        "Hà Nội, ngày 12 tháng 11 năm 2021",
        "NGHỊ QUYẾT",
        "Về tổ chức phiên tòa trực tuyến",
    )
    meta = extract_metadata(doc)
    assert (meta.symbol, meta.doc_type) == ("33/2021/QH15", "NQ")


def test_decision_title_stops_at_authority_line():
    doc = make_doc(
        "ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH",
        "Số: 1234/QĐ-UBND",
        "Quảng Ninh, ngày 5 tháng 3 năm 2024",
        "QUYẾT ĐỊNH",
        "Về việc ban hành Kế hoạch triển khai thực hiện Nghị quyết số 57-NQ/TW "
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH",
        "Căn cứ Quyết định số 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ;",
        "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch.",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "(Đã ký)",
        "Nguyễn Văn Thắng",
    )
    meta = extract_metadata(doc)
    assert meta.title == "Về việc ban hành Kế hoạch triển khai thực hiện Nghị quyết số 57-NQ/TW"
    assert meta.implements == ["57-NQ/TW"]
    assert meta.issuer == "ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH"
    assert meta.signer == "Nguyễn Văn Thắng"


def test_draft_with_blank_number_and_day():
    doc = make_doc(
        "ỦY BAN NHÂN DÂN PHƯỜNG HẢI AN",
        "Số:      /KH-UBND",
        "Hải An, ngày    tháng 7 năm 2025",
        "KẾ HOẠCH",
        "Thực hiện Kế hoạch số 02-KH/BCĐTW",
        "Thực hiện Kế hoạch số 02-KH/BCĐTW ngày 19/6/2025, UBND phường xây dựng Kế hoạch thực hiện.",
        "I. MỤC ĐÍCH",
    )
    meta = extract_metadata(doc)
    assert (meta.symbol, meta.issued_date, meta.doc_type) == (None, None, "KH")
    assert meta.implements == ["02-KH/BCĐTW"]
    assert meta.issuer == "Ủy ban nhân dân phường"  # UBND expanded: the header writes it in full


def test_appendix_of_a_numbered_decision():
    doc = make_doc(
        "PHỤ LỤC I",
        "DANH MỤC NHIỆM VỤ",
        "(Ban hành kèm theo Quyết định số 123/QĐ-UBND ngày 05/3/2024 của Ủy ban nhân dân tỉnh)",
        ["STT", "Nhiệm vụ", "Chủ trì", "Thời hạn"],
        ["1", "Thực hiện Quyết định số 123/QĐ-UBND", "Sở", "2024"],
    )
    meta = extract_metadata(doc)
    assert (meta.symbol, meta.doc_type, meta.issued_date, meta.issuer) == (
        "123/QĐ-UBND",
        "QĐ",
        "2024-03-05",
        "Ủy ban nhân dân tỉnh",
    )
    assert analyse_citations(doc).citations == []  # the host is the document itself


def test_upper_case_title_number_is_not_the_header_symbol():
    doc = make_doc(
        "PHỤ LỤC",
        "CÁC NHIỆM VỤ THỰC HIỆN NGHỊ QUYẾT SỐ 57-NQ/TW NGÀY 22 THÁNG 12 NĂM 2024",
        ["STT", "Nhiệm vụ", "Chủ trì", "Thời hạn"],
    )
    meta = extract_metadata(doc)
    assert meta.symbol is None
    assert meta.issued_date is None
    assert meta.implements == ["57-NQ/TW"]


def test_signer_when_the_title_is_lost_under_a_stamp():
    doc = make_doc(
        "KẾ HOẠCH",
        "Thực hiện nhiệm vụ năm 2025",
        "I. MỤC ĐÍCH",
        "Nơi nhận:",
        "- Sở Khoa học và Công nghệ;",
        "- Lưu: VT, VHXH.",
        "Cao Huy Hiếu",
    )
    assert extract_metadata(doc).signer == "Cao Huy Hiếu"


def test_signer_title_and_name_in_one_block():
    doc = make_doc(
        "KẾ HOẠCH",
        "Thực hiện nhiệm vụ",
        "I. MỤC ĐÍCH",
        "Nơi nhận:",
        "- Như trên;",
        "TM. UỶ BAN NHÂN DÂN CHỦ TỊCH Cao Huy Hiếu",
    )
    assert extract_metadata(doc).signer == "Cao Huy Hiếu"


def test_headerless_text_gives_nulls():
    doc = make_doc("1. Các sở, ngành triển khai nhiệm vụ.", "2. Báo cáo kết quả trước ngày 15/12/2025.")
    assert extract_metadata(doc) == DocumentMeta()
    assert extract_metadata(ReadDocument(path="e", format="txt", sha256="")) == DocumentMeta()


def test_citations_passed_in_are_used():
    doc = make_doc("KẾ HOẠCH", "Thực hiện Kế hoạch số 02-KH/BCĐTW", "I. MỤC ĐÍCH")
    cites = analyse_citations(doc)
    assert extract_metadata(doc, cites).implements == ["02-KH/BCĐTW"]


@pytest.mark.parametrize(
    "name,text,expected",
    [
        ("UBND phường Hải An", "TM. UỶ BAN NHÂN DÂN", "Ủy ban nhân dân phường Hải An"),
        ("UBND phường Hải An", "không viết đầy đủ", "UBND phường Hải An"),
        ("HĐND Thành phố", "Hội đồng nhân dân", "Hội đồng nhân dân Thành phố"),
    ],
)
def test_expand_abbreviations_only_when_text_expands(name, text, expected):
    assert expand_abbreviations(name, text) == expected
