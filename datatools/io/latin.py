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
    "estonian": "äõöüšž",      # ISO 8859-15 added š ž for Finnish and Estonian
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
_FOLLOWED_BY_VOWEL = {"western": set("ñ"), "central": set("ţț")}   # Romanian ţ: ţa, ţi, ţe
_NOT_FOLLOWED_BY_VOWEL = {"western": set("èìòù"), "central": set("ńśćź")}
_FOLLOWED_BY = {"western": {"œ": set("uiest")}}


# A vowel doubled by its accented form ("Straáenbahn", cp850's ß read as cp1252) is not
# written in any Western language; the diaeresis (coöperatie, Zoë) is the exception.
_DOUBLED = {"á": "a", "à": "a", "â": "a", "é": "e", "è": "e", "ê": "e", "í": "i", "ì": "i",
            "î": "i", "ó": "o", "ò": "o", "ô": "o", "ú": "u", "ù": "u", "û": "u"}


def breaks_spelling(word: str, group: str) -> bool:
    """True when `word` (lower case) breaks a spelling rule of every language in `group`."""
    if group == "western" and any(_DOUBLED.get(b) == a for a, b in zip(word, word[1:])):
        return True
    if group == "western" and len(word) > 1 and word[0] in "ìòù":
        return True      # Italian puts ì ò ù at the end of a word, never at its start
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


# Short ASCII words that mark a language group: a tie-breaker when the accented letters of a
# short text fit both readings ("Comanda a fost trimisă ieri" is Romanian, not Portuguese).
# A word in more than one group's list marks none (`de`, `a`, `na`…).
_STOPWORDS = {
    "western": """the and of to with for from is are was were this that order street le les des du
        et est une pour dans avec sur pas qui nous vous der die das und ist nicht mit sich auf ein
        eine den dem zu von aus nach el los las y en que del por con una para es os um em dos das
        ao il di che per non sono della gli het een van ik dat niet og det er til med som och att
        av""",
    "central": """w z nie jest jak ale tak za przez dla v se jsou byl byla bylo jako pro jsme jsem
        sa so ako pre sme az hogy nem egy meg van volt mint csak si cu pe ca din fost este sunt care
        nu mai da kao""",
    "turkish": "ve bir bu ile olarak daha gibi kadar sonra ama veya",
    "baltic": "ir kad yra tai bet su un ka ar uz par kas",
}
_COUNTS: dict[str, int] = {}
for _words in _STOPWORDS.values():
    for _word in set(_words.split()):
        _COUNTS[_word] = _COUNTS.get(_word, 0) + 1
STOPWORDS = {group: frozenset(w for w in words.split() if _COUNTS[w] == 1)
             for group, words in _STOPWORDS.items()}
