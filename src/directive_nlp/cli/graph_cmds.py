"""The ``graph`` and ``untracked`` commands: thin layers over linking.graph / linking.untracked.

Both read the ingested extractions from the document store (``--db``), or, for work without a
store, from extraction JSON files (``--json FILE``, repeatable) plus optional precomputed gap
checks (``--alignment FILE``, repeatable).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path
from typing import Any

import typer

from ..errors import DirectiveError
from .app import app, console, fail

GRAPH_FORMATS = ("graphml", "gexf", "json", "dot", "html")
UNTRACKED_FORMATS = ("table", "json", "xlsx")


# --------------------------------------------------------------------------- inputs


def _read_json_files(files: list[Path] | None, what: str) -> list[dict[str, Any]]:
    """The objects of JSON files that each hold one object or a list of them."""
    out: list[dict[str, Any]] = []
    for f in files or []:
        try:
            data = json.loads(Path(f).read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            fail(f"{f}: cannot read {what} JSON ({e})")
        out.extend(data if isinstance(data, list) else [data])
    return out


def load_extractions(db: Path | None, json_files: list[Path] | None) -> list[dict[str, Any]]:
    """Extractions from JSON files when given, else from the store at ``db`` (or its default)."""
    from .. import api

    try:
        return api.load_extractions(db, json_files)
    except DirectiveError as e:
        fail(str(e))
    return []  # unreachable: fail() exits


def load_alignments(files: list[Path] | None) -> list[dict[str, Any]]:
    return _read_json_files(files, "gap-check")


def parse_date(value: str | None) -> dt.date | None:
    """ISO (2025-06-30) or Vietnamese day-first (30/6/2025) date; None stays None."""
    if not value:
        return None
    value = value.strip()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        pass
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", value)
    if m:
        try:
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        except ValueError:
            pass
    fail(f"invalid date '{value}' (expected YYYY-MM-DD or DD/MM/YYYY)")
    return None


def _check_choice(value: str | None, choices: tuple[str, ...], what: str) -> None:
    if value is not None and value not in choices:
        fail(f"unknown {what} '{value}' (expected {' | '.join(choices)})")


def _print_warnings(warnings: list[Any], lang: str) -> None:
    for w in warnings:
        print(f"warning: {w.message(lang)}", file=sys.stderr)


# --------------------------------------------------------------------------- graph


def _checked_graph(format, formats, level, lang, db, json_files, alignment_files, no_align):
    """Validate the shared options, build the graph from the store (or JSON files) and print
    its sanity warnings on stderr."""
    from ..linking.graph import build_graph

    _check_choice(format, formats, "format")
    _check_choice(level, ("commune", "province", "central"), "level")
    _check_choice(lang, ("vi", "en"), "language")
    extractions = load_extractions(db, json_files)
    G = build_graph(extractions, load_alignments(alignment_files), align=not no_align)
    _print_warnings(G.graph.get("warnings") or [], lang)
    return G


@app.command("graph")
def graph_cmd(
    db: Path = typer.Option(None, "--db", help="Store database (default: the store's default)."),
    format: str = typer.Option("graphml", "--format", "-f", help="graphml | gexf | json | dot | html"),
    output: Path = typer.Option(None, "--output", "-o", help="Output file (default outputs/graph.<ext>)."),
    document: str = typer.Option(
        None, "--document", help="Only the graph around this document (symbol or file)."
    ),
    depth: int = typer.Option(2, "--depth", min=0, help="Hops around --document."),
    level: str = typer.Option(
        None,
        "--level",
        help="Mark tasks untracked at this level: commune | province | central (default: any).",
    ),
    as_of: str = typer.Option(None, "--as-of", help="Date for overdue marks (default today)."),
    lang: str = typer.Option("vi", "--lang", help="Labels and warnings: vi | en."),
    json_files: list[Path] = typer.Option(
        None, "--json", help="Build from extraction JSON files instead of the store (repeatable)."
    ),
    alignment_files: list[Path] = typer.Option(
        None, "--alignment", help="Precomputed gap-check JSON (repeatable)."
    ),
    no_align: bool = typer.Option(False, "--no-align", help="Do not run gap checks for implementing pairs."),
) -> None:
    """Export the cross-reference graph of documents, tasks and units."""
    from ..linking.graph import find_document, neighbourhood, stats, write_graph
    from ..linking.untracked import find_untracked, mark_untracked

    G = _checked_graph(format, GRAPH_FORMATS, level, lang, db, json_files, alignment_files, no_align)
    mark_untracked(G, find_untracked(G, level=level, as_of=parse_date(as_of)), lang=lang)
    center = None
    if document:
        center = find_document(G, document)
        if center is None:
            fail(f"document '{document}' is not in the graph")
        G = neighbourhood(G, center, depth)
    out = output or Path("outputs") / f"graph.{format}"
    try:
        write_graph(G, out, format, **({"lang": lang, "center": center} if format == "html" else {}))
    except OSError as e:
        fail(f"{out}: {e}")
    s = stats(G)
    console.print(
        f"{out}: {s.get('documents', 0)} documents ({s.get('stubs', 0)} stubs), "
        f"{s.get('tasks', 0)} tasks, {s.get('units', 0)} units, {s['edges']} edges",
        highlight=False,
    )


# --------------------------------------------------------------------------- untracked

COLUMNS = {
    "vi": [
        ("document_label", "Văn bản"),
        ("task_id", "Nhiệm vụ"),
        ("section", "Mục"),
        ("text", "Nội dung"),
        ("lead", "Chủ trì"),
        ("due", "Hạn"),
        ("levels", "Cấp"),
        ("reason", "Lý do"),
    ],
    "en": [
        ("document_label", "Document"),
        ("task_id", "Task"),
        ("section", "Section"),
        ("text", "Text"),
        ("lead", "Lead"),
        ("due", "Due"),
        ("levels", "Levels"),
        ("reason", "Reason"),
    ],
}
LEVEL_NAMES = {
    "vi": {"central": "trung ương", "province": "tỉnh", "commune": "xã"},
    "en": {"central": "central", "province": "province", "commune": "commune"},
}


def _cell(key: str, row: dict[str, Any], lang: str) -> str:
    value = row.get(key)
    if key == "levels":
        return ", ".join(LEVEL_NAMES[lang].get(v, v) for v in value or [])
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


def table_rows(rows: list[dict[str, Any]], lang: str) -> tuple[list[str], list[list[str]]]:
    """Header and cell texts of the untracked table (local stand-in for reports/tables.py)."""
    cols = COLUMNS.get(lang, COLUMNS["vi"])
    return [h for _, h in cols], [[_cell(k, r, lang) for k, _ in cols] for r in rows]


def _print_table(rows: list[dict[str, Any]], lang: str) -> None:
    """A rich table: reports/tables.py's renderer when present, else a plain rich table."""
    from rich.console import Console

    header, cells = table_rows(rows, lang)
    for r in cells:
        r[3] = r[3] if len(r[3]) <= 200 else r[3][:199] + "…"
    title = ("Nhiệm vụ chưa được theo dõi" if lang == "vi" else "Untracked tasks") + f" ({len(rows)})"
    out = console if console.is_terminal else Console(width=max(console.width, 200))
    try:
        from ..reports.tables import print_table
    except ImportError:
        from rich.table import Table

        table = Table(title=title)
        for h in header:
            table.add_column(h, overflow="fold")
        for r in cells:
            table.add_row(*r)
        out.print(table)
        return
    print_table(out, header, cells, title=title, lang=lang, ratios=(2, None, 2, 6, 3, None, None, 5))


