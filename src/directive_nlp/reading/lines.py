"""Rejoin hard-wrapped lines into paragraphs (shared by the text and PDF readers).

A line starts a new paragraph when it opens with an enumerator or bullet, when it is a
Markdown heading or an all-capitals heading, or when the previous line ended a sentence
before the right margin. Everything else continues the previous paragraph: lines that start
in lower case, lines after a line that stops mid-sentence, text after a page break.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# enumerators that open a list item or heading: I. / I- / 1. / 1- / 1.2. / 1) / a) / đ) / (1) / - / + / •
ENUM = re.compile(
    r"^\s*(?:"
    r"(?P<article>Điều\s+\d{1,3})\s*[.:]\s*"
    r"|(?P<roman>[IVXLC]{1,6})\s*[.\-–)]\s*(?=\S)"
    r"|(?P<num>\d{1,3}(?:\.\d{1,3})*)(?:[.)]|\.\)|-(?=\s))\s*(?=\S)"
    r"|(?P<alpha>[a-zđ])\s*\)\s*"
    r"|(?P<alphadot>[a-zđ])\.\s+(?=[^\W\d_])"
    r"|\((?P<paren>\d{1,3}|[a-zđ]|[ivx]{1,5})\)\s*"
    r"|(?P<bullet>[-–—•+*▪◦●])\s*(?=\S)"
    r")"
)
_TERMINAL = re.compile(r"(?:[.:;!?…]|\./\.|[.:;]\)|[.:]\*+|\.[\"”’»])\s*$")


def _lower_start(t: str) -> bool:
    return bool(t) and t[0].islower()


@dataclass
class Line:
    text: str
    indent: int = 0
    md_level: int | None = None
    bold: bool = False
    blank_before: bool = False
    lineno: int = 0
    page: int | None = None
    gap_before: float | None = None  # PDF: vertical gap to the previous line, in line heights
    x0: float | None = None  # PDF: left edge
    x1: float | None = None  # PDF: right edge
    right_margin: float | None = None  # PDF: x1 of a full-width line on this page


def is_all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and not any(c.islower() for c in letters)


def starts_item(text: str) -> bool:
    """Does this line open with a list enumerator or bullet?"""
    m = ENUM.match(text)
    if not m:
        return False
    if m.group("alphadot") and not text[m.end() : m.end() + 1].isupper():
        return False  # "a. b" is a label only before a capital
    if m.group("roman"):
        nxt = text[m.end() : m.end() + 2]
        # "I.MỤC ĐÍCH" (OCR lost the space) is a label, "V.I.P" or "I-ốt" are not
        if not text[m.end() - 1 : m.end()].isspace() and not (nxt[:1].isupper() and nxt[1:2].isupper()):
            return False
    if m.group("num"):
        head = m.group("num").split(".")[0]
        if int(head) > 199 and not (
            text[m.end() - 1 : m.end()].isspace() and text[m.end() : m.end() + 1].isupper()
        ):
            return False  # a number, not a list label (long lists go on: "200. Sở …")
        # "2025. Cụ thể" or "19/6/2025" are not labels; "1.2." and "1." are
        rest = text[m.end() :]
        if not rest or rest[0] in "/%":
            return False
    return True


def _width_stats(lines: list[Line]) -> float:
    lens = sorted(len(ln.text) for ln in lines if len(ln.text) > 20)
    if not lens:
        return 0.0
    return float(lens[int(len(lens) * 0.8)])


def join_lines(lines: list[Line]) -> list[Line]:
    """Merge wrapped lines into paragraph lines (text joined with single spaces)."""
    if not lines:
        return []
    full = _width_stats(lines)
    long_mode = full > 125  # each source line is already a whole paragraph (no wrapped PDF line is that long)
    out: list[Line] = []
    pieces: list[list[str]] = []  # the texts of each paragraph, joined once at the end (linear)
    cur = Line(**{**lines[0].__dict__, "text": ""})
    parts = [lines[0].text]
    prev = lines[0]
    for ln in lines[1:]:
        t = ln.text.strip()
        if _starts_new(prev, ln, t, full, long_mode):
            out.append(cur)
            pieces.append(parts)
            cur = Line(**{**ln.__dict__, "text": ""})
            parts = [t]
        else:
            parts.append(t)
            cur.bold = cur.bold and ln.bold
        prev = ln
    out.append(cur)
    pieces.append(parts)
    for p, texts in zip(out, pieces, strict=True):
        p.text = _SPACES.sub(" ", " ".join(texts)).strip()
    return out


_SPACES = re.compile(r"\s+")


_BLOCK_OPENER = re.compile(r"^(?:Nơi\s+nhận\s*:|TM\.|T/M|K/T|KT\.|PHỤ\s+LỤC|Phụ\s+lục\s+[IVX\d]|STT\s)")


def _starts_new(prev: Line, ln: Line, t: str, full: float, long_mode: bool) -> bool:
    ptxt = prev.text.strip()
    if _BLOCK_OPENER.match(t):
        return True
    if ln.md_level or prev.md_level:
        return True
    if _lower_start(t) and not starts_item(t):
        return False
    if starts_item(t):
        # a short "- Xã hội." after a long line cut mid-name is a wrapped hyphenated name
        m = ENUM.match(t)
        wrapped_name = bool(
            m
            and m.group("bullet")
            and not _TERMINAL.search(ptxt)
            and not long_mode
            and full
            and len(ptxt) >= 0.75 * full
            and len(t) <= 30
            and not is_all_caps(ptxt)
        )
        return not wrapped_name
    if is_all_caps(ptxt):
        # a title in capitals broken over two lines stays one block
        return not (is_all_caps(t) and not _TERMINAL.search(ptxt))
    if is_all_caps(t):
        # an acronym or symbol continuing a sentence ("… tại\nCV 4363/UBND-ĐMPT.") is not a heading
        return not (full and len(ptxt) >= 0.6 * full and not _TERMINAL.search(ptxt))
    if prev.bold != ln.bold and (prev.bold or ln.bold) and long_mode:
        return True
    if long_mode:
        # Markdown-style text: a new line is a new paragraph unless the previous one stopped
        # mid-sentence (page break) or this one starts in lower case
        return bool(_TERMINAL.search(ptxt)) or not ptxt
    if ln.gap_before is not None and ln.gap_before > 1.0:
        return True
    if (
        full
        and t[:1].isupper()
        and not _TERMINAL.search(ptxt)
        and len(ptxt) < 0.85 * full
        and (em := ENUM.match(ptxt)) is not None
        and not em.group("bullet")
        and not long_mode
    ):
        return True  # "2.6. MTTQ các cấp …" heading, then its paragraph
    if full and len(ptxt) < 0.6 * full and t[:1].isupper():
        return True  # the previous line stopped well before the margin: a heading or a paragraph end
    if _TERMINAL.search(ptxt) and not ptxt.endswith(";"):
        if ln.right_margin is not None and prev.x1 is not None:
            return prev.x1 < ln.right_margin - 30
        return not full or len(ptxt) < 0.85 * full
    return False
