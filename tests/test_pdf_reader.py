"""PDF reader on PDFium: tables without pdfminer, limits at the source; the reader registry
(.markdown, .doc through LibreOffice); lazy imports at start-up."""

from __future__ import annotations

import json
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from directive_nlp.errors import InputError
from directive_nlp.normalise.text import dice
from directive_nlp.reading import READERS, read, supported_suffixes
from test_readers import NQ03, _fixture, _minimal_pdf

ROOT = Path(__file__).resolve().parents[1]


def _blocks(doc):
    return [(b.text, b.page, b.bold, b.kind, b.cells) for b in doc.blocks]


# ---------------------------------------------------------------------------------------
# Tables found on PDFium's paths read as pdfplumber reads them
# ---------------------------------------------------------------------------------------


def test_table_pdf_same_blocks_as_pdfplumber_engine(shared):
    from directive_nlp.reading.pdf import read_pdf

    path = _fixture(shared, f"{NQ03}.pdf")
    data = path.read_bytes()
    reference = read_pdf(path, data, engine="pdfplumber").reindex()
    ours = read_pdf(path, data).reindex()
    assert sum(b.kind == "table_row" for b in ours.blocks) >= 40
    assert _blocks(ours) == _blocks(reference)


def _filled_rule_table(rows: list[list[str]], top: float) -> str:
    """A ruled table whose rules are thin filled rectangles (as Word's PDF export draws them)."""
    xs, h, w = [60, 110, 380, 540], 28, 0.6
    ops = ["0 0 0 rg"]
    for r in range(len(rows) + 1):
        ops.append(f"{xs[0]} {top - r * h} {xs[-1] - xs[0]} {w} re f")
    for x in xs:
        ops.append(f"{x} {top - len(rows) * h} {w} {len(rows) * h} re f")
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            ops.append(f"BT /F1 10 Tf {xs[c] + 4} {top - r * h - 17} Td ({text}) Tj ET")
    return "\n".join(ops)


def test_table_drawn_with_filled_rectangles(tmp_path):
    rows = [
        ["STT", "Noi dung", "Chu tri"],
        ["1.", "Xay dung ke hoach", "So Noi vu"],
        ["2.", "Bao cao", "UBND"],
    ]
    page = "BT /F1 12 Tf 60 800 Td (KE HOACH THUC HIEN) Tj ET\n" + _filled_rule_table(rows, top=760)
    path = tmp_path / "filled.pdf"
    path.write_bytes(_minimal_pdf([page]))
    doc = read(path)
    assert [b.cells for b in doc.blocks if b.kind == "table_row"] == rows
    assert [b.text for b in doc.blocks if b.kind != "table_row"] == ["KE HOACH THUC HIEN"]


def test_rules_that_form_no_grid_are_not_a_table(tmp_path):
    # an underline and a signature rule: ruling lines, but no cell
    page = (
        "BT /F1 12 Tf 60 800 Td (Noi nhan:) Tj ET\n0.5 w 60 790 m 300 790 l S\n"
        "BT /F1 12 Tf 60 700 Td (Chu tich) Tj ET\n350 650 m 520 650 l S\n350 640 m 350 560 l S"
    )
    path = tmp_path / "rules.pdf"
    path.write_bytes(_minimal_pdf([page]))
    doc = read(path)
    assert not any(b.kind == "table_row" for b in doc.blocks)
    assert [b.text for b in doc.blocks] == ["Noi nhan:", "Chu tich"]


# ---------------------------------------------------------------------------------------
# Limits
# ---------------------------------------------------------------------------------------


def _pdf(objs: list[bytes]) -> bytes:
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"


