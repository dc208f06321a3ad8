"""A column named for a state-issued identifier or a postcode is never a phone column; phone
columns are read by the same header words in profile and in dedupe/match; a person's own
state-issued number (CPF, DNI, PESEL …) vouches for a pair; an identifier that keeps a pair
possible is named (trial J: a São Paulo shop's `CPF`, `CEP` and `Celular`)."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest

from datatools.cli import main
from datatools.tools.column_kinds import _names_phone
from datatools.tools.profile import profile_table


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def _rows(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


SHOP = ("CPF,CNPJ,CEP,SSN,Celular\n"
        "013.710.406-56,11.222.333/0001-81,01310-100,078-05-1120,(11) 98765-4321\n"
        "01371040656,11222333000181,01310100,078051120,11 91234-5678\n"
        "284.387.711-30,45.997.418/0001-53,04538-133,219-09-9999,(11) 99608-4112\n")


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_clean_phones_leaves_identifier_and_postcode_columns_alone(tmp_path, engine):
    """`clean --phones --phone-region BR` rewrote a CPF as `+551371040656` (its leading 0
    lost); a column named for an ID or a postcode is no phone column, the phones are cleaned."""
    source = tmp_path / "clientes.csv"
    source.write_text(SHOP, encoding="utf-8")
    out = tmp_path / "out.csv"
    code, _, err = _run("clean", str(source), "--phones", "--phone-region", "BR", "--engine", engine,
                        "-q", "-o", str(out))
    assert code == 0, err
    rows = _rows(out)
    original = list(csv.DictReader(io.StringIO(SHOP)))
    for column in ("CPF", "CNPJ", "CEP", "SSN"):
        assert [r[column] for r in rows] == [r[column] for r in original], column
    assert [r["Celular"] for r in rows] == ["+5511987654321", "+5511912345678", "+5511996084112"]


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_profile_types_identifier_and_postcode_columns_as_codes(tmp_path, engine):
    source = tmp_path / "clientes.csv"
    source.write_text(SHOP, encoding="utf-8")
    code, out, err = _run("profile", str(source), "--engine", engine, "--json")
    assert code == 0, err
    types = {c["name"]: c["type"] for c in json.loads(out)["columns"]}
    assert types == {"CPF": "code", "CNPJ": "code", "CEP": "code", "SSN": "code", "Celular": "phone"}
    found = {c["name"]: c["suspicious"] for c in json.loads(out)["columns"]}
    assert found["CPF"] == {}          # written with and without its dots: one kind of value


PHONES = ["+55 11 98765-4321", "(11) 91234-5678", "+55 21 99608-4112", "(21) 3456-7890"]


@pytest.mark.parametrize("header", ["Celular", "Telefone", "Telemóvel", "telemovel", "Fone",
                                    "WhatsApp", "Cellulare", "Mobiel", "GSM", "Komórka",
                                    "Puhelin", "Matkapuhelin", "Mobil", "Natel", "携帯", "手机",
                                    "Cep telefonu"])
def test_profile_and_dedupe_agree_a_phone_header_holds_phones(header):
    """Profile typed `Celular` phone while dedupe/match did not read it as one (trial J)."""
    (column,) = profile_table(pd.DataFrame({header: PHONES})).columns
    assert (column.type, _names_phone(header)) == ("phone", True)


@pytest.mark.parametrize("header", ["CPF", "CNPJ", "RG", "CURP", "RFC", "DNI", "NIE", "NIF",
                                    "CUIT", "Codice fiscale", "NIR", "Personnummer", "CPR-nr",
                                    "Fødselsnummer", "PPS number", "National Insurance number",
                                    "SSN", "Aadhaar", "PESEL", "BSN", "AHV-Nr", "Steuer-ID",
                                    "マイナンバー", "주민등록번호", "身份证号", "CEP", "CAP", "PLZ",
                                    "NPA", "Código postal"])
def test_profile_and_dedupe_agree_an_identifier_header_holds_no_phones(header):
    (column,) = profile_table(pd.DataFrame({header: PHONES})).columns
    assert (column.type, _names_phone(header)) == ("code", False)


def _customers(header: str) -> str:
    rows = [f"nome,sobrenome,{header},e-mail,telefone,CEP,cidade,nascimento",
            "Maria,Correia,420.465.283-28,mariacorreia34@outlook.com,+55 11 98518-9696,01386-491,São Paulo,15/02/1978",
            "MALIA,CORREIA,42046528328,mariacorreia34@outlook.com,+55 11 98518-9696,01386-491,São Paulo,15/02/1978",
            "Ana,Santos,284.387.711-30,ana_santos29@hotmail.com,11989510195,01385-771,São Paulo,12/03/1973",
            "Antônio,de Souza,463.551.382-34,antonio_souza@gmail.com,(11) 99608-4112,00111-398,Santos,07/06/1996",
            "Beatriz,Lima,111.444.777-35,bia.lima@terra.com.br,(11) 97486-1505,13217-217,Campinas,24/02/1953",
            "Carlos,Pereira,529.982.247-25,cpereira@uol.com.br,(11) 93322-1100,07624-355,Guarulhos,20/05/1968"]
    return "\n".join(rows) + "\n"


def _dedupe(tmp_path, header: str) -> list[dict[str, str]]:
    source = tmp_path / "clientes.csv"
    source.write_text(_customers(header), encoding="utf-8")
    out = tmp_path / "grouped.csv"
    code, _, err = _run("dedupe", str(source), "--columns",
                        f"nome,sobrenome,{header},e-mail,telefone,CEP,cidade,nascimento", "-q", "-o", str(out))
    assert code == 0, err
    return _rows(out)


@pytest.mark.parametrize("header", ["CPF", "DNI", "Personnummer", "Steuer-ID", "주민등록번호"])
def test_a_shared_state_issued_personal_number_vouches_for_two_given_names(tmp_path, header):
    """`Maria`/`MALIA Correia` sharing CPF, e-mail, phone and birthday were kept apart on the
    shop's list (two given names in common use a letter apart; trial J's learned run); an SSN
    vouched for them, a CPF did not. Here the name rule no longer holds the pair back."""
    rows = _dedupe(tmp_path, header)
    assert rows[0]["cluster_id"] and rows[0]["cluster_id"] == rows[1]["cluster_id"]
    assert "names read as two people" not in rows[0]["match_reason"], rows[0]["match_reason"]


def test_a_firms_number_does_not_vouch_for_two_given_names(tmp_path):
    """A CNPJ is a firm's: its staff share it, so the name rule still holds the pair back."""
    rows = _dedupe(tmp_path, "CNPJ")
    assert rows[0]["match_reason"].startswith("row 2: possible (their names read as two people)")


