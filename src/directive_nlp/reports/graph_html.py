"""One self-contained, offline HTML file showing the cross-reference graph.

The page embeds the graph as JSON and inlines its CSS and JavaScript (``assets/graph.css``,
``assets/graph.js``: a small force-directed layout drawn on a canvas). No CDN, no external
script, stylesheet, image or font. Labels are Vietnamese by default (``lang="en"`` for English).
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import html
import json
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

from ..i18n import catalogue, check_lang

# Attributes shown in the node panel, in this order (others are left out of the page).
SHOWN_ATTRS = (
    "symbol",
    "doc_type",
    "title",
    "issuer",
    "issuer_levels",
    "date",
    "signer",
    "implements",
    "n_tasks",
    "path",
    "document",
    "task_id",
    "section",
    "phase",
    "text",
    "lead",
    "support",
    "deadline_kind",
    "due",
    "start",
    "deadline_text",
    "targets",
    "cites",
    "untracked_reason",
    "levels",
    "names",
)


def page_text(lang: str) -> dict[str, Any]:
    """The page's words in ``lang`` from the message catalogue (keys ``graph.*``)."""
    lang = check_lang(lang)
    words: dict[str, Any] = {"kinds": {}, "edge_names": {}, "attr_names": {}, "values": {}}
    groups = {"kind": "kinds", "edge": "edge_names", "attr": "attr_names", "value": "values"}
    for key, entry in catalogue().items():
        parts = key.split(".")
        if parts[0] != "graph":
            continue
        if len(parts) == 3 and parts[1] in groups:
            words[groups[parts[1]]][parts[2]] = entry[lang]
        elif len(parts) == 2:
            words[parts[1]] = entry[lang]
    return words


def _asset(name: str) -> str:
    return resources.files("directive_nlp.reports").joinpath("assets", name).read_text("utf-8")


def _display(value: Any, values: dict[str, str]) -> Any:
    if isinstance(value, str) and value.startswith("[") and value.endswith("]"):
        with contextlib.suppress(ValueError):
            value = json.loads(value)
    if isinstance(value, (list, tuple, set)):
        return [values.get(str(v), str(v)) for v in value]
    if isinstance(value, str):
        return values.get(value, value)
    return value


def page_data(
    G: nx.MultiDiGraph,
    lang: str = "vi",
    title: str | None = None,
    center: str | None = None,
    aggregate: bool | None = None,
) -> dict[str, Any]:
    """The JSON the page script reads: nodes, edges (by index), counts, texts, warnings.

    ``aggregate`` (default: from ``AGGREGATE_NODES`` nodes on): documents and units only,
    positions computed here, each document's tasks under ``"tasks"`` for the page to add when
    the document is selected."""
    text = page_text(lang)
    if aggregate is None:
        aggregate = G.number_of_nodes() >= AGGREGATE_NODES and center is None
    if aggregate:
        nodes_a, edges_a, tasks_a, counts_a = aggregated_data(G, lang)
        edge_counts_a: dict[str, int] = {}
        for e in edges_a:
            edge_counts_a[e["kind"]] = edge_counts_a.get(e["kind"], 0) + e["count"]
        return {
            "meta": {
                "title": title or text["title"],
                "counts": counts_a,
                "edge_counts": edge_counts_a,
                "warnings": [
                    w.message(lang) if hasattr(w, "message") else str(w)
                    for w in G.graph.get("warnings") or []
                ],
                "center": None,
                "positioned": True,
            },
            "text": {k: v for k, v in text.items() if k != "values"}
            | {"attr_names": text["attr_names"] or {}},
            "nodes": nodes_a,
            # compact: [source, target, kind index, count]; the page expands them
            "edge_kinds": EDGE_KINDS,
            "edges": [[e["s"], e["t"], EDGE_KINDS.index(e["kind"]), e["count"]] for e in edges_a],
            "tasks": tasks_a,
        }
    values = text["values"]
    index: dict[Any, int] = {}
    nodes: list[dict[str, Any]] = []
    counts = {"document": 0, "stub": 0, "task": 0, "untracked": 0, "overdue": 0, "unit": 0}
    for n, d in G.nodes(data=True):
        kind = d.get("kind", "document")
        index[n] = len(nodes)
        stub = bool(d.get("stub"))
        counts["stub" if stub else kind] = counts.get("stub" if stub else kind, 0) + 1
        untracked, overdue = bool(d.get("untracked")), bool(d.get("overdue"))
        counts["untracked"] += untracked
        counts["overdue"] += overdue and not untracked
        attrs = {
            k: _display(d[k], values)
            for k in SHOWN_ATTRS
            if k in d and d[k] not in (None, "", [], "[]") and not (k == "date" and kind == "task")
        }  # a task's date is its due date
        names = d.get("names") or []
        if isinstance(names, str):
            names = _display(names, {})
        search = " ".join(
            [str(n), str(d.get("label") or ""), str(d.get("symbol") or ""), *[str(x) for x in names]]
        )
        nodes.append(
            {
                "id": str(n),
                "kind": kind,
                "label": str(d.get("label") or n),
                "stub": stub,
                "untracked": untracked,
                "overdue": overdue,
                "search": search,
                "attrs": attrs,
            }
        )
    edges = []
    edge_counts: dict[str, int] = {}
    for u, v, d in G.edges(data=True):
        kind = d.get("kind", "")
        edge_counts[kind] = edge_counts.get(kind, 0) + 1
        edges.append({"s": index[u], "t": index[v], "kind": kind, "count": d.get("count", 1)})
    warnings = []
    for w in G.graph.get("warnings") or []:
        warnings.append(w.message(lang) if hasattr(w, "message") else str(w))
    return {
        "meta": {
            "title": title or text["title"],
            "counts": counts,
            "edge_counts": edge_counts,
            "warnings": warnings,
            "center": index.get(center) if center else None,
        },
        "text": {k: v for k, v in text.items() if k != "values"} | {"attr_names": text["attr_names"] or {}},
        "nodes": nodes,
        "edges": edges,
    }


