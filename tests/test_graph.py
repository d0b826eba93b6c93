"""Cross-reference graph: building, sanity warnings, exports, HTML view, CLI."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from typer.testing import CliRunner

from directive_nlp.cli import app
from directive_nlp.linking.graph import (
    CARRIED_STATUSES,
    build_graph,
    canonical_symbol,
    document_key,
    dot_quote,
    find_document,
    graph_warnings,
    neighbourhood,
    scalar_graph,
    stats,
    to_dot,
    write_graph,
)
from directive_nlp.normalise.text import key as loose_key
from directive_nlp.reports.graph_html import render_graph_html, write_graph_html
from directive_nlp.units import levels_by_rule

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT.parent / "shared" / "gold"
GOLD_FILES = ["001_83d4318d260d4f48.json", "002_71bab22afd98218f.json", "nq03_pl2_part1.json"]
GAP_FILE = GOLD / "gap" / "002_vs_001.json"
RENDER = ROOT / "scripts" / "render_graph_html.sh"

needs_gold = pytest.mark.skipif(not GOLD.is_dir(), reason="shared/gold not present")


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def gold() -> list[dict[str, Any]]:
    if not GOLD.is_dir():
        pytest.skip("shared/gold not present")
    return [json.loads((GOLD / f).read_text(encoding="utf-8")) for f in GOLD_FILES]


@pytest.fixture(scope="module")
def gap() -> dict[str, Any]:
    if not GAP_FILE.is_file():
        pytest.skip("shared/gold/gap not present")
    return json.loads(GAP_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def gold_graph(gold, gap) -> nx.MultiDiGraph:
    return build_graph(gold, [gap], use_gazetteer=False, align=False)


def doc(
    symbol: str | None,
    path: str,
    *,
    date: str | None = None,
    citations=(),
    implements=(),
    tasks=(),
    issuer: str | None = None,
) -> dict[str, Any]:
    """A minimal extraction in the spec's shape."""
    return {
        "schema": "directive-nlp/extraction/v1",
        "source": {"path": path, "sha256": None, "format": "txt", "pages": None},
        "document": {
            "symbol": symbol,
            "doc_type": "KH",
            "title": f"title of {path}",
            "issuer": issuer,
            "issued_date": date,
            "signer": None,
            "implements": list(implements),
        },
        "citations": [
            {"symbol": s, "doc_type": None, "date": d, "mentions": 1, "evidence": [f"Căn cứ {s}"]}
            for s, d in citations
        ],
        "tasks": list(tasks),
    }


def task(
    tid: str, lead=(), support=(), due: str | None = None, kind: str = "none", cites=()
) -> dict[str, Any]:
    return {
        "id": tid,
        "text": f"Nhiệm vụ {tid}",
        "section": None,
        "lead": list(lead),
        "support": list(support),
        "deadline": {"kind": kind, "due": due, "start": None, "text": None},
        "targets": [],
        "cites": list(cites),
    }


# --------------------------------------------------------------------------- expected counts


def expected_counts(extractions: list[dict[str, Any]], gap: dict[str, Any]) -> dict[str, int]:
    """Node and edge counts derived from the input data alone."""
    keys = [document_key(e) for e in extractions]
    ingested = set(keys)
    own = {canonical_symbol(e["document"]["symbol"]) for e in extractions}
    cited: set[str] = set()
    cites_edges: set[tuple[str, str]] = set()
    implements: set[tuple[str, str]] = set()
    for k, e in zip(keys, extractions, strict=False):
        targets = {canonical_symbol(c["symbol"]) for c in e["citations"]}
        targets |= {canonical_symbol(s) for t in e["tasks"] for s in t.get("cites") or []}
        targets.discard(k)
        targets.discard(canonical_symbol(e["document"]["symbol"]))
        cited |= targets
        cites_edges |= {(k, t) for t in targets}
        implements |= {(k, canonical_symbol(s)) for s in e["document"]["implements"]}
        cited |= {canonical_symbol(s) for s in e["document"]["implements"]}
    stubs = cited - ingested - own
    tasks = sum(len(e["tasks"]) for e in extractions)
    units: set[str] = set()
    lead: set[tuple[str, str]] = set()
    support: set[tuple[str, str]] = set()
    for k, e in zip(keys, extractions, strict=False):
        for t in e["tasks"]:
            for role, acc in (("lead", lead), ("support", support)):
                for u in t.get(role) or []:
                    uk = loose_key(u.split("|")[0])
                    units.add(uk)
                    acc.add((f"{k}#{t['id']}", uk))
    local = {
        document_key(e) for e in extractions if Path(e["source"]["path"]).name == Path(gap["local"]).name
    }.pop()
    derives = {
        (f"{local}#{lt}", f"{gap['upstream']}#{i['upstream_task']}")
        for i in gap["items"]
        if i["status"] in CARRIED_STATUSES
        for lt in i["local_tasks"]
    }
    return {
        "documents": len(ingested) + len(stubs),
        "stubs": len(stubs),
        "tasks": tasks,
        "units": len(units),
        "cites": len(cites_edges),
        "implements": len(implements),
        "contains": tasks,
        "lead": len(lead),
        "support": len(support),
        "derives_from": len(derives),
    }