TWO_MARIAS = ("name,email,city,CPF\n"
              "Maria Silva,maria.silva@example.com,Campinas,01371040656\n"
              "Maria Silva,maria.silva@example.com,Campinas,28438771130\n"
              "João Souza,joao@example.com,Santos,46355138234\n"
              "Ana Lima,ana@example.com,Recife,12345678909\n")


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_a_pair_held_back_by_an_identifier_names_it(tmp_path, engine):
    source = tmp_path / "clientes.csv"
    source.write_text(TWO_MARIAS, encoding="utf-8")
    out = tmp_path / "grouped.csv"
    code, _, err = _run("dedupe", str(source), "--columns", "name,email,city,CPF", "--engine", engine,
                        "-q", "-o", str(out))
    assert code == 0, err
    reason = _rows(out)[0]["match_reason"]
    assert reason.startswith("row 2: possible (identifier CPF differs); "), reason


def test_a_match_held_back_by_an_identifier_names_it(tmp_path):
    left, right = tmp_path / "leads.csv", tmp_path / "clientes.csv"
    left.write_text("name,email,city,CPF\nMaria Silva,maria.silva@example.com,Campinas,01371040656\n",
                    encoding="utf-8")
    right.write_text(TWO_MARIAS.replace(",01371040656\n", ",99988877766\n"), encoding="utf-8")
    out = tmp_path / "matched.csv"
    code, _, err = _run("match", str(left), str(right), "--on", "name,email,city,CPF", "-q", "-o", str(out))
    assert code == 0, err
    reason = _rows(out)[0]["match_reason"]
    assert "possible (identifier CPF differs)" in reason, reason