EDGE_KINDS = ["cites", "implements", "contains", "lead", "support", "derives_from"]
AGGREGATE_NODES = 600  # from this many nodes the page shows the aggregated view unless told
TASK_TEXT_MAX = 200  # characters of a task's text kept in the page


# what a task added on demand carries (its lead and support units and its document are links)
TASK_ATTRS = ("task_id", "section", "phase", "text", "deadline_kind", "due", "deadline_text", "targets")
TASK_LABEL_MAX = 90


def _task_entry(d: dict[str, Any], key: str, values: dict[str, str]) -> dict[str, Any]:
    """A task of the aggregated page, compact: it travels compressed and is drawn on demand."""
    attrs = {k: _display(d[k], values) for k in TASK_ATTRS if k in d and d[k] not in (None, "", [], "[]")}
    text = str(attrs.get("text") or d.get("label") or key)
    if len(text) > TASK_TEXT_MAX:
        attrs["text"] = text[: TASK_TEXT_MAX - 1] + "…"
    entry: dict[str, Any] = {"id": key, "attrs": attrs}  # the page labels a task by its text
    if "text" not in attrs:
        entry["label"] = text[:TASK_LABEL_MAX]
    if d.get("untracked"):
        entry["untracked"] = 1
        if d.get("untracked_reason"):
            attrs["untracked_reason"] = d["untracked_reason"]
    if d.get("overdue"):
        entry["overdue"] = 1
    return entry


