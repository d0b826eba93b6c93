"""Lead/support parsing and unit-list splitting on sentences from the corpus."""

from __future__ import annotations

import pytest

from directive_nlp.extraction.unitlists import parse_units, split_units


@pytest.mark.parametrize(
    "text,lead,support",
    [
        (
            "Bộ Tài chính chủ trì, phối hợp với Văn phòng Trung ương Đảng, Văn phòng Chính phủ "
            "và các bộ, ngành, địa phương liên quan ban hành văn bản công bố danh mục",
            ["Bộ Tài chính"],
            ["Văn phòng Trung ương Đảng", "Văn phòng Chính phủ", "các bộ, ngành, địa phương liên quan"],
        ),
        ("Ban Tổ chức Trung ương ban hành quy định mã số tổ chức", ["Ban Tổ chức Trung ương"], []),
        ("Bộ Tư pháp và Bộ Công an phối hợp, hoàn thành việc thống nhất", ["Bộ Tư pháp", "Bộ Công an"], []),
        (
            "Các bộ, cơ quan: Công an, Nội vụ, Tài chính, Văn phòng Trung ương Đảng "
            "kịp thời hỗ trợ hướng dẫn",
            ["Bộ Công an", "Bộ Nội vụ", "Bộ Tài chính", "Văn phòng Trung ương Đảng"],
            [],
        ),
        (
            "Chủ trì, phối hợp với Bộ Khoa học và Công nghệ, Bộ Nội vụ ứng dụng trí tuệ nhân tạo",
            [],
            ["Bộ Khoa học và Công nghệ", "Bộ Nội vụ"],
        ),
        ("Ban hành quy định về thực hiện thủ tục hành chính", [], []),
        (
            "Các cơ quan của Quốc hội, Trung ương Mặt trận Tổ quốc Việt Nam, "
            "các tổ chức chính trị - xã hội và các Tập đoàn công nghệ rà soát",
            [
                "Các cơ quan của Quốc hội",
                "Trung ương Mặt trận Tổ quốc Việt Nam",
                "các tổ chức chính trị - xã hội",
                "các Tập đoàn công nghệ",
            ],
            [],
        ),
    ],
)
def test_parse_units(text, lead, support):
    r = parse_units(text)
    assert r.lead == lead
    assert r.support == support


def test_support_intro_is_recognised():
    r = parse_units(
        "Bộ Công an chủ trì, phối hợp với: (1) Các bộ, ngành được giao nhiệm vụ, khẩn trương xây dựng"
    )
    assert r.lead == ["Bộ Công an"] and r.support_intro


@pytest.mark.parametrize(
    "text,units",
    [
        (
            "Ban Tuyên giáo Trung ương; các bộ, ngành, địa phương; VTV, VOV, TTXVN",
            ["Ban Tuyên giáo Trung ương", "các bộ, ngành, địa phương", "VTV", "VOV", "TTXVN"],
        ),
        ("Bộ, ngành, địa phương", ["Bộ, ngành, địa phương"]),
        (
            "Văn phòng HĐND và UBND phường; Phòng Văn hóa - Xã hội.",
            ["Văn phòng HĐND và UBND phường", "Phòng Văn hóa - Xã hội"],
        ),
        (
            "Sở Khoa học và Công nghệ, Sở Văn hoá, Thể thao và Du lịch",
            ["Sở Khoa học và Công nghệ", "Sở Văn hoá, Thể thao và Du lịch"],
        ),
        ("Văn phòng Trung ương Đảng (Cơ quan Thường trực Ban Chỉ đạo)", ["Văn phòng Trung ương Đảng"]),
    ],
)
def test_split_units(text, units):
    assert split_units(text) == units
