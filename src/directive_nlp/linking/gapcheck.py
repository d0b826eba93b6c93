"""Gap check: does a local plan carry out the upstream plan it implements? (spec section 5)

``check(local, upstream)`` takes two extraction dicts (spec section 1) and returns the
``directive-nlp/gapcheck/v1`` JSON: one item per upstream task, saying whether it applies to
the local plan's level (and why), and if so whether the local plan covers it, carries only
part of it (``partial``), carries it with a later or dropped deadline, a weaker target or a
moved responsibility (``distorted``), or not at all (``missing``); plus the local tasks with
no upstream basis (``unmatched_local``).

Stages: applicability (unit levels and blocs, below) -> alignment (``align.py``) -> slot
comparison (``compare.py``) -> status. Coverage is derived from the alignment links each time,
never stored.

Unit knowledge (levels, blocs, counterparts) comes from ``units`` (``UnitResolver``: the
gazetteer first, the unit rules after).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..normalise.text import fold
from ..units import UnitResolver, load_resolver
from ..units.remit import within_remit
from ..units.rules import (
    KIND_BLOC,
    LEVELS,
    LOCAL_LEVELS,
    blocs,
    is_bloc_head,
    is_enterprise,
    is_generic,
    is_local_generic,
)
from . import align as al
from . import compare as cmp
from . import vocab

SCHEMA = "directive-nlp/gapcheck/v1"

# Unit knowledge (levels, blocs, counterparts, the gazetteer) lives in ``units``.

# ---------------------------------------------------------------------------------------
# Applicability
# ---------------------------------------------------------------------------------------

_AREA = re.compile(
    r"(?:trên địa bàn|của|tại)\s+((?:phường|xã|thị trấn|đặc khu|tỉnh|thành phố)\s+[^,.;()]{2,40})\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Applicability:
    applies: bool
    reason: str
    addressees: tuple[str, ...] = ()  # the leads the decision rests on (inherited ones included)
    rule: str = ""  # which rule decided (a key of the message catalogue under "gap.rule.")
    params: tuple[tuple[str, str], ...] = ()  # what the rule's message names
    class_lead: str | None = None  # the addressee is a described class of bodies ("các cơ quan chủ trì …")


def _alternatives(name: str) -> list[str]:
    return [a.strip() for a in (name or "").split("|") if a.strip()]


def _lowest(levels: Iterable[str]) -> str | None:
    lv = sorted(levels, key=lambda x: cmp.LEVEL_RANK.get(x, 9))
    return lv[0] if lv else None


def local_level_of(
    document: Mapping, resolver: UnitResolver, override: str | None = None
) -> tuple[str | None, str]:
    """The local plan's government level and where it comes from.

    The issuer's level (via the gazetteer or rules: "Ủy ban nhân dân phường Hải An" ->
    commune); else the area named at the end of the title ("… trên địa bàn phường Hải An").
    An issuer naming several levels ("UBND phường X, thành phố Y") is the lowest of them.
    """
    if override:
        return override, "given"
    issuer = document.get("issuer") or ""
    if issuer:
        lv = _lowest(resolver.levels_of(issuer))
        if lv:
            return lv, f"issuer '{issuer}'"
    m = _AREA.search(re.sub(r"\s+", " ", document.get("title") or "").strip())
    if m:
        lv = _lowest(resolver.levels_of(m.group(1)))
        if lv:
            return lv, f"title names '{m.group(1)}'"
    return None, "unknown (no issuer level found; pass a level)"


def issuer_bloc(issuer: str | None) -> str:
    """The bloc an implementing body belongs to: 'party', 'mass', 'assembly' (the National
    Assembly, its bodies, its Party delegation) or 'state' (the default)."""
    b = blocs(issuer or "")
    if "assembly" in b and b <= {"assembly", "party"}:
        return "assembly"
    for name in ("party", "mass"):
        if b == {name}:
            return name
    return "state"


@dataclass
class _Addressee:
    name: str
    levels: set[str]
    blocs: set[str]
    generic: bool
    enterprise: bool
    qualified: bool = False  # a relative addressee narrowed by a description in the text


def _addressee(name: str, resolver: UnitResolver) -> _Addressee:
    alts = _alternatives(name) or [name]
    levels: set[str] = set()
    for a in alts:
        levels |= resolver.levels_of(a)
    kind = resolver.kind(alts[0])
    bl = blocs(alts[0]) | ({KIND_BLOC[kind]} if kind in KIND_BLOC else set())
    return _Addressee(
        alts[0],
        levels,
        bl,
        any(is_generic(a) for a in alts),
        kind == "doanh_nghiep" or all(is_enterprise(a) for a in alts),
    )


def _resolve_levels(
    group: list[_Addressee],
    *,
    issuer: str,
    level: str | None,
    resolver: UnitResolver,
    writer_levels: set[str],
) -> None:
    """Give levels to addressees that state none.

    "The relevant bodies" ("các cơ quan liên quan") are the writer's own (``writer_levels``,
    the upstream issuer's levels); other generic addressees of no stated level ("các cơ quan
    chủ trì quản lý, vận hành các nền tảng số") take the levels of the units named with them,
    or every level when alone; a named unit of unknown level addresses the local plan only
    when it is the local issuer."""
    named_levels = set().union(*(a.levels for a in group)) if group else set()
    for a in group:
        if a.levels or a.enterprise:
            continue
        if resolver.relative(a.name) and not a.qualified:
            a.levels = set(writer_levels)
        elif a.generic:
            a.levels = set(named_levels) or set(LEVELS)
        elif issuer and resolver.same_unit(a.name, issuer):
            a.levels = {level} if level else set(LOCAL_LEVELS)


def _bloc_ok(a: _Addressee, bloc: str) -> bool:
    if not a.blocs or bloc in a.blocs:
        return True
    if bloc == "party" and "state" in a.blocs:
        # a party committee (or its office, its steering committee) leads the whole local
        # political system: its plans carry the tasks addressed to the local government too
        return True
    return is_local_generic(a.name)  # "địa phương", "các cấp": whole localities


def _names(addrs: Sequence[_Addressee], n: int = 4) -> str:
    names = [a.name for a in addrs]
    return ", ".join(names[:n]) + (", …" if len(names) > n else "")


_LEVEL_KIND_LABEL = {
    "enterprises": "enterprises only",
    "central": "central bodies only",
    "province": "province level only",
    "commune": "commune level only",
    "none": "bodies of no local level only",
    "other": "other levels only",
}


def _level_kind(addrs: Sequence[_Addressee]) -> str:
    levels = set().union(*(a.levels for a in addrs)) if addrs else set()
    if addrs and all(a.enterprise for a in addrs):
        return "enterprises"
    if len(levels) == 1:
        return next(iter(levels))
    return "none" if not levels else "other"


def _level_label(addrs: Sequence[_Addressee]) -> str:
    return _LEVEL_KIND_LABEL[_level_kind(addrs)]


# Words that open a relative clause describing a class of bodies ("các cơ quan được giao …",
# "các cơ quan chủ trì quản lý, vận hành các nền tảng số"), as opposed to the predicate.
_QUALIFIER_START = re.compile(
    r"^\s*(được giao|được phân công|chủ trì quản lý|quản lý|vận hành|thuộc|trực thuộc|trong|của|tại|"
    r"có chức năng|sở hữu|đang)\b",
    re.IGNORECASE,
)


def _qualified(name: str, text: str) -> bool:
    """Is a relative addressee ("các cơ quan") qualified in the task text by a description?"""
    n = len(name or "")
    head = (text or "")[:n]
    return bool(n) and fold(head) == fold(name) and bool(_QUALIFIER_START.match(text[n:]))


_PLACE_STOP = {fold(w) for w in ("Thành phố", "Trung ương", "Chính phủ", "Việt Nam", "Nhân dân")}


def place_of(name: str) -> str | None:
    """The place a unit name ends with: two or more capitalised words after a lower-case word
    or an abbreviation ("Thành uỷ Hà Nội" -> "Hà Nội", "UBND TP Hải Phòng" -> "Hải Phòng")."""
    words = re.findall(r"\w+", name or "")
    run: list[str] = []
    for w in reversed(words):
        if not w[:1].isupper() or (len(w) > 1 and w.isupper()):  # a lower-case word or "UBND", "TP"
            break
        run.insert(0, w)
    if len(run) < 2 or len(run) == len(words):
        return None
    place = " ".join(run)
    return None if fold(place) in _PLACE_STOP else place


def _same_place(name: str, local_place: str) -> bool:
    place = place_of(name)
    return place is None or f" {fold(place)} " in f" {fold(local_place)} "


def applicability(
    task: Mapping,
    *,
    level: str | None,
    issuer: str,
    bloc: str,
    resolver: UnitResolver,
    upstream_issuer: str | None = None,
    inherited_lead: Sequence[str] = (),
    local_place: str = "",
) -> Applicability:
    """Does an upstream task apply to a local plan of ``level``?

    It applies when one of its leads (the units addressed, "chủ trì") includes that level, in
    a bloc the local issuer belongs to (a People's Committee does not carry tasks addressed
    to the Front and socio-political organisations). Units named only as partners
    ("phối hợp") do not make a task apply. ``level`` None means "some local level".

    A lead the extractor only implied (``lead_implied``: the issuer) gives way to
    ``inherited_lead``, the addressees of the preceding task of the same section: a passive
    obligation ("Toàn bộ dữ liệu … phải được cập nhật …") continues the sentence before it.

    A named unit of a place ("Thành uỷ Hà Nội") addresses that place only: it applies when
    the place occurs in ``local_place`` (the local issuer and title).
    """
    if task.get("optional"):
        return Applicability(False, "optional upstream task (not a firm obligation)", rule="optional")
    lead_names = [n for n in (task.get("lead") or []) if n]
    implied = False
    if task.get("lead_implied") and inherited_lead:
        lead_names = list(inherited_lead)
    elif not lead_names and upstream_issuer:
        lead_names, implied = [upstream_issuer], True
    elif task.get("lead_implied"):
        implied = True
    if not lead_names:
        return Applicability(False, "no addressee", rule="no_addressee")
    if implied and level == "central" and upstream_issuer and "party" in blocs(upstream_issuer):
        # a Party resolution addressed to the whole system: the implementing body carries the
        # tasks without an addressee of their own that lie within its remit
        inside, phrase = within_remit(bloc, task.get("text") or "")
        where = f"'{phrase}'" if phrase else "no phrase of it"
        if inside:
            return Applicability(
                True,
                f"implied lead ({upstream_issuer}); within the {bloc} remit ({where})",
                tuple(lead_names),
                rule="remit",
                params=(("bloc", bloc), ("phrase", phrase or "")),
            )
        return Applicability(
            False,
            f"implied lead ({upstream_issuer}); outside the {bloc} remit ({where})",
            rule="outside_remit",
            params=(("bloc", bloc), ("phrase", phrase or "")),
        )
    writer = resolver.levels_of(upstream_issuer) if upstream_issuer else set()
    leads = [_addressee(n, resolver) for n in lead_names]
    for a in leads:
        if not a.levels and _qualified(a.name, task.get("text") or ""):
            a.generic, a.qualified = True, True
    _resolve_levels(leads, issuer=issuer, level=level, resolver=resolver, writer_levels=writer)
    wanted = {level} if level else set(LOCAL_LEVELS)
    hits = [a for a in leads if a.levels & wanted]
    elsewhere = [
        a
        for a in hits
        if not a.generic and not resolver.same_unit(a.name, issuer) and not _same_place(a.name, local_place)
    ]
    hits = [a for a in hits if a not in elsewhere]
    if level == "central":
        # at the central level a named body is its own implementer: a ministry's plan carries
        # the tasks addressed to that ministry (or to the head of its bloc), a Government
        # programme those addressed to any body of the Government
        hits = [
            a
            for a in hits
            if a.generic or is_bloc_head(issuer) or is_bloc_head(a.name) or resolver.same_unit(a.name, issuer)
        ]
    fitting = [a for a in hits if _bloc_ok(a, bloc)]
    if fitting:
        return Applicability(
            True,
            f"addressed to {_names(fitting)}",
            tuple(lead_names),
            "addressed",
            (("names", _names(fitting)),),
            class_lead=next((a.name for a in fitting if a.qualified), None),
        )
    if hits:
        return Applicability(
            False,
            f"addressed to {_names(hits)}, a bloc other than the issuer's ({bloc})",
            rule="other_bloc",
            params=(("names", _names(hits)), ("bloc", bloc)),
        )
    if elsewhere:
        return Applicability(
            False,
            f"addressed to {_names(elsewhere)}, another locality",
            rule="other_locality",
            params=(("names", _names(elsewhere)),),
        )
    support = [_addressee(n, resolver) for n in (task.get("support") or []) if n]
    _resolve_levels(support, issuer=issuer, level=level, resolver=resolver, writer_levels=writer)
    partners = [a for a in support if a.levels & wanted and _bloc_ok(a, bloc) and a.generic]
    kind = _level_kind(leads)
    label = _LEVEL_KIND_LABEL[kind]
    who = ("implied lead " if implied else "") + _names(leads)
    params = (("kind", kind), ("names", _names(leads)), ("implied", "1" if implied else ""))
    if partners:
        return Applicability(
            False,
            f"{label.replace(' only', '')} lead ({who}); {_names(partners, 2)} only phối hợp",
            rule="partner_only",
            params=(*params, ("partners", _names(partners, 2))),
        )
    return Applicability(False, f"{label} ({who})", rule="other_level", params=params)


# ---------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------

_DMY = re.compile(r"\b(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})\b")
_DMY_WORDS = re.compile(r"\bngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})\b", re.IGNORECASE)
_DEADLINE_CUE = re.compile(
    r"(đến|trước|hoàn thành|chậm nhất|hạn|hết|tới|kết thúc)\s*(ngày)?\s*$", re.IGNORECASE
)


def _iso(d: str, m: str, y: str) -> str | None:
    try:
        return date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def mentioned_dates(text: str) -> list[str]:
    """Full dates a text mentions other than as deadlines ("đến ngày …", "trước ngày …")."""
    out = []
    for rx in (_DMY, _DMY_WORDS):
        for m in rx.finditer(text or ""):
            if _DEADLINE_CUE.search(text[max(0, m.start() - 20) : m.start()]):
                continue
            iso = _iso(*m.groups())
            if iso:
                out.append(iso)
    return sorted(set(out))


def upstream_issue_date(upstream: Mapping, local: Mapping) -> str | None:
    """The upstream's issue date, else the date the local plan gives when citing it."""
    doc = upstream.get("document") or {}
    if doc.get("issued_date"):
        return doc["issued_date"]
    sym = doc.get("symbol")
    for c in local.get("citations") or []:
        if sym and c.get("symbol") == sym and c.get("date"):
            return c["date"]
    return None


