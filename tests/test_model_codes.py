"""A catalogue deduped on its title at defaults (a trial, issue 30): two rows of one title
whose uncompared model or article code differs in a digit (`DDF482`/`DDF485`, `Chambord
1928-16`/`1923-16`) are two products, never one certain group (uncompared_ids.attributes_differ, DECISIONS 397)."""

from __future__ import annotations

import csv

import pytest

from tests.cli_process import datatools, groups_by_certainty


@pytest.mark.parametrize("code", ["SKU", "Model", "Modèle", "Référence"])
def test_a_model_code_a_digit_apart_is_another_product(tmp_path, code):
    rows = [["Perceuse-visseuse sans fil 18V 2Ah", "Makita", "DDF482"],
            ["Perceuse visseuse sans fil 18V 2 Ah", "MAKITA", "DDF482"],
            ["Perceuse-visseuse sans fil 18V 2Ah", "Makita", "DDF485"],
            ["Cafetière à piston 1L", "Bodum", "Chambord 1928-16"],
            ["Cafetière à piston 1 L", "Bodum", "Chambord 1928-16"],
            ["Cafetière à piston 1L", "Bodum", "Chambord 1923-16"]]
    source, out = tmp_path / "in.csv", tmp_path / "out.csv"
    with open(source, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Title", "Marque", code])
        writer.writerows(rows)
    done = datatools("dedupe", str(source), "--columns", "Title", "-o", str(out), "-q",
                     cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    groups = groups_by_certainty(out, code)
    # the rows keyed twice stay certain; the other model stands alone
    assert groups["certain"] == {"DDF482|DDF482", "Chambord 1928-16|Chambord 1928-16"}
    assert groups["possible"] == set()
