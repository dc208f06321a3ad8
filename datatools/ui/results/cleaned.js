// The clean tool's result: per column how many cells really changed, with before → after
// samples, and the rules each column got (datatools/app/results/cleaned.py).
import { renderTable, el } from "../dom.js";
import { formatValue, noticeText, t } from "../i18n.js";
import { rulesResult } from "../clean_rules.js";
import { labelled } from "../summary.js";

const STEP_LABELS = {
  invisible: "clean.invisible", unicode: "clean.unicode_nfc", half_width: "clean.half_width", whitespace: "clean.trim",
  empty: "clean.empty_values",
  case: "clean.case", email: "clean.emails", phone: "clean.phones", number: "clean.numbers", date: "clean.dates",
};

// "Nothing needed cleaning." is said once, by the changes below, when no cell changed.
export function view(jobId, result) {
  const view = result.view;
  const nodes = [];
  if ((view.examples || []).length) nodes.push(examplesView(view.examples));
  if (view.columns) nodes.push(rulesResult(view.columns, view.notes || []));
  else if (view.changes) nodes.push(changesView(view.changes, view.notes || []));
  else if (!nodes.length) nodes.push(el("p", { text: t("clean.no_changes") }));
  return nodes;
}

// Per column: how many cells really differ now, with a few of them before → after.
function examplesView(examples) {
  const rows = examples.map((e) => [e.column, formatValue(e.cells),
    e.samples.map(([b, a]) => `${visibleSpaces(b)} → ${visibleSpaces(a)}`).join("   ·   ")]);
  const marked = rows.some((row) => /[␣⍽⇥]/.test(row[2]));
  return el("section", { class: "examples" },
    renderTable([t("clean.column"), t("clean.really_changed"), t("clean.examples")], rows,
      t("clean.examples_caption")),
    marked ? el("p", { class: "muted", id: "clean-spaces-key", text: t("clean.examples_spaces") }) : null);
}

// A page shows neither a space at an end nor the second of two, so a trim read as no change
// ("Al. Jana Pawła II2  → Al. Jana Pawła II2"): those spaces are drawn as ␣ (U+2423, the
// visible-space sign), a no-break space anywhere as ⍽ (U+237D), a tab as ⇥.
export function visibleSpaces(text) {
  return String(text).replace(/\u00a0/g, "⍽").replace(/\t/g, "⇥")
    .replace(/^ +| +$| {2,}/g, (run) => "␣".repeat(run.length));
}

function changesView(changes, notes) {
  const box = el("section", { class: "changes" });
  if (!changes.length) box.append(el("p", { text: t("clean.no_changes") }));
  else {
    box.append(renderTable([t("clean.column"), t("clean.step"), t("clean.cells")],
      changes.map(([column, step, cells]) => [column, labelled(STEP_LABELS, step), cells]), t("clean.changes")));
  }
  for (const note of notes) box.append(el("p", { class: "notice", text: noticeText(note) }));
  return box;
}
