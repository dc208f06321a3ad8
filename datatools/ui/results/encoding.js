// The encoding tool's result: lines before → after, and the start of the new file as a table
// when it is one (datatools/app/results/encoding.py).
import { renderTable, el } from "../dom.js";
import { t } from "../i18n.js";

// What the detected encoding rests on: checked against the whole file, or a guess.
const EVIDENCE = { certain: "encoding.evidence_certain", whole: "encoding.evidence_whole", checked: "encoding.evidence_checked", guess: "encoding.evidence_guess" };

export function view(jobId, result) {
  const samples = result.view.samples || [];
  const evidence = result.view.evidence;
  return [
    evidence ? el("p", { id: "encoding-evidence", class: evidence.kind === "guess" ? "notice" : null,
      text: t(EVIDENCE[evidence.kind], { encoding: evidence.encoding, percent: evidence.percent,
        alike: (evidence.alike || []).join(", "), others: (evidence.others || []).join(", ") }) }) : null,
    samples.length ? samplesView(samples) : null].filter(Boolean);
}

function samplesView(samples) {
  const columns = Object.keys(samples[0]);
  return el("section", {},
    renderTable(columns.map((c) => (c === "before" ? t("encoding.before") : c === "after" ? t("encoding.after") : c)),
      samples.map((s) => columns.map((c) => String(s[c]))), t("encoding.samples")));
}
