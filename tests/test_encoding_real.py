"""Real-world files (tests/data/encoding_real/, cut from chardet's public test suite) decode to
exactly their labelled text with the encoding we detect, through the reader every tool uses."""

from __future__ import annotations

import pytest

from datatools.io.detect import detect_encoding
from tests.encoding_real import SUBSET, decodes_right, real_files

FILES = real_files()
# Misses we know of, each with its reason (the closing note of issue 31 tells the same).
KNOWN_MISSES = {
    # Labelled cp932 but, cut to 6 KB, free of cp932's extra characters: read as Shift_JIS,
    # whose wave dash and minus differ (U+301C, U+2212 for cp932's U+FF5E, U+FF0D).
    "CP932/y-moto.com.xml",
}


def test_the_subset_covers_every_family_and_its_sources_are_listed():
    assert {f.category for f in FILES} == {
        "ASCII", "Arabic", "Central European", "Chinese", "Cyrillic", "Greek", "Hebrew",
        "Japanese", "Korean", "Thai", "Turkish", "Unicode", "Western"}
    sources = (SUBSET / "SOURCES.md").read_text(encoding="utf-8")
    assert all(f"`{f.name}`" in sources for f in FILES)


@pytest.fixture(scope="module")
def detected(tmp_path_factory):
    """Each file's detected encoding, detected once for the module's tests."""
    folder = tmp_path_factory.mktemp("real")
    found = {}
    for sample in FILES:
        path = folder / "page.txt"
        path.write_bytes(sample.data)
        found[sample.name] = detect_encoding(path).encoding
    return found


def test_real_files_decode_to_their_labelled_text(detected):
    wrong = [(f.name, detected[f.name]) for f in FILES
             if f.name not in KNOWN_MISSES and not decodes_right(f, detected[f.name])]
    assert wrong == []
    assert sorted(f.name for f in FILES if not decodes_right(f, detected[f.name])) == \
        sorted(KNOWN_MISSES)


@pytest.mark.parametrize("folder, encodings", [
    ("IBM855", {"cp855"}), ("Johab", {"johab"}), ("SHIFT_JIS", {"shift_jis"}),
    ("GB2312", {"gb2312"}), ("Big5", {"big5"}), ("EUC-KR", {"euc_kr"}),
    ("TIS-620", {"tis_620", "cp874"}), ("EUC-JP", {"euc_jp"}),
])
def test_each_kind_of_former_miss_is_named_by_its_own_code_page(folder, encodings, detected):
    assert {name: detected[name] for name in detected if name.startswith(folder + "/")
            and detected[name] not in encodings} == {}


def test_a_page_of_rare_extension_kanji_is_read_as_cp932(detected):
    # No code page reads it as common text; cp932 is the only reading without garbage
    # (DECISIONS 226). It was "cannot tell".
    assert detected["CP932/www2.chuo-u.ac.jp-suishin.xml"] == "cp932"


def test_mac_roman_wins_no_file_outside_western_scripts(detected):
    assert [f.name for f in FILES if f.category not in ("Western", "ASCII")
            and detected[f.name] == "mac_roman"] == []


# Texts of the kinds a second real-text set missed: each decodes to itself.
NEIGHBOURS = [
    ("日本語のテキストです。東京都渋谷区の山田太郎さんから注文がありました。\n", "utf-16-le"),
    ("日本語のテキストです。東京都渋谷区の山田太郎さんから注文がありました。\n", "utf-16-be"),
    ("お問い合わせありがとうございます。担当者より折り返しご連絡いたします。\n", "shift_jis"),
    ("Šokolaadi tellimus: Žanna Põder, Tartu mnt 5, Tallinn. Küsimused: šveitsi juust ja õunad.\n",
     "iso8859_15"),
    ("Šokolaadi tellimus: Žanna Põder, Tartu mnt 5, Tallinn. Küsimused: šveitsi juust ja õunad.\n",
     "cp1257"),
    ("Narudžba: Đurđa Kovačević, Ulica Ivana Gundulića 12, Zagreb. Čokolada i šećer, ukupno 45.\n",
     "cp1250"),
    ("Narudžba: Đurđa Kovačević, Ulica Ivana Gundulića 12, Zagreb. Čokolada i šećer, ukupno 45.\n",
     "cp852"),
    ("Παραγγελία: Γιώργος Παπαδόπουλος, οδός Ερμού 10, Αθήνα. Σύνολο 25 ευρώ.\n", "cp737"),
    ("주문해 주셔서 감사합니다. 서울특별시 강남구 테헤란로 123, 김민수 고객님.\n", "johab"),
    # One high byte each: a pound sign before a number, an ellipsis before a full stop.
    ("If Benfica win I stand to lift £825. Not bad for a bet.\n", "cp1252"),
    ("Het ergste is echter, dat zij al…. Ach, het moet maar.\n", "cp1252"),
]


@pytest.mark.parametrize("text, encoding", NEIGHBOURS, ids=[e for _, e in NEIGHBOURS])
def test_neighbouring_code_pages_and_utf16_without_a_mark_decode_right(text, encoding, tmp_path):
    path = tmp_path / "note.txt"
    path.write_bytes(text.encode(encoding))
    found = detect_encoding(path).encoding
    assert path.read_bytes().decode(found) == text, found


def test_a_last_line_cut_inside_a_utf8_sequence_never_reads_as_c1_controls(tmp_path):
    # Valid UTF-8 (U+1000), then a sequence the file cuts off: the line is read whole.
    path = tmp_path / "cut.txt"
    path.write_bytes(b"\xe1\x80\x80\xe4\xb8")
    report = detect_encoding(path)
    assert (report.undecided, report.legacy) == (True, None)
    assert report.reason.startswith("cannot tell")
