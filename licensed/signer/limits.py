"""How many signatures the signer gives per minute and per UTC day ([signer] per_minute,
per_day): a caller that took over the web process mints at most this many before an operator
notices (the refusal is logged and shown by the daemon's /health)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class LimitState:
    minute_used: int
    per_minute: int
    day_used: int
    per_day: int
    limited: str | None  # why signing is refused now, or None

    def as_json(self) -> dict:
        return {"minute": {"used": self.minute_used, "limit": self.per_minute},
                "day": {"used": self.day_used, "limit": self.per_day}, "limited": self.limited}


class RateLimits:
    """Fixed windows: the current UTC minute and the current UTC day."""

    def __init__(self, per_minute: int, per_day: int):
        self.per_minute, self.per_day = per_minute, per_day
        self._lock = threading.Lock()
        self._minute: tuple[datetime, int] = (datetime.min, 0)
        self._day: tuple[str, int] = ("", 0)

    def _windows(self, now: datetime) -> tuple[datetime, int, str, int]:
        minute = now.replace(second=0, microsecond=0)
        day = now.date().isoformat()
        minute_used = self._minute[1] if self._minute[0] == minute else 0
        day_used = self._day[1] if self._day[0] == day else 0
        return minute, minute_used, day, day_used

    def _why(self, now: datetime, minute_used: int, day_used: int) -> str | None:
        if day_used >= self.per_day:
            return (f"the per-day limit of {self.per_day} signatures is reached; signing "
                    f"resumes at {now.date() + timedelta(days=1)} 00:00 UTC")
        if minute_used >= self.per_minute:
            resume = (now.replace(second=0, microsecond=0) + timedelta(minutes=1))
            return (f"the per-minute limit of {self.per_minute} signatures is reached; signing "
                    f"resumes at {resume.strftime('%H:%M')} UTC")
        return None

    def take(self, now: datetime) -> str | None:
        """Count one signature at `now` (UTC); returns why not (nothing counted) or None."""
        with self._lock:
            minute, minute_used, day, day_used = self._windows(now)
            why = self._why(now, minute_used, day_used)
            if why is None:
                self._minute, self._day = (minute, minute_used + 1), (day, day_used + 1)
            return why

    def state(self, now: datetime) -> LimitState:
        with self._lock:
            _, minute_used, _, day_used = self._windows(now)
            return LimitState(minute_used, self.per_minute, day_used, self.per_day,
                              self._why(now, minute_used, day_used))
