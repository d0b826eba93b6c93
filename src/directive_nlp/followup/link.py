"""Linking status items to the stored tasks they report on.

1. **Which documents.** The report's own words narrow the candidates: the plan of the same
   issuer that the report names or that implements the same documents, else the documents the
   report implements, cites, or that implement what it cites, else every document of the same
   issuer, else every stored document. A table row's "Văn bản giao" column narrows it to the
   documents it names, when they are stored.
2. **Which tasks.** The task words are aligned to the candidate tasks with the gap check's
   alignment (``linking.align.align``: the item plays the upstream task, the candidates the
   local tasks), so one item may report on several tasks (1:N). An item matching no task is
   kept as unmatched, never forced onto the nearest task.

Pure: documents and tasks come in as dicts (as the store returns them), links go out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..linking.align import align
from ..normalise.text import key
from .items import StatusItem

# An item reports on the best aligned task when the alignment accepts it and its similarity
# reaches MIN_SIM (a status must not land on a task the report does not mention); on further
# tasks (1:N) only when they are nearly as similar as the best.
MIN_SIM = 0.3
SECOND_RATIO = 0.8
MAX_LINKS = 3


@dataclass(frozen=True)
class Link:
    item: int  # StatusItem.index
    doc_id: int
    task_id: str
    score: float
    method: str  # "alignment" (+ ", assigned_by" when the row named its document)


def _symbol_key(s: str | None) -> str:
    return "".join((s or "").split()).casefold()


def same_issuer(a: str | None, b: str | None) -> bool:
    """Two issuer names denote one body: the shorter's words (loose key) lie within the longer."""
    ka, kb = key(a or "").split(), key(b or "").split()
    if not ka or not kb:
        return False
    short, long_ = (ka, kb) if len(ka) <= len(kb) else (kb, ka)
    return sum(1 for w in short if w in long_) >= 0.8 * len(short) and len(short) >= 3


def candidate_documents(report: Mapping[str, Any], documents: Sequence[Mapping[str, Any]]) -> list[int]:
    """Ids of the documents a report may report on, most specific tier first (see module doc).

    ``report``: {"issuer", "implements", "cites"}; ``documents``: stored documents (no reports)
    with "id", "symbol", "issuer", "implements".
    """
    implements = {_symbol_key(s) for s in report.get("implements") or []}
    cites = {_symbol_key(s) for s in report.get("cites") or []} | implements
    issuer = report.get("issuer")

    def sym(d: Mapping[str, Any]) -> str:
        return _symbol_key(d.get("symbol"))

    def impl(d: Mapping[str, Any]) -> set[str]:
        return {_symbol_key(s) for s in d.get("implements") or []}

    mine = [d for d in documents if same_issuer(issuer, d.get("issuer"))]
    tiers = [
        [d for d in mine if sym(d) in cites or impl(d) & cites],
        [d for d in documents if sym(d) and sym(d) in implements],
        [d for d in documents if sym(d) and sym(d) in cites],
        [d for d in documents if impl(d) & cites],
        mine,
        list(documents),
    ]
    for tier in tiers:
        if tier:
            return [int(d["id"]) for d in tier]
    return []


def _item_task(item: StatusItem) -> dict[str, Any]:
    return {
        "id": f"i{item.index}",
        "text": item.text,
        "section": item.group,
        "lead": [item.unit] if item.unit else [],
        "support": [],
        "cites": list(item.cites),
    }


def _local(task: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": f"{task['doc_id']}:{task['id']}",
        "text": task.get("text") or "",
        "section": task.get("section"),
        "lead": list(task.get("lead") or []),
        "support": list(task.get("support") or []),
        "cites": list(task.get("cites") or []),
    }


def link_items(
    items: Sequence[StatusItem],
    tasks: Sequence[Mapping[str, Any]],
    documents: Sequence[Mapping[str, Any]] = (),
) -> list[Link]:
    """Links of ``items`` to ``tasks`` (store task dicts: "doc_id", "id", "text", "lead", …).

    ``documents`` (with "id", "symbol") resolve a row's "Văn bản giao" column; a row whose named
    documents are stored is aligned to their tasks only.
    """
    by_symbol = {_symbol_key(d.get("symbol")): int(d["id"]) for d in documents if d.get("symbol")}
    groups: dict[tuple[int, ...], list[StatusItem]] = {}
    for it in items:
        named = tuple(sorted({by_symbol[k] for k in map(_symbol_key, it.assigned_by) if k in by_symbol}))
        groups.setdefault(named, []).append(it)
    links: list[Link] = []
    for named, group in groups.items():
        pool = [t for t in tasks if not named or int(t["doc_id"]) in named]
        if not pool:
            continue
        local = [_local(t) for t in pool]
        by_local = {lt["id"]: t for lt, t in zip(local, pool, strict=True)}
        result = align([_item_task(it) for it in group], local)
        for it in group:
            accepted = sorted(result.accepted(f"i{it.index}"), key=lambda c: -c.sim)
            if not accepted or accepted[0].sim < MIN_SIM:
                continue
            best = accepted[0].sim
            kept = [(c, by_local[c.local]) for c in accepted if c.sim >= SECOND_RATIO * best]
            for c, task in kept[:MAX_LINKS]:
                method = "alignment" + (", assigned_by" if named else "")
                links.append(Link(it.index, int(task["doc_id"]), str(task["id"]), round(c.sim, 3), method))
    return links
