"""directive-nlp: Vietnamese directive documents -> tracked obligations.

Library API (the CLI is a thin layer over these):

    from directive_nlp import read, extract_file
    doc = read("corpus/001_....txt")          # ReadDocument: blocks with provenance
    ex = extract_file("corpus/001_....txt")   # Extraction: metadata, citations, tasks
"""

from __future__ import annotations

__version__ = "0.1.0"


def read(path, **kw):
    from .reading import read as _read

    return _read(path, **kw)


def extract_file(path, **kw):
    from .extraction.pipeline import extract_file as _extract

    return _extract(path, **kw)


__all__ = ["read", "extract_file", "__version__"]
