"""DTLIC2 contract: exact bytes, independent cross-checks, tampering, paste mangling, key files."""

from __future__ import annotations

import base64
import json
import os
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

import contract_codec
import ed25519_reference
from datatools import license as codec
from datatools import license_keys

SEED = bytes(range(32))
KAT_PAYLOAD = {
    "lid": "DT-0001", "product": "datatools", "tier": "pro", "seats": 2,
    "name": "José Müller-Łukasz", "email": "jose@example.com", "issued": "2026-11-23",
    "updates_until": "2027-11-23", "expires": None,
}
# Computed once with the pure-Python reference (tests/contract_codec.py) and frozen here: any
# change to canonical JSON, base64url or the signed bytes changes this string.
KAT_BLOB = (
    "DTLIC2:eyJlbWFpbCI6Impvc2VAZXhhbXBsZS5jb20iLCJleHBpcmVzIjpudWxsLCJpc3N1ZWQiOiIyMDI2LTExLTIz"
    "Iiwia2lkIjoia2F0LTEiLCJsaWQiOiJEVC0wMDAxIiwibmFtZSI6Ikpvc8OpIE3DvGxsZXItxYF1a2FzeiIsInByb2R1"
    "Y3QiOiJkYXRhdG9vbHMiLCJzZWF0cyI6MiwidGllciI6InBybyIsInVwZGF0ZXNfdW50aWwiOiIyMDI3LTExLTIzIiwi"
    "diI6Mn0.RgPqbuXEOVKlm4vyZpXjEHc7xAuV-wJzOAXlsPTnDsoaxnHR4RDh-wTYwMsRL8e9VkAzcxeLrSHzxG3wIRBpCQ"
)
TODAY = date(2026, 11, 23)
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(SEED)


@pytest.fixture(scope="module")
def keyring(key) -> codec.Keyring:
    return codec.Keyring(keys={"kat-1": key.public_key()})


def verify(blob, keyring, **overrides):
    options = {"product": "datatools", "today": TODAY, "release_date": TODAY, **overrides}
    return codec.verify_blob(blob, keyring, **options)


def error_code(blob, keyring, **overrides) -> str:
    with pytest.raises(codec.LicenseError) as caught:
        verify(blob, keyring, **overrides)
    return caught.value.code


# ----------------------------------------------------------------- exact bytes and cross-checks


