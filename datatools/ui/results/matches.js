// The result of match (datatools/app/results/matches.py), the match review: every left row, a
// page at a time, sorted and filtered by similarity, certainty or text — certain matches,
// possible ones (undecided until accepted: Save writes them without their partner) and rows
// with no partner; a "Wrong" tick per match, an "Accept" tick per possible match, both also
// for the whole filtered set, each pair's weights as bars, and a status line that counts
// what Save writes. The decisions live on the server (GET /api/jobs/<id>/matches, POST
// /api/jobs/<id>/review).
import { api } from "../api.js";
import { el, keyFirst, pinKeyColumn, showMessage, toSaveButton } from "../dom.js";
import { formatValue, t } from "../i18n.js";
import { pageQuery, pagerButtons } from "../pager.js";
import { heldText, reasonText } from "../reasons.js";
import { certaintyBadge, certaintyFilter } from "../certainty.js";
import { recipeReport } from "../recipes.js";
import { weightBars } from "../weights.js";

const SORTS = [["score", "review.sort_score"], ["-score", "review.sort_score_desc"], ["file", "review.sort_file"]];
let review = null;

export function view(jobId, result, { errorText }) {
  return [recipeReport(result.view.recipe), matchReview(jobId, errorText)].filter(Boolean);
}

function matchReview(jobId, onError) {
  review = { jobId, onError, filter: { min_score: "", max_score: "", certainty: "", text: "" }, sort: "score", page: 1 };
  const apply = (event) => {
    event?.preventDefault();
    for (const name of Object.keys(review.filter)) review.filter[name] = document.getElementById(`matches-${name}`).value;
    review.sort = document.getElementById("matches-sort").value;
    load(1, true);
  };
  const field = (name, label, attrs) => el("div", { class: "field" },
    el("label", { for: `matches-${name}`, text: t(label) }), el("input", { id: `matches-${name}`, ...attrs }));
  const box = el("section", { class: "review", id: "matches", "aria-labelledby": "matches-title" },
    el("h3", { id: "matches-title", text: t("matches.title") }),
    el("p", { class: "counts", id: "matches-counts", role: "status", "aria-live": "polite" }),
    toSaveButton("matches-to-save", t("review.to_save")),
    el("form", { class: "filters", "aria-label": t("review.filter"), onsubmit: apply },
      el("div", { class: "field" }, el("label", { for: "matches-sort", text: t("review.sort") }),
        el("select", { id: "matches-sort", onchange: apply }, SORTS.map(([value, key]) => el("option", { value, text: t(key) })))),
      field("min_score", "review.min_score", { type: "number", min: 0, max: 100, step: 1 }),
      field("max_score", "review.max_score", { type: "number", min: 0, max: 100, step: 1 }),
      certaintyFilter("matches-certainty", ["certain", "possible", "none"], apply),
      field("text", "review.text", { type: "search", spellcheck: "false" }),
      el("button", { type: "submit", id: "matches-apply", text: t("review.apply") })),
    el("div", { class: "row bulk", id: "matches-bulk" }),
    el("div", { id: "matches-list" }),
    el("nav", { class: "row pager", id: "matches-pager", "aria-label": t("review.pages") }),
    el("p", { class: "error", role: "alert", id: "matches-error", hidden: true }));
  load(1, false);
  return box;
}

// After a decision the page is drawn again, and focus returns to the control that made it.
const reload = (focusId) => load(review.page, false).then(() => document.getElementById(focusId)?.focus());

async function load(page, focusList) {
  const params = pageQuery(page, review.filter, { sort: review.sort });
  let data;
  try {
    data = await api("GET", `/api/jobs/${review.jobId}/matches?${params}`);
  } catch (error) {
    showMessage(document.getElementById("matches-error"), review.onError(error));
    return;
  }
  showMessage(document.getElementById("matches-error"), "");
  review.page = data.page;
  review.holds = data.holds;
  renderCounts(data.counts);
  const filtered = Object.values(review.filter).some((v) => v !== "");
  // replaceChildren writes a null as the text "null": leave the accept button out instead.
  document.getElementById("matches-bulk").replaceChildren(...[
    el("span", { text: t(filtered ? "matches.bulk_filtered" : "matches.bulk_all", { count: data.total }) }),
    el("button", { type: "button", id: "matches-bulk-reject", disabled: !data.total, text: t("matches.bulk_reject"),
      onclick: () => decide({ filter: review.filter, rejected: true }).then(() => load(review.page, false)) }),
    el("button", { type: "button", id: "matches-bulk-keep", disabled: !data.total, text: t("matches.bulk_keep"),
      onclick: () => decide({ filter: review.filter, rejected: false }).then(() => load(review.page, false)) }),
    data.holds && data.counts.undecided + data.counts.accepted
      ? el("button", { type: "button", id: "matches-bulk-accept", disabled: !data.total, text: t("matches.bulk_accept"),
        onclick: () => decide({ filter: review.filter, accepted: true }).then(() => load(review.page, false)) })
      : null].filter(Boolean));
  document.getElementById("matches-list").replaceChildren(data.matches.length ? matchTable(data)
    : el("p", { text: t("matches.none") }));
  document.getElementById("matches-pager").replaceChildren(...pagerButtons("matches", "matches.page", data, (p) => load(p, true)));
  if (focusList) (document.querySelector("#matches-list input") || document.getElementById("matches-counts")).focus();
}

