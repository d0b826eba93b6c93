"""The ``extract`` command (spec section 1)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from ..errors import DirectiveError
from .app import app, fail


@app.command("extract")
def extract_cmd(
    file: Path = typer.Argument(..., help="A PDF, DOCX, TXT or Markdown file."),
    format: str = typer.Option("json", "--format", "-f", help="json"),
    no_ocr: bool = typer.Option(False, "--no-ocr", help="Do not OCR scanned pages."),
) -> None:
    """Extract document metadata, citations and tasks as the spec's JSON."""
    from ..extraction.pipeline import extract_file

    try:
        ex = extract_file(file, ocr=not no_ocr)
    except DirectiveError as e:
        fail(str(e))
    if format != "json":
        fail(f"unknown format '{format}' (expected json)")
    typer.echo(json.dumps(ex.to_dict(), ensure_ascii=False, indent=1))
