"""Task extraction (spec section 2): outline nodes and table rows -> ``Task`` objects.

The walk visits the outline in document order. Each node goes through ``LINE_RULES`` (named,
separately tested methods ``rule_*``); the first rule that takes the line ends its turn:
closing and signature, addressee lines, title lines, phase headings, continuations, field
lines ("Chủ trì thực hiện:", "Thời gian hoàn thành:" …), introducing sentences, unit headings,
topic headings, parts that never assign work, non-obligations, goal items (targets of the task
above them), and finally the task itself.

What a task inherits is decided in one place, :class:`~.scopes.ScopeIndex`: a task takes its
lead and deadline from its own words first, then from the innermost heading or introducing
sentence that gives one, then from the implied issuer; ``lead_source`` and ``deadline_source``
say which. In central Party resolutions (/TW) the "Nhiệm vụ, giải pháp" paragraphs are split
into one task per obligation sentence (:mod:`.prose`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..model import Block, Deadline, Provenance, ReadDocument, Task
from ..normalise.text import collapse
from ..outline import Node, build_outline, section_path
from . import deadlines as dl
from .citations import type_of_word
from .grammar import grammar
from .prose import prose_document, prose_part, split_obligations, split_sentences
from .scopes import (
    FIELD_LINE,
    HEADING,
    IMPLIED_ISSUER,
    INTRO,
    PHASE,
    STATED,
    Inherited,
    Scope,
    ScopeIndex,
    addressees,
    implied_issuer,
    is_back_reference,
    is_goal_item,
    part_kind,
    read_intro,
)
from .tables import table_tasks
from .targets import find_targets
from .unitlists import UnitParse, is_unit_start, parse_units, split_units, subject_end

_PART = re.compile(r"\((\d{1,2})\)\s*")
_TRAILING_DEADLINE = re.compile(
    r"(?:[.;,]\s*|^)((?:Hoàn\s+thành|hoàn\s+thành|Nhiệm\s+vụ\s+thường\s+xuyên|Thường\s+xuyên|Thực\s+hiện\s+thường\s+xuyên)"
    r"[^.;]{0,60}?)\.?\s*$"
)
_INLINE_TIME = re.compile(r"\(\s*(?:Thời\s+gian|Thời\s+hạn|Tiến\s+độ)\s*:\s*([^()]+)\)", re.I)
_GIAO = re.compile(
    r"^Giao\s+(?P<unit>.+?)(?:\s+(?:chỉ\s+đạo|thực\s+hiện|triển\s+khai|chủ\s+trì|tổ\s+chức))?\s*:?\s*$"
)
_HEADING_PREFIX = re.compile(r"^(?:Đối\s+với|Trách\s+nhiệm\s+của|Nhiệm\s+vụ\s+của|Về\s+phía)\s+(?=\S)")
# responsibility written inside the item: "(Sở Nội vụ chủ trì, phối hợp với …; hoàn thành trong quý II/2025)"
_PAREN_RESP = re.compile(r"\s*\(([^()]*\bchủ\s+trì\b[^()]*)\)\s*(?=[.;]?\s*$)")
_INLINE_LEAD = re.compile(
    r"(?:^|;\s*|\.\s+)(?:đơn\s+vị\s+|cơ\s+quan\s+)?chủ\s+trì(?:\s+thực\s+hiện)?\s*:\s*([^;()]+)", re.I
)
_INLINE_SUPPORT = re.compile(
    r"(?:^|;\s*|\.\s+)(?:đơn\s+vị\s+|cơ\s+quan\s+)?phối\s+hợp(?:\s+thực\s+hiện)?\s*:\s*([^;()]+)", re.I
)
_INLINE_DEADLINE = re.compile(
    r"(?:^|;\s*|\.\s+)(?:thời\s+gian|thời\s+hạn|tiến\s+độ)(?:\s+(?:hoàn\s+thành|thực\s+hiện))?\s*:\s*([^;()]+)",
    re.I,
)
_DEADLINE_SENTENCE = re.compile(
    r"^\W*(?:Hoàn\s+thành|Thời\s+hạn|Đến\s+(?:hết\s+)?(?:năm|ngày|tháng|quý)|Trước\s+ngày|Chậm\s+nhất)", re.I
)
_DEFINING = re.compile(r"\s*\S+(?:\s+\S+){0,7}?\s+là\s")
_NOTIFY = re.compile(r"\bthông\s+báo\s+(?:để|đến)\s+(?P<units>[^.;:]{3,160}?)\s+(?:được\s+)?biết\b")
_LABEL = re.compile(r"^[^:;.()]{3,40}:\s+(?=\S)")
_TOPIC_LIST = re.compile(r"(?:bao\s+gồm|gồm|như)\s*:?\s*$", re.I)
_PHASE_MARK = re.compile(
    r"\*?\s*Giai\s+đoạn\s+(?:từ\s+(?:nay|ngày\s+\d{1,2}/\d{1,2}/\d{4})\s+)?đến\s+(?:hết\s+)?(?:ngày\s+)?"
    r"\d{1,2}/\d{1,2}/\d{4}",
    re.I,
)


def split_phase_markers(blocks: list[Block]) -> list[Block]:
    """Give a phase line merged into a neighbouring line its own block.

    Conversions sometimes glue "Giai đoạn từ nay đến ngày 30/6/2025" to the heading before
    it ("4. Về các nền tảng … chính trị Giai đoạn từ nay …") or to the item after it
    ("Giai đoạn … 31/12/2025 Bộ Nội vụ: (1) …"). The pieces keep the block's index and
    page, with their own character spans."""
    out: list[Block] = []
    for b in blocks:
        m = _PHASE_MARK.search(b.text) if b.kind != "table_row" else None
        if not m or (m.start() == 0 and m.end() >= len(b.text.rstrip(" .:*"))):
            out.append(b)
            continue
        cuts = [0, m.start(), m.end(), len(b.text)]
        for a, z in zip(cuts, cuts[1:], strict=False):
            piece = b.text[a:z].strip()
            if piece:
                off = b.text.find(piece, a)
                out.append(
                    Block(
                        index=b.index,
                        text=piece,
                        kind=b.kind if a == 0 else "paragraph",
                        page=b.page,
                        span=(b.span[0] + off, b.span[0] + off + len(piece)),
                        label=b.label if a == 0 else None,
                        bold=b.bold,
                        source=b.source,
                    )
                )
    return out


@dataclass
class _Draft:
    text: str
    node: Node | None
    block: Block
    section: str | None
    lead: list[str]
    support: list[str]
    lead_from: str  # a Task.lead_source value, or "none"
    own: list[dl.DeadlineHit]
    item_hits: list[dl.DeadlineHit] = field(default_factory=list)
    field_hits: list[dl.DeadlineHit] = field(default_factory=list)
    inherited: Deadline | None = None  # the end a phase heading or introducing sentence sets
    inherited_text: str | None = None
    inherited_from: str | None = None  # phase | introducing_sentence | heading
    targets: list[str] = field(default_factory=list)
    deliverable: str | None = None  # a "Sản phẩm:" / "Kết quả:" field line
    span: tuple[int, int] | None = None


@dataclass
class _Walk:
    """What the walk remembers between lines."""

    sectioned: bool  # the document has part headings ("II. NHIỆM VỤ")
    opening_done: bool  # an unsectioned letter's opening ("… như sau:") is behind us
    stop: bool = False  # in the closing (Nơi nhận, signature) until an appendix
    seen_task_zone: bool = False
    last_was_field: bool = False
    last_field_kind: str | None = None
    last_field_value: str | None = None
    title_from: int | None = None  # block index of the last title line


def _words(s: str) -> int:
    return len(s.split())


_THIS = re.compile(r"^\W*(?P<type>\S+(?:\s+\S+)?)\s+này(?![\wÀ-ỹ])")


def _about_this_document(body: str) -> bool:
    """ "Kế hoạch này …", "Nghị quyết này …": a sentence about the document itself, whose
    doer is its issuer."""
    m = _THIS.match(body)
    return bool(m and type_of_word(m.group("type")))


_CLOSING = re.compile(r"^\W*(Nơi\s+nhận|Trên\s+đây\s+là)", re.I)
_SIGNATURE = re.compile(r"^\W*(?:T/?M\.?|TM\.|KT\.|K/T|Q\.|TL\.|TUQ\.)\s*[A-ZĐÀ-Ỹ]", re.I)
_APPENDIX = re.compile(r"PHỤ\s+LỤC|Phụ\s+lục|NHIỆM\s+VỤ")
_OPENING = re.compile(r"^\W*(?:Thực\s+hiện|Căn\s+cứ|Theo|Để|Ngày|Tiếp\s+theo|Trên\s+cơ\s+sở)\b")
_ANNOUNCES_END = re.compile(r"(?:như\s+sau|sau\s+đây|cụ\s+thể)\s*:\s*$")


class TaskExtractor:
    """The task walk: each outline node goes through the line rules in ``LINE_RULES`` order;
    the first rule that takes the line ends its turn. Scopes (what headings and introducing
    sentences hand down) are kept in one :class:`ScopeIndex`."""

    def __init__(self, doc: ReadDocument, issuer: str | None = None, symbol: str | None = None):
        self.doc = doc
        self.issuer = implied_issuer([b.text for b in doc.blocks if b.kind != "table_row"], issuer)
        self.symbol = symbol
        self.g = grammar()
        self.drafts: list[_Draft] = []
        self.pending: list[_Draft] = []
        self.last_drafts: list[_Draft] = []
        self.scopes = ScopeIndex()
        self.prose = prose_document(symbol)
        self.w = _Walk(sectioned=False, opening_done=False)
        self._nodes: list[Node] = []
        self._order: dict[int, int] = {}
        self._addressee_lines: set[int] = set()
        self._addressees: tuple[str, ...] = ()
        self._current_body = ""

    # ---- zones -------------------------------------------------------------------------
    def _zone(self, node: Node) -> bool | None:
        """True in parts that assign work, False in parts that never do, None if unknown."""
        for n in [node] + node.ancestors():
            if n is not node and not self._is_heading_like(n):
                continue
            if n is node and n.style not in ("head", "roman") and not self._is_heading_like(n):
                continue
            kind = part_kind(n.body)
            if kind is not None:
                return kind == "tasks"
        return None

    def _is_heading_like(self, n: Node) -> bool:
        if n.style in ("head", "roman"):
            return True
        if n.style in ("num1", "num2", "num3", "num4", "alpha", "star") and n.children:
            if n.body.rstrip().endswith(":") and _words(n.body) > 14:
                return False  # an item that opens a sub-list ("… tại các quầy. Chỉ tiêu:")
            return not n.body.rstrip().endswith(".") or _words(n.body) <= 14
        return False

    # ---- classification ----------------------------------------------------------------
    def _field(self, body: str) -> tuple[str, str] | None:
        for kind, pat in (
            ("lead", self.g.field_lead),
            ("support", self.g.field_support),
            ("deadline", self.g.field_deadline),
            ("target", self.g.field_target),
            ("deliverable", self.g.field_deliverable),
        ):
            m = pat.match(body)
            if m:
                return kind, body[m.end() :].strip()
        return None

    def _unit_heading(self, n: Node) -> list[str] | None:
        """Units named by a heading such as "c) Văn phòng Chính phủ" or "2.1. Giao X chỉ đạo"."""
        body = n.body.strip()
        if _words(body) > 45 or body.endswith("."):
            return None
        m = _GIAO.match(body)
        if m and is_unit_start(m.group("unit")):
            return split_units(m.group("unit"))
        core = _HEADING_PREFIX.sub("", body.rstrip(":").strip())
        # "Bộ Nội vụ: (1) …" is a task in colon form, not a heading
        if (not is_unit_start(core) or subject_end(core + " ") not in (0, len(core))) and not (
            is_unit_start(core) and ":" not in core and self.g.predicate.search(core) is None
        ):
            return None
        if re.search(r"\(\d+\)", core):
            return None
        return split_units(core)

    def _is_topic_heading(self, n: Node) -> bool:
        body = n.body.strip()
        if n.style == "roman" and (n.label or "").startswith("Điều"):
            return (_words(body) <= 12 and not body.endswith(".")) or bool(n.children)
        if n.style in ("head", "roman"):
            return True
        if n.style == "star" and dl.phase_end(body):
            return True
        if not n.children:
            return False
        if (self.prose or body.startswith("Về ")) and not body.endswith((".", ":", ";")):
            return True  # a long topic heading ("1. Nâng cao nhận thức, …", "7. Về chuyển đổi số …")
        if body.endswith(".") or _words(body) > 24:
            return False
        return _words(body) <= 16 or body.startswith("Về ") or not parse_units(body).lead_stated

    # ---- main walk ---------------------------------------------------------------------
    def run(self) -> list[Task]:
        nodes = build_outline(split_phase_markers(self.doc.blocks))
        # official letters and short notices have no section headings at all: their
        # obligations are plain paragraphs after the opening ("… như sau:")
        sectioned = any(self._is_heading_like(n) and part_kind(n.body) is not None for n in nodes)
        self.w = _Walk(sectioned=sectioned, opening_done=sectioned)
        self._nodes = [n for n in nodes if n.body.strip()]
        self._order = {id(n): i for i, n in enumerate(self._nodes)}
        texts = [b for b in self.doc.blocks if b.kind != "table_row"]
        found = addressees([b.text for b in texts])
        self._addressee_lines = {texts[i].index for i in found.lines}
        self._addressees = found.units
        if found.units:
            # a letter: its addressees lead every request that names no one
            self.scopes.open_heading(None, Scope(lead=found.units, lead_source=INTRO))
        for node in nodes:
            body = node.body.strip()
            if not body:
                continue
            for rule in LINE_RULES:
                if rule(self, node, body):
                    break
        return self._finish()

    # ---- line rules (each returns True when it has taken the line) ----------------------
    def rule_closing(self, node: Node, body: str) -> bool:
        """The recipients list and signature block end the body; an appendix resumes it."""
        if _CLOSING.match(body) or (
            node.style in ("para", "head") and _SIGNATURE.match(body) and _words(body) <= 8
        ):
            self.w.stop = True
        if (
            node.style in ("head", "roman")
            and self.w.stop
            and (
                _APPENDIX.search(body) or (node.style == "head" and type_of_word(body) and _words(body) <= 6)
            )
        ):
            self.w.stop = False  # an appendix, or a document attached after the signature ("CHƯƠNG TRÌNH")
        return self.w.stop

    def rule_phase_heading(self, node: Node, body: str) -> bool:
        """ "Giai đoạn từ nay đến ngày 30/6/2025": the end applies to the topic it stands under."""
        pe = dl.phase_end(body) if _words(body) <= 20 else None
        if not pe or node.style not in ("para", "star", "head", "dash") and not node.block.bold:
            return False
        if self._field(body):
            return False
        holder = node.parent
        while holder is not None and not (
            holder.style in ("head", "roman") or holder.style.startswith("num")
        ):
            holder = holder.parent
        self.scopes.open_heading(
            holder, Scope(deadline=pe, deadline_text=body.lstrip("*").strip(), deadline_source=PHASE)
        )
        self.pending = []
        return True

    def rule_wrapped_field_value(self, node: Node, body: str) -> bool:
        """ "- Chủ trì thực hiện: … Phòng Văn hóa" ⏎ "- Xã hội." (a name wrapped at its own dash)."""
        w = self.w
        if not (
            w.last_was_field
            and w.last_field_kind in ("lead", "support")
            and node.style == "dash"
            and _words(body) <= 3
            and w.last_field_value
            and not w.last_field_value.endswith((".", ";"))
        ):
            return False
        w.last_field_value = f"{w.last_field_value} - {body}"
        self._apply_field(w.last_field_kind or "lead", w.last_field_value)
        return True

    def rule_wrapped_last_line(self, node: Node, body: str) -> bool:
        """A short paragraph after a task ending in ";" or "," is its wrapped last line."""
        if (
            not self.w.last_was_field
            and self.last_drafts
            and node.style == "para"
            and _words(body) <= 8
            and self.last_drafts[-1].text.rstrip().endswith((";", ","))
            and not self._field(body)
        ):
            self.last_drafts[-1].text = f"{self.last_drafts[-1].text} {body}"
            return True
        return False

    def rule_field_line(self, node: Node, body: str) -> bool:
        """ "Chủ trì thực hiện: …", "Thời gian hoàn thành: …": attributes of the pending tasks."""
        fld = self._field(body)
        if not fld:
            return False
        self.w.last_field_value = fld[1]
        self._apply_field(*fld)
        self.w.last_was_field = True
        self.w.last_field_kind = fld[0]
        return True

    def rule_deadline_sentence(self, node: Node, body: str) -> bool:
        """ "Hoàn thành mục tiêu số hóa đến năm 2026 (100%)." on a line of its own after the task."""
        if (
            not self.w.last_was_field
            and self.last_drafts
            and node.style == "para"
            and _words(body) <= 15
            and _DEADLINE_SENTENCE.match(body)
            and dl.find_deadlines(body)
        ):
            for d in self.last_drafts:
                d.text = f"{d.text} {body}"
                d.own.extend(dl.find_deadlines(body))
            return True
        return False

    def rule_deadline_after_field(self, node: Node, body: str) -> bool:
        """ "Đến năm 2026 hoàn thành 100%." after a time field continues it."""
        if (
            self.w.last_was_field
            and node.style == "para"
            and _words(body) <= 12
            and self.w.last_field_kind == "deadline"
            and dl.find_deadlines(body, field=True)
        ):
            self._apply_field("deadline", body)
            return True
        return False

    def rule_unit_heading(self, node: Node, body: str) -> bool:
        """ "1. Sở Khoa học và Công nghệ:" makes the unit the lead of every task under it."""
        if self._zone(node) is True:
            self.w.seen_task_zone = True
        units = self._unit_heading(node) if node.style != "para" or node.children else None
        if not units or not (node.children or node.style in ("para", "head")):
            return False
        self.scopes.open_heading(node, Scope(lead=tuple(units), lead_source=HEADING))
        if not self.w.sectioned and node.style != "head":
            self.w.seen_task_zone = self.w.opening_done = True  # a letter's items by addressee
        self.pending = []
        return True

    def rule_topic_heading(self, node: Node, body: str) -> bool:
        """A heading that names a topic or a part; it may also start a phase
        ("2. Thời gian từ nay đến hết năm 2025 …")."""
        if not self._is_topic_heading(node):
            return False
        self.pending = []
        pe = dl.phase_end(body)
        self.scopes.open_heading(
            node,
            Scope(
                kind=part_kind(body),
                deadline=pe,
                deadline_text=body if pe else None,
                deadline_source=PHASE if pe else None,
            ),
        )
        return True

    def rule_outside_task_zone(self, node: Node, body: str) -> bool:
        """Purposes, goals, viewpoints …; before the first task part, paragraphs of a sectioned
        document."""
        zone = self._zone(node)
        w = self.w
        if zone is False or (
            zone is None and not w.seen_task_zone and w.sectioned and node.style in ("para", "head")
        ):
            return True
        if not w.opening_done:
            if _ANNOUNCES_END.search(body) or _OPENING.match(body):
                w.opening_done = w.opening_done or body.rstrip().endswith(":")
                return True
            w.opening_done = True
        return bool(
            zone is None
            and not w.seen_task_zone
            and (node.style == "para" and w.sectioned or not self._looks_like_obligation(body))
        )

    def rule_not_obligation(self, node: Node, body: str) -> bool:
        """Facts, closing formulas and fragments ("Việc tổng kết …", "Trân trọng …"), a
        signer's name, a composition ("Ban Chỉ đạo gồm …")."""
        if self.g.non_obligation.match(body) or self.g.formula.search(body) or _words(body) < 3:
            return True
        words = body.rstrip(".").split()
        if len(words) <= 5 and all(w[:1].isupper() for w in words) and not is_unit_start(body):
            return True  # "Trương Công Bình" under a signature
        if not is_unit_start(body):
            return False
        comp = self.g.composition.search(body[:80])
        return bool(comp and not self.g.predicate.search(body[: comp.start()]))

    def rule_addressee_line(self, node: Node, body: str) -> bool:
        """ "Kính gửi: - Sở Y tế; …" names the addressees, it assigns nothing."""
        return node.block.index in self._addressee_lines

    def rule_title_line(self, node: Node, body: str) -> bool:
        """The line under a document-type heading ("QUY CHẾ" ⏎ "Hoạt động của Ban Chỉ đạo …")
        or in brackets under it ("(Ban hành kèm theo Quyết định số …)") is a title."""
        prev = self._prev_node(node)
        if prev is None or node.style != "para":
            return False
        if prev.style == "head" and type_of_word(prev.body) and _words(prev.body) <= 4:
            self.w.title_from = node.index
            return True
        return self.w.title_from is not None and prev.index == self.w.title_from and body.startswith("(")

    def _prev_node(self, node: Node) -> Node | None:
        i = self._order.get(id(node), 0)
        return self._nodes[i - 1] if i > 0 else None

    def rule_introducing_sentence(self, node: Node, body: str) -> bool:
        """ "Các sở, ban, ngành … tập trung thực hiện các nhiệm vụ sau:" hands its addressees and
        time bound to the items below it and is no task itself."""
        if not body.endswith(":"):
            return False
        intro = read_intro(body)
        front = None
        sentences = split_sentences(body) if node.style != "para" else [body]
        if len(sentences) >= 2:
            # "- Cập nhật dữ liệu … của tỉnh. Giao Sở X thực hiện các nội dung sau đây:" (the reader
            # glued an introducing sentence to the item before it)
            last = read_intro(sentences[-1])
            if last is not None and (last.lead or last.deadline):
                intro, front = last, " ".join(sentences[:-1])
        if intro is None or intro.topic_list:
            return False
        if front is not None and not self.g.non_obligation.match(front):
            self.last_drafts, _ = self._make_tasks(node, front)
        lead = intro.lead
        if self._addressees and is_back_reference(lead):
            lead = ()  # "… đề nghị các đơn vị:": the letter's addressees (Kính gửi) stay the lead
        scope = Scope(
            lead=lead,
            lead_source=INTRO if lead else None,
            deadline=intro.deadline,
            deadline_source=INTRO if intro.deadline else None,
        )
        if node.children:
            self.scopes.open_heading(node, scope)
        else:
            self.scopes.open_intro(node, scope)
        if self._zone(node) is not False:
            self.w.seen_task_zone = True
            self.w.opening_done = True
        self.pending = []
        return True

    def rule_intro_own_units(self, node: Node, body: str) -> bool:
        """An intro whose children name their own units ("Các tập đoàn … hỗ trợ triển khai:")."""
        if body.endswith(":") and node.children and not self._children_inherit(node):
            self.pending = []
            return True
        return False

    def rule_goal_item(self, node: Node, body: str) -> bool:
        """A goal or indicator ("100% hồ sơ được số hóa") is no task; under a task it is the
        task's target."""
        if not is_goal_item(body):
            return False
        parent = next(
            (d for d in reversed(self.drafts) if node.parent is not None and d.node is node.parent), None
        )
        if parent is not None:
            parent.targets.append(collapse(body).rstrip(".;"))
        return True

    def rule_task(self, node: Node, body: str) -> bool:
        """Anything left in a task part is one task or several."""
        created, support_intro = self._make_tasks(node, body)
        self.last_drafts = created
        if created and node.children:
            first = created[0]
            source = first.lead_from if first.lead_from in (INTRO, IMPLIED_ISSUER, HEADING) else HEADING
            self.scopes.open_heading(
                node,
                Scope(
                    lead=tuple(first.lead),
                    support=tuple(first.support),
                    lead_source=source if first.lead else None,
                    support_intro=support_intro,
                ),
            )
        return True

    def _looks_like_obligation(self, body: str) -> bool:
        up = parse_units(body)
        return up.lead_stated or bool(
            re.search(r"\b(chủ trì|giao|phải|khẩn trương|hoàn thành)\b", body, re.I)
        )

    def _children_inherit(self, node: Node) -> bool:
        kids = [c for c in node.children if c.body.strip() and not self._field(c.body.strip())]
        if not kids:
            return True
        named = sum(1 for c in kids if parse_units(c.body).lead_stated)
        return named * 2 < len(kids)

    # ---- tasks -------------------------------------------------------------------------
    def _inline_responsibility(self, body: str) -> tuple[str, list[str], list[str], list[dl.DeadlineHit]]:
        """Lead, support and deadline written inside the item ("(Sở X chủ trì, phối hợp với Y;
        hoàn thành trong quý II/2025)", "…; Chủ trì: X; Thời gian: quý II/2025"), and the item
        text without them."""
        lead: list[str] = []
        support: list[str] = []
        hits: list[dl.DeadlineHit] = []
        m = _PAREN_RESP.search(body)
        if m:
            inner = m.group(1)
            pu = parse_units(inner)
            lead, support = pu.lead, pu.support
            hits = dl.find_deadlines(inner)
            body = body[: m.start()] + body[m.end() :]
        for pat, kind in (
            (_INLINE_LEAD, "lead"),
            (_INLINE_SUPPORT, "support"),
            (_INLINE_DEADLINE, "deadline"),
        ):
            mm = pat.search(body)
            if not mm or (kind != "deadline" and not is_unit_start(mm.group(1).strip())):
                continue
            if kind == "lead":
                lead = split_units(mm.group(1))
            elif kind == "support":
                support = split_units(mm.group(1))
            else:
                hits = hits + dl.find_deadlines(mm.group(1), field=True)
            body = (body[: mm.start()] + body[mm.end() :]).strip()
        return body.strip(" ;"), lead, support, hits

    def _make_tasks(self, node: Node, body: str) -> tuple[list[_Draft], bool]:
        """The task(s) of one item, and whether the item introduces its parts' support units
        ("… chủ trì, phối hợp với: (1) A …")."""
        section = section_path(node)
        inh = self.scopes.resolve(node)
        original = self._current_body = body
        tail = re.search(r"(?<=[.;])\s+([^.;]{3,40}:)\s*$", body)
        if tail and self._field(tail.group(1)):
            body = body[: tail.start()]  # "… tại các quầy. Chỉ tiêu:" (the sub-list is its targets)
        body, in_lead, in_support, in_hits = self._inline_responsibility(body)
        up = parse_units(body)
        notify = _NOTIFY.search(body)
        if notify and is_unit_start(notify.group("units")):
            # "Thường trực Tỉnh ủy thông báo để các cấp ủy, … biết, thực hiện": the addressees act
            up = UnitParse(lead=split_units(notify.group("units")), lead_stated=True)
        label = _LABEL.match(body)
        if not up.lead_stated and label and is_unit_start(body[label.end() :]):
            up = parse_units(body[label.end() :])  # "Trách nhiệm người đứng đầu: Chủ tịch UBND … chịu …"
        lead_by_field = False
        if in_lead and not up.lead_stated:
            up.lead, up.lead_stated = in_lead, True
            lead_by_field = _INLINE_LEAD.search(original) is not None
        if in_support and not up.support_stated:
            up.support, up.support_stated = in_support, True
        lead, support, lead_from = self._resolve_units(up, inh)
        if lead_by_field and lead_from == STATED:
            lead_from = FIELD_LINE  # "…; Chủ trì: Sở X; Thời gian: …" inside the item
        if self.w.last_was_field:
            self.pending = []
            self.w.last_was_field = False
        inline = [
            h for m in _INLINE_TIME.finditer(body) for h in dl.find_deadlines(m.group(1), field=True)
        ] + in_hits
        clean_body = re.sub(r"\s+([.,;:])", r"\1", _INLINE_TIME.sub("", body)).strip()
        parts = self._split_parts(clean_body)
        drafts: list[_Draft] = []
        if len(parts) >= 2:
            item_hits = dl.find_deadlines(parts[-1][1][1] if parts[-1][1][1] else "") + inline
            for ptext, (own_text, _trail) in parts:
                pup = parse_units(ptext)
                if up.support_intro and pup.lead_stated:
                    plead, psupport, pfrom = lead, pup.lead, lead_from
                elif pup.lead_stated:
                    plead, psupport, pfrom = pup.lead, pup.support, STATED
                else:
                    plead = lead
                    psupport = pup.support if pup.support_stated else support
                    pfrom = lead_from
                drafts.append(
                    self._draft(
                        node,
                        own_text,
                        section,
                        (plead, psupport, pfrom),
                        dl.find_deadlines(own_text),
                        item_hits,
                        inh,
                    )
                )
        else:
            pieces = self._split_by_deadlines(clean_body)
            if len(pieces) == 1 and self.prose and self._in_prose_part(node):
                pieces = split_obligations(clean_body)
            for k, piece in enumerate(pieces):
                plead, psupport, pfrom = lead, support, lead_from
                if k > 0:
                    # a later sentence of resolution prose names its own unit, else the implied one
                    pup = parse_units(piece)
                    if pup.lead_stated:
                        plead, psupport, pfrom = pup.lead, pup.support, STATED
                    elif lead_from == STATED:
                        plead, psupport, pfrom = self._resolve_units(UnitParse(), inh)
                drafts.append(
                    self._draft(
                        node, piece, section, (plead, psupport, pfrom), dl.find_deadlines(piece), inline, inh
                    )
                )
        for d in drafts:
            d.text = self._strip_trailing_deadline(d.text)
            self.drafts.append(d)
            self.pending.append(d)
        return drafts, up.support_intro

    def _in_prose_part(self, node: Node) -> bool:
        """In a central resolution's "Nhiệm vụ, giải pháp" part (not "Tổ chức thực hiện")."""
        for n in node.ancestors():
            if n.style in ("head", "roman"):
                return prose_part(n.body)
        return False

    def _draft(
        self,
        node: Node,
        text: str,
        section: str | None,
        units: tuple[list[str], list[str], str],
        own: list[dl.DeadlineHit],
        item_hits: list[dl.DeadlineHit],
        inh: Inherited,
    ) -> _Draft:
        b = node.block
        start = b.text.find(text[:30]) if text else -1
        span = (b.span[0] + start, b.span[0] + start + len(text)) if start >= 0 else b.span
        lead, support, lead_from = units
        return _Draft(
            text=collapse(text),
            node=node,
            block=b,
            section=section,
            lead=list(lead),
            support=list(support),
            lead_from=lead_from,
            own=own,
            item_hits=list(item_hits),
            inherited=inh.deadline,
            inherited_text=inh.deadline_text,
            inherited_from=inh.deadline_source,
            targets=find_targets(text),
            span=span,
        )

    def _resolve_units(self, up: UnitParse, inh: Inherited) -> tuple[list[str], list[str], str]:
        """Lead and support from the task's own words, else the innermost scope, else the
        implied issuer."""
        lead, support, how = self._resolve_units_base(up, inh)
        return lead + [u for u in up.co_lead if u not in lead], support, how

    def _resolve_units_base(self, up: UnitParse, inh: Inherited) -> tuple[list[str], list[str], str]:
        if not up.lead_stated and self.issuer and _about_this_document(self._current_body):
            return [self.issuer], up.support, IMPLIED_ISSUER  # "Kế hoạch này được phổ biến đến chi bộ."
        if up.lead_stated and self._addressees and is_back_reference(up.lead):
            return list(self._addressees), up.support, INTRO  # "các đơn vị" = the letter's addressees
        if up.lead_stated and not inh.support_intro:
            return up.lead, up.support, STATED
        if up.lead_stated and inh.support_intro:
            return inh.lead, up.lead, inh.lead_source or HEADING
        if inh.lead:
            support = up.support if up.support_stated else inh.support
            return inh.lead, support, inh.lead_source or HEADING
        if self.issuer:
            return [self.issuer], up.support, IMPLIED_ISSUER
        return [], up.support, "none"

    def _split_parts(self, body: str) -> list[tuple[str, tuple[str, str]]]:
        """'(1) A. (2) B. Hoàn thành …' -> [(part text, (text, trailing))…] when the numbered
        parts are separate deliverables; [] otherwise."""
        marks = list(_PART.finditer(body))
        seq, expect = [], None
        for m in marks:
            n = int(m.group(1))
            if expect is None and n in (1, 2):
                seq, expect = [m], n + 1
            elif expect is not None and n == expect:
                seq.append(m)
                expect += 1
        if len(seq) < 2 and not (len(seq) == 1 and int(seq[0].group(1)) == 2):
            return []
        intro = body[: seq[0].start()]
        if _TOPIC_LIST.search(intro.strip()):
            return []
        defining = [m for m in seq if _DEFINING.match(body, m.end())]
        if len(defining) * 2 >= len(seq):
            return []  # "(1) Ứng dụng VNeID là …; (2) Cổng Dịch vụ công là …" describe, not deliver
        pieces = []
        if int(seq[0].group(1)) == 2:
            if not intro.strip():
                return []
            pieces.append(intro)
        for i, m in enumerate(seq):
            end = seq[i + 1].start() if i + 1 < len(seq) else len(body)
            pieces.append(body[m.end() : end])
        out = []
        for i, p in enumerate(pieces):
            p = p.strip().rstrip(";").strip()
            trailing = ""
            if i == len(pieces) - 1:
                # a standalone deadline sentence after the last part applies to every part
                tm = re.search(
                    r"(?<=[.])\s+((?:Hoàn\s+thành|Nhiệm\s+vụ\s+thường\s+xuyên|Thường\s+xuyên)[^.]*\.?)\s*$", p
                )
                if tm:
                    trailing = tm.group(1)
                    p = p[: tm.start()].strip()
            out.append((p, (p, trailing)))
        return out

    def _split_by_deadlines(self, body: str) -> list[str]:
        """One obligation per deadline: 'A trước ngày X; B, hoàn thành trước ngày Y.' -> [A, B]."""
        clauses = re.split(r"(?<=;)\s+", body)
        if len(clauses) < 2:
            return [body]
        out, acc = [], ""
        dated = 0
        for c in clauses:
            acc = f"{acc} {c}".strip()
            if any(h.strength == dl.DATED for h in dl.find_deadlines(c)):
                out.append(acc.rstrip(";").strip())
                acc = ""
                dated += 1
        if acc:
            if out:
                out[-1] = f"{out[-1]}; {acc}"
            else:
                out.append(acc)
        return out if dated >= 2 and len(out) >= 2 else [body]

    def _strip_trailing_deadline(self, text: str) -> str:
        m = _TRAILING_DEADLINE.search(text)
        if m and dl.find_deadlines(m.group(1)) and len(text[: m.start()].split()) >= 4:
            return text[: m.start()].rstrip(" ,;.") + (
                "." if text[: m.start()].rstrip().endswith(".") else ""
            )
        return text

    # ---- fields ------------------------------------------------------------------------
    def _apply_field(self, kind: str, value: str) -> None:
        if not self.pending:
            return
        if kind == "lead":
            units = split_units(value)
            for d in self.pending:
                if units:
                    d.lead, d.lead_from = units, FIELD_LINE
        elif kind == "support":
            units = split_units(value)
            for d in self.pending:
                d.support = units
        elif kind == "deadline":
            hits = dl.find_deadlines(value, field=True)
            for d in self.pending:
                d.field_hits.extend(hits)
        elif kind == "target":
            for d in self.pending:
                d.targets.extend(find_targets(value) or [value.rstrip(".")])
        elif kind == "deliverable":
            for d in self.pending:
                d.deliverable = collapse(value).rstrip(".;") or None
                d.targets.extend(find_targets(value))

    # ---- finishing ---------------------------------------------------------------------
    def _deadline(self, d: _Draft) -> tuple[Deadline, str | None]:
        """The task's deadline and where it came from: its own words or field lines first,
        then the end its scope sets, then a weak standing rule of its own."""
        own = dl.choose(d.own)
        item = dl.choose(d.item_hits)
        fld = dl.choose(d.field_hits, field=True)
        cands = [h for h in (own, item, fld) if h]
        best = max(cands, key=lambda h: (h.strength, h is own, h is item)) if cands else None
        source = FIELD_LINE if best is not None and best is fld and best is not own else STATED
        if best and best.strength > dl.PHASE:
            return best.deadline, source
        if d.inherited and d.inherited.due:
            return Deadline("by_date", d.inherited.due, None, None, inherited=True), d.inherited_from
        return (best.deadline, source) if best else (Deadline(), None)

    def _finish(self) -> list[Task]:
        tasks = []
        for i, d in enumerate(self.drafts, 1):
            b = d.block
            deadline, deadline_source = self._deadline(d)
            tasks.append(
                Task(
                    id=f"t{i}",
                    text=d.text,
                    section=d.section,
                    lead=d.lead,
                    support=d.support,
                    deadline=deadline,
                    targets=d.targets,
                    phase=d.inherited_text if d.inherited_from == PHASE else None,
                    lead_implied=d.lead_from == IMPLIED_ISSUER,
                    lead_source=d.lead_from if d.lead and d.lead_from != "none" else None,
                    deadline_source=deadline_source,
                    deliverable=d.deliverable,
                    provenance=Provenance(
                        document=self.doc.path,
                        block=b.index,
                        page=b.page,
                        span=d.span or b.span,
                        blocks=[b.index],
                    ),
                )
            )
        return tasks


