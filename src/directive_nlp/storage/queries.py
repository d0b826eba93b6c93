"""Read-only SQL over the store for the reports: obligations, per-document and per-unit counts.

Everything here is one SQL query (or a few) over ``tasks``, ``task_units`` and ``documents``, so
an overview of hundreds of documents answers at once, where walking every task in Python
does not. The writers (``storage.store``) and the schema (``storage.schema``) live elsewhere;
nothing here writes.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from typing import Any

import sqlite_utils

from ..normalise.text import key as text_key
from .store import DATED_KINDS, Store, unit_key

# the optional task columns (newer schemas): read when present, else absent from the dict
OPTIONAL_TASK_FIELDS = ("deliverable", "lead_source", "deadline_source", "basis")
_DATED = ", ".join(f"'{k}'" for k in DATED_KINDS)


def _iso(value: _dt.date | str | None) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, _dt.date) else _dt.date.fromisoformat(value).isoformat()


def unit_keys(db: sqlite_utils.Database, name: str) -> list[str]:
    """The stored unit keys ``name`` denotes: its identity key, and every stored unit whose
    written name has the same tone-insensitive key."""
    keys = {unit_key(name)}
    wanted = text_key(name)
    for row in db.query("SELECT DISTINCT unit, name FROM task_units"):
        if text_key(row["name"]) == wanted:
            keys.add(row["unit"])
    return sorted(keys)


def _where(
    doc_id: int | None,
    keys: Sequence[str] | None,
    due_before: str | None,
    overdue_as_of: str | None,
    task_ids: Iterable[int] | None = None,
) -> tuple[str, list[Any]]:
    where: list[str] = []
    args: list[Any] = []
    if doc_id is not None:
        where.append("t.doc_id = ?")
        args.append(doc_id)
    if keys is not None:
        marks = ", ".join("?" for _ in keys) or "NULL"
        where.append(f"t.id IN (SELECT task FROM task_units WHERE unit IN ({marks}))")
        args.extend(keys)
    if due_before is not None:
        where.append("t.due IS NOT NULL AND t.due < ?")
        args.append(due_before)
    if overdue_as_of is not None:
        where.append(f"t.due IS NOT NULL AND t.due < ? AND t.deadline_kind IN ({_DATED})")
        args.append(overdue_as_of)
    if task_ids is not None:
        ids = list(task_ids)
        where.append(f"t.id IN ({', '.join('?' for _ in ids) or 'NULL'})")
        args.extend(ids)
    return (" WHERE " + " AND ".join(f"({w})" for w in where)) if where else "", args


def task_dict(row: dict[str, Any]) -> dict[str, Any]:
    """A stored task row as the store's task dict, plus the optional columns when present."""
    out = Store._task_dict(row)
    for key in OPTIONAL_TASK_FIELDS:
        if row.get(key):
            out[key] = row[key]
    return out


def obligations(
    db: sqlite_utils.Database,
    doc_id: int | None = None,
    unit: str | None = None,
    due_before: _dt.date | str | None = None,
    overdue_as_of: _dt.date | str | None = None,
) -> list[dict[str, Any]]:
    """Tasks with their document, filtered in SQL (one document, one unit leading or
    supporting, due strictly before a date, overdue as of a date), in document order."""
    keys = unit_keys(db, unit) if unit else None
    where, args = _where(doc_id, keys, _iso(due_before), _iso(overdue_as_of))
    sql = (
        "SELECT t.*, d.symbol, ps.file_name, ps.path, d.title AS doc_title, d.issued_date AS doc_date "
        "FROM tasks t JOIN documents d ON d.id = t.doc_id LEFT JOIN sources ps ON ps.id = d.primary_source"
        + where
        + " ORDER BY d.id, t.id"
    )
    out = []
    for row in db.query(sql, args):
        task = task_dict(row)
        task["doc_title"], task["doc_date"] = row["doc_title"], row["doc_date"]
        out.append(task)
    return out


