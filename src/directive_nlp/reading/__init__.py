"""Reading stage: a file on disk -> ``ReadDocument`` (blocks in reading order, with provenance).

``read(path)`` picks the reader by extension after sniffing the bytes, and raises
``InputError`` (one line naming the file and the problem) for anything it cannot read.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import InputError
from ..model import ReadDocument

SUPPORTED = {".txt": "txt", ".md": "md", ".markdown": "md", ".pdf": "pdf", ".docx": "docx"}


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read(path: str | Path, *, ocr: bool = True) -> ReadDocument:
    """Read one file. Raises ``InputError`` for unreadable input."""
    p = Path(path)
    if not p.exists():
        raise InputError(str(p), "err.no_such_file")
    if p.is_dir():
        raise InputError(str(p), "err.is_folder")
    fmt = SUPPORTED.get(p.suffix.lower())
    if fmt is None:
        raise InputError(str(p), "err.unsupported_type", suffix=p.suffix or "(none)")
    data = p.read_bytes()
    if not data.strip():
        raise InputError(str(p), "err.empty_file")
    if fmt in ("txt", "md"):
        from .text import read_text

        doc = read_text(p, data, fmt)
    elif fmt == "docx":
        from .docx import read_docx

        doc = read_docx(p, data)
    else:
        from .pdf import read_pdf

        doc = read_pdf(p, data, ocr=ocr)
    doc.reindex()
    if not any(b.text.strip() for b in doc.blocks):
        raise InputError(str(p), "err.no_text")
    return doc


__all__ = ["read", "SUPPORTED", "sha256_of"]
