"""The gap check's data files run as tests: every example must behave as its file says."""

from __future__ import annotations

import tomllib

import pytest

from directive_nlp.linking import align as al
from directive_nlp.linking import vocab
from directive_nlp.resources import gazetteer_path
from directive_nlp.units.remit import within_remit

TERMS = tomllib.loads(gazetteer_path("domain_terms.toml").read_text(encoding="utf-8"))
REMITS = tomllib.loads(gazetteer_path("unit_remits.toml").read_text(encoding="utf-8"))["remit"]
STOP = al.STOPWORDS | al.GENERIC


@pytest.mark.parametrize("entry", TERMS["abbreviation"], ids=lambda e: e["short"])
def test_abbreviation_examples(entry):
    v = vocab.load()
    for text in entry.get("examples", []):
        assert entry["long"] in v.expand(text), text
    for text in entry.get("not", []):
        assert entry["long"] not in v.expand(text), text


def test_abbreviations_and_synonyms_make_shared_terms():
    a = al.terms_of_text("Cung cấp 25 DVCTT toàn trình")
    b = al.terms_of_text("cung cấp 25 dịch vụ công trực tuyến toàn trình")
    assert a.keys() == b.keys() and "#25" in a
    assert al.terms_of_text("đào tạo kỹ năng số").keys() == al.terms_of_text("tập huấn kỹ năng số").keys()


def test_counted_scopes_are_not_dates_or_document_numbers():
    assert vocab.scope_numbers("982 DVCTT, 1.139 thủ tục hành chính, 82 nhóm") == ["982", "1139", "82"]
    assert vocab.scope_numbers("trước ngày 25/6/2025, Kế hoạch số 02 và trong năm 2025; đạt 80% hồ sơ") == []


def test_deliverable_examples():
    v = vocab.load()
    d = TERMS["deliverable"]
    for text in d["examples"]:
        assert v.deliverable(text, STOP) is not None, text
    for text in d["not"]:
        assert v.deliverable(text, STOP) is None, text


def test_a_deliverable_is_carried_only_by_a_text_naming_it():
    v = vocab.load()
    product = v.deliverable(
        "Ban hành quy định tạm thời về việc giao quyền chủ đầu tư cho dự án cấp bách.", STOP
    )
    assert product is not None
    assert product.carried_by("Xây dựng Quy định tạm thời giao quyền chủ đầu tư các dự án chuyển đổi số", v)
    assert not product.carried_by("Ban hành quy định về quản lý hồ sơ điện tử", v)  # another rule
    assert not product.carried_by("Phân bổ vốn đầu tư cho các dự án cấp bách", v)  # shares words only


@pytest.mark.parametrize("bloc", sorted(REMITS))
def test_remit_examples(bloc):
    for text in REMITS[bloc]["examples"]:
        assert within_remit(bloc, text)[0], text
    for text in REMITS[bloc]["outside"]:
        assert not within_remit(bloc, text)[0], text
