"""Colours and article codes that make two product values two variants (DECISIONS 319, 320).

`Wool Beanie - Blue / One Size` and `Wool Beanie - Green / One Size` share every word but the
colour and score above CERTAIN_SCORE; so do `Tote Bag Grey` and `Tote Bag Dark Grey`, and the
article codes `CT-GREY-M` and `CH-GREY-M`. A trial's `--keep first` removed such variants of a
shop's list. The colour words are a maintained list (no kept library names colours in these six
languages: webcolors holds the CSS names, English only), read only in columns named for products
(a surname `Braun`, `Schwarz`, `White` is no colour, nor a street `Weißer Weg`).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from datatools.tools.variants import _WORD

if TYPE_CHECKING:
    from datatools.tools.ranked import RankedText

# Basic colour words as normalised text spells them (`Weiß` → weiss, `Grün` → grun), in English,
# German (with the endings of `rote Tasse`), French, Spanish, Italian and Dutch.
COLOURS = frozenset("""
red blue green black white grey gray yellow pink purple brown orange beige silver gold navy
olive teal turquoise cream ivory khaki charcoal burgundy maroon violet lilac magenta cyan
anthracite mint coral lavender sand taupe mocha camel tan rust plum petrol sage mustard ochre
salmon peach aqua indigo fuchsia emerald bronze copper champagne ecru graphite slate espresso
oliv bordeaux marine creme apricot koralle senf
kaki sable corail ocre prune moutarde arena dorado plateado sabbia oro argento
rot rote roter rotes blau blaue blauer blaues grun grune gruner grunes gruen schwarz schwarze
schwarzer schwarzes weiss weisse weisser weisses weis grau graue grauer graues gelb gelbe gelber
gelbes braun braune brauner braunes rosa lila silber turkis anthrazit rost
rouge bleu bleue vert verte noir noire blanc blanche gris grise jaune rose marron brun brune
rojo roja azul verde negro negra blanco blanca amarillo amarilla morado morada
rosso rossa blu nero nera bianco bianca grigio grigia giallo gialla viola marrone
rood blauw groen zwart wit grijs geel roze paars bruin oranje
""".split())
# One colour's words in several languages, a line each (the words of COLOURS, first the English
# one): `Blau` and `Blue` name one colour, `Grau` and `Grün` two (issue 30). A word on no line is
# a colour of its own.
SAME_COLOUR = {word: line.split()[0] for line in """
red rot rote roter rotes rouge rojo roja rosso rossa rood
blue blau blaue blauer blaues bleu bleue azul blu blauw
green grun grune gruner grunes gruen vert verte verde groen
black schwarz schwarze schwarzer schwarzes noir noire negro negra nero nera zwart
white weiss weisse weisser weisses weis blanc blanche blanco blanca bianco bianca wit
grey gray grau graue grauer graues gris grise grigio grigia grijs
yellow gelb gelbe gelber gelbes jaune amarillo amarilla giallo gialla geel
pink rosa rose roze
purple morado morada paars
brown braun braune brauner braunes marron brun brune marrone bruin
orange oranje
silver silber argento plateado
gold oro dorado
turquoise turkis
anthracite anthrazit
olive oliv
cream creme
khaki kaki
coral koralle corail
mustard senf moutarde
ochre ocre
sand sable sabbia arena
plum prune
rust rost
""".strip().splitlines() for word in line.split()}
# Words that make a colour another shade (`Light Blue`, `Dunkelgrau`, `bleu clair`).
MODIFIERS = frozenset("""
light dark pale deep bright off hell dunkel clair fonce claro oscuro chiaro scuro licht donker
""".split())
# Column names that say the column holds products (a word starting with one of these, folded as
# similarity.column_name_words folds them): only there are colour words colours.
PRODUCT_COLUMN_WORDS = ("product", "produkt", "produit", "producto", "prodotto", "artikel",
                        "article", "articulo", "articolo", "item", "title", "titel", "titre",
                        "bezeichnung", "description", "beschreibung", "descripcion", "descrizione",
                        "omschrijving", "designation", "libelle", "variant")
# Column names that say the column holds article codes (`SKU`, `Variant SKU`, `EAN`): two
# different codes there are two items (DECISIONS 320).
ARTICLE_CODE_WORDS = ("sku", "ean", "gtin", "upc", "isbn", "mpn", "asin", "artikelnr",
                     "artikelnummer")
# Column names that say the column holds colours (`Colour`, `Farbe`, `Couleur`, `Kleur`): there
# two different colour words are two variants (issue 30: `Grau`/`Grün` scored 75 and merged).
# A column whose distinct values name a colour this often holds colours (holds_colours), in a
# spread sample of this many values.
COLOUR_SHARE, COLOUR_SAMPLE = 0.8, 200
COLOUR_COLUMN_WORDS = ("colour", "color", "colore", "colori", "farb", "couleur", "kleur", "kolor")


def _shades(value: str) -> "tuple[Counter, set]":
    """A normalised value's colour words, counted, and its modifiers; a compound (`hellblau`,
    `darkgrey`) is split into its modifier and its colour. Counted, because a brand or a line
    may be a colour word itself: `Blue Hand Mixer - Pink` holds blue once, `- Blue` twice."""
    colours, modifiers = Counter(), set()
    words = _WORD.findall(value.lower())
    for word, after in zip(words, words[1:] + [""]):
        if word == "blu" and after == "ray":
            continue                                    # `Blu-ray`, a disc, not Italian blue
        if word in COLOURS:
            colours[SAME_COLOUR.get(word, word)] += 1
        elif word in MODIFIERS:
            modifiers.add(word)
        else:
            for modifier in MODIFIERS:
                if word.startswith(modifier) and word[len(modifier):] in COLOURS:
                    modifiers.add(modifier)
                    colours[SAME_COLOUR.get(word[len(modifier):], word[len(modifier):])] += 1
    return colours, modifiers


def colours_differ(left: str, right: str) -> bool:
    """Do two normalised product values name two colours: each holds a colour word the other
    lacks, counted (`blue`/`green`; `Blue Mixer - Pink`/`Blue Mixer - Blue`: a brand that is a
    colour word), or both name a colour and their modifiers differ (`grey`/`dark grey`,
    `hellblau`/`blau`)? A colour on one side only is no evidence (`Mug`/`Mug Black`); one
    colour in two languages is one colour (SAME_COLOUR: `Blau`/`Blue`)."""
    one, other = _shades(left), _shades(right)
    if (one[0] - other[0]) and (other[0] - one[0]):
        return True
    return bool(one[0]) and bool(other[0]) and one[1] != other[1]


def names_product(name: str) -> bool:
    """Is a column named for products (PRODUCT_COLUMN_WORDS: `Product`, `Variant Title`)?"""
    from datatools.tools.similarity import name_says

    return name_says(name, PRODUCT_COLUMN_WORDS)


def names_colour(name: str) -> bool:
    """Is a column named for colours (COLOUR_COLUMN_WORDS: `Colour`, `Farbe`, `Couleur`)?"""
    from datatools.tools.similarity import name_says

    return name_says(name, COLOUR_COLUMN_WORDS)


def holds_colours(text: "RankedText") -> bool:
    """Do most of a column's distinct filled values (COLOUR_SHARE of up to COLOUR_SAMPLE spread
    over them) name a colour (`Grau`, `Dunkelblau`, `Schwarz/Grau`), whatever the column is
    called (`Variante`, `Option1`)? `text`: a ranked.RankedText of normalised values."""
    import numpy as np

    values = text.values
    spread = np.unique(np.linspace(0, len(values) - 1, min(len(values), COLOUR_SAMPLE)).astype(int))
    picked = (values[spread].tolist() if isinstance(values, np.ndarray)
              else values.take(spread).to_pylist())
    filled = [str(value) for value in picked if value]
    return bool(filled) and sum(bool(_shades(value)[0]) for value in filled) >= COLOUR_SHARE * len(filled)


def names_codes(name: str) -> bool:
    """Is a column named for article codes (ARTICLE_CODE_WORDS: `SKU`, `Variant SKU`)?"""
    from datatools.tools.similarity import name_says

    return name_says(name, ARTICLE_CODE_WORDS)
