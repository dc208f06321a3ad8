// The tool screen: choose file(s) → preview (encoding, delimiter, header changeable) → options →
// run with progress and Cancel → result → save as a new file.
import { api } from "./api.js";
import { el, renderTable, show, showCancelled, showMessage } from "./dom.js";
import { cancelJob, follow, progressRow, runJob, setProgress as setBar } from "./jobs.js";
import { state } from "./state.js";
import { errorText, language, noticeText, t } from "./i18n.js";
import { DELIMITERS, ENCODINGS, toolDef } from "./tools.js";
import { initSave, showResult } from "./save.js";
import { initRecipes } from "./recipes.js";
import { readRules, rulesField } from "./clean_rules.js";
import { keyField, readKeyColumns } from "./key_columns.js";
import { estimateSoon, initEstimate } from "./match_estimate.js";
import { closeLarge, largeNote } from "./large.js";

const $ = (id) => document.getElementById(id);
// What the file chooser offers: what the reader reads (datatools/io/excel.py SPREADSHEET_SUFFIXES).
const ACCEPT = ".csv,.tsv,.txt,.xlsx,.xlsm,.xls,.ods,.json";

// The tool being used is `state.tool`: { id, def, specs, previews, job, saving }.

export function initTool() {
  $("run").addEventListener("click", startRun);
  $("cancel").addEventListener("click", cancelRun);
  initSave();
  initRecipes((options) => renderOptions(true, options));
  initDrop();
  $("option-fields").addEventListener("change", (event) => {
    if (event.target.closest("[data-kind=columns]")) renderPairings();
    if (event.target.closest("[data-kind=pairing]")) showMessage($("run-error"), "");
  });
  $("start-over").addEventListener("click", () => {
    const id = state.tool.id;
    closeLarge(state.tool.job);
    state.tool = null;
    openTool(id);
  });
  // The match estimate is for both files read and the pairing as it stands.
  initEstimate(() => (state.tool && state.tool.id === "match" && state.tool.previews.every(Boolean)
    ? { specs: state.tool.specs, options: readOptions() } : null));
}

// Opening the tool in use again shows it as it was: its files, options and result stay until
// the user starts over.
export function openTool(id) {
  if (state.tool && state.tool.id === id) return;
  if (state.tool) closeLarge(state.tool.job);     // another tool: a large result's copy goes
  const def = toolDef(state.server, id);
  state.tool = { id, def, specs: def.inputs.map(() => ({ path: "", encoding: "", delimiter: "", header: true, header_row: "" })),
              previews: def.inputs.map(() => null), job: null };
  $("tool-title").textContent = t(`tool.${id}.title`);
  $("tool-help").textContent = t(`tool.${id}.help`);
  renderInputs();
  show($("options"), false);
  $("recipe-path").value = "";
  $("recipe-map").replaceChildren();
  showMessage($("recipe-status"), "");
  $("recipe-dry").replaceChildren();
  show($("recipe-dry"), false);
  show($("run-area"), false);
  showMessage($("run-error"), "");       // the last tool's error is not this one's
  showEngine(null);
  show($("result-area"), false);
}

export function retranslateTool() {
  if (!state.tool) return;
  $("tool-title").textContent = t(`tool.${state.tool.id}.title`);
  $("tool-help").textContent = t(`tool.${state.tool.id}.help`);
  state.tool.def = toolDef(state.server, state.tool.id);   // labels named in words (regions) follow
  renderInputs();
  if (state.tool.previews.every(Boolean)) renderOptions();
  if (state.tool.job && state.tool.job.state === "done") showResult(state.tool.job);
}

// ------------------------------------------------------------------ step 1: files and previews

function renderInputs() {
  const box = $("inputs");
  box.replaceChildren();
  const card = el("section", { class: "card", "aria-labelledby": "inputs-title" },
    el("h2", { id: "inputs-title" }, el("span", { class: "step", text: "1" }), " ",
      t(state.tool.def.inputs.length > 1 ? "input.choose_two" : "input.choose_one")),
    el("p", { class: "muted", text: t(state.tool.def.inputs.length > 1 ? "input.drop_two" : "input.drop_one") }));
  state.tool.def.inputs.forEach((labelKey, index) => card.append(inputPanel(labelKey, index)));
  box.append(card);
}