def summary(
    db: sqlite_utils.Database,
    doc_id: int | None = None,
    unit: str | None = None,
    as_of: _dt.date | str | None = None,
) -> list[dict[str, Any]]:
    """Per-document counts (tasks, with a due date, overdue as of ``as_of``, distinct leads) in
    one grouped query; the same dicts as ``Store.summary``."""
    as_of_iso = _iso(as_of or _dt.date.today())
    keys = unit_keys(db, unit) if unit else None
    where, args = _where(doc_id, keys, None, None)
    join = "JOIN" if keys is not None else "LEFT JOIN"
    doc_where = " WHERE d.id = ?" if doc_id is not None else ""
    sql = f"""
        SELECT d.id AS doc_id, COALESCE(d.symbol, ps.file_name) AS document, d.doc_type, d.issuer,
               COUNT(t.id) AS tasks,
               COALESCE(SUM(t.due IS NOT NULL), 0) AS with_due,
               COALESCE(SUM(t.due IS NOT NULL AND t.due < ? AND t.deadline_kind IN ({_DATED})), 0)
                   AS overdue,
               (SELECT COUNT(DISTINCT tu.unit) FROM task_units tu JOIN tasks t2 ON t2.id = tu.task
                WHERE t2.doc_id = d.id AND tu.role = 'lead') AS leads
        FROM documents d LEFT JOIN sources ps ON ps.id = d.primary_source
        {join} (SELECT t.* FROM tasks t{where}) t ON t.doc_id = d.id
        {doc_where}
        GROUP BY d.id ORDER BY d.id
    """
    params = [as_of_iso, *args] + ([doc_id] if doc_id is not None else [])
    rows = [dict(r) | {"as_of": as_of_iso} for r in db.query(sql, params)]
    if keys is not None:
        rows = [r for r in rows if r["tasks"]]
    return rows


def unit_counts(db: sqlite_utils.Database, as_of: _dt.date | str | None = None) -> list[dict[str, Any]]:
    """Every unit named in a task: tasks it leads, supports, and of those, overdue as of
    ``as_of`` (today); most leads first."""
    as_of_iso = _iso(as_of or _dt.date.today())
    overdue = f"(t.due IS NOT NULL AND t.due < ? AND t.deadline_kind IN ({_DATED}))"
    sql = f"""
        SELECT u.key, u.name,
               COUNT(DISTINCT CASE WHEN tu.role = 'lead' THEN tu.task END) AS leads,
               COUNT(DISTINCT CASE WHEN tu.role = 'support' THEN tu.task END) AS supports,
               COUNT(DISTINCT CASE WHEN tu.role = 'lead' AND {overdue} THEN tu.task END) AS overdue_leads,
               COUNT(DISTINCT CASE WHEN tu.role = 'support' AND {overdue} THEN tu.task END)
                   AS overdue_supports,
               COUNT(DISTINCT t.doc_id) AS documents
        FROM units u JOIN task_units tu ON tu.unit = u.key JOIN tasks t ON t.id = tu.task
        GROUP BY u.key ORDER BY leads DESC, supports DESC, u.name
    """
    return [dict(r) for r in db.query(sql, [as_of_iso, as_of_iso])]


def tasks_of_units(db: sqlite_utils.Database, unit: str) -> set[int]:
    """Row ids of the tasks ``unit`` leads or supports."""
    keys = unit_keys(db, unit)
    marks = ", ".join("?" for _ in keys)
    return {r["task"] for r in db.query(f"SELECT task FROM task_units WHERE unit IN ({marks})", keys)}


def search(
    store: Store, query: str, unit: str | None = None, doc_id: int | None = None, limit: int = 50
) -> list[dict[str, Any]]:
    """``Store.search`` (full text, diacritics-insensitive, best first) narrowed to one unit
    (lead or support) and/or one document; at most ``limit`` results."""
    if unit is None and doc_id is None:
        return store.search(query, limit=limit)
    allowed = tasks_of_units(store.db, unit) if unit else None
    found = []
    for task in store.search(query, limit=1_000_000):
        if doc_id is not None and task["doc_id"] != doc_id:
            continue
        if allowed is not None and task["rowid"] not in allowed:
            continue
        found.append(task)
        if len(found) >= limit:
            break
    return found
