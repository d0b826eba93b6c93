"""Corpus store: the SQL side of the document database (SQLite through sqlite-utils).

Reading and extracting files is ``directive_nlp.ingest``'s work; this module only writes what it
hands over and answers queries, returning typed objects where the data is an extraction::

    from directive_nlp.storage.store import Store

    with Store("outputs/directives.db") as store:
        store.documents()                                 # [{id, symbol, doc_type, …, tasks}]
        store.document("02-KH/BCĐTW")                     # symbol, path or id -> dict | None
        store.extraction("02-KH/BCĐTW")                   # -> Extraction | None
        store.extractions()                               # spec JSON + doc_id + path
        store.tasks(doc="02-KH/BCĐTW", unit="Bộ Công an", due_before="2025-09-30")
        store.summary(as_of=date.today())

One document, one record: a file whose document is already stored (same symbol, issuer and
date, or near-identical text) becomes another *source* of that document, and the document's
tasks come from one source only (the one with the most tasks). Each file is written in one
transaction (``BEGIN IMMEDIATE``, retried when another process holds the lock): a failure
leaves nothing half-written, and a changed file (same path, new sha256) replaces its previous
version. The database runs in WAL mode with a busy timeout, so several processes can ingest
into it at once.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import random
import sqlite3
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils

from ..errors import NotFoundError
from ..i18n import msg
from ..model import Block, Citation, Extraction, Task
from ..normalise.text import key as text_key
from ..units import same_unit
from ..units import unit_identity as units_identity
from . import textsig
from .schema import SCHEMA_VERSION, StoreError, immediate, migrate

__all__ = [
    "Store",
    "StoredFile",
    "Written",
    "StoreError",
    "SCHEMA_VERSION",
    "default_db_path",
    "default_output_dir",
    "symbol_key",
    "unit_key",
    "unit_identity",
    "same_unit",
    "is_overdue",
    "DATED_KINDS",
]

# Deadline kinds with a real due date: the only ones that can be overdue.
DATED_KINDS = ("by_date", "in_month", "in_quarter", "in_year", "range")
# How long a writer waits for another process's lock, and how often a busy write is retried.
BUSY_TIMEOUT_MS = 60_000
WRITE_ATTEMPTS = 8
# Which file of a document is its primary source when task counts tie (lower wins).
FORMAT_RANK = {"docx": 0, "md": 1, "txt": 2, "pdf": 3}

T = TypeVar("T")


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


def is_overdue(task: dict[str, Any], as_of: _dt.date | str) -> bool:
    """Due strictly before ``as_of``; standing, recurring, immediate and undated tasks never are."""
    dl = task.get("deadline") or {}
    due = dl.get("due")
    return bool(due) and dl.get("kind") in DATED_KINDS and str(due) < _iso(as_of)


def _iso(value: _dt.date | str) -> str:
    if isinstance(value, _dt.date):
        return value.isoformat()
    return _dt.date.fromisoformat(str(value)).isoformat()


# --------------------------------------------------------------------------- what is written


@dataclass
class StoredFile:
    """One file and what reading and extracting it gave, as the writer stores it."""

    path: str  # absolute path, display form (bytes that are not UTF-8 escaped as \xNN)
    sha256: str
    extraction: Extraction
    blocks: Sequence[Block] = ()
    sketch: Sequence[int] = ()  # textsig.sketch of the text read
    extractor: str = ""  # fingerprint of the reading/extraction code that produced it
    units: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> unit_identity

    @property
    def file_name(self) -> str:
        return Path(self.path).name


@dataclass
class Written:
    """What ``Store.write`` did with one file."""

    doc_id: int
    status: str  # added (new document) | updated (same file, new content) | merged (another source)
    tasks: int  # tasks the document holds now
    citations: int
    gained: tuple[int, int] = (0, 0)  # tasks and citations the document gained by this write


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _loads(value: str | None, default: Any) -> Any:
    return json.loads(value) if value else default


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


def _pk(value: Any) -> int:
    """The integer primary key sqlite-utils reports for an insert."""
    if value is None:
        raise sqlite3.IntegrityError("insert returned no primary key")
    return int(value)


def _busy(e: sqlite3.OperationalError) -> bool:
    text = str(e).lower()
    return "locked" in text or "busy" in text


# --------------------------------------------------------------------------- the store


class Store:
    """The corpus database. ``Store(path)``; ``create=False`` refuses a missing file."""

    def __init__(self, path: str | Path | None = None, *, create: bool = True):
        self.path = Path(path) if path is not None else default_db_path()
        if not self.path.exists():
            if not create:
                raise StoreError(f"{self.path}: {msg('err.no_database')}")
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite_utils.Database(self.path)
            self.db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._retry(lambda: self.db.execute("PRAGMA journal_mode = WAL"))
            self._retry(lambda: migrate(self.db))
            self.db.execute("PRAGMA foreign_keys = ON")
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path}: {msg('err.not_sqlite', detail=e)}") from None

    # ----------------------------------------------------------------- lifecycle
    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @staticmethod
    def _retry(fn: Callable[[], T]) -> T:
        """Run ``fn``, again after a short random pause while another process holds the lock."""
        for attempt in range(WRITE_ATTEMPTS):
            try:
                return fn()
            except sqlite3.OperationalError as e:
                if not _busy(e) or attempt == WRITE_ATTEMPTS - 1:
                    raise
                time.sleep(min(2.0, 0.05 * 2**attempt) * (0.5 + random.random()))
        raise AssertionError("unreachable")  # pragma: no cover

    # ----------------------------------------------------------------- files already stored
    def stored_file(self, path: str) -> dict[str, Any] | None:
        """The ``sources`` row of a file path (absolute, display form), or None."""
        rows = list(self.db.query("SELECT * FROM sources WHERE path = ?", [path]))
        return rows[0] if rows else None

    def unchanged(self, path: str, sha256: str, extractor: str) -> Written | None:
        """What is stored for ``path`` when it was read with the same content and extractor."""
        row = self.stored_file(path)
        if row is None or row["sha256"] != sha256 or row["extractor"] != extractor:
            return None
        n_tasks, n_cit = self._child_counts(row["doc_id"])
        return Written(doc_id=row["doc_id"], status="unchanged", tasks=n_tasks, citations=n_cit)

    # ----------------------------------------------------------------- writing
    def write(self, item: StoredFile) -> Written:
        """Store one file in a single transaction (retried while another process writes).

        The file becomes a source of the document it matches (same symbol, issuer and date, or
        near-identical text), else of a new document; an older version of the same path is
        replaced. The document's tasks come from its best source (most tasks, then DOCX > MD >
        TXT > PDF, then path), so the order files arrive in does not change the result.
        """
        return self._retry(lambda: self._write_once(item))

    def _write_once(self, item: StoredFile) -> Written:
        with immediate(self.db):
            old = self.stored_file(item.path)
            old_doc = int(old["doc_id"]) if old else None
            if old is not None:
                self._delete_source(int(old["id"]))
            target = self._match(item)
            before = self._child_counts(target) if target is not None else (0, 0)
            status = "merged" if target is not None else "added"
            if target is None and old_doc is not None and not self._source_ids(old_doc):
                target, status = old_doc, "updated"  # same file, new content: keep its id
            elif target is not None and target == old_doc:
                status = "updated"
            if target is None:
                target = _pk(self.db.table("documents").insert(self._meta_row(item.extraction)).last_pk)
            source_id = self._insert_source(target, item, int(old["id"]) if old else None)
            self._choose_primary(target, fresh={source_id: item})
            from .status import record_report  # follow-up: the status items of a progress report

            record_report(self, target, item.extraction, item.blocks)
            if old_doc is not None and old_doc != target:
                if self._source_ids(old_doc):
                    self._choose_primary(old_doc, fresh={})
                else:
                    self._delete_document(old_doc)
            n_tasks, n_cit = self._child_counts(target)
        gained = (n_tasks - before[0], n_cit - before[1])
        return Written(doc_id=target, status=status, tasks=n_tasks, citations=n_cit, gained=gained)

    def _insert_source(self, doc_id: int, item: StoredFile, source_id: int | None) -> int:
        ex = item.extraction
        row: dict[str, Any] = {
            "doc_id": doc_id,
            "path": item.path,
            "file_name": item.file_name,
            "sha256": item.sha256,
            "format": ex.source.get("format"),
            "pages": ex.source.get("pages"),
            "tasks": len(ex.tasks),
            "ingested_at": _now(),
            "extractor": item.extractor,
        }
        if source_id is not None:
            row["id"] = source_id
        sid = _pk(self.db.table("sources").insert(row).last_pk)
        self.db.table("extractions").insert({"source_id": sid, "extraction": _json(ex.to_dict())})
        self.db.table("sketches").insert_all(
            ({"hash": h, "source_id": sid} for h in item.sketch), ignore=True
        )
        self._insert_blocks(sid, item.blocks)
        return sid

    def _source_ids(self, doc_id: int) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT id FROM sources WHERE doc_id = ?", [doc_id])]

    def _delete_source(self, source_id: int) -> None:
        for table in ("blocks", "sketches", "extractions"):
            self.db.execute(f"DELETE FROM {table} WHERE source_id = ?", [source_id])
        self.db.execute("DELETE FROM sources WHERE id = ?", [source_id])

    def _delete_content(self, doc_id: int) -> None:
        self.db.execute(
            "DELETE FROM task_units WHERE task IN (SELECT id FROM tasks WHERE doc_id = ?)", [doc_id]
        )
        for table in ("tasks", "citations"):
            self.db.execute(f"DELETE FROM {table} WHERE doc_id = ?", [doc_id])
        self.db.execute("DELETE FROM units WHERE key NOT IN (SELECT unit FROM task_units)")

    def _delete_document(self, doc_id: int) -> None:
        self._delete_content(doc_id)
        self.db.execute("DELETE FROM documents WHERE id = ?", [doc_id])

    def _choose_primary(self, doc_id: int, fresh: dict[int, StoredFile]) -> None:
        """Make the document's best source its primary one; rewrite its content if that changed."""
        rows = list(self.db.query("SELECT id, path, format, tasks FROM sources WHERE doc_id = ?", [doc_id]))
        best = min(rows, key=lambda r: (-(r["tasks"] or 0), FORMAT_RANK.get(r["format"], 9), r["path"]))
        current = self.db.execute("SELECT primary_source FROM documents WHERE id = ?", [doc_id]).fetchone()
        if current and current[0] == best["id"] and best["id"] not in fresh:
            return
        item = fresh.get(best["id"])
        if item is not None:
            ex, units = item.extraction, item.units
        else:
            stored = self.db.execute(
                "SELECT extraction FROM extractions WHERE source_id = ?", [best["id"]]
            ).fetchone()
            ex, units = Extraction.from_dict(_loads(stored[0] if stored else None, {})), {}
        self._delete_content(doc_id)
        self.db.table("documents").update(doc_id, {**self._meta_row(ex), "primary_source": best["id"]})
        self._insert_tasks(doc_id, ex.tasks, units)
        self._insert_citations(doc_id, ex.citations)

    # ----------------------------------------------------------------- one document, one record
    def _match(self, item: StoredFile) -> int | None:
        """The stored document ``item`` is another copy of: same symbol, issuer and date, or
        near-identical text (never two different symbols or two different dates)."""
        meta = item.extraction.document
        skey = symbol_key(meta.symbol)

        def compatible(row: dict[str, Any]) -> bool:
            if skey and row["symbol_key"] and row["symbol_key"] != skey:
                return False
            return not (meta.issued_date and row["issued_date"] and row["issued_date"] != meta.issued_date)

        if skey and meta.issued_date:
            for row in self.db.query(
                "SELECT id, symbol_key, issuer, issued_date FROM documents WHERE symbol_key = ?"
                " AND issued_date = ? ORDER BY id",
                [skey, meta.issued_date],
            ):
                if not (meta.issuer and row["issuer"]) or text_key(meta.issuer) == text_key(row["issuer"]):
                    return int(row["id"])
        if not item.sketch:
            return None
        marks = ", ".join("?" * len(item.sketch))
        candidates = self.db.execute(
            f"SELECT source_id, COUNT(*) AS n FROM sketches WHERE hash IN ({marks})"
            " GROUP BY source_id ORDER BY n DESC, source_id LIMIT 8",
            list(item.sketch),
        ).fetchall()
        for source_id, _n in candidates:
            sql = "SELECT hash FROM sketches WHERE source_id = ?"
            other = [r[0] for r in self.db.execute(sql, [source_id])]
            if textsig.similarity(item.sketch, other) < textsig.SAME_TEXT:
                continue
            rows = list(
                self.db.query(
                    "SELECT d.id, d.symbol_key, d.issued_date FROM documents d"
                    " JOIN sources s ON s.doc_id = d.id WHERE s.id = ?",
                    [source_id],
                )
            )
            if rows and compatible(rows[0]):
                return int(rows[0]["id"])
        return None

    # ----------------------------------------------------------------- write helpers
    @staticmethod
    def _meta_row(ex: Extraction) -> dict[str, Any]:
        d = ex.document
        return {
            "symbol": d.symbol,
            "symbol_key": symbol_key(d.symbol),
            "doc_type": d.doc_type,
            "title": d.title,
            "issuer": d.issuer,
            "issued_date": d.issued_date,
            "signer": d.signer,
            "implements": _json(list(d.implements)),
        }

    def _insert_blocks(self, source_id: int, blocks: Sequence[Block]) -> int:
        rows = (
            {
                "source_id": source_id,
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
        self.db.table("blocks").insert_all(rows, batch_size=500)
        return len(blocks)

    def _insert_tasks(
        self, doc_id: int, tasks: Sequence[Task], units_known: dict[str, tuple[str, str]] | None = None
    ) -> int:
        next_id = int(self.db.execute("SELECT COALESCE(MAX(id), 0) FROM tasks").fetchone()[0]) + 1
        rows: list[dict[str, Any]] = []
        links: list[dict[str, Any]] = []
        units: dict[str, str] = {}
        used: set[str] = set()
        known = units_known or {}
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
                    "basis": t.basis,
                    "lead_source": t.lead_source,
                    "deadline_source": t.deadline_source,
                    "deliverable": t.deliverable,
                    "block": prov.block if prov else None,
                    "page": prov.page if prov else None,
                    "span_start": prov.span[0] if prov else None,
                    "span_end": prov.span[1] if prov else None,
                }
            )
            for role, names in (("lead", t.lead), ("support", t.support)):
                for name in names:
                    k, display = known.get(name) or unit_identity(name)
                    if not k:
                        continue
                    units.setdefault(k, display)
                    links.append({"task": rowid, "unit": k, "role": role, "name": name})
        self.db.table("tasks").insert_all(rows, batch_size=200)
        self.db.table("units").insert_all(({"key": k, "name": v} for k, v in units.items()), ignore=True)
        self.db.table("task_units").insert_all(links, ignore=True)
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
        self.db.table("citations").insert_all(rows)
        return len(rows)

    # ----------------------------------------------------------------- read helpers
    def _child_counts(self, doc_id: int) -> tuple[int, int]:
        row = self.db.execute(
            "SELECT (SELECT COUNT(*) FROM tasks WHERE doc_id = ?),"
            " (SELECT COUNT(*) FROM citations WHERE doc_id = ?)",
            [doc_id, doc_id],
        ).fetchone()
        return int(row[0]), int(row[1])

    # a document with its primary source's file columns (path, file_name, format, …)
    _DOC_SQL = """
        SELECT d.id, d.symbol, d.doc_type, d.title, d.issuer, d.issued_date, d.signer,
               d.implements, s.path, s.file_name, s.format, s.pages, s.sha256, s.ingested_at,
               s.extractor, d.primary_source,
               (SELECT COUNT(*) FROM sources x WHERE x.doc_id = d.id) AS sources,
               (SELECT COUNT(*) FROM tasks t WHERE t.doc_id = d.id) AS tasks,
               (SELECT COUNT(*) FROM citations c WHERE c.doc_id = d.id) AS citations
        FROM documents d LEFT JOIN sources s ON s.id = d.primary_source
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
            ("d.id IN (SELECT doc_id FROM sources WHERE path = ?)", str(Path(text).expanduser().resolve())),
            ("d.id IN (SELECT doc_id FROM sources WHERE file_name = ?)", Path(text).name),
        ):
            rows = list(self.db.query(self._DOC_SQL + f" WHERE {where} ORDER BY d.id", [arg]))
            if rows:
                return [self._doc_dict(r) for r in rows]
        return []

    def document(self, ref: str | int | Path) -> dict[str, Any] | None:
        """The document ``ref`` names, or None.

        When several share a symbol (two different documents numbered alike), the one with the
        most tasks wins, then the most recently ingested.
        """
        found = self.find_documents(ref)
        if not found:
            return None
        return max(found, key=lambda d: (d["tasks"], d["id"]))

    def sources(self, doc: str | int | Path | None = None) -> list[dict[str, Any]]:
        """The files stored as sources of one document (or of every document), primary first."""
        sql, args = "SELECT s.*, (s.id = d.primary_source) AS is_primary FROM sources s", []
        sql += " JOIN documents d ON d.id = s.doc_id"
        if doc is not None:
            sql, args = sql + " WHERE s.doc_id = ?", [self._require(doc)["id"]]
        return list(self.db.query(sql + " ORDER BY s.doc_id, is_primary DESC, s.path", args))

    def extractions(self) -> list[dict[str, Any]]:
        """Every document's extraction (spec JSON of its primary source) plus "doc_id" and "path"."""
        out = []
        for row in self.db.query(
            "SELECT d.id, s.path, e.extraction FROM documents d JOIN sources s ON s.id = d.primary_source"
            " JOIN extractions e ON e.source_id = s.id ORDER BY d.id"
        ):
            data = _loads(row["extraction"], {})
            data["doc_id"] = row["id"]
            data["path"] = row["path"]
            out.append(data)
        return out

    def extraction_data(self, doc: str | int | Path) -> dict[str, Any]:
        """One document's extraction as stored (spec JSON of its primary source, plus "doc_id" and
        "path", as in ``extractions()``); ``NotFoundError`` if there is none."""
        d = self._require(doc)
        row = self.db.execute(
            "SELECT extraction FROM extractions WHERE source_id = ?", [d["primary_source"]]
        ).fetchone()
        if row is None:
            raise NotFoundError(msg("err.no_stored_extraction", ref=doc, path=self.path))
        data = _loads(row[0], {})
        data["doc_id"], data["path"] = d["id"], d["path"]
        return data

    def extraction(self, doc: str | int | Path) -> Extraction:
        """The typed extraction of one document (its primary source's); ``NotFoundError`` if none."""
        return Extraction.from_dict(self.extraction_data(doc))

    def blocks(self, doc: str | int | Path) -> list[dict[str, Any]]:
        """The stored reading of one document (its primary source), in reading order."""
        d = self._require(doc)
        return list(
            self.db.query("SELECT * FROM blocks WHERE source_id = ? ORDER BY idx", [d["primary_source"]])
        )

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
        sql = (
            "SELECT t.*, d.symbol, s.file_name, s.path FROM tasks t JOIN documents d ON d.id = t.doc_id"
            " LEFT JOIN sources s ON s.id = d.primary_source"
        )
        if where:
            sql += " WHERE " + " AND ".join(f"({w})" for w in where)
        rows = [self._task_dict(r) for r in self.db.query(sql + " ORDER BY d.id, t.id", args)]
        if unit:
            rows = [r for r in rows if any(same_unit(unit, n) for n in r["lead"] + r["support"])]
        return rows

    def search(self, query: str, limit: int = 50) -> list[dict[str, Any]]:
        """Full-text search of task texts (FTS5, diacritics-insensitive), best first."""
        sql = (
            "SELECT t.*, d.symbol, s.file_name, s.path FROM tasks_fts f "
            "JOIN tasks t ON t.id = f.rowid JOIN documents d ON d.id = t.doc_id "
            "LEFT JOIN sources s ON s.id = d.primary_source "
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
        """Row count of every table (documents, sources, blocks, tasks, units, task_units, citations)."""
        names = ("documents", "sources", "blocks", "tasks", "units", "task_units", "citations")
        return {n: int(self.db.execute(f"SELECT COUNT(*) FROM {n}").fetchone()[0]) for n in names}

    # ----------------------------------------------------------------- internals
    def _require(self, ref: str | int | Path | dict[str, Any]) -> dict[str, Any]:
        if isinstance(ref, dict):
            return ref
        d = self.document(ref)
        if d is None:
            raise NotFoundError(msg("err.not_in_store", ref=ref, path=self.path))
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
        for k in ("basis", "lead_source", "deadline_source", "deliverable"):
            if r.get(k):
                out[k] = r[k]
        return out
