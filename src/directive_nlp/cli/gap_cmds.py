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
from .app import app, console, fail

FORMATS = ("table", "json", "md", "html", "xlsx")
LEVELS = ("commune", "province", "central")


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
        fail(str(e))
    return Loaded(doc.data if doc.data is not None else doc.extraction.to_dict(), doc.text)


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    print(f"directive-nlp: wrote {output}", file=sys.stderr)


@app.command("check")
def check_cmd(
    local: str = typer.Argument(
        ..., help="The local plan: a document file, an extraction JSON, or a stored symbol/id."
    ),
    against: str = typer.Option(
        ..., "--against", "-a", help="The upstream document it implements (same forms)."
    ),
    level: str | None = typer.Option(
        None,
        "--level",
        help="Level of the local plan: commune, province or central (default: from its issuer).",
    ),
    format: str = typer.Option("table", "--format", "-f", help="table | json | md | html | xlsx"),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write the report here (required for xlsx)."
    ),
    lang: str = typer.Option("vi", "--lang", help="Language of labels: vi (default) or en."),
    db: Path | None = typer.Option(
        None, "--db", help="SQLite store for symbols/ids (default: outputs/directives.db)."
    ),
) -> None:
    """Check which upstream tasks the local plan covers, carries in part, distorts or misses."""
    from ..linking.gapcheck import check
    from ..reports import gap_report
    from ..reports.labels import check_lang

    if format not in FORMATS:
        fail(f"unknown format '{format}' (expected {', '.join(FORMATS)})")
    if level is not None and level not in LEVELS:
        fail(f"unknown level '{level}' (expected {', '.join(LEVELS)})")
    try:
        lang = check_lang(lang)
    except ValueError as e:
        fail(str(e))
    if format == "xlsx" and output is None:
        fail("--format xlsx needs --output FILE.xlsx")
    loc = load_input(local, db, want_text=True)
    up = load_input(against, db)
    result = check(loc.extraction, up.extraction, local_level=level, local_text=loc.text)
    if format == "json":
        _emit(json.dumps(result, ensure_ascii=False, indent=1) + "\n", output)
    elif format == "md":
        _emit(gap_report.to_markdown(result, lang), output)
    elif format == "html":
        _emit(gap_report.to_html(result, lang), output)
    elif format == "xlsx":
        gap_report.write_xlsx(result, output, lang)
        print(f"directive-nlp: wrote {output}", file=sys.stderr)
    elif output is not None:
        _emit(gap_report.to_markdown(result, lang), output)
    else:
        gap_report.print_report(result, console, lang)
