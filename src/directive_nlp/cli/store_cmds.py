"""Commands of the corpus store: ``ingest``, ``docs``, ``obligations``, ``search`` and ``units``.

A thin layer over ``storage.store.Store`` and the ``reports`` writers.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import re
import sys
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from ..errors import DirectiveError
from ..i18n import msg
from ..ingest import DEFAULT_MAX_MEMORY, DEFAULT_TIMEOUT
from ..reports.labels import format_date, t
from ..reports.tables import (
    DOCUMENT_KEEP_WHOLE,
    OBLIGATION_RATIOS,
    SORTS,
    SUMMARY_KEEP_WHOLE,
    documents_table,
    obligation_table,
    office_rows,
    print_table,
    sort_tasks,
    summary_table,
    to_csv,
    to_markdown,
)
from .app import (
    app,
    check_choice,
    choose_lang,
    console,
    console_err,
    fail_error,
    fail_key,
    open_store,
    parse_date,
    progress_bar,
    write_text,
)

if TYPE_CHECKING:  # the store (sqlite-utils) is imported when a command runs, not at start-up
    from ..ingest import IngestResult
    from ..storage.store import Store


DB_HELP = msg("help.opt.db")
LANG_HELP = msg("help.opt.lang")
PROGRESS_MIN_FILES = 4  # show a progress bar from this many files


def _lang(lang: str | None) -> str:
    return choose_lang(lang)


# --------------------------------------------------------------------------- ingest


@app.command("ingest", help=msg("help.cmd.ingest"))
def ingest_cmd(
    paths: list[Path] | None = typer.Argument(None, help=msg("help.arg.paths")),
    db: Path | None = typer.Option(None, "--db", help=DB_HELP),
    jobs: int = typer.Option(1, "--jobs", "-j", min=0, help=msg("help.opt.jobs")),
    timeout: float = typer.Option(DEFAULT_TIMEOUT, "--timeout", min=0, help=msg("help.timeout")),
    max_memory: int = typer.Option(DEFAULT_MAX_MEMORY, "--max-memory", min=0, help=msg("help.max_memory")),
    from_dir: Path | None = typer.Option(None, "--from", help=msg("help.opt.from_partitions")),
    no_ocr: bool = typer.Option(False, "--no-ocr", help=msg("help.opt.no_ocr")),
    force: bool = typer.Option(False, "--force", help=msg("help.opt.force")),
    lang: str | None = typer.Option(None, "--lang", help=LANG_HELP, show_default=False),
) -> None:
    """Extract documents and store them (unchanged files are skipped, changed ones replaced).

    A file counts as unchanged when its path, content (sha256) and the extractor that
    produced its stored extraction are all the same. A file of a document already stored
    (another format of the same notice) is kept as another source of that document.
    """
    from .. import api

    lang = _lang(lang)
    if bool(paths) == bool(from_dir):
        fail_key("err.ingest_args")
    jobs = jobs or (os.cpu_count() or 1)
    try:
        store = api.open_store(db, create=True)
    except DirectiveError as e:
        fail_error(e)
    with contextlib.ExitStack() as stack:
        stack.callback(store.close)
        progress: dict[str, Any] = {}

        def on_start(total: int) -> None:
            if total >= PROGRESS_MIN_FILES and console_err.is_terminal:
                bar = Progress(
                    TextColumn("{task.description}"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    TimeElapsedColumn(),
                    TextColumn("{task.fields[file]}"),
                    console=console_err,
                    transient=True,
                    auto_refresh=False,  # no refresh thread: workers are forked from this process
                )
                stack.enter_context(bar)
                progress["bar"] = bar
                progress["task"] = bar.add_task(t("msg.ingesting", lang), total=total, file="")

        def on_result(r: IngestResult) -> None:
            bar = progress.get("bar")
            if r.error:
                line = f"directive-nlp: {r.error}"
                if bar is not None:
                    bar.console.print(Text(line), soft_wrap=True, highlight=False)
                else:
                    print(line, file=sys.stderr, flush=True)
            if bar is not None:
                bar.update(progress["task"], advance=1, file=Path(r.path).name)
                bar.refresh()

        try:
            if from_dir is not None:
                report = api.ingest_from(
                    from_dir, store, force=force, on_result=on_result, keep_results=False
                )
            else:
                report = api.ingest(
                    paths or [],
                    store,
                    jobs=jobs,
                    timeout=timeout,
                    max_memory=max_memory,
                    ocr=not no_ocr,
                    force=force,
                    on_start=on_start,
                    on_result=on_result,
                    keep_results=False,
                )
        except DirectiveError as e:
            fail_error(e)
        counts = store.counts()
    summary = report.to_dict()
    typer.echo(
        t(
            "msg.ingest_summary",
            lang,
            **{k: summary[k] for k in ("added", "updated", "unchanged", "failed", "tasks", "citations")},
        )
    )
    if report.merged:
        typer.echo(msg("msg.ingest_merged", lang, n=report.merged))
    if report.skipped:
        typer.echo(msg("msg.ingest_skipped", lang, n=len(report.skipped)))
    typer.echo(
        t("msg.store_totals", lang, path=store.path, documents=counts["documents"], tasks=counts["tasks"])
    )
    if report.failures:
        raise typer.Exit(1)


# --------------------------------------------------------------------------- docs


@app.command("docs", help=msg("help.cmd.docs"))
def docs_cmd(
    db: Path | None = typer.Option(None, "--db", help=DB_HELP),
    format: str = typer.Option("table", "--format", "-f", help="table | json"),
    lang: str | None = typer.Option(None, "--lang", help=LANG_HELP, show_default=False),
) -> None:
    lang = _lang(lang)
    check_choice(format, ("table", "json"))
    from .. import api

    try:
        docs = api.documents(db)
    except DirectiveError as e:
        fail_error(e)
    if format == "json":
        typer.echo(json.dumps(docs, ensure_ascii=False, indent=1))
    elif not docs:
        typer.echo(t("msg.no_documents", lang))
    else:
        columns, rows = documents_table(docs, lang)
        print_table(
            console,
            columns,
            rows,
            t("title.documents", lang),
            lang,
            keep_whole=DOCUMENT_KEEP_WHOLE,
            show_lines=True,
        )


# --------------------------------------------------------------------------- obligations


def default_output_dir() -> Path:
    """Where files go by default (``outputs/`` under the project root)."""
    from ..storage.store import default_output_dir as _default

    return _default()


def _resolve_doc(store: Store, ref: str, lang: str) -> dict[str, Any]:
    found = store.find_documents(ref)
    if not found:
        fail_key("err.no_document", ref=ref, db=store.path)
    chosen = store.document(ref)
    assert chosen is not None
    if len(found) > 1:
        print(
            "directive-nlp: "
            + t("msg.ambiguous", lang, ref=ref, n=len(found), id=chosen["id"], file=chosen["file_name"]),
            file=sys.stderr,
        )
    return chosen


def _title(
    lang: str,
    doc: dict[str, Any] | None,
    overdue_as_of: _dt.date | None,
    summary: bool,
    as_of: _dt.date,
) -> str:
    title = t("title.summary" if summary else "title.obligations", lang)
    if doc is not None:
        title += f" — {doc['name']}"
    if overdue_as_of is not None:
        title += f" ({t('title.overdue', lang, date=overdue_as_of.strftime('%d/%m/%Y'))})"
    elif summary:
        title += f" ({t('title.as_of', lang, date=as_of.strftime('%d/%m/%Y'))})"
    return title


def title_block(
    lang: str,
    doc: dict[str, Any] | None,
    n_docs: int,
    unit: str | None,
    as_of: _dt.date,
    n_tasks: int,
    n_overdue: int,
) -> list[str]:
    """The lines above an exported table: what it is, of which notice (symbol, title, date) or
    how many documents, for which lead unit, and as of which date."""
    lines = [t("title.obligations", lang).upper()]
    if doc is not None:
        lines.append(
            t("title.of_document", lang, symbol=doc["name"], title=doc.get("title") or "").rstrip(": ")
        )
        if doc.get("issued_date"):
            lines.append(t("title.issued", lang, date=format_date(doc["issued_date"], lang)))
    else:
        lines.append(t("title.of_documents", lang, n=n_docs))
    if unit:
        lines.append(t("title.lead_unit", lang, unit=unit))
    lines.append(
        t("title.as_of_line", lang, date=as_of.strftime("%d/%m/%Y"), tasks=n_tasks, overdue=n_overdue)
    )
    return lines


# column widths of the office form: in the xlsx (characters) and the docx (millimetres)
XLSX_WIDTHS = (6, 60, 28, 30, 18, 28, 14, 18, 10, 30, 24, 16, 16, 12, 10)
DOCX_WIDTHS_MM = (12, 95, 40, 45, 28, 35, 22)
OBLIGATION_FORMATS = ("table", "csv", "json", "xlsx", "md", "docx")
FILE_FORMATS = ("csv", "json", "xlsx", "md", "docx")


def file_slug(name: str) -> str:
    """A portable file name for a unit: no tone marks, letters, digits and '_' only."""
    plain = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"[^A-Za-z0-9]+", "_", plain).strip("_")[:80] or "unit"


def write_obligations(
    fmt: str,
    target: Path | None,
    tasks: list[dict[str, Any]],
    counts: list[dict[str, Any]],
    lang: str,
    title_lines: list[str],
    title: str,
    as_of: _dt.date,
    with_summary: bool = True,
) -> Path | None:
    """Write one obligations file (or print it when ``target`` is None and the format is text)."""
    from ..storage.store import is_overdue

    overdue = {i for i, task in enumerate(tasks) if is_overdue(task, as_of)}
    columns, rows = obligation_table(tasks, lang, extended=fmt in ("csv", "xlsx", "docx"), overdue=overdue)
    if fmt == "json":
        write_text(json.dumps(tasks, ensure_ascii=False, indent=1) + "\n", target, lang)
    elif fmt == "csv":  # BOM: Excel then reads Vietnamese correctly
        write_text(to_csv(columns, rows), target, lang, encoding="utf-8-sig")
    elif fmt == "md":
        write_text(to_markdown(columns, rows, title, lang), target, lang)
    elif fmt == "xlsx":
        from ..reports.xlsx import SheetSpec, write_xlsx

        assert target is not None
        sheets: dict[str, Any] = {
            t("sheet.obligations", lang): SheetSpec(
                list(zip(columns, XLSX_WIDTHS, strict=True)), rows, title_lines, overdue
            )
        }
        if with_summary:
            sheets[t("sheet.summary", lang)] = summary_table(counts, lang)
        with progress_bar(len(rows), t("msg.writing", lang, path=target.name)) as advance:
            write_xlsx(sheets, target, on_row=advance)
        print(t("msg.wrote", lang, path=target), file=sys.stderr)
    elif fmt == "docx":
        from ..reports.docx import write_docx_table

        assert target is not None
        with progress_bar(len(rows), t("msg.writing", lang, path=target.name)) as advance:
            write_docx_table(
                target, title_lines, columns[:7], office_rows(rows), overdue, DOCX_WIDTHS_MM, on_row=advance
            )
        print(t("msg.wrote", lang, path=target), file=sys.stderr)
    return target


def _lead_groups(tasks: list[dict[str, Any]]) -> dict[str, tuple[str, list[dict[str, Any]]]]:
    """Tasks by lead unit (a task with two leads is in both groups): key -> (name, tasks)."""
    from ..storage.store import unit_key

    groups: dict[str, tuple[str, list[dict[str, Any]]]] = {}
    for task in tasks:
        for name in dict.fromkeys(task["lead"]):
            groups.setdefault(unit_key(name), (name, []))[1].append(task)
    return groups


@app.command("obligations", help=msg("help.cmd.obligations"))
def obligations_cmd(
    doc: str | None = typer.Argument(None, help=msg("help.arg.doc")),
    db: Path | None = typer.Option(None, "--db", help=DB_HELP),
    unit: str | None = typer.Option(None, "--unit", help=msg("help.opt.unit")),
    due_before: str | None = typer.Option(None, "--due-before", help=msg("help.opt.due_before")),
    as_of: str | None = typer.Option(None, "--as-of", help=msg("help.opt.as_of")),
    overdue: bool = typer.Option(False, "--overdue", help=msg("help.opt.overdue")),
    format: str = typer.Option("table", "--format", "-f", help=" | ".join(OBLIGATION_FORMATS)),
    output: Path | None = typer.Option(None, "--output", "-o", help=msg("help.opt.output_obligations")),
    sort: str = typer.Option("section", "--sort", help=msg("help.opt.sort")),
    per_unit: Path | None = typer.Option(None, "--per-unit", help=msg("help.opt.per_unit")),
    lang: str | None = typer.Option(None, "--lang", help=LANG_HELP, show_default=False),
    summary: bool = typer.Option(False, "--summary", help=msg("help.opt.summary")),
) -> None:
    from ..storage import queries

    lang = choose_lang(lang)
    check_choice(format, OBLIGATION_FORMATS)
    check_choice(sort, tuple(SORTS), "sort")
    if per_unit is not None and summary:
        fail_key("err.per_unit_summary")
    before = parse_date(due_before, "--due-before")
    ref_date = parse_date(as_of, "--as-of") or _dt.date.today()
    overdue_as_of = ref_date if overdue else None
    with open_store(db, create=False) as store:
        document = _resolve_doc(store, doc, lang) if doc else None
        doc_id = document["id"] if document else None
        counts = queries.summary(store.db, doc_id=doc_id, unit=unit, as_of=ref_date)
        tasks = (
            []
            if summary
            else queries.obligations(store.db, doc_id, unit, due_before=before, overdue_as_of=overdue_as_of)
        )
    tasks = sort_tasks(tasks, sort)
    title = _title(lang, document, overdue_as_of, summary, ref_date)
    n_docs = len({task["doc_id"] for task in tasks})

    def lines(unit_name: str | None, mine: list[dict[str, Any]]) -> list[str]:
        from ..storage.store import is_overdue

        late = sum(1 for task in mine if is_overdue(task, ref_date))
        return title_block(lang, document, n_docs, unit_name, ref_date, len(mine), late)

    if per_unit is not None:
        fmt = "docx" if format == "table" else format
        per_unit.mkdir(parents=True, exist_ok=True)
        groups = _lead_groups(tasks)
        used: set[str] = set()
        for name, mine in groups.values():
            slug, n = file_slug(name), 2
            while slug.casefold() in used:  # two units whose names read alike without tone marks
                slug, n = f"{file_slug(name)}_{n}", n + 1
            used.add(slug.casefold())
            target = per_unit / f"{slug}.{fmt}"
            write_obligations(
                fmt, target, mine, counts, lang, lines(name, mine), f"{title} — {name}", ref_date, False
            )
        typer.echo(t("msg.per_unit_done", lang, n=len(groups), folder=per_unit))
        return
    if summary:
        columns, rows = summary_table(counts, lang)
        if format == "json":
            write_text(json.dumps(counts, ensure_ascii=False, indent=1) + "\n", output, lang)
        elif format == "csv":
            write_text(to_csv(columns, rows), output, lang, encoding="utf-8-sig")
        elif format == "md":
            write_text(to_markdown(columns, rows, title, lang), output, lang)
        elif format in ("xlsx", "docx"):
            target = output or default_output_dir() / f"obligations-summary.{format}"
            if format == "xlsx":
                from ..reports.xlsx import write_xlsx

                write_xlsx({t("sheet.summary", lang): summary_table(counts, lang)}, target)
            else:
                from ..reports.docx import write_docx_table

                write_docx_table(target, [title], columns, rows)
            print(t("msg.wrote", lang, path=target), file=sys.stderr)
        else:
            _print(columns, rows, title, lang, output, None, SUMMARY_KEEP_WHOLE)
        return
    if format in ("xlsx", "docx"):
        target = output or default_output_dir() / f"obligations.{format}"
        write_obligations(format, target, tasks, counts, lang, lines(unit, tasks), title, ref_date)
    elif format != "table":
        write_obligations(format, output, tasks, counts, lang, lines(unit, tasks), title, ref_date)
    else:
        columns, rows = obligation_table(tasks, lang)
        _print(columns, rows, title, lang, output, OBLIGATION_RATIOS, ())


def _print(
    columns: list[str],
    rows: list[list[Any]],
    title: str,
    lang: str,
    output: Path | None,
    ratios: Any,
    whole: Any,
) -> None:
    """A rich table on the terminal, or into ``output`` as plain text."""
    if not rows:
        typer.echo(t("msg.no_tasks", lang))
        return
    if output is None:
        print_table(console, columns, rows, title, lang, ratios, whole)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", encoding="utf-8") as f:
        print_table(Console(file=f, width=200, color_system=None), columns, rows, title, lang, ratios, whole)
    print(t("msg.wrote", lang, path=output), file=sys.stderr)


# --------------------------------------------------------------------------- search, units

SEARCH_FORMATS = ("table", "json", "csv")


@app.command("search", help=msg("help.cmd.search"))
def search_cmd(
    query: str = typer.Argument(..., help=msg("help.arg.query")),
    unit: str | None = typer.Option(None, "--unit", help=msg("help.opt.unit")),
    document: str | None = typer.Option(None, "--document", help=msg("help.opt.document")),
    limit: int = typer.Option(50, "--limit", min=1, help=msg("help.opt.limit")),
    format: str = typer.Option("table", "--format", "-f", help=" | ".join(SEARCH_FORMATS)),
    db: Path | None = typer.Option(None, "--db", help=DB_HELP),
    lang: str | None = typer.Option(None, "--lang", help=LANG_HELP, show_default=False),
) -> None:
    from ..storage import queries

    lang = choose_lang(lang)
    check_choice(format, SEARCH_FORMATS)
    if not query.strip():
        fail_key("err.empty_query")
    with open_store(db, create=False) as store:
        doc_id = _resolve_doc(store, document, lang)["id"] if document else None
        found = queries.search(store, query, unit=unit, doc_id=doc_id, limit=limit)
    if format == "json":
        typer.echo(json.dumps(found, ensure_ascii=False, indent=1))
        return
    columns, rows = obligation_table(found, lang)
    if format == "csv":
        typer.echo(to_csv(columns, rows), nl=False)
    elif not rows:
        typer.echo(t("msg.no_results", lang, query=query))
    else:
        print_table(
            console, columns, rows, t("title.search", lang, query=query, n=len(rows)), lang, OBLIGATION_RATIOS
        )


UNITS_FORMATS = ("table", "json", "csv", "xlsx")


@app.command("units", help=msg("help.cmd.units"))
def units_cmd(
    db: Path | None = typer.Option(None, "--db", help=DB_HELP),
    as_of: str | None = typer.Option(None, "--as-of", help=msg("help.opt.as_of")),
    format: str = typer.Option("table", "--format", "-f", help=" | ".join(UNITS_FORMATS)),
    output: Path | None = typer.Option(None, "--output", "-o", help=msg("help.opt.output")),
    lang: str | None = typer.Option(None, "--lang", help=LANG_HELP, show_default=False),
) -> None:
    from ..storage import queries

    lang = choose_lang(lang)
    check_choice(format, UNITS_FORMATS)
    ref_date = parse_date(as_of, "--as-of") or _dt.date.today()
    with open_store(db, create=False) as store:
        counts = queries.unit_counts(store.db, as_of=ref_date)
    columns = [
        t(k, lang)
        for k in (
            "col.unit",
            "col.leads_n",
            "col.supports_n",
            "col.overdue_leads",
            "col.overdue_supports",
            "col.documents",
        )
    ]
    rows = [
        [u["name"], u["leads"], u["supports"], u["overdue_leads"], u["overdue_supports"], u["documents"]]
        for u in counts
    ]
    title = t("title.units", lang, date=ref_date.strftime("%d/%m/%Y"))
    if format == "json":
        write_text(json.dumps(counts, ensure_ascii=False, indent=1) + "\n", output, lang)
    elif format == "csv":
        write_text(to_csv(columns, rows), output, lang, encoding="utf-8-sig")
    elif format == "xlsx":
        from ..reports.xlsx import SheetSpec, write_xlsx

        target = output or default_output_dir() / "units.xlsx"
        write_xlsx({t("sheet.units", lang): SheetSpec(columns, rows, [title])}, target)
        print(t("msg.wrote", lang, path=target), file=sys.stderr)
    else:
        _print(columns, rows, title, lang, output, None, (1, 2, 3, 4, 5))
