"""Text as it comes out of real PDFs and web pages, repaired before extraction.

* syllables split by a space inside a word: "S ố" -> "Số", "Hà N ội" -> "Hà Nội" (a bare
  initial consonant followed by a vowel-initial piece that together make one Vietnamese
  syllable);
* spaces inside numbers and symbols: "78 /202 5 /TT-BCA" -> "78/2025/TT-BCA".

Look-alike letters (Cyrillic "С" in "TT-BTС") are mapped by ``normalise.text.clean``.
"""

from __future__ import annotations

import re

from .legacy import is_vietnamese_syllable
from .text import clean

_ONSETS = frozenset(
    "b c ch d đ g gh gi h k kh l m n ng ngh nh p ph q qu r s t th tr v x".split()  # noqa: SIM905
)
# a bare onset, a space, then a lower-case piece opening with a vowel
_SPLIT = re.compile(
    r"(?<![\wÀ-ỹ])(?P<a>[A-Za-zĐđ]{1,3}) (?P<b>[aăâeêioôơuưyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩị"
    r"òóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ][a-zđà-ỹ]{0,5})(?![\wÀ-ỹ])"
)
# a year broken by a space between two slashes: "/202 5 /"
_YEAR = re.compile(r"(?<=/)\s*(?P<a>(?:19|20)\d{0,2})\s+(?P<b>\d{1,2})(?=\s*/)")
# spaces around a slash between a number and a number or capital: "78 /2025", "06 / QĐ-TTg"
_SLASH = re.compile(r"(?<=\d)\s*/\s*(?=[\dA-ZĐ])|(?<=\d)\s+/(?=\S)")


def _join_split(m: re.Match[str]) -> str:
    a, b = m.group("a"), m.group("b")
    if a.lower() not in _ONSETS:
        return m.group(0)
    joined = a + b
    return joined if is_vietnamese_syllable(joined) else m.group(0)


def _join_year(m: re.Match[str]) -> str:
    year = m.group("a") + m.group("b")
    return year if len(year) == 4 else m.group(0)


def rejoin_syllables(text: str) -> str:
    """ "S ố" -> "Số", "Hà N ội" -> "Hà Nội"."""
    return _SPLIT.sub(_join_split, text)


def fix_symbol_spacing(text: str) -> str:
    """ "78 /202 5 /TT-BCA" -> "78/2025/TT-BCA"."""
    text = _YEAR.sub(_join_year, text)
    return _SLASH.sub("/", text)


def repair(text: str) -> str:
    """All repairs, after ``clean``."""
    return fix_symbol_spacing(rejoin_syllables(clean(text)))


__all__ = ["fix_symbol_spacing", "rejoin_syllables", "repair"]