@dataclass(frozen=True)
class PlanDate:
    date: str | None
    basis: str
    proxy: bool


def plan_date_of(local: Mapping, upstream: Mapping, local_text: str | None = None) -> PlanDate:
    """The local plan's issue date, or a proxy when it has none: the latest date the local
    text mentions (other than deadlines), or the dates it cites, or the upstream issue date."""
    doc = local.get("document") or {}
    if doc.get("issued_date"):
        return PlanDate(doc["issued_date"], "local issue date", False)
    cands: list[tuple[str, str]] = []
    up = upstream_issue_date(upstream, local)
    if up:
        cands.append((up, "upstream issue date"))
    if local_text:
        ds = mentioned_dates(local_text)
        if ds:
            cands.append((ds[-1], "latest date mentioned in the local text"))
    else:
        cited = sorted(c["date"] for c in local.get("citations") or [] if c.get("date"))
        if cited:
            cands.append((cited[-1], "latest date cited by the local plan"))
    if not cands:
        return PlanDate(None, "unknown", True)
    best = max(cands)
    return PlanDate(best[0], best[1], True)


# ---------------------------------------------------------------------------------------
# Judgement of one applicable upstream task
# ---------------------------------------------------------------------------------------

# Calibrated on both development pairs together (scripts/eval_gapcheck.py, --calibrate): the
# values maximise the lower of the two pairs' distorted|partial F1, on a plateau (neighbouring
# values lose at most 0.03).
COVERED_MIN = 0.40  # share of the upstream content the local document must carry to cover it
COVERAGE_POOL = 10  # retrieved local tasks read for coverage ...
COVERAGE_SIM = 0.20  # ... when at least this similar to the upstream task
DISTORTING = {"deadline_relaxed", "deadline_dropped", "lead_changed", "modality_softened"}


