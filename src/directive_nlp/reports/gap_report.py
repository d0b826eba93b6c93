"""Reports of a gap check (``linking.gapcheck.check``): terminal table, Markdown, HTML, Excel.

Every format shows the upstream task and the local tasks side by side, with the status, the
issues and the evidence. Vietnamese labels by default, English with ``lang="en"``.
The HTML page is self-contained: inline CSS, no script, no external asset or link.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..i18n import LANGS, catalogue, msg
from ..linking.compare import Finding, describe
from .labels import check_lang, format_date, format_deadline
from .tables import cell_text, md_escape
from .tables import to_markdown as _md_table

STATUSES = ("missing", "distorted", "partial", "covered")

STATUS_STYLE = {"missing": "bold red", "distorted": "red", "partial": "yellow", "covered": "green"}
STATUS_COLOUR = {"missing": "#c0392b", "distorted": "#e67e22", "partial": "#b7950b", "covered": "#1e8449"}


def label(key: str, lang: str) -> str:
    """The report's word for ``key`` (catalogue ``gap.label.<key>``); the key itself when there is none."""
    full = f"gap.label.{key}"
    return msg(full, check_lang(lang)) if full in catalogue() else key


def status_label(status: str | None, lang: str) -> str:
    return label(f"status.{status}", lang) if status else ""


def issue_labels(issues: Sequence[str], lang: str) -> list[str]:
    return [label(f"issue.{i}", lang) for i in issues]


def _findings(item: Mapping[str, Any]) -> list[Finding]:
    out = []
    for f in item.get("findings") or []:
        data = tuple((k, str(v)) for k, v in (f.get("data") or {}).items())
        out.append(Finding(f.get("issue"), f.get("code") or "", data))
    return out


def evidence_text(item: Mapping[str, Any], lang: str) -> str:
    """The item's findings worded in ``lang``; the JSON evidence string when there are none."""
    found = _findings(item)
    if found:
        return "; ".join(describe(f, lang) for f in found)
    if item.get("status") == "missing":
        return label("missing_evidence", lang)
    return ""


def _upstream_cell(item: Mapping[str, Any], lang: str) -> str:
    dl = format_deadline(item.get("upstream_deadline"), lang)
    head = f"({item['upstream_task']}) {item['upstream_text']}"
    return f"{head}\n({label('deadline', lang)}: {dl})" if dl else head


def _local_cell(item: Mapping[str, Any], result: Mapping[str, Any], lang: str) -> str:
    texts = result.get("local_texts") or {}
    parts = []
    for tid in item.get("local_tasks") or []:
        loc = texts.get(tid) or {}
        dl = format_deadline(loc.get("deadline"), lang)
        parts.append(f"({tid}) {loc.get('text', '')}" + (f" [{dl}]" if dl else ""))
    return "\n".join(parts) if parts else label("none_local", lang)


def item_rows(result: Mapping[str, Any], lang: str = "vi") -> tuple[list[str], list[list[Any]]]:
    """Applicable upstream tasks: STT, upstream task, local tasks, status, issues, evidence."""
    lang = check_lang(lang)
    columns = [
        label(k, lang)
        for k in ("col.no", "col.upstream", "col.local", "col.status", "col.issues", "col.evidence")
    ]
    rows = []
    for n, it in enumerate((i for i in result.get("items") or [] if i.get("applies")), start=1):
        rows.append(
            [
                n,
                _upstream_cell(it, lang),
                _local_cell(it, result, lang),
                status_label(it.get("status"), lang),
                issue_labels(it.get("issues") or [], lang),
                evidence_text(it, lang),
            ]
        )
    return columns, rows


def not_applicable_rows(result: Mapping[str, Any], lang: str = "vi") -> tuple[list[str], list[list[Any]]]:
    lang = check_lang(lang)
    columns = [label(k, lang) for k in ("col.no", "col.upstream", "col.reason")]
    rows = [
        [n, _upstream_cell(it, lang), applies_reason_text(it, lang)]
        for n, it in enumerate((i for i in result.get("items") or [] if not i.get("applies")), start=1)
    ]
    return columns, rows


def applies_reason_text(item: Mapping[str, Any], lang: str = "vi") -> str:
    """Why an upstream task applies or not, in the reader's language (from the rule that
    decided, ``applies_rule``; the English ``applies_reason`` for results without one)."""
    rule = item.get("applies_rule")
    if item.get("decided_by") == "person" and not item.get("applies"):
        return msg("gap.rule.decided_not_applicable", lang)
    if not rule:
        return str(item.get("applies_reason") or "")
    params = dict(item.get("applies_params") or {})
    if "kind" in params:
        params["kind"] = msg(f"gap.level_kind.{params['kind']}", lang)
    if "bloc" in params:
        params["bloc"] = msg(f"gap.bloc.{params['bloc']}", lang)
    return msg(f"gap.rule.{rule}", lang, **{k: params.get(k, "") for k in _RULE_FIELDS})


