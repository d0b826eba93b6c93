"""The scope stage (extraction/scopes.py): the data in gazetteers/scopes.toml ships examples and
counter-examples that run here, and small documents of each genre check that introducing
sentences, headings and time bounds hand down what their items inherit, and do not fire where
they must not."""

from __future__ import annotations

import pytest

from directive_nlp.extraction.pipeline import extract_file
from directive_nlp.extraction.scopes import (
    acting_body,
    intro_addressees,
    is_goal_item,
    kinh_gui,
    part_kind,
    read_intro,
    rules,
    time_bound,
)
from directive_nlp.extraction.unitlists import split_units
from directive_nlp.normalise.text import key

D = rules().data


# ---- the data's own examples ------------------------------------------------------------
@pytest.mark.parametrize("text", D["intro"]["examples"])
def test_intro_examples(text):
    intro = read_intro(text)
    assert intro is not None and not intro.topic_list


@pytest.mark.parametrize("text", D["intro"]["counter_examples"])
def test_intro_counter_examples(text):
    intro = read_intro(text)
    assert intro is None or intro.topic_list


@pytest.mark.parametrize("case", D["intro"]["addressee_examples"], ids=lambda c: c["text"][:40])
def test_intro_addressees(case):
    assert [key(u) for u in intro_addressees(case["text"])] == [key(u) for u in case["lead"]]


@pytest.mark.parametrize("text", D["time_bound"]["examples"])
def test_time_bound_examples(text):
    d = time_bound(text)
    assert d is not None and d.kind == "by_date" and d.due


@pytest.mark.parametrize("text", D["time_bound"]["counter_examples"])
def test_time_bound_counter_examples(text):
    assert time_bound(text) is None


@pytest.mark.parametrize("heading,kind", D["parts"]["examples"])
def test_part_kinds(heading, kind):
    assert part_kind(heading) == kind


def test_part_keywords_survive_ocr_marks():
    assert part_kind("VI. TỔ CHỨC THỤC HIỆN") == "tasks"


@pytest.mark.parametrize("text", D["goal_items"]["examples"])
def test_goal_examples(text):
    assert is_goal_item(text)


@pytest.mark.parametrize("text", D["goal_items"]["counter_examples"])
def test_goal_counter_examples(text):
    assert not is_goal_item(text)


@pytest.mark.parametrize("line,body", D["implied_issuer"]["examples"])
def test_acting_body_examples(line, body):
    assert acting_body(line) == body


@pytest.mark.parametrize("line", D["implied_issuer"]["counter_examples"])
def test_acting_body_counter_examples(line):
    assert acting_body(line) is None


def test_kinh_gui_list_and_inline():
    assert kinh_gui(["Kính gửi:", "- Sở Y tế;", "- Ủy ban nhân dân các xã.", "Thời gian qua …"]) == [
        "Sở Y tế",
        "Ủy ban nhân dân các xã",
    ]
    # glued to the header line by the reader, and no list at all in a plan
    assert kinh_gui(["Hà Nội, ngày 2 tháng 3 năm 2026 Kính gửi:", "- Các sở, ngành;"]) == ["Các sở, ngành"]
    assert kinh_gui(["KẾ HOẠCH", "I. MỤC ĐÍCH", "- Sở Y tế chủ trì."]) == []


# ---- documents ---------------------------------------------------------------------------
def _tasks(tmp_path, name, text):
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return extract_file(f).tasks


def _find(tasks, start):
    hits = [t for t in tasks if t.text.startswith(start)]
    assert hits, [t.text for t in tasks]
    return hits[0]


