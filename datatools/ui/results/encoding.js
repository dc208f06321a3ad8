// The encoding tool's result: lines before → after, and the start of the new file as a table
// when it is one (datatools/app/results/encoding.py).
import { renderTable, el } from "../dom.js";
import { t } from "../i18n.js";

export function view(jobId, result) {
  const samples = result.view.samples || [];
  return samples.length ? [samplesView(samples)] : [];
}

function samplesView(samples) {
  const columns = Object.keys(samples[0]);
  return el("section", {},
    renderTable(columns.map((c) => (c === "before" ? t("encoding.before") : c === "after" ? t("encoding.after") : c)),
      samples.map((s) => columns.map((c) => String(s[c]))), t("encoding.samples")));
}
