"""Gap check (linking/gapcheck.py), its reports and the ``check`` command."""

from __future__ import annotations

import importlib.util
import json
import re

import pytest
from typer.testing import CliRunner

from directive_nlp.cli import app
from directive_nlp.linking import gapcheck as gc
from directive_nlp.reports import gap_report

UP_GOLD = "gold/001_83d4318d260d4f48.json"
LOC_GOLD = "gold/002_71bab22afd98218f.json"
GAP_GOLD = "gold/gap/002_vs_001.json"
STATUSES = {"covered", "partial", "distorted", "missing"}

# --------------------------------------------------------------------------- applicability

RULES = gc.UnitResolver(None)  # built-in rules only
CENTRAL_ISSUER = "Ban Chỉ đạo Trung ương về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số"


def applies(
    lead, support=(), level="commune", resolver=RULES, text="", issuer="Ủy ban nhân dân phường Hải An"
):
    task = {"id": "t", "text": text, "lead": list(lead), "support": list(support)}
    return gc.applicability(
        task,
        level=level,
        issuer=issuer,
        bloc=gc.issuer_bloc(issuer),
        resolver=resolver,
        upstream_issuer=CENTRAL_ISSUER,
    )


@pytest.fixture(scope="module", params=["rules", "gazetteer"])
def resolver(request):
    if request.param == "rules":
        return RULES
    r = gc.load_resolver()
    if r.gazetteer is None:
        pytest.skip("unit gazetteer not available")
    return r


@pytest.mark.parametrize(
    "lead",
    [
        "Các bộ, ngành, địa phương",
        "Các địa phương",
        "Địa phương",
        "Các cơ quan, đơn vị, địa phương",
        "Các bộ, cơ quan, địa phương",
        "Ủy ban nhân dân cấp tỉnh, cấp xã thuộc diện sắp xếp, sáp nhập",
        "Ủy ban nhân dân các cấp",
    ],
)
def test_generic_local_addressees_apply_to_a_ward(lead, resolver):
    a = applies([lead], resolver=resolver)
    assert a.applies, a.reason


@pytest.mark.parametrize(
    "lead",
    [
        "Bộ Tài chính",
        "Văn phòng Trung ương Đảng",
        "Các bộ, ngành",
        "Các bộ, cơ quan ngang bộ",
        "Toà án nhân dân tối cao",
        "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương",
        "Các tập đoàn, công ty công nghệ",
        "Các cơ quan, tổ chức chính trị - xã hội",
    ],
)
def test_other_addressees_do_not_apply_to_a_ward(lead, resolver):
    a = applies([lead], resolver=resolver)
    assert not a.applies and a.reason


def test_province_addressee_applies_to_a_province_plan(resolver):
    a = applies(
        ["Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"],
        level="province",
        resolver=resolver,
        issuer="Ủy ban nhân dân thành phố Hải Phòng",
    )
    assert a.applies


def test_partner_only_does_not_apply(resolver):
    a = applies(
        ["Bộ Tài chính"], ["Văn phòng Chính phủ", "các bộ, ngành, địa phương liên quan"], resolver=resolver
    )
    assert not a.applies
    assert "phối hợp" in a.reason and "Bộ Tài chính" in a.reason


def test_relative_addressee_is_the_writers_own_unless_qualified(resolver):
    assert not applies(["các cơ quan liên quan"], resolver=resolver).applies
    qualified = applies(
        ["Các cơ quan"],
        resolver=resolver,
        text="Các cơ quan chủ trì quản lý, vận hành các nền tảng số sẵn sàng có phương án dự phòng",
    )
    assert qualified.applies