PROGRAMME = """CHÍNH PHỦ
Số: 17/NQ-CP
Hà Nội, ngày 9 tháng 2 năm 2026

NGHỊ QUYẾT
Ban hành Chương trình hành động về phát triển thương mại điện tử

II. NHIỆM VỤ, GIẢI PHÁP
Các bộ, cơ quan ngang bộ, Ủy ban nhân dân các tỉnh, thành phố căn cứ chức năng, nhiệm vụ, \
khẩn trương thực hiện các nhiệm vụ sau:
1. Hoàn thiện thể chế
a) Rà soát quy định về hóa đơn điện tử trong giao dịch trực tuyến.
b) Bộ Công Thương chủ trì xây dựng Nghị định về thương mại điện tử, trình Chính phủ trong quý III/2026.
2. Phát triển hạ tầng
a) Mở rộng thanh toán không dùng tiền mặt tại các chợ truyền thống.
III. TỔ CHỨC THỰC HIỆN
1. Bộ Công Thương theo dõi, đôn đốc việc thực hiện Chương trình.
2. Tổng hợp khó khăn, vướng mắc, báo cáo Thủ tướng Chính phủ.
"""


def test_opening_sentence_names_addressees_of_the_programme(tmp_path):
    tasks = _tasks(tmp_path, "programme.txt", PROGRAMME)
    t = _find(tasks, "Rà soát quy định về hóa đơn")
    assert t.lead == ["Các bộ, cơ quan ngang bộ", "Ủy ban nhân dân các tỉnh, thành phố"]
    assert t.lead_source == "introducing_sentence"
    assert _find(tasks, "Mở rộng thanh toán").lead_source == "introducing_sentence"
    # an item naming its own unit keeps it
    b = _find(tasks, "Bộ Công Thương chủ trì xây dựng Nghị định")
    assert b.lead == ["Bộ Công Thương"] and b.lead_source == "stated"
    # must not fire: the opening sentence governs its part only, not "Tổ chức thực hiện"
    last = _find(tasks, "Tổng hợp khó khăn")
    assert last.lead == ["CHÍNH PHỦ"] and last.lead_source == "implied_issuer"
    assert not any(t.text.startswith("Các bộ, cơ quan ngang bộ") for t in tasks)  # not a task itself


PROVINCE = """ỦY BAN NHÂN DÂN TỈNH LÀO CAI
Số: 61/KH-UBND
Lào Cai, ngày 3 tháng 3 năm 2026

KẾ HOẠCH
Phát triển du lịch thông minh năm 2026

I. MỤC TIÊU
1. Phấn đấu 70% điểm du lịch có hệ thống vé điện tử.
II. NHIỆM VỤ
1. Nhiệm vụ trọng tâm
Từ nay đến ngày 30/6/2026, các sở, ngành tập trung thực hiện các nội dung sau:
- Xây dựng bản đồ số các điểm du lịch của tỉnh.
- Sở Văn hóa, Thể thao và Du lịch phát hành cẩm nang du lịch điện tử, hoàn thành trong tháng 9/2026.
- Tỷ lệ khách lưu trú khai báo trực tuyến đạt 95%.
2. Nhiệm vụ thường xuyên
- Cập nhật dữ liệu cơ sở lưu trú lên hệ thống của tỉnh.
Giao Sở Khoa học và Công nghệ thực hiện các nội dung sau đây:
- Bảo đảm an toàn thông tin cho cổng du lịch thông minh.
"""


def test_introducing_sentence_hands_down_addressees_and_end(tmp_path):
    tasks = _tasks(tmp_path, "province.txt", PROVINCE)
    t = _find(tasks, "Xây dựng bản đồ số")
    assert t.lead == ["các sở, ngành"] and t.lead_source == "introducing_sentence"
    assert t.deadline.kind == "by_date" and t.deadline.due == "2026-06-30"
    assert t.deadline_source == "introducing_sentence"
    # the item's own deadline and unit come first
    own = _find(tasks, "Sở Văn hóa, Thể thao và Du lịch phát hành")
    assert own.lead == ["Sở Văn hóa, Thể thao và Du lịch"]
    assert own.deadline.due == "2026-09-30" and own.deadline_source == "stated"
    # an indicator among the items is no task
    assert not any(t.text.startswith("Tỷ lệ khách lưu trú") for t in tasks)
    assert not any(t.text.startswith("Phấn đấu 70%") for t in tasks)
    # must not fire: the next group has no end and its own introducing sentence
    later = _find(tasks, "Cập nhật dữ liệu cơ sở lưu trú")
    assert later.deadline.kind == "none" and later.lead_source == "implied_issuer"
    assigned = _find(tasks, "Bảo đảm an toàn thông tin cho cổng")
    assert assigned.lead == ["Sở Khoa học và Công nghệ"]


