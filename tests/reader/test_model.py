"""Reader goldens: a small source and the model it must give, written out by hand."""

from __future__ import annotations

from decimal import Decimal

from exporter.dump import dump_document
from exporter.model import Qualifier
from exporter.reader import read_source

SOURCE = """---
title: 某县2021年法治政府建设年度报告
issuer: 某县人民政府
period: 2021
region_code: "532325"
---

导语，共[13项]{#items_total name="事项总数"}。

# 主要举措

## 依法履职。

网办率达[53.62%]{#online_rate name="网办率" scope="截至目前"}，压缩[56.75%]{#time_cut name="时限压缩比例"}以上，
受教育[20余万人次]{#reach name="受教育人数"}，约[3.5万人]{#trained name="培训人数"}，开展[两次]{#rounds name="评查次数" value="2"}。

### 案卷

#### 结果

印发\\[示例\\]与<b>标签&amp;符号。

# 不足

文本一
文本二
"""


LINES = SOURCE.split("\n")


def at(line: int, needle: str, nth: int = 1) -> str:
    """The position of the nth `needle` on a source line, counted independently of the reader."""
    start = -1
    for _ in range(nth):
        start = LINES[line - 1].index(needle, start + 1)
    return f"{line}:{start + 1}"


def test_golden_model(tmp_path):
    path = tmp_path / "golden.md"
    path.write_text(SOURCE, encoding="utf-8")
    dumped = dump_document(read_source(path, shown_path="golden.md").document)
    assert dumped["meta"] == {
        "title": ["某县2021年法治政府建设年度报告"], "issuer": "某县人民政府", "issuers": ["某县人民政府"],
        "region_code": "532325", "period": "2021",
    }
    assert dumped["blocks"] == [
        {"paragraph": [{"text": "导语，共", "at": "8:1"}, {"figure": "items_total", "text": "13项", "at": "8:5"},
                       {"text": "。", "at": at(8, "。")}], "at": "8:1"},
        {"heading": 1, "label": "一、", "text": "主要举措", "run_in": False, "path": ["一"], "at": "10:1",
         "inlines": [{"text": "主要举措", "at": "10:3"}]},
        {"paragraph": [
            {"text": "网办率达", "at": "14:1"},
            {"figure": "online_rate", "text": "53.62%", "at": "14:5"},
            {"text": "，压缩", "at": at(14, "，压缩")},
            {"figure": "time_cut", "text": "56.75%", "at": at(14, "[56.75%]")},
            {"text": "以上，", "at": at(14, "以上，")},
            {"text": "受教育", "at": "15:1"},
            {"figure": "reach", "text": "20余万人次", "at": "15:4"},
            {"text": "，约", "at": at(15, "，约")},
            {"figure": "trained", "text": "3.5万人", "at": at(15, "[3.5万人]")},
            {"text": "，开展", "at": at(15, "，开展")},
            {"figure": "rounds", "text": "两次", "at": at(15, "[两次]")},
            {"text": "。", "at": at(15, "。")},
        ], "at": "12:1",
         "lead": {"heading": 2, "label": "（一）", "text": "依法履职。", "run_in": True, "path": ["一", "（一）"],
                  "at": "12:1", "inlines": [{"text": "依法履职。", "at": "12:4"}]}},
        {"heading": 3, "label": "1.", "text": "案卷", "run_in": False, "path": ["一", "（一）", "1"], "at": "17:1",
         "inlines": [{"text": "案卷", "at": "17:5"}]},
        {"heading": 4, "label": "（1）", "text": "结果", "run_in": False, "path": ["一", "（一）", "1", "（1）"],
         "at": "19:1", "inlines": [{"text": "结果", "at": "19:6"}]},
        {"paragraph": [{"text": "印发", "at": "21:1"}, {"text": "[", "at": at(21, "\\[")},
                       {"text": "示例", "at": at(21, "示例")}, {"text": "]", "at": at(21, "\\]")},
                       {"text": "与<b>标签", "at": at(21, "与")}, {"text": "&", "at": at(21, "&amp;")},
                       {"text": "符号。", "at": at(21, "符号")}], "at": "21:1"},
        {"heading": 1, "label": "二、", "text": "不足", "run_in": False, "path": ["二"], "at": "23:1",
         "inlines": [{"text": "不足", "at": "23:3"}]},
        {"paragraph": [{"text": "文本一", "at": "25:1"}, {"text": "文本二", "at": "26:1"}], "at": "25:1"},
    ]


