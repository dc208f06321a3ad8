// The tool screen: choose file(s) → preview (encoding, delimiter, header changeable) → options →
// run with progress and Cancel → result → save as a new file.
import { api, downloadUrl } from "./api.js";
import { el, renderTable, show, showMessage } from "./dom.js";
import { has, language, t } from "./i18n.js";
import { DELIMITERS, ENCODINGS, toolDef } from "./tools.js";
import { renderResult } from "./results.js";

const $ = (id) => document.getElementById(id);
const POLL_MS = 150;

let app = null;          // { state } from app.js
let current = null;      // the tool being used: { id, def, specs, previews, job, review }

// An error in the user's language when the catalog knows its code, else the server's words.
export function errorText(error) {
  const key = `error.${error.code}`;
  return has(key) ? t(key, error.params) : (error.message || t("error.internal"));
}

export function initTool(appContext) {
  app = appContext;
  $("run").addEventListener("click", startRun);
  $("cancel").addEventListener("click", cancelRun);
  $("save").addEventListener("click", saveResult);
  $("save-browse").addEventListener("click", browseSave);
}

export function openTool(id) {
  const def = toolDef(app.state, id);
  current = { id, def, specs: def.inputs.map(() => ({ path: "", encoding: "", delimiter: "", header: true })),
              previews: def.inputs.map(() => null), job: null, review: { rejected: [], keep: "all" } };
  $("tool-title").textContent = t(`tool.${id}.title`);
  $("tool-help").textContent = t(`tool.${id}.help`);
  renderInputs();
  show($("options"), false);
  show($("run-area"), false);
  show($("result-area"), false);
}

export function retranslateTool() {
  if (!current) return;
  $("tool-title").textContent = t(`tool.${current.id}.title`);
  $("tool-help").textContent = t(`tool.${current.id}.help`);
  renderInputs();
  if (current.previews.every(Boolean)) renderOptions();
  if (current.job && current.job.state === "done") showResult(current.job);
}

// ------------------------------------------------------------------ step 1: files and previews

function renderInputs() {
  const box = $("inputs");
  box.replaceChildren();
  const card = el("section", { class: "card", "aria-labelledby": "inputs-title" },
    el("h2", { id: "inputs-title" }, el("span", { class: "step", text: "1" }), " ",
      t(current.def.inputs.length > 1 ? "input.choose_two" : "input.choose_one")));
  current.def.inputs.forEach((labelKey, index) => card.append(inputPanel(labelKey, index)));
  box.append(card);
}

function inputPanel(labelKey, index) {
  const spec = current.specs[index];
  const pathId = `path-${index}`;
  const panel = el("div", { class: "input-panel", id: `input-${index}` });
  const pathInput = el("input", { id: pathId, type: "text", value: spec.path, spellcheck: "false",
    autocomplete: "off", placeholder: t("input.path_placeholder") });
  const error = el("p", { class: "error", role: "alert", id: `input-error-${index}`, hidden: true });
  const load = () => { spec.path = pathInput.value.trim(); loadPreview(index); };
  pathInput.addEventListener("keydown", (event) => { if (event.key === "Enter") load(); });
  const upload = el("input", { type: "file", id: `upload-${index}`, class: "visually-hidden",
    accept: ".csv,.tsv,.txt,.xlsx,.xlsm,.xls,.ods,.json", onchange: () => uploadFile(index, upload, pathInput) });
  if (current.def.inputs.length > 1) panel.append(el("h3", { text: t(labelKey) }));
  panel.append(
    el("div", { class: "row" },
      el("label", { for: pathId, text: t("input.path") }),
      pathInput,
      app.state.dialogs ? el("button", { type: "button", text: t("input.browse"), onclick: () => browseOpen(index, pathInput) }) : null,
      app.state.dialogs ? null : el("label", { class: "button", for: `upload-${index}`, text: t("input.upload") }),
      upload,
      el("button", { type: "button", class: "primary", text: t("input.load"), onclick: load })),
    error);
  const preview = current.previews[index];
  if (preview) panel.append(previewBlock(index, preview));
  return panel;
}

async function browseOpen(index, pathInput) {
  const { paths } = await api("POST", "/api/dialog/open", { multiple: false });
  if (paths.length) {
    pathInput.value = paths[0];
    current.specs[index].path = paths[0];
    loadPreview(index);
  }
}

async function uploadFile(index, upload, pathInput) {
  const file = upload.files[0];
  if (!file) return;
  try {
    const saved = await api("POST", `/api/upload?name=${encodeURIComponent(file.name)}`, file);
    pathInput.value = saved.path;
    current.specs[index].path = saved.path;
    loadPreview(index);
  } catch (error) {
    showMessage($(`input-error-${index}`), errorText(error));
  }
}

