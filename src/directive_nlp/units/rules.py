"""Unit rules: the government level and the bloc of a unit name from its words.

The one rule engine for unit levels, used where the gazetteer (``units.gazetteer``) has no
answer: "Bộ X", "Văn phòng Chính phủ" -> central; "Ủy ban nhân dân các tỉnh, thành phố trực
thuộc Trung ương", "Sở X" -> province; "… phường …", "cấp xã" -> commune; generic addressees
("các bộ, ngành, địa phương") -> several levels; enterprises and bloc-only names
("các tổ chức chính trị - xã hội") -> none. Also the bloc of a name (Party, State, Front and
mass organisations), whether a name is generic, relative ("các cơ quan liên quan") or an
enterprise, and the regular local counterparts of central bodies.
"""

from __future__ import annotations

import re

from ..normalise.text import fold, key
from .gazetteer import LEVELS

LOCAL_LEVELS = frozenset({"province", "commune"})

_ABBREV = [
    (r"\bubnd\b", "ủy ban nhân dân"),
    (r"\bhđnd\b", "hội đồng nhân dân"),
    (r"\bmttq\b", "mặt trận tổ quốc"),
    (r"\bbcđ\b", "ban chỉ đạo"),
    (r"\btw\b", "trung ương"),
    (r"\bttpvhcc\b", "trung tâm phục vụ hành chính công"),
    (r"\bcp\b", "chính phủ"),
]


def folded(name: str) -> str:
    """Folded name ("ủy" == "uỷ"), abbreviations expanded, punctuation dropped."""
    s = (name or "").lower()
    for pat, rep in _ABBREV:
        s = re.sub(pat, rep, s)
    return " " + fold(s) + " "


def _rx(*words: str) -> re.Pattern:
    return re.compile("|".join(rf" {fold(w)} " for w in words))


# Patterns over folded names (tones kept as digits, so "phường" != "địa phương").
_PROVINCE_OF_CENTRE = _rx("thành phố trực thuộc trung ương", "tỉnh, thành phố trực thuộc trung ương")
_CENTRAL = _rx(
    "bộ",
    "các bộ",
    "chính phủ",
    "thủ tướng",
    "quốc hội",
    "trung ương",
    "tối cao",
    "cơ quan ngang bộ",
    "chủ tịch nước",
    "ban cơ yếu",
)
_PROVINCE = _rx("tỉnh", "cấp tỉnh", "các tỉnh", "tỉnh ủy", "thành ủy")
_DEPARTMENT = re.compile(r"^ (?:cac1 )?sơ4 ")  # "Sở Tư pháp", "các Sở" (not "cơ sở dữ liệu")
_COMMUNE = re.compile(r" (phương2|câp1 xa3|thi5 trân1|đăc5 khu|xa3(?! hôi5)) ")
_LOCAL_GENERIC = re.compile(
    _rx("địa phương", "chính quyền địa phương", "cấp cơ sở").pattern + r"| cac1 câp1 (?!uy4)"
)  # "các cấp", not "các cấp ủy" (party committees)
_ENTERPRISE = _rx("tập đoàn", "tổng công ty", "công ty", "doanh nghiệp", "doanh nghiệp công nghệ")
_CITY = re.compile(r"^ (?:ủy ban nhân dân |uy4 ban nhân dân )?thanh2 phô1 ")

# Central Party organs named without the word "đảng".
_PARTY_CENTRAL = _rx("bộ chính trị", "ban chấp hành trung ương", "ban bí thư", "trung ương đảng")
# The National Assembly and its bodies.
_ASSEMBLY = _rx("quốc hội", "hội đồng dân tộc", "đại biểu quốc hội")
# Addressees meaning everyone: every level and every bloc.
_WHOLE_SYSTEM = _rx(
    "cả hệ thống chính trị",
    "toàn hệ thống chính trị",
    "hệ thống chính trị",
    "các cấp, các ngành",
    "các cấp các ngành",
    "toàn đảng, toàn dân",
    "toàn đảng",
    "toàn dân",
)
_THE_STATE = re.compile(r"^ (?:cac1 cơ quan )?nha2 nươc1 $")  # "Nhà nước" on its own: the State

_PARTY = _rx(
    "đảng",
    "cấp ủy",
    "tổ chức đảng",
    "đảng ủy",
    "tỉnh ủy",
    "thành ủy",
    "huyện ủy",
    "chi bộ",
    "ban thường vụ",
    "ban đảng",
)
_MASS = _rx(
    "tổ chức chính trị - xã hội",
    "chính trị - xã hội",
    "mặt trận tổ quốc",
    "đoàn thể",
    "hội liên hiệp",
    "đoàn thanh niên",
    "công đoàn",
    "hội nông dân",
    "hội cựu chiến binh",
)
_STATE = _rx(
    "ủy ban nhân dân",
    "bộ",
    "các bộ",
    "chính phủ",
    "thủ tướng",
    "chính quyền",
    "cơ quan nhà nước",
    "địa phương",
    "cơ quan hành chính",
)

# Generic addressees: a class of units rather than one named unit.
_GENERIC_HEAD = re.compile(r"^ (?:cac1|môi5|nhưng3) ")
_GENERIC_ANY = _rx("địa phương", "các cấp", "cấp tỉnh", "cấp xã", "liên quan", "có liên quan")


def is_whole_system(name: str) -> bool:
    """Is the name addressed to everyone ("cả hệ thống chính trị", "các cấp, các ngành")?"""
    return bool(_WHOLE_SYSTEM.search(folded(name)))


