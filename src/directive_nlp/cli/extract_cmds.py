"""The ``extract`` command (spec section 1)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from ..errors import DirectiveError
from ..i18n import msg
from .app import app, check_choice, fail_error, ocr_progress

EXTRACT_FORMATS = ("json",)


@app.command("extract", help=msg("help.cmd.extract"))
def extract_cmd(
    file: Path = typer.Argument(..., help=msg("help.arg.file")),
    format: str = typer.Option("json", "--format", "-f", help=msg("help.opt.format_json")),
    no_ocr: bool = typer.Option(False, "--no-ocr", help=msg("help.opt.no_ocr")),
) -> None:
    from ..extraction.pipeline import extract_file

    check_choice(format, EXTRACT_FORMATS)
    try:
        with ocr_progress() as progress:
            ex = extract_file(file, ocr=not no_ocr, progress=progress)
    except DirectiveError as e:
        fail_error(e)
    typer.echo(json.dumps(ex.to_dict(), ensure_ascii=False, indent=1))
