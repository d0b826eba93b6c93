"""Slot-by-slot comparison of an upstream task with the local tasks that carry it out.

Pure functions, one per slot, each returning ``Finding``s: an issue code (or ``None`` for a
note that does not count against the local plan) and a short human-readable detail.

* deadline: later (``deadline_relaxed``) or no completion date (``deadline_dropped``);
  a coarser reporting frequency ("hằng tháng" -> "định kỳ") is ``deadline_relaxed``; an upstream
  deadline that fell before the local plan could act is noted, not counted.
* targets: percentages and thresholds ("ít nhất 30%", "tối thiểu 80%", "10 hồ sơ/năm/tỉnh") that
  are lower or absent locally -> ``target_weakened``; counted scopes ("25 dịch vụ công",
  "1.139 thủ tục") and enumerations not carried -> ``scope_narrowed``.
* responsibility: the local lead is a body outside the local administration, or not the local
  counterpart of a named upstream addressee -> ``lead_changed``.
* modality: an obligation ("phải", "bảo đảm", "hoàn thành") turned into an aspiration
  ("phấn đấu", "nghiên cứu", "khuyến khích") -> ``modality_softened``; organising turned into
  taking part ("tổ chức tập huấn" -> "cử cán bộ tham gia tập huấn") -> ``scope_narrowed``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from ..i18n import catalogue, check_lang, format_date, msg
from ..normalise.text import fold, syllables

ISSUES = (
    "deadline_relaxed",
    "deadline_dropped",
    "target_weakened",
    "scope_narrowed",
    "lead_changed",
    "modality_softened",
)

LEVEL_RANK = {"commune": 0, "province": 1, "central": 2}
DATED_KINDS = ("by_date", "in_month", "in_quarter", "in_year", "range")
# An implementing plan needs time to be drafted and issued: when the local plan's own date is
# unknown, upstream deadlines within this many days of the proxy date count as passed.
GRACE_DAYS = 15


@dataclass(frozen=True)
class Finding:
    """One observation about a slot. ``code`` names the template that words it (the catalogue's
    ``gap.finding.<code>``); ``data`` fills it."""

    issue: str | None  # one of ISSUES, or None for a note that does not count
    code: str
    data: tuple[tuple[str, str], ...] = ()
    distorts: bool = False  # a target stated locally but weaker (not merely absent)

    @property
    def detail(self) -> str:
        """The English wording with the raw values (ISO dates): the JSON's ``detail``."""
        return _worded(self, "en", dict(self.data))

    def to_dict(self) -> dict[str, object]:
        return {"issue": self.issue, "code": self.code, "data": dict(self.data), "detail": self.detail}


def finding(issue: str | None, code: str, distorts: bool = False, **data: object) -> Finding:
    return Finding(issue, code, tuple((k, str(v)) for k, v in data.items()), distorts)


_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _word(value: str, lang: str) -> str:
    """A finding's value in words: a known word in ``lang``, an ISO date as dd/mm/yyyy."""
    if f"gap.word.{value}" in catalogue():
        return msg(f"gap.word.{value}", lang)
    if _ISO_DATE.match(value):
        return format_date(value)
    parts = value.split(", ")
    if len(parts) > 1 and all(f"gap.word.{p}" in catalogue() for p in parts):
        return ", ".join(msg(f"gap.word.{p}", lang) for p in parts)
    return value


def _worded(f: Finding, lang: str, data: dict[str, str]) -> str:
    key = f"gap.finding.{f.code}"
    return msg(key, lang, **data) if key in catalogue() else f.code


def describe(f: Finding, lang: str | None = None) -> str:
    """The finding in words a person reads (``lang``: the current language when None)."""
    return _worded(f, check_lang(lang), {k: _word(v, check_lang(lang)) for k, v in f.data})


# ---------------------------------------------------------------------------------------
# Deadlines
# ---------------------------------------------------------------------------------------

# Reporting / updating frequencies, finest first.
FREQUENCY_RANK = {
    "realtime": 0,
    "daily": 1,
    "weekly": 2,
    "monthly": 3,
    "quarterly": 4,
    "half-yearly": 5,
    "yearly": 6,
}
_FREQ_WORDS = {
    "ngày": "daily",
    "tuần": "weekly",
    "tháng": "monthly",
    "quý": "quarterly",
    "năm": "yearly",
    "6 tháng": "half-yearly",
    "sáu tháng": "half-yearly",
}
_REALTIME = re.compile(r"thời gian thực|tức thời|real[- ]?time", re.IGNORECASE)
_EVERY = re.compile(r"\b(?:hằng|hàng|mỗi)\s+(6 tháng|sáu tháng|ngày|tuần|tháng|quý|năm)\b", re.IGNORECASE)
_PERIODIC_LIST = re.compile(r"định kỳ\s*\(([^)]{1,60})\)", re.IGNORECASE)
_PERIODIC_ONE = re.compile(r"định kỳ\s+(6 tháng|sáu tháng|tuần|tháng|quý|năm)\b", re.IGNORECASE)


