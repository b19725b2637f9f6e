"""`exporter import` on generated text: whatever the input, the source reads back without errors
and loses no Chinese character (beyond what the report lists)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exporter.importer.command import check_draft
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


# ---- hostile-ish text: whatever the input, the draft passes `exporter check` -------------------------

HOSTILE_STARTS = LINE_STARTS + [
    "---", "...", "title: x", "```", "~~~", "<!--", ":", "%", "@", "&#", "$$", "]{#a}", "主送：", "签发人：",
    "某政发〔2025〕3号", "（此件公开发布）", "印发", "附件：1.",
]
HOSTILE_CHARACTERS = CHARACTERS + list(
    "\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x85\x9f\ufffe\uffff\ufdd0\u2028\u2029\u202e\u0301\u00ad\u00a0'‱‰√±×÷℃"
)
HOSTILE_LINE = st.tuples(
    st.sampled_from(HOSTILE_STARTS),
    st.text(st.one_of(st.characters(exclude_categories=("Cs",)), st.sampled_from(HOSTILE_CHARACTERS)),
            max_size=30),
).map("".join)


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.lists(HOSTILE_LINE, max_size=15).map("\n".join), st.sets(st.sampled_from(SWITCHES)))
def test_any_text_even_hostile_makes_a_draft_that_passes_check(text, switched_off):
    result = imported(text, *switched_off)
    errors, _warnings = check_draft(result.markdown, Path("source/generated.md"))
    assert errors == []
