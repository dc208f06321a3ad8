// The clean tool's rules per column. Before a run: one row per column with what it holds (the
// server decides it: datatools/tools/clean_rules.py), the rules it will get — the file-wide
// options, held back where they do not fit, pre-filled — editable per column, and a before →
// after of each rule from a sample. After the run: the same per column with the exact counts.
// The server's plan is a clean job with option `plan` (datatools/app/tool_jobs.py run_clean).
import { el, renderTable } from "./dom.js";
import { errorText, formatValue, noticeText, t } from "./i18n.js";
import { runJob } from "./jobs.js";

const WAIT_MS = 250;      // typing pause before the plan is asked for again
const TIDY = ["trim", "invisible", "empty_values", "unicode_nfc"];
const SWITCH = [["on", "rules.on"], ["off", "rules.off"]];
// Per rule: its label, the values a column can get ("" = no change) and their short labels.
const RULES = [
  ["case", "rules.case", [["", "rules.keep"], ["lower", "rules.lower"], ["upper", "rules.upper"], ["title", "rules.title"]]],
  ["dates", "rules.dates", [["", "rules.leave"], ["auto", "rules.auto"], ["day-first", "rules.day_first"], ["month-first", "rules.month_first"]]],
  ["numbers", "rules.numbers", [["", "rules.leave"], ["auto", "rules.auto"], ["point", "rules.point"], ["comma", "rules.comma"]]],
  ["phones", "rules.phones", SWITCH],
  ["emails", "rules.emails", SWITCH],
  ["tidy", "rules.tidy", SWITCH],
];
// The engine's steps (CleanReport): their short label here, and the option's label after a run.
const STEPS = {
  invisible: ["rules.step_invisible", "clean.invisible"], unicode: ["rules.step_unicode", "clean.unicode_nfc"],
  half_width: ["rules.step_half_width", "clean.half_width"],
  whitespace: ["rules.step_whitespace", "clean.trim"], empty: ["rules.step_empty", "clean.empty_values"],
  case: ["rules.step_case", "clean.case"], email: ["rules.step_email", "clean.emails"],
  phone: ["rules.step_phone", "clean.phones"], number: ["rules.step_number", "clean.numbers"],
  date: ["rules.step_date", "clean.dates"],
};
const KINDS = { integer: "type.integer", code: "type.code", decimal: "type.decimal", date: "type.date",
  datetime: "type.date", email: "type.email", phone: "type.phone", boolean: "type.boolean", text: "type.text",
  mixed: "type.mixed", empty: "type.empty" };

const boxes = new WeakMap();    // the fieldset → { specs, readOptions, seq, timer }
let listening = false;

// The fieldset of the options form (kind "rules"): `specs` are the tool's inputs, `readOptions`
// reads the whole form, `previous` the rules the user had set for this same file (or nothing).
export function rulesField(field, specs, columns, readOptions, previous) {
  const box = el("fieldset", { class: "columns rules", id: `option-${field.name}`, "data-option": field.name,
    "data-kind": "rules", "aria-describedby": "rules-status" },
  el("legend", { text: t(field.label) }),
  el("p", { class: "muted", id: "rules-status", role: "status", text: t("rules.looking") }),
  renderTable([t("rules.column"), t("rules.holds"), t("rules.sample"), ...RULES.map(([, label]) => t(label))],
    [], t("rules.caption")),
  el("button", { type: "button", class: "link", id: "rules-reset", text: t("rules.reset"), onclick: () => reset(box) }),
  el("div", { class: "rules-notes" }));
  const body = box.querySelector("tbody");
  columns.forEach((name, index) => body.append(columnRow(name, index, (previous || {})[name] || {})));
  boxes.set(box, { specs, readOptions, seq: 0, timer: null });
  box.addEventListener("change", (event) => {
    const select = event.target.closest("select[data-rule]");
    if (!select) return;
    event.stopPropagation();      // not a file-wide option: only this column changes
    select.dataset.own = "1";
    markOwn(select.closest("tr"));
    ask(box);
  });
  if (!listening) {
    listening = true;
    // A file-wide option changed: the columns' rules follow it, except those the user set.
    document.getElementById("option-fields").addEventListener("change", () => {
      const current = document.getElementById(`option-${field.name}`);
      if (current && boxes.has(current)) ask(current);
    });
  }
  ask(box, 0);
  return box;
}

function columnRow(name, index, own) {
  const row = el("tr", { "data-column": name },
    el("th", { scope: "row" }, el("span", { text: name }), el("span", { class: "own-mark", hidden: true, text: ` · ${t("rules.yours")}` })),
    el("td", { class: "kind", text: "…" }),
    el("td", { class: "sample" }));
  for (const [rule, label, choices] of RULES) {
    const id = `rule-${index}-${rule}`;
    const given = ownValue(rule, own);
    const select = el("select", { id, "data-rule": rule, "data-own": given === undefined ? null : "1",
      "aria-label": t("rules.label", { rule: t(label), column: name }) },
    choices.map(([value, key]) => el("option", { value, selected: value === given, text: t(key) })));
    row.append(el("td", {}, select));
  }
  markOwn(row);
  return row;
}

