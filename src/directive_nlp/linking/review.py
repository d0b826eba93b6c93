"""A person's decisions on a gap check, and how a later check keeps them.

A gap report is signed off by a person: ``check … --review FILE.xlsx`` writes one row per
applicable upstream task with an empty "Quyết định" column; the person fills it (and may
correct the local tasks); ``check … --apply-review FILE.xlsx`` reads the sheet and records the
decisions in a sidecar JSON next to it (``FILE.decisions.json``, schema
``directive-nlp/gapreview/v1``). Any later ``check`` of the same pair given the sheet
(``--review FILE.xlsx``) or the sidecar (``--decisions FILE.decisions.json``) applies them:
each decided item takes the person's status (and local tasks), keeps the machine's status in
``machine_status`` and says ``decided_by: "person"``. The graph's ``derives_from`` edges are
built from the items, so they follow the decisions.

Decisions are keyed by the upstream task's text (folded), not only by its id, so they survive a
re-extraction that renumbers tasks.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..normalise.text import fold

SCHEMA = "directive-nlp/gapreview/v1"
NOT_APPLICABLE = "not_applicable"
DECISION_STATUSES = ("covered", "partial", "distorted", "missing", NOT_APPLICABLE)


def text_key(text: str) -> str:
    """A stable key of an upstream task's text (tone placement and spacing do not matter)."""
    return hashlib.sha1(fold(text or "").encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Decision:
    upstream_task: str
    key: str
    status: str  # one of DECISION_STATUSES
    local_tasks: tuple[str, ...] | None = None  # None: keep the machine's local tasks
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "upstream_task": self.upstream_task,
            "key": self.key,
            "status": self.status,
            "local_tasks": list(self.local_tasks) if self.local_tasks is not None else None,
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Decision:
        lt = d.get("local_tasks")
        return cls(
            str(d["upstream_task"]),
            str(d["key"]),
            str(d["status"]),
            tuple(str(x) for x in lt) if lt is not None else None,
            str(d.get("note") or ""),
        )


@dataclass
class Review:
    """The decisions a person made on one (local, upstream) pair."""

    local: str | None
    upstream: str | None
    decisions: dict[str, Decision] = field(default_factory=dict)  # by text key

    def add(self, decisions: Iterable[Decision]) -> None:
        for d in decisions:
            self.decisions[d.key] = d

    def for_item(self, item: Mapping[str, Any]) -> Decision | None:
        d = self.decisions.get(text_key(item.get("upstream_text") or ""))
        if d is None:
            d = next(
                (x for x in self.decisions.values() if x.upstream_task == item.get("upstream_task")), None
            )
            if d is not None and d.key != text_key(item.get("upstream_text") or ""):
                return None  # same id, another task: the upstream was re-extracted differently
        return d

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "local": self.local,
            "upstream": self.upstream,
            "decisions": [d.to_dict() for d in self.decisions.values()],
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Review:
        r = cls(d.get("local"), d.get("upstream"))
        r.add(Decision.from_dict(x) for x in d.get("decisions") or [])
        return r

    def save(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(path)  # never half-written
        return path

    @classmethod
    def load(cls, path: Path) -> Review:
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))


def sidecar_path(sheet: Path) -> Path:
    """Where the decisions read from a review sheet are kept: next to it."""
    return sheet.with_name(sheet.stem + ".decisions.json")


def apply_review(result: dict[str, Any], review: Review) -> dict[str, Any]:
    """The gap-check result with the person's decisions applied (a new dict; pure)."""
    items = []
    decided = 0
    for it in result.get("items") or []:
        d = review.for_item(it)
        it = dict(it)
        if d is not None:
            decided += 1
            it["machine_status"] = it.get("status")
            it["machine_local_tasks"] = list(it.get("local_tasks") or [])
            it["decided_by"] = "person"
            it["decision_note"] = d.note
            if d.status == NOT_APPLICABLE:
                it.update(applies=False, status=None, applies_reason="decided by a person: does not apply")
            else:
                it.update(applies=True, status=d.status)
                if d.local_tasks is not None:
                    it["local_tasks"] = list(d.local_tasks)
                if d.status == "missing":
                    it["local_tasks"] = []
        else:
            it["decided_by"] = "machine"
        items.append(it)
    out = dict(result, items=items)
    out["review"] = {"decided": decided, "decisions": len(review.decisions)}
    stats = dict(result.get("stats") or {})
    for s in ("covered", "partial", "distorted", "missing"):
        stats[s] = sum(1 for it in items if it.get("applies") and it.get("status") == s)
    stats["applicable"] = sum(1 for it in items if it.get("applies"))
    out["stats"] = stats
    return out