LineRule = Callable[[TaskExtractor, Node, str], bool]

# the order matters: field lines and continuations before headings, headings before zones,
# zones before the task itself
LINE_RULES: tuple[LineRule, ...] = (
    TaskExtractor.rule_closing,
    TaskExtractor.rule_addressee_line,
    TaskExtractor.rule_title_line,
    TaskExtractor.rule_phase_heading,
    TaskExtractor.rule_wrapped_field_value,
    TaskExtractor.rule_wrapped_last_line,
    TaskExtractor.rule_field_line,
    TaskExtractor.rule_deadline_sentence,
    TaskExtractor.rule_deadline_after_field,
    TaskExtractor.rule_introducing_sentence,
    TaskExtractor.rule_unit_heading,
    TaskExtractor.rule_topic_heading,
    TaskExtractor.rule_outside_task_zone,
    TaskExtractor.rule_not_obligation,
    TaskExtractor.rule_intro_own_units,
    TaskExtractor.rule_goal_item,
    TaskExtractor.rule_task,
)


def extract_tasks(doc: ReadDocument, issuer: str | None = None, symbol: str | None = None) -> list[Task]:
    body_tasks = TaskExtractor(doc, issuer, symbol).run()
    tab = table_tasks(doc, start=len(body_tasks) + 1)
    tasks = sorted(body_tasks + tab, key=lambda t: t.provenance.block if t.provenance else 0)
    for i, t in enumerate(tasks, 1):
        t.id = f"t{i}"
    return tasks