def test_golden_indicators(tmp_path):
    path = tmp_path / "golden.md"
    path.write_text(SOURCE, encoding="utf-8")
    doc = read_source(path, shown_path="golden.md").document
    by_id = {i.id: i for i in doc.indicators}
    assert [i.id for i in doc.indicators] == ["items_total", "online_rate", "time_cut", "reach", "trained", "rounds"]
    reach = by_id["reach"]
    assert (reach.value, reach.unit, reach.qualifier, reach.multiplier, reach.base_value, reach.base_unit) == (
        Decimal("20"), "万人次", Qualifier.LOWER_BOUND, 10000, Decimal("200000"), "人次")
    assert by_id["time_cut"].qualifier == Qualifier.LOWER_BOUND
    assert (by_id["time_cut"].value, by_id["time_cut"].unit) == (Decimal("56.75"), "%")
    trained = by_id["trained"]
    assert (trained.qualifier, trained.base_value, trained.base_unit) == (Qualifier.APPROXIMATE, Decimal("35000.0"), "人")
    assert by_id["rounds"].value == 2 and by_id["rounds"].unit == "次" and by_id["rounds"].value_given
    assert by_id["online_rate"].scope == "截至目前" and by_id["online_rate"].qualifier == Qualifier.EXACT
    assert by_id["online_rate"].section == ("一", "（一）")
    assert by_id["items_total"].section == ()
    assert by_id["online_rate"].sentence == (
        "网办率达53.62%，压缩56.75%以上，受教育20余万人次，约3.5万人，开展两次。"
    )
    assert by_id["items_total"].sentence == "导语，共13项。"
    assert doc.source.sha256 == __import__("hashlib").sha256(SOURCE.encode()).hexdigest()


def test_attribute_values_take_escaped_quotes_and_entities(tmp_path):
    path = tmp_path / "q.md"
    path.write_text('---\ntitle: x\n---\n\n共[3项]{#a name="=H(\\"x\\",&quot;y&quot;) a\\\\b"}。\n', encoding="utf-8")
    assert read_source(path).document.indicators[0].name == '=H("x","y") a\\b'


def test_run_on_sentence_is_cut_to_the_clauses_around_the_figure(tmp_path):
    clauses = [f"第{k}项工作推进有力" for k in range(60)]
    clauses[30] = "网办率达[53.62%]{#rate name=\"网办率\"}"
    path = tmp_path / "long.md"
    path.write_text("---\ntitle: x\n---\n\n" + "，".join(clauses) + "。\n", encoding="utf-8")
    sentence = read_source(path).document.indicators[0].sentence
    # Verbatim: a piece of the printed paragraph, with no "…" added, so plain search finds it.
    assert "…" not in sentence and sentence in read_source(path).document.body_text()
    assert "网办率达53.62%" in sentence and len(sentence) <= 300
    assert sentence.startswith("第") and sentence.endswith("，")  # cut at clause boundaries, not mid-clause


def test_recipients_always_end_with_a_full_width_colon(tmp_path):
    for typed in ("某某市人民政府", "某某市人民政府:", "某某市人民政府："):
        path = tmp_path / "r.md"
        path.write_text(f"---\ntitle: x\nrecipients: \"{typed}\"\n---\n", encoding="utf-8")
        assert read_source(path).document.meta.recipients == "某某市人民政府："
