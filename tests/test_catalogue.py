"""The message catalogue: every key the code names exists, in both languages, with the same fields."""

from __future__ import annotations

import re
import string
from pathlib import Path

from directive_nlp.i18n import LANGS, catalogue

SRC = Path(__file__).resolve().parents[1] / "src" / "directive_nlp"

# a literal key passed to the catalogue: msg("x.y"), fail_key("x.y"), t("x.y", …), InputError(p, "err.x")
_CALL = re.compile(
    r"""(?:\bmsg|\bfail_key|\bt|InputError|OCRUnavailable|StatusError|\w+Error)\(\s*(?:[^"',]+?,\s*)?"""
    r"""["']((?:err|msg|help|col|title|sheet|status|gap|follow|click|word|dl|src|doctor|graph|level)\.[\w.]+)["']"""
)


def _fields(template: str) -> set[str]:
    # English writes a month by its name and a quarter by its number where Vietnamese writes
    # the month's number and the quarter's Roman numeral
    same = {"month_name": "month", "quarter_num": "quarter"}
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    return {same.get(n, n) for n in names}


def test_every_entry_has_both_languages_with_the_same_fields():
    for key, entry in catalogue().items():
        assert set(entry) >= set(LANGS), key
        assert _fields(entry["vi"]) == _fields(entry["en"]), key


def test_every_key_named_in_the_code_exists():
    known = catalogue()
    missing = []
    for path in SRC.rglob("*.py"):
        for m in _CALL.finditer(path.read_text(encoding="utf-8")):
            if m.group(1) not in known:
                missing.append(f"{path.relative_to(SRC)}: {m.group(1)}")
    assert not missing, missing


def test_the_pattern_finds_keys():
    # the scan above must see real calls, or it proves nothing
    found = {m.group(1) for p in SRC.rglob("*.py") for m in _CALL.finditer(p.read_text(encoding="utf-8"))}
    assert {"err.no_such_file", "err.pdf_encrypted"} <= found
    assert len(found) > 50
