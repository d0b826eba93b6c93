"""The deadline phrase table (tests/data/deadline_phrases.tsv): phrase -> expected value."""

from __future__ import annotations

from pathlib import Path

import pytest

from directive_nlp.extraction.deadlines import parse_deadline, phase_end

ROWS = [
    line.rstrip("\n").split("\t")
    for line in (Path(__file__).parent / "data" / "deadline_phrases.tsv")
    .read_text(encoding="utf-8")
    .splitlines()
    if line.strip() and not line.startswith("#")
]


@pytest.mark.parametrize("phrase,field,kind,due,start", ROWS, ids=[r[0][:40] for r in ROWS])
def test_phrase(phrase, field, kind, due, start):
    d = parse_deadline(phrase, field=field == "1")
    if kind == "-":
        assert d is None
        return
    assert d is not None, phrase
    assert d.kind == kind
    assert d.due == (due or None)
    assert d.start == (start or None)


@pytest.mark.parametrize(
    "heading,due",
    [
        ("Giai đoạn từ nay đến ngày 30/6/2025", "2025-06-30"),
        ("* Giai đoạn từ ngày 01/7/2025 đến ngày 31/12/2025", "2025-12-31"),
        ("CÁC NHIỆM VỤ ĐẾN HẾT NĂM 2025 THEO NGHỊ QUYẾT SỐ 57-NQ/TW", "2025-12-31"),
    ],
)
def test_phase_heading_sets_end(heading, due):
    d = phase_end(heading)
    assert d.kind == "by_date" and d.due == due and d.inherited


def test_topic_heading_is_no_phase():
    assert phase_end("1. Về thể chế") is None


@pytest.mark.parametrize(
    "text, day",
    [
        ("31/07/2025", "2025-07-31"),
        ("1/7/2025", "2025-07-01"),
        ("2025-07-31", "2025-07-31"),
        ("31-07-2025", "2025-07-31"),
        ("31.07.2025", "2025-07-31"),
        (" 05/3/2026 ", "2026-03-05"),
        ("32/07/2025", None),
        ("29/02/2025", None),
        ("31/07/2025 abc", None),
        ("tháng 7/2025", None),
        ("2025-13-01", None),
        ("", None),
    ],
)
def test_parse_day_is_the_one_grammar_for_typed_dates(text, day):
    from directive_nlp.extraction.deadlines import parse_day

    got = parse_day(text)
    assert (got.isoformat() if got else None) == day