def test_page_count_limit(tmp_path, monkeypatch):
    path = tmp_path / "three.pdf"
    path.write_bytes(
        _minimal_pdf([f"BT /F1 12 Tf 60 800 Td (Noi dung {w}) Tj ET" for w in ("mot", "hai", "ba")])
    )
    assert read(path).pages == 3
    monkeypatch.setenv("DIRECTIVE_NLP_PDF_MAX_PAGES", "2")
    with pytest.raises(InputError) as e:
        read(path)
    assert e.value.key == "err.pdf_too_many_pages" and e.value.params == {"pages": 3, "limit": 2}


def test_page_tree_claiming_a_million_pages_is_refused(tmp_path):
    path = tmp_path / "count.pdf"
    path.write_bytes(_pdf([CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1000000 >>", PAGE]))
    with pytest.raises(InputError) as e:
        read(path)
    assert e.value.key == "err.pdf_too_many_pages"


@pytest.mark.parametrize(
    "tree",
    [
        [b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>", PAGE],  # the root lists itself
        [
            b"<< /Type /Pages /Kids [4 0 R] /Count 3 >>",
            PAGE,
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        ],
    ],
)
def test_looping_page_tree_is_one_line_error(tree, tmp_path):
    path = tmp_path / "loop.pdf"
    path.write_bytes(_pdf([CATALOG, *tree]))
    res = subprocess.run(
        [sys.executable, "-m", "directive_nlp", "text", str(path)], capture_output=True, text=True, cwd=ROOT
    )
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1 and "loop.pdf" in res.stderr
    with pytest.raises(InputError) as e:
        read(path)
    assert e.value.key == "err.pdf_page_tree"


def _bomb(decoded_mb: int) -> bytes:
    z = zlib.compressobj(9)
    block = b"0 0 m 1 1 l S\n" * 65536  # ~0.9 MB of path operators
    comp = b"".join(z.compress(block) for _ in range(decoded_mb * 1024 * 1024 // len(block))) + z.flush()
    head = f"<< /Length {len(comp)} /Filter /FlateDecode >>\nstream\n".encode()
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"
    return _pdf([CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page, head + comp + b"\nendstream"])


def test_flate_bomb_refused_before_decoding(tmp_path):
    from directive_nlp.reading.pdf import PdfLimits, check_streams

    data = _bomb(48)  # 48 MB of content from about 50 KB
    with pytest.raises(InputError) as e:
        check_streams(tmp_path / "bomb.pdf", data, PdfLimits(stream_floor=8 * 1024 * 1024))
    assert e.value.key == "err.pdf_bomb"
    # the same stream is accepted under a floor above what it decodes to
    check_streams(tmp_path / "bomb.pdf", data, PdfLimits(stream_floor=64 * 1024 * 1024))


def test_flate_bomb_one_line_from_read(tmp_path):
    path = tmp_path / "bomb.pdf"
    path.write_bytes(_bomb(40))  # over the default 32 MB floor
    with pytest.raises(InputError) as e:
        read(path)
    assert e.value.key == "err.pdf_bomb" and "\n" not in str(e.value)


def test_fixture_streams_pass_the_bomb_check(shared):
    from directive_nlp.reading.pdf import PdfLimits, check_streams

    for name in ("002_71bab22afd98218f.pdf", f"{NQ03}.pdf", "002_71bab22afd98218f.scan.pdf"):
        path = _fixture(shared, name)
        check_streams(path, path.read_bytes(), PdfLimits(stream_floor=1024 * 1024))


# ---------------------------------------------------------------------------------------
# One registry of readers
# ---------------------------------------------------------------------------------------


def test_registry_suffixes():
    assert supported_suffixes() == (".doc", ".docx", ".markdown", ".md", ".pdf", ".txt")
    assert READERS[".markdown"] is READERS[".md"]


def test_markdown_suffix_read_like_md(shared, tmp_path):
    src = shared / "corpus" / f"{NQ03}.md"
    if not src.exists():
        pytest.skip("corpus file not available")
    copy = tmp_path / f"{NQ03}.markdown"
    copy.write_bytes(src.read_bytes())
    a, b = read(src), read(copy)
    assert b.format == "md" and _blocks(a) == _blocks(b)


def test_doc_without_libreoffice_is_one_clear_line(tmp_path, monkeypatch):
    from directive_nlp.reading import legacy_doc

    path = tmp_path / "cu.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096)
    monkeypatch.setattr(legacy_doc, "soffice", lambda: None)
    with pytest.raises(InputError) as e:
        read(path)
    assert e.value.key == "err.doc_needs_libreoffice"
    assert "LibreOffice" in str(e.value) and "\n" not in str(e.value)


def test_doc_that_is_not_word_is_refused(tmp_path):
    path = tmp_path / "gia.doc"
    path.write_text("Kế hoạch triển khai, không phải tệp Word", encoding="utf-8")
    with pytest.raises(InputError) as e:
        read(path)
    assert e.value.key in ("err.doc_not_word", "err.doc_needs_libreoffice")


def test_doc_read_through_libreoffice(shared, tmp_path):
    from directive_nlp.reading.legacy_doc import soffice

    exe = soffice()
    if exe is None:
        pytest.skip("LibreOffice is not installed")
    docx = _fixture(shared, "001_83d4318d260d4f48.docx")
    subprocess.run(
        [
            exe,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--convert-to",
            "doc",
            "--outdir",
            str(tmp_path),
            str(docx),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    doc = read(tmp_path / "001_83d4318d260d4f48.doc")
    assert doc.format == "doc"
    assert dice(doc.text, read(docx).text) >= 0.97
    assert any(b.kind == "table_row" for b in doc.blocks)


# ---------------------------------------------------------------------------------------
# Start-up pays only for what it uses
# ---------------------------------------------------------------------------------------

HEAVY = ("pdfplumber", "pdfminer", "pypdfium2", "openpyxl", "networkx", "sqlite_utils", "spacy", "docx")


def _modules_after(args: list[str]) -> set[str]:
    code = (
        "import sys, json\n"
        "from directive_nlp.cli import main\n"
        "try:\n    main(json.loads(sys.argv[1]))\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})), file=sys.stderr)\n"
    )
    res = subprocess.run(
        [sys.executable, "-c", code, json.dumps(args)], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    return set(json.loads(res.stderr.strip().splitlines()[-1]))


def test_help_loads_no_document_or_store_library():
    assert not _modules_after(["--help"]) & set(HEAVY)


def test_extract_of_a_text_file_loads_no_pdf_word_store_or_graph_library():
    small = min((ROOT / "corpus").glob("*.txt"), key=lambda p: p.stat().st_size)
    assert not _modules_after(["extract", str(small)]) & set(HEAVY)


def test_every_command_is_in_the_lazy_table():
    from directive_nlp import cli

    app = cli.full_app()
    registered = {c.name: c.callback.__module__.rsplit(".", 1)[-1] for c in app.registered_commands}
    assert {k: v for k, v in cli.COMMANDS.items() if k in registered} == registered


def test_read_hands_the_ocr_progress_callback_to_the_pdf_reader(monkeypatch, tmp_path):
    # the CLI draws its OCR progress bar from this callback; read() must pass it through
    from directive_nlp import reading
    from directive_nlp.reading import pdf

    seen = {}

    def fake_read_pdf(path, data, *, ocr=True, progress=None, **kw):
        seen["progress"] = progress
        return real(path, data, ocr=False)

    real = pdf.read_pdf
    monkeypatch.setattr(pdf, "read_pdf", fake_read_pdf)
    src = next((ROOT.parent / "shared" / "fixtures").glob("002_*[0-9a-f].pdf"), None)
    if src is None:
        pytest.skip("../shared is not beside the repository")
    calls = []
    reading.read(src, progress=lambda done, total: calls.append((done, total)))
    assert seen["progress"] is not None
    seen["progress"](1, 3)
    assert calls == [(1, 3)]
