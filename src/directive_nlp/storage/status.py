"""Task statuses in the store: progress reports, their status items, links, manual statuses.

Tables (created on first use by ``ensure_tables``; ``*`` = JSON text):

* ``status_reports``  one row per stored document recognised as a progress report
                      (``as_of``, why it was recognised, number of items)
* ``status_items``    one row per reported task (task words, status, unit, evidence,
                      ``cited*``, ``cites*``, ``assigned_by*``, as-of date, provenance)
* ``status_links``    which stored task an item reports on (``doc_id`` + ``task_id``, score, method)
* ``status_manual``   statuses set by hand (``status set``), with evidence and when
* ``status_history``  a view: every status of every task, from reports and by hand

Nothing is overwritten: a later report adds items, a re-ingested report replaces only its own
items, and the register picks the latest status per task (``followup.register``).

``record_report(store, doc_id, extraction, blocks)`` is the one call the ingest path makes after
a document is written: it stores the items of a report (none for other documents) and links
them; a newly stored plan relinks the stored reports, so order of ingestion does not matter.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import sqlite_utils

from ..followup.items import StatusItem, extract_items
from ..followup.link import Link, candidate_documents, link_items
from ..followup.recognise import recognise
from ..model import Block, Extraction

if TYPE_CHECKING:
    from .store import Store

TABLES = ("status_reports", "status_items", "status_links", "status_manual")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


def ensure_tables(db: sqlite_utils.Database) -> None:
    """Create the status tables and view when missing (idempotent, additive)."""
    names = set(db.table_names())
    if "status_reports" not in names:
        db.table("status_reports").create(
            {"doc_id": int, "as_of": str, "recognised_by": str, "items": int, "recorded_at": str},
            pk="doc_id",
            foreign_keys=[("doc_id", "documents", "id")],
        )
    if "status_items" not in names:
        db.table("status_items").create(
            {
                "id": int,
                "doc_id": int,
                "idx": int,
                "text": str,
                "status": str,
                "status_text": str,
                "unit": str,
                "evidence": str,
                "cited": str,
                "cites": str,
                "assigned_by": str,
                "deadline_text": str,
                "as_of": str,
                "grp": str,
                "kind": str,
                "block": int,
                "page": int,
                "span_start": int,
                "span_end": int,
            },
            pk="id",
            foreign_keys=[("doc_id", "documents", "id")],
            not_null={"doc_id", "text"},
        )
        db.table("status_items").create_index(["doc_id"])
    if "status_links" not in names:
        db.table("status_links").create(
            {"item": int, "doc_id": int, "task_id": str, "score": float, "method": str},
            pk=("item", "doc_id", "task_id"),
            foreign_keys=[("item", "status_items", "id"), ("doc_id", "documents", "id")],
        )
        db.table("status_links").create_index(["doc_id", "task_id"])
    if "status_manual" not in names:
        db.table("status_manual").create(
            {
                "id": int,
                "doc_id": int,
                "task_id": str,
                "status": str,
                "as_of": str,
                "evidence": str,
                "recorded_at": str,
            },
            pk="id",
            foreign_keys=[("doc_id", "documents", "id")],
        )
        db.table("status_manual").create_index(["doc_id", "task_id"])
    if "status_history" not in set(db.view_names()):
        db.create_view(
            "status_history",
            """
            SELECT l.doc_id, l.task_id, i.status, i.as_of, 'report' AS source_kind,
                   i.doc_id AS report_id, COALESCE(d.symbol, ps.file_name) AS source,
                   i.evidence, i.cited, i.id AS item, l.score, r.recorded_at
            FROM status_links l JOIN status_items i ON i.id = l.item
            JOIN documents d ON d.id = i.doc_id LEFT JOIN sources ps ON ps.id = d.primary_source
            JOIN status_reports r ON r.doc_id = i.doc_id
            UNION ALL
            SELECT m.doc_id, m.task_id, m.status, m.as_of, 'manual' AS source_kind,
                   NULL AS report_id, 'manual' AS source, m.evidence, '[]' AS cited, NULL AS item,
                   NULL AS score, m.recorded_at
            FROM status_manual m
            """,
        )


# --------------------------------------------------------------------------- writing


def _item_row(doc_id: int, it: StatusItem) -> dict[str, Any]:
    return {
        "doc_id": doc_id,
        "idx": it.index,
        "text": it.text,
        "status": it.status,
        "status_text": it.status_text,
        "unit": it.unit,
        "evidence": it.evidence,
        "cited": _json(it.cited),
        "cites": _json(it.cites),
        "assigned_by": _json(it.assigned_by),
        "deadline_text": it.deadline_text,
        "as_of": it.as_of,
        "grp": it.group,
        "kind": it.kind,
        "block": it.block,
        "page": it.page,
        "span_start": it.span[0] if it.span else None,
        "span_end": it.span[1] if it.span else None,
    }


def _row_item(r: dict[str, Any]) -> StatusItem:
    span = (r["span_start"], r["span_end"]) if r["span_start"] is not None else None
    return StatusItem(
        index=int(r["idx"]),
        text=r["text"],
        status=r["status"],
        status_text=r["status_text"],
        unit=r["unit"],
        evidence=r["evidence"],
        cited=json.loads(r["cited"] or "[]"),
        cites=json.loads(r["cites"] or "[]"),
        assigned_by=json.loads(r["assigned_by"] or "[]"),
        deadline_text=r["deadline_text"],
        as_of=r["as_of"],
        group=r["grp"],
        kind=r["kind"],
        block=r["block"],
        page=r["page"],
        span=span,
    )


def _delete_report(db: sqlite_utils.Database, doc_id: int) -> None:
    db.execute(
        "DELETE FROM status_links WHERE item IN (SELECT id FROM status_items WHERE doc_id = ?)", [doc_id]
    )
    db.execute("DELETE FROM status_items WHERE doc_id = ?", [doc_id])
    db.execute("DELETE FROM status_reports WHERE doc_id = ?", [doc_id])


def report_ids(db: sqlite_utils.Database) -> set[int]:
    ensure_tables(db)
    return {int(r[0]) for r in db.execute("SELECT doc_id FROM status_reports").fetchall()}


def record_report(store: Store, doc_id: int, extraction: Extraction, blocks: Sequence[Block]) -> int:
    """After ``doc_id`` was written: store its status items when it is a progress report, and link.

    Returns the number of status items stored (0 for a document that is not a report). A plan
    stored after the reports on it gets their statuses: every stored report is relinked.
    """
    db = store.db
    ensure_tables(db)
    _delete_report(db, doc_id)
    rec = recognise(extraction, blocks)
    if not rec.is_report:
        relink(store, only_for=doc_id)
        return 0
    found = extract_items(extraction, blocks)
    db.table("status_reports").insert(
        {
            "doc_id": doc_id,
            "as_of": found.as_of,
            "recognised_by": rec.reason,
            "items": len(found.items),
            "recorded_at": _now(),
        }
    )
    db.table("status_items").insert_all([_item_row(doc_id, it) for it in found.items])
    link_report(store, doc_id)
    return len(found.items)


def _documents(store: Store, exclude: set[int]) -> list[dict[str, Any]]:
    """Stored documents that are not reports (the ones a report may report on)."""
    return [d for d in store.documents() if int(d["id"]) not in exclude]


def _report_meta(db: sqlite_utils.Database, report_id: int) -> dict[str, Any]:
    row = db.execute(
        "SELECT e.extraction FROM documents d JOIN extractions e ON e.source_id = d.primary_source"
        " WHERE d.id = ?",
        [report_id],
    ).fetchone()
    ex = json.loads(row[0]) if row and row[0] else {}
    document = ex.get("document") or {}
    return {
        "issuer": document.get("issuer"),
        "implements": document.get("implements") or [],
        "cites": [c.get("symbol") for c in ex.get("citations") or []],
    }


def link_report(store: Store, report_id: int) -> list[Link]:
    """(Re)link the stored items of one report to the stored tasks."""
    db = store.db
    db.execute(
        "DELETE FROM status_links WHERE item IN (SELECT id FROM status_items WHERE doc_id = ?)", [report_id]
    )
    rows = list(db.query("SELECT * FROM status_items WHERE doc_id = ? ORDER BY idx", [report_id]))
    items = [_row_item(r) for r in rows if r["status"]]
    if not items:
        return []
    docs = _documents(store, report_ids(db))
    candidates = set(candidate_documents(_report_meta(db, report_id), docs))
    tasks = [t for t in store.tasks() if int(t["doc_id"]) in candidates]
    named_docs = [d for d in docs if d.get("symbol")]
    links = link_items(items, tasks, named_docs)
    # a task a status table row reports on takes its status from the row, not from the narrative
    kinds = {it.index: it.kind for it in items}
    in_table = {(lk.doc_id, lk.task_id) for lk in links if kinds[lk.item] == "table"}
    links = [lk for lk in links if kinds[lk.item] == "table" or (lk.doc_id, lk.task_id) not in in_table]
    ids = {int(r["idx"]): int(r["id"]) for r in rows}
    db.table("status_links").insert_all(
        [
            {
                "item": ids[lk.item],
                "doc_id": lk.doc_id,
                "task_id": lk.task_id,
                "score": lk.score,
                "method": lk.method,
            }
            for lk in links
        ],
        ignore=True,
    )
    return links


def relink(store: Store, only_for: int | None = None) -> int:
    """Relink the stored reports after a plan was added or changed; returns how many were.

    ``only_for``: the plan's id; only the reports whose candidate documents include it (or whose
    rows name it in their "Văn bản giao" column) are relinked."""
    reports = sorted(report_ids(store.db))
    if not reports:
        return 0
    docs = _documents(store, set(reports))
    symbol = next((d.get("symbol") for d in docs if int(d["id"]) == only_for), None)
    n = 0
    for rid in reports:
        if only_for is not None:
            affected = only_for in candidate_documents(_report_meta(store.db, rid), docs)
            if not affected and symbol:
                rows = store.db.execute(
                    "SELECT assigned_by FROM status_items WHERE doc_id = ?", [rid]
                ).fetchall()
                affected = any(symbol in json.loads(r[0] or "[]") for r in rows)
            if not affected:
                continue
        link_report(store, rid)
        n += 1
    return n


def set_manual(
    db: sqlite_utils.Database, doc_id: int, task_id: str, status: str, as_of: str, evidence: str | None
) -> int:
    """Record a status set by hand; returns its row id."""
    ensure_tables(db)
    row = {
        "doc_id": doc_id,
        "task_id": task_id,
        "status": status,
        "as_of": as_of,
        "evidence": evidence,
        "recorded_at": _now(),
    }
    return int(db.table("status_manual").insert(row).last_pk or 0)


# --------------------------------------------------------------------------- reading


def history(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every status of every task (reports and manual), oldest first."""
    ensure_tables(db)
    rows = []
    for r in db.query("SELECT * FROM status_history ORDER BY as_of, recorded_at"):
        r["cited"] = json.loads(r.get("cited") or "[]")
        rows.append(r)
    return rows


def items(db: sqlite_utils.Database, report_id: int | None = None) -> list[dict[str, Any]]:
    """Stored status items with the tasks they are linked to (``links``: [{doc_id, task_id}])."""
    ensure_tables(db)
    sql = (
        "SELECT i.*, COALESCE(d.symbol, ps.file_name) AS source FROM status_items i "
        "JOIN documents d ON d.id = i.doc_id LEFT JOIN sources ps ON ps.id = d.primary_source"
    )
    args: list[Any] = []
    if report_id is not None:
        sql, args = sql + " WHERE i.doc_id = ?", [report_id]
    links: dict[int, list[dict[str, Any]]] = {}
    for lk in db.query("SELECT * FROM status_links ORDER BY item, score DESC"):
        links.setdefault(int(lk["item"]), []).append(
            {"doc_id": lk["doc_id"], "task_id": lk["task_id"], "score": lk["score"]}
        )
    out = []
    for r in db.query(sql + " ORDER BY i.doc_id, i.idx", args):
        for k in ("cited", "cites", "assigned_by"):
            r[k] = json.loads(r[k] or "[]")
        r["links"] = links.get(int(r["id"]), [])
        out.append(r)
    return out
