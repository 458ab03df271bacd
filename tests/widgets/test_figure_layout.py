"""Every chart of every app, drawn by its own front end (widgets/static/figure.js and the vendored plotly.js) in
headless chromium at a projector's, a tablet's and a phone's width: its title, legend, axis titles and tick labels
never overlap one another, and none is cut at the figure's edge.

For training only, not for treating patients.

Before: the legend sat just above the plot under a centred title (overlapping it on the deck's refill slide and
wherever a title was long), and long titles and axis titles were cut on narrow screens.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from widgets.plot import Figure, plotly_esm_source

pytestmark = pytest.mark.browser

FIGURE_JS = Path(__file__).resolve().parents[2] / "widgets" / "static" / "figure.js"
#: The width of a figure's element: an app at 1024 px, a tablet or presenter view's column, a 420 px phone.
WIDTHS = (1000, 700, 380)
APPS = ("screening", "titration", "maintenance", "pk", "overdose", "withdrawal", "units")


def _figures(widget, seen: set[int]) -> list[Figure]:
    if id(widget) in seen:
        return []
    seen.add(id(widget))
    own = [widget] if isinstance(widget, Figure) else []
    return own + [f for child in getattr(widget, "children", ()) or () for f in _figures(child, seen)]


def every_figure() -> list[tuple[str, Figure]]:
    """(name, figure) for each chart of each app and of the teaching deck, with the data they open with."""
    from widgets.deck import build_deck

    out = []
    for name in APPS:
        app = importlib.import_module(f"widgets.{name}").build_app()
        roots = [app, *(s.widget for s in getattr(app, "sections", ()))]  # maintenance: every tab, built
        seen: set[int] = set()
        out += [(name, f) for root in roots for f in _figures(root, seen)]
    deck = build_deck()
    seen = set()
    for slide in ("screening", "titration", "refill", "missed_refill", "emergency"):
        out += [(f"deck {slide}", f) for f in _figures(getattr(deck, slide), seen)]
    return out


#: Boxes of a drawn figure's parts, and the pairs that overlap or leave the figure.
MEASURE = """
async ([width, data, layout]) => {
  const el = document.createElement('div');
  el.style.width = width + 'px';
  document.body.replaceChildren(el);
  const model = {get: (k) => ({_plot_data: data, _plot_layout: layout, _plotly_url: null,
                               _plotly_inline: window.plotlySource})[k], on() {}, off() {}};
  const dispose = window.figureModule.render({model, el});
  const t0 = Date.now();
  while (!el.querySelector('.main-svg .gtitle, .main-svg .xtitle') && Date.now() - t0 < 20000)
    await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 300));  // the second pass (axis titles fitted to the plot area)
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const svg = el.querySelector('.main-svg').getBoundingClientRect();
  const union = (sel) => {
    const rs = [...el.querySelectorAll(sel)].map((e) => e.getBoundingClientRect()).filter((r) => r.width > 0);
    return rs.length ? rs.reduce((a, r) => ({left: Math.min(a.left, r.left), top: Math.min(a.top, r.top),
      right: Math.max(a.right, r.right), bottom: Math.max(a.bottom, r.bottom)})) : null;
  };
  const parts = {title: union('.gtitle'), legend: union('.legend .traces'), 'x-axis title': union('.xtitle'),
                 'y-axis title': union('.ytitle'), 'x tick labels': union('.xtick text'),
                 'y tick labels': union('.ytick text')};
  const over = (a, b) => a && b && a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 &&
                         b.top < a.bottom - 1;
  const names = Object.keys(parts), found = [];
  for (let i = 0; i < names.length; i++)
    for (let j = i + 1; j < names.length; j++)
      if (over(parts[names[i]], parts[names[j]])) found.push(`${names[i]} overlaps ${names[j]}`);
  for (const n of names) {
    const r = parts[n];
    if (r && (r.left < svg.left - 2 || r.right > svg.right + 2 || r.top < svg.top - 2 || r.bottom > svg.bottom + 2))
      found.push(`${n} cut`);
  }
  dispose();
  return found;
}
"""


def test_no_chart_part_overlaps_another_or_is_cut_at_any_width(browser) -> None:
    figures = every_figure()
    assert len(figures) >= 15, len(figures)
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    try:
        page.set_content("<!doctype html><html><body></body></html>")
        page.evaluate("(src) => { window.plotlySource = src; }", plotly_esm_source())
        page.evaluate(
            "async (src) => { const url = URL.createObjectURL(new Blob([src], {type: 'text/javascript'}));"
            " window.figureModule = (await import(url)).default; }",
            FIGURE_JS.read_text(encoding="utf-8"),
        )
        problems = []
        for width in WIDTHS:
            for name, fig in figures:
                if name.startswith("deck") and width < 700:  # a slide is scaled as a whole, never this narrow
                    continue
                title = (fig._plot_layout.get("title") or {}).get("text", "")
                found = page.evaluate(MEASURE, [width, fig._plot_data, fig._plot_layout])
                problems += [f"{width} px, {name}, {title!r}: {p}" for p in found]
        assert not problems, "\n".join(problems)
    finally:
        page.close()
