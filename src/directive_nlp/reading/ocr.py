"""OCR of scanned PDF pages with Tesseract (language 'vie'), through pytesseract.

Pages are rendered with pypdfium2 at the resolution of the scanned image they carry (a scan
is usually 200-300 dpi; rendering above it only slows Tesseract down), upscaled to 300 dpi
when the image is coarser than 150 dpi. Tesseract's word boxes are grouped into lines and
returned in PDF points, so the PDF reader joins OCR lines with the same geometry rules as
text-layer lines.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..errors import InputError, OCRUnavailable

LANG = "vie"
INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-vie"
A4_SHORT_IN, A4_LONG_IN = 8.27, 11.69


@dataclass
class OcrWord:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    conf: float


@dataclass
class OcrLine:
    """One OCR line in PDF points (origin top-left, like pdfplumber)."""

    words: list[OcrWord] = field(default_factory=list)
    block: int = 0
    par: int = 0

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@lru_cache(maxsize=1)
def ocr_status() -> dict[str, Any]:
    """What OCR capability this machine has: tesseract binary, version, languages, 'vie'."""
    status: dict[str, Any] = {
        "pytesseract": False,
        "tesseract": False,
        "path": None,
        "version": None,
        "languages": [],
        "vie": False,
        "install": INSTALL_HINT,
    }
    try:
        import pytesseract  # noqa: F401

        status["pytesseract"] = True
    except ImportError:
        return status
    import pytesseract

    cmd = pytesseract.pytesseract.tesseract_cmd
    path = shutil.which(cmd) or (cmd if os.path.isfile(cmd) else None)
    if not path:
        return status
    status["tesseract"] = True
    status["path"] = path
    try:
        status["version"] = str(pytesseract.get_tesseract_version()).split("\n")[0]
        status["languages"] = sorted(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractError, OSError, subprocess.SubprocessError, ValueError):
        return status
    status["vie"] = LANG in status["languages"]
    return status


def ocr_available() -> bool:
    s = ocr_status()
    return bool(s["tesseract"] and s["vie"])


def require_ocr(path: str) -> None:
    """Raise ``OCRUnavailable`` unless Tesseract with Vietnamese data can run."""
    if not ocr_available():
        raise OCRUnavailable(path, "err.scan_no_ocr", hint=INSTALL_HINT)


def render_scale(page) -> float:
    """pypdfium2 render scale that reproduces the page's scanned image at its own resolution."""
    import pypdfium2.raw as pdfium_c

    width_pt, height_pt = page.get_size()
    best = None
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        area = (right - left) * (top - bottom)
        if area < 0.5 * width_pt * height_pt:
            continue
        px_w, _ = obj.get_px_size()
        if right - left > 0 and (best is None or area > best[0]):
            best = (area, px_w / (right - left))
    if best is None:
        return 300 / 72
    native = best[1]
    # the physical size of a scanned page is best guessed as A4 when the PDF's size is odd
    phys_w_in = min(width_pt / 72, A4_SHORT_IN if width_pt <= height_pt else A4_LONG_IN)
    dpi = native * width_pt / phys_w_in
    if dpi < 150:
        return native * 300 / dpi
    if dpi > 450:
        return native * 300 / dpi
    return native


def _preprocess(image):
    """Grayscale (already rendered so) and a gentle autocontrast; nothing slow."""
    from PIL import ImageOps

    return ImageOps.autocontrast(image.convert("L"), cutoff=1)


def render_for_ocr(page):
    """(image, scale) of one pypdfium2 page, ready for Tesseract."""
    scale = render_scale(page)
    bitmap = page.render(scale=scale, grayscale=True)
    return _preprocess(bitmap.to_pil()), scale


@contextmanager
def _one_thread_per_tesseract() -> Iterator[None]:
    """Run one single-threaded Tesseract per core: about 2x the throughput of one
    OpenMP-threaded Tesseract at a time on a 2-core machine."""
    old = os.environ.get("OMP_THREAD_LIMIT")
    os.environ["OMP_THREAD_LIMIT"] = "1"
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("OMP_THREAD_LIMIT", None)
        else:
            os.environ["OMP_THREAD_LIMIT"] = old


def ocr_image(image, scale: float, *, lang: str = LANG) -> list[OcrLine]:
    """OCR one rendered page image; lines with word boxes in PDF points."""
    import pytesseract

    data = pytesseract.image_to_data(image, lang=lang, config="--psm 3", output_type=pytesseract.Output.DICT)
    return group_words(data, scale)


def ocr_images(jobs: list[tuple[object, float]], *, lang: str = LANG) -> list[list[OcrLine]]:
    """OCR several (image, scale) pages in parallel, one Tesseract process per core."""
    if not jobs:
        return []
    workers = max(1, min(len(jobs), os.cpu_count() or 1))
    with _one_thread_per_tesseract(), ThreadPoolExecutor(workers) as ex:
        return list(ex.map(lambda job: ocr_image(job[0], job[1], lang=lang), jobs))


