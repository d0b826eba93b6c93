"""Hostile corpus generator: malformed and malicious inputs, one family per function.

    python tests/hostile/generate.py OUTDIR [--big] [--family NAME ...]

Every file is built from scratch here (no downloaded sample, no copy of a real document), with
a fixed seed, so a run is reproducible. ``--big`` writes the bomb-sized members of each family
(zip bombs of 1 GB, 5,000-page PDFs, 500-page scans, deep nesting); without it the sizes are
small enough for the default test run. Each generated file comes with an expectation:

* ``refuse``: the reader must refuse it with one line naming the file;
* ``read``: a valid (if odd) document that must be read;
* ``either``: read it or refuse it, but never a traceback, a hang or a flood of memory.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SEED = 14


@dataclass
class Item:
    """One hostile input: a file name, its bytes (or a special kind) and what must happen."""

    name: str | bytes  # bytes: a name that is not valid UTF-8
    data: bytes = b""
    expect: str = "either"  # refuse | read | either
    kind: str = "file"  # file | fifo | symlink
    target: str = ""  # symlink target


# ---------------------------------------------------------------------------------------
# Builders
# ---------------------------------------------------------------------------------------

GOOD_TEXT = (
    "KẾ HOẠCH\nTriển khai chuyển đổi số năm 2025\n\n"
    "1. Sở Thông tin và Truyền thông chủ trì, phối hợp với Sở Tài chính xây dựng cơ sở dữ liệu "
    "dùng chung, hoàn thành trước ngày 30/9/2025.\n"
    "2. Văn phòng Ủy ban nhân dân tỉnh theo dõi, tổng hợp kết quả, báo cáo hằng quý.\n"
)


def pdf_objects(objs: list[bytes], root: int = 1, trailer_extra: bytes = b"") -> bytes:
    """A PDF file from numbered object bodies (object k+1 = objs[k]), with a correct xref."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for k, body in enumerate(objs, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % k + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(
        b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objs) + 1, root, trailer_extra, xref)
    )
    return out.getvalue()


def _stream(content: bytes, *, flate: bool = False, extra: bytes = b"") -> bytes:
    if flate:
        content = zlib.compress(content)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(content), extra) + content + b"\nendstream"


def text_pdf(lines: list[str], pages: int = 1) -> bytes:
    """A text-layer PDF (Helvetica, ASCII text) of ``pages`` pages sharing one content stream."""
    ops = [b"BT /F1 11 Tf 72 760 Td 14 TL"]
    for ln in lines:
        safe = (
            ln.encode("ascii", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        )
        ops.append(b"(" + safe + b") '")
    ops.append(b"ET")
    content = b"\n".join(ops)
    # 1 catalog, 2 pages, 3 font, 4 content, 5.. pages
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        _stream(content),
    ]
    objs += [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
        b"/Contents 4 0 R >>"
    ] * pages
    return pdf_objects(objs)


GOOD_PDF_LINES = [
    "KE HOACH trien khai nam 2025",
    "1. So Tai chinh chu tri xay dung de an, hoan thanh truoc ngay 30/6/2025.",
    "2. So Noi vu phoi hop thuc hien, bao cao hang quy.",
]


def scan_pdf(pages: int, px: int = 400) -> bytes:
    """An image-only PDF (no text layer): every page draws one grey image with dark bars."""
    rnd = random.Random(SEED)
    row = bytearray(b"\xf0" * px)
    img = bytearray()
    for y in range(px):
        if y % 40 < 6:
            line = bytearray(row)
            for x in range(20, px - 20):
                line[x] = 0x20 if rnd.random() < 0.7 else 0xF0
            img += line
        else:
            img += row
    image = _stream(
        bytes(img),
        flate=True,
        extra=b" /Type /XObject /Subtype /Image /Width %d /Height %d" % (px, px)
        + b" /ColorSpace /DeviceGray /BitsPerComponent 8",
    )
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        image,
        _stream(b"q 595 0 0 842 0 0 cm /Im1 Do Q"),
    ]
    objs += [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 3 0 R >> >> "
        b"/Contents 4 0 R >>"
    ] * pages
    return pdf_objects(objs)


