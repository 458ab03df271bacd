"""Time to interactive of each served app against a bare Voilà notebook, and in-kernel update latency.

For training only, not for treating patients.

    .venv/bin/python -m bench app_tti      # or: python3 tasks.py bench

Time to interactive: from navigation until the app's widgets are drawn (``.itb-app``, or the
banner for the home page) and, when the notebook declares ``plots`` in its probe, its plots
drawn.  The bare notebook (one IntSlider, made in a temporary folder, served by plain Voilà
with preheating off) is the floor Voilà itself costs.  Each app is timed twice: the first visit
(a preheated kernel when the pool is warm) and a second visit.  Update latency: in the kernel,
setting the probe input to the updated plot's data (median of 7), without the browser.
"""
from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ._util import ms, table

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
BARE = {"cells": [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
                   "source": "import ipywidgets as W\nW.IntSlider(description='bare')"}],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5}


def _tti(page, url: str, selector: str, plots: int) -> float:
    t0 = time.perf_counter()
    page.goto(url, timeout=120_000, wait_until="commit")
    page.wait_for_selector(selector, state="visible", timeout=120_000)
    if plots:
        page.wait_for_function(
            "(n) => [...document.querySelectorAll('.js-plotly-plot')].filter("
            "p => [...p.querySelectorAll('g.trace path')].some(e => (e.getAttribute('d') || '').length > 4)).length >= n",
            arg=plots, timeout=120_000)
    return time.perf_counter() - t0


def _kernel_latency(nb: Path) -> str:
    """Median seconds from setting the probe field to updated figure data, in a fresh Python."""
    meta = json.loads(nb.read_text(encoding="utf-8")).get("metadata", {}).get("itb", {})
    pr = meta.get("probe")
    src = json.loads(nb.read_text(encoding="utf-8"))["cells"]
    build = next((c["source"] if isinstance(c["source"], str) else "".join(c["source"])
                  for c in src if c["cell_type"] == "code" and "build_app" in "".join(c["source"])), None)
    if not pr or not build:
        return "–"
    code = f"""
import time, statistics
{build.rsplit(chr(10) + 'app', 1)[0] if build.rstrip().endswith('app') else build}
import plotly.graph_objects as go
w = [x for x in app.children]
field = None
def find(ws):
    for x in ws:
        if getattr(x, 'key', None) == {pr['field']!r}: return x
        r = find(getattr(x, 'children', ()))
        if r is not None: return r
field = find(app.children)
values = [{pr['value']!r}, field.value]
times = []
for i in range(8):
    t0 = time.perf_counter(); field.value = values[i % 2]; times.append(time.perf_counter() - t0)
print(statistics.median(times[1:]))
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=nb.parent, capture_output=True, text=True, timeout=300)
    try:
        return ms(float(out.stdout.strip().splitlines()[-1]))
    except (ValueError, IndexError):
        return "failed"


def run() -> str:
    sys.path.insert(0, str(ROOT / "tests" / "notebooks"))
    from _discovery import app_notebooks, probe
    from playwright.sync_api import sync_playwright

    from widgets._serve import free_port, start_server, wait_until_ready

    if not Path(CHROMIUM).exists():
        return "### App time to interactive\n\nSkipped: /usr/bin/chromium is not installed."
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare.ipynb"
        bare.write_text(json.dumps(BARE), encoding="utf-8")
        bport, sport = free_port(), free_port()
        bare_proc = subprocess.Popen(
            [sys.executable, "-m", "voila", "--no-browser", f"--port={bport}", "--Voila.ip=127.0.0.1", str(bare)],
            cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        suite_proc = start_server(sport)
        try:
            wait_until_ready(f"http://127.0.0.1:{bport}/", 90, bare_proc)
            wait_until_ready(f"http://127.0.0.1:{sport}/voila/tree", 90, suite_proc)
            time.sleep(15)  # let the preheated pools fill, as on a server that has been up a while
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
                page = browser.new_page()
                bare_times = [_tti(page, f"http://127.0.0.1:{bport}/", ".widget-slider", 0) for _ in range(2)]
                rows.append(["bare Voilà notebook (no preheat)", ms(bare_times[0]), ms(bare_times[1]), "–"])
                for nb in app_notebooks():
                    pr = probe(nb) or {}
                    rel = nb.relative_to(ROOT).as_posix()
                    url = f"http://127.0.0.1:{sport}/voila/render/{rel}"
                    sel = ".itb-app" if pr else ".itb-banner"
                    try:
                        t = [_tti(page, url, sel, int(pr.get("plots", 0))) for _ in range(2)]
                        rows.append([rel, ms(t[0]), ms(t[1]), _kernel_latency(nb)])
                    except Exception as exc:  # noqa: BLE001 - report, keep timing the others
                        rows.append([rel, f"failed: {type(exc).__name__}", "", ""])
                browser.close()
        finally:
            for p in (bare_proc, suite_proc):
                p.terminate()
                p.wait(timeout=30)
    return "\n".join([
        "### App time to interactive (Voilà, headless chromium)", "",
        table(["notebook", "first visit", "second visit", "input → plot data (kernel, median)"], rows), "",
        f"Median app first visit vs bare: see rows; bare median {ms(statistics.median(bare_times))}.",
    ])


if __name__ == "__main__":
    print(run())
