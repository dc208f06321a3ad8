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
  const text = plurals(catalog[key] ?? fallback[key] ?? key, params);
  return text.replace(/\{(\w+)\}/g, (whole, name) =>
    name in params ? formatValue(params[name]) : whole);
}

// Plurals, written in a catalog as `{count, plural, one {# row} other {# rows}}` (a subset of
// ICU MessageFormat; datatools/i18n/__init__.py describes it): the branch is chosen by
// Intl.PluralRules for the UI's language (`=0`, `=1` … match exactly first), `#` is the number
// as the language writes it, and a category the catalog leaves out falls back to `other`.
const PLURAL = /\{(\w+), plural,/g;

function plurals(text, params) {
  let out = "";
  let pos = 0;
  PLURAL.lastIndex = 0;
  for (let m = PLURAL.exec(text); m; m = PLURAL.exec(text)) {
    const end = closing(text, m.index);
    const branches = pluralBranches(text.slice(m.index + m[0].length, end));
    const n = Number(params[m[1]]);
    const chosen = branches[`=${n}`] ?? branches[new Intl.PluralRules(language).select(n)] ?? branches.other ?? "";
    out += text.slice(pos, m.index) + chosen.replace(/#/g, formatValue(n));
    pos = end + 1;
    PLURAL.lastIndex = pos;
  }
  return out + text.slice(pos);
}

// The index of the brace that closes the one at `start`.
function closing(text, start) {
  let depth = 0;
  for (let i = start; i < text.length; i += 1) {
    if (text[i] === "{") depth += 1;
    else if (text[i] === "}" && --depth === 0) return i;
  }
  return text.length;
}

function pluralBranches(body) {
  const branches = {};
  const selector = /\s*(=\d+|\w+)\s*\{/g;
  for (let m = selector.exec(body); m; m = selector.exec(body)) {
    const open = m.index + m[0].length - 1;
    const end = closing(body, open);
    branches[m[1]] = body.slice(open + 1, end);
    selector.lastIndex = end + 1;
  }
  return branches;
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

// A number in the window's language (`options`: Intl.NumberFormat's, e.g. fraction digits).
export function formatValue(value, options = undefined) {
  if (typeof value === "number") return new Intl.NumberFormat(language, options).format(value);
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
// A notice about one of several files (param `file`) starts with that file's name.
export function noticeText(notice) {
  if (typeof notice === "string") return notice;
  const key = `notice.${notice.code}`;
  if (!has(key)) return notice.text;
  const text = t(key, notice.params);
  const file = notice.params?.file;
  return file && !(catalog[key] ?? fallback[key]).includes("{file}") ? `${file}: ${text}` : text;
}