function inputPanel(labelKey, index) {
  const spec = state.tool.specs[index];
  const pathId = `path-${index}`;
  const panel = el("div", { class: "input-panel", id: `input-${index}` });
  const pathInput = el("input", { id: pathId, type: "text", value: spec.path, spellcheck: "false",
    autocomplete: "off", placeholder: t("input.path_placeholder") });
  const error = el("p", { class: "error", role: "alert", id: `input-error-${index}`, hidden: true });
  // Windows' "Copy as path" puts quotes around the path: they are not part of the name.
  // Another file's header row is found afresh: the last file's typed line means nothing there.
  const load = () => {
    spec.path = pathInput.value.trim().replace(/^"(.*)"$/, "$1"); spec.header_row = ""; loadPreview(index);
  };
  pathInput.addEventListener("keydown", (event) => { if (event.key === "Enter") load(); });
  const upload = el("input", { type: "file", id: `upload-${index}`, class: "visually-hidden",
    accept: ACCEPT, onchange: () => uploadFile(index, upload) });
  if (state.tool.def.inputs.length > 1) panel.append(el("h3", { text: t(labelKey) }));
  panel.append(
    el("div", { class: "row" },
      el("label", { for: pathId, text: t("input.path") }),
      pathInput,
      state.server.dialogs ? el("button", { type: "button", text: t("input.browse"), onclick: () => browseOpen(index, pathInput) }) : null,
      upload,
      state.server.dialogs ? null : el("label", { class: "button", for: `upload-${index}`, text: t("input.upload") }),
      el("button", { type: "button", class: "primary", text: t("input.load"), onclick: load })),
    error);
  const preview = state.tool.previews[index];
  if (preview) panel.append(previewBlock(index, preview));
  return panel;
}

async function browseOpen(index, pathInput) {
  const { paths } = await api("POST", "/api/dialog/open", { multiple: false });
  if (paths.length) {
    pathInput.value = paths[0];
    state.tool.specs[index].path = paths[0];
    state.tool.specs[index].header_row = "";
    loadPreview(index);
  }
}

async function uploadFile(index, upload) {
  if (upload.files[0]) await uploadBlob(index, upload.files[0]);
}

// A file chosen in the browser, or dropped on the window, is copied to the local server.
async function uploadBlob(index, file) {
  try {
    const saved = await api("POST", `/api/upload?name=${encodeURIComponent(file.name)}`, file);
    $(`path-${index}`).value = saved.path;
    state.tool.specs[index].path = saved.path;
    state.tool.specs[index].header_row = "";
    loadPreview(index);
  } catch (error) {
    showMessage($(`input-error-${index}`), errorText(error));
  }
}

// Files dropped on the tool screen: onto a file's panel, or the first file still missing.
function initDrop() {
  const screen = $("screen-tool");
  screen.addEventListener("dragover", (event) => {
    if (!state.tool || !event.dataTransfer.types.includes("Files")) return;
    event.preventDefault();
    screen.classList.add("dropping");
  });
  screen.addEventListener("dragleave", (event) => { if (event.target === screen) screen.classList.remove("dropping"); });
  screen.addEventListener("drop", (event) => {
    screen.classList.remove("dropping");
    if (!state.tool || !event.dataTransfer.files.length) return;
    event.preventDefault();
    const panel = event.target.closest(".input-panel");
    let index = panel ? Number(panel.id.split("-")[1]) : state.tool.previews.findIndex((p) => !p);
    if (index < 0) index = 0;
    [...event.dataTransfer.files].slice(0, state.tool.specs.length - index)
      .forEach((file, k) => uploadBlob(index + k, file));
  });
}

