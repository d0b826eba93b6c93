"""The library's face: what a Python user (and the CLI) calls.

    from directive_nlp import api

    ex = api.extract("plan.pdf")                         # -> Extraction (typed)
    ex = api.load("02-KH/BCĐTW", db="outputs/x.db")      # a file, an extraction JSON, or a
                                                         #   stored symbol / id -> Extraction
    report = api.ingest(["corpus/"], db="outputs/x.db", jobs=2, timeout=60, max_memory=2048)
    report = api.ingest_from("partitions/", db="outputs/x.db")   # what ``batch`` wrote
    api.batch(["corpus/"], "partitions/", scheduler="tcp://host:8786")
    gap = api.check("ward-plan.pdf", "02-KH/BCĐTW", db="outputs/x.db")   # -> GapReport
    reg = api.status("outputs/x.db", "02-KH/BCĐTW", as_of="31/12/2025")  # -> Register
    hits = api.search("dữ liệu dân cư", "outputs/x.db")

Every failure a person should see is a ``DirectiveError`` (``InputError`` names the file and
the problem on one line); nothing here prints.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import DirectiveError, InputError
from .ingest import (
    DEFAULT_MAX_MEMORY,
    DEFAULT_TIMEOUT,
    IngestReport,
    IngestResult,
    Limits,
    display_path,
    ingest_partitions,
    ingest_paths,
    read_document,
    run_limited,
)
from .model import Extraction
from .storage.store import Store, default_db_path

if TYPE_CHECKING:
    import networkx as nx

    from .linking.gapcheck import GapReport
    from .tracking import PeriodicReport, Register

__all__ = [
    "Loaded",
    "batch",
    "documents",
    "extract",
    "ingest",
    "ingest_from",
    "limits",
    "load",
    "load_document",
    "load_extractions",
    "open_store",
]

# Formats whose text is cheap to read again (for the gap check's local plan).
TEXT_SOURCES = (".txt", ".md", ".markdown", ".docx")


def limits(timeout: float | None = DEFAULT_TIMEOUT, max_memory: int | None = DEFAULT_MAX_MEMORY) -> Limits:
    """Per-file limits (0 or None: no limit)."""
    return Limits(timeout=timeout or None, max_memory=max_memory or None)


def open_store(db: str | Path | None = None, *, create: bool = False) -> Store:
    """The store at ``db`` (default: ``$DIRECTIVE_NLP_DB`` or ``outputs/directives.db``)."""
    return Store(db, create=create)


# --------------------------------------------------------------------------- extract and load


def extract(path: str | Path, *, ocr: bool = True, limits: Limits | None = None) -> Extraction:
    """Read and extract one file. With ``limits``, in a worker process under them.

    Raises ``InputError`` (one line) for unreadable, empty or over-limit input.
    """
    if limits is None:
        from .extraction import pipeline

        return pipeline.extract(read_document(path, ocr=ocr))
    for _, (analysed, failure, _trace) in run_limited([Path(path)], limits=limits, ocr=ocr):
        if analysed is None:
            assert failure is not None
            raise failure
        return analysed.extraction
    raise AssertionError("unreachable")  # pragma: no cover


@dataclass
class Loaded:
    """A document to work on: its extraction and, when it can be had cheaply, its text."""

    extraction: Extraction
    text: str | None = None
    data: dict[str, Any] | None = None  # the extraction JSON as read (JSON file or store), extra keys kept


def _read_text(path: Path) -> str | None:
    from .reading import read

    try:
        return read(path, ocr=False).text
    except DirectiveError:
        return None


def _source_text(data: dict[str, Any], json_path: Path) -> str | None:
    """The text of the document an extraction JSON was made from, when it can be found."""
    src = (data.get("source") or {}).get("path")
    if not src:
        return None
    p = Path(src)
    tries = [p] if p.is_absolute() else [Path.cwd() / p, *(d / p for d in json_path.resolve().parents)]
    for cand in tries:
        if cand.is_file() and cand.suffix.lower() in TEXT_SOURCES:
            return _read_text(cand)
    return None


def read_json(path: Path) -> Any:
    """The content of a JSON file; ``InputError`` (one line) when it cannot be read."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InputError(display_path(path), "err.bad_json_file", detail=type(e).__name__) from None


def _extraction_json(path: Path) -> dict[str, Any]:
    data = read_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("tasks"), list):
        raise InputError(display_path(path), "err.not_extraction")
    return data


def load_document(source: str | Path, db: str | Path | None = None, *, want_text: bool = False) -> Loaded:
    """A document from a file (read and extracted), an extraction JSON, or the store.

    ``source`` that is not a file is looked up in the store at ``db`` as a symbol, an id, a path
    or a file name. ``want_text`` also reads a file's text (stored documents and extraction JSON
    come with their text when it can be had cheaply).
    """
    p = Path(source).expanduser()
    if p.is_file():
        if p.suffix.lower() == ".json":
            data = _extraction_json(p)
            return Loaded(Extraction.from_dict(data), _source_text(data, p), data)
        return Loaded(extract(p), _read_text(p) if want_text else None)
    if p.is_dir():
        raise InputError(display_path(p), "err.is_folder")
    path = Path(db) if db is not None else default_db_path()
    if not path.exists():
        raise InputError(str(source), "err.no_store", db=path)
    with Store(path, create=False) as store:
        doc = store.document(str(source))
        if doc is None:
            raise InputError(str(source), "err.not_stored", db=path)
        text = "\n".join(b.get("text") or "" for b in store.blocks(doc["id"])) or None
        data = store.extraction_data(doc["id"])
        return Loaded(Extraction.from_dict(data), text, data)


def load(source: str | Path, db: str | Path | None = None) -> Extraction:
    """A typed extraction from a file, an extraction JSON, or a stored symbol / id / path."""
    return load_document(source, db).extraction