@dataclass
class Judgement:
    status: str
    issues: list[str]
    findings: list[cmp.Finding]
    coverage: float
    evidence: str


_PHRASE_SPLIT = re.compile(r"[,;:.()\n]|\s[-–]\s")


def uncarried_phrases(
    text: str,
    carried: Mapping[str, float],
    stats: al.TermStats,
    *,
    units: Sequence[str] = (),
    limit: int = 3,
    max_share: float = 0.34,
) -> list[str]:
    """Comma-separated phrases of the upstream text whose content words the local tasks
    mostly lack ("tránh lãng phí", "số hoá 100% kết quả giải quyết TTHC …"), for evidence."""
    out = []
    for raw in _PHRASE_SPLIT.split(text or ""):
        phrase = raw.strip()
        terms = {t: w for t, w in al.terms_of_text(phrase, units).items() if "_" not in t}
        if len(terms) < 2:
            continue
        mass = stats.mass(terms)
        got = sum(stats.idf(t) * w for t, w in terms.items() if t in carried)
        if mass and got / mass < max_share:
            out.append(cmp.shorten(phrase, 45))
            if len(out) == limit:
                break
    return out


def _quote(text: str, n: int = 90) -> str:
    return f"\u201c{cmp.shorten(text, n)}\u201d"


