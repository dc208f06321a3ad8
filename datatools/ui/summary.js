// A result's numbers as a definition list, and labels from catalog maps.
import { el } from "./dom.js";
import { formatValue, t } from "./i18n.js";

// The catalog text of `key` in `map`, else the key in words.
export const labelled = (map, key) => (map[key] ? t(map[key]) : key.replace(/_/g, " "));

function shown(value) {
  if (typeof value === "boolean") return t(value ? "value.yes" : "value.no");
  return value === null || value === undefined ? "—" : formatValue(value);
}

// [[name, value], …] as <dl class="summary …">.
export function summaryList(entries, extraClass = "") {
  return el("dl", { class: `summary ${extraClass}` }, entries.map(([name, value]) =>
    el("div", {}, el("dt", { text: name }), el("dd", { text: shown(value) }))));
}
