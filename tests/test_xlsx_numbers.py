"""Workbooks hold amounts as numbers Excel can sum, with the decimals they had; codes, postcodes
and ambiguous values stay text."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook

from datatools.io import write_table

pytestmark = pytest.mark.filterwarnings("error")


def test_amount_columns_become_numbers_and_codes_stay_text(tmp_path):
    frame = pd.DataFrame({
        "order": ["A-100", "A-101", "A-102"],
        "amount": ["120.50", "35.00", "-7.5"],          # point decimals
        "Betrag": ["1234,50", "12,5", ""],               # German decimal comma, an empty cell
        "postcode": ["01067", "10115", "20095"],         # a leading zero: a code
        "maybe_thousands": ["1,234", "2,500", "3,100"],  # 1,234: thousands or decimals? text
        "account": ["1234567890123456", "1", "2"],       # 16 digits would be rounded: text
        "qty": ["3", "12", "0"]})
    target = tmp_path / "orders.xlsx"
    write_table(frame, target)
    sheet = load_workbook(target).active
    rows = [[(c.value, c.number_format) for c in row] for row in sheet.iter_rows(min_row=2, max_row=2)]
    assert rows[0] == [("A-100", "General"), (120.5, "0.00"), (1234.5, "0.00"), ("01067", "General"),
                       ("1,234", "General"), ("1234567890123456", "General"), (3, "0")]
    assert sheet["C4"].value is None and sheet["B4"].value == -7.5 and sheet["B4"].number_format == "0.0"
