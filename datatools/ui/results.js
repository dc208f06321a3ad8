// The result view of a finished job: summary, trial note, and per tool a table, the duplicate
// groups to review, or the profile's charts.
import { el, renderTable } from "./dom.js";
import { barChart, fillChart } from "./charts.js";
import { formatValue, t } from "./i18n.js";
import { updateDownloadLink } from "./tool.js";

const $ = (id) => document.getElementById(id);

export function renderResult(toolId, result, review) {
  const report = result.report || {};
  const trial = report.trial || [];
  $("result-trial").textContent = trial.length ? t("result.trial", { files: trial.join("; ") }) : "";
  $("result-trial").hidden = !trial.length;
  renderSummary(toolId === "profile" ? profileSummary(report.profile) : report);
  $("result-extra").replaceChildren();
  $("result-table").replaceChildren();
  const view = result.view || {};
  if (view.clusters) $("result-extra").append(clusterReview(view.clusters, review));
  if (view.profile) $("result-extra").append(profileView(view.profile));
  if (view.table) {
    const table = view.table;
    $("result-table").append(renderTable(table.columns, table.rows,
      t("result.caption", { shown: table.rows.length, total: table.total_rows ?? table.rows.length })));
  }
}

// Report fields with plain values, one level of nesting flattened (e.g. compare's summary).
function scalarEntries(report) {
  const entries = [];
  for (const [key, value] of Object.entries(report || {})) {
    if (key === "trial") continue;
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      for (const [inner, v] of Object.entries(value)) {
        if (v === null || typeof v !== "object") entries.push([inner, v]);
      }
    } else if (value === null || typeof value !== "object") {
      entries.push([key, value]);
    }
  }
  return entries;
}

// Report fields the tools return, with their catalog keys; any other field shows its own name.
const REPORT_LABELS = {
  added: "report.added", removed: "report.removed", changed: "report.changed", unchanged: "report.unchanged",
  rows: "report.rows", columns: "report.columns", encoding: "report.encoding", confidence: "report.confidence",
  clusters: "report.clusters", duplicates: "report.duplicates", matched: "report.matched", unmatched: "report.unmatched",
};

function label(key) {
  return REPORT_LABELS[key] ? t(REPORT_LABELS[key]) : key.replace(/_/g, " ");
}

function renderSummary(report) {
  const box = $("result-summary");
  box.replaceChildren();
  for (const [key, value] of scalarEntries(report)) {
    const shown = typeof value === "boolean" ? t(value ? "value.yes" : "value.no")
      : value === null ? "—" : formatValue(value);
    box.append(el("div", {}, el("dt", { text: label(key) }), el("dd", { text: shown })));
  }
}

// ------------------------------------------------------------------ duplicates: review groups

function clusterReview(clusters, review) {
  const box = el("section", { class: "clusters", "aria-labelledby": "clusters-title" },
    el("h3", { id: "clusters-title", text: t("dedupe.groups", { count: clusters.length }) }),
    el("p", { class: "muted", text: t("dedupe.review_help") }));
  const keep = el("fieldset", { class: "keep" }, el("legend", { text: t("dedupe.keep") }),
    [["all", "dedupe.keep_all"], ["first", "dedupe.keep_first"]].map(([mode, text]) => el("label", { class: "check" },
      el("input", { type: "radio", name: "keep", value: mode, checked: review.keep === mode,
        onchange: () => { review.keep = mode; updateDownloadLink(); } }),
      " ", t(text))));
  box.append(keep);
  if (!clusters.length) box.append(el("p", { text: t("dedupe.none") }));
  for (const cluster of clusters) {
    const checkbox = el("input", { type: "checkbox", id: `cluster-${cluster.id}`,
      checked: !review.rejected.includes(cluster.id),
      onchange: (event) => {
        review.rejected = review.rejected.filter((id) => id !== cluster.id);
        if (!event.target.checked) review.rejected.push(cluster.id);
        updateDownloadLink();
      } });
    const rows = cluster.rows.map((row, i) => [...row, cluster.scores[i], cluster.reasons[i]]);
    box.append(el("div", { class: "cluster" },
      el("label", { class: "check", for: `cluster-${cluster.id}` }, checkbox, " ",
        t("dedupe.cluster_is", { id: cluster.id, count: cluster.rows.length })),
      renderTable([...cluster.columns, t("dedupe.score"), t("dedupe.reason")], rows,
        t("dedupe.cluster_caption", { id: cluster.id }))));
  }
  return box;
}

// ------------------------------------------------------------------ profile: per-column charts

function profileSummary(profile) {
  const out = {};
  for (const [key, value] of Object.entries(profile || {})) {
    if (value === null || typeof value !== "object") out[key] = value;
  }
  return out;
}

// Counts to chart: a list of [value, count] pairs, of {value, count} objects, or a {value: count} map.
function countPairs(value) {
  if (Array.isArray(value) && value.length && Array.isArray(value[0]) && value[0].length === 2) {
    return value.map(([v, n]) => [v, Number(n)]);
  }
  if (Array.isArray(value) && value.length && typeof value[0] === "object" && value[0] !== null) {
    const [labelKey, countKey] = [Object.keys(value[0])[0], Object.keys(value[0]).find((k) => typeof value[0][k] === "number")];
    return countKey ? value.map((item) => [item[labelKey], Number(item[countKey])]) : null;
  }
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const entries = Object.entries(value);
    return entries.length && entries.every(([, n]) => typeof n === "number") ? entries : null;
  }
  return null;
}

function profileView(profile) {
  const columns = Array.isArray(profile.columns) ? profile.columns
    : Object.entries(profile.columns || {}).map(([name, stats]) => ({ name, ...stats }));
  const rows = profile.rows ?? profile.row_count;
  const box = el("section", { class: "profile", "aria-label": t("profile.columns") });
  for (const column of columns) {
    const name = column.name ?? column.column ?? "";
    const stats = el("dl", { class: "summary small" });
    let chart = null;
    for (const [key, value] of Object.entries(column)) {
      if (key === "name" || key === "column") continue;
      const pairs = countPairs(value);
      if (pairs && !chart) {
        chart = el("figure", {}, barChart(pairs.slice(0, 8), t("profile.chart", { column: name, what: label(key) })),
          el("figcaption", { text: label(key) }));
      } else if (value === null || typeof value !== "object") {
        stats.append(el("div", {}, el("dt", { text: label(key) }), el("dd", { text: value === null ? "—" : formatValue(value) })));
      }
    }
    const empty = column.empty ?? column.missing ?? column.blank;
    const filled = typeof empty === "number" && typeof rows === "number"
      ? el("div", { class: "filled" }, el("span", { text: t("profile.filled", { filled: rows - empty, total: rows }) }),
        fillChart(rows - empty, rows, t("profile.filled", { filled: rows - empty, total: rows })))
      : null;
    box.append(el("article", { class: "column-card" }, el("h4", { text: name }), filled, stats, chart));
  }
  return box;
}
