"""Formatting helpers of the reports: column lists, dates and deadline phrases.

The words themselves live in the one message catalogue (``i18n`` + ``messages.toml``: keys
``col.*``, ``title.*``, ``sheet.*``, ``dl.*`` …); ``t(key, lang)`` looks one up. Vietnamese is
the default language, English with ``lang="en"`` (``--lang en`` on the command line).
"""

from __future__ import annotations

import calendar
import datetime as _dt
from typing import Any

from ..i18n import DEFAULT_LANG, LANGS, catalogue, msg
from ..i18n import check_lang as _check_lang
from ..i18n import format_date as _format_date

__all__ = ["DEFAULT_LANG", "LANGS", "check_lang", "t", "format_date", "format_deadline", "obligation_columns"]

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def check_lang(lang: str | None = None) -> str:
    """The language code to use (None: the current one); raises ``ValueError`` for an unknown one."""
    return _check_lang(lang)


def t(key: str, lang: str | None = None, **values: Any) -> str:
    """The label ``key`` of the message catalogue in ``lang`` (default: the current language)."""
    return msg(key, lang, **values) if values else catalogue()[key][check_lang(lang)]


def obligation_columns(lang: str | None = None) -> list[str]:
    """The six core columns: STT, Nhiệm vụ, Chủ trì, Phối hợp, Thời hạn, Văn bản."""
    return [
        t(k, lang) for k in ("col.no", "col.task", "col.lead", "col.support", "col.deadline", "col.document")
    ]


# --------------------------------------------------------------------------- dates


def _parse(iso: str | None) -> _dt.date | None:
    if not iso:
        return None
    try:
        return _dt.date.fromisoformat(iso)
    except ValueError:
        return None


def format_date(iso: str | None, lang: str | None = None) -> str:
    """'2025-06-30' -> '30/06/2025' in every language; unparseable text kept as is."""
    check_lang(lang)
    return _format_date(iso)


def _is_month_start(d: _dt.date) -> bool:
    return d.day == 1


def _is_month_end(d: _dt.date) -> bool:
    return d.day == calendar.monthrange(d.year, d.month)[1]


def _month(d: _dt.date, lang: str) -> str:
    return t("dl.month", lang, month=d.month, year=d.year, month_name=calendar.month_name[d.month])


def _strip_end(text: str) -> str:
    return " ".join(text.split()).rstrip(" .;,")


def format_deadline(deadline: dict[str, Any] | None, lang: str | None = None) -> str:
    """A human phrase for a spec deadline object.

    vi: "trước 30/06/2025", "trong tháng 8/2025", "quý III/2026", "trong năm 2025",
    "từ tháng 1/2025 đến tháng 4/2025", "thường xuyên", "định kỳ: trước ngày 25 hằng tháng",
    "ngay"; en: "by 30 Jun 2025", "in August 2025", "Q3 2026", "ongoing", "recurring: …",
    "immediately". No deadline gives "".
    """
    lang = check_lang(lang)
    dl = deadline or {}
    kind = dl.get("kind") or "none"
    due, start = _parse(dl.get("due")), _parse(dl.get("start"))
    text = _strip_end(dl.get("text") or "")

    def since(phrase: str) -> str:
        if start is None:
            return phrase
        when = _month(start, lang) if _is_month_start(start) else format_date(start.isoformat(), lang)
        return f"{phrase}, {t('dl.from', lang, start=when)}"

    if kind in ("by_date", "in_month", "in_quarter", "in_year") and due is None:
        return text  # a dated kind without a date: show the words as written
    if due is not None and kind in ("by_date", "in_month", "in_quarter", "in_year"):
        if kind == "by_date":
            return t("dl.by_date", lang, date=format_date(due.isoformat(), lang))
        if kind == "in_month":
            return t(
                "dl.in_month", lang, month=due.month, year=due.year, month_name=calendar.month_name[due.month]
            )
        if kind == "in_quarter":
            q = (due.month - 1) // 3 + 1
            return t("dl.in_quarter", lang, quarter=ROMAN[q], quarter_num=q, year=due.year)
        if kind == "in_year":
            return t("dl.in_year", lang, year=due.year)
    if kind == "range":
        if due is None:
            return text
        if start is not None and _is_month_start(start) and _is_month_end(due):
            a, b = _month(start, lang), _month(due, lang)
        else:
            a = format_date(start.isoformat(), lang) if start else "…"
            b = format_date(due.isoformat(), lang)
        return t("dl.range", lang, start=a, due=b)
    if kind == "recurring":
        return f"{t('dl.recurring', lang)}: {text}" if text else t("dl.recurring", lang)
    if kind == "ongoing":
        return since(t("dl.ongoing", lang))
    if kind == "immediate":
        return since(t("dl.immediate", lang))
    return text if kind != "none" else ""
