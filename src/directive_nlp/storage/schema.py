"""Schema of the corpus database and its migrations.

The database is a plain SQLite file built with sqlite-utils, so it opens in Datasette as it is:
foreign keys are declared, JSON values are stored as JSON text, and ``tasks.text`` has an FTS5
index kept in sync by triggers. It runs in WAL mode so several processes can use it at once.

Tables (``*`` = JSON text):

* ``documents``   one row per document (a notice ingested as PDF, DOCX and TXT is one row):
                  its metadata only (symbol, type, title, issuer, date, signer, ``implements*``)
                  and ``primary_source``, the file whose extraction it carries
* ``sources``     one row per ingested file (path, sha256, format, pages, tasks found, when, and
                  ``extractor``, the fingerprint of the reading/extraction code that read it)
* ``extractions`` the full extraction JSON of each source (a side table: Datasette shows
                  readable document rows)
* ``sketches``    a small text fingerprint of each source (min-hashes of word shingles), used to
                  recognise the same text arriving in another format
* ``blocks``      the reading of each source (reading order, page, character span)
* ``tasks``       the obligations of each document, from its primary source (``lead*``,
                  ``support*``, deadline, ``targets*``, ``lead_source``, ``deadline_source``,
                  ``deliverable`` …)
* ``units``       every unit named as lead or support, by normalised key
* ``task_units``  which unit leads / supports which task (many-to-many)
* ``citations``   the documents each document cites
* ``schema_version`` the migrations applied

``migrate(db)`` brings any database (new or old) to ``SCHEMA_VERSION``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import sqlite_utils

from ..errors import DirectiveError
from ..i18n import msg

SCHEMA_VERSION = 2


class StoreError(DirectiveError):
    """The database cannot be used (not SQLite, made by a newer version, …)."""


def _create_v1(db: sqlite_utils.Database) -> None:
    db.table("documents").create(
        {
            "id": int,
            "path": str,
            "file_name": str,
            "sha256": str,
            "format": str,
            "pages": int,
            "symbol": str,
            "symbol_key": str,
            "doc_type": str,
            "title": str,
            "issuer": str,
            "issued_date": str,
            "signer": str,
            "implements": str,
            "ingested_at": str,
            "extractor": str,
            "extraction": str,
        },
        pk="id",
        not_null={"path", "sha256"},
    )
    db.table("documents").create_index(["path"], unique=True)
    db.table("documents").create_index(["symbol_key"])

    db.table("blocks").create(
        {
            "doc_id": int,
            "idx": int,
            "kind": str,
            "page": int,
            "span_start": int,
            "span_end": int,
            "label": str,
            "text": str,
        },
        pk=("doc_id", "idx"),
        foreign_keys=[("doc_id", "documents", "id")],
    )

    db.table("tasks").create(
        {
            "id": int,
            "doc_id": int,
            "task_id": str,
            "text": str,
            "section": str,
            "phase": str,
            "lead": str,
            "support": str,
            "lead_implied": int,
            "deadline_kind": str,
            "due": str,
            "start": str,
            "deadline_text": str,
            "targets": str,
            "cites": str,
            "block": int,
            "page": int,
            "span_start": int,
            "span_end": int,
        },
        pk="id",
        foreign_keys=[("doc_id", "documents", "id")],
        not_null={"doc_id", "text"},
    )
    db.table("tasks").create_index(["doc_id", "task_id"], unique=True)
    db.table("tasks").create_index(["due"])
    db.table("tasks").enable_fts(["text"], create_triggers=True, tokenize="unicode61 remove_diacritics 2")

    db.table("units").create({"key": str, "name": str}, pk="key")

    db.table("task_units").create(
        {"task": int, "unit": str, "role": str, "name": str},
        pk=("task", "unit", "role"),
        foreign_keys=[("task", "tasks", "id"), ("unit", "units", "key")],
    )
    db.table("task_units").create_index(["unit", "role"])

    db.table("citations").create(
        {
            "id": int,
            "doc_id": int,
            "symbol": str,
            "doc_type": str,
            "date": str,
            "issuer": str,
            "mentions": int,
            "evidence": str,
        },
        pk="id",
        foreign_keys=[("doc_id", "documents", "id")],
    )
    db.table("citations").create_index(["doc_id"])
    db.table("citations").create_index(["symbol"])

    # A convenience view for Datasette users: one row per obligation with its document.
    db.create_view(
        "obligations",
        """
        SELECT tasks.id AS task_rowid, documents.id AS doc_id,
               COALESCE(documents.symbol, documents.file_name) AS document,
               tasks.task_id, tasks.text, tasks.lead, tasks.support,
               tasks.deadline_kind, tasks.due, tasks.deadline_text, tasks.section
        FROM tasks JOIN documents ON documents.id = tasks.doc_id
        ORDER BY documents.id, tasks.id
    """,
    )


def _create_v2_tables(db: sqlite_utils.Database) -> None:
    """The tables v2 adds: sources, extractions (side table), sketches."""
    db.table("sources").create(
        {
            "id": int,
            "doc_id": int,
            "path": str,
            "file_name": str,
            "sha256": str,
            "format": str,
            "pages": int,
            "tasks": int,
            "ingested_at": str,
            "extractor": str,
        },
        pk="id",
        foreign_keys=[("doc_id", "documents", "id")],
        not_null={"path", "sha256", "doc_id"},
    )
    db.table("sources").create_index(["path"], unique=True)
    db.table("sources").create_index(["doc_id"])
    db.table("extractions").create(
        {"source_id": int, "extraction": str},
        pk="source_id",
        foreign_keys=[("source_id", "sources", "id")],
    )
    db.table("sketches").create(
        {"hash": int, "source_id": int},
        pk=("hash", "source_id"),
        foreign_keys=[("source_id", "sources", "id")],
    )
    db.table("sketches").create_index(["source_id"])


TASK_COLUMNS_V2 = ("basis", "lead_source", "deadline_source", "deliverable")

OBLIGATIONS_VIEW = """
    SELECT tasks.id AS task_rowid, documents.id AS doc_id,
           COALESCE(documents.symbol, sources.file_name) AS document,
           tasks.task_id, tasks.text, tasks.lead, tasks.support,
           tasks.deadline_kind, tasks.due, tasks.deadline_text, tasks.deliverable, tasks.section
    FROM tasks JOIN documents ON documents.id = tasks.doc_id
    LEFT JOIN sources ON sources.id = documents.primary_source
    ORDER BY documents.id, tasks.id
