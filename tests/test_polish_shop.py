"""A Polish shop's newsletter sign-ups matched to its customer list (trial G, issue 30; rows of
the trial's own lists, tests/data/polish_shop). Outside Gmail the punctuation of an e-mail
address is part of it: `halina_nowak@o2.pl` and `halina.nowak@o2.pl` are two mailboxes, and
before this they agreed as one identifier ("E-mail 100") and matched a stranger of the same
name certain (DECISIONS 518)."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.cli_process import datatools

DATA = Path(__file__).parent / "data" / "polish_shop"


def test_punctuation_tells_mailboxes_apart_and_an_exact_address_still_vouches(tmp_path):
    out = tmp_path / "out.csv"
    done = datatools("match", str(DATA / "newsletter.csv"), str(DATA / "klienci.csv"), "--on",
                     "Imię,Nazwisko,E-mail,Miasto,Kod", "--right-on",
                     "Imię,Nazwisko,E-mail,Miejscowość,Kod pocztowy", "-o", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = [(r["E-mail"], r["right_Nr klienta"], r["match_certainty"], r["match_reason"])
                for r in csv.DictReader(handle)]
    assert rows == [
        # Same name and town, another mailbox: for review, not certain.
        ("halina_nowak@o2.pl", "", "possible",
         "right row 1: possible (a column clearly differs); agreed Imię 100, Nazwisko 100, "
         "Miasto 100; differed E-mail 0; empty Kod; whole row 84; rare words halina, nowak, krakow"),
        # Another mailbox and another town: nothing but the name is left.
        ("andrzej_wozniak@poczta.fm", "", "no partner", ""),
        # The same address vouches for a surname keyed with two letters swapped.
        ("piotr.kowalski@wp.pl", "K12610", "certain",
         "right row 3: agreed Imię 100, Nazwisko 88, E-mail 100, Miasto 100; empty Kod; "
         "whole row 90; rare words piotr, krakow"),
        ("malgorzata.nowak@tlen.pl", "K12074", "certain",
         "right row 4: agreed Imię 100, Nazwisko 100, E-mail 100, Miasto 100; empty Kod; "
         "whole row 93; rare words malgorzata, katowice, nowak"),
    ]


def test_a_customer_entered_twice_is_one_record_whatever_each_entry_bought(tmp_path):
    """Two entries of one customer tie for a sign-up: each with its own order total, the phone
    with and without +48, the address with and without `ul.` and its flat mark `m.`. They once
    read as two records, and the sign-up got no partner (90 of the trial's 205 misses,
    DECISIONS 524). Two entries at two house numbers stay a tie."""
    customers = tmp_path / "klienci.csv"
    customers.write_text(
        "Nr klienta;Imię;Nazwisko;Kod pocztowy;Miejscowość;Adres;Telefon;Suma zamówień\n"
        "K1;Jan;Górski;31-845;Kraków;Długa 20 m. 29;0048893410014;170,32\n"
        "K2;Jan;Górski;31-845;Kraków;ul. Długa 20/29;893 410 014;77,01\n"
        "K3;Adam;Nowak;61-576;Poznań;ul. Lea 5;612345678;12,00\n"
        "K4;Adam;Nowak;61-576;Poznań;ul. Lea 7;612345678;1 234,50\n"
        "K5;Ewa;Wójcik;00-950;Warszawa;ul. Prosta 1;501501501;50,00\n", encoding="utf-8")
    signups = tmp_path / "zapisy.csv"
    signups.write_text("Imię;Nazwisko;Miasto;Kod\nJan;Górski;Kraków;31-845\nAdam;Nowak;Poznań;61-576\n",
                       encoding="utf-8")
    out = tmp_path / "out.csv"
    done = datatools("match", str(signups), str(customers), "--on", "Imię,Nazwisko,Miasto,Kod",
                     "--right-on", "Imię,Nazwisko,Miejscowość,Kod pocztowy", "-o", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = [(r["Imię"], r["right_Nr klienta"], r["match_certainty"]) for r in csv.DictReader(handle, delimiter=";")]
    assert rows == [("Jan", "K1", "certain"), ("Adam", "", "possible")]
