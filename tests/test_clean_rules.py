"""Clean's rules per column: each column gets the options that fit what it holds, its own rules
win, title case leaves codes and legal forms alone, and the counts are the cells that changed."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from cli_process import datatools
from datatools.errors import BadInput
from datatools.tools.clean import CleanOptions, clean_table, plan_clean
from datatools.tools.clean_rules import column_kind, title_case

CASES = Path(__file__).resolve().parent / "data" / "field_cases"


def frame(**columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({k: pd.Series(v, dtype="str") for k, v in columns.items()})


@pytest.mark.parametrize("written, titled", [
    ("LS2 9HQ", "LS2 9HQ"),
    ("flat 2b, 14 high street", "Flat 2b, 14 High Street"),
    ("MÜLLER BAU GMBH", "Müller Bau GmbH"),
    ("becker druck gmbh & co. kg", "Becker Druck GmbH & Co. KG"),
    ("siemens ag", "Siemens AG"),
    ("IBM Deutschland GmbH", "IBM Deutschland GmbH"),
    ("schreinerei holz kg", "Schreinerei Holz KG"),
    ("ACME LTD", "Acme Ltd"),
    ("förderverein e.v.", "Förderverein e.V."),
    ("sean mcdonald", "Sean McDonald"),
    ("SEAN MCDONALD", "Sean McDonald"),
    ("McDonald", "McDonald"),
    ("siobhan o'neil", "Siobhan O'Neil"),
    ("O'NEIL", "O'Neil"),
    ("jan van der berg", "Jan van der Berg"),
    ("VAN DER BERG", "Van der Berg"),
    ("Jan Van Der Berg", "Jan Van Der Berg"),       # written with care: kept
    ("anna-lena smith-jones", "Anna-Lena Smith-Jones"),
    ("Jean DUPONT", "Jean Dupont"),
    ("john's bakery", "John's Bakery"),
    ("as good as new", "As Good As New"),           # "as" is a word here, not a legal form
    ("FRANKFURT AM MAIN", "Frankfurt am Main"),     # small words inside place names
    ("neustadt an der weinstraße", "Neustadt an der Weinstraße"),
    ("ROTHENBURG OB DER TAUBER", "Rothenburg ob der Tauber"),
    ("HALLE (SAALE)", "Halle (Saale)"),             # a word after a bracket starts with a capital
    ("nguyen an", "Nguyen An"),                     # a name ending in such a word keeps its capital
    ("c/o anna schmidt", "c/o Anna Schmidt"),       # "care of" as the post writes it
    ("C/O ANNA SCHMIDT", "c/o Anna Schmidt"),
    ("Thomas sen.", "Thomas sen."),                  # German generational suffixes stay small
    ("ANDREAS SCHMIDT JUN.", "Andreas Schmidt jun."),
    ("andreas jun. schmidt", "Andreas jun. Schmidt"),
    ("jun li", "Jun Li"),                            # without the dot, Jun is a given name
    ("li jun", "Li Jun"),
    ("MC DONALDS", "Mc Donalds"),                   # Mc is a word, not capitals without a vowel
    ("mc donalds", "Mc Donalds"),
    ("DR MÜLLER", "Dr Müller"),
    ("12 MAIN ST", "12 Main St"),
    ("JACKSON MS", "Jackson MS"),                   # last in a value: a state code, not Ms
    ("müller/schmidt gbr", "Müller/Schmidt GbR"),   # both halves, as with a hyphen
])
def test_title_case_capitalises_words_and_keeps_codes_acronyms_and_legal_forms(written, titled):
    assert title_case(written) == titled


@pytest.mark.parametrize("name, values, kind", [
    ("postcode", ["LS2 9HQ", "EH1 1YZ", "SW1A 1AA", "D02 X285", "g2 3ax"], "code"),
    ("customer", ["C-00123", "C-00124", "C-00125"], "code"),
    ("sku", ["SKU-4471-BLK", "SKU-4472-WHT", "AB-12"], "code"),
    ("plz", ["01067", "80331", "10115"], "code"),
    ("country", ["GB", "DE", "IE", "USA"], "code"),            # short capitals: ISO codes
    ("kundennummer", ["AX", "BQ", "Nord"], "code"),            # the name says it, no words inside
    ("first", ["ANN", "BOB", "Mary", "Siobhan", "Jo"], "text"),
    ("name", ["Anna Schmidt", "Sean McDonald"], "text"),
    ("street", ["14 High Street", "Flat 2b Mill Lane"], "text"),  # digits, but words
    ("email", ["ann@example.com", "Bob@Example.CO.UK"], "email"),
    ("amount", ["1.234,50", "12,5"], "decimal"),
])
def test_a_column_kind_comes_from_its_values_and_codes_are_told_from_words(name, values, kind):
    assert column_kind(name, pd.Series(values, dtype="str"))[0] == kind


def test_file_wide_title_case_changes_words_and_leaves_codes_ids_and_emails():
    before = frame(customer_id=["C-00123", "c-00124"], name=["ann o'neil", "SEAN MCDONALD"],
                   company=["MÜLLER GMBH", "schneider logistik ag"], postcode=["ls2 9hq", "EH1 1YZ"],
                   email=["Ann@Example.com", "sean@example.co.uk"], sku=["SKU-4471-BLK", "sku-4472-wht"])
    after, report = clean_table(before, CleanOptions(case="title"))
    assert after.to_dict("list") == {
        "customer_id": ["C-00123", "c-00124"], "name": ["Ann O'Neil", "Sean McDonald"],
        "company": ["Müller GmbH", "Schneider Logistik AG"], "postcode": ["ls2 9hq", "EH1 1YZ"],
        "email": ["Ann@Example.com", "sean@example.co.uk"], "sku": ["SKU-4471-BLK", "sku-4472-wht"]}
    assert {name: c.kind for name, c in report.columns.items()} == {
        "customer_id": "code", "name": "text", "company": "text", "postcode": "code", "email": "email",
        "sku": "code"}
    assert {name: c.held for name, c in report.columns.items() if c.held} == {
        "customer_id": {"case": "not_words"}, "postcode": {"case": "not_words"},
        "email": {"case": "not_words"}, "sku": {"case": "not_words"}}
    # Told only where holding back spared cells: title case keeps C-00123 and LS2 9HQ anyway.
    assert {name: c.spared for name, c in report.columns.items() if c.spared} == {"email": {"case": (1, "sean@example.co.uk")}}
    assert report.notes == [
        "Capitalisation left as it is in email: they hold codes, numbers, dates, e-mail addresses or "
        "phone numbers, not words (e.g. 'sean@example.co.uk'). Give a column its own rule to change it anyway."]
    assert (report.notes[0].code, report.notes[0].params["columns"]) == ("clean_case_held", "email")
    _, shouted = clean_table(before, CleanOptions(case="upper"))
    assert shouted.notes[0].params["columns"] == "customer_id, postcode, email, sku"


def test_a_columns_own_rules_win_over_the_file_and_over_its_kind():
    before = frame(postcode=["ls2 9hq", "eh1 1yz"], name=["ANN LEE-SMITH", "bo diaz"],
                   joined=["03/04/2024", "05/06/2024"], email=["A@B.COM", "c@d.org"])
    after, report = clean_table(before, CleanOptions(case="title", emails=True, date_format="iso", rules={
        "postcode": {"case": "upper"}, "name": {"case": "keep"}, "joined": {"dates": "day-first"},
        "email": {"emails": "off"}}))
    assert after.to_dict("list") == {"postcode": ["LS2 9HQ", "EH1 1YZ"], "name": ["ANN LEE-SMITH", "bo diaz"],
                                     "joined": ["2024-04-03", "2024-06-05"], "email": ["A@B.COM", "c@d.org"]}
    # Its own case rule ran; the file-wide e-mail rule found no e-mail addresses there.
    assert report.columns["postcode"].own == ["case"]
    assert report.columns["postcode"].held == {"emails": "no_emails"}
    assert report.columns["postcode"].samples == {"case": [["ls2 9hq", "LS2 9HQ"], ["eh1 1yz", "EH1 1YZ"]]}


def test_a_column_with_its_own_rules_is_cleaned_even_when_columns_leaves_it_out():
    before = frame(name=["ann lee"], postcode=["ls2 9hq"], city=["  leeds "])
    after, _ = clean_table(before, CleanOptions(columns=["name"], case="title",
                                                rules={"postcode": {"case": "upper"}}))
    assert after.iloc[0].tolist() == ["Ann Lee", "LS2 9HQ", "  leeds "]


def test_numbers_leave_code_columns_alone_unless_the_column_asks():
    before = frame(article=["012.345", "000.120"], price=["1.234,50", "12,5"])
    after, report = clean_table(before, CleanOptions(number_format="point", numbers="auto"))
    assert after.to_dict("list") == {"article": ["012.345", "000.120"], "price": ["1234.50", "12.5"]}
    assert report.columns["article"].held == {"numbers": "codes"}
    after, _ = clean_table(before, CleanOptions(number_format="point", numbers="auto", rules={"article": {"numbers": "comma"}}))
    assert after["article"].tolist() == ["012345", "000120"]


def test_counts_are_the_cells_that_really_changed():
    emails = [f"person{i}@example.com" for i in range(995)] + [f"Person{i}@Example.COM" for i in range(5)]
    after, report = clean_table(frame(email=emails, name=["Ann"] * 1000), CleanOptions(emails=True, case="title"))
    assert report.changes == {"email": {"email": 5}}
    assert report.cells == {"email": 5} and report.cells_changed == 5
    assert report.columns["name"].steps == {} and report.columns["name"].cells == 0


def test_a_rule_for_a_missing_column_or_a_wrong_value_names_the_column_and_the_rule():
    with pytest.raises(BadInput, match="No column 'postcod'"):
        clean_table(frame(postcode=["LS2 9HQ"]), CleanOptions(rules={"postcod": {"case": "upper"}}))
    with pytest.raises(BadInput, match=r"Column 'postcode': case must be one of lower, upper, title, keep, not 'caps'"):
        clean_table(frame(postcode=["LS2 9HQ"]), CleanOptions(rules={"postcode": {"case": "caps"}}))
    with pytest.raises(BadInput, match=r"Column 'postcode': there is no rule 'kase'"):
        clean_table(frame(postcode=["LS2 9HQ"]), CleanOptions(rules={"postcode": {"kase": "upper"}}))


def test_the_plan_shows_each_columns_kind_rules_and_a_sample_without_changing_anything():
    before = frame(name=["ann o'neil"] * 5000, postcode=["ls2 9hq"] * 5000)
    plan = plan_clean(before, CleanOptions(case="title"))
    assert plan.rows == 2000
    assert plan.columns["name"].samples["case"][0] == ["ann o'neil", "Ann O'Neil"]
    assert plan.columns["postcode"].held == {"case": "not_words"}
    assert before["name"].iat[0] == "ann o'neil"


def test_field_case_mixed_customer_list_keeps_its_codes_under_title_case():
    """tests/data/field_cases/clean_mixed_customers.csv: README gives the right answer."""
    from datatools.io import read_table

    source = read_table(CASES / "clean_mixed_customers.csv").frame
    after, _ = clean_table(source, CleanOptions(case="title"))
    assert after.to_dict("list") == {
        "Kundennr": ["K-000187", "K-000188", "K-000189", "K-000190"],
        "Firma": ["Bäckerei Schulze GmbH & Co. KG", "IBM Deutschland GmbH", "Holzbau Maier AG",
                  "O'Brien & McCarthy Ltd"],
        "Ansprechpartner": ["Jürgen van der Meer", "Eileen O'Sullivan", "Hamish MacLeod", "Seán Ó Briain"],
        "PLZ": ["01067", "80331", "D02 X285", "EH1 1YZ"],
        "E-Mail": ["J.vanderMeer@Schulze-Backwaren.de", "eileen.osullivan@ibm.example", "hm@holzbau.example",
                   "SEAN@OBRIEN.example"],
    }


# --------------------------------------------------------------------------- the command line


@pytest.fixture
def customers(tmp_path) -> Path:
    path = tmp_path / "customers.csv"
    path.write_text("customer_id,name,company,postcode\n"
                    "C-00123,ann o'neil,MÜLLER BAU GMBH,ls2 9hq\n"
                    "C-00124,SEAN MCDONALD,siemens ag,EH1 1YZ\n", encoding="utf-8")
    return path


def test_cli_column_rules_reach_the_file_and_title_case_spares_the_codes(customers, tmp_path):
    done = datatools("clean", "customers.csv", "--case", "title", "--column", "postcode:case=upper",
                     "-o", "out.csv", "--quiet", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out.csv").read_text("utf-8") == (
        "customer_id,name,company,postcode\n"
        "C-00123,Ann O'Neil,Müller Bau GmbH,LS2 9HQ\n"
        "C-00124,Sean McDonald,Siemens AG,EH1 1YZ\n")


def test_cli_title_case_writes_care_of_small_and_mc_as_a_word(tmp_path):
    (tmp_path / "post.csv").write_text("name,address\nMC DONALDS,C/O ANNA SCHMIDT\n"
                                       "mc donalds,c/o jan van der berg\nDR MÜLLER,12 MAIN ST\n",
                                       encoding="utf-8")
    done = datatools("clean", "post.csv", "--case", "title", "-o", "out.csv", "--quiet", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out.csv").read_text("utf-8") == (
        "name,address\nMc Donalds,c/o Anna Schmidt\nMc Donalds,c/o Jan van der Berg\n"
        "Dr Müller,12 Main St\n")


def test_cli_plan_prints_each_columns_kind_and_rules_and_writes_nothing(customers, tmp_path):
    done = datatools("clean", "customers.csv", "--case", "title", "--column", "company:case=keep",
                     "--plan", "--quiet", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "(* a rule you gave" not in done.stdout      # no rule of the user's shows a mark
    marked = datatools("clean", "customers.csv", "--column", "postcode:case=lower", "--plan", cwd=tmp_path)
    assert "  postcode (code): tidy, case=lower*" in marked.stdout.splitlines()
    assert marked.stdout.splitlines()[-1] == "  (* a rule you gave that column with --column)"
    assert done.stdout.splitlines()[:6] == [
        "What clean would do (from 2 rows):",
        "  customer_id (code): tidy",
        "  name (text): tidy, case=title",
        "    case: \"ann o'neil\" → \"Ann O'Neil\"",
        "  company (text): tidy",
        "  postcode (code): tidy",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["customers.csv"]
    data = json.loads(datatools("clean", "customers.csv", "--case", "title", "--plan", "--json",
                                cwd=tmp_path).stdout)
    assert data["columns"]["postcode"]["held"] == {"case": "not_words"}


@pytest.mark.parametrize("rule, message", [
    ("postcode:case=capitals", "datatools: Column 'postcode': case must be one of lower, upper, title, keep, not 'capitals'."),
    ("postcode:kase=upper", "datatools: Column 'postcode': there is no rule 'kase'; the rules are trim, invisible, "
                            "empty_values, unicode_nfc, case, dates, numbers, phones, phone_region, emails."),
    ("postcode:phones=maybe", "datatools: Column 'postcode': phones must be on or off, not 'maybe'."),
    ("postcode", "datatools: --column needs NAME:rule=value (such as postcode:case=keep), not 'postcode'."),
    ("postcod:case=upper", "datatools: No column 'postcod'; the columns are: customer_id, name, "
                           "company, postcode."),
])
def test_cli_a_wrong_column_rule_names_the_column_and_the_rule_and_writes_nothing(customers, tmp_path, rule, message):
    done = datatools("clean", "customers.csv", "--column", rule, "-o", "out.csv", "--quiet", cwd=tmp_path)
    assert (done.returncode, done.stderr.strip().splitlines()[-1]) == (2, message)
    assert not (tmp_path / "out.csv").exists()


def test_cli_help_explains_column_rules_with_an_example(tmp_path):
    text = datatools("clean", "--help", cwd=tmp_path).stdout
    assert "--column RULES" in text and "give one column its own rules, NAME:rule=value" in text
    assert "datatools clean customers.csv --case title --column postcode:case=upper" in text


@pytest.mark.parametrize("value, expected", [
    ("HSBC UK Bank plc", "HSBC UK Bank PLC"),     # capitals up to four letters beside small ones
    ("BBC STUDIOS", "BBC Studios"),               # no word is written without a vowel
    ("KPMG LLP", "KPMG LLP"),
    ("AT&T", "AT&T"),
    ("H&M HENNES", "H&M Hennes"),
    ("JOHN SMITH", "John Smith"),                 # shouted words still change
])
def test_title_case_keeps_acronyms_it_can_tell_from_words(value, expected):
    assert title_case(value) == expected


def test_title_case_keeps_an_acronym_the_column_writes_beside_small_letters(tmp_path):
    frame = pd.DataFrame({"company": ["IBM Deutschland GmbH", "IBM UK", "ACME TRADING"]})
    cleaned, _ = clean_table(frame, CleanOptions(case="title"))
    assert cleaned["company"].tolist() == ["IBM Deutschland GmbH", "IBM Uk", "Acme Trading"]


def test_cli_plan_shows_the_phone_region_only_where_phones_are_rewritten(tmp_path):
    # trial A: `--phones --phone-region DE --plan` listed phone_region=DE on the customer number
    # and the turnover too, as if it changed them
    (tmp_path / "k.csv").write_text("Kundennr,Name,Telefon\nK-1001,Anna Meyer,0351 9824017\n"
                                    "K-1002,Jonas Roth,030 1234567\n", encoding="utf-8")
    done = datatools("clean", "k.csv", "--phones", "--phone-region", "DE", "--plan", "--quiet", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "  Kundennr (code): tidy" in lines and "  Name (text): tidy" in lines
    assert "  Telefon (phone): tidy, phones, phone_region=DE" in lines