def bomb_stream(size: int, unit: bytes = b" ") -> bytes:
    """A FlateDecode stream body that inflates to ``size`` bytes of ``unit`` (compressed in chunks)."""
    co = zlib.compressobj(9)
    chunk = unit * ((1 << 20) // len(unit))
    parts = []
    left = size
    while left > 0:
        n = min(left, len(chunk))
        parts.append(co.compress(chunk[:n]))
        left -= n
    parts.append(co.flush())
    return b"".join(parts)


def content_bomb_pdf(size: int, unit: bytes = b" ", layers: int = 1) -> bytes:
    """One page whose content stream inflates to ``size`` bytes; ``layers`` > 1 compresses it
    again (``/Filter [/FlateDecode /FlateDecode]``), so the outer layer alone looks harmless."""
    data = bomb_stream(size, unit)
    for _ in range(layers - 1):
        data = zlib.compress(data, 9)
    filters = b"[" + b" ".join([b"/FlateDecode"] * layers) + b"]" if layers > 1 else b"/FlateDecode"
    stream = b"<< /Length %d /Filter %s >>\nstream\n" % (len(data), filters) + data + b"\nendstream"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        stream,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>",
    ]
    return pdf_objects(objs)


def docx_package(
    body: str,
    *,
    numbering: str | None = None,
    document_xml: str | None = None,
    extra: dict[str, bytes] | None = None,
) -> bytes:
    """A minimal DOCX package with ``body`` (w:body content) and optional numbering part."""
    ct = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        + (
            '<Override PartName="/word/numbering.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>'
            if numbering is not None
            else ""
        )
        + "</Types>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/></Relationships>'
    )
    doc_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + (
            '<Relationship Id="rId9" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" '
            'Target="numbering.xml"/>'
            if numbering is not None
            else ""
        )
        + "</Relationships>"
    )
    if document_xml is None:
        document_xml = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}">'
            f"<w:body>{body}</w:body></w:document>"
        )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", ct)
        zf.writestr("_rels/.rels", rels)
        zf.writestr("word/_rels/document.xml.rels", doc_rels)
        zf.writestr("word/document.xml", document_xml)
        if numbering is not None:
            zf.writestr(
                "word/numbering.xml",
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering xmlns:w="{W_NS}">'
                f"{numbering}</w:numbering>",
            )
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return buf.getvalue()


def para(text: str, num: tuple[str, str] | None = None) -> str:
    ppr = (
        f'<w:pPr><w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr></w:pPr>'
        if num
        else ""
    )
    return f'<w:p>{ppr}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


GOOD_DOCX_BODY = "".join(para(x) for x in GOOD_TEXT.splitlines() if x.strip())


def nested_table(depth: int, text: str = "Sở Tài chính chủ trì") -> str:
    inner = para(text)
    for i in range(depth):
        inner = (
            f"<w:tbl><w:tr><w:tc>{para(f'mức {i}')}{inner}</w:tc><w:tc>{para('ô bên')}</w:tc></w:tr></w:tbl>"
        )
    return inner + para("Kết thúc bảng.")


def numbering_xml(start: str = "1", ilvl: str = "0", fmt: str = "decimal", text: str = "%1.") -> str:
    return (
        f'<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/>'
        f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    )


def zip_bomb_docx(size: int) -> bytes:
    """document.xml that inflates to ``size`` bytes (spaces inside w:body): a DOCX zip bomb.
    The member is written with a deflate stream built in chunks (never held inflated)."""
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>'.encode()
    tail = b"</w:body></w:document>"
    plain = docx_package(GOOD_DOCX_BODY)
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain)) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                zf.writestr(info, src.read(info))
        with zf.open("word/document.xml", "w", force_zip64=size > (1 << 31)) as fh:
            fh.write(head)
            chunk = b" " * (1 << 20)
            left = size
            while left > 0:
                n = min(left, len(chunk))
                fh.write(chunk[:n])
                left -= n
            fh.write(tail)
    return buf.getvalue()


