"""Tabular reports of the store: obligations, per-document summary, documents.

Each ``*_table`` function turns library records into ``(columns, rows)``; the renderers turn
that into a rich terminal table, CSV or Markdown (``reports.xlsx.write_xlsx`` does Excel).
Row cells may hold lists (unit names) and ``datetime.date`` values; each renderer formats them.
"""

from __future__ import annotations

import csv
import datetime as _dt
import html
import io
import re
from collections.abc import Callable, Collection, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from ..i18n import catalogue
from ..normalise.text import key as text_key
from .labels import format_deadline, obligation_columns, t

Rows = list[list[Any]]


def _date(iso: str | None) -> _dt.date | str | None:
    if not iso:
        return None
    try:
        return _dt.date.fromisoformat(iso)
    except ValueError:
        return iso


OFFICE_KEYS = ("col.no", "col.task", "col.lead", "col.support", "col.deadline", "col.deliverable", "col.note")
EXTRA_KEYS = (
    "col.document",
    "col.section",
    "col.targets",
    "col.cites",
    "col.lead_source",
    "col.deadline_source",
    "col.due",
    "col.task_id",
)


def office_columns(lang: str | None = None) -> list[str]:
    """The columns offices use: STT, Nội dung nhiệm vụ, Cơ quan chủ trì, Cơ quan phối hợp,
    Thời hạn, Sản phẩm / Kết quả, Ghi chú."""
    return [t(k, lang) for k in OFFICE_KEYS]


def source_label(source: str | None, lang: str | None = None) -> str:
    """Where a lead or deadline came from, in words ("" when unknown)."""
    if not source:
        return ""
    key = f"src.{source}"
    return t(key, lang) if key in catalogue() else source


def _note(task: dict[str, Any], overdue: bool, lang: str | None) -> str:
    return t("note.overdue", lang) if overdue else ""


def obligation_table(
    tasks: Sequence[dict[str, Any]],
    lang: str | None = None,
    extended: bool = False,
    overdue: Collection[int] = (),
) -> tuple[list[str], Rows]:
    """The terminal table (STT, Nội dung nhiệm vụ, Chủ trì, Phối hợp, Thời hạn, Văn bản), or,
    ``extended``, the office form (``office_columns``) followed by the document, section,
    targets, cited documents, where lead and deadline came from, the due date as a date and
    the task id. ``overdue``: indexes of the overdue tasks (noted in Ghi chú)."""
    late = set(overdue)
    columns = (
        office_columns(lang) + [t(k, lang) for k in EXTRA_KEYS] if extended else obligation_columns(lang)
    )
    rows: Rows = []
    for n, task in enumerate(tasks, start=1):
        deadline = format_deadline(task["deadline"], lang)
        if not extended:
            rows.append(
                [n, task["text"], list(task["lead"]), list(task["support"]), deadline, task["document"]]
            )
            continue
        rows.append(
            [
                n,
                task["text"],
                list(task["lead"]),
                list(task["support"]),
                deadline,
                task.get("deliverable") or "",
                _note(task, n - 1 in late, lang),
                task["document"],
                task.get("section"),
                list(task.get("targets") or []),
                list(task.get("cites") or []),
                source_label(task.get("lead_source"), lang),
                source_label(task.get("deadline_source"), lang),
                _date(task["deadline"].get("due")),
                task["id"],
            ]
        )
    return columns, rows


def office_rows(rows: Rows) -> Rows:
    """The first seven cells (the office form) of extended obligation rows."""
    return [r[: len(OFFICE_KEYS)] for r in rows]


def _due_key(task: dict[str, Any]) -> tuple[int, str]:
    due = task["deadline"].get("due")
    return (0, due) if due else (1, "")


def _unit_key(task: dict[str, Any]) -> tuple[int, str]:
    leads = task.get("lead") or []
    return (0, text_key(leads[0])) if leads else (1, "")


