"""How plausible a decoding is: controls and C1 characters rule it out, then words are scored per script.

A codec that is wrong for a file still decodes it more often than not (every byte means
something in mac_roman or KOI8-R), so "decodes without error" proves little. What a wrong
decoding gives away is its text: C1 control characters (U+0080–U+009F, never typed by anyone),
letters of two scripts inside one word, symbols wedged between letters (`Wroc³aw`), case flips
inside a word (`хБЮМ` for `Иван`), runs of accented Latin letters where a language has one at a
time, and for CJK the rare characters of a standard's second level or its extension area where
a real text uses the common ones. `score_text` turns that into a number from -1 to 1 per word,
averaged; the ranking in `legacy.py` compares codecs on it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from datatools.io import cjk
from datatools.io.latin import ALPHABETS, STOPWORDS, breaks_spelling, letters_fit

_WORD_SPLIT = re.compile(r"[\s;,|\"'()\[\]{}<>=/\\:]+")
_C1 = re.compile("[\x80-\x9f]")
_BAD = re.compile("[\x80-\x9f\ufffd]")
_BAD_OR_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")

COMMON_SYMBOLS = frozenset("€£¥$©®°«»“”‘’„‚–—…•·×½¼¾§¶µ™¡¿±²³¢№₪%&#+*-_.!?@~^`")
# Marks that sit between letters in real words: apostrophes, hyphens, middle dots.
_INWORD = frozenset("’'‘-‐·・ー")
_QUOTES = frozenset("“„‚‘«»‹›")
_CLOSING = frozenset("”“‘’»«›‹\"'")
_OPENING = frozenset("“„‚‘’«»‹›¡¿([{'\"-–—…°·•「『（【〈《")

MAX_WORDS = 3000
SCORED_CHARS = 32 * 1024


@dataclass(frozen=True)
class Profile:
    """What a codec's text should look like: its script and, for Latin, its languages."""

    script: str                          # Latin, Cyrillic, Greek, Hebrew, Arabic, Thai, CJK
    languages: str = "western"           # latin.ALPHABETS key, or cjk language (ja, zh-s, zh-t, ko)


def script_of(char: str) -> str:
    """The script bucket of one non-ASCII character ("" for symbols, digits and marks)."""
    code = ord(char)
    if code < 0x250 or 0x1E00 <= code < 0x1F00:
        return "Latin" if char.isalpha() else ""
    if 0x370 <= code < 0x400 or 0x1F00 <= code < 0x2000:
        return "Greek" if char.isalpha() else ""
    if 0x400 <= code < 0x530:
        return "Cyrillic" if char.isalpha() else ""
    if 0x590 <= code < 0x600:
        return "Hebrew" if char.isalpha() else ""
    if 0x600 <= code < 0x700 or 0xFB50 <= code < 0xFE00 or 0xFE70 <= code < 0xFF00:
        return "Arabic" if char.isalpha() else ""
    if 0xE00 <= code < 0xE80:
        return "Thai"
    if 0x1100 <= code < 0x1200 or 0x3130 <= code < 0x3190 or 0xAC00 <= code < 0xD7B0:
        return "CJK"
    if 0x2E80 <= code < 0xA000 or 0xF900 <= code < 0xFB00 or 0xFF00 <= code < 0xFFF0 \
            or 0x20000 <= code < 0x32000:
        return "CJK" if char.isalpha() or 0x3040 <= code < 0x3100 else ""
    return "Other" if char.isalpha() else ""


def has_c1(text: str) -> bool:
    """True when `text` holds a C1 control character (U+0080–U+009F)."""
    return _C1.search(text) is not None


def unreadable(text: str, controls: bool = False) -> str | None:
    """The first character that rules a decoding out (C1, U+FFFD, unassigned, private use).

    With `controls`, ASCII control characters other than tab and line ends count too (for
    UTF-16/32, where they come from misread byte pairs rather than from the file).
    """
    found = (_BAD_OR_CONTROL if controls else _BAD).search(text)
    if found:
        return found.group()
    if not text.isascii():
        for char in set(text):
            if ord(char) > 0x7F and unicodedata.category(char) in ("Cn", "Co", "Cs"):
                return char
    return None


_RU_COMMON = set("оеаинтсрвлкмОЕАИНТСРВЛКМ")
_RU_LETTERS = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ")
_RU_RARE = set("хжшюцщэфъёХЖШЮЦЩЭФЪЁ")
_UK_BE = set("іїєґІЇЄҐ")        # Ukrainian; Belarusian ў scores a little lower (cp866 vs cp1125)
_SR_MK = set("ђјљњћџѓќѕЂЈЉЊЋЏЃЌЅ")
_TONOS = set("άέήίόύώΐΰΆΈΉΊΌΎΏ")
_LATIN_RARE = set("þðýÞÐÝ")
_GREEK_RARE = set("ξψζΐΰϊϋΞΨΖΪΫ")
_GREEK = set("αβγδεζηθικλμνξοπρστυφχψωςάέήίόύώϊϋΐΰΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩΆΈΉΊΌΎΏΪΫ")