def load_extractions(
    db: str | Path | None = None, json_files: Iterable[str | Path] | None = None
) -> list[dict[str, Any]]:
    """Extraction JSON objects from files (each holding one object or a list), else every
    document of the store at ``db`` (with ``doc_id`` and ``path``)."""
    files = list(json_files or [])
    if files:
        out: list[dict[str, Any]] = []
        for f in files:
            data = read_json(Path(f))
            out.extend(data if isinstance(data, list) else [data])
        return out
    with Store(db, create=False) as store:
        return store.extractions()


def documents(db: str | Path | None = None) -> list[dict[str, Any]]:
    """Every stored document (metadata, primary file, number of sources, tasks, citations)."""
    with Store(db, create=False) as store:
        return store.documents()


# --------------------------------------------------------------------------- ingest and batch


def ingest(
    paths: Iterable[str | Path],
    db: str | Path | Store | None = None,
    jobs: int = 1,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_memory: int | None = DEFAULT_MAX_MEMORY,
    *,
    ocr: bool = True,
    force: bool = False,
    on_start: Callable[[int], None] | None = None,
    on_result: Callable[[IngestResult], None] | None = None,
    keep_results: bool = True,
) -> IngestReport:
    """Read, extract and store files and folders (each file in a worker under the limits).

    Never raises for a bad file: each is one line in the report. ``db`` may be an open ``Store``.
    With ``keep_results=False`` the report keeps counts, failures and skips only (results go
    to ``on_result``): memory stays flat over any number of files.
    """
    kw: dict[str, Any] = {
        "jobs": jobs,
        "limits": limits(timeout, max_memory),
        "ocr": ocr,
        "force": force,
        "on_start": on_start,
        "on_result": on_result,
        "keep_results": keep_results,
    }
    if isinstance(db, Store):
        return ingest_paths(db, paths, **kw)
    with Store(db) as store:
        return ingest_paths(store, paths, **kw)


def ingest_from(
    folder: str | Path,
    db: str | Path | Store | None = None,
    *,
    force: bool = False,
    on_result: Callable[[IngestResult], None] | None = None,
    keep_results: bool = True,
) -> IngestReport:
    """Load the extraction partitions ``batch`` wrote into the store."""
    if isinstance(db, Store):
        return ingest_partitions(db, folder, force=force, on_result=on_result, keep_results=keep_results)
    with Store(db) as store:
        return ingest_partitions(store, folder, force=force, on_result=on_result, keep_results=keep_results)


def batch(
    paths: Iterable[str | Path],
    out: str | Path,
    *,
    scheduler: str | None = None,
    workers: int = 2,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_memory: int | None = DEFAULT_MAX_MEMORY,
    ocr: bool = True,
    processes: bool = True,
    on_partition: Callable[[Path, int, int], None] | None = None,
) -> Any:
    """Extract files on Dask (``batch.run_batch``) and write extraction partitions to ``out``."""
    from .batch import run_batch

    return run_batch(
        paths,
        out,
        scheduler=scheduler,
        workers=workers,
        limits=limits(timeout, max_memory),
        ocr=ocr,
        processes=processes,
        on_partition=on_partition,
    )


# --------------------------------------------------------------------------- check, graph, follow-up


def check(
    local: str | Path,
    upstream: str | Path,
    db: str | Path | None = None,
    *,
    local_level: str | None = None,
) -> GapReport:
    """Gap check of ``local`` against the ``upstream`` plan it implements (spec section 5).

    Each side is a document file, an extraction JSON, or a stored symbol / id (``db``).
    """
    from .linking.gapcheck import check_report

    loc = load_document(local, db, want_text=True)
    up = load_document(upstream, db)
    return check_report(
        loc.data or loc.extraction.to_dict(),
        up.data or up.extraction.to_dict(),
        local_level=local_level,
        local_text=loc.text,
    )


def graph(db: str | Path | None = None, json_files: Iterable[Path] | None = None) -> nx.MultiDiGraph:
    """The cross-reference graph of the stored documents (or of extraction JSON files)."""
    from .linking.graph import build_graph

    return build_graph([e if isinstance(e, dict) else e.to_dict() for e in load_extractions(db, json_files)])


def status(
    db: str | Path | None = None,
    doc: str | None = None,
    *,
    unit: str | None = None,
    as_of: str | _dt.date | None = None,
    overdue: bool = False,
    unreported: bool = False,
) -> Register:
    """The task register: per task its latest reported (or hand-set) status as of ``as_of``."""
    from .tracking import status_register

    with open_store(db) as store:
        return status_register(store, doc, unit=unit, as_of=as_of, overdue=overdue, unreported=unreported)


def set_status(
    db: str | Path | None,
    task: str,
    value: str,
    *,
    evidence: str | None = None,
    as_of: str | _dt.date | None = None,
) -> dict[str, Any]:
    """Record a status set by hand (kept in the history as ``manual``)."""
    from .tracking import set_status as _set

    with open_store(db) as store:
        return _set(store, task, value, evidence=evidence, as_of=as_of)


def periodic_report(db: str | Path | None, doc: str, as_of: str | _dt.date | None = None) -> PeriodicReport:
    """The periodic report (báo cáo định kỳ) on one document's tasks as of ``as_of``."""
    from .tracking import periodic_report as _report

    with open_store(db) as store:
        return _report(store, doc, as_of)


def search(
    query: str, db: str | Path | None = None, *, unit: str | None = None, limit: int = 50
) -> list[dict[str, Any]]:
    """Stored tasks matching ``query`` (full text, diacritics-insensitive, best first)."""
    from .storage import queries

    with open_store(db) as store:
        return queries.search(store, query, unit=unit, limit=limit)
