"""Choose among Latin-script single-byte codecs by how plausible each one's decoded words are.

charset-normalizer often ties cp1252 with cp1250 (and Latin-9 with its neighbours) on Western
text and picks the wrong one, which silently turns ñ into ń and ø into ř. These codecs map the
same byte to one character each, so the words of a sample line up byte for byte across
candidates: we score only the words whose decodings differ. A word scores when its accented
letters all belong to one language that the codec was made for; symbols wedged between letters
(`Wroc³aw`), control characters and lower-then-upper case inside a word (`ŁódŸ`) count against.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import groupby
from dataclasses import dataclass

_WESTERN = {
    "french": "àâæçéèêëîïôœùûüÿ", "german": "äöüß", "spanish": "áéíñóúü",
    "portuguese": "áâãàçéêíóôõú", "italian": "àèéìíîòóùú", "catalan": "àçèéíïòóúü",
    "dutch": "áéèëïóöüíú", "danish": "æøåé", "norwegian": "æøåéèêóôò", "swedish": "åäöé",
    "finnish": "äöåšž", "icelandic": "áéíóúýþðæö",
}
_CENTRAL = {
    "polish": "ąćęłńóśźż", "czech": "áčďéěíňóřšťúůýž", "slovak": "áäčďéíĺľňóôŕšťúýž",
    "hungarian": "áéíóöőúüű", "romanian": "ăâîşţșț", "croatian": "čćđšž", "slovene": "čšž",
    "german": "äöüß",
}
_BALTIC = {
    "lithuanian": "ąčęėįšųūž", "latvian": "āčēģīķļņšūž", "estonian": "äõöüšž", "german": "äöüß",
}
_TURKISH = {"turkish": "çğıöşüâîû", **_WESTERN}

# Tie order: the first codec wins when words score equal, so cp1252 beats cp1250 unless the
# text is clearly Central European, and Latin-1 (decodes anything) comes last.
LATIN_CANDIDATES: dict[str, dict[str, str]] = {
    "cp1252": _WESTERN, "iso8859_15": _WESTERN, "cp1250": _CENTRAL, "iso8859_2": _CENTRAL,
    "cp1254": _TURKISH, "cp1257": _BALTIC, "latin_1": _WESTERN,
}

# Codec names charset-normalizer may return for Latin-script text; any of them means "rescore".
LATIN_FAMILY = frozenset(LATIN_CANDIDATES) | {
    "cp1258", "iso8859_3", "iso8859_4", "iso8859_9", "iso8859_10", "iso8859_13", "iso8859_14",
    "iso8859_16", "mac_roman", "mac_latin2", "mac_iceland", "mac_turkish", "cp437", "cp850",
    "cp858", "cp852", "cp775", "cp1125", "ascii", "latin_1",
}

_COMMON_SYMBOLS = set("€£¥$©®°«»“”‘’„‚–—…•·×½¼¾§¶µ™¡¿±²³¢")
# Accented letters that are words on their own ("à Paris", "é", "å", "ö"); any other lone
# accented letter, or one glued to digits ("Ł12.50" for "£12.50"), is a decoding slip.
_LONE_WORDS = set("àáéèóòöåùìíú")
_WEDGED = set("¿¡«»¦")   # punctuation that never sits between two letters of a word
MAX_WORDS = 20000
_TOKEN_SPLIT = re.compile(rb"[\x00-\x20;,|\"'()\[\]{}<>=/\\]+")


@dataclass(frozen=True)
class LatinScore:
    encoding: str
    score: float
    words: int                     # words whose decoding differs between candidates
    texts: tuple[str, ...] = ()    # those words as this codec decodes them
    points: tuple[float, ...] = ()  # and each one's score

    def lead_over(self, other: "LatinScore") -> float:
        """Mean score difference per word the two codecs read differently (0 when none)."""
        apart = [i for i, (a, b) in enumerate(zip(self.texts, other.texts)) if a != b]
        if not apart:
            return 0.0
        return sum(self.points[i] - other.points[i] for i in apart) / len(apart)


def _letters_fit(letters: set[str], alphabets: dict[str, str]) -> bool:
    return any(letters <= set(alphabet) for alphabet in alphabets.values())


def _score_word(word: str, alphabets: dict[str, str]) -> float:
    score = 0.0
    for index, char in enumerate(word):
        category = unicodedata.category(char)
        if category in ("Cc", "Cn", "Co"):
            return -2.0
        if ord(char) < 128 or category.startswith("L"):
            continue
        between_letters = (0 < index < len(word) - 1 and word[index - 1].isalpha()
                           and word[index + 1].isalpha())
        if between_letters and (char in _WEDGED or category[0] in "SN"):
            return -1.0
        score += 1.0 if char in _COMMON_SYMBOLS else 0.0
    for is_letter, chars in groupby(word, str.isalpha):
        run = "".join(chars)
        if not is_letter or run.isascii():
            continue
        lone = len(run) == 1 and (run.lower() not in _LONE_WORDS or len(word) > 1)
        camel = any(a.islower() and b.isupper() for a, b in zip(run, run[1:]))
        letters = {c for c in run.lower() if ord(c) >= 128}
        if lone or camel or not _letters_fit(letters, alphabets):
            return min(score, 0.0)
        score += 1.0
    return score


def rank_latin(sample: bytes, candidates: list[str]) -> list[LatinScore]:
    """Score `candidates` (single-byte codecs) on `sample`, best first, ties in given order."""
    tokens = sorted({t for t in _TOKEN_SPLIT.split(sample) if not t.isascii()})[:MAX_WORDS]
    decoded = {name: [t.decode(name, errors="replace") for t in tokens] for name in candidates}
    differing = [i for i in range(len(tokens))
                 if len({decoded[name][i] for name in candidates}) > 1]
    scores = []
    for name in candidates:
        alphabets = LATIN_CANDIDATES.get(name, _WESTERN)
        texts = tuple(decoded[name][i] for i in differing)
        points = tuple(_score_word(text.replace("\ufffd", "\x00"), alphabets) for text in texts)
        scores.append(LatinScore(name, sum(points), len(differing), texts, points))
    order = {name: index for index, name in enumerate(candidates)}
    return sorted(scores, key=lambda s: (-s.score, order[s.encoding]))
