// Compare's key in the window: one column, or several that together identify a row (an order
// number and a line number), the same as the command line's `--key order,line`. The first list
// is always shown (its empty choice: DataTools picks the key); "Add a key column" adds another
// list, and a list left on its empty choice is not used.
import { el } from "./dom.js";
import { t } from "./i18n.js";

// The field for option `field` over `columns`; `value`: the columns chosen before (a list, or
// one name), each shown in a list of its own, in order.
export function keyField(field, columns, value) {
  const id = `option-${field.name}`;
  const chosen = Array.isArray(value) ? value.filter(Boolean) : value ? [value] : [];
  const lists = el("span", { class: "key-lists" });
  const list = (index, selected) => el("select", {
    id: index ? `${id}-${index + 1}` : id,
    "aria-label": index ? t("compare.key_more", { n: index + 1 }) : null },
  el("option", { value: "", text: t(index ? "compare.key_unused" : field.empty) }),
  columns.map((c) => el("option", { value: c, selected: c === selected, text: c })));
  (chosen.length ? chosen : [""]).forEach((name, index) => lists.append(list(index, name)));
  const add = el("button", { type: "button", id: `${id}-add`, text: t("compare.key_add"),
    onclick: () => {
      const added = list(lists.children.length, "");
      lists.append(added);
      added.focus();
    } });
  return el("div", { class: "row", "data-option": field.name, "data-kind": "key-list" },
    el("label", { for: id, text: t(field.label) }), lists, add);
}

// The key columns chosen in `node` (a `keyField`), in the order of the lists, each once.
export function readKeyColumns(node) {
  return [...new Set([...node.querySelectorAll("select")].map((s) => s.value).filter(Boolean))];
}