def judge(
    task: Mapping,
    locals_: Sequence[Mapping],
    *,
    alignment: al.Alignment,
    plan: PlanDate,
    local_level: str | None,
    resolver: UnitResolver,
    local_context: str = "",
    addressees: Sequence[str] = (),
    extra: Sequence[cmp.Finding] = (),
    class_lead: str | None = None,
) -> Judgement:
    """Status, issues and evidence for one applicable upstream task and its local tasks."""
    dl = task.get("deadline") or {}
    up_side = f"upstream: {_quote(task.get('text') or '')} ({cmp.describe_deadline(dl)})"
    if not locals_:
        return Judgement("missing", [], [], 0.0, f"{up_side}; local: no task carries it out")
    texts = [lt.get("text") or "" for lt in locals_]
    up_text = task.get("text") or ""
    findings: list[cmp.Finding] = list(extra)
    findings += cmp.compare_deadline(
        dl,
        [lt.get("deadline") for lt in locals_],
        upstream_text=up_text,
        local_texts=texts,
        plan_date=plan.date,
        plan_date_proxy=plan.proxy,
    )
    findings += cmp.compare_targets(up_text, texts, local_context=local_context)
    findings += cmp.compare_enumerations(up_text, texts)
    findings += cmp.compare_quoted_names(up_text, texts)
    findings += cmp.compare_role(up_text, texts)
    findings += cmp.compare_modality(up_text, texts)
    if class_lead:
        # a task for every body of a described class ("các cơ quan chủ trì quản lý, vận hành các
        # nền tảng số") given to one named body alone has moved the responsibility
        leads = [lt.get("lead") or [] for lt in locals_]
        if all(len(ls) == 1 and not is_generic(ls[0]) for ls in leads):
            named = sorted({ls[0] for ls in leads})
            if len(named) == 1:
                findings.append(
                    cmp.finding("lead_changed", "lead.concentrated", up=class_lead, local=named[0])
                )
    if local_level:
        findings += cmp.compare_lead(
            [a for n in addressees or task.get("lead") or [] for a in _alternatives(n)[:1]],
            [lt.get("lead") or [] for lt in locals_],
            local_level=local_level,
            levels_of=resolver.levels_of,
            same_unit=resolver.same_unit,
            counterpart=resolver.counterpart,
            is_generic=is_generic,
        )
    # coverage of the upstream content by the union of the local tasks
    # A careful reader looks for the upstream content across the whole local document: the
    # accepted local tasks and every other retrieved task close enough to be about it.
    up_terms = alignment.up_terms[task["id"]]
    readers = {lt["id"] for lt in locals_} | {
        c.local for c in alignment.ranking.get(task["id"], [])[:COVERAGE_POOL] if c.sim >= COVERAGE_SIM
    }
    carried: dict[str, float] = {}
    for lid in readers:
        for t, w in alignment.loc_terms.get(lid, {}).items():
            carried[t] = max(carried.get(t, 0.0), w)
    _, coverage, _ = al.weighted_overlap(up_terms, carried, alignment.stats)
    if coverage < COVERED_MIN:
        gaps = uncarried_phrases(up_text, carried, alignment.stats, units=al.task_units(task))
        pct = round(100 * coverage)
        if gaps:
            findings.append(
                cmp.finding(
                    "scope_narrowed", "scope.coverage_gaps", pct=pct, gaps="; ".join(f"'{g}'" for g in gaps)
                )
            )
        else:
            findings.append(cmp.finding("scope_narrowed", "scope.coverage", pct=pct))
    issues = [i for i in cmp.ISSUES if any(f.issue == i for f in findings)]
    if any(f.issue in DISTORTING or (f.issue == "target_weakened" and f.distorts) for f in findings):
        status = "distorted"
    elif issues:
        status = "partial"
    else:
        status = "covered"
    ids = ", ".join(lt["id"] for lt in locals_)
    loc_dl = ", ".join(sorted({cmp.describe_deadline(lt.get("deadline")) for lt in locals_}))
    loc_side = f"local {ids}: {_quote(texts[0], 70)}" + (
        f" (+{len(texts) - 1} more)" if len(texts) > 1 else ""
    )
    notes = "; ".join(f.detail for f in findings)
    evidence = f"{up_side}; {loc_side} ({loc_dl})" + (f"; {notes}" if notes else "")
    return Judgement(status, issues, findings, coverage, evidence)


