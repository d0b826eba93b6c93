"""Writers of the task register (``directive-nlp status``): terminal, CSV, JSON, Markdown,
XLSX (XlsxWriter: real dates, red/green status cells) and DOCX.

Every writer takes ``tracking.Register`` and a language; dates are written dd/mm/yyyy
(in the xlsx they are real dates shown dd/mm/yyyy).
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..followup.register import DATED_KINDS
from ..i18n import format_date, msg
from .labels import format_deadline
from .tables import md_escape

if TYPE_CHECKING:
    from ..followup.register import RegisterRow
    from ..tracking import Register

# status -> (rich style, xlsx fill, xlsx font colour)
STATUS_STYLE: dict[str, tuple[str, str, str]] = {
    "done": ("bold green", "#C6EFCE", "#006100"),
    "in_progress": ("yellow", "#FFEB9C", "#9C5700"),
    "not_started": ("magenta", "#F2DCDB", "#7F3F3F"),
    "overdue": ("bold red", "#FFC7CE", "#9C0006"),
    "unreported": ("dim", "#EDEDED", "#595959"),
}


def dmy(iso: str | None) -> str:
    """'2025-09-15' -> '15/09/2025' ('' for None, text kept when not a date)."""
    return format_date(iso[:10] if iso else iso)


def as_date(iso: str | None) -> _dt.date | None:
    if not iso:
        return None
    try:
        return _dt.date.fromisoformat(iso[:10])
    except ValueError:
        return None


def status_label(status: str, lang: str) -> str:
    return msg(f"status.{status}", lang)


def deadline_label(row: RegisterRow, lang: str) -> str:
    return format_deadline({"kind": row.deadline_kind, "due": row.due, "text": row.deadline_text}, lang)


def source_label(row: RegisterRow, lang: str) -> str:
    if row.source_kind == "manual":
        return msg("follow.manual", lang)
    return row.source or ""


def evidence_text(row: RegisterRow) -> str:
    ev = row.evidence or ""
    extra = [c for c in row.cited if c not in ev]
    return "; ".join([ev, *extra]) if extra else ev


COLUMNS = ("no", "task", "document", "lead", "deadline", "due", "status", "as_of", "source", "result")


def columns(lang: str) -> list[str]:
    names = {"as_of": "follow.col.as_of", "source": "follow.col.source", "result": "follow.col.result"}
    return [msg(names.get(c, f"follow.col.{c}"), lang) for c in COLUMNS]


def values(reg: Register, lang: str) -> list[list[Any]]:
    """One list per task in ``COLUMNS`` order (dates as ``datetime.date`` or None)."""
    out = []
    for n, r in enumerate(reg.rows, 1):
        out.append(
            [
                n,
                r.text,
                r.document_label or r.document,
                "; ".join(r.lead),
                deadline_label(r, lang),
                as_date(r.due) if r.deadline_kind in DATED_KINDS else None,
                status_label(r.status, lang),
                as_date(r.as_of),
                source_label(r, lang),
                evidence_text(r),
            ]
        )
    return out


def _plain(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, _dt.date):
        return v.strftime("%d/%m/%Y")
    return str(v)


# --------------------------------------------------------------------------- text formats


def to_json(reg: Register) -> str:
    """One object per task: text, lead, deadline, status, as_of, source, evidence (+ more).

    Dates are written dd/mm/yyyy (``due`` and ``as_of``), with ISO twins for programs."""
    objs = []
    for r in reg.rows:
        objs.append(
            {
                "document": r.document,
                "document_label": r.document_label or r.document,
                "task_id": r.task_id,
                "text": r.text,
                "lead": r.lead,
                "support": r.support,
                "deadline": dmy(r.due) or (r.deadline_text or None),
                "deadline_kind": r.deadline_kind,
                "due_iso": r.due,
                "status": r.status,
                "reported_status": r.reported_status,
                "as_of": dmy(r.as_of) or None,
                "as_of_iso": r.as_of,
                "source": r.source,
                "source_kind": r.source_kind,
                "evidence": evidence_text(r) or None,
                "cited": r.cited,
                "reported": r.reported,
                "history": r.history,
            }
        )
    return json.dumps(objs, ensure_ascii=False, indent=1) + "\n"


def to_csv(reg: Register, lang: str) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns(lang))
    for row in values(reg, lang):
        w.writerow([_plain(v) for v in row])
    return buf.getvalue()


def _md(v: Any) -> str:
    return md_escape(_plain(v))


def md_table(cols: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(_md(c) for c in cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
    lines += ["| " + " | ".join(_md(v) for v in r) + " |" for r in rows]
    return lines


class HasCounts(Protocol):
    def counts(self) -> dict[str, int]: ...


def counts_rows(reg: HasCounts, lang: str) -> list[list[Any]]:
    c = reg.counts()
    total = sum(c.values())
    rows: list[list[Any]] = [
        [status_label(s, lang), n, f"{100 * n / total:.0f}%" if total else ""] for s, n in c.items()
    ]
    rows.append([msg("follow.total", lang), total, "100%" if total else ""])
    return rows


def counts_columns(lang: str) -> list[str]:
    return [msg("follow.col.status", lang), msg("follow.col.count", lang), msg("follow.col.share", lang)]


def write_counts_sheet(wb: Any, reg: HasCounts, lang: str) -> None:
    """The sheet of counts per status (register and periodic report alike)."""
    write_sheet(
        wb,
        msg("follow.sheet.counts", lang),
        counts_columns(lang),
        counts_rows(reg, lang),
        (22, 14, 10),
        status_col=0,
        statuses=list(reg.counts()),
    )


UNMATCHED_KEYS = ("report", "item", "unit", "status", "as_of")


def unmatched_columns(lang: str) -> list[str]:
    return [msg(f"follow.col.{k}", lang) for k in UNMATCHED_KEYS]


def unmatched_rows(reg: Register, lang: str) -> list[list[Any]]:
    return [
        [
            i.get("source"),
            i.get("text"),
            i.get("unit"),
            status_label(i["status"], lang) if i.get("status") else "",
            as_date(i.get("as_of")),
        ]
        for i in reg.unmatched
    ]


def unmatched_json(reg: Register) -> str:
    """The reported items matching no stored task, one object each (dates dd/mm/yyyy)."""
    keys = ("source", "text", "status", "unit", "evidence", "cited", "group", "kind", "page")
    objs = [{**{k: i.get(k) for k in keys}, "as_of": dmy(i.get("as_of")) or None} for i in reg.unmatched]
    return json.dumps(objs, ensure_ascii=False, indent=1) + "\n"


def title(reg: Register, lang: str) -> str:
    t = msg("follow.title.register", lang, date=reg.as_of.strftime("%d/%m/%Y"))
    if reg.document is not None:
        from ..tracking import document_label

        t += f" — {document_label(reg.document)}"
    return t


def to_markdown(reg: Register, lang: str) -> str:
    lines = [f"## {md_escape(title(reg, lang))}", ""]
    lines += md_table(counts_columns(lang), counts_rows(reg, lang)) + [""]
    lines += md_table(columns(lang), values(reg, lang))
    if reg.unmatched:
        lines += ["", f"### {msg('follow.title.unmatched', lang)}", ""]
        lines += md_table(unmatched_columns(lang), unmatched_rows(reg, lang))
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- terminal


def rich_register(reg: Register, lang: str) -> Table:
    """The register as a rich table: status cells green (done) to red (overdue). The document
    column is left out when the register is of one document."""
    table = Table(title=title(reg, lang), header_style="bold", show_lines=True, expand=True)
    ratios = (None, 6, 2, 3, 2, None, 2, None, 2, 4)
    dropped = {"due"} | ({"document"} if reg.document is not None else set())
    keep = [j for j in range(len(COLUMNS)) if COLUMNS[j] not in dropped]
    names = columns(lang)
    for j in keep:
        table.add_column(names[j], overflow="fold", ratio=ratios[j], no_wrap=ratios[j] is None)
    status_at = COLUMNS.index("status")
    for r, row in zip(reg.rows, values(reg, lang), strict=True):
        cells: list[Any] = [_plain(v) for v in row]
        cells[status_at] = Text(cells[status_at], style=STATUS_STYLE.get(r.status, ("", "", ""))[0])
        table.add_row(*(cells[j] for j in keep))
    return table


def print_register(console: Console, reg: Register, lang: str) -> None:
    console.print(rich_register(reg, lang))
    if reg.unmatched:
        t = Table(title=msg("follow.title.unmatched", lang), header_style="bold", show_lines=True)
        for c in unmatched_columns(lang):
            t.add_column(c, overflow="fold")
        for row in unmatched_rows(reg, lang):
            t.add_row(*(_plain(v) for v in row))
        console.print(t)


def print_unmatched(console: Console, reg: Register, lang: str) -> None:
    t = Table(title=msg("follow.title.unmatched", lang), header_style="bold", show_lines=True)
    for c in unmatched_columns(lang):
        t.add_column(c, overflow="fold")
    for row in unmatched_rows(reg, lang):
        t.add_row(*(_plain(v) for v in row))
    console.print(t)


def print_history(console: Console, hist: dict[str, Any], lang: str) -> None:
    """Every status one task was given, oldest first (``status history TASK``)."""
    task = hist["task"]
    t = Table(
        title=f"{task['document']}:{task['id']} — {task['text'][:100]}", header_style="bold", show_lines=True
    )
    for key in ("as_of", "status", "source", "result"):
        t.add_column(msg(f"follow.col.{key}", lang), overflow="fold")
    for e in hist["history"]:
        status = str(e.get("status") or "")
        source = (
            msg("follow.manual", lang) if e.get("source_kind") == "manual" else str(e.get("source") or "")
        )
        t.add_row(
            dmy(e.get("as_of")),
            Text(status_label(status, lang), style=STATUS_STYLE.get(status, ("", "", ""))[0]),
            source,
            str(e.get("evidence") or ""),
        )
    console.print(t)


# --------------------------------------------------------------------------- xlsx


def write_sheet(
    wb: Any,
    name: str,
    cols: Sequence[str],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    status_col: int | None = None,
    statuses: Sequence[str] = (),
) -> Any:
    """One worksheet: bold blue header, wrapped cells, real dates (dd/mm/yyyy), status cells
    filled red/green by status, frozen header, autofilter."""
    ws = wb.add_worksheet(name[:31])
    head = wb.add_format(
        {
            "bold": True,
            "font_color": "#FFFFFF",
            "bg_color": "#1F4E78",
            "border": 1,
            "text_wrap": True,
            "align": "center",
            "valign": "vcenter",
        }
    )
    wrap = wb.add_format({"text_wrap": True, "valign": "top", "border": 1})
    date = wb.add_format({"num_format": "dd/mm/yyyy", "valign": "top", "border": 1})
    fills = {
        s: wb.add_format(
            {
                "bg_color": fill,
                "font_color": font,
                "bold": s in ("overdue", "done"),
                "valign": "top",
                "border": 1,
                "text_wrap": True,
            }
        )
        for s, (_, fill, font) in STATUS_STYLE.items()
    }
    for j, c in enumerate(cols):
        ws.write(0, j, c, head)
        ws.set_column(j, j, widths[j] if j < len(widths) else 14)
    for i, row in enumerate(rows, 1):
        for j, v in enumerate(row):
            if isinstance(v, _dt.date):
                ws.write_datetime(i, j, _dt.datetime(v.year, v.month, v.day), date)
            elif status_col is not None and j == status_col and i - 1 < len(statuses):
                ws.write(i, j, v, fills.get(statuses[i - 1], wrap))
            elif v is None:
                ws.write_blank(i, j, None, wrap)
            else:
                ws.write(i, j, v, wrap)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(rows), 1), len(cols) - 1)
    return ws


REGISTER_WIDTHS = (5, 60, 22, 28, 18, 13, 16, 13, 18, 50)


def write_register_xlsx(reg: Register, path: str | Path, lang: str) -> Path:
    import xlsxwriter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path))
    write_sheet(
        wb,
        msg("follow.sheet.register", lang),
        columns(lang),
        values(reg, lang),
        REGISTER_WIDTHS,
        status_col=COLUMNS.index("status"),
        statuses=[r.status for r in reg.rows],
    )
    write_counts_sheet(wb, reg, lang)
    if reg.unmatched:
        write_sheet(
            wb,
            msg("follow.sheet.unmatched", lang),
            unmatched_columns(lang),
            unmatched_rows(reg, lang),
            (22, 60, 28, 16, 13),
        )
    wb.close()
    return path


# --------------------------------------------------------------------------- docx


def write_register_docx(reg: Register, path: str | Path, lang: str) -> Path:
    from .periodic_report import add_table, new_document

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = new_document()
    doc.add_heading(title(reg, lang), level=1)
    add_table(doc, counts_columns(lang), counts_rows(reg, lang), (5.0, 3.0, 2.5))
    doc.add_paragraph()
    add_table(
        doc,
        columns(lang),
        values(reg, lang),
        (0.9, 6.5, 2.6, 3.2, 2.3, 2.2, 2.3, 2.2, 2.3, 4.5),
        statuses=[r.status for r in reg.rows],
        status_col=COLUMNS.index("status"),
    )
    doc.save(str(path))
    return path
