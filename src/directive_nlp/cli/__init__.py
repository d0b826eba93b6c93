"""Command-line interface: a thin layer over the library.

Each area registers its commands in its own module (``cli/<area>.py``) on the shared
``app``; ``main`` turns expected errors into one line on stderr and exit status 1.
"""

from __future__ import annotations

import sys

from . import (
    extract_cmds,  # noqa: F401  (registers: extract)
    read_cmds,  # noqa: F401  (registers: text, doctor)
)
from .app import app, console_err  # noqa: F401

for _optional in ("store_cmds", "graph_cmds", "gap_cmds", "model_cmds", "status_cmds"):
    try:
        __import__(f"{__name__}.{_optional}")
    except ModuleNotFoundError as _e:  # a command area not built yet
        if _e.name != f"{__name__}.{_optional}":
            raise


def main(argv: list[str] | None = None) -> None:
    from ..errors import DirectiveError

    try:
        app(args=argv, prog_name="directive-nlp", standalone_mode=True)
    except DirectiveError as e:  # pragma: no cover - commands handle their own
        print(f"directive-nlp: {e}", file=sys.stderr)
        sys.exit(1)
