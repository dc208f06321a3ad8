"""Rows the default dedupe must not merge as certain (a usability trial, repro6b): Shopify-style
variant rows whose Title is filled on a product's first row only, so two products' `Grey`/`M`
rows agree on two columns and an empty one; the small-list rule lets an empty cell go only when
three columns are left to agree on (certainty.certain_pairs)."""

from __future__ import annotations

import csv

from tests.cli_process import datatools, groups_by_certainty


def _dedupe(tmp_path, header: list[str], rows: list[list[str]], columns: list[str],
            key: str) -> dict[str, set[str]]:
    """Per certainty, the groups (the `key` cells joined by `|`, sorted) that the installed
    `datatools dedupe` writes at defaults comparing `columns`."""
    source, out = tmp_path / "in.csv", tmp_path / "out.csv"
    with open(source, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    done = datatools("dedupe", str(source), "--columns", ",".join(columns), "-o", str(out),
                     "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return groups_by_certainty(out, key)


def test_variant_rows_with_the_title_empty_on_both_sides_are_not_merged_as_certain(tmp_path):
    header = ["Handle", "Title", "Color", "Size", "SKU"]
    rows = [["hoodie", "Classic Hoodie", "Grey", "S", "HD-GREY-S"],
            ["hoodie", "", "Grey", "M", "HD-GREY-M"],
            ["tee", "Crew Tee", "Grey", "S", "CT-GREY-S"],
            ["tee", "", "Grey", "M", "CT-GREY-M"],
            ["polo", "Pique Polo", "Red", "M", "PP-RED-M"],
            ["polo", "", "Grey", "M", "PP-GREY-M"]]
    groups = _dedupe(tmp_path, header, rows, ["Title", "Color", "Size"], "SKU")
    assert groups["certain"] == set()
    assert groups["possible"] == {"CT-GREY-M|HD-GREY-M|PP-GREY-M"}


def test_a_sister_company_whose_name_holds_the_others_and_a_word_more_stays_possible(tmp_path):
    header = ["Lieferant", "Straße", "Ort", "PLZ"]
    rows = [["Würth Elektronik eiSos GmbH & Co. KG", "Max-Eyth-Str. 1", "Waldenburg", "74638"],
            ["Würth Elektronik GmbH & Co. KG", "Max-Eyth-Str. 1", "Waldenburg", "74638"],
            ["Müller Bau GmbH", "Industriestr. 5", "Kassel", "34117"],
            ["Müller Bau GmbH", "Industriestraße 5", "Kassel", "34117"],
            ["Schmidt und Partner GmbH", "Hauptstr. 9", "Fulda", "36037"],
            ["Schmidt & Partner GmbH", "Hauptstr. 9", "Fulda", "36037"]]
    groups = _dedupe(tmp_path, header, rows, header, "Lieferant")
    assert groups["possible"] == {"Würth Elektronik GmbH & Co. KG|Würth Elektronik eiSos GmbH & Co. KG"}
    assert groups["certain"] == {"Müller Bau GmbH|Müller Bau GmbH",
                                 "Schmidt & Partner GmbH|Schmidt und Partner GmbH"}


def test_a_father_and_son_told_apart_by_an_uncompared_date_of_birth_stay_possible(tmp_path):
    header = ["Name", "Straße", "PLZ", "Ort", "Geburtsdatum"]
    rows = [["Thomas Schneider", "Lindenweg 12", "34117", "Kassel", "14.03.1958"],
            ["Thomas Schneider", "Lindenweg 12", "34117", "Kassel", "02.11.1987"],
            ["Anna Vogel", "Bergstr. 4", "36037", "Fulda", "21.06.1970"],
            ["Anna Vogel", "Bergstraße 4", "36037", "Fulda", "21.06.1970"],
            ["Jan Hoffmann", "Ringstr. 8", "35390", "Gießen", "03.04.1966"],
            ["Jan Hoffmann", "Ringstr. 8", "35390", "Gießen", "03.04.1969"],
            ["Petra Wolf", "Am Hang 2", "37073", "Göttingen", ""],
            ["Petra Wolf", "Am Hang 2", "37073", "Göttingen", "30.01.1980"]]
    groups = _dedupe(tmp_path, header, rows, header[:4], "Geburtsdatum")
    assert groups["possible"] == {"02.11.1987|14.03.1958"}
    # one keying error in a date, or a date on one side only, is still one person
    assert groups["certain"] == {"21.06.1970|21.06.1970", "03.04.1966|03.04.1969",
                                 "|30.01.1980"}
