"""The accented letters of each Latin-script language, grouped by the code pages made for them.

The Latin code pages (cp1252, cp1250, cp1254, cp1257, mac_roman, cp850…) map the same bytes to
different accented letters, and each one's letters make sense together only in the languages it
was made for: `Přílią` mixes Czech ř with Polish ą (ISO-8859-2 read as cp1250), `Amélie` read
from mac_roman bytes as cp1252 gives `AmÈlie`. A word whose accented letters all belong to one
language of the code page's group fits; `plausible.py` scores words with that rule.
"""

from __future__ import annotations

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
_TURKISH = {"turkish": "çğıöşüâîû", "kurdish": "çêîşû", "azeri": "çəğıöşü", **_WESTERN}

ALPHABETS: dict[str, dict[str, str]] = {
    "western": _WESTERN, "central": _CENTRAL, "baltic": _BALTIC, "turkish": _TURKISH,
}


def letters_fit(letters: set[str], alphabets: dict[str, str]) -> bool:
    """True when the lower-case accented `letters` all belong to one language of `alphabets`."""
    return any(letters <= set(alphabet) for alphabet in alphabets.values())


_VOWELS = set("aeiouyàáâãäåæèéêëìíîïòóôõöøùúûüýœąęó")
# Spelling rules a wrong code page breaks on short texts where every letter "fits" a language:
# Spanish ñ is always followed by a vowel ("Gdañsk" is cp1250's Gdańsk read as cp1252); Italian
# and French è ì ò ù are never followed by one ("vèera" is Czech "včera"); Portuguese õ comes
# before e ("ões"); French œ before u, i, e, s or t; Polish ń ś ć ź never before a vowel
# (that is spelt "ni", "si"…: "Peńa" is Spanish "Peña" read as cp1250).
_FOLLOWED_BY_VOWEL = {"western": set("ñ")}
_NOT_FOLLOWED_BY_VOWEL = {"western": set("èìòù"), "central": set("ńśćź")}
_FOLLOWED_BY = {"western": {"õ": set("e"), "œ": set("uiest")}}


# A vowel doubled by its accented form ("Straáenbahn", cp850's ß read as cp1252) is not
# written in any Western language; the diaeresis (coöperatie, Zoë) is the exception.
_DOUBLED = {"á": "a", "à": "a", "â": "a", "é": "e", "è": "e", "ê": "e", "í": "i", "ì": "i",
            "î": "i", "ó": "o", "ò": "o", "ô": "o", "ú": "u", "ù": "u", "û": "u"}


def breaks_spelling(word: str, group: str) -> bool:
    """True when `word` (lower case) breaks a spelling rule of every language in `group`."""
    if group == "western" and any(_DOUBLED.get(b) == a for a, b in zip(word, word[1:])):
        return True
    must_vowel = _FOLLOWED_BY_VOWEL.get(group, set())
    no_vowel = _NOT_FOLLOWED_BY_VOWEL.get(group, set())
    followers = _FOLLOWED_BY.get(group, {})
    for index, char in enumerate(word):
        after = word[index + 1] if index + 1 < len(word) else ""
        if char in must_vowel and after not in _VOWELS:
            return True
        if char in no_vowel and after in _VOWELS:
            return True
        if char in followers and after and after not in followers[char]:
            return True
    return False
