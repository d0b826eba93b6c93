"""The language a person reads (Vietnamese by default, English on request) and the message catalogue.

Every sentence the tool shows a person is looked up here by key: ``msg("err.pdf_encrypted")``.
The catalogue is data (``messages.toml`` beside this file), one table per key with ``vi`` and
``en`` texts and ``str.format`` fields. The language is ``vi`` unless ``set_lang("en")`` was
called (the CLI's ``--lang``) or ``DIRECTIVE_NLP_LANG=en`` is set.

This module sits at the bottom of the package: every stage may import it, it imports nothing
of the package.
"""

from __future__ import annotations

import datetime as _dt
import os
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"
LANG_ENV = "DIRECTIVE_NLP_LANG"

_chosen: str | None = None


def check_lang(lang: str | None) -> str:
    """The language code to use for ``lang`` (None: the current one); ``ValueError`` if unknown."""
    code = (lang or current_lang()).strip().lower()
    if code not in LANGS:
        raise ValueError(f"unknown language '{code}' (expected vi or en)")
    return code


def set_lang(lang: str | None) -> str:
    """Choose the language for the rest of the process (None: back to the environment's)."""
    global _chosen
    _chosen = check_lang(lang) if lang else None
    return current_lang()


def current_lang() -> str:
    """``set_lang``'s choice, else ``$DIRECTIVE_NLP_LANG``, else Vietnamese."""
    if _chosen:
        return _chosen
    env = os.environ.get(LANG_ENV, "").strip().lower()
    return env if env in LANGS else DEFAULT_LANG


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """``{key: {"vi": …, "en": …}}`` from ``messages.toml``."""
    with (Path(__file__).with_name("messages.toml")).open("rb") as fh:
        data = tomllib.load(fh)
    return {key: dict(value) for key, value in data.items()}


def msg(key: str, lang: str | None = None, **params: Any) -> str:
    """The message ``key`` in ``lang`` (default: the current language), formatted with ``params``."""
    entry = catalogue()[key]
    return entry[check_lang(lang)].format(**params)


def format_date(value: str | _dt.date | None) -> str:
    """A date as a person reads it, dd/mm/yyyy in every language: '2025-06-30' -> '30/06/2025'.
    ``None`` gives ''; text that is not an ISO date is kept as it is."""
    if value is None or value == "":
        return ""
    if isinstance(value, _dt.date):
        return value.strftime("%d/%m/%Y")
    try:
        return _dt.date.fromisoformat(value).strftime("%d/%m/%Y")
    except ValueError:
        return value


def lang_from_argv(argv: list[str]) -> str | None:
    """The language asked for by ``--lang X`` / ``--lang=X`` anywhere in ``argv`` (last wins)."""
    found: str | None = None
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            found = argv[i + 1]
        elif arg.startswith("--lang="):
            found = arg.split("=", 1)[1]
    return found


@cache
def _text_index() -> dict[str, str]:
    """Every catalogue text (in any language) -> its key, to re-translate texts chosen earlier."""
    index: dict[str, str] = {}
    for key, entry in catalogue().items():
        for text in entry.values():
            index.setdefault(text, key)
    return index


def retranslate(text: str, lang: str | None = None) -> str:
    """``text`` (a catalogue text without fields, in any language) in ``lang``; others unchanged."""
    key = _text_index().get(text)
    if key is None:
        return text
    try:
        return msg(key, lang)
    except (KeyError, IndexError):
        return text