# ---------------------------------------------------------------------------------------
# The check
# ---------------------------------------------------------------------------------------


def _doc_ref(ex: Mapping) -> str | None:
    doc = ex.get("document") or {}
    return doc.get("symbol") or (ex.get("source") or {}).get("path")


@dataclass
class GapItem:
    """One upstream task judged against the local plan (spec section 5 item)."""

    upstream_task: str
    upstream_text: str
    applicability: Applicability
    section: str | None = None
    upstream_lead: list[str] = field(default_factory=list)
    upstream_deadline: Mapping[str, Any] | None = None
    status: str | None = None  # covered | partial | distorted | missing (None: does not apply)
    local_tasks: list[str] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)
    evidence: str = ""
    coverage: float | None = None
    findings: list[cmp.Finding] = field(default_factory=list)
    matches: list[tuple[al.Candidate, str]] = field(default_factory=list)  # accepted, with local text
    candidates: list[al.Candidate] = field(default_factory=list)  # retrieved, best first

    @property
    def applies(self) -> bool:
        return self.applicability.applies

    def to_dict(self) -> dict[str, Any]:
        a = self.applicability
        out: dict[str, Any] = {
            "upstream_task": self.upstream_task,
            "upstream_text": self.upstream_text,
            "section": self.section,
            "upstream_lead": list(self.upstream_lead),
            "upstream_deadline": self.upstream_deadline,
            "applies": a.applies,
            "applies_reason": a.reason,
            "applies_rule": a.rule,
            "applies_params": dict(a.params),
            "status": self.status,
            "local_tasks": list(self.local_tasks),
            "issues": list(self.issues),
            "evidence": self.evidence,
            "local_matches": [_match(c, text) for c, text in self.matches],
        }
        if a.applies:
            out["coverage"] = self.coverage
            out["findings"] = [f.to_dict() for f in self.findings]
            out["candidates"] = [
                {"task": c.local, "similarity": round(c.sim, 3), "accepted": c.accepted}
                for c in self.candidates
            ]
        return out


