"""Detection in every script: one test per class that used to fail, the multilingual corpus, any bytes, linear time."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datatools.io.mixed import decode_mixed
from datatools.io.plausible import has_c1
from datatools.tools.encoding import detect_encoding
from encoding_scripts import multilingual_corpus

CORPUS = multilingual_corpus()
ROOT = Path(__file__).resolve().parent.parent


def decoded(data: bytes, report) -> str:
    """The text a reader gets with this report (mixed files line by line)."""
    if report.legacy is not None:
        return decode_mixed(data, report.legacy)
    return data.decode(report.encoding)


@pytest.mark.parametrize("sample", CORPUS, ids=[s.name for s in CORPUS])
def test_every_multilingual_sample_decodes_back_to_its_text(sample, tmp_path):
    path = tmp_path / "sample.csv"
    path.write_bytes(sample.data)
    report = detect_encoding(path)
    assert decoded(sample.data, report).lstrip("\ufeff") == sample.text, report
    assert not has_c1(decoded(sample.data, report))
    assert report.verified or report.legacy is not None


def test_the_corpus_covers_at_least_35_encodings():
    labels = {s.label for s in CORPUS if "+" not in s.label}
    assert len(labels) >= 35, sorted(labels)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("text", ["name,city\nAnn,Leeds\n", "Имя;Город\nАнна;Москва\n",
                                  "名前,都市\n山田,東京\n"])
def test_utf16_and_utf32_without_a_bom_are_not_ascii(tmp_path, encoding, text):
    path = tmp_path / "wide.csv"
    path.write_bytes(text.encode(encoding))
    report = detect_encoding(path)
    assert path.read_bytes().decode(report.encoding) == text and report.verified


@pytest.mark.parametrize("encoding, text", [
    ("iso2022_jp", "顧客番号,氏名\n1001,山田太郎\n"), ("iso2022_kr", "이름,도시\n김민준,서울\n")])
def test_seven_bit_escape_encodings_are_not_ascii(tmp_path, encoding, text):
    path = tmp_path / "escapes.csv"
    path.write_bytes(text.encode(encoding))
    assert path.read_bytes().isascii()
    report = detect_encoding(path)
    assert path.read_bytes().decode(report.encoding) == text


@pytest.mark.parametrize("encoding, text", [
    ("cp866", "Фамилия;Город\nКузнецова;Санкт-Петербург\n"),
    ("koi8_r", "Фамилия;Город\nЖукова;Ярославль\n"),
    ("cp1251", "Фамилия;Город\nСмирнов;Новосибирск\n"),
    ("mac_cyrillic", "Фамилия;Город\nПопова;Екатеринбург\n"),
    ("koi8_u", "Прізвище;Місто\nШевченко;Київ\n"),
    ("iso8859_7", "Όνομα;Πόλη\nΠαπαδόπουλος;Αθήνα\n"),
    ("cp1255", "שם;עיר\nדוד כהן;תל אביב\n"),
    ("cp1256", "الاسم;المدينة\nمحمد أحمد;الرياض\n"),
    ("iso8859_6", "الاسم;المدينة\nفاطمة حسن;القاهرة\n"),
    ("cp874", "ชื่อ;เมือง\nสมชาย ใจดี;เชียงใหม่\n"),
])
def test_non_latin_code_pages_are_not_forced_into_latin(tmp_path, encoding, text):
    path = tmp_path / "script.csv"
    path.write_bytes(text.encode(encoding))
    report = detect_encoding(path)
    assert path.read_bytes().decode(report.encoding) == text, report


@pytest.mark.parametrize("encoding, text", [
    ("iso8859_2", "Nazwisko;Miasto\nWiśniewski;Łódź\nDąbrowska;Kraków\n"),
    ("cp1250", "Příjmení;Město\nDvořák;Plzeň\nŘezníček;Třebíč\n"),
    ("iso8859_9", "Ad;Şehir\nAyşe Yılmaz;İstanbul\nOğuz Doğan;Eskişehir\n"),
    ("cp1254", "Ad;Şehir\nGülşen Çelik;İzmir\n"),
    ("cp1257", "Vardas;Miestas\nAušra Kazlauskienė;Šiauliai\n"),
])
def test_central_european_and_turkish_files_do_not_lose_to_cp1252(tmp_path, encoding, text):
    path = tmp_path / "latin.csv"
    path.write_bytes(text.encode(encoding))
    report = detect_encoding(path)
    assert path.read_bytes().decode(report.encoding) == text, report


def test_verified_never_means_c1_controls(tmp_path):
    """The old detector called Mac Roman bytes cp1252/Latin-1 'verified' with C1 controls in them."""
    path = tmp_path / "mac.csv"
    path.write_bytes("Nome\rJoão\rIrmã Luísa\r".encode("mac_roman"))
    report = detect_encoding(path)
    assert report.verified and not has_c1(path.read_bytes().decode(report.encoding))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300) | st.lists(
    st.sampled_from([b"Jos\xc3\xa9", b"Ren\xe9e", b"\x85", b"\x8b", b"\x00", b"\xff\xfe", b";",
                     b"\n", b"\r", b"abc", b"\x1b$B", b"\x8e\x52", b"\xc3"]), max_size=40).map(b"".join))
def test_any_bytes_give_a_c1_free_answer_or_a_clear_cannot_tell(tmp_path, data):
    path = tmp_path / "any.bin"
    path.write_bytes(data)
    report = detect_encoding(path)
    if report.undecided:
        assert report.reason.startswith("cannot tell") and report.candidates
        data = report.to_dict()
        assert data["verified"] is False
        assert max(c["confidence"] for c in data["candidates"]) <= 0.2 >= data["confidence"]
    else:
        assert not has_c1(decoded(data, report)), report


HANG_GUARD = textwrap.dedent("""
    import sys
    from datatools.io.detect import detect_encoding
    report = detect_encoding(sys.argv[1])
    print(report.encoding)