@needs_gold
def test_gold_graph_counts(gold, gap, gold_graph):
    G, want = gold_graph, expected_counts(gold, gap)
    s = stats(G)
    assert s["documents"] == want["documents"]
    assert s["stubs"] == want["stubs"]
    assert s["tasks"] == want["tasks"]
    assert s["units"] == want["units"]
    for kind in ("cites", "implements", "contains", "lead", "support", "derives_from"):
        assert s.get(f"edges_{kind}", 0) == want[kind], kind
    assert s["nodes"] == want["documents"] + want["tasks"] + want["units"]


@needs_gold
def test_gold_graph_keys_and_attributes(gold, gold_graph):
    G = gold_graph
    # ingested: keyed by symbol, or by file when the header lost its symbol (002)
    assert G.nodes["02-KH/BCĐTW"]["kind"] == "document" and not G.nodes["02-KH/BCĐTW"]["stub"]
    ward = "file:corpus/002_71bab22afd98218f.txt"
    assert G.nodes[ward]["issuer"] == "Ủy ban nhân dân phường Hải An"
    assert G.nodes[ward]["issuer_levels"] == ["commune"]
    # every task is a node
    for e in gold:
        k = document_key(e)
        for t in e["tasks"]:
            n = G.nodes[f"{k}#{t['id']}"]
            assert n["kind"] == "task" and n["text"] == t["text"]
            assert n["deadline_kind"] == t["deadline"]["kind"] and n["due"] == t["deadline"]["due"]
    # stubs keyed by canonical symbol, dated from the citation
    assert G.nodes["57-NQ/TW"]["stub"] is True and G.nodes["57-NQ/TW"]["date"] == "2024-12-22"
    assert G.nodes["Luật Dữ liệu"]["stub"] is True
    # typed edges
    assert G.has_edge(ward, "02-KH/BCĐTW", "implements")
    assert G.has_edge(ward, "02-KH/BCĐTW", "cites")
    assert G.edges[ward, "02-KH/BCĐTW", "cites"]["count"] == 9
    assert G.has_edge("02-KH/BCĐTW#t1", "bo tai chinh", "lead")
    assert G.nodes["bo tai chinh"]["levels"] == ["central"]
    # derives_from: local task -> upstream task, with the gap-check status
    e = G.edges[f"{ward}#t1", "02-KH/BCĐTW#t117", "derives_from"]
    assert e["status"] == "partial" and e["issues"] == ["scope_narrowed"]


@needs_gold
def test_gold_warnings(gold_graph):
    rules = {(w.rule, w.subject) for w in graph_warnings(gold_graph)}
    # 002 and 03/NQ-CP implement 57-NQ/TW, which is not ingested
    assert rules == {("implements_not_ingested", "57-NQ/TW")}
    assert len(graph_warnings(gold_graph)) == 2