function renderCounts(counts) {
  // With several candidates a row (`top` above 1) every candidate is listed and written.
  document.getElementById("matches-counts").textContent = t(review.holds ? "matches.counts" : "matches.counts_listed", counts);
}

async function decide(change) {
  try {
    const state = await api("POST", `/api/jobs/${review.jobId}/review`, change);
    renderCounts(state.counts);
  } catch (error) {
    showMessage(document.getElementById("matches-error"), review.onError(error));
    throw error;
  }
}

// Each side's columns under their own names (paired ones first, then a few more for context),
// grouped under the file they come from; the first column (wrong?, row, similarity) and the
// first file's key column stay in view while the table scrolls sideways.
function matchTable(data) {
  const keyAt = data.key ? data.columns.findIndex((c) => c.side === "left" && c.name === data.key) : -1;
  const pinned = keyAt >= 0 ? 1 : 0;
  const order = keyFirst(data.columns.length, keyAt);
  const cls = (i, k) => [`side-${data.columns[i].side}`, data.columns[i].paired ? "paired" : null,
    k < pinned ? "pin-key" : null].filter(Boolean).join(" ");
  const sides = ["left", "right"].map((side, k) => [side, data.files[k],
    data.columns.filter((c, i) => c.side === side && i !== keyAt).length]);
  const headers = order.map((i, k) => el("th", { scope: "col", class: cls(i, k), text: data.columns[i].name }));
  const cellsOf = (match) => order.map((i, k) => el("td", { class: cls(i, k).replace(" paired", ""), text: match.cells[i] }));
  const table = el("table", { class: "match-rows" },
    el("thead", {},
      el("tr", {}, el("td", { colspan: String(2 + pinned) }),
        sides.map(([side, file, span]) => el("th", { scope: "colgroup", colspan: String(span), class: `side-${side}`,
          text: t(side === "left" ? "matches.first_file" : "matches.second_file", { file }) }))),
      el("tr", {},
        el("th", { scope: "col", class: "pin", text: `${t("matches.wrong")} · ${t("review.row")} · ${t("dedupe.score")}` }),
        headers.slice(0, pinned),
        el("th", { scope: "col", class: "why", text: t("dedupe.reason") }),
        headers.slice(pinned))),
    el("tbody", {}, data.matches.map((match) => el("tr", { class: rowClass(match) },
      el("td", { class: "pin" }, wrongTick(match),
        el("span", { class: "row-number", text: formatValue(match.number) }),
        match.score === null ? null : el("span", { class: "score", text: String(match.score) }),
        certaintyBadge(match.certainty), acceptTick(match)),
      ...((cells) => [...cells.slice(0, pinned),
        el("td", { class: "why" }, reasonText(match.reason), weightBars(match.weights,
          t("weights.match_pair", { row: formatValue(match.number), partner: formatValue(match.partner ?? 0) }),
          heldText(match.reason))),
        ...cells.slice(pinned)])(cellsOf(match))))));
  return el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": t("matches.title") },
    pinKeyColumn(table));
}

// Taken back, or a possible match nobody accepted yet: Save writes neither with its partner.
function rowClass(match) {
  if (match.rejected) return "rejected";
  return match.certainty === "possible" && !match.accepted ? "held" : null;
}

// A match: "Wrong" (the column's heading names it) takes it back; a possible match also has
// "Accept" (Save then writes it with its partner). A row with no partner has nothing to decide.
function tick(match, id, key, label, checked, change) {
  return el("label", { class: "check" },
    el("input", { type: "checkbox", id, checked, "aria-label": t(label, { row: match.number }),
      onchange: (e) => decide(change(e.target.checked)).then(() => reload(id)) }), key ? ` ${t(key)}` : " ");
}

function wrongTick(match) {
  return match.certainty === "none" ? null : tick(match, `match-${match.row}`, null, "matches.wrong_row",
    match.rejected, (on) => ({ row: match.row, rejected: on }));
}

function acceptTick(match) {
  return match.certainty !== "possible" || !review.holds ? null : tick(match, `accept-${match.row}`, "matches.accept",
    "matches.accept_row", match.accepted, (on) => ({ row: match.row, accepted: on }));
}
