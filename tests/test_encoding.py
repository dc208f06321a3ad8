"""Encoding detection on the labelled corpus, and `fix_encoding` end to end."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from datatools.errors import BadInput, OutputExists
from datatools.tools.encoding import detect_encoding, fix_encoding, repair_mojibake
from encoding_corpus import build_corpus, decodes_right

CORPUS = build_corpus(include_large=True)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("sample", CORPUS, ids=[s.name for s in CORPUS])
def test_detection_decodes_every_corpus_file_back_to_its_text(sample, tmp_path):
    path = tmp_path / sample.name
    path.write_bytes(sample.data)
    report = detect_encoding(path)
    assert decodes_right(sample, report.encoding), (report.encoding, report.reason)
    assert report.verified


def test_large_file_with_first_accent_past_five_megabytes_is_cp1252(tmp_path):
    sample = next(s for s in CORPUS if s.name == "large-late-cp1252")
    assert len(sample.data) > 10_000_000
    assert sample.data.index(next(b for b in sample.data if b > 127).to_bytes(1, "big")) > 5_000_000
    path = tmp_path / "late.csv"
    path.write_bytes(sample.data)
    assert detect_encoding(path).encoding == "cp1252"


def test_report_has_exactly_the_contract_keys(tmp_path):
    path = tmp_path / "w.csv"
    path.write_bytes("name\nJosé Peña\nSøren\n".encode("cp1252"))
    data = detect_encoding(path).to_dict()
    assert list(data) == ["encoding", "confidence", "bom", "verified", "candidates"]
    assert data["encoding"] == "cp1252" and data["bom"] is False and data["verified"] is True
    assert all(set(c) == {"encoding", "confidence"} for c in data["candidates"])
    assert 0 < data["confidence"] <= 1


def test_bom_decides_and_is_reported(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffname\nKöln\n".encode("utf-16"))
    report = detect_encoding(path)
    assert (report.encoding, report.bom, report.confidence) == ("utf-16", True, 1.0)


def test_fix_reencodes_cp1252_to_utf8_and_leaves_the_input_alone(tmp_path):
    text = "name;price\nCrème brûlée;4 €\n“Peña” – Søren;½\n" * 1000
    source = tmp_path / "in.csv"
    source.write_bytes(text.encode("cp1252"))
    before = digest(source)
    report = fix_encoding(source, tmp_path / "out.csv")
    # A .csv OUT starts with a byte order mark, so Excel reads it as UTF-8 (DECISIONS 554).
    assert (tmp_path / "out.csv").read_bytes() == b"\xef\xbb\xbf" + text.encode("utf-8")
    assert report.source_encoding == "cp1252" and report.target_encoding == "utf-8-sig"
    assert report.bytes_read == source.stat().st_size
    assert digest(source) == before


def test_fix_refuses_to_overwrite_without_force(tmp_path):
    source, output = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_bytes("Köln\n".encode("cp1252"))
    output.write_text("keep me")
    with pytest.raises(OutputExists):
        fix_encoding(source, output)
    assert output.read_text() == "keep me"
    fix_encoding(source, output, force=True)
    assert output.read_text("utf-8-sig") == "Köln\n"


def test_fix_with_a_wrong_source_encoding_names_the_line_and_writes_nothing(tmp_path):
    source = tmp_path / "in.csv"
    source.write_bytes(b"a\nb\n\xff\xfe bad\n")
    with pytest.raises(BadInput, match="line 3"):
        fix_encoding(source, tmp_path / "out.csv", source_encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_fix_repairs_mojibake_and_shows_before_and_after(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("name\nCafÃ© crÃ¨me\nMÃ¼ller â€“ â‚¬12\nJoão\n", encoding="utf-8")
    report = fix_encoding(source, tmp_path / "out.csv", repair_mojibake=True)
    assert (tmp_path / "out.csv").read_text("utf-8-sig") == "name\nCafé crème\nMüller – €12\nJoão\n"
    assert report.samples[0] == {"before": "CafÃ© crÃ¨me", "after": "Café crème"}
    assert report.mojibake_repaired == 5


@pytest.mark.parametrize("damaged, repaired", [
    ("CafÃ© crÃ¨me", "Café crème"), ("ÃƒÂ©tÃƒÂ©", "été"), ("Ãlvaro", "Ãlvaro"),
    ("SÃ£o Paulo", "São Paulo"), ("Ã‰cole", "École"), ("São Paulo", "São Paulo"),
])
def test_mojibake_repair_undoes_only_real_damage(damaged, repaired):
    assert repair_mojibake(damaged)[0] == repaired


def test_a_character_the_target_cannot_hold_names_its_line(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("name\nAnn\nJosé\n€ sign\n", encoding="utf-8")
    with pytest.raises(BadInput, match=r"Line 4: '€' cannot be written in latin-1"):
        fix_encoding(source, tmp_path / "out.csv", target="latin-1")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_the_line_named_is_right_far_past_the_first_chunk(tmp_path):
    """The output is streamed, never reread: lines are counted as they are written."""
    source = tmp_path / "in.csv"
    source.write_text("name\n" + "Ann Berg\n" * 400_000 + "€ sign\n", encoding="utf-8")
    with pytest.raises(BadInput, match=r"Line 400002: '€' cannot be written in latin-1"):
        fix_encoding(source, tmp_path / "out.csv", source_encoding="utf-8", target="latin-1")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]
