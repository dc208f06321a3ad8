"""Identifiers and model numbers decide: agreeing they make one thing, disagreeing two things
(identifiers.py), on small product and customer tables made here."""

import pandas as pd

from datatools.tools.dedupe import find_duplicates, keep_one_per_cluster
from datatools.tools.match import match_tables


def products(rows):
    return pd.DataFrame(rows, columns=["name", "ean"], dtype=object)


def test_one_title_with_two_different_eans_is_never_a_certain_group():
    table = products([
        ("Netgear ProSafe 16-Port Gigabit Switch", "4006381333931"),
        ("Netgear ProSafe 16-Port Gigabit Switch", "4006381333948"),
        ("Bosch Akkuschrauber GSR 12V-15 Professional", "3165140812345"),
        ("Bosch Akkuschrauber GSR 12V-15 Professional", "3165140812345"),
    ])
    result = find_duplicates(table, ["name", "ean"])
    # Two EANs: for review (an EAN may have been replaced), never merged by --keep.
    assert [(c.rows, c.certain) for c in result.clusters] == [([0, 1], False), ([2, 3], True)]
    assert result.frame["match_score"][0] == "74"
    assert keep_one_per_cluster(result).frame["name"].tolist() == [
        "Netgear ProSafe 16-Port Gigabit Switch", "Netgear ProSafe 16-Port Gigabit Switch",
        "Bosch Akkuschrauber GSR 12V-15 Professional"]


def test_an_ean_with_one_typo_is_still_the_same_product():
    table = products([("Canon EOS 250D Kit", "4549292123456"),
                      ("Canon EOS 250D Kit", "4549292123465")])     # two digits swapped
    result = find_duplicates(table, ["name", "ean"])
    assert [c.rows for c in result.clusters] == [[0, 1]]


def test_titles_alike_but_for_the_model_number_are_two_products():
    table = products([("Samsung Galaxy S21 SM-G991B 128GB black", ""),
                      ("Samsung Galaxy S21 SM-G996B 128GB black", ""),
                      ("Samsung SM-G991B Galaxy S21 black 128 GB", "")])
    result = find_duplicates(table, ["name"])
    assert [(c.rows, c.certain) for c in result.clusters] == [([0, 2], True)]


def test_a_shared_model_number_matches_titles_that_share_little_else_as_certain():
    left = pd.DataFrame({"title": ["Netgear ProSafe 16-Port Gigabit Switch - GS116NA",
                                   "Sony Turntable - PSLX350H", "Philips Toaster HD2581"]})
    right = pd.DataFrame({"title": ["Netgear GS116NA ProSafe Switch", "Sony PSLX350H belt drive turntable",
                                    "Philips HD2590 toaster"]})
    result = match_tables(left, right, ["title"])
    assert result.frame["right_title"].tolist() == ["Netgear GS116NA ProSafe Switch",
                                                    "Sony PSLX350H belt drive turntable", ""]
    assert result.frame["match_certainty"].tolist()[:2] == ["certain", "certain"]
    assert result.frame["match_certainty"][2] == "no partner"
    assert result.frame["match_reason"][2].startswith("right row 3 vetoed by title (hd2581 vs hd2590)")


def test_a_model_number_on_one_side_only_is_left_for_review():
    left = pd.DataFrame({"title": ["LG XL capacity electric dryer DLE5955W"]})
    right = pd.DataFrame({"title": ["LG XL capacity electric dryer"]})
    result = match_tables(left, right, ["title"])
    assert result.frame["match_certainty"].tolist() == ["possible"]
    assert result.frame["right_title"].tolist() == [""]


def test_customers_with_different_e_mail_addresses_are_left_for_review_in_a_short_list():
    table = pd.DataFrame({"name": ["Anna Meyer", "Anna Meyer", "Jonas Brückner", "Jonas Brückner"],
                          "city": ["Kassel"] * 4,
                          "email": ["anna.meyer1@example.org", "anna.meyer2@example.org",
                                    "jb@example.org", "jb@example.org"]})
    result = find_duplicates(table, ["name", "city", "email"])
    assert [(c.rows, c.certain) for c in result.clusters] == [([0, 1], False), ([2, 3], True)]


def test_a_variant_of_a_model_or_another_article_number_is_never_a_certain_match():
    left = pd.DataFrame({"title": ["Sony DVP-FX820 Pink 8' Portable DVD Player - DVPFX820P",
                                   "Weber Performer 22-1/2' Charcoal Grill - 848001"]})
    right = pd.DataFrame({"title": ["Sony DVP-FX820 Portable DVD Player - DVPFX820",
                                    "Weber 841001 Performer 22.5' Charcoal Grill in Black"]})
    result = match_tables(left, right, ["title"])
    assert result.frame["right_title"].tolist() == ["", ""]
    assert result.frame["match_certainty"][0] == "possible"
    assert result.frame["match_reason"][1].startswith("right row 2 vetoed by title (848001 vs 841001)")


def test_a_shared_model_number_matches_titles_whose_words_barely_agree_as_certain():
    # Abt-Buy's titles of one product often share only the model number (words scoring 0–20):
    # the rare code agreeing both ways decides, not a title more alike with another code.
    left = pd.DataFrame({"title": ["Sony VAIO Neoprene Laptop Carrying Case - Black Finish - VGPAMC3",
                                   "Sirius Dock And Play Universal Vehicle Kit - SUPV1"]})
    right = pd.DataFrame({"title": ["Sony Notebook and AC Adapter Cases - VGPAMC3",
                                    "Directed Electronics SUPV1 Car Kit",
                                    "Sony VAIO Laptop Carrying Case - VGPCKC3"]})
    result = match_tables(left, right, ["title"])
    assert result.frame["right_title"].tolist() == ["Sony Notebook and AC Adapter Cases - VGPAMC3",
                                                    "Directed Electronics SUPV1 Car Kit"]
    assert result.frame["match_certainty"].tolist() == ["certain", "certain"]
