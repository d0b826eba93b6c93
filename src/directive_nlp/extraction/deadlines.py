"""Deadline expressions (spec section 3, ``deadline``).

Directive deadlines are a small closed grammar: "trước ngày 25/6/2025", "trong tháng 8/2025",
"quý III/2026", "từ tháng 01/2025 đến tháng 4/2025", "hằng tháng", "thường xuyên", "ngay".

``find_deadlines(text, field=...)`` returns every expression found with a strength;
``choose(hits)`` applies the spec's preference (a date beats no date; recurring, then a
standing duty, then "ngay"). In running text a date only counts as a deadline after a cue
word ("trước", "trong", "hoàn thành", "đến" …), so the date of a cited document
("Quyết định số 08/2023/QĐ-TTg, ngày 05/4/2023") is never taken for a deadline. In a field
("Thời gian hoàn thành: …", a table's deadline column) every expression counts.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from dataclasses import dataclass

from ..model import Deadline

# strengths, higher wins
DATED, RECURRING, ONGOING, PHASE, WEAK_ONGOING, IMMEDIATE = 60, 50, 40, 30, 20, 10

ROMAN_Q = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}

_D = r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*((?:19|20)\d{2})"
_DWORDS = r"(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+((?:19|20)\d{2})"
_M = r"tháng\s*(\d{1,2})\s*(?:[/.\-]\s*|\s+năm\s+)((?:19|20)\d{2})"
_Q = r"quý\s*(IV|I{1,3}|[1-4])\s*(?:[/.\-]\s*|\s+năm\s+)((?:19|20)\d{2})"
_Y = r"năm\s+((?:19|20)\d{2})"

STRONG_CUES = r"(?:trước|trong|hoàn\s+thành|xong|chậm\s+nhất|hạn\s+chót|hạn|cuối|kết\s+thúc)"
WEAK_CUES = r"(?:đến|hết|vào|tới)"
_CUE_BEFORE = re.compile(
    r"(?:" + STRONG_CUES + "|" + WEAK_CUES + r")(?:\s+(?:ngày|hết|năm|tháng|quý))?[\s:]*$", re.I
)
_STRONG_BEFORE = re.compile(
    STRONG_CUES + r"(?:\s+(?:ngày|hết|năm|tháng|quý))?(?:\s+(?:ngày|hết))?[\s:]*$", re.I
)
_NOT_DEADLINE_AFTER = re.compile(r"^\s*,?\s*tầm\s+nhìn", re.I)
_NOT_DEADLINE_BEFORE = re.compile(r"(tầm\s+nhìn|giai\s+đoạn[\s\d\-–]*|từ\s+(ngày\s+)?|của\s+|ngày\s+)$", re.I)

_RECURRING = re.compile(
    r"(trước\s+\d{1,2}\s*giờ\s+(?:hằng|hàng)\s+ngày|trước\s+ngày\s+\d{1,2}\s+(?:hằng|hàng)\s+tháng"
    r"|định\s+kỳ(?:\s+(?:hằng|hàng)\s+(?:ngày|tuần|tháng|quý|năm))?(?:\s*\([^)]{0,40}\))?"
    r"|(?:hằng|hàng)\s+(?:ngày|tuần|tháng|quý)"
    # relative and yearly rules of working rules and programmes: "trong tháng 01 hằng năm",
    # "trước ngày 15 của tháng cuối quý", "trong thời hạn 05 ngày làm việc kể từ …"
    r"|trong\s+tháng\s+\d{1,2}\s+(?:hằng|hàng)\s+năm"
    r"|trước\s+ngày\s+\d{1,2}(?:\s+tháng\s+\d{1,2})?\s+(?:hằng|hàng)\s+năm"
    r"|trước\s+ngày\s+\d{1,2}\s+của\s+tháng\s+(?:cuối|đầu)\s+(?:quý|năm)"
    r"|trong\s+thời\s+hạn\s+\d{1,3}\s+ngày(?:\s+làm\s+việc)?\s+kể\s+từ)",
    re.I,
)
_RECURRING_FIELD = re.compile(r"(?:hằng|hàng)\s+năm|mỗi\s+(?:ngày|tuần|tháng|quý|năm)", re.I)
_ONGOING_STRONG = re.compile(
    r"(nhiệm\s+vụ\s+thường\s+xuyên|(?:thực\s+hiện|triển\s+khai)(?:\s+thực\s+hiện)?(?:\s+ngay)?\s*(?:và|,)?\s*thường\s+xuyên"
    r"|^\W*thường\s+xuyên\W*$)",
    re.I,
)
# "công việc thường xuyên", "chi thường xuyên" name routine work and recurrent spending, no deadline
_ONGOING_WEAK = re.compile(
    r"(?<!công việc )(?<!hoạt động )(?<!chi )thường\s+xuyên|theo\s+thời\s+gian\s+thực|liên\s+tục", re.I
)
_IMMEDIATE = re.compile(
    r"((?:triển\s+khai|thực\s+hiện|tổ\s+chức|thực\s+thi|thi\s+hành|ban\s+hành)(?:\s+thực\s+hiện)?\s+ngay(?!\s+(?:từ|sau|khi))"
    r"|ngay\s+lập\s+tức)",
    re.I,
)
_IMMEDIATE_FIELD = re.compile(r"\bngay\b", re.I)
_HALF_YEAR = re.compile(r"6\s+tháng\s+(đầu|cuối)\s+năm\s+((?:19|20)\d{2})", re.I)
_RANGE = re.compile(
    r"từ\s+(?P<a>.{4,30}?)\s+(?:đến|tới)\s+(?:hết\s+)?(?P<b>(?:ngày\s+|tháng\s+|quý\s+|năm\s+)?[^,;()]{4,25})",
    re.I,
)
_START_ONLY = re.compile(
    r"(?P<imm>ngay\s+)?từ\s+(?P<a>(?:ngày\s+|tháng\s+|quý\s+|năm\s+)?[\dIV/.\-\s]{4,12}\d)", re.I
)
_BARE_MONTH = re.compile(r"^\s*(?:tháng\s*)?(\d{1,2})\s*[/.\-]\s*((?:19|20)\d{2})\b", re.I)
_BARE_YEAR = re.compile(r"^\s*(?:năm\s*)?((?:19|20)\d{2})\s*$", re.I)
_YEAR_RANGE = re.compile(r"^\s*(?:giai\s+đoạn\s+|năm\s+)?((?:19|20)\d{2})\s*[-–]\s*((?:19|20)\d{2})\b", re.I)
_LEAD_YEAR = re.compile(r"^\s*(?:năm\s*)?((?:19|20)\d{2})\b(?!\s*[/\-–.]\s*\d)", re.I)


@dataclass
class DeadlineHit:
    deadline: Deadline
    span: tuple[int, int]
    strength: int
    strong_cue: bool = False


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        last = calendar.monthrange(y, m)[1]
    except (ValueError, calendar.IllegalMonthError):
        return None
    if not 1 <= d <= last:
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def _month_end(y: int, m: int) -> str | None:
    if not 1 <= m <= 12:
        return None
    return _iso(y, m, calendar.monthrange(y, m)[1])


_DAY_ONLY = re.compile(r"[\d/.\-]+")


def parse_day(text: str) -> _dt.date | None:
    """One day as a person types it: 31/07/2025, 1/7/2025, 31-07-2025 or ISO 2025-07-31.

    The one date grammar for dates given on the command line and in sheets; None when ``text``
    is not exactly one valid day.
    """
    text = text.strip()
    if not _DAY_ONLY.fullmatch(text):
        return None
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        pass
    point = parse_point(text)
    if point is None or point[0] != "by_date" or point[1] is None:
        return None
    return _dt.date.fromisoformat(point[1])


def parse_point(s: str, *, end: bool = True) -> tuple[str, str | None] | None:
    """Parse one date expression -> (kind, iso date: the end of the period, or its start)."""
    s = s.strip()
    m = re.match(_D, s) or re.match(r"ngày\s+" + _D, s, re.I)
    if m:
        d = _iso(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return ("by_date", d) if d else None
    m = re.match(r"(?:ngày\s+)?" + _DWORDS, s, re.I)
    if m:
        d = _iso(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return ("by_date", d) if d else None
    m = re.match(_M, s, re.I) or _BARE_MONTH.match(s)
    if m:
        y, mo = int(m.group(2)), int(m.group(1))
        if not 1 <= mo <= 12:
            return None
        return ("in_month", _month_end(y, mo) if end else _iso(y, mo, 1))
    m = re.match(_Q, s, re.I)
    if m:
        q = ROMAN_Q[m.group(1).lower()]
        y = int(m.group(2))
        return ("in_quarter", _month_end(y, q * 3) if end else _iso(y, q * 3 - 2, 1))
    m = re.match(_Y, s, re.I) or _BARE_YEAR.match(s)
    if m:
        y = int(m.group(1))
        return ("in_year", f"{y}-12-31" if end else f"{y}-01-01")
    return None


_POINT = re.compile(r"(?:ngày\s+)?(?:" + _D + r"|" + _DWORDS + r")|" + _M + r"|" + _Q + r"|" + _Y, re.I)


def find_deadlines(text: str, *, field: bool = False) -> list[DeadlineHit]:
    """Every deadline expression in ``text`` (``field``: the text is a deadline field's value)."""
    hits: list[DeadlineHit] = []
    if not text:
        return hits
    # characters already covered by a hit: a check costs the span's length, not the number of
    # hits so far (a list of spans made many dates in one text quadratic)
    taken = bytearray(len(text))

    def free(a: int, b: int) -> bool:
        return taken.find(1, a, b) < 0

    def add(dl: Deadline, a: int, b: int, strength: int, strong: bool = False) -> None:
        hits.append(DeadlineHit(dl, (a, b), strength, strong))
        taken[a:b] = b"\x01" * (b - a)

    for m in _HALF_YEAR.finditer(text):
        y = int(m.group(2))
        start, due = (
            (f"{y}-01-01", f"{y}-06-30") if m.group(1).lower() == "đầu" else (f"{y}-07-01", f"{y}-12-31")
        )
        add(Deadline("range", due, start, m.group(0)), m.start(), m.end(), DATED, True)
    for m in _RANGE.finditer(text):
        if not free(m.start(), m.end()):
            continue
        pa, pb = parse_point(m.group("a"), end=False), parse_point(m.group("b"))
        if pa and pb and pa[1] and pb[1]:
            add(Deadline("range", pb[1], pa[1], m.group(0).strip()), m.start(), m.end(), DATED, True)
    if field:
        for m in _START_ONLY.finditer(text):
            if not free(m.start(), m.end()):
                continue
            p = parse_point(
                re.sub(r"^(ngày|tháng|quý|năm)\s+", lambda x: x.group(0), m.group("a")), end=False
            )
            if p and p[1]:
                kind = "immediate" if m.group("imm") else "ongoing"
                add(
                    Deadline(kind, None, p[1], text.strip()),
                    m.start(),
                    m.end(),
                    ONGOING if kind == "ongoing" else IMMEDIATE + 5,
                )
    for m in _POINT.finditer(text):
        if not free(m.start(), m.end()):
            continue
        before = text[max(0, m.start() - 40) : m.start()]
        after = text[m.end() : m.end() + 20]
        if _NOT_DEADLINE_AFTER.match(after):
            continue
        cue = _CUE_BEFORE.search(before)
        if not field and (
            not cue or _NOT_DEADLINE_BEFORE.search(before) and not _STRONG_BEFORE.search(before)
        ):
            continue
        p = parse_point(m.group(0))
        if not p or not p[1]:
            continue
        strong = bool(_STRONG_BEFORE.search(before)) or field
        a = cue.start() + max(0, m.start() - 40) if cue else m.start()
        add(Deadline(p[0], p[1], None, text[a : m.end()].strip()), a, m.end(), DATED, strong)
    if field:
        ym = _YEAR_RANGE.match(text)
        if ym and free(ym.start(), ym.end()) and int(ym.group(2)) >= int(ym.group(1)):
            add(
                Deadline("range", f"{ym.group(2)}-12-31", f"{ym.group(1)}-01-01", text.strip()),
                ym.start(),
                ym.end(),
                DATED,
                True,
            )
        bm = _BARE_MONTH.match(text) or _BARE_YEAR.match(text) or _LEAD_YEAR.match(text)
        if bm and free(bm.start(), bm.end()):
            p = parse_point(bm.group(0))
            if p and p[1]:
                add(Deadline(p[0], p[1], None, text.strip()), bm.start(), bm.end(), DATED, True)
    for m in _RECURRING.finditer(text):
        if free(m.start(), m.end()):
            add(Deadline("recurring", None, None, m.group(0)), m.start(), m.end(), RECURRING)
    if field:
        for m in _RECURRING_FIELD.finditer(text):
            if free(m.start(), m.end()):
                add(Deadline("recurring", None, None, m.group(0)), m.start(), m.end(), RECURRING)
    for m in _ONGOING_STRONG.finditer(text):
        if free(m.start(), m.end()):
            add(Deadline("ongoing", None, None, m.group(0).strip()), m.start(), m.end(), ONGOING)
    for m in _ONGOING_WEAK.finditer(text):
        if free(m.start(), m.end()):
            add(
                Deadline("ongoing", None, None, m.group(0)),
                m.start(),
                m.end(),
                ONGOING if field else WEAK_ONGOING,
            )
    imm = _IMMEDIATE_FIELD if field else _IMMEDIATE
    for m in imm.finditer(text):
        if free(m.start(), m.end()):
            add(Deadline("immediate", None, None, m.group(0)), m.start(), m.end(), IMMEDIATE)
    hits.sort(key=lambda h: h.span[0])
    return hits


def choose(hits: list[DeadlineHit], *, floor: int = 0, field: bool = False) -> DeadlineHit | None:
    """The deadline a tracker would chase: the strongest kind; among dates the first with a
    strong cue ("trước", "trong", "hoàn thành"), else the first. In a field value without a
    date the first stated rule wins ("ngay, thường xuyên, định kỳ hoặc khi có yêu cầu" is a
    standing duty)."""
    hits = [h for h in hits if h.strength > floor]
    if not hits:
        return None
    best = max(h.strength for h in hits)
    if field and best < DATED:
        firm = [h for h in hits if h.strength >= ONGOING]
        if firm:
            return firm[0]
    top = [h for h in hits if h.strength == best]
    if best == DATED:
        strong = [h for h in top if h.strong_cue]
        return (strong or top)[0]
    return top[0]


def parse_deadline(text: str, *, field: bool = False) -> Deadline | None:
    """The best deadline expressed in ``text``, or None."""
    h = choose(find_deadlines(text, field=field), field=field)
    return h.deadline if h else None


_PHASE = re.compile(
    r"^\W*(?:giai\s+đoạn|các\s+nhiệm\s+vụ|nhiệm\s+vụ|thời\s+gian)\b.*?(?:đến|tới)\s+(?:hết\s+)?(?:ngày\s+)?"
    r"(?P<end>.+?)\W*$",
    re.I,
)


def phase_end(heading: str) -> Deadline | None:
    """The end date a phase or appendix heading sets ("Giai đoạn từ nay đến ngày 30/6/2025",
    "Các nhiệm vụ đến hết năm 2025") as an inherited ``by_date`` deadline, else None."""
    heading = re.sub(r"^\W*PHỤ\s+LỤC(?:\s+[IVX\d]+)?\W*", "", heading.strip(), flags=re.I)
    m = _PHASE.match(heading)
    if not m:
        return None
    tail = m.group("end")
    for pm in _POINT.finditer(tail):
        p = parse_point(pm.group(0))
        if p and p[1]:
            return Deadline("by_date", p[1], None, None, inherited=True)
    return None
