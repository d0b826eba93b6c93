"""Extraction pipeline: ReadDocument -> Extraction (metadata, citations, tasks).

read -> text repair (normalise.fidelity: split syllables, spaces in symbols, look-alike letters)
-> metadata & citations (extraction.metadata / extraction.citations) -> tasks (extraction.tasks
over the outline with the scopes of extraction.scopes, extraction.tables over task tables) ->
each task's cites.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from ..model import Extraction, ReadDocument
from ..normalise.fidelity import repair
from ..reading import read
from .citations import analyse_citations
from .metadata import extract_metadata
from .tasks import extract_tasks


def repaired(doc: ReadDocument) -> ReadDocument:
    """The document with its block texts repaired (split syllables, spaces inside symbols,
    look-alike letters). Spans are offsets into the document's text, as after reading."""
    blocks = [
        replace(b, text=repair(b.text), cells=[repair(c) for c in b.cells] if b.cells is not None else None)
        for b in doc.blocks
    ]
    if all(a.text == b.text for a, b in zip(blocks, doc.blocks, strict=True)):
        return doc
    return replace(doc, blocks=blocks).reindex()


def extract(doc: ReadDocument) -> Extraction:
    source = {"path": doc.path, "sha256": doc.sha256, "format": doc.format, "pages": doc.pages}
    doc = repaired(doc)
    cit = analyse_citations(doc)  # reads the document's own symbol from its header
    meta = extract_metadata(doc, cit)
    tasks = extract_tasks(doc, issuer=meta.issuer, symbol=meta.symbol)
    for t in tasks:
        t.cites = cit.cites_in(" ".join(x for x in (t.text, t.cite_context, t.basis) if x))
    warnings = list(doc.warnings)
    if not tasks:
        warnings.append("no tasks found")
    return Extraction(
        source=source,
        document=meta,
        citations=list(cit.citations),
        tasks=tasks,
        warnings=warnings,
    )


def extract_file(
    path: str | Path, *, ocr: bool = True, progress: Callable[[int, int], None] | None = None
) -> Extraction:
    """Read and extract one file (``progress(done, total)`` after each page read by OCR)."""
    return extract(read(path, ocr=ocr, progress=progress))