LETTER = """ỦY BAN NHÂN DÂN TỈNH BẮC NINH
Số: 455/UBND-NC
V/v rà soát hồ sơ người có công

Kính gửi:
- Sở Nội vụ;
- Ủy ban nhân dân các xã, phường.

Thực hiện chỉ đạo của Bộ Nội vụ, Ủy ban nhân dân tỉnh đề nghị các đơn vị:
1. Rà soát hồ sơ người có công đang quản lý, hoàn thành trước ngày 15/4/2026.
2. Công an tỉnh phối hợp xác minh các trường hợp còn vướng mắc.
3. Tổng hợp kết quả, báo cáo Ủy ban nhân dân tỉnh.

Nơi nhận:
- Như trên;
- Lưu: VT.
"""


def test_letter_addressees_lead_requests_naming_no_one(tmp_path):
    tasks = _tasks(tmp_path, "letter.txt", LETTER)
    first = _find(tasks, "Rà soát hồ sơ người có công")
    assert first.lead == ["Sở Nội vụ", "Ủy ban nhân dân các xã, phường"]
    assert first.deadline.due == "2026-04-15"
    assert _find(tasks, "Tổng hợp kết quả").lead == first.lead
    # must not fire over a unit the request names
    assert _find(tasks, "Công an tỉnh phối hợp").lead == ["Công an tỉnh"]


CONCLUSION = """TỈNH ỦY BÌNH ĐỊNH
*
Số 88-TB/TU

THÔNG BÁO
kết luận của Thường trực Tỉnh ủy

Thường trực Tỉnh ủy kết luận như sau:
1. Ghi nhận kết quả triển khai chuyển đổi số năm 2025.
2. Từ nay đến hết năm 2026, tập trung các nhiệm vụ trọng tâm sau:
a) Giao Sở Tài chính hướng dẫn lập dự toán kinh phí chuyển đổi số.
b) Ban Tổ chức Tỉnh ủy hoàn thành đề án vị trí việc làm trong quý II/2026.
3. Giao Văn phòng Tỉnh ủy theo dõi việc thực hiện Thông báo này.
"""


def test_time_bounded_numbered_section(tmp_path):
    tasks = _tasks(tmp_path, "notice.txt", CONCLUSION)
    a = _find(tasks, "Giao Sở Tài chính hướng dẫn")
    assert a.lead == ["Sở Tài chính"]
    assert (a.deadline.kind, a.deadline.due, a.deadline_source) == (
        "by_date",
        "2026-12-31",
        "introducing_sentence",
    )
    b = _find(tasks, "Ban Tổ chức Tỉnh ủy hoàn thành")
    assert b.deadline.kind == "in_quarter" and b.deadline_source == "stated"
    # must not fire: the speech sentence names no addressees, the item after the section has no end
    last = _find(tasks, "Giao Văn phòng Tỉnh ủy theo dõi")
    assert last.lead == ["Văn phòng Tỉnh ủy"] and last.deadline.kind == "none"
    assert not any(t.text.startswith("Ghi nhận") for t in tasks)


DECISION = """BỘ TÀI CHÍNH
Số: 812/QĐ-BTC

QUYẾT ĐỊNH
Về việc ban hành Quy chế quản lý dữ liệu tài chính

Điều 5. Trách nhiệm của các đơn vị
1. Cục Tin học và Thống kê tài chính có trách nhiệm:
a) Xây dựng kho dữ liệu tài chính dùng chung.
b) Hướng dẫn các đơn vị chuẩn hóa dữ liệu, hoàn thành trong tháng 10/2026.
2. Vụ Pháp chế rà soát các quy định về chia sẻ dữ liệu.
Điều 6. Hiệu lực thi hành
Quyết định này có hiệu lực kể từ ngày ký.
"""


