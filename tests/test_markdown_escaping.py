"""Document text is inert in every Markdown export: a title, a heading or a task text that holds
HTML (a hostile or careless document) must not come out as live HTML in the .md a person opens
in a viewer that renders HTML."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from directive_nlp.followup.register import RegisterRow
from directive_nlp.reports import gap_report, periodic_report, status_register
from directive_nlp.reports.tables import to_markdown as table_markdown
from directive_nlp.tracking import PeriodicReport, Register

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"
LIVE_HTML = re.compile(r"<(script|img)\b", re.I)


def _row(text: str, section: str | None, label: str) -> RegisterRow:
    return RegisterRow(
        doc_id=1,
        document=label,
        task_id="1",
        text=text,
        lead=[f"Phòng Văn hóa {IMG}"],
        support=[],
        deadline_kind="by_date",
        due="2025-06-30",
        deadline_text="trước 30/6/2025",
        section=section,
        status="overdue",
        reported_status=None,
        as_of=None,
        source=None,
        source_kind=None,
        evidence=f"biên bản {SCRIPT}",
        document_label=label,
    )


def _gap_result() -> dict:
    return {
        "upstream": f"12/KH-UBND {SCRIPT}",
        "local": f"Kế hoạch {IMG}",
        "local_level": "commune",
        "stats": {"applicable": 1, "upstream_tasks": 2, "missing": 1},
        "items": [
            {
                "upstream_task": "1",
                "upstream_text": f"Tuyên truyền {SCRIPT} về chuyển đổi số",
                "applies": True,
                "status": "missing",
                "local_tasks": [],
            },
            {
                "upstream_task": "2",
                "upstream_text": f"Bố trí kinh phí {IMG}",
                "applies": False,
                "status": None,
            },
        ],
        "unmatched_local": [],
    }


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_gap_report_markdown_is_inert(lang):
    md = gap_report.to_markdown(_gap_result(), lang)
    assert not LIVE_HTML.search(md), md
    # the words are still there for the reader, escaped
    assert "&lt;script&gt;" in md and "Tuyên truyền" in md and "Bố trí kinh phí" in md


def test_register_markdown_is_inert():
    label = f"Kế hoạch – UBND phường {SCRIPT}"
    reg = Register(
        as_of=dt.date(2025, 9, 1),
        rows=[_row(f"Rà soát hồ sơ {IMG}", "II.1", label)],
        document={"symbol": f"7/KH-UBND {SCRIPT}"},
        unmatched=[{"source": "5/BC-UBND", "text": f"Đã tổ chức {SCRIPT}", "status": "done"}],
    )
    md = status_register.to_markdown(reg, "vi")
    assert not LIVE_HTML.search(md), md
    heading = md.splitlines()[0]
    assert heading.startswith("## ") and "&lt;script&gt;" in heading


def test_periodic_report_markdown_is_inert():
    label = f"7/KH-UBND {SCRIPT}"
    rows = [_row(f"Rà soát hồ sơ {IMG}", f"II {SCRIPT}", label)]
    rep = PeriodicReport(
        as_of=dt.date(2025, 9, 1),
        document={"symbol": label},
        rows=rows,
        groups=[(f"II {SCRIPT}", rows)],
    )
    md = periodic_report.to_markdown(rep, "vi")
    assert not LIVE_HTML.search(md), md
    group_heading = next(line for line in md.splitlines() if line.startswith("### "))
    assert "&lt;script&gt;" in group_heading


def test_obligations_table_markdown_is_inert():
    md = table_markdown(["Nội dung"], [[f"Rà soát {SCRIPT}"]], title=f"Danh mục {IMG}")
    assert not LIVE_HTML.search(md), md
