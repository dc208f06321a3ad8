// Small DOM builders shared by the screens.

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

export function show(node, visible = true) {
  node.hidden = !visible;
}

export function showMessage(node, text) {
  node.textContent = text || "";
  node.hidden = !text;
  if (node.classList.contains("cancelled")) {       // the next message there is an error again
    node.classList.replace("cancelled", "error");
    node.setAttribute("role", "alert");
  }
}

// A cancel the user asked for, in the place errors go but not as an error: neutral, announced
// politely (role status), since nothing went wrong.
export function showCancelled(node, text) {
  showMessage(node, text);
  node.classList.replace("error", "cancelled");
  node.setAttribute("role", "status");
}

// A scrollable table of text cells with a caption; `rows` are arrays of strings.
export function renderTable(columns, rows, caption) {
  return el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": caption },
    el("table", {},
      el("caption", { text: caption }),
      el("thead", {}, el("tr", {}, columns.map((c) => el("th", { scope: "col", text: c })))),
      el("tbody", {}, rows.map((row) => el("tr", {}, row.map((cell) => el("td", { text: cell })))))));
}

// Straight to Save, past every group and filter (keyboard users would Tab through them all).
export function toSaveButton(id, text) {
  return el("button", { type: "button", class: "link", id, text,
    onclick: () => document.getElementById("save").focus() });
}

// A review table whose first column (`th.pin`) and key column (`.pin-key`) both stay in view
// while it scrolls sideways: the key column sticks at the first column's width, measured here
// and again whenever it changes (zoom, another language, a longer row number).
export function pinKeyColumn(table) {
  const first = table.querySelector("thead th.pin");
  if (!first || !table.querySelector(".pin-key")) return table;
  new ResizeObserver(() => table.style.setProperty("--pin-width", `${first.getBoundingClientRect().width}px`))
    .observe(first);
  return table;
}

// The display order of a review's columns: the key column's index first (it is pinned), then
// the others in file order; `keyAt` -1 when there is none.
export function keyFirst(count, keyAt) {
  const rest = [...Array(count).keys()].filter((i) => i !== keyAt);
  return keyAt >= 0 ? [keyAt, ...rest] : rest;
}
