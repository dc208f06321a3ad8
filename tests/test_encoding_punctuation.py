"""Short Western files whose only non-ASCII bytes are typographic punctuation (issue 12's kind:
a legacy code page told from the others on a few bytes).

cp1252 keeps „ “ ” ‘ ’ – — … • € ™ in 0x80–0x9F, where DOS Hebrew (cp862) and the DOS Western
and Cyrillic pages have letters: „Zitat“ read as cp862 is הZitatף. Every file here must decode
to exactly the text it was written from.
"""

from __future__ import annotations

import itertools

import pytest

from datatools.tools.encoding import detect_encoding
from test_encoding_scripts import decoded

QUOTED = ["„Zitat“", "“Quote”", "‘single’", "it’s", "«guillemets»", "‚einfach‘"]
DASHED = ["2019–2024", "yes — no", "etc…", "• item", "€ 12,50", "Brand™", "N° 5"]
SHAPES = [
    "id;text;city\n1;{a} aus dem Buch;Bonn\n2;{b};Kiel\n",
    "name,note\nAnna,{a}\nBen,{b}\n",
    "{a}\t{b}\n",
    "sku;beschreibung;preis\nA-1;{a};12\nA-2;normal;{b}\n",
]
CASES = [(shape, a, b) for shape, (a, b) in itertools.product(
    SHAPES, itertools.chain(zip(QUOTED, DASHED), zip(DASHED, QUOTED[::-1]), zip(QUOTED, QUOTED[1:])))]


@pytest.mark.parametrize("shape, a, b", CASES)
def test_cp1252_punctuation_alone_is_read_as_written(tmp_path, shape, a, b):
    text = shape.format(a=a, b=b)
    data = text.encode("cp1252")
    path = tmp_path / "short.csv"
    path.write_bytes(data)
    report = detect_encoding(path)
    assert decoded(data, report) == text, report.encoding


@pytest.mark.parametrize("encoding, text", [
    ("cp862", "שם;עיר\nדוד;חיפה\nשרה;תל אביב\n"),
    ("cp1255", "שם;עיר\nדוד;חיפה\nשרה;תל אביב\n"),
    ("cp1256", "الاسم;المدينة\nمحمد;القاهرة\n"),
    ("cp874", "ชื่อ;เมือง\nสมชาย;กรุงเทพ\n"),
])
def test_hebrew_arabic_and_thai_files_still_read_as_themselves(tmp_path, encoding, text):
    data = text.encode(encoding)
    path = tmp_path / "short.csv"
    path.write_bytes(data)
    assert decoded(data, detect_encoding(path)) == text
