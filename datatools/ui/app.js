// The app shell: loads the state and language, shows one screen at a time, wires navigation.
import { api, connect } from "./api.js";
import { el, show } from "./dom.js";
import { errorText, has, language, loadLanguage, t } from "./i18n.js";
import { initLargeSettings, renderLargeSettings } from "./large.js";
import { initLicense, renderLicense } from "./license.js";
import { state } from "./state.js";
import { initTool, openTool, retranslateTool } from "./tool.js";

const $ = (id) => document.getElementById(id);
const LANGUAGE_NAMES = { en: "English", de: "Deutsch", es: "Español", fr: "Français" };

const app = {
  async refresh() {
    state.server = await api("GET", "/api/state");
    renderChrome();
    renderHome();
    renderLicense();
  },
};

function showScreen(name) {
  state.screen = name;
  for (const screen of document.querySelectorAll(".screen")) show(screen, screen.id === `screen-${name}`);
  const heading = document.querySelector(`#screen-${name} h1`);
  heading.setAttribute("tabindex", "-1");
  heading.focus();
  window.scrollTo(0, 0);
}

function renderChrome() {
  const { entitlement, license } = state.server;
  const banner = $("trial-banner");
  show(banner, !license);
  $("trial-text").textContent = t("trial.text", { rows: state.server.trial_row_limit });
  $("go-license").textContent = license ? t("nav.license_tier", { tier: tierName(entitlement.tier) }) : t("nav.license");
  $("footer").textContent = t("footer.version", { version: state.server.version });
  const select = $("language");
  select.replaceChildren(...state.server.languages.map((code) =>
    el("option", { value: code, selected: code === language, text: LANGUAGE_NAMES[code] || code })));
}

function tierName(tier) {
  return has(`tier.${tier}`) ? t(`tier.${tier}`) : tier;
}

function renderHome() {
  const list = $("tool-list");
  const { entitlement } = state.server;
  list.replaceChildren(...Object.keys(state.server.tools).map((id) => {
    const allowed = entitlement.tools.includes(id);
    return el("li", {},
      el("button", { type: "button", class: "tool", id: `tool-${id}`, disabled: !allowed,
        "aria-describedby": `tool-${id}-text`, onclick: () => { openTool(id); showScreen("tool"); } },
        el("span", { class: "tool-name", text: t(`tool.${id}.title`) }),
        el("span", { class: "tool-text", id: `tool-${id}-text`,
          text: allowed ? t(`tool.${id}.summary`) : t("home.not_in_tier") })));
  }));
  renderLargeSettings();
}

async function start() {
  initTool(app);
  initLicense(app);
  initLargeSettings();
  $("go-home").addEventListener("click", () => showScreen("home"));
  $("tool-back").addEventListener("click", () => showScreen("home"));
  $("license-back").addEventListener("click", () => showScreen("home"));
  $("go-license").addEventListener("click", () => showScreen("license"));
  $("trial-activate").addEventListener("click", () => showScreen("license"));
  $("language").addEventListener("change", async (event) => {
    const lang = event.target.value;
    await api("POST", "/api/preferences", { language: lang });
    await loadLanguage(lang);
    renderChrome();
    renderHome();
    renderLicense();
    retranslateTool();
  });
  try {
    await connect();
    const first = await api("GET", "/api/state");
    await loadLanguage(first.language);
    await app.refresh();
    document.body.dataset.ready = "true";
  } catch (error) {
    $("fatal").textContent = errorText(error);
    show($("fatal"));
  }
}

start();
