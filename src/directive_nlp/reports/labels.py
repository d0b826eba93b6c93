"""User-facing words of the reports: column labels, messages and deadline phrases.

Vietnamese is the default language (the users are Vietnamese secretariat staff); English with
``lang="en"`` (``--lang en`` on the command line). Code and docs stay in English.
"""

from __future__ import annotations

import calendar
import datetime as _dt
from typing import Any

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"

LABELS: dict[str, dict[str, str]] = {
    "vi": {
        # obligations
        "col.no": "STT",
        "col.task": "Nhiệm vụ",
        "col.lead": "Chủ trì",
        "col.support": "Phối hợp",
        "col.deadline": "Thời hạn",
        "col.document": "Văn bản",
        "col.due": "Hạn hoàn thành",
        "col.section": "Mục",
        "col.task_id": "Mã nhiệm vụ",
        # documents
        "col.id": "ID",
        "col.symbol": "Số, ký hiệu",
        "col.type": "Loại",
        "col.issuer": "Cơ quan ban hành",
        "col.date": "Ngày ban hành",
        "col.tasks": "Số nhiệm vụ",
        "col.citations": "Trích dẫn",
        "col.file": "Tệp",
        # summary
        "col.with_due": "Có hạn hoàn thành",
        "col.overdue": "Quá hạn",
        "col.leads": "Đơn vị chủ trì",
        "total": "Tổng cộng",
        # sheets and titles
        "sheet.obligations": "Nhiệm vụ",
        "sheet.summary": "Tổng hợp",
        "sheet.documents": "Văn bản",
        "title.obligations": "Danh mục nhiệm vụ",
        "title.summary": "Tổng hợp nhiệm vụ theo văn bản",
        "title.documents": "Văn bản đã nạp",
        "title.overdue": "quá hạn tính đến {date}",
        "title.as_of": "tính đến {date}",
        # messages
        "msg.no_tasks": "Không có nhiệm vụ nào.",
        "msg.no_documents": "Chưa có văn bản nào.",
        "msg.wrote": "Đã ghi {path}",
        "msg.ingest_summary": (
            "Văn bản: {added} mới, {updated} cập nhật, {unchanged} không đổi, "
            "{failed} lỗi · Nhiệm vụ: {tasks} · Trích dẫn: {citations}"
        ),
        "msg.store_totals": "Cơ sở dữ liệu {path}: {documents} văn bản, {tasks} nhiệm vụ",
        "msg.ingesting": "Đang nạp văn bản",
        "msg.ambiguous": (
            "'{ref}' ứng với {n} văn bản; dùng ID {id} ({file}) — ghi ID hoặc đường dẫn để chọn văn bản khác"
        ),
        # deadline phrases
        "dl.by_date": "trước {date}",
        "dl.in_month": "trong tháng {month}/{year}",
        "dl.in_quarter": "quý {quarter}/{year}",
        "dl.in_year": "trong năm {year}",
        "dl.range": "từ {start} đến {due}",
        "dl.month": "tháng {month}/{year}",
        "dl.ongoing": "thường xuyên",
        "dl.recurring": "định kỳ",
        "dl.immediate": "ngay",
        "dl.from": "từ {start}",
        "dl.none": "",
    },
    "en": {
        "col.no": "No.",
        "col.task": "Task",
        "col.lead": "Lead",
        "col.support": "Support",
        "col.deadline": "Deadline",
        "col.document": "Document",
        "col.due": "Due date",
        "col.section": "Section",
        "col.task_id": "Task ID",
        "col.id": "ID",
        "col.symbol": "Symbol",
        "col.type": "Type",
        "col.issuer": "Issuer",
        "col.date": "Issued",
        "col.tasks": "Tasks",
        "col.citations": "Citations",
        "col.file": "File",
        "col.with_due": "With due date",
        "col.overdue": "Overdue",
        "col.leads": "Lead units",
        "total": "Total",
        "sheet.obligations": "Obligations",
        "sheet.summary": "Summary",
        "sheet.documents": "Documents",
        "title.obligations": "Obligations",
        "title.summary": "Obligations by document",
        "title.documents": "Ingested documents",
        "title.overdue": "overdue as of {date}",
        "title.as_of": "as of {date}",
        "msg.no_tasks": "No tasks.",
        "msg.no_documents": "No documents yet.",
        "msg.wrote": "Wrote {path}",
        "msg.ingest_summary": (
            "Documents: {added} added, {updated} updated, {unchanged} unchanged, "
            "{failed} failed · Tasks: {tasks} · Citations: {citations}"
        ),
        "msg.store_totals": "Database {path}: {documents} documents, {tasks} tasks",
        "msg.ingesting": "Ingesting documents",
        "msg.ambiguous": (
            "'{ref}' matches {n} documents; using id {id} ({file}) — give the id or path to choose another"
        ),
        "dl.by_date": "by {date}",
        "dl.in_month": "in {month_name} {year}",
        "dl.in_quarter": "Q{quarter_num} {year}",
        "dl.in_year": "in {year}",
        "dl.range": "from {start} to {due}",
        "dl.month": "{month_name} {year}",
        "dl.ongoing": "ongoing",
        "dl.recurring": "recurring",
        "dl.immediate": "immediately",
        "dl.from": "from {start}",
        "dl.none": "",
    },
}

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def check_lang(lang: str | None) -> str:
    """The language code to use; raises ``ValueError`` for an unknown one."""
    lang = (lang or DEFAULT_LANG).lower()
    if lang not in LANGS:
        raise ValueError(f"unknown language '{lang}' (expected vi or en)")
    return lang


def t(key: str, lang: str = DEFAULT_LANG, **values: Any) -> str:
    """The label ``key`` in ``lang``, formatted with ``values``."""
    text = LABELS[check_lang(lang)][key]
    return text.format(**values) if values else text


def obligation_columns(lang: str = DEFAULT_LANG) -> list[str]:
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


def format_date(iso: str | None, lang: str = DEFAULT_LANG) -> str:
    """'2025-06-30' -> '30/06/2025' (vi) or '30 Jun 2025' (en); unparseable text kept as is."""
    d = _parse(iso)
    if d is None:
        return iso or ""
    if check_lang(lang) == "vi":
        return d.strftime("%d/%m/%Y")
    return f"{d.day} {calendar.month_abbr[d.month]} {d.year}"


def _is_month_start(d: _dt.date) -> bool:
    return d.day == 1


def _is_month_end(d: _dt.date) -> bool:
    return d.day == calendar.monthrange(d.year, d.month)[1]


def _month(d: _dt.date, lang: str) -> str:
    return t("dl.month", lang, month=d.month, year=d.year, month_name=calendar.month_name[d.month])


def _strip_end(text: str) -> str:
    return " ".join(text.split()).rstrip(" .;,")


def format_deadline(deadline: dict[str, Any] | None, lang: str = DEFAULT_LANG) -> str:
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
