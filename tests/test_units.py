"""Unit gazetteer and matcher: lookup, levels, counterparts, find_units, spaCy model round-trip."""

from __future__ import annotations

import datetime as dt
import importlib.util
import itertools
import json
import re
import shutil
import time
from pathlib import Path

import pytest

from directive_nlp.units import gazetteer as U
from directive_nlp.units.gazetteer import (
    find_units,
    load_gazetteer,
    looks_like_unit,
    model_status,
    tokenize,
    unit_key,
)

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="module")
def gz():
    return load_gazetteer()


def corpus_text(prefix: str) -> str:
    (path,) = CORPUS.glob(f"{prefix}*")
    return path.read_text(encoding="utf-8")


def corpus_sentences() -> list[str]:
    out = []
    for p in sorted(CORPUS.glob("*")):
        for para in re.split(r"\n\s*\n", p.read_text(encoding="utf-8")):
            out += [s for s in re.split(r"(?<=[.;])\s+", para) if s.strip()]
    return out


# --- lookup: aliases, abbreviations, tone-mark placement, qualifiers ----------------------------

SAME = [
    ("UBND phường", "Ủy ban nhân dân phường"),
    ("Uỷ ban nhân dân tỉnh", "Ủy ban nhân dân tỉnh"),
    ("UBND Thành phố", "Ủy ban nhân dân thành phố"),
    ("Bộ KH&CN", "Bộ Khoa học và Công nghệ"),
    ("Bộ KH & CN", "Bộ Khoa học và Công nghệ"),
    ("Sở KHCN", "Sở Khoa học và Công nghệ"),
    ("TTPVHCC phường", "Trung tâm Phục vụ hành chính công phường"),
    ("Trung tâm PVHCC", "Trung tâm Phục vụ hành chính công"),
    ("Trung tâm PVHCC Thành phố", "Trung tâm Phục vụ hành chính công thành phố"),
    ("HĐND TP", "Hội đồng nhân dân thành phố"),
    ("Văn phòng HĐND và UBND phường", "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân phường"),
    ("MTTQ VN", "Mặt trận Tổ quốc Việt Nam"),
    ("BCĐTW", "Ban Chỉ đạo Trung ương về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số"),
    ("BCĐ TW", "Ban Chỉ đạo Trung ương"),
    ("VPTW", "Văn phòng Trung ương Đảng"),
    ("VPTU", "Văn phòng Thành ủy"),
    ("VPCP", "Văn phòng Chính phủ"),
    ("Phòng VHXH", "Phòng Văn hóa - Xã hội"),
    ("Phòng Văn hoá – Xã hội", "Phòng Văn hóa - Xã hội"),
    ("Thành uỷ", "Thành ủy"),
    ("Toà án nhân dân tối cao", "Tòa án nhân dân tối cao"),
    ("Sở Lao động, Thương binh và Xã hội", "Sở LĐTBXH"),
    ("Bộ TT&TT", "Bộ Thông tin và Truyền thông"),
    ("các bộ, ngành và địa phương", "Các bộ, ngành, địa phương"),
    ("UBND các tỉnh, TP trực thuộc TW", "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"),
]


@pytest.mark.parametrize("a,b", SAME)
def test_same_unit_aliases_abbreviations_tones(gz, a, b):
    ea, eb = gz.lookup(a), gz.lookup(b)
    assert ea is not None and eb is not None, (a, b)
    assert ea.id == eb.id
    assert gz.same_unit(a, b)
    assert gz.canonical(a) == gz.canonical(b) == ea.name


@pytest.mark.parametrize(
    "a,b",
    [
        ("Bộ Công an", "Công an phường"),
        ("Bộ Tài chính", "Sở Tài chính"),
        ("UBND phường", "UBND thành phố"),
        ("Bộ Khoa học và Công nghệ", "Sở Khoa học và Công nghệ"),
        ("Văn phòng Chính phủ", "Văn phòng UBND tỉnh"),
        ("Thường trực Ban Chỉ đạo", "Ban Chỉ đạo"),
    ],
)
def test_different_units(gz, a, b):
    assert not gz.same_unit(a, b)


