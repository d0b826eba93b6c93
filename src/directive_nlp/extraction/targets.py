"""Quantified targets of a task (spec section 3, ``targets``): percentages and counts."""

from __future__ import annotations

import re

_QUALIFIER = (
    r"(?:(?:ít\s+nhất|tối\s+thiểu|tối\s+đa|trên|dưới|đạt|khoảng|không\s+dưới|không\s+quá|100%\s+số)\s+)?"
)
_PERCENT = re.compile(_QUALIFIER + r"\d{1,3}(?:[.,]\d+)?\s*%[^,;.()]{0,80}", re.I)
_COUNT = re.compile(
    _QUALIFIER
    + r"(?<![\d/.\-])\d{1,3}(?:\.\d{3})*\s+(?:dịch\s+vụ|thủ\s+tục|nhóm|cơ\s+sở\s+dữ\s+liệu|hồ\s+sơ|"
    r"đơn\s+vị|tài\s+khoản|doanh\s+nghiệp|người|cán\s+bộ|lớp|khóa|khoá|điểm|trạm|xã|phường|"
    r"chỉ\s+tiêu|nhiệm\s+vụ|hệ\s+thống|nền\s+tảng|CSDL|TTHC|DVC\w*)[^,;.()]{0,60}",
    re.I,
)


def find_targets(text: str) -> list[str]:
    """Verbatim quantified phrases ("ít nhất 30% tài liệu …", "982 dịch vụ công trực tuyến …")."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    for pat in (_PERCENT, _COUNT):
        for m in pat.finditer(text or ""):
            if any(not (m.end() <= a or m.start() >= b) for a, b in spans):
                continue
            phrase = re.sub(r"\s+", " ", m.group(0)).strip(" -–")
            if phrase:
                out.append(phrase)
                spans.append(m.span())
    order = sorted(range(len(out)), key=lambda i: spans[i][0])
    return [out[i] for i in order]
