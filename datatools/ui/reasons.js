// The engine's match reasons in the window's language.
import { t } from "./i18n.js";

// The engine's reason (datatools/tools/reasons.py: "row 5: agreed name 94, city 100; differed
// zip 40; empty phone; whole row 94; rare words dupont") in the window's language; a part of
// another shape is shown as it is.
const REASON = /^(right )?row (\d+):? (.*)$/;
const PARTS = [
  [/^agreed (.+)$/, (m) => t("reason.agreed", { columns: m[1] })],
  [/^differed (.+)$/, (m) => t("reason.differed", { columns: m[1] })],
  [/^empty (.+)$/, (m) => t("reason.empty", { columns: m[1] })],
  [/^whole row (\d+)$/, (m) => t("reason.whole", { score: m[1] })],
  [/^rare words (.+)$/, (m) => t("reason.rare", { words: m[1] })],
  [/^vetoed by (.+) \((.+) vs (.+)\)$/, (m) => t("reason.vetoed", { column: m[1], a: m[2], b: m[3] })],
  // match's uncompared date of birth or identifier (tools/match_evidence.py): the column's
  // name and both values are the user's own; they reach the page as text (dom.js `el`).
  [/^(.+) differs \((.*) vs (.*)\), not compared$/,
   (m) => t("reason.not_compared", { column: m[1], a: m[2], b: m[3] })],
  // match's choice among partners (datatools/tools/match.py `match_rows`, match_codes.py
  // `_reasons`): a tie, a lead for both rows, a model number the two rows share.
  [/^tied with right row (\d+)$/, (m) => t("reason.tied", { row: Number(m[1]) })],
  [/^best for both rows by (\d+)$/, (m) => t("reason.mutual", { lead: m[1] })],
  [/^the same model number (.+) in both$/, (m) => t("reason.model_both", { code: m[1] })],
  [/^the same model number (.+?)(, its colour lettered two ways)?, (held by no other row|agreeing in no other pair)$/,
   (m) => [t("reason.model_code", { code: m[1] }), ...(m[2] ? [t("reason.model_colour")] : []),
           t(m[3].startsWith("held") ? "reason.model_alone" : "reason.model_pair")].join(", ")],
  [/^matched to left row (\d+) \(--unique\)$/, (m) => t("reason.taken", { row: Number(m[1]) })],
];
// Why a row is kept apart from its group, or its group only possible
// (datatools/tools/parted_rows.py, PARTED_WHY).
const WHY = {
  "their names read as two people": "names",
  "their legal forms differ": "form",
  "an identifier differs": "identifier",
  "a pack of several on one side only": "pack",
  "their codes or variants differ": "code",
  "their middle names differ": "middle",
  "Jr. or Sen. on one side only": "generation",
  "two flats of one building": "flat",
  "a column clearly differs": "column",
  "an initial alone": "initial",
  "unlike the other rows of that group": "unlike",
};
// An uncompared column that tells the rows apart, by name (parted_rows.uncompared_why):
// "uncompared column Geburtsdatum differs", "uncompared columns Vendor, Colour differ". The
// name is the user's own header; it reaches the page as text (dom.js `el`), never as markup.
const UNCOMPARED = /^uncompared (column|columns) (.+) (?:differs|differ)$/;
// An identifier that tells the rows apart, by name (parted_rows.identifier_why): "identifier
// CPF differs", "identifiers CPF, RG differ"; the user's own header, as text.
const IDENTIFIER = /^(identifier|identifiers) (.+) (?:differs|differ)$/;
// Names that read as two people only with given name and surname read crossed name the two
// values that did (parted_rows.swapped_why): "names read swapped: maria pilar vs maria".
// The values are the user's own; they reach the page as text (dom.js `el`).
const SWAPPED = /^names read swapped: (.+) vs (.+)$/;
const whyWords = (text) => {
  const named = UNCOMPARED.exec(text);
  if (named) {
    return t("reason.why_uncompared", { count: named[1] === "column" ? 1 : 2, columns: named[2] });
  }
  const identifier = IDENTIFIER.exec(text);
  if (identifier) {
    return t("reason.why_identifier_named", { count: identifier[1] === "identifier" ? 1 : 2, columns: identifier[2] });
  }
  const swapped = SWAPPED.exec(text);
  if (swapped) return t("reason.why_swapped", { a: swapped[1], b: swapped[2] });
  return WHY[text] ? t(`reason.why_${WHY[text]}`) : null;
};
const why = (m, key) => {
  const words = whyWords(m[1]);
  return words === null ? m[0] : t(key, { why: words });
};
PARTS.push([/^kept apart \((.+)\)$/, (m) => why(m, "reason.kept_apart")],
           [/^possible \((.+)\)$/, (m) => why(m, "reason.possible")]);

// What holds a pair back although its weights are high: the reason's `possible (…)`, `kept
// apart (…)` or `tied with right row N` part, in the window's language; null without one.
const HELD = /^(possible \(.+\)|kept apart \(.+\)|tied with right row \d+)$/;
export function heldText(reason) {
  const found = REASON.exec(reason || "");
  const part = found && found[3].split("; ").find((p) => HELD.test(p));
  if (!part) return null;
  for (const [pattern, say] of PARTS) {
    const m = pattern.exec(part);
    if (m) return say(m);
  }
  return part;
}

export function reasonText(reason) {
  const found = REASON.exec(reason);
  if (!found) return reason;
  const parts = found[3].split("; ").map((part) => {
    for (const [pattern, say] of PARTS) {
      const m = pattern.exec(part);
      if (m) return say(m);
    }
    return part;
  }).join("; ");
  return t(found[1] ? "reason.right_row" : "reason.row", { row: Number(found[2]), parts });
}
