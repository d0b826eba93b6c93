"""Excel writer shared by every report (XlsxWriter; openpyxl stays for reading).

``write_xlsx({"Sheet": (columns, rows), …}, path)`` writes one sheet per entry with a styled
header row, wrapped text, column widths fitted to the content (capped), frozen header, an
autofilter, and an A4 landscape print set-up that repeats the header row on every page.
A column may be given as a name or as ``(name, width)`` to fix its width. A sheet may also be
a ``SheetSpec``: the same plus title lines above the table and rows to show in red (overdue).
Cell values: str, int, float, bool, None, ``datetime.date`` (written as a real date, shown
dd/mm/yyyy) or a list (one item per line).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter

Column = str | tuple[str, float]

HEADER_BG = "#1F4E78"
BORDER_COLOR = "#BFBFBF"
OVERDUE_COLOR = "#C00000"
OVERDUE_BG = "#FDE9E7"
MIN_WIDTH, MAX_WIDTH = 6.0, 60.0
MEASURED_ROWS = 2000  # rows read to fit a column's width to its content
DATE_FORMAT = "DD/MM/YYYY"
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
# characters not allowed in XML 1.0 (control characters)
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass
class SheetSpec:
    """One worksheet: its table, optional title lines above it and rows to mark red."""

    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]]
    title_lines: Sequence[str] = ()
    red_rows: Collection[int] = field(default_factory=set)  # 0-based indexes into rows


Sheet = SheetSpec | tuple[Sequence[Column], Sequence[Sequence[Any]]]


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


class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook):
        base = {"border": 1, "border_color": BORDER_COLOR, "valign": "top", "text_wrap": True}
        self.header = wb.add_format(
            base | {"bold": True, "font_color": "#FFFFFF", "bg_color": HEADER_BG, "align": "center"}
        )
        self.title = wb.add_format({"bold": True, "font_size": 13})
        self.subtitle = wb.add_format({"italic": True})
        red = {"font_color": OVERDUE_COLOR, "bg_color": OVERDUE_BG}
        self.cell = {False: wb.add_format(base), True: wb.add_format(base | red)}
        self.date = {
            False: wb.add_format(base | {"num_format": DATE_FORMAT}),
            True: wb.add_format(base | red | {"num_format": DATE_FORMAT}),
        }


def write_sheet(ws: Any, formats: _Formats, spec: SheetSpec) -> None:
    """Fill one worksheet: title lines, header, rows, widths, print set-up, frozen header, filter."""
    names = [_split_column(c) for c in spec.columns]
    top = 0
    for i, line in enumerate(spec.title_lines):
        ws.write_string(top, 0, line, formats.title if i == 0 else formats.subtitle)
        top += 1
    if spec.title_lines:
        top += 1  # a blank line between the title block and the table
    header = top
    widths = [_text_width(n) + 2 for n, _ in names]
    for c, (name, _) in enumerate(names):
        ws.write_string(header, c, name, formats.header)
    red_rows = set(spec.red_rows)
    # columns whose width follows the content, measured on the first rows (enough to fit)
    measured = [c for c, (_, fixed) in enumerate(names) if fixed is None]
    for r, row in enumerate(spec.rows):
        red = r in red_rows
        if r < MEASURED_ROWS:
            for c in measured:
                if c < len(row):
                    widths[c] = max(widths[c], _text_width(cell_value(row[c])) + 2)
        for c, raw in enumerate(row):
            value = cell_value(raw)
            y = header + 1 + r
            if isinstance(value, _dt.datetime):
                ws.write_datetime(y, c, value, formats.date[red])
            elif isinstance(value, _dt.date):
                ws.write_datetime(y, c, _dt.datetime.combine(value, _dt.time()), formats.date[red])
            elif value is None:
                ws.write_blank(y, c, None, formats.cell[red])
            elif isinstance(value, bool):
                ws.write_boolean(y, c, value, formats.cell[red])
            elif isinstance(value, (int, float)):
                ws.write_number(y, c, value, formats.cell[red])
            else:
                ws.write_string(y, c, str(value), formats.cell[red])
    for c, (_, fixed) in enumerate(names):
        ws.set_column(c, c, fixed if fixed is not None else min(max(widths[c], MIN_WIDTH), MAX_WIDTH))
    ws.freeze_panes(header + 1, 0)
    if names:
        ws.autofilter(header, 0, header + max(len(spec.rows), 1), len(names) - 1)
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.repeat_rows(header)
    ws.fit_to_pages(1, 0)  # as wide as one page, as many pages down as needed
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)


def write_xlsx(
    sheets: Mapping[str, Any],
    path: str | Path,
    on_row: Callable[[int], None] | None = None,
) -> Path:
    """Write ``{sheet name: (columns, rows) or SheetSpec}`` (see ``Sheet``) to an .xlsx file;
    returns the path."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(out))
    formats = _Formats(wb)
    used: set[str] = set()
    for name, sheet in sheets.items():
        spec = sheet if isinstance(sheet, SheetSpec) else SheetSpec(sheet[0], sheet[1])
        write_sheet(wb.add_worksheet(sheet_title(name, used)), formats, spec)
        if on_row is not None:
            on_row(len(spec.rows))
    if not sheets:
        wb.add_worksheet("Sheet")
    wb.close()
    return out