def test_responsibility_article_items_take_the_unit_that_has_the_duty(tmp_path):
    tasks = _tasks(tmp_path, "decision.txt", DECISION)
    a = _find(tasks, "Xây dựng kho dữ liệu tài chính")
    assert a.lead == ["Cục Tin học và Thống kê tài chính"] and a.lead_source == "introducing_sentence"
    assert _find(tasks, "Vụ Pháp chế rà soát").lead == ["Vụ Pháp chế"]
    assert not any(t.text.startswith("Quyết định này có hiệu lực") for t in tasks)


def test_goal_items_under_a_task_become_its_targets(tmp_path):
    text = """KẾ HOẠCH
II. NHIỆM VỤ
1. Sở Y tế triển khai bệnh án điện tử tại các bệnh viện tuyến tỉnh, hoàn thành trong năm 2026. Chỉ tiêu:
- 100% bệnh viện tuyến tỉnh áp dụng bệnh án điện tử;
- Tối thiểu 60% trạm y tế xã kết nối hồ sơ sức khỏe điện tử.
2. Sở Tài chính bố trí kinh phí thực hiện.
"""
    tasks = _tasks(tmp_path, "targets.txt", text)
    assert len(tasks) == 2
    t = _find(tasks, "Sở Y tế triển khai bệnh án")
    assert "Chỉ tiêu" not in t.text
    assert any(x.startswith("100% bệnh viện") for x in t.targets)
    assert any(x.startswith("Tối thiểu 60%") for x in t.targets)
    assert _find(tasks, "Sở Tài chính bố trí").targets == []


def test_unit_names_with_commas_and_generic_kind_lists():
    assert split_units("Ủy ban Khoa học, Công nghệ và Môi trường, Bộ Tư pháp") == [
        "Ủy ban Khoa học, Công nghệ và Môi trường",
        "Bộ Tư pháp",
    ]
    assert split_units("Ủy ban KH,CN&MT, Văn phòng Quốc hội") == ["Ủy ban KH,CN&MT", "Văn phòng Quốc hội"]
    assert split_units("Sở Văn hóa, Thể thao và Du lịch; Sở Y tế") == [
        "Sở Văn hóa, Thể thao và Du lịch",
        "Sở Y tế",
    ]
    assert split_units("Các cấp, các ngành") == ["Các cấp, các ngành"]
    assert split_units("Các cơ quan, đơn vị, địa phương") == ["Các cơ quan, đơn vị, địa phương"]
    assert split_units("Các tỉnh ủy, thành ủy, các đảng ủy trực thuộc Trung ương") == [
        "Các tỉnh ủy, thành ủy, các đảng ủy trực thuộc Trung ương"
    ]
    # must not glue a named body onto a kind list, nor a generic onto a named body
    assert split_units("Các sở, ngành, Ủy ban nhân dân các xã") == ["Các sở, ngành", "Ủy ban nhân dân các xã"]
    assert split_units("Bộ Công an, các bộ, ngành") == ["Bộ Công an", "các bộ, ngành"]
    assert split_units("Bộ Công an, Bộ Quốc phòng") == ["Bộ Công an", "Bộ Quốc phòng"]


