"""Cross-reference graph of documents, tasks and units, with sanity warnings and exports.

``build_graph(extractions, alignments)`` turns the spec's extraction JSON (one dict per
ingested document, as ``Store.extractions()`` returns them) into a ``networkx.MultiDiGraph``:

Nodes (attribute ``kind``):
  * ``document`` -- an ingested document, keyed by its canonical symbol, else ``file:<path>``;
    a document that is only cited (or implemented) but not ingested is a *stub*
    (``stub=True``) keyed by the canonical symbol or name key it is cited by.
  * ``task`` -- ``"<document key>#<task id>"``.
  * ``unit`` -- keyed by the gazetteer's canonical name when the gazetteer knows the unit,
    else by a tone-insensitive key of the name; ``levels`` lists central/province/commune.

Edges (attribute ``kind``; the edge key is the kind, so one edge per kind and node pair):
  * ``cites`` document -> document (``count`` mentions, ``evidence`` citing sentences)
  * ``implements`` document -> document (from the citing document's metadata)
  * ``contains`` document -> task
  * ``lead`` / ``support`` task -> unit
  * ``derives_from`` local task -> upstream task (from gap-check items whose local tasks
    carry out the upstream task)
  * ``reports_on`` progress report -> task (``add_reports_on``, from the store's status links)

Attributes hold native lists in memory; ``scalar_graph`` makes the copy GraphML and GEXF
need (lists as JSON strings, ``None`` dropped). Sanity warnings (cited document dated after
the citing one, one symbol cited with two dates, implemented document not ingested) are in
``G.graph["warnings"]`` as ``GraphWarning`` objects.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from ..i18n import format_date, msg
from ..normalise.text import collapse
from ..normalise.text import key as loose_key
from ..units import UnitResolver, load_resolver, unit_names
from . import gapcheck

EDGE_KINDS = ("cites", "implements", "contains", "lead", "support", "derives_from", "reports_on")
# What a gap check raises on an extraction that does not have the spec's shape (a field of the
# wrong type, a missing key): the pair is skipped with a warning; anything else is a bug.
MALFORMED_INPUT = (AttributeError, IndexError, KeyError, TypeError, ValueError)
# Gap-check statuses meaning "a local task carries out (part of) the upstream task".
CARRIED_STATUSES = {"covered", "partial", "distorted"}


# --------------------------------------------------------------------------- warnings


@dataclass
class GraphWarning:
    """A sanity-check finding. ``rule`` is a code worded by the catalogue's ``graph.warning.<rule>``;
    dates in ``params`` are ISO strings."""

    rule: str
    subject: str  # the node the warning is about (a document key)
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str | None = None) -> str:
        """The warning in words a person reads (dates as dd/mm/yyyy)."""
        params = {k: _worded_dates(k, v) for k, v in self.params.items()}
        return msg(f"graph.warning.{self.rule}", lang, subject=self.subject, **params)

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {"rule": self.rule, "subject": self.subject, **self.params, "message": self.message(lang)}


def _worded_dates(name: str, value: Any) -> Any:
    """A warning parameter as a person reads it: ISO dates (``*_date``, ``dates``) as dd/mm/yyyy."""
    if name.endswith("_date") and isinstance(value, str):
        return format_date(value)
    if name == "dates" and isinstance(value, str):
        return ", ".join(format_date(d) for d in value.split(", "))
    return value


# --------------------------------------------------------------------------- keys


def canonical_symbol(symbol: str | None) -> str | None:
    """Light canonical form of a document symbol or name key (extractions are already canonical).

    Unicode NFC and collapsed spaces; a number-and-type symbol (``02- KH/BCĐTW``) loses its
    inner spaces. Name keys (``Luật Dữ liệu``) keep single spaces.
    """
    if not symbol:
        return None
    s = collapse(unicodedata.normalize("NFC", symbol))
    if re.match(r"^\d+\s*[-/]", s) and "/" in s:
        s = re.sub(r"\s+", "", s)
    return s or None


def document_key(extraction: dict[str, Any]) -> str:
    """Node key of an ingested document: canonical symbol, else ``file:<path>``."""
    symbol = canonical_symbol((extraction.get("document") or {}).get("symbol"))
    return symbol or f"file:{extraction_path(extraction)}"


def extraction_path(extraction: dict[str, Any]) -> str:
    return str(extraction.get("path") or (extraction.get("source") or {}).get("path") or "?")


def task_key(doc_key: str, task_id: str) -> str:
    return f"{doc_key}#{task_id}"


def _short(text: str | None, n: int = 80) -> str:
    text = collapse(text or "")
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


# --------------------------------------------------------------------------- units


# Unit keys, names and levels: ``units.UnitResolver`` (gazetteer first, unit rules after).


# --------------------------------------------------------------------------- building

AlignFn = Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]]


def build_graph(
    extractions: list[dict[str, Any]],
    alignments: list[dict[str, Any]] | None = None,
    *,
    gazetteer: Any | None = None,
    use_gazetteer: bool = True,
    align: AlignFn | None | bool = True,
) -> nx.MultiDiGraph:
    """Build the cross-reference graph (see the module docstring).

    ``alignments`` are precomputed gap-check results (spec section 5). With ``align=True``
    (default) ``linking.gapcheck.check`` is run, when importable, for every ingested pair
    whose local document implements the upstream one and that no precomputed alignment
    covers; pass ``align=False`` to skip, or a callable to use instead.
    """
    units = UnitResolver(gazetteer) if gazetteer is not None else load_resolver(use_gazetteer)
    G = nx.MultiDiGraph(name="directive-nlp")
    warnings: list[GraphWarning] = []
    by_key = _add_documents(G, extractions, warnings, units)
    for dkey, ex in by_key.items():
        _add_tasks(G, dkey, ex, units)
    for dkey, ex in by_key.items():
        _add_citations(G, dkey, ex)
        _add_implements(G, dkey, ex, warnings)
    warnings.extend(date_warnings(G))
    aligned = _add_alignments(G, by_key, alignments or [], align, warnings)
    G.graph["warnings"] = warnings
    G.graph["aligned_pairs"] = sorted(aligned)
    return G


def _primary_copies(extractions: list[dict[str, Any]]) -> set[int]:
    """Indexes of the extraction that keeps its symbol as key when several share a symbol.

    Like the store's ``document(ref)``: the copy with the most tasks, then the latest ingested.
    """
    best: dict[str, tuple[int, Any, int]] = {}
    for i, ex in enumerate(extractions):
        symbol = canonical_symbol((ex.get("document") or {}).get("symbol"))
        if not symbol:
            continue
        rank = (len(ex.get("tasks") or []), _sortable_id(ex.get("doc_id"), i), i)
        if symbol not in best or rank > best[symbol]:
            best[symbol] = rank
    return {r[2] for r in best.values()}


def _sortable_id(doc_id: Any, index: int) -> int:
    try:
        return int(doc_id)
    except (TypeError, ValueError):
        return index


def _add_documents(
    G: nx.MultiDiGraph, extractions: list[dict[str, Any]], warnings: list[GraphWarning], units: UnitResolver
) -> dict[str, dict[str, Any]]:
    by_key: dict[str, dict[str, Any]] = {}
    primary = _primary_copies(extractions)
    for i, ex in enumerate(extractions):
        dkey = document_key(ex)
        if not dkey.startswith("file:") and i not in primary:
            warnings.append(GraphWarning("duplicate_document", dkey, {"path": extraction_path(ex)}))
            dkey = f"file:{extraction_path(ex)}"
        if dkey in by_key:  # the same file twice: keep the first
            continue
        by_key[dkey] = ex
        meta = ex.get("document") or {}
        symbol = canonical_symbol(meta.get("symbol"))
        issuer = meta.get("issuer")
        G.add_node(
            dkey,
            kind="document",
            stub=False,
            label=symbol
            if dkey == symbol
            else (
                f"{symbol} ({Path(extraction_path(ex)).name})"
                if symbol
                else _unsymbolled_label(meta, extraction_path(ex))
            ),
            symbol=symbol,
            doc_type=meta.get("doc_type"),
            title=meta.get("title"),
            issuer=issuer,
            issuer_levels=units.levels(issuer) if issuer else [],
            date=meta.get("issued_date"),
            signer=meta.get("signer"),
            implements=[canonical_symbol(s) for s in meta.get("implements") or [] if s],
            path=extraction_path(ex),
            doc_id=ex.get("doc_id"),
            n_tasks=len(ex.get("tasks") or []),
        )
    return by_key


def _unsymbolled_label(meta: dict[str, Any], path: str) -> str:
    """Label of a document without a symbol: "KH – <issuer>", else the file name."""
    issuer = _short(meta.get("issuer"), 50)
    if issuer:
        return f"{meta.get('doc_type')} – {issuer}" if meta.get("doc_type") else issuer
    return Path(path).name


def _add_tasks(G: nx.MultiDiGraph, dkey: str, ex: dict[str, Any], units: UnitResolver) -> None:
    for task in ex.get("tasks") or []:
        tkey = task_key(dkey, str(task.get("id")))
        deadline = task.get("deadline") or {}
        G.add_node(
            tkey,
            kind="task",
            label=f"{task.get('id')}: {_short(task.get('text'), 60)}",
            document=dkey,
            task_id=str(task.get("id")),
            text=task.get("text"),
            section=task.get("section"),
            phase=task.get("phase"),
            lead=list(task.get("lead") or []),
            support=list(task.get("support") or []),
            deadline_kind=deadline.get("kind") or "none",
            due=deadline.get("due"),
            start=deadline.get("start"),
            deadline_text=deadline.get("text"),
            date=deadline.get("due"),
            targets=list(task.get("targets") or []),
            cites=list(task.get("cites") or []),
            optional=bool(task.get("optional", False)),
        )
        G.add_edge(dkey, tkey, key="contains", kind="contains")
        for role in ("lead", "support"):
            for raw in task.get(role) or []:
                ukey = _add_unit(G, raw, units)
                G.add_edge(tkey, ukey, key=role, kind=role)


def _add_unit(G: nx.MultiDiGraph, raw: str, units: UnitResolver) -> str:
    ukey = units.key(raw)
    if ukey in G and G.nodes[ukey].get("kind") != "unit":
        ukey = f"unit:{ukey}"
    name = (unit_names(raw) or [raw])[0]
    if ukey not in G:
        G.add_node(
            ukey, kind="unit", label=units.canonical(raw) or name, names=[name], levels=units.levels(raw)
        )
    else:
        names = G.nodes[ukey]["names"]
        if name not in names:
            names.append(name)
    return ukey


def _ensure_stub(G: nx.MultiDiGraph, symbol: str, citation: dict[str, Any] | None = None) -> None:
    if symbol in G:
        return
    c = citation or {}
    G.add_node(
        symbol,
        kind="document",
        stub=True,
        label=symbol,
        symbol=symbol,
        doc_type=c.get("doc_type"),
        issuer=c.get("issuer"),
        date=c.get("date"),
        title=None,
        n_tasks=0,
    )


def _add_citations(G: nx.MultiDiGraph, dkey: str, ex: dict[str, Any]) -> None:
    seen: set[str] = set()
    for c in ex.get("citations") or []:
        target = canonical_symbol(c.get("symbol"))
        if not target or target == dkey or target == G.nodes[dkey].get("symbol"):
            continue
        _ensure_stub(G, target, c)
        seen.add(target)
        evidence = [collapse(e) for e in c.get("evidence") or [] if e]
        if G.has_edge(dkey, target, "cites"):
            data = G.edges[dkey, target, "cites"]
            data["count"] += int(c.get("mentions") or 1)
            data["evidence"].extend(e for e in evidence if e not in data["evidence"])
            data["cited_dates"].append(c.get("date"))
            continue
        G.add_edge(
            dkey,
            target,
            key="cites",
            kind="cites",
            count=int(c.get("mentions") or 1),
            evidence=evidence,
            cited_date=c.get("date"),
            cited_dates=[c.get("date")],
        )
    # symbols cited only inside task text still make a citation edge
    for task in ex.get("tasks") or []:
        for sym in task.get("cites") or []:
            target = canonical_symbol(sym)
            if not target or target in seen or target == dkey:
                continue
            _ensure_stub(G, target)
            seen.add(target)
            G.add_edge(
                dkey,
                target,
                key="cites",
                kind="cites",
                count=1,
                evidence=[_short(task.get("text"), 300)],
                cited_date=None,
                cited_dates=[],
            )


def _add_implements(G: nx.MultiDiGraph, dkey: str, ex: dict[str, Any], warnings: list[GraphWarning]) -> None:
    for sym in (ex.get("document") or {}).get("implements") or []:
        target = canonical_symbol(sym)
        if not target or target == dkey:
            continue
        if target not in G or G.nodes[target].get("stub"):
            warnings.append(
                GraphWarning(
                    "implements_not_ingested", target, {"citing": G.nodes[dkey].get("label") or dkey}
                )
            )
            _ensure_stub(G, target, _citation_of(ex, target))
        G.add_edge(dkey, target, key="implements", kind="implements")


def _citation_of(ex: dict[str, Any], symbol: str) -> dict[str, Any] | None:
    for c in ex.get("citations") or []:
        if canonical_symbol(c.get("symbol")) == symbol:
            return c
    return None


def date_warnings(G: nx.MultiDiGraph) -> list[GraphWarning]:
    """Graph-hygiene checks on cites edges: later-dated cited documents, conflicting dates.

    A cites edge whose cited document is dated after the citing one gets ``suspect=True``.
    """
    out: list[GraphWarning] = []
    dates_of: dict[str, set[str]] = {}
    for _u, v, data in G.edges(data=True):
        if data.get("kind") != "cites":
            continue
        for d in data.get("cited_dates") or []:
            if d:
                dates_of.setdefault(v, set()).add(d)
    for v, dates in sorted(dates_of.items()):
        own = G.nodes[v].get("date") if not G.nodes[v].get("stub") else None
        all_dates = dates | ({own} if own else set())
        if len(all_dates) > 1:
            out.append(GraphWarning("conflicting_dates", v, {"dates": ", ".join(sorted(all_dates))}))
    for u, v, _k, data in G.edges(keys=True, data=True):
        if data.get("kind") != "cites":
            continue
        citing_date = G.nodes[u].get("date")
        cited_date = (G.nodes[v].get("date") if not G.nodes[v].get("stub") else None) or data.get(
            "cited_date"
        )
        suspect = bool(citing_date and cited_date and str(cited_date) > str(citing_date))
        data["suspect"] = suspect
        if suspect:
            out.append(
                GraphWarning(
                    "cited_after_citing",
                    v,
                    {
                        "citing": G.nodes[u].get("label") or u,
                        "citing_date": citing_date,
                        "cited_date": cited_date,
                    },
                )
            )
    return out


# --------------------------------------------------------------------------- alignments


def _resolve_doc(G: nx.MultiDiGraph, by_key: dict[str, dict[str, Any]], ref: Any) -> str | None:
    """Document key for a gap-check's ``upstream``/``local`` (a symbol or a file path)."""
    if not ref:
        return None
    ref = str(ref)
    sym = canonical_symbol(ref)
    if sym in by_key:
        return sym
    if ref in by_key:
        return ref
    for dkey, ex in by_key.items():
        path = extraction_path(ex)
        if path == ref or (Path(path).name == Path(ref).name and Path(ref).name):
            return dkey
    return None