def test_document_keys_and_unit_gazetteer():
    class Gaz:  # the interface extraction/units.py provides
        def canonical(self, name: str) -> str | None:
            return (
                "Bộ Khoa học và Công nghệ"
                if loose_key(name) in ("bo khoa hoc va cong nghe", "bo kh&cn", "bo khcn")
                else None
            )

        def levels_of(self, name: str) -> set[str]:
            return {"central"} if self.canonical(name) else set()

        def lookup(self, name: str):  # pragma: no cover - not used by the graph
            return self.canonical(name)

        def same_unit(self, a: str, b: str) -> bool:  # pragma: no cover
            return self.canonical(a) == self.canonical(b)

    exs = [
        doc(
            "02- KH/BCĐTW",
            "a.txt",
            tasks=[
                task("t1", lead=["Bộ KH&CN"]),
                task("t2", lead=["Bộ Khoa học và Công nghệ"]),
                task("t3", lead=["Uỷ ban nhân dân phường X"]),
            ],
        ),
        doc(None, "corpus/b.txt"),
    ]
    G = build_graph(exs, gazetteer=Gaz(), align=False)
    assert "02-KH/BCĐTW" in G and "file:corpus/b.txt" in G
    assert G.has_edge("02-KH/BCĐTW#t1", "Bộ Khoa học và Công nghệ", "lead")
    assert G.has_edge("02-KH/BCĐTW#t2", "Bộ Khoa học và Công nghệ", "lead")
    assert G.nodes["Bộ Khoa học và Công nghệ"]["levels"] == ["central"]
    # unknown to the gazetteer: a tone-insensitive key, levels from the name
    assert G.nodes["uy ban nhan dan phuong x"]["levels"] == ["commune"]
    assert find_document(G, "02-KH/BCĐTW") == "02-KH/BCĐTW"
    assert find_document(G, "b.txt") == "file:corpus/b.txt"
    assert find_document(G, "99-KH/XX") is None


def test_duplicate_symbol_keeps_the_copy_with_most_tasks():
    exs = [
        doc("5-KH/X", "plan.txt", tasks=[task("t1")]),
        doc("5-KH/X", "plan.docx", tasks=[task("t1"), task("t2")]),
    ]
    G = build_graph(exs, align=False)
    assert G.nodes["5-KH/X"]["path"] == "plan.docx"
    assert G.nodes["file:plan.txt"]["symbol"] == "5-KH/X"
    assert [w.rule for w in graph_warnings(G)] == ["duplicate_document"]


@pytest.mark.parametrize(
    "name, levels",
    [
        ("Bộ Công an", {"central"}),
        ("Văn phòng Chính phủ", {"central"}),
        ("Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương", {"province"}),
        ("Sở Khoa học và Công nghệ", {"province"}),
        ("Ủy ban nhân dân phường Hải An", {"commune"}),
        ("Ủy ban nhân dân cấp tỉnh, cấp xã", {"province", "commune"}),
        ("Các bộ, ngành, địa phương", {"central", "province", "commune"}),
        ("Các cơ quan, đơn vị, địa phương", {"province", "commune"}),
        ("các tổ chức chính trị - xã hội", set()),
        ("Tập đoàn Điện lực Việt Nam", set()),
    ],
)
def test_levels_by_rule(name, levels):
    assert levels_by_rule(name) == levels


# --------------------------------------------------------------------------- warnings rules


def test_warning_cited_document_dated_after_citing():
    exs = [doc("1-KH/A", "a.txt", date="2025-01-10", citations=[("2-QĐ/B", "2025-03-01")])]
    G = build_graph(exs, align=False)
    ws = graph_warnings(G)
    assert [(w.rule, w.subject) for w in ws] == [("cited_after_citing", "2-QĐ/B")]
    assert ws[0].params["cited_date"] == "2025-03-01"
    assert "2-QĐ/B" in ws[0].message("en") and "muộn hơn" in ws[0].message("vi")
    assert G.edges["1-KH/A", "2-QĐ/B", "cites"]["suspect"] is True


def test_warning_uses_the_ingested_documents_own_date():
    exs = [
        doc("1-KH/A", "a.txt", date="2025-01-10", citations=[("2-QĐ/B", None)]),
        doc("2-QĐ/B", "b.txt", date="2025-02-01"),
    ]
    rules = [w.rule for w in graph_warnings(build_graph(exs, align=False))]
    assert rules == ["cited_after_citing"]


