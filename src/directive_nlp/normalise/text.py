"""Text normalisation for Vietnamese.

Two layers, kept apart on purpose:

* ``clean(text)``: what is displayed. Unicode NFC, stray control characters removed,
  non-breaking and odd spaces turned into plain spaces, look-alike letters fixed
  (Ð U+00D0 -> Đ U+0110, ƣ U+01A3 -> ư). The writer's tone-mark placement ("hoá"/"hóa") is kept.
* ``key(text)`` / ``fold(text)`` / ``strip_tones(text)``: what is compared. Lower case, with
  one canonical tone placement (the tone mark moved to the end of its syllable), so "hoá" and
  "hóa", "uỷ" and "ủy" give the same key.
"""

from __future__ import annotations

import re
import unicodedata

# combining tone marks -> digit used in keys
TONES = {"\u0300": "2", "\u0301": "1", "\u0303": "3", "\u0309": "4", "\u0323": "5"}
# other combining marks that belong to the letter (circumflex, breve, horn)
LETTER_MARKS = {"\u0302", "\u0306", "\u031b"}

LOOKALIKES = str.maketrans(
    {
        "\u00d0": "\u0110",  # Ð (Icelandic Eth) -> Đ
        "\u00f0": "\u0111",  # ð -> đ
        "\u0189": "\u0110",  # Ɖ (African D) -> Đ
        "\u01a2": "\u01af",  # Ƣ (OI) -> Ư, seen in PDFs made with legacy fonts
        "\u01a3": "\u01b0",  # ƣ -> ư
        # Cyrillic letters that look Latin, found in symbols copied from web pages ("TT-BTС")
        "\u0410": "A",
        "\u0412": "B",
        "\u0421": "C",
        "\u0415": "E",
        "\u041d": "H",
        "\u041a": "K",
        "\u041c": "M",
        "\u041e": "O",
        "\u0420": "P",
        "\u0422": "T",
        "\u0425": "X",
        "\u0430": "a",
        "\u0441": "c",
        "\u0435": "e",
        "\u043e": "o",
        "\u0440": "p",
        "\u0445": "x",
        "\u0443": "y",
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u3000": " ",
        "\t": " ",
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\ufeff": None,
        "\u00ad": None,
        "\u2028": "\n",
        "\u2029": "\n",
    }
)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[ ]{2,}")


def clean(text: str) -> str:
    """Display-safe text: NFC, no control characters, plain spaces, fixed look-alikes."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text.translate(LOOKALIKES))
    text = _CONTROL.sub("", text)
    return text


def collapse(text: str) -> str:
    """Collapse runs of white space into one space and strip."""
    return re.sub(r"\s+", " ", text).strip()


def _syllable_key(word: str) -> str:
    tone = ""
    base = []
    for ch in unicodedata.normalize("NFD", word):
        if ch in TONES:
            tone = TONES[ch]
        else:
            base.append(ch)
    return unicodedata.normalize("NFC", "".join(base)) + tone


def syllables(text: str) -> list[str]:
    """Lower-cased syllables with a canonical tone suffix (hoá == hóa)."""
    return [_syllable_key(w) for w in re.findall(r"\w+", clean(text).lower())]


def fold(text: str) -> str:
    """Tone-placement-insensitive key that still distinguishes tones: 'hoá' == 'hóa' != 'hoa'."""
    return " ".join(syllables(text))


def strip_tones(text: str) -> str:
    """Lower case without tone marks, keeping â ă ê ô ơ ư đ: 'Ủy ban' -> 'uy ban'."""
    s = unicodedata.normalize("NFD", clean(text).lower())
    s = "".join(ch for ch in s if ch not in TONES)
    return unicodedata.normalize("NFC", s)


def key(text: str) -> str:
    """Loosest matching key: no diacritics at all, đ -> d, punctuation to single spaces.

    Use only where Đ/D confusion cannot change meaning (unit names); never for document
    type abbreviations (HD != HĐ).
    """
    s = unicodedata.normalize("NFD", clean(text).lower())
    s = "".join(ch for ch in s if unicodedata.category(ch) != "Mn")
    s = s.replace("đ", "d")
    s = re.sub(r"[^\w&]+", " ", s)
    return re.sub(r"\s+", " ", s).strip()


def dice(a: str, b: str) -> float:
    """Dice coefficient of the two texts' syllable multisets (the scorer's similarity)."""
    sa, sb = syllables(a), syllables(b)
    if not sa or not sb:
        return 0.0
    pool: dict[str, int] = {}
    for s in sa:
        pool[s] = pool.get(s, 0) + 1
    common = 0
    for s in sb:
        if pool.get(s, 0) > 0:
            pool[s] -= 1
            common += 1
    return 2 * common / (len(sa) + len(sb))


def word_alternation(words: list[str]) -> str:
    """A regex alternation of ``words``, longest first, spaces matching any run of blanks."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))