def _add_alignments(
    G: nx.MultiDiGraph,
    by_key: dict[str, dict[str, Any]],
    alignments: list[dict[str, Any]],
    align: AlignFn | None | bool,
    warnings: list[GraphWarning],
) -> set[tuple[str, str]]:
    aligned: set[tuple[str, str]] = set()
    for result in alignments:
        local = _resolve_doc(G, by_key, result.get("local"))
        upstream = _resolve_doc(G, by_key, result.get("upstream"))
        if local and upstream:
            add_derivations(G, local, upstream, result)
            aligned.add((local, upstream))
    fn: AlignFn | None
    if align is True:
        fn = gapcheck.check
    elif callable(align):
        fn = align
    else:
        fn = None
    if fn is None:
        return aligned
    for local, ex in by_key.items():
        for upstream in implemented_ingested(G, local):
            if (local, upstream) in aligned:
                continue
            try:
                result = fn(ex, by_key[upstream])
            except MALFORMED_INPUT as e:  # one malformed pair must not lose the whole graph
                warnings.append(
                    GraphWarning(
                        "alignment_failed",
                        upstream,
                        {"citing": G.nodes[local].get("label") or local, "error": str(e)[:200]},
                    )
                )
                continue
            add_derivations(G, local, upstream, result)
            aligned.add((local, upstream))
    return aligned


