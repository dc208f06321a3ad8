// The profile's result: one card per column with its type, fill, range and top values as charts
// (datatools/app/results/profile.py).
import { el } from "../dom.js";
import { barChart, fillChart } from "../charts.js";
import { has, t } from "../i18n.js";
import { labelled, summaryList } from "../summary.js";

const TYPE_LABELS = {
  integer: "type.integer", code: "type.code", decimal: "type.decimal", date: "type.date", email: "type.email",
  phone: "type.phone", boolean: "type.boolean", text: "type.text", mixed: "type.mixed", empty: "type.empty",
};

export function view(jobId, result) {
  return [profileView(result.view.profile)];
}

function profileView(profile) {
  const box = el("section", { class: "profile", "aria-label": t("profile.columns") });
  for (const column of profile.columns) {
    const stats = [
      [t("profile.type"), labelled(TYPE_LABELS, column.type)],
      [t("profile.distinct"), column.distinct],
      [t("profile.minimum"), column.minimum],
      [t("profile.maximum"), column.maximum],
    ];
    const filledText = t("profile.filled", { filled: column.filled, total: profile.rows });
    const top = (column.top_values || []).slice(0, 8);
    const suspicious = Object.entries(column.suspicious || {});
    box.append(el("article", { class: "column-card" },
      el("h4", { text: column.name }),
      el("div", { class: "filled" }, el("span", { text: filledText }), fillChart(column.filled, profile.rows, filledText)),
      summaryList(stats, "small"),
      top.length ? el("figure", {},
        barChart(top, t("profile.chart", { column: column.name })),
        el("figcaption", { text: t("profile.top_values") })) : null,
      suspicious.map(([kind, count]) => el("p", { class: "notice",
        text: t("profile.suspicious", { count, kind: has(`suspicious.${kind}`) ? t(`suspicious.${kind}`) : kind.replace(/_/g, " "),
          example: (column.examples || {})[kind] ?? "" }) }))));
  }
  return box;
}