def frequencies(text: str | None) -> set[str]:
    """Frequencies a text states: 'định kỳ (tuần, tháng)' -> {'weekly', 'monthly'}."""
    if not text:
        return set()
    found: set[str] = set()
    if _REALTIME.search(text):
        found.add("realtime")
    for m in _EVERY.finditer(text):
        found.add(_FREQ_WORDS[m.group(1).lower()])
    for m in _PERIODIC_ONE.finditer(text):
        found.add(_FREQ_WORDS[m.group(1).lower()])
    for m in _PERIODIC_LIST.finditer(text):
        for part in re.split(r"[,;/]|\bhoặc\b|\bvà\b", m.group(1)):
            w = part.strip().lower()
            if w in _FREQ_WORDS:
                found.add(_FREQ_WORDS[w])
    return found


def finest(freqs: Iterable[str]) -> str | None:
    fs = sorted(freqs, key=lambda f: FREQUENCY_RANK[f])
    return fs[0] if fs else None


def describe_deadline(dl: Mapping | None) -> str:
    dl = dl or {}
    kind = dl.get("kind") or "none"
    if dl.get("due"):
        return f"{kind} {dl['due']}"
    if dl.get("text") and kind in ("recurring", "ongoing", "immediate"):
        return f"{kind} ('{shorten(dl['text'], 40)}')"
    return kind


def shorten(text: str, n: int = 80) -> str:
    text = re.sub(r"\s+", " ", text or "").strip()
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def deadline_passed(due: str, plan_date: str | None, *, proxy: bool) -> bool:
    """Did an upstream deadline fall before the local plan could act on it?"""
    if not plan_date:
        return False
    limit = date.fromisoformat(plan_date)
    if proxy:
        limit += timedelta(days=GRACE_DAYS)
    return date.fromisoformat(due) < limit


def compare_deadline(
    upstream: Mapping | None,
    local: Sequence[Mapping | None],
    *,
    upstream_text: str = "",
    local_texts: Sequence[str] = (),
    plan_date: str | None = None,
    plan_date_proxy: bool = False,
) -> list[Finding]:
    """Compare the upstream deadline with the strictest of the local ones.

    ``plan_date``: the local plan's issue date (or a proxy when ``plan_date_proxy``);
    upstream deadlines before it are noted, not counted.
    """
    up = upstream or {"kind": "none"}
    kind = up.get("kind") or "none"
    locs = [d or {"kind": "none"} for d in local] or [{"kind": "none"}]
    due = up.get("due")
    if kind in DATED_KINDS and due:
        if deadline_passed(due, plan_date, proxy=plan_date_proxy):
            basis = "proxy date" if plan_date_proxy else "issue date"
            return [finding(None, "deadline.passed", due=due, basis=basis, plan=plan_date)]
        local_dues = sorted(d["due"] for d in locs if d.get("due") and d.get("kind") in DATED_KINDS)
        if local_dues and local_dues[0] <= due:
            return [finding(None, "deadline.kept", due=due, local=local_dues[0])]
        if local_dues:
            return [finding("deadline_relaxed", "deadline.later", due=due, local=local_dues[0])]
        standing = [d for d in locs if d.get("kind") in ("ongoing", "recurring")]
        if kind == "range" and standing:
            return [finding(None, "deadline.standing", due=due)]
        local_desc = ", ".join(sorted({d.get("kind") or "none" for d in locs}))
        return [finding("deadline_dropped", "deadline.dropped", due=due, local=local_desc)]
    # frequencies: recurring and standing duties with a stated rhythm
    # the upstream rhythm comes from its deadline words; from the task text only when it has none
    up_freq = finest(frequencies(up.get("text")) if up.get("text") else frequencies(upstream_text))
    if not up_freq:
        return []
    loc_freq = finest(
        set().union(*(frequencies(d.get("text")) for d in locs), *(frequencies(t) for t in local_texts))
    )
    if loc_freq is None or FREQUENCY_RANK[loc_freq] > FREQUENCY_RANK[up_freq]:
        return [
            finding(
                "deadline_relaxed",
                "frequency.coarser",
                up=up_freq,
                text=shorten(up.get("text") or "", 40),
                local=loc_freq or "no fixed frequency",
            )
        ]
    return [finding(None, "frequency.kept", up=up_freq, local=loc_freq)]


