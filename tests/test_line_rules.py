"""The task walk's line rules, one at a time (extraction/tasks.py LINE_RULES): each takes the
lines it is for and leaves the others to the rules after it."""

from __future__ import annotations

from directive_nlp.extraction.scopes import INTRO, PHASE
from directive_nlp.extraction.tasks import LINE_RULES, TaskExtractor
from directive_nlp.model import Block, ReadDocument
from directive_nlp.outline import build_outline


def _doc(*lines: str) -> ReadDocument:
    blocks, pos = [], 0
    for i, t in enumerate(lines):
        blocks.append(Block(index=i, text=t, span=(pos, pos + len(t))))
        pos += len(t) + 1
    return ReadDocument(path="x.txt", format="txt", sha256="0", blocks=blocks)


class _Nodes:
    def __init__(self, nodes):
        self.nodes = nodes

    def __getitem__(self, start: str):
        return next(n for n in self.nodes if n.body.startswith(start))


def _setup(*lines: str) -> tuple[TaskExtractor, _Nodes]:
    doc = _doc(*lines)
    ex = TaskExtractor(doc, issuer="Ủy ban nhân dân tỉnh")
    nodes = build_outline(doc.blocks)
    ex._nodes = nodes
    ex._order = {id(n): i for i, n in enumerate(nodes)}
    return ex, _Nodes(nodes)


def test_rules_are_named_and_ordered():
    names = [r.__name__ for r in LINE_RULES]
    assert names[0] == "rule_closing" and names[-1] == "rule_task"
    assert names.index("rule_field_line") < names.index("rule_unit_heading") < names.index("rule_task")
    assert names.index("rule_introducing_sentence") < names.index("rule_topic_heading")


def test_rule_closing():
    ex, n = _setup("II. NHIỆM VỤ", "Nơi nhận:", "T/M ỦY BAN NHÂN DÂN", "PHỤ LỤC")
    assert not ex.rule_closing(n["NHIỆM VỤ"], "NHIỆM VỤ")
    assert ex.rule_closing(n["Nơi nhận:"], "Nơi nhận:")
    assert ex.rule_closing(n["T/M ỦY BAN NHÂN DÂN"], "T/M ỦY BAN NHÂN DÂN")
    assert not ex.rule_closing(n["PHỤ LỤC"], "PHỤ LỤC")  # an appendix resumes the body


def test_rule_field_line_applies_to_pending_tasks():
    ex, n = _setup(
        "a) Rà soát hồ sơ lưu trữ.", "Chủ trì thực hiện: Sở Nội vụ.", "Thời gian hoàn thành: tháng 9/2026."
    )
    item = n["Rà soát hồ sơ lưu trữ."]
    assert not ex.rule_field_line(item, item.body)
    ex.rule_task(item, item.body)
    assert ex.rule_field_line(n["Chủ trì thực hiện: Sở Nội"], "Chủ trì thực hiện: Sở Nội vụ.")
    assert ex.rule_field_line(n["Thời gian hoàn thành: thá"], "Thời gian hoàn thành: tháng 9/2026.")
    task = ex._finish()[0]
    assert task.lead == ["Sở Nội vụ"] and task.lead_source == "field_line"
    assert task.deadline.due == "2026-09-30" and task.deadline_source == "field_line"


def test_rule_phase_heading_opens_a_deadline_scope():
    ex, n = _setup(
        "1. Nhóm nhiệm vụ trọng tâm", "Giai đoạn từ nay đến ngày 30/6/2026", "- Rà soát quy trình nội bộ."
    )
    assert ex.rule_phase_heading(n["Giai đoạn từ nay đến ngày"], "Giai đoạn từ nay đến ngày 30/6/2026")
    inh = ex.scopes.resolve(n["Rà soát quy trình nội bộ."])
    assert inh.deadline is not None and inh.deadline.due == "2026-06-30" and inh.deadline_source == PHASE
    assert not ex.rule_phase_heading(n["Rà soát quy trình nội bộ."], "Rà soát quy trình nội bộ.")


