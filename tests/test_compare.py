"""Slot comparisons of the gap check (linking/compare.py): small literal examples."""

from __future__ import annotations

import pytest

from directive_nlp.linking import compare as cmp


def issues(findings):
    return [f.issue for f in findings if f.issue]


def dl(kind, due=None, text=None, start=None):
    return {"kind": kind, "due": due, "start": start, "text": text}


# --------------------------------------------------------------------------- deadlines


def test_later_local_due_is_relaxed():
    f = cmp.compare_deadline(dl("by_date", "2025-12-20"), [dl("in_year", "2025-12-31")])
    assert issues(f) == ["deadline_relaxed"]
    assert "2025-12-20" in f[0].detail and "2025-12-31" in f[0].detail


def test_same_or_earlier_local_due_is_kept():
    assert issues(cmp.compare_deadline(dl("by_date", "2025-12-31"), [dl("in_year", "2025-12-31")])) == []
    assert issues(cmp.compare_deadline(dl("in_month", "2025-09-30"), [dl("by_date", "2025-08-15")])) == []


def test_strictest_local_task_counts():
    f = cmp.compare_deadline(dl("by_date", "2025-12-20"), [dl("none"), dl("by_date", "2025-11-30")])
    assert issues(f) == []


@pytest.mark.parametrize(
    "local",
    [
        dl("ongoing", text="Thực hiện thường xuyên"),
        dl("none"),
        dl("recurring", text="định kỳ báo cáo"),
        dl("immediate"),
    ],
)
def test_dated_to_undated_is_dropped(local):
    assert issues(cmp.compare_deadline(dl("by_date", "2025-12-25"), [local])) == ["deadline_dropped"]


def test_upstream_period_carried_as_standing_duty():
    up = dl("range", "2025-12-31", "Thường xuyên trong 6 tháng cuối năm 2025", start="2025-07-01")
    assert issues(cmp.compare_deadline(up, [dl("ongoing")])) == []


def test_deadline_before_local_plan_is_noted_not_counted():
    f = cmp.compare_deadline(dl("by_date", "2025-06-25"), [dl("ongoing")], plan_date="2025-07-01")
    assert issues(f) == [] and f[0].code == "deadline.passed"


def test_proxy_plan_date_gives_grace():
    # the plan's own date is unknown; the proxy (upstream issue date) plus the grace period covers it
    f = cmp.compare_deadline(
        dl("by_date", "2025-06-30"), [dl("ongoing")], plan_date="2025-06-19", plan_date_proxy=True
    )
    assert issues(f) == []
    f = cmp.compare_deadline(dl("by_date", "2025-06-30"), [dl("ongoing")], plan_date="2025-06-19")
    assert issues(f) == ["deadline_dropped"]


def test_frequencies():
    assert cmp.frequencies("định kỳ (tuần, tháng)") == {"weekly", "monthly"}
    assert cmp.frequencies("định kỳ hằng tháng (trước ngày 25 hằng tháng)") == {"monthly"}
    assert cmp.frequencies("cập nhật theo thời gian thực") == {"realtime"}
    assert cmp.frequencies("hàng ngày") == {"daily"}
    assert cmp.frequencies("trong tháng 8/2025") == set()


def test_coarser_reporting_rhythm_is_relaxed():
    up = dl("ongoing", text="theo thời gian thực")
    f = cmp.compare_deadline(up, [dl("ongoing", text="thường xuyên, định kỳ hoặc khi có yêu cầu")])
    assert issues(f) == ["deadline_relaxed"]
    up = dl("recurring", text="định kỳ hằng tháng")
    assert issues(cmp.compare_deadline(up, [dl("recurring", text="định kỳ (tuần, tháng)")])) == []
    assert issues(cmp.compare_deadline(up, [dl("recurring", text="hằng quý")])) == ["deadline_relaxed"]


# --------------------------------------------------------------------------- targets


def test_quantities_ignore_dates_and_symbols():
    qs = cmp.quantities(
        "Hoàn thành trước ngày 25/6/2025 theo Quyết định số 20/2020/QĐ-TTg, "
        "Nghị định 118/2025/NĐ-CP, mô hình chính quyền 2 cấp (Phụ lục II kèm theo)"
    )
    assert qs == []


def test_quantities_kinds():
    qs = cmp.quantities(
        "Cung cấp 982 dịch vụ công trực tuyến với 1.000 hồ sơ/năm/tỉnh và 100% kết quả điện tử"
    )
    kinds = {(q.kind, q.value) for q in qs}
    assert kinds == {("count", 982.0), ("rate", 1000.0), ("percent", 100.0)}
    assert cmp.quantities("tỷ lệ lỗi dưới 5%")[0].bound == "max"
    assert cmp.quantities("ít nhất 30% tài liệu")[0].bound == "min"


def test_lower_percentage_is_weakened():
    f = cmp.compare_targets("ít nhất 30% tài liệu lưu trữ được số hoá", ["số hoá 20% tài liệu"])
    assert issues(f) == ["target_weakened"] and f[0].distorts


def test_higher_percentage_is_fine():
    assert cmp.compare_targets("80% hồ sơ trực tuyến", ["tối thiểu 90% hồ sơ"]) == []


def test_absent_target_is_weakened_but_not_distorting():
    f = cmp.compare_targets("tích hợp 100% dịch vụ công trực tuyến", ["kết nối hệ thống một cửa"])
    assert issues(f) == ["target_weakened"] and not f[0].distorts


