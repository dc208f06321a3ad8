// How sure the engine is of a group or a match, in the review: a badge beside it, and the
// "Certainty" filter. "certain" is acted on by Save at once; "possible" waits for a person;
// "none" is a left row the engine found no partner for (datatools/app/review.py CERTAINTIES).
import { el } from "./dom.js";
import { t } from "./i18n.js";

const LABELS = { certain: "certainty.certain", possible: "certainty.possible", none: "certainty.none" };

export function certaintyBadge(certainty) {
  return el("span", { class: `certainty ${certainty}`, text: t(LABELS[certainty]) });
}

// A select of `choices` (plus "any") with id `id`; `apply` runs when it changes.
export function certaintyFilter(id, choices, apply) {
  return el("div", { class: "field" }, el("label", { for: id, text: t("certainty.filter") }),
    el("select", { id, onchange: apply }, el("option", { value: "", text: t("certainty.any") }),
      choices.map((value) => el("option", { value, text: t(LABELS[value]) }))));
}
