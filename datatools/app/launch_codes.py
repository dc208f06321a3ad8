"""One-time launch codes: what a browser's command line carries instead of the token (DECISIONS 100)."""

from __future__ import annotations

import hmac
import secrets
import threading
import time

LAUNCH_CODE_SECONDS = 120       # a code not traded by then is void


class LaunchCodes:
    """Codes that each trade once, within LAUNCH_CODE_SECONDS, for the launch's token."""

    def __init__(self, clock=time.monotonic) -> None:
        self._codes: dict[str, float] = {}     # code → when it expires
        self._lock = threading.Lock()
        self._clock = clock

    def new(self) -> str:
        """A fresh code (32 URL-safe characters)."""
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._codes[code] = self._clock() + LAUNCH_CODE_SECONDS
        return code

    def redeem(self, given: str) -> bool:
        """True once for a live code; the code (and every expired one) is void afterwards."""
        with self._lock:
            now = self._clock()
            found = next((code for code, expires in self._codes.items()
                          if hmac.compare_digest(code.encode(), given.encode()) and expires > now), None)
            for code in [c for c, expires in self._codes.items() if expires <= now or c == found]:
                del self._codes[code]
        return found is not None