def test_implied_lead_continues_the_preceding_sentence():
    tasks = [
        {"id": "a", "section": "V.3", "lead": ["Các cơ quan, đơn vị, địa phương"], "text": "Báo cáo"},
        {
            "id": "b",
            "section": "V.3",
            "lead": [CENTRAL_ISSUER],
            "lead_implied": True,
            "text": "Toàn bộ dữ liệu phải được cập nhật theo thời gian thực",
        },
        {"id": "c", "section": "V.4", "lead": [CENTRAL_ISSUER], "lead_implied": True, "text": "Khen thưởng"},
    ]
    inherited = gc.inherited_leads(tasks)
    assert inherited == {"b": ["Các cơ quan, đơn vị, địa phương"]}
    b = gc.applicability(
        tasks[1],
        level="commune",
        issuer="UBND phường X",
        bloc="state",
        resolver=RULES,
        upstream_issuer=CENTRAL_ISSUER,
        inherited_lead=inherited["b"],
    )
    c = gc.applicability(
        tasks[2],
        level="commune",
        issuer="UBND phường X",
        bloc="state",
        resolver=RULES,
        upstream_issuer=CENTRAL_ISSUER,
    )
    assert b.applies and not c.applies


def test_optional_upstream_task_does_not_apply():
    task = {"id": "t", "text": "…", "lead": ["Các địa phương"], "optional": True}
    assert not gc.applicability(task, level="commune", issuer="", bloc="state", resolver=RULES).applies


@pytest.mark.parametrize(
    "doc,level",
    [
        ({"issuer": "Ủy ban nhân dân phường Hải An"}, "commune"),
        ({"issuer": "UBND xã Tân Tiến"}, "commune"),
        ({"issuer": "Ủy ban nhân dân thành phố Hải Phòng"}, "province"),
        ({"issuer": "Sở Khoa học và Công nghệ"}, "province"),
        ({"issuer": None, "title": "Kế hoạch chuyển đổi số trên địa bàn phường Hải An"}, "commune"),
    ],
)
def test_local_level(doc, level):
    assert gc.local_level_of(doc, RULES)[0] == level


def test_level_override():
    assert gc.local_level_of({"issuer": "Ủy ban nhân dân phường Hải An"}, RULES, "province") == (
        "province",
        "given",
    )


# --------------------------------------------------------------------------- dates


def test_plan_date_proxies():
    up = {"document": {"symbol": "02-KH/BCĐTW", "issued_date": None}}
    loc = {
        "document": {"issued_date": None},
        "citations": [
            {"symbol": "02-KH/BCĐTW", "date": "2025-06-19"},
            {"symbol": "57-NQ/TW", "date": "2024-12-22"},
        ],
    }
    p = gc.plan_date_of(loc, up)
    assert (p.date, p.proxy) == ("2025-06-19", True)
    text = (
        "Thực hiện Kế hoạch số 02-KH/BCĐTW, ngày 19/6/2025 … Giai đoạn từ ngày 01/7/2025 đến ngày 31/12/2025"
    )
    p = gc.plan_date_of(loc, up, text)
    assert (p.date, p.basis) == ("2025-07-01", "latest date mentioned in the local text")
    loc["document"]["issued_date"] = "2025-07-10"
    assert gc.plan_date_of(loc, up, text) == gc.PlanDate("2025-07-10", "local issue date", False)


def test_mentioned_dates_skip_deadlines():
    assert gc.mentioned_dates("ngày 19/6/2025; hoàn thành trước ngày 30/9/2025; đến ngày 31/12/2025") == [
        "2025-06-19"
    ]


# --------------------------------------------------------------------------- the dev pair


@pytest.fixture(scope="module")
def dev(shared):
    up = json.loads((shared / UP_GOLD).read_text(encoding="utf-8"))
    loc = json.loads((shared / LOC_GOLD).read_text(encoding="utf-8"))
    result = gc.check(loc, up)
    return {"up": up, "loc": loc, "result": result, "items": {i["upstream_task"]: i for i in result["items"]}}


def test_shape(dev):
    r = dev["result"]
    assert r["schema"] == "directive-nlp/gapcheck/v1"
    assert r["upstream"] == "02-KH/BCĐTW" and r["local_level"] == "commune"
    assert len(r["items"]) == len(dev["up"]["tasks"])
    for it in r["items"]:
        assert {
            "upstream_task",
            "upstream_text",
            "applies",
            "applies_reason",
            "status",
            "local_tasks",
            "issues",
            "evidence",
        } <= it.keys()
        if it["applies"]:
            assert it["status"] in STATUSES
            assert (it["status"] == "missing") == (not it["local_tasks"])
            assert it["evidence"].startswith("upstream")
        else:
            assert it["status"] is None and it["local_tasks"] == [] and it["applies_reason"]
    assert isinstance(r["unmatched_local"], list)