def test_same_unit_qualified_and_bare(gz):
    assert gz.same_unit("Trung tâm PVHCC", "Trung tâm Phục vụ hành chính công phường")
    assert gz.same_unit("Công an phường Hải An", "Công an phường")
    assert gz.same_unit("các bộ, ngành, địa phương liên quan", "Các bộ, ngành, địa phương")


def test_bo_cong_an_vs_cong_an(gz):
    assert gz.lookup("Bộ Công an").id == "bo_cong_an"
    assert gz.lookup("Công an") is None  # bare: which police force depends on the writer
    assert gz.lookup("Công an Thành phố").id == "cong_an_thanh_pho"
    assert gz.lookup("Công an phường").id == "cong_an_phuong"


@pytest.mark.parametrize(
    "name,unit_id,qualifier",
    [
        ("UBND phường Hải An", "ubnd_phuong", "Hải An"),
        ("Uỷ ban nhân dân phường Hải An", "ubnd_phuong", "Hải An"),
        ("Công an phường Hải An", "cong_an_phuong", "Hải An"),
        ("Thành uỷ Hà Nội", "thanh_uy", "Hà Nội"),
        ("UBND TP. Hà Nội", "ubnd_thanh_pho", "Hà Nội"),
        ("Sở Tài chính tỉnh Thanh Hóa", "so_tai_chinh", "tỉnh Thanh Hóa"),
        ("Trung tâm Phục vụ hành chính công Thành phố", "ttpvhcc_thanh_pho", ""),
        ("các bộ, ngành, địa phương liên quan", "cac_bo_nganh_dia_phuong", "liên quan"),
        ("UBND các cấp trên địa bàn Thành phố", "ubnd_cac_cap", "trên địa bàn Thành phố"),
    ],
)
def test_trailing_qualifiers(gz, name, unit_id, qualifier):
    m = gz.resolve(name)
    assert m is not None and m.entry.id == unit_id
    assert m.qualifier == qualifier


def test_fuzzy_is_conservative(gz):
    m = gz.resolve("Bộ Khao học và Công nghệ")  # typo
    assert m is not None and m.entry.id == "bo_khcn" and m.method == "fuzzy"
    assert gz.lookup("Văn phòng Trung ương") is None  # not "Văn phòng Trung ương Đảng"
    assert gz.lookup("Sở Ngoại vụ và Du lịch") is None  # not Sở Ngoại vụ / Sở Du lịch
    assert gz.lookup("Công an quản lý") is None  # "quản" is not the locality word "quận"


def test_parenthesis_and_split_syllables(gz):
    m = gz.resolve("Bộ Quốc phòng (Ban Cơ yếu Chính phủ)")
    assert m.entry.id == "bo_quoc_phong" and m.method == "paren"
    assert gz.lookup("Côngan phường").id == "cong_an_phuong"


def test_unit_key_expands_abbreviations():
    assert unit_key("UBND phường") == unit_key("Uỷ ban nhân dân Phường") == "uy ban nhan dan phuong"
    assert unit_key("Sở KH&CN") == unit_key("Sở KHCN") == unit_key("sở khoa học và công nghệ")
    assert unit_key("Trung tâm PVHCC") == unit_key("TTPVHCC") == "trung tam phuc vu hanh chinh cong"
    assert unit_key("HĐND & UBND") == unit_key("HĐND và UBND")


