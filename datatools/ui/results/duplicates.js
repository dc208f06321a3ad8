// The result of dedupe (datatools/app/results/duplicates.py): the duplicate review. Every
// group, a page at a time, sorted and filtered; a decision per group (the same → which row
// survives; different; not sure yet), a row marked as not belonging to its group (split out:
// saved as its own record), one decision for the whole filtered set, each row's weights as
// bars, and a status line that always says what saving will do. The decisions live on the server as the engine's
// Review record (GET /api/jobs/<id>/groups, POST /api/jobs/<id>/review); Save writes them.
import { api } from "../api.js";
import { el, keyFirst, pinKeyColumn, showMessage, toSaveButton } from "../dom.js";
import { formatValue, t } from "../i18n.js";
import { pageQuery, pagerButtons } from "../pager.js";
import { heldText, reasonText } from "../reasons.js";
import { recipeReport } from "../recipes.js";
import { pickableCell, survivorRow } from "../survivor_row.js";
import { certaintyBadge, certaintyFilter } from "../certainty.js";
import { weightBars } from "../weights.js";

// The keep choices the server offers (datatools/registry.py desktop_choices), with their labels.
const KEEP_LABELS = { first: "dedupe.keep_first", "most-complete": "dedupe.keep_most_complete", all: "dedupe.keep_all" };
const SORTS = [["score", "review.sort_score"], ["-score", "review.sort_score_desc"],
               ["-size", "review.sort_size"], ["file", "review.sort_file"]];

// What the form holds between pages: the filter, the sort, the page, and the last answer.
let review = null;

export function view(jobId, result, { errorText }) {
  return [recipeReport(result.view.recipe), duplicateReview(jobId, errorText)].filter(Boolean);
}

function duplicateReview(jobId, onError) {
  review = { jobId, onError, filter: { min_score: "", max_score: "", text: "", differs: "", certainty: "" },
             sort: "score", page: 1, data: null };
  const box = el("section", { class: "review", id: "review", "aria-labelledby": "review-title" },
    el("h3", { id: "review-title", text: t("review.title") }),
    el("p", { class: "counts", id: "review-counts", role: "status", "aria-live": "polite" }),
    toSaveButton("review-to-save", t("review.to_save")),
    el("fieldset", { class: "keep", id: "review-keep" }, el("legend", { text: t("dedupe.keep") })),
    el("label", { class: "check" },
      el("input", { type: "checkbox", id: "review-merge-report", checked: true,
        onchange: (e) => decide({ merge_report: e.target.checked }) }), " ", t("review.merge_report")),
    el("label", { class: "check" },
      el("input", { type: "checkbox", id: "review-fill-empty",
        onchange: (e) => decide({ fill_empty: e.target.checked }).then(() => loadPage(review.page, false)) }),
      " ", t("review.fill_empty")),
    filterForm(),
    el("div", { class: "row bulk", id: "review-bulk" }),
    el("div", { id: "review-groups" }),
    el("nav", { class: "row pager", id: "review-pager", "aria-label": t("review.pages") }),
    el("p", { class: "error", role: "alert", id: "review-error", hidden: true }));
  loadPage(1, false);
  return box;
}

// The keep policies in the server's order (the registry's desktop default first, then "keep
// every row"), the server's current choice checked; drawn once.
function renderKeepChoices(data) {
  const box = document.getElementById("review-keep");
  if (box.querySelector("input")) return;
  box.append(...data.keep_choices.map((mode) => el("label", { class: "check" },
    el("input", { type: "radio", name: "keep", value: mode, checked: mode === data.keep,
      onchange: () => decide({ keep: mode }).then(() => loadPage(review.page, false)) }),
    " ", KEEP_LABELS[mode] ? t(KEEP_LABELS[mode]) : mode)));
}

