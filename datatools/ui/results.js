// The result view of a finished job: summary, trial note, what the readers noticed, then the
// view of the result's kind — one module per kind in ./results/, named as the server names it
// (datatools/app/results/<kind>.py) — and the first rows when the result is a table.
import { renderTable, el } from "./dom.js";
import { noticeText, t } from "./i18n.js";
import { labelled, summaryList } from "./summary.js";
import * as cleaned from "./results/cleaned.js";
import * as compare from "./results/compare.js";
import * as duplicates from "./results/duplicates.js";
import * as encoding from "./results/encoding.js";
import * as matches from "./results/matches.js";
import * as profile from "./results/profile.js";

const KINDS = { cleaned, compare, duplicates, encoding, matches, profile };

const $ = (id) => document.getElementById(id);

// Summary fields the adapters send (datatools/app/tool_jobs.py), with their catalog keys.
const SUMMARY_LABELS = {
  added: "report.added", removed: "report.removed", changed: "report.changed", unchanged: "report.unchanged",
  rows: "report.rows", columns: "report.columns", cells_changed: "report.cells_changed",
  encoding: "report.encoding", target_encoding: "report.target_encoding", mojibake_repaired: "report.mojibake_repaired",
  clusters: "report.clusters", duplicates: "report.duplicates",
  left_rows: "report.left_rows", matched: "report.matched", possible: "report.possible", unmatched: "report.unmatched",
};

// `context`: { errorText } for the kinds whose views talk to the server.
export function renderResult(jobId, result, context) {
  const trial = result.trial || [];
  $("result-trial").textContent = trial.length ? t("result.trial", { files: trial.map(trialText).join("; ") }) : "";
  $("result-trial").hidden = !trial.length;
  const kind = KINDS[result.kind];
  $("result-summary").replaceChildren(...summaryList(
    Object.entries(result.summary || {}).map(([key, value]) => [labelled(SUMMARY_LABELS, key), value])).children);
  // Compare shows its counts itself, after the schema changes (ui/results/compare.js).
  $("result-summary").hidden = result.kind === "compare";
  $("result-extra").replaceChildren();
  // What the readers noticed (lines not in UTF-8, formulas without results…), in their words.
  for (const warning of result.warnings || []) $("result-extra").append(el("p", { class: "notice", text: noticeText(warning) }));
  if (kind) $("result-extra").append(...kind.view(jobId, result, context));
  $("result-table").replaceChildren();
  const table = (result.view || {}).table;
  if (table) {
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