// `focusId`: the reading control that asked for the new preview (focus goes back to it);
// otherwise focus moves on to what comes next — the next file, or the first option.
async function loadPreview(index, focusId = null) {
  const spec = state.tool.specs[index];
  const tool = state.tool;
  const previous = state.tool.previews[index];
  showMessage($(`input-error-${index}`), "");
  let job;
  try {
    job = await followPreview(index, await api("POST", "/api/preview", spec));
  } catch (failure) {
    job = { state: "failed", error: failure };
  }
  if (state.tool !== tool) return;          // the user left the tool meanwhile
  if (job.state === "failed" && previous && String(job.error?.code || "").startsWith("header_row")) {
    // A header row the file does not have: the last preview stays, the field goes back to
    // the line found, and the message under the file says why.
    spec.header_row = "";
    renderInputs();
    showMessage($(`input-error-${index}`), errorText(job.error));
    $(`header-row-${index}`)?.focus();
    return;
  }
  if (job.state !== "done") {
    state.tool.previews[index] = null;
    renderInputs();
    if (job.state === "cancelled") showCancelled($(`input-error-${index}`), t("run.cancelled"));
    else showMessage($(`input-error-${index}`), errorText(job.error));
    $(`path-${index}`).focus();
    return;
  }
  state.tool.previews[index] = job.result;
  // Another file starts afresh: its options are the defaults, not the last file's, and the
  // last file's result goes.
  const sameFile = Boolean(previous) && previous.path === state.tool.previews[index].path;
  if (!sameFile && state.tool.job) {
    closeLarge(state.tool.job);
    state.tool.job = null;
    show($("result-area"), false);
  }
  renderInputs();
  const ready = state.tool.previews.every(Boolean);
  if (ready) {
    renderOptions(sameFile);
    // Garbled letters were seen: the repair starts ticked, and the preview says why.
    const repair = $("option-repair_mojibake");
    if (repair && !sameFile && state.tool.previews[0].mojibake?.length) repair.checked = true;
    show($("options"), state.tool.def.options.length > 0);
    show($("recipe-apply-area"), Boolean(state.tool.def.recipe));
    show($("run-area"));
  }
  const next = focusId ? $(focusId)
    : !ready ? $(`path-${state.tool.previews.findIndex((p) => !p)}`)
    : document.querySelector("#option-fields input, #option-fields select") || $("run");
  if (next) next.focus();
  $(`input-${index}`).scrollIntoView({ block: "nearest" });
}

// Reading a file's start is a job on the server (detecting the encoding of a large file takes
// time): follow it, and when it is not done at once show its progress and a Cancel button.
async function followPreview(index, job) {
  let shown = null;
  const started = Date.now();
  const done = await follow(job, { kind: "preview", onProgress: (answer) => {
    if (answer.state === "running" && !shown && Date.now() - started > 300) {
      shown = progressRow(t("preview.reading"), answer.id, "preview", { id: `preview-progress-${index}` });
      shown.row.classList.add("preview-progress");
      $(`input-${index}`).append(shown.row);
      shown.cancel.focus();
    }
    if (shown) setBar(shown.bar, answer.fraction);
  } });
  if (shown) shown.row.remove();
  return done;
}

