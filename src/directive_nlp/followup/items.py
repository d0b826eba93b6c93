"""Status items: one per task a progress report reports on.

From a status table, each row under the header is an item (group rows such as
"I | NHIỆM VỤ CẤP BÁCH" become the group of the rows below). From prose, each sentence that
states a status ("Phòng Văn hóa - Xã hội đã hoàn thành việc …") is an item; the sentences after
it that state none are its evidence. Sections on problems, proposals and next steps
("II. TỒN TẠI, HẠN CHẾ", "III. KIẾN NGHỊ") hold no items.

Each item keeps its task words, status, unit, evidence (result text and the documents it cites,
written as the report writes them: "Nghị định số 88/2025/NĐ-CP ngày 13/4/2025"), as-of date and
provenance.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..extraction.citations import date_after, find_symbols, parse_date, word_before
from ..model import Block, Extraction
from ..normalise.text import clean, collapse, fold
from .cues import NEUTRAL, decide, find_cues, report_config, status_of
from .recognise import column_roles, is_status_header, mark_columns

_ROMAN_HEADING = re.compile(r"^\s*(?:PHẦN\s+)?[IVXLC]{1,6}\s*[.)/:-]\s*\S", re.IGNORECASE)
_ENUM = re.compile(r"^\s*(?:[-–+•*]\s*|\(?[0-9a-zđ]{1,3}(?:\.\d{1,2})*[.)]\s+)", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.;!?])\s+(?=[-–+•]?\s*[A-ZÀ-ỸĐ(])")
_ROW_NUMBER = re.compile(r"^\s*[0-9IVXLCivxlc]{1,6}(?:\.\d{1,3})*\s*[.)]?\s*$")
MIN_TASK_SYLLABLES = 4
MAX_STATUS_CELL_WORDS = 8


@dataclass
class StatusItem:
    """One reported task."""

    index: int
    text: str  # the task words as the report writes them (status words and unit removed in prose)
    status: str | None  # done | in_progress | overdue | not_started | None (no status stated)
    status_text: str | None = None  # the words that state it ("Đang thực hiện", "đã hoàn thành")
    unit: str | None = None
    evidence: str | None = None  # the result text
    cited: list[str] = field(default_factory=list)  # documents cited, as written with their date
    cites: list[str] = field(default_factory=list)  # their canonical symbols
    assigned_by: list[str] = field(default_factory=list)  # "Văn bản giao" column: canonical symbols
    deadline_text: str | None = None
    as_of: str | None = None  # ISO
    group: str | None = None  # table group row or prose section
    kind: str = "prose"  # table | prose
    block: int | None = None
    page: int | None = None
    span: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "text": self.text,
            "status": self.status,
            "status_text": self.status_text,
            "unit": self.unit,
            "evidence": self.evidence,
            "cited": self.cited,
            "cites": self.cites,
            "assigned_by": self.assigned_by,
            "deadline_text": self.deadline_text,
            "as_of": self.as_of,
            "group": self.group,
            "kind": self.kind,
            "block": self.block,
            "page": self.page,
            "span": list(self.span) if self.span else None,
        }


@dataclass
class ReportItems:
    as_of: str | None
    items: list[StatusItem]


# --------------------------------------------------------------------------- pieces


def citations_in(text: str) -> tuple[list[str], list[str]]:
    """(mentions as written, canonical symbols) of the documents ``text`` cites.

    A mention runs from its type word to its date: "Nghị định số 88/2025/NĐ-CP ngày 13/4/2025".
    """
    written: list[str] = []
    symbols: list[str] = []
    for sm in find_symbols(text):
        start = sm.start
        word = word_before(text, sm.start)
        if word:
            at = text.rfind(word, max(0, sm.start - 80), sm.start)
            if at >= 0:
                start = at
        date, end = date_after(text, sm.end)
        mention = collapse(text[start : end if date else sm.end]).rstrip(",;. ")
        if sm.canonical not in symbols:
            symbols.append(sm.canonical)
            written.append(mention)
    return written, symbols


def as_of_date(texts: Sequence[str]) -> str | None:
    """The report's as-of date: "Đến hết ngày 24/5/2025", "Tính đến ngày 15/11/2025" (the first)."""
    words = sorted((fold(w) for w in report_config().get("as_of_words", [])), key=len, reverse=True)
    for text in texts:
        f = fold(text)
        for w in words:
            pos = f.find(w)
            if pos < 0 or (pos > 0 and f[pos - 1] != " "):
                continue
            # the date follows within a few words; map by word count into the original text
            n_before = len(f[:pos].split()) + len(w.split())
            parts = re.findall(r"\w+|\W+", clean(text))
            seen, cut = 0, 0
            for i, p in enumerate(parts):
                if re.match(r"\w", p):
                    seen += 1
                if seen == n_before:
                    cut = sum(len(x) for x in parts[: i + 1])
                    break
            date = parse_date(clean(text)[cut : cut + 30])
            if date:
                return date
    return None


