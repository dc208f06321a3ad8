"""A file that reads as no common text in any code page is read in the one code page whose
reading holds no impossible word (io/legacy.py `clean_reading`, DECISIONS 226): a page listing
a code page's rare extension characters, as chardet's CP932 test page does."""

from __future__ import annotations

from datatools.io.detect import detect_encoding

# cp932's NEC-selected and IBM extension kanji (lead bytes 0xED-0xEE, 0xFA-0xFC): rare
# characters that Shift_JIS proper lacks, the kind a "characters other systems cannot show"
# page lists, one per cell.
RARE = bytes(range(0x40, 0x7F)) + bytes(range(0x80, 0xFC))


def rare_characters(lead: int, count: int) -> str:
    chars = []
    for trail in RARE:
        try:
            chars.append(bytes([lead, trail]).decode("cp932"))
        except UnicodeDecodeError:
            continue
    return " ".join(chars[:count])


def test_a_table_of_rare_kanji_is_read_in_the_one_code_page_without_garbage(tmp_path):
    text = ("<html><head><title>gaiji</title></head><body>\n<h1>他のパソコンで読めない文字</h1>\n"
            "<p>この表の文字は、ほかの機械ではきちんと表示されません。</p>\n"
            "<p>会社の名前や人の名前に使われることがありますが、メールで送ると相手には"
            "読めない字になってしまいます。</p>\n<p>半角カナも同じです。</p>\n"
            "<p>ｱｲｳｴｵ ｶｷｸｹｺ ｻｼｽｾｿ ﾀﾁﾂﾃﾄ ﾅﾆﾇﾈﾉ ﾊﾋﾌﾍﾎ ﾏﾐﾑﾒﾓ ﾔﾕﾖ ﾗﾘﾙﾚﾛ ﾜｦﾝ</p>\n"
            "<p>ＩＢＭ拡張文字（ＳＪＩＳ　ＦＡ４０～）です。</p>\n<p>\n"
            + "\n".join(rare_characters(lead, 60) for lead in (0xFA, 0xFB, 0xED, 0xEE))
            + "\n</p></body></html>\n")
    path = tmp_path / "gaiji.html"
    path.write_bytes(text.encode("cp932"))
    report = detect_encoding(path)
    assert (report.encoding, report.undecided) == ("cp932", False)
    assert report.confidence == 0.3 and "no word is impossible" in report.reason
    assert path.read_bytes().decode(report.encoding) == text


def test_a_rival_reading_with_little_garbage_leaves_it_undecided():
    from datatools.io.legacy import Ranked, clean_reading

    japanese = rare_characters(0xFA, 60)
    assert clean_reading([Ranked("koi8_r", 0.2, 0.2, "Ð¼Ð¾Ð¹ ‡Š " * 10),
                          Ranked("cp932", 0.1, 0.1, japanese)]).encoding == "cp932"
    # Too few words to call a reading clean; or a rival nearly as clean: no answer.
    assert clean_reading([Ranked("koi8_r", 0.2, 0.2, "Ð¼Ð¾Ð¹ ‡Š " * 10),
                          Ranked("cp932", 0.1, 0.1, rare_characters(0xFA, 20))]) is None
    assert clean_reading([Ranked("cp1251", 0.2, 0.2, "мой дом " * 40),
                          Ranked("cp932", 0.1, 0.1, japanese)]) is None
