"""Untracked upstream tasks and overdue tasks with no follow-up (linking/untracked.py + CLI)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from directive_nlp.cli import app
from directive_nlp.linking.graph import build_graph
from directive_nlp.linking.untracked import (
    find_untracked,
    implementers,
    is_upstream_for,
    mark_untracked,
)

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT.parent / "shared" / "gold"
GOLD_FILES = ["001_83d4318d260d4f48.json", "002_71bab22afd98218f.json", "nq03_pl2_part1.json"]
GAP_FILE = GOLD / "gap" / "002_vs_001.json"
AS_OF = dt.date(2025, 6, 30)


def doc(
    symbol: str | None, path: str, issuer: str, tasks: list[dict[str, Any]], implements: tuple[str, ...] = ()
) -> dict[str, Any]:
    return {
        "source": {"path": path},
        "document": {
            "symbol": symbol,
            "doc_type": "KH",
            "title": None,
            "issuer": issuer,
            "issued_date": None,
            "signer": None,
            "implements": list(implements),
        },
        "citations": [],
        "tasks": tasks,
    }


def task(
    tid: str,
    lead: list[str],
    support: list[str] | None = None,
    due: str | None = None,
    kind: str | None = None,
) -> dict[str, Any]:
    kind = kind or ("by_date" if due else "none")
    return {
        "id": tid,
        "text": f"Nhiệm vụ {tid}",
        "section": None,
        "lead": lead,
        "support": support or [],
        "deadline": {"kind": kind, "due": due, "start": None, "text": None},
        "targets": [],
        "cites": [],
    }


UPSTREAM = doc(
    "10-KH/BCĐTW",
    "up.txt",
    "Ban Chỉ đạo Trung ương",
    [
        task("u1", ["Các bộ, ngành, địa phương"], due="2025-03-31"),
        task("u2", ["Bộ Công an"], due="2025-12-31"),
        task("u3", ["Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"]),
        task("u4", ["Bộ Tài chính"], ["các địa phương"], due="2025-05-31"),
        task("u5", ["Các địa phương"], kind="ongoing"),
    ],
)
WARD = doc(
    None,
    "ward.txt",
    "Ủy ban nhân dân phường An Bình",
    [
        task("l1", ["Phòng Văn hóa - Xã hội"], kind="ongoing"),
        task("l2", ["Phòng Văn hóa - Xã hội"], due="2025-02-01"),
        task("l3", ["Trung tâm Phục vụ hành chính công phường"], due="2025-09-30"),
    ],
    implements=("10-KH/BCĐTW",),
)
GAP = {
    "upstream": "10-KH/BCĐTW",
    "local": "ward.txt",
    "items": [
        {"upstream_task": "u1", "status": "covered", "local_tasks": ["l1"], "issues": []},
        {"upstream_task": "u5", "status": "missing", "local_tasks": [], "issues": []},
    ],
}
W = "file:ward.txt"
U = "10-KH/BCĐTW"


def graph(extractions=(UPSTREAM, WARD), alignments=(GAP,)):
    return build_graph(list(extractions), list(alignments), use_gazetteer=False, align=False)


def table(rows) -> list[tuple[str, list[str], list[str]]]:
    """(task, reason codes, levels) per row: the concrete expectation format."""
    return [(r.task, r.codes, r.levels) for r in rows]


# --------------------------------------------------------------------------- graph reads


def test_upstream_and_implementers():
    G = graph()
    assert is_upstream_for(G, U, "commune") and is_upstream_for(G, U, "province")
    assert is_upstream_for(G, U, "central")  # ministries implement central plans
    assert not is_upstream_for(G, W, "commune")  # a ward's own tasks need no ward plan
    assert implementers(G, U) == [W]
    assert implementers(G, U, "commune") == [W]
    assert implementers(G, U, "province") == []


# --------------------------------------------------------------------------- rules


def test_commune_level():
    rows = find_untracked(graph(), "commune", as_of=AS_OF)
    assert table(rows) == [
        (f"{U}#u5", ["no_derived_task"], ["commune"]),  # gap check: missing
        (f"{W}#l2", ["overdue_no_follow_up"], []),  # ward task past due, no follow-up
    ]
    # u1 is carried out by l1; u2/u4 are central only (u4's địa phương is only phối hợp);
    # u3 is addressed to provinces; l3 is not due yet
    assert rows[0].reasons[0].message("vi") == (
        "Cấp xã: văn bản triển khai (KH – Ủy ban nhân dân phường An Bình) không có nhiệm vụ "
        "nào thực hiện nhiệm vụ này"
    )
    assert rows[0].reasons[0].message("en") == (
        "Level commune: the implementing documents (KH – Ủy ban nhân dân phường An Bình) have "
        "no task carrying it out"
    )
    assert rows[1].reason_text("vi") == "Quá hạn (01/02/2025), chưa có nhiệm vụ tiếp nối"
    assert rows[1].reason_text("en") == "Past due (01/02/2025) with no follow-up task"


def test_province_level_has_no_implementing_document():
    rows = find_untracked(graph(), "province", as_of=AS_OF)
    assert table(rows) == [
        (f"{U}#u1", ["no_implementing_document"], ["province"]),
        (f"{U}#u3", ["no_implementing_document"], ["province"]),
        (f"{U}#u5", ["no_implementing_document"], ["province"]),
    ]
    assert rows[0].reason_text("vi") == "Cấp tỉnh: chưa có văn bản nào triển khai 10-KH/BCĐTW"


def test_central_level():
    rows = find_untracked(graph(), "central", as_of=AS_OF)
    assert table(rows) == [
        (f"{U}#u1", ["no_implementing_document"], ["central"]),
        (f"{U}#u2", ["no_implementing_document"], ["central"]),
        (f"{U}#u4", ["no_implementing_document", "overdue_no_follow_up"], ["central"]),
    ]


def test_every_level_merges_reasons():
    rows = find_untracked(graph(), None, as_of=AS_OF)
    got = {r.task: r for r in rows}
    assert sorted(got) == sorted([f"{U}#u1", f"{U}#u2", f"{U}#u3", f"{U}#u4", f"{U}#u5", f"{W}#l2"])
    u1 = got[f"{U}#u1"]
    assert u1.codes == ["no_implementing_document"] and u1.levels == ["central", "province"]
    assert u1.reason_text("vi") == "Cấp trung ương, tỉnh: chưa có văn bản nào triển khai 10-KH/BCĐTW"
    u5 = got[f"{U}#u5"]
    assert u5.codes == ["no_implementing_document", "no_derived_task"]
    assert u5.levels == ["province", "commune"]


def test_support_addressees_count_only_when_asked():
    rows = find_untracked(graph(), "commune", as_of=AS_OF, include_support=True)
    assert (f"{U}#u4", ["no_derived_task", "overdue_no_follow_up"], ["commune"]) in table(rows)


def test_no_implementing_document_at_all():
    rows = find_untracked(graph([UPSTREAM], []), "commune", as_of=AS_OF)
    assert table(rows) == [
        (f"{U}#u1", ["no_implementing_document", "overdue_no_follow_up"], ["commune"]),
        (f"{U}#u5", ["no_implementing_document"], ["commune"]),
    ]


def test_implementing_document_not_aligned():
    rows = find_untracked(graph(alignments=[]), "commune", as_of=AS_OF)
    assert table(rows) == [
        (f"{U}#u1", ["not_aligned", "overdue_no_follow_up"], ["commune"]),
        (f"{U}#u5", ["not_aligned"], ["commune"]),
        (f"{W}#l2", ["overdue_no_follow_up"], []),
    ]


def test_follow_up_clears_overdue_and_dates_are_strict():
    G = graph()
    # u1 is due 2025-03-31 but l1 derives from it: never overdue
    rows = {r.task: r.codes for r in find_untracked(G, None, as_of=dt.date(2026, 1, 1))}
    assert rows[f"{U}#u1"] == ["no_implementing_document"]  # central/province; not overdue
    # due on the as-of day is not yet overdue; ongoing tasks never are
    rows = find_untracked(G, "commune", as_of=dt.date(2025, 9, 30))
    assert f"{W}#l3" not in {r.task for r in rows}
    rows = find_untracked(G, "commune", as_of=dt.date(2025, 10, 1))
    assert (f"{W}#l3", ["overdue_no_follow_up"], []) in table(rows)
    assert f"{W}#l1" not in {r.task for r in rows}


def test_unknown_level_rejected():
    with pytest.raises(ValueError):
        find_untracked(graph(), "district")


def test_row_dict_and_marks():
    G = graph()
    rows = find_untracked(G, "commune", as_of=AS_OF)
    d = rows[0].to_dict("en")
    assert d["task"] == f"{U}#u5" and d["document"] == U and d["task_id"] == "u5"
    assert d["lead"] == ["Các địa phương"] and d["levels"] == ["commune"]
    assert d["reasons"][0]["code"] == "no_derived_task" and d["reason"].startswith("Level commune")
    mark_untracked(G, rows)
    assert G.nodes[f"{U}#u5"]["untracked"] is True and G.nodes[f"{U}#u5"]["overdue"] is False
    assert G.nodes[f"{W}#l2"]["untracked"] is False and G.nodes[f"{W}#l2"]["overdue"] is True
    assert "untracked" not in G.nodes[f"{U}#u1"]


# --------------------------------------------------------------------------- gold data


@pytest.fixture(scope="module")
def gold_graph():
    if not GOLD.is_dir():
        pytest.skip("shared/gold not present")
    exs = [json.loads((GOLD / f).read_text(encoding="utf-8")) for f in GOLD_FILES]
    gap = json.loads(GAP_FILE.read_text(encoding="utf-8"))
    return build_graph(exs, [gap], use_gazetteer=False, align=False), gap


def test_gold_commune_rows_match_the_gold_gap_check(gold_graph):
    G, gap = gold_graph
    rows = find_untracked(G, "commune", as_of=dt.date(2025, 6, 1))
    listed = {r.task_id for r in rows if r.document == "02-KH/BCĐTW"}
    missing = {i["upstream_task"] for i in gap["items"] if i["status"] == "missing"}
    carried = {i["upstream_task"] for i in gap["items"] if i["status"] in ("covered", "partial", "distorted")}
    assert missing <= listed  # every gold "missing" task is untracked at commune level
    assert not listed & carried  # no task the ward plan carries out
    assert all(r.codes == ["no_derived_task"] for r in rows if r.document == "02-KH/BCĐTW")


# --------------------------------------------------------------------------- CLI


def _args(tmp_path: Path) -> list[str]:
    up, ward, gap = tmp_path / "up.json", tmp_path / "ward.json", tmp_path / "gap.json"
    up.write_text(json.dumps(UPSTREAM, ensure_ascii=False), encoding="utf-8")
    ward.write_text(json.dumps(WARD, ensure_ascii=False), encoding="utf-8")
    gap.write_text(json.dumps(GAP), encoding="utf-8")
    return ["--json", str(up), "--json", str(ward), "--alignment", str(gap), "--no-align"]


def test_cli_json(tmp_path):
    r = CliRunner().invoke(
        app,
        ["untracked", *_args(tmp_path), "--level", "commune", "--as-of", "2025-06-30", "--format", "json"],
    )
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert [(x["task"], [c["code"] for c in x["reasons"]]) for x in rows] == [
        (f"{U}#u5", ["no_derived_task"]),
        (f"{W}#l2", ["overdue_no_follow_up"]),
    ]
    assert rows[1]["reason"] == "Quá hạn (01/02/2025), chưa có nhiệm vụ tiếp nối"
    r = CliRunner().invoke(
        app,
        [
            "untracked",
            *_args(tmp_path),
            "--level",
            "commune",
            "--as-of",
            "30/06/2025",
            "--format",
            "json",
            "--lang",
            "en",
        ],
    )
    assert json.loads(r.stdout)[1]["reason"] == "Past due (01/02/2025) with no follow-up task"


def test_cli_table_and_xlsx(tmp_path):
    r = CliRunner().invoke(
        app, ["untracked", *_args(tmp_path), "--level", "province", "--as-of", "2025-06-30"]
    )
    assert r.exit_code == 0, r.output
    assert "Lý do" in r.stdout and "chưa có văn bản nào triển khai" in r.stdout
    out = tmp_path / "u.xlsx"
    r = CliRunner().invoke(
        app, ["untracked", *_args(tmp_path), "--as-of", "2025-06-30", "--format", "xlsx", "-o", str(out)]
    )
    assert r.exit_code == 0, r.output
    from openpyxl import load_workbook

    ws = load_workbook(out).active
    values = list(ws.values)
    assert values[0][0] == "Văn bản" and values[0][-1] == "Lý do"
    assert len(values) == 1 + 6


def test_cli_errors(tmp_path):
    r = CliRunner().invoke(app, ["untracked", *_args(tmp_path), "--level", "district"])
    assert r.exit_code == 1 and "cấp 'district' không hợp lệ" in r.stderr
    r = CliRunner().invoke(app, ["untracked", *_args(tmp_path), "--as-of", "yesterday"])
    assert r.exit_code == 1 and "'yesterday' không phải ngày hợp lệ" in r.stderr
    r = CliRunner().invoke(app, ["untracked", "--db", str(tmp_path / "none.db")])
    assert r.exit_code == 1
