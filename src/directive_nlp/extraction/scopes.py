"""Scope stage (spec v1.1 sections 2 and 3): what a heading or an introducing sentence hands
down to the items below it.

Every heading and every introducing sentence ("Các sở, ban, ngành … tập trung thực hiện các
nhiệm vụ sau:", "Từ nay đến cuối năm 2025, …:", "Giao Sở Nội vụ thực hiện các nội dung sau
đây:") opens a scope carrying what its items inherit: addressees (lead and support), a time
bound, and the kind of part it opens (tasks, goals, purposes, requirements, viewpoints,
recipients, other). A task takes its lead and deadline from its own words first, then from the
innermost scope that gives one, then from the implied issuer; :meth:`ScopeIndex.resolve` is the
one place that decides this.

The rules (cue phrases, part keywords, goal items) are data in ``gazetteers/scopes.toml``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache

from ..model import Deadline
from ..normalise.text import key
from ..outline import Node
from . import deadlines as dl
from .grammar import data_file
from .unitlists import is_unit_start, parse_units, split_units, subject_end

PART_KINDS = ("tasks", "goals", "purposes", "requirements", "viewpoints", "recipients", "other")

# where a lead or a deadline came from (Task.lead_source / Task.deadline_source)
STATED = "stated"
FIELD_LINE = "field_line"
HEADING = "heading"
INTRO = "introducing_sentence"
TABLE_COLUMN = "table_column"
PHASE = "phase"
IMPLIED_ISSUER = "implied_issuer"


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


def _key_alt(words: list[str]) -> str:
    return "|".join(re.escape(key(w)).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class ScopeRules:
    data: dict
    announces: re.Pattern  # "… các nhiệm vụ sau:" at the end of a sentence
    topic_list: re.Pattern  # "… bao gồm:" (the items are contents, not tasks)
    addressee_verb: re.Pattern
    assign: re.Pattern
    speech: re.Pattern
    time_bound: re.Pattern
    assign_end: re.Pattern  # "… đề nghị các đơn vị:" (the addressees close the sentence)
    back_references: frozenset[str]
    kinh_gui: re.Pattern
    parts: dict[str, re.Pattern]
    goal_level: re.Pattern
    goal_ratio: re.Pattern


@lru_cache(maxsize=1)
def rules() -> ScopeRules:
    data = tomllib.loads(data_file("scopes.toml").read_text(encoding="utf-8"))
    intro, tb, goals = data["intro"], data["time_bound"], data["goal_items"]
    time_prefix = r"(?:(?:đến|tới|trong)\s+(?:hết\s+|cuối\s+)?năm\s+(?:19|20)\d{2}\s*,?\s*)?"
    return ScopeRules(
        data=data,
        announces=re.compile(r"(?<![\wÀ-ỹ])(?:" + _alt(intro["announces"]) + r")\s*:\s*$", re.I),
        topic_list=re.compile(r"(?<![\wÀ-ỹ])(?:" + _alt(intro["topic_list"]) + r")\s*:\s*$", re.I),
        addressee_verb=re.compile(r"(?<![\wÀ-ỹ])(?:" + _alt(intro["addressee_verbs"]) + r")(?![\wÀ-ỹ])"),
        assign=re.compile(r"(?:^|(?<=\s))(?:" + _alt(intro["assign_words"]) + r")\s+(?=\S)", re.I),
        speech=re.compile(r"(?<![\wÀ-ỹ])(?:" + _alt(intro["speech_verbs"]) + r")(?![\wÀ-ỹ])", re.I),
        time_bound=re.compile(r"^\W*(?:" + _alt(tb["openers"]) + r")(?![\wÀ-ỹ])", re.I),
        assign_end=re.compile(
            r"^.*(?<![\wÀ-ỹ])(?:" + _alt(intro["assign_words"]) + r")\s+(?P<units>[^:]{3,120}):\s*$"
        ),
        back_references=frozenset(key(w) for w in intro["back_references"]),
        kinh_gui=re.compile(
            r"(?:^|(?<=\s))(?:" + _alt(data["kinh_gui"]["openers"]) + r")\s*:\s*(?P<rest>.*)$", re.I
        ),
        parts={
            kind: re.compile(r"(?<!\w)(?:" + _key_alt(data["parts"][kind]) + r")(?!\w)")
            for kind in PART_KINDS
        },
        goal_level=re.compile(
            r"^\W*" + time_prefix + r"(?:(?:" + _alt(goals["qualifiers"]) + r")\s+)?"
            r"(?:đạt\s+)?\d{1,3}(?:[.,]\d+)?\s*%",
            re.I,
        ),
        goal_ratio=re.compile(
            r"^\W*"
            + time_prefix
            + r"(?:"
            + _alt(goals["ratio_openers"])
            + r")\s.{0,160}?\bđạt\b[^.;]{0,30}?\d\s*%",
            re.I,
        ),
    )


# ---- classification of single lines ------------------------------------------------------
def part_kind(heading: str) -> str | None:
    """The kind of part a heading opens ("II. NHIỆM VỤ, GIẢI PHÁP" -> "tasks",
    "I. MỤC ĐÍCH, YÊU CẦU" -> "purposes"), the keyword that stands first deciding; None when
    the heading names no part."""
    text = key(heading[:160])
    best: tuple[int, str] | None = None
    for kind, pat in rules().parts.items():
        m = pat.search(text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), kind)
    return best[1] if best else None


def is_goal_item(text: str) -> bool:
    """Does the item state a level to reach rather than an action ("100% hồ sơ được số hóa",
    "Tối thiểu 80% …", "Phấn đấu 50% …", "Tỷ lệ … đạt 90%")?"""
    r = rules()
    t = text.strip()
    return bool(r.goal_level.match(t) or r.goal_ratio.match(t))


@dataclass(frozen=True)
class Intro:
    """An introducing sentence: what the items below it inherit."""

    lead: tuple[str, ...] = ()
    deadline: Deadline | None = None
    topic_list: bool = False  # "… bao gồm:": the items below are contents of this one


def time_bound(text: str) -> Deadline | None:
    """The end an opening time phrase sets ("Từ nay đến cuối năm 2025, …") as an inherited
    ``by_date`` deadline."""
    if not rules().time_bound.match(text):
        return None
    head = re.split(r",|:", text, maxsplit=1)[0]
    for h in dl.find_deadlines(head):
        if h.deadline.due:
            return Deadline("by_date", h.deadline.due, None, None, inherited=True)
    return None


def intro_addressees(text: str) -> list[str]:
    """Units an introducing sentence hands its items ([] when it names none, or when it only
    announces the issuer's own words: "Thường trực Tỉnh ủy kết luận như sau:")."""
    r = rules()
    body = text.strip().rstrip(":").strip()
    # drop an opening time phrase: "Từ nay đến cuối năm 2025, các sở …"
    if r.time_bound.match(body) and "," in body:
        body = body.split(",", 1)[1].strip()
    m = r.assign.search(body)
    if m and is_unit_start(body[m.end() :]):
        after = body[m.end() :]
        pu = parse_units(after)
        if pu.lead_stated:
            return pu.lead
        return split_units(r.announces.sub("", after + ":").strip(" ,:"))
    if r.speech.search(body):
        return []
    pu = parse_units(body)
    end = subject_end(body)
    if not pu.lead_stated or not end or not r.addressee_verb.search(body[end : end + 80]):
        return []
    return pu.lead


def read_intro(text: str) -> Intro | None:
    """An introducing sentence ("… thực hiện các nhiệm vụ sau:"), or None."""
    r = rules()
    t = text.strip()
    if not t.endswith(":") or len(t.split()) > 70:
        return None
    if r.topic_list.search(t) and not r.announces.search(t):
        return Intro(topic_list=True)
    if not r.announces.search(t):
        m = r.assign_end.search(t)
        if not m or not is_unit_start(m.group("units")):
            return None
        return Intro(lead=tuple(split_units(m.group("units"))), deadline=time_bound(t))
    return Intro(lead=tuple(intro_addressees(t)), deadline=time_bound(t))


def is_back_reference(units: list[str] | tuple[str, ...]) -> bool:
    """ "các đơn vị", "quý cơ quan": words that refer back to the letter's addressees."""
    return bool(units) and all(key(u) in rules().back_references for u in units)


@dataclass(frozen=True)
class Addressees:
    """A letter's or telegram's addressees and the lines (positions in the block list) that
    name them."""

    units: tuple[str, ...] = ()
    lines: tuple[int, ...] = ()


def addressees(blocks: list[str]) -> Addressees:
    """ "Kính gửi: - Sở …; - Ủy ban nhân dân các xã …", "THỦ TƯỚNG CHÍNH PHỦ điện: - Bộ trưởng …"."""
    for i, text in enumerate(blocks[:40]):
        m = rules().kinh_gui.search(text.strip())
        if not m:
            continue
        units = split_units(m.group("rest")) if m.group("rest").strip() else []
        lines = [i] if units else []
        for k, nxt in enumerate(blocks[i + 1 : i + 20], i + 1):
            t = nxt.strip()
            if not re.match(r"^[-–+•]\s*\S", t):
                break
            units.extend(split_units(t.lstrip("-–+• ")))
            lines.append(k)
        return Addressees(tuple(u for u in units if is_unit_start(u)), tuple(lines))
    return Addressees()


def kinh_gui(blocks: list[str]) -> list[str]:
    """The addressees' names (see :func:`addressees`)."""
    return list(addressees(blocks).units)


def acting_body(line: str) -> str | None:
    """The central body a title or signature line names ("T/M BỘ CHÍNH TRỊ", "CỦA BAN BÍ
    THƯ") in its written form, else None."""
    m = re.match(
        r"^\W*(?:[A-ZĐÀ-Ỹ]+(?:\s+[A-ZĐÀ-Ỹ]+)*\s+)??(?:T\s*/\s*M\.?|TM\.?|CỦA)\s+(?P<body>.+?)\W*$",
        line.strip(),
    )
    if not m:
        return None
    body = key(m.group("body"))
    for name in rules().data["implied_issuer"]["acting_bodies"]:
        if key(name) == body:
            return name
    return None


def implied_issuer(lines: list[str], issuer: str | None) -> str | None:
    """The implied lead of tasks that name no unit: the body a central document names as
    acting in its title or signature, else the issuer of its header."""
    for line in lines:
        if len(line.split()) <= 8:
            body = acting_body(line)
            if body:
                return body
    return issuer


# ---- the scope index ---------------------------------------------------------------------
@dataclass(frozen=True)
class Scope:
    """What one heading or introducing sentence hands down."""

    kind: str | None = None  # part kind, None when it does not change the part
    lead: tuple[str, ...] = ()
    support: tuple[str, ...] = ()
    lead_source: str | None = None  # heading | introducing_sentence
    support_intro: bool = False  # "… phối hợp với: (1) A …": the parts name support units
    deadline: Deadline | None = None
    deadline_text: str | None = None
    deadline_source: str | None = None  # phase | introducing_sentence | heading


@dataclass
class Inherited:
    """What a node inherits from its scopes (innermost first)."""

    kind: str | None = None
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    lead_source: str | None = None
    support_intro: bool = False
    deadline: Deadline | None = None
    deadline_text: str | None = None
    deadline_source: str | None = None


@dataclass
class ScopeIndex:
    """Scopes opened by nodes: a heading's scope covers its descendants; an introducing
    sentence's scope covers the siblings after it (and their descendants) up to the next
    introducing sentence under the same parent."""

    heads: dict[int, Scope] = field(default_factory=dict)
    intros: dict[int, list[tuple[int, Scope]]] = field(default_factory=dict)  # parent id -> [(pos, scope)]
    root: Scope | None = None

    def open_heading(self, node: Node | None, scope: Scope) -> None:
        if node is None:
            self.root = _merge(scope, self.root)
        else:
            self.heads[id(node)] = _merge(scope, self.heads.get(id(node)))

    def open_intro(self, node: Node, scope: Scope) -> None:
        parent = id(node.parent) if node.parent is not None else -1
        self.intros.setdefault(parent, []).append((node.index, scope))

    def chain(self, node: Node) -> list[Scope]:
        """Scopes around ``node``, innermost first (its own heading scope excluded)."""
        out: list[Scope] = []
        cur: Node | None = node
        while cur is not None:
            parent = cur.parent
            for pos, sc in reversed(self.intros.get(id(parent) if parent is not None else -1, [])):
                if pos < cur.index:
                    out.append(sc)
                    break
            if parent is not None and id(parent) in self.heads:
                out.append(self.heads[id(parent)])
            cur = parent
        if self.root is not None:
            out.append(self.root)
        return out

    def resolve(self, node: Node) -> Inherited:
        """The innermost kind, lead and deadline the scopes around ``node`` hand down."""
        res = Inherited()
        for sc in self.chain(node):
            if res.kind is None and sc.kind is not None:
                res.kind = sc.kind
            if not res.lead and sc.lead:
                res.lead, res.support = list(sc.lead), list(sc.support)
                res.lead_source, res.support_intro = sc.lead_source, sc.support_intro
            if res.deadline is None and sc.deadline is not None:
                res.deadline, res.deadline_text = sc.deadline, sc.deadline_text
                res.deadline_source = sc.deadline_source
        return res


def _merge(new: Scope, old: Scope | None) -> Scope:
    if old is None:
        return new
    return Scope(
        kind=new.kind or old.kind,
        lead=new.lead or old.lead,
        support=new.support if new.lead else old.support,
        lead_source=new.lead_source if new.lead else old.lead_source,
        support_intro=new.support_intro if new.lead else old.support_intro,
        deadline=new.deadline or old.deadline,
        deadline_text=new.deadline_text if new.deadline else old.deadline_text,
        deadline_source=new.deadline_source if new.deadline else old.deadline_source,
    )


__all__ = [
    "Inherited",
    "Intro",
    "Scope",
    "ScopeIndex",
    "acting_body",
    "implied_issuer",
    "intro_addressees",
    "is_back_reference",
    "Addressees",
    "addressees",
    "kinh_gui",
    "is_goal_item",
    "part_kind",
    "read_intro",
    "rules",
    "time_bound",
]
