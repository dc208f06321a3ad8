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