def _order_key(task: dict[str, Any]) -> tuple[Any, ...]:
    return (task.get("doc_id") or 0, task.get("rowid") or 0)


# --sort: how obligations are ordered (ties keep the document order)
SORTS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "section": _order_key,
    "deadline": lambda task: (_due_key(task), _order_key(task)),
    "unit": lambda task: (_unit_key(task), _order_key(task)),
}


def sort_tasks(tasks: Sequence[dict[str, Any]], by: str = "section") -> list[dict[str, Any]]:
    """``tasks`` ordered by ``SORTS[by]`` (section: as written; deadline: earliest first,
    undated last; unit: by first lead unit, no lead last)."""
    return sorted(tasks, key=SORTS[by])


def summary_table(summary: Sequence[dict[str, Any]], lang: str | None = None) -> tuple[list[str], Rows]:
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


def documents_table(docs: Sequence[dict[str, Any]], lang: str | None = None) -> tuple[list[str], Rows]:
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


def cell_text(value: Any, list_sep: str = "; ", lang: str | None = None) -> str:
    """Plain text of a cell: lists joined, dates as dd/mm/yyyy, None empty."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return list_sep.join(str(v) for v in value)
    if isinstance(value, _dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


# relative widths of the obligation table's columns in the terminal (STT keeps its own width)
OBLIGATION_RATIOS = (None, 6, 2, 3, 2, 2)


def rich_table(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    title: str | None = None,
    lang: str | None = None,
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
    lang: str | None = None,
    ratios: Sequence[int | None] | None = None,
    keep_whole: Sequence[int] = (),
    show_lines: bool | None = None,
) -> None:
    if len(rows) > PLAIN_FROM:  # a boxed table of hundreds of rows takes seconds to lay out
        console.print(plain_table(columns, rows, title, lang), markup=False, highlight=False, soft_wrap=True)
        return
    console.print(rich_table(columns, rows, title, lang, ratios, keep_whole, show_lines))


PLAIN_FROM = 300  # from this many rows the terminal gets plain aligned text
PLAIN_MAX_WIDTH = 70  # characters shown of a cell in plain text


def plain_table(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], title: str | None = None, lang: str | None = None
) -> str:
    """Aligned plain text: a title line, the header, a rule, one line per row (long cells cut)."""

    def cut(value: Any) -> str:
        text = " ".join(cell_text(value, "; ", lang).split())
        return text if len(text) <= PLAIN_MAX_WIDTH else text[: PLAIN_MAX_WIDTH - 1] + "…"

    cells = [[cut(v) for v in r] for r in rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    numeric = [all(isinstance(r[i], int) for r in rows if r[i] != "") for i in range(len(columns))]

    def line(values: Sequence[str]) -> str:
        parts = [v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric, strict=True)]
        return "  ".join(parts).rstrip()

    out = [title] if title else []
    out += [line(list(columns)), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in cells]
    return "\n".join(out)


def to_csv(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """CSV text (dates dd/mm/yyyy, lists joined with '; ')."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow([cell_text(v) for v in r])
    return buf.getvalue()


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]#|~])")


def md_escape(text: str) -> str:
    """Document text made inert in Markdown: HTML escaped (no raw ``<script>``), Markdown
    punctuation backslash-escaped, line breaks as ``<br>``."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False)).replace("\n", "<br>")


def _md_cell(value: Any, lang: str | None = None) -> str:
    return md_escape(cell_text(value, "; ", lang))


def to_markdown(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], title: str | None = None, lang: str | None = None
) -> str:
    """A GitHub-flavoured Markdown table (with an optional '## title')."""
    lines = [f"## {md_escape(title)}", ""] if title else []
    lines.append("| " + " | ".join(_md_cell(c, lang) for c in columns) + " |")
    lines.append("|" + "|".join("---" for _ in columns) + "|")
    for r in rows:
        lines.append("| " + " | ".join(_md_cell(v, lang) for v in r) + " |")
    return "\n".join(lines) + "\n"
