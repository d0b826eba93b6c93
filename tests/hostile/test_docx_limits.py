"""DOCX limits at the source: what a hostile package costs is bounded before it is inflated
or walked, and every refusal is one InputError naming the file."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from directive_nlp.errors import InputError
from directive_nlp.reading.docx import MAX_TABLE_DEPTH, read_docx

from . import generate as g


def _read(data: bytes, name: str = "hs.docx"):
    return read_docx(Path(name), data)


def _refused(data: bytes) -> InputError:
    with pytest.raises(InputError) as e:
        _read(data)
    assert str(e.value).startswith("hs.docx: ")
    return e.value


def test_nested_tables_walked_once_per_table():
    t0 = time.monotonic()
    doc = _read(g.docx_package(g.nested_table(MAX_TABLE_DEPTH - 1)))
    assert time.monotonic() - t0 < 10  # exponential before: depth 20 took 25 s
    rows = [b for b in doc.blocks if b.kind == "table_row"]
    assert len(rows) == 1  # the outer table's one row; inner tables are text of its cell
    # each nested level's text appears exactly once (every descendant row was rendered again
    # at every level before)
    assert rows[0].text.count("mức 3 ") == 1
    assert rows[0].text.count("Sở Tài chính chủ trì") == 1


def test_nesting_past_the_limit_refused():
    assert _refused(g.docx_package(g.nested_table(MAX_TABLE_DEPTH + 5))).key == "err.docx_too_deep"


def test_zip_bomb_refused_from_the_directory():
    assert _refused(g.zip_bomb_docx(4 << 20)).key == "err.docx_bomb"


def test_entities_and_external_entities_refused():
    for item in [*g.fam_docx_entity_bomb(False), *g.fam_docx_external_entity(False)]:
        assert _refused(item.data).key == "err.docx_dtd"


def test_numbering_start_of_a_billion_rendered_as_a_number():
    body = "".join(g.para(f"Việc {i}", ("1", "0")) for i in range(2))
    for fmt in ("lowerLetter", "upperRoman", "decimal"):
        doc = _read(g.docx_package(body, numbering=g.numbering_xml(start="1000000000", fmt=fmt)))
        assert [b.label for b in doc.blocks] == ["1000000000.", "1000000001."], fmt


def test_broken_numbering_levels_read_without_labels_or_crash():
    body = "".join(g.para(f"Việc {i}", ("1", "99")) for i in range(2))
    doc = _read(g.docx_package(body, numbering=g.numbering_xml(ilvl="x")))
    assert [b.text for b in doc.blocks] == ["Việc 0", "Việc 1"]
    doc = _read(g.docx_package(body, numbering=g.numbering_xml(start="9" * 5000)))
    assert len(doc.blocks) == 2


def test_long_vertical_merge_and_huge_grid_span():
    item = next(i for i in g.fam_docx_nested_tables(False) if i.name == "docx_vmerge_long.docx")
    t0 = time.monotonic()
    doc = _read(item.data)
    assert time.monotonic() - t0 < 10
    rows = [b for b in doc.blocks if b.kind == "table_row"]
    assert len(rows) == 1500
    assert rows[-1].cells == ["gộp", "dòng 1499"]  # the merged cell repeats its origin's text


def test_no_body_and_wrong_namespace():
    by_name = {i.name: i for i in g.fam_docx_structure(False)}
    assert _refused(by_name["docx_no_body.docx"].data).key == "err.docx_no_body_element"
    assert _refused(by_name["docx_wrong_ns.docx"].data).key == "err.docx_wrong_ns"
    assert _refused(by_name["docx_not_xml.docx"].data).key == "err.docx_corrupt"