def _scorer():
    path = SHARED / "tools" / "score.py"
    if not path.exists():
        pytest.skip("shared scorer not available")
    spec = importlib.util.spec_from_file_location("directive_score", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_unit_key_refines_scorer_key(gz):
    """Names the scorer's unit_key makes equal get equal keys here too."""
    score = _scorer()
    names = {a for pair in SAME for a in pair}
    for p in sorted((SHARED / "gold").glob("*.json")):
        for t in json.loads(p.read_text(encoding="utf-8")).get("tasks", []):
            for u in t.get("lead", []) + t.get("support", []):
                names.update(x.strip() for x in u.split("|"))
    for a, b in itertools.combinations(sorted(names), 2):
        if score.unit_key(a) == score.unit_key(b):
            assert gz.key(a) == gz.key(b), (a, b)


# --- levels ------------------------------------------------------------------------------------

C, P, X = "central", "province", "commune"


@pytest.mark.parametrize(
    "name,levels",
    [
        ("các bộ, ngành, địa phương", {C, P, X}),
        ("Các bộ, ngành, địa phương liên quan", {C, P, X}),
        ("các bộ, cơ quan ngang bộ", {C}),
        ("Các bộ, ngành", {C}),
        ("địa phương", {P, X}),
        ("Các địa phương", {P, X}),
        ("Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương", {P}),
        ("UBND các tỉnh, thành phố trực thuộc Trung ương", {P}),
        ("Ủy ban nhân dân các cấp", {P, X}),
        ("cấp xã", {X}),
        ("Ủy ban nhân dân cấp xã", {X}),
        ("UBND các xã, phường", {X}),
        ("các cơ quan, đơn vị, địa phương", {C, P, X}),
        ("các sở, ban, ngành", {P}),
        ("các phòng, ban", {X}),
        ("Các phòng thuộc UBND phường", {X}),
        ("các cơ quan liên quan", set()),  # relative to the issuer
        ("các doanh nghiệp công nghệ", set()),
    ],
)
def test_levels_of_generic_addressees(gz, name, levels):
    assert gz.levels_of(name) == levels


@pytest.mark.parametrize(
    "name,levels",
    [
        ("Bộ Tài chính", {C}),
        ("Văn phòng Chính phủ", {C}),
        ("Sở Tài chính", {P}),
        ("Công an Thành phố", {P}),
        ("UBND phường Hải An", {X}),
        ("Phòng Văn hóa - Xã hội", {X}),
        ("Trung tâm Phục vụ hành chính công", {P, X}),
        ("Thành ủy Hà Nội", {P}),
        # not in the gazetteer: head word / components / locality decide
        ("Sở Ngoại vụ và Du lịch", {P}),
        ("các bộ, ngành chủ quản cơ sở dữ liệu", {C}),
        ("Hội đồng Tư vấn tỉnh Nghệ An", {P}),
        ("Nhóm công tác đặc biệt", set()),
    ],
)
def test_levels_of_named_units(gz, name, levels):
    assert gz.levels_of(name) == levels


def test_relative_entries_are_flagged(gz):
    e = gz.lookup("các đơn vị có liên quan")
    assert e.generic and e.relative and not e.levels
    assert gz.lookup("Ban Chỉ đạo").relative


# --- counterparts and validity ------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,level,locality,expected",
    [
        ("Bộ Tài chính", P, None, "Sở Tài chính"),
        ("Bộ Tài chính", X, None, "Phòng Kinh tế"),
        ("Bộ Tài chính", X, "phường", "Phòng Kinh tế, Hạ tầng và Đô thị"),
        ("Bộ KH&CN", P, None, "Sở Khoa học và Công nghệ"),
        ("Bộ Khoa học và Công nghệ", X, None, "Phòng Văn hóa - Xã hội"),
        ("Ban Chỉ đạo Trung ương", P, None, "Ban Chỉ đạo tỉnh"),
        ("BCĐTW", P, "thành phố", "Ban Chỉ đạo thành phố"),
        ("Ban Chỉ đạo Trung ương", X, "phường", "Ban Chỉ đạo phường"),
        ("Văn phòng Chính phủ", P, None, "Văn phòng Ủy ban nhân dân tỉnh"),
        ("Văn phòng Chính phủ", X, None, "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã"),
        ("Chính phủ", X, "phường", "Ủy ban nhân dân phường"),
        ("Bộ Công an", P, "thành phố", "Công an thành phố"),
        ("Bộ Công an", X, None, "Công an xã"),
        ("Văn phòng Trung ương Đảng", P, None, "Văn phòng Tỉnh ủy"),
        ("Sở Tài chính", P, None, "Sở Tài chính"),
        ("Sở Nội vụ", X, None, "Phòng Văn hóa - Xã hội"),
        ("Các bộ, ngành", P, None, "Các sở, ban, ngành"),
        ("Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương", X, None, "Ủy ban nhân dân cấp xã"),
        ("Thanh tra Chính phủ", X, None, None),
        ("Ngân hàng Nhà nước Việt Nam", P, None, None),
    ],
)
def test_counterparts(gz, name, level, locality, expected):
    assert gz.counterpart(name, level, locality=locality) == expected


