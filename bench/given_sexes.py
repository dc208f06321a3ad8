"""Write datatools/data/given_sexes.csv: the given names that certainty.gendered_pair reads by
their sex (DECISIONS 392), folded as the compared columns fold them, each with the sexes the
lists give it (`m`, `f` or `mf`).

Sources: bench/data/names/de_given.csv and us_given.csv (registry offices of Berlin, Köln,
Leipzig; US Social Security: bench/data/README.md) and the `first_names_male` /
`first_names_female` lists of Faker's it_IT, fr_FR, es_ES, pt_PT, pt_BR, de_DE and en_US person
providers (Faker 40.63, MIT licence), which give Italian, French, Spanish and Portuguese names
their sex (`Simone` is a woman's name in the German and US lists, a man's in Italy). Only names
that pair with another of the lists by one of the _SEXED_ENDINGS shapes are written.

    python bench/given_sexes.py [FAKER_PATH]
"""
import csv
import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ("it_IT", "fr_FR", "es_ES", "pt_PT", "pt_BR", "de_DE", "en_US")


def main() -> None:
    if len(sys.argv) > 1:
        sys.path.insert(0, sys.argv[1])
    sys.path.insert(0, str(ROOT))
    from datatools.tools.certainty import _SEXED_ENDINGS, _STEM
    from datatools.tools.normalize import normalize_text

    sexes: dict[str, set[str]] = {}

    def add(names, sex):
        for name in normalize_text(list(names)).to_pylist():
            if name and " " not in name:
                sexes.setdefault(name, set()).add(sex)

    for file, female in (("de_given.csv", "w"), ("us_given.csv", "f")):
        with open(ROOT / "bench/data/names" / file, encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        add([r["name"] for r in rows if r["sex"] == female], "f")
        add([r["name"] for r in rows if r["sex"] != female], "m")
    for locale in LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        add(provider.first_names_male, "m")
        add(provider.first_names_female, "f")
    kept = set()
    for one, other in _SEXED_ENDINGS:
        for name in sexes:
            stem = name[:len(name) - len(one)]
            if name.endswith(one) and len(stem) >= _STEM and stem + other in sexes:
                kept.update((name, stem + other))
    out = ROOT / "datatools/data/given_sexes.csv"
    with open(out, "w", encoding="utf-8", newline="") as f:
        f.write("name,sexes\n")
        for name in sorted(kept):
            f.write(f"{name},{''.join(sorted(sexes[name]))}\n")
    print(f"{len(kept)} names written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
