// Translations: t(key, params) looks a key up in the current catalog and fills {placeholders};
// translatePage() sets every element marked with data-i18n, data-i18n-placeholder or
// data-i18n-aria-label.
import { api } from "./api.js";

let catalog = {};
let fallback = {};
export let language = "en";

export async function loadLanguage(lang) {
  if (!Object.keys(fallback).length) fallback = await api("GET", "/api/i18n/en");
  catalog = lang === "en" ? fallback : await api("GET", `/api/i18n/${lang}`);
  language = lang;
  document.documentElement.lang = lang;
  translatePage();
}

export function t(key, params = {}) {
  const text = catalog[key] ?? fallback[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) =>
    name in params ? formatValue(params[name]) : whole);
}

// For keys built from a code the server sends (an error code, a report field); the codes that
// must have keys are listed in tests/test_i18n.py.
export function has(key) {
  return key in catalog || key in fallback;
}

// An error in the user's language when the catalog knows its code, else the server's words.
export function errorText(error) {
  const key = `error.${error.code}`;
  return has(key) ? t(key, error.params) : (error.message || t("error.internal"));
}

export function formatValue(value) {
  if (typeof value === "number") return new Intl.NumberFormat(language).format(value);
  return String(value);
}

export function formatDate(iso) {
  if (!iso) return "";
  const [y, m, d] = iso.split("-").map(Number);
  return new Intl.DateTimeFormat(language, { dateStyle: "long", timeZone: "UTC" })
    .format(new Date(Date.UTC(y, m - 1, d)));
}

export function translatePage(root = document) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll("[data-i18n-aria-label]")) el.setAttribute("aria-label", t(el.dataset.i18nAriaLabel));
}

// A note or warning from a tool: plain text, or { text, code, params } (datatools/notices.py),
// shown in the UI's language when the catalog has `notice.<code>`, else in the server's words.
export function noticeText(notice) {
  if (typeof notice === "string") return notice;
  const key = `notice.${notice.code}`;
  return has(key) ? t(key, notice.params) : notice.text;
}