def implemented_ingested(G: nx.MultiDiGraph, dkey: str) -> list[str]:
    """Ingested documents that ``dkey`` implements (targets of its implements edges)."""
    return [
        v
        for _, v, d in G.out_edges(dkey, data=True)
        if d.get("kind") == "implements" and not G.nodes[v].get("stub")
    ]


def add_derivations(G: nx.MultiDiGraph, local: str, upstream: str, result: dict[str, Any]) -> int:
    """Add derives_from edges (local task -> upstream task) from one gap-check result."""
    n = 0
    for item in result.get("items") or []:
        if item.get("status") not in CARRIED_STATUSES:
            continue
        up = task_key(upstream, str(item.get("upstream_task")))
        if up not in G:
            continue
        for lt in item.get("local_tasks") or []:
            lo = task_key(local, str(lt))
            if lo not in G:
                continue
            G.add_edge(
                lo,
                up,
                key="derives_from",
                kind="derives_from",
                status=item.get("status"),
                issues=list(item.get("issues") or []),
                evidence=item.get("evidence"),
            )
            n += 1
    return n


# --------------------------------------------------------------------------- queries


def graph_warnings(G: nx.MultiDiGraph) -> list[GraphWarning]:
    return list(G.graph.get("warnings") or [])


def find_document(G: nx.MultiDiGraph, ref: str) -> str | None:
    """Node key of a document given its symbol, node key, file path or file name."""
    sym = canonical_symbol(ref)
    if sym in G and G.nodes[sym].get("kind") == "document":
        return sym
    if ref in G and G.nodes[ref].get("kind") == "document":
        return ref
    for n, d in G.nodes(data=True):
        if d.get("kind") != "document":
            continue
        if d.get("path") and (d["path"] == ref or Path(d["path"]).name == Path(ref).name):
            return n
    wanted = loose_key(ref)
    for n, d in G.nodes(data=True):
        if d.get("kind") == "document" and d.get("symbol") and loose_key(d["symbol"]) == wanted:
            return n
    return None