def test_warning_symbol_cited_with_two_dates():
    exs = [
        doc("1-KH/A", "a.txt", citations=[("57-NQ/TW", "2024-12-22")]),
        doc("2-KH/A", "b.txt", citations=[("57-NQ/TW", "2024-12-20")]),
    ]
    ws = graph_warnings(build_graph(exs, align=False))
    assert [(w.rule, w.subject) for w in ws] == [("conflicting_dates", "57-NQ/TW")]
    assert ws[0].params["dates"] == "2024-12-20, 2024-12-22"


def test_warning_implements_target_not_ingested():
    exs = [doc("1-KH/A", "a.txt", implements=["9-KH/Z"])]
    G = build_graph(exs, align=False)
    assert [(w.rule, w.subject) for w in graph_warnings(G)] == [("implements_not_ingested", "9-KH/Z")]
    assert G.nodes["9-KH/Z"]["stub"] is True
    assert G.has_edge("1-KH/A", "9-KH/Z", "implements")


def test_no_warnings_on_consistent_input():
    exs = [
        doc(
            "1-KH/A",
            "a.txt",
            date="2025-06-01",
            implements=["2-KH/B"],
            citations=[("2-KH/B", "2025-05-01"), ("57-NQ/TW", "2024-12-22")],
        ),
        doc("2-KH/B", "b.txt", date="2025-05-01", citations=[("57-NQ/TW", "2024-12-22")]),
    ]
    G = build_graph(exs, align=False)
    assert graph_warnings(G) == []
    assert not G.edges["1-KH/A", "2-KH/B", "cites"]["suspect"]


# --------------------------------------------------------------------------- alignments


def test_alignment_callable_runs_for_implementing_pairs_only():
    up = doc("1-KH/TW", "up.txt", tasks=[task("t1"), task("t2")])
    local = doc(None, "local.txt", implements=["1-KH/TW"], tasks=[task("a"), task("b")])
    other = doc("3-KH/X", "other.txt", tasks=[task("x")])
    calls = []

    def fake_check(lo, upd):
        calls.append((lo["source"]["path"], upd["document"]["symbol"]))
        return {
            "upstream": "1-KH/TW",
            "local": "local.txt",
            "items": [
                {"upstream_task": "t1", "status": "covered", "local_tasks": ["a", "b"], "issues": []},
                {"upstream_task": "t2", "status": "missing", "local_tasks": [], "issues": []},
            ],
        }

    G = build_graph([up, local, other], align=fake_check)
    assert calls == [("local.txt", "1-KH/TW")]
    derives = sorted((u, v) for u, v, d in G.edges(data=True) if d["kind"] == "derives_from")
    assert derives == [("file:local.txt#a", "1-KH/TW#t1"), ("file:local.txt#b", "1-KH/TW#t1")]
    assert G.graph["aligned_pairs"] == [("file:local.txt", "1-KH/TW")]


def test_precomputed_alignment_wins_and_failures_are_warnings():
    up = doc("1-KH/TW", "up.txt", tasks=[task("t1")])
    local = doc("2-KH/L", "local.txt", implements=["1-KH/TW"], tasks=[task("a")])
    pre = {
        "upstream": "1-KH/TW",
        "local": "corpus/local.txt",
        "items": [{"upstream_task": "t1", "status": "partial", "local_tasks": ["a"], "issues": []}],
    }

    def boom(lo, upd):
        raise ValueError("malformed extraction")

    G = build_graph([up, local], [pre], align=boom)
    assert G.has_edge("2-KH/L#a", "1-KH/TW#t1", "derives_from")
    assert graph_warnings(G) == []
    G2 = build_graph([up, local], align=boom)
    assert [w.rule for w in graph_warnings(G2)] == ["alignment_failed"]
    assert not any(d["kind"] == "derives_from" for _, _, d in G2.edges(data=True))
    # a target that is not an object (the spec's shape broken) fails the real gap check: a warning
    broken = task("a")
    broken["targets"] = [5]
    bad = doc("3-KH/L", "bad.txt", implements=["1-KH/TW"], tasks=[broken])
    G3 = build_graph([up, bad])
    assert [w.rule for w in graph_warnings(G3)] == ["alignment_failed"]

    def bug(lo, upd):
        raise RuntimeError("a bug, not bad input")

    with pytest.raises(RuntimeError):  # not swallowed: only malformed input is a warning
        build_graph([up, local], align=bug)


# --------------------------------------------------------------------------- exports


