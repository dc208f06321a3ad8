"""The match_reason text: which columns agreed, differed or were empty, what vetoed, which rare
words carried the match. Every number in it is one the user can recompute."""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    import numpy as np

    from datatools.tools.similarity import PreparedColumns, Veto

# A probability this far above what a pair's weights give was lifted (keyed_twice.py): its
# reason gives both (float32 rounding stays well below).
LIFTED_BY = 0.0005


def explain(prepared: "PreparedColumns", first: int, second: int,
            column_scores: Sequence[int]) -> str:
    """Why rows `first` and `second` match, e.g.
    "agreed name 100, city 92; differed zip 40; empty phone; whole row 95; rare words dupont".
    """
    import numpy as np

    return explain_pairs(prepared, np.array([first]), np.array([second]),
                         np.asarray([column_scores]))[0]


def explain_pairs(prepared: "PreparedColumns", first: "np.ndarray", second: "np.ndarray",
                  column_scores: "np.ndarray") -> list[str]:
    """`explain` for many pairs at once: the word weights are looked up vectorised, and pairs
    with the same column scores share their text."""
    parts_of: dict[bytes, list[str]] = {}
    rare = shared_rare_words(prepared, first, second, column_scores)
    texts = []
    for k in range(len(first)):
        key = column_scores[k].tobytes()
        if key not in parts_of:
            parts_of[key] = _column_parts(prepared, column_scores[k])
        parts = parts_of[key]
        texts.append("; ".join(parts + [f"rare words {', '.join(rare[k])}"] if rare[k] else parts))
    return texts


def explain_veto(prepared: "PreparedColumns", veto: "Veto", column_scores: Sequence[int]) -> str:
    """Why a pair that scored enough was not matched: "vetoed by first (robert vs linda); …"."""
    name = prepared.names[veto.column]
    return "; ".join([f"vetoed by {name} ({veto.word_a} vs {veto.word_b})",
                      *_column_parts(prepared, column_scores, skip=veto.column)])


def explain_vetoes(prepared: "PreparedColumns", vetoes: "Sequence[Veto]",
                   column_scores: "Sequence[Sequence[int]]") -> list[str]:
    """`explain_veto` for many vetoed pairs (vetoes[k] with column_scores[k]): pairs whose
    veto column and column scores agree share the text after the vetoing words."""
    tails: dict[tuple[int, bytes], str] = {}
    texts = []
    for veto, scores in zip(vetoes, column_scores):
        key = (veto.column, bytes(scores))
        if key not in tails:
            tails[key] = "".join(f"; {part}" for part in
                                 _column_parts(prepared, scores, skip=veto.column))
        texts.append(f"vetoed by {prepared.names[veto.column]} ({veto.word_a} vs {veto.word_b})"
                     + tails[key])
    return texts


def _column_parts(prepared: "PreparedColumns", column_scores: Sequence[int],
                  skip: int | None = None) -> list[str]:
    from datatools.tools.similarity import CHANCE_SIMILARITY, MISSING

    agreed, differed, empty = [], [], []
    for column, (name, score) in enumerate(zip(prepared.names, column_scores)):
        if column == skip:
            continue
        exact = bool(prepared.exact_only) and prepared.exact_only[column]
        if score == MISSING:
            empty.append(name)
        elif score > CHANCE_SIMILARITY and (score == 100 or not exact):
            # An e-mail agrees only when equal: `william.smith799@…` and `william.smith869@…`
            # (81) are two addresses (linkage_model.levels_of).
            agreed.append(f"{name} {int(score)}")
        else:
            differed.append(f"{name} {int(score)}")
    parts = []
    for label, items in (("agreed", agreed), ("differed", differed), ("empty", empty)):
        if items:
            parts.append(f"{label} {', '.join(items)}")
    parts.append(f"whole row {int(column_scores[-1])}")
    return parts


