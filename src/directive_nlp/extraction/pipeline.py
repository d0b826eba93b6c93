"""Extraction pipeline: ReadDocument -> Extraction (metadata, citations, tasks).

Stub while the extraction core is built: returns the reading with no tasks.
"""
from __future__ import annotations

from pathlib import Path

from ..model import DocumentMeta, Extraction, ReadDocument
from ..reading import read


def extract(doc: ReadDocument) -> Extraction:
    source = {"path": doc.path, "sha256": doc.sha256, "format": doc.format, "pages": doc.pages}
    return Extraction(source=source, document=DocumentMeta())


def extract_file(path: str | Path, *, ocr: bool = True) -> Extraction:
    return extract(read(path, ocr=ocr))
