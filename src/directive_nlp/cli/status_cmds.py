"""Commands of the follow-up: ``status`` (the task register, ``status set``) and ``report``.

A thin layer over ``tracking`` and the writers in ``reports.status_register`` and
``reports.periodic_report``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ..errors import DirectiveError
from ..i18n import msg
from .app import app, choose_lang, console, fail, fail_error, open_store, write_text

if TYPE_CHECKING:
    pass

DB_HELP = msg("help.opt.db")
LANG_HELP = msg("help.opt.lang")
AS_OF_HELP = msg("help.opt.as_of")
REGISTER_FORMATS = ("table", "csv", "json", "xlsx", "md", "docx")
REPORT_FORMATS = ("docx", "xlsx", "md")


def _default_output(name: str) -> Path:
    from ..storage.store import default_output_dir

    return default_output_dir() / name


def add_report_edges(G: Any, db: Path | None) -> int:
    """Add the store's ``reports_on`` edges (report -> task) to a graph built from the store."""
    from ..linking.graph import add_reports_on
    from ..tracking import report_links

    with open_store(db) as store:
        links = report_links(store)
    return add_reports_on(G, links)


@app.command("status", help=msg("help.cmd.status"))
def status_cmd(
    args: list[str] = typer.Argument(None, help=msg("help.arg.status")),
    db: Path | None = typer.Option(None, "--db", help=DB_HELP),
    unit: str | None = typer.Option(None, "--unit", help=msg("help.opt.unit")),
    as_of: str | None = typer.Option(None, "--as-of", help=AS_OF_HELP),
    overdue: bool = typer.Option(False, "--overdue", help=msg("help.opt.overdue_status")),
    unreported: bool = typer.Option(False, "--unreported", help=msg("help.opt.unreported")),
    unmatched: bool = typer.Option(False, "--unmatched", help=msg("help.opt.unmatched")),
    format: str = typer.Option("table", "--format", "-f", help=" | ".join(REGISTER_FORMATS)),
    output: Path | None = typer.Option(None, "--output", "-o", help=msg("help.opt.output")),
    evidence: str | None = typer.Option(None, "--evidence", help=msg("help.opt.evidence")),
    lang: str | None = typer.Option(None, "--lang", help=LANG_HELP, show_default=False),
) -> None:
    from .. import tracking as api
    from ..reports import status_register as w

    lang = choose_lang(lang)
    args = list(args or [])
    if args and args[0] == "set":
        if len(args) != 3:
            fail(msg("err.status_set_usage", lang))
        with open_store(db) as store:
            try:
                done = api.set_status(store, args[1], args[2], evidence=evidence, as_of=as_of)
            except DirectiveError as e:
                fail_error(e)
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
        with open_store(db) as store:
            try:
                hist = api.task_history(store, args[1])
            except DirectiveError as e:
                fail_error(e)
        if format == "json":
            write_text(json.dumps(hist, ensure_ascii=False, indent=1) + "\n", output, lang)
        else:
            w.print_history(console, hist, lang)
        return
    if len(args) > 1:
        fail(msg("err.status_usage", lang))
    if format not in REGISTER_FORMATS:
        fail(msg("err.status_format", lang, format=format, expected=", ".join(REGISTER_FORMATS)))
    with open_store(db) as store:
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
            fail_error(e)
    if unmatched:
        if format == "json":
            write_text(w.unmatched_json(reg), output, lang)
        else:
            w.print_unmatched(console, reg, lang)
        return
    if format == "json":
        write_text(w.to_json(reg), output, lang)
    elif format == "csv":
        write_text(w.to_csv(reg, lang), output, lang, encoding="utf-8-sig")
    elif format == "md":
        write_text(w.to_markdown(reg, lang), output, lang)
    elif format == "xlsx":
        path = w.write_register_xlsx(reg, output or _default_output("status.xlsx"), lang)
        print(msg("msg.wrote", lang, path=path), file=sys.stderr)
    elif format == "docx":
        path = w.write_register_docx(reg, output or _default_output("status.docx"), lang)
        print(msg("msg.wrote", lang, path=path), file=sys.stderr)
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
        print(msg("msg.wrote", lang, path=output), file=sys.stderr)


@app.command("report", help=msg("help.cmd.report"))
def report_cmd(
    doc: str = typer.Argument(..., help=msg("help.arg.doc")),
    db: Path | None = typer.Option(None, "--db", help=DB_HELP),
    as_of: str | None = typer.Option(None, "--as-of", help=AS_OF_HELP),
    format: str = typer.Option("docx", "--format", "-f", help=" | ".join(REPORT_FORMATS)),
    output: Path | None = typer.Option(None, "--output", "-o", help=msg("help.opt.output")),
    lang: str | None = typer.Option(None, "--lang", help=LANG_HELP, show_default=False),
) -> None:
    from .. import tracking as api
    from ..reports import periodic_report as pr

    lang = choose_lang(lang)
    if format not in REPORT_FORMATS:
        fail(msg("err.status_format", lang, format=format, expected=", ".join(REPORT_FORMATS)))
    with open_store(db) as store:
        try:
            rep = api.periodic_report(store, doc, as_of=as_of)
        except DirectiveError as e:
            fail_error(e)
    if format == "md":
        write_text(pr.to_markdown(rep, lang), output, lang)
        return
    target = output or _default_output(f"bao_cao_dinh_ky.{format}")
    path = (pr.write_report_docx if format == "docx" else pr.write_report_xlsx)(rep, target, lang)
    print(msg("msg.wrote", lang, path=path), file=sys.stderr)
