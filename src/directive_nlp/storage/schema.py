"""Schema of the corpus database and its migrations.

The database is a plain SQLite file built with sqlite-utils, so it opens in Datasette as it is:
foreign keys are declared, JSON values are stored as JSON text, and ``tasks.text`` has an FTS5
index kept in sync by triggers.

Tables (``*`` = JSON text):

* ``documents``  one row per ingested file (latest version of that path; ``extractor`` is the
                 fingerprint of the reading/extraction code and data that produced it)
* ``blocks``     the reading of each document (reading order, page, character span)
* ``tasks``      the extracted obligations (``lead*``, ``support*``, deadline, ``targets*`` …)
* ``units``      every unit named as lead or support, by normalised key
* ``task_units`` which unit leads / supports which task (many-to-many)
* ``citations``  the documents each document cites
* ``schema_version`` the migrations applied

``migrate(db)`` brings any database (new or old) to ``SCHEMA_VERSION``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable

import sqlite_utils

from ..errors import DirectiveError

SCHEMA_VERSION = 1


class StoreError(DirectiveError):
    """The database cannot be used (not SQLite, made by a newer version, …)."""


def _create_v1(db: sqlite_utils.Database) -> None:
    db["documents"].create(
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
    db["documents"].create_index(["path"], unique=True)
    db["documents"].create_index(["symbol_key"])

    db["blocks"].create(
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

    db["tasks"].create(
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
    db["tasks"].create_index(["doc_id", "task_id"], unique=True)
    db["tasks"].create_index(["due"])
    db["tasks"].enable_fts(["text"], create_triggers=True, tokenize="unicode61 remove_diacritics 2")

    db["units"].create({"key": str, "name": str}, pk="key")

    db["task_units"].create(
        {"task": int, "unit": str, "role": str, "name": str},
        pk=("task", "unit", "role"),
        foreign_keys=[("task", "tasks", "id"), ("unit", "units", "key")],
    )
    db["task_units"].create_index(["unit", "role"])

    db["citations"].create(
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
    db["citations"].create_index(["doc_id"])
    db["citations"].create_index(["symbol"])

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


# version -> function bringing the database from version - 1 to version
MIGRATIONS: dict[int, Callable[[sqlite_utils.Database], None]] = {1: _create_v1}


def current_version(db: sqlite_utils.Database) -> int:
    """The schema version recorded in the database (0 for an empty database)."""
    if "schema_version" not in db.table_names():
        if db.table_names():
            raise StoreError("not a directive-nlp database (it has tables but no schema_version)")
        return 0
    row = db.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def migrate(db: sqlite_utils.Database) -> int:
    """Apply the missing migrations, each in its own transaction; return the final version."""
    version = current_version(db)
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"database schema v{version} is newer than this directive-nlp "
            f"(v{SCHEMA_VERSION}); upgrade directive-nlp"
        )
    for target in range(version + 1, SCHEMA_VERSION + 1):
        with db.atomic():
            if target == 1:
                db["schema_version"].create({"version": int, "applied_at": str}, pk="version")
            MIGRATIONS[target](db)
            db["schema_version"].insert(
                {
                    "version": target,
                    "applied_at": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
                }
            )
    return SCHEMA_VERSION
