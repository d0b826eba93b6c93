"""Commands of the follow-up: ``status`` (the task register, ``status set``) and ``report``.

A thin layer over ``followup.api`` and the writers in ``reports.status_register`` and
``reports.periodic_report``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ..errors import DirectiveError
from ..i18n import check_lang, msg
from .app import app, console, fail

if TYPE_CHECKING:
    from ..storage.store import Store

DB_HELP = "SQLite database (default: outputs/directives.db under the project root)."
LANG_HELP = "Language of labels: vi (default) or en."
REGISTER_FORMATS = ("table", "csv", "json", "xlsx", "md", "docx")
REPORT_FORMATS = ("docx", "xlsx", "md")


def _lang(lang: str | None) -> str:
    try:
        return check_lang(lang)
    except ValueError as e:
        fail(str(e))
    return "vi"  # pragma: no cover


def _open(db: Path | None) -> Store:
    from ..storage.store import Store

    try:
        return Store(db, create=False)
    except DirectiveError as e:
        fail(str(e))
    raise AssertionError  # pragma: no cover


def _write_text(text: str, output: Path | None, lang: str, encoding: str = "utf-8") -> None:
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding=encoding)
    print(msg("follow.msg.wrote", lang, path=output), file=sys.stderr)


def _default_output(name: str) -> Path:
    from ..storage.store import default_output_dir

    return default_output_dir() / name


def add_report_edges(G: Any, db: Path | None) -> int:
    """Add the store's ``reports_on`` edges (report -> task) to a graph built from the store."""
    from ..followup.api import report_links
    from ..linking.graph import add_reports_on

    with _open(db) as store:
        links = report_links(store)
    return add_reports_on(G, links)


@app.command("status")
def status_cmd(
    args: list[str] = typer.Argument(
        None,
        help="[DOC] for the register of one document; set TASK STATUS to record a status by hand; "
        "history TASK for every status a task was given (TASK = DOC:TASK_ID or row id).",
    ),
    db: Path | None = typer.Option(None, "--db", help=DB_HELP),
    unit: str | None = typer.Option(None, "--unit", help="Only tasks this unit leads or supports."),
    as_of: str | None = typer.Option(None, "--as-of", help="Reference date dd/mm/yyyy (default: today)."),
    overdue: bool = typer.Option(False, "--overdue", help="Only overdue tasks."),
    unreported: bool = typer.Option(False, "--unreported", help="Only tasks no report mentions."),
    unmatched: bool = typer.Option(False, "--unmatched", help="List the reported items matching no task."),
    format: str = typer.Option("table", "--format", "-f", help="table | csv | json | xlsx | md | docx"),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to FILE."),
    evidence: str | None = typer.Option(None, "--evidence", help="status set: the evidence of the status."),
    lang: str | None = typer.Option(None, "--lang", help=LANG_HELP),
) -> None:
    """The task register: per task its latest status, date, source report and evidence.

    Tasks past their deadline and not done are overdue whatever the last report said; tasks no
    report mentions are unreported. `status set TASK done --evidence "…"` records a status by hand.
    """
    from ..followup import api
    from ..reports import status_register as w

    lang = _lang(lang)
    args = list(args or [])
    if args and args[0] == "set":
        if len(args) != 3:
            fail(msg("err.status_set_usage", lang))
        with _open(db) as store:
            try:
                done = api.set_status(store, args[1], args[2], evidence=evidence, as_of=as_of)
            except DirectiveError as e:
                fail(str(e))
        typer.echo(
            msg(
                "follow.msg.set",
                lang,
                status=done["status"],
                task=f"{done['document']}:{done['task_id']}",
                date=w.dmy(done["as_of"]),
            )
        )
        return
    if args and args[0] == "history":
        if len(args) != 2:
            fail(msg("err.status_usage", lang))
        with _open(db) as store:
            try:
                hist = api.task_history(store, args[1])
            except DirectiveError as e:
                fail(str(e))
        if format == "json":
            _write_text(json.dumps(hist, ensure_ascii=False, indent=1) + "\n", output, lang)
        else:
            w.print_history(console, hist, lang)
        return
    if len(args) > 1:
        fail(msg("err.status_usage", lang))
    if format not in REGISTER_FORMATS:
        fail(msg("err.status_format", lang, format=format, expected=", ".join(REGISTER_FORMATS)))
    with _open(db) as store:
        try:
            reg = api.status_register(
                store,
                args[0] if args else None,
                unit=unit,
                as_of=as_of,
                overdue=overdue,
                unreported=unreported,
            )
        except DirectiveError as e:
            fail(str(e))
    if unmatched:
        if format == "json":
            _write_text(w.unmatched_json(reg), output, lang)
        else:
            w.print_unmatched(console, reg, lang)
        return
    if format == "json":
        _write_text(w.to_json(reg), output, lang)
    elif format == "csv":
        _write_text(w.to_csv(reg, lang), output, lang, encoding="utf-8-sig")
    elif format == "md":
        _write_text(w.to_markdown(reg, lang), output, lang)
    elif format == "xlsx":
        path = w.write_register_xlsx(reg, output or _default_output("status.xlsx"), lang)
        print(msg("follow.msg.wrote", lang, path=path), file=sys.stderr)
    elif format == "docx":
        path = w.write_register_docx(reg, output or _default_output("status.docx"), lang)
        print(msg("follow.msg.wrote", lang, path=path), file=sys.stderr)
    elif not reg.rows:
        typer.echo(msg("follow.msg.no_tasks", lang))
    else:
        if output is None:
            w.print_register(console, reg, lang)
            return
        from rich.console import Console

        output.parent.mkdir(parents=True, exist_ok=True)
        with output.open("w", encoding="utf-8") as fh:
            w.print_register(Console(file=fh, width=200, color_system=None), reg, lang)
        print(msg("follow.msg.wrote", lang, path=output), file=sys.stderr)


@app.command("report")
def report_cmd(
    doc: str = typer.Argument(..., help="The document reported on: symbol, file name, path or id."),
    db: Path | None = typer.Option(None, "--db", help=DB_HELP),
    as_of: str | None = typer.Option(None, "--as-of", help="Reference date dd/mm/yyyy (default: today)."),
    format: str = typer.Option("docx", "--format", "-f", help="docx | xlsx | md"),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to FILE."),
    lang: str | None = typer.Option(None, "--lang", help=LANG_HELP),
) -> None:
    """Draft the periodic report (báo cáo định kỳ) on one document's tasks, overdue first."""
    from ..followup import api
    from ..reports import periodic_report as pr

    lang = _lang(lang)
    if format not in REPORT_FORMATS:
        fail(msg("err.status_format", lang, format=format, expected=", ".join(REPORT_FORMATS)))
    with _open(db) as store:
        try:
            rep = api.periodic_report(store, doc, as_of=as_of)
        except DirectiveError as e:
            fail(str(e))
    if format == "md":
        _write_text(pr.to_markdown(rep, lang), output, lang)
        return
    target = output or _default_output(f"bao_cao_dinh_ky.{format}")
    path = (pr.write_report_docx if format == "docx" else pr.write_report_xlsx)(rep, target, lang)
    print(msg("follow.msg.wrote", lang, path=path), file=sys.stderr)