ATTACHED = """CHÍNH PHỦ
Số: 23/NQ-CP

NGHỊ QUYẾT
Ban hành Chương trình hành động thực hiện Nghị quyết số 90-NQ/TW

QUYẾT NGHỊ:
Điều 1. Ban hành kèm theo Nghị quyết này Chương trình hành động của Chính phủ.
Điều 2. Nghị quyết này có hiệu lực thi hành kể từ ngày ký.

Nơi nhận:
- Ban Bí thư Trung ương Đảng;
- Lưu: VT.
TM. CHÍNH PHỦ
THỦ TƯỚNG

CHƯƠNG TRÌNH HÀNH ĐỘNG
(Kèm theo Nghị quyết số 23/NQ-CP ngày 10 tháng 2 năm 2026 của Chính phủ)

I. MỤC TIÊU
1. Đến năm 2030, 80% cảng biển áp dụng quản lý điện tử.
II. NHIỆM VỤ
Các bộ, ngành, địa phương khẩn trương thực hiện các nhiệm vụ sau:
1. Xây dựng cơ sở dữ liệu về kinh tế biển.
2. Bộ Giao thông vận tải nâng cấp hệ thống quản lý cảng biển, hoàn thành trong năm 2027.
"""


def test_programme_attached_after_the_signature(tmp_path):
    tasks = _tasks(tmp_path, "attached.txt", ATTACHED)
    t = _find(tasks, "Xây dựng cơ sở dữ liệu về kinh tế biển")
    assert t.lead == ["Các bộ, ngành, địa phương"] and t.lead_source == "introducing_sentence"
    assert _find(tasks, "Bộ Giao thông vận tải nâng cấp").deadline.due == "2027-12-31"
    # must not fire: the recipients, the signature, the goal and the bracketed caption are no tasks
    assert not any(x.text.startswith(("Ban Bí thư", "THỦ TƯỚNG", "Đến năm 2030", "(Kèm theo")) for x in tasks)


TELEGRAM = """THỦ TƯỚNG CHÍNH PHỦ
Số: 40/CĐ-TTg

CÔNG ĐIỆN
Về việc ứng phó với mưa lũ tại các tỉnh miền Trung

THỦ TƯỚNG CHÍNH PHỦ điện:
- Bộ trưởng Bộ Nông nghiệp và Môi trường;
- Chủ tịch Ủy ban nhân dân các tỉnh từ Thanh Hóa đến Quảng Ngãi.

Mưa lớn kéo dài đã gây ngập sâu tại nhiều địa phương.
1. Chủ tịch Ủy ban nhân dân các tỉnh từ Thanh Hóa đến Quảng Ngãi:
a) Sơ tán người dân khỏi khu vực nguy hiểm.
b) Báo cáo tình hình thiệt hại về Văn phòng Chính phủ trước 15 giờ hằng ngày.
2. Bộ Quốc phòng chỉ đạo lực lượng hỗ trợ cứu hộ, cứu nạn.
"""


def test_telegram_addressees_are_no_tasks(tmp_path):
    tasks = _tasks(tmp_path, "telegram.txt", TELEGRAM)
    assert not any(
        t.text.startswith(("Bộ trưởng Bộ Nông nghiệp", "Chủ tịch Ủy ban nhân dân các tỉnh")) for t in tasks
    )
    report = _find(tasks, "Báo cáo tình hình thiệt hại")  # under a unit heading of an unsectioned text
    assert report.lead == ["Chủ tịch Ủy ban nhân dân các tỉnh từ Thanh Hóa đến Quảng Ngãi"]
    assert report.deadline.kind == "recurring"
    assert _find(tasks, "Bộ Quốc phòng chỉ đạo").lead == ["Bộ Quốc phòng"]
    # must not fire: the situation paragraph is no task
    assert not any(t.text.startswith("Mưa lớn") for t in tasks)


def test_table_columns_give_sources_and_deliverable(tmp_path):
    text = """# KẾ HOẠCH

## PHỤ LỤC

| STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành | Sản phẩm |
|---|---|---|---|---|---|
| 1 | Xây dựng bản đồ số du lịch | Sở Văn hóa, Thể thao và Du lịch | Sở Tài chính | Quý III/2026 | Bản đồ số |
| 2 | Tập huấn kỹ năng số cho hướng dẫn viên | Sở Nội vụ | | | |
"""
    f = tmp_path / "appendix.md"
    f.write_text(text, encoding="utf-8")
    tasks = extract_file(f).tasks
    first = _find(tasks, "Xây dựng bản đồ số du lịch")
    assert first.lead == ["Sở Văn hóa, Thể thao và Du lịch"] and first.lead_source == "table_column"
    assert first.deadline.kind == "in_quarter" and first.deadline_source == "table_column"
    assert first.deliverable == "Bản đồ số"
    second = _find(tasks, "Tập huấn kỹ năng số")
    assert second.deliverable is None and second.deadline_source is None  # must not invent


