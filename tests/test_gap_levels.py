"""Applicability for implementing bodies at every level (spec v1.1 section 5), on a small
resolution written for this test (own wording, the genre's shape): tasks addressed to the
Assembly, to the Government and its ministries, to everyone, to provinces, to the Front, and
resolution prose with no addressee of its own (the implied lead is the issuer)."""

from __future__ import annotations

import pytest

from directive_nlp.linking import gapcheck as gc
from directive_nlp.reports.gap_report import applies_reason_text
from directive_nlp.units import blocs, is_whole_system, levels_by_rule

ISSUER = "Bộ Chính trị"


def _t(tid, text, lead=(), implied=False):
    return {
        "id": tid,
        "text": text,
        "lead": list(lead),
        "support": [],
        "lead_implied": implied,
        "section": "III",
    }


RESOLUTION = {
    "document": {"symbol": "99-NQ/TW", "issuer": ISSUER, "title": "Nghị quyết về phát triển dữ liệu số"},
    "tasks": [
        _t(
            "t1",
            "Sửa đổi, bổ sung các luật có liên quan để tạo hành lang pháp lý cho kinh tế dữ liệu.",
            implied=True,
        ),
        _t("t2", "Xây dựng hạ tầng trung tâm dữ liệu vùng và cơ sở dữ liệu dùng chung.", implied=True),
        _t(
            "t3",
            "Nâng cao năng lực lãnh đạo của các cấp ủy, tổ chức đảng đối với phát triển dữ liệu.",
            implied=True,
        ),
        _t("t4", "Quốc hội ưu tiên xem xét, thông qua Luật Dữ liệu sửa đổi.", ["Quốc hội"]),
        _t("t5", "Chính phủ ban hành chương trình hành động thực hiện Nghị quyết.", ["Chính phủ"]),
        _t("t6", "Bộ Công an xây dựng cơ sở dữ liệu quốc gia về dân cư mở rộng.", ["Bộ Công an"]),
        _t("t7", "Các bộ, ngành công bố danh mục dữ liệu mở thuộc phạm vi quản lý.", ["Các bộ, ngành"]),
        _t(
            "t8",
            "Cả hệ thống chính trị quán triệt, triển khai nghiêm túc Nghị quyết.",
            ["Cả hệ thống chính trị"],
        ),
        _t(
            "t9",
            "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương số hóa hồ sơ đất đai.",
            ["Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"],
        ),
        _t(
            "t10",
            "Mặt trận Tổ quốc Việt Nam giám sát việc thực hiện Nghị quyết.",
            ["Mặt trận Tổ quốc Việt Nam"],
        ),
    ],
}


def _applies(issuer: str, level: str | None = None) -> dict[str, gc.Applicability]:
    local = {
        "document": {"issuer": issuer, "title": "Kế hoạch thực hiện Nghị quyết số 99-NQ/TW"},
        "tasks": [],
    }
    out = gc.check(local, RESOLUTION, local_level=level)
    return {
        it["upstream_task"]: gc.Applicability(it["applies"], it["applies_reason"], rule=it["applies_rule"])
        for it in out["items"]
    }


def test_government_programme_carries_state_tasks_and_state_remit():
    a = _applies("Chính phủ")
    # the Government drafts laws and builds infrastructure: both within its remit
    assert {t for t, x in a.items() if x.applies} == {"t1", "t2", "t5", "t6", "t7", "t8"}
    assert a["t1"].rule == "remit" and a["t2"].rule == "remit"
    assert a["t3"].rule == "outside_remit"  # Party-internal work is not the Government's
    assert a["t4"].rule == "other_bloc"  # the Assembly's


def test_assembly_body_carries_assembly_tasks_and_law_making():
    a = _applies("Ủy ban Khoa học, Công nghệ và Môi trường của Quốc hội")
    assert {t for t, x in a.items() if x.applies} == {"t1", "t4", "t8"}
    assert a["t1"].rule == "remit"
    assert not a["t2"].applies and not a["t5"].applies and not a["t7"].applies


def test_ministry_plan_carries_its_own_and_its_blocs_generic_tasks():
    a = _applies("Bộ Công an")
    applied = {t for t, x in a.items() if x.applies}
    assert {"t6", "t7", "t8"} <= applied
    assert "t4" not in applied and "t9" not in applied and "t10" not in applied


def test_province_plan_is_unchanged_by_the_central_rules():
    a = _applies("Ủy ban nhân dân tỉnh Nghệ An")
    applied = {t for t, x in a.items() if x.applies}
    assert {"t8", "t9"} <= applied
    assert not ({"t1", "t2", "t4", "t5", "t6", "t7"} & applied)


@pytest.mark.parametrize(
    "name, bloc",
    [
        ("Quốc hội", {"assembly"}),
        ("Ủy ban Kinh tế và Tài chính của Quốc hội", {"assembly"}),
        ("Bộ Chính trị", {"party"}),
        ("Chính phủ", {"state"}),
        ("Nhà nước", {"state"}),
        ("Đảng ủy Quốc hội", {"party", "assembly"}),
        ("cả hệ thống chính trị", set()),
    ],
)
def test_blocs(name, bloc):
    assert blocs(name) == bloc


def test_whole_system_addressees_reach_every_level():
    assert is_whole_system("Các cấp, các ngành") and is_whole_system("cả hệ thống chính trị")
    assert levels_by_rule("toàn hệ thống chính trị") == {"central", "province", "commune"}
    assert not is_whole_system("các cấp ủy, tổ chức đảng")


def test_not_applicable_reasons_are_vietnamese_by_default():
    local = {"document": {"issuer": "Quốc hội", "title": "Kế hoạch"}, "tasks": []}
    items = {it["upstream_task"]: it for it in gc.check(local, RESOLUTION)["items"]}
    vi = applies_reason_text(items["t5"])
    assert "khối" in vi and "Quốc hội" in vi
    assert "bloc" in applies_reason_text(items["t5"], "en")
    assert "phạm vi" in applies_reason_text(items["t3"])


def test_a_task_for_a_described_class_given_to_one_body_moves_the_responsibility():
    up = {
        "document": {"issuer": "Ban Chỉ đạo Trung ương", "title": "Kế hoạch"},
        "tasks": [
            _t(
                "u1",
                "Các cơ quan chủ trì quản lý, vận hành các hệ thống thông tin sẵn sàng phương án dự phòng "
                "khi hệ thống bị tấn công.",
                ["Các cơ quan"],
            )
        ],
    }

    def status(lead: str) -> dict:
        local = {
            "document": {"issuer": "Ủy ban nhân dân tỉnh Nghệ An", "title": "Kế hoạch"},
            "tasks": [
                {
                    "id": "l1",
                    "text": "Sẵn sàng phương án dự phòng khi hệ thống thông tin bị tấn công.",
                    "lead": [lead],
                    "support": [],
                    "section": "1",
                }
            ],
        }
        return gc.check(local, up)["items"][0]

    one = status("Công an tỉnh")
    assert one["applies"] and "lead_changed" in one["issues"] and one["status"] == "distorted"
    every = status("Các cơ quan, đơn vị, địa phương")
    assert "lead_changed" not in every["issues"]
