"""Word (.docx) writer for tabular reports, in the form offices send out (python-docx).

``write_docx_table(path, title_lines, columns, rows, red_rows=…)``: an A4 landscape page, a
title block (the first line bold and centred, the others centred), one bordered table whose
header row repeats on every page, and the rows at ``red_rows`` (overdue tasks) in red.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from .xlsx import cell_value

RED = RGBColor(0xC0, 0x00, 0x00)
RED_HEX = "C00000"
HEADER_FILL = "D9E2F3"
FONT = "Times New Roman"
PAGE_W, PAGE_H, MARGIN = Mm(297), Mm(210), Mm(15)


def _text(value: Any) -> str:
    if isinstance(value, _dt.date):
        return value.strftime("%d/%m/%Y")
    value = cell_value(value)
    return "" if value is None else str(value)


def _shade(cell: Any, fill: str) -> None:
    props = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    props.append(shd)


def _repeat_header(row: Any) -> None:
    props = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    props.append(flag)


def _fill(cell: Any, text: str, *, bold: bool = False, red: bool = False, center: bool = False) -> None:
    para = cell.paragraphs[0]
    lines = text.split("\n")
    for i, line in enumerate(lines):
        run = para.add_run(line)
        run.bold = bold or None
        if red:
            run.font.color.rgb = RED
        if i < len(lines) - 1:
            run.add_break()
    if center:
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER


_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _sub(parent: Any, tag: str, **attrs: str) -> Any:
    child = etree.SubElement(parent, qn(tag))
    for name, value in attrs.items():
        child.set(qn(f"w:{name}"), value)
    return child


def _row_xml(values: Sequence[str], widths: Sequence[int], red: bool) -> Any:
    """One body row as WordprocessingML, built directly (python-docx's cell objects make a
    thousand-row table take a minute)."""
    tr = OxmlElement("w:tr")
    for c, text in enumerate(values):
        tc = _sub(tr, "w:tc")
        _sub(_sub(tc, "w:tcPr"), "w:tcW", w=str(widths[c]), type="dxa")
        para = _sub(tc, "w:p")
        if c == 0:
            _sub(_sub(para, "w:pPr"), "w:jc", val="center")
        run = _sub(para, "w:r")
        if red:
            _sub(_sub(run, "w:rPr"), "w:color", val=RED_HEX)
        for i, line in enumerate(text.split("\n")):
            if i:
                _sub(run, "w:br")
            t = _sub(run, "w:t")
            t.text = line
            t.set(_XML_SPACE, "preserve")
    return tr


def write_docx_table(
    path: str | Path,
    title_lines: Sequence[str],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    red_rows: Collection[int] = (),
    widths_mm: Sequence[float] | None = None,
    on_row: Callable[[int], None] | None = None,
) -> Path:
    """Write the report; ``widths_mm`` share the page width between the columns."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = PAGE_W, PAGE_H
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)

    for i, line in enumerate(title_lines):
        para = doc.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = para.add_run(line)
        run.bold = i == 0
        run.italic = i > 1 or None
        if i == 0:
            run.font.size = Pt(14)

    usable_mm = (PAGE_W - 2 * MARGIN) / Mm(1)
    shares = list(widths_mm or [1.0] * len(columns))
    widths = [Mm(w * usable_mm / sum(shares)) for w in shares]
    twips = [int(w.twips) for w in widths]
    table = doc.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for col, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        col.w = width
    header = table.rows[0]
    _repeat_header(header)
    for cell, name, width in zip(header.cells, columns, widths, strict=True):
        _fill(cell, name, bold=True, center=True)
        _shade(cell, HEADER_FILL)
        cell.width = width
    red = set(red_rows)
    tbl = table._tbl
    for r, row in enumerate(rows):
        tbl.append(_row_xml([_text(v) for v in row[: len(columns)]], twips, r in red))
        if on_row is not None:
            on_row(1)
    doc.save(str(out))
    return out