def _node_entry(n: Any, d: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    kind = d.get("kind", "document")
    attrs = {
        k: _display(d[k], values)
        for k in SHOWN_ATTRS
        if k in d and d[k] not in (None, "", [], "[]") and not (k == "date" and kind == "task")
    }  # a task's date is its due date
    if isinstance(attrs.get("text"), str) and len(attrs["text"]) > TASK_TEXT_MAX:
        attrs["text"] = attrs["text"][: TASK_TEXT_MAX - 1] + "…"
    names = d.get("names") or []
    if isinstance(names, str):
        names = _display(names, {})
    label = str(d.get("label") or n)
    return {
        "id": str(n),
        "kind": kind,
        "label": label if len(label) <= 120 else label[:119] + "…",
        "stub": bool(d.get("stub")),
        "untracked": bool(d.get("untracked")),
        "overdue": bool(d.get("overdue")),
        "search": " ".join(
            [str(n), str(d.get("label") or ""), str(d.get("symbol") or ""), *[str(x) for x in names]]
        ),
        "attrs": attrs,
    }


def _spring(A: np.ndarray, iterations: int, seed: int) -> np.ndarray:
    """Fruchterman-Reingold on a dense weighted adjacency matrix, vectorised: networkx's dense
    algorithm (``spring_layout`` switches to a per-node sparse loop from 500 nodes, minutes on
    a 500-document view)."""
    n = A.shape[0]
    pos = np.random.default_rng(seed).random((n, 2))
    k = 1.0 / np.sqrt(n)
    t = max(float(np.ptp(pos[:, 0])), float(np.ptp(pos[:, 1]))) * 0.1
    dt = t / (iterations + 1)
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        dist = np.clip(np.linalg.norm(delta, axis=-1), 0.01, None)
        disp = np.einsum("ijk,ij->ik", delta, k * k / dist**2 - A * dist / k)
        length = np.linalg.norm(disp, axis=-1)
        length = np.where(length < 0.01, 0.1, length)
        pos += disp * (t / length)[:, None]
        t -= dt
    return pos - pos.mean(axis=0)


def layout_positions(H: nx.Graph, seed: int = 7) -> dict[Any, tuple[float, float]]:
    """Node positions (page pixels) computed before the page opens: a spring layout weighted by
    task counts, spread so the page starts readable at any size."""
    n = H.number_of_nodes()
    if n == 0:
        return {}
    order = list(H.nodes)
    A = nx.to_numpy_array(H, nodelist=order, weight="weight")
    pos = _spring(A / max(float(A.max()), 1.0), iterations=100 if n < 1500 else 60, seed=seed)
    span = float(np.abs(pos).max()) or 1.0
    scale = 60.0 * n**0.5 / span
    return {
        v: (round(float(x) * scale, 1), round(float(y) * scale, 1))
        for v, (x, y) in zip(order, pos, strict=True)
    }


def aggregated_data(
    G: nx.MultiDiGraph, lang: str = "vi"
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, list[dict[str, Any]]], dict[str, int]]:
    """The aggregated view: documents and units as nodes; document -> unit edges carrying how
    many tasks of the document the unit leads (supports); citations, implementations and task
    derivations between documents. Returns nodes (with x, y), edges, the tasks of each
    document (for the page to add on demand) and the counts by kind."""
    values = page_text(lang)["values"]
    parent: dict[Any, Any] = {}
    for u, v, d in G.edges(data=True):
        if d.get("kind") == "contains":
            parent[v] = u
    keep = [n for n, d in G.nodes(data=True) if d.get("kind") != "task"]
    index = {n: i for i, n in enumerate(keep)}
    nodes = [_node_entry(n, G.nodes[n], values) for n in keep]
    counts = {"document": 0, "stub": 0, "task": 0, "untracked": 0, "overdue": 0, "unit": 0}
    for entry in nodes:
        counts["stub" if entry["stub"] else entry["kind"]] += 1
    agg: dict[tuple[int, int, str], int] = {}
    tasks: dict[str, list[dict[str, Any]]] = {}
    flags: dict[int, dict[str, int]] = {}
    for n, d in G.nodes(data=True):
        if d.get("kind") != "task":
            continue
        counts["task"] += 1
        untracked, overdue = bool(d.get("untracked")), bool(d.get("overdue"))
        counts["untracked"] += untracked
        counts["overdue"] += overdue and not untracked
        doc = parent.get(n)
        entry = _task_entry(d, f"{index.get(doc, '')}#{d.get('task_id') or n}", values)
        entry["lead"], entry["support"] = [], []
        for _, unit, e in G.out_edges(n, data=True):
            kind = e.get("kind")
            if kind in ("lead", "support") and unit in index:
                entry[kind].append(index[unit])
                if doc in index:
                    link = (index[doc], index[unit], kind)
                    agg[link] = agg.get(link, 0) + 1
        for role in ("lead", "support"):
            if not entry[role]:
                del entry[role]
        if doc in index:
            tasks.setdefault(nodes[index[doc]]["id"], []).append(entry)
            f = flags.setdefault(index[doc], {"untracked": 0, "overdue": 0})
            f["untracked"] += untracked
            f["overdue"] += overdue
    for u, v, d in G.edges(data=True):
        kind = d.get("kind", "")
        if kind in ("contains", "lead", "support"):
            continue
        s, t = index.get(parent.get(u, u)), index.get(parent.get(v, v))
        if s is None or t is None or s == t:
            continue
        agg[(s, t, kind)] = agg.get((s, t, kind), 0) + int(d.get("count", 1) or 1)
    for i, f in flags.items():
        nodes[i]["untracked"] = f["untracked"] > 0
        nodes[i]["overdue"] = f["overdue"] > 0
        nodes[i]["attrs"]["n_untracked"] = f["untracked"]
        nodes[i]["attrs"]["n_overdue"] = f["overdue"]
    edges: list[dict[str, Any]] = [
        {"s": s, "t": t, "kind": kind, "count": c} for (s, t, kind), c in agg.items()
    ]
    H = nx.Graph()
    H.add_nodes_from(range(len(nodes)))
    for e in edges:
        w = 1.0 + (float(e["count"]) ** 0.5 if e["kind"] in ("lead", "support") else 2.0)
        H.add_edge(e["s"], e["t"], weight=H.get_edge_data(e["s"], e["t"], {"weight": 0})["weight"] + w)
    for i, (x, y) in layout_positions(H).items():
        nodes[i]["x"], nodes[i]["y"] = x, y
    return nodes, edges, tasks, counts


