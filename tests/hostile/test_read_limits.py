"""``reading.read`` at the edge: only regular files are read (a FIFO, a device, a socket or a
link to one is refused with one line before anything is read), files are bounded in size,
a document without a letter or digit is empty whatever its format, and the PDF reader's
warnings and OCR limits speak the person's language."""

from __future__ import annotations

import os
import signal
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from directive_nlp.errors import InputError
from directive_nlp.i18n import msg, set_lang
from directive_nlp.reading import read, read_regular
from directive_nlp.reading.ocr import ocr_available

from .generate import GOOD_PDF_LINES, GOOD_TEXT, content_bomb_pdf, docx_package, para, scan_pdf, text_pdf


@pytest.fixture
def alarm() -> Iterator[None]:
    """Fail instead of hanging if a read blocks (a FIFO without a writer)."""

    def _raise(signum, frame):
        raise TimeoutError("read() blocked")

    old = signal.signal(signal.SIGALRM, _raise)
    signal.alarm(10)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _refused(path: Path, key: str) -> InputError:
    with pytest.raises(InputError) as e:
        read(path)
    assert e.value.key == key, str(e.value)
    assert str(e.value).startswith(f"{path}: ") and "\n" not in str(e.value)
    return e.value


def test_fifo_is_refused_without_blocking(tmp_path, alarm):
    fifo = tmp_path / "ke-hoach.txt"
    os.mkfifo(fifo)
    err = _refused(fifo, "err.not_regular")
    assert err.params["kind"] == "FIFO"


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null", "/dev/urandom"])
def test_link_to_a_device_is_refused(tmp_path, alarm, device):
    if not os.path.exists(device):
        pytest.skip(f"{device} missing")
    link = tmp_path / "bao-cao.pdf"
    link.symlink_to(device)
    assert _refused(link, "err.not_regular").params["kind"] == "device"


def test_socket_is_refused(tmp_path, alarm):
    path = Path(f"/tmp/h{os.getpid()}.md")  # AF_UNIX paths are short
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.bind(str(path))
        assert _refused(path, "err.not_regular").params["kind"] == "socket"
    finally:
        sock.close()
        path.unlink(missing_ok=True)


def test_link_to_a_regular_file_is_read_and_a_dangling_or_looping_one_is_not(tmp_path):
    real = tmp_path / "that.txt"
    real.write_text(GOOD_TEXT, encoding="utf-8")
    link = tmp_path / "this.txt"
    link.symlink_to(real)
    assert "Sở Tài chính" in read(link).text
    dangling = tmp_path / "gone.txt"
    dangling.symlink_to(tmp_path / "nowhere.txt")
    _refused(dangling, "err.no_such_file")
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    _refused(loop, "err.cannot_open")