def test_applicability_on_dev_pair(dev):
    items = dev["items"]
    assert items["t22"]["applies"] and items["t88"]["applies"] and items["t121"]["applies"]
    # province-level and central tasks do not apply to a ward
    assert not items["t10"]["applies"] and "province" in items["t10"]["applies_reason"]
    assert not items["t13"]["applies"]
    # local governments only as partners
    assert not items["t1"]["applies"] and "phối hợp" in items["t1"]["applies_reason"]
    # socio-political organisations' bloc, not the ward People's Committee
    assert not items["t93"]["applies"]


def test_expected_flags_on_dev_pair(dev):
    items = dev["items"]
    # nothing in the ward plan about the IOC or about interim investor rights
    assert items["t22"]["status"] == "missing"
    assert items["t88"]["status"] == "missing"
    # community digital teams and rapid-response team: both set up locally
    assert items["t82"]["status"] == "covered"
    assert set(items["t82"]["local_tasks"]) >= {"t25", "t26"}
    # a dated summing-up (25/12/2025) turned into periodic reporting
    assert items["t119"]["status"] == "distorted" and "deadline_dropped" in items["t119"]["issues"]
    # real-time dashboard updates turned into "thường xuyên, định kỳ"
    assert items["t122"]["status"] == "distorted" and "deadline_relaxed" in items["t122"]["issues"]
    # organising training vs sending staff to training
    assert items["t90"]["status"] == "partial" and "scope_narrowed" in items["t90"]["issues"]
    # the 25 named online services are never named locally
    assert "scope_narrowed" in items["t46"]["issues"]


def test_early_upstream_deadlines_are_not_counted(dev):
    # 25/6 and 30/6/2025 fell before a ward plan implementing a 19/6 plan could act
    for tid in ("t44", "t59", "t82"):
        assert not {"deadline_relaxed", "deadline_dropped"} & set(dev["items"][tid]["issues"])