def _script_json(data: dict[str, Any]) -> str:
    """JSON safe inside a <script> element (no '<', '>', '&', line separators)."""
    s = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return (
        s.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _compressed(data: Any) -> str:
    """gzip + base64 of the JSON of ``data`` (the page inflates it with DecompressionStream)."""
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")
    return base64.b64encode(gzip.compress(raw, compresslevel=9, mtime=0)).decode("ascii")


def render_graph_html(
    G: nx.MultiDiGraph,
    lang: str = "vi",
    title: str | None = None,
    center: str | None = None,
    aggregate: bool | None = None,
) -> str:
    """The whole page as a string."""
    data = page_data(G, lang=lang, title=title, center=center, aggregate=aggregate)
    tasks = data.pop("tasks", None)
    tasks_script = (
        f'<script type="application/octet-stream" id="graph-tasks">{_compressed(tasks)}</script>\n'
        if tasks is not None
        else ""
    )
    text = page_text(lang)
    c = data["meta"]["counts"]
    counts = text["counts"].format(
        documents=c["document"] + c["stub"],
        stubs=c["stub"],
        tasks=c["task"],
        units=c["unit"],
        untracked=c["untracked"],
    )
    warn_items = "".join(f"<li>{html.escape(w)}</li>" for w in data["meta"]["warnings"])
    warnings = (
        f'<details class="warnings"><summary>{html.escape(text["warnings"])} '
        f"({len(data['meta']['warnings'])})</summary><ul>{warn_items}</ul></details>"
        if warn_items
        else ""
    )
    script = _asset("graph.js")
    if "</script" in script.lower():  # pragma: no cover - guards the inlined asset
        raise ValueError("graph.js must not contain a closing script tag")
    page_title = html.escape(data["meta"]["title"])
    return f"""<!DOCTYPE html>
<html lang="{html.escape(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="directive-nlp">
<title>{page_title}</title>
<style>
{_asset("graph.css")}
</style>
</head>
<body>
<div id="app">
<header>
<h1>{page_title}</h1>
<span class="counts">{html.escape(counts)}</span>
<div id="search-wrap"><input id="search" type="search" autocomplete="off"
 placeholder="{html.escape(text["search"])}" aria-label="{html.escape(text["search"])}">
<div id="results"></div></div>
<button id="reset" type="button">{html.escape(text["reset"])}</button>
</header>
<main>
<div id="stage"><canvas id="canvas"></canvas><div id="tooltip"></div></div>
<aside>
<h2>{html.escape(text["legend"])}</h2>
<div id="legend" class="legend"></div>
{warnings}
<h2>{html.escape(text["details"])}</h2>
<div id="details"></div>
</aside>
</main>
</div>
<script type="application/json" id="graph-data">{_script_json(data)}</script>
{tasks_script}<script>
{script}
</script>
</body>
</html>
"""


def write_graph_html(
    G: nx.MultiDiGraph,
    path: str | Path,
    lang: str = "vi",
    title: str | None = None,
    center: str | None = None,
    aggregate: bool | None = None,
) -> None:
    page = render_graph_html(G, lang=lang, title=title, center=center, aggregate=aggregate)
    Path(path).write_text(page, encoding="utf-8")
