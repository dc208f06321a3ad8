// The one job client: every long piece of work on the server — a tool's run, a save, a file
// preview, a match estimate — is started, followed to its end with its progress, and cancelled
// here. Tool runs and saves live at /api/jobs/<id>; previews and estimates at /api/preview/<id>.
import { api } from "./api.js";
import { el } from "./dom.js";
import { t } from "./i18n.js";

const POLL_MS = 150;
const ROUTES = { job: "/api/jobs", preview: "/api/preview" };

// Follow `job` (the 202 of its start) to its end and return it; `onProgress(job)` after each
// answer. `stale()` true (the user moved on) stops following: null. Polls at least once — a
// quick job may end before the 202, which carries no result. Each poll asks the server to hold
// its answer up to POLL_MS while the job runs (`?wait=`, datatools/app/jobs.py): progress comes
// as often as before, and the end at once, not at the next poll. A failed request is a failed job.
export async function follow(job, { kind = "job", onProgress = null, stale = null } = {}) {
  try {
    for (let first = true; first || job.state === "running"; first = false) {
      const asked = Date.now();
      job = await api("GET", `${ROUTES[kind]}/${encodeURIComponent(job.id)}?wait=${POLL_MS}`);
      if (stale && stale()) return null;
      if (onProgress) onProgress(job);
      // A running job answered early (a progress report does not end the wait; only its end
      // does, so this is a safeguard): never poll faster than POLL_MS.
      const early = POLL_MS - (Date.now() - asked);
      if (job.state === "running" && early > 0) await new Promise((resolve) => setTimeout(resolve, early));
      if (stale && stale()) return null;
    }
  } catch (error) {
    return { state: "failed", error };
  }
  return job;
}

// POST `path` with `body` and follow the job it starts; `onStart(job)` once it runs. A refused
// start comes back as a failed job with the server's error.
export async function runJob(path, body, { onStart = null, ...options } = {}) {
  let job;
  try {
    job = await api("POST", path, body);
  } catch (error) {
    return { state: "failed", error, refused: true };
  }
  if (onStart) onStart(job);
  return follow(job, options);
}

export function cancelJob(jobId, kind = "job") {
  return api("POST", `${ROUTES[kind]}/${encodeURIComponent(jobId)}/cancel`).catch(() => {});
}

// Show `fraction` (0–1) on a progress bar (role progressbar with a .fill child) and its
// percent label, when there is one.
export function setProgress(bar, fraction, percentLabel = null) {
  const percent = Math.round((fraction || 0) * 100);
  bar.setAttribute("aria-valuenow", String(percent));
  bar.querySelector(".fill").style.width = `${percent}%`;
  if (percentLabel) percentLabel.textContent = `${percent} %`;
}

// A progress row made on the fly: a label, the bar and a Cancel button that cancels `jobId`.
// Returns { row, bar, cancel }; the caller places the row and removes it.
export function progressRow(label, jobId, kind, attrs = {}) {
  const bar = el("div", { class: "progress", role: "progressbar", "aria-valuemin": "0",
    "aria-valuemax": "100", "aria-valuenow": "0", "aria-label": label }, el("div", { class: "fill" }));
  const cancel = el("button", { type: "button", text: t("run.cancel"), onclick: () => {
    cancel.disabled = true;
    cancelJob(jobId, kind);
  } });
  const row = el("div", { class: "progress-row", ...attrs }, el("span", { class: "muted", text: label }), bar, cancel);
  return { row, bar, cancel };
}