def _assert_scalar_attrs(H: nx.MultiDiGraph) -> None:
    for _, d in H.nodes(data=True):
        assert all(isinstance(v, (str, int, float, bool)) for v in d.values()), d
    for _, _, d in H.edges(data=True):
        assert all(isinstance(v, (str, int, float, bool)) for v in d.values()), d


@needs_gold
def test_scalar_graph(gold_graph):
    H = scalar_graph(gold_graph)
    _assert_scalar_attrs(H)
    t = H.nodes["02-KH/BCĐTW#t1"]
    assert json.loads(t["lead"]) == ["Bộ Tài chính"]
    assert "due" in t and "start" not in t  # None dropped
    assert "warnings" not in H.graph


@needs_gold
def test_graphml_round_trip(gold_graph, tmp_path):
    out = tmp_path / "g.graphml"
    write_graph(gold_graph, out, "graphml")
    H = nx.read_graphml(out, force_multigraph=True)
    assert isinstance(H, nx.MultiDiGraph)
    assert set(H.nodes) == set(gold_graph.nodes)
    assert H.number_of_edges() == gold_graph.number_of_edges()
    kinds = lambda g: sorted(d["kind"] for _, _, d in g.edges(data=True))  # noqa: E731
    assert kinds(H) == kinds(gold_graph)
    assert H.nodes["57-NQ/TW"]["stub"] is True
    assert json.loads(H.nodes["bo tai chinh"]["levels"]) == ["central"]
    assert H.nodes["02-KH/BCĐTW#t1"]["due"] == "2025-06-25"


@needs_gold
def test_gexf_round_trip(gold_graph, tmp_path):
    out = tmp_path / "g.gexf"
    write_graph(gold_graph, out, "gexf")
    H = nx.read_gexf(out)
    assert set(H.nodes) == set(gold_graph.nodes)
    assert H.number_of_edges() == gold_graph.number_of_edges()
    assert H.nodes["02-KH/BCĐTW"]["kind"] == "document"
    text = out.read_text(encoding="utf-8")
    assert 'mode="static"' in text and "start=" not in text  # no accidental time intervals
    ranged = [n for n, d in gold_graph.nodes(data=True) if d.get("start")]
    assert ranged and H.nodes[ranged[0]]["deadline_start"] == gold_graph.nodes[ranged[0]]["start"]


@needs_gold
def test_json_node_link_round_trip(gold_graph, tmp_path):
    out = tmp_path / "g.json"
    write_graph(gold_graph, out, "json")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["directed"] and data["multigraph"]
    H = nx.node_link_graph(data, edges="edges")
    assert set(H.nodes) == set(gold_graph.nodes)
    assert H.number_of_edges() == gold_graph.number_of_edges()
    assert H.nodes["02-KH/BCĐTW#t1"]["lead"] == ["Bộ Tài chính"]  # native lists in JSON
    assert data["graph"]["warnings"][0]["rule"] == "implements_not_ingested"


def _parse_dot(text: str) -> tuple[set[str], list[tuple[str, str]]]:
    """A small DOT reader for what to_dot writes: node and edge statements with quoted ids."""
    q = r'"((?:[^"\\]|\\.)*)"'
    nodes, edges = set(), []
    for line in text.splitlines()[1:-1]:
        m = re.fullmatch(rf"\s*{q} -> {q} \[.*\];", line)
        if m:
            edges.append((m[1], m[2]))
            continue
        m = re.fullmatch(rf"\s*{q} \[label={q}.*\];", line)
        if m:
            nodes.add(m[1])
    return nodes, edges


def _unescape(s: str) -> str:
    return s.replace('\\"', '"').replace("\\\\", "\\")


@needs_gold
def test_dot_export(gold_graph, tmp_path):
    out = tmp_path / "g.dot"
    write_graph(gold_graph, out, "dot")
    text = out.read_text(encoding="utf-8")
    assert text.startswith("digraph directive_nlp {") and text.rstrip().endswith("}")
    nodes, edges = _parse_dot(text)
    assert {_unescape(n) for n in nodes} == set(gold_graph.nodes)
    assert len(edges) == gold_graph.number_of_edges()
    if shutil.which("dot"):
        subprocess.run(["dot", "-Tsvg", "-o", str(tmp_path / "g.svg"), str(out)], check=True)


