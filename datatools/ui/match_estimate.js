// Beside the match tool's column pairing: how many rows of the first file will find a match,
// estimated by the server from a sample before the full run (POST /api/match/estimate, a job
// polled like a file preview). Asked again, after a short pause, whenever the pairing, the
// columns, the threshold or the synonyms change; an answer for anything but the current choice
// is dropped, and the last number is hidden as soon as the choice changes.
import { api } from "./api.js";
import { el } from "./dom.js";
import { errorText, language, t } from "./i18n.js";
import { cancelJob, follow, progressRow, setProgress } from "./jobs.js";

const WAIT_MS = 400;     // pause after the last change before asking (typing a threshold)
// Below this share of matched rows the pairing is probably wrong (city against company).
const SUSPICIOUS_SHARE = 0.05;
// Catalog keys per plural category (Intl.PluralRules); a missing category falls back to "other".
const SENTENCES = {
  exact: { one: "estimate.exact.one", other: "estimate.exact.other" },
  sampled: { other: "estimate.sampled.other" },   // a sample is taken of 2 rows or more
};
// With no threshold the run writes only its certain matches (by the model it learns, or on a
// small table at similarity 75 with no column that clearly differs): said so.
const CERTAIN_SENTENCES = {
  exact: { one: "estimate.certain.exact.one", other: "estimate.certain.exact.other" },
  sampled: { other: "estimate.certain.sampled.other" },
};

let context = null;      // () => { specs, options } of the match tool, or null when not ready
let request = 0;         // the number of the latest choice; older answers are dropped
let timer = null;
let running = null;      // the id of the estimate job in progress
let busy = false;        // an estimate is waiting to start or under way

// `getContext`: what the estimate is for, asked after each change (null: nothing to estimate).
export function initEstimate(getContext) {
  context = getContext;
  const fields = document.getElementById("option-fields");
  // A threshold counts as it is typed; a synonyms path only once complete (on change).
  fields.addEventListener("change", (event) => {
    if (event.target.closest("[data-kind=pairing], [data-kind=columns], #option-threshold, #option-synonyms")) estimateSoon();
  });
  fields.addEventListener("input", (event) => { if (event.target.id === "option-threshold") estimateSoon(); });
  // The full run gives the exact count: an estimate still under way leaves the computer to it.
  document.getElementById("run").addEventListener("click", () => {
    if (!busy) return;
    busy = false;
    request += 1;
    clearTimeout(timer);
    stopRunning();
    const box = document.getElementById("match-estimate");
    if (box) box.replaceChildren(...stopped(t("estimate.cancelled"), "muted"));
  });
}

// The options were drawn afresh (new files, another tool): estimate for what they now say.
export function estimateSoon() {
  request += 1;
  busy = false;
  clearTimeout(timer);
  stopRunning();
  const wanted = context && context();
  const box = estimateBox(Boolean(wanted));
  if (!box) return;
  const unpaired = !wanted.options.on?.length || wanted.options.right_on?.some((name) => !name);
  if (unpaired) {
    box.replaceChildren(el("p", { class: "muted", text: t("estimate.waiting") }));
    return;
  }
  box.replaceChildren(el("p", { class: "muted", text: t("estimate.running") }));
  const mine = request;
  busy = true;
  timer = setTimeout(() => start(mine, wanted, box), WAIT_MS);
}

// The box after the pairing, made when missing; removed (and null) when there is nothing to say.
function estimateBox(wanted) {
  let box = document.getElementById("match-estimate");
  const pairing = document.querySelector("#option-fields [data-kind=pairing]");
  if (!wanted || !pairing) {
    if (box) box.remove();
    return null;
  }
  if (!box) {
    box = el("div", { id: "match-estimate", class: "estimate", role: "status", "aria-live": "polite" });
    pairing.after(box);
  }
  return box;
}

function stopRunning() {
  if (running) cancelJob(running, "preview");
  running = null;
}

async function start(mine, wanted, box) {
  let job;
  try {
    job = await api("POST", "/api/match/estimate", { inputs: wanted.specs, options: wanted.options });
    if (mine !== request) { cancelJob(job.id, "preview"); return; }
    running = job.id;
    const shown = progressRow(t("estimate.running"), job.id, "preview");
    box.replaceChildren(shown.row);
    job = await follow(job, { kind: "preview", stale: () => mine !== request,
      onProgress: (answer) => setProgress(shown.bar, answer.fraction) });
    if (job === null) return;
  } catch (failure) {
    job = { state: "failed", error: failure };
  }
  if (mine !== request) return;          // the choice changed meanwhile: this answer is stale
  running = null;
  busy = false;
  if (job.state === "done") {
    box.replaceChildren(...describe(job.result));
  } else if (job.state === "cancelled") {
    box.replaceChildren(...stopped(t("estimate.cancelled"), "muted"));
  } else {
    // Large files run without an estimate: said as a note, not as an error.
    box.replaceChildren(...stopped(errorText(job.error), job.error?.code === "estimate_large" ? "muted" : "error"));
  }
}

// Why there is no number, and a button to ask again.
function stopped(text, kind) {
  return [el("p", { class: kind, text }),
    el("button", { type: "button", text: t("estimate.again"), onclick: estimateSoon })];
}


function plural(sentences, count, params) {
  const category = new Intl.PluralRules(language).select(count);
  return t(sentences[category] || sentences.other, params);
}

function describe({ estimate, unique }) {
  const number = (value) => new Intl.NumberFormat(language).format(value);
  const params = {
    matched: number(estimate.exact ? estimate.estimate : estimate.about),
    rows: number(estimate.left_rows),
    percent: new Intl.NumberFormat(language, { style: "percent", maximumFractionDigits: 0 }).format(estimate.share),
    threshold: number(estimate.threshold),
    sample: number(estimate.sample_rows),
    low: number(estimate.low),
    high: number(estimate.high),
  };
  const parts = [el("p", { class: "estimate-count", id: "match-estimate-count",
    text: plural((estimate.certain ? CERTAIN_SENTENCES : SENTENCES)[estimate.exact ? "exact" : "sampled"],
      estimate.left_rows, params) })];
  if (estimate.left_rows > 0 && estimate.share < SUSPICIOUS_SHARE) {
    parts.push(el("p", { class: "notice", text: t("estimate.check_pairing") }));
  }
  if (unique) parts.push(el("p", { class: "muted", text: t("estimate.unique") }));
  if (estimate.examples.length) {
    parts.push(el("p", { class: "muted", text: t("estimate.examples") }),
      el("ul", { class: "estimate-examples" }, estimate.examples.map((example) => el("li", {
        text: t("estimate.example", { left: example.left.join(" · "), right: example.right.join(" · "),
          score: number(example.score) }) }))));
  }
  return parts;
}
