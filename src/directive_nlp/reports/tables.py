"""Tabular reports of the store: obligations, per-document summary, documents.

Each ``*_table`` function turns library records into ``(columns, rows)``; the renderers turn
that into a rich terminal table, CSV or Markdown (``reports.xlsx.write_xlsx`` does Excel).
Row cells may hold lists (unit names) and ``datetime.date`` values; each renderer formats them.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from .labels import DEFAULT_LANG, format_deadline, obligation_columns, t

Rows = list[list[Any]]


def _date(iso: str | None) -> _dt.date | str | None:
    if not iso:
        return None
    try:
        return _dt.date.fromisoformat(iso)
    except ValueError:
        return iso


def obligation_table(
    tasks: Sequence[dict[str, Any]], lang: str = DEFAULT_LANG, extended: bool = False
) -> tuple[list[str], Rows]:
    """STT, Nhiệm vụ, Chủ trì, Phối hợp, Thời hạn, Văn bản (+ due date, section, task id)."""
    columns = obligation_columns(lang)
    if extended:
        columns += [t("col.due", lang), t("col.section", lang), t("col.task_id", lang)]
    rows: Rows = []
    for n, task in enumerate(tasks, start=1):
        row = [
            n,
            task["text"],
            list(task["lead"]),
            list(task["support"]),
            format_deadline(task["deadline"], lang),
            task["document"],
        ]
        if extended:
            row += [_date(task["deadline"].get("due")), task.get("section"), task["id"]]
        rows.append(row)
    return columns, rows


def summary_table(summary: Sequence[dict[str, Any]], lang: str = DEFAULT_LANG) -> tuple[list[str], Rows]:
    """Per-document counts with a total row (leads are not summed: units repeat across documents)."""
    columns = [
        t(k, lang)
        for k in ("col.document", "col.type", "col.tasks", "col.with_due", "col.overdue", "col.leads")
    ]
    rows: Rows = [
        [s["document"], s.get("doc_type") or "", s["tasks"], s["with_due"], s["overdue"], s["leads"]]
        for s in summary
    ]
    if len(rows) > 1:
        rows.append(
            [
                t("total", lang),
                "",
                sum(s["tasks"] for s in summary),
                sum(s["with_due"] for s in summary),
                sum(s["overdue"] for s in summary),
                "",
            ]
        )
    return columns, rows


# columns of the documents / summary tables kept on one line in the terminal
DOCUMENT_KEEP_WHOLE = (0, 1, 2, 4, 5)
SUMMARY_KEEP_WHOLE = (0,)


def documents_table(docs: Sequence[dict[str, Any]], lang: str = DEFAULT_LANG) -> tuple[list[str], Rows]:
    columns = [
        t(k, lang)
        for k in ("col.id", "col.symbol", "col.type", "col.issuer", "col.date", "col.tasks", "col.file")
    ]
    rows: Rows = [
        [
            d["id"],
            d.get("symbol") or "",
            d.get("doc_type") or "",
            d.get("issuer") or "",
            _date(d.get("issued_date")),
            d["tasks"],
            d["file_name"],
        ]
        for d in docs
    ]
    return columns, rows


# --------------------------------------------------------------------------- renderers


def cell_text(value: Any, list_sep: str = "; ", lang: str = DEFAULT_LANG) -> str:
    """Plain text of a cell: lists joined, dates as dd/mm/yyyy (vi) or ISO (en), None empty."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return list_sep.join(str(v) for v in value)
    if isinstance(value, _dt.date):
        return value.strftime("%d/%m/%Y") if lang == "vi" else value.isoformat()
    return str(value)


# relative widths of the obligation table's columns in the terminal (STT keeps its own width)
OBLIGATION_RATIOS = (None, 6, 2, 3, 2, 2)


def rich_table(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    title: str | None = None,
    lang: str = DEFAULT_LANG,
    ratios: Sequence[int | None] | None = None,
    keep_whole: Sequence[int] = (),
    show_lines: bool | None = None,
) -> Table:
    """A rich table; ``ratios`` (one per column, None = fit) spreads the terminal's width;
    columns in ``keep_whole`` are never wrapped (symbols, dates, counts)."""
    table = Table(
        title=title,
        header_style="bold",
        show_lines=ratios is not None if show_lines is None else show_lines,
        expand=ratios is not None,
    )
    for i, c in enumerate(columns):
        numeric = bool(rows) and all(isinstance(r[i], int) for r in rows if r[i] != "")
        ratio = ratios[i] if ratios is not None and i < len(ratios) else None
        table.add_column(
            c,
            justify="right" if numeric else "left",
            overflow="fold",
            ratio=ratio,
            no_wrap=i in keep_whole or (ratios is not None and ratio is None),
        )
    for r in rows:
        table.add_row(*(cell_text(v, "\n", lang) for v in r))
    return table


def print_table(
    console: Console,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    title: str | None = None,
    lang: str = DEFAULT_LANG,
    ratios: Sequence[int | None] | None = None,
    keep_whole: Sequence[int] = (),
    show_lines: bool | None = None,
) -> None:
    console.print(rich_table(columns, rows, title, lang, ratios, keep_whole, show_lines))


def to_csv(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """CSV text (dates ISO, lists joined with '; ')."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow([v.isoformat() if isinstance(v, _dt.date) else cell_text(v) for v in r])
    return buf.getvalue()


def _md_cell(value: Any, lang: str) -> str:
    text = cell_text(value, "; ", lang)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def to_markdown(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], title: str | None = None, lang: str = DEFAULT_LANG
) -> str:
    """A GitHub-flavoured Markdown table (with an optional '## title')."""
    lines = [f"## {title}", ""] if title else []
    lines.append("| " + " | ".join(_md_cell(c, lang) for c in columns) + " |")
    lines.append("|" + "|".join("---" for _ in columns) + "|")
    for r in rows:
        lines.append("| " + " | ".join(_md_cell(v, lang) for v in r) + " |")
    return "\n".join(lines) + "\n"
