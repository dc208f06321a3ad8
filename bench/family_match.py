"""Match precision on a list of families (issue 30): relatives a match must not take for one
person when the tables hold a date of birth that `--on` does not name.

    python -m bench.family_match [--datatools PYTHONPATH] [--rows 600] [--country us] [--seed 3]

Left: `rows` people (bench/synthetic/customers.py: real name frequencies, households,
strangers) with a date of birth; right: a corrupted copy of each (customers._corrupt; a date of
birth kept, mistyped by one digit, or left empty) beside 100 people with no partner, and for a
share of the left people a relative on the right *instead of* them (their partner is absent):

- a son of the same name, address and `Jr.`-less given name, born 20–40 years later;
- `Sr.` on the left, `Jr.` on the right (`Robert Smith Sr.` / `Robert Smith Jr.`);
- a twin: the same surname, address and date of birth, another given name of the same sex
  drawn from the list, or the other sex's form a letter apart (`Johanna` for `Johannes`).

And for as many the son is on the right *beside* the father (a tie the date of birth breaks).
Compared on first, last, street, zip and city; the date of birth is in both tables, not
compared. Prints precision and recall of the certain matches at defaults (what a default
`datatools match` writes) and with the possible ones too, for the `datatools` found on
`--datatools` (a PYTHONPATH: /work/main for main's code, a worktree for a branch).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from bench.synthetic.customers import _corrupt, _people, name_lists

ON = "first,last,street,zip,city"
TWIN_FORMS = [("Johannes", "Johanna"), ("Paulo", "Paula"), ("Antonio", "Antonia"),
              ("Daniel", "Daniela"), ("Christian", "Christiane"), ("Frederick", "Frederica")]


def _date(rng: random.Random, low: int, high: int) -> tuple[int, int, int]:
    return rng.randint(low, high), rng.randint(1, 12), rng.randint(1, 28)


def _written(day: tuple[int, int, int]) -> str:
    year, month, date = day
    return f"{month:02d}/{date:02d}/{year}"


def families(rows: int, country: str, seed: int
             ) -> tuple[pd.DataFrame, pd.DataFrame, dict[int, int], dict[str, int], list[str]]:
    """(left, right, partner: left row → its right row, kinds: how many of each trap, each
    right row's kind: "" for a partner or a stranger, else its trap)."""
    rng, gen = random.Random(seed), np.random.default_rng(seed)
    people = _people(rng, gen, country, rows + 100)
    _, _, given, _ = name_lists(country)
    born = [_date(rng, 1940, 1975) for _ in people]
    left = [dict(p, dob=_written(d)) for p, d in zip(people[:rows], born[:rows])]
    right: list[dict[str, str]] = []
    kind_of: list[str] = []
    partner: dict[int, int] = {}
    kinds = {"son instead": 0, "Jr. instead of Sr.": 0, "twin instead": 0, "son beside": 0}
    for k, person in enumerate(left):
        draw = rng.random()
        if draw < 0.04:                                   # the son instead of the father
            year, month, day = born[k]
            right.append(dict(_corrupt(rng, person, country), dob=_written(
                (year + rng.randint(20, 40), rng.randint(1, 12), rng.randint(1, 28)))))
            kinds["son instead"] += 1
            kind_of.append("son instead")
            continue
        if draw < 0.06:                                   # Jr. on the right, Sr. on the left
            year, _, _ = born[k]
            first = person["first"]
            person["first"] = f"{first} Sr."
            right.append(dict(person, first=f"{first} Jr.",
                              dob=_written((year + rng.randint(20, 40), rng.randint(1, 12),
                                            rng.randint(1, 28)))))
            kinds["Jr. instead of Sr."] += 1
            kind_of.append("Jr. instead of Sr.")
            continue
        if draw < 0.09:                                   # a twin instead
            forms = [pair for pair in TWIN_FORMS if person["first"] in pair]
            other = (forms[0][1] if forms[0][0] == person["first"] else forms[0][0]) if forms \
                else rng.choice(given)
            if draw < 0.075:
                person["first"], other = rng.choice(TWIN_FORMS)
            right.append(dict(person, first=other))
            kinds["twin instead"] += 1
            kind_of.append("twin instead")
            continue
        copy = _corrupt(rng, person, country)
        dob = person["dob"]
        roll = rng.random()
        if roll < 0.1:
            digits = list(dob)
            spot = rng.choice([0, 1, 3, 4, 8, 9])
            digits[spot] = str((int(digits[spot]) + 1) % 10)
            dob = "".join(digits)
        elif roll < 0.2:
            dob = ""
        partner[k] = len(right)
        right.append(dict(copy, dob=dob))
        kind_of.append("")
        if draw < 0.12:                                   # the son beside the father
            year, _, _ = born[k]
            right.append(dict(person, dob=_written((year + rng.randint(20, 40), 6, 15))))
            kinds["son beside"] += 1
            kind_of.append("son beside")
    right += [dict(p, dob=_written(d)) for p, d in zip(people[rows:], born[rows:])]
    kind_of += [""] * (len(right) - len(kind_of))
    order = gen.permutation(len(right))
    place = {int(old): new for new, old in enumerate(order.tolist())}
    right = [right[k] for k in order.tolist()]
    kind_of = [kind_of[k] for k in order.tolist()]
    partner = {k: place[r] for k, r in partner.items()}
    columns = ["first", "last", "street", "zip", "city", "phone", "dob"]
    return (pd.DataFrame(left, columns=columns), pd.DataFrame(right, columns=columns),
            partner, kinds, kind_of)


def measure(pythonpath: str, left: pd.DataFrame, right: pd.DataFrame,
            partner: dict[int, int], kind_of: list[str]) -> str:
    """Precision and recall of a default `datatools match` run from `pythonpath`, and the
    wrong certain matches by the kind of right row taken."""
    with tempfile.TemporaryDirectory() as folder:
        paths = [Path(folder) / name for name in ("left.csv", "right.csv", "out.csv")]
        right = right.assign(rid=[f"R{k}" for k in range(len(right))])
        left.to_csv(paths[0], index=False)
        right.to_csv(paths[1], index=False)
        subprocess.run([sys.executable, "-m", "datatools", "match", str(paths[0]), str(paths[1]),
                        "--on", ON, "--include-possible", "-o", str(paths[2]), "-q"], check=True,
                       env={**os.environ, "PYTHONPATH": pythonpath}, cwd=folder)
        out = pd.read_csv(paths[2], dtype=str, keep_default_na=False)
    parts = []
    for label, wanted in (("certain", {"certain"}), ("with possible", {"certain", "possible"})):
        written = zip(out["right_rid"], out["match_certainty"])
        found = {(k, int(r[1:])) for k, (r, c) in enumerate(written) if c in wanted and r}
        right_found = sum(1 for k, r in found if partner.get(k) == r)
        parts.append(f"{label}: precision {right_found / max(len(found), 1):.3f} "
                     f"({len(found) - right_found} wrong of {len(found)}), "
                     f"recall {right_found / len(partner):.3f}")
        if label == "certain":
            wrong: dict[str, int] = {}
            for k, r in found:
                if partner.get(k) != r:
                    kind = kind_of[r] or "another person"
                    wrong[kind] = wrong.get(kind, 0) + 1
            parts.append(f"wrong certain by kind {wrong}")
    return "; ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datatools", action="append", default=None,
                        help="PYTHONPATH of the datatools to run (repeatable)")
    parser.add_argument("--rows", type=int, default=600)
    parser.add_argument("--country", default="us")
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    left, right, partner, kinds, kind_of = families(args.rows, args.country, args.seed)
    print(f"{len(left)} left rows, {len(right)} right rows, {len(partner)} true partners; {kinds}")
    for path in args.datatools or [str(Path(__file__).resolve().parent.parent)]:
        print(f"{path}: {measure(path, left, right, partner, kind_of)}")


if __name__ == "__main__":
    main()