function filterForm() {
  const field = (name, label, attrs) => el("div", { class: "field" },
    el("label", { for: `review-${name}`, text: t(label) }),
    el("input", { id: `review-${name}`, ...attrs, value: review.filter[name] }));
  const apply = () => {
    for (const name of ["min_score", "max_score", "text"]) review.filter[name] = document.getElementById(`review-${name}`).value;
    review.filter.differs = document.getElementById("review-differs").value;
    review.filter.certainty = document.getElementById("review-certainty").value;
    review.sort = document.getElementById("review-sort").value;
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
    certaintyFilter("review-certainty", ["certain", "possible"], apply),
    field("text", "review.text", { type: "search", spellcheck: "false" }),
    el("button", { type: "submit", id: "review-apply", text: t("review.apply") }));
  return form;
}

async function loadPage(page, focusList) {
  let data;
  try {
    data = await api("GET", `/api/jobs/${review.jobId}/groups?${pageQuery(page, review.filter, { sort: review.sort })}`);
  } catch (error) {
    showMessage(document.getElementById("review-error"), review.onError(error));
    return;
  }
  showMessage(document.getElementById("review-error"), "");
  review.data = data;
  review.page = data.page;
  renderKeepChoices(data);
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
      + (c.values ? ` ${t("review.counts_values", { count: c.values })}` : "")
      + (c.undecided ? ` ${t("review.counts_undecided", { count: c.undecided })}` : "")
      + (c.split ? ` ${t("review.counts_split", { count: c.split })}` : "");
  // The server's choices, also when the review is shown again after going back to the tools.
  const fill = document.getElementById("review-fill-empty");
  fill.checked = data.fill_empty === true;
  fill.disabled = data.keep === "all";
  document.getElementById("review-merge-report").checked = data.merge_report !== false;
}

function renderBulk(data) {
  const filtered = Object.values(review.filter).some((v) => v !== "");
  document.getElementById("review-bulk").replaceChildren(
    el("span", { text: t(filtered ? "review.bulk_filtered" : "review.bulk_all", { count: data.total }) }),
    el("button", { type: "button", id: "review-bulk-merge", disabled: !data.total, text: t("review.bulk_merge"),
      onclick: () => decide({ filter: review.filter, decision: "same" }).then(() => loadPage(review.page, false)) }),
    el("button", { type: "button", id: "review-bulk-separate", disabled: !data.total, text: t("review.bulk_separate"),
      onclick: () => decide({ filter: review.filter, decision: "different" }).then(() => loadPage(review.page, false)) }));
}

