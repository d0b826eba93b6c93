"""Reading stage: a file on disk -> ``ReadDocument`` (blocks in reading order, with provenance).

``read(path)`` picks the reader by extension from ``READERS`` (the one registry of readers,
also used by folder ingest through ``supported_suffixes()``) and raises ``InputError`` (one
line naming the file and the problem) for anything it cannot read. A reader's module is
imported only when a file of its kind is read, so reading a .txt never loads the PDF or Word
libraries.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import ReadDocument


@dataclass(frozen=True)
class Reader:
    """One kind of input: the suffixes it claims and the function that reads it.

    The function is ``module.function(path, data, **options)``; ``ocr`` is passed to readers
    that take it (``takes_ocr``).
    """

    format: str
    suffixes: tuple[str, ...]
    module: str  # relative to this package
    function: str
    options: dict[str, Any] = field(default_factory=dict)
    takes_ocr: bool = False

    def load(self) -> Callable[..., ReadDocument]:
        fn: Callable[..., ReadDocument] = getattr(import_module(f"{__name__}.{self.module}"), self.function)
        return fn

    def __call__(
        self, path: Path, data: bytes, *, ocr: bool = True, progress: Callable[[int, int], None] | None = None
    ) -> ReadDocument:
        kwargs = dict(self.options)
        if self.takes_ocr:
            kwargs["ocr"] = ocr
            kwargs["progress"] = progress
        return self.load()(path, data, **kwargs)


_KINDS = (
    Reader("txt", (".txt",), "text", "read_text", {"fmt": "txt"}),
    Reader("md", (".md", ".markdown"), "text", "read_text", {"fmt": "md"}),
    Reader("pdf", (".pdf",), "pdf", "read_pdf", takes_ocr=True),
    Reader("docx", (".docx",), "docx", "read_docx"),
    Reader("doc", (".doc",), "legacy_doc", "read_doc"),
)

READERS: dict[str, Reader] = {suffix: r for r in _KINDS for suffix in r.suffixes}
"""Suffix (lower case, with the dot) -> reader."""

SUPPORTED = {suffix: r.format for suffix, r in READERS.items()}
"""Suffix -> format name (kept for callers of the former table)."""


def supported_suffixes() -> tuple[str, ...]:
    """Every suffix ``read`` accepts, sorted (for folder walks)."""
    return tuple(sorted(READERS))


def reader_for(path: str | Path) -> Reader | None:
    return READERS.get(Path(path).suffix.lower())


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


MAX_FILE_MB_ENV = "DIRECTIVE_NLP_MAX_FILE_MB"
DEFAULT_MAX_FILE_MB = 512


def max_file_bytes() -> int:
    """The largest file ``read`` takes (``DIRECTIVE_NLP_MAX_FILE_MB``, default 512 MB)."""
    value = os.environ.get(MAX_FILE_MB_ENV, "").strip()
    mb = int(value) if value.isdigit() and int(value) > 0 else DEFAULT_MAX_FILE_MB
    return mb * 1024 * 1024


def file_kind(mode: int) -> str:
    """What a non-regular file is, for the refusal message."""
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special"


def _not_regular(p: Path, mode: int) -> InputError | None:
    if stat.S_ISDIR(mode):
        return InputError(str(p), "err.is_folder")
    if not stat.S_ISREG(mode):
        return InputError(str(p), "err.not_regular", kind=file_kind(mode))
    return None


def read_regular(p: Path, limit: int | None = None) -> bytes:
    """The bytes of ``p`` if it is a regular file (after following links) of at most ``limit``
    bytes; ``InputError`` otherwise.

    FIFOs, devices and sockets are refused before reading: a FIFO would block the caller and
    ``/dev/zero`` would be read until memory runs out. The file is opened with ``O_NONBLOCK``
    (opening a FIFO cannot block) and checked again on the open descriptor, and no more than
    ``limit + 1`` bytes are ever read (a file growing while read is bounded too).
    """
    bound = max_file_bytes() if limit is None else limit
    try:
        st = os.stat(p)
    except FileNotFoundError:
        raise InputError(str(p), "err.no_such_file") from None
    except OSError as e:
        raise InputError(str(p), "err.cannot_open", detail=e.strerror or str(e)) from None
    refusal = _not_regular(p, st.st_mode)
    if refusal is not None:
        raise refusal
    try:
        fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        raise InputError(str(p), "err.cannot_open", detail=e.strerror or str(e)) from None
    try:
        st = os.fstat(fd)
        refusal = _not_regular(p, st.st_mode)  # swapped between stat and open
        if refusal is not None:
            raise refusal
        if st.st_size > bound:
            raise InputError(str(p), "err.file_too_large", size_mb=_mb(st.st_size), limit_mb=_mb(bound))
        chunks: list[bytes] = []
        got = 0
        while got <= bound:
            chunk = os.read(fd, min(1 << 20, bound + 1 - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
        if got > bound:
            raise InputError(str(p), "err.file_too_large", size_mb=_mb(got), limit_mb=_mb(bound))
        return b"".join(chunks)
    except OSError as e:
        raise InputError(str(p), "err.cannot_open", detail=e.strerror or str(e)) from None
    finally:
        os.close(fd)


def _mb(n: int) -> int:
    return -(-n // (1024 * 1024))


def has_text(doc: ReadDocument) -> bool:
    """Does any block hold a letter or a digit? (Punctuation, symbols and spaces are no text.)"""
    return any(ch.isalnum() for b in doc.blocks for ch in b.text)


def read(
    path: str | Path, *, ocr: bool = True, progress: Callable[[int, int], None] | None = None
) -> ReadDocument:
    """Read one file. Raises ``InputError`` for unreadable input.

    ``progress(done, total)`` is called after each page read by OCR (scans only).

    Only regular files (or links to them) are read; the size bound is ``max_file_bytes()``.
    A document without a single letter or digit is refused as empty, whatever its format.
    """
    p = Path(path)
    if not os.path.lexists(p):
        raise InputError(str(p), "err.no_such_file")
    if p.is_dir():
        raise InputError(str(p), "err.is_folder")
    reader = reader_for(p)
    if reader is None:
        raise InputError(str(p), "err.unsupported_type", suffix=p.suffix or "(none)")
    data = read_regular(p)
    if not data.strip():
        raise InputError(str(p), "err.empty_file")
    doc = reader(p, data, ocr=ocr, progress=progress)
    doc.reindex()
    if not has_text(doc):
        raise InputError(str(p), "err.no_text")
    return doc


__all__ = [
    "read",
    "read_regular",
    "READERS",
    "Reader",
    "SUPPORTED",
    "file_kind",
    "has_text",
    "max_file_bytes",
    "reader_for",
    "sha256_of",
    "supported_suffixes",
]
