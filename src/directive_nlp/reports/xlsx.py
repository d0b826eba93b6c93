"""Excel writer shared by every report (openpyxl).

``write_xlsx({"Sheet": (columns, rows), …}, path)`` writes one sheet per entry with a styled
header row, wrapped text, column widths fitted to the content (capped), frozen header and an
autofilter. A column may be given as a name or as ``(name, width)`` to fix its width.
Cell values: str, int, float, bool, None, ``datetime.date`` (written as a real date, shown
dd/mm/yyyy) or a list (one item per line).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Union

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

Column = Union[str, tuple[str, float]]
Sheet = tuple[Sequence[Column], Sequence[Sequence[Any]]]

HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
HEADER_FONT = Font(bold=True, color="FFFFFF")
THIN = Side(style="thin", color="BFBFBF")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
MIN_WIDTH, MAX_WIDTH = 6.0, 60.0
DATE_FORMAT = "DD/MM/YYYY"
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
# characters openpyxl refuses in cells (XML 1.0 control characters)
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def sheet_title(name: str, used: set[str]) -> str:
    """A valid, unique worksheet title (≤ 31 characters, no []:*?/\\)."""
    base = _BAD_SHEET_CHARS.sub("-", name).strip("'") or "Sheet"
    base = base[:31]
    title, n = base, 2
    while title.lower() in used:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title.lower())
    return title


def cell_value(value: Any) -> Any:
    """Convert a Python value to what the cell holds."""
    if isinstance(value, (list, tuple)):
        value = "\n".join(str(v) for v in value)
    if isinstance(value, str):
        return _ILLEGAL.sub("", value)
    if isinstance(value, (dict, set)):
        return str(value)
    return value


def _text_width(value: Any) -> float:
    if value is None:
        return 0.0
    if isinstance(value, _dt.date):
        return 10.0
    return float(max((len(line) for line in str(value).split("\n")), default=0))


def _split_column(col: Column) -> tuple[str, float | None]:
    if isinstance(col, tuple):
        return str(col[0]), float(col[1])
    return str(col), None


def write_sheet(ws: Any, columns: Sequence[Column], rows: Sequence[Sequence[Any]]) -> None:
    """Fill one worksheet: header, rows, styles, widths, frozen header and autofilter."""
    names = [_split_column(c) for c in columns]
    ws.append([n for n, _ in names])
    for cell in ws[1]:
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wrap = Alignment(vertical="top", wrap_text=True)
    widths = [_text_width(n) + 2 for n, _ in names]
    for row in rows:
        values = [cell_value(v) for v in row]
        ws.append(values)
        for i, v in enumerate(values[: len(widths)]):
            widths[i] = max(widths[i], _text_width(v) + 2)
    for row_cells in ws.iter_rows(min_row=2):
        for cell in row_cells:
            cell.alignment, cell.border = wrap, BORDER
            if isinstance(cell.value, (_dt.date, _dt.datetime)):
                cell.number_format = DATE_FORMAT
    for i, (_, fixed) in enumerate(names, start=1):
        width = fixed if fixed is not None else min(max(widths[i - 1], MIN_WIDTH), MAX_WIDTH)
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    if names:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(names))}{max(ws.max_row, 1)}"


def write_xlsx(sheets: Mapping[str, Sheet], path: str | Path) -> Path:
    """Write ``{sheet name: (columns, rows)}`` to an .xlsx file; returns the path."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for name, (columns, rows) in sheets.items():
        write_sheet(wb.create_sheet(sheet_title(name, used)), columns, rows)
    if not sheets:
        wb.create_sheet("Sheet")
    wb.save(out)
    return out