def test_dot_escapes_quotes_backslashes_and_newlines():
    G = nx.MultiDiGraph()
    G.add_node('Luật "A"\\B', kind="document", label='dòng 1\ndòng "2"')
    G.add_node("x", kind="unit", label="x")
    G.add_edge('Luật "A"\\B', "x", key="lead", kind="lead")
    text = to_dot(G)
    assert '"Luật \\"A\\"\\\\B" [label="dòng 1 dòng \\"2\\""' in text  # labels on one line
    assert dot_quote('a\nb"c\\') == '"a\\nb\\"c\\\\"'
    nodes, edges = _parse_dot(text)
    assert len(nodes) == 2 and len(edges) == 1
    assert "\n\n" not in text


@needs_gold
def test_subgraph_around_a_document(gold_graph):
    one = neighbourhood(gold_graph, "02-KH/BCĐTW", 1)
    kinds = {d["kind"] for _, d in one.nodes(data=True)}
    assert kinds == {"document", "task"}  # units are two hops away
    assert "02-KH/BCĐTW#t1" in one and "57-NQ/TW" in one and "03/NQ-CP#t1" not in one
    two = neighbourhood(gold_graph, "02-KH/BCĐTW", 2)
    assert "bo tai chinh" in two
    assert set(one.nodes) < set(two.nodes) <= set(gold_graph.nodes)


# --------------------------------------------------------------------------- HTML

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


def _check_offline_html(text: str) -> None:
    assert not EXTERNAL.search(text), "external src/href"
    assert not re.search(r"<script[^>]*\bsrc\s*=", text, re.I)
    assert not re.search(r"<link\b", text, re.I)
    assert not re.search(r"<img\b", text, re.I)
    assert "@import" not in text and "url(" not in text
    # the layout script is inlined
    assert re.search(r"<script>\s*/\* directive-nlp graph view", text)
    assert "function layout(" in text
    m = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', text, re.S)
    assert m
    json.loads(m.group(1))


@needs_gold
def test_html_is_self_contained_and_vietnamese(gold_graph, tmp_path):
    out = tmp_path / "g.html"
    write_graph_html(gold_graph, out)
    text = out.read_text(encoding="utf-8")
    _check_offline_html(text)
    assert '<html lang="vi">' in text
    assert "Đồ thị liên kết văn bản chỉ đạo" in text and "Tìm số ký hiệu, đơn vị" in text
    data = json.loads(re.search(r'id="graph-data">(.*?)</script>', text, re.S).group(1))
    assert len(data["nodes"]) == gold_graph.number_of_nodes()
    assert len(data["edges"]) == gold_graph.number_of_edges()
    assert data["text"]["kinds"]["untracked"] == "Nhiệm vụ chưa được theo dõi"
    en = render_graph_html(gold_graph, lang="en")
    assert "Directive cross-reference graph" in en and '<html lang="en">' in en


def test_html_escapes_script_breaking_data():
    G = nx.MultiDiGraph()
    G.add_node("</script><script>alert(1)</script>", kind="document", label="<b>&amp;", stub=False)
    text = render_graph_html(G)
    assert text.count("</script>") == 2  # the data block and the inlined script
    _check_offline_html(text)


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


@needs_gold
@pytest.mark.skipif(
    not any(shutil.which(b) for b in ("chromium", "chromium-browser")), reason="chromium not installed"
)
def test_html_renders_in_headless_chromium(gold_graph, tmp_path):
    from directive_nlp.linking.untracked import find_untracked, mark_untracked

    G = gold_graph.copy()
    mark_untracked(G, find_untracked(G, "commune"))
    page = tmp_path / "g.html"
    write_graph_html(G, page)
    shot = tmp_path / "g.png"
    subprocess.run(["bash", str(RENDER), str(page), str(shot)], check=True, timeout=180, capture_output=True)
    assert _png_size(shot) == (1400, 900)
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover
        assert shot.stat().st_size > 20_000
        return
    img = Image.open(shot).convert("RGB")
    # the canvas area (left of the side panel) must hold many coloured (non-grey) pixels:
    # document blue, task green, untracked red, unit yellow
    canvas = img.crop((0, 60, 1000, 900)).resize((250, 210))
    px = canvas.tobytes()
    colourful = sum(1 for i in range(0, len(px), 3) if max(px[i : i + 3]) - min(px[i : i + 3]) > 60)
    assert colourful > 300