function previewBlock(index, preview) {
  const spec = state.tool.specs[index];
  const reread = (field, value, id) => { spec[field] = value; loadPreview(index, id); };
  const encodingId = `encoding-${index}`;
  const delimiterId = `delimiter-${index}`;
  const headerId = `header-${index}`;
  const headerRowId = `header-row-${index}`;
  const encodings = [...new Set([preview.encoding, ...ENCODINGS])];
  const delimiters = DELIMITERS.some(([d]) => d === preview.delimiter) ? DELIMITERS
    : [[preview.delimiter, "delimiter.other"], ...DELIMITERS];
  // A spreadsheet has neither an encoding nor a separator (the reader gives "" for both).
  const text = preview.encoding !== "";
  return el("div", { class: "preview" },
    el("div", { class: "row read-options" },
      text ? el("label", { for: encodingId, text: t("preview.encoding") }) : null,
      text ? el("select", { id: encodingId, onchange: (e) => reread("encoding", e.target.value, encodingId) },
        encodings.map((name) => el("option", { value: name, selected: name === preview.encoding, text: name }))) : null,
      text ? el("label", { for: delimiterId, text: t("preview.delimiter") }) : null,
      text ? el("select", { id: delimiterId, onchange: (e) => reread("delimiter", e.target.value, delimiterId) },
        delimiters.map(([d, key]) => el("option", { value: d, selected: d === preview.delimiter, text: t(key, { char: d }) }))) : null,
      el("label", { class: "check" },
        el("input", { type: "checkbox", id: headerId, checked: spec.header,
          onchange: (e) => { spec.header_row = ""; reread("header", e.target.checked, headerId); } }),
        " ", t("preview.header")),
      // The line (a sheet's row) of the column names: the one found (a title above the table
      // is left out), or the one the user typed; empty again = found again.
      spec.header ? el("label", { for: headerRowId, text: t("preview.header_row") }) : null,
      spec.header ? el("input", { type: "number", id: headerRowId, class: "header-row", min: "1", step: "1",
        value: spec.header_row || preview.header_line || "",
        onchange: (e) => reread("header_row", e.target.value.trim(), headerRowId) }) : null),
    preview.sheets && preview.sheets.length > 1 ? el("div", { class: "row" },
      el("label", { for: `sheet-${index}`, text: t("preview.sheet") }),
      el("select", { id: `sheet-${index}`, onchange: (e) => reread("sheet", e.target.value, `sheet-${index}`) },
        preview.sheets.map((name) => el("option", { value: name, selected: name === preview.sheet, text: name })))) : null,
    largeNote(preview, state.tool.id),
    preview.warnings.map((w) => el("p", { class: "notice", text: noticeText(w) })),
    preview.mojibake?.length ? el("p", { class: "notice", id: `mojibake-${index}`,
      text: t("preview.mojibake", { before: preview.mojibake[0].before, after: preview.mojibake[0].after }) }) : null,
    renderTable(preview.columns, preview.rows,
      t("preview.caption", { name: preview.name, shown: preview.rows.length })));
}

// ------------------------------------------------------------------ step 2: options

// `given`: values to show instead (a recipe's options), else the form's own (`keep`) or defaults.
function renderOptions(keep = true, given = null) {
  const box = $("option-fields");
  const before = given || (keep ? readOptions() : {});
  box.replaceChildren();
  for (const field of state.tool.def.options) box.append(optionField(field, before[field.name]));
  renderPairings(before);
  estimateSoon();
}

// Same name, ignoring case, spaces and punctuation: "Customer ID" pairs with "customer_id".
const plain = (name) => name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");

// A full name in one column pairs with a given name and a surname in two: the second table's
// "Vorname + Nachname" (the engine reads the two as one, datatools/tools/match.py). Which
// columns hold whole names, given names or surnames is the engine's reading of their names
// (party_names.name_column_roles, in each preview's `name_roles`).
const JOIN = " + ";

function nameCombos(roles) {
  return roles.given.flatMap((given) =>
    roles.family.filter((family) => family !== given).map((family) => `${given}${JOIN}${family}`));
}

// The one column of `right` that holds what `name` holds by its name (`Miasto` ↔ `Miejscowość`:
// both towns, datatools/app/column_pairing.py; whole names are paired by nameCombos), else the
// one whose words begin with all of `name`'s (`Kod` ↔ `Kod pocztowy`); undefined when none or
// several do.
function alike(name, role, right, rightRoles) {
  const only = (found) => (found.length === 1 ? found[0] : undefined);
  const words = (text) => text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const same = role && role !== "whole" ? only(right.filter((c) => rightRoles[c] === role)) : undefined;
  return same ?? only(right.filter((c) => words(name).length > 0
    && words(name).every((w) => words(c).includes(w)) && words(c).length > words(name).length));
}

