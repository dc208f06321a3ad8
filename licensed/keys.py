"""Signing keys on the server: which one signs (`signing/current`), which are denied, and the
public keyring the desktop release embeds (ARCHITECTURE.md, "The license blob"). Never reachable over HTTP."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from datatools import license as codec
from datatools import license_keys
from licensed.errors import ConfigError, LicensedError
from licensed.files import write_private_text

_KID_RE = re.compile(r"[A-Za-z0-9_.-]{1,64}")
RELOAD_HINT = "licensed keys reload"


@dataclass(frozen=True)
class SigningKeys:
    """The signing folder of a secrets directory: `<kid>.pem`, `current`, `keyring.json`."""

    folder: Path

    @property
    def keyring_path(self) -> Path:
        return self.folder / "keyring.json"

    def current(self) -> str | None:
        path = self.folder / "current"
        return path.read_text(encoding="utf-8").strip() or None if path.exists() else None

    def kids(self) -> list[str]:
        return sorted(path.stem for path in self.folder.glob("*.pem"))

    def keyring(self) -> codec.Keyring:
        """keyring.json, plus the public key of every private key here that it lacks.

        Raises ConfigError when keyring.json is not a keyring or a key cannot be read.
        """
        try:
            ring = (license_keys.load_keyring(self.keyring_path) if self.keyring_path.exists()
                    else codec.Keyring(keys={}))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{self.keyring_path} is not a keyring: {exc}") from None
        keys = dict(ring.keys)
        for kid in self.kids():
            if kid not in keys:
                try:
                    keys[kid] = license_keys.load_signing_key(self.folder / f"{kid}.pem").public_key()
                except (OSError, ValueError) as exc:
                    raise ConfigError(str(exc)) from None
        return codec.Keyring(keys=keys, denied=ring.denied)

    def load_current(self, keyring: codec.Keyring) -> tuple[str, Ed25519PrivateKey]:
        """The key `current` names, as (kid, private key). Raises ConfigError when `current` is
        missing or malformed, names a denied key (in `keyring`), or its PEM cannot be read."""
        current = self.folder / "current"
        try:
            kid = current.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            raise ConfigError(f"secret file {current} is missing") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read secret file {current}: {exc}") from None
        if not _KID_RE.fullmatch(kid):
            raise ConfigError(f"{current} must name a key id, not {kid[:20]!r}")
        if kid in keyring.denied:
            raise ConfigError(f"signing key {kid} (named in {current}) is denied; "
                              f"run: licensed keys use OTHER_KID")
        key_path = self.folder / f"{kid}.pem"
        try:
            return kid, license_keys.load_signing_key(key_path)
        except FileNotFoundError:
            raise ConfigError(f"signing key {key_path} (named in signing/current) is "
                              f"missing") from None
        except (ValueError, OSError) as exc:
            raise ConfigError(str(exc)) from None

    def use(self, kid: str) -> None:
        """Make `kid` sign new licenses (once the daemon reloads its keys). Refuses a missing
        or denied key."""
        if kid not in self.kids():
            raise LicensedError(f"there is no signing key {kid} in {self.folder} (keys: "
                                f"{', '.join(self.kids()) or 'none'}); make one with: "
                                f"licensed keys new --kid {kid}")
        if kid in self.keyring().denied:
            raise LicensedError(f"key {kid} is denied; a denied key never signs again")
        write_private_text(self.folder / "current", kid + "\n")

    def deny(self, kid: str) -> None:
        """Put `kid` on the deny list of keyring.json. Refuses the key that signs now: switch
        to another first, so the daemon is never left without a key it may use."""
        ring = self.keyring()
        if kid not in ring.keys:
            raise LicensedError(f"there is no key {kid} in {self.keyring_path}")
        if kid == self.current():
            raise LicensedError(f"{kid} signs new licenses now; first make and use another "
                                f"key (licensed keys new --kid NEW), then {RELOAD_HINT}, then "
                                f"deny {kid}")
        denied = ring.denied | {kid}
        license_keys.write_keyring(self.keyring_path,
                                   codec.Keyring(keys=ring.keys, denied=denied))

    def export_keyring(self) -> str:
        """The public keyring, deny list included, exactly as the desktop build embeds it."""
        return self.keyring().to_json()
