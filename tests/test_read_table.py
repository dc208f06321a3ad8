"""`read_table`, `preview_table` and `write_table` on clean and broken files."""

from __future__ import annotations

import pytest

from datatools.errors import BadInput, OutputExists
from datatools.io import preview_table, read_table, write_table
from datatools.progress import Progress


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_leading_zeros_and_empty_cells_survive_as_text(tmp_path):
    path = write(tmp_path, "z.csv", b"zip,name,amount\n01234,Ann,\n00501,,007\n")
    table = read_table(path)
    assert table.frame.to_dict("list") == {"zip": ["01234", "00501"], "name": ["Ann", ""],
                                           "amount": ["", "007"]}
    assert table.warnings == []


@pytest.mark.parametrize("data, delimiter", [
    (b"a;b\n1;2\n", ";"), (b"a\tb\n1\t2\n", "\t"), (b"a|b\n1|2\n", "|"),
    (b'a,b\n"1,5",2\n', ","),
])
def test_delimiter_is_sniffed(tmp_path, data, delimiter):
    table = read_table(write(tmp_path, "d.txt", data))
    assert table.delimiter == delimiter and list(table.frame.columns) == ["a", "b"]


def test_cp1252_file_is_decoded_right(tmp_path):
    path = write(tmp_path, "w.csv", "name;city\nJosé Peña;Málaga\nSøren Ærø;Tromsø\n".encode("cp1252"))
    table = read_table(path)
    assert table.encoding == "cp1252"
    assert table.frame["name"].tolist() == ["José Peña", "Søren Ærø"]


@pytest.mark.parametrize("codec, bom", [("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe")])
def test_byte_order_marks_do_not_leak_into_the_first_column_name(tmp_path, codec, bom):
    path = write(tmp_path, "b.csv", bom + "name,city\nAnn,Köln\n".encode(codec))
    table = read_table(path)
    assert list(table.frame.columns) == ["name", "city"]
    assert table.frame["city"].tolist() == ["Köln"]


def test_ragged_rows_are_padded_or_widened_with_line_numbers(tmp_path):
    table = read_table(write(tmp_path, "r.csv", b"a;b;c\n1;2;3\n4;5\n6;7;8;9\n"))
    assert table.frame.to_dict("list") == {"a": ["1", "4", "6"], "b": ["2", "5", "7"],
                                           "c": ["3", "", "8"], "column_4": ["", "", "9"]}
    assert table.warnings == [
        "1 row(s) have fewer than 3 fields and were padded with empty cells (line 3).",
        "1 row(s) have more than 3 fields; the extra values are kept in added columns (line 4)."]


def test_a_quote_that_never_closes_is_read_as_a_plain_character(tmp_path):
    table = read_table(write(tmp_path, "q.csv", b'a,b\n1,"x\n2,y\n'))
    assert table.frame.to_dict("list") == {"a": ["1", "2"], "b": ['"x', "y"]}
    assert table.warnings == ["A quote opened on line 2 never closes; quotes were read as "
                              "ordinary characters."]


def test_nul_bytes_are_removed_and_reported(tmp_path):
    table = read_table(write(tmp_path, "n.csv", b"a,b\n1,x\x00y\n2,z\n"))
    assert table.frame["b"].tolist() == ["xy", "z"]
    assert table.warnings == ["Removed 1 NUL byte(s) (line 2)."]


@pytest.mark.parametrize("data, message", [
    (b"", r"is empty \(0 bytes\)"),
    (b"  \n\n ", "holds only blank space"),
    (bytes(range(256)) * 40, "looks like a binary file"),
    (b"PK\x03\x04" + b"\x00" * 100, "is a ZIP archive"),
])
def test_unusable_files_get_one_clear_message(tmp_path, data, message):
    with pytest.raises(BadInput, match=message):
        read_table(write(tmp_path, "bad.csv", data))


def test_missing_file_is_bad_input(tmp_path):
    with pytest.raises(BadInput, match="Cannot open"):
        read_table(tmp_path / "nope.csv")


def test_empty_and_repeated_column_names_get_usable_names(tmp_path):
    table = read_table(write(tmp_path, "h.csv", b"name,,name\n1,2,3\n"))
    assert list(table.frame.columns) == ["name", "column_2", "name_2"]
    assert len(table.warnings) == 2


