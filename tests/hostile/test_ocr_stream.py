"""OCR page by page: pages come back in order as they are read, progress is reported after
each, and a scan with more pages than the limit is refused before anything is rendered."""

from __future__ import annotations

import pytest

from directive_nlp.errors import InputError
from directive_nlp.reading.ocr import ocr_available, ocr_stream

from .generate import scan_pdf


def _doc(pages: int):
    import pypdfium2

    return pypdfium2.PdfDocument(scan_pdf(pages, px=200))


def test_too_many_pages_refused_before_rendering():
    doc = _doc(4)
    rendered = []
    with pytest.raises(InputError) as e:
        next(
            ocr_stream(
                doc, [1, 2, 3, 4], path="quet.pdf", max_pages=3, progress=lambda d, t: rendered.append(d)
            )
        )
    assert e.value.key == "err.ocr_too_many_pages"
    assert str(e.value).startswith("quet.pdf: ") and "4" in str(e.value)
    assert rendered == []


@pytest.mark.skipif(not ocr_available(), reason="Tesseract with Vietnamese data is not installed")
def test_pages_stream_in_order_with_progress():
    doc = _doc(3)
    seen: list[tuple[int, int]] = []
    stream = ocr_stream(doc, [3, 1, 2], progress=lambda done, total: seen.append((done, total)))
    first = next(stream)  # the first page arrives before the last one is rendered
    assert first.number == 3
    assert len(seen) <= 1
    rest = list(stream)
    assert [p.number for p in rest] == [1, 2]
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert all(p.width == pytest.approx(595) and p.height == pytest.approx(842) for p in [first, *rest])
