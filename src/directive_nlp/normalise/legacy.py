"""Legacy Vietnamese encodings (TCVN3/ABC, VNI, Windows-1258): detection and conversion.

Before Unicode, Vietnamese documents were typed with font encodings:

* TCVN3 (ABC, fonts ``.VnTime`` ...): one byte per precomposed lower-case letter, e.g.
  "Céng hoµ x· héi chñ nghÜa" is "Cộng hoà xã hội chủ nghĩa". Upper-case toned letters live
  in separate fonts (``.VnTimeH``) that reuse the lower-case codes, so the text alone cannot
  tell them apart (the DOCX reader upper-cases runs set in an ``...H`` font).
* VNI (fonts ``VNI-Times`` ...): a base letter followed by a modifier byte, e.g.
  "Coäng hoøa" is "Cộng hòa"; ơ ư đ ĩ ị ỉ ỵ are single bytes.
* Windows-1258: a real code page with combining tone marks (decoded by Python's ``cp1258``
  codec, then NFC-composed).

Such text reaches us either as bytes that are not UTF-8 (``decode_legacy``) or as Unicode
that a converter produced by reading the legacy bytes as Windows-1252 (``fix_legacy_text``).
Conversion happens only when it is confident: the words the conversion changes must be
mostly invalid Vietnamese syllables before and mostly valid ones after. Proper Unicode
Vietnamese is never changed.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata

# ---------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------

# TCVN3 (TCVN 5712:1993 VN3): byte -> Unicode; bytes not listed keep their Windows-1252 meaning.
TCVN3: dict[int, str] = {
    0xA1: "Ă",
    0xA2: "Â",
    0xA3: "Ê",
    0xA4: "Ô",
    0xA5: "Ơ",
    0xA6: "Ư",
    0xA7: "Đ",
    0xA8: "ă",
    0xA9: "â",
    0xAA: "ê",
    0xAB: "ô",
    0xAC: "ơ",
    0xAD: "ư",
    0xAE: "đ",
    0xB5: "à",
    0xB6: "ả",
    0xB7: "ã",
    0xB8: "á",
    0xB9: "ạ",
    0xBB: "ằ",
    0xBC: "ẳ",
    0xBD: "ẵ",
    0xBE: "ắ",
    0xC6: "ặ",
    0xC7: "ầ",
    0xC8: "ẩ",
    0xC9: "ẫ",
    0xCA: "ấ",
    0xCB: "ậ",
    0xCC: "è",
    0xCE: "ẻ",
    0xCF: "ẽ",
    0xD0: "é",
    0xD1: "ẹ",
    0xD2: "ề",
    0xD3: "ể",
    0xD4: "ễ",
    0xD5: "ế",
    0xD6: "ệ",
    0xD7: "ì",
    0xD8: "ỉ",
    0xDC: "ĩ",
    0xDD: "í",
    0xDE: "ị",
    0xDF: "ò",
    0xE1: "ỏ",
    0xE2: "õ",
    0xE3: "ó",
    0xE4: "ọ",
    0xE5: "ồ",
    0xE6: "ổ",
    0xE7: "ỗ",
    0xE8: "ố",
    0xE9: "ộ",
    0xEA: "ờ",
    0xEB: "ở",
    0xEC: "ỡ",
    0xED: "ớ",
    0xEE: "ợ",
    0xEF: "ù",
    0xF1: "ủ",
    0xF2: "ũ",
    0xF3: "ú",
    0xF4: "ụ",
    0xF5: "ừ",
    0xF6: "ử",
    0xF7: "ữ",
    0xF8: "ứ",
    0xF9: "ự",
    0xFA: "ỳ",
    0xFB: "ỷ",
    0xFC: "ỹ",
    0xFD: "ý",
    0xFE: "ỵ",
}

# VNI: single bytes that are whole letters (shown as their Windows-1252 character).
VNI_LETTERS: dict[str, str] = {
    "ô": "ơ",
    "Ô": "Ơ",
    "ö": "ư",
    "Ö": "Ư",
    "ñ": "đ",
    "Ñ": "Đ",
    "æ": "ỉ",
    "Æ": "Ỉ",
    "ó": "ĩ",
    "Ó": "Ĩ",
    "ò": "ị",
    "Ò": "Ị",
    "î": "ỵ",
    "Î": "Ỵ",
}
_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT = "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"
_CIRC, _BREVE = "\u0302", "\u0306"
# VNI modifier bytes that follow a vowel -> combining marks (lower- and upper-case forms).
_VNI_MODS_LOWER: dict[str, str] = {
    "ø": _GRAVE,
    "ù": _ACUTE,
    "û": _HOOK,
    "õ": _TILDE,
    "ï": _DOT,
    "â": _CIRC,
    "á": _CIRC + _ACUTE,
    "à": _CIRC + _GRAVE,
    "å": _CIRC + _HOOK,
    "ã": _CIRC + _TILDE,
    "ä": _CIRC + _DOT,
    "ê": _BREVE,
    "é": _BREVE + _ACUTE,
    "è": _BREVE + _GRAVE,
    "ú": _BREVE + _HOOK,
    "ü": _BREVE + _TILDE,
    "ë": _BREVE + _DOT,
}
VNI_MODIFIERS: dict[str, str] = {**_VNI_MODS_LOWER, **{k.upper(): v for k, v in _VNI_MODS_LOWER.items()}}
_VNI_BASES = set("aeiouyAEIOUYơưƠƯ")
_CIRC_BASES = set("aeoAEO")
_BREVE_BASES = set("aA")

# ---------------------------------------------------------------------------------------
# Vietnamese syllable check (used to judge whether a conversion makes sense)
# ---------------------------------------------------------------------------------------

_TONE_MARKS = {_GRAVE: 2, _ACUTE: 1, _TILDE: 3, _HOOK: 4, _DOT: 5}
_INITIAL = r"(?:ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdđghklmnprstvx])?"
_CORE = r"(?:iê|yê|uô|ươ|ia|ua|ưa|ya|a|ă|â|e|ê|i|y|o|ô|ơ|u|ư)"
_SYLLABLE = re.compile(rf"^(?P<ini>{_INITIAL})(?P<med>[ou]?)(?P<core>{_CORE})(?P<fin>ch|nh|ng|[imnoptuyc])?$")
_WORD = re.compile(r"[^\s0-9.,;:!?()\"'“”‘’\[\]{}/\\|<>=+*&%$#@^_~`\-–—…]+")
# letters that only Unicode Vietnamese has (never produced by reading legacy bytes as cp1252)
_UNICODE_VN = re.compile(r"[ăĂđĐơƠưƯ\u1ea0-\u1ef9]")
_CP1252_EXTRA = {
    ch: b for b in range(0x80, 0xA0) for ch in [bytes([b]).decode("cp1252", errors="ignore")] if ch
}


def _split_tone(word: str) -> tuple[str, int]:
    tone = 0
    base = []
    for ch in unicodedata.normalize("NFD", word):
        if ch in _TONE_MARKS:
            if tone:
                return "", -1  # two tone marks: not a syllable
            tone = _TONE_MARKS[ch]
        else:
            base.append(ch)
    return unicodedata.normalize("NFC", "".join(base)), tone


def is_vietnamese_syllable(word: str) -> bool:
    """Is ``word`` a phonotactically plausible Vietnamese syllable (any case, any tone)?"""
    base, tone = _split_tone(word.lower())
    if tone < 0 or not base:
        return False
    m = _SYLLABLE.match(base)
    if not m:
        return False
    core, fin, med = m.group("core"), m.group("fin") or "", m.group("med")
    if fin in ("ch", "nh") and core not in ("a", "ê", "i", "y"):
        return False
    if fin in ("ng", "c") and core in ("ê", "i", "y"):
        return False
    if fin in ("o", "u") and core in ("o", "u", "ô", "ơ", "uô"):
        return False
    if med and core in ("ô", "ơ", "u", "ư", "ươ", "uô", "ưa", "o") and not (med == "u" and core == "ô"):
        return False
    return not (fin in ("c", "ch", "p", "t") and tone not in (1, 5))


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


# ---------------------------------------------------------------------------------------
# Converters
# ---------------------------------------------------------------------------------------


def _char_byte(ch: str) -> int | None:
    """The legacy byte a character stands for when legacy bytes were read as Windows-1252."""
    o = ord(ch)
    if o < 0x100:
        return o
    return _CP1252_EXTRA.get(ch)


def tcvn3_to_unicode(text: str) -> str:
    """Convert TCVN3 text (legacy bytes read as Windows-1252/Latin-1) to Unicode NFC."""
    out = []
    for ch in text:
        b = _char_byte(ch)
        out.append(TCVN3.get(b, ch) if b is not None and b >= 0x80 else ch)
    return unicodedata.normalize("NFC", "".join(out))


def vni_to_unicode(text: str) -> str:
    """Convert VNI text (legacy bytes read as Windows-1252) to Unicode NFC."""
    out: list[str] = []
    for ch in text:
        prev = out[-1] if out else ""
        base = unicodedata.normalize("NFD", prev)[:1] if prev else ""
        mod = VNI_MODIFIERS.get(ch)
        if mod and base in _VNI_BASES and _modifier_fits(mod, base, prev):
            out[-1] = unicodedata.normalize("NFC", prev + mod)
            continue
        out.append(VNI_LETTERS.get(ch, ch))
    return unicodedata.normalize("NFC", "".join(out))


def _modifier_fits(mod: str, base: str, prev: str) -> bool:
    if len(unicodedata.normalize("NFD", prev)) > 2:
        return False  # already carries a letter mark and a tone
    if mod[0] == _CIRC:
        return base in _CIRC_BASES and _CIRC not in unicodedata.normalize("NFD", prev)
    if mod[0] == _BREVE:
        return base in _BREVE_BASES
    return not any(c in _TONE_MARKS for c in unicodedata.normalize("NFD", prev))


def _cp1252_lenient(data: bytes) -> str:
    """Windows-1252 decoding that keeps the five undefined bytes as Latin-1 code points."""
    if not any(b in (0x81, 0x8D, 0x8F, 0x90, 0x9D) for b in data):
        return data.decode("cp1252")
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in data)


# ---------------------------------------------------------------------------------------
# Detection
# ---------------------------------------------------------------------------------------


def _changed_validity(before: str, after: str) -> tuple[int, float, float]:
    """Over the words a conversion changed: (count, share valid before, share valid after)."""
    wb, wa = _words(before), _words(after)
    if len(wb) != len(wa):
        # conversions never add or remove word characters, but be safe
        wa = wa[: len(wb)]
    pairs = [(b, a) for b, a in zip(wb, wa, strict=False) if b != a]
    if not pairs:
        return 0, 1.0, 0.0
    vb = sum(is_vietnamese_syllable(b) for b, _ in pairs) / len(pairs)
    va = sum(is_vietnamese_syllable(a) for _, a in pairs) / len(pairs)
    return len(pairs), vb, va


def _confident(before: str, after: str) -> tuple[bool, float]:
    n, vb, va = _changed_validity(before, after)
    ok = n >= 1 and va >= 0.8 and vb <= 0.5 and va - vb >= 0.4
    return ok, va * n


def detect_legacy(text: str) -> str | None:
    """Name the legacy encoding ('tcvn3' or 'vni') of Unicode text, or None when it is not."""
    sample = "\n".join(line for line in text[:200000].splitlines() if not _UNICODE_VN.search(line))
    if not sample.strip() or not re.search(r"[\u0080-\u00ff\u0152-\u2122]", sample):
        return None
    best: tuple[float, str] | None = None
    for name, conv in (("tcvn3", tcvn3_to_unicode), ("vni", vni_to_unicode)):
        ok, score = _confident(sample, conv(sample))
        if ok and (best is None or score > best[0]):
            best = (score, name)
    return best[1] if best else None


def convert_legacy(text: str, encoding: str) -> str:
    """Convert Unicode text typed in a legacy font ('tcvn3' or 'vni')."""
    return tcvn3_to_unicode(text) if encoding == "tcvn3" else vni_to_unicode(text)


def convert_if_plausible(text: str, encoding: str) -> str:
    """Convert text known (from its font) to be legacy-encoded, unless it is already Unicode.

    Documents often keep a ``.VnTime`` font name on text that was retyped in Unicode; such
    text contains Unicode-only letters or gets less valid when converted, and is kept.
    """
    if _UNICODE_VN.search(text):
        return text
    conv = convert_legacy(text, encoding)
    n, vb, va = _changed_validity(text, conv)
    return conv if n and va >= vb else text


def fix_legacy_text(text: str) -> str:
    """Convert text that decoded as Unicode but is really TCVN3/VNI font text.

    Works line by line: a line that already contains Unicode-only Vietnamese letters
    (ă đ ơ ư ạ ả ấ …) is never changed, and other lines are converted only when the
    document-level detection is confident and the line itself improves.
    """
    enc = detect_legacy(text)
    if enc is None:
        return text
    out = []
    for line in text.split("\n"):
        if _UNICODE_VN.search(line):
            out.append(line)
            continue
        conv = convert_legacy(line, enc)
        n, vb, va = _changed_validity(line, conv)
        out.append(conv if n and va > vb else line)
    return "\n".join(out)


def fix_legacy_blocks(texts: list[str]) -> list[str]:
    """``fix_legacy_text`` over a list of texts with one document-level detection."""
    enc = detect_legacy("\n".join(texts))
    if enc is None:
        return list(texts)
    out = []
    for t in texts:
        if _UNICODE_VN.search(t):
            out.append(t)
            continue
        conv = convert_legacy(t, enc)
        n, vb, va = _changed_validity(t, conv)
        out.append(conv if n and va > vb else t)
    return out


def _bytes_score(text: str) -> float:
    """Share of non-ASCII words that are valid Vietnamese syllables (0 when none)."""
    words = [w for w in _words(text) if not w.isascii()]
    if not words:
        return 0.0
    return sum(is_vietnamese_syllable(w) for w in words) / len(words)


def decode_legacy(data: bytes) -> str | None:
    """Decode bytes that are not UTF-8 when they fit a known Vietnamese legacy encoding.

    Tries Windows-1258, TCVN3 and VNI and keeps the one whose non-ASCII words are valid
    Vietnamese syllables (at least 85 % of them); returns None when none fits.
    """
    latin = _cp1252_lenient(data)
    candidates: list[tuple[str, str]] = []
    with contextlib.suppress(UnicodeDecodeError):
        candidates.append(("cp1258", unicodedata.normalize("NFC", data.decode("cp1258"))))
    candidates.append(("tcvn3", tcvn3_to_unicode(latin)))
    candidates.append(("vni", vni_to_unicode(latin)))
    best: tuple[float, str] | None = None
    for _name, text in candidates:
        score = _bytes_score(text)
        if score >= 0.85 and (best is None or score > best[0]):
            best = (score, text)
    return best[1] if best else None


__all__ = [
    "decode_legacy",
    "fix_legacy_text",
    "fix_legacy_blocks",
    "detect_legacy",
    "convert_legacy",
    "convert_if_plausible",
    "tcvn3_to_unicode",
    "vni_to_unicode",
    "is_vietnamese_syllable",
    "TCVN3",
]


def repair_blocks(blocks) -> None:
    """Convert legacy-font text the fonts did not reveal, then clean and collapse every
    block's text (and table cells) in place. Shared by the DOCX and PDF readers."""
    from .text import clean, collapse

    units = [c for b in blocks for c in (b.cells if b.cells is not None else [b.text])]
    fixed = iter(fix_legacy_blocks(units))
    for b in blocks:
        if b.cells is not None:
            b.cells = [collapse(clean(next(fixed))) for _ in b.cells]
            b.text = " | ".join(b.cells)
        else:
            b.text = collapse(clean(next(fixed)))