def test_header_auto_tells_data_from_column_names(tmp_path):
    data_first = read_table(write(tmp_path, "a.csv", b"1,Ann\n2,Bob\n"), header="auto")
    assert list(data_first.frame.columns) == ["column_1", "column_2"] and len(data_first.frame) == 2
    named = read_table(write(tmp_path, "b.csv", b"id,name\n1,Ann\n"), header="auto")
    assert list(named.frame.columns) == ["id", "name"] and named.header


def test_preview_reads_only_the_first_rows(tmp_path):
    body = b"".join(b"%d,row\n" % i for i in range(100_000))
    table = preview_table(write(tmp_path, "p.csv", b"id,text\n" + body), rows=5)
    assert table.frame["id"].tolist() == ["0", "1", "2", "3", "4"]


def test_xlsx_written_and_read_back_keeps_text(tmp_path):
    table = read_table(write(tmp_path, "s.csv", b"zip,name\n01234,J\xc3\xb6rg\n"))
    out = write_table(table.frame, tmp_path / "s.xlsx")
    back = read_table(out)
    assert back.frame.to_dict("list") == {"zip": ["01234"], "name": ["Jörg"]}


def test_spreadsheet_numbers_and_dates_read_as_text(tmp_path):
    import datetime as dt

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["id", "when", "price", "zip"])
    sheet.append([7, dt.datetime(2024, 2, 13), 4.5, "00501"])
    book.create_sheet("Other")
    book.save(tmp_path / "t.xlsx")
    table = read_table(tmp_path / "t.xlsx")
    # openpyxl formats a date-time `yyyy-mm-dd h:mm:ss`: the sheet shows its time, so it is read
    assert table.frame.to_dict("list") == {"id": ["7"], "when": ["2024-02-13 00:00:00"], "price": ["4.5"],
                                           "zip": ["00501"]}
    assert table.warnings == ["Read the first sheet, 'Sheet'; the file also has 'Other'."]
    with pytest.raises(BadInput, match="no sheet 'Nope'"):
        read_table(tmp_path / "t.xlsx", sheet="Nope")


def test_write_table_refuses_to_overwrite_and_writes_bom_on_request(tmp_path):
    frame = read_table(write(tmp_path, "a.csv", b"a\n1\n")).frame
    target = tmp_path / "out.csv"
    write_table(frame, target, bom=True)
    assert target.read_bytes() == b"\xef\xbb\xbfa\n1\n"
    with pytest.raises(OutputExists):
        write_table(frame, target)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_write_table_can_follow_a_german_exports_habits_and_reports_progress(tmp_path):
    source = write(tmp_path, "de.csv", "Name;Ort\r\nMüller;Köln\r\n".encode("cp1252"))
    table = read_table(source)
    heard = []
    target = tmp_path / "out.csv"
    write_table(table.frame, target, delimiter=table.delimiter, encoding=table.encoding,
                newline="\r\n", progress=Progress(lambda fraction, message: heard.append(fraction)))
    assert target.read_bytes() == source.read_bytes()
    assert heard[-1] == 1.0
    with pytest.raises(UnicodeEncodeError):
        write_table(table.frame.assign(Ort="Łódź"), tmp_path / "pl.csv", encoding="cp1252")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["de.csv", "out.csv"]


@pytest.mark.parametrize("codec", ["cp1252", "utf-8"])
def test_accents_past_the_first_megabyte_decide_the_encoding(tmp_path, codec):
    ascii_rows = b"".join(b"%d,Plain Name %d\n" % (i, i) for i in range(120_000))
    path = write(tmp_path, "late.csv", b"id,name\n" + ascii_rows + "999999,José Peña\n".encode(codec))
    assert path.stat().st_size > 2_000_000
    table = read_table(path)
    assert table.encoding == codec
    assert table.frame["name"].iloc[-1] == "José Peña" and table.detection.verified


def test_a_damaged_spreadsheet_is_bad_input(tmp_path):
    with pytest.raises(BadInput, match="not a readable spreadsheet"):
        read_table(write(tmp_path, "broken.xlsx", b"PK\x03\x04 not really a workbook"))
