// The result view of a finished job: summary, trial note, and per tool a table, the duplicate
// groups to review, the cleaning changes, or the profile's charts.
import { el, renderTable } from "./dom.js";
import { barChart, fillChart } from "./charts.js";
import { compareView } from "./compare.js";
import { formatValue, has, noticeText, t } from "./i18n.js";
import { matchReview } from "./matches.js";
import { duplicateReview } from "./review.js";
import { rulesResult } from "./clean_rules.js";

const $ = (id) => document.getElementById(id);

// Summary fields the adapters send (datatools/app/tool_jobs.py), with their catalog keys.
const SUMMARY_LABELS = {
  added: "report.added", removed: "report.removed", changed: "report.changed", unchanged: "report.unchanged",
  rows: "report.rows", columns: "report.columns", cells_changed: "report.cells_changed",
  encoding: "report.encoding", target_encoding: "report.target_encoding", confidence: "report.confidence",
  verified: "report.verified", mojibake_repaired: "report.mojibake_repaired",
  clusters: "report.clusters", duplicates: "report.duplicates",
  left_rows: "report.left_rows", matched: "report.matched", unmatched: "report.unmatched",
};

// Cleaning steps as the clean tool reports them (datatools/tools/clean.py), with the option
// that causes each.
const STEP_LABELS = {
  invisible: "clean.invisible", unicode: "clean.unicode_nfc", half_width: "clean.half_width", whitespace: "clean.trim", empty: "clean.empty_values",
  case: "clean.case", email: "clean.emails", phone: "clean.phones", number: "clean.numbers", date: "clean.dates",
};

const TYPE_LABELS = {
  integer: "type.integer", code: "type.code", decimal: "type.decimal", date: "type.date", email: "type.email",
  phone: "type.phone", boolean: "type.boolean", text: "type.text", mixed: "type.mixed", empty: "type.empty",
};

const labelled = (map, key) => (map[key] ? t(map[key]) : key.replace(/_/g, " "));

export function renderResult(toolId, jobId, result, state, errorText) {
  const trial = result.trial || [];
  $("result-trial").textContent = trial.length ? t("result.trial", { files: trial.map(trialText).join("; ") }) : "";
  $("result-trial").hidden = !trial.length;
  const view = result.view || {};
  renderSummary(result.summary || {});
  // Compare shows its counts itself, after the schema changes (ui/compare.js).
  $("result-summary").hidden = Boolean(view.compare);
  $("result-extra").replaceChildren();
  // What the readers noticed (lines not in UTF-8, formulas without results…), in their words.
  for (const warning of result.warnings || []) $("result-extra").append(el("p", { class: "notice", text: noticeText(warning) }));
  $("result-table").replaceChildren();
  if (view.compare) $("result-extra").append(compareView(jobId, view.compare, errorText));
  if (view.review) $("result-extra").append(duplicateReview(jobId, keepChoices(state, toolId), errorText));
  if (view.matches) $("result-extra").append(matchReview(jobId, errorText));
  if (view.profile) $("result-extra").append(profileView(view.profile));
  if (view.examples) $("result-extra").append(examplesView(view.examples));
  if (view.columns) $("result-extra").append(rulesResult(view.columns, view.notes || []));
  else if (view.changes) $("result-extra").append(changesView(view.changes, view.notes || []));
  else for (const note of view.notes || []) $("result-extra").append(el("p", { class: "notice", text: noticeText(note) }));
  if (view.samples && view.samples.length) $("result-extra").append(samplesView(view.samples));
  if (view.table) {
    const table = view.table;
    $("result-table").append(renderTable(table.columns, table.rows, table.total_rows === null
      ? t("result.caption_head", { shown: table.rows.length })
      : t(table.rows.length === table.total_rows ? "result.caption_all" : "result.caption",
          { shown: table.rows.length, total: table.total_rows })));
  }
}

function trialText(note) {
  return note.total === null
    ? t("result.trial_lines", { file: note.file, used: note.used })
    : t("result.trial_rows", { file: note.file, used: note.used, total: note.total });
}

function shown(value) {
  if (typeof value === "boolean") return t(value ? "value.yes" : "value.no");
  return value === null || value === undefined ? "—" : formatValue(value);
}

function summaryList(entries, extraClass = "") {
  return el("dl", { class: `summary ${extraClass}` }, entries.map(([name, value]) =>
    el("div", {}, el("dt", { text: name }), el("dd", { text: shown(value) }))));
}

function renderSummary(summary) {
  $("result-summary").replaceChildren(...summaryList(
    Object.entries(summary).map(([key, value]) => [labelled(SUMMARY_LABELS, key), value])).children);
}

// ------------------------------------------------------------------ clean and encoding details

// Per column: how many cells really differ now, with a few of them before → after.
function examplesView(examples) {
  if (!examples.length) return el("p", { text: t("clean.no_changes") });
  return el("section", { class: "examples" },
    renderTable([t("clean.column"), t("clean.really_changed"), t("clean.examples")],
      examples.map((e) => [e.column, formatValue(e.cells), e.samples.map(([b, a]) => `${b} → ${a}`).join("   ·   ")]),
      t("clean.examples_caption")));
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

function samplesView(samples) {
  const columns = Object.keys(samples[0]);
  return el("section", {},
    renderTable(columns.map((c) => (c === "before" ? t("encoding.before") : c === "after" ? t("encoding.after") : c)),
      samples.map((s) => columns.map((c) => String(s[c]))), t("encoding.samples")));
}

// ------------------------------------------------------------------ duplicates: the review

// The engine's keep policies as the registry lists them, the recommended one first, then
// "keep every row".
function keepChoices(state, toolId) {
  const keep = state.tools[toolId].options.find((option) => option.name === "keep");
  const choices = keep ? [...keep.choices].sort(([a], [b]) => (b === "most-complete") - (a === "most-complete")) : [];
  return [...choices, ["all", "dedupe.keep_all"]];
}

// ------------------------------------------------------------------ profile: per-column charts

function profileView(profile) {
  const box = el("section", { class: "profile", "aria-label": t("profile.columns") });
  for (const column of profile.columns) {
    const stats = [
      [t("profile.type"), labelled(TYPE_LABELS, column.type)],
      [t("profile.distinct"), column.distinct],
      [t("profile.minimum"), column.minimum],
      [t("profile.maximum"), column.maximum],
    ];
    const filledText = t("profile.filled", { filled: column.filled, total: profile.rows });
    const top = (column.top_values || []).slice(0, 8);
    const suspicious = Object.entries(column.suspicious || {});
    box.append(el("article", { class: "column-card" },
      el("h4", { text: column.name }),
      el("div", { class: "filled" }, el("span", { text: filledText }), fillChart(column.filled, profile.rows, filledText)),
      summaryList(stats, "small"),
      top.length ? el("figure", {},
        barChart(top, t("profile.chart", { column: column.name })),
        el("figcaption", { text: t("profile.top_values") })) : null,
      suspicious.map(([kind, count]) => el("p", { class: "notice",
        text: t("profile.suspicious", { count, kind: has(`suspicious.${kind}`) ? t(`suspicious.${kind}`) : kind.replace(/_/g, " "),
          example: (column.examples || {})[kind] ?? "" }) }))));
  }
  return box;
}
