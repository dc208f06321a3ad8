// The compare result: the schema changes first (renamed columns with the reason, added,
// removed and moved columns), then the row counts and how the rows were paired, then every row
// of the diff a page at a time (GET /api/jobs/<id>/diff), filtered by status or by a changed
// column. A changed cell shows old → new, marked by more than colour: the old value struck
// out, an arrow, and words for screen readers. The diff's status words come in the UI's
// language here; the saved file keeps the engine's (DECISIONS 134).
import { api } from "../api.js";
import { el, showMessage } from "../dom.js";
import { formatValue, noticeText, t } from "../i18n.js";
import { pageQuery, pagerButtons } from "../pager.js";

const STATUS_KEYS = {
  added: "compare.status_added", removed: "compare.status_removed",
  changed: "compare.status_changed", unchanged: "compare.status_unchanged",
};
const COUNT_KEYS = [["added", "report.added"], ["removed", "report.removed"],
                    ["changed", "report.changed"], ["unchanged", "report.unchanged"]];
const SHOWS = [["differs", "compare.show_differs"], ["changed", "compare.show_changed"],
               ["added", "compare.show_added"], ["removed", "compare.show_removed"],
               ["unchanged", "compare.show_unchanged"], ["all", "compare.show_all"]];
const COLUMN_KINDS = { key: "compare.column_key", renamed: "compare.column_was", added: "compare.column_added",
                       removed: "compare.column_removed" };
// Notes about the columns (datatools/tools/compare.py NOTICE_CODES): the schema block.
const SCHEMA = /^compare_(renamed|columns)_/;

let diff = null;

export function view(jobId, result, { errorText }) {
  return [compareView(jobId, result.view.compare, errorText)];
}


function compareView(jobId, compare, onError) {
  diff = { jobId, compare, onError, show: "differs", column: "", choicesShown: false };
  const notes = compare.notes || [];
  const schema = notes.filter((n) => SCHEMA.test(n.code || ""));
  const rest = notes.filter((n) => !SCHEMA.test(n.code || ""));
  const box = el("section", { class: "compare", id: "compare", "aria-labelledby": "compare-schema-title" },
    el("h3", { id: "compare-schema-title", text: t("compare.schema_title") }),
    schema.length
      ? el("ul", { class: "schema", id: "compare-schema" }, schema.map((n) => el("li", { class: n.code, text: noticeText(n) })))
      : el("p", { id: "compare-schema", text: t("compare.schema_none") }),
    el("h3", { id: "compare-rows-title", text: t("compare.rows_title") }),
    el("dl", { class: "summary", id: "compare-counts" }, COUNT_KEYS.map(([name, key]) =>
      el("div", {}, el("dt", { text: t(key) }), el("dd", { text: formatValue(compare.counts[name]) })))),
    rest.map((n) => el("p", { class: "notice", text: noteText(n) })),
    filterForm(),
    el("p", { class: "counts", id: "compare-status", role: "status", "aria-live": "polite" }),
    el("div", { id: "compare-list" }),
    el("nav", { class: "row pager", id: "compare-pager", "aria-label": t("compare.pages") }),
    el("p", { class: "error", role: "alert", id: "compare-error", hidden: true }));
  loadPage(1, false);
  return box;
}

// The pairing note names the other key candidates in the engine's English (`others`); here
// they are worded from the candidates themselves.
function noteText(notice) {
  if (notice.code !== "compare_paired_by_key_inferred_others") return noticeText(notice);
  const others = (diff.compare.key_candidates || []).slice(1).map((c) => (c.counter
    ? t("compare.candidate_counter", { column: c.column })
    : t("compare.candidate_cells", { column: c.column, cells: c.equal_cells }))).join("; ");
  return noticeText({ ...notice, params: { ...notice.params, others } });
}

function filterForm() {
  const apply = () => {
    diff.show = document.getElementById("compare-show").value;
    diff.column = document.getElementById("compare-column").value;
    loadPage(1, true);
  };
  return el("form", { class: "filters", id: "compare-filters", "aria-label": t("compare.filter"),
      onsubmit: (event) => { event.preventDefault(); apply(); } },
    el("div", { class: "field" }, el("label", { for: "compare-show", text: t("compare.show") }),
      el("select", { id: "compare-show", onchange: apply })),
    el("div", { class: "field" }, el("label", { for: "compare-column", text: t("compare.column") }),
      el("select", { id: "compare-column", onchange: apply },
        el("option", { value: "", text: t("compare.any_column") }))));
}

