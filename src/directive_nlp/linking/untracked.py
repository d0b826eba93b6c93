"""Untracked upstream tasks and overdue tasks with no follow-up, derived from graph links.

Coverage is not stored: it is read from typed links (``implements``, ``contains``,
``lead``/``support``, ``derives_from``) of the graph ``linking.graph.build_graph`` builds.

Rules, for a government level L (central, province, commune):

* A document is *upstream* for L when its issuer sits above L (central > province > commune),
  when its issuer's level is unknown, or, for L = central, when a central body issued it
  (ministries implement central plans). A plan does not have to be implemented at its own
  local level: a ward plan's tasks are the ward's own work.
* An upstream task *applies* to L when one of its lead addressees has level L (unit levels
  come from the gazetteer, or name heuristics); generic addressees ("các bộ, ngành, địa
  phương") have several levels. Support (phối hợp) addressees do not make a task apply unless
  ``include_support=True``: the spec's gold gap check treats "địa phương only phối hợp" as
  not applicable.
* An applicable task is *untracked* at L when no ingested document at level L (or of unknown
  level) implements its document (``no_implementing_document``), when such documents exist
  and were aligned but none of their tasks derives from it (``no_derived_task``), or when
  they exist but no alignment was computed for them (``not_aligned``).
* Independently, a task whose due date is before ``as_of`` and that has no ``derives_from``
  child is listed as ``overdue_no_follow_up`` (with a level, only tasks applying to it; a
  task whose addressees have no known level takes its issuer's level).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from ..i18n import format_date, msg
from ..units import LEVELS

RANK = {"commune": 0, "province": 1, "central": 2}
COVERAGE_REASONS = ("no_implementing_document", "no_derived_task", "not_aligned")
DATED_KINDS = {"by_date", "in_month", "in_quarter", "in_year", "range"}


@dataclass
class Reason:
    """Why a task is listed: a code (worded by the catalogue's ``untracked.reason.<code>``), the
    levels concerned, text parameters (dates as ISO strings)."""

    code: str
    levels: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str | None = None) -> str:
        """The reason in words a person reads (dates as dd/mm/yyyy)."""
        level_label = ", ".join(msg(f"level.{lv}", lang) for lv in self.levels)
        params = {k: format_date(v) if k == "due" else v for k, v in self.params.items()}
        return msg(f"untracked.reason.{self.code}", lang, level_label=level_label, **params)


@dataclass
class UntrackedRow:
    task: str  # task node key
    document: str  # document node key
    document_label: str
    task_id: str
    text: str
    section: str | None
    lead: list[str]
    support: list[str]
    deadline_kind: str
    due: str | None
    levels: list[str]
    reasons: list[Reason] = field(default_factory=list)

    @property
    def codes(self) -> list[str]:
        return [r.code for r in self.reasons]

    def reason_text(self, lang: str = "vi") -> str:
        return "; ".join(r.message(lang) for r in self.reasons)

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        return {
            "document": self.document,
            "document_label": self.document_label,
            "task": self.task,
            "task_id": self.task_id,
            "section": self.section,
            "text": self.text,
            "lead": self.lead,
            "support": self.support,
            "deadline_kind": self.deadline_kind,
            "due": self.due,
            "levels": self.levels,
            "reasons": [
                {"code": r.code, "levels": r.levels, "message": r.message(lang)} for r in self.reasons
            ],
            "reason": self.reason_text(lang),
        }


# --------------------------------------------------------------------------- graph reads


def _levels(value: Any) -> set[str]:
    """Levels attribute as a set (native list, or the JSON string of an exported graph)."""
    if not value:
        return set()
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = [value]
    return {str(v) for v in value}


def unit_levels(G: nx.MultiDiGraph, unit: str) -> set[str]:
    return _levels(G.nodes[unit].get("levels"))


def addressee_levels(G: nx.MultiDiGraph, task: str, include_support: bool = False) -> set[str]:
    roles = {"lead", "support"} if include_support else {"lead"}
    out: set[str] = set()
    for _, unit, d in G.out_edges(task, data=True):
        if d.get("kind") in roles:
            out |= unit_levels(G, unit)
    return out


def task_document(G: nx.MultiDiGraph, task: str) -> str | None:
    for doc, _, d in G.in_edges(task, data=True):
        if d.get("kind") == "contains":
            return doc
    return G.nodes[task].get("document")


def issuer_levels(G: nx.MultiDiGraph, doc: str) -> set[str]:
    return _levels(G.nodes[doc].get("issuer_levels"))


def task_levels(
    G: nx.MultiDiGraph, task: str, include_support: bool = False, inherit_issuer: bool = False
) -> set[str]:
    """Levels a task is addressed to; with ``inherit_issuer`` unknown addressees take the issuer's."""
    levels = addressee_levels(G, task, include_support)
    if not levels and inherit_issuer:
        doc = task_document(G, task)
        levels = issuer_levels(G, doc) if doc else set()
    return levels


def is_upstream_for(G: nx.MultiDiGraph, doc: str, level: str) -> bool:
    """Whether ``doc``'s tasks at ``level`` must be carried out by another document."""
    levels = issuer_levels(G, doc)
    if not levels:
        return True
    top = max(RANK[lv] for lv in levels if lv in RANK)
    return top > RANK[level] or (level == "central" and "central" in levels)


def implementers(G: nx.MultiDiGraph, doc: str, level: str | None = None) -> list[str]:
    """Ingested documents implementing ``doc``; with a level, those issued at it (or unknown)."""
    out = []
    for src, _, d in G.in_edges(doc, data=True):
        if d.get("kind") != "implements" or G.nodes[src].get("stub"):
            continue
        lv = issuer_levels(G, src)
        if level is None or not lv or level in lv:
            out.append(src)
    return sorted(set(out))


def derived_children(G: nx.MultiDiGraph, task: str) -> list[str]:
    """Tasks with a derives_from edge to ``task``."""
    return sorted({src for src, _, d in G.in_edges(task, data=True) if d.get("kind") == "derives_from"})


def aligned_pairs(G: nx.MultiDiGraph) -> set[tuple[str, str]]:
    return {(str(p[0]), str(p[1])) for p in G.graph.get("aligned_pairs") or []}


def _doc_label(G: nx.MultiDiGraph, doc: str) -> str:
    return str(G.nodes[doc].get("label") or doc)


# --------------------------------------------------------------------------- rules


def coverage_reason(G: nx.MultiDiGraph, task: str, doc: str, level: str) -> Reason | None:
    """Why an applicable upstream task is untracked at ``level``, or None when it is tracked."""
    impl = implementers(G, doc, level)
    params = {"document": _doc_label(G, doc)}
    if not impl:
        return Reason("no_implementing_document", [level], params)
    children = derived_children(G, task)
    child_docs = {task_document(G, c) for c in children}
    if child_docs & set(impl):
        return None
    pairs = aligned_pairs(G)
    aligned = [d for d in impl if (d, doc) in pairs]
    if aligned:
        return Reason(
            "no_derived_task",
            [level],
            {**params, "implementers": ", ".join(_doc_label(G, d) for d in aligned)},
        )
    return Reason(
        "not_aligned", [level], {**params, "implementers": ", ".join(_doc_label(G, d) for d in impl)}
    )


def overdue_reason(G: nx.MultiDiGraph, task: str, as_of: dt.date) -> Reason | None:
    data = G.nodes[task]
    due = data.get("due")
    if not due or data.get("deadline_kind", "none") not in DATED_KINDS:
        return None
    try:
        due_date = dt.date.fromisoformat(str(due)[:10])
    except ValueError:
        return None
    if due_date >= as_of or derived_children(G, task):
        return None
    return Reason("overdue_no_follow_up", [], {"due": due_date.isoformat()})


def find_untracked(
    G: nx.MultiDiGraph,
    level: str | None = None,
    as_of: dt.date | None = None,
    include_support: bool = False,
    overdue: bool = True,
) -> list[UntrackedRow]:
    """Rows for tasks that are untracked (at ``level``, or any level) or overdue with no follow-up."""
    if level is not None and level not in LEVELS:
        raise ValueError(f"unknown level '{level}' (expected one of {', '.join(LEVELS)})")
    as_of = as_of or dt.date.today()
    levels = [level] if level else list(LEVELS)
    rows: list[UntrackedRow] = []
    for task, data in G.nodes(data=True):
        if data.get("kind") != "task":
            continue
        doc = task_document(G, task)
        if doc is None:
            continue
        reasons: list[Reason] = []
        applies = addressee_levels(G, task, include_support)
        for lv in levels:
            if lv in applies and is_upstream_for(G, doc, lv):
                r = coverage_reason(G, task, doc, lv)
                if r:
                    _merge(reasons, r)
        if overdue:
            inherited = task_levels(G, task, include_support, inherit_issuer=True)
            if level is None or level in inherited:
                r = overdue_reason(G, task, as_of)
                if r:
                    reasons.append(r)
        if reasons:
            rows.append(_row(G, task, doc, data, reasons))
    rows.sort(key=lambda r: (r.document, _task_order(r.task_id)))
    return rows


def _merge(reasons: list[Reason], new: Reason) -> None:
    """Add ``new``, folding it into an earlier reason with the same code and parameters."""
    for r in reasons:
        if r.code == new.code and r.params == new.params:
            r.levels.extend(lv for lv in new.levels if lv not in r.levels)
            return
    reasons.append(new)


def _row(
    G: nx.MultiDiGraph, task: str, doc: str, data: dict[str, Any], reasons: list[Reason]
) -> UntrackedRow:
    return UntrackedRow(
        task=task,
        document=doc,
        document_label=_doc_label(G, doc),
        task_id=str(data.get("task_id") or task.rsplit("#", 1)[-1]),
        text=str(data.get("text") or ""),
        section=data.get("section"),
        lead=_as_list(data.get("lead")),
        support=_as_list(data.get("support")),
        deadline_kind=str(data.get("deadline_kind") or "none"),
        due=data.get("due"),
        levels=sorted({lv for r in reasons for lv in r.levels}, key=lambda lv: -RANK[lv]),
        reasons=reasons,
    )


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
            return [str(v) for v in parsed] if isinstance(parsed, list) else [value]
        except ValueError:
            return [value]
    return [str(v) for v in value]


def _task_order(task_id: str) -> tuple[int, str]:
    digits = "".join(ch for ch in task_id if ch.isdigit())
    return (int(digits) if digits else 0, task_id)


def mark_untracked(G: nx.MultiDiGraph, rows: list[UntrackedRow], lang: str = "vi") -> None:
    """Set ``untracked`` / ``overdue`` flags and ``untracked_reason`` on the listed task nodes."""
    for row in rows:
        data = G.nodes[row.task]
        data["untracked"] = any(c in COVERAGE_REASONS for c in row.codes)
        data["overdue"] = "overdue_no_follow_up" in row.codes
        data["untracked_reason"] = row.reason_text(lang)


def reported_tasks(G: nx.MultiDiGraph) -> set[str]:
    """Task nodes some progress report mentions (an incoming ``reports_on`` edge)."""
    return {v for _, v, k in G.edges(keys=True) if k == "reports_on"}


def exclude_reported(G: nx.MultiDiGraph, rows: list[UntrackedRow]) -> list[UntrackedRow]:
    """The rows whose task no progress report mentions (``untracked --exclude-reported``)."""
    seen = reported_tasks(G)
    return [r for r in rows if r.task not in seen]
