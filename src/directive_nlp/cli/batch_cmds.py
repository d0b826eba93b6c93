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
from .app import app, fail_error


@app.command("batch", help=msg("help.cmd.batch"))
def batch_cmd(
    paths: list[Path] = typer.Argument(..., help=msg("help.arg.paths")),
    out: Path = typer.Option(..., "--out", "-o", help=msg("help.opt.batch_out")),
    scheduler: str | None = typer.Option(None, "--scheduler", help=msg("help.opt.scheduler")),
    workers: int = typer.Option(2, "--workers", "-w", min=1, help=msg("help.opt.workers")),
    timeout: float = typer.Option(DEFAULT_TIMEOUT, "--timeout", min=0, help=msg("help.timeout")),
    max_memory: int = typer.Option(DEFAULT_MAX_MEMORY, "--max-memory", min=0, help=msg("help.max_memory")),
    no_ocr: bool = typer.Option(False, "--no-ocr", help=msg("help.opt.no_ocr")),
    threads: bool = typer.Option(False, "--threads", help=msg("help.opt.threads")),
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
        fail_error(e)
    collected = report.collected
    for problem in [*collected.problems, *collected.skipped]:
        print(f"directive-nlp: {problem}", file=sys.stderr)
    typer.echo(
        msg("msg.batch_done", files=report.files, failed=report.failed, parts=len(report.partitions), out=out)
    )
    if report.failed or collected.problems:
        raise typer.Exit(1)