""")


@pytest.mark.parametrize("shape", ["one-line", "long-lines"])
def test_detection_of_a_4_mb_file_with_long_lines_completes(tmp_path, shape):
    """Hang guard, not a timing test: the old sampler needed hours on this shape."""
    path = tmp_path / "long.csv"
    if shape == "one-line":
        data = b"a" * (4 << 20) + "é".encode("cp1252")
    else:
        data = (b"x" * 40_000 + b"\n") * 100 + "Müller\n".encode("cp1252")
    path.write_bytes(data)
    done = subprocess.run([sys.executable, "-c", HANG_GUARD, str(path)], cwd=ROOT, timeout=120,
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "cp1252"


def test_the_scan_reads_each_chunk_once(tmp_path):
    from datatools.io.detect import CHUNK, _all_high_bytes, _scan
    from datatools.progress import silent

    path = tmp_path / "line.csv"
    path.write_bytes(b"b" * (4 * CHUNK - 1) + b"\xe9")
    scan = _scan(path, silent(), None)
    assert scan.passes == 4 and len(scan.sample) <= 2 * 1000 + 2
    # The byte set of a start that looked like UTF-8 is read again only when it is needed.
    assert _all_high_bytes(path, scan, silent()) == {0xE9}


def test_cancel_during_detection_stops_at_the_next_chunk(tmp_path):
    """The desktop's Cancel: detection checks it after every MiB, so it stops within one chunk."""
    import threading

    from datatools.errors import Cancelled
    from datatools.progress import Progress

    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * (20 << 20) + "é".encode("cp1252"))
    cancel = threading.Event()
    reports = []

    def listener(fraction, message):
        reports.append((round(fraction, 3), message))
        cancel.set()            # the user presses Cancel as soon as the first chunk is read

    with pytest.raises(Cancelled):
        detect_encoding(path, Progress(listener, cancel))
    assert reports == [(0.035, "checking encoding")]   # 1 MiB of 20 MiB, scaled to the scan's 70 %


def test_mixed_decoding_in_small_pieces_equals_decoding_at_once():
    """fix_encoding streams: lines and characters cut at chunk edges must come out whole."""
    from datatools.io.mixed import LegacyLines, MixedDecoder

    text = "name\nJosé Peña\n" + "Renée\n" + "Müller " * 50 + "\nИван\nend"
    data = ("name\nJosé Peña\n".encode() + "Renée\n".encode("cp1252") + ("Müller " * 50).encode()
            + "\n".encode() + "Иван\n".encode("cp1251") + b"end")
    legacy = LegacyLines("cp1252", (3, 5), 2, ((5, "cp1251"),))
    for size in (1, 2, 7, 64, len(data)):
        decoder = MixedDecoder(legacy)
        pieces = [decoder.decode(data[i:i + size]) for i in range(0, len(data), size)]
        assert "".join(pieces) + decoder.decode(b"", final=True) == text, size
        assert decoder.repaired == [3, 5]
    assert decode_mixed(data, legacy) == text


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=3000), where=st.integers(min_value=0, max_value=3000))
def test_the_high_byte_search_finds_the_first_one_after_a_position(data, where):
    from datatools.io.detect import _next_high

    where = min(where, len(data))
    expected = next((i for i in range(where, len(data)) if data[i] > 0x7F), -1)
    assert _next_high(data, where) == expected
