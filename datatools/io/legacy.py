"""Rank the legacy code pages (single-byte and CJK double-byte) on a sample by how plausible each decoding reads.

Every candidate decodes the sample; a decoding holding control characters, C1 characters or
unassigned code points is out, and the rest are scored word by word (`plausible.score_text`).
Ties keep the order of `CODECS`, which puts the commonest code page of each family first, so
cp1252 wins a tie with cp1250 unless the text is clearly Central European (DECISIONS 60).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from datatools.io.plausible import Profile, score_text, unreadable, word_scores

_WESTERN, _CENTRAL = Profile("Latin", "western"), Profile("Latin", "central")
_TURKISH, _BALTIC = Profile("Latin", "turkish"), Profile("Latin", "baltic")
_CYRILLIC, _GREEK = Profile("Cyrillic"), Profile("Greek")

# Tie order matters: the first of two codecs that score the same wins.
CODECS: dict[str, Profile] = {
    "cp1252": _WESTERN, "iso8859_15": _WESTERN, "cp1250": _CENTRAL, "iso8859_2": _CENTRAL,
    "cp1254": _TURKISH, "iso8859_9": _TURKISH, "cp1257": _BALTIC, "iso8859_13": _BALTIC,
    "iso8859_4": _BALTIC, "mac_roman": _WESTERN, "cp850": _WESTERN, "cp437": _WESTERN,
    "mac_latin2": _CENTRAL, "cp852": _CENTRAL, "iso8859_16": _CENTRAL, "cp857": _TURKISH,
    "mac_turkish": _TURKISH,
    "cp1251": _CYRILLIC, "koi8_r": _CYRILLIC, "koi8_u": _CYRILLIC, "iso8859_5": _CYRILLIC,
    "cp866": _CYRILLIC, "mac_cyrillic": _CYRILLIC,
    "cp1125": _CYRILLIC, "cp855": _CYRILLIC,
    "cp1253": _GREEK, "iso8859_7": _GREEK, "mac_greek": _GREEK, "cp737": _GREEK,
    "cp1255": Profile("Hebrew"), "iso8859_8": Profile("Hebrew"), "cp862": Profile("Hebrew"),
    "cp1256": Profile("Arabic"), "iso8859_6": Profile("Arabic"), "cp720": Profile("Arabic"),
    "cp932": Profile("CJK", "ja"), "euc_jp": Profile("CJK", "ja"),
    "gb18030": Profile("CJK", "zh-s"), "big5": Profile("CJK", "zh-t"),
    "cp950": Profile("CJK", "zh-t"), "cp949": Profile("CJK", "ko"), "johab": Profile("CJK", "ko"),
    # After the CJK pages: their double bytes (0xA1–0xFE) all read as Thai letters too.
    "cp874": Profile("Thai"),
    "latin_1": _WESTERN,
}
# How much rarer a code page is in files people have today: subtracted from its score, so a
# near-tie goes to the common page (a Hebrew word reads as mac_greek letters too).
_RARER = {
    "koi8_u": 0.03, "mac_roman": 0.03, "cp866": 0.03, "cp850": 0.03, "mac_cyrillic": 0.03,
    "iso8859_6": 0.03, "iso8859_13": 0.03, "cp950": 0.03,
    "cp437": 0.06, "cp852": 0.06, "mac_latin2": 0.06, "iso8859_4": 0.06, "iso8859_16": 0.06,
    "mac_greek": 0.1, "cp874": 0.1, "cp862": 0.06, "cp720": 0.06, "cp1125": 0.03, "cp737": 0.06,
    "cp857": 0.06, "mac_turkish": 0.06, "cp855": 0.06, "johab": 0.06,
}
PLAUSIBLE = 0.4      # a right decoding of real text scores 0.7–1; garbage scores below 0.2


@dataclass(frozen=True)
class Ranked:
    encoding: str
    score: float           # -1 to 1, see plausible.score_text
    confidence: float      # 0–1, from the lead over the best codec giving other text
    text: str = ""         # the sample as this codec reads it


@lru_cache(maxsize=None)
def single_byte(encoding: str) -> bool:
    """True for a codec that maps each byte to one character (cp1252, KOI8-R…)."""
    try:
        return len(bytes(range(256)).decode(encoding, errors="replace")) == 256
    except LookupError:
        return False


def readable_bytes(encoding: str, high_bytes: set[int]) -> bool:
    """True when every byte in `high_bytes` decodes to a readable character in a single-byte codec."""
    try:
        text = bytes(sorted(high_bytes)).decode(encoding)
    except UnicodeDecodeError:
        return False
    return unreadable(text) is None


def rank(sample: bytes, high_bytes: set[int], *, single_byte_only: bool = False,
         extra: tuple[str, ...] = ()) -> list[Ranked]:
    """Readable decodings of `sample`, most plausible first; [] when none is readable.

    `high_bytes` are the bytes ≥ 0x80 of the whole file, so a single-byte codec that leaves
    one of them undefined or maps it to a control character is out even when the sample
    misses it. `extra` adds codecs (charset-normalizer's guesses) scored as Western text.
    """
    names = [n for n in (*CODECS, *extra) if not single_byte_only or single_byte(n)]
    scored: list[tuple[float, int, str, str]] = []
    for order, name in enumerate(dict.fromkeys(names)):
        if single_byte(name) and not readable_bytes(name, high_bytes):
            continue
        try:
            text = sample.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        score = score_text(text, CODECS.get(name, _WESTERN), checked=single_byte(name)) \
            - _RARER.get(name, 0.0)
        if score > -2:
            scored.append((score, order, name, text))
    scored.sort(key=lambda item: (-item[0], item[1]))
    if not scored:
        return []
    best_score, _, _, best_text = scored[0]
    rival = next((s for s, _, _, t in scored[1:] if t != best_text), None)
    lead = 1.0 if rival is None else best_score - rival
    ranked = []
    for score, _, name, text in scored:
        if text == best_text:
            confidence = _confidence(best_score, lead)
        else:
            confidence = max(0.05, min(0.6, 0.6 - (best_score - score)))
        ranked.append(Ranked(name, score, round(confidence, 3), text))
    return ranked


CLEAN_WORDS = 50        # words a reading needs to be judged clean by `clean_reading`
RIVAL_IMPOSSIBLE = 0.05   # the share of impossible words every other reading must hold


def clean_reading(ranked: list[Ranked]) -> Ranked | None:
    """When no reading is plausible: the one reading (a distinct text) in which no word is
    impossible (`plausible._word_score` -1: a letter of another script inside a word, an
    accent with no letter, a symbol between letters), out of at least CLEAN_WORDS words with
    a non-ASCII character, while every other reading has RIVAL_IMPOSSIBLE of its words
    impossible; else None. A table of rare characters (a page listing a code page's extension
    kanji) reads as no common text, but it is the only reading without garbage in it."""
    clean, rivals = [], []
    for entry in ranked:
        if not entry.text:
            continue        # charset-normalizer's guesses carry no text: they do not count
        scores = word_scores(entry.text, CODECS.get(entry.encoding, _WESTERN))
        impossible = sum(1 for score in scores if score <= -1.0) / max(len(scores), 1)
        if impossible == 0 and len(scores) >= CLEAN_WORDS:
            clean.append(entry)
        elif impossible < RIVAL_IMPOSSIBLE:
            return None
        else:
            rivals.append(entry)
    if not clean or any(entry.text != clean[0].text for entry in clean) or not rivals:
        return None
    return clean[0]


def _confidence(score: float, lead: float) -> float:
    """Sure when the text reads well and the nearest other reading is far behind."""
    if score < PLAUSIBLE:
        return max(0.05, min(0.3, score))
    return min(0.99, 0.6 + 0.8 * min(max(lead, 0.0), 0.5) * min(score, 1.0))


def score_of(sample: bytes, encoding: str) -> float:
    """How plausible `sample` reads in `encoding`, as `rank` scores it (-2: does not decode)."""
    try:
        text = sample.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return -2.0
    return score_text(text, CODECS.get(encoding, _WESTERN)) - _RARER.get(encoding, 0.0)
