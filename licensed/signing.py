"""The signing key of the running signer (licensed/signer/): loaded at start, reloaded without a
restart (SIGHUP, `systemctl reload datatools-license-signer`, or `licensed keys reload`, which
the daemon passes on), and never used once signing/keyring.json denies it.

The deny list is read again whenever keyring.json changes (its inode, size or mtime), so a
`licensed keys deny` takes effect at the next signature in every process, reload or not.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import AbstractSet, Any, Callable

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from datatools import license as codec
from datatools import license_keys
from licensed.errors import ConfigError, SigningKeyDenied
from licensed.keys import SigningKeys

log = logging.getLogger("licensed")


@dataclass(frozen=True)
class Signer:
    """One signing key. `denied`, when given, returns the deny list as it is now (read from
    signing/keyring.json): a denied `kid` signs nothing, whatever the caller was handed."""

    kid: str
    key: Ed25519PrivateKey
    denied: Callable[[], AbstractSet[str]] | None = field(default=None, compare=False)

    def sign(self, fields: dict[str, Any]) -> str:
        """The DTLIC2 blob of `fields`; raises SigningKeyDenied when `kid` is denied."""
        if self.denied is not None and self.kid in self.denied():
            raise SigningKeyDenied(f"signing key {self.kid} is denied; nothing is signed until "
                                   f"another key signs: licensed keys use KID (or keys new), "
                                   f"then licensed keys reload")
        return codec.mint_blob(fields, self.key, self.kid)


class DenyList:
    """keyring.json's deny list, read again when the file changes.

    `__call__()` returns the denied kids; a keyring.json that cannot be read raises
    SigningKeyDenied (nothing is signed while the deny list is unknown: the safe side).
    """

    def __init__(self, path: Path, initial: codec.Keyring):
        self.path = path
        self._lock = threading.Lock()
        self._stamp = self._stat()
        self._ring = initial

    def _stat(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        return st.st_ino, st.st_size, st.st_mtime_ns

    def keyring(self) -> codec.Keyring:
        """The keyring as the file holds it now (keys and deny list)."""
        try:
            stamp = self._stat()
        except OSError as exc:
            raise SigningKeyDenied(f"cannot read {self.path}, so its deny list: {exc}") from None
        with self._lock:
            if stamp != self._stamp:
                try:
                    ring = (license_keys.load_keyring(self.path) if stamp is not None
                            else codec.Keyring(keys={}))
                except (OSError, ValueError) as exc:
                    raise SigningKeyDenied(f"cannot read the deny list in {self.path}: "
                                           f"{exc}") from None
                self._ring, self._stamp = ring, stamp
            return self._ring

    def __call__(self) -> frozenset[str]:
        return frozenset(self.keyring().denied)


class LiveKeys:
    """The key this process signs with, swapped whole on `reload()` (thread-safe)."""

    def __init__(self, folder: Path, kid: str, key, keyring: codec.Keyring):
        self.keys = SigningKeys(folder)
        self.deny_list = DenyList(self.keys.keyring_path, keyring)
        self._lock = threading.Lock()
        self._signer = Signer(kid, key, denied=self.deny_list)

    @property
    def kid(self) -> str:
        return self._signer.kid

    def keyring(self) -> codec.Keyring:
        """Every public key in signing/ and the deny list, as they are now (what an imported
        license's signature is checked against). Raises ConfigError when unreadable."""
        return self.keys.keyring()

    def signer(self) -> Signer:
        """The signer for one request. When the deny list has caught up with our key before a
        reload did, signing/current is read again first (it names the next key once `keys new`
        or `keys use` ran). Never raises: a denied signer refuses in `sign()`, so requests that
        sign nothing (a refund, a dispute) go on."""
        signer = self._signer
        if signer.kid in self.deny_list():
            try:
                self.reload()
            except ConfigError as exc:
                log.error("signing key %s is denied and no other key can sign: %s",
                          signer.kid, exc.message)
            signer = self._signer
        return signer

    def reload(self) -> tuple[str, str]:
        """Read signing/current and keyring.json again; (previous kid, kid now). Raises
        ConfigError (and keeps the key in use) when the named key cannot be used."""
        with self._lock:
            previous = self._signer.kid
            kid, key = self.keys.load_current(self.keys.keyring())
            self._signer = Signer(kid, key, denied=self.deny_list)
        if kid != previous:
            log.warning("signing key reloaded: new licenses are signed with %s (was %s)",
                        kid, previous)
        else:
            log.info("signing key reloaded: still %s", kid)
        return previous, kid
