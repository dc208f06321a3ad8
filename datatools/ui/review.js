// The duplicate review: every group, a page at a time, sorted and filtered; a decision per group
// (same → which row survives, or not the same), one decision for the whole filtered set, and a
// status line that always says what saving will do. The decisions live on the server
// (GET /api/jobs/<id>/groups, POST /api/jobs/<id>/review).
import { api } from "./api.js";
import { el, showMessage } from "./dom.js";
import { formatValue, t } from "./i18n.js";
import { pickableCell, survivorRow } from "./survivor_row.js";

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
];

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

const SORTS = [["score", "review.sort_score"], ["-score", "review.sort_score_desc"],
               ["-size", "review.sort_size"], ["file", "review.sort_file"]];

// What the form holds between pages: the filter, the sort, the page, and the last answer.
let view = null;

export function duplicateReview(jobId, choices, onError) {
  view = { jobId, choices, onError, filter: { min_score: "", max_score: "", text: "", differs: "" },
           sort: "score", page: 1, data: null };
  const box = el("section", { class: "review", id: "review", "aria-labelledby": "review-title" },
    el("h3", { id: "review-title", text: t("review.title") }),
    el("p", { class: "counts", id: "review-counts", role: "status", "aria-live": "polite" }),
    toSaveButton("review-to-save"),
    keepChoices(),
    el("label", { class: "check" },
      el("input", { type: "checkbox", id: "review-merge-report", checked: true,
        onchange: (e) => decide({ merge_report: e.target.checked }) }), " ", t("review.merge_report")),
    el("label", { class: "check" },
      el("input", { type: "checkbox", id: "review-fill-empty",
        onchange: (e) => decide({ fill_empty: e.target.checked }).then(() => loadPage(view.page, false)) }),
      " ", t("review.fill_empty")),
    filterForm(),
    el("div", { class: "row bulk", id: "review-bulk" }),
    el("div", { id: "review-groups" }),
    el("nav", { class: "row pager", id: "review-pager", "aria-label": t("review.pages") }),
    el("p", { class: "error", role: "alert", id: "review-error", hidden: true }));
  loadPage(1, false);
  return box;
}

// Straight to Save, past every group and filter (keyboard users would Tab through them all).
export function toSaveButton(id) {
  return el("button", { type: "button", class: "link", id, text: t("review.to_save"),
    onclick: () => document.getElementById("save").focus() });
}

function keepChoices() {
  return el("fieldset", { class: "keep" }, el("legend", { text: t("dedupe.keep") }),
    view.choices.map(([mode, text]) => el("label", { class: "check" },
      el("input", { type: "radio", name: "keep", value: mode, checked: mode === "most-complete",
        onchange: () => decide({ keep: mode }).then(() => loadPage(view.page, false)) }),
      " ", t(text))));
}

function filterForm() {
  const field = (name, label, attrs) => el("div", { class: "field" },
    el("label", { for: `review-${name}`, text: t(label) }),
    el("input", { id: `review-${name}`, ...attrs, value: view.filter[name] }));
  const apply = () => {
    for (const name of ["min_score", "max_score", "text"]) view.filter[name] = document.getElementById(`review-${name}`).value;
    view.filter.differs = document.getElementById("review-differs").value;
    view.sort = document.getElementById("review-sort").value;
    loadPage(1, true);
  };
  const form = el("form", { class: "filters", id: "review-filters", "aria-label": t("review.filter"),
      onsubmit: (event) => { event.preventDefault(); apply(); } },
    el("div", { class: "field" }, el("label", { for: "review-sort", text: t("review.sort") }),
      el("select", { id: "review-sort", onchange: apply },
        SORTS.map(([value, key]) => el("option", { value, text: t(key) })))),
    field("min_score", "review.min_score", { type: "number", min: 0, max: 100, step: 1 }),
    field("max_score", "review.max_score", { type: "number", min: 0, max: 100, step: 1 }),
    el("div", { class: "field" }, el("label", { for: "review-differs", text: t("review.differs") }),
      el("select", { id: "review-differs", onchange: apply }, el("option", { value: "", text: t("review.differs_any") }))),
    field("text", "review.text", { type: "search", spellcheck: "false" }),
    el("button", { type: "submit", id: "review-apply", text: t("review.apply") }));
  return form;
}

function query(page) {
  const params = new URLSearchParams({ page: String(page), sort: view.sort });
  for (const [name, value] of Object.entries(view.filter)) if (value !== "") params.set(name, value);
  return params;
}

async function loadPage(page, focusList) {
  let data;
  try {
    data = await api("GET", `/api/jobs/${view.jobId}/groups?${query(page)}`);
  } catch (error) {
    showMessage(document.getElementById("review-error"), view.onError(error));
    return;
  }
  showMessage(document.getElementById("review-error"), "");
  view.data = data;
  view.page = data.page;
  renderDiffersChoices(data);
  renderCounts(data);
  renderBulk(data);
  renderGroups(data);
  renderPager(data);
  if (focusList) {
    const first = document.querySelector("#review-groups .group h4");
    (first || document.getElementById("review-counts")).focus();
  }
}

function renderDiffersChoices(data) {
  const select = document.getElementById("review-differs");
  if (select.options.length > 1) return;
  select.append(...data.differs_choices.map((c) => el("option", { value: c, text: c })));
}

