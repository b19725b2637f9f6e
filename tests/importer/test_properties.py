"""`exporter import` on generated text: whatever the input, the source reads back without errors
and loses no Chinese character (beyond what the report lists)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exporter.reader import read_source
from support.importing import expected_body_chars, imported, model_body_chars

LINE_STARTS = [
    "", "", "", "一、", "二、", "三、", "（一）", "(二)", "（三）", "1.", "2．", "3、", "（1）", "(2)", "一是", "二是",
    "第一章　", "第二章 ", "第一条　", "第二条\u2002\u3000", "附件", "\u3000\u3000", "    ", "- ", "# ", "> ", "——",
    "来源：", "抄送：", "附件：", "某某县人民政府", "2025年1月20日", "各位代表：", "— 1 —",
]
CHARACTERS = list(
    "一二三十是第章条节年月日万亿项件人%％、（）()1234567890.．。，：；;:,#*[]{}<>|~&\\`_-+=!\"“”《》— \u3000\u200b"
)
LINE = st.tuples(st.sampled_from(LINE_STARTS), st.lists(st.sampled_from(CHARACTERS), max_size=30).map("".join))
SWITCHES = ["punctuation", "width", "invisible", "spaces", "rejoin", "furniture", "boilerplate", "figures"]


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.lists(LINE.map("".join), max_size=25).map("\n".join), st.sets(st.sampled_from(SWITCHES)))
def test_any_text_imports_to_a_source_that_reads_back_and_loses_nothing(tmp_path_factory, text, switched_off):
    result = imported(text, *switched_off)
    path = tmp_path_factory.getbasetemp() / "generated.md"
    path.write_text(result.markdown, encoding="utf-8")
    document = read_source(path).document
    assert model_body_chars(document) == expected_body_chars(text, result)