def _score(shared, pred):
    spec = importlib.util.spec_from_file_location("score", shared / "tools/score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    gold = json.loads((shared / GAP_GOLD).read_text(encoding="utf-8"))
    return mod.score_gapcheck(gold, pred)


def test_scorer_figures_on_gold_inputs(shared, dev):
    s = _score(shared, dev["result"])
    assert s["missing"]["f1"] >= 0.8
    assert s["distorted"]["f1"] >= 0.6


# --------------------------------------------------------------------------- reports and CLI


def test_reports_render(dev):
    r = dev["result"]
    md = gap_report.to_markdown(r, "vi")
    assert "| STT | Nhiệm vụ cấp trên | Nhiệm vụ địa phương | Kết quả | Vấn đề | Căn cứ |" in md
    assert "Còn thiếu" in md and "Trung tâm điều hành thông minh" in md
    assert "| No. | Upstream task | Local tasks | Status | Issues | Evidence |" in gap_report.to_markdown(
        r, "en"
    )
    page = gap_report.to_html(r, "vi")
    assert page.startswith("<!DOCTYPE html>") and "</html>" in page
    assert not re.search(r"https?://|<script|<link|src=", page)
    assert "Sai lệch" in page and "Lùi thời hạn" in page


def test_xlsx_report(dev, tmp_path):
    from openpyxl import load_workbook

    path = gap_report.write_xlsx(dev["result"], tmp_path / "gap.xlsx", "en")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Summary", "Gap check", "Not applicable", "No upstream basis"]
    ws = wb["Gap check"]
    assert ws.cell(1, 2).value == "Upstream task" and ws.max_row == 1 + dev["result"]["stats"]["applicable"]


def test_terminal_report_keeps_brackets(dev):
    from rich.console import Console

    console = Console(record=True, width=200)
    gap_report.print_report(dev["result"], console, "en")
    out = console.export_text()
    assert "(t22)" in out and "Missing" in out


def test_cli_json(shared, tmp_path):
    out = tmp_path / "gap.json"
    res = CliRunner().invoke(
        app,
        [
            "check",
            str(shared / LOC_GOLD),
            "--against",
            str(shared / UP_GOLD),
            "--format",
            "json",
            "-o",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema"] == "directive-nlp/gapcheck/v1"
    assert {"upstream", "local", "items", "unmatched_local", "stats"} <= data.keys()
    item = next(i for i in data["items"] if i["applies"])
    assert {
        "upstream_task",
        "upstream_text",
        "applies",
        "status",
        "local_tasks",
        "issues",
        "evidence",
    } <= item.keys()
    s = _score(shared, data)
    assert s["missing"]["f1"] >= 0.8 and s["distorted"]["f1"] >= 0.6


def test_cli_level_override_and_errors(shared, tmp_path):
    runner = CliRunner()
    args = ["check", str(shared / LOC_GOLD), "--against", str(shared / UP_GOLD)]
    res = runner.invoke(app, args + ["--level", "province", "--format", "json"])
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert data["local_level"] == "province"
    assert next(i for i in data["items"] if i["upstream_task"] == "t10")["applies"]
    assert runner.invoke(app, args + ["--level", "district"]).exit_code == 1
    assert runner.invoke(app, args + ["--format", "pdf"]).exit_code == 1
    assert runner.invoke(app, args + ["--format", "xlsx"]).exit_code == 1  # needs -o
    bad = tmp_path / "x.json"
    bad.write_text("{}", encoding="utf-8")
    assert runner.invoke(app, ["check", str(bad), "--against", str(shared / UP_GOLD)]).exit_code == 1
    missing_db = tmp_path / "none.db"
    res = runner.invoke(
        app, ["check", "99-KH/XYZ", "--against", str(shared / UP_GOLD), "--db", str(missing_db)]
    )
    assert res.exit_code == 1


@pytest.mark.parametrize("fmt,marker", [("md", "| STT |"), ("html", "<!DOCTYPE html>")])
def test_cli_text_formats(shared, fmt, marker):
    res = CliRunner().invoke(
        app, ["check", str(shared / LOC_GOLD), "--against", str(shared / UP_GOLD), "--format", fmt]
    )
    assert res.exit_code == 0 and marker in res.stdout


def test_cli_with_stored_documents(shared, tmp_path):
    """LOCAL and UPSTREAM given as a stored file name and a stored symbol (``--db``)."""
    pytest.importorskip("sqlite_utils")
    db = tmp_path / "store.db"
    runner = CliRunner()
    res = runner.invoke(
        app,
        [
            "ingest",
            str(shared / "corpus/001_83d4318d260d4f48.txt"),
            str(shared / "corpus/002_71bab22afd98218f.txt"),
            "--db",
            str(db),
        ],
    )
    assert res.exit_code == 0, res.output
    res = runner.invoke(
        app,
        [
            "check",
            "002_71bab22afd98218f.txt",
            "--against",
            "02-KH/BCĐTW",
            "--db",
            str(db),
            "--format",
            "json",
        ],
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["upstream"] == "02-KH/BCĐTW" and data["local_level"] == "commune"
    assert data["stats"]["applicable"] >= 25 and data["stats"]["missing"] >= 1
    res = runner.invoke(app, ["check", "no-such-plan", "--against", "02-KH/BCĐTW", "--db", str(db)])
    assert res.exit_code == 1


def test_party_issued_provincial_plan_carries_provincial_government_tasks(root):
    """A city Party office's notice (003) covers the tasks 02-KH/BCĐTW gives to the
    provincial People's Committees: a party committee leads the whole local system."""
    from directive_nlp.extraction.pipeline import extract_file
    from directive_nlp.linking.gapcheck import check

    up = extract_file(root / "corpus" / "001_83d4318d260d4f48.txt").to_dict()
    loc = extract_file(root / "corpus" / "003_79301f997b111d77.txt").to_dict()
    res = check(loc, up)
    assert res["local_level"] == "province"
    item = next(
        x for x in res["items"] if x["upstream_text"].startswith("Xây dựng, ban hành và công bố mã định danh")
    )
    assert item["applies"], item.get("applies_reason")
    central_only = next(
        x for x in res["items"] if x["upstream_text"].startswith("Ban Tổ chức Trung ương ban hành")
    )
    assert not central_only["applies"]