# ---------------------------------------------------------------------------------------
# Targets and scope
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quantity:
    value: float
    kind: str  # "percent" | "rate" | "count"
    noun: str  # folded first word after the number ("hô2"), "" for a percent
    bound: str  # "min" (a target to reach), "max" (a ceiling: "dưới 5%"), "exact" (a count)
    text: str  # as written, for evidence


_DATE_LIKE = re.compile(
    r"\b\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{2,4}\b|\b\d{1,2}\s*/\s*\d{4}\b|\b\d+/\d{4}/[\wĐđ\-]+|"
    r"\b\d+\s*[-/]\s*[A-ZĐ][\wĐđ]*(?:[-/][\wĐđ]+)*|\bngày\s+\d{1,2}\b|\bnăm\s+\d{4}\b|"
    r"\b(?:tháng|quý)\s+[\dIVX]+\b|\b\d{1,2}\s+giờ\b|\bsố\s+\d+\b|\bphụ lục\s+[\dIVX]+\b|"
    r"\b(?:giai đoạn|phiên bản)\s+[\d.]+\b|\b\d+\s*-\s*\d+\b",
    re.IGNORECASE,
)
_NUMBER = r"(\d{1,3}(?:\.\d{3})+|\d+(?:,\d+)?)"
_WORD = r"[^\W\d_]+"
_PERCENT = re.compile(_NUMBER + r"\s*%")
_RATE = re.compile(_NUMBER + rf"\s+({_WORD}(?:\s+{_WORD})?)\s*/\s*{_WORD}(?:\s*/\s*{_WORD})*")
_COUNT = re.compile(_NUMBER + rf"\s+({_WORD}(?:\s+{_WORD}){{0,2}})")
_FLOOR = re.compile(r"(ít nhất|tối thiểu|trên|đạt|không dưới|từ)\s*$", re.IGNORECASE)
_CEILING = re.compile(r"(dưới|tối đa|không quá|không vượt quá|giảm còn|còn)\s*$", re.IGNORECASE)
# nouns after a number that are not a scope of work
# ("tương tác 2 chiều": two-way, not a count of things)
_NOT_SCOPE = set(fold("cấp giai đoạn lần bước ngày tháng năm quý giờ phút tuần tuổi người chiều").split())


def _num(s: str) -> float:
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", s):
        return float(s.replace(".", ""))
    return float(s.replace(",", "."))


def _bound(text: str, start: int, default: str) -> str:
    before = text[max(0, start - 16) : start]
    if _CEILING.search(before):
        return "max"
    if _FLOOR.search(before):
        return "min"
    return default


def quantities(text: str | None) -> list[Quantity]:
    """See ``_quantities``; a new list each call, the parse cached by text (the local context
    is asked once per upstream task)."""
    return list(_quantities(text or ""))


@lru_cache(maxsize=512)
def _quantities(text: str) -> tuple[Quantity, ...]:
    """Percentages ("ít nhất 30%"), rates ("10 hồ sơ/năm/tỉnh") and counted scopes
    ("25 dịch vụ công", "1.139 thủ tục hành chính") in a text; dates, document numbers and
    appendix numbers are not quantities."""
    if not text:
        return ()
    clean = _DATE_LIKE.sub(" ", text)
    out: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for m in _PERCENT.finditer(clean):
        out.append(Quantity(_num(m.group(1)), "percent", "", _bound(clean, m.start(), "min"), m.group(0)))
        taken.append(m.span())
    for m in _RATE.finditer(clean):
        if any(a <= m.start() < b for a, b in taken):
            continue
        noun = fold(m.group(2)).split()[0]
        out.append(Quantity(_num(m.group(1)), "rate", noun, _bound(clean, m.start(), "min"), m.group(0)))
        taken.append(m.span())
    for m in _COUNT.finditer(clean):
        if any(a <= m.start() < b for a, b in taken):
            continue
        noun = fold(m.group(2)).split()[0]
        if noun in _NOT_SCOPE:
            continue
        out.append(
            Quantity(_num(m.group(1)), "count", noun, _bound(clean, m.start(), "exact"), m.group(0).strip())
        )
    return tuple(out)


def _weaker(up: Quantity, local: float) -> bool:
    return local > up.value if up.bound == "max" else local < up.value