def test_generic_addressees_of_an_introducing_sentence_without_a_letter(tmp_path):
    text = """KẾ HOẠCH
II. NHIỆM VỤ
Các cơ quan, đơn vị, địa phương thực hiện các nhiệm vụ sau:
a) Tuyên truyền cho người dân sử dụng dịch vụ công trực tuyến.
b) Ủy ban nhân dân các xã, phường định kỳ hằng tháng báo cáo kết quả về Sở Nội vụ.
"""
    tasks = _tasks(tmp_path, "generic.txt", text)
    assert _find(tasks, "Tuyên truyền cho người dân").lead == ["Các cơ quan, đơn vị, địa phương"]
    report = _find(tasks, "Ủy ban nhân dân các xã, phường định kỳ")
    assert report.lead == ["Ủy ban nhân dân các xã, phường"] and report.deadline.kind == "recurring"


def test_sentence_about_the_document_and_qualified_generic(tmp_path):
    text = """ỦY BAN NHÂN DÂN TỈNH KON TUM
Số: 14/KH-UBND

KẾ HOẠCH
Chuyển đổi số năm 2026

II. NHIỆM VỤ
1. Sở Khoa học và Công nghệ:
- Hướng dẫn các đơn vị kết nối hệ thống.
- Kế hoạch này được phổ biến đến các xã, phường.
2. Các sở, ngành, địa phương có hệ thống thông tin dùng chung rà soát phương án sao lưu dữ liệu.
3. Các cơ quan, đơn vị có liên quan phối hợp thực hiện.
"""
    tasks = _tasks(tmp_path, "doc.txt", text)
    assert _find(tasks, "Hướng dẫn các đơn vị").lead == ["Sở Khoa học và Công nghệ"]
    about = _find(tasks, "Kế hoạch này được phổ biến")
    assert about.lead_source == "implied_issuer"
    assert _find(tasks, "Các sở, ngành, địa phương có hệ thống").lead == ["Các sở, ngành, địa phương"]
    # must not fire: "có liên quan" belongs to the name
    assert _find(tasks, "Các cơ quan, đơn vị có liên quan").lead == ["Các cơ quan, đơn vị có liên quan"]


def test_notice_closing_addressees_and_routine_work(tmp_path):
    text = """TỈNH ỦY GIA LAI
*
Số 31-TB/TU

THÔNG BÁO
Kết luận của Ban Thường vụ Tỉnh ủy

Ban Thường vụ Tỉnh ủy kết luận như sau:
1. Giao Văn phòng Tỉnh ủy giúp Thường trực điều hành công việc thường xuyên của cơ quan.
2. Giao Sở Tài chính bố trí kinh phí từ nguồn chi thường xuyên, thực hiện thường xuyên.
3. Giao Ban Tổ chức Tỉnh ủy theo dõi.

Ban Thường vụ Tỉnh ủy thông báo để các huyện ủy, đảng ủy trực thuộc biết, thực hiện.
"""
    tasks = _tasks(tmp_path, "notice2.txt", text)
    assert _find(tasks, "Giao Văn phòng Tỉnh ủy giúp").deadline.kind == "none"
    assert _find(tasks, "Giao Sở Tài chính bố trí").deadline.kind == "ongoing"
    closing = _find(tasks, "Ban Thường vụ Tỉnh ủy thông báo để")
    assert closing.lead == ["các huyện ủy, đảng ủy trực thuộc"]