# --------------------------------------------------------------------------- CLI


def _gold_args() -> list[str]:
    args: list[str] = []
    for f in GOLD_FILES:
        args += ["--json", str(GOLD / f)]
    return args + ["--alignment", str(GAP_FILE)]


@needs_gold
@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "dot", "html"])
def test_cli_graph_formats(fmt, tmp_path):
    out = tmp_path / f"g.{fmt}"
    r = CliRunner().invoke(app, ["graph", *_gold_args(), "--format", fmt, "-o", str(out), "--no-align"])
    assert r.exit_code == 0, r.output
    assert out.is_file() and out.stat().st_size > 1000
    assert "cảnh báo: " in r.stderr and "57-NQ/TW" in r.stderr  # warnings, not errors
    if fmt == "graphml":
        H = nx.read_graphml(out, force_multigraph=True)
        untracked = [n for n, d in H.nodes(data=True) if d.get("untracked")]
        assert "02-KH/BCĐTW#t22" in untracked


@needs_gold
def test_cli_graph_subgraph_and_default_output(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(
        app, ["graph", *_gold_args(), "--document", "02-KH/BCĐTW", "--depth", "1", "--no-align"]
    )
    assert r.exit_code == 0, r.output
    H = nx.read_graphml(tmp_path / "outputs" / "graph.graphml", force_multigraph=True)
    assert "02-KH/BCĐTW" in H and not any(d["kind"] == "unit" for _, d in H.nodes(data=True))
    r = CliRunner().invoke(app, ["graph", *_gold_args(), "--document", "99-XX/YY"])
    assert r.exit_code == 1 and "99-XX/YY" in r.stderr
    r = CliRunner().invoke(app, ["graph", *_gold_args(), "--format", "svg"])
    assert r.exit_code == 1 and "định dạng 'svg' không hợp lệ" in r.stderr


# --------------------------------------------------------------------------- end to end

CORPUS = ROOT / "corpus"


def test_end_to_end_corpus(tmp_path):
    """ingest corpus/ into a fresh store, then graph and untracked on it (the issue's bar)."""
    try:
        from directive_nlp.storage.store import Store
    except ImportError:
        pytest.skip("storage/store.py has not landed")
    db = tmp_path / "d.db"
    runner = CliRunner()
    r = runner.invoke(app, ["ingest", str(CORPUS), "--db", str(db)])
    assert r.exit_code == 0, r.output
    with Store(db) as store:
        extractions = store.extractions()
    if not any(e.get("citations") for e in extractions):
        pytest.skip("the extractor does not extract citations yet")
    n_tasks = sum(len(e["tasks"]) for e in extractions)

    out = tmp_path / "g.graphml"
    r = runner.invoke(app, ["graph", "--db", str(db), "-o", str(out)])
    assert r.exit_code == 0, r.output
    H = nx.read_graphml(out, force_multigraph=True)
    docs = [n for n, d in H.nodes(data=True) if d["kind"] == "document"]
    tasks = [n for n, d in H.nodes(data=True) if d["kind"] == "task"]
    edge_kinds = [d["kind"] for _, _, d in H.edges(data=True)]
    assert len(docs) >= 10
    assert len(tasks) == n_tasks
    assert edge_kinds.count("implements") >= 2
    assert edge_kinds.count("cites") >= 20

    page = tmp_path / "g.html"
    r = runner.invoke(
        app, ["graph", "--db", str(db), "--format", "html", "-o", str(page), "--no-align"]
    )  # the gap check already ran above; it is slow
    assert r.exit_code == 0, r.output
    _check_offline_html(page.read_text(encoding="utf-8"))
    if any(shutil.which(b) for b in ("chromium", "chromium-browser")):
        subprocess.run(
            ["bash", str(RENDER), str(page), str(tmp_path / "g.png")],
            check=True,
            timeout=180,
            capture_output=True,
        )

    r = runner.invoke(app, ["untracked", "--db", str(db), "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert rows and all(row["reason"] and row["reasons"] for row in rows)
