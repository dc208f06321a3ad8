// The one pager of the result views (duplicate groups, matches, the compare diff): the query
// of a page, and First / Previous / "Page n of m" / Next / Last.
import { el } from "./dom.js";
import { t } from "./i18n.js";

// `?page&sort&<filter fields that are set>` for the server's paged lists.
export function pageQuery(page, filter = {}, extra = {}) {
  const params = new URLSearchParams({ page: String(page), ...extra });
  for (const [name, value] of Object.entries(filter)) if (value !== "") params.set(name, value);
  return params;
}

// The buttons, ids `<prefix>-first` …; `pageKey` is the catalog key of "Page n of m";
// `go(page)` loads one.
export function pagerButtons(prefix, pageKey, data, go) {
  const button = (id, key, page, disabled) => el("button", { type: "button", id: `${prefix}-${id}`, disabled,
    text: t(key), onclick: () => go(page) });
  return [
    button("first", "review.first", 1, data.page <= 1),
    button("prev", "review.prev", data.page - 1, data.page <= 1),
    el("span", { id: `${prefix}-page`, text: t(pageKey, { page: data.page, pages: data.pages, total: data.total }) }),
    button("next", "review.next", data.page + 1, data.page >= data.pages),
    button("last", "review.last", data.pages, data.page >= data.pages)];
}
