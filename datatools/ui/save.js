// Step 4 of a tool: the result, and saving it as a new file — the file type (from the
// result's formats), the place (beside the input), and the save itself as a job with progress.
// Save and Download ask the server for the same write (the result kind's `write()`, with the
// review kept beside the result): the request carries no review, so they cannot differ.
import { api, downloadUrl } from "./api.js";
import { el, show, showCancelled, showMessage } from "./dom.js";
import { errorText, has, language, t } from "./i18n.js";
import { cancelJob, runJob, setProgress } from "./jobs.js";
import { showRecipeSave } from "./recipes.js";
import { renderResult } from "./results.js";
import { state } from "./state.js";
import { DELIMITERS } from "./tools.js";

const $ = (id) => document.getElementById(id);
const tool = () => state.tool;

export function initSave() {
  $("save").addEventListener("click", saveResult);
  $("save-cancel").addEventListener("click", cancelSave);
  $("save-browse").addEventListener("click", browseSave);
  $("open-saved").addEventListener("click", () => reveal(false));
  $("show-saved").addEventListener("click", () => reveal(true));
  $("save-format").addEventListener("change", () => {
    $("save-path").value = withFormat($("save-path").value, $("save-format").value);
    updateExcelHint();
    updateDownloadLink();
  });
  $("save-bom").addEventListener("change", updateDownloadLink);
  $("save-escape-formulas").addEventListener("change", updateDownloadLink);
}

export function showResult(job) {
  const current = tool();
  show($("result-area"));
  renderResult(job.id, job.result, { errorText });
  const formats = job.result.formats || [];
  show($("save-format-row"), formats.length > 1);
  $("save-format").replaceChildren(...formats.map((f) => el("option", { value: f, text: formatLabel(f, job.result.habits) })));
  const path = job.result.suggested_path || job.result.suggested_name;
  const ext = path.split(".").pop().toLowerCase();
  $("save-format").value = formats.includes(ext) ? ext : formats[0] || "";
  $("save-path").value = path;
  show($("save-bom-row"), false);      // each result starts from its own default mark
  $("save-bom").checked = false;
  updateExcelHint();
  show($("save-browse"), state.server.dialogs);
  show($("download"), !state.server.dialogs);
  $("save").disabled = false;
  show($("save-progress-area"), false);
  updateDownloadLink();
  showRecipeSave(job);
  showMessage($("save-message"), "");
  showMessage($("save-error"), "");
  show($("saved-actions"), false);
  const heading = $("result-area").querySelector("h2");
  heading.setAttribute("tabindex", "-1");
  heading.focus();
}

// "CSV like the input (Semicolon ; · cp1252)", "Excel workbook (.xlsx)", "Profile (.json)",
// "Report to view and print (.html)".
function formatLabel(format, habits) {
  if (format === "xlsx") return t("save.format_xlsx");
  if (format === "json") return t("save.format_json");
  if (format === "html") return t("save.format_html");
  return habits
    ? t("save.format_csv_like", { separator: t(separatorKey(habits.delimiter), { char: habits.delimiter }),
        encoding: habits.bom ? `${habits.encoding} + BOM` : habits.encoding })
    : t("save.format_csv");
}

function separatorKey(delimiter) {
  const known = DELIMITERS.find(([d]) => d === delimiter);
  return known ? known[1] : "delimiter.other";
}

// `path` with the extension of `format`, so the name and the chosen type never disagree.
function withFormat(path, format) {
  const ext = `.${format}`;
  const match = path.match(/\.(csv|tsv|txt|xlsx|json|html|htm)$/i);
  if (match) {
    const kept = { csv: ["tsv", "txt", "csv"], html: ["html", "htm"] }[format] || [];
    return kept.includes(match[1].toLowerCase()) ? path : path.slice(0, -match[0].length) + ext;
  }
  return path + ext;
}