// A column of the first file mostly holding two words or more (`Nome`: `Maria Silva`) beside
// a column of its name in the second, named for given or whole names, mostly holding one
// (`nome`: `Maria`), and a surname column
// there: the two read as one (`nome + sobrenome`), as datatools/tools/split_names.py says
// (each preview's `word_shapes`, its first rows); undefined otherwise.
function splitName(name, leftShapes, right, rightShapes, rightRoles) {
  const same = right.filter((c) => plain(c) === plain(name));
  const named = [...(rightRoles?.given ?? []), ...(rightRoles?.whole ?? [])];
  if (!(leftShapes?.several ?? []).includes(name) || same.length !== 1
      || !(rightShapes?.single ?? []).includes(same[0]) || !named.includes(same[0])) return undefined;
  const family = (rightRoles?.family ?? []).filter((c) => c !== same[0]);
  return family.length ? `${same[0]}${JOIN}${family[0]}` : undefined;
}

// Each chosen column of the first file with the column of the second file it is compared
// with: chosen by name, changeable, never by position.
function renderPairings(before = {}) {
  for (const box of document.querySelectorAll("#option-fields [data-kind=pairing]")) {
    const left = [...document.querySelectorAll(`#option-${box.dataset.partner} input:checked`)].map((i) => i.value);
    const index = Number(box.dataset.input);
    const right = state.tool.previews[index].columns;
    const noRoles = { whole: [], given: [], family: [] };
    const whole = (state.tool.previews.find((p, k) => p && k !== index)?.name_roles ?? noRoles).whole;
    const combos = nameCombos(state.tool.previews[index].name_roles ?? noRoles);
    const chosen = Object.fromEntries([...box.querySelectorAll("select")].map((s) => [s.dataset.left, s.value]));
    (before[box.dataset.option] || []).forEach((value, i) => { if (left[i] && !(left[i] in chosen)) chosen[left[i]] = value; });
    const leftRoles = state.tool.previews.find((p, k) => p && k !== index)?.column_roles ?? {};
    const rightRoles = state.tool.previews[index].column_roles ?? {};
    const other = state.tool.previews.find((p, k) => p && k !== index);
    const split = left.map((name) => splitName(name, other?.word_shapes, right,
      state.tool.previews[index].word_shapes, state.tool.previews[index].name_roles));
    const options = [...right, ...combos, ...split.filter((c) => c && !combos.includes(c))];
    const pairs = left.map((name, i) => {
      const value = chosen[name] ?? split[i] ?? right.find((c) => plain(c) === plain(name))
        ?? alike(name, leftRoles[name], right, rightRoles)
        ?? (whole.includes(name) ? combos[0] : undefined) ?? "";
      return el("div", { class: "row pair" },
        el("label", { for: `pair-${i}`, text: name }),
        el("span", { "aria-hidden": "true", text: "↔" }),
        el("select", { id: `pair-${i}`, "data-left": name, "aria-label": t("match.pair_label", { column: name }) },
          el("option", { value: "", text: t("match.pair_choose") }),
          [...new Set(options)].map((c) => el("option", { value: c, selected: c === value, text: c }))));
    });
    box.replaceChildren(el("legend", { text: t(box.dataset.label) }),
      ...(pairs.length ? pairs : [el("p", { class: "muted", text: t("match.pair_none") })]));
  }
}

function optionField(field, previous) {
  const id = `option-${field.name}`;
  const value = previous ?? field.value;
  if (field.type === "checkbox") {
    return el("label", { class: "check" },
      el("input", { type: "checkbox", id, "data-option": field.name, checked: Boolean(value) }), " ", t(field.label));
  }
  if (field.type === "select") {
    return el("div", { class: "row" }, el("label", { for: id, text: t(field.label) }),
      el("select", { id, "data-option": field.name },
        field.choices.map(([v, key]) => el("option", { value: v, selected: v === value, text: field.named ? key : t(key) }))));
  }
  if (field.type === "number") {
    return el("div", { class: "row" }, el("label", { for: id, text: t(field.label) }),
      el("input", { id, type: "number", "data-option": field.name, min: field.min, max: field.max,
        step: field.step, value: value ?? "" }));
  }
  if (field.type === "pairing") {
    return el("fieldset", { class: "columns pairing", id, "data-option": field.name, "data-kind": "pairing",
      "data-partner": field.partner, "data-input": String(field.input), "data-label": field.label });
  }
  if (field.type === "rules") return rulesField(field, state.tool.specs, state.tool.previews[0].columns, readOptions, previous);
  if (field.type === "text") {  // a file's path, typed or pasted
    return el("div", { class: "row" }, el("label", { for: id, text: t(field.label) }),
      el("input", { id, type: "text", "data-option": field.name, value: value ?? "",
        spellcheck: "false", autocomplete: "off" }));
  }
  const columns = state.tool.previews[field.input].columns;
  if (field.type === "column") return keyField(field, columns, value);
  const chosen = new Set(value || []);
  return el("fieldset", { class: "columns", id, "data-option": field.name, "data-kind": "columns" },
    el("legend", { text: t(field.label) }),
    columns.map((c, i) => el("label", { class: "check" },
      el("input", { type: "checkbox", value: c, id: `${id}-${i}`, checked: chosen.has(c) }), " ", c)));
}

