"""`exporter import`: each recognised structure, read back through the reader's model."""

from __future__ import annotations

import datetime as dt

from exporter.model import Paragraph
from support.importing import body_lines, imported, read_back


def headings(document):
    return [(h.level, h.label, h.text, h.run_in) for h in document.headings()]


def test_the_four_typed_levels_become_headings_without_their_numbers(tmp_path):
    text = "\n".join([
        "一、主要举措",
        "（一）依法行政",
        "1．案卷评查",
        "（1）评查结果",
        "全年评查案卷。",
        "(2)整改情况",
        "逐件整改。",
        "2.行政复议",
        "依法受理。",
        "二、存在问题",
        "基层力量薄弱。",
    ])
    document = read_back(imported(text), tmp_path)
    assert headings(document) == [
        (1, "一、", "主要举措", False),
        (2, "（一）", "依法行政", False),
        (3, "1.", "案卷评查", False),
        (4, "（1）", "评查结果", False),
        (4, "（2）", "整改情况", False),
        (3, "2.", "行政复议", False),
        (1, "二、", "存在问题", False),
    ]


def test_a_numbered_sentence_followed_by_text_is_a_run_in_heading(tmp_path):
    text = "一、工作成效\n(一)依法全面履行政府职能。一是有序推进事项清理。二是推动好差评。\n（二）依法决策。\n截至目前共审查议题。"
    result = imported(text)
    document = read_back(result, tmp_path)
    first, second = [b for b in document.blocks if isinstance(b, Paragraph)]
    assert (first.lead.label, first.lead.text, first.text) == ("（一）", "依法全面履行政府职能。", "一是有序推进事项清理。二是推动好差评。")
    # A numbered sentence alone on its line runs into the paragraph that follows it.
    assert (second.lead.label, second.lead.text, second.text) == ("（二）", "依法决策。", "截至目前共审查议题。")
    assert sum(h.run_in for h in result.headings) == 2


def test_yi_shi_lines_at_line_starts_are_headings_one_level_down(tmp_path):
    text = "\n".join([
        "一、2024年工作回顾",
        "一是聚力稳增长，经济运行持续向好。全年增长5.8%。",
        "二是聚力调结构，产业动能明显增强。",
        "工业增加值增长。",
        "二、重点工作",
        "一是聚焦扩大内需，着力提消费促投资",
        "大力提振消费需求。",
        "二是推进新型工业化",
        "强化科技创新引领。",
    ])
    document = read_back(imported(text), tmp_path)
    assert headings(document) == [
        (1, "一、", "2024年工作回顾", False),
        (2, "（一）", "聚力稳增长，经济运行持续向好。", True),
        (2, "（二）", "聚力调结构，产业动能明显增强。", True),
        (1, "二、", "重点工作", False),
        (2, "（一）", "聚焦扩大内需，着力提消费促投资", False),
        (2, "（二）", "推进新型工业化", False),
    ]


def test_yi_shi_inside_one_line_stays_running_text(tmp_path):
    text = "一、存在的不足\n一是部分领导干部认识不足。二是基层力量薄弱。三是人员老化。"
    document = read_back(imported(text), tmp_path)
    assert headings(document) == [(1, "一、", "存在的不足", False)]
    assert body_lines(document)[1] == "一是部分领导干部认识不足。二是基层力量薄弱。三是人员老化。"


def test_a_number_out_of_sequence_stays_a_paragraph_with_its_number(tmp_path):
    text = "一、回顾\n（一）经济。\n增长。\n（三）民生。\n就业。\n1．新增就业\n三、任务\n（一）扩大内需\n"
    result = imported(text)
    document = read_back(result, tmp_path)
    # （三） after （一）, 三、 after 一、: printing the generated （二）/二、 would change the
    # document, so they and everything under them keep their typed numbers as paragraphs.
    assert headings(document) == [(1, "一、", "回顾", False), (2, "（一）", "经济。", True)]
    assert body_lines(document)[2:] == ["（三）民生。", "就业。", "1．新增就业", "三、任务", "（一）扩大内需"]
    assert [p.kept_number.split(":")[0] for p in result.paragraphs if p.kept_number] == [
        "'（三）'", "'1．'", "'三、'", "'（一）'"]


def test_a_skipped_level_stays_a_paragraph(tmp_path):
    document = read_back(imported("一、总体要求\n1.坚持稳中求进\n全面推进。"), tmp_path)
    assert headings(document) == [(1, "一、", "总体要求", False)]
    assert body_lines(document)[1] == "1.坚持稳中求进"


def test_enumeration_items_ending_in_semicolons_are_not_headings(tmp_path):
    text = "一、适用情形\n有下列情形之一的，应当更新：\n（一）依据发生变化的；\n（二）职能发生变化的；\n（三）其他情形。"
    result = imported(text)
    document = read_back(result, tmp_path)
    assert headings(document) == [(1, "一、", "适用情形", False)]
    assert body_lines(document)[2:] == ["（一）依据发生变化的；", "（二）职能发生变化的；", "（三）其他情形。"]


def test_numbering_inside_an_attachment_is_kept_as_typed(tmp_path):
    text = "一、考评对象\n各部门。\n二、考评内容\n重点任务。\n附件\n考评指标\n一、政务服务（25分）\n（一）平台建设（3分）\n1．全程网办。"
    result = imported(text)
    document = read_back(result, tmp_path)
    assert [h.text for h in document.headings()] == ["考评对象", "考评内容"]
    assert body_lines(document)[-3:] == ["一、政务服务（25分）", "（一）平台建设（3分）", "1．全程网办。"]