def neighbourhood(G: nx.MultiDiGraph, center: str, depth: int) -> nx.MultiDiGraph:
    """Subgraph of every node within ``depth`` hops of ``center`` (edge direction ignored)."""
    nodes = nx.single_source_shortest_path_length(G.to_undirected(as_view=True), center, cutoff=max(0, depth))
    sub = G.subgraph(nodes).copy()
    sub.graph.update(G.graph)
    sub.graph["center"] = center
    sub.graph["depth"] = depth
    return sub


def stats(G: nx.MultiDiGraph) -> dict[str, int]:
    """Counts of nodes and edges by kind (``documents`` counts ingested and stubs)."""
    out: dict[str, int] = {"nodes": G.number_of_nodes(), "edges": G.number_of_edges()}
    for _, d in G.nodes(data=True):
        out[d.get("kind", "?") + "s"] = out.get(d.get("kind", "?") + "s", 0) + 1
        if d.get("kind") == "document" and d.get("stub"):
            out["stubs"] = out.get("stubs", 0) + 1
    for _, _, d in G.edges(data=True):
        k = "edges_" + d.get("kind", "?")
        out[k] = out.get(k, 0) + 1
    return out


# --------------------------------------------------------------------------- exports


def _scalar(value: Any) -> Any:
    if isinstance(value, (list, tuple, set, dict)):
        if isinstance(value, set):
            value = sorted(value)
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (str, bool, int, float)):
        return value
    return str(value)