Progress = Callable[[int, int], None]
"""``progress(done, total)``: called after each OCR'd page (the CLI draws a progress bar)."""

MAX_OCR_PAGES = 300
"""Default of ``max_ocr_pages()``."""


def max_ocr_pages() -> int:
    """How many pages one file may need OCR for (``DIRECTIVE_NLP_OCR_MAX_PAGES``, default 300);
    read at each call, a value that is not a positive number means the default."""
    value = os.environ.get("DIRECTIVE_NLP_OCR_MAX_PAGES", "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else MAX_OCR_PAGES


@dataclass
class OcrPage:
    """One OCR'd page: its 1-based number, size in points and lines."""

    number: int
    width: float
    height: float
    lines: list[OcrLine]


def ocr_stream(
    pdfium_doc,
    numbers: list[int],
    *,
    lang: str = LANG,
    path: str = "",
    progress: Progress | None = None,
    max_pages: int | None = None,
) -> Iterator[OcrPage]:
    """OCR the given 1-based pages one by one, in order, as a stream.

    Each page is rendered, read and freed before the next but one is rendered: at most one
    rendered image per core is alive (rendering every page first held a 500-page scan in
    memory). Rendering stays in the calling thread (PDFium is not thread-safe); Tesseract
    runs in a small pool, one single-threaded process per core. More pages than
    ``max_pages`` (``DIRECTIVE_NLP_OCR_MAX_PAGES``, default 300) is refused up front with
    one line."""
    limit = max_ocr_pages() if max_pages is None else max_pages
    if len(numbers) > limit:
        raise InputError(path, "err.ocr_too_many_pages", count=len(numbers), limit=limit)
    total = len(numbers)
    if not total:
        return
    workers = max(1, min(total, os.cpu_count() or 1))
    pending: deque[tuple[int, float, float, Future[list[OcrLine]]]] = deque()
    done = 0
    import pypdfium2 as pdfium

    with _one_thread_per_tesseract(), ThreadPoolExecutor(workers) as ex:
        for n in numbers:
            try:
                page = pdfium_doc[n - 1]
                try:
                    w, h = page.get_size()
                    image, scale = render_for_ocr(page)
                finally:
                    page.close()
            except pdfium.PdfiumError as e:  # a damaged page that PDFium cannot render
                raise InputError(path, "err.pdf_page_corrupt", page=n, detail=str(e).strip()) from None
            pending.append((n, w, h, ex.submit(ocr_image, image, scale, lang=lang)))
            del image
            while len(pending) >= workers:
                yield _collect(pending.popleft(), path)
                done += 1
                if progress is not None:
                    progress(done, total)
        while pending:
            yield _collect(pending.popleft(), path)
            done += 1
            if progress is not None:
                progress(done, total)


def _collect(job: tuple[int, float, float, Future[list[OcrLine]]], path: str) -> OcrPage:
    import pytesseract

    n, w, h, fut = job
    try:
        lines = fut.result()
    except (pytesseract.TesseractError, OSError, subprocess.SubprocessError) as e:
        detail = str(getattr(e, "message", "") or e).strip().splitlines()
        raise InputError(path, "err.ocr_failed", page=n, detail=(detail or ["Tesseract"])[0][:200]) from None
    return OcrPage(number=n, width=w, height=h, lines=lines)


def ocr_page(page, *, lang: str = LANG) -> list[OcrLine]:
    """OCR one pypdfium2 page; lines with word boxes in PDF points."""
    image, scale = render_for_ocr(page)
    return ocr_image(image, scale, lang=lang)


def group_words(data: dict[str, list], scale: float) -> list[OcrLine]:
    """Group Tesseract ``image_to_data`` rows into lines (block, paragraph, line)."""
    lines: dict[tuple[int, int, int], OcrLine] = {}
    for i, text in enumerate(data["text"]):
        t = (text or "").strip()
        if not t:
            continue
        conf = float(data["conf"][i])
        if conf < 40 and not any(ch.isalnum() for ch in t):
            continue  # specks, rules and stamp edges read as punctuation
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        x0 = data["left"][i] / scale
        top = data["top"][i] / scale
        word = OcrWord(
            text=t,
            x0=x0,
            x1=x0 + data["width"][i] / scale,
            top=top,
            bottom=top + data["height"][i] / scale,
            conf=conf,
        )
        line = lines.setdefault(key, OcrLine(block=key[0], par=key[1]))
        line.words.append(word)
    return sorted(lines.values(), key=lambda ln: (min(w.top for w in ln.words), ln.words[0].x0))


__all__ = [
    "ocr_status",
    "ocr_available",
    "require_ocr",
    "ocr_page",
    "ocr_image",
    "ocr_images",
    "ocr_stream",
    "OcrPage",
    "Progress",
    "MAX_OCR_PAGES",
    "max_ocr_pages",
    "render_for_ocr",
    "render_scale",
    "group_words",
    "OcrLine",
    "OcrWord",
    "INSTALL_HINT",
]
