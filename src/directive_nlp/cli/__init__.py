"""Command-line interface: a thin layer over the library.

Each area registers its commands in its own module (``cli/<area>.py``) on the shared ``app``.
``main`` reads the language first (``--lang`` anywhere on the command line, else
``DIRECTIVE_NLP_LANG``, else Vietnamese) so every help text is in that language, turns expected
errors into one line on stderr and exit status 1, and has the one last-resort handler for
anything unexpected (a traceback only with ``--debug``).
"""

from __future__ import annotations

import sys
from typing import Any

from ..i18n import lang_from_argv, msg, set_lang

# The language must be known before the command modules build their help texts.
try:
    set_lang(lang_from_argv(sys.argv[1:]))
except ValueError:
    set_lang(None)  # an unknown --lang is reported by the option itself

from . import (  # noqa: E402  (after choosing the language)
    extract_cmds,  # noqa: F401  (registers: extract)
    gap_cmds,  # noqa: F401  (registers: check)
    graph_cmds,  # noqa: F401  (registers: graph, untracked)
    model_cmds,  # noqa: F401  (registers: build-model, model-status)
    read_cmds,  # noqa: F401  (registers: text, doctor)
    store_cmds,  # noqa: F401  (registers: ingest, docs, obligations, search, units)
)
from .app import app, console_err, install_click_wording, localise, state  # noqa: E402

__all__ = ["app", "console_err", "main"]

GLOBAL_FLAGS = ("--debug",)


def _hoist_globals(command: Any, args: list[str]) -> list[str]:
    """Move ``--lang X`` / ``--debug`` given after a subcommand that lacks them to the front,
    where the application's global options read them."""
    commands = getattr(command, "commands", None) or {}
    sub_at = next((i for i, a in enumerate(args) if a in commands), None)
    if sub_at is None:
        return args
    sub = commands[args[sub_at]]
    own = {opt for p in sub.params for opt in getattr(p, "opts", [])}
    front, rest = args[:sub_at], []
    tail = args[sub_at:]
    i = 0
    while i < len(tail):
        a = tail[i]
        if a == "--lang" and "--lang" not in own and i + 1 < len(tail):
            front += tail[i : i + 2]
            i += 2
            continue
        if a.startswith("--lang=") and "--lang" not in own or a in GLOBAL_FLAGS and a not in own:
            front.append(a)
        else:
            rest.append(a)
        i += 1
    return front + rest


def main(argv: list[str] | None = None) -> None:
    import typer

    from ..errors import DirectiveError

    args = list(sys.argv[1:] if argv is None else argv)
    try:
        set_lang(lang_from_argv(args))
    except ValueError:
        print(f"directive-nlp: {msg('err.unknown_lang', value=lang_from_argv(args))}", file=sys.stderr)
        sys.exit(1)
    state["debug"] = "--debug" in args
    install_click_wording()
    command = localise(typer.main.get_command(app))
    try:
        command.main(args=_hoist_globals(command, args), prog_name="directive-nlp", standalone_mode=True)
    except DirectiveError as e:
        if state["debug"]:
            raise
        print(f"directive-nlp: {e}", file=sys.stderr)
        sys.exit(1)
    except Exception as e:  # the one last-resort handler: one line, the traceback with --debug
        if state["debug"]:
            raise
        print(
            f"directive-nlp: {msg('err.unexpected', error=f'{type(e).__name__}: {e}')}",
            file=sys.stderr,
        )
        sys.exit(1)