@dataclass
class GapReport:
    """The gap check of one local plan against its upstream document (spec section 5)."""

    upstream: str | None
    local: str | None
    local_level: str | None
    local_level_basis: str
    local_issuer: str | None
    plan_date: PlanDate
    units: str
    notes: list[str]
    items: list[GapItem]
    unmatched_local: list[str]
    local_tasks: list[Mapping[str, Any]]

    def stats(self) -> dict[str, Any]:
        by_status: dict[str, int] = {s: 0 for s in ("covered", "partial", "distorted", "missing")}
        issues: dict[str, int] = {}
        for it in self.items:
            if it.applies and it.status:
                by_status[it.status] += 1
                for i in it.issues:
                    issues[i] = issues.get(i, 0) + 1
        return {
            "upstream_tasks": len(self.items),
            "applicable": sum(1 for it in self.items if it.applies),
            **by_status,
            "issues": issues,
            "local_tasks": len(self.local_tasks),
            "unmatched_local": len(self.unmatched_local),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "upstream": self.upstream,
            "local": self.local,
            "local_level": self.local_level,
            "local_level_basis": self.local_level_basis,
            "local_issuer": self.local_issuer,
            "plan_date": self.plan_date.date,
            "plan_date_basis": self.plan_date.basis,
            "units": self.units,
            "notes": list(self.notes),
            "items": [it.to_dict() for it in self.items],
            "unmatched_local": list(self.unmatched_local),
            "local_texts": {
                t["id"]: {
                    "text": t.get("text") or "",
                    "lead": t.get("lead") or [],
                    "deadline": t.get("deadline"),
                }
                for t in self.local_tasks
            },
            "stats": self.stats(),
        }


