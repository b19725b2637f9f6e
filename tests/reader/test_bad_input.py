"""Bad input never costs earlier work: every case gives its located message, its exit status,
no traceback, and leaves the previous outputs byte for byte as they were, with no stray files.

The earlier outputs are made once per session by `exporter all` from an older version of the
source (so that re-exporting the current one could not give the same bytes by chance); each
case then writes its source under the same name and runs `exporter all` again into a copy of
that folder. Files the tool did not write, and paths that are not regular files, are never
replaced or read.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document as WordDocument

from reader.test_errors import CASES as READER_CASES

from support.paths import ROOT
GOOD = ROOT / "tests" / "fixtures" / "full-furniture.md"
# The earlier version of GOOD, whose outputs each case starts from.
OLD = GOOD.read_text(encoding="utf-8").replace("法治政府建设情况的报告", "法治政府建设情况的报告（旧版）", 1)
STEM = "report"
BOOKKEEPING = [".exporter-manifest.json", ".exporter.lock"]
NOT_OURS = ("exists and was not written by exporter (or was changed since): use --force to replace it anyway, "
            "or -o to write elsewhere")
FM = "---\ntitle: 测试报告\n---\n\n"


def export(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "exporter", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=600)


def visible(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if not p.name.startswith(".")}


@pytest.fixture(scope="session")
def good_outputs(tmp_path_factory) -> dict[str, bytes]:
    """Every file of the output folder after exporting OLD, the lock file and manifest included."""
    work = tmp_path_factory.mktemp("good")
    (work / f"{STEM}.md").write_text(OLD, encoding="utf-8")
    proc = export("all", f"{STEM}.md", "-o", "out", cwd=work)
    assert proc.returncode == 0, proc.stderr
    files = {p.name: p.read_bytes() for p in (work / "out").iterdir()}
    assert sorted(files) == BOOKKEEPING + [f"{STEM}.docx", f"{STEM}.pdf", f"{STEM}.xlsx"]
    return files


def _prepare(tmp_path: Path, good_outputs: dict[str, bytes]) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    for name, data in good_outputs.items():
        (out / name).write_bytes(data)
    return out


def _assert_untouched(out: Path, good_outputs: dict[str, bytes]) -> None:
    assert sorted(os.listdir(out)) == sorted(good_outputs), "stray files left behind"
    for name, data in good_outputs.items():
        assert (out / name).read_bytes() == data, f"{name} changed"


# Extra cases beyond the reader's own error list: (source bytes, "line:col", message fragment).
EXTRA_CASES = {
    "nesting_60_levels": ((FM + ">" * 60 + " 嵌套\n").encode(), "5:1", "block quotes are not supported"),
    "nesting_60_lists": ((FM + "".join("  " * k + "- 层\n" for k in range(60))).encode(), "5:1", "lists are not supported"),
    "id_200_chars": ((FM + "共[1项]{#" + "x" * 200 + " name=\"x\"}。\n").encode(), "5:2", "longer than 40 characters"),
    "heading_only_hashes": ((FM + "# \n").encode(), "5:1", "empty heading"),
    "unclosed_quote_in_attributes": ((FM + "共[1项]{#a name=\"x}。\n").encode(), "5:2", "cannot read the span"),
    "lone_surrogate_bytes": (FM.encode() + b"\xed\xa0\x80\n", "5:1", "not UTF-8"),
    "u_fffe": ((FM + "文\ufffe字\n").encode(), "5:2", "U+FFFE"),
    "nul_byte": ((FM + "文\x00字\n").encode(), "5:2", "U+0000"),
}

ALL_CASES = {**{f"reader_{k}": v for k, v in READER_CASES.items()}, **EXTRA_CASES}


def test_suite_is_large_enough():
    assert len(ALL_CASES) >= 40


@pytest.mark.parametrize("name", sorted(ALL_CASES))
def test_bad_source_keeps_earlier_outputs(tmp_path, good_outputs, name):
    data, where, fragment = ALL_CASES[name]
    out = _prepare(tmp_path, good_outputs)
    (tmp_path / f"{STEM}.md").write_bytes(data)
    proc = export("all", f"{STEM}.md", "-o", "out", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert any(line.startswith(f"{STEM}.md:{where}: error: ") and fragment in line
               for line in proc.stderr.splitlines()), proc.stderr
    _assert_untouched(out, good_outputs)


# Inputs that `exporter check` passed while `exporter all` rejected them or crashed (exit 70):
# each is now a located source error from both commands, with the same exit status.
# (source text, "line:col", message fragment)
CHECK_TELLS_ALL_CASES = {
    "date_after_2107": ("---\ntitle: 测试报告\ndate: 2108-01-01\n---\n\n正文。\n", "3:7", "after 2107-12-31"),
    "line_separator": (FM + "文\u2028字。\n", "5:2", "U+2028 (LINE SEPARATOR)"),
    "paragraph_separator": (FM + "文字。\u2029\n", "5:4", "U+2029 (PARAGRAPH SEPARATOR)"),
    "c1_next_line": (FM + "文\x85字。\n", "5:2", "U+0085 (C1 control character)"),
    "c1_csi": (FM + "文字\x9b。\n", "5:3", "U+009B (C1 control character)"),
    "right_to_left_override": (FM + "增长[12%]{#a name=\"甲\"}\u202e。\n", "5:21", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
    "left_to_right_embedding": (FM + "文\u202a字。\n", "5:2", "U+202A (LEFT-TO-RIGHT EMBEDDING)"),
    "first_strong_isolate": (FM + "文\u2068字\u2069。\n", "5:2", "U+2068 (FIRST STRONG ISOLATE)"),
    "right_to_left_mark": (FM + "1\u200f-2。\n", "5:2", "U+200F (RIGHT-TO-LEFT MARK)"),
    "invisible_format_control": (FM + "文\u2061字。\n", "5:2", "U+2061 (FUNCTION APPLICATION)"),
    "override_as_entity": (FM + "文&#x202E;字。\n", "5:2", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
    "override_in_an_attribute": (FM + "共[1项]{#a name=\"甲&#x202e;\"}。\n", "5:2", "in 'name', written as an entity"),
    "title_300_characters": ("---\ntitle: " + "测" * 300 + "\n---\n\n正文。\n", "2:8", "at most 255"),
    "title_lines_300_characters": ("---\ntitle:\n  - " + "测" * 150 + "\n  - " + "试" * 150 + "\n---\n\n正文。\n",
                                   "3:3", "'title' has 300 characters; at most 255"),
    "issuer_300_characters": ("---\ntitle: 测试报告\nissuer: " + "机" * 300 + "\n---\n\n正文。\n", "3:9", "at most 255"),
    "doc_number_300_characters": ("---\ntitle: 测试报告\ndoc_number: " + "号" * 300 + "\n---\n\n正文。\n", "3:13",
                                  "at most 100"),
    "yaml_escape_x01": ('---\ntitle: "测试\\x01报告"\n---\n\n正文。\n', "2:8", "U+0001 (control character)"),
    "yaml_escape_nul": ('---\ntitle: 测试报告\nissuer: "机关\\0"\n---\n\n正文。\n', "3:9", "U+0000"),
    "yaml_escape_lone_surrogate": ('---\ntitle: 测试报告\nnote: "说明\\ud800"\n---\n\n正文。\n', "3:7",
                                   "lone surrogate U+D800"),
    "yaml_escape_line_separator": ('---\ntitle: 测试报告\nnote: "甲\\L乙"\n---\n\n正文。\n', "3:7", "U+2028"),
    "yaml_escape_in_a_list": ('---\ntitle: 测试报告\ncc: ["甲", "乙\\x85"]\n---\n\n正文。\n', "3:11", "U+0085"),
    "yaml_escape_in_a_check": ("---\ntitle: 测试报告\nchecks:\n  - id: c\n    description: \"说\\x01\"\n"
                               "    sum: [a]\n    equals: a\n---\n\n共[1项]{#a name=\"甲\"}。\n", "5:18", "U+0001"),
    "value_1e400": (FM + "共[数十项]{#a name=\"甲\" value=\"1e400\"}。\n", "5:2", "at most 9.99999999999999E+307"),
    "value_1e-400": (FM + "共[数十项]{#a name=\"甲\" value=\"1e-400\"}。\n", "5:2", "a smaller number becomes 0"),
    "figure_of_400_digits": (FM + "共[" + "9" * 400 + "项]{#a name=\"甲\"}。\n", "5:2", "larger than a workbook cell"),
    "figure_of_17_digits": (FM + "共[12345678901234567项]{#a name=\"甲\"}。\n", "5:2", "a workbook cell keeps 15"),
    "tolerance_1e400": ("---\ntitle: 测试报告\nchecks:\n  - id: c\n    sum: [a]\n    equals: a\n    tolerance: 1e400\n"
                        "---\n\n共[1项]{#a name=\"甲\"}。\n", "4:5", "'tolerance': 1E+400 is larger"),
    "check_sum_beyond_a_cell": ("---\ntitle: 测试报告\nchecks:\n  - id: c\n    sum: [a, b]\n    equals: a\n---\n\n"
                                "共[9e307]{#a name=\"甲\" value=\"9e307\"}，[9e307]{#b name=\"乙\" value=\"9e307\"}。\n",
                                "4:5", "left side: 1.8E+308 is larger"),
}


@pytest.mark.parametrize("name", sorted(CHECK_TELLS_ALL_CASES))
def test_check_reports_what_all_rejects(tmp_path, good_outputs, name):
    text, where, fragment = CHECK_TELLS_ALL_CASES[name]
    out = _prepare(tmp_path, good_outputs)
    (tmp_path / f"{STEM}.md").write_text(text, encoding="utf-8", errors="surrogatepass")
    checked = export("check", f"{STEM}.md", cwd=tmp_path)
    exported = export("all", f"{STEM}.md", "-o", "out", cwd=tmp_path)
    for proc in (checked, exported):
        assert proc.returncode == 1, proc.stderr
        assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
        assert any(line.startswith(f"{STEM}.md:{where}: error: ") and fragment in line
                   for line in proc.stderr.splitlines()), proc.stderr
    _assert_untouched(out, good_outputs)


def test_a_character_no_font_has_is_a_located_warning_in_check(tmp_path, good_outputs):
    """Only the installed fonts stop this PDF: `all` fails with the font status, `check` warns at
    the character, naming it, and passes."""
    out = _prepare(tmp_path, good_outputs)
    (tmp_path / f"{STEM}.md").write_text(FM + "文字\U00020000字。\n", encoding="utf-8")
    exported = export("all", f"{STEM}.md", "-o", "out", cwd=tmp_path)
    if exported.returncode == 0:
        pytest.skip("an installed font has U+20000")
    assert exported.returncode == 5 and "Traceback" not in exported.stderr
    assert f"{STEM}.md:5:3: error: no installed font has the character '\U00020000' " \
           "(U+20000 CJK UNIFIED IDEOGRAPH-20000)" in exported.stderr
    # Only the PDF needs the font: the earlier PDF stays byte for byte, the .docx and .xlsx are new.
    assert sorted(os.listdir(out)) == sorted(good_outputs), "stray files left behind"
    assert (out / f"{STEM}.pdf").read_bytes() == good_outputs[f"{STEM}.pdf"]
    assert f"{STEM}.pdf is still the one of an earlier export" in exported.stderr
    for fmt in ("docx", "xlsx"):
        assert (out / f"{STEM}.{fmt}").read_bytes() != good_outputs[f"{STEM}.{fmt}"], fmt
    assert "文字\U00020000字" in "".join(p.text for p in WordDocument(str(out / f"{STEM}.docx")).paragraphs)
    checked = export("check", f"{STEM}.md", cwd=tmp_path)
    assert checked.returncode == 0 and "Traceback" not in checked.stderr
    assert f"{STEM}.md:5:3: warning: the PDF cannot be written with the fonts installed here: no installed " \
           "font has the character '\U00020000' (U+20000 CJK UNIFIED IDEOGRAPH-20000)" in checked.stderr


def test_symlink_loop(tmp_path, good_outputs):
    out = _prepare(tmp_path, good_outputs)
    os.symlink(f"{STEM}.md", tmp_path / f"{STEM}.md")
    proc = export("all", f"{STEM}.md", "-o", "out", cwd=tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith(f"{STEM}.md: error: cannot read: Too many levels of symbolic links")
    _assert_untouched(out, good_outputs)


def test_missing_source(tmp_path, good_outputs):
    out = _prepare(tmp_path, good_outputs)
    proc = export("all", f"{STEM}.md", "-o", "out", cwd=tmp_path)
    assert (proc.returncode, proc.stderr.strip()) == (1, f"{STEM}.md: error: no such file")
    _assert_untouched(out, good_outputs)


def test_source_is_a_folder_of_nothing(tmp_path):
    (tmp_path / "empty").mkdir()
    proc = export("all", "empty", cwd=tmp_path)
    assert proc.returncode == 2 and "no sources" in proc.stderr and "Traceback" not in proc.stderr


def test_broken_profile_exits_3(tmp_path, good_outputs):
    out = _prepare(tmp_path, good_outputs)
    shutil.copy(GOOD, tmp_path / f"{STEM}.md")
    (tmp_path / "bad.toml").write_text("[page\n", encoding="utf-8")
    proc = export("all", f"{STEM}.md", "-o", "out", "--profile", "bad.toml", cwd=tmp_path)
    assert proc.returncode == 3 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("bad.toml:1:") and "invalid TOML" in proc.stderr
    _assert_untouched(out, good_outputs)


def test_output_path_is_a_file_exits_4(tmp_path):
    shutil.copy(GOOD, tmp_path / f"{STEM}.md")
    (tmp_path / "out").write_text("not a folder", encoding="utf-8")
    proc = export("all", f"{STEM}.md", "-o", "out", cwd=tmp_path)
    assert proc.returncode == 4 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == "out: error: output path is not a folder"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into read-only folders")
def test_unwritable_output_folder_exits_4(tmp_path, good_outputs):
    out = _prepare(tmp_path, good_outputs)
    shutil.copy(GOOD, tmp_path / f"{STEM}.md")
    out.chmod(0o555)
    try:
        proc = export("all", f"{STEM}.md", "-o", "out", cwd=tmp_path)
    finally:
        out.chmod(0o755)
    assert proc.returncode == 4 and "not writable" in proc.stderr
    _assert_untouched(out, good_outputs)


def test_target_occupied_by_a_folder_exits_4_and_keeps_the_rest(tmp_path, good_outputs):
    """A target that cannot be replaced (here a folder where the .xlsx goes) stops the whole set."""
    out = _prepare(tmp_path, good_outputs)
    (out / f"{STEM}.xlsx").unlink()
    (out / f"{STEM}.xlsx").mkdir()
    shutil.copy(GOOD, tmp_path / f"{STEM}.md")
    proc = export("all", f"{STEM}.md", "-o", "out", cwd=tmp_path)
    assert proc.returncode == 4 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == f"out/{STEM}.xlsx: error: cannot write output: a folder is in the way"
    assert (out / f"{STEM}.docx").read_bytes() == good_outputs[f"{STEM}.docx"]
    assert (out / f"{STEM}.pdf").read_bytes() == good_outputs[f"{STEM}.pdf"]
    assert sorted(os.listdir(out)) == sorted(good_outputs)


def test_one_bad_source_does_not_stop_the_batch(tmp_path):
    src = tmp_path / "batch"
    src.mkdir()
    shutil.copy(GOOD, src / "a.md")
    (src / "b.md").write_text("no front matter\n", encoding="utf-8")
    shutil.copy(GOOD, src / "c 报告 副本.md")
    proc = export("all", "batch", "-o", "out", "--jobs", "2", cwd=tmp_path)
    assert proc.returncode == 1
    assert "batch/b.md:1:1: error: no front matter" in proc.stderr
    assert "2 of 3 sources exported, 1 failed: batch/b.md" in proc.stderr
    assert sorted(visible(tmp_path / "out")) == sorted(
        [f"{stem}.{ext}" for stem in ("a", "c 报告 副本") for ext in ("docx", "pdf", "xlsx")]
    )


# ---- Files the tool did not write, and paths that are not files ---------------------------------

def test_a_changed_output_stops_the_whole_set_before_anything_is_replaced(tmp_path, good_outputs):
    """The user edited the PDF after the last export: it is not replaced, nor are the .docx and
    .xlsx beside it (the set stays whole); --force replaces all three."""
    out = _prepare(tmp_path, good_outputs)
    (out / f"{STEM}.pdf").write_bytes(good_outputs[f"{STEM}.pdf"] + b"% annotated by hand\n")
    edited = (out / f"{STEM}.pdf").read_bytes()
    shutil.copy(GOOD, tmp_path / f"{STEM}.md")
    proc = export("all", f"{STEM}.md", "-o", "out", cwd=tmp_path)
    assert proc.returncode == 4 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == f"out/{STEM}.pdf: error: cannot write output: {NOT_OURS}"
    assert visible(out) == {f"{STEM}.docx": good_outputs[f"{STEM}.docx"], f"{STEM}.pdf": edited,
                            f"{STEM}.xlsx": good_outputs[f"{STEM}.xlsx"]}
    assert sorted(os.listdir(out)) == sorted(good_outputs)
    proc = export("all", f"{STEM}.md", "-o", "out", "--force", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert all(data != good_outputs[name] and data != edited for name, data in visible(out).items())


def test_export_never_replaces_the_docx_it_was_imported_from(tmp_path):
    """`import 去年报告.docx -o .` then `all 去年报告.md -o .` would write 去年报告.docx over the original."""
    from docx import Document as WordDocument

    original = WordDocument()
    for text in ("某县2024年法治政府建设年度报告", "一、主要举措", "全年办结行政复议案件12件。"):
        original.add_paragraph(text)
    original.save(str(tmp_path / "去年报告.docx"))
    before = (tmp_path / "去年报告.docx").read_bytes()
    assert export("import", "去年报告.docx", "-o", ".", cwd=tmp_path).returncode == 0
    proc = export("all", "去年报告.md", "-o", ".", cwd=tmp_path)
    assert proc.returncode == 4 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == f"去年报告.docx: error: cannot write output: {NOT_OURS}"
    assert (tmp_path / "去年报告.docx").read_bytes() == before
    assert not (tmp_path / "去年报告.pdf").exists() and not (tmp_path / "去年报告.xlsx").exists()
    assert not list(tmp_path.glob(".exporter-*.tmp"))
    proc = export("all", "去年报告.md", "-o", ".", "--force", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "去年报告.docx").read_bytes() != before


def test_two_sources_with_the_same_output_name_are_refused_before_anything_is_written(tmp_path):
    for county in ("县A", "县B"):
        (tmp_path / county).mkdir()
        shutil.copy(GOOD, tmp_path / county / f"{STEM}.md")
    proc = export("all", "县A", "县B", "-o", "out", cwd=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert (f"Error: 县A/{STEM}.md and 县B/{STEM}.md would both write {STEM}.*: export them into different "
            "folders (-o) or rename one") in proc.stderr
    assert not (tmp_path / "out").exists()


def test_a_source_named_twice_is_exported_once(tmp_path):
    shutil.copy(GOOD, tmp_path / f"{STEM}.md")
    proc = export("-v", "all", f"{STEM}.md", f"./{STEM}.md", "-o", "out", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert sorted(line for line in proc.stderr.splitlines() if line.startswith("wrote ")) == [
        f"wrote out/{STEM}.{ext}" for ext in ("docx", "pdf", "xlsx")]


def test_a_78_character_chinese_name_whose_outputs_fit_is_exported(tmp_path):
    stem = ("某某省某某市某某县人民政府关于二〇二四年度法治政府建设情况和二〇二五年度工作安排的报告" * 2)[:78]
    assert len((stem + ".docx").encode("utf-8")) <= 255
    shutil.copy(GOOD, tmp_path / f"{stem}.md")
    proc = export("all", f"{stem}.md", "-o", "out", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert sorted(visible(tmp_path / "out")) == [f"{stem}.{ext}" for ext in ("docx", "pdf", "xlsx")]


def _special_files(folder: Path) -> dict[str, Path]:
    """A FIFO, a symbolic link and (as root) a character device, each where a file would be."""
    found = {"fifo": folder / "pipe.xlsx", "symlink": folder / "link.xlsx"}
    os.mkfifo(found["fifo"])
    (folder / "elsewhere.xlsx").write_bytes(b"someone's workbook")
    os.symlink("elsewhere.xlsx", found["symlink"])
    if os.geteuid() == 0:
        found["device"] = folder / "null.xlsx"
        os.mknod(found["device"], 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    return found


def test_combine_never_replaces_anything_but_a_regular_file(tmp_path):
    shutil.copy(GOOD, tmp_path / f"{STEM}.md")
    folder = tmp_path / "panel"
    folder.mkdir()
    specials = _special_files(folder)
    modes = {name: os.lstat(path).st_mode for name, path in specials.items()}
    for name, path in specials.items():
        proc = export("xlsx", "--combine", f"panel/{path.name}", "--force", f"{STEM}.md", cwd=tmp_path)
        assert proc.returncode == 4 and "Traceback" not in proc.stderr, name
        assert proc.stderr.strip() == (f"panel/{path.name}: error: cannot write output: not a regular file "
                                       "(a link, device, pipe or socket): refusing to replace it")
        assert os.lstat(path).st_mode == modes[name]
    assert (folder / "elsewhere.xlsx").read_bytes() == b"someone's workbook"
    assert sorted(os.listdir(folder)) == sorted(["elsewhere.xlsx"] + [p.name for p in specials.values()])


@pytest.mark.parametrize("command", ["all", "check", "fonts"])
def test_a_source_that_is_not_a_regular_file_is_refused_not_read(tmp_path, command):
    """/dev/zero would grow memory without end and a FIFO would wait for a writer forever."""
    os.mkfifo(tmp_path / "pipe.md")
    for source in ("/dev/zero", "pipe.md"):
        proc = subprocess.run([sys.executable, "-m", "exporter", command, source], capture_output=True, text=True,
                              cwd=tmp_path, timeout=120)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr
        assert proc.stderr.strip() == f"{source}: error: not a regular file (a device, pipe or socket): give a .md file"
    assert not (tmp_path / "output").exists()


@pytest.mark.parametrize("command", [("all", ".md"), ("check", ".md"), ("import", ".txt")])
def test_a_name_too_long_for_the_file_system_is_a_located_error(tmp_path, command):
    verb, suffix = command
    name = "测" * 90 + suffix  # 272 bytes in UTF-8: past the 255-byte limit of a file name
    proc = export(verb, name, cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith(f"{name}: error: cannot read: File name too long")
