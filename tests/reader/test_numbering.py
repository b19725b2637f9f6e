from exporter.numbering import chinese_numeral, heading_key, heading_label


def test_chinese_numerals():
    expected = {1: "一", 9: "九", 10: "十", 11: "十一", 19: "十九", 20: "二十", 21: "二十一", 99: "九十九",
                100: "一百", 101: "一百零一", 110: "一百一十", 115: "一百一十五", 120: "一百二十"}
    assert {n: chinese_numeral(n) for n in expected} == expected


def test_labels_and_keys():
    assert heading_label("{cn}、", 3) == "三、" and heading_key("三、") == "三"
    assert heading_label("（{cn}）", 12) == "（十二）" and heading_key("（十二）") == "（十二）"
    assert heading_label("{n}.", 4) == "4." and heading_key("4.") == "4"
    assert heading_label("（{n}）", 2) == "（2）"
