"""Addresses, e-mails and surnames spelt two ways by one person are one (issue 30, item 6): a
Spanish `C/` is `Calle`, a Turkish `Cad.` is `Caddesi`, `jp+boutique@` reaches `jp@`,
`m.j.garcia@gmail.com` is `mjgarcia@gmail.com`, `Vanderberg` is `Van der Berg`. Run through
the installed `datatools` console script, on a trial user's list of 30 people (and six more)."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.cli_process import datatools, groups_by_certainty

HEADER = ["id", "first", "last", "street", "postcode", "city", "phone", "email", "dob"]
PEOPLE = [
    ["1", "María José", "García López", "Calle de Alcalá 45, 3º B", "28014", "Madrid",
     "+34 612 345 678", "mjgarcia@gmail.com", "1978-03-12"],
    ["2", "Maria Jose", "Garcia Lopez", "C/ Alcalá 45 3B", "28014", "Madrid", "612345678",
     "m.j.garcia@gmail.com", "1978-03-12"],
    ["3", "María José", "García Fernández", "Calle de Alcalá 45, 3º B", "28014", "Madrid",
     "+34 612 345 679", "mjgf@hotmail.es", "1952-07-01"],
    ["4", "José Luis", "Fernández de la Torre", "Avenida de América 10, 2º A", "28002", "Madrid",
     "+34 600 111 222", "jl.fdelatorre@yahoo.es", "1965-11-30"],
    ["5", "Jose Luis", "de la Torre", "Av. de América 10 2A", "28002", "Madrid", "600 111 222", "",
     "1965-11-30"],
    ["6", "Jean-Pierre", "Van der Berg", "12 rue Victor Hugo, Apt 4", "69002", "Lyon",
     "+33 6 12 34 56 78", "jp.vanderberg@orange.fr", "1970-02-02"],
    ["7", "Marc", "Van der Berg", "12 rue Victor Hugo, Apt 7", "69002", "Lyon",
     "+33 6 98 76 54 32", "marc.vdb@orange.fr", "1983-05-14"],
    ["8", "Jean Pierre", "Vanderberg", "12, rue Victor-Hugo apt. 4", "69002", "Lyon",
     "06 12 34 56 78", "jp.vanderberg+boutique@orange.fr", ""],
    ["9", "Ayşe", "Yılmaz", "Atatürk Cad. No: 15 Daire 3", "34710", "İstanbul",
     "+90 532 111 22 33", "ayse.yilmaz@gmail.com", "1990-09-09"],
    ["10", "Fatma", "Yılmaz", "Atatürk Cad. No: 15 Daire 3", "34710", "İstanbul",
     "+90 532 111 22 34", "fatma.yilmaz@gmail.com", "1990-09-09"],
    ["11", "Ayse", "Yilmaz", "Ataturk Caddesi No 15 D:3", "34710", "Istanbul", "0532 111 22 33",
     "ayseyilmaz@gmail.com", "1990-09-09"],
    ["12", "Mehmet", "Öztürk", "Atatürk Cad. No: 15 Daire 8", "34710", "İstanbul",
     "+90 533 444 55 66", "m.ozturk@hotmail.com", "1961-01-20"],
    ["13", "Agnieszka", "Kowalska-Nowak", "ul. Marszałkowska 84/92 m. 12", "00-514", "Warszawa",
     "+48 601 234 567", "agnieszka.kowalska@wp.pl", "1985-04-04"],
    ["14", "Agnieszka", "Kowalska", "ul. Marszałkowska 84/92 m. 12", "00-514", "Warszawa",
     "601-234-567", "agnieszka.kowalska@wp.pl", "1985-04-04"],
    ["15", "Katarzyna", "Kowalska", "ul. Marszałkowska 84/92 m. 15", "00-514", "Warszawa",
     "+48 601 234 999", "kasia.k@onet.pl", "1988-08-08"],
    ["16", "Piotr", "Wiśniewski", "ul. Długa 5 m. 3", "80-827", "Gdańsk", "+48 502 000 111",
     "piotr.w@gmail.com", "1975-06-06"],
    ["17", "Paweł", "Wiśniewski", "ul. Długa 5 m. 3", "80-827", "Gdańsk", "+48 502 000 112",
     "pawel.w@gmail.com", "1975-06-06"],
    ["18", "Anna", "Schmidt", "Hauptstraße 12", "10115", "Berlin", "+49 30 1234567",
     "anna.schmidt@gmail.com", "1980-01-01"],
    ["19", "Anna", "Weber", "Hauptstraße 12", "10115", "Berlin", "030 1234567",
     "anna.schmidt@gmail.com", "1980-01-01"],
    ["20", "Anna", "Weber", "Gartenweg 3", "80331", "München", "+49 89 7654321", "a.weber@web.de",
     "1992-12-24"],
    ["21", "Thomas", "Müller", "Lindenstraße 7", "50667", "Köln", "+49 221 998877",
     "thomas.mueller+shop@gmail.com", "1969-10-10"],
    ["22", "Thomas", "Mueller", "Lindenstr. 7", "50667", "Köln", "0221 998877",
     "thomasmueller@gmail.com", "1969-10-10"],
    ["23", "Thomas", "Müller", "Lindenstraße 17", "50667", "Köln", "+49 221 112233",
     "t.mueller@t-online.de", "1971-03-03"],
    ["24", "Pierre", "Dubois", "5 avenue des Champs, Bât. B, Appt 21", "75008", "Paris",
     "+33 1 42 00 00 01", "pdubois@free.fr", "1955-05-05"],
    ["25", "Pierre", "Dubois", "5 avenue des Champs, Bât. B, Appt 12", "75008", "Paris",
     "+33 1 42 00 00 02", "pierre.dubois@laposte.net", "1987-07-07"],
    ["26", "Lucía", "Martín Sánchez", "Calle Mayor 3, 1º izq.", "41001", "Sevilla",
     "+34 655 000 001", "lucia.ms@gmail.com", "1993-02-14"],
    ["27", "Lucía", "Martín Sánchez", "Calle Mayor 3, 1º dcha.", "41001", "Sevilla",
     "+34 655 000 077", "lmartin@telefonica.net", "1949-09-19"],
    ["28", "Emre", "Demir", "Bağdat Cad. 200/5", "34728", "İstanbul", "+90 555 123 45 67",
     "emre.demir@gmail.com", "1984-04-18"],
    ["29", "Elif", "Demir", "Bağdat Cad. 200/5", "34728", "İstanbul", "+90 555 123 45 68",
     "elif.demir@gmail.com", "1986-06-18"],
    ["30", "Emre", "Demir", "Bagdat Caddesi 200 D.5", "34728", "Istanbul", "05551234567",
     "e.mre.demir@gmail.com", "1984-04-18"],
    # six people elsewhere, as any longer list has: the surname column then varies enough to veto
    ["31", "Sofia", "Rossi", "Via Roma 12", "00184", "Roma", "+39 06 6789012", "s.rossi@libero.it",
     "1982-05-17"],
    ["32", "Lars", "Andersson", "Storgatan 4", "11455", "Stockholm", "+46 8 123 45 67",
     "lars.andersson@telia.se", "1966-04-09"],
    ["33", "Eva", "Novák", "Národní 9", "11000", "Praha", "+420 601 222 333", "eva.novak@seznam.cz",
     "1974-11-02"],
    ["34", "João", "Silva", "Rua Augusta 100", "1100-053", "Lisboa", "+351 912 345 678",
     "joao.silva@sapo.pt", "1969-08-21"],
    ["35", "Sean", "Murphy", "14 Main Street", "D02 X285", "Dublin", "+353 87 123 4567",
     "sean.murphy@eircom.net", "1990-01-30"],
    ["36", "Nikos", "Papadopoulos", "Ermou 25", "10563", "Athina", "+30 210 123 4567",
     "n.papadopoulos@otenet.gr", "1958-12-12"],
]


def _dedupe(tmp_path: Path) -> dict[str, set[str]]:
    with open(tmp_path / "people.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEADER, *PEOPLE])
    done = datatools("dedupe", "people.csv", "--columns", "first,last,street,city,phone,email",
                     "-o", "grouped.csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return groups_by_certainty(tmp_path / "grouped.csv", "id")


def test_people_spelt_two_ways_are_certain_and_strangers_stay_apart(tmp_path):
    # 1|2: C/ Alcalá and Calle de Alcalá, m.j.garcia@ and mjgarcia@gmail.com
    # 6|8: Van der Berg and Vanderberg, jp.vanderberg+boutique@ and jp.vanderberg@orange.fr
    # 9 and 11: Atatürk Cad. and Ataturk Caddesi; 21|22 and 28|30: e-mails with a +tag or dots
    assert _dedupe(tmp_path) == {
        "certain": {"1|2", "4|5", "6|8", "11|9", "13|14", "21|22", "28|30"},
        "possible": {"18|19"}}


CRM = [
    ["name", "street", "city", "phone", "email"],
    ["María José García López", "Calle de Alcalá 45, 3º B", "Madrid", "+34 612 345 678",
     "mjgarcia@gmail.com"],
    ["Jean-Pierre Van der Berg", "12 rue Victor Hugo, Apt 4", "Lyon", "+33 6 12 34 56 78",
     "jp.vanderberg@orange.fr"],
    ["Marc Van der Berg", "12 rue Victor Hugo, Apt 7", "Lyon", "+33 6 98 76 54 32",
     "marc.vdb@orange.fr"],
    ["Ayşe Yılmaz", "Atatürk Cad. No: 15 Daire 3", "İstanbul", "+90 532 111 22 33",
     "ayse.yilmaz@gmail.com"],
    ["Fatma Yılmaz", "Atatürk Cad. No: 15 Daire 3", "İstanbul", "+90 532 111 22 34",
     "fatma.yilmaz@gmail.com"],
    ["Anna Schmidt", "Hauptstraße 12", "Berlin", "+49 30 1234567", "anna.schmidt@gmail.com"],
    ["Müller GmbH Berlin", "Friedrichstraße 100", "Berlin", "+49 30 555000",
     "info@mueller-gmbh.de"],
    ["Müller GmbH München", "Leopoldstraße 20", "München", "+49 89 555000",
     "muenchen@mueller-gmbh.de"],
    ["Pierre Dubois", "5 avenue des Champs, Bât. B, Appt 21", "Paris", "+33 1 42 00 00 01",
     "pdubois@free.fr"],
    ["Katarzyna Kowalska", "ul. Marszałkowska 84/92 m. 15", "Warszawa", "+48 601 234 999",
     "kasia.k@onet.pl"],
    ["Piotr Wiśniewski", "ul. Długa 5 m. 3", "Gdańsk", "+48 502 000 111", "piotr.w@gmail.com"],
]
SHOP = [
    ["name", "street", "city", "phone", "email"],
    ["Garcia Lopez, Maria Jose", "C/ Alcalá 45 3B", "Madrid", "612345678",
     "m.j.garcia+tienda@gmail.com"],
    ["Jean Pierre Vanderberg", "12, rue Victor-Hugo apt. 4", "Lyon", "06 12 34 56 78",
     "jp.vanderberg+boutique@orange.fr"],
    ["Fatma Yilmaz", "Ataturk Cad. No 15 Daire 3", "Istanbul", "0532 111 22 34",
     "fatma.yilmaz@gmail.com"],
    ["Anna Weber", "Hauptstr. 12", "Berlin", "030 1234567", "anna.schmidt@gmail.com"],
    ["Müller GmbH", "Leopoldstr. 20", "München", "089 555000", ""],
    ["Pierre Dubois", "5 av. des Champs, Bât. B, Appt 12", "Paris", "+33 1 42 00 00 02",
     "pierre.dubois@laposte.net"],
    ["Paweł Wiśniewski", "ul. Długa 5 m. 3", "Gdańsk", "+48 502 000 112", "pawel.w@gmail.com"],
    ["Katarzyna Kowalska", "ul. Marszałkowska 84/92 m. 12", "Warszawa", "+48 601 234 567",
     "agnieszka.kowalska@wp.pl"],
]


def test_match_writes_every_true_pair_of_a_crm_and_a_shop(tmp_path):
    for name, rows in (("crm.csv", CRM), ("shop.csv", SHOP)):
        with open(tmp_path / name, "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(rows)
    done = datatools("match", "crm.csv", "shop.csv", "--on", "name,street,city,phone,email",
                     "-o", "matched.csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    with open(tmp_path / "matched.csv", encoding="utf-8", newline="") as handle:
        matched = {(row["name"], row["right_name"]) for row in csv.DictReader(handle)
                   if row["right_name"]}
    # the user's answer key: García López, Van der Berg (C/, +tag, dots, particles), Fatma
    # Yılmaz and Müller GmbH München; Anna Schmidt's e-mail on Anna Weber is no match
    assert matched == {("María José García López", "Garcia Lopez, Maria Jose"),
                       ("Jean-Pierre Van der Berg", "Jean Pierre Vanderberg"),
                       ("Fatma Yılmaz", "Fatma Yilmaz"),
                       ("Müller GmbH München", "Müller GmbH")}