def _cyrillic(char: str) -> float:
    if char in _RU_COMMON:
        return 1.0
    if char in _RU_LETTERS:
        return 0.55 if char in _RU_RARE else 0.85
    if char in _UK_BE:
        return 0.8
    if char in "ўЎ":
        return 0.6
    return 0.4 if char in _SR_MK else 0.1


def _char_score(char: str, script: str, profile: Profile) -> float:
    """How common `char` (a letter of `script`) is in text of `profile`'s kind, 0–1."""
    if profile.script == "Cyrillic":
        return _cyrillic(char)
    if profile.script == "Greek":
        return 0.3 if char in _GREEK_RARE else 1.0 if char in _GREEK else 0.1
    if profile.script == "Hebrew":
        return 1.0 if 0x5D0 <= ord(char) <= 0x5EA else 0.5
    if profile.script == "Arabic":
        return 1.0 if 0x621 <= ord(char) <= 0x64A else 0.7 if ord(char) < 0x700 else 0.3
    if profile.script == "Thai":
        return 0.4 if char in _THAI_RARE else 1.0 if 0xE01 <= ord(char) <= 0xE4E else 0.2
    if profile.script == "Latin" and char in _LATIN_RARE:
        return 0.85                           # þ ð ý: Icelandic only, and Turkish misread
    if profile.script == "CJK":
        return cjk.commonness(char, profile.languages)
    return 1.0


@lru_cache(maxsize=65536)
def _word_score(word: str, profile: Profile) -> float:
    """-1 (impossible in a real text) to 1 (a word of the profile's kind)."""
    points: list[float] = []
    scripts: set[str] = set()
    ascii_letters = False
    unmatched = False
    symbols = 0
    last = len(word) - 1
    for index, char in enumerate(word):
        if char.isascii():
            ascii_letters |= char.isalpha()
            continue
        script = script_of(char)
        if script:
            scripts.add(script)
            if script != "Latin" or profile.script == "Latin":
                points.append(_char_score(char, script, profile))
            continue
        category = unicodedata.category(char)
        if category[0] == "M":
            if index == 0 or not (word[index - 1].isalpha()
                                  or unicodedata.category(word[index - 1])[0] == "M"):
                return -1.0      # a vowel point or accent with no letter to sit on
            points.append(0.8 if profile.script in ("Hebrew", "Arabic", "Thai") else 0.2)
            continue
        # A symbol with letters on both sides inside one word (`Wroc³aw`, `Э†€ю`) is a byte
        # misread; CJK writes no spaces, so its 。，、 do sit between ideographs.
        inside = any(c.isalpha() for c in word[:index]) and any(c.isalpha() for c in word[index + 1:])
        cjk_mark = profile.script == "CJK" and cjk.is_punctuation(char)
        if inside and char not in _INWORD and not cjk_mark:
            return -1.0
        common = char in COMMON_SYMBOLS or cjk_mark
        # "€горевна" is "Игоревна" in the wrong Cyrillic page: a symbol glued to the front of
        # a word, where only opening quotes and brackets belong.
        glued = index < last and word[index + 1].isalpha() and (
            index == 0 or not word[index - 1].isalpha()) and not cjk_mark
        prefix = glued and char not in _OPENING
        # An opening quote needs its closing one: "‘ергей" is mac_cyrillic "Сергей" in cp1251.
        unmatched |= glued and char in _QUOTES and not any(c in _CLOSING for c in word[index + 1:])
        points.append((1.0 if _well_placed(word, index) else 0.8) if common and not prefix else 0.0)
        symbols += 1
    if not points:
        return 0.0
    if symbols >= 2 and not scripts and not ascii_letters:
        return 0.0           # "±±¾©" is 北京 in GB18030 read as ISO-8859-15 ("„Zitat“" is fine)
    foreign = scripts - {profile.script}
    if profile.script != "Latin" and "Latin" in foreign:
        return -1.0      # accented Latin letters inside a Cyrillic/Greek/Arabic… word
    if foreign - {"Latin"}:
        return -1.0
    if profile.script in ("Latin", "Cyrillic", "Greek") and _case_flips(word):
        return -1.0
    if profile.script == "Greek":
        if _inner_final_sigma(word):
            return -1.0
        accents = sum(1 for c in word if c in _TONOS)
        if accents > 1:
            return -1.0      # monotonic Greek puts one accent on a word
        if accents == 0 and sum(1 for c in word if c.islower()) >= 5:
            return 0.3 * sum(points) / len(points)
    if profile.script == "Thai":
        if not _thai_order(word):
            return -1.0
        if len(word) >= 4 and not any(0xE30 <= ord(c) <= 0xE4E for c in word):
            return 0.2       # four Thai letters and not one vowel sign
    if profile.script == "Latin":
        return _latin_word(word, points, profile)
    if profile.script == "CJK" and ascii_letters and cjk.between_ascii_letters(word):
        return -1.0      # "K崙n" is "Köln" read as Big5
    if ascii_letters and profile.script in _NEVER_BESIDE_LATIN and _touches_ascii_letter(word):
        return -1.0      # "הZitatף" is cp1252's „Zitat“ read as DOS Hebrew
    if ascii_letters and profile.script != "CJK":
        return 0.3 * sum(points) / len(points)
    return min(0.5, sum(points) / len(points)) if unmatched else sum(points) / len(points)