def test_rule_introducing_sentence():
    ex, n = _setup(
        "Các sở, ngành tập trung thực hiện các nhiệm vụ sau:", "- Số hóa hồ sơ.", "- Sở Y tế báo cáo."
    )
    intro = n["Các sở, ngành tập trung t"]
    assert ex.rule_introducing_sentence(intro, intro.body)
    inh = ex.scopes.resolve(n["Số hóa hồ sơ."])
    assert inh.lead == ["Các sở, ngành"] and inh.lead_source == INTRO
    assert not ex.rule_introducing_sentence(n["Sở Y tế báo cáo."], "Sở Y tế báo cáo.")


def test_rule_goal_item():
    ex, n = _setup(
        "1. Sở Y tế triển khai bệnh án điện tử:",
        "- 100% bệnh viện áp dụng bệnh án điện tử;",
        "2. Sở Tài chính bố trí kinh phí.",
    )
    parent = n["Sở Y tế triển khai bệnh á"]
    ex.rule_task(parent, parent.body)
    assert ex.rule_goal_item(n["100% bệnh viện áp dụng bện"], "100% bệnh viện áp dụng bệnh án điện tử;")
    assert ex.drafts[0].targets == ["100% bệnh viện áp dụng bệnh án điện tử"]
    assert not ex.rule_goal_item(n["Sở Tài chính bố trí kinh p"], "Sở Tài chính bố trí kinh phí.")


def test_rule_not_obligation_and_title_line():
    ex, n = _setup(
        "QUY CHẾ",
        "Hoạt động của Hội đồng thi đua",
        "Hội đồng gồm Chủ tịch và các thành viên.",
        "Nguyễn Văn An",
        "Hội đồng họp mỗi quý một lần.",
    )
    assert ex.rule_title_line(n["Hoạt động của Hội đồng thi"], "Hoạt động của Hội đồng thi đua")
    assert ex.rule_not_obligation(n["Hội đồng gồm Chủ tịch và "], "Hội đồng gồm Chủ tịch và các thành viên.")
    assert ex.rule_not_obligation(n["Nguyễn Văn An"], "Nguyễn Văn An")
    assert not ex.rule_not_obligation(n["Hội đồng họp mỗi quý một "], "Hội đồng họp mỗi quý một lần.")


def test_rule_unit_heading():
    ex, n = _setup(
        "III. TỔ CHỨC THỰC HIỆN",
        "1. Sở Khoa học và Công nghệ:",
        "- Hướng dẫn triển khai.",
        "2. Xây dựng kho dữ liệu dùng chung.",
    )
    head = n["Sở Khoa học và Công nghệ:"]
    assert ex.rule_unit_heading(head, head.body)
    inh = ex.scopes.resolve(n["Hướng dẫn triển khai."])
    assert inh.lead == ["Sở Khoa học và Công nghệ"] and inh.lead_source == "heading"
    other = n["Xây dựng kho dữ liệu dùng"]
    assert not ex.rule_unit_heading(other, other.body)


def test_rule_field_line_deliverable_and_target():
    ex, n = _setup(
        "a) Xây dựng danh mục dữ liệu dùng chung.",
        "Sản phẩm: Quyết định phê duyệt danh mục.",
        "Chỉ tiêu: 100% cơ sở dữ liệu được kết nối.",
    )
    item = n["Xây dựng danh mục"]
    ex.rule_task(item, item.body)
    assert ex.rule_field_line(n["Sản phẩm:"], "Sản phẩm: Quyết định phê duyệt danh mục.")
    assert ex.rule_field_line(n["Chỉ tiêu:"], "Chỉ tiêu: 100% cơ sở dữ liệu được kết nối.")
    task = ex._finish()[0]
    assert task.deliverable == "Quyết định phê duyệt danh mục"
    assert task.targets == ["100% cơ sở dữ liệu được kết nối"]
    assert task.text == "Xây dựng danh mục dữ liệu dùng chung."
