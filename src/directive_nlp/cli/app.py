"""The Typer application shared by every command module, its global options and its wording.

Help texts are catalogue messages (``i18n.msg("help.…")``) chosen when the command modules are
imported; ``localise`` re-translates a built click command tree into the current language, so a
``--lang`` given anywhere on the command line (or ``DIRECTIVE_NLP_LANG``) decides the language
of every help page, and of click's own words (usage, errors).
"""

from __future__ import annotations

import datetime as _dt
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from rich.console import Console

from ..errors import DirectiveError
from ..i18n import catalogue, check_lang, current_lang, msg, retranslate, set_lang

if TYPE_CHECKING:  # the store (sqlite-utils) is imported when a command opens it
    from ..storage.store import Store

app = typer.Typer(
    name="directive-nlp",
    help=msg("help.app"),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
console_err = Console(stderr=True)

# process-wide switches set by the global options
state: dict[str, bool] = {"debug": False}

# Typer's panel titles -> catalogue key
TYPER_TITLES = {
    "ARGUMENTS_PANEL_TITLE": "click.arguments",
    "OPTIONS_PANEL_TITLE": "click.options",
    "COMMANDS_PANEL_TITLE": "click.commands",
    "ERRORS_PANEL_TITLE": "click.error_title",
    "DEFAULT_STRING": "click.default",
    "REQUIRED_LONG_STRING": "click.required",
}
# the command-line parser's error sentences -> catalogue key (fields: name, detail)
USAGE_ERRORS = (
    (re.compile(r"No such option: (?P<name>\S+)"), "click.no_such_option"),
    (re.compile(r"No such command '(?P<name>[^']*)'"), "click.no_such_command"),
    (re.compile(r"Missing argument (?P<name>'[^']*')"), "click.missing_argument"),
    (re.compile(r"Missing option (?P<name>'[^']*')"), "click.missing_option"),
    (re.compile(r"Got unexpected extra arguments? ?(?:\(s\))? \((?P<name>.*)\)"), "click.extra_argument"),
    (re.compile(r"Option (?P<name>'[^']*') requires an argument"), "click.requires_argument"),
    (re.compile(r"Invalid value for (?P<name>.*?): (?P<detail>.*)", re.S), "click.invalid_value_for"),
    (re.compile(r"Missing command"), "click.missing_command"),
)


def _template(key: str) -> str:
    """The catalogue text of ``key`` in the current language, unformatted (Typer fills it)."""
    return catalogue()[key][current_lang()]


def usage_problem(text: str) -> str:
    """A command-line parser error in the current language (unknown ones as they are)."""
    for pattern, key in USAGE_ERRORS:
        m = pattern.search(text)
        if m:
            fields = {"name": "", "detail": ""} | {k: v for k, v in m.groupdict().items() if v is not None}
            return msg(key, **fields)
    return text


def _usage_error(error: Any) -> None:
    """Replaces Typer's boxed error: one line, in the current language."""
    if type(error).__name__ == "NoArgsIsHelpError":
        return
    ctx = getattr(error, "ctx", None)
    command = ctx.command_path if ctx is not None else "directive-nlp"
    problem = usage_problem(error.format_message())
    print(f"directive-nlp: {msg('click.usage_error', problem=problem, command=command)}", file=sys.stderr)


def install_click_wording() -> None:
    """Make Typer's own words (option panels, usage errors) follow the language."""
    import typer.rich_utils as ru

    for name, key in TYPER_TITLES.items():
        setattr(ru, name, _template(key))
    ru.rich_format_error = _usage_error  # type: ignore[assignment]


def localise(command: Any) -> Any:
    """Re-translate the help texts of a built click command tree into the current language."""
    for attr in ("help", "short_help"):
        value = getattr(command, attr, None)
        if isinstance(value, str):
            setattr(command, attr, retranslate(value))
    get_help_option = getattr(command, "get_help_option", None)
    if get_help_option is not None:  # created on first use: create it now to translate it
        from typer._click import Context

        option = get_help_option(Context(command))
        if option is not None:
            option.help = msg("click.help")
    for param in command.params:
        help_text = getattr(param, "help", None)
        if isinstance(help_text, str):
            param.help = retranslate(help_text)
    for sub in getattr(command, "commands", {}).values():
        localise(sub)
    return command


def help_text(key: str) -> str:
    """A help text of the catalogue (in the language chosen at start-up)."""
    return msg(key)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one line on stderr and exit with ``code``."""
    print(f"directive-nlp: {message}", file=sys.stderr)
    raise typer.Exit(code)


def fail_key(key: str, code: int = 1, **params: Any) -> NoReturn:
    """``fail`` with the catalogue message ``key``."""
    fail(msg(key, **params), code)


def fail_error(error: DirectiveError) -> NoReturn:
    """One line for an expected error; with ``--debug`` the traceback instead."""
    if state["debug"]:
        raise error
    fail(str(error))


def choose_lang(lang: str | None) -> str:
    """A command's ``--lang`` value (None: the global choice), checked; sets the process language."""
    if lang is None:
        return current_lang()
    try:
        return set_lang(check_lang(lang))
    except ValueError:
        fail_key("err.unknown_lang", value=lang)


def check_choice(value: str, choices: tuple[str, ...], what: str = "format") -> str:
    """``value`` when it is one of ``choices``, else one line naming the choices and exit 1."""
    if value not in choices:
        fail_key("err.unknown_choice", what=msg(f"word.{what}"), value=value, choices=" | ".join(choices))
    return value


@app.callback()
def _global_options(
    lang: str | None = typer.Option(None, "--lang", help=msg("help.opt.lang"), show_default=False),
    debug: bool = typer.Option(False, "--debug", help=msg("help.opt.debug")),
) -> None:
    set_lang(None)  # each run starts from the environment's language (not a previous run's)
    choose_lang(lang)
    state["debug"] = state["debug"] or debug


def parse_date(value: str | None, option: str) -> _dt.date | None:
    """A date option: 31/07/2025, 1/7/2025 or 2025-07-31 (``deadlines.parse_day``, the one
    grammar); one line naming the option and exit 1 otherwise."""
    if value is None or not value.strip():
        return None
    from ..extraction.deadlines import parse_day

    day = parse_day(value)
    if day is None:
        fail_key("err.bad_date", option=option, value=value)
    return day


def _no_progress(n: int = 1) -> None:
    """A progress callback that shows nothing."""


def _time_left_bar() -> Any:
    """A transient rich progress bar on stderr: label, bar, done/total, time left."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console_err,
        transient=True,
    )


class progress_bar:  # noqa: N801 - used as a context manager like a function
    """A rich progress bar with the time left, on stderr, when it is a terminal and the job is
    at least ``minimum`` steps; ``with progress_bar(n, label) as advance: advance(k)``."""

    def __init__(self, total: int, label: str, minimum: int = 200):
        self.total, self.label, self.minimum = total, label, minimum
        self._bar: Any = None

    def __enter__(self) -> Callable[[int], None]:
        if self.total < self.minimum or not console_err.is_terminal:
            return _no_progress
        self._bar = _time_left_bar()
        self._bar.__enter__()
        bar, task = self._bar, self._bar.add_task(self.label, total=self.total)

        def advance(n: int = 1) -> None:
            bar.update(task, advance=n)

        return advance

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)


class ocr_progress:  # noqa: N801 - used as a context manager like a function
    """A progress bar with the time left for OCR, drawn from the first page read (its total is
    known only then); ``with ocr_progress() as progress: read(path, progress=progress)``."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> Callable[[int, int], None] | None:
        return self._advance if console_err.is_terminal else None

    def _advance(self, done: int, total: int) -> None:
        if self._bar is None:
            self._bar = _time_left_bar()
            self._bar.__enter__()
            self._task = self._bar.add_task(msg("msg.ocr_progress"), total=total)
        self._bar.update(self._task, completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)


def open_store(db: Path | None, *, create: bool = False) -> Store:
    """The store at ``db``; one line and exit 1 when it cannot be opened."""
    from ..storage.store import Store

    try:
        return Store(db, create=create)
    except DirectiveError as e:
        fail_error(e)


def write_text(text: str, output: Path | None, lang: str | None = None, encoding: str = "utf-8") -> None:
    """``text`` to stdout, or to ``output`` with the one line "Đã ghi …" on stderr."""
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding=encoding)
    print(msg("msg.wrote", lang, path=output), file=sys.stderr)