"""


def _migrate_v2(db: sqlite_utils.Database) -> None:
    """v1 -> v2: files become ``sources`` of documents, the extraction JSON a side table, blocks
    belong to sources, tasks gain lead/deadline sources and the deliverable."""
    from .textsig import sketch  # the same fingerprint new files get

    _create_v2_tables(db)
    db.execute(
        """INSERT INTO sources (id, doc_id, path, file_name, sha256, format, pages, tasks,
                                ingested_at, extractor)
           SELECT id, id, path, file_name, sha256, format, pages,
                  (SELECT COUNT(*) FROM tasks WHERE tasks.doc_id = documents.id), ingested_at, extractor
           FROM documents"""
    )
    db.execute("INSERT INTO extractions (source_id, extraction) SELECT id, extraction FROM documents")
    db.execute("DROP VIEW IF EXISTS obligations")
    db.table("blocks").transform(
        rename={"doc_id": "source_id"},
        foreign_keys=[("source_id", "sources", "id")],
    )
    for row in list(db.query("SELECT id FROM sources")):
        text = "\n".join(
            r[0] for r in db.execute("SELECT text FROM blocks WHERE source_id = ? ORDER BY idx", [row["id"]])
        )
        db.table("sketches").insert_all(
            ({"hash": h, "source_id": row["id"]} for h in sketch(text)), ignore=True
        )
    db.execute("DROP INDEX IF EXISTS idx_documents_path")
    db.table("documents").add_column("primary_source", int)
    db.execute("UPDATE documents SET primary_source = id")
    db.table("documents").transform(
        drop={"path", "file_name", "sha256", "format", "pages", "ingested_at", "extractor", "extraction"}
    )
    for col in TASK_COLUMNS_V2:
        db.table("tasks").add_column(col, str)
    db.create_view("obligations", OBLIGATIONS_VIEW)


# version -> function bringing the database from version - 1 to version
MIGRATIONS: dict[int, Callable[[sqlite_utils.Database], None]] = {1: _create_v1, 2: _migrate_v2}


def current_version(db: sqlite_utils.Database) -> int:
    """The schema version recorded in the database (0 for an empty database)."""
    if "schema_version" not in db.table_names():
        if db.table_names():
            raise StoreError(msg("err.not_our_database"))
        return 0
    row = db.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


@contextmanager
def immediate(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """A write transaction that takes the write lock at once (``BEGIN IMMEDIATE``).

    With WAL and a busy timeout, a second process waits for the lock here instead of failing
    later when its read transaction tries to become a write one.
    """
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


def migrate(db: sqlite_utils.Database) -> int:
    """Apply the missing migrations in one write transaction; return the final version.

    Foreign keys are off during the migration (tables are rebuilt) and checked at its end.
    Several processes opening a new database at once: one migrates, the others wait for its
    lock and then find nothing to do.
    """
    version = current_version(db)
    if version > SCHEMA_VERSION:
        raise StoreError(msg("err.schema_newer", version=version, supported=SCHEMA_VERSION))
    if version == SCHEMA_VERSION:
        return version
    db.execute("PRAGMA foreign_keys = OFF")
    with immediate(db):
        version = current_version(db)  # another process may have migrated meanwhile
        for target in range(version + 1, SCHEMA_VERSION + 1):
            if target == 1:
                db.table("schema_version").create({"version": int, "applied_at": str}, pk="version")
            MIGRATIONS[target](db)
            db.table("schema_version").insert(
                {
                    "version": target,
                    "applied_at": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
                }
            )
        broken = list(db.execute("PRAGMA foreign_key_check"))
        if broken:
            raise StoreError(msg("err.migration_orphans", n=len(broken)))
    return SCHEMA_VERSION
