"""Errors the CLI turns into one clear line on stderr (never a traceback)."""

from __future__ import annotations


class DirectiveError(Exception):
    """Base class of every expected failure."""


class InputError(DirectiveError):
    """A file cannot be read: corrupt, encrypted, empty, binary, unsupported, needs OCR…

    ``str(err)`` is the one-line message, naming the file and the problem.
    """

    def __init__(self, path: str, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class OCRUnavailable(InputError):
    """A scanned PDF with no text layer, and no Tesseract (with Vietnamese data) installed."""


class NotFoundError(DirectiveError):
    """A document, symbol or unit asked for on the command line does not exist in the store."""
