"""Command-line interface: a thin layer over the library.

Each area registers its commands in its own module (``cli/<area>_cmds.py``) on the shared
``app``; ``main`` turns expected errors into one line on stderr and exit status 1.

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

if TYPE_CHECKING:
    import typer

# command name -> the module under cli/ that registers it; a command missing here still works
# (its module is found by the full import), it only loses the fast start
COMMANDS: dict[str, str] = {
    "extract": "extract_cmds",
    "text": "read_cmds",
    "doctor": "read_cmds",
    "ingest": "store_cmds",
    "docs": "store_cmds",
    "obligations": "store_cmds",
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


def main(argv: list[str] | None = None) -> None:
    from ..errors import DirectiveError

    args = list(sys.argv[1:] if argv is None else argv)
    app = app_for(args)
    try:
        app(args=args, prog_name="directive-nlp", standalone_mode=True)
    except DirectiveError as e:  # pragma: no cover - commands handle their own
        print(f"directive-nlp: {e}", file=sys.stderr)
        sys.exit(1)