def test_statute_chapters_are_level_one_and_articles_stay_numbered_paragraphs(tmp_path):
    text = "\n".join([
        "　第一章　总则　　第一条\u2002\u3000为规范管理，制定本办法。",
        "　　第二条\u2002\u3000本办法适用于全州。",
        "　　（一）法律发生变化的；",
        "　第二章　目录管理　　第三条\u2002\u3000实行统一目录管理。",
    ])
    result = imported(text)
    document = read_back(result, tmp_path)
    assert headings(document) == [(1, "一、", "总则", False), (1, "二、", "目录管理", False)]
    assert body_lines(document) == [
        "总则", "第一条\u3000为规范管理，制定本办法。", "第二条\u3000本办法适用于全州。", "（一）法律发生变化的；",
        "目录管理", "第三条\u3000实行统一目录管理。",
    ]
    assert [h.typed for h in result.headings] == ["第一章", "第二章"]


def test_speech_front_block(tmp_path):
    text = "\n".join([
        "2025年云南省政府工作报告",
        "来源：北京日报",
        "——2025年1月18日在云南省第十四届人民代表大会第三次会议上",
        "省长 王予波",
        "各位代表：",
        "现在，我代表省人民政府，向大会报告工作。",
        "一、2024年工作回顾",
        "过去一年，经济运行稳进提质。",
    ])
    result = imported(text)
    meta = read_back(result, tmp_path).meta
    assert meta.title == ("2025年云南省政府工作报告",)
    assert meta.date == dt.date(2025, 1, 18)
    assert meta.note == "2025年1月18日在云南省第十四届人民代表大会第三次会议上"
    assert meta.issuer == "省长 王予波"
    assert meta.recipients == "各位代表："
    assert [(r.origin, r.reason) for r in result.removed if r.moved_to is None] == [((2,), "web source line")]
    # The dropped line is kept as a comment in the front matter.
    assert "#   2: 来源：北京日报 — web source line" in result.markdown


def test_speaker_on_two_lines_and_title_split_over_two_lines(tmp_path):
    text = "政府工作报\n告\n\n——2021年3月5日在第十三届全国人民代表大会第四次会议上\n国务院总理\n\u3000李克强\n各位代表：\n现在，我代表国务院。"
    meta = read_back(imported(text), tmp_path).meta
    assert (meta.title, meta.issuer, meta.recipients) == (("政府工作报告",), "国务院总理 李克强", "各位代表：")


def test_notice_front_and_end_blocks(tmp_path):
    text = "\n".join([
        "某某县人民政府关于2024年度法治政府建设情况的报告",
        "某某县人民政府关于2024年度法治政府建设情况的报告",
        "某政报〔2025〕3号",
        "某某市人民政府：",
        "　　2024年，某某县全面推进法治政府建设，现将有关情况报告如下。",
        "　　一、主要举措",
        "　　依法行政。",
        "　　附件：1．重点指标完成情况表",
        "　　　　　2．案件统计表",
        "某某县人民政府",
        "2025年1月20日",
        "（此件公开发布）",
        "抄送：市委依法治市办，市司法局。",
        "某某县人民政府办公室　　2025年1月20日印发",
    ])
    result = imported(text)
    meta = read_back(result, tmp_path).meta
    assert meta.title_text == "某某县人民政府关于2024年度法治政府建设情况的报告" and not meta.title_given_as_lines
    assert meta.doc_number == "某政报〔2025〕3号"
    assert meta.recipients == "某某市人民政府："
    assert meta.attachments == ("重点指标完成情况表", "案件统计表")
    assert (meta.issuer, meta.date, meta.note) == ("某某县人民政府", dt.date(2025, 1, 20), "此件公开发布")
    assert meta.cc == ("市委依法治市办", "市司法局")
    assert (meta.printed_by, meta.printed_on) == ("某某县人民政府办公室", dt.date(2025, 1, 20))
    assert [r.reason for r in result.removed if r.moved_to is None] == ["duplicate title line"]


def test_a_text_without_a_title_line_gets_a_placeholder_or_the_given_title(tmp_path):
    text = "2021年，姚安县推动法治政府建设取得新成效。\n一、主要举措\n依法行政。"
    result = imported(text)
    assert read_back(result, tmp_path).meta.title == ("（标题待补）",)
    assert any("no title line" in w for w in result.warnings)
    given = imported(text, title="姚安县2021年法治政府建设年度报告")
    assert read_back(given, tmp_path).meta.title == ("姚安县2021年法治政府建设年度报告",)
    assert given.warnings == []


def test_numbered_definitions_stay_numbered_paragraphs(tmp_path):
    text = "一、名词解释\n1.“两重”：国家重大战略实施。\n2．“两新”：设备更新和以旧换新。\n附件\n惠民实事"
    result = imported(text)
    document = read_back(result, tmp_path)
    # As headings they would be run-in, and the last would swallow the "附件" line after it.
    assert headings(document) == [(1, "一、", "名词解释", False)]
    assert body_lines(document)[1:] == ["1.“两重”：国家重大战略实施。", "2．“两新”：设备更新和以旧换新。", "附件", "惠民实事"]
    assert "\n1\\.“两重”" in result.markdown  # escaped, or Markdown would make it a list


def test_a_signature_without_a_date_is_taken_only_from_the_last_line(tmp_path):
    meta = read_back(imported("某县工作报告\n一、成效\n全县推进工作。\n某某县人民政府"), tmp_path).meta
    assert meta.issuer == "某某县人民政府"
    meta = read_back(imported("某县工作报告\n一、成效\n某某县人民政府\n全县推进工作。"), tmp_path).meta
    assert meta.issuer is None


def test_a_title_ends_with_its_document_kind(tmp_path):
    document = read_back(imported("某县2024年工作报告\n工作回顾\n全县开展工作。"), tmp_path)
    assert document.meta.title == ("某县2024年工作报告",)
    assert body_lines(document) == ["工作回顾", "全县开展工作。"]
