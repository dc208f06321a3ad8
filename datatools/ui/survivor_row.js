// The surviving row of a merged group, shown under its rows: what Save writes for the group.
// In each column whose rows disagree, a choice says which row's value survives (keyboard and
// screen readers use it; a click on another row's cell is the mouse's shortcut to the same).
// Values taken from another row are highlighted. The server builds the row with the engine
// (datatools/tools/survivors.py), so what is shown is what is saved.
import { el } from "./dom.js";
import { t } from "./i18n.js";

// `choose(column, row)` records a choice (row: the 0-based input row, as the server sends it).
// `order`: the columns' display order (indices); the first `pinned` of them are pinned, before
// the values-taken cell, as the rows above draw them.
export function survivorRow(group, columns, choose, order = [...columns.keys()], pinned = 0) {
  const varies = new Set(group.varies);
  const taken = new Set(group.survivor.taken);
  const cells = order.map((i, k) => el("td", { class: [k < pinned ? "pin-key" : null,
    taken.has(columns[i]) ? "taken" : null].filter(Boolean).join(" ") || null },
  varies.has(columns[i]) ? valueChoice(group, columns[i], i, choose) : group.survivor.cells[i]));
  return el("tr", { class: "survivor", id: `survivor-${group.id}` },
    el("th", { scope: "row", class: "pin", text: t("review.saved_row") }),
    cells.slice(0, pinned),
    el("td", { class: "values-taken", text: group.survivor.taken.length
      ? t("review.values_taken", { count: group.survivor.taken.length }) : "" }),
    cells.slice(pinned));
}

function valueChoice(group, column, i, choose) {
  return el("select", { id: `value-${group.id}-${i}`, class: "value-choice",
      "aria-label": t("review.value_from", { column }),
      onchange: (event) => choose(column, Number(event.target.value)) },
    group.rows.filter((row) => !row.split).map((row) => el("option", { value: String(row.row), selected: row.row === group.survivor.sources[i],
      text: t("review.value_option", { row: row.number,
        value: row.cells[i] === "" ? t("review.value_empty") : row.cells[i] }) })));
}

// A row's cell as the mouse's shortcut: clicking another row's value in a column that varies
// takes it for the surviving row.
export function pickableCell(group, row, i, column, attrs, choose) {
  const pickable = !row.kept && !row.split && group.varies.includes(column) && row.row !== group.survivor.sources[i];
  return el("td", { ...attrs, class: [attrs.class, pickable ? "pickable" : null].filter(Boolean).join(" ") || null,
    title: pickable ? t("review.take_value", { column, row: row.number }) : null,
    onclick: pickable ? () => choose(column, row.row) : null, text: row.cells[i] });
}