def test_counterpart_rejects_unknown_level(gz):
    with pytest.raises(ValueError):
        gz.counterpart("Bộ Tài chính", "district")


def test_2025_merges(gz):
    after = dt.date(2025, 6, 1)
    assert gz.current("Bộ Thông tin và Truyền thông", after).id == "bo_khcn"
    assert gz.current("Bộ Kế hoạch và Đầu tư", after).id == "bo_tai_chinh"
    assert gz.current("Bộ LĐTBXH", after).id == "bo_noi_vu"
    assert gz.current("Bộ Tài nguyên và Môi trường", after).id == "bo_nn_mt"
    assert gz.current("Bộ NN&PTNT", after).id == "bo_nn_mt"
    assert gz.current("Sở TT&TT", after).id == "so_khcn"
    assert gz.current("Sở Giao thông vận tải", after).id == "so_xay_dung"
    assert gz.current("Bộ Thông tin và Truyền thông", dt.date(2024, 12, 1)).id == "bo_tttt"
    assert gz.current("UBND huyện", dt.date(2025, 8, 1)).id == "ubnd_xa"
    assert not gz.lookup("Bộ TT&TT").valid_on(after)
    assert gz.lookup("Bộ Nông nghiệp và Môi trường").valid_on(after)


# --- looks_like_unit ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Bộ Công an",
        "Sở Ngoại vụ và Du lịch",
        "Ban Chỉ đạo",
        "Ủy ban nhân dân phường Hải An",
        "Uỷ ban Kiểm tra",
        "UBND quận Ba Đình",
        "Văn phòng HĐND và UBND",
        "Phòng Tư pháp",
        "Trung tâm Giám sát điều hành thông minh",
        "Công an",
        "Cục Thuế Thành phố",
        "Tổng cục Hải quan",
        "Viện Quy hoạch xây dựng",
        "Tòa án nhân dân",
        "Học viện Tư pháp",
        "Trường Đại học Hải Phòng",
        "Tập đoàn Viettel",
        "Tổng công ty Điện lực Hà Nội",
        "Đài Phát thanh và Truyền hình Hà Nội",
        "Báo Hải Phòng",
        "Thông tấn xã Việt Nam",
        "Hội đồng Tư vấn",
        "Mặt trận Tổ quốc",
        "Các bộ, ngành",
        "các sở, ban, ngành",
        "các cơ quan, đơn vị liên quan",
        "Thành ủy",
        "Tỉnh ủy Nghệ An",
        "Đảng ủy phường",
        "Chính phủ",
        "Thủ tướng Chính phủ",
        "Quốc hội",
        "Cơ quan Thường trực",
        "Tổ công tác",
        "Chủ tịch UBND phường",
        "VTV",
        "BỘ CÔNG AN",
    ],
)
def test_looks_like_unit(text):
    assert looks_like_unit(text)


@pytest.mark.parametrize(
    "text",
    [
        "Ban hành văn bản",
        "Báo cáo kết quả",
        "Hội nghị sơ kết",
        "Trường hợp cần thiết",
        "phòng, chống tham nhũng",
        "Sở hữu trí tuệ",
        "Tổ chức triển khai",
        "Bộ tiêu chí",
        "bộ máy",
        "Hoàn thành trong tháng 7/2025",
        "Xây dựng cơ sở dữ liệu",
        "trung tâm dữ liệu",
        "các nhiệm vụ",
        "BÁO CÁO",
        "Đoàn kết",
        "",
    ],
)
def test_does_not_look_like_unit(text):
    assert not looks_like_unit(text)


# --- find_units --------------------------------------------------------------------------------


def test_find_units_corpus_001_sentence():
    text = corpus_text("001")
    line = next(
        ln for ln in text.splitlines() if ln.startswith("c) Bộ Công an chủ trì, phối hợp với Bộ Xây dựng")
    )
    spans = find_units(line)
    assert [s.canonical for s in spans[:5]] == [
        "Bộ Công an",
        "Bộ Xây dựng",
        "Bộ Khoa học và Công nghệ",
        "Văn phòng Chính phủ",
        "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương",
    ]
    assert [s.levels for s in spans[:5]] == [{"central"}] * 4 + [{"province"}]
    assert spans[4].generic and not spans[0].generic
    for s in spans:
        assert line[s.start : s.end] == s.surface
    assert "Thủ tướng Chính phủ" in [s.canonical for s in spans]


