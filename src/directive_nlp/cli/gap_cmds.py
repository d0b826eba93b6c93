"""The ``check`` command: gap check of a local plan against the upstream plan it implements.

A thin layer over ``linking.gapcheck.check`` and ``reports.gap_report``. LOCAL and UPSTREAM may
each be a document file (extracted on the fly), an extraction JSON file (``*.json``, e.g. a
gold file or the output of ``directive-nlp extract``), or the symbol / id / file name of a
document in the store (``--db``).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer

from ..errors import DirectiveError
from ..i18n import msg
from ..units import LEVELS as UNIT_LEVELS
from .app import app, check_choice, choose_lang, console, fail, fail_error, fail_key

FORMATS = ("table", "json", "md", "html", "xlsx")
LEVELS = tuple(reversed(UNIT_LEVELS))  # as offered on the command line: lowest first


@dataclass
class Loaded:
    extraction: dict[str, Any]
    text: str | None  # the document's text when it can be had cheaply (dates, restated targets)


def load_input(ref: str, db: Path | None, *, want_text: bool = False) -> Loaded:
    """An extraction (and, for the local plan, its text) from a file, a JSON or the store."""
    from .. import api

    try:
        doc = api.load_document(ref, db, want_text=want_text)
    except DirectiveError as e:
        fail_error(e)
    return Loaded(doc.data if doc.data is not None else doc.extraction.to_dict(), doc.text)


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    print(f"directive-nlp: {msg('msg.wrote', path=output)}", file=sys.stderr)


@app.command("check", help=msg("help.cmd.check"))
def check_cmd(
    local: str = typer.Argument(..., help=msg("help.arg.check_local")),
    against: str = typer.Option(..., "--against", "-a", help=msg("help.opt.against")),
    level: str | None = typer.Option(None, "--level", help=msg("help.opt.check_level")),
    format: str = typer.Option("table", "--format", "-f", help=" | ".join(FORMATS)),
    output: Path | None = typer.Option(None, "--output", "-o", help=msg("help.opt.output_check")),
    lang: str | None = typer.Option(None, "--lang", help=msg("help.opt.lang"), show_default=False),
    db: Path | None = typer.Option(None, "--db", help=msg("help.opt.db")),
    review: Path | None = typer.Option(None, "--review", help=msg("help.opt.review")),
    apply_review_sheet: Path | None = typer.Option(None, "--apply-review", help=msg("help.opt.apply_review")),
    decisions: Path | None = typer.Option(None, "--decisions", help=msg("help.opt.decisions")),
) -> None:
    from ..linking.gapcheck import check
    from ..reports import gap_report

    lang = choose_lang(lang)
    check_choice(format, FORMATS)
    if level is not None:
        check_choice(level, LEVELS, "level")
    if format == "xlsx" and output is None:
        fail_key("err.xlsx_needs_output")
    loc = load_input(local, db, want_text=True)
    up = load_input(against, db)
    result = check(loc.extraction, up.extraction, local_level=level, local_text=loc.text)
    person = _review_for(result, review=review, apply_sheet=apply_review_sheet, decisions=decisions)
    if person is not None:
        from ..linking.review import apply_review

        result = apply_review(result, person)
    if review is not None:
        gap_report.write_review_sheet(result, review, lang)
        rows = sum(1 for it in result["items"] if it.get("applies") or it.get("decided_by") == "person")
        print(f"directive-nlp: {msg('gap.review_written', lang, path=review, rows=rows)}", file=sys.stderr)
    if format == "json":
        _emit(json.dumps(result, ensure_ascii=False, indent=1) + "\n", output)
    elif format == "md":
        _emit(gap_report.to_markdown(result, lang), output)
    elif format == "html":
        _emit(gap_report.to_html(result, lang), output)
    elif format == "xlsx" and output is not None:
        gap_report.write_xlsx(result, output, lang)
        print(f"directive-nlp: {msg('msg.wrote', path=output)}", file=sys.stderr)
    elif output is not None:
        _emit(gap_report.to_markdown(result, lang), output)
    else:
        gap_report.print_report(result, console, lang)


def _load_review(path: Path, result: dict[str, Any], lang: str | None = None) -> Any:
    from ..linking.review import Review

    try:
        rv = Review.load(path)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as e:
        fail(msg("gap.decisions_bad", lang, path=path, detail=e.__class__.__name__))
    if rv.upstream and result.get("upstream") and rv.upstream != result.get("upstream"):
        fail(msg("gap.review_other_pair", lang, path=path, local=rv.local, upstream=rv.upstream))
    return rv


def _review_for(
    result: dict[str, Any], *, review: Path | None, apply_sheet: Path | None, decisions: Path | None
) -> Any:
    """The person's decisions for this check: from ``--decisions``, from the sidecar of the
    ``--review`` / ``--apply-review`` sheet, plus (for ``--apply-review``) those filled in the
    sheet, which are recorded in the sidecar first. None when there are none."""
    from ..linking.review import Review, sidecar_path
    from ..reports.gap_report import read_review_sheet

    found: Review | None = None
    if decisions is not None:
        found = _load_review(decisions, result)
    for sheet in (review, apply_sheet):
        if sheet is not None and sidecar_path(sheet).is_file():
            rv = _load_review(sidecar_path(sheet), result)
            if found is None:
                found = rv
            else:
                found.add(rv.decisions.values())
    if apply_sheet is not None:
        if not apply_sheet.is_file():
            fail(msg("gap.review_no_sheet", path=apply_sheet))
        try:
            filled = read_review_sheet(apply_sheet)
        except (OSError, ValueError, KeyError) as e:
            fail(msg("gap.review_bad_sheet", path=apply_sheet, detail=str(e)[:120]))
        if found is None:
            found = Review(result.get("local"), result.get("upstream"))
        found.add(filled)
        found.local, found.upstream = result.get("local"), result.get("upstream")
        side = found.save(sidecar_path(apply_sheet))
        print(f"directive-nlp: {msg('gap.review_applied', n=len(filled), path=side)}", file=sys.stderr)
    return found
