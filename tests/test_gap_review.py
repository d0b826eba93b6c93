"""The review loop of the gap check, end to end from the CLI: write the sheet, a person fills
the "Quyết định" column (openpyxl here), apply it, check again: the decisions hold, the report
says which items a person decided, and the graph's derives_from edges follow them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from directive_nlp.cli import app
from directive_nlp.linking.graph import build_graph
from directive_nlp.linking.review import sidecar_path

runner = CliRunner()


def _check(shared: Path, *extra: str) -> dict:
    res = runner.invoke(
        app,
        [
            "check",
            str(shared / "gold/002_71bab22afd98218f.json"),
            "--against",
            str(shared / "gold/001_83d4318d260d4f48.json"),
            "--format",
            "json",
            *extra,
        ],
    )
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def _rows(path: Path) -> tuple[list[str], list[list]]:
    ws = load_workbook(path).worksheets[0]
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    return [str(h) for h in values[0]], values[1:]


def test_review_sheet_write_edit_apply_rerun(shared, tmp_path):
    sheet = tmp_path / "ra_soat.xlsx"
    first = _check(shared, "--review", str(sheet))
    applicable = [it for it in first["items"] if it["applies"]]
    header, rows = _rows(sheet)
    assert "Quyết định" in header and "Kết quả máy đề xuất" in header
    assert len(rows) == len(applicable)  # one row per applicable upstream task
    col = header.index("Quyết định")
    assert all(r[col] in (None, "") for r in rows)
    ws = load_workbook(sheet).worksheets[0]
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert lists and "Còn thiếu" in lists[0].formula1 and "Không áp dụng" in lists[0].formula1

    by_status = {it["status"]: it for it in applicable}
    covered, missing = by_status["covered"], by_status["missing"]
    other = next(it for it in applicable if it["status"] in ("partial", "distorted"))
    assert covered["local_tasks"]
    some_local = first["unmatched_local"][0] if first["unmatched_local"] else "t1"

    wb = load_workbook(sheet)
    ws = wb.worksheets[0]
    ids = [c.value for c in ws["A"]]
    fix_col = header.index("Nhiệm vụ địa phương (sửa, nếu cần)") + 1
    ws.cell(ids.index(covered["upstream_task"]) + 1, col + 1, "Còn thiếu")
    ws.cell(ids.index(missing["upstream_task"]) + 1, col + 1, "Đáp ứng một phần")
    ws.cell(ids.index(missing["upstream_task"]) + 1, fix_col, some_local)
    ws.cell(ids.index(other["upstream_task"]) + 1, col + 1, "Không áp dụng")
    wb.save(sheet)

    applied = _check(shared, "--apply-review", str(sheet))
    assert sidecar_path(sheet).is_file()
    items = {it["upstream_task"]: it for it in applied["items"]}
    assert items[covered["upstream_task"]]["status"] == "missing"
    assert items[covered["upstream_task"]]["local_tasks"] == []
    assert items[covered["upstream_task"]]["machine_status"] == "covered"
    assert items[missing["upstream_task"]]["status"] == "partial"
    assert items[missing["upstream_task"]]["local_tasks"] == [some_local]
    assert items[other["upstream_task"]]["applies"] is False
    assert applied["review"]["decided"] == 3
    undecided = [it for it in applied["items"] if it["decided_by"] == "machine" and it["applies"]]
    assert undecided and all(it["status"] == items[it["upstream_task"]]["status"] for it in undecided)

    # a later check of the same pair, given the sheet again, keeps the decisions
    later = _check(shared, "--review", str(sheet))
    again = {it["upstream_task"]: it for it in later["items"]}
    for tid in (covered["upstream_task"], missing["upstream_task"], other["upstream_task"]):
        assert again[tid]["decided_by"] == "person"
        assert again[tid]["status"] == items[tid]["status"]
    header, rows = _rows(sheet)  # rewritten with the decisions filled in
    decided = {r[0]: r[header.index("Quyết định")] for r in rows}
    assert decided[covered["upstream_task"]] == "Còn thiếu"
    assert decided[other["upstream_task"]] == "Không áp dụng"

    # the graph follows the decisions
    up = json.loads((shared / "gold/001_83d4318d260d4f48.json").read_text(encoding="utf-8"))
    loc = json.loads((shared / "gold/002_71bab22afd98218f.json").read_text(encoding="utf-8"))

    def derived(result: dict) -> set[tuple[str, str]]:
        G = build_graph([up, loc], [result], align=False)
        return {(u, v) for u, v, d in G.edges(data=True) if d.get("kind") == "derives_from"}

    before, after = derived(first), derived(later)
    up_node = next(
        n
        for n, d in build_graph([up, loc], [first], align=False).nodes(data=True)
        if d.get("kind") == "task" and n.endswith(covered["upstream_task"])
    )
    assert any(v == up_node for _, v in before)
    assert not any(v == up_node for _, v in after)
    assert len(after) != len(before)


def test_apply_review_rejects_an_unknown_decision(shared, tmp_path):
    sheet = tmp_path / "r.xlsx"
    _check(shared, "--review", str(sheet))
    wb = load_workbook(sheet)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    ws.cell(2, header.index("Quyết định") + 1, "xong rồi")
    wb.save(sheet)
    res = runner.invoke(
        app,
        [
            "check",
            str(shared / "gold/002_71bab22afd98218f.json"),
            "--against",
            str(shared / "gold/001_83d4318d260d4f48.json"),
            "--apply-review",
            str(sheet),
        ],
    )
    assert res.exit_code != 0
    assert "xong rồi" in res.output and "Traceback" not in res.output
    assert not sidecar_path(sheet).exists()  # nothing half-recorded


@pytest.mark.parametrize("lang", ["en"])
def test_review_sheet_in_english(shared, tmp_path, lang):
    sheet = tmp_path / "r.xlsx"
    _check(shared, "--review", str(sheet), "--lang", lang)
    header, _ = _rows(sheet)
    assert "Decision" in header
