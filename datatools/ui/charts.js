// Small inline-SVG charts for the profile view: no library, readable at any zoom.
const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

// Horizontal bars, one per [label, count] pair, with the count at the end of each bar.
export function barChart(pairs, title) {
  const rowHeight = 22;
  const labelWidth = 170;
  const width = 450;
  const max = Math.max(1, ...pairs.map(([, n]) => n));
  const chart = svg("svg", { viewBox: `0 0 ${width} ${pairs.length * rowHeight + 4}`, role: "img",
    class: "chart", "aria-label": title });
  chart.append(svg("title", {}, title));
  pairs.forEach(([label, count], i) => {
    const y = i * rowHeight + 2;
    const barWidth = Math.max(2, ((width - labelWidth - 60) * count) / max);
    const shown = String(label) === "" ? "∅" : String(label);
    chart.append(
      svg("text", { x: labelWidth - 6, y: y + 15, "text-anchor": "end", class: "chart-label" },
        shown.length > 22 ? `${shown.slice(0, 21)}…` : shown),
      svg("rect", { x: labelWidth, y: y + 3, width: barWidth, height: rowHeight - 8, rx: 2, class: "chart-bar" }),
      svg("text", { x: labelWidth + barWidth + 6, y: y + 15, class: "chart-value" }, String(count)));
  });
  return chart;
}

// One bar split into filled and empty parts.
export function fillChart(filled, total, title) {
  const width = 200;
  const share = total ? filled / total : 0;
  const chart = svg("svg", { viewBox: `0 0 ${width} 14`, role: "img", class: "chart fill-chart", "aria-label": title });
  chart.append(svg("title", {}, title),
    svg("rect", { x: 0, y: 0, width, height: 14, rx: 3, class: "chart-empty" }),
    svg("rect", { x: 0, y: 0, width: Math.round(width * share), height: 14, rx: 3, class: "chart-bar" }));
  return chart;
}