async function loadPreview(index) {
  const spec = current.specs[index];
  const tool = current;
  showMessage($(`input-error-${index}`), "");
  let job;
  try {
    job = await followPreview(index, await api("POST", "/api/preview", spec));
  } catch (failure) {
    job = { state: "failed", error: failure };
  }
  if (current !== tool) return;          // the user left the tool meanwhile
  if (job.state !== "done") {
    current.previews[index] = null;
    renderInputs();
    showMessage($(`input-error-${index}`),
      job.state === "cancelled" ? t("run.cancelled") : errorText(job.error));
    $(`path-${index}`).focus();
    return;
  }
  current.previews[index] = job.result;
  renderInputs();
  const ready = current.previews.every(Boolean);
  if (ready) {
    renderOptions();
    show($("options"), current.def.options.length > 0);
    show($("run-area"));
  }
  $(`input-${index}`).scrollIntoView({ block: "nearest" });
}

// Reading a file's start is a job on the server (detecting the encoding of a large file takes
// time): poll it, and when it is not done at once show its progress and a Cancel button.
async function followPreview(index, job) {
  let bar = null;
  const started = Date.now();
  let wait = 30;
  // Poll at least once: a quick preview may end before the 202, which carries no result.
  for (let first = true; first || job.state === "running"; first = false) {
    await new Promise((resolve) => setTimeout(resolve, wait));
    wait = POLL_MS;
    job = await api("GET", `/api/preview/${job.id}`);
    if (job.state === "running" && !bar && Date.now() - started > 300) bar = previewProgress(index, job.id);
    if (bar) {
      const percent = Math.round(job.fraction * 100);
      bar.setAttribute("aria-valuenow", String(percent));
      bar.firstChild.style.width = `${percent}%`;
    }
  }
  if (bar) bar.closest(".preview-progress").remove();
  return job;
}

function previewProgress(index, jobId) {
  const bar = el("div", { class: "progress", role: "progressbar", "aria-valuemin": "0",
    "aria-valuemax": "100", "aria-valuenow": "0", "aria-label": t("preview.reading") },
  el("div", { class: "fill" }));
  const cancel = el("button", { type: "button", text: t("run.cancel"), onclick: () => {
    cancel.disabled = true;
    api("POST", `/api/preview/${jobId}/cancel`).catch(() => {});
  } });
  $(`input-${index}`).append(el("div", { class: "progress-row preview-progress", id: `preview-progress-${index}` },
    el("span", { class: "muted", text: t("preview.reading") }), bar, cancel));
  cancel.focus();
  return bar;
}

function previewBlock(index, preview) {
  const spec = current.specs[index];
  const reread = (field, value) => { spec[field] = value; loadPreview(index); };
  const encodingId = `encoding-${index}`;
  const delimiterId = `delimiter-${index}`;
  const headerId = `header-${index}`;
  const encodings = [...new Set([preview.encoding, ...ENCODINGS])];
  const delimiters = DELIMITERS.some(([d]) => d === preview.delimiter) ? DELIMITERS
    : [[preview.delimiter, "delimiter.other"], ...DELIMITERS];
  // A spreadsheet has neither an encoding nor a separator (the reader gives "" for both).
  const text = preview.encoding !== "";
  return el("div", { class: "preview" },
    el("div", { class: "row read-options" },
      text ? el("label", { for: encodingId, text: t("preview.encoding") }) : null,
      text ? el("select", { id: encodingId, onchange: (e) => reread("encoding", e.target.value) },
        encodings.map((name) => el("option", { value: name, selected: name === preview.encoding, text: name }))) : null,
      text ? el("label", { for: delimiterId, text: t("preview.delimiter") }) : null,
      text ? el("select", { id: delimiterId, onchange: (e) => reread("delimiter", e.target.value) },
        delimiters.map(([d, key]) => el("option", { value: d, selected: d === preview.delimiter, text: t(key, { char: d }) }))) : null,
      el("label", { class: "check" },
        el("input", { type: "checkbox", id: headerId, checked: spec.header,
          onchange: (e) => reread("header", e.target.checked) }),
        " ", t("preview.header"))),
    preview.warnings.map((w) => el("p", { class: "notice", text: w })),
    renderTable(preview.columns, preview.rows,
      t("preview.caption", { name: preview.name, shown: preview.rows.length })));
}

// ------------------------------------------------------------------ step 2: options

