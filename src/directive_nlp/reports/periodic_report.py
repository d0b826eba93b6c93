"""The periodic report a secretariat sends up ("báo cáo định kỳ"): DOCX, XLSX, Markdown.

Counts per status, then one table per part of the document with the columns such reports
use: TT | Nhiệm vụ | Văn bản giao việc | Cơ quan chủ trì | Thời hạn | Tiến độ | Kết quả hiện nay,
overdue tasks first. DOCX through python-docx: A4 landscape, Times New Roman 13, the header row
repeated on every page, status cells shaded red/green. Vietnamese by default.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..i18n import msg
from ..tracking import document_label
from .status_register import (
    STATUS_STYLE,
    counts_columns,
    counts_rows,
    deadline_label,
    evidence_text,
    md_table,
    status_label,
    write_counts_sheet,
    write_sheet,
)
from .tables import md_escape

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

    from ..followup.register import RegisterRow
    from ..tracking import PeriodicReport

REPORT_COLUMNS = ("no", "task", "document", "lead", "deadline", "status", "result")
DOCX_WIDTHS_CM = (1.2, 8.0, 3.2, 3.5, 2.8, 2.6, 5.7)  # 27 cm: A4 landscape minus margins
XLSX_WIDTHS = (5, 60, 22, 28, 18, 16, 50)
FONT = "Times New Roman"


def report_columns(lang: str) -> list[str]:
    return [msg(f"follow.col.{c}", lang) for c in REPORT_COLUMNS]


def group_title(group: str | None, lang: str) -> str:
    return msg("follow.group", lang, group=group) if group else msg("follow.no_group", lang)


def report_values(rows: Sequence[RegisterRow], lang: str) -> list[list[Any]]:
    return [
        [
            n,
            r.text,
            r.document_label or r.document,
            "; ".join(r.lead),
            deadline_label(r, lang),
            status_label(r.status, lang),
            evidence_text(r),
        ]
        for n, r in enumerate(rows, 1)
    ]


def counts_line(rep: PeriodicReport, lang: str) -> str:
    c = rep.counts()
    return msg("follow.report.counts_line", lang, total=sum(c.values()), **c)


def subtitle(rep: PeriodicReport, lang: str) -> str:
    return msg(
        "follow.report.subtitle",
        lang,
        document=document_label(rep.document),
        date=rep.as_of.strftime("%d/%m/%Y"),
    )


# --------------------------------------------------------------------------- markdown


def to_markdown(rep: PeriodicReport, lang: str) -> str:
    lines = [f"# {msg('follow.title.report', lang)}", "", f"**{md_escape(subtitle(rep, lang))}**", ""]
    lines += [f"## {msg('follow.report.counts', lang)}", "", counts_line(rep, lang), ""]
    lines += md_table(counts_columns(lang), counts_rows(rep, lang)) + [""]
    lines += [f"## {msg('follow.report.details', lang)}", ""]
    for group, rows in rep.groups:
        lines += [f"### {md_escape(group_title(group, lang))}", ""]
        lines += md_table(report_columns(lang), report_values(rows, lang)) + [""]
    return "\n".join(lines)


# --------------------------------------------------------------------------- xlsx


def write_report_xlsx(rep: PeriodicReport, path: str | Path, lang: str) -> Path:
    import xlsxwriter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path))
    write_counts_sheet(wb, rep, lang)
    rows: list[list[Any]] = []
    statuses: list[str] = []
    for _, group_rows in rep.groups:
        rows += report_values(group_rows, lang)
        statuses += [r.status for r in group_rows]
    # one sheet, TT running per part; a "Phần" column would break the fixed column set
    write_sheet(
        wb,
        msg("follow.sheet.report", lang),
        report_columns(lang),
        rows,
        XLSX_WIDTHS,
        status_col=5,
        statuses=statuses,
    )
    wb.close()
    return path


# --------------------------------------------------------------------------- docx


def new_document() -> DocxDocument:
    """An A4 landscape document in Times New Roman 13 with 2 cm margins."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(sec, side, Cm(1.5))
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(13)
    return doc


def _shade(cell: Any, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill.lstrip("#"))
    cell._tc.get_or_add_tcPr().append(shd)


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, _dt.date):
        return v.strftime("%d/%m/%Y")
    return str(v)


def add_table(
    doc: DocxDocument,
    cols: Sequence[str],
    rows: Sequence[Sequence[Any]],
    widths_cm: Sequence[float],
    *,
    statuses: Sequence[str] = (),
    status_col: int | None = None,
) -> Any:
    """A bordered table with a bold, shaded header row repeated on every page."""
    from docx.shared import Cm, Pt

    table = doc.add_table(rows=1, cols=len(cols))
    table.style = "Table Grid"
    table.autofit = False
    hdr = table.rows[0]
    _repeat_header(hdr)
    for j, c in enumerate(cols):
        cell = hdr.cells[j]
        cell.text = ""
        run = cell.paragraphs[0].add_run(c)
        run.bold = True
        run.font.size = Pt(12)
        _shade(cell, "#D9E2F3")
    for i, r in enumerate(rows):
        cells = table.add_row().cells
        for j, v in enumerate(r):
            cells[j].text = ""
            run = cells[j].paragraphs[0].add_run(_text(v))
            run.font.size = Pt(12)
            if status_col is not None and j == status_col and i < len(statuses):
                _, fill, _ = STATUS_STYLE.get(statuses[i], ("", "#FFFFFF", ""))
                _shade(cells[j], fill)
                run.bold = statuses[i] in ("overdue", "done")
    for j, col in enumerate(table.columns):  # the grid (LibreOffice) and every cell (Word)
        if j < len(widths_cm):
            col.width = Cm(widths_cm[j])
    for row in table.rows:
        for j, cell in enumerate(row.cells):
            if j < len(widths_cm):
                cell.width = Cm(widths_cm[j])
    return table


def write_report_docx(rep: PeriodicReport, path: str | Path, lang: str) -> Path:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = new_document()
    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    head.add_run(msg("follow.title.report", lang)).bold = True
    sub = doc.add_paragraph()
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub.add_run(subtitle(rep, lang)).italic = True
    doc.add_paragraph().add_run(msg("follow.report.counts", lang)).bold = True
    doc.add_paragraph(counts_line(rep, lang))
    c = rep.counts()
    add_table(
        doc,
        counts_columns(lang),
        counts_rows(rep, lang),
        (6.0, 3.0, 2.5),
        statuses=list(c),
        status_col=0,
    )
    doc.add_paragraph().add_run(msg("follow.report.details", lang)).bold = True
    for group, rows in rep.groups:
        doc.add_paragraph().add_run(group_title(group, lang)).bold = True
        add_table(
            doc,
            report_columns(lang),
            report_values(rows, lang),
            DOCX_WIDTHS_CM,
            statuses=[r.status for r in rows],
            status_col=5,
        )
    doc.save(str(path))
    return path
