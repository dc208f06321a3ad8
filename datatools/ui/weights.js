// A match's weights as bars (a waterfall): the start, then each column's weight, positive
// (evidence for the same) in one colour, negative (against) in another, each with its words,
// so a screen reader reads "first: agrees, +9.3, for the same". The weights are the engine's
// numbers (datatools/tools/waterfall.py, sent by datatools/app/weights.py), the same the saved
// file's match_reason says in words; a pair without them (a fixed threshold) gets no bars.
import { el } from "./dom.js";
import { formatValue, t } from "./i18n.js";

const LEVELS = { agrees: "weights.agrees", "nearly agrees": "weights.nearly_agrees",
                 "is similar": "weights.similar", differs: "weights.differs", empty: "weights.empty" };

// "+9.3" / "−6.2" in the window's number format.
function signed(weight) {
  const text = formatValue(Math.abs(weight), { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return `${weight < 0 ? "−" : "+"}${text}`;
}

export function percentText(weights) {
  const number = formatValue(weights.percent, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return `${weights.bound}${number} %`;
}

const SVG = "http://www.w3.org/2000/svg";

// One diverging bar: from the middle line to the right for a positive weight, to the left for
// a negative one, its length the weight's share of the largest in this waterfall.
function barShape(weight, scale) {
  const shape = document.createElementNS(SVG, "svg");
  const width = (48 * Math.abs(weight)) / scale;
  for (const [name, value] of Object.entries({ viewBox: "0 0 100 10", class: "weight-track", "aria-hidden": "true",
    preserveAspectRatio: "none", focusable: "false" })) shape.setAttribute(name, value);
  const rect = document.createElementNS(SVG, "rect");
  for (const [name, value] of Object.entries({ x: weight < 0 ? 50 - width : 50, y: 1, width, height: 8,
    class: "weight-bar" })) rect.setAttribute(name, String(value));
  const middle = document.createElementNS(SVG, "line");
  for (const [name, value] of Object.entries({ x1: 50, x2: 50, y1: 0, y2: 10, class: "weight-middle" })) {
    middle.setAttribute(name, String(value));
  }
  shape.append(rect, middle);
  return shape;
}

function bar(label, exact, scale, detail) {
  const weight = Math.round(exact * 10) / 10 || 0;     // as shown: −0.04 is no evidence, not "−0.0 against"
  const side = weight < 0 ? "against" : "for";
  return el("li", { class: `weight ${weight === 0 ? "none" : side}` },
    el("span", { class: "weight-label", text: label }),
    barShape(weight, scale),
    el("span", { class: "weight-value", text: weight === 0 ? "0" : signed(weight) }),
    el("span", { class: "visually-hidden",
      text: ` ${t(weight === 0 ? "weights.no_evidence" : weight < 0 ? "weights.against" : "weights.for")}` }),
    detail ? el("span", { class: "weight-detail", text: detail }) : null);
}

// A <details> for one pair (`pair`: its words, "Rows 3 and 7"): its summary says how sure the
// pair is; opened, the bars. `held` (reasons.js heldText): what keeps the pair possible or
// apart although the columns alone are sure (a household's two given names, a tie), said
// beside the percentage so a high one never reads as "the same" (a trial's spouses at 99.9 %).
export function weightBars(weights, pair, held = null) {
  if (!weights) return null;
  const scale = Math.max(1, Math.abs(weights.start), ...weights.columns.map((c) => Math.abs(c.weight)));
  return el("details", { class: "weights" },
    el("summary", { text: held ? t("weights.summary_held", { pair, percent: percentText(weights), held })
      : t("weights.summary", { pair, percent: percentText(weights) }) }),
    el("ul", { class: "waterfall", "aria-label": t("weights.title", { pair }) },
      bar(t("weights.start"), weights.start, scale),
      weights.columns.map((c) => bar(t("weights.column", { column: c.column, level: t(LEVELS[c.level] || c.level) }),
        c.weight, scale, c.common ? t("weights.common") : ""))),
    el("p", { class: "weight-total", text: held ? t("weights.total_held", { percent: percentText(weights), held })
      : t("weights.total", { percent: percentText(weights) }) }));
}
