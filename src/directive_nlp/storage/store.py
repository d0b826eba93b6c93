"""Corpus store: ingest documents into SQLite (sqlite-utils) and query their obligations.

Library API (the CLI's ``ingest``, ``docs`` and ``obligations`` are thin layers over it)::

    from directive_nlp.storage.store import Store

    with Store("outputs/directives.db") as store:
        report = store.ingest_paths(["corpus/"], jobs=2)  # IngestReport
        store.ingest_file("plan.pdf")                     # IngestResult (raises InputError)
        store.documents()                                 # [{id, symbol, doc_type, …, tasks}]
        store.document("02-KH/BCĐTW")                     # symbol, path or id -> dict | None
        store.extractions()                               # spec JSON + doc_id + path
        store.tasks(doc="02-KH/BCĐTW", unit="Bộ Công an", due_before="2025-09-30")
        store.summary(as_of=date.today())

Each document is written in one transaction: a failure leaves nothing half-written, and a
changed file (same path, new sha256) replaces its previous version, keeping its id.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import multiprocessing
import os
import sqlite3
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlite_utils

from ..errors import DirectiveError, InputError, NotFoundError
from ..model import Block, Citation, Deadline, DocumentMeta, Extraction, Provenance, Task
from ..normalise.text import key as text_key
from ..units import default_resolver
from ..units import unit_identity as units_identity
from .schema import SCHEMA_VERSION, StoreError, migrate

__all__ = [
    "Store",
    "IngestResult",
    "IngestReport",
    "Analysed",
    "StoreError",
    "SCHEMA_VERSION",
    "default_db_path",
    "default_output_dir",
    "collect_files",
    "analyse_file",
    "extraction_from_dict",
    "symbol_key",
    "unit_key",
    "unit_identity",
    "same_unit",
    "is_overdue",
    "INGEST_SUFFIXES",
    "DATED_KINDS",
    "pipeline_fingerprint",
]

# File types picked up when a folder is ingested.
INGEST_SUFFIXES = (".pdf", ".docx", ".txt", ".md")
# Deadline kinds with a real due date: the only ones that can be overdue.
DATED_KINDS = ("by_date", "in_month", "in_quarter", "in_year", "range")


# --------------------------------------------------------------------------- locations


def repo_root() -> Path | None:
    """The project checkout this package runs from (the folder holding pyproject.toml)."""
    for parent in Path(__file__).resolve().parents:
        if (parent / "pyproject.toml").is_file() and (parent / "src" / "directive_nlp").is_dir():
            return parent
    return None


def default_output_dir() -> Path:
    """``outputs/`` under the repository root (the current folder when not run from a checkout)."""
    return (repo_root() or Path.cwd()) / "outputs"


def default_db_path() -> Path:
    """The corpus database: ``$DIRECTIVE_NLP_DB`` if set, else ``outputs/directives.db``."""
    env = os.environ.get("DIRECTIVE_NLP_DB")
    return Path(env) if env else default_output_dir() / "directives.db"


# --------------------------------------------------------------------------- keys and units


def symbol_key(symbol: str | None) -> str | None:
    """Comparison key of a document symbol: NFC, no white space, case-folded."""
    if not symbol:
        return None
    s = unicodedata.normalize("NFC", symbol)
    return "".join(s.split()).casefold()


def _gazetteer() -> Any | None:
    """The unit gazetteer (``units``), None when its data could not be loaded."""
    return default_resolver().gazetteer


def _alternatives(name: str) -> list[str]:
    """Gold files may list alternative names of one unit as "A|B"."""
    return [a.strip() for a in name.split("|") if a.strip()] or [name]


@lru_cache(maxsize=8192)
def unit_identity(name: str) -> tuple[str, str]:
    """(key, display name) of a unit name.

    With the gazetteer: a known unit gives its entry id and canonical name ("UBND phường" ->
    ("ubnd_phuong", "Ủy ban nhân dân phường")); an unknown one its comparison key (abbreviations
    expanded). Without it: the tone-insensitive key of the name and the name as written.
    """
    return units_identity(name)


def unit_key(name: str) -> str:
    """Normalised key of a unit name (the gazetteer's unit id when it knows the unit)."""
    return unit_identity(name)[0]


@lru_cache(maxsize=65536)
def same_unit(a: str, b: str) -> bool:
    """True when two unit names denote the same unit (gazetteer, else tone-insensitive key)."""
    gaz = _gazetteer()
    for x in _alternatives(a):
        for y in _alternatives(b):
            if text_key(x) == text_key(y):
                return True
            if gaz is not None:
                try:
                    if gaz.same_unit(x, y):
                        return True
                except Exception:
                    pass
    return False


def is_overdue(task: dict[str, Any], as_of: _dt.date | str) -> bool:
    """Due strictly before ``as_of``; standing, recurring, immediate and undated tasks never are."""
    dl = task.get("deadline") or {}
    due = dl.get("due")
    return bool(due) and dl.get("kind") in DATED_KINDS and due < _iso(as_of)


def _iso(value: _dt.date | str) -> str:
    if isinstance(value, _dt.date):
        return value.isoformat()
    return _dt.date.fromisoformat(str(value)).isoformat()


# --------------------------------------------------------------------------- extraction

# Code whose change can change an extraction (with model.py and the gazetteer data).
PIPELINE_PACKAGES = ("reading", "outline", "extraction", "normalise")


@lru_cache(maxsize=1)
def pipeline_fingerprint() -> str:
    """A short hash of the reading/extraction code, gazetteers and models in use.

    Stored with each document: an unchanged file is re-extracted when this differs, so
    ``make run`` after an extractor change refreshes the store.
    """
    pkg = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    files = [pkg / "model.py"]
    for part in PIPELINE_PACKAGES:
        files += sorted((pkg / part).rglob("*.py"))
    for f in files:
        if f.is_file():
            h.update(f.relative_to(pkg).as_posix().encode() + b"\0" + f.read_bytes())
    try:
        from .. import resources

        data, models = resources.data_dir(), resources.models_dir()
    except (ImportError, AttributeError):
        data = models = None
    if data is not None and data.is_dir():
        for f in sorted(data.rglob("*.toml")):
            h.update(f.name.encode() + b"\0" + f.read_bytes())
    if models is not None and models.is_dir():  # built artefacts: names and sizes suffice
        for f in sorted(p for p in models.rglob("*") if p.is_file()):
            h.update(f"{f.relative_to(models).as_posix()}:{f.stat().st_size}".encode())
    return h.hexdigest()[:16]


@dataclass
class Analysed:
    """What the (possibly parallel) extraction step hands to the writer."""

    extraction: Extraction
    blocks: list[Block] = field(default_factory=list)


def analyse_file(path: str | Path, *, ocr: bool = True) -> Analysed:
    """Read and extract one file (raises ``InputError`` for unreadable input).

    Reads once and keeps the blocks, so the store can record the reading alongside tasks.
    """
    from ..extraction import pipeline
    from ..reading import read

    doc = read(path, ocr=ocr)
    return Analysed(extraction=pipeline.extract(doc), blocks=list(doc.blocks))


def problem_line(path: str | Path, exc: BaseException) -> str:
    """One line "FILE: problem" for any failure while ingesting ``path``."""
    if isinstance(exc, InputError):
        return str(exc)
    if isinstance(exc, DirectiveError):
        return f"{path}: {exc}"
    if isinstance(exc, ImportError):
        return f"{path}: cannot read this file type here ({exc})"
    if isinstance(exc, MemoryError):
        return f"{path}: out of memory while reading"
    text = " ".join(str(exc).split()) or "no details"
    return f"{path}: unexpected error ({type(exc).__name__}: {text})"


def _analyse_in_worker(path: str, ocr: bool) -> tuple[Analysed | None, str | None]:
    """Process-pool entry point: never raises (exceptions do not always pickle)."""
    try:
        return analyse_file(path, ocr=ocr), None
    except Exception as e:  # reported by the parent, one line per file
        return None, problem_line(path, e)


def extraction_from_dict(data: dict[str, Any]) -> Extraction:
    """Rebuild an ``Extraction`` from the spec JSON (a gold file or a stored extraction)."""
    d = data.get("document") or {}
    meta = DocumentMeta(
        symbol=d.get("symbol"),
        doc_type=d.get("doc_type"),
        title=d.get("title"),
        issuer=d.get("issuer"),
        issued_date=d.get("issued_date"),
        signer=d.get("signer"),
        implements=list(d.get("implements") or []),
    )
    citations = [
        Citation(
            symbol=c["symbol"],
            doc_type=c.get("doc_type"),
            date=c.get("date"),
            issuer=c.get("issuer"),
            mentions=int(c.get("mentions") or 0),
            evidence=list(c.get("evidence") or []),
        )
        for c in data.get("citations") or []
    ]
    tasks = []
    for t in data.get("tasks") or []:
        dl = t.get("deadline") or {}
        prov = t.get("provenance")
        tasks.append(
            Task(
                id=str(t["id"]),
                text=t.get("text") or "",
                section=t.get("section"),
                lead=list(t.get("lead") or []),
                support=list(t.get("support") or []),
                deadline=Deadline(
                    kind=dl.get("kind") or "none",
                    due=dl.get("due"),
                    start=dl.get("start"),
                    text=dl.get("text"),
                ),
                targets=list(t.get("targets") or []),
                cites=list(t.get("cites") or []),
                phase=t.get("phase"),
                lead_implied=bool(t.get("lead_implied")),
                provenance=Provenance(
                    document=prov.get("document", ""),
                    block=prov.get("block", 0),
                    page=prov.get("page"),
                    span=tuple(prov.get("span") or (0, 0)),
                    blocks=list(prov.get("blocks") or []),
                )
                if isinstance(prov, dict)
                else None,
            )
        )
    return Extraction(
        source=dict(data.get("source") or {}),
        document=meta,
        citations=citations,
        tasks=tasks,
        warnings=list(data.get("warnings") or []),
    )


# --------------------------------------------------------------------------- file collection


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _skipped_name(p: Path) -> bool:
    return p.name.startswith((".", "~$"))


def collect_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[str]]:
    """Expand files and folders (recursively, .pdf .docx .txt .md only) into a file list.

    Returns (files in a stable order without duplicates, one-line problems for missing paths).
    A file named explicitly is kept whatever its type, so that ``read`` can say what is wrong.
    """
    files: list[Path] = []
    problems: list[str] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        r = p.resolve()
        if r not in seen:
            seen.add(r)
            files.append(p)

    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = [
                f
                for f in p.rglob("*")
                if f.is_file()
                and f.suffix.lower() in INGEST_SUFFIXES
                and not any(_skipped_name(part) for part in f.relative_to(p).parents if part.name)
                and not _skipped_name(f)
            ]
            for f in sorted(found, key=lambda f: str(f)):
                add(f)
        elif p.exists():
            add(p)
        else:
            problems.append(f"{p}: no such file or folder")
    return files, problems


