"""Errors the CLI turns into one clear line on stderr (never a traceback)."""

from __future__ import annotations

from typing import Any

from .i18n import msg


class DirectiveError(Exception):
    """Base class of every expected failure."""


class InputError(DirectiveError):
    """A file cannot be read: corrupt, encrypted, empty, binary, unsupported, needs OCR…

    ``key`` names the problem in the message catalogue (``i18n``, ``messages.toml``) and
    ``params`` fill its fields; ``str(err)`` is the one-line message, naming the file and the
    problem in the current language.
    """

    def __init__(self, path: str, key: str, **params: Any):
        self.path = str(path)
        self.key = key
        self.params: dict[str, Any] = params
        super().__init__(self.path, key)

    @property
    def problem(self) -> str:
        """The problem in the current language (without the file name)."""
        return msg(self.key, **self.params)

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"


class OCRUnavailable(InputError):
    """A scanned PDF with no text layer, and no Tesseract (with Vietnamese data) installed."""


class NotFoundError(DirectiveError):
    """A document, symbol or unit asked for on the command line does not exist in the store."""
