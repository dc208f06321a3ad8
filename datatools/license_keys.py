"""Signing keys and keyring files for the DTLIC2 codec: generate, load, and write them safely.

The codec (`datatools.license`) reads no file; this module does the file work around it. It
imports only the standard library, `cryptography`, the codec and the guarded writer
(`datatools.safe_write`, itself standard library only), so the daemon may import it too.
Private keys are PKCS#8 PEM, mode 0600 from their first byte, and are never replaced.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from datatools.errors import BadInput, OutputExists
from datatools.license import Keyring
from datatools.safe_write import write_file

_KID_RE = re.compile(r"[A-Za-z0-9_.-]{1,64}")


def load_keyring(path: str | os.PathLike[str]) -> Keyring:
    """Read a keyring JSON file (ARCHITECTURE.md, "The license blob"); OSError or ValueError when unusable."""
    return Keyring.from_json(Path(path).read_text(encoding="utf-8"))


def write_keyring(path: str | os.PathLike[str], keyring: Keyring) -> None:
    """Replace the keyring file at `path` with `keyring`, whole or not at all; OSError on failure."""
    try:
        write_file(path, keyring.to_json(), force=True)
    except BadInput as exc:
        raise OSError(exc.message) from None


def write_private_key(path: str | os.PathLike[str], key: Ed25519PrivateKey) -> None:
    """Write `key` as PKCS#8 PEM, mode 0600 from the first byte.

    Raises FileExistsError when `path` exists: a signing key is never replaced.
    """
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    try:
        write_file(path, pem, mode=0o600)
    except OutputExists:
        raise FileExistsError(f"{path} exists; a signing key is never replaced") from None
    except BadInput as exc:   # the daemon, a caller of this module, knows OSError, not our tree
        raise OSError(exc.message) from None


def load_private_key(path: str | os.PathLike[str]) -> Ed25519PrivateKey:
    """Load a PKCS#8 PEM Ed25519 private key; raises ValueError when it is something else."""
    key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} does not hold an Ed25519 private key")
    return key


def load_signing_key(path: str | os.PathLike[str]) -> Ed25519PrivateKey:
    """Load a signing key the way the daemon and the offline minter both must: refused, with
    one line naming the fix, when it is missing, readable by group or others, or not a key.

    Raises ValueError (FileNotFoundError for a missing file) with that line.
    """
    key_path = Path(path)
    try:
        mode = key_path.stat().st_mode
    except FileNotFoundError:
        raise FileNotFoundError(f"signing key {key_path} is missing") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ValueError(
            f"signing key {key_path} is readable by group or others (mode "
            f"{stat.S_IMODE(mode):04o}); run: chmod 400 {key_path}"
        )
    try:
        return load_private_key(key_path)
    except (ValueError, OSError) as exc:
        raise ValueError(f"signing key {key_path} cannot be loaded: {exc}") from None


def generate_key(directory: str | os.PathLike[str], kid: str) -> Path:
    """Create `DIR/KID.pem` (0600) and add its public key to `DIR/keyring.json`.

    Raises FileExistsError when the key already exists (a signing key is never replaced) and
    ValueError for a key id that is not 1-64 letters, digits, '.', '_' or '-'.
    """
    if not _KID_RE.fullmatch(kid) or kid == "denied":
        raise ValueError("a key id is 1-64 letters, digits, '.', '_' or '-' (and not 'denied')")
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    key_path = folder / f"{kid}.pem"
    key = Ed25519PrivateKey.generate()
    write_private_key(key_path, key)
    keyring_path = folder / "keyring.json"
    current = load_keyring(keyring_path) if keyring_path.exists() else Keyring(keys={})
    write_keyring(keyring_path, Keyring(keys={**current.keys, kid: key.public_key()},
                                        denied=current.denied))
    return key_path
