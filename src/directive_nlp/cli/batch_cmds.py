"""Command ``batch``: read + extract many files on Dask and write extraction partitions.

A thin layer over ``api.batch``; ``directive-nlp ingest --from DIR`` loads the partitions.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from ..errors import DirectiveError
from ..i18n import msg
from ..ingest import DEFAULT_MAX_MEMORY, DEFAULT_TIMEOUT
from .app import app, fail


@app.command("batch")
def batch_cmd(
    paths: list[Path] = typer.Argument(..., help="Files or folders to extract (recursing)."),
    out: Path = typer.Option(..., "--out", "-o", help="Folder for the extraction partitions (JSONL)."),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="Dask scheduler address (tcp://host:8786); default: a local cluster."
    ),
    workers: int = typer.Option(2, "--workers", "-w", min=1, help="Workers of the local cluster."),
    timeout: float = typer.Option(DEFAULT_TIMEOUT, "--timeout", min=0, help=msg("help.timeout")),
    max_memory: int = typer.Option(DEFAULT_MAX_MEMORY, "--max-memory", min=0, help=msg("help.max_memory")),
    no_ocr: bool = typer.Option(False, "--no-ocr", help="Do not OCR scanned pages."),
    threads: bool = typer.Option(
        False, "--threads", help="Local cluster workers as threads of this process (no worker processes)."
    ),
) -> None:
    """Extract files on a Dask cluster into partitions; load them with 'ingest --from DIR'."""
    from .. import api

    try:
        report = api.batch(
            paths,
            out,
            scheduler=scheduler,
            workers=workers,
            timeout=timeout,
            max_memory=max_memory,
            ocr=not no_ocr,
            processes=not threads,
        )
    except DirectiveError as e:
        fail(str(e))
    collected = report.collected
    for problem in [*collected.problems, *collected.skipped]:
        print(f"directive-nlp: {problem}", file=sys.stderr)
    typer.echo(
        msg("msg.batch_done", files=report.files, failed=report.failed, parts=len(report.partitions), out=out)
    )
    if report.failed or collected.problems:
        raise typer.Exit(1)
