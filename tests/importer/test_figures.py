"""`exporter import` figures: statistics become indicator spans marked for review; the rest is left alone."""

from __future__ import annotations

from decimal import Decimal

import pytest

from exporter.lint import lint
from exporter.model import FigureRef, Qualifier
from support.importing import imported, read_back

PREFIX = "一、成效\n"


def indicators(text: str, folder):
    document = read_back(imported(PREFIX + text), folder)
    return document, [(i.id, i.text, i.name, i.value, i.unit, i.qualifier) for i in document.indicators]


def test_a_number_with_a_unit_becomes_a_span_named_from_the_words_before_it(tmp_path):
    _doc, found = indicators("网办率达53.62%，累计办件433920件，受教育人数20余万人次，发放宣传资料约45万份。", tmp_path)
    assert found == [
        ("fig_001", "53.62%", "网办率", Decimal("53.62"), "%", Qualifier.EXACT),
        ("fig_002", "433920件", "累计办件", Decimal("433920"), "件", Qualifier.EXACT),
        ("fig_003", "20余万人次", "受教育人数", Decimal("20"), "万人次", Qualifier.LOWER_BOUND),
        ("fig_004", "45万份", "发放宣传资料", Decimal("45"), "万份", Qualifier.APPROXIMATE),
    ]


def test_every_generated_span_is_marked_for_review_and_listed_in_the_report(tmp_path):
    result = imported(PREFIX + "承接事项13项，电力总装机突破1.5亿千瓦。")
    document = read_back(result, tmp_path)
    assert [i.note for i in document.indicators] == ["待核：自动识别", "待核：自动识别"]
    assert (document.indicators[1].unit, document.indicators[1].base_unit) == ("亿千瓦", "千瓦")
    report = result.report()
    assert "fig_001  line 2  13项  承接事项" in report
    assert "fig_002  line 2  1.5亿千瓦  电力总装机" in report


def test_a_change_verb_alone_borrows_the_name_before_it(tmp_path):
    _doc, found = indicators("全省完成地区生产总值31534亿元、增长3.3%，第一、第三产业增加值分别增长2.5%、3.9%。", tmp_path)
    assert [(text, name) for _id, text, name, *_ in found] == [
        ("31534亿元", "全省完成地区生产总值"), ("3.3%", "全省完成地区生产总值增长"),
        ("2.5%", "第三产业增加值增长"), ("3.9%", "第三产业增加值增长"),
    ]


@pytest.mark.parametrize("text", [
    "2021年全县开展工作。",            # a year
    "4月14日召开会议，5月底前完成。",    # dates
    "依据包府办发〔2022〕10号文件。",     # a document number
    "居全国第2位，第4次常务会议。",       # ordinals
    "争取获批1—2个国家级产业园。",        # a range
    "保障7×24小时全天候服务。",           # a product
    "推进5G基站和IPV6互联网建设。",       # names with digits
])
def test_years_dates_document_numbers_ordinals_and_ranges_are_left_alone(text, tmp_path):
    document, found = indicators(text, tmp_path)
    assert found == []


def test_thousands_separators_give_an_explicit_value(tmp_path):
    document, found = indicators("本年收入合计２７，２０３，３１９，０００元，造林面积２，５６０多万亩。", tmp_path)
    assert [(text, value, unit, qualifier) for _i, text, _n, value, unit, qualifier in found] == [
        ("27,203,319,000元", Decimal("27203319000"), "元", Qualifier.EXACT),
        ("2,560", Decimal("2560"), "万亩", Qualifier.LOWER_BOUND),
    ]
    assert document.indicators[1].base_value == Decimal("25600000")


def test_tagged_text_passes_the_lint_without_untagged_figure_warnings(tmp_path):
    document, found = indicators("新增5G基站1000座，累计建设4600个，城镇新增就业51万人，失业率5.0%。", tmp_path)
    assert len(found) == 4
    assert [d.message for d in lint(document)] == []


def test_figures_can_be_switched_off(tmp_path):
    result = imported(PREFIX + "网办率达53.62%。", "figures")
    document = read_back(result, tmp_path)
    assert document.indicators == () and result.figures == []
    assert [d.message.split(":")[0] for d in lint(document)] == ["figure '53.62%' looks like a statistic but is not tagged"]


def test_span_text_is_exactly_the_printed_figure(tmp_path):
    document = read_back(imported(PREFIX + "中老铁路累计发送旅客超4500万人次、货物超5000万吨。"), tmp_path)
    paragraph = document.blocks[1]
    refs = [i for i in paragraph.inlines if isinstance(i, FigureRef)]
    assert [r.text for r in refs] == ["4500万人次", "5000万吨"]
    assert paragraph.text == "中老铁路累计发送旅客超4500万人次、货物超5000万吨。"