function renderOptions() {
  const box = $("option-fields");
  const before = readOptions();
  box.replaceChildren();
  for (const field of current.def.options) box.append(optionField(field, before[field.name]));
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
        field.choices.map(([v, key]) => el("option", { value: v, selected: v === value, text: t(key) }))));
  }
  if (field.type === "number") {
    return el("div", { class: "row" }, el("label", { for: id, text: t(field.label) }),
      el("input", { id, type: "number", "data-option": field.name, min: field.min, max: field.max,
        step: field.step, value: value ?? "" }));
  }
  if (field.type === "text") {  // a file's path, typed or pasted
    return el("div", { class: "row" }, el("label", { for: id, text: t(field.label) }),
      el("input", { id, type: "text", "data-option": field.name, value: value ?? "",
        spellcheck: "false", autocomplete: "off" }));
  }
  const columns = current.previews[field.input].columns;
  if (field.type === "column") {
    return el("div", { class: "row" }, el("label", { for: id, text: t(field.label) }),
      el("select", { id, "data-option": field.name },
        el("option", { value: "", text: t(field.empty) }),
        columns.map((c) => el("option", { value: c, selected: c === value, text: c }))));
  }
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
    if (node.dataset.kind === "columns") {
      options[name] = [...node.querySelectorAll("input:checked")].map((i) => i.value);
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
  show($("result-area"), false);
  setProgress(0, "");
  let job;
  try {
    job = await api("POST", "/api/jobs", { tool: current.id, inputs: current.specs, options: readOptions() });
  } catch (error) {
    showMessage($("run-error"), errorText(error));
    return;
  }
  current.job = job;
  $("run").disabled = true;
  show($("progress-area"));
  $("cancel").disabled = false;
  $("cancel").focus();
  poll(job.id);
}

async function poll(jobId) {
  let job;
  try {
    job = await api("GET", `/api/jobs/${jobId}`);
  } catch (error) {
    finishRun();
    showMessage($("run-error"), errorText(error));
    return;
  }
  if (!current || !current.job || current.job.id !== jobId) return;   // user left the tool
  current.job = job;
  setProgress(job.fraction, job.message);
  if (job.state === "running") {
    setTimeout(() => poll(jobId), POLL_MS);
    return;
  }
  finishRun();
  if (job.state === "done") {
    showResult(job);
  } else if (job.state === "cancelled") {
    showMessage($("run-error"), t("run.cancelled"));
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

function setProgress(fraction, message) {
  const percent = Math.round(fraction * 100);
  $("progress").setAttribute("aria-valuenow", String(percent));
  $("progress-fill").style.width = `${percent}%`;
  $("progress-percent").textContent = `${percent} %`;
  // The tools word their progress in English; other languages get a neutral "working".
  $("progress-message").textContent = message && language === "en" ? message : t("run.working");
}

async function cancelRun() {
  if (!current.job) return;
  $("cancel").disabled = true;
  $("progress-message").textContent = t("run.cancelling");
  await api("POST", `/api/jobs/${current.job.id}/cancel`).catch(() => {});
}

// ------------------------------------------------------------------ step 4: result and save

function showResult(job) {
  show($("result-area"));
  renderResult(current.id, job.result, current.review, app.state);
  $("save-path").value = suggestedPath(job.result.suggested_name);
  show($("save-browse"), app.state.dialogs);
  show($("download"), !app.state.dialogs);
  updateDownloadLink();
  showMessage($("save-message"), "");
  showMessage($("save-error"), "");
  $("result-area").querySelector("h2").scrollIntoView({ block: "start" });
}

export function updateDownloadLink() {
  if (!current || !current.job) return;
  $("download").href = downloadUrl(current.job.id, current.id === "dedupe" ? current.review : null);
  $("download").setAttribute("download", current.job.result.suggested_name);
}

function suggestedPath(name) {
  const first = current.specs[0].path;
  const cut = Math.max(first.lastIndexOf("/"), first.lastIndexOf("\\"));
  return cut >= 0 ? first.slice(0, cut + 1) + name : name;
}

async function browseSave() {
  const { path } = await api("POST", "/api/dialog/save", { suggested: current.job.result.suggested_name });
  if (path) $("save-path").value = path;
}

async function saveResult() {
  showMessage($("save-message"), "");
  showMessage($("save-error"), "");
  try {
    const saved = await api("POST", `/api/jobs/${current.job.id}/save`, {
      path: $("save-path").value, force: $("save-force").checked,
      review: current.id === "dedupe" ? current.review : null });
    showMessage($("save-message"), t("save.done", { path: saved.path }));
  } catch (error) {
    showMessage($("save-error"), errorText(error));
    $("save-path").focus();
  }
}