def write_untracked_xlsx(rows: list[dict[str, Any]], path: Path, lang: str) -> None:
    """Write the rows with reports/xlsx.py's ``write_xlsx``; a minimal openpyxl writer otherwise."""
    header, cells = table_rows(rows, lang)
    sheet = "Chưa theo dõi" if lang == "vi" else "Untracked"
    try:
        from ..reports.xlsx import write_xlsx
    except ImportError:
        write_xlsx = None
    if write_xlsx is not None:
        widths = (18, 10, 14, 70, 30, 12, 16, 60)
        write_xlsx({sheet: (list(zip(header, widths, strict=False)), cells)}, path)
        return
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header)
    for r in cells:
        ws.append(r)
    ws.freeze_panes = "A2"
    wb.save(path)


@app.command("untracked")
def untracked_cmd(
    db: Path = typer.Option(None, "--db", help="Store database (default: the store's default)."),
    level: str = typer.Option(None, "--level", help="commune | province | central (default: every level)."),
    as_of: str = typer.Option(None, "--as-of", help="Date for overdue tasks, YYYY-MM-DD (default today)."),
    format: str = typer.Option("table", "--format", "-f", help="table | json | xlsx"),
    output: Path = typer.Option(
        None, "--output", "-o", help="Output file (xlsx default: outputs/untracked.xlsx)."
    ),
    lang: str = typer.Option("vi", "--lang", help="Reasons and headers: vi | en."),
    include_support: bool = typer.Option(
        False, "--include-support", help="Support (phối hợp) addressees also make a task apply."
    ),
    json_files: list[Path] = typer.Option(
        None, "--json", help="Use extraction JSON files instead of the store (repeatable)."
    ),
    alignment_files: list[Path] = typer.Option(
        None, "--alignment", help="Precomputed gap-check JSON (repeatable)."
    ),
    no_align: bool = typer.Option(False, "--no-align", help="Do not run gap checks for implementing pairs."),
) -> None:
    """List upstream tasks nobody carries out at a level, and overdue tasks with no follow-up."""
    from ..linking.untracked import find_untracked

    G = _checked_graph(format, UNTRACKED_FORMATS, level, lang, db, json_files, alignment_files, no_align)
    rows = [
        r.to_dict(lang)
        for r in find_untracked(G, level=level, as_of=parse_date(as_of), include_support=include_support)
    ]
    if format == "json":
        text = json.dumps(rows, ensure_ascii=False, indent=1)
        if output:
            _write_text(output, text + "\n")
        else:
            typer.echo(text)
    elif format == "xlsx":
        out = output or Path("outputs") / "untracked.xlsx"
        out.parent.mkdir(parents=True, exist_ok=True)
        try:
            write_untracked_xlsx(rows, out, lang)
        except OSError as e:
            fail(f"{out}: {e}")
        console.print(f"{out}: {len(rows)} rows", highlight=False)
    else:
        if output:
            header, cells = table_rows(rows, lang)
            _write_text(output, "\n".join("\t".join(r) for r in [header, *cells]) + "\n")
        else:
            _print_table(rows, lang)


def _write_text(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as e:
        fail(f"{path}: {e}")
