"""Commands of the corpus store: ``ingest``, ``docs`` and ``obligations``.

A thin layer over ``storage.store.Store`` and the ``reports`` writers.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from ..errors import DirectiveError
from ..i18n import msg
from ..ingest import DEFAULT_MAX_MEMORY, DEFAULT_TIMEOUT
from ..reports.labels import check_lang, t
from ..reports.tables import (
    DOCUMENT_KEEP_WHOLE,
    OBLIGATION_RATIOS,
    SUMMARY_KEEP_WHOLE,
    documents_table,
    obligation_table,
    print_table,
    summary_table,
    to_csv,
    to_markdown,
)
from .app import app, console, console_err, fail

if TYPE_CHECKING:  # the store (sqlite-utils) is imported when a command runs, not at start-up
    from ..ingest import IngestResult
    from ..storage.store import Store


DB_HELP = "SQLite database (default: outputs/directives.db under the project root)."
LANG_HELP = "Language of labels: vi (default) or en."
OBLIGATION_FORMATS = ("table", "csv", "json", "xlsx", "md")
PROGRESS_MIN_FILES = 4  # show a progress bar from this many files


def _lang(lang: str) -> str:
    try:
        return check_lang(lang)
    except ValueError as e:
        fail(str(e))
    return lang  # pragma: no cover


def _open(db: Path | None, *, create: bool) -> Store:
    from ..storage.store import Store

    try:
        return Store(db, create=create)
    except DirectiveError as e:
        fail(str(e))
    raise AssertionError  # pragma: no cover


def _date(value: str | None, option: str) -> _dt.date | None:
    if value is None:
        return None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        fail(f"{option}: '{value}' is not a date (expected YYYY-MM-DD)")
    try:
        return _dt.date.fromisoformat(value.strip())
    except ValueError:
        fail(f"{option}: '{value}' is not a valid date")
    return None  # pragma: no cover


def _write_text(text: str, output: Path | None, lang: str, encoding: str = "utf-8") -> None:
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding=encoding)
    print(t("msg.wrote", lang, path=output), file=sys.stderr)


# --------------------------------------------------------------------------- ingest


@app.command("ingest")
def ingest_cmd(
    paths: list[Path] | None = typer.Argument(
        None, help="Files or folders (.pdf .docx .txt .md .markdown, recursing)."
    ),
    db: Path | None = typer.Option(None, "--db", help=DB_HELP),
    jobs: int = typer.Option(
        1, "--jobs", "-j", min=0, help="Worker processes for extraction (0 = one per CPU)."
    ),
    timeout: float = typer.Option(DEFAULT_TIMEOUT, "--timeout", min=0, help=msg("help.timeout")),
    max_memory: int = typer.Option(DEFAULT_MAX_MEMORY, "--max-memory", min=0, help=msg("help.max_memory")),
    from_dir: Path | None = typer.Option(
        None, "--from", help="Load the extraction partitions written by 'directive-nlp batch'."
    ),
    no_ocr: bool = typer.Option(False, "--no-ocr", help="Do not OCR scanned pages."),
    force: bool = typer.Option(False, "--force", help="Re-extract files stored unchanged."),
    lang: str = typer.Option("vi", "--lang", help=LANG_HELP),
) -> None:
    """Extract documents and store them (unchanged files are skipped, changed ones replaced).

    A file counts as unchanged when its path, content (sha256) and the extractor that
    produced its stored extraction are all the same. A file of a document already stored
    (another format of the same notice) is kept as another source of that document.
    """
    from .. import api

    lang = _lang(lang)
    if bool(paths) == bool(from_dir):
        fail(msg("err.ingest_args"))
    jobs = jobs or (os.cpu_count() or 1)
    try:
        store = api.open_store(db, create=True)
    except DirectiveError as e:
        fail(str(e))
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
            fail(str(e))
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


@app.command("docs")
def docs_cmd(
    db: Path | None = typer.Option(None, "--db", help=DB_HELP),
    format: str = typer.Option("table", "--format", "-f", help="table | json"),
    lang: str = typer.Option("vi", "--lang", help=LANG_HELP),
) -> None:
    """List the stored documents (symbol, type, issuer, date, number of tasks)."""
    lang = _lang(lang)
    if format not in ("table", "json"):
        fail(f"unknown format '{format}' (expected table or json)")
    from .. import api

    try:
        docs = api.documents(db)
    except DirectiveError as e:
        fail(str(e))
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
    """Where xlsx reports go by default (``outputs/`` under the project root)."""
    from ..storage.store import default_output_dir as _default

    return _default()


def _resolve_doc(store: Store, ref: str, lang: str) -> dict[str, Any]:
    found = store.find_documents(ref)
    if not found:
        fail(f"no document '{ref}' in {store.path} (see 'directive-nlp docs')")
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


@app.command("obligations")
def obligations_cmd(
    doc: str | None = typer.Argument(None, help="A document: symbol (02-KH/BCĐTW), path or id."),
    db: Path | None = typer.Option(None, "--db", help=DB_HELP),
    unit: str | None = typer.Option(None, "--unit", help="Only tasks this unit leads or supports."),
    due_before: str | None = typer.Option(None, "--due-before", help="Due before YYYY-MM-DD."),
    as_of: str | None = typer.Option(None, "--as-of", help="Reference date (default: today)."),
    overdue: bool = typer.Option(False, "--overdue", help="Only tasks overdue as of --as-of."),
    format: str = typer.Option("table", "--format", "-f", help="table | csv | json | xlsx | md"),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write to FILE (xlsx default: outputs/obligations.xlsx)."
    ),
    lang: str = typer.Option("vi", "--lang", help=LANG_HELP),
    summary: bool = typer.Option(False, "--summary", help="Per-document counts instead of tasks."),
) -> None:
    """List obligations (tasks) of one or every stored document, with filters."""
    lang = _lang(lang)
    if format not in OBLIGATION_FORMATS:
        fail(f"unknown format '{format}' (expected {', '.join(OBLIGATION_FORMATS)})")
    before = _date(due_before, "--due-before")
    ref_date = _date(as_of, "--as-of") or _dt.date.today()
    overdue_as_of = ref_date if overdue else None
    with _open(db, create=False) as store:
        document = _resolve_doc(store, doc, lang) if doc else None
        doc_id = document["id"] if document else None
        try:
            tasks = store.tasks(doc=doc_id, unit=unit, due_before=before, overdue_as_of=overdue_as_of)
            counts = store.summary(doc=doc_id, unit=unit, as_of=ref_date)
        except DirectiveError as e:
            fail(str(e))
    title = _title(lang, document, overdue_as_of, summary, ref_date)
    if summary:
        columns, rows = summary_table(counts, lang)
        payload: Any = counts
    else:
        columns, rows = obligation_table(tasks, lang, extended=format in ("csv", "xlsx"))
        payload = tasks

    if format == "json":
        _write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", output, lang)
    elif format == "csv":
        _write_text(
            to_csv(columns, rows), output, lang, encoding="utf-8-sig"
        )  # BOM: Excel then reads Vietnamese correctly
    elif format == "md":
        _write_text(to_markdown(columns, rows, title, lang), output, lang)
    elif format == "xlsx":
        from ..reports.xlsx import write_xlsx

        target = output or default_output_dir() / "obligations.xlsx"
        sheets: dict[str, Any] = {}
        if not summary:
            sheets[t("sheet.obligations", lang)] = (columns, rows)
        sheets[t("sheet.summary", lang)] = summary_table(counts, lang)
        write_xlsx(sheets, target)
        print(t("msg.wrote", lang, path=target), file=sys.stderr)
    elif not rows:
        typer.echo(t("msg.no_tasks", lang))
    else:
        ratios = None if summary else OBLIGATION_RATIOS
        whole = SUMMARY_KEEP_WHOLE if summary else ()
        if output is None:
            print_table(console, columns, rows, title, lang, ratios, whole)
            return
        output.parent.mkdir(parents=True, exist_ok=True)
        with output.open("w", encoding="utf-8") as f:
            print_table(
                Console(file=f, width=200, color_system=None), columns, rows, title, lang, ratios, whole
            )
        print(t("msg.wrote", lang, path=output), file=sys.stderr)


from . import batch_cmds  # noqa: E402, F401  (registers: batch; until cli/__init__ lists it)