def _flip(data: bytes, rnd: random.Random, n: int) -> bytes:
    b = bytearray(data)
    for _ in range(n):
        i = rnd.randrange(len(b))
        b[i] ^= 1 << rnd.randrange(8)
    return bytes(b)


# ---------------------------------------------------------------------------------------
# Families
# ---------------------------------------------------------------------------------------


def fam_pdf_truncated(big: bool) -> Iterator[Item]:
    good = text_pdf(GOOD_PDF_LINES)
    yield Item("pdf_good.pdf", good, "read")
    for frac in (0.1, 0.5, 0.9, 0.99):
        yield Item(f"pdf_truncated_{int(frac * 100)}.pdf", good[: int(len(good) * frac)], "either")
    yield Item("pdf_header_only.pdf", b"%PDF-1.7\n", "refuse")


def fam_pdf_bitflip(big: bool) -> Iterator[Item]:
    rnd = random.Random(SEED)
    good = text_pdf(GOOD_PDF_LINES, pages=3)
    for i in range(40 if big else 6):
        yield Item(f"pdf_bitflip_{i:02d}.pdf", _flip(good, rnd, 1 + i % 8), "either")


def fam_pdf_encrypted(big: bool) -> Iterator[Item]:
    from pypdf import PdfReader, PdfWriter

    for owner_only in (False, True):
        w = PdfWriter()
        for p in PdfReader(io.BytesIO(text_pdf(GOOD_PDF_LINES))).pages:
            w.add_page(p)
        # a user password locks the text; an owner password only (empty user password) opens
        w.encrypt(user_password="" if owner_only else "mật-khẩu", owner_password="chủ", algorithm="AES-128")
        buf = io.BytesIO()
        w.write(buf)
        yield Item(
            f"pdf_encrypted_{'owner' if owner_only else 'user'}.pdf",
            buf.getvalue(),
            "either" if owner_only else "refuse",
        )


def fam_pdf_cycle(big: bool) -> Iterator[Item]:
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"
    # Kids points back at the Pages node itself
    yield Item(
        "pdf_cycle_self.pdf",
        pdf_objects(
            [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>", page]
        ),
        "refuse",
    )
    # two Pages nodes that contain each other
    yield Item(
        "pdf_cycle_pair.pdf",
        pdf_objects(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>",
            ]
        ),
        "refuse",
    )
    # a huge /Count with one page
    yield Item(
        "pdf_count_lie.pdf",
        pdf_objects(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 2147483647 >>",
                page,
            ]
        ),
        "either",
    )


def fam_pdf_content_bomb(big: bool) -> Iterator[Item]:
    yield Item("pdf_bomb_spaces.pdf", content_bomb_pdf((2 << 30) if big else (8 << 20)), "either")
    # many tiny text operators: a huge number of glyphs on one page
    yield Item(
        "pdf_bomb_ops.pdf", content_bomb_pdf((256 << 20) if big else (2 << 20), b"BT (x) Tj ET\n"), "either"
    )
    # compressed twice: only the inner layer is the bomb
    yield Item("pdf_bomb_double.pdf", content_bomb_pdf((2 << 30) if big else (8 << 20), layers=2), "either")


def fam_pdf_many_pages(big: bool) -> Iterator[Item]:
    n = 5000 if big else 300
    yield Item(f"pdf_pages_{n}.pdf", text_pdf(GOOD_PDF_LINES, pages=n), "either")


def fam_pdf_scan(big: bool) -> Iterator[Item]:
    n = 500 if big else 2
    yield Item(f"pdf_scan_{n}.pdf", scan_pdf(n), "either")