def test_find_units_line_breaks_and_abbreviations():
    text = corpus_text("004")
    i = text.index("- Đơn vị phối hợp: Công an Thành phố, Văn phòng UBND Thành phố, Sở")
    chunk = text[i : i + 200]
    spans = find_units(chunk)
    names = [s.canonical for s in spans]
    assert names[:3] == [
        "Công an thành phố",
        "Văn phòng Ủy ban nhân dân thành phố",
        "Sở Thông tin và Truyền thông",
    ]
    assert "\n" in spans[2].surface and spans[2].text == "Sở Thông tin và Truyền thông"
    assert spans[3].canonical == "Các sở, ban, ngành" and spans[3].text == "các sở, ngành có liên quan"


def test_find_units_table_cell_split_over_lines():
    text = corpus_text("003")
    i = text.index("Ban Tổ chức Thành \nủy")
    spans = find_units(text[i - 5 : i + 40])
    assert spans[0].canonical == "Ban Tổ chức Thành ủy"


def test_find_units_ward_plan():
    text = corpus_text("002")
    spans = find_units(text)
    ids = {s.id for s in spans}
    assert {
        "ubnd_phuong",
        "phong_van_hoa_xa_hoi",
        "van_phong_hdnd_ubnd_phuong",
        "cong_an_phuong",
        "ttpvhcc_phuong",
    } <= ids
    hai_an = [s for s in spans if s.text == "UBND phường Hải An"]
    assert hai_an and hai_an[0].id == "ubnd_phuong" and hai_an[0].levels == {"commune"}


@pytest.mark.parametrize(
    "text,expected",
    [
        # tone marks decide: "số" (digital) is not "Sở"
        ("đẩy mạnh chuyển đổi số - Xây dựng nông thôn mới", []),
        ("hướng dẫn các tính năng mới", []),
        # document symbols are not unit mentions
        ("Thực hiện Kế hoạch số 02-KH/BCĐTW, Thông báo số 07-TB/CQTTBCĐ và Văn bản 3990/UBND-ĐMPT", []),
        # a comma the name does not have separates two bodies
        ("Thường trực, Tổ Giúp việc của Ban Chỉ đạo", ["Tổ Giúp việc", "Ban Chỉ đạo"]),
        (
            "Thường trực Tổ Giúp việc, Hội đồng Tư vấn thành phố",
            ["Thường trực Tổ Giúp việc", "Hội đồng Tư vấn thành phố"],
        ),
        ("Các tỉnh uỷ, thành uỷ trực thuộc Trung ương", ["Các tỉnh uỷ, thành uỷ trực thuộc Trung ương"]),
        ("Chủ tịch UBND TP Trương Việt Dũng chỉ đạo", ["Chủ tịch UBND TP"]),
        ("UBND phường quản lý địa bàn", ["UBND phường"]),
        ("Bộ Tư pháp và Bộ Công an phối hợp", ["Bộ Tư pháp", "Bộ Công an"]),
        ("Mặt trận Tô quốc Việt Nam", ["Mặt trận Tô quốc Việt Nam"]),  # one typo in a long name
        (
            "Thành uỷ Hà Nội; Sở KH&CN; Trung tâm PVHCC phường Lê Chân",
            ["Thành uỷ Hà Nội", "Sở KH&CN", "Trung tâm PVHCC phường Lê Chân"],
        ),
    ],
)
def test_find_units_precision(text, expected):
    assert [s.text for s in find_units(text)] == expected


def test_tokenize_offsets_and_gaps():
    text = "Văn phòng UBND Thành \nphố, Sở KH&CN"
    toks = tokenize(text)
    assert [t.norm for t in toks] == ["van", "phong", "ubnd", "thanh", "pho", "so", "kh", "&", "cn"]
    assert all(text[t.start : t.end] == t.text for t in toks)
    assert toks[5].gap == "," and toks[1].gap == ""
    assert toks[0].tnorm == "văn" and toks[5].tnorm == "sơ4"