def test_ceiling_higher_locally_is_weakened():
    assert issues(cmp.compare_targets("tỷ lệ hồ sơ trễ hạn dưới 5%", ["tỷ lệ hồ sơ trễ hạn dưới 10%"])) == [
        "target_weakened"
    ]


def test_counted_scope_not_named_is_narrowed():
    f = cmp.compare_targets(
        "Cung cấp 25 dịch vụ công trực tuyến toàn trình", ["Sử dụng dịch vụ công quốc gia"]
    )
    assert issues(f) == ["scope_narrowed"] and "25 dịch vụ công" in f[0].detail
    # restated elsewhere in the local plan (its goals): carried
    assert (
        cmp.compare_targets(
            "Cung cấp 25 dịch vụ công",
            ["Sử dụng dịch vụ công"],
            local_context="Mục tiêu: 25 dịch vụ công trực tuyến",
        )
        == []
    )


def test_enumeration_one_of_four_is_narrowed():
    up = (
        "Rà soát các hệ thống (Hệ thống họp trực tuyến, Hệ thống quản lý văn bản, "
        "Hệ thống thư điện tử công vụ, Cổng thông tin điện tử)"
    )
    f = cmp.compare_enumerations(up, ["Sử dụng hệ thống họp trực tuyến"])
    assert issues(f) == ["scope_narrowed"]
    assert (
        cmp.compare_enumerations(
            up,
            [
                "Cấu hình hệ thống họp trực tuyến; hệ thống quản lý văn bản; "
                "thư điện tử công vụ; cổng thông tin điện tử phường"
            ],
        )
        == []
    )


# --------------------------------------------------------------------------- modality and role


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Các địa phương phải hoàn thành trước ngày 30/6", "strong"),
        ("Bảo đảm hệ thống hoạt động thông suốt", "strong"),
        ("Phấn đấu đến năm 2026 hoàn thành", "weak"),
        ("Nghiên cứu xây dựng quy chế", "weak"),
        ("Khuyến khích người dân sử dụng", "weak"),
        ("Xây dựng kế hoạch chi tiết", "neutral"),
    ],
)
def test_modality(text, expected):
    assert cmp.modality(text) == expected


def test_softened_modality():
    f = cmp.compare_modality("Các địa phương phải hoàn thành số hoá hồ sơ", ["Phấn đấu số hoá hồ sơ"])
    assert issues(f) == ["modality_softened"]
    assert cmp.compare_modality("Hoàn thành số hoá hồ sơ", ["Hoàn thành số hoá hồ sơ năm 2025"]) == []
    # an aspiration upstream cannot be softened
    assert cmp.compare_modality("Nghiên cứu cơ chế", ["Nghiên cứu cơ chế"]) == []


def test_organise_to_take_part_is_narrowed():
    f = cmp.compare_role(
        "Các địa phương tổ chức các khóa đào tạo, tập huấn kỹ năng số",
        ["Cử cán bộ, công chức tham gia tập huấn về kỹ năng vận hành"],
    )
    assert issues(f) == ["scope_narrowed"]
    assert cmp.compare_role("tổ chức tập huấn", ["Tổ chức tập huấn cho cán bộ"]) == []


# --------------------------------------------------------------------------- responsibility

LEVELS = {
    "Phòng Văn hóa - Xã hội": {"commune"},
    "Sở Tư pháp": {"province"},
    "Ủy ban nhân dân thành phố": {"province"},
    "Sở Nội vụ": {"province"},
    "Công an phường": {"commune"},
}


def _lead(up, local, level="commune", counterpart=None):
    return cmp.compare_lead(
        up,
        local,
        local_level=level,
        levels_of=lambda n: LEVELS.get(n, set()),
        same_unit=lambda a, b: a == b,
        counterpart=lambda n, lv: counterpart,
        is_generic=lambda n: n.lower().startswith("các"),
    )


def test_generic_addressee_any_local_unit_is_fine():
    assert _lead(["Các địa phương"], [["Phòng Văn hóa - Xã hội"]]) == []


def test_local_lead_at_another_level_is_changed():
    f = _lead(["Các địa phương"], [["Ủy ban nhân dân thành phố"]])
    assert issues(f) == ["lead_changed"]


def test_named_addressee_must_keep_its_counterpart():
    assert issues(_lead(["Bộ Công an"], [["Phòng Văn hóa - Xã hội"]], counterpart="Công an phường")) == [
        "lead_changed"
    ]
    assert _lead(["Bộ Công an"], [["Công an phường"]], counterpart="Công an phường") == []
    # counterpart unknown: no judgement
    assert _lead(["Bộ Công an"], [["Phòng Văn hóa - Xã hội"]], counterpart=None) == []


def test_describe_in_vietnamese():
    f = cmp.compare_deadline(dl("by_date", "2025-12-25"), [dl("recurring")])[0]
    assert cmp.describe(f, "vi") == "cấp trên hạn 25/12/2025; địa phương: định kỳ"
    # a person reads dd/mm/yyyy in English too; the JSON's ``detail`` keeps the ISO date
    assert cmp.describe(f, "en") == "upstream due 25/12/2025; local: recurring"
    assert f.detail == "upstream due 2025-12-25; local: recurring"
