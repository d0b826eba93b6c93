"""Readers: DOCX (Word numbering, tables), PDF (text layer, tables across pages, OCR), bad input."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import pytest

from directive_nlp.errors import InputError, OCRUnavailable
from directive_nlp.i18n import catalogue, msg
from directive_nlp.normalise.text import dice
from directive_nlp.reading import read

ROOT = Path(__file__).resolve().parents[1]
DOCX_001 = "001_83d4318d260d4f48"
PDF_002 = "002_71bab22afd98218f"
NQ03 = "nq03_pl2_part1"


def _fixture(shared: Path, name: str) -> Path:
    p = shared / "fixtures" / name
    if not p.exists():
        pytest.skip(f"fixture {name} not available")
    return p


def _corpus(shared: Path, name: str) -> str:
    return (shared / "corpus" / name).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def docx001(shared):
    return read(_fixture(shared, f"{DOCX_001}.docx"))


@pytest.fixture(scope="session")
def pdf002(shared):
    return read(_fixture(shared, f"{PDF_002}.pdf"))


@pytest.fixture(scope="session")
def nq03_pdf(shared):
    return read(_fixture(shared, f"{NQ03}.pdf"))


@pytest.fixture(scope="session")
def nq03_docx(shared):
    return read(_fixture(shared, f"{NQ03}.docx"))


@pytest.fixture(scope="session")
def scan002(shared):
    """The OCR of the 9-page scan, run once per session (about 25 s on 2 cores)."""
    from directive_nlp.reading.ocr import ocr_available

    if not ocr_available():
        pytest.skip("Tesseract with Vietnamese ('vie') is not installed")
    return read(_fixture(shared, f"{PDF_002}.scan.pdf"))


# ---------------------------------------------------------------------------------------
# DOCX
# ---------------------------------------------------------------------------------------


def test_docx_001_matches_source_text(docx001, shared):
    assert dice(docx001.text, _corpus(shared, f"{DOCX_001}.txt")) >= 0.97
    assert docx001.format == "docx"


def test_docx_001_renders_word_automatic_numbering(docx001):
    labelled = [b for b in docx001.blocks if b.label]
    assert len(labelled) >= 30
    for b in labelled:
        assert b.text.startswith(b.label + " ")
        assert b.kind == "list_item"
    texts = [b.text for b in labelled]
    assert "1. Quan điểm chỉ đạo" in texts
    assert "2. Yêu cầu thực hiện" in texts
    assert "a) Mục tiêu tổng quát" in texts and "b) Mục tiêu cụ thể" in texts
    assert any(t.startswith("a) Bộ Tài chính") for t in texts)
    # every automatically numbered run of letters starts again at a) (startOverride per list)
    letters = [b.label for b in labelled if re.fullmatch(r"[a-z]\)", b.label)]
    assert letters.count("a)") >= 8
    # typed labels are kept as they were written
    assert any(b.text.startswith("a) Bộ Tài chính chủ trì") and b.label is None for b in docx001.blocks)


def test_docx_001_keeps_header_layout_table(docx001):
    first = docx001.blocks[0]
    assert first.kind == "table_row" and first.table == 0 and first.source == "t0r0"
    assert len(first.cells) == 2
    assert first.cells[0].startswith("BAN CHỈ ĐẠO TRUNG ƯƠNG")
    assert "Số 02-KH/BCĐTW" in first.cells[0]
    assert first.cells[1].startswith("ĐẢNG CỘNG SẢN VIỆT NAM")
    assert "Hà Nội, ngày 19 tháng 6 năm 2025" in first.cells[1]
    # reading order: the table comes before the body paragraphs
    assert docx001.blocks[1].source == "p1"
    assert any(b.bold and b.text == "KẾ HOẠCH" for b in docx001.blocks[:5])


def _table_rows(doc):
    return [b for b in doc.blocks if b.kind == "table_row"]


def _check_nq03_table(doc, shared):
    rows = _table_rows(doc)
    assert {b.table for b in rows} == {0}, "the table over 9 pages must come back as one table"
    headers = [b for b in rows if b.cells[:2] == ["TT", "Tên nhiệm vụ"]]
    assert len(headers) == 1 and headers[0] is rows[0] and rows[0].header_row
    assert rows[0].cells[2:] == ["Cơ quan chủ trì", "Cơ quan phối hợp", "Kết quả", "Thời gian hoàn thành"]
    assert not any(b.header_row for b in rows[1:])
    numbers = [int(b.cells[0].rstrip(".")) for b in rows if re.fullmatch(r"\d+\.", b.cells[0])]
    assert numbers == list(range(1, 43))
    assert [b.cells[0] for b in rows if re.fullmatch(r"[IVX]+\.", b.cells[0])] == ["I.", "II."]
    assert dice(doc.text, _corpus(shared, f"{NQ03}.md")) >= 0.97
    return rows


def test_nq03_docx_one_table(nq03_docx, shared):
    rows = _check_nq03_table(nq03_docx, shared)
    assert all(len(b.cells) == 6 for b in rows)


def test_nq03_pdf_one_table_merged_across_pages(nq03_pdf, nq03_docx, shared):
    rows = _check_nq03_table(nq03_pdf, shared)
    assert nq03_pdf.pages == 9
    assert {b.page for b in rows} == set(range(1, 10))
    # rows split by a page break are glued back: the PDF table equals the DOCX table cell by cell
    assert [b.cells for b in rows] == [b.cells for b in _table_rows(nq03_docx)]


def test_pdf_002_matches_source_text(pdf002, shared):
    assert dice(pdf002.text, _corpus(shared, f"{PDF_002}.txt")) >= 0.98
    assert pdf002.pages == 9 and pdf002.format == "pdf" and not pdf002.ocr
    assert all(b.page in range(1, 10) for b in pdf002.blocks)


def test_pdf_002_paragraphs_and_header_layout(pdf002, shared):
    first = pdf002.blocks[0]
    assert first.kind == "table_row"
    assert first.cells == [
        "ỦY BAN NHÂN DÂN PHƯỜNG HẢI AN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc",
    ]
    texts = [b.text for b in pdf002.blocks]
    assert "KẾ HOẠCH" in texts and "1. Mục đích" in texts and "Nơi nhận:" in texts
    # wrapped lines are joined; a wrapped line that happens to start with "- " is not an item
    assert not any(t.startswith("- sạch - sống") for t in texts)
    assert any("“đúng - đủ - sạch - sống - thống nhất - dùng chung” đối với 12" in t for t in texts)
    # a paragraph continued over a page break stays one block
    crossing = [b for b in pdf002.blocks if b.text.startswith("2. Văn phòng HĐND và UBND; Phòng Kinh tế")]
    assert len(crossing) == 1 and crossing[0].page == 8
    assert crossing[0].text.endswith("Công an phường và các đơn vị có liên quan")
    # every field line is its own paragraph, none glued to its neighbour
    expected = _corpus(shared, f"{PDF_002}.txt").count("Thời gian hoàn thành")
    assert sum(t.startswith("- Thời gian hoàn thành") for t in texts) == expected == 19
    assert not any("Thời gian hoàn thành" in t and not t.startswith("- Thời gian") for t in texts)


def test_pdf_fast_engine_gives_the_same_blocks(pdf002, shared):
    from directive_nlp.reading.pdf import read_pdf

    path = _fixture(shared, f"{PDF_002}.pdf")
    slow = read_pdf(path, path.read_bytes(), engine="pdfplumber").reindex()
    assert [(b.text, b.page, b.bold, b.kind, b.cells) for b in slow.blocks] == [
        (b.text, b.page, b.bold, b.kind, b.cells) for b in pdf002.blocks
    ]


def test_pdf_text_has_no_split_diacritics(pdf002, nq03_pdf):
    for doc in (pdf002, nq03_pdf):
        for b in doc.blocks:
            assert b.text == unicodedata.normalize("NFC", b.text)
            assert not re.search(r"(^|\s)[\u0300-\u036f]", b.text), b.text


def test_pdf_mark_attachment_and_fake_bold():
    from directive_nlp.reading.pdf import attach_marks, dedupe

    def ch(text, x0, top=100.0, font="Times"):
        return {
            "text": text,
            "x0": x0,
            "x1": x0 + 6,
            "top": top,
            "bottom": top + 12,
            "size": 12.0,
            "fontname": font,
            "upright": True,
        }

    # "ộ" drawn as o + dot below + circumflex from another font; "bold" overprinted twice
    chars = [ch("C", 0), ch("o", 6), ch("\u0323", 7), ch("\u0302", 7.5, top=96), ch("n", 12), ch("g", 18)]
    merged = attach_marks(chars)
    assert "".join(c["text"] for c in merged) == "Cộng"
    doubled = [ch("A", 0), ch("A", 0.4), ch("B", 6), ch("B", 6.3)]
    kept = dedupe(doubled)
    assert [c["text"] for c in kept] == ["A", "B"] and all(c.get("fake_bold") for c in kept)


def test_pdf_running_headers_and_page_numbers_removed():
    from directive_nlp.reading.pdf import PageContent, PLine, Word, remove_running

    def line(text, top, page, x0=85.0):
        words, x = [], x0
        for w in text.split():
            words.append(Word(text=w, x0=x, x1=x + 7 * len(w), top=top, bottom=top + 14, size=14))
            x += 7 * len(w) + 4
        return PLine(words=words, page=page)

    pages = []
    for n in range(1, 5):
        body = [
            line(f"Nội dung dòng {i} của trang {n} rất dài để làm thân văn bản", 100 + 18 * i, n)
            for i in range(10)
        ]
        pg = PageContent(
            number=n,
            width=595,
            height=842,
            lines=[line(f"Kế hoạch số {n}2-KH/UBND ngày 12/6/2025", 30, n)]
            + body
            + [
                line(f"- {n} -", 800, n, x0=290),
                line("https://thuvienphapluat.vn/van-ban/abc.aspx 1/4", 815, n),
            ],
        )
        pages.append(pg)
    removed = remove_running(pages)
    assert removed == 12
    for pg in pages:
        assert [ln.text for ln in pg.lines][0].startswith("Nội dung dòng 0")
        assert len(pg.lines) == 10


def _minimal_pdf(pages: list[str]) -> bytes:
    """A PDF with one content stream per page (Helvetica as /F1), written by hand."""
    objs = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    kids = []
    for content in pages:
        stream = content.encode("latin-1")
        objs.append(f"<< /Length {len(stream)} >>\nstream\n{content}\nendstream")
        objs.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
            f"/Contents {len(objs)} 0 R >>"
        )
        kids.append(f"{len(objs)} 0 R")
    objs[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def _ruled_table(rows: list[list[str]], top: float, merged_below: set[tuple[int, int]] = frozenset()) -> str:
    """Content-stream operators drawing a ruled 3-column table; ``merged_below`` holds
    (row, col) cells with no rule under them (merged with the row below)."""
    xs = [50, 90, 350, 545]
    h = 30
    ops = ["0.5 w"]
    for r in range(len(rows) + 1):
        y = top - r * h
        for c in range(3):
            if r == 0 or r == len(rows) or (r - 1, c) not in merged_below:
                ops.append(f"{xs[c]} {y} m {xs[c + 1]} {y} l S")
    for x in xs:
        ops.append(f"{x} {top} m {x} {top - len(rows) * h} l S")
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text:
                ops.append(f"BT /F1 10 Tf {xs[c] + 4} {top - r * h - 18} Td ({text}) Tj ET")
    return "\n".join(ops)


def test_pdf_ruled_table_over_two_pages_with_merged_cells(tmp_path):
    header = ["TT", "Ten nhiem vu", "Chu tri"]
    page1 = (
        "BT /F1 14 Tf 250 810 Td (PHU LUC) Tj ET\n"
        + _ruled_table(
            [header, ["1.", "Viec mot", "So Tu phap"], ["2.", "Viec hai", ""], ["3.", "Viec ba dai", "UBND"]],
            top=780,
            merged_below={(1, 2)},
        )
        + "\nBT /F1 10 Tf 285 30 Td (Trang 1) Tj ET"
    )
    page2 = (
        _ruled_table([header, ["", "tiep tuc viec ba", ""], ["4.", "Viec bon", "Cong an"]], top=800)
        + "\nBT /F1 10 Tf 285 30 Td (Trang 2) Tj ET"
    )
    path = tmp_path / "table.pdf"
    path.write_bytes(_minimal_pdf([page1, page2]))
    doc = read(path)
    assert doc.pages == 2
    rows = [b for b in doc.blocks if b.kind == "table_row"]
    assert [b.cells for b in rows] == [
        header,
        ["1.", "Viec mot", "So Tu phap"],
        ["2.", "Viec hai", "So Tu phap"],
        ["3.", "Viec ba dai tiep tuc viec ba", "UBND"],
        ["4.", "Viec bon", "Cong an"],
    ]
    assert {b.table for b in rows} == {0} and [b.header_row for b in rows] == [True] + [False] * 4
    assert [b.page for b in rows] == [1, 1, 1, 1, 2]
    assert [b.text for b in doc.blocks if b.kind != "table_row"] == ["PHU LUC"]  # page numbers removed


def test_ocr_scan_matches_source_text(scan002, shared):
    assert scan002.ocr and scan002.pages == 9
    assert any("OCR" in w for w in scan002.warnings)
    assert dice(scan002.text, _corpus(shared, f"{PDF_002}.txt")) >= 0.90
    assert any(b.text.startswith("1. Mục đích") for b in scan002.blocks)


def test_pdf_mixing_text_and_scanned_pages(shared, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    from directive_nlp.reading.ocr import ocr_available

    text_pdf = pypdf.PdfReader(str(_fixture(shared, f"{PDF_002}.pdf")))
    scan_pdf = pypdf.PdfReader(str(_fixture(shared, f"{PDF_002}.scan.pdf")))
    writer = pypdf.PdfWriter()
    writer.add_page(text_pdf.pages[0])
    writer.add_page(scan_pdf.pages[1])
    path = tmp_path / "mixed.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    # without OCR the text page is read and the scanned page is reported, not silently lost
    no_ocr = read(path, ocr=False)
    assert not no_ocr.ocr and {b.page for b in no_ocr.blocks} == {1}
    assert msg("msg.pdf_ocr_off", pages="2") in no_ocr.warnings  # in the reader's language
    if not ocr_available():
        pytest.skip("Tesseract with Vietnamese ('vie') is not installed")
    doc = read(path)
    assert doc.ocr and doc.pages == 2 and {b.page for b in doc.blocks} == {1, 2}
    assert [b.text for b in doc.blocks if b.page == 1] == [b.text for b in no_ocr.blocks]
    assert any(b.page == 2 and b.text.startswith("1. Mục tiêu tổng quát") for b in doc.blocks)


def test_pdf_owner_password_only_is_readable(shared, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(str(_fixture(shared, f"{PDF_002}.pdf")))
    writer = pypdf.PdfWriter()
    writer.add_page(reader.pages[0])
    writer.encrypt(user_password="", owner_password="chu-so-huu")
    path = tmp_path / "restricted.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    doc = read(path)
    assert "KẾ HOẠCH" in [b.text for b in doc.blocks]


def test_scan_without_tesseract_is_a_clear_error(shared, monkeypatch):
    from directive_nlp.reading import ocr

    monkeypatch.setattr(
        ocr,
        "ocr_status",
        lambda: {
            "tesseract": False,
            "vie": False,
            "pytesseract": True,
            "path": None,
            "version": None,
            "languages": [],
        },
    )
    with pytest.raises(OCRUnavailable) as e:
        read(_fixture(shared, f"{PDF_002}.scan.pdf"))
    assert "apt-get install tesseract-ocr tesseract-ocr-vie" in str(e.value)
    assert f"{PDF_002}.scan.pdf" in str(e.value)


def test_ocr_status_reports_capabilities():
    from directive_nlp.reading.ocr import ocr_status

    s = ocr_status()
    assert {"tesseract", "version", "vie", "languages", "path"} <= set(s)
    assert s["vie"] == ("vie" in s["languages"])


# ---------------------------------------------------------------------------------------
# DOCX numbering and tables on generated documents
# ---------------------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _numbering(xml_body: str):
    from lxml import etree

    from directive_nlp.reading.docx import Numbering

    return Numbering.from_xml(etree.fromstring(f'<w:numbering xmlns:w="{W_NS}">{xml_body}</w:numbering>'))


def _lvl(ilvl: int, fmt: str, text: str, start: int = 1, extra: str = "") -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/>{extra}</w:lvl>'
    )


def test_numbering_levels_formats_and_restarts():
    nb = _numbering(
        '<w:abstractNum w:abstractNumId="1">'
        + _lvl(0, "upperRoman", "%1.")
        + _lvl(1, "decimal", "%2.")
        + _lvl(2, "decimal", "%2.%3.")
        + _lvl(3, "lowerLetter", "%4)")
        + _lvl(4, "bullet", "\uf0b7")
        + '</w:abstractNum><w:num w:numId="7"><w:abstractNumId w:val="1"/></w:num>'
    )
    seq = [(0,), (1,), (2,), (2,), (3,), (3,), (3,), (3,), (3,), (3,), (4,), (1,), (2,), (0,), (1,)]
    labels = [nb.next_label("7", lv[0]) for lv in seq]
    assert labels == [
        "I.",
        "1.",
        "1.1.",
        "1.2.",
        "a)",
        "b)",
        "c)",
        "d)",
        "e)",
        "f)",
        "-",
        "2.",
        "2.1.",
        "II.",
        "1.",
    ]


def test_numbering_shared_abstract_continues_and_start_override_restarts():
    nb = _numbering(
        '<w:abstractNum w:abstractNumId="3">' + _lvl(0, "decimal", "%1.", start=1) + "</w:abstractNum>"
        '<w:abstractNum w:abstractNumId="4">' + _lvl(0, "lowerLetter", "(%1)", start=2) + "</w:abstractNum>"
        '<w:num w:numId="1"><w:abstractNumId w:val="3"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="3"/></w:num>'
        '<w:num w:numId="3"><w:abstractNumId w:val="3"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>'
        '<w:num w:numId="4"><w:abstractNumId w:val="4"/></w:num>'
    )
    assert [nb.next_label("1", 0), nb.next_label("1", 0)] == ["1.", "2."]
    assert nb.next_label("2", 0) == "3."  # same abstractNum, no override: Word continues
    assert [nb.next_label("3", 0), nb.next_label("3", 0)] == ["5.", "6."]
    assert nb.next_label("1", 0) == "7."
    assert nb.next_label("4", 0) == "(b)"  # custom lvlText and start value


def test_number_formats():
    from directive_nlp.reading.docx import format_number

    assert [format_number(n, "lowerLetter") for n in (1, 4, 5, 6, 26, 27)] == ["a", "d", "e", "f", "z", "aa"]
    assert [format_number(n, "upperRoman") for n in (1, 4, 9, 14, 40)] == ["I", "IV", "IX", "XIV", "XL"]
    assert format_number(3, "lowerRoman") == "iii"
    assert format_number(7, "decimalZero") == "07"
    assert format_number(2, "bullet") == "-"


def _numbered_docx(path: Path) -> Path:
    """A DOCX made with python-docx: styled headings, a numbered list, a merged-cell table."""
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    numbering = d.part.numbering_part.element
    numbering.append(
        parse_xml(
            f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="77">'
            + _lvl(0, "decimal", "%1.")
            + _lvl(1, "lowerLetter", "%2)")
            + "</w:abstractNum>"
        )
    )
    numbering.append(parse_xml(f'<w:num xmlns:w="{W_NS}" w:numId="77"><w:abstractNumId w:val="77"/></w:num>'))

    def numbered(text: str, ilvl: int) -> None:
        p = d.add_paragraph(text)
        p._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="{ilvl}"/><w:numId w:val="77"/></w:numPr>')
        )

    d.add_heading("Tổ chức thực hiện", level=1)
    numbered("Bộ Tài chính", 0)
    numbered("Chủ trì xây dựng đề án.", 1)
    numbered("Báo cáo kết quả.", 1)
    numbered("Bộ Công an", 0)
    numbered("Rà soát dữ liệu.", 1)
    bold = d.add_paragraph()
    bold.add_run("Nơi nhận:").bold = True
    t = d.add_table(rows=3, cols=3)
    for i, h in enumerate(["TT", "Nhiệm vụ", "Chủ trì"]):
        t.cell(0, i).text = h
    t.cell(1, 0).text = "1."
    t.cell(1, 1).text = "Xây dựng kế hoạch"
    t.cell(1, 2).text = "Sở Tư pháp"
    a = t.cell(2, 0).merge(t.cell(2, 1))
    a.text = "Ghi chú chung"
    t.cell(2, 2).text = "UBND"
    tr_pr = t.rows[0]._tr.get_or_add_trPr()
    tr_pr.append(parse_xml(f'<w:tblHeader xmlns:w="{W_NS}"/>'))
    d.add_paragraph("Đoạn sau bảng.")
    d.save(str(path))
    return path


def test_docx_generated_numbering_headings_tables(tmp_path):
    doc = read(_numbered_docx(tmp_path / "gen.docx"))
    texts = [b.text for b in doc.blocks]
    assert texts == [
        "Tổ chức thực hiện",
        "1. Bộ Tài chính",
        "a) Chủ trì xây dựng đề án.",
        "b) Báo cáo kết quả.",
        "2. Bộ Công an",
        "a) Rà soát dữ liệu.",
        "Nơi nhận:",
        "TT | Nhiệm vụ | Chủ trì",
        "1. | Xây dựng kế hoạch | Sở Tư pháp",
        "Ghi chú chung | UBND",
        "Đoạn sau bảng.",
    ]
    heading = doc.blocks[0]
    assert heading.kind == "heading" and heading.level == 1
    assert doc.blocks[6].bold and not doc.blocks[1].bold
    rows = [b for b in doc.blocks if b.kind == "table_row"]
    assert [b.header_row for b in rows] == [True, False, False]
    assert rows[2].cells == ["Ghi chú chung", "UBND"]  # the merged cell appears once
    assert [b.source for b in rows] == ["t0r0", "t0r1", "t0r2"]
    assert doc.blocks[1].label == "1." and doc.blocks[2].label == "a)"


def test_docx_numbering_inherited_from_styles(tmp_path):
    import docx

    d = docx.Document()
    for t in ("Một", "Hai", "Ba"):
        d.add_paragraph(t, style="List Number")  # numPr lives on the style, not the paragraph
    d.add_paragraph("Chấm", style="List Bullet")
    d.add_paragraph("Tiêu đề", style="Title")
    d.add_paragraph("Cấp hai", style="Heading 2")
    path = tmp_path / "styles.docx"
    d.save(str(path))
    blocks = read(path).blocks
    assert [(b.kind, b.label, b.level, b.text) for b in blocks] == [
        ("list_item", "1.", None, "1. Một"),
        ("list_item", "2.", None, "2. Hai"),
        ("list_item", "3.", None, "3. Ba"),
        ("list_item", "-", None, "- Chấm"),
        ("heading", None, 1, "Tiêu đề"),
        ("heading", None, 2, "Cấp hai"),
    ]


def test_docx_legacy_font_runs_are_converted(tmp_path):
    import docx

    d = docx.Document()
    p = d.add_paragraph()
    r = p.add_run("Céng hoµ x· héi chñ nghÜa ViÖt Nam")
    r.font.name = ".VnTime"
    p2 = d.add_paragraph()
    r2 = p2.add_run("uû ban nh©n d©n")
    r2.font.name = ".VnTimeH"
    p3 = d.add_paragraph()
    p3.add_run("Coäng hoøa").font.name = "VNI-Times"
    d.add_paragraph("Tài chính và kế hoạch")
    p5 = d.add_paragraph()
    p5.add_run("Tài chính").font.name = ".VnTime"  # retyped in Unicode (Latin-1 letters only), old font kept
    path = tmp_path / "legacy.docx"
    d.save(str(path))
    texts = [b.text for b in read(path).blocks]
    assert texts == [
        "Cộng hoà xã hội chủ nghĩa Việt Nam",
        "UỶ BAN NHÂN DÂN",
        "Cộng hòa",
        "Tài chính và kế hoạch",
        "Tài chính",
    ]


# ---------------------------------------------------------------------------------------
# Bad input: one clear line on stderr, exit status 1, never a traceback
# ---------------------------------------------------------------------------------------


def _encrypted_pdf(shared: Path, out: Path) -> Path:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(str(_fixture(shared, f"{PDF_002}.pdf")))
    writer = pypdf.PdfWriter()
    for page in reader.pages[:2]:
        writer.add_page(page)
    writer.encrypt(user_password="mat-khau", owner_password="chu-so-huu", algorithm="AES-128")
    with out.open("wb") as fh:
        writer.write(fh)
    return out


def _encrypted_docx(out: Path) -> Path:
    # what Word writes for a password-protected .docx: an OLE2 compound file holding the
    # streams EncryptionInfo and EncryptedPackage instead of a zip package
    head = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    names = "EncryptionInfo".encode("utf-16-le") + b"\x00" * 40 + "EncryptedPackage".encode("utf-16-le")
    out.write_bytes(head + names + b"\x00" * 2048)
    return out


def _zip_without_document(out: Path) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/styles.xml", "<styles/>")
    out.write_bytes(buf.getvalue())
    return out


def _make_bad(kind: str, tmp_path: Path, shared: Path) -> tuple[Path, tuple[str, ...], list[str]]:
    """(file, the message keys any of which may name the problem, extra CLI args)."""
    if kind == "truncated_pdf":
        data = _fixture(shared, f"{PDF_002}.pdf").read_bytes()
        p = tmp_path / "cut.pdf"
        p.write_bytes(data[: len(data) // 2])
        return p, ("err.pdf_truncated", "err.pdf_corrupt"), []
    if kind == "truncated_pdf_with_eof":
        data = _fixture(shared, f"{PDF_002}.pdf").read_bytes()
        p = tmp_path / "cut-eof.pdf"
        p.write_bytes(data[:30000] + b"\n%%EOF\n")
        return p, ("err.pdf_corrupt", "err.pdf_page_corrupt", "err.pdf_no_pages"), []
    if kind == "encrypted_pdf":
        return _encrypted_pdf(shared, tmp_path / "locked.pdf"), ("err.pdf_encrypted",), []
    if kind == "docx_not_zip":
        p = tmp_path / "fake.docx"
        p.write_text("this is plain text, not a Word file", encoding="utf-8")
        return p, ("err.docx_not_zip",), []
    if kind == "docx_no_document":
        return (
            _zip_without_document(tmp_path / "empty-package.docx"),
            ("err.docx_no_body",),
            [],
        )
    if kind == "docx_encrypted":
        return _encrypted_docx(tmp_path / "locked.docx"), ("err.docx_encrypted",), []
    if kind == "empty":
        p = tmp_path / "empty.txt"
        p.write_bytes(b"")
        return p, ("err.empty_file",), []
    if kind == "binary_txt":
        p = tmp_path / "program.txt"
        p.write_bytes(bytes(range(256)) * 40)
        return p, ("err.binary",), []
    if kind == "unsupported":
        p = tmp_path / "notes.rtf"
        p.write_text("{\\rtf1 Kế hoạch}", encoding="utf-8")
        return p, ("err.unsupported_type",), []
    if kind == "wrong_encoding":
        p = tmp_path / "german.txt"
        p.write_bytes("Grüße aus Köln, schöne Straße und München. Über die Brücke.".encode("latin-1"))
        return p, ("err.encoding",), []
    if kind == "scan_no_ocr":
        return _fixture(shared, f"{PDF_002}.scan.pdf"), ("err.scan_ocr_off",), ["--no-ocr"]
    raise AssertionError(kind)


BAD_KINDS = [
    "truncated_pdf",
    "truncated_pdf_with_eof",
    "encrypted_pdf",
    "docx_not_zip",
    "docx_no_document",
    "docx_encrypted",
    "empty",
    "binary_txt",
    "unsupported",
    "wrong_encoding",
    "scan_no_ocr",
]


@pytest.mark.parametrize("kind", BAD_KINDS)
def test_bad_input_cli_one_line(kind, tmp_path, shared):
    path, keys, args = _make_bad(kind, tmp_path, shared)
    # Vietnamese by default: the fixed words of the message (before its first field)
    fragments = [catalogue()[k]["vi"].split("{")[0] for k in keys]
    res = subprocess.run(
        [sys.executable, "-m", "directive_nlp", "text", *args, str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert res.returncode == 1, res.stderr
    assert "Traceback" not in res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert path.name in lines[0] and any(f in lines[0] for f in fragments), lines[0]
    assert res.stdout == ""


@pytest.mark.parametrize("kind", BAD_KINDS)
def test_bad_input_library_raises_input_error(kind, tmp_path, shared):
    path, keys, args = _make_bad(kind, tmp_path, shared)
    with pytest.raises(InputError) as e:
        read(path, ocr="--no-ocr" not in args)
    assert e.value.key in keys and str(path) in str(e.value)
    assert "\n" not in str(e.value)
    if kind == "scan_no_ocr":
        assert isinstance(e.value, OCRUnavailable)


# ---------------------------------------------------------------------------------------
# doctor
# ---------------------------------------------------------------------------------------


def test_doctor_json_and_table():
    import json

    res = subprocess.run(
        [sys.executable, "-m", "directive_nlp", "doctor", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert res.returncode == 0, res.stderr
    report = json.loads(res.stdout)
    caps = {r["capability"]: r for r in report["checks"]}
    assert {"tesseract", "vie", "unit_model", "pdfplumber", "pypdfium2", "python-docx"} <= set(caps)
    assert caps["pdfplumber"]["status"] == "ok" and caps["pdfplumber"]["detail"]
    assert caps["unit_model"]["status"] in ("ok", "missing", "unknown")
    for r in report["checks"]:
        assert (r["fix"] is None) == (r["status"] != "missing") or r["status"] == "unknown"
    vi = subprocess.run(
        [sys.executable, "-m", "directive_nlp", "doctor"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    en = subprocess.run(
        [sys.executable, "-m", "directive_nlp", "doctor", "--lang", "en"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert vi.returncode == 0 and en.returncode == 0
    assert "Chức năng" in vi.stdout and "Capability" in en.stdout


def test_doctor_reports_missing_ocr_with_install_command(monkeypatch):
    from directive_nlp.cli.read_cmds import doctor_report
    from directive_nlp.reading import ocr

    monkeypatch.setattr(
        ocr,
        "ocr_status",
        lambda: {
            "tesseract": True,
            "vie": False,
            "pytesseract": True,
            "path": "/usr/bin/tesseract",
            "version": "5.3.0",
            "languages": ["eng", "osd"],
        },
    )
    report = doctor_report()
    missing = {m["capability"]: m["fix"] for m in report["missing"]}
    assert missing.get("vie") == "apt-get install tesseract-ocr-vie"
    assert "tesseract" not in missing and "pdfplumber" not in missing


def _numbered_plan(n: int) -> str:
    """A plan whose task list runs to ``n`` items, each wrapped over two lines."""
    units = ["Sở Tài chính", "Sở Xây dựng", "Ủy ban nhân dân cấp huyện", "Công an tỉnh", "Sở Y tế"]
    lines = ["KẾ HOẠCH", "Rà soát hồ sơ tồn đọng năm 2026", ""]
    for i in range(1, n + 1):
        lines.append(f"{i}. {units[i % 5]} chủ trì rà soát nhóm hồ sơ thứ {i}, phân loại và báo cáo kết quả")
        lines.append(f"về Văn phòng trước ngày {i % 28 + 1}/{i % 12 + 1}/2026.")
    return "\n".join(lines) + "\n"


def test_enumerations_past_199_are_their_own_items(tmp_path):
    from directive_nlp.outline import build_outline

    path = tmp_path / "danh-sach-dai.txt"
    path.write_text(_numbered_plan(300), encoding="utf-8")
    doc = read(path)
    items = [b for b in doc.blocks if re.match(r"\d+\. ", b.text)]
    assert [int(b.text.split(".")[0]) for b in items] == list(range(1, 301))
    # each item kept its wrapped second line and nothing of the next item
    assert all(b.text.endswith("/2026.") and b.text.count("chủ trì") == 1 for b in items)
    outline = [n for n in build_outline(doc.blocks) if n.style == "num1"]
    assert [n.label for n in outline] == [str(i) for i in range(1, 301)]
    assert all(n.parent is None or n.parent.style != "num1" for n in outline)


def test_a_line_opening_with_a_large_number_inside_a_paragraph_continues_it(tmp_path):
    path = tmp_path / "so-lon.txt"
    path.write_text(
        "1. Sở Lao động - Thương binh và Xã hội chủ trì hỗ trợ các hộ nghèo trên địa bàn, dự kiến\n"
        "250 hộ được hỗ trợ nhà ở trong năm 2026.\n"
        "2. Sở Tài chính bố trí kinh phí thực hiện.\n",
        encoding="utf-8",
    )
    assert [b.text[:2] for b in read(path).blocks] == ["1.", "2."]