// A CSV copied from a UTF-8 file without a byte order mark has none either (DECISIONS 122):
// Excel would read its accents in the old code page, so the choice says to take the workbook.
// A workbook's table (no CSV habits to copy) goes back to a spreadsheet: its CSV gets the mark
// unless the user unticks it, as the command line's does (DECISIONS 555).
function updateExcelHint() {
  const result = tool()?.job?.result;
  const habits = result && result.formats.includes("csv") ? result.habits || { encoding: "utf-8", bom: false } : null;
  const plainUtf8 = habits && habits.encoding === "utf-8" && !habits.bom && !habits.sep_line;
  const offer = Boolean(plainUtf8 && $("save-format").value === "csv");
  const fromSheet = Boolean(result && !result.habits);
  show($("save-excel-hint"), offer && !fromSheet);
  if (offer && fromSheet && $("save-bom-row").hidden) $("save-bom").checked = true;
  show($("save-bom-row"), offer);
  if (!offer) $("save-bom").checked = false;
}

export function updateDownloadLink() {
  const current = tool();
  if (!current || !current.job) return;
  $("download").href = downloadUrl(current.job.id, $("save-format").value || null, language,
                                   $("save-bom").checked, $("save-escape-formulas").checked);
  $("download").setAttribute("download", current.job.result.suggested_name);
}

async function browseSave() {
  const current = tool();
  const { path } = await api("POST", "/api/dialog/save", { suggested: current.job.result.suggested_name });
  if (path) $("save-path").value = path;
}

// Saving is a job too: the button stays disabled while it runs, so a second click cannot
// start a second write; the bar shows how far it is.
async function saveResult() {
  const current = tool();
  if ($("save").disabled) return;
  show($("saved-actions"), false);
  showMessage($("save-message"), "");
  showMessage($("save-error"), "");
  $("save").disabled = true;
  const job = await runJob(`/api/jobs/${current.job.id}/saves`, {
    path: $("save-path").value, force: $("save-force").checked,
    escape_formulas: $("save-escape-formulas").checked,
    format: $("save-format").value || null, language, bom: $("save-bom").checked }, {
    onStart: (started) => {
      current.saving = started.id;
      setProgress($("save-progress"), 0, $("save-percent"));
      show($("save-progress-area"));
      $("save-cancel").disabled = false;
    },
    onProgress: (answer) => setProgress($("save-progress"), answer.fraction, $("save-percent")),
    // read after each wait: the user may have started over
    stale: () => tool() !== current || current.saving === null });
  if (job === null) return;
  finishSave();
  if (job.refused) {
    showMessage($("save-error"), errorText(job.error));
    $("save-path").focus();
  } else if (job.state === "done") {
    const saved = job.result;
    $("save-path").value = saved.path;
    const notes = saved.notes.map((note) => (has(`save.note.${note.code}`) ? t(`save.note.${note.code}`, note) : note.message));
    showMessage($("save-message"), [t("save.done", { path: saved.path }),
      saved.merge_report ? t("save.merge_report", { path: saved.merge_report }) : "", ...notes].filter(Boolean).join(" "));
    show($("saved-actions"));
    $("save-message").focus();
  } else if (job.state === "cancelled") {
    showCancelled($("save-error"), t("run.cancelled"));
  } else {
    showMessage($("save-error"), errorText(job.error));
    $("save-path").focus();
  }
}

function finishSave() {
  const current = tool();
  if (current) current.saving = null;
  $("save").disabled = false;
  show($("save-progress-area"), false);
}

async function cancelSave() {
  const current = tool();
  if (!current.saving) return;
  $("save-cancel").disabled = true;
  await cancelJob(current.saving);
}

// The saved file in the user's spreadsheet program, or its folder.
async function reveal(folder) {
  showMessage($("save-error"), "");
  try {
    await api("POST", "/api/reveal", { path: $("save-path").value, folder });
  } catch (error) {
    showMessage($("save-error"), errorText(error));
  }
}