def _skip_heading(text: str) -> bool | None:
    """True: a section with no status items starts; False: a results section; None: neither."""
    if not _ROMAN_HEADING.match(text):
        return None
    cfg = report_config()
    f = fold(text)
    if any(fold(w) in f for w in cfg.get("skip_sections", [])):
        return True
    if any(fold(w) in f for w in cfg.get("result_sections", [])):
        return False
    return None


def _content_syllables(text: str) -> int:
    """Syllables of ``text`` that can name a task (letters, not generic report words)."""
    generic = {fold(w) for w in report_config().get("generic_words", [])}
    return sum(1 for w in fold(text).split() if w not in generic and not w[0].isdigit())


def _unit_prefix(before: str) -> str | None:
    """The unit a prose item names before its status words ("Công an phường đã hoàn thành …")."""
    s = _ENUM.sub("", before).rsplit(":", 1)[-1].strip(" ,:;-–")  # "Về an toàn thông tin: Công an phường"
    if not s or not s[0].isupper() or len(s.split()) > 12:
        return None
    if fold(s.split()[0]) in {fold(w) for w in ("Việc", "Về", "Đến", "Tính", "Nhìn", "Cơ", "Nhiều", "Đã")}:
        return None
    return s


# --------------------------------------------------------------------------- tables


def _cell(cells: Sequence[str], roles: dict[str, int], role: str) -> str:
    i = roles.get(role)
    return collapse(cells[i]) if i is not None and i < len(cells) else ""


def table_items(blocks: Sequence[Block], report_as_of: str | None) -> list[StatusItem]:
    items: list[StatusItem] = []
    roles: dict[str, int] | None = None
    marks: dict[int, str] = {}
    table: int | None = None
    group: str | None = None
    header_task, after_header = "", False
    for b in blocks:
        if b.kind != "table_row" or not b.cells:
            continue
        if b.table != table:
            table, roles, marks, group = b.table, None, {}, None
        if is_status_header(b.cells):
            roles, marks, group = column_roles(b.cells), mark_columns(b.cells), None
            header_task = _cell(b.cells, roles, "task")
            after_header = True
            continue
        if roles is None:
            continue
        if after_header:
            after_header = False
            sub = mark_columns(b.cells)
            if sub and _cell(b.cells, roles, "task") in ("", header_task):
                marks = sub  # second header row: "Tiến độ" split into "Đã hoàn thành | Đang … | Chưa …"
                continue
        task = _cell(b.cells, roles, "task")
        status_cell = _cell(b.cells, roles, "status")
        marked = [st for i, st in marks.items() if i < len(b.cells) and b.cells[i].strip()]
        if marked and not status_cell:
            status_cell = ", ".join(
                b.cells[i].strip() for i in marks if i < len(b.cells) and b.cells[i].strip()
            )
        result = _cell(b.cells, roles, "result")
        if not task or all(re.fullmatch(r"\(?\d+\)?", c.strip()) for c in b.cells if c.strip()):
            continue  # empty row or the "(1) (2) (3)" column-number row
        if not status_cell and not result:
            group = task  # "I | NHIỆM VỤ CẤP BÁCH | | |"
            continue
        status_text: str | None = status_cell or None
        # a short status cell ("Hoàn thành", "Đang") reads as a status word; a long one
        # ("Tình hình, kết quả thực hiện" written out) as prose
        head = " ".join(status_cell.split()[:MAX_STATUS_CELL_WORDS])
        if marked:
            status = decide(marked)
        elif len(status_cell.split()) <= MAX_STATUS_CELL_WORDS:
            status = status_of(status_cell, cell=True) if status_cell else None
        else:  # prose, else its opening words as a status word ("Hoàn thành. Ngày 15/7 đã …")
            status = status_of(status_cell) or status_of(re.split(r"[.;:,(]", head)[0], cell=True)
        if status is None and result:
            status = status_of(result)
            status_text = status_text or (result if status else None)
        source = _cell(b.cells, roles, "source")
        cited, cites = citations_in(result)
        _, assigned = citations_in(source) if source else ([], [])
        items.append(
            StatusItem(
                index=len(items),
                text=task,
                status=status,
                status_text=status_text,
                unit=_cell(b.cells, roles, "unit") or None,
                evidence=result or None,
                cited=cited,
                cites=cites,
                assigned_by=assigned,
                deadline_text=_cell(b.cells, roles, "deadline") or None,
                as_of=report_as_of,
                group=group,
                kind="table",
                block=b.index,
                page=b.page,
                span=b.span,
            )
        )
    return items


