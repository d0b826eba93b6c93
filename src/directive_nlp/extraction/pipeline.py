"""Extraction pipeline: ReadDocument -> Extraction (metadata, citations, tasks).

read -> metadata & citations (extraction.metadata / extraction.citations) -> tasks
(extraction.tasks over the outline, extraction.tables over task tables) -> each task's cites.
"""

from __future__ import annotations

from pathlib import Path

from ..model import DocumentMeta, Extraction, ReadDocument
from ..reading import read
from .tasks import extract_tasks


def _citations_and_meta(doc: ReadDocument):
    try:
        from .citations import analyse_citations
        from .metadata import extract_metadata
    except ImportError:
        return None, DocumentMeta()
    cit = analyse_citations(doc)  # reads the document's own symbol from its header
    return cit, extract_metadata(doc, cit)


def extract(doc: ReadDocument) -> Extraction:
    source = {"path": doc.path, "sha256": doc.sha256, "format": doc.format, "pages": doc.pages}
    cit, meta = _citations_and_meta(doc)
    tasks = extract_tasks(doc, issuer=meta.issuer, symbol=meta.symbol)
    if cit is not None:
        for t in tasks:
            t.cites = cit.cites_in(" ".join(x for x in (t.text, t.cite_context, t.basis) if x))
    warnings = list(doc.warnings)
    if not tasks:
        warnings.append("no tasks found")
    return Extraction(
        source=source,
        document=meta,
        citations=list(cit.citations) if cit else [],
        tasks=tasks,
        warnings=warnings,
    )


def extract_file(path: str | Path, *, ocr: bool = True) -> Extraction:
    return extract(read(path, ocr=ocr))
