// The front end of widgets.plot.Figure: plotly.js draws the figure's JSON; a table gives its numbers.
// For training only, not for treating patients.
//
// Drawing: Plotly.react on every change of the figure's JSON, at most once a frame, and only while the
// element has a width: a figure in a hidden tab (or not yet laid out) is drawn when it first becomes
// visible, so a page with several tabs draws one figure, not all, to become interactive.  A change of
// the element's width redraws the plot at that width (titles too long for it wrapped: fit below).
//
// Where plotly.js comes from: under the suite's launcher the model's `_plotly_url` names the server
// path (relative to the page's base URL, so any host, port and base_url works; one module per URL,
// so once per page); anywhere else (JupyterLab, plain voila) `_plotly_inline` carries the module text.
//
// Text alternative (WCAG 1.1.1): the chart is a `figure` named after its title, and a closed
// <details> under it holds the plotted numbers as a table a screen reader can reach (long series are
// sampled evenly, first and last point kept, and the table says so).  A trace's column is headed by its
// `meta.column` when it has one (the edges of a shaded band), else by its name.

const MAX_ROWS = 40;
let plotlyPromise = null;

function loadPlotly(model) {
  if (plotlyPromise) return plotlyPromise;
  const path = model.get("_plotly_url");
  let url;
  if (path) {
    const config = document.getElementById("jupyter-config-data");
    const baseUrl = (config && JSON.parse(config.textContent).baseUrl) || "/";
    url = new URL(baseUrl.replace(/\/*$/, "/") + path, document.baseURI).href;
  } else {
    url = URL.createObjectURL(new Blob([model.get("_plotly_inline")], { type: "text/javascript" }));
  }
  plotlyPromise = import(url).then((m) => m.default);
  return plotlyPromise;
}

function clone(x) { return x == null ? x : JSON.parse(JSON.stringify(x)); }

function titleText(t) {
  if (t == null) return "";
  if (typeof t === "string") return t;
  return t.text || "";
}

function plain(html) {
  const d = document.createElement("div");
  d.innerHTML = String(html).replace(/<br\s*\/?>/gi, " ");
  return d.textContent.trim();
}

function fmt(v) {
  if (v == null) return "–";
  if (typeof v === "number") return Number.isFinite(v) ? String(+v.toPrecision(4)) : "–";
  const s = String(v);
  return /^\d{4}-\d\d-\d\dT00:00:00$/.test(s) ? s.slice(0, 10) : plain(s);
}

function rowsOf(n) {
  if (n <= MAX_ROWS) return [...Array(n).keys()];
  const out = new Set();
  for (let i = 0; i < MAX_ROWS - 1; i++) out.add(Math.round((i * (n - 1)) / (MAX_ROWS - 1)));
  out.add(n - 1);
  return [...out].sort((a, b) => a - b);
}

function sameX(a, b) {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

// Traces that share their x values go in one table; any other trace gets its own.
function groups(data) {
  const out = [];
  for (const t of data || []) {
    const x = t.x || t.labels;
    const y = t.y || t.values;
    if (!Array.isArray(x) || !Array.isArray(y) || t.visible === false) continue;
    const g = out.find((o) => sameX(o.x, x));
    const col = { name: plain((t.meta && t.meta.column) || t.name || ""), y };
    if (g) g.cols.push(col); else out.push({ x, cols: [col] });
  }
  return out;
}

function table(layout, g) {
  const xName = plain(titleText(layout.xaxis && layout.xaxis.title)) || "x";
  const yName = plain(titleText(layout.yaxis && layout.yaxis.title)) || "value";
  const rows = rowsOf(g.x.length);
  const head = [xName, ...g.cols.map((c) => (c.name ? `${c.name} (${yName})` : yName))];
  const t = document.createElement("table");
  t.className = "itb-chart-table";
  if (rows.length < g.x.length) {
    const cap = t.createCaption();
    cap.textContent = `${rows.length} of ${g.x.length} points, evenly spaced`;
  }
  const hr = t.createTHead().insertRow();
  head.forEach((h) => { const th = document.createElement("th"); th.scope = "col"; th.textContent = h; hr.appendChild(th); });
  const body = t.createTBody();
  for (const i of rows) {
    const r = body.insertRow();
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = fmt(g.x[i]);
    r.appendChild(th);
    g.cols.forEach((c) => { r.insertCell().textContent = fmt(c.y[i]); });
  }
  return t;
}

function describe(details, fig, data, layout) {
  // the words in the page's language (widgets.plot.make_figure puts them in layout.meta), else English
  const words = (layout.meta && layout.meta.itb) || {};
  const title = plain(titleText(layout.title)) || words.chart || "Chart";
  const tableName = words.table || "Chart numbers";
  fig.setAttribute("aria-label", (words.aria || '{title} (its numbers are in the table "{table}" below it)')
    .replace("{title}", title).replace("{table}", tableName));
  const summary = document.createElement("summary");
  summary.textContent = (words.summary || "{table}: {title}").replace("{table}", tableName).replace("{title}", title);
  details.replaceChildren(summary, ...groups(data).map((g) => table(layout, g)));
}

// Titles longer than the figure is wide: plotly.js draws a title on one line and cuts it at the figure's edge
// (a phone, a narrow column, presenter view beside the inputs), so they are wrapped at spaces to the width
// they have: the chart title and the x-axis title to the figure's width, the y-axis title to its height.
let measure = null;

function textWidth(text, size, family) {
  measure = measure || document.createElement("canvas").getContext("2d");
  measure.font = `${size}px ${family}`;
  return measure.measureText(plain(text)).width;
}

function wrap(text, px, size, family) {
  if (!text || /<br/i.test(text) || px <= 0 || textWidth(text, size, family) <= px) return text;
  const lines = [];
  let line = "";
  for (const word of text.split(" ")) {
    const next = line ? `${line} ${word}` : word;
    if (line && textWidth(next, size, family) > px) { lines.push(line); line = word; } else line = next;
  }
  lines.push(line);
  return lines.join("<br>");
}

function fit(layout, width, plotArea) {
  const font = Object.assign({}, ((layout.template || {}).layout || {}).font, layout.font);
  const base = font.size || 12, family = font.family || "sans-serif";
  const height = layout.height || 450;
  // the chart title spans the figure (the template anchors it to the container); an axis title spans the
  // plot area, known once plotly.js has laid the figure out (`plotArea`, else a guess); plotly.js's default
  // title sizes are 1.4 and 1.2 times the font size
  const fitTitle = (owner, px, scale) => {
    if (!owner || owner.title == null) return;
    const t = typeof owner.title === "string" ? { text: owner.title } : owner.title;
    const size = (t.font && t.font.size) || base * scale;
    const text = titleText(t);
    const wrapped = wrap(text, px, size, family);
    if (wrapped !== text) owner.title = Object.assign({}, t, { text: wrapped });
  };
  fitTitle(layout, width - 30, 1.4);
  fitTitle(layout.xaxis, plotArea ? plotArea.w : width - 120, 1.2);
  fitTitle(layout.yaxis, plotArea ? plotArea.h : height - 140, 1.2);
  return layout;
}

function render({ model, el }) {
  const fig = document.createElement("div");
  fig.setAttribute("role", "figure");
  fig.className = "itb-figure";
  const div = document.createElement("div");
  div.className = "itb-plot";
  const details = document.createElement("details");
  details.className = "itb-chart-data";
  fig.append(div, details);
  el.appendChild(fig);
  let frame = null, width = 0, Plotly = null, gone = false, drawn = 0;
  const config = { responsive: true, displaylogo: false };
  const draw = () => {
    frame = null;
    const data = clone(model.get("_plot_data")), layout = clone(model.get("_plot_layout"));
    describe(details, fig, data, layout);
    if (!Plotly || el.clientWidth === 0) return;  // hidden: drawn when shown (ResizeObserver below)
    width = el.clientWidth;
    const n = ++drawn, first = fit(clone(layout), width, null);
    Plotly.react(div, data, first, config).then(() => {
      // the axis titles again, to the plot area plotly.js has laid out (once: a second pass rarely changes it)
      const area = div._fullLayout && div._fullLayout._size;
      if (gone || n !== drawn || !area) return;
      const second = fit(clone(layout), width, area);
      if (JSON.stringify(second) !== JSON.stringify(first)) Plotly.react(div, data, second, config);
    });
  };
  const schedule = () => { if (frame === null) frame = requestAnimationFrame(draw); };
  model.on("change:_plot_data change:_plot_layout", schedule);
  const ro = new ResizeObserver(() => {
    const w = el.clientWidth;
    if (w === 0 || w === width || !Plotly) return;
    schedule();  // drawn at the new width, its titles wrapped anew
  });
  ro.observe(el);
  describe(details, fig, model.get("_plot_data"), model.get("_plot_layout"));
  loadPlotly(model).then((P) => { if (!gone) { Plotly = P; draw(); } });
  return () => {
    gone = true;
    ro.disconnect();
    model.off("change:_plot_data change:_plot_layout", schedule);
    if (frame !== null) cancelAnimationFrame(frame);
    if (Plotly) Plotly.purge(div);
  };
}

export default { render };