def fam_docx_not_zip(big: bool) -> Iterator[Item]:
    yield Item("docx_text.docx", GOOD_TEXT.encode(), "refuse")
    yield Item("docx_pdf.docx", text_pdf(GOOD_PDF_LINES), "refuse")
    yield Item("docx_ole.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "refuse")
    yield Item("docx_zip_no_document.docx", _zip({"hello.txt": b"hi"}), "refuse")
    good = docx_package(GOOD_DOCX_BODY)
    yield Item("docx_good.docx", good, "read")
    yield Item("docx_truncated.docx", good[: len(good) // 2], "refuse")
    rnd = random.Random(SEED)
    for i in range(20 if big else 4):
        yield Item(f"docx_bitflip_{i:02d}.docx", _flip(good, rnd, 1 + i % 5), "either")


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for k, v in members.items():
            zf.writestr(k, v)
    return buf.getvalue()


def fam_docx_zip_bomb(big: bool) -> Iterator[Item]:
    yield Item("docx_zipbomb.docx", zip_bomb_docx((3 << 30) if big else (4 << 20)), "refuse")
    # a member that lies about its size in the directory (declares 100 bytes, inflates to MBs)
    good = zip_bomb_docx(2 << 20)
    yield Item("docx_zipbomb_lying.docx", _lie_about_size(good, "word/document.xml", 100), "refuse")


def _lie_about_size(data: bytes, member: str, size: int) -> bytes:
    """Rewrite the uncompressed size of ``member`` in the local header and the central directory."""
    import struct

    b = bytearray(data)
    name = member.encode()
    for sig, size_off, name_len_off, name_off in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        i = b.find(sig)
        while i >= 0:
            n = struct.unpack_from("<H", b, i + name_len_off)[0]
            if bytes(b[i + name_off : i + name_off + n]) == name:
                struct.pack_into("<I", b, i + size_off, size)
            i = b.find(sig, i + 4)
    return bytes(b)


def fam_docx_entity_bomb(big: bool) -> Iterator[Item]:
    levels = 10 if big else 6
    ents = '<!ENTITY l0 "ha">' + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, levels))
    doc = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [{ents}]><w:document xmlns:w="{W_NS}"><w:body>'
        f"<w:p><w:r><w:t>&l{levels - 1};</w:t></w:r></w:p></w:body></w:document>"
    )
    yield Item("docx_entity_bomb.docx", docx_package("", document_xml=doc), "refuse")


def fam_docx_external_entity(big: bool) -> Iterator[Item]:
    for target in ("file:///etc/passwd", "http://127.0.0.1:9/x"):
        doc = (
            f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{target}">]>'
            f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>Nội dung &xxe; hết</w:t></w:r></w:p>'
            "</w:body></w:document>"
        )
        yield Item(f"docx_xxe_{target.split(':')[0]}.docx", docx_package("", document_xml=doc), "refuse")


def fam_docx_nested_tables(big: bool) -> Iterator[Item]:
    yield Item("docx_nested_5.docx", docx_package(nested_table(5)), "read")
    yield Item("docx_nested_15.docx", docx_package(nested_table(15)), "read")
    yield Item("docx_nested_40.docx", docx_package(nested_table(40)), "refuse")
    if big:
        yield Item("docx_nested_80.docx", docx_package(nested_table(80)), "refuse")
    # a long vertical merge and a huge grid span
    restart, cont = '<w:vMerge w:val="restart"/>', "<w:vMerge/>"
    rows = "".join(
        f"<w:tr><w:tc><w:tcPr>{restart if r == 0 else cont}</w:tcPr>{para('gộp')}"
        f'</w:tc><w:tc><w:tcPr><w:gridSpan w:val="1000000000"/></w:tcPr>{para(f"dòng {r}")}</w:tc></w:tr>'
        for r in range(3000 if big else 1500)
    )
    yield Item("docx_vmerge_long.docx", docx_package(f"<w:tbl>{rows}</w:tbl>"), "read")
    # a continued merge in the first row (no cell above)
    yield Item(
        "docx_vmerge_first_row.docx",
        docx_package(f"<w:tbl><w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr>{para('ô đầu')}</w:tc></w:tr></w:tbl>"),
        "read",
    )