# --------------------------------------------------------------------------- results


@dataclass
class IngestResult:
    """Outcome of ingesting one file."""

    path: str  # as given
    status: str  # added | updated | unchanged | failed
    doc_id: int | None = None
    symbol: str | None = None
    tasks: int = 0
    citations: int = 0
    pages: int | None = None
    format: str | None = None
    error: str | None = None  # "FILE: problem" when failed

    @property
    def ok(self) -> bool:
        return self.status != "failed"


@dataclass
class IngestReport:
    """Outcome of a batch; counts by status, tasks/citations written in this run."""

    results: list[IngestResult] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def added(self) -> int:
        return self.count("added")

    @property
    def updated(self) -> int:
        return self.count("updated")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def failures(self) -> list[IngestResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def tasks(self) -> int:
        return sum(r.tasks for r in self.results if r.status in ("added", "updated"))

    @property
    def citations(self) -> int:
        return sum(r.citations for r in self.results if r.status in ("added", "updated"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "failed": len(self.failures),
            "tasks": self.tasks,
            "citations": self.citations,
            "failures": [r.error for r in self.failures],
        }


# --------------------------------------------------------------------------- the store


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _loads(value: str | None, default: Any) -> Any:
    return json.loads(value) if value else default


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


def _pool_context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


class Store:
    """The corpus database. ``Store(path)``; ``create=False`` refuses a missing file."""

    def __init__(self, path: str | Path | None = None, *, create: bool = True):
        self.path = Path(path) if path is not None else default_db_path()
        if not self.path.exists():
            if not create:
                raise StoreError(f"{self.path}: no database here (run 'directive-nlp ingest' first)")
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite_utils.Database(self.path)
            self.db.execute("PRAGMA foreign_keys = ON")
            migrate(self.db)
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path}: not a usable SQLite database ({e})") from None

    # ----------------------------------------------------------------- lifecycle
    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------- ingest
    def ingest_file(self, path: str | Path, *, ocr: bool = True, force: bool = False) -> IngestResult:
        """Ingest one file. Raises ``InputError`` (one line) when it cannot be read.

        A file stored with the same path, sha256 and extractor fingerprint is left alone
        ("unchanged") unless ``force``.
        """
        p = Path(path)
        if not p.is_file():
            raise InputError(str(p), "err.is_folder" if p.is_dir() else "err.no_such_file")
        unchanged = self._unchanged(p, force)
        if unchanged is not None:
            return unchanged
        return self.write(p, analyse_file(p, ocr=ocr))

    def ingest_paths(
        self,
        paths: Iterable[str | Path],
        *,
        jobs: int = 1,
        ocr: bool = True,
        force: bool = False,
        on_start: Callable[[int], None] | None = None,
        on_result: Callable[[IngestResult], None] | None = None,
    ) -> IngestReport:
        """Ingest files and folders; never raises for a bad file (it is reported as failed).

        ``jobs > 1`` extracts in that many worker processes; writing stays in this process.
        ``force`` re-extracts files even when they are stored unchanged.
        ``on_start(total)`` is called once with the number of files, ``on_result`` per file.
        """
        files, problems = collect_files(paths)
        report = IngestReport()

        def emit(result: IngestResult) -> None:
            report.results.append(result)
            if on_result:
                on_result(result)

        if on_start:
            on_start(len(files) + len(problems))
        for line in problems:
            emit(IngestResult(path=line.split(": ", 1)[0], status="failed", error=line))

        todo: list[Path] = []
        for f in files:
            try:
                unchanged = self._unchanged(f, force)
            except OSError as e:
                emit(
                    IngestResult(path=str(f), status="failed", error=f"{f}: cannot open ({e.strerror or e})")
                )
                continue
            if unchanged is not None:
                emit(unchanged)
            else:
                todo.append(f)

        if jobs <= 1 or len(todo) < 2:
            for f in todo:
                emit(self._ingest_one(f, ocr))
        else:
            self._ingest_parallel(todo, jobs, ocr, emit)
        return report

    def _ingest_one(self, f: Path, ocr: bool) -> IngestResult:
        try:
            return self.write(f, analyse_file(f, ocr=ocr))
        except Exception as e:
            return IngestResult(path=str(f), status="failed", error=problem_line(f, e))

    def _ingest_parallel(
        self, todo: list[Path], jobs: int, ocr: bool, emit: Callable[[IngestResult], None]
    ) -> None:
        with ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=_pool_context()) as pool:
            futures = [pool.submit(_analyse_in_worker, str(f), ocr) for f in todo]
            for f, fut in zip(todo, futures, strict=False):  # in submission order: stable document ids
                try:
                    analysed, error = fut.result()
                except BrokenProcessPool:
                    analysed, error = None, f"{f}: the extraction worker process died"
                if analysed is None:
                    emit(IngestResult(path=str(f), status="failed", error=error))
                    continue
                try:
                    emit(self.write(f, analysed))
                except Exception as e:
                    emit(IngestResult(path=str(f), status="failed", error=problem_line(f, e)))

    def _unchanged(self, p: Path, force: bool = False) -> IngestResult | None:
        """The 'unchanged' result when ``p`` is stored with the same content and extractor."""
        if force:
            return None
        row = self._doc_row_by_path(p)
        if row is None or row["sha256"] != file_sha256(p) or row["extractor"] != pipeline_fingerprint():
            return None
        n_tasks, n_cit = self._child_counts(row["id"])
        return IngestResult(
            path=str(p),
            status="unchanged",
            doc_id=row["id"],
            symbol=row["symbol"],
            tasks=n_tasks,
            citations=n_cit,
            pages=row["pages"],
            format=row["format"],
        )

    def write(self, path: str | Path, analysed: Analysed) -> IngestResult:
        """Store one analysed file in a single transaction (replacing an older version)."""
        p = Path(path)
        resolved = str(p.resolve())
        ex = analysed.extraction
        sha = ex.source.get("sha256") or file_sha256(p)
        row = self._document_row(p, resolved, sha, ex)
        existing = self._doc_row_by_path(p)
        with self.db.atomic():
            if existing is not None:
                doc_id = int(existing["id"])
                self._delete_children(doc_id)
                self.db["documents"].update(doc_id, row)
            else:
                doc_id = int(self.db["documents"].insert(row).last_pk)
            self._insert_blocks(doc_id, analysed.blocks)
            n_tasks = self._insert_tasks(doc_id, ex.tasks)
            n_cit = self._insert_citations(doc_id, ex.citations)
            from .status import record_report  # follow-up: statuses of a progress report

            record_report(self, doc_id, ex, analysed.blocks)
        return IngestResult(
            path=str(path),
            status="updated" if existing else "added",
            doc_id=doc_id,
            symbol=ex.document.symbol,
            tasks=n_tasks,
            citations=n_cit,
            pages=ex.source.get("pages"),
            format=ex.source.get("format"),
        )

    # ----------------------------------------------------------------- write helpers
    @staticmethod
    def _document_row(p: Path, resolved: str, sha: str, ex: Extraction) -> dict[str, Any]:
        d = ex.document
        return {
            "path": resolved,
            "file_name": p.name,
            "sha256": sha,
            "format": ex.source.get("format"),
            "pages": ex.source.get("pages"),
            "symbol": d.symbol,
            "symbol_key": symbol_key(d.symbol),
            "doc_type": d.doc_type,
            "title": d.title,
            "issuer": d.issuer,
            "issued_date": d.issued_date,
            "signer": d.signer,
            "implements": _json(list(d.implements)),
            "ingested_at": _now(),
            "extractor": pipeline_fingerprint(),
            "extraction": _json(ex.to_dict()),
        }

    def _delete_children(self, doc_id: int) -> None:
        self.db.execute(
            "DELETE FROM task_units WHERE task IN (SELECT id FROM tasks WHERE doc_id = ?)", [doc_id]
        )
        for table in ("tasks", "blocks", "citations"):
            self.db.execute(f"DELETE FROM {table} WHERE doc_id = ?", [doc_id])
        self.db.execute("DELETE FROM units WHERE key NOT IN (SELECT unit FROM task_units)")

    def _insert_blocks(self, doc_id: int, blocks: Sequence[Block]) -> int:
        rows = (
            {
                "doc_id": doc_id,
                "idx": b.index,
                "kind": b.kind,
                "page": b.page,
                "span_start": b.span[0],
                "span_end": b.span[1],
                "label": b.label,
                "text": b.text,
            }
            for b in blocks
        )
        self.db["blocks"].insert_all(rows, batch_size=500)
        return len(blocks)

    def _insert_tasks(self, doc_id: int, tasks: Sequence[Task]) -> int:
        next_id = int(self.db.execute("SELECT COALESCE(MAX(id), 0) FROM tasks").fetchone()[0]) + 1
        rows: list[dict[str, Any]] = []
        links: list[dict[str, Any]] = []
        units: dict[str, str] = {}
        used: set[str] = set()
        for i, t in enumerate(tasks):
            task_id = t.id
            n = 2
            while task_id in used:  # keep the unique (doc_id, task_id) index satisfiable
                task_id, n = f"{t.id}#{n}", n + 1
            used.add(task_id)
            prov = t.provenance
            rowid = next_id + i
            rows.append(
                {
                    "id": rowid,
                    "doc_id": doc_id,
                    "task_id": task_id,
                    "text": t.text,
                    "section": t.section,
                    "phase": t.phase,
                    "lead": _json(t.lead),
                    "support": _json(t.support),
                    "lead_implied": int(t.lead_implied),
                    "deadline_kind": t.deadline.kind,
                    "due": t.deadline.due,
                    "start": t.deadline.start,
                    "deadline_text": t.deadline.text,
                    "targets": _json(t.targets),
                    "cites": _json(t.cites),
                    "block": prov.block if prov else None,
                    "page": prov.page if prov else None,
                    "span_start": prov.span[0] if prov else None,
                    "span_end": prov.span[1] if prov else None,
                }
            )
            for role, names in (("lead", t.lead), ("support", t.support)):
                for name in names:
                    k, display = unit_identity(name)
                    if not k:
                        continue
                    units.setdefault(k, display)
                    links.append({"task": rowid, "unit": k, "role": role, "name": name})
        self.db["tasks"].insert_all(rows, batch_size=200)
        self.db["units"].insert_all(({"key": k, "name": v} for k, v in units.items()), ignore=True)
        self.db["task_units"].insert_all(links, ignore=True)
        return len(rows)

    def _insert_citations(self, doc_id: int, citations: Sequence[Citation]) -> int:
        rows = [
            {
                "doc_id": doc_id,
                "symbol": c.symbol,
                "doc_type": c.doc_type,
                "date": c.date,
                "issuer": c.issuer,
                "mentions": c.mentions,
                "evidence": _json(c.evidence[:5]),
            }
            for c in citations
        ]
        self.db["citations"].insert_all(rows)
        return len(rows)

    # ----------------------------------------------------------------- read helpers
    def _doc_row_by_path(self, p: str | Path) -> dict[str, Any] | None:
        rows = list(self.db.query("SELECT * FROM documents WHERE path = ?", [str(Path(p).resolve())]))
        return rows[0] if rows else None

    def _child_counts(self, doc_id: int) -> tuple[int, int]:
        row = self.db.execute(
            "SELECT (SELECT COUNT(*) FROM tasks WHERE doc_id = ?),"
            " (SELECT COUNT(*) FROM citations WHERE doc_id = ?)",
            [doc_id, doc_id],
        ).fetchone()
        return int(row[0]), int(row[1])

    _DOC_SQL = """
        SELECT d.id, d.symbol, d.doc_type, d.title, d.issuer, d.issued_date, d.signer,
               d.implements, d.path, d.file_name, d.format, d.pages, d.sha256, d.ingested_at,
               d.extractor,
               (SELECT COUNT(*) FROM tasks t WHERE t.doc_id = d.id) AS tasks,
               (SELECT COUNT(*) FROM citations c WHERE c.doc_id = d.id) AS citations
        FROM documents d
    """

    @staticmethod
    def _doc_dict(row: dict[str, Any]) -> dict[str, Any]:
        d = dict(row)
        d["implements"] = _loads(d.get("implements"), [])
        d["name"] = d.get("symbol") or d.get("file_name")
        return d

    # ----------------------------------------------------------------- queries
    def documents(self) -> list[dict[str, Any]]:
        """Every stored document with its task and citation counts, in ingestion order."""
        return [self._doc_dict(r) for r in self.db.query(self._DOC_SQL + " ORDER BY d.id")]

    def find_documents(self, ref: str | int | Path) -> list[dict[str, Any]]:
        """Every document ``ref`` names: an id, a symbol (spaces/case ignored), a path, a file name."""
        if isinstance(ref, int) or (isinstance(ref, str) and ref.strip().isdigit()):
            rows = list(self.db.query(self._DOC_SQL + " WHERE d.id = ?", [int(ref)]))
            if rows:
                return [self._doc_dict(r) for r in rows]
        text = str(ref).strip()
        for where, arg in (
            ("d.symbol_key = ?", symbol_key(text)),
            ("d.path = ?", str(Path(text).expanduser().resolve())),
            ("d.file_name = ?", Path(text).name),
        ):
            rows = list(self.db.query(self._DOC_SQL + f" WHERE {where} ORDER BY d.id", [arg]))
            if rows:
                return [self._doc_dict(r) for r in rows]
        return []

    def document(self, ref: str | int | Path) -> dict[str, Any] | None:
        """The document ``ref`` names, or None.

        When several share a symbol (the .txt and the .docx of one plan), the one with the most
        tasks wins, then the most recently ingested.
        """
        found = self.find_documents(ref)
        if not found:
            return None
        return max(found, key=lambda d: (d["tasks"], d["id"]))

    def extractions(self) -> list[dict[str, Any]]:
        """Every stored extraction (spec JSON as stored) plus "doc_id" and "path"."""
        out = []
        for row in self.db.query("SELECT id, path, extraction FROM documents ORDER BY id"):
            data = _loads(row["extraction"], {})
            data["doc_id"] = row["id"]
            data["path"] = row["path"]
            out.append(data)
        return out

    def blocks(self, doc: str | int | Path) -> list[dict[str, Any]]:
        """The stored reading of one document, in reading order."""
        d = self._require(doc)
        return list(self.db.query("SELECT * FROM blocks WHERE doc_id = ? ORDER BY idx", [d["id"]]))

    def citations(self, doc: str | int | Path | None = None) -> list[dict[str, Any]]:
        sql, args = "SELECT * FROM citations", []
        if doc is not None:
            sql, args = sql + " WHERE doc_id = ?", [self._require(doc)["id"]]
        rows = []
        for r in self.db.query(sql + " ORDER BY doc_id, id", args):
            r["evidence"] = _loads(r["evidence"], [])
            rows.append(r)
        return rows

    def tasks(
        self,
        doc: str | int | Path | None = None,
        unit: str | None = None,
        due_before: _dt.date | str | None = None,
        overdue_as_of: _dt.date | str | None = None,
    ) -> list[dict[str, Any]]:
        """Stored tasks, optionally of one document, of one unit (lead or support), due before a
        date (strictly), or overdue as of a date. Raises ``NotFoundError`` for an unknown doc."""
        where, args = [], []
        if doc is not None:
            where.append("t.doc_id = ?")
            args.append(self._require(doc)["id"])
        if due_before is not None:
            where.append("t.due IS NOT NULL AND t.due < ?")
            args.append(_iso(due_before))
        if overdue_as_of is not None:
            kinds = ", ".join(f"'{k}'" for k in DATED_KINDS)
            where.append(f"t.due IS NOT NULL AND t.due < ? AND t.deadline_kind IN ({kinds})")
            args.append(_iso(overdue_as_of))
        sql = "SELECT t.*, d.symbol, d.file_name, d.path FROM tasks t JOIN documents d ON d.id = t.doc_id"
        if where:
            sql += " WHERE " + " AND ".join(f"({w})" for w in where)
        rows = [self._task_dict(r) for r in self.db.query(sql + " ORDER BY d.id, t.id", args)]
        if unit:
            rows = [r for r in rows if any(same_unit(unit, n) for n in r["lead"] + r["support"])]
        return rows

    def search(self, query: str, limit: int = 50) -> list[dict[str, Any]]:
        """Full-text search of task texts (FTS5, diacritics-insensitive), best first."""
        sql = (
            "SELECT t.*, d.symbol, d.file_name, d.path FROM tasks_fts f "
            "JOIN tasks t ON t.id = f.rowid JOIN documents d ON d.id = t.doc_id "
            "WHERE tasks_fts MATCH ? ORDER BY f.rank LIMIT ?"
        )
        return [self._task_dict(r) for r in self.db.query(sql, [self.db.quote_fts(query), limit])]

    def units(self) -> list[dict[str, Any]]:
        """Every unit named in a task, with how many tasks it leads and supports."""
        return list(
            self.db.query("""
            SELECT u.key, u.name,
                   SUM(tu.role = 'lead') AS leads, SUM(tu.role = 'support') AS supports
            FROM units u JOIN task_units tu ON tu.unit = u.key
            GROUP BY u.key ORDER BY leads DESC, supports DESC, u.name""")
        )

    def summary(
        self,
        doc: str | int | Path | None = None,
        unit: str | None = None,
        as_of: _dt.date | str | None = None,
    ) -> list[dict[str, Any]]:
        """Per-document counts: tasks, with a due date, overdue as of ``as_of`` (today), leads."""
        as_of_iso = _iso(as_of or _dt.date.today())
        docs = [self._require(doc)] if doc is not None else self.documents()
        tasks = self.tasks(doc=doc, unit=unit)
        out = []
        for d in docs:
            mine = [t for t in tasks if t["doc_id"] == d["id"]]
            if unit and not mine:
                continue
            leads = {unit_key(n) for t in mine for n in t["lead"]}
            out.append(
                {
                    "doc_id": d["id"],
                    "document": d["name"],
                    "doc_type": d["doc_type"],
                    "issuer": d["issuer"],
                    "tasks": len(mine),
                    "with_due": sum(1 for t in mine if t["deadline"]["due"]),
                    "overdue": sum(1 for t in mine if is_overdue(t, as_of_iso)),
                    "leads": len(leads),
                    "as_of": as_of_iso,
                }
            )
        return out

    def counts(self) -> dict[str, int]:
        """Row count of every table (documents, blocks, tasks, units, task_units, citations)."""
        names = ("documents", "blocks", "tasks", "units", "task_units", "citations")
        return {n: int(self.db.execute(f"SELECT COUNT(*) FROM {n}").fetchone()[0]) for n in names}

    # ----------------------------------------------------------------- internals
    def _require(self, ref: str | int | Path | dict[str, Any]) -> dict[str, Any]:
        if isinstance(ref, dict):
            return ref
        d = self.document(ref)
        if d is None:
            raise NotFoundError(f"no document '{ref}' in {self.path} (see 'directive-nlp docs')")
        return d

    @staticmethod
    def _task_dict(r: dict[str, Any]) -> dict[str, Any]:
        span = (
            [r["span_start"], r["span_end"]]
            if r["span_start"] is not None and r["span_end"] is not None
            else None
        )
        out = {
            "document": r["symbol"] or r["file_name"],
            "doc_id": r["doc_id"],
            "id": r["task_id"],
            "text": r["text"],
            "lead": _loads(r["lead"], []),
            "support": _loads(r["support"], []),
            "deadline": {
                "kind": r["deadline_kind"] or "none",
                "due": r["due"],
                "start": r["start"],
                "text": r["deadline_text"],
            },
            "cites": _loads(r["cites"], []),
            "section": r["section"],
            "phase": r["phase"],
            "targets": _loads(r["targets"], []),
            "provenance": {"path": r["path"], "block": r["block"], "page": r["page"], "span": span},
            "rowid": r["id"],
        }
        if r.get("lead_implied"):
            out["lead_implied"] = True
        return out