def test_reference_ed25519_matches_rfc8032_test_1():
    secret = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
    assert ed25519_reference.public_key(secret).hex() == (
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
    assert ed25519_reference.sign(secret, b"").hex() == (
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")


def test_known_answer_blob_is_exact(key):
    assert codec.mint_blob(KAT_PAYLOAD, key, "kat-1") == KAT_BLOB


def test_minting_is_deterministic(key):
    assert codec.mint_blob(KAT_PAYLOAD, key, "kat-1") == codec.mint_blob(dict(KAT_PAYLOAD), key, "kat-1")


def test_known_answer_blob_verifies_to_its_fields(keyring):
    record = verify(KAT_BLOB, keyring)
    assert record == codec.License(
        v=2, kid="kat-1", lid="DT-0001", product="datatools", tier="pro", seats=2,
        name="José Müller-Łukasz", email="jose@example.com", issued=date(2026, 11, 23),
        updates_until=date(2027, 11, 23), expires=None,
    )


def test_contract_implementation_verifies_our_blobs(key):
    fields = {**KAT_PAYLOAD, "name": "Ørjan Ålesund 山田太郎", "lid": "DT-9"}
    blob = codec.mint_blob(fields, key, "kat-1")
    public = ed25519_reference.public_key(SEED)
    assert contract_codec.verify(blob, public) == {**fields, "v": 2, "kid": "kat-1"}


def test_we_verify_blobs_from_the_contract_implementation(keyring):
    payload = {**KAT_PAYLOAD, "v": 2, "kid": "kat-1", "name": "Chloé O’Brien", "future": [1, 2]}
    blob = contract_codec.mint(payload, SEED)
    record = verify(blob, keyring)
    assert record.name == "Chloé O’Brien"  # unknown extra fields are ignored


@given(name=st.text(min_size=1, max_size=40).filter(lambda s: s.strip() == s and s))
@settings(max_examples=60, deadline=None)
def test_non_ascii_names_round_trip(name):
    key = Ed25519PrivateKey.from_private_bytes(SEED)
    ring = codec.Keyring(keys={"kat-1": key.public_key()})
    blob = codec.mint_blob({**KAT_PAYLOAD, "name": name}, key, "kat-1")
    assert blob.isascii()
    assert verify(blob, ring).name == name


# ----------------------------------------------------------------- tampering, byte class by class


def test_prefix_tampering(keyring):
    body = KAT_BLOB[len("DTLIC2:"):]
    assert error_code("DTLIX2:" + body, keyring) == "not_a_license"
    assert error_code("DTLIC2" + body, keyring) == "not_a_license"
    assert error_code(body, keyring) == "not_a_license"
    assert error_code("DTLIC3:" + body, keyring) == "unsupported_version"
    assert error_code("DTLIC1:" + body, keyring) == "unsupported_version"
    assert verify("dtlic2:" + body, keyring).lid == "DT-0001"  # the prefix's case is forgiven


def test_separator_tampering(keyring):
    body, sig = KAT_BLOB.split(".")
    for mangled in (body + sig, body + ".." + sig, body + "," + sig, body + "." + sig + ".x",
                    body + ".", "DTLIC2:." + sig):
        assert error_code(mangled, keyring) == "malformed", mangled


def _expected_for_payload(payload_text: str) -> str:
    """What a tampered payload must produce, judged independently with the stdlib."""
    try:
        raw = base64.urlsafe_b64decode(payload_text + "=" * (-len(payload_text) % 4))
        canonical = base64.urlsafe_b64encode(raw).decode().rstrip("=") == payload_text
        obj = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return "malformed"
    if not canonical or not isinstance(obj, dict) or not isinstance(obj.get("kid"), str):
        return "malformed"
    return "bad_signature" if obj["kid"] == "kat-1" else "unknown_key"


ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def test_every_payload_character_change_is_caught(keyring):
    body, sig = KAT_BLOB[len("DTLIC2:"):].split(".")
    for i, old in enumerate(body):
        new = ALPHABET[(ALPHABET.index(old) + 17) % 64]
        tampered = body[:i] + new + body[i + 1:]
        assert error_code(f"DTLIC2:{tampered}.{sig}", keyring) == _expected_for_payload(tampered), i


def test_every_signature_character_change_is_caught(keyring):
    body, sig = KAT_BLOB.split(".")
    for i, old in enumerate(sig):
        for shift in (1, 32):
            new = ALPHABET[(ALPHABET.index(old) + shift) % 64]
            tampered = sig[:i] + new + sig[i + 1:]
            raw = base64.urlsafe_b64decode(tampered + "==")
            canonical = base64.urlsafe_b64encode(raw).decode().rstrip("=") == tampered
            expected = "bad_signature" if canonical else "malformed"
            assert error_code(f"{body}.{tampered}", keyring) == expected, (i, shift)


def test_invalid_characters_and_truncation_are_malformed(keyring):
    body, sig = KAT_BLOB.split(".")
    assert error_code(f"{body}.{sig[:-1]}", keyring) == "malformed"
    assert error_code(f"{body}.{sig}AA", keyring) == "malformed"
    assert error_code(f"{body}.{sig[:40]}+/{sig[42:]}", keyring) == "malformed"
    assert error_code(f"{body[:-7]}.{sig}", keyring) in {"malformed"}
    assert error_code(f"{body}=.{sig}", keyring) == "malformed"


def test_edited_payload_with_valid_json_is_a_bad_signature(keyring):
    body, sig = KAT_BLOB[len("DTLIC2:"):].split(".")
    payload = json.loads(base64.urlsafe_b64decode(body + "==").decode())
    payload["seats"] = 500
    forged = codec.b64url_encode(codec.canonical_json(payload).encode())
    assert error_code(f"DTLIC2:{forged}.{sig}", keyring) == "bad_signature"


def test_other_key_ids(key):
    blob = codec.mint_blob(KAT_PAYLOAD, key, "kat-1")
    other = Ed25519PrivateKey.generate().public_key()
    assert error_code(blob, codec.Keyring(keys={"other": other})) == "unknown_key"
    denied = codec.Keyring(keys={"kat-1": key.public_key()}, denied=frozenset({"kat-1"}))
    assert error_code(blob, denied) == "denied_key"
    impostor = codec.Keyring(keys={"kat-1": other})
    assert error_code(blob, impostor) == "bad_signature"


def test_signed_but_invalid_fields_are_malformed(keyring):
    for change in ({"seats": 0}, {"seats": "1"}, {"issued": "23/11/2026"},
                   {"expires": "2026-02-30"}, {"name": ""}):
        payload = {**KAT_PAYLOAD, "v": 2, "kid": "kat-1", **change}
        assert error_code(contract_codec.mint(payload, SEED), keyring) == "malformed", change
    missing = {k: v for k, v in KAT_PAYLOAD.items() if k != "email"}
    assert error_code(contract_codec.mint({**missing, "v": 2, "kid": "kat-1"}, SEED), keyring) == "malformed"
    not_an_object = "DTLIC2:" + codec.b64url_encode(b"[1,2]")
    sig = codec.b64url_encode(ed25519_reference.sign(SEED, (not_an_object).encode()))
    assert error_code(f"{not_an_object}.{sig}", keyring) == "malformed"


def test_signed_future_version_is_unsupported(keyring):
    blob = contract_codec.mint({**KAT_PAYLOAD, "v": 3, "kid": "kat-1"}, SEED)
    assert error_code(blob, keyring) == "unsupported_version"


def test_product_expiry_and_updates_window(key, keyring):
    assert error_code(KAT_BLOB, keyring, product="othertool") == "wrong_product"
    expiring = codec.mint_blob({**KAT_PAYLOAD, "expires": "2026-12-31"}, key, "kat-1")
    assert verify(expiring, keyring, today=date(2026, 12, 31)).expires == date(2026, 12, 31)
    assert error_code(expiring, keyring, today=date(2027, 1, 1)) == "expired"
    # updates_until 2027-11-23: releases up to that day are covered, later ones are not.
    assert verify(KAT_BLOB, keyring, release_date=date(2027, 11, 23)).tier == "pro"
    assert error_code(KAT_BLOB, keyring, release_date=date(2027, 11, 24)) == "updates_ended"
    # An old release keeps working long after the window, because only the release date counts.
    assert verify(KAT_BLOB, keyring, today=date(2031, 1, 1), release_date=date(2027, 1, 1)).seats == 2


def test_every_error_has_a_distinct_code_and_a_sentence():
    # The codec's own errors; the window's activation adds "empty" (nothing pasted) on top, in
    # datatools/app/activation.py, which other tests import first.
    classes = [cls for cls in codec.LicenseError.__subclasses__() if cls.__module__ == codec.__name__]
    codes = {cls.code for cls in classes}
    assert codes == {"not_a_license", "unsupported_version", "malformed", "unknown_key",
                     "denied_key", "bad_signature", "wrong_product", "expired", "updates_ended",
                     "revoked"}


def test_minting_refuses_invalid_fields(key):
    with pytest.raises(codec.Malformed):
        codec.mint_blob({**KAT_PAYLOAD, "seats": 0}, key, "kat-1")
    with pytest.raises(codec.Malformed):
        codec.mint_blob({k: v for k, v in KAT_PAYLOAD.items() if k != "tier"}, key, "kat-1")


def test_minting_accepts_date_objects(key):
    fields = {**KAT_PAYLOAD, "issued": date(2026, 11, 23), "updates_until": date(2027, 11, 23)}
    assert codec.mint_blob(fields, key, "kat-1") == KAT_BLOB


# ----------------------------------------------------------------- paste mangling


def _wrap(text: str, width: int) -> list[str]:
    return [text[i:i + width] for i in range(0, len(text), width)]


@pytest.mark.parametrize("mangle", [
    lambda b: "\n".join(_wrap(b, 60)),
    lambda b: "\r\n".join(_wrap(b, 76)) + "\r\n",
    lambda b: "\n".join("> " + line for line in _wrap(b, 72)),
    lambda b: "\n".join(">> " + line for line in _wrap(b, 40)),
    lambda b: "\n".join(">" + line for line in _wrap(b, 50)),
    lambda b: f'"{b}"',
    lambda b: f"“{b}”",
    lambda b: f"  '{b}'  \n",
    lambda b: "\t" + " ".join(_wrap(b, 8)),
    lambda b: b.replace("DTLIC2:", "dtlic2:"),
    lambda b: "\u00a0" + b + "\u2028",
], ids=["wrap60", "crlf", "quoted", "double-quoted", "tight-quote", "quotes", "smart-quotes",
        "single-quotes", "spaced", "lowercase-prefix", "unicode-spaces"])
def test_pasted_blob_survives_mail_clients(mangle, keyring):
    assert verify(mangle(KAT_BLOB), keyring).lid == "DT-0001"


@given(cuts=st.lists(st.tuples(st.integers(min_value=0), st.sampled_from([" ", "\n", "\r\n", "\t", "\n> "])),
                     max_size=12),
       name=st.text(min_size=1, max_size=30).filter(lambda s: s.strip() == s))
@settings(max_examples=150, deadline=None)
def test_whitespace_anywhere_verifies_to_the_same_license(cuts, name):
    key = Ed25519PrivateKey.from_private_bytes(SEED)
    ring = codec.Keyring(keys={"kat-1": key.public_key()})
    blob = codec.mint_blob({**KAT_PAYLOAD, "name": name}, key, "kat-1")
    expected = verify(blob, ring)
    mangled = blob
    for position, gap in cuts:
        position %= len(mangled) + 1
        mangled = mangled[:position] + gap + mangled[position:]
    assert verify(mangled, ring) == expected


@pytest.mark.parametrize("text", ["", "   ", "hello", "license: 1234-5678", "DTLIC", "\x00\x01"])
def test_text_that_is_not_a_license(text, keyring):
    assert error_code(text, keyring) == "not_a_license"


# ----------------------------------------------------------------- any input: only the codec's errors


def _blob_with_payload(payload: bytes, signature: bytes = bytes(64)) -> str:
    return f"DTLIC2:{codec.b64url_encode(payload)}.{codec.b64url_encode(signature)}"


@pytest.mark.parametrize("depth", [10_000, 200_000])
def test_deeply_nested_payload_is_malformed_not_a_recursion_error(keyring, depth):
    blob = _blob_with_payload(b"[" * depth + b"]" * depth)
    assert error_code(blob, keyring) == "malformed"
    nested_object = b'{"kid":' * depth + b"1" + b"}" * depth
    assert error_code(_blob_with_payload(nested_object), keyring) == "malformed"


def test_keyring_of_deeply_nested_json_is_a_value_error():
    with pytest.raises(ValueError):
        codec.Keyring.from_json("[" * 200_000 + "]" * 200_000)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20)


@given(payload=st.one_of(st.binary(max_size=200), JSON_VALUES.map(lambda v: json.dumps(v).encode()),
                         st.dictionaries(st.sampled_from(sorted(codec._FIELDS) + ["x"]), JSON_VALUES)
                         .map(lambda d: json.dumps(d).encode())),
       signature=st.binary(min_size=0, max_size=80))
@settings(max_examples=300, deadline=None)
def test_any_payload_and_signature_raise_only_license_errors(payload, signature):
    ring = codec.Keyring(keys={"kat-1": Ed25519PrivateKey.from_private_bytes(SEED).public_key()})
    with pytest.raises(codec.LicenseError):
        verify(_blob_with_payload(payload, signature), ring)


@given(text=st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_any_text_raises_only_license_errors(text, keyring):
    with pytest.raises(codec.LicenseError):
        verify("DTLIC2:" + text, keyring)


def test_importing_the_codec_loads_nothing_else_of_datatools():
    """The daemon imports the codec: it must stay standard library + cryptography (DESIGN.md)."""
    probe = ("import sys, datatools.license; "
             "print(sorted(m for m in sys.modules if m.split('.')[0] in ('datatools', 'licensed')))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                            cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}).stdout
    assert json.loads(loaded.replace("'", '"')) == ["datatools", "datatools.license", "datatools.version"]


def test_the_revocation_list_module_loads_only_the_codec():
    """The signer imports the revocation list's codec: it stays as small as the license's."""
    probe = ("import sys, datatools.revocations; "
             "print(sorted(m for m in sys.modules if m.split('.')[0] in ('datatools', 'licensed')))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                            cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}).stdout
    assert json.loads(loaded.replace("'", '"')) == [
        "datatools", "datatools.license", "datatools.revocations", "datatools.version"]


def test_the_key_files_module_loads_only_the_codec_and_the_writer():
    probe = ("import sys, datatools.license_keys; "
             "print(sorted(m for m in sys.modules if m.split('.')[0] in ('datatools', 'licensed')))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                            cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}).stdout
    assert json.loads(loaded.replace("'", '"')) == [
        "datatools", "datatools.errors", "datatools.license", "datatools.license_keys",
        "datatools.safe_write", "datatools.version"]


# ----------------------------------------------------------------- key files and keyrings


def test_generated_key_is_private_from_the_first_write(tmp_path):
    old = os.umask(0)  # even a permissive umask must not widen the mode
    try:
        path = license_keys.generate_key(tmp_path / "keys", "k1")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().startswith("-----BEGIN PRIVATE KEY-----")  # PKCS#8


def test_keygen_never_replaces_a_key_and_keeps_every_public_key(tmp_path):
    first = license_keys.generate_key(tmp_path, "2026a")
    before = first.read_bytes()
    with pytest.raises(FileExistsError):
        license_keys.generate_key(tmp_path, "2026a")
    assert first.read_bytes() == before
    license_keys.generate_key(tmp_path, "2026b")
    ring = license_keys.load_keyring(tmp_path / "keyring.json")
    assert set(ring.keys) == {"2026a", "2026b"}
    signed = codec.mint_blob(KAT_PAYLOAD, license_keys.load_private_key(first), "2026a")
    assert verify(signed, ring).kid == "2026a"


def test_keyring_json_format(tmp_path, key):
    raw = codec.public_key_b64(key.public_key())
    assert len(base64.urlsafe_b64decode(raw + "=")) == 32 and "=" not in raw
    ring = codec.Keyring.from_json(json.dumps({"a": raw, "denied": ["old"]}))
    assert set(ring.keys) == {"a"} and ring.denied == {"old"}
    for bad in ('{"a": "short"}', '{"denied": "old"}', "[]", '{"a": 5}'):
        with pytest.raises(ValueError):
            codec.Keyring.from_json(bad)


@pytest.mark.parametrize("kid", ["", "denied", "a/b", "x" * 65, "../up"])
def test_keygen_rejects_unsafe_key_ids(tmp_path, kid):
    with pytest.raises(ValueError):
        license_keys.generate_key(tmp_path, kid)