_RULE_FIELDS = ("names", "bloc", "phrase", "kind", "partners", "implied")


def chain_text(result: Mapping[str, Any], lang: str = "vi") -> str:
    """Which document implements which, at which level, and the counts per status."""
    lang = check_lang(lang)
    st = result.get("stats") or {}
    level = result.get("local_level")
    who = result.get("local_issuer") or result.get("local") or ""
    head = msg(
        "gap.chain",
        lang,
        local=who,
        level=label(f"level.{level}", lang) if level else label("unknown", lang),
        upstream=result.get("upstream") or "",
    )
    counts = msg(
        "gap.counts",
        lang,
        applicable=st.get("applicable", 0),
        total=st.get("upstream_tasks", 0),
        **{s: st.get(s, 0) for s in STATUSES},
    )
    out = f"{head}. {counts}."
    decided = (result.get("review") or {}).get("decided")
    if decided:
        out += " " + msg("gap.decided_by_person", lang, n=decided) + "."
    return out


def unmatched_rows(result: Mapping[str, Any], lang: str = "vi") -> tuple[list[str], list[list[Any]]]:
    lang = check_lang(lang)
    columns = [label(k, lang) for k in ("col.no", "col.task", "col.lead", "col.deadline")]
    texts = result.get("local_texts") or {}
    rows = []
    for n, tid in enumerate(result.get("unmatched_local") or [], start=1):
        loc = texts.get(tid) or {}
        rows.append(
            [
                n,
                f"({tid}) {loc.get('text', '')}",
                list(loc.get("lead") or []),
                format_deadline(loc.get("deadline"), lang),
            ]
        )
    return columns, rows


def summary_pairs(result: Mapping[str, Any], lang: str = "vi") -> list[tuple[str, str]]:
    """(label, value) lines heading every report."""
    lang = check_lang(lang)
    st = result.get("stats") or {}
    level = result.get("local_level")
    plan = result.get("plan_date")
    plan_text = format_date(plan, lang) if plan else label("unknown", lang)
    basis = result.get("plan_date_basis")
    if plan and basis not in (None, "local issue date"):
        plan_text += f" ({label('proxy', lang)}: {label(f'basis.{basis}', lang)})"
    pairs = [
        (label("chain", lang), chain_text(result, lang)),
        (label("upstream", lang), str(result.get("upstream") or "")),
        (label("local", lang), str(result.get("local") or "")),
        (label("level", lang), label(f"level.{level}", lang) if level else label("unknown", lang)),
        (label("plan_date", lang), plan_text),
        (
            label("applicable", lang),
            f"{st.get('applicable', 0)} {label('of', lang)} {st.get('upstream_tasks', 0)}",
        ),
    ]
    pairs += [(status_label(s, lang), str(st.get(s, 0))) for s in STATUSES]
    pairs.append((label("unmatched", lang), str(st.get("unmatched_local", 0))))
    return pairs


# --------------------------------------------------------------------------- renderers


def print_report(result: Mapping[str, Any], console: Console, lang: str = "vi") -> None:
    """The terminal report: a summary, then the table of applicable upstream tasks."""
    lang = check_lang(lang)
    console.print(f"[bold]{label('title', lang)}[/bold]")
    for k, v in summary_pairs(result, lang):
        console.print(f"  {k}: {v}")
    columns, rows = item_rows(result, lang)
    console.print(_rich(columns, rows, (None, 5, 5, 2, 2, 4), status_col=3, lang=lang))
    un_cols, un_rows = unmatched_rows(result, lang)
    if un_rows:
        console.print(_rich(un_cols, un_rows, (None, 6, 2, 2), title=label("unmatched", lang), lang=lang))


def _rich(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    ratios: Sequence[int | None],
    *,
    lang: str,
    title: str | None = None,
    status_col: int | None = None,
) -> Table:
    """A terminal table whose cells are plain text (task texts may hold "[...]", which rich
    markup would swallow); the status cell is coloured."""
    table = Table(title=title, header_style="bold", show_lines=True, expand=True)
    for c, ratio in zip(columns, ratios, strict=False):
        table.add_column(c, ratio=ratio, no_wrap=ratio is None, overflow="fold")
    for r in rows:
        cells = []
        for i, v in enumerate(r):
            text = cell_text(v, "\n", lang)
            if i == status_col:
                key = next((s for s in STATUSES if status_label(s, lang) == text), "")
                cells.append(Text(text, style=STATUS_STYLE.get(key, "")))
            else:
                cells.append(Text(text))
        table.add_row(*cells)
    return table