function readOptions() {
  const options = {};
  for (const node of document.querySelectorAll("#option-fields [data-option]")) {
    const name = node.dataset.option;
    if (node.dataset.kind === "key-list") {
      options[name] = readKeyColumns(node);
    } else if (node.dataset.kind === "columns") {
      options[name] = [...node.querySelectorAll("input:checked")].map((i) => i.value);
    } else if (node.dataset.kind === "rules") {
      options[name] = readRules(node);
    } else if (node.dataset.kind === "pairing") {
      options[name] = [...node.querySelectorAll("select")].map((s) => s.value);
    } else if (node.type === "checkbox") {
      options[name] = node.checked;
    } else {
      options[name] = node.value;
    }
  }
  return options;
}

// ------------------------------------------------------------------ step 3: run, progress, cancel

async function startRun() {
  showMessage($("run-error"), "");
  const unpaired = [...document.querySelectorAll("#option-fields [data-kind=pairing] select")].find((s) => !s.value);
  if (unpaired) {
    showMessage($("run-error"), t("match.pair_missing", { column: unpaired.dataset.left }));
    unpaired.focus();
    return;
  }
  show($("result-area"), false);
  setProgress(0, "");
  const tool = state.tool;
  closeLarge(tool.job);          // the last run's large result gives way to this one
  const stale = () => state.tool !== tool || !tool.job;       // the user left the tool
  const job = await runJob("/api/jobs", { tool: tool.id, inputs: tool.specs, options: readOptions(),
    recipe: tool.recipe || null }, {
    onStart: (started) => {
      tool.job = started;
      showEngine(started.engine);
      $("run").disabled = true;
      show($("progress-area"));
      $("cancel").disabled = false;
      $("cancel").focus();
    },
    onProgress: (answer) => { tool.job = answer; setProgress(answer.fraction, answer.message); },
    stale });
  if (job === null) return;
  if (job.refused) {
    showMessage($("run-error"), errorText(job.error));
    return;
  }
  finishRun();
  if (job.state === "done") {
    showResult(job);
  } else if (job.state === "cancelled") {
    showCancelled($("run-error"), t("run.cancelled"));
    $("run").focus();
  } else {
    showMessage($("run-error"), errorText(job.error));
    $("run").focus();
  }
}

function finishRun() {
  $("run").disabled = false;
  $("cancel").disabled = true;
  show($("progress-area"), false);
}

// The engine the job runs on (the CLI's engine line, in the window's language), shown from the
// start of the run until the next one; none for the tools that have only one.
function showEngine(engine) {
  const text = { duckdb: t("run.engine.duckdb"), memory: t("run.engine.memory") }[engine];
  $("run-engine").textContent = text || "";
  show($("run-engine"), Boolean(text));
}

function setProgress(fraction, message) {
  setBar($("progress"), fraction, $("progress-percent"));
  // The tools word their progress in English; other languages get a neutral "working".
  $("progress-message").textContent = message && language === "en" ? message : t("run.working");
}

async function cancelRun() {
  if (!state.tool.job) return;
  $("cancel").disabled = true;
  $("progress-message").textContent = t("run.cancelling");
  await cancelJob(state.tool.job.id);
}
