"""The match window proposes pairing a column of whole names with the second file's given name
and surname read as one, under the headers of every language the engine reads as whole names
(a Dutch trial: `naam`, `klant` against `voornaam`, `achternaam`; DECISIONS 461), and never
for a surname column. Real Chromium."""

from __future__ import annotations

import pytest

from test_desktop_files_ui import licensed_page  # noqa: F401  (the window, licensed, in browser mode)
from test_desktop_tool_ui import choose_files, run_and_wait


@pytest.mark.parametrize("heading", ["naam", "klant", "Kundenname", "Ansprechpartner"])
def test_a_whole_name_column_is_paired_with_given_name_and_surname(licensed_page, tmp_path,
                                                                    heading):
    page = licensed_page
    orders = tmp_path / "bestellingen.csv"
    orders.write_text(f"bestelnr;{heading};achternaam;plaats\nB1;Sem de Jong;de Jong;Utrecht\n"
                      "B2;Lisa Meijer;Meijer;Haarlem\n", encoding="utf-8")
    customers = tmp_path / "klanten.csv"
    customers.write_text("klantnr;voornaam;achternaam;plaats\nK1;Sem;de Jong;Utrecht\n"
                         "K2;Lisa;Meijer;Haarlem\nK3;Jan;Bakker;Breda\n", encoding="utf-8")
    choose_files(page, "match", [orders, customers])
    page.check(f"#option-on input[value='{heading}']")
    page.check("#option-on input[value='achternaam']")
    page.check("#option-on input[value='plaats']")
    assert page.input_value("#pair-0") == "voornaam + achternaam"
    assert page.input_value("#pair-1") == "achternaam"      # a surname column: as named
    assert page.input_value("#pair-2") == "plaats"
    run_and_wait(page)
    page.wait_for_selector("#matches-list tbody tr")


def test_columns_named_differently_for_one_thing_are_paired_by_what_they_hold(licensed_page, tmp_path):
    """A Polish shop's sign-ups (`Miasto`, `Kod`, `Telefon komórkowy`) against its customers
    (`Miejscowość`, `Kod pocztowy`, `Telefon`): the window proposed nothing for any of them."""
    page = licensed_page
    signups = tmp_path / "newsletter.csv"
    signups.write_text("Imię;Nazwisko;Miasto;Kod;Telefon komórkowy;Źródło\n"
                       "Anna;Nowak;Kraków;30-001;600100200;www\n", encoding="utf-8")
    customers = tmp_path / "klienci.csv"
    customers.write_text("Imię;Nazwisko;Adres;Kod pocztowy;Miejscowość;Telefon;Zgoda\n"
                         "Anna;Nowak;ul. Długa 5;30-001;Kraków;600100200;tak\n", encoding="utf-8")
    choose_files(page, "match", [signups, customers])
    for column in ("Imię", "Nazwisko", "Miasto", "Kod", "Telefon komórkowy", "Źródło"):
        page.check(f"#option-on input[value='{column}']")
    assert [page.input_value(f"#pair-{i}") for i in range(6)] == [
        "Imię", "Nazwisko", "Miejscowość", "Kod pocztowy", "Telefon", ""]


def test_whole_names_under_a_given_names_header_pair_with_given_name_and_surname(licensed_page, tmp_path):
    """Trial J: sign-ups' `Nome` (`Maria Silva`) against customers' `nome` (`Maria`) and
    `sobrenome`: the window proposed `Nome ↔ nome`, the given name alone."""
    page = licensed_page
    leads = tmp_path / "leads.csv"
    leads.write_text("Nome,Cidade\nMaria Silva,Campinas\nJoão Pereira,Santos\nAna Lima,Recife\n",
                     encoding="utf-8")
    customers = tmp_path / "clientes.csv"
    customers.write_text("nome;sobrenome;cidade\nMaria;Silva;Campinas\nJoão;Pereira;Santos\n"
                         "Ana Beatriz;Lima;Recife\nPedro;Costa;Natal\n", encoding="utf-8")
    choose_files(page, "match", [leads, customers])
    page.check("#option-on input[value='Nome']")
    page.check("#option-on input[value='Cidade']")
    assert page.input_value("#pair-0") == "nome + sobrenome"
    assert page.input_value("#pair-1") == "cidade"
    run_and_wait(page)
    page.wait_for_selector("#matches-list tbody tr")
