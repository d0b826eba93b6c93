"""Property-based tests (Hypothesis) of the text-level functions: no exception, a bounded time
per call (Hypothesis ``deadline``), and invariants (spans inside the text, ordered and
disjoint; normalisation idempotent; a reader either reads or refuses with ``InputError``).

The default run tries few examples. ``make fuzz`` sets ``FUZZ_MINUTES`` (default 10): each
property then runs repeatedly, with fresh random inputs, for its share of that time, and a
summary (examples per property, the slowest call and its input size) is written to
``outputs/fuzz-report.json``.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directive_nlp.errors import InputError
from directive_nlp.extraction.citations import find_symbols, parse_date
from directive_nlp.extraction.deadlines import find_deadlines, parse_deadline, phase_end
from directive_nlp.extraction.unitlists import parse_units, split_units, subject_end
from directive_nlp.normalise.text import clean, collapse
from directive_nlp.reading.docx import format_number
from directive_nlp.reading.text import decode, strip_inline_md, strip_single_emphasis
from directive_nlp.units.gazetteer import _symbol_spans, find_units, tokenize

ROOT = Path(__file__).resolve().parents[2]
FUZZ_MINUTES = float(os.environ.get("FUZZ_MINUTES", "0") or 0)
PER_CALL = timedelta(seconds=float(os.environ.get("FUZZ_DEADLINE_S", "5")))  # a bound, not a benchmark

settings.register_profile(
    "hostile",
    max_examples=50 if FUZZ_MINUTES else 25,  # per round: make fuzz runs rounds until its time is up
    deadline=PER_CALL,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
PROFILE = settings.get_profile("hostile")

# ---------------------------------------------------------------------------------------
# Inputs: directive words, separators and long runs of one token
# ---------------------------------------------------------------------------------------

WORDS = [
    "Sở",
    "Bộ",
    "Ban",
    "Ủy ban nhân dân",
    "UBND",
    "các",
    "Các bộ, cơ quan:",
    "Công an",
    "Tài chính",
    "chủ trì",
    "phối hợp với",
    "cùng",
    "và",
    "thực hiện",
    "xây dựng",
    "hoàn thành",
    "trước ngày",
    "trong tháng",
    "đến",
    "từ",
    "quý III",
    "năm 2025",
    "tháng 6/2025",
    "30/6/2025",
    "05.4.2023",
    "hằng tháng",
    "thường xuyên",
    "ngay",
    "giai đoạn",
    "tầm nhìn",
    "Quyết định số",
    "08/2023/QĐ-TTg",
    "02-KH/BCĐTW",
    "Kế hoạch",
    "Nghị quyết",
    "(1)",
    "a)",
    "II.",
    "-",
    "–",
    "/",
    ":",
    ";",
    ",",
    ".",
    "*",
    "**",
    "_",
    "|",
    "(",
    ")",
    "#",
    " ",
    "\n",
    "\t",
    "\u00a0",
    "đ",
    "Đ",
    "1",
    "2025",
]
ALPHABET = st.characters(codec="utf-8", exclude_categories=["Cs"])
token = st.one_of(st.sampled_from(WORDS), st.text(ALPHABET, max_size=4))
run = st.builds(
    lambda t, n: t * n, st.sampled_from(WORDS + ["- ", ". ", ", ", "1", "A", "/1"]), st.integers(1, 3000)
)
directive_text = st.lists(st.one_of(token, token, token, run), max_size=40).map("".join)
short_run = st.builds(lambda t, n: t * n, st.sampled_from(WORDS), st.integers(1, 200))
short_text = st.lists(st.one_of(token, token, token, short_run), max_size=40).map("".join)

STATS: dict[str, dict[str, float]] = {}


def timed(name: str, fn: Callable[..., object], text: str | bytes, *args, **kwargs):
    t0 = time.perf_counter()
    out = fn(text, *args, **kwargs)
    dt = time.perf_counter() - t0
    s = STATS.setdefault(name, {"examples": 0, "slowest_s": 0.0, "slowest_len": 0})
    s["examples"] += 1
    if dt > s["slowest_s"]:
        s["slowest_s"], s["slowest_len"] = dt, len(text)
    return out


PROPERTIES: list[Callable[[], None]] = []


def prop(fn: Callable[[], None]) -> Callable[[], None]:
    PROPERTIES.append(fn)
    return fn


def run_property(test: Callable[[], None]) -> None:
    """Once (default run), or again and again with fresh inputs for its share of FUZZ_MINUTES."""
    test()
    if FUZZ_MINUTES:
        end = time.monotonic() + FUZZ_MINUTES * 60 / len(PROPERTIES)
        while time.monotonic() < end:
            test()


def _spans_ok(spans: list[tuple[int, int]], text: str, *, disjoint: bool = True) -> None:
    for a, b in spans:
        assert 0 <= a <= b <= len(text), (a, b, len(text))
    if disjoint:
        for (_, b1), (a2, _) in zip(spans, spans[1:], strict=False):
            assert b1 <= a2, spans


# ---------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------


@prop
@PROFILE
@given(directive_text, st.booleans())
def deadlines_property(text: str, field: bool) -> None:
    hits = timed("find_deadlines", find_deadlines, text, field=field)
    _spans_ok([h.span for h in hits], text)
    for h in hits:
        if h.deadline.due:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", h.deadline.due), h.deadline
    timed("parse_deadline", parse_deadline, text, field=field)
    timed("phase_end", phase_end, text)


@prop
@PROFILE
@given(directive_text)
def unit_lists_property(text: str) -> None:
    res = timed("parse_units", parse_units, text)
    for u in res.lead + res.support + res.co_lead:
        assert u and u == u.strip(), res
    assert 0 <= timed("subject_end", subject_end, text) <= len(text)
    for u in timed("split_units", split_units, text):
        assert u and u == u.strip()


@prop
@PROFILE
@given(directive_text)
def units_property(text: str) -> None:
    spans = timed("find_units", find_units, text)
    _spans_ok([(s.start, s.end) for s in spans], text)
    for s in spans:
        assert text[s.start : s.end] == s.surface
    toks = timed("tokenize", tokenize, text)
    _spans_ok([(t.start, t.end) for t in toks], text)
    _spans_ok(_symbol_spans(text), text)


@prop
@PROFILE
@given(directive_text)
def citations_property(text: str) -> None:
    for m in timed("find_symbols", find_symbols, text):
        _spans_ok([(m.start, m.end)], text)
    d = timed("parse_date", parse_date, text)
    assert d is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", d)


@prop
@PROFILE
@given(directive_text)
def normalisation_property(text: str) -> None:
    c = timed("clean", clean, text)
    assert clean(c) == c  # idempotent
    k = timed("collapse", collapse, text)
    assert collapse(k) == k
    assert "  " not in k and k == k.strip()


@prop
@PROFILE
@given(directive_text)
def markdown_property(text: str) -> None:
    out, _bold = timed("strip_inline_md", strip_inline_md, text)
    assert len(out) <= len(text.strip()) + 1
    once = timed("strip_single_emphasis", strip_single_emphasis, text)
    assert len(once) <= len(text)


@prop
@PROFILE
@given(st.one_of(st.binary(max_size=2000), directive_text.map(lambda t: t.encode("utf-8", "surrogatepass"))))
def decode_property(data: bytes) -> None:
    try:
        out = timed("decode", lambda d: decode(Path("x.txt"), d), data)
    except InputError as e:
        assert str(e).startswith("x.txt: ")
        return
    assert isinstance(out, str)


@prop
@PROFILE
@given(
    st.integers(-(10**12), 10**12),
    st.sampled_from(["decimal", "lowerLetter", "upperRoman", "lowerRoman", "x"]),
)
def numbering_property(n: int, fmt: str) -> None:
    t0 = time.perf_counter()
    out = format_number(n, fmt)
    assert len(out) <= 2000, (n, fmt, len(out))
    s = STATS.setdefault("format_number", {"examples": 0, "slowest_s": 0.0, "slowest_len": 0})
    s["examples"] += 1
    s["slowest_s"] = max(s["slowest_s"], time.perf_counter() - t0)


@prop
@settings(PROFILE, max_examples=5, deadline=timedelta(seconds=30))
@given(short_text)
def extraction_property(text: str) -> None:
    """Extraction from text, end to end: read as a .txt file, then the whole pipeline."""
    from directive_nlp.extraction.pipeline import extract
    from directive_nlp.reading.text import read_text

    try:
        doc = read_text(Path("x.txt"), text.encode("utf-8", "surrogatepass"), "txt")
    except InputError:
        return
    ex = timed("extract(text)", lambda _t: extract(doc), text)
    assert ex is not None


@pytest.fixture(scope="module", autouse=True)
def _report():
    find_units("Bộ Tài chính")  # load the gazetteer outside the per-call deadline
    parse_units("Bộ Tài chính chủ trì")
    yield
    if FUZZ_MINUTES:
        out = ROOT / "outputs" / "fuzz-report.json"
        out.parent.mkdir(exist_ok=True)
        total = sum(int(s["examples"]) for s in STATS.values())
        slowest = max(STATS.items(), key=lambda kv: kv[1]["slowest_s"])
        report = {
            "minutes": FUZZ_MINUTES,
            "calls": total,
            "slowest": {"function": slowest[0], **slowest[1]},
            "functions": STATS,
        }
        out.write_text(json.dumps(report, indent=1, ensure_ascii=False))


@pytest.mark.parametrize("name", [p.__name__ for p in PROPERTIES])
def test_property(name: str) -> None:
    run_property(next(p for p in PROPERTIES if p.__name__ == name))


# ---------------------------------------------------------------------------------------
# The inputs that were slow, each under a time bound (against hangs, not a benchmark)
# ---------------------------------------------------------------------------------------


def _bounded(fn: Callable[[], object], seconds: float = 10.0) -> None:
    import signal

    def _alarm(signum, frame):  # noqa: ARG001
        raise TimeoutError(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        fn()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def test_unit_list_with_a_long_dash_run_is_linear():
    # "Sở - - - … x:" of 64,000 characters: 46 s before (trailing-punctuation regex)
    line = "Sở " + "- " * 32000 + "x:"
    _bounded(lambda: parse_units(line))
    assert split_units("Sở Tài chính - - ;") == ["Sở Tài chính"]


def test_unit_head_on_a_long_capital_run_is_linear():
    # "UBNDUBND…Sở" (5,670 characters), found by the fuzzer: 7.4 s before ([A-ZĐ]{2,}[A-ZĐ&-]*)
    text = "UBND" * 1417 + "Sở"
    _bounded(lambda: parse_units(text))
    assert parse_units("UBND tỉnh chủ trì thực hiện").lead == ["UBND tỉnh"]


def test_many_dates_in_one_text_are_linear():
    # 25,000 numbered lines with a date each: 26 s before (overlap check against every hit)
    text = "".join(f"{i}. Hoàn thành trước ngày {i % 28 + 1}/{i % 12 + 1}/2025.\n" for i in range(1, 25001))
    hits: list = []
    _bounded(lambda: hits.extend(find_deadlines(text)))
    assert len(hits) == 25000
    assert hits[0].deadline.due == "2025-02-02"


@pytest.mark.parametrize(
    "text",
    [
        "/" + "1" * 20000,  # cubic in the symbol regex: 7 s at 2,000 digits before
        "Bộ Công an " + ".,;:-" * 12000 + "/",
        "Sở " + "-" * 60000 + " Bộ Tài chính/",
        "/" + "A" * 60000,
    ],
    ids=["digits", "punctuation", "dashes", "capitals"],
)
def test_unit_names_on_long_runs_are_linear(text: str):
    _bounded(lambda: find_units(text))


def test_symbol_spans_keep_their_meaning():
    assert _symbol_spans("theo Kế hoạch số 02-KH/BCĐTW ngày 5/3/2025") == [(17, 28), (34, 42)]
    assert _symbol_spans("xKH/BCĐTW và a/b") == [(1, 9)]


def test_emphasis_on_an_unclosed_star_run_is_linear():
    line = " *b" * 20000  # 24 s before
    _bounded(lambda: strip_inline_md(line))
    assert strip_single_emphasis("đây là *nhấn mạnh* thôi") == "đây là nhấn mạnh thôi"
