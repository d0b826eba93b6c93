"""Normalisation: legacy encodings (TCVN3, VNI, Windows-1258), display cleaning, matching keys."""

from __future__ import annotations

import unicodedata

import pytest

from directive_nlp.normalise.legacy import (
    decode_legacy,
    detect_legacy,
    fix_legacy_blocks,
    fix_legacy_text,
    is_vietnamese_syllable,
    tcvn3_to_unicode,
    vni_to_unicode,
)
from directive_nlp.normalise.text import clean, fold, key, strip_tones
from directive_nlp.reading import read

TCVN3_CASES = [
    ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
    ("§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
    ("Th«ng t\xad nµy quy ®Þnh chi tiÕt", "Thông tư này quy định chi tiết"),
    ("Uû ban nh©n d©n tØnh", "Uỷ ban nhân dân tỉnh"),
]
VNI_CASES = [
    ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
    ("Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc"),
    ("ñöôïc quy ñònh taïi Ñieàu 5", "được quy định tại Điều 5"),
    ("Uyû ban nhaân daân tænh", "Uỷ ban nhân dân tỉnh"),
    ("Ngöôøi ñöùng ñaàu", "Người đứng đầu"),
]
UNICODE_UNTOUCHED = [
    "Cộng hòa xã hội chủ nghĩa Việt Nam",
    "Tài chính và kế hoạch",  # only Latin-1 letters: must not be read as TCVN3
    "Bộ Tài chính chủ trì, phối hợp với Văn phòng Chính phủ",
    "Café crème brûlée à la française",
    "UBND tỉnh, HĐND, KH&CN",
    "Hà Nội, ngày 19 tháng 6 năm 2025",
]

TONES = "\u0300\u0301\u0303\u0309\u0323"


def to_cp1258(text: str) -> bytes:
    """Encode as Windows-1258: letter marks precomposed, tone marks as combining bytes."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        nfd = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in TONES))
        out += base.encode("cp1258") + "".join(c for c in nfd if c in TONES).encode("cp1258")
    return out


@pytest.mark.parametrize("legacy,expected", TCVN3_CASES)
def test_tcvn3_text(legacy, expected):
    assert detect_legacy(legacy) == "tcvn3"
    assert fix_legacy_text(legacy) == expected
    assert tcvn3_to_unicode(legacy) == expected


@pytest.mark.parametrize("legacy,expected", VNI_CASES)
def test_vni_text(legacy, expected):
    assert detect_legacy(legacy) == "vni"
    assert fix_legacy_text(legacy) == expected
    assert vni_to_unicode(legacy) == expected


@pytest.mark.parametrize("text", UNICODE_UNTOUCHED)
def test_unicode_text_is_never_converted(text):
    assert detect_legacy(text) is None
    assert fix_legacy_text(text) == text


def test_corpus_utf8_files_untouched(shared):
    files = sorted((shared / "corpus").glob("*"))
    assert files
    for f in files:
        t = f.read_text(encoding="utf-8")
        assert detect_legacy(t) is None, f.name
        assert fix_legacy_text(t) == t


def test_mixed_document_converts_only_legacy_lines():
    text = "Cộng hòa xã hội chủ nghĩa Việt Nam\nC¸c bé, ngµnh, ®Þa ph\xad¬ng\nTài chính"
    assert fix_legacy_text(text) == "Cộng hòa xã hội chủ nghĩa Việt Nam\nCác bộ, ngành, địa phương\nTài chính"
    assert fix_legacy_blocks(text.split("\n")) == fix_legacy_text(text).split("\n")


def test_decode_legacy_bytes():
    s = "Cộng hòa xã hội chủ nghĩa Việt Nam. Độc lập - Tự do - Hạnh phúc. Người được quyết định"
    assert decode_legacy(to_cp1258(s)) == s
    assert (
        decode_legacy("Céng hoµ x· héi chñ nghÜa ViÖt Nam".encode("cp1252"))
        == "Cộng hoà xã hội chủ nghĩa Việt Nam"
    )
    assert (
        decode_legacy("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam".encode("cp1252"))
        == "Cộng hòa xã hội chủ nghĩa Việt Nam"
    )
    # not Vietnamese at all: refuse rather than produce mojibake
    assert decode_legacy("Привет мир, как дела у тебя".encode("cp1251")) is None
    assert decode_legacy("Grüße aus Köln, schöne Straße".encode("latin-1")) is None
    assert decode_legacy("こんにちは世界".encode("shift_jis")) is None


def test_read_legacy_encoded_text_files(tmp_path):
    p = tmp_path / "tcvn3.txt"
    p.write_bytes("KÕ ho¹ch triÓn khai\n\nC¸c bé, ngµnh, ®Þa ph\xad¬ng thùc hiÖn.".encode("cp1252"))
    assert read(p).text == "Kế hoạch triển khai\nCác bộ, ngành, địa phương thực hiện."
    q = tmp_path / "cp1258.txt"
    q.write_bytes(to_cp1258("Ủy ban nhân dân tỉnh ban hành kế hoạch.\n"))
    assert read(q).text == "Ủy ban nhân dân tỉnh ban hành kế hoạch."


def test_syllable_check():
    for w in ["người", "được", "quyết", "khuya", "hoà", "thuỷ", "gì", "giữa", "nghiêng", "Việt", "ĐỘC"]:
        assert is_vietnamese_syllable(w), w
    for w in ["hoµ", "x·", "chñ", "coäng", "hoøa", "Straße", "chớnh", "bat", "xyz", "ab"]:
        assert not is_vietnamese_syllable(w), w


def test_clean_lookalikes_spaces_zero_width_and_nfc():
    assert clean("\u00d0ảng") == "Đảng"
    assert clean("\u00f0\u01b0\u1ee3c") == "được"
    assert clean("ƣu tiên") == "ưu tiên"
    assert clean("Hà\u00a0Nội") == "Hà Nội"
    assert clean("Kế\u200bhoạch\ufeff") == "Kếhoạch"
    decomposed = unicodedata.normalize("NFD", "Cộng hòa")
    assert decomposed != "Cộng hòa" and clean(decomposed) == "Cộng hòa"
    assert clean("a\x00b\x07c") == "abc"
    assert clean("hoá") == "hoá" and clean("hóa") == "hóa"  # display keeps the writer's tone placement


def test_fold_tone_placement_equal_but_tones_distinct():
    assert fold("hoá") == fold("hóa")
    assert fold("uỷ") == fold("ủy")
    assert fold("Ủy ban") == fold("Uỷ ban")
    assert fold("thuỷ") == fold("thủy")
    assert fold("hoa") != fold("hóa")
    assert fold("Hòa") != fold("Hóa")
    assert strip_tones("Ủy ban") == "uy ban"
    assert key("Đảng ủy") == "dang uy"