async function loadPage(page, focusList) {
  const params = pageQuery(page, { column: diff.column }, { show: diff.show });
  // Only the latest request shows its answer: a quick second choice must not be overwritten by
  // the slower answer to the first.
  const asked = diff;
  const ticket = (diff.ticket = (diff.ticket || 0) + 1);
  const latest = () => asked === diff && ticket === diff.ticket;
  const list = document.getElementById("compare-list");
  list?.setAttribute("aria-busy", "true");
  let data;
  try {
    data = await api("GET", `/api/jobs/${diff.jobId}/diff?${params}`);
  } catch (error) {
    if (latest()) {
      list?.removeAttribute("aria-busy");
      showMessage(document.getElementById("compare-error"), diff.onError(error));
    }
    return;
  }
  if (!latest() || !document.getElementById("compare")) return;   // a newer choice, or another result
  list?.removeAttribute("aria-busy");
  showMessage(document.getElementById("compare-error"), "");
  renderChoices(data);
  const status = document.getElementById("compare-status");
  status.textContent = t("compare.showing", { shown: data.rows.length, total: data.total });
  document.getElementById("compare-list").replaceChildren(data.rows.length ? rowsTable(data)
    : el("p", { text: t(data.show === "unchanged" && diff.compare.changed_only ? "compare.unchanged_left_out" : "compare.none") }));
  document.getElementById("compare-pager").replaceChildren(
    ...pagerButtons("compare", "compare.page", data, (p) => loadPage(p, true)));
  if (focusList) (document.querySelector("#compare-list .table-wrap") || status).focus();
}

// The choices with their counts, filled once from the first answer.
function renderChoices(data) {
  if (diff.choicesShown) return;
  diff.choicesShown = true;
  document.getElementById("compare-show").replaceChildren(...SHOWS.map(([value, key]) =>
    el("option", { value, selected: value === diff.show, text: t(key, { count: data.counts[value] }) })));
  const cells = diff.compare.cells_changed || {};
  document.getElementById("compare-column").append(...data.changed_columns.map((c) =>
    el("option", { value: c, text: t("compare.column_cells", { column: c, cells: cells[c] ?? 0 }) })));
}

function header(column) {
  const kind = COLUMN_KINDS[column.kind];
  return el("th", { scope: "col", class: `column-${column.kind}` }, column.name,
    kind ? el("span", { class: "column-kind", text: t(kind, { old: column.was ?? "" }) }) : null);
}

function rowsTable(data) {
  return el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-labelledby": "compare-rows-title" },
    el("table", { class: "diff" },
      el("caption", { class: "visually-hidden", text: t("compare.caption", { page: data.page, pages: data.pages }) }),
      el("thead", {}, el("tr", {},
        el("th", { scope: "col", text: t("compare.status") }),
        el("th", { scope: "col", text: t("compare.old_row") }),
        el("th", { scope: "col", text: t("compare.new_row") }),
        data.columns.map(header))),
      el("tbody", {}, data.rows.map((row) => el("tr", { class: `status-${row.status}` },
        el("td", { class: "status" }, el("span", { class: "status-word", text: t(STATUS_KEYS[row.status] || row.status) }),
          changeList(row, data.columns)),
        el("td", { text: row.old_row ? formatValue(Number(row.old_row)) : "" }),
        el("td", { text: row.new_row ? formatValue(Number(row.new_row)) : "" }),
        row.cells.map((cell, i) => ("old" in cell ? changedCell(cell, data.columns[i].name) : el("td", { text: cell.value }))))))));
}

// Every changed cell of a row, in the pinned first column, so a change far to the right is
// seen without scrolling: "price: 12.00 → 13.00".
function changeList(row, columns) {
  const changed = row.cells.map((cell, i) => ["old" in cell, cell, columns[i].name]).filter(([has]) => has);
  if (!changed.length) return null;
  const shown = (value) => (value === "" ? t("compare.empty") : value);
  return el("ul", { class: "row-changes", "aria-hidden": "true" }, changed.map(([, cell, name]) => el("li", {},
    el("span", { class: "column-name", text: `${name}: ` }), el("del", { text: shown(cell.old) }),
    el("span", { class: "arrow", text: " → " }), el("ins", { text: shown(cell.value) }))));
}

// Seen: the old value struck out → the new one; heard: "price: was 12.00, now 13.00".
function changedCell(cell, column) {
  const shown = (value) => (value === "" ? t("compare.empty") : value);
  return el("td", { class: "cell-changed" },
    el("span", { "aria-hidden": "true" },
      el("del", { text: shown(cell.old) }), el("span", { class: "arrow", text: " → " }), el("ins", { text: shown(cell.value) })),
    el("span", { class: "visually-hidden", text: t("compare.cell_changed", { column, old: shown(cell.old), new: shown(cell.value) }) }));
}
