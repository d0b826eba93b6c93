"""Lead and support units from a task sentence (spec section 3, lead / support).

"Bộ Công an chủ trì, phối hợp với Bộ Xây dựng, Bộ Khoa học và Công nghệ … xây dựng …"
-> lead [Bộ Công an], support [Bộ Xây dựng, Bộ Khoa học và Công nghệ, …].

Unit lists are split on commas, semicolons and "và", then fragments that do not open a new
unit ("ngành", "địa phương liên quan", "Thể thao và Du lịch") are glued back, so generic
addressees ("các bộ, ngành, địa phương") and names containing "và" stay whole.
A distributive list "Các bộ, cơ quan: Công an, Nội vụ, Tài chính" expands to one unit each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..units.heads import is_unit_start
from .grammar import grammar

_SUPPORT_CUE = re.compile(
    r"(?:,\s*)?(?<![\wÀ-ỹ])(?:phối\s+hợp(?:\s+chặt\s+chẽ)?(?:\s+với)?|cùng\s+với|cùng)\s*", re.I
)
_LEAD_CUE = re.compile(r"(?<![\wÀ-ỹ])(?:là\s+)?(?:cơ\s+quan\s+|đơn\s+vị\s+)?chủ\s+trì(?![\wÀ-ỹ])", re.I)
_DISTRIBUTIVE = re.compile(
    r"^(?P<kind>[Cc]ác\s+(?P<head>bộ|sở|ban|cơ\s+quan|đơn\s+vị|phòng|tổ\s+chức)"
    r"(?:\s*,\s*(?:cơ\s+quan|ngành|đơn\s+vị|ban|cơ\s+quan\s+ngang\s+bộ))*)\s*:\s*(?P<rest>.+)$",
    re.S,
)
_PAREN = re.compile(r"\([^()]*\)")
_TRAIL_CHARS = ",;:.-–"
_TYPE_HEAD = re.compile(
    r"(?:Bộ|Sở|Ban|Văn phòng|Ủy ban|Uỷ ban|UBND|Tòa án|Toà án|Viện|Cục|Tổng cục|Trung tâm|"
    r"Thanh tra|Ngân hàng|Đài|Thông tấn xã|Kho bạc|Bảo hiểm|[Cc]ác)\b"
)
_HEAD_PREFIX = {"bộ": "Bộ", "sở": "Sở", "ban": "Ban", "phòng": "Phòng"}


def _mask_parens(text: str) -> str:
    """Replace characters inside parentheses with placeholders so splitting ignores them."""
    out, depth = [], 0
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        out.append("\x00" if depth and ch in ",;" else ch)
    return "".join(out)


def split_units(text: str, *, glue: bool = True) -> list[str]:
    """Split a list of unit names ("A, B và các C, D liên quan") into one name per unit.

    ``glue=False`` keeps every comma-separated member apart (distributive lists)."""
    text = text.strip().strip(".;:").strip()
    if not text:
        return []
    m = _DISTRIBUTIVE.match(text)
    if m:
        return _expand_distributive(m.group("head"), m.group("rest"))
    # a colon between two unit names is a misread semicolon ("Các phòng của UBND phường: Công an phường")
    text = re.sub(r":\s*(?=\S)", "; ", text)
    # "Ủy ban KH,CN&MT": a comma between abbreviations without a space is part of the name
    masked = _ABBREV_COMMA.sub("\x00", _mask_parens(text))
    parts: list[str] = []
    for seg in re.split(r"\s*;\s*", masked):
        pieces = re.split(r"\s*,\s*", seg)
        for piece in pieces:
            # "A và B": split only when B opens a new unit
            sub = re.split(r"\s+(?:và|cùng)\s+(?=\S)", piece)
            acc = sub[0]
            for nxt in sub[1:]:
                if is_unit_start(nxt) and not _keeps_va(acc, nxt):
                    parts.append(acc)
                    acc = nxt
                else:
                    acc = f"{acc} và {nxt}"
            parts.append(acc)
        parts.append("\x01")  # segment boundary: never glue across a semicolon
    units: list[str] = []
    glue_ok = False
    for p in parts:
        if p == "\x01":
            glue_ok = False
            continue
        p = p.replace("\x00", ",").strip()
        if not p:
            continue
        if (
            units
            and glue_ok
            and glue
            and (not is_unit_start(p) or _kind_list(units[-1], p) or _role_of(units[-1]))
        ):
            sep = ", " if not units[-1].endswith(" và") else " "
            units[-1] = f"{units[-1]}{sep}{p}"
        else:
            units.append(p)
        glue_ok = True
    return [_clean_unit(u) for u in units if _clean_unit(u)]


_ABBREV_COMMA = re.compile(r"(?<=[A-ZĐ]),(?=[A-ZĐ])")
_GENERIC_KIND = re.compile(r"^các\s+[a-zđà-ỹ]")


_ROLE_OF = re.compile(r"^(?:Người\s+đứng\s+đầu|Thủ\s+trưởng|Lãnh\s+đạo)\s.*\scủa\s+\S")


def _role_of(left: str) -> bool:
    """ "Người đứng đầu các cơ quan của Quốc hội, Mặt trận Tổ quốc …": the bodies after "của"
    are whose heads are meant, not units of their own."""
    return bool(_ROLE_OF.match(left))


def _kind_list(left: str, right: str) -> bool:
    """ "Các cấp, các ngành", "Các tỉnh uỷ, thành uỷ, các đảng uỷ trực thuộc Trung ương": a generic
    addressee written as a list of kinds is one unit."""
    return bool(re.match(r"[Cc]ác\s+[a-zđà-ỹ]", left)) and bool(_GENERIC_KIND.match(right))


def _keeps_va(left: str, right: str) -> bool:
    """'Văn phòng HĐND và UBND' is one unit although 'UBND' opens a unit name."""
    return bool(re.search(r"(?:HĐND|Hội đồng nhân dân)$", left.strip())) and bool(
        re.match(r"(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)", right)
    )


def _expand_distributive(head: str, rest: str) -> list[str]:
    prefix = _HEAD_PREFIX.get(head.lower().split()[0])
    out = []
    for u in split_units(rest, glue=False):
        if prefix and not _TYPE_HEAD.match(u):
            u = f"{prefix} {u}"
        out.append(u)
    return out


_QUALIFIER = re.compile(r"\s+có\s+(?!liên\s+quan)\S.*$")


def _strip_trail(u: str) -> str:
    """Drop trailing spaces and punctuation (,;:.-–) in one backward scan: linear where the
    regex ``[\\s,;:.\\-–]+$`` is quadratic on a long run that does not reach the end."""
    end = len(u)
    while end and (u[end - 1].isspace() or u[end - 1] in _TRAIL_CHARS):
        end -= 1
    return u[:end]


def _clean_unit(u: str) -> str:
    u = _strip_trail(u.strip())
    if re.match(r"[Cc]ác\s", u):
        # "Các bộ, cơ quan, địa phương có hệ thống thông tin kết nối …": a qualifier, not the name
        u = _QUALIFIER.sub("", u)
    # "Văn phòng Trung ương Đảng (Cơ quan Thường trực Ban Chỉ đạo)": the role in brackets is no part
    # of the name
    u = re.sub(r"\s*\([^()]*\)$", "", u) if not u.startswith("(") else u
    u = re.sub(r"^(?:và|cùng|với)\s+", "", u)
    return re.sub(r"\s+", " ", u).strip()


_NOUN_MARKER = re.compile(r"(?:(?:các|những|mọi|của|và|thuộc\s+diện)\s+|,\s*)$", re.I)


def _predicate_at(masked: str, start: int) -> int | None:
    """Position of the first predicate word at or after ``start`` that is not a noun
    ("các tổ chức chính trị - xã hội" is a unit, "tổ chức" after "các" is no verb)."""
    for m in grammar().predicate.finditer(masked, start):
        if _NOUN_MARKER.search(masked[max(0, m.start() - 12) : m.start()]):
            continue
        return m.start()
    return None


def subject_end(text: str) -> int:
    """Where the unit phrase that opens ``text`` ends: before the first predicate word
    (lower case), "chủ trì", a colon, or a "(1)" part marker. 0 when ``text`` does not open
    with a unit."""
    if not is_unit_start(text):
        return 0
    masked = _PAREN.sub(lambda m: " " * len(m.group(0)), text)
    ends = []
    p = _predicate_at(masked, 2)
    if p is not None:
        ends.append(p)
    m = re.search(r":|\(\d+\)", masked)
    if m:
        colon = m.start()
        after = masked[m.end() :].lstrip()
        # "Các bộ, cơ quan: Công an, Nội vụ … kịp thời …": the colon opens the member list
        if (
            m.group(0) == ":"
            and _DISTRIBUTIVE.match(text)
            and after
            and not after.startswith("(")
            and not grammar().predicate.match(after[:1].lower() + after[1:])
        ):
            colon = len(masked)
        ends.append(colon)
    if not ends:
        return 0
    return min(ends)


@dataclass
class UnitParse:
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    lead_stated: bool = False  # a unit name opens the sentence
    support_stated: bool = False
    support_intro: bool = False  # "… phối hợp với: (1) A …" — each part names a support unit
    co_lead: list[str] = field(default_factory=list)  # "chủ trì cùng X": X leads too


_ASSIGN = re.compile(r"^(?:Giao(?:\s+cho)?|Đề\s+nghị|Yêu\s+cầu)\s+(?=\S)")
# "Ủy ban nhân dân tỉnh đề nghị các đơn vị …": the requester is not the one who acts
_MID_ASSIGN = re.compile(r"\s(?:giao(?:\s+cho)?|đề\s+nghị|yêu\s+cầu)\s+(?=\S)")
# "Trong quá trình thực hiện, nếu có vướng mắc, các cơ quan …": a leading condition
_CONDITION = re.compile(
    r"^(?:Trong\s+quá\s+trình|Nếu|Khi|Trường\s+hợp|Quá\s+trình|Trong\s+thời\s+hạn|Sau\s+khi|Trước\s+khi|Định\s+kỳ)\b"
)


def parse_units(text: str) -> UnitParse:
    """Lead and support units stated in one task sentence."""
    res = UnitParse()
    t = text.strip()
    if _CONDITION.match(t):
        for c in re.finditer(r",\s+", t[:200]):
            if is_unit_start(t[c.end() :]) and subject_end(t[c.end() :]):
                t = t[c.end() :]
                break
    m = _ASSIGN.match(t)
    if m and is_unit_start(t[m.end() :]):
        t = t[m.end() :]  # "Giao Công an Thành phố chủ trì …", "Yêu cầu các cấp uỷ … triển khai …"
    elif is_unit_start(t):
        mid = _MID_ASSIGN.search(t[:120])
        if mid and is_unit_start(t[mid.end() :]) and not _predicate_at(t[: mid.start()], 2):
            t = t[mid.end() :]
    end = subject_end(t)
    if end:
        subj = t[:end]
        rest = t[end:]
        res.lead = split_units(subj)
        res.lead_stated = bool(res.lead)
    else:
        rest = t
    # "Chủ trì cùng Thành uỷ Hà Nội phối hợp với …": a co-lead
    co = re.match(r"\W*chủ\s+trì\s+cùng(?:\s+với)?\s+", rest, re.I)
    if co and is_unit_start(rest[co.end() :]):
        after = rest[co.end() :]
        res.co_lead = split_units(after[: _support_end(after)])
        rest = after[_support_end(after) :]
    # support: after "phối hợp với" up to the next predicate word
    m = _SUPPORT_CUE.search(rest[:220])
    if m:
        after = rest[m.end() :]
        if re.match(r"\s*:\s*(\(\d+\)|$)", after) or not after.strip():
            res.support_intro = True
        elif is_unit_start(after.lstrip(": ")):
            after = after.lstrip(": ")
            stop = _support_end(after)
            res.support = split_units(after[:stop])
            res.support_stated = bool(res.support)
    return res


def _support_end(after: str) -> int:
    masked = _PAREN.sub(lambda m: " " * len(m.group(0)), after)
    cands = [len(after)]
    p = _predicate_at(masked, 1)
    if p is not None:
        cands.append(p)
    m = re.search(r"[:.]|\(\d+\)", masked)
    if m:
        cands.append(m.start())
    return min(cands)