function renderCounts(data) {
  const c = data.counts;
  document.getElementById("review-counts").textContent = data.keep === "all"
    ? t("review.counts_all", { groups: c.groups, apart: c.apart, rows: c.rows_saved })
    : t("review.counts", { merged: c.merged, apart: c.apart, removed: c.removed, rows: c.rows_saved })
      + (c.values ? ` ${t("review.counts_values", { count: c.values })}` : "");
  // The server's choices, also when the review is shown again after going back to the tools.
  const fill = document.getElementById("review-fill-empty");
  fill.checked = data.fill_empty === true;
  fill.disabled = data.keep === "all";
  document.getElementById("review-merge-report").checked = data.merge_report !== false;
}

function renderBulk(data) {
  const filtered = Object.values(view.filter).some((v) => v !== "");
  document.getElementById("review-bulk").replaceChildren(
    el("span", { text: t(filtered ? "review.bulk_filtered" : "review.bulk_all", { count: data.total }) }),
    el("button", { type: "button", id: "review-bulk-merge", disabled: !data.total, text: t("review.bulk_merge"),
      onclick: () => decide({ filter: view.filter, decision: "merge" }).then(() => loadPage(view.page, false)) }),
    el("button", { type: "button", id: "review-bulk-separate", disabled: !data.total, text: t("review.bulk_separate"),
      onclick: () => decide({ filter: view.filter, decision: "separate" }).then(() => loadPage(view.page, false)) }));
}

async function decide(change) {
  try {
    const state = await api("POST", `/api/jobs/${view.jobId}/review`, change);
    if (view.data) renderCounts({ ...view.data, ...state });
    return state;
  } catch (error) {
    showMessage(document.getElementById("review-error"), view.onError(error));
    throw error;
  }
}

function renderGroups(data) {
  const list = document.getElementById("review-groups");
  if (!data.groups.length) {
    list.replaceChildren(el("p", { text: t(data.counts.groups ? "review.none_match" : "dedupe.none") }));
    return;
  }
  list.replaceChildren(...data.groups.map((group) => groupCard(group, data)));
}

function groupCard(group, data) {
  const apart = group.decision === "separate";
  const headingId = `group-${group.id}-title`;
  const decisionName = `decision-${group.id}`;
  const setDecision = (decision) => decide({ group: group.id, decision }).then(() => loadPage(view.page, false));
  const differs = new Set(group.differs);
  const header = [t("review.keep_row"), t("review.row"), ...data.columns, t("dedupe.score"), t("dedupe.reason")];
  const merged = !apart && data.keep !== "all";
  // After the page is drawn again, focus returns to the column's choice (its new value shown).
  const choose = (column, row) => decide({ group: group.id, value: { column, row } })
    .then(() => loadPage(view.page, false))
    .then(() => document.getElementById(`value-${group.id}-${data.columns.indexOf(column)}`)?.focus());
  const table = el("table", {},
    el("caption", { class: "visually-hidden", text: t("dedupe.cluster_caption", { id: group.id }) }),
    el("thead", {}, el("tr", {}, header.map((h, i) => el("th", { scope: "col",
      class: i >= 2 && differs.has(data.columns[i - 2]) ? "differs" : null, text: h })))),
    el("tbody", {}, group.rows.map((row) => el("tr", { class: row.kept && !apart && data.keep !== "all" ? "kept" : null },
      el("td", {}, el("input", { type: "radio", name: `survivor-${group.id}`, value: String(row.row),
        checked: row.kept, disabled: apart || data.keep === "all",
        "aria-label": t("review.keep_this", { row: row.number }),
        onchange: () => decide({ group: group.id, survivor: row.row }).then(() => loadPage(view.page, false)) })),
      el("td", { text: formatValue(row.number) }),
      row.cells.map((cell, i) => merged
        ? pickableCell(group, row, i, data.columns[i], { class: differs.has(data.columns[i]) ? "differs" : null }, choose)
        : el("td", { class: differs.has(data.columns[i]) ? "differs" : null, text: cell })),
      el("td", { text: row.score }), el("td", { text: reasonText(row.reason) })))),
    merged ? el("tfoot", {}, survivorRow(group, data.columns, choose)) : null);
  return el("article", { class: `group${apart ? " apart" : ""}`, id: `group-${group.id}`, "aria-labelledby": headingId },
    el("h4", { id: headingId, tabindex: "-1",
      text: t("review.group", { id: group.id, count: group.size, score: group.score }) }),
    el("div", { class: "row decision", role: "radiogroup", "aria-labelledby": headingId },
      el("label", { class: "check" }, el("input", { type: "radio", name: decisionName, value: "merge", checked: !apart,
        onchange: () => setDecision("merge") }), " ", t(data.keep === "all" ? "review.same_mark" : "review.same")),
      el("label", { class: "check" }, el("input", { type: "radio", name: decisionName, value: "separate", checked: apart,
        onchange: () => setDecision("separate") }), " ", t("review.not_same"))),
    el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-labelledby": headingId }, table));
}

function renderPager(data) {
  document.getElementById("review-pager").replaceChildren(...pagerButtons("review", "review.page", data, (page) => loadPage(page, true)));
}

// First / Previous / "Page n of m" (catalog key `pageKey`) / Next / Last, ids `<prefix>-first` …;
// `go(page)` loads one.
export function pagerButtons(prefix, pageKey, data, go) {
  const button = (id, key, page, disabled) => el("button", { type: "button", id: `${prefix}-${id}`, disabled,
    text: t(key), onclick: () => go(page) });
  return [
    button("first", "review.first", 1, data.page <= 1),
    button("prev", "review.prev", data.page - 1, data.page <= 1),
    el("span", { id: `${prefix}-page`, text: t(pageKey, { page: data.page, pages: data.pages, total: data.total }) }),
    button("next", "review.next", data.page + 1, data.page >= data.pages),
    button("last", "review.last", data.pages, data.page >= data.pages)];
}