def fallback_levels(name: str) -> set[str]:
    """Government levels a unit name addresses, by rule; empty when it names none
    ("các cơ quan, đơn vị"), or for enterprises."""
    f = folded(name)
    if _WHOLE_SYSTEM.search(f):
        return set(LEVELS)
    if _THE_STATE.match(f):
        return {"central"}
    if _ENTERPRISE.search(f) and not _LOCAL_GENERIC.search(f):
        return set()
    out: set[str] = set()
    if _PROVINCE_OF_CENTRE.search(f):
        out.add("province")
        f = _PROVINCE_OF_CENTRE.sub(" ", f)
    if _LOCAL_GENERIC.search(f):
        out |= LOCAL_LEVELS
    if _COMMUNE.search(f):
        out.add("commune")
    if _PROVINCE.search(f) or _CITY.search(f) or _DEPARTMENT.search(f):
        out.add("province")
    if _CENTRAL.search(f):
        out.add("central")
    return out


def blocs(name: str) -> set[str]:
    """The blocs a name belongs to: 'party', 'state' (the Government and local
    administrations), 'assembly' (the National Assembly and its bodies), 'mass' (Front and
    socio-political organisations); empty for bloc-neutral names ("các cơ quan, đơn vị") and
    for names addressed to everyone ("cả hệ thống chính trị")."""
    f = folded(name)
    if _WHOLE_SYSTEM.search(f):
        return set()
    out: set[str] = set()
    if _MASS.search(f):
        out.add("mass")
        f = _MASS.sub(" ", f)
    if _PARTY_CENTRAL.search(f):
        out.add("party")
        f = _PARTY_CENTRAL.sub(" ", f)
    if _ASSEMBLY.search(f):
        out.add("assembly")
        f = _ASSEMBLY.sub(" ", f)
    if _PARTY.search(f):
        out.add("party")
    if _STATE.search(f) or _DEPARTMENT.search(f) or _THE_STATE.match(f):
        out.add("state")
    return out


# The bodies that direct a whole bloc at the central level: a plan one of them issues carries
# the tasks addressed to any body of its bloc.
_BLOC_HEADS = ("chính phủ", "thủ tướng chính phủ", "thủ tướng", "quốc hội", "ủy ban thường vụ quốc hội")


def is_bloc_head(name: str) -> bool:
    """ "Chính phủ", "Thủ tướng Chính phủ", "Quốc hội", "Ủy ban Thường vụ Quốc hội" (not
    "Văn phòng Chính phủ", not "Ủy ban Kinh tế của Quốc hội")."""
    return folded(name).strip() in {folded(h).strip() for h in _BLOC_HEADS}


# Gazetteer kinds that place a unit in a bloc other than the state administration.
KIND_BLOC = {"to_chuc_ctxh": "mass", "co_quan_dang": "party", "ban_dang": "party", "dang_uy": "party"}


def is_local_generic(name: str) -> bool:
    """Does the name address whole localities ("địa phương", "các cấp"; not "các cấp ủy")?"""
    return bool(_LOCAL_GENERIC.search(folded(name)))


def is_enterprise(name: str) -> bool:
    return bool(_ENTERPRISE.search(folded(name)))


def is_generic(name: str) -> bool:
    f = folded(name)
    return bool(_GENERIC_HEAD.search(f) or _GENERIC_ANY.search(f) or _WHOLE_SYSTEM.search(f))


_QUALIFIER = re.compile(
    r"( (thanh pho|tp|phuong|xa|tinh|quan|huyen|cap xa|cap tinh|truc thuoc|lien quan|"
    r"co lien quan))+$"
)


def _unit_key(name: str) -> str:
    k = key(re.sub(r"\bUBND\b", "Ủy ban nhân dân", name or "", flags=re.IGNORECASE))
    k = re.sub(r"^cac ", "", k)
    return k


_RELATIVE = re.compile(r"^(cac )?(co quan|don vi|co quan don vi|co quan to chuc|to chuc)( co)?( lien quan)?$")


def fallback_relative(name: str) -> bool:
    k = _unit_key(name)
    return bool(_RELATIVE.match(k) or k.endswith(" lien quan"))


def fallback_same_unit(a: str, b: str) -> bool:
    ka, kb = _unit_key(a), _unit_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    return _QUALIFIER.sub("", ka) == _QUALIFIER.sub("", kb) != ""


def fallback_counterpart(name: str, level: str) -> str | None:
    """Local counterpart of a named central or provincial body, where the pattern is regular:
    Bộ Công an -> Công an tỉnh / Công an xã; Bộ X -> Sở X (province)."""
    k = _unit_key(name)
    if k in ("bo cong an", "cong an tinh", "cong an thanh pho"):
        return {"province": "Công an tỉnh", "commune": "Công an xã|Công an phường"}.get(level)
    m = re.match(r"^(Bộ|Sở)\s+(.+)$", (name or "").strip())
    if m and level == "province" and m.group(1) == "Bộ":
        return f"Sở {m.group(2)}"
    return None


__all__ = [
    "LEVELS",
    "LOCAL_LEVELS",
    "blocs",
    "fallback_levels",
    "is_enterprise",
    "is_generic",
    "levels_by_rule",
]


def levels_by_rule(name: str) -> set[str]:
    """The levels a unit name addresses by rule (the public name of ``fallback_levels``)."""
    return fallback_levels(name)