async function decide(change) {
  try {
    const state = await api("POST", `/api/jobs/${review.jobId}/review`, change);
    if (review.data) renderCounts({ ...review.data, ...state });
    return state;
  } catch (error) {
    showMessage(document.getElementById("review-error"), review.onError(error));
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
  const apart = group.decision !== "same";
  const headingId = `group-${group.id}-title`;
  const decisionName = `decision-${group.id}`;
  const setDecision = (decision) => decide({ group: group.id, decision }).then(() => loadPage(review.page, false));
  const differs = new Set(group.differs);
  const merged = !apart && data.keep !== "all" && group.whole;
  const split = (row, out) => decide({ group: group.id, split: { row: row.row, out } })
    .then(() => loadPage(review.page, false))
    .then(() => document.getElementById(`split-${group.id}-${row.row}`)?.focus());
  // After the page is drawn again, focus returns to the column's choice (its new value shown).
  const choose = (column, row) => decide({ group: group.id, value: { column, row } })
    .then(() => loadPage(review.page, false))
    .then(() => document.getElementById(`value-${group.id}-${data.columns.indexOf(column)}`)?.focus());
  // The first column (keep, row, similarity) and the table's key column stay in view while the
  // table scrolls sideways, and why the row is here comes next: wide lists keep what decides
  // and which row it is in sight.
  const order = keyFirst(data.columns.length, data.key ? data.columns.indexOf(data.key) : -1);
  const pinned = data.key ? 1 : 0;
  const cls = (i, k) => [k < pinned ? "pin-key" : null, differs.has(data.columns[i]) ? "differs" : null]
    .filter(Boolean).join(" ") || null;
  const cellsOf = (row) => order.map((i, k) => merged
    ? pickableCell(group, row, i, data.columns[i], { class: cls(i, k) }, choose)
    : el("td", { class: cls(i, k), text: row.cells[i] }));
  const headers = order.map((i, k) => el("th", { scope: "col", class: cls(i, k), text: data.columns[i] }));
  const table = el("table", { class: "group-rows" },
    el("caption", { class: "visually-hidden", text: t("dedupe.cluster_caption", { id: group.id }) }),
    el("thead", {}, el("tr", {},
      el("th", { scope: "col", class: "pin", text: `${t("review.keep_row")} · ${t("review.row")} · ${t("dedupe.score")}` }),
      headers.slice(0, pinned),
      el("th", { scope: "col", class: "why", text: t("dedupe.reason") }),
      headers.slice(pinned))),
    el("tbody", {}, group.rows.map((row) => el("tr", { class: row.split ? "split" : row.kept && merged ? "kept" : null },
      el("td", { class: "pin" },
        el("label", { class: "check" }, el("input", { type: "radio", name: `survivor-${group.id}`, value: String(row.row),
          checked: row.kept, disabled: apart || data.keep === "all" || row.split,
          "aria-label": t("review.keep_this", { row: row.number }),
          onchange: () => decide({ group: group.id, survivor: row.row }).then(() => loadPage(review.page, false)) }),
        " ", el("span", { class: "row-number", text: formatValue(row.number) })),
        el("span", { class: "score", text: row.score })),
      // Why the row is here, its weights, and the button that says it is not one of the group
      // (Save then writes it as its own record); the pinned first column stays narrow.
      ...((cells) => [...cells.slice(0, pinned),
        el("td", { class: "why" }, reasonText(row.reason),
          el("div", { class: "split-row" },
            el("button", { type: "button", class: "split", id: `split-${group.id}-${row.row}`,
              "aria-label": t(row.split ? "review.put_back_row" : "review.split_row", { row: row.number }),
              text: t(row.split ? "review.put_back" : "review.split"), onclick: () => split(row, !row.split) }),
            row.split ? el("span", { class: "split-note", text: ` ${t("review.split_note")}` }) : null)),
        ...cells.slice(pinned)])(cellsOf(row))))),
    merged ? el("tfoot", {}, survivorRow(group, data.columns, choose, order, pinned)) : null);
  const choice = (value, text) => el("label", { class: "check" }, el("input", { type: "radio", name: decisionName,
    value, checked: group.decision === value, onchange: () => setDecision(value) }), " ", text);
  return el("article", { class: `group${apart ? " apart" : ""}`, id: `group-${group.id}`, "aria-labelledby": headingId },
    el("h4", { id: headingId, tabindex: "-1",
      text: t("review.group", { id: group.id, count: group.size, score: group.score }) }),
    certaintyBadge(group.certain ? "certain" : "possible"),
    group.whole
      ? el("div", { class: "row decision", role: "radiogroup", "aria-labelledby": headingId },
        choice("same", t(data.keep === "all" ? "review.same_mark" : "review.same")),
        choice("different", t("review.not_same")),
        choice("undecided", t("review.undecided")))
      : el("p", { class: "note", text: t("review.no_group") }),
    el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-labelledby": headingId }, pinKeyColumn(table)),
    pairWeights(group));
}

// Under the rows, the weights of each pair that holds the group together (a row and the
// partner its Why names; the pair once, however many of its rows name it), full width.
function pairWeights(group) {
  const seen = new Set();
  const pairs = group.rows.filter((row) => row.weights && row.partner).filter((row) => {
    const key = [row.number, row.partner].sort((a, b) => a - b).join("-");
    return !seen.has(key) && seen.add(key);
  });
  return pairs.length ? el("div", { class: "pair-weights" },
    pairs.map((row) => weightBars(row.weights, t("weights.pair", {
      first: formatValue(Math.min(row.number, row.partner)), second: formatValue(Math.max(row.number, row.partner)) }),
      heldText(row.reason)))) : null;
}

function renderPager(data) {
  document.getElementById("review-pager").replaceChildren(...pagerButtons("review", "review.page", data, (page) => loadPage(page, true)));
}