def test_python_backend_speed(gz):
    sents = corpus_sentences()[:1000]
    gz.match(sents[0])
    t = time.perf_counter()
    for s in sents:
        gz.match(s)
    assert time.perf_counter() - t < 10.0  # typically 0.1-0.3 s


# --- spaCy model round-trip --------------------------------------------------------------------


@pytest.fixture(scope="module")
def built_model(tmp_path_factory, gz):
    out = tmp_path_factory.mktemp("model") / "units"
    st = U.build_model(out, gz)
    return out, st


def test_build_model_status(built_model, gz):
    out, st = built_model
    assert st["built"] and not st["stale"] and st["path"] == str(out)
    assert st["patterns"] == len(gz.patterns()) > 1000
    assert st["gazetteer_sha256"] == gz.sha256
    assert st["size_bytes"] < 5 * 1024 * 1024
    meta = json.loads((out / U.META_FILE).read_text(encoding="utf-8"))
    assert meta["tokenizer"] == U.TOKENIZER_NAME and meta["built_at"]


def test_model_round_trip_same_results_as_fallback(built_model, gz):
    out, _ = built_model
    U._MATCHERS.clear()
    m = U.load_matcher(out, gz)
    assert m is not None
    n = 0
    for s in corpus_sentences():
        a = gz.match(s)
        assert m.find(s) == a, s
        n += len(a)
    assert n > 1000
    doc = m.nlp("Bộ Công an chủ trì")
    assert [sp.label_ for sp in doc.spans[U.SPANS_KEY]] == [U.LABEL]
    assert doc.spans[U.SPANS_KEY][0].id_ == "bo_cong_an"


def test_model_goes_stale_when_data_changes(tmp_path, built_model):
    data = tmp_path / "gazetteers"
    shutil.copytree(U.load_gazetteer().directory, data)
    gz2 = load_gazetteer(data)
    out = tmp_path / "units"
    U.build_model(out, gz2)
    assert not model_status(out, gz2)["stale"]
    with (data / "units.toml").open("a", encoding="utf-8") as f:
        f.write('\n[[unit]]\nid = "so_test"\nname = "Sở Thử nghiệm"\nkind = "so"\nlevels = ["province"]\n')
    gz3 = load_gazetteer(data)
    assert gz3 is not gz2 and gz3.lookup("Sở Thử nghiệm") is not None
    st = model_status(out, gz3)
    assert st["built"] and st["stale"] and st["gazetteer_changed"] and st["backend"] == "python"
    U._MATCHERS.clear()
    assert U.load_matcher(out, gz3) is None  # stale: find_units falls back to Python
    assert [s.canonical for s in gz3.find_units("Sở Thử nghiệm chủ trì", backend="python")] == [
        "Sở Thử nghiệm"
    ]


def test_model_status_missing(tmp_path, gz):
    st = model_status(tmp_path / "nothing", gz)
    assert st["built"] is False and st["backend"] == "python"


def test_cli_build_model(tmp_path):
    from typer.testing import CliRunner

    from directive_nlp.cli import app

    out = tmp_path / "units"
    r = CliRunner().invoke(app, ["build-model", "--output", str(out)])
    assert r.exit_code == 0, r.output
    assert "đã dựng mô hình đơn vị" in r.output and (out / "config.cfg").exists()
    r = CliRunner().invoke(app, ["build-model", "--if-missing", "--output", str(out)])
    assert r.exit_code == 0 and "mô hình đơn vị còn mới" in r.output
    r = CliRunner().invoke(app, ["model-status", "--path", str(out)])
    assert r.exit_code == 0 and json.loads(r.output)["built"] is True


def test_resources_env_override(tmp_path, monkeypatch):
    from directive_nlp import resources

    assert resources.data_dir() == ROOT / "gazetteers"
    assert resources.models_dir() == ROOT / "models"
    assert resources.gazetteer_path("units.toml").exists()
    monkeypatch.setenv("DIRECTIVE_NLP_DATA", str(tmp_path))
    monkeypatch.setenv("DIRECTIVE_NLP_MODELS", str(tmp_path / "m"))
    assert resources.data_dir() == tmp_path
    assert resources.models_dir() == tmp_path / "m"
