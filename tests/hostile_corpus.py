"""Write the hostile-input corpus: spreadsheets and text files built to hurt a reader.

Each file stands for a kind of attack or damage seen in the wild (OWASP's XXE and zip-bomb
pages, the "billion laughs" DTD, far-cell workbooks that make readers allocate the whole grid).
Every one is small on disk; what a reader must not do is trust what it declares.

    python tests/hostile_corpus.py FOLDER     # writes the files, prints their names

`CASES` maps each file to the error code every tool must answer with (exit 1, one message).
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/>'
    '</Types>')
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
_MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _sheet(rows: str, dimension: str | None = "A1:B2", doctype: str = "") -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f"{_HEAD}{doctype}<worksheet {_MAIN}>{dim}<sheetData>{rows}</sheetData></worksheet>"


_PLAIN_ROWS = ('<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c>'
               '<c r="B1" t="inlineStr"><is><t>city</t></is></c></row>'
               '<row r="2"><c r="A2" t="inlineStr"><is><t>Ann</t></is></c>'
               '<c r="B2" t="inlineStr"><is><t>Graz</t></is></c></row>')
_EMPTY_SST = f'{_HEAD}<sst {_MAIN} count="0" uniqueCount="0"></sst>'


def workbook(sheet: str | bytes, shared: str | bytes = _EMPTY_SST) -> bytes:
    """An .xlsx package around one sheet's XML and a shared-strings part (bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", _CONTENT_TYPES)
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("xl/workbook.xml", _WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        book.writestr("xl/worksheets/sheet1.xml", sheet)
        book.writestr("xl/sharedStrings.xml", shared)
    return buffer.getvalue()


def _zip_bomb() -> bytes:
    """100 MiB of one repeated row, about 350 KB once deflated (a ratio near 300:1)."""
    row = '<row><c t="inlineStr"><is><t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</t></is></c></row>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in (("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _ROOT_RELS),
                           ("xl/workbook.xml", _WORKBOOK),
                           ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
                           ("xl/sharedStrings.xml", _EMPTY_SST)):
            book.writestr(name, text)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(f"{_HEAD}<worksheet {_MAIN}><sheetData>".encode())
            block = (row * 4096).encode()
            for _ in range(100 * (1 << 20) // len(block)):
                part.write(block)
            part.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


_LAUGHS = ('<!DOCTYPE sst [<!ENTITY lol "lol">'
           + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                     for i in range(1, 10)) + "]>")


def _broken_directory() -> bytes:
    """A workbook whose central directory is cut off halfway (a download that stopped)."""
    whole = workbook(_sheet(_PLAIN_ROWS))
    return whole[: len(whole) - 40]


def _files() -> dict[str, bytes]:
    far = '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>'
    shared_claim = (f'{_HEAD}<sst {_MAIN} count="4000000000" uniqueCount="4000000000">'
                    '<si><t>x</t></si></sst>')
    shared_rows = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    many_strings = (f'{_HEAD}<sst {_MAIN} count="1000000" uniqueCount="1000000">'
                    + "".join(f"<si><t>Kundin {i:07d} Graz</t></si>" for i in range(1_000_000))
                    + "</sst>")
    utf16 = "name;city\r\n" + "".join(f"Zoë {i};Köln\r\n" for i in range(40))
    return {
        "far_cell.xlsx": workbook(_sheet(far, "A1:XFD1048576")),
        "far_cell_no_dimension.xlsx": workbook(_sheet(far, None)),
        "dimension_lies.xlsx": workbook(_sheet(_PLAIN_ROWS, "A1:XFD1048576")),
        "zip_bomb.xlsx": _zip_bomb(),
        "billion_laughs.xlsx": workbook(_sheet(shared_rows),
                                        f'{_HEAD}{_LAUGHS}<sst {_MAIN}><si><t>&lol9;</t></si></sst>'),
        "external_entity.xlsx": workbook(_sheet(
            '<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>', "A1:A1",
            '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')),
        "shared_strings_claim.xlsx": workbook(_sheet(shared_rows, "A1:A1"), shared_claim),
        "shared_strings_huge.xlsx": workbook(_sheet(shared_rows + '<row r="2"><c r="A2" t="s"><v>1</v>'
                                                    '</c></row>', "A1:A2"), many_strings),
        "broken_directory.xlsx": _broken_directory(),
        "not_a_zip.xlsx": b"name,city\nAnn,Graz\n",
        "columns_million.csv": (",".join(f"c{i}" for i in range(1_000_000)) + "\n"
                                + ",".join("1" for _ in range(1_000_000)) + "\n").encode(),
        "nul_bytes.csv": b"name,city\nAnn\x00\x00\x00,Graz\n" + b"\x00" * 4096 + b"\n",
        "utf16_no_bom.csv": utf16.encode("utf-16-le"),
    }


# File → what every tool answers: the error code (exit 1), or "ok" for a file read correctly.
CASES = {
    "far_cell.xlsx": "sheet_too_large",
    "far_cell_no_dimension.xlsx": "sheet_too_large",
    "dimension_lies.xlsx": "ok",                 # the cells decide, not the declared size
    "zip_bomb.xlsx": "spreadsheet_bomb",
    "billion_laughs.xlsx": "spreadsheet_dtd",
    "external_entity.xlsx": "spreadsheet_dtd",
    "shared_strings_claim.xlsx": "sheet_too_large",
    "shared_strings_huge.xlsx": "ok",
    "broken_directory.xlsx": "bad_spreadsheet",
    "not_a_zip.xlsx": "bad_spreadsheet",
    "columns_million.csv": "too_many_columns",
    "nul_bytes.csv": "binary_file",
    "utf16_no_bom.csv": "ok",
}


def write_corpus(folder: Path) -> dict[str, Path]:
    """Write every file of the corpus into `folder`; return name → path."""
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, data in _files().items():
        (folder / name).write_bytes(data)
        written[name] = folder / name
    return written


if __name__ == "__main__":
    for path in write_corpus(Path(sys.argv[1])).values():
        print(path)