def shared_rare_words(prepared: "PreparedColumns", first: "np.ndarray", second: "np.ndarray",
                      column_scores: "np.ndarray") -> list[list[str]]:
    """Per pair, the rarest words both rows' cores hold in columns that agreed: at most
    RARE_WORDS_SHOWN, rarest first (longer first among equals). Only words of letters: a
    postcode part or a house number is evidence, but not a word a reader recognises."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from datatools.tools.similarity import CHANCE_SIMILARITY, MISSING, RARE_WORDS_SHOWN

    found: list[dict[str, float]] = [{} for _ in range(len(first))]
    for column, words in enumerate(prepared.words):
        scores = column_scores[:, column]
        agreed = (scores != MISSING) & (scores > CHANCE_SIMILARITY)
        core = prepared.core[column]
        if core is None:
            # One word (or no letters) per value: shared exactly when the values are equal.
            same = np.flatnonzero(agreed & (prepared.ranks[column][first]
                                            == prepared.ranks[column][second]))
            if not len(same):
                continue
            values = pa.array(prepared.text[column][first[same]], type=pa.string())
            where = np.asarray(pc.fill_null(pc.index_in(values, value_set=words.vocabulary), -1))
            alpha = np.asarray(pc.match_substring_regex(values, r"^\pL+$"), dtype=bool)
            weight = np.where(where >= 0, words.rarity[np.maximum(where, 0)], 0.0)
            for k, word, w in zip(same[alpha & (weight > 0)].tolist(),
                                  values.filter(pa.array(alpha & (weight > 0))).to_pylist(),
                                  weight[alpha & (weight > 0)].tolist()):
                found[k][word] = max(w, found[k].get(word, 0.0))
            continue
        pairs = np.flatnonzero(agreed)
        for k, one, other in zip(pairs.tolist(), core[first[pairs]].tolist(),
                                 core[second[pairs]].tolist()):
            for word in set(one.split()) & set(other.split()):
                weight = words.weight(word)
                if weight > 0 and word.isalpha():
                    found[k][word] = max(weight, found[k].get(word, 0.0))
    return [sorted(seen, key=lambda word: (-seen[word], -len(word), word))[:RARE_WORDS_SHOWN]
            for seen in found]


def describe_weights(names: "list[str]", levels: "np.ndarray", weights: "np.ndarray",
                     prior_weight: float, probability: float, common: "np.ndarray",
                     weighed: float | None = None) -> str:
    """One pair's waterfall in words (levels and weights from tools/linkage_model.py), e.g. "last agrees +12.1, first agrees +11.6, email empty;
    start −15.3 → 99.7 %". `common[c]` marks an exact agreement on a value held
    by more than COMMON_SHARE of the rows. `weighed`: what the weights alone give, when
    `probability` may have been lifted above it (weights_end)."""
    parts = [weight_part(name, int(levels[column]), float(weights[column]), bool(common[column]))
             for column, name in enumerate(names)]
    return f"{', '.join(parts)}{weights_end(prior_weight, probability, weighed)}"


def weight_part(name: str, level: int, weight: float, common: bool) -> str:
    """One column's part of `describe_weights`: "last agrees +12.1 (common value)", "email empty"."""
    from datatools.tools.linkage_model import EMPTY, LEVEL_NAMES

    if level == EMPTY:
        return f"{name} empty"
    text = f"{name} {LEVEL_NAMES[level]} {_signed(weight)}"
    return text + " (common value)" if level == 0 and common else text


def weights_end(prior_weight: float, probability: float, weighed: float | None = None) -> str:
    """How `describe_weights` ends: "; start −15.3 → 99.7 %". `weighed`, the probability the
    weights alone give, when a pair was lifted above it (a listing keyed twice identically,
    keyed_twice.py): "; start −15.7 → 43.0 %; the same values in these two rows alone → 99.0 %"."""
    if weighed is not None and probability - weighed > LIFTED_BY:
        return (f"; start {_signed(prior_weight)} → {percent(weighed)}; the same values in "
                f"these two rows alone → {percent(probability)}")
    return f"; start {_signed(prior_weight)} → {percent(probability)}"


def percent(probability: float) -> str:
    """A probability as a percentage a reader can trust: never 100 % nor 0 % when it is not."""
    value = probability * 100
    if value >= 99.95:
        return ">99.9 %"
    if value < 0.05:
        return "<0.1 %"
    return f"{value:.1f} %"


def _signed(value: float) -> str:
    return f"+{value:.1f}" if value >= 0 else f"−{-value:.1f}"