# Scripts whose letters are never written touching a Latin letter inside one word (Cyrillic and
# Greek are: look-alike letters typed by mistake, "Bлад", are real data).
_NEVER_BESIDE_LATIN = frozenset({"Hebrew", "Arabic", "Thai"})


def _touches_ascii_letter(word: str) -> bool:
    """A non-ASCII letter directly before or after an ASCII letter (`הZ`, `tף`)."""
    return any(a.isalpha() and b.isalpha() and a.isascii() != b.isascii()
               for a, b in zip(word, word[1:]))


_OPEN_MARKS = frozenset("„“‚‘«‹•")            # start a word: „Zitat“, “Quote”, • item
_CLOSE_MARKS = frozenset("”“‘’»›…™®")          # end one: Zitat“, etc…, Brand™
_DASHES = frozenset("–—")


def _well_placed(word: str, index: int) -> bool:
    """Typographic punctuation where a writer puts it: quotes around a word, ’ inside one
    (it’s), … ™ ® closing one, a dash alone or between two numbers (2019–2024).

    What a cp1252 file holds in 0x80–0x9F, where DOS and Mac code pages have letters; a
    word of such marks reads better than the same bytes as stray accented letters.
    """
    char = word[index]
    before = word[index - 1] if index else ""
    after = word[index + 1] if index + 1 < len(word) else ""
    if char in _DASHES:
        return not before and not after or before.isdigit() and after.isdigit()
    if char == "’" and before.isalpha() and after.isalpha():
        return True
    if char in _OPEN_MARKS and not before and (after.isalnum() or char == "•" and not after):
        return True
    if char in _CLOSE_MARKS and (not after or after in ".,;:!?)") and (before.isalnum()
                                                                       or before in ".!?"):
        return True
    # Currency and degree signs beside a number: £825, 20 €, 25°.
    return char in "€°£¥" and (before.isdigit() or after.isdigit() or not before and not after)


def _case_flips(word: str) -> bool:
    """Lower case followed by upper case inside a run of letters (`йЧБО`), or `ABc`."""
    previous = ""
    for index, char in enumerate(word):
        if previous.isalpha() and char.isalpha() and (not previous.isascii() or not char.isascii()):
            if previous.islower() and char.isupper():
                return True
            if (previous.isupper() and char.islower() and index >= 2
                    and word[index - 2].isupper() and word[index - 2].isalpha()):
                return True
        previous = char
    return False


_THAI_RARE = set("ฃฅฆฌฎฏฐฑฒณฬฮฤฦฯฺ๎๏๚๛")   # and rare marks
_THAI_CONSONANTS = range(0xE01, 0xE2F)
_THAI_LEADING = range(0xE40, 0xE45)             # vowels written before their consonant
_THAI_MARKS = {0xE31, *range(0xE34, 0xE3B), *range(0xE47, 0xE4F)}   # above/below a consonant


def _thai_order(word: str) -> bool:
    """Thai spelling order: a mark sits on a consonant, a leading vowel comes before one."""
    for index, char in enumerate(word):
        code = ord(char)
        before = ord(word[index - 1]) if index else 0
        if code in _THAI_MARKS and before not in _THAI_CONSONANTS and before not in _THAI_MARKS:
            return False
        if code in _THAI_LEADING and (index == len(word) - 1
                                      or ord(word[index + 1]) not in _THAI_CONSONANTS):
            return False
    return True


def _inner_final_sigma(word: str) -> bool:
    """Greek writes ς only at the end of a word, σ never there: anything else is a misread byte."""
    letters = "".join(c for c in word if c.isalpha())
    return any(char == "ς" and word[i + 1].isalpha() for i, char in enumerate(word[:-1])) or \
        (len(letters) > 1 and letters.endswith("σ") and word.rstrip(".,;:!?»”’)").endswith("σ"))


