"""Library functions behind the ``status`` and ``report`` commands (the CLI is a thin layer).

::

    from directive_nlp.storage.store import Store
    from directive_nlp import tracking as api

    with Store("outputs/directives.db") as store:
        reg = api.status_register(store, doc=None, unit=None, as_of="20/9/2025")
        reg.rows                     # [RegisterRow] one per task: status, as_of, source, evidence
        reg.unmatched                # status items that report on no stored task
        api.set_status(store, "2:t5", "done", evidence="Quyết định số 41/QĐ-UBND")
        api.periodic_report(store, "002_71bab22afd98218f.txt", as_of="2025-09-30")
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import DirectiveError
from .extraction.deadlines import parse_day
from .followup import STATUSES, UNREPORTED
from .followup.register import RegisterRow, attention_order, build_register, counts
from .i18n import msg
from .storage import status as st

if TYPE_CHECKING:
    from .storage.store import Store


class StatusError(DirectiveError):
    """A bad date, status or task reference given to the follow-up functions."""

    def __init__(self, key: str, **params: Any):
        self.key, self.params = key, params
        super().__init__(key)

    def __str__(self) -> str:
        return msg(self.key, **self.params)


def parse_date(value: str | _dt.date | None) -> _dt.date | None:
    """A date written dd/mm/yyyy, d/m/yyyy or ISO (``deadlines.parse_day``); None stays None."""
    if value is None or isinstance(value, _dt.date):
        return value
    day = parse_day(value)
    if day is None:
        raise StatusError("err.status_bad_date", value=value)
    return day


@dataclass
class Register:
    as_of: _dt.date
    rows: list[RegisterRow]
    document: dict[str, Any] | None = None
    unmatched: list[dict[str, Any]] = field(default_factory=list)
    reports: list[dict[str, Any]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return counts(self.rows)


def document_label(doc: dict[str, Any]) -> str:
    """How a person names a stored document: its symbol, else its type and issuer
    ("Kế hoạch – Ủy ban nhân dân phường Hải An"), else its file name."""
    from .extraction.citations import doc_types

    if doc.get("symbol"):
        return str(doc["symbol"])
    names = {t.abbr: t.names[0] for t in doc_types() if t.names}
    kind = names.get(doc.get("doc_type") or "")
    if kind and doc.get("issuer"):
        return f"{kind} – {doc['issuer']}"
    return str(doc.get("file_name") or doc.get("name") or doc.get("id"))


def _report_ids(store: Store) -> set[int]:
    from .storage.status import report_ids

    return report_ids(store.db)


def status_register(
    store: Store,
    doc: str | int | None = None,
    *,
    unit: str | None = None,
    as_of: str | _dt.date | None = None,
    overdue: bool = False,
    unreported: bool = False,
) -> Register:
    """Per task its latest status as of ``as_of`` (today): the register.

    ``doc`` restricts it to one document's tasks (else every stored document that is not a
    report; for a report, the tasks it reports on); ``unit`` to the tasks a unit leads or
    supports; ``overdue`` / ``unreported`` to those. ``unmatched`` lists the items matching no
    task of the reports concerned (every report, the reports on ``doc``, or ``doc`` itself).
    """
    day = parse_date(as_of) or _dt.date.today()
    reports = _report_ids(store)
    document = store._require(doc) if doc is not None else None
    all_items = st.items(store.db)
    if document is not None and int(document["id"]) in reports:
        # a report: the tasks it reports on, whatever document assigned them
        linked = {
            (lk["doc_id"], lk["task_id"])
            for i in all_items
            if i["doc_id"] == document["id"]
            for lk in i["links"]
        }
        tasks = [t for t in store.tasks(unit=unit) if (t["doc_id"], t["id"]) in linked]
        sources = {int(document["id"])}
    else:
        tasks = store.tasks(doc=document["id"] if document else None, unit=unit)
        if document is None:
            tasks = [t for t in tasks if int(t["doc_id"]) not in reports]
            sources = reports
        else:  # the reports that report on this document
            sources = {
                int(i["doc_id"])
                for i in all_items
                if any(lk["doc_id"] == document["id"] for lk in i["links"])
            }
    rows = build_register(tasks, st.history(store.db), day)
    labels = {int(d["id"]): document_label(d) for d in store.documents()}
    for r in rows:
        r.document_label = labels.get(r.doc_id)
    if overdue:
        rows = [r for r in rows if r.status == "overdue"]
    if unreported:
        rows = [r for r in rows if not r.reported]
    unmatched = [i for i in all_items if not i["links"] and int(i["doc_id"]) in sources]
    if unit:
        from .units import same_unit

        unmatched = [i for i in unmatched if i.get("unit") and same_unit(unit, i["unit"])]
    report_rows = [
        dict(r)
        for r in store.db.query(
            "SELECT r.*, COALESCE(d.symbol, ps.file_name) AS source FROM status_reports r "
            "JOIN documents d ON d.id = r.doc_id"
            " LEFT JOIN sources ps ON ps.id = d.primary_source ORDER BY r.doc_id"
        )
    ]
    return Register(as_of=day, rows=rows, document=document, unmatched=unmatched, reports=report_rows)


def status_items(store: Store, report: str | int | None = None) -> list[dict[str, Any]]:
    """The stored status items (of one report), each with the tasks it is linked to."""
    rid = store._require(report)["id"] if report is not None else None
    st.ensure_tables(store.db)
    return st.items(store.db, rid)


def find_task(store: Store, ref: str) -> dict[str, Any]:
    """The stored task ``ref`` names: "DOC:TASK_ID" (DOC a symbol, file name or id) or a task rowid."""
    text = ref.strip()
    if text.isdigit():
        for t in store.tasks():
            if int(t["rowid"]) == int(text):
                return t
    elif ":" in text:
        doc_ref, _, task_id = text.rpartition(":")
        document = store.document(doc_ref)
        if document is not None:
            for t in store.tasks(doc=document["id"]):
                if t["id"] == task_id:
                    return t
    raise StatusError("err.status_no_task", ref=ref)


def set_status(
    store: Store,
    task: str,
    status: str,
    *,
    evidence: str | None = None,
    as_of: str | _dt.date | None = None,
) -> dict[str, Any]:
    """Record a status set by hand for one task (kept in the history as ``manual``)."""
    if status not in STATUSES:
        raise StatusError("err.status_unknown", status=status, expected=", ".join(STATUSES))
    found = find_task(store, task)
    day = parse_date(as_of) or _dt.date.today()
    with store.db.atomic():
        row_id = st.set_manual(
            store.db, int(found["doc_id"]), str(found["id"]), status, day.isoformat(), evidence
        )
    return {
        "id": row_id,
        "document": found["document"],
        "task_id": found["id"],
        "status": status,
        "as_of": day.isoformat(),
        "evidence": evidence,
        "text": found["text"],
    }


def task_history(store: Store, task: str) -> dict[str, Any]:
    """One task and every status it was given (reports and by hand), oldest first."""
    found = find_task(store, task)
    entries = [
        e
        for e in st.history(store.db)
        if int(e["doc_id"]) == int(found["doc_id"]) and str(e["task_id"]) == str(found["id"])
    ]
    return {"task": found, "history": entries}


def report_links(store: Store) -> list[dict[str, Any]]:
    """Every link of a status item to a task: {report_doc_id, doc_id, task_id, status, as_of,
    item} (the graph's ``reports_on`` edges)."""
    return [
        {
            "report_doc_id": i["doc_id"],
            "doc_id": lk["doc_id"],
            "task_id": lk["task_id"],
            "status": i["status"],
            "as_of": i["as_of"],
            "item": i["text"],
        }
        for i in st.items(store.db)
        for lk in i["links"]
    ]


@dataclass
class PeriodicReport:
    """The "báo cáo định kỳ" on one document's tasks as of a date."""

    as_of: _dt.date
    document: dict[str, Any]
    rows: list[RegisterRow]
    groups: list[tuple[str | None, list[RegisterRow]]]  # (group heading, rows overdue first)

    def counts(self) -> dict[str, int]:
        return counts(self.rows)


def _group_of(row: RegisterRow, depth: int) -> str | None:
    """The first ``depth`` parts of a task's section ("IV.2.1.a", 2 -> "IV.2")."""
    if not row.section:
        return None
    parts = [p for p in re.split(r"[.\s]+", row.section.strip()) if p]
    return ".".join(parts[:depth]) or None


def periodic_report(store: Store, doc: str | int, as_of: str | _dt.date | None = None) -> PeriodicReport:
    """Draft the periodic report on ``doc``: the register grouped by part, overdue first.

    Parts are the top level of the tasks' sections, or the second level when every task lies
    in one top-level part (a plan whose tasks all stand under "IV. NHIỆM VỤ")."""
    reg = status_register(store, doc, as_of=as_of)
    assert reg.document is not None
    depth = 1 if len({_group_of(r, 1) for r in reg.rows}) > 1 else 2
    groups: dict[str | None, list[RegisterRow]] = {}
    for r in reg.rows:
        groups.setdefault(_group_of(r, depth), []).append(r)
    ordered = [(g, attention_order(rs)) for g, rs in groups.items()]
    return PeriodicReport(as_of=reg.as_of, document=reg.document, rows=reg.rows, groups=ordered)


__all__ = [
    "STATUSES",
    "UNREPORTED",
    "StatusError",
    "parse_date",
    "document_label",
    "Register",
    "status_register",
    "status_items",
    "find_task",
    "set_status",
    "report_links",
    "task_history",
    "PeriodicReport",
    "periodic_report",
]