def to_markdown(result: Mapping[str, Any], lang: str = "vi") -> str:
    lang = check_lang(lang)
    out = [f"# {label('title', lang)}", ""]
    out += [f"- **{md_escape(k)}**: {md_escape(v)}" for k, v in summary_pairs(result, lang)]
    out.append("")
    columns, rows = item_rows(result, lang)
    out.append(_md_table(columns, rows, title=label("sheet.items", lang), lang=lang))
    un_cols, un_rows = unmatched_rows(result, lang)
    if un_rows:
        out.append(_md_table(un_cols, un_rows, title=label("unmatched", lang), lang=lang))
    na_cols, na_rows = not_applicable_rows(result, lang)
    if na_rows:
        out.append(_md_table(na_cols, na_rows, title=label("not_applicable", lang), lang=lang))
    return "\n".join(out)


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:1.5rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
dl.summary{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}
dl.summary dt{font-weight:600}dl.summary dd{margin:0}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border:1px solid #ccc;padding:.35rem .5rem;vertical-align:top;text-align:left}
th{background:#1f4e78;color:#fff;position:sticky;top:0}
tr:nth-child(even) td{background:#f7f9fb}
td.text{white-space:pre-line;max-width:32rem}
span.status{font-weight:700}
span.issue{display:inline-block;background:#eee;border-radius:3px;padding:0 .3rem;margin:.1rem 0}
""".strip()


def _cell(value: Any, lang: str) -> str:
    if isinstance(value, (list, tuple)):
        return "<br>".join(html.escape(str(v)) for v in value)
    return html.escape("" if value is None else str(value))


def _html_table(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    lang: str,
    status_col: int | None = None,
    issue_col: int | None = None,
) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = []
    for r in rows:
        cells = []
        for i, v in enumerate(r):
            if i == status_col and v:
                key = next((s for s in STATUSES if status_label(s, lang) == v), "")
                colour = STATUS_COLOUR.get(key, "#222")
                cells.append(
                    f'<td><span class="status" style="color:{colour}">{html.escape(str(v))}</span></td>'
                )
            elif i == issue_col:
                cells.append(
                    "<td>" + "".join(f'<span class="issue">{html.escape(x)}</span><br>' for x in v) + "</td>"
                )
            else:
                cls = ' class="text"' if isinstance(v, str) and len(v) > 40 else ""
                cells.append(f"<td{cls}>{_cell(v, lang)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def to_html(result: Mapping[str, Any], lang: str = "vi") -> str:
    """A self-contained HTML page (inline CSS; no scripts, external assets or links)."""
    lang = check_lang(lang)
    title = label("title", lang)
    parts = [
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>",
        f'<h1>{html.escape(title)}</h1><dl class="summary">',
    ]
    parts += [f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in summary_pairs(result, lang)]
    parts.append("</dl>")
    columns, rows = item_rows(result, lang)
    parts.append(f"<h2>{html.escape(label('sheet.items', lang))}</h2>")
    parts.append(_html_table(columns, rows, lang, status_col=3, issue_col=4))
    un_cols, un_rows = unmatched_rows(result, lang)
    if un_rows:
        parts.append(f"<h2>{html.escape(label('unmatched', lang))}</h2>")
        parts.append(_html_table(un_cols, un_rows, lang))
    na_cols, na_rows = not_applicable_rows(result, lang)
    if na_rows:
        parts.append(f"<h2>{html.escape(label('not_applicable', lang))}</h2>")
        parts.append(_html_table(na_cols, na_rows, lang))
    parts.append("</body></html>")
    return "\n".join(parts)


def write_xlsx(result: Mapping[str, Any], path: str | Path, lang: str = "vi") -> Path:
    """An Excel workbook: summary, applicable tasks, tasks that do not apply, unmatched local tasks."""
    from .xlsx import write_xlsx as _write

    lang = check_lang(lang)
    summary = (
        [label("col.item", lang), label("col.value", lang)],
        [[k, v] for k, v in summary_pairs(result, lang)],
    )
    columns, rows = item_rows(result, lang)
    sheets: dict[str, Any] = {
        label("sheet.summary", lang): summary,
        label("sheet.items", lang): (
            [columns[0], (columns[1], 60), (columns[2], 60), columns[3], columns[4], (columns[5], 60)],
            rows,
        ),
        label("sheet.not_applicable", lang): not_applicable_rows(result, lang),
        label("sheet.unmatched", lang): unmatched_rows(result, lang),
    }
    return _write(sheets, path)


# ---------------------------------------------------------------------------------------
# Review sheet: one row per applicable upstream task, a "Quyết định" column to fill
# ---------------------------------------------------------------------------------------

REVIEW_COLUMNS = (
    "col.id",
    "col.upstream",
    "col.machine",
    "col.local",
    "col.evidence",
    "col.decision",
    "col.local_fix",
    "col.note",
    "col.key",
)


def write_review_sheet(result: Mapping[str, Any], path: str | Path, lang: str = "vi") -> Path:
    """The review workbook: a row per applicable upstream task (and per task a person already
    decided), an empty or prefilled decision column with a drop-down list of statuses."""
    import xlsxwriter

    from ..linking.review import DECISION_STATUSES, text_key
    from .xlsx import SheetSpec, _Formats, sheet_title, write_sheet

    lang = check_lang(lang)
    cols = [label(c, lang) for c in REVIEW_COLUMNS]
    rows = []
    for it in result.get("items") or []:
        person = it.get("decided_by") == "person"
        if not it.get("applies") and not person:
            continue
        decision = ""
        if person:
            decision = status_label(it.get("status") or "not_applicable", lang)
        machine = it.get("machine_status", it.get("status")) if person else it.get("status")
        rows.append(
            [
                it.get("upstream_task"),
                _upstream_cell(it, lang),
                status_label(machine, lang) if machine else label("status.not_applicable", lang),
                _local_cell(it, result, lang),
                evidence_text(it, lang),
                decision,
                ", ".join(it.get("local_tasks") or [])
                if person and it.get("local_tasks") != it.get("machine_local_tasks")
                else "",
                it.get("decision_note") or "",
                text_key(it.get("upstream_text") or ""),
            ]
        )
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(out))
    ws = wb.add_worksheet(sheet_title(label("sheet.review", lang), set()))
    widths = (None, 60, None, 50, 50, 20, 20, 30, 18)
    columns = [c if w is None else (c, w) for c, w in zip(cols, widths, strict=True)]
    write_sheet(ws, _Formats(wb), SheetSpec(columns, rows))
    col = REVIEW_COLUMNS.index("col.decision")
    ws.data_validation(
        1,
        col,
        max(len(rows), 1),
        col,
        {
            "validate": "list",
            "source": [status_label(s, lang) for s in DECISION_STATUSES],
            "ignore_blank": True,
            "input_message": label("review.help", lang),
        },
    )
    wb.close()
    return out


def _status_from_label(value: str) -> str | None:
    from ..linking.review import DECISION_STATUSES

    v = (value or "").strip().casefold()
    if not v:
        return None
    for s in DECISION_STATUSES:
        if v == s or any(v == label(f"status.{s}", lg).casefold() for lg in LANGS):
            return s
    raise ValueError(value)


def read_review_sheet(path: str | Path) -> list[Any]:
    """The decisions filled in a review sheet (rows with an empty decision are skipped).
    Raises ``ValueError`` naming the row for a decision that is not one of the statuses."""
    from openpyxl import load_workbook

    from ..linking.review import Decision

    wb = load_workbook(Path(path), read_only=True)
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [str(h or "") for h in next(rows, ())]
    where = {}
    for key in REVIEW_COLUMNS:
        names = {label(key, lg) for lg in LANGS}
        idx = next((i for i, h in enumerate(header) if h in names), None)
        if idx is None:
            raise ValueError(msg("gap.review_no_column", column=label(key, "vi")))
        where[key] = idx
    out = []
    for n, row in enumerate(rows, start=2):

        def cell(k: str, row: tuple = row) -> str:
            i = where[k]
            return str(row[i]).strip() if i < len(row) and row[i] is not None else ""

        try:
            status = _status_from_label(cell("col.decision"))
        except ValueError:
            raise ValueError(msg("gap.review_not_status", row=n, value=cell("col.decision"))) from None
        if status is None:
            continue
        fix = [t.strip() for t in cell("col.local_fix").replace(";", ",").split(",") if t.strip()]
        out.append(
            Decision(cell("col.id"), cell("col.key"), status, tuple(fix) if fix else None, cell("col.note"))
        )
    wb.close()
    return out
