"""The package rewriter both zip writers use: fixed dates, order and attributes."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from exporter.reproducible import rewrite_zip, zip_date_time


def _package(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in entries:
            z.writestr(name, data)  # stamped with the clock
    return buffer.getvalue()


def test_entries_get_the_stamp_and_a_fixed_order():
    stamp = dt.datetime(2021, 12, 31, 8, 30, 4, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    out = io.BytesIO()
    rewrite_zip(_package([("b.xml", b"2"), ("z.xml", b"3"), ("[Content_Types].xml", b"1"), ("a.xml", b"4")]),
                stamp, out, first=("[Content_Types].xml", "missing.xml"))
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as z:
        assert z.namelist() == ["[Content_Types].xml", "a.xml", "b.xml", "z.xml"]
        assert {i.date_time for i in z.infolist()} == {(2021, 12, 31, 0, 30, 4)}  # in UTC
        assert {(i.create_system, i.external_attr) for i in z.infolist()} == {(0, 0o600 << 16)}
        assert z.read("z.xml") == b"3"


def test_same_content_different_entry_order_gives_the_same_bytes():
    stamp = dt.datetime(2022, 1, 1, tzinfo=dt.timezone.utc)
    one, two = io.BytesIO(), io.BytesIO()
    rewrite_zip(_package([("a", b"1"), ("b", b"2")]), stamp, one)
    rewrite_zip(_package([("b", b"2"), ("a", b"1")]), stamp, two)
    assert one.getvalue() == two.getvalue()


def test_dates_before_1980_are_clamped():
    assert zip_date_time(dt.datetime(1956, 6, 1, tzinfo=dt.timezone.utc)) == (1980, 1, 1, 0, 0, 0)