def test_size_bound(tmp_path, monkeypatch):
    path = tmp_path / "dai.txt"
    line = "Sở Nội vụ chủ trì tổng hợp báo cáo.\n".encode()
    path.write_bytes(line * (2 * 1024 * 1024 // len(line) + 1))  # just over 2 MB
    monkeypatch.setenv("DIRECTIVE_NLP_MAX_FILE_MB", "2")
    err = _refused(path, "err.file_too_large")
    assert err.params == {"size_mb": 3, "limit_mb": 2}
    assert "DIRECTIVE_NLP_MAX_FILE_MB" in str(err)
    monkeypatch.setenv("DIRECTIVE_NLP_MAX_FILE_MB", "3")
    assert read(path).text.startswith("Sở Nội vụ")
    size = path.stat().st_size
    assert len(read_regular(path, limit=size)) == size  # the bound itself is allowed
    with pytest.raises(InputError) as e:
        read_regular(path, limit=size - 1)
    assert e.value.key == "err.file_too_large"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("dau-cau.docx", docx_package(para("… — ;;; ,,, !!! «» •") * 12)),
        ("dau-cau.pdf", text_pdf(["... --- ;;; ,,, !!! ( ) [ ]"] * 12)),
        ("dau-cau.md", "# ---\n\n* * *\n\n> …\n".encode()),
    ],
)
def test_no_letter_or_digit_is_empty_in_every_format(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    _refused(path, "err.no_text")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("so-hieu.docx", docx_package(para("— 15 —"))),  # one digit is text
        ("chu.pdf", text_pdf(["... x ..."])),
    ],
)
def test_one_letter_or_digit_is_text(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    assert read(path).blocks


def test_pdf_warnings_follow_the_language(tmp_path):
    path = tmp_path / "duoi-thua.pdf"
    path.write_bytes(text_pdf(GOOD_PDF_LINES) + b"\n% trailing bytes after the end marker\n" * 200)
    try:
        vi = read(path).warnings
        set_lang("en")
        en = read(path).warnings
    finally:
        set_lang(None)
    assert msg("msg.pdf_tail", lang="vi") in vi and msg("msg.pdf_tail", lang="en") in en
    assert vi != en and "tệp" in " ".join(vi)


@pytest.mark.skipif(not ocr_available(), reason="Tesseract with Vietnamese data is not installed")
def test_pdf_ocr_reports_progress_page_by_page_and_has_a_page_limit(tmp_path, monkeypatch):
    from directive_nlp.reading.pdf import read_pdf

    path = tmp_path / "ban-quet.pdf"
    data = scan_pdf(3, px=200)
    path.write_bytes(data)
    seen: list[tuple[int, int]] = []
    doc = read_pdf(path, data, progress=lambda done, total: seen.append((done, total)))
    assert doc.ocr and seen == [(1, 3), (2, 3), (3, 3)]
    monkeypatch.setenv("DIRECTIVE_NLP_OCR_MAX_PAGES", "2")
    err = _refused(path, "err.ocr_too_many_pages")
    assert err.params == {"count": 3, "limit": 2}


def test_a_stream_compressed_twice_is_measured_at_its_inner_size(tmp_path):
    from directive_nlp.reading.pdf import PdfLimits, check_streams, stream_filters

    lim = PdfLimits(stream_floor=1 << 20)  # 1 MB, to keep the bomb small
    path = tmp_path / "nen-hai-lan.pdf"
    double = content_bomb_pdf(8 << 20, layers=2)
    assert len(double) < 4096  # the outer layer alone looks harmless
    with pytest.raises(InputError) as e:
        check_streams(path, double, lim)
    assert e.value.key == "err.pdf_bomb"
    single = content_bomb_pdf(8 << 20)
    with pytest.raises(InputError):
        check_streams(path, single, lim)
    # ordinary content compressed twice, and a stream under its size bound, pass
    check_streams(path, content_bomb_pdf(512 << 10, b"BT (x) Tj ET\n", layers=2), lim)
    check_streams(path, text_pdf(GOOD_PDF_LINES, pages=3), PdfLimits())
    assert stream_filters(b"1 0 obj << /Length 9 /Filter [/FlateDecode /DCTDecode] >>\n") == [
        b"FlateDecode",
        b"DCTDecode",
    ]
    # a filter named by the object before is not this stream's
    assert stream_filters(b"<< /Filter /FlateDecode >> endobj 5 0 obj << /Length 9 >>\n") == []


@pytest.mark.skipif(not ocr_available(), reason="Tesseract with Vietnamese data is not installed")
def test_tesseract_failing_on_a_page_is_one_line(tmp_path, monkeypatch):
    import pytesseract

    from directive_nlp.reading import ocr

    def fail(image, scale, *, lang="vie"):
        raise pytesseract.TesseractError(1, "Error during processing.\nsecond line")

    monkeypatch.setattr(ocr, "ocr_image", fail)
    path = tmp_path / "quet-loi.pdf"
    path.write_bytes(scan_pdf(2, px=100))
    err = _refused(path, "err.ocr_failed")
    assert err.params["page"] == 1 and "Error during processing." in str(err)


def test_a_page_pdfminer_cannot_read_is_one_line_even_when_closing_fails(tmp_path):
    """pdfplumber's ``close()`` walks the pages again: on a malformed page box it raised
    over the one-line error."""
    from directive_nlp.reading.pdf import read_pdf

    good = text_pdf(GOOD_PDF_LINES, pages=2)
    assert good.count(b"/MediaBox [0 0 595 842]") == 2
    data = good.replace(b"/MediaBox [0 0 595 842]", b"/MediaBox [0 0 595 /w874 842]", 1)
    path = tmp_path / "hop-trang-hong.pdf"
    path.write_bytes(data)
    with pytest.raises(InputError) as e:
        read_pdf(path, data, engine="pdfplumber")
    assert e.value.key == "err.pdf_page_corrupt" and e.value.params["page"] == 1