def fam_docx_numbering(big: bool) -> Iterator[Item]:
    body = "".join(para(f"Nhiệm vụ số {i}", ("1", "0")) for i in range(3))
    for tag, nb in (
        ("start_1e9", numbering_xml(start="1000000000", fmt="lowerLetter")),
        ("start_1e9_roman", numbering_xml(start="1000000000", fmt="upperRoman")),
        ("start_huge_digits", numbering_xml(start="9" * 5000)),
        ("start_negative", numbering_xml(start="-7", fmt="lowerRoman")),
        ("ilvl_text", numbering_xml(ilvl="x")),
        ("ilvl_99", numbering_xml(ilvl="99")),
        ("lvltext_placeholders", numbering_xml(text="%9.%8.%1" * 200)),
        ("no_abstract", '<w:num w:numId="1"><w:abstractNumId w:val="7"/></w:num>'),
    ):
        yield Item(f"docx_numbering_{tag}.docx", docx_package(body, numbering=nb), "read")
    body99 = "".join(para(f"Mục {i}", ("1", "99")) for i in range(2)) + para("Đoạn thường.")
    yield Item("docx_numbering_para_ilvl_99.docx", docx_package(body99, numbering=numbering_xml()), "read")


def fam_docx_structure(big: bool) -> Iterator[Item]:
    yield Item(
        "docx_no_body.docx",
        docx_package("", document_xml=f'<?xml version="1.0"?><w:document xmlns:w="{W_NS}"/>'),
        "refuse",
    )
    yield Item(
        "docx_wrong_ns.docx",
        docx_package(
            "",
            document_xml='<?xml version="1.0"?><w:document xmlns:w="urn:not-word"><w:body><w:p><w:r>'
            "<w:t>chữ</w:t></w:r></w:p></w:body></w:document>",
        ),
        "refuse",
    )
    yield Item("docx_not_xml.docx", docx_package("", document_xml="<w:document><<<"), "refuse")


def fam_encodings(big: bool) -> Iterator[Item]:
    yield Item("enc_utf16_bom.txt", GOOD_TEXT.encode("utf-16"), "read")
    yield Item("enc_utf16_odd.txt", GOOD_TEXT.encode("utf-16")[:-1], "either")
    yield Item("enc_utf16_nobom.txt", GOOD_TEXT.encode("utf-16-le"), "refuse")
    yield Item("enc_utf32.txt", GOOD_TEXT.encode("utf-32"), "either")
    yield Item("enc_cp1258.txt", GOOD_TEXT.encode("cp1258", "replace"), "either")
    yield Item("enc_latin1.md", "Ghi chú: café, naïve, résumé — xong.".encode("latin-1", "replace"), "either")
    yield Item("enc_mixed.txt", GOOD_TEXT.encode() + "Phần cuối".encode("utf-16-le"), "either")
    yield Item("enc_bom_only.txt", b"\xef\xbb\xbf", "refuse")
    yield Item("enc_punct_only.txt", b"... --- ;;; ,,, !!!\n" * 50, "refuse")
    # no letter or digit in a Word or PDF file either: refused as empty, like the text file
    yield Item("docx_punct_only.docx", docx_package(para("... --- ;;; ,,, !!!") * 20), "refuse")
    yield Item("pdf_punct_only.pdf", text_pdf(["... --- ;;; ,,, !!!"] * 20), "refuse")
    yield Item("enc_control_chars.txt", bytes(range(1, 32)) * 100, "refuse")


def fam_binary(big: bool) -> Iterator[Item]:
    rnd = random.Random(SEED)
    for ext in (".txt", ".md", ".pdf", ".docx"):
        yield Item(f"junk{ext}", rnd.randbytes(4096 if not big else 1 << 20), "refuse")
    yield Item("junk_zeros.txt", b"\x00" * 10000, "refuse")
    yield Item("junk_pdf_magic.pdf", b"%PDF-1.4\n" + rnd.randbytes(5000), "refuse")
    yield Item("junk_zip_magic.docx", b"PK\x03\x04" + rnd.randbytes(5000), "refuse")


