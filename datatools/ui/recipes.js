// Recipes in the window: "Save as recipe" under a finished clean, dedupe, match or compare
// result (the import settings, the options and the review's decisions, rows named by a key
// column or by their content), and "Apply recipe" on the options: the recipe's options fill the
// form, columns it names that the files lack are mapped here (or the recipe is refused with
// their names), and its decisions reach the review when the run ends (POST /api/recipes/check,
// /api/jobs). "Try it first" shows what the recipe's step would change in these files — what
// `datatools run --dry-run` prints — before anything is applied (POST /api/recipes/dry-run).
import { api, token } from "./api.js";
import { el, show, showMessage } from "./dom.js";
import { errorText, t } from "./i18n.js";
import { progressRow, runJob, setProgress } from "./jobs.js";
import { state } from "./state.js";

const $ = (id) => document.getElementById(id);

// After a result is shown: offer the recipe when the result kind has one.
export function showRecipeSave(job) {
  const result = job.result;
  show($("recipe-row"), Boolean(result.recipe));
  showMessage($("recipe-message"), "");
  if (!result.recipe) return;
  // Only a review's decisions name rows: a clean or compare recipe holds none, so no choice.
  const keys = result.key_columns || [];
  show($("recipe-key-choice"), keys.length > 0);
  $("recipe-key").replaceChildren(el("option", { value: "", text: t("recipe.key_content") }),
    ...keys.map((c) => el("option", { value: c, text: c })));
  show($("save-recipe"));
  show($("download-recipe"), !state.server.dialogs);
  updateRecipeLink();
}

export function initRecipes(readOptionsInto) {
  $("save-recipe").addEventListener("click", saveRecipe);
  $("recipe-key").addEventListener("change", updateRecipeLink);
  $("recipe-apply").addEventListener("click", () => applyRecipe(readOptionsInto));
  $("recipe-dry-run").addEventListener("click", dryRun);
}

function recipePath() {
  return $("save-path").value.replace(/(\.[A-Za-z0-9]+)?$/, ".recipe.json");
}

function updateRecipeLink() {
  const job = state.tool && state.tool.job;
  if (!job) return;
  const query = new URLSearchParams({ token });
  if ($("recipe-key").value) query.set("key", $("recipe-key").value);
  $("download-recipe").href = `/api/jobs/${encodeURIComponent(job.id)}/recipe?${query}`;
}

async function saveRecipe() {
  showMessage($("recipe-message"), "");
  showMessage($("save-error"), "");
  try {
    const saved = await api("POST", `/api/jobs/${state.tool.job.id}/recipe`, {
      path: recipePath(), key: $("recipe-key").value || null, force: $("save-force").checked });
    showMessage($("recipe-message"), t("recipe.saved", { path: saved.path }));
  } catch (error) {
    showMessage($("save-error"), errorText(error));
  }
}

// What the form says: the recipe's path and the columns mapped so far.
function recipeRequest(tool) {
  return { path: $("recipe-path").value.trim().replace(/^"(.*)"$/, "$1"), tool: tool.id, inputs: tool.specs,
    map: Object.fromEntries([...document.querySelectorAll("#recipe-map select")]
      .filter((s) => s.value).map((s) => [s.dataset.column, s.value])) };
}

function refused(error, map) {
  $("recipe-status").className = "error";
  showMessage($("recipe-status"), errorText(error));
  if (error.code === "recipe_columns_missing") mappingChoices(error.params.columns.split(", "), map);
}

// Check the recipe against the file; on missing columns, one choice per column to map it.
async function applyRecipe(readOptionsInto) {
  const tool = state.tool;
  const { path, map } = recipeRequest(tool);
  showMessage($("recipe-status"), "");
  try {
    const checked = await api("POST", "/api/recipes/check", { path, tool: tool.id, inputs: tool.specs, map });
    if (state.tool !== tool) return;
    readOptionsInto(checked.options);
    tool.recipe = { path, map };
    $("recipe-map").replaceChildren();
    $("recipe-status").className = "ok";
    showMessage($("recipe-status"), t("recipe.applied", { count: checked.decisions }));
  } catch (error) {
    refused(error, map);
  }
}

// Run the recipe's step on these files without applying it, and list what it would change.
async function dryRun() {
  const tool = state.tool;
  const request = recipeRequest(tool);
  const box = $("recipe-dry");
  let shown = null;
  showMessage($("recipe-status"), "");
  box.replaceChildren();
  show(box);
  const job = await runJob("/api/recipes/dry-run", request, { kind: "preview", stale: () => state.tool !== tool,
    onStart: (started) => {
      shown = progressRow(t("recipe.trying"), started.id, "preview");
      box.replaceChildren(shown.row);
    },
    onProgress: (answer) => shown && setProgress(shown.bar, answer.fraction) });
  if (job === null || state.tool !== tool) return;
  if (job.state === "done") {
    box.replaceChildren(dryRunReport(job.result));
  } else if (job.state === "cancelled") {
    box.replaceChildren(el("p", { class: "muted", text: t("recipe.try_cancelled") }));
  } else {
    box.replaceChildren();
    show(box, false);
    refused(job.error, request.map);
  }
}

// The dry run's report, line for line what `datatools run --dry-run` prints.
function dryRunReport(report) {
  const lines = report.steps.flatMap((step, index) => [
    t(DRY[step.tool], { step: index + 1, ...step }),
    ...step.decisions_gone.map(goneText)]);
  lines.push(t("recipe.dry.total", { rows_in: report.rows_in, rows_out: report.rows_out }));
  return el("section", { class: "recipe-report", id: "recipe-dry-report" },
    el("h3", { text: t("recipe.try_title") }),
    el("ul", {}, lines.map((text) => el("li", { text }))));
}

const DRY = { clean: "recipe.dry.clean", dedupe: "recipe.dry.dedupe", match: "recipe.dry.match",
  compare: "recipe.dry.compare" };
const GONE = { rows_gone: "recipe.gone_rows", not_grouped: "recipe.gone_grouped", not_matched: "recipe.gone_matched" };

function goneText(gone) {
  const rows = gone.rows.join(", ") + (gone.right ? ` → ${gone.right}` : "");
  return t(GONE[gone.why], { decision: gone.decision, rows });
}

function mappingChoices(missing, map) {
  const columns = state.tool.previews[0].columns;
  $("recipe-map").replaceChildren(...missing.map((name, i) => el("div", { class: "row pair" },
    el("label", { for: `recipe-map-${i}`, text: t("recipe.map_label", { column: name }) }),
    el("select", { id: `recipe-map-${i}`, "data-column": name },
      el("option", { value: "", text: t("match.pair_choose") }),
      columns.map((c) => el("option", { value: c, selected: map[name] === c, text: c }))))));
  $("recipe-map-0")?.focus();
}

// The recipe's decisions as the run applied them: how many, and the ones that found no rows.
export function recipeReport(report) {
  if (!report) return null;
  return el("section", { class: "recipe-report", id: "recipe-report" },
    el("p", { text: t("recipe.report", { count: report.applied }) }),
    report.gone.length ? el("ul", {}, report.gone.map((gone) => el("li", { text: goneText(gone) }))) : null);
}