def check(
    local: Mapping,
    upstream: Mapping,
    *,
    local_level: str | None = None,
    local_text: str | None = None,
    resolver: UnitResolver | None = None,
) -> dict[str, Any]:
    """Gap check of a local plan against the upstream plan it implements, as the spec's JSON
    (``check_report(...).to_dict()``)."""
    return check_report(
        local, upstream, local_level=local_level, local_text=local_text, resolver=resolver
    ).to_dict()


def check_report(
    local: Mapping,
    upstream: Mapping,
    *,
    local_level: str | None = None,
    local_text: str | None = None,
    resolver: UnitResolver | None = None,
) -> GapReport:
    """Gap check of a local plan against the upstream plan it implements (spec section 5).

    ``local`` and ``upstream`` are extraction dicts (``Extraction.to_dict()`` or a gold file).
    ``local_level`` overrides the level read from the local issuer ("commune", "province",
    "central"). ``local_text`` (the local document's text, optional) lets the check date a
    local plan that states no issue date and see targets restated outside the task list.
    """
    resolver = resolver or load_resolver()
    words = vocab.load()
    ldoc = local.get("document") or {}
    udoc = upstream.get("document") or {}
    level, level_basis = local_level_of(ldoc, resolver, local_level)
    issuer = ldoc.get("issuer") or ""
    bloc = issuer_bloc(issuer)
    plan = plan_date_of(local, upstream, local_text)
    up_tasks = [t for t in upstream.get("tasks") or [] if t.get("id")]
    loc_tasks = [t for t in local.get("tasks") or [] if t.get("id")]
    loc_by_id = {t["id"]: t for t in loc_tasks}
    inherited = inherited_leads(up_tasks)

    place = f"{issuer} {ldoc.get('title') or ''}"
    appl = {
        t["id"]: applicability(
            t,
            level=level,
            issuer=issuer,
            bloc=bloc,
            resolver=resolver,
            upstream_issuer=udoc.get("issuer"),
            inherited_lead=inherited.get(t["id"], ()),
            local_place=place,
        )
        for t in up_tasks
    }
    skip = [s for s in (udoc.get("symbol"), ldoc.get("symbol")) if s]
    context = al.title_terms(udoc.get("title"), ldoc.get("title"))
    # one alignment of every upstream task: the applicable ones are judged on it, and it says
    # which local tasks have no upstream basis at all
    alignment = al.align(up_tasks, loc_tasks, skip_cites=skip, context_terms=context)
    local_context = local_text or " ".join(
        [t.get("text") or "" for t in loc_tasks] + [x for t in loc_tasks for x in t.get("targets") or []]
    )

    items: list[GapItem] = []
    used: set[str] = set()
    for t in up_tasks:
        a = appl[t["id"]]
        item = GapItem(
            t["id"],
            t.get("text") or "",
            a,
            section=t.get("section"),
            upstream_lead=list(t.get("lead") or []),
            upstream_deadline=t.get("deadline"),
        )
        items.append(item)
        if not a.applies:
            item.evidence = f"Not addressed to the local plan: {a.reason}."
            continue
        accepted = alignment.accepted(t["id"])
        product = words.deliverable(t.get("text") or "", al.STOPWORDS | al.GENERIC)
        lacking = product is not None and not any(
            product.carried_by(loc_by_id[c.local].get("text") or "", words)
            for c in [*accepted, *alignment.ranking.get(t["id"], [])[: al.TOP_K]]
        )
        if lacking and product is not None:
            # the local tasks share domain words with it but none makes its product
            for c in accepted:
                c.accepted, c.reason = False, f"does not name '{product.phrase}'"
            accepted = []
        locs = [loc_by_id[c.local] for c in accepted]
        extra: list[cmp.Finding] = []
        if product is not None and product.review and locs:
            makers = [lt for lt in locs if product.carried_by(lt.get("text") or "", words)]
            if makers and not any(vocab.reviews(lt.get("text") or "") for lt in makers):
                extra.append(cmp.finding("scope_narrowed", "scope.review", product=product.phrase))
        j = judge(
            t,
            locs,
            alignment=alignment,
            plan=plan,
            local_level=level,
            resolver=resolver,
            local_context=local_context,
            addressees=a.addressees,
            extra=extra,
            class_lead=a.class_lead,
        )
        used |= {c.local for c in accepted}
        item.status, item.issues, item.evidence = j.status, j.issues, j.evidence
        item.local_tasks = [c.local for c in accepted]
        item.coverage = round(j.coverage, 3)
        item.findings = j.findings
        item.matches = [(c, loc_by_id[c.local].get("text") or "") for c in accepted]
        item.candidates = alignment.ranking.get(t["id"], [])[:10]

    return GapReport(
        _doc_ref(upstream),
        _doc_ref(local),
        level,
        level_basis,
        issuer or None,
        plan,
        resolver.source,
        list(resolver.notes),
        items,
        _unmatched(alignment, loc_tasks, used),
        loc_tasks,
    )


