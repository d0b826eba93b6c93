"""The ``graph`` and ``untracked`` commands: thin layers over linking.graph / linking.untracked.

Both read the ingested extractions from the document store (``--db``), or, for work without a
store, from extraction JSON files (``--json FILE``, repeatable) plus optional precomputed gap
checks (``--alignment FILE``, repeatable).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import typer

from ..errors import DirectiveError
from ..i18n import msg
from ..reports.tables import cell_text, print_table
from ..reports.xlsx import write_xlsx
from .app import app, check_choice, choose_lang, console, fail, fail_error, fail_key, parse_date, progress_bar

GRAPH_FORMATS = ("graphml", "gexf", "json", "dot", "html")
UNTRACKED_FORMATS = ("table", "json", "xlsx")
LEVELS = ("commune", "province", "central")
VIEWS = ("aggregated", "full")


# --------------------------------------------------------------------------- inputs


def _read_json_files(files: list[Path] | None, what: str) -> list[dict[str, Any]]:
    """The objects of JSON files that each hold one object or a list of them."""
    out: list[dict[str, Any]] = []
    for f in files or []:
        try:
            data = json.loads(Path(f).read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            fail(f"{f}: {msg('err.bad_json', what=msg('word.' + what), detail=str(e))}")
        out.extend(data if isinstance(data, list) else [data])
    return out


def load_extractions(db: Path | None, json_files: list[Path] | None) -> list[dict[str, Any]]:
    """Extractions from JSON files when given, else from the store at ``db`` (or its default)."""
    from .. import api

    try:
        return api.load_extractions(db, json_files)
    except DirectiveError as e:
        fail_error(e)


def load_alignments(files: list[Path] | None) -> list[dict[str, Any]]:
    return _read_json_files(files, "gapcheck")


def _print_warnings(warnings: list[Any], lang: str) -> None:
    for w in warnings:
        print(msg("msg.warning", text=w.message(lang)), file=sys.stderr)


# --------------------------------------------------------------------------- graph


def _checked_graph(
    format: str,
    formats: tuple[str, ...],
    level: str | None,
    lang: str,
    db: Path | None,
    json_files: list[Path] | None,
    alignment_files: list[Path] | None,
    no_align: bool,
) -> Any:
    """Validate the shared options, build the graph from the store (or JSON files) and print
    its sanity warnings on stderr."""
    from ..linking.graph import build_graph

    check_choice(format, formats)
    if level is not None:
        check_choice(level, LEVELS, "level")
    extractions = load_extractions(db, json_files)
    with progress_bar(len(extractions), msg("msg.building_graph"), minimum=50) as advance:
        G = build_graph(extractions, load_alignments(alignment_files), align=not no_align)
        advance(len(extractions))
    if not json_files:  # follow-up: reports_on edges (report -> task) from the store
        from .status_cmds import add_report_edges

        add_report_edges(G, db)
    _print_warnings(G.graph.get("warnings") or [], lang)
    return G


DB_HELP = msg("help.opt.db")
LANG_HELP = msg("help.opt.lang")
JSON_HELP = msg("help.opt.json")
ALIGN_HELP = msg("help.opt.alignment")
NO_ALIGN_HELP = msg("help.opt.no_align")


@app.command("graph", help=msg("help.cmd.graph"))
def graph_cmd(
    db: Path = typer.Option(None, "--db", help=DB_HELP),
    format: str = typer.Option("graphml", "--format", "-f", help=" | ".join(GRAPH_FORMATS)),
    output: Path = typer.Option(None, "--output", "-o", help=msg("help.opt.output_graph")),
    document: str = typer.Option(None, "--document", help=msg("help.opt.graph_document")),
    depth: int = typer.Option(2, "--depth", min=0, help=msg("help.opt.depth")),
    level: str = typer.Option(None, "--level", help=msg("help.opt.level")),
    as_of: str = typer.Option(None, "--as-of", help=msg("help.opt.as_of")),
    view: str = typer.Option("aggregated", "--view", help=msg("help.opt.view")),
    lang: str | None = typer.Option(None, "--lang", help=LANG_HELP, show_default=False),
    json_files: list[Path] = typer.Option(None, "--json", help=JSON_HELP),
    alignment_files: list[Path] = typer.Option(None, "--alignment", help=ALIGN_HELP),
    no_align: bool = typer.Option(False, "--no-align", help=NO_ALIGN_HELP),
) -> None:
    from ..linking.graph import find_document, neighbourhood, stats, write_graph
    from ..linking.untracked import find_untracked, mark_untracked

    lang = choose_lang(lang)
    check_choice(view, VIEWS, "view")
    when = parse_date(as_of, "--as-of")
    G = _checked_graph(format, GRAPH_FORMATS, level, lang, db, json_files, alignment_files, no_align)
    mark_untracked(G, find_untracked(G, level=level, as_of=when), lang=lang)
    center = None
    if document:
        center = find_document(G, document)
        if center is None:
            fail_key("err.not_in_graph", ref=document)
        G = neighbourhood(G, center, depth)
    out = output or Path("outputs") / f"graph.{format}"
    try:
        if format == "html":
            from ..reports.graph_html import write_graph_html

            out.parent.mkdir(parents=True, exist_ok=True)
            aggregate = view == "aggregated" and center is None
            with progress_bar(
                G.number_of_nodes(), msg("msg.writing", path=out.name), minimum=2000
            ) as advance:
                write_graph_html(G, out, lang=lang, center=center, aggregate=aggregate)
                advance(G.number_of_nodes())
        else:
            write_graph(G, out, format)
    except OSError as e:
        fail(f"{out}: {e}")
    s = stats(G)
    typer.echo(
        msg(
            "msg.graph_stats",
            path=out,
            documents=s.get("documents", 0),
            stubs=s.get("stubs", 0),
            tasks=s.get("tasks", 0),
            units=s.get("units", 0),
            edges=s["edges"],
        )
    )


# untracked table: row key -> catalogue key of its column
COLUMNS = (
    ("document_label", "col.document"),
    ("task_id", "col.task_id"),
    ("section", "col.section"),
    ("text", "col.task"),
    ("lead", "col.lead"),
    ("due", "col.due"),
    ("levels", "col.levels"),
    ("reason", "col.reason"),
)


def _cell(key: str, row: dict[str, Any], lang: str) -> Any:
    value = row.get(key)
    if key == "levels":
        return ", ".join(msg(f"level.{v}", lang) if v in LEVELS else str(v) for v in value or [])
    if key == "due" and value:
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            return str(value)
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


def table_rows(rows: list[dict[str, Any]], lang: str) -> tuple[list[str], list[list[Any]]]:
    """Header and cells of the untracked table (due dates as dates)."""
    return [msg(k, lang) for _, k in COLUMNS], [[_cell(k, r, lang) for k, _ in COLUMNS] for r in rows]


def _print_table(rows: list[dict[str, Any]], lang: str) -> None:
    from rich.console import Console

    header, cells = table_rows(rows, lang)
    for r in cells:
        r[3] = r[3] if len(r[3]) <= 200 else r[3][:199] + "…"
    title = msg("title.untracked", lang, n=len(rows))
    out = console if console.is_terminal else Console(width=max(console.width, 200))
    print_table(out, header, cells, title=title, lang=lang, ratios=(2, None, 2, 6, 3, None, None, 5))


def write_untracked_xlsx(rows: list[dict[str, Any]], path: Path, lang: str) -> None:
    """The untracked table as xlsx (real dates in the due column)."""
    header, cells = table_rows(rows, lang)
    widths = (18, 10, 14, 70, 30, 12, 16, 60)
    write_xlsx({msg("sheet.untracked", lang): (list(zip(header, widths, strict=True)), cells)}, path)


@app.command("untracked", help=msg("help.cmd.untracked"))
def untracked_cmd(
    db: Path = typer.Option(None, "--db", help=DB_HELP),
    level: str = typer.Option(None, "--level", help=msg("help.opt.level")),
    as_of: str = typer.Option(None, "--as-of", help=msg("help.opt.as_of")),
    format: str = typer.Option("table", "--format", "-f", help=" | ".join(UNTRACKED_FORMATS)),
    output: Path = typer.Option(None, "--output", "-o", help=msg("help.opt.output_untracked")),
    lang: str | None = typer.Option(None, "--lang", help=LANG_HELP, show_default=False),
    include_support: bool = typer.Option(False, "--include-support", help=msg("help.opt.include_support")),
    json_files: list[Path] = typer.Option(None, "--json", help=JSON_HELP),
    alignment_files: list[Path] = typer.Option(None, "--alignment", help=ALIGN_HELP),
    no_align: bool = typer.Option(False, "--no-align", help=NO_ALIGN_HELP),
    exclude_reported: bool = typer.Option(False, "--exclude-reported", help=msg("help.opt.exclude_reported")),
) -> None:
    from ..linking.untracked import exclude_reported as exclude_reported_tasks
    from ..linking.untracked import find_untracked

    lang = choose_lang(lang)
    when = parse_date(as_of, "--as-of")
    G = _checked_graph(format, UNTRACKED_FORMATS, level, lang, db, json_files, alignment_files, no_align)
    found = find_untracked(G, level=level, as_of=when, include_support=include_support)
    if exclude_reported:
        found = exclude_reported_tasks(G, found)
    rows = [r.to_dict(lang) for r in found]
    if format == "json":
        text = json.dumps(rows, ensure_ascii=False, indent=1)
        if output:
            _write_text(output, text + "\n")
        else:
            typer.echo(text)
    elif format == "xlsx":
        out = output or Path("outputs") / "untracked.xlsx"
        try:
            write_untracked_xlsx(rows, out, lang)
        except OSError as e:
            fail(f"{out}: {e}")
        typer.echo(msg("msg.wrote_rows", path=out, n=len(rows)))
    elif output:
        header, cells = table_rows(rows, lang)
        lines = ["\t".join(header)] + ["\t".join(cell_text(c) for c in r) for r in cells]
        _write_text(output, "\n".join(lines) + "\n")
    else:
        _print_table(rows, lang)


def _write_text(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as e:
        fail(f"{path}: {e}")