def _scalar_attrs(data: dict[str, Any]) -> dict[str, Any]:
    return {k: _scalar(v) for k, v in data.items() if v is not None}


def scalar_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Copy with only scalar attributes: lists as JSON strings, ``None`` dropped.

    Graph-level attributes that are not plain scalars (the warnings) are dropped too.
    """
    H = nx.MultiDiGraph()
    H.graph.update({k: v for k, v in G.graph.items() if isinstance(v, (str, int, float, bool))})
    for n, d in G.nodes(data=True):
        H.add_node(n, **_scalar_attrs(d))
    for u, v, k, d in G.edges(keys=True, data=True):
        H.add_edge(u, v, key=k, **_scalar_attrs(d))
    return H


def write_graphml(G: nx.MultiDiGraph, path: str | Path) -> None:
    nx.write_graphml(scalar_graph(G), str(path), encoding="utf-8", prettyprint=True)


# GEXF reserves these data keys (time intervals, parent, visual): exported under other names.
GEXF_RESERVED = {"start": "deadline_start", "end": "end_", "pid": "pid_", "viz": "viz_"}


def write_gexf(G: nx.MultiDiGraph, path: str | Path) -> None:
    H = scalar_graph(G)
    for _, d in H.nodes(data=True):
        for old, new in GEXF_RESERVED.items():
            if old in d:
                d[new] = d.pop(old)
    for i, (_, _, _, d) in enumerate(H.edges(keys=True, data=True)):
        for old, new in GEXF_RESERVED.items():
            if old in d:
                d[new] = d.pop(old)
        d["id"] = str(i)  # GEXF needs unique edge ids; the kind stays in the 'kind' attribute
    nx.write_gexf(H, str(path), encoding="utf-8", prettyprint=True)


def node_link(G: nx.MultiDiGraph) -> dict[str, Any]:
    """Node-link JSON (networkx format, ``edges`` key), attributes native, ``None`` dropped."""
    H = nx.MultiDiGraph()
    H.graph.update({k: v for k, v in G.graph.items() if k != "warnings"})
    H.graph["warnings"] = [w.to_dict() for w in graph_warnings(G)]
    for n, d in G.nodes(data=True):
        H.add_node(n, **{k: v for k, v in d.items() if v is not None})
    for u, v, k, d in G.edges(keys=True, data=True):
        H.add_edge(u, v, key=k, **{a: b for a, b in d.items() if b is not None})
    return nx.node_link_data(H, edges="edges")


def write_json(G: nx.MultiDiGraph, path: str | Path) -> None:
    Path(path).write_text(
        json.dumps(node_link(G), ensure_ascii=False, indent=1, default=str), encoding="utf-8"
    )


DOT_STYLE = {
    "document": 'shape=box, style="filled", fillcolor="#4e79a7", fontcolor="white"',
    "stub": 'shape=box, style="dashed,filled", fillcolor="#d6e4f0"',
    "task": 'shape=ellipse, style="filled", fillcolor="#9fd89f", fontsize=9',
    "untracked": 'shape=ellipse, style="filled", fillcolor="#e15759", fontcolor="white", fontsize=9',
    "unit": 'shape=hexagon, style="filled", fillcolor="#f2b36f"',
}
DOT_EDGE_STYLE = {
    "cites": 'color="#888888"',
    "implements": 'color="#1f3b73", penwidth=2.5',
    "contains": 'color="#bbbbbb", arrowhead=none',
    "lead": 'color="#e08a1e"',
    "support": 'color="#f2b36f", style=dashed',
    "derives_from": 'color="#8e44ad", penwidth=1.5',
}


def dot_quote(value: Any) -> str:
    """A DOT double-quoted string: backslash, quote and line breaks escaped."""
    s = str(value).replace("\\", "\\\\").replace('"', '\\"')
    s = s.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return f'"{s}"'


def to_dot(G: nx.MultiDiGraph) -> str:
    """Graphviz DOT text written by hand (no pygraphviz/pydot dependency)."""
    lines = [
        "digraph directive_nlp {",
        "  graph [rankdir=LR, overlap=false, splines=true];",
        '  node [fontname="DejaVu Sans", fontsize=10];',
        "  edge [fontsize=8];",
    ]
    for n, d in G.nodes(data=True):
        kind = d.get("kind", "document")
        style = "stub" if d.get("stub") else ("untracked" if d.get("untracked") else kind)
        label = d.get("label") or n
        lines.append(
            f"  {dot_quote(n)} [label={dot_quote(_short(str(label), 60))}, "
            f"kind={dot_quote(kind)}, {DOT_STYLE.get(style, '')}];"
        )
    for u, v, _, d in G.edges(keys=True, data=True):
        kind = d.get("kind", "")
        extra = f", label={dot_quote(d['count'])}" if kind == "cites" and d.get("count", 1) > 1 else ""
        lines.append(
            f"  {dot_quote(u)} -> {dot_quote(v)} [kind={dot_quote(kind)}, "
            f"{DOT_EDGE_STYLE.get(kind, '')}{extra}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_dot(G: nx.MultiDiGraph, path: str | Path) -> None:
    Path(path).write_text(to_dot(G), encoding="utf-8")


# The HTML page is a report: ``reports.graph_html.write_graph_html``.
EXPORT_FORMATS = ("graphml", "gexf", "json", "dot")


def write_graph(G: nx.MultiDiGraph, path: str | Path, fmt: str) -> None:
    """Write ``G`` in one of ``EXPORT_FORMATS``."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    if fmt == "graphml":
        write_graphml(G, path)
    elif fmt == "gexf":
        write_gexf(G, path)
    elif fmt == "json":
        write_json(G, path)
    elif fmt == "dot":
        write_dot(G, path)
    else:
        raise ValueError(f"unknown graph format '{fmt}' (expected one of {', '.join(EXPORT_FORMATS)})")


def iter_kind(G: nx.MultiDiGraph, kind: str) -> Iterable[tuple[str, dict[str, Any]]]:
    return ((n, d) for n, d in G.nodes(data=True) if d.get("kind") == kind)


def add_reports_on(G: nx.MultiDiGraph, links: Iterable[dict[str, Any]]) -> int:
    """Add ``reports_on`` edges (report document -> task) from status links.

    ``links``: {"report_doc_id", "doc_id", "task_id", "status", "as_of", "item"} (store ids, as
    ``tracking.report_links`` gives them). Links whose report or task is not in the graph
    are skipped; returns the number of edges added.
    """
    by_id = {d.get("doc_id"): n for n, d in iter_kind(G, "document") if d.get("doc_id") is not None}
    added = 0
    for lk in links:
        report, doc = by_id.get(lk.get("report_doc_id")), by_id.get(lk.get("doc_id"))
        if report is None or doc is None:
            continue
        task = task_key(doc, str(lk.get("task_id")))
        if task not in G:
            continue
        G.add_edge(
            report,
            task,
            key="reports_on",
            kind="reports_on",
            status=lk.get("status"),
            as_of=lk.get("as_of"),
            evidence=lk.get("item"),
        )
        added += 1
    return added
