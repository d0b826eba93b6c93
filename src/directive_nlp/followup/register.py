"""The task register: per task its latest status, with date, source and evidence.

Rules:

* the latest status (by as-of date, then by when it was recorded) among those dated on or
  before the register's date wins; a later report supersedes an earlier one, a status set by
  hand is one more entry of the history;
* a task past its deadline and not done is ``overdue`` whatever the last report said;
* a task no report (and no person) gave a status is ``unreported`` (or ``overdue`` when its
  deadline has passed; ``reported`` is false either way).

Pure: tasks (store dicts) and history entries (``storage.status.history``) in, rows out.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import UNREPORTED

# Deadline kinds with a real due date: the only ones that can be overdue.
DATED_KINDS = ("by_date", "in_month", "in_quarter", "in_year", "range")
# Order of statuses in reports: what needs attention first.
STATUS_ORDER = ("overdue", "not_started", "in_progress", UNREPORTED, "done")


@dataclass
class RegisterRow:
    doc_id: int
    document: str
    task_id: str
    text: str
    lead: list[str]
    support: list[str]
    deadline_kind: str
    due: str | None  # ISO
    deadline_text: str | None
    section: str | None
    status: str  # done | in_progress | overdue | not_started | unreported
    reported_status: str | None  # what the latest entry said (before the deadline rule)
    as_of: str | None  # ISO date of the latest entry
    source: str | None  # the report's symbol or file name, or "manual"
    source_kind: str | None  # report | manual
    evidence: str | None
    cited: list[str] = field(default_factory=list)
    reported: bool = False
    past_due: bool = False
    history: int = 0  # number of entries up to the register's date
    document_label: str | None = None  # how a person names the document ("Kế hoạch – UBND phường …")

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "document_label": self.document_label or self.document,
            "doc_id": self.doc_id,
            "task_id": self.task_id,
            "text": self.text,
            "lead": self.lead,
            "support": self.support,
            "deadline": {"kind": self.deadline_kind, "due": self.due, "text": self.deadline_text},
            "status": self.status,
            "reported_status": self.reported_status,
            "as_of": self.as_of,
            "source": self.source,
            "source_kind": self.source_kind,
            "evidence": self.evidence,
            "cited": self.cited,
            "reported": self.reported,
            "history": self.history,
        }


def _iso(value: _dt.date | str) -> str:
    return value.isoformat() if isinstance(value, _dt.date) else str(value)


def is_past_due(task: Mapping[str, Any], as_of: str) -> bool:
    dl = task.get("deadline") or {}
    due = dl.get("due")
    return bool(due) and dl.get("kind") in DATED_KINDS and str(due) < as_of


def build_register(
    tasks: Sequence[Mapping[str, Any]], entries: Iterable[Mapping[str, Any]], as_of: _dt.date | str
) -> list[RegisterRow]:
    """One row per task. ``entries``: {doc_id, task_id, status, as_of, source, source_kind,
    evidence, cited, recorded_at}, any order."""
    day = _iso(as_of)
    by_task: dict[tuple[int, str], list[Mapping[str, Any]]] = {}
    for e in entries:
        if not e.get("status"):
            continue
        when = e.get("as_of") or (e.get("recorded_at") or "")[:10]
        if when and when > day:
            continue
        by_task.setdefault((int(e["doc_id"]), str(e["task_id"])), []).append(e)
    rows = []
    for t in tasks:
        mine = sorted(
            by_task.get((int(t["doc_id"]), str(t["id"])), []),
            key=lambda e: (
                e.get("as_of") or "",
                e.get("recorded_at") or "",
                e.get("source_kind") == "manual",
            ),
        )
        last = mine[-1] if mine else None
        past = is_past_due(t, day)
        said = str(last["status"]) if last else None
        status = said or UNREPORTED
        if past and status != "done":
            status = "overdue"
        dl = t.get("deadline") or {}
        rows.append(
            RegisterRow(
                doc_id=int(t["doc_id"]),
                document=str(t.get("document") or t["doc_id"]),
                task_id=str(t["id"]),
                text=str(t.get("text") or ""),
                lead=list(t.get("lead") or []),
                support=list(t.get("support") or []),
                deadline_kind=str(dl.get("kind") or "none"),
                due=dl.get("due"),
                deadline_text=dl.get("text"),
                section=t.get("section"),
                status=status,
                reported_status=said,
                as_of=(last.get("as_of") if last else None),
                source=(last.get("source") if last else None),
                source_kind=(last.get("source_kind") if last else None),
                evidence=(last.get("evidence") if last else None),
                cited=list(last.get("cited") or []) if last else [],
                reported=last is not None,
                past_due=past,
                history=len(mine),
            )
        )
    return rows


def counts(rows: Sequence[RegisterRow]) -> dict[str, int]:
    """Number of tasks per status, in ``STATUS_ORDER``."""
    out = {s: 0 for s in STATUS_ORDER}
    for r in rows:
        out[r.status] = out.get(r.status, 0) + 1
    return out


def attention_order(rows: Sequence[RegisterRow]) -> list[RegisterRow]:
    """Overdue first, then not started, in progress, unreported, done (stable within a status)."""
    rank = {s: i for i, s in enumerate(STATUS_ORDER)}
    return sorted(rows, key=lambda r: rank.get(r.status, len(rank)))
