"""The Typer application shared by every command module."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

app = typer.Typer(
    name="directive-nlp",
    help="Turn Vietnamese directive documents into tracked obligations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
console_err = Console(stderr=True)


def fail(message: str, code: int = 1) -> None:
    """Print one line on stderr and exit with ``code``."""
    print(f"directive-nlp: {message}", file=sys.stderr)
    raise typer.Exit(code)