def compare_targets(
    upstream_text: str, local_texts: Sequence[str], *, local_context: str = ""
) -> list[Finding]:
    """Targets and counted scopes of the upstream task against the local tasks.

    A threshold (a percentage, a rate, a count with "ít nhất") lower locally, or absent, is
    ``target_weakened`` (``distorts`` when the local plan states a weaker value). A counted
    scope ("25 dịch vụ công") the local plan never names is ``scope_narrowed``; it counts as
    named when the number appears in ``local_context`` too (the plan's goals, its other tasks).
    """
    ups = quantities(upstream_text)
    if not ups:
        return []
    locs = [q for t in local_texts for q in quantities(t)]
    context_numbers = {q.value for q in quantities(local_context)}
    out: list[Finding] = []
    for q in ups:
        if q.kind == "count" and q.bound == "exact":
            if not any(x.value == q.value for x in locs) and q.value not in context_numbers:
                out.append(finding("scope_narrowed", "scope.count", up=q.text))
            continue
        same = [x for x in locs if x.kind == q.kind and (q.kind == "percent" or x.noun == q.noun)]
        if not same:
            out.append(finding("target_weakened", "target.absent", up=q.text))
            continue
        best = min(same, key=lambda x: x.value) if q.bound == "max" else max(same, key=lambda x: x.value)
        if _weaker(q, best.value):
            out.append(finding("target_weakened", "target.lower", distorts=True, up=q.text, local=best.text))
    return out


_ENUM_PAREN = re.compile(r"\(([^()]{12,400})\)")
_ENUM_COLON = re.compile(r":\s*([^.]{12,400})")


def enumerations(text: str) -> list[list[str]]:
    """Lists of three or more named items, in parentheses or after a colon."""
    out = []
    for rx in (_ENUM_PAREN, _ENUM_COLON):
        for m in rx.finditer(text or ""):
            items = [i.strip(" .…") for i in re.split(r"[;,]", m.group(1))]
            items = [i for i in items if len(syllables(i)) >= 2 and not re.search(r"\d{4}", i)]
            if len(items) >= 3:
                out.append(items)
    return out


def compare_enumerations(
    upstream_text: str, local_texts: Sequence[str], *, min_share: float = 0.5
) -> list[Finding]:
    """Named items listed upstream of which fewer than ``min_share`` appear locally."""
    local_sy = set(" ".join(syllables(t)) for t in local_texts)
    local_all = " " + " ".join(local_sy) + " "
    out = []
    for items in enumerations(upstream_text):
        found = [i for i in items if _item_found(i, local_all)]
        if len(found) < min_share * len(items):
            missing = [i for i in items if i not in found]
            out.append(
                finding(
                    "scope_narrowed",
                    "scope.enumeration",
                    found=len(found),
                    total=len(items),
                    missing=", ".join(shorten(m, 30) for m in missing[:3]),
                )
            )
    return out


_QUOTED = re.compile(r"[\u201c\"]([^\u201d\"]{6,80})[\u201d\"]")


def quoted_names(text: str) -> list[str]:
    """Names the text puts in quotes and writes as a proper name (capitalised, three or more
    syllables): the models, teams and movements a task sets up ("Tổ công nghệ số cộng đồng",
    "Đội hỗ trợ phản ứng nhanh"); a quoted slogan in lower case ("cầm tay chỉ việc") is not one."""
    out = []
    for m in _QUOTED.finditer(text or ""):
        name = m.group(1).strip()
        if name[:1].isupper() and len(syllables(name)) >= 3:
            out.append(name)
    return out


def compare_quoted_names(upstream_text: str, local_texts: Sequence[str]) -> list[Finding]:
    """Quoted names set up upstream that no local task names -> ``scope_narrowed``."""
    local_all = " " + " ".join(" ".join(syllables(t)) for t in local_texts) + " "
    missing = [n for n in quoted_names(upstream_text) if not _item_found(n, local_all)]
    if not missing:
        return []
    return [finding("scope_narrowed", "scope.quoted", missing=", ".join(shorten(m, 40) for m in missing[:3]))]


def _item_found(item: str, local_folded: str) -> bool:
    sy = [s for s in syllables(item) if s not in _ITEM_STOP]
    if not sy:
        return True
    hits = sum(1 for s in sy if f" {s} " in local_folded)
    return hits >= max(1, round(0.6 * len(sy)))


_ITEM_STOP = set(fold("các của và cho với hệ thống cơ sở dữ liệu").split())


# ---------------------------------------------------------------------------------------
# Modality and role
# ---------------------------------------------------------------------------------------

