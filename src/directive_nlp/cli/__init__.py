"""Command-line interface: a thin layer over the library.

Each area registers its commands in its own module (``cli/<area>_cmds.py``) on the shared
``app``. ``main`` reads the language first (``--lang`` anywhere on the command line, else
``DIRECTIVE_NLP_LANG``, else Vietnamese) so every help text is in that language, turns expected
errors into one line on stderr and exit status 1, and has the one last-resort handler for
anything unexpected (a traceback only with ``--debug``).

Command modules are imported lazily: ``main`` imports only the module of the command being
run (``COMMANDS`` says which; any other invocation, ``--help`` included, imports them all),
so ``directive-nlp extract FILE`` does not pay for the store, graph or gap-check commands.
``directive_nlp.cli.app`` (for tests and embedding) is the app with every command registered.
"""

from __future__ import annotations

import pkgutil
import sys
import types
from importlib import import_module
from typing import TYPE_CHECKING, Any

from ..i18n import lang_from_argv, msg, set_lang

if TYPE_CHECKING:
    import typer

# The language must be known before a command module builds its help texts (embedding and tests
# that import the app; ``main`` sets it again from its own arguments).
try:
    set_lang(lang_from_argv(sys.argv[1:]))
except ValueError:
    set_lang(None)  # an unknown --lang is reported by main

# command name -> the module under cli/ that registers it; a command missing here still works
# (its module is found by the full import), it only loses the fast start
COMMANDS: dict[str, str] = {
    "extract": "extract_cmds",
    "text": "read_cmds",
    "doctor": "read_cmds",
    "ingest": "store_cmds",
    "docs": "store_cmds",
    "obligations": "store_cmds",
    "search": "store_cmds",
    "units": "store_cmds",
    "batch": "batch_cmds",
    "graph": "graph_cmds",
    "untracked": "graph_cmds",
    "check": "gap_cmds",
    "status": "status_cmds",
    "report": "status_cmds",
    "build-model": "model_cmds",
    "model-status": "model_cmds",
}


# imported with a lone command's module: Typer runs an app of one command and no callback
# without the command's name, so a second (cheap) module keeps the group form
_COMPANION = "read_cmds"


def command_modules() -> list[str]:
    """Every command module of this package (``*_cmds``): those of ``COMMANDS`` in its order
    (the order of ``--help``), then any other."""
    found = {m.name for m in pkgutil.iter_modules(__path__) if m.name.endswith("_cmds")}
    known = list(dict.fromkeys(m for m in COMMANDS.values() if m in found))
    return known + sorted(found - set(known))


def _load(modules: list[str]) -> typer.Typer:
    for name in modules:
        import_module(f"{__name__}.{name}")
    app: typer.Typer = sys.modules[f"{__name__}.app"].app
    return app


def full_app() -> typer.Typer:
    """The app with every command registered."""
    return _load(command_modules())


def app_for(argv: list[str]) -> typer.Typer:
    """The app with the commands needed to run ``argv``: the named command's module only,
    or all of them (help, an unknown or misspelt command)."""
    command = next((a for a in argv if a in COMMANDS), None)
    if command is None or any(a in ("--help", "-h") for a in argv[: argv.index(command)]):
        return full_app()
    app = _load([COMMANDS[command]])
    if len(app.registered_commands) < 2 and app.registered_callback is None:
        app = _load([_COMPANION])
    return app


class _CliPackage(types.ModuleType):
    """This package, whose ``app`` attribute is always the full Typer app: importing the
    submodule ``cli/app.py`` would otherwise bind the module object to that name."""

    @property
    def app(self) -> typer.Typer:
        return full_app()

    @app.setter
    def app(self, value: object) -> None:
        pass  # the import system binding the submodule ``cli.app``: keep the Typer app visible

    @property
    def console_err(self) -> Any:
        from .app import console_err

        return console_err


sys.modules[__name__].__class__ = _CliPackage


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
    from .app import install_click_wording, localise, state

    args = list(sys.argv[1:] if argv is None else argv)
    try:
        set_lang(lang_from_argv(args))
    except ValueError:
        print(f"directive-nlp: {msg('err.unknown_lang', value=lang_from_argv(args))}", file=sys.stderr)
        sys.exit(1)
    state["debug"] = "--debug" in args
    install_click_wording()
    command = localise(typer.main.get_command(app_for(args)))
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