// The select value of a rule the user set ({case: "title"} → "title"), undefined when not set.
function ownValue(rule, own) {
  const on = (value) => value === true || value === "on";
  if (rule === "tidy") return TIDY.some((r) => r in own) ? (TIDY.every((r) => on(own[r])) ? "on" : "off") : undefined;
  if (!(rule in own)) return undefined;
  if (rule === "phones" || rule === "emails") return on(own[rule]) ? "on" : "off";
  return ["keep", "leave", null].includes(own[rule]) ? "" : own[rule];
}

function markOwn(row) {
  row.querySelector(".own-mark").hidden = !row.querySelector("select[data-own]");
}

function reset(box) {
  for (const select of box.querySelectorAll("select[data-own]")) delete select.dataset.own;
  for (const row of box.querySelectorAll("tbody tr")) markOwn(row);
  ask(box, 0);
}

// What the user set, per column, as the engine reads it: {postcode: {case: "keep"}}.
export function readRules(box) {
  const rules = {};
  for (const row of box.querySelectorAll("tbody tr")) {
    const own = {};
    for (const select of row.querySelectorAll("select[data-own]")) {
      const rule = select.dataset.rule;
      if (rule === "tidy") TIDY.forEach((r) => { own[r] = select.value; });
      else if (rule === "phones" || rule === "emails") own[rule] = select.value;
      else own[rule] = select.value || (rule === "case" ? "keep" : "leave");
    }
    if (Object.keys(own).length) rules[row.dataset.column] = own;
  }
  return rules;
}

// Ask the server what each column would get with the form as it is now; the newest answer wins.
function ask(box, wait = WAIT_MS) {
  const state = boxes.get(box);
  clearTimeout(state.timer);
  status(box, t("rules.looking"));
  state.timer = setTimeout(async () => {
    const seq = ++state.seq;
    const job = await runJob("/api/jobs", { tool: "clean", inputs: state.specs,
      options: { ...state.readOptions(), plan: true } }, { stale: () => seq !== state.seq });
    if (job === null || seq !== state.seq || !box.isConnected) return;
    if (job.state !== "done") {
      status(box, job.error ? errorText(job.error) : t("run.cancelled"), true);
      return;
    }
    showPlan(box, job.result.view);
  }, wait);
}

function status(box, text, failed = false) {
  const line = box.querySelector("#rules-status");
  line.textContent = text;
  line.className = failed ? "error" : "muted";
}

function showPlan(box, view) {
  status(box, t("rules.from_rows", { rows: view.rows }));
  for (const row of box.querySelectorAll("tbody tr")) {
    const column = view.plan[row.dataset.column];
    if (!column) continue;
    // replaceChildren writes a null as the text "null": pass the example only when there is one.
    row.querySelector(".kind").replaceChildren(el("span", { text: kindText(column.kind) }),
      ...(column.example ? [el("span", { class: "muted", text: column.example })] : []));
    for (const select of row.querySelectorAll("select[data-rule]:not([data-own])")) {
      select.value = planValue(select.dataset.rule, column);
    }
    row.querySelector(".sample").replaceChildren(...sampleLines(column));
  }
  box.querySelector(".rules-notes").replaceChildren(
    ...(view.notes || []).map((note) => el("p", { class: "notice", text: noticeText(note) })));
}

function kindText(kind) {
  return KINDS[kind] ? t(KINDS[kind]) : kind;
}

// The value a rule's select shows for what the engine will do in this column.
function planValue(rule, column) {
  const rules = column.rules;
  const held = column.held || {};
  if (rule === "tidy") return TIDY.every((r) => rules[r]) ? "on" : "off";
  if (rule === "phones" || rule === "emails") return rules[rule] && !held[rule] ? "on" : "off";
  return held[rule] === "not_words" || held[rule] === "codes" ? "" : rules[rule] || "";
}

function stepLabel(step, after = false) {
  return STEPS[step] ? t(STEPS[step][after ? 1 : 0]) : step;
}

function sampleLines(column) {
  const lines = Object.entries(column.samples || {}).map(([step, pairs]) =>
    el("div", { text: `${stepLabel(step)}: ${pairs[0][0]} → ${pairs[0][1]}` }));
  return lines.length ? lines : [el("span", { class: "muted", text: t("rules.no_change") })];
}

// After the run: per column what it holds, each change with its exact count and examples.
export function rulesResult(columns, notes) {
  const rows = [];
  for (const [name, column] of Object.entries(columns)) {
    for (const [step, cells] of Object.entries(column.steps || {})) {
      const pairs = (column.samples || {})[step] || [];
      rows.push([name, kindText(column.kind), stepLabel(step, true), formatValue(cells),
        pairs.map(([before, after]) => `${before} → ${after}`).join("   ·   ")]);
    }
  }
  return el("section", { class: "changes" },
    rows.length ? renderTable([t("clean.column"), t("rules.holds"), t("clean.step"), t("clean.cells"), t("clean.examples")],
      rows, t("clean.changes")) : el("p", { text: t("clean.no_changes") }),
    notes.map((note) => el("p", { class: "notice", text: noticeText(note) })));
}