def _latin_word(word: str, points: list[float], profile: Profile) -> float:
    letters = {c for c in word.lower() if not c.isascii() and c.isalpha()}
    run = longest = 0
    for char in word:
        run = run + 1 if (char.isalpha() and not char.isascii()) else 0
        longest = max(longest, run)
    if longest >= 3:
        return 0.1                            # "Èâàí": Cyrillic or Greek read as Latin
    if letters and not letters_fit(letters, ALPHABETS[profile.languages]):
        return 0.2
    if letters and breaks_spelling(word.lower(), profile.languages):
        return 0.2
    lone = [c for c in word if c.isalpha() and not c.isascii()]
    if len(word) == 1 and lone and lone[0].lower() not in "àáéèóòöåùìíúô":
        return 0.2
    if lone and any(ch.isdigit() for ch in word):
        return 0.2                            # "Ł12.50" is "£12.50" in the wrong code page
    return sum(points) / len(points)


def _one_language_share(words: list[str], alphabets: dict[str, str]) -> float:
    """The share of words whose accented letters fit the one language that fits most of them.

    A tie-breaker between code pages that both give plausible words: mac_roman reads a
    Portuguese file as Portuguese throughout, mac_latin2 as a Czech-Croatian-Polish medley.
    """
    sets = [{c for c in w.lower() if c.isalpha() and not c.isascii()} for w in words]
    # A word whose only non-ASCII characters are well-placed punctuation („Zitat“, it’s) fits
    # every language; the same bytes read as stray letters (Ĺsingleĺ) may fit none.
    punctuated = sum(1 for w, letters in zip(words, sets) if not letters and _punctuated(w))
    sets = [letters for letters in sets if letters]
    if not sets and not punctuated:
        return 0.0
    best = max((sum(1 for letters in sets if letters <= set(alphabet))
                for alphabet in alphabets.values()), default=0)
    return (best + punctuated) / (len(sets) + punctuated)


def _punctuated(word: str) -> bool:
    """Every non-ASCII character of `word` is punctuation in its usual place."""
    marks = [i for i, c in enumerate(word) if not c.isascii()]
    return bool(marks) and all(_well_placed(word, i) for i in marks)


def _stopword_hits(text: str, group: str) -> int:
    """How many words of the start of `text` are short words marking `group`."""
    marks = STOPWORDS.get(group, frozenset())
    return sum(1 for word in _WORD_SPLIT.split(text[:SCORED_CHARS].lower()) if word in marks)


def words_of(text: str, limit: int = MAX_WORDS) -> list[str]:
    """The distinct words of `text` that hold a non-ASCII character, at most `limit`.

    Only the first `SCORED_CHARS` characters are split: the sample is made of text around
    non-ASCII bytes, so that much holds plenty of words, and ranking 40 code pages stays cheap.
    """
    seen: dict[str, None] = {}
    for word in _WORD_SPLIT.split(text[:SCORED_CHARS]):
        if word and not word.isascii() and word not in seen:
            seen[word] = None
            if len(seen) >= limit:
                break
    return list(seen)


def word_scores(text: str, profile: Profile) -> list[float]:
    """Each distinct non-ASCII word's score in `text` (as `score_text` reads it), -1 to 1."""
    return [_word_score(word, profile) for word in words_of(text)]


def score_words(words: list[str], profile: Profile) -> float:
    """Mean word score of `words` (-1 to 1); 0 when there are none."""
    if not words:
        return 0.0
    return sum(_word_score(word, profile) for word in words) / len(words)


def score_text(text: str, profile: Profile, checked: bool = False) -> float:
    """-1 to 1: how much `text` reads like real text of `profile`'s kind (-2 when unreadable).

    `checked`: the caller has already ruled out unreadable characters (a single-byte codec
    whose every byte in the file decodes readably), so the text is not searched again.
    """
    if not checked and unreadable(text) is not None:
        return -2.0
    text = text[:SCORED_CHARS]
    words = words_of(text)
    score = score_words(words, profile)
    if profile.script == "Latin":
        score += 0.15 * _one_language_share(words, ALPHABETS[profile.languages])
        score += 0.1 * min(1.0, _stopword_hits(text, profile.languages) / 2)
    if profile.script == "CJK":
        score *= cjk.text_factor(text, profile.languages)
    return score


_UNICODE_PROFILES = {
    "Latin": [Profile("Latin", name) for name in ALPHABETS],
    "CJK": [Profile("CJK", name) for name in ("ja", "zh-s", "zh-t", "ko")],
}


def score_unicode(text: str) -> float:
    """Like `score_text` for a Unicode encoding: each word is judged by its own script."""
    words = words_of(text)
    if not words:
        return 0.0
    total = 0.0
    for word in words:
        script = next((s for s in map(script_of, word) if s), "Latin")
        profiles = _UNICODE_PROFILES.get(script, [Profile(script)])
        total += max(_word_score(word, profile) for profile in profiles)
    return total / len(words)