_STRONG = re.compile(
    r"\b(phải|bắt buộc|bảo đảm|đảm bảo|hoàn thành|nghiêm cấm|không được|chấm dứt|dứt điểm)\b", re.IGNORECASE
)
_WEAK = re.compile(
    r"\b(phấn đấu|nghiên cứu|khuyến khích|từng bước|có thể|tùy điều kiện|tuỳ điều kiện|"
    r"nếu có điều kiện|khi có điều kiện)\b",
    re.IGNORECASE,
)


def modality(text: str | None) -> str:
    """'strong' (an obligation), 'weak' (an aspiration) or 'neutral'."""
    t = text or ""
    weak = _WEAK.search(t)
    strong = _STRONG.search(t)
    if weak and (not strong or weak.start() < strong.start()):
        return "weak"
    if strong:
        return "strong"
    return "neutral"


def compare_modality(upstream_text: str, local_texts: Sequence[str]) -> list[Finding]:
    up = modality(upstream_text)
    if up == "weak" or not local_texts:
        return []
    locs = [modality(t) for t in local_texts]
    if all(m == "weak" for m in locs):
        m = _WEAK.search(" ".join(local_texts))
        return [
            finding(
                "modality_softened",
                "modality.softened",
                up="obligation" if up == "strong" else "instruction",
                local=m.group(0) if m else "weak",
            )
        ]
    return []


_ORGANISE = re.compile(
    r"\b(tổ chức|chủ trì|mở)\b[^.;]{0,40}\b(tập huấn|đào tạo|bồi dưỡng|hội nghị|hội thảo|"
    r"khóa|khoá|lớp|cuộc thi|diễn tập)",
    re.IGNORECASE,
)
_TAKE_PART = re.compile(
    r"\b(tham gia|tham dự|cử)\b[^.;]{0,60}\b(tập huấn|đào tạo|bồi dưỡng|hội nghị|hội thảo|"
    r"khóa|khoá|lớp|cuộc thi|diễn tập)",
    re.IGNORECASE,
)


def compare_role(upstream_text: str, local_texts: Sequence[str]) -> list[Finding]:
    """Upstream asks to organise (training, conferences …); locally staff only take part."""
    if not _ORGANISE.search(upstream_text or ""):
        return []
    if any(_ORGANISE.search(t or "") for t in local_texts):
        return []
    part = next((m for t in local_texts for m in [_TAKE_PART.search(t or "")] if m), None)
    if part:
        return [
            finding(
                "scope_narrowed",
                "scope.role",
                up=organise.group(0) if (organise := _ORGANISE.search(upstream_text)) else "",
                local=shorten(part.group(0), 50),
            )
        ]
    return []


# ---------------------------------------------------------------------------------------
# Responsibility
# ---------------------------------------------------------------------------------------


def compare_lead(
    upstream_lead: Sequence[str],
    local_leads: Sequence[Sequence[str]],
    *,
    local_level: str,
    levels_of: Callable[[str], set[str]],
    same_unit: Callable[[str, str], bool],
    counterpart: Callable[[str, str], str | None],
    is_generic: Callable[[str], bool],
) -> list[Finding]:
    """Has responsibility moved beyond what the upstream text allows?

    Generic upstream addressees ("các địa phương", "Ủy ban nhân dân các cấp") may be carried by
    any unit of the local administration; a named upstream addressee must be carried by itself
    or its local counterpart. A local lead above the local plan's level (a higher authority,
    a central body) is a move in both cases. (A unit named like a lower-level one, "Phòng …",
    may be a division of the issuer itself, so lower levels are not judged.)
    """
    leads = [n for ls in local_leads for n in ls if n]
    if not leads:
        return []
    named = [u for u in upstream_lead if u and not is_generic(u)]
    out: list[Finding] = []
    rank = LEVEL_RANK.get(local_level, 0)
    # a lead above the local plan's level: the task pushed up to a higher authority
    outside = [n for n in leads if (lv := levels_of(n)) and min(LEVEL_RANK.get(x, 0) for x in lv) > rank]
    if outside and len(outside) == len(leads):
        out.append(finding("lead_changed", "lead.level", local=", ".join(outside), level=local_level))
        return out
    if named and not any(is_generic(u) for u in upstream_lead):
        allowed = []
        for u in named:
            allowed.append(u)
            cp = counterpart(u, local_level)
            if cp:
                allowed.append(cp)
        if allowed and not any(same_unit(a, n) for a in allowed for n in leads):
            cps = [a for a in allowed if a not in named]
            if cps:  # only judge when the counterpart is known
                out.append(
                    finding(
                        "lead_changed",
                        "lead.counterpart",
                        up=", ".join(named),
                        counterpart=", ".join(cps),
                        local=", ".join(leads),
                    )
                )
    return out
