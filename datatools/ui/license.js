// The activation screen: paste a DTLIC2 license, see who it is licensed to, remove it.
import { api } from "./api.js";
import { el, showMessage } from "./dom.js";
import { formatDate, formatValue, has, t } from "./i18n.js";
import { state } from "./state.js";

const $ = (id) => document.getElementById(id);
let app = null;

export function initLicense(appContext) {
  app = appContext;
  $("license-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    await activate($("license-blob").value);
  });
}

function licenseErrorText(error) {
  const key = `license.error.${error.code}`;
  const params = { ...error.params };
  for (const name of ["expires", "updates_until", "release_date"]) {
    if (params[name]) params[name] = formatDate(params[name]);
  }
  return has(key) ? t(key, params) : error.message;
}

async function activate(blob) {
  showMessage($("license-error"), "");
  showMessage($("license-ok"), "");
  if (!blob.trim()) {
    showMessage($("license-error"), t("license.error.empty"));
    $("license-blob").focus();
    return;
  }
  try {
    const answer = await api("POST", "/api/license", { blob });
    $("license-blob").value = "";
    await app.refresh();
    showMessage($("license-ok"), t("license.activated", { name: answer.license.name }));
  } catch (error) {
    showMessage($("license-error"), licenseErrorText(error));
    $("license-blob").focus();
  }
}

export function renderLicense() {
  const { license, license_problem: problem, entitlement } = state.server;
  const box = $("license-status");
  box.replaceChildren();
  if (!license) {
    box.append(el("h2", { text: t("license.trial_title") }),
      el("p", { text: t("trial.text", { rows: state.server.trial_row_limit }) }));
    if (problem) box.append(el("p", { class: "error", role: "alert", text: licenseErrorText(problem) }));
    return;
  }
  const rows = [
    ["license.name", license.name], ["license.email", license.email],
    ["license.tier", has(`tier.${license.tier}`) ? t(`tier.${license.tier}`) : license.tier],
    ["license.seats", formatValue(license.seats)],
    ["license.updates_until", license.updates_until ? formatDate(license.updates_until) : t("license.lifetime")],
    ["license.expires", license.expires ? formatDate(license.expires) : t("license.never")],
    ["license.id", license.lid],
  ];
  box.append(el("h2", { text: t("license.licensed_to", { name: license.name }) }),
    el("dl", { class: "summary" }, rows.map(([key, value]) =>
      el("div", {}, el("dt", { text: t(key) }), el("dd", { text: value })))));
  if (!entitlement.known_tier) box.append(el("p", { class: "notice", text: t("license.unknown_tier") }));
  box.append(el("button", { type: "button", id: "license-remove", text: t("license.remove"),
    onclick: async () => {
      if (!confirm(t("license.remove_confirm"))) return;
      await api("DELETE", "/api/license");
      await app.refresh();
    } }));
}
