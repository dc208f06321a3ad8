// Large files in the window: the memory-limit setting on the home screen (what it means, the
// automatic value from this computer's memory), the preview's note that a file takes the
// large-file engine, and closing a large result so its working copy on disk goes.
import { api } from "./api.js";
import { el, show, showMessage } from "./dom.js";
import { errorText, formatValue, t } from "./i18n.js";
import { state } from "./state.js";

const $ = (id) => document.getElementById(id);

// 536870912 → "512 MB", 1073741824 → "1 GB" (powers of 1024, as the engine says them).
export function sizeText(bytes) {
  const gb = bytes / 2 ** 30;
  if (gb >= 1) return `${formatValue(Math.round(gb * 10) / 10)} GB`;
  const mb = bytes / 2 ** 20;
  if (mb >= 1) return `${formatValue(Math.round(mb))} MB`;
  return `${formatValue(Math.round(bytes / 1024))} KB`;
}

export function renderLargeSettings() {
  const large = state.server.large;
  const select = $("memory-limit");
  const chosen = large.memory_limit;
  select.replaceChildren(
    el("option", { value: "", selected: chosen === null,
      text: t("large.automatic", { size: sizeText(large.default_memory_limit) }) }),
    ...[...new Set([...large.choices, ...(chosen === null ? [] : [chosen])])].sort((a, b) => a - b).map((size) =>
      el("option", { value: String(size), selected: size === chosen, text: sizeText(size) })));
  $("large-text").textContent = t("large.text", { threshold: sizeText(large.threshold),
    limit: sizeText(chosen ?? large.default_memory_limit), folder: large.folder });
}

export function initLargeSettings() {
  $("memory-limit").addEventListener("change", async (event) => {
    const value = event.target.value === "" ? null : Number(event.target.value);
    showMessage($("memory-limit-status"), "");
    try {
      const answer = await api("POST", "/api/preferences", { memory_limit: value });
      state.server.large = answer.large;
      renderLargeSettings();
      showMessage($("memory-limit-status"), t("large.saved", {
        limit: sizeText(answer.large.memory_limit ?? answer.large.default_memory_limit) }));
    } catch (failure) {
      showMessage($("memory-limit-status"), errorText(failure));
    }
  });
}

// The preview's note for a file the tool runs on the large-file engine (null otherwise): the
// size rule of datatools/large/engine.py, not for a trial (it reads its first rows in memory).
export function largeNote(preview, toolId) {
  const large = state.server.large;
  if (!large.tools.includes(toolId) || state.server.entitlement.row_limit !== null
      || !(preview.size > large.threshold)) return null;
  return el("p", { class: "notice large-note", text: t("large.preview", { size: sizeText(preview.size),
    limit: sizeText(large.memory_limit ?? large.default_memory_limit) }) });
}

// The window leaves a finished large result: the server removes its working copy.
export function closeLarge(job) {
  if (job && job.state === "done" && job.result?.report?.engine) {
    api("POST", `/api/jobs/${job.id}/close`, {}).catch(() => {});
  }
}
