"""Is a document a progress report?

A report is recognised by its type (BC), by its title ("Báo cáo kết quả thực hiện …"), by a
status table (a "Nhiệm vụ" column next to a "Tiến độ" / "Kết quả thực hiện" column) or by prose
that states statuses ("đã hoàn thành", "đang triển khai", "chưa thực hiện", "chậm tiến độ" …).
The words are data: the ``[report]`` table of ``gazetteers/status_cues.toml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Block, Extraction
from ..normalise.text import fold
from .cues import has_status, report_config, status_of

REPORT_TYPES = ("BC",)


@dataclass(frozen=True)
class Recognition:
    is_report: bool
    reason: str | None  # doc_type | title | status_table | status_prose


def _starts(folded: str, phrases: Sequence[str]) -> bool:
    return any(folded == fold(p) or folded.startswith(fold(p) + " ") for p in phrases)


def header_role(cell: str) -> str | None:
    """The role of a table header cell: task, status, result, unit, deadline, source, or None."""
    cfg = report_config()
    f = fold(cell)
    if not f:
        return None
    for role, key in (
        ("status", "status_headers"),
        ("source", "source_headers"),
        ("unit", "unit_headers"),
        ("deadline", "deadline_headers"),
        ("result", "result_headers"),
        ("task", "task_headers"),
    ):
        if _starts(f, cfg.get(key, [])):
            return role
    return None


def column_roles(cells: Sequence[str]) -> dict[str, int]:
    """{role: column index} of a header row (first column of each role)."""
    roles: dict[str, int] = {}
    for i, c in enumerate(cells):
        r = header_role(c)
        if r and r not in roles:
            roles[r] = i
    return roles


MAX_MARK_HEADER_WORDS = 5


def mark_columns(cells: Sequence[str]) -> dict[int, str]:
    """Columns whose header is itself a status ("Đã hoàn thành | Đang thực hiện | Chưa thực hiện"),
    where a row marks its status with an "x": {column index: status}."""
    out = {}
    for i, c in enumerate(cells):
        if c.strip() and len(c.split()) <= MAX_MARK_HEADER_WORDS and header_role(c) is None:
            st = status_of(c, cell=True)
            if st:
                out[i] = st
    return out if len(out) >= 2 else {}


def is_status_header(cells: Sequence[str]) -> bool:
    """A status table's header: a task column and a status column (or status mark columns), or a
    result column that only a report has ("Kết quả thực hiện", not a plan's "Kết quả đầu ra")."""
    roles = column_roles(cells)
    if "task" not in roles:
        return False
    if "status" in roles or mark_columns(cells):
        return True
    if "result" in roles:
        words = report_config().get("report_result_headers", [])
        return _starts(fold(cells[roles["result"]]), words)
    return False


def has_status_table(blocks: Sequence[Block]) -> bool:
    return any(b.kind == "table_row" and b.cells and is_status_header(b.cells) for b in blocks)


def prose_items(blocks: Sequence[Block]) -> int:
    return sum(1 for b in blocks if b.kind != "table_row" and has_status(b.text))


def title_says_report(extraction: Extraction) -> bool:
    title = fold(extraction.document.title or "")
    return _starts(title, report_config().get("title_words", []))


def recognise(extraction: Extraction, blocks: Sequence[Block]) -> Recognition:
    """Whether the document is a progress report, and why."""
    if extraction.document.doc_type in REPORT_TYPES:
        return Recognition(True, "doc_type")
    if title_says_report(extraction):
        return Recognition(True, "title")
    if has_status_table(blocks):
        return Recognition(True, "status_table")
    if extraction.document.doc_type in (None, "CV") and prose_items(blocks) >= int(
        report_config().get("min_prose_items", 3)
    ):
        return Recognition(True, "status_prose")
    return Recognition(False, None)
