"""Reading stage: a file on disk -> ``ReadDocument`` (blocks in reading order, with provenance).

``read(path)`` picks the reader by extension from ``READERS`` (the one registry of readers,
also used by folder ingest through ``supported_suffixes()``) and raises ``InputError`` (one
line naming the file and the problem) for anything it cannot read. A reader's module is
imported only when a file of its kind is read, so reading a .txt never loads the PDF or Word
libraries.
"""

from __future__ import annotations

import hashlib
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

    def __call__(self, path: Path, data: bytes, *, ocr: bool = True) -> ReadDocument:
        kwargs = dict(self.options)
        if self.takes_ocr:
            kwargs["ocr"] = ocr
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


def read(path: str | Path, *, ocr: bool = True) -> ReadDocument:
    """Read one file. Raises ``InputError`` for unreadable input."""
    p = Path(path)
    if not p.exists():
        raise InputError(str(p), "err.no_such_file")
    if p.is_dir():
        raise InputError(str(p), "err.is_folder")
    reader = reader_for(p)
    if reader is None:
        raise InputError(str(p), "err.unsupported_type", suffix=p.suffix or "(none)")
    data = p.read_bytes()
    if not data.strip():
        raise InputError(str(p), "err.empty_file")
    doc = reader(p, data, ocr=ocr)
    doc.reindex()
    if not any(b.text.strip() for b in doc.blocks):
        raise InputError(str(p), "err.no_text")
    return doc


__all__ = ["read", "READERS", "Reader", "SUPPORTED", "reader_for", "sha256_of", "supported_suffixes"]