def inherited_leads(tasks: Sequence[Mapping]) -> dict[str, list[str]]:
    """For each task whose lead is only implied, the explicit lead of the nearest preceding
    task in the same section, if any."""
    out: dict[str, list[str]] = {}
    last: dict[str, list[str]] = {}
    for t in tasks:
        sec = t.get("section") or ""
        if t.get("lead_implied"):
            if sec in last:
                out[t["id"]] = last[sec]
        elif t.get("lead"):
            last[sec] = list(t["lead"])
    return out


def _match(c: al.Candidate, text: str) -> dict[str, Any]:
    return {
        "task": c.local,
        "similarity": round(c.sim, 3),
        "reason": c.reason,
        "shared": c.shared[:4],
        "text": text,
    }


UNMATCHED_SIM = al.ACCEPT_SIM


def _unmatched(alignment: al.Alignment, loc_tasks: Sequence[Mapping], used: set[str]) -> list[str]:
    """Local tasks with no upstream basis: not aligned to an applicable upstream task, and
    not similar enough to any upstream task at all (applicable or not)."""
    everywhere = alignment.local_ids_used()
    out = []
    for t in loc_tasks:
        if t["id"] in used or t["id"] in everywhere:
            continue
        best = alignment.best_upstream.get(t["id"])
        if best is None or best.sim < UNMATCHED_SIM:
            out.append(t["id"])
    return out