# --------------------------------------------------------------------------- prose


def _sentences(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for part in _SENTENCE.split(text):
        at = text.find(part, pos)
        out.append((max(at, 0), part))
        pos = max(at, 0) + len(part)
    return out


def prose_items(blocks: Sequence[Block], report_as_of: str | None, start: int = 0) -> list[StatusItem]:
    items: list[StatusItem] = []
    skipping = False
    topic: str | None = None
    for b in blocks:
        if b.kind == "table_row":
            continue
        heading = _skip_heading(b.text)
        if heading is not None:
            skipping, topic = heading, collapse(b.text)
            continue
        if skipping:
            continue
        current: StatusItem | None = None
        for offset, sentence in _sentences(clean(b.text)):
            hits = [h for h in find_cues(sentence) if h.cue.status != NEUTRAL]
            status = decide([h.cue.status for h in hits])
            if status is None:
                if current is not None:  # a sentence that says how it went: evidence
                    current.evidence = collapse(f"{current.evidence or ''} {sentence}")
                    more, syms = citations_in(sentence)
                    current.cited += [m for m, s in zip(more, syms, strict=True) if s not in current.cites]
                    current.cites += [s for s in syms if s not in current.cites]
                continue
            first = hits[0]
            if current is not None and not _ENUM.sub("", sentence[: first.start]).strip(" ,;:-–+•"):
                # "… đang tổ chức các lớp tập huấn. Đã tổ chức 4/10 lớp …": a subjectless sentence
                # right after an item says how that item went
                current.evidence = collapse(f"{current.evidence or ''} {sentence}")
                continue
            unit = _unit_prefix(sentence[: first.start])
            # the task words keep the status words: "đã trang bị hệ thống họp trực tuyến" names
            # the task by its verb; the alignment ignores "đã", "đang", "hoàn thành" anyway
            prefix = sentence[: first.start]
            rest = (prefix[: prefix.rfind(unit)] + sentence[first.start :]) if unit else sentence
            words = collapse(_ENUM.sub("", collapse(rest))).strip(" ,;:.-–")
            bare = sentence
            for h in reversed(hits):
                bare = bare[: h.start] + " " + bare[h.end :]
            if _content_syllables(bare) < MIN_TASK_SYLLABLES or _content_syllables(words) < 2:
                current = None
                continue
            cited, cites = citations_in(sentence)
            current = StatusItem(
                index=start + len(items),
                text=words,
                status=status,
                status_text=", ".join(sentence[h.start : h.end] for h in hits),
                unit=unit,
                evidence=collapse(_ENUM.sub("", sentence)),
                cited=cited,
                cites=cites,
                as_of=report_as_of,
                group=topic,
                kind="prose",
                block=b.index,
                page=b.page,
                span=(b.span[0] + offset, b.span[0] + offset + len(sentence)),
            )
            items.append(current)
        if b.kind == "heading" and not items:
            topic = collapse(b.text)
    return items


# --------------------------------------------------------------------------- the report


def extract_items(extraction: Extraction, blocks: Sequence[Block]) -> ReportItems:
    """Every status item of a progress report, with the report's as-of date.

    The as-of date is the first "Đến hết ngày …" / "Tính đến ngày …" of the report, else its date.
    A report with a status table gives the table's rows; its prose items are added only for
    paragraphs outside the table.
    """
    texts = [b.text for b in blocks[:80] if b.kind != "table_row"]
    as_of = as_of_date(texts) or extraction.document.issued_date
    rows = table_items(blocks, as_of)
    prose = prose_items(blocks, as_of, start=len(rows))
    return ReportItems(as_of=as_of, items=rows + prose)
