"""Commands of the reading stage: ``text`` and ``doctor``."""
from __future__ import annotations

import json
from pathlib import Path

import typer

from ..errors import DirectiveError
from .app import app, fail


@app.command("text")
def text_cmd(
    file: Path = typer.Argument(..., help="A PDF, DOCX, TXT or Markdown file."),
    format: str = typer.Option("text", "--format", "-f", help="text | json"),
    no_ocr: bool = typer.Option(False, "--no-ocr", help="Do not OCR scanned pages."),
) -> None:
    """Print the document's normalised text in reading order (one block per line)."""
    from ..reading import read
    try:
        doc = read(file, ocr=not no_ocr)
    except DirectiveError as e:
        fail(str(e))
    if format == "json":
        out = {"path": doc.path, "format": doc.format, "sha256": doc.sha256, "pages": doc.pages,
               "ocr": doc.ocr, "warnings": doc.warnings, "blocks": [b.to_dict() for b in doc.blocks]}
        typer.echo(json.dumps(out, ensure_ascii=False, indent=1))
    elif format == "text":
        for b in doc.blocks:
            typer.echo(b.text)
    else:
        fail(f"unknown format '{format}' (expected text or json)")