def fam_quadratic_text(big: bool) -> Iterator[Item]:
    n = 64000 if big else 16000
    yield Item("quad_unit_dashes.txt", ("Sở " + "- " * (n // 2) + "x: thực hiện.\n").encode(), "either")
    k = 25000 if big else 4000
    yield Item(
        "quad_many_dates.txt",
        "".join(
            f"{i}. Hoàn thành trước ngày {i % 28 + 1}/{i % 12 + 1}/2025.\n" for i in range(1, k + 1)
        ).encode(),
        "read",
    )
    yield Item("quad_symbol_digits.txt", ("Bộ Tài chính /" + "1" * (n // 8) + "\n").encode(), "either")
    yield Item("quad_punct_run.md", ("Ủy ban nhân dân " + ".,;:-/" * (n // 6) + "\n").encode(), "either")


def fam_names(big: bool) -> Iterator[Item]:
    data = GOOD_TEXT.encode()
    yield Item(b"ten-\xff\xfe-khong-utf8.txt", data, "read")
    yield Item("ten\ncó dòng mới.txt", data, "read")
    yield Item("ten " * 60 + ".txt", data, "read")  # 244 bytes: near the 255-byte limit
    yield Item("-bat-dau-bang-gach.txt", data, "read")
    yield Item("Kế hoạch (bản cuối) [2025] 'x' \"y\" $HOME;.txt", data, "read")


def fam_special(big: bool) -> Iterator[Item]:
    yield Item("fifo.txt", kind="fifo", expect="refuse")
    yield Item("link_dev_zero.txt", kind="symlink", target="/dev/zero", expect="refuse")
    yield Item("link_outside.txt", kind="symlink", target="/etc/hostname", expect="either")
    yield Item("link_dangling.txt", kind="symlink", target="/nonexistent/nowhere.txt", expect="refuse")
    yield Item("link_loop.txt", kind="symlink", target="link_loop.txt", expect="refuse")
    yield Item("link_dev_null.txt", kind="symlink", target="/dev/null", expect="refuse")


FAMILIES: dict[str, Callable[[bool], Iterator[Item]]] = {
    "pdf_truncated": fam_pdf_truncated,
    "pdf_bitflip": fam_pdf_bitflip,
    "pdf_encrypted": fam_pdf_encrypted,
    "pdf_cycle": fam_pdf_cycle,
    "pdf_content_bomb": fam_pdf_content_bomb,
    "pdf_many_pages": fam_pdf_many_pages,
    "pdf_scan": fam_pdf_scan,
    "docx_not_zip": fam_docx_not_zip,
    "docx_zip_bomb": fam_docx_zip_bomb,
    "docx_entity_bomb": fam_docx_entity_bomb,
    "docx_external_entity": fam_docx_external_entity,
    "docx_nested_tables": fam_docx_nested_tables,
    "docx_numbering": fam_docx_numbering,
    "docx_structure": fam_docx_structure,
    "encodings": fam_encodings,
    "binary": fam_binary,
    "quadratic_text": fam_quadratic_text,
    "names": fam_names,
    "special": fam_special,
}


def write_item(folder: Path, item: Item) -> Path:
    """Create ``item`` in ``folder``; return its path (a bytes name through os.fsdecode)."""
    name = os.fsdecode(item.name) if isinstance(item.name, bytes) else item.name
    path = folder / name
    if item.kind == "fifo":
        os.mkfifo(path)
    elif item.kind == "symlink":
        os.symlink(item.target, path)
    else:
        path.write_bytes(item.data)
    return path


def generate(
    folder: Path, *, big: bool = False, families: list[str] | None = None
) -> list[tuple[str, Item, Path]]:
    """Write the families into ``folder/<family>/``; return (family, item, path) for each file."""
    out = []
    for fam in families or list(FAMILIES):
        d = folder / fam
        d.mkdir(parents=True, exist_ok=True)
        for item in FAMILIES[fam](big):
            out.append((fam, item, write_item(d, item)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--big", action="store_true", help="bomb-sized members")
    ap.add_argument("--family", action="append", choices=sorted(FAMILIES))
    args = ap.parse_args()
    for fam, item, path in generate(args.outdir, big=args.big, families=args.family):
        size = path.lstat().st_size
        print(f"{fam}\t{item.expect}\t{size}\t{os.fsencode(path.name)!r}")


if __name__ == "__main__":
    main()
