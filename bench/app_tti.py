"""The served apps against a bare Voilà notebook: time to interactive, kernel memory, update latency.

For training only, not for treating patients.

    .venv/bin/python -m bench app_tti      # or: python3 tasks.py bench

What is measured (all in one run, the suite and the bare notebook served side by side):

* **Time to interactive (TTI)**: from navigation until the app's widgets are drawn
  (``.itb-app``, or the banner for pages without an app) and, when the notebook's probe declares
  ``plots``, that many plotly plots have drawn data.  The floor is a bare notebook (one
  ``IntSlider``) served by plain Voilà with the *same* kernel preheating as the suite (one
  preheated kernel), so the ratio is what the suite adds on top of Voilà itself.  Each page is
  visited ``VISITS`` times in one fresh browser profile per page (the first visit loads static
  files cold, the next ones from the browser cache, as an educator's browser does); before each
  visit the benchmark waits until the servers are idle (the preheated kernel used by the
  previous visit has been replaced).  Reported: the median of the visits and the first (cold)
  visit, and the bytes the page received over its kernel websocket on the first visit.
* **Kernel memory**: resident set size (psutil) of an ipykernel that has run the notebook's
  code cells, against an ipykernel that has displayed one ``ipywidgets.IntSlider``.
* **Kernel latency**: in that kernel, setting the app's input (its first slider that changes
  a plot, else the probe field) and returning with the figure's data changed, ``KERNEL_REPS``
  repetitions alternating two values; p50 and p95.  Widget messages are really sent (iopub).
* **Browser latency**: in the served page, changing the same input (ArrowRight/ArrowLeft on a
  slider, or typing the probe value / the default and Enter) until a plot's drawn traces
  differ; ``BROWSER_REPS`` repetitions, p50 and p95.
"""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ._util import machine, table

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VISITS = 3
#: Extra options for the suite's server, to compare settings (``ITB_APP_TTI_ARGS``, e.g.
#: ``--VoilaKernelManager.fill_delay=10``).
SERVER_ARGS = os.environ.get("ITB_APP_TTI_ARGS", "").split()
KERNEL_REPS = 60
#: 30 changes, so that the p95 is not simply the largest but one of a few.
BROWSER_REPS = 30
#: Only these notebooks (comma-separated paths relative to the repo, ``ITB_APP_TTI_ONLY``); the bare
#: notebook is always measured.
ONLY = [p for p in os.environ.get("ITB_APP_TTI_ONLY", "").split(",") if p]
BARE_SOURCE = "import ipywidgets as W\nW.IntSlider(description='bare')"
BARE = {
    "cells": [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": BARE_SOURCE}],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}
#: The bare server preheats like the suite (voila.json): one kernel for its notebook.
BARE_CONFIG = {
    "VoilaConfiguration": {"preheat_kernel": True},
    "VoilaKernelManager": {"fill_delay": 0, "kernel_pools_config": {"default": {"pool_size": 1}}},
}

#: JavaScript: a signature of the trace data every plotly plot on the page holds (``gd.data``,
#: which plotly replaces as it redraws) and of the paths it has drawn.
#: With the page's text, so that an app without plots (product information, assessment) is measured too.
PLOT_SIGNATURE = (
    "() => [...document.querySelectorAll('.js-plotly-plot')].map(p => "
    "JSON.stringify(p.data || []) + [...p.querySelectorAll('g.trace path')].map(e => "
    "e.getAttribute('d') || '').join('|')).join('#') + document.body.innerText"
)
PLOTS_DRAWN = (
    "(n) => [...document.querySelectorAll('.js-plotly-plot')].filter("
    "p => [...p.querySelectorAll('g.trace path')].some(e => (e.getAttribute('d') || '').length > 4))"
    ".length >= n"
)

# Runs in the measured kernel after the notebook's cells: choose the input, time updates.
_LATENCY = r"""
import gc as _gc, json as _json, statistics as _st, time as _time
import ipywidgets as _W
from widgets.plot import Figure as _Figure
from widgets.fields import QuantityField as _QF

def _walk(w):
    yield w
    for c in getattr(w, "children", ()) or ():
        yield from _walk(c)

def _figs():
    return [w for w in _walk(app) if isinstance(w, _Figure)]

def _sig():
    # the plots' data and every HTML output (an app without plots shows its result as HTML)
    return repr([f._plot_data for f in _figs()]) + repr([w.value for w in _walk(app) if isinstance(w, _W.HTML)])

def _first_slider():
    for w in _walk(app):
        if isinstance(w, (_W.FloatSlider, _W.IntSlider)) and getattr(w, "key", None):
            old, before = w.value, _sig()
            w.value = w.value + w.step if w.value + w.step <= w.max else w.value - w.step
            changed = _sig() != before
            w.value = old
            if changed:
                return w
    return None

def _by_key(key):
    return next(w for w in _walk(app) if getattr(w, "key", None) == key
                or "itb-field-" + key in getattr(w, "_dom_classes", ()))

_probe = __PROBE__
_slider = _first_slider()
if _slider is not None:
    _field, _kind = _slider, "slider"
    _values = [_slider.value + _slider.step if _slider.value + _slider.step <= _slider.max
               else _slider.value - _slider.step, _slider.value]
else:
    _field, _kind = _by_key(_probe["field"]), _probe.get("kind", "text")
    _values = [_probe["value"], getattr(_field, "value", None)]
    if _kind == "select":
        _values = [dict(_field.options).get(_probe["value"], _probe["value"]), _field.value]
_times, _unchanged = [], 0
for _i in range(__REPS__ if _kind in ("slider", "text", "select") else 0):
    _before = _sig()
    _t0 = _time.perf_counter()
    _field.value = _values[_i % 2]
    _changed = _sig() != _before
    _times.append(_time.perf_counter() - _t0)
    _unchanged += not _changed
_times.sort()
_esm = sum(len(getattr(f, "_esm", "") or "") + len(getattr(f, "_plotly_inline", "") or "") for f in _figs())
_out = {"input": getattr(_field, "key", None) or _probe["field"], "kind": _kind, "figures": len(_figs()),
        "esm_bytes": _esm}
if _times:
    _out.update(p50=_st.median(_times), p95=_times[int(0.95 * (len(_times) - 1))], unchanged=_unchanged)
print("ITB-BENCH " + _json.dumps(_out))
"""


def _cells(nb: Path) -> list[str]:
    cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
    return [
        "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
        for c in cells
        if c["cell_type"] == "code"
    ]


def _execute(kc, code: str, timeout: float = 300) -> str:
    """Run ``code`` in the kernel; return its stdout, raise on error."""
    out: list[str] = []
    msg_id = kc.execute(code, store_history=False)
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream" and content.get("name") == "stdout":
            out.append(content["text"])
        elif kind == "error":
            raise RuntimeError(f"{content['ename']}: {content['evalue']}")
        elif kind == "status" and content["execution_state"] == "idle":
            return "".join(out)


def _kernel_measure(cells: list[str], cwd: Path, probe: dict | None) -> dict:
    """Run ``cells`` in a fresh ipykernel; its RSS (MiB) and, with an app, the update latency."""
    import psutil
    from jupyter_client.manager import KernelManager

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:  # the environment the launcher gives its kernels
        from launcher.handlers.plotly import PLOTLY_ESM_URL
        from widgets.plot import PLOTLY_ESM_ENV

        env[PLOTLY_ESM_ENV] = PLOTLY_ESM_URL
    except ImportError:
        pass
    km = KernelManager(kernel_name="python3")
    km.start_kernel(cwd=str(cwd), env=env)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=120)
        for code in cells:
            _execute(kc, code)
        _execute(kc, "import gc; gc.collect()")
        pid = km.provisioner.process.pid
        result = {"rss": psutil.Process(pid).memory_info().rss / 2**20}
        if probe is not None:
            code = _LATENCY.replace("__PROBE__", repr(probe)).replace("__REPS__", str(KERNEL_REPS))
            line = [x for x in _execute(kc, code).splitlines() if x.startswith("ITB-BENCH ")][-1]
            result.update(json.loads(line.removeprefix("ITB-BENCH ")))
        return result
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def _wait_idle(procs: list[subprocess.Popen], limit: float = 120.0, below: float = 15.0) -> None:
    """Wait until the servers and their kernels use < ``below`` % CPU for two 0.5 s samples."""
    import psutil

    tree = []
    deadline, quiet = time.monotonic() + limit, 0
    while time.monotonic() < deadline and quiet < 2:
        tree = [psutil.Process(p.pid) for p in procs]
        for p in list(tree):
            with contextlib.suppress(psutil.Error):
                tree += p.children(recursive=True)
        for p in tree:
            with contextlib.suppress(psutil.Error):
                p.cpu_percent(None)
        time.sleep(0.5)
        total = 0.0
        for p in tree:
            with contextlib.suppress(psutil.Error):
                total += p.cpu_percent(None)
        quiet = quiet + 1 if total < below else 0


def _visit(context, url: str, selector: str, plots: int, ws_bytes: list[int]):
    """Open ``url`` in a new page of ``context``; return (page, seconds to interactive)."""
    page = context.new_page()
    count = [0]

    def on_ws(ws):
        ws.on("framereceived", lambda payload: count.__setitem__(0, count[0] + len(payload)))

    page.on("websocket", on_ws)
    t0 = time.perf_counter()
    page.goto(url, timeout=120_000, wait_until="commit")
    page.wait_for_selector(selector, state="visible", timeout=120_000)
    if plots:
        page.wait_for_function(PLOTS_DRAWN, arg=plots, timeout=120_000, polling="raf")
    tti = time.perf_counter() - t0
    ws_bytes.append(count[0])
    return page, tti


def _browser_latency(page, info: dict, probe: dict) -> list[float]:
    """Seconds from changing the input in the page to a changed plot, ``BROWSER_REPS`` times."""
    key = info["input"]
    scope = page.locator(f".itb-field-{key}").first
    times = []
    if info["kind"] == "slider":
        handle = scope.locator(".noUi-handle, [role=slider]").first
        handle.focus()
        actions = [lambda: handle.press("ArrowRight"), lambda: handle.press("ArrowLeft")]
    elif info["kind"] == "text":
        box = scope.locator("input").first
        default = box.input_value()

        def typed(text):
            def act():
                box.fill(text)
                box.press("Enter")

            return act

        actions = [typed(str(probe["value"])), typed(default)]
    elif info["kind"] == "select":
        sel = scope.locator("select").first
        default = sel.evaluate("s => s.options[s.selectedIndex].label")
        actions = [lambda: sel.select_option(label=str(probe["value"])), lambda: sel.select_option(label=default)]
    else:
        return []
    for i in range(BROWSER_REPS):
        before = page.evaluate(PLOT_SIGNATURE)
        t0 = time.perf_counter()
        actions[i % 2]()
        page.wait_for_function(f"(b) => ({PLOT_SIGNATURE})() !== b", arg=before, timeout=10_000, polling="raf")
        times.append(time.perf_counter() - t0)
        page.wait_for_timeout(100)
    return times


def _p(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[int(q * (len(xs) - 1))]


def _ms(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds * 1000:.0f} ms"


def run() -> str:
    sys.path.insert(0, str(ROOT / "tests" / "notebooks"))
    import psutil  # noqa: F401 - fail early when the test extra is missing
    from _discovery import app_notebooks, probe
    from playwright.sync_api import sync_playwright

    from launcher import ONE_ADDRESS_CLASS, free_port, start_server, wait_until_ready

    if not Path(CHROMIUM).exists():
        return "### Apps\n\nSkipped: /usr/bin/chromium is not installed."
    load_before = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    notebooks = app_notebooks()
    if ONLY:
        notebooks = [nb for nb in notebooks if nb.relative_to(ROOT).as_posix() in ONLY]

    # --- kernels: memory and in-kernel latency, one fresh kernel per notebook
    kern: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        kern["bare"] = _kernel_measure([BARE_SOURCE], Path(tmp), None)
    for nb in notebooks:
        rel = nb.relative_to(ROOT).as_posix()
        try:
            kern[rel] = _kernel_measure(_cells(nb), nb.parent, probe(nb))
        except Exception as exc:  # noqa: BLE001 - report, keep measuring the others
            kern[rel] = {"error": f"{type(exc).__name__}: {exc}"[:80]}

    # --- browser: TTI against the bare notebook, browser latency
    tti: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "bare.ipynb").write_text(json.dumps(BARE), encoding="utf-8")
        (Path(tmp) / "voila.json").write_text(json.dumps(BARE_CONFIG), encoding="utf-8")
        bport, sport = free_port(), free_port()
        bare_proc = subprocess.Popen(
            [sys.executable, "-m", "voila", "--no-browser", f"--port={bport}", "--Voila.ip=127.0.0.1", "bare.ipynb"],
            cwd=tmp,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        suite_proc = start_server(sport, *ONE_ADDRESS_CLASS, *SERVER_ARGS)
        procs = [bare_proc, suite_proc]
        try:
            wait_until_ready(f"http://127.0.0.1:{bport}/", 120, bare_proc)
            wait_until_ready(f"http://127.0.0.1:{sport}/voila/tree", 120, suite_proc)
            t_fill = time.perf_counter()
            time.sleep(5)
            _wait_idle(procs, limit=240)
            t_fill = time.perf_counter() - t_fill
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
                pages = [("bare", f"http://127.0.0.1:{bport}/", ".widget-slider", 0, None)]
                for nb in notebooks:
                    pr = probe(nb)
                    rel = nb.relative_to(ROOT).as_posix()
                    pages.append(
                        (
                            rel,
                            f"http://127.0.0.1:{sport}/voila/render/{rel}",
                            ".itb-app" if pr else ".itb-banner",
                            int((pr or {}).get("plots", 0)),
                            pr,
                        )
                    )
                for name, url, sel, plots, pr in pages:
                    ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
                    times, ws = [], []
                    try:
                        for i in range(VISITS):
                            _wait_idle(procs)
                            page, t = _visit(ctx, url, sel, plots, ws)
                            times.append(t)
                            info = kern.get(name, {})
                            if i == VISITS - 1 and pr and "p50" in info:
                                try:
                                    lat = _browser_latency(page, info, pr)
                                    if lat:
                                        tti.setdefault(name, {})["browser"] = lat
                                except Exception as exc:  # noqa: BLE001
                                    tti.setdefault(name, {})["browser_error"] = type(exc).__name__
                            page.close()
                        tti.setdefault(name, {}).update(times=times, ws=ws[0])
                    except Exception as exc:  # noqa: BLE001
                        tti.setdefault(name, {})["error"] = f"{type(exc).__name__}: {exc}".splitlines()[0][:80]
                    finally:
                        ctx.close()
                browser.close()
        finally:
            for p in procs:
                p.terminate()
                p.wait(timeout=30)
    load_after = " / ".join(f"{x:.2f}" for x in os.getloadavg())

    bare_t = statistics.median(tti["bare"]["times"])
    bare_rss = kern["bare"]["rss"]
    rows = []
    for name in ["bare", *(nb.relative_to(ROOT).as_posix() for nb in notebooks)]:
        t, k = tti.get(name, {}), kern.get(name, {})
        if "times" in t:
            med = statistics.median(t["times"])
            tti_cells = [_ms(med), f"{med / bare_t:.2f}×", _ms(t["times"][0]), f"{t['ws'] / 2**20:.2f} MiB"]
        else:
            tti_cells = [t.get("error", "–"), "", "", ""]
        mem = [f"{k['rss']:.0f} MiB", f"{k['rss'] / bare_rss:.2f}×"] if "rss" in k else [k.get("error", "–"), ""]
        if "p50" in k:
            lat_in = f"{k['input']} ({k['kind']})"
            klat = f"{_ms(k['p50'])} / {_ms(k['p95'])}" + (f" ({k['unchanged']} unchanged)" if k["unchanged"] else "")
        else:
            lat_in, klat = "–", "–"
        b = t.get("browser")
        blat = f"{_ms(statistics.median(b))} / {_ms(_p(b, 0.95))}" if b else t.get("browser_error", "–")
        label = "bare Voilà notebook (IntSlider, preheated)" if name == "bare" else name
        rows.append([label, *tti_cells, *mem, lat_in, klat, blat])
    return "\n".join(
        [
            "### Apps: time to interactive, kernel memory, update latency",
            "",
            f"Machine: {machine()}; load average (1/5/15 min) {load_before} before, {load_after} after.",
            f"TTI: median of {VISITS} visits (first one with a cold browser cache), preheated kernels for the suite "
            f"and the bare notebook alike; kernel latency over {KERNEL_REPS} changes, browser latency over "
            f"{BROWSER_REPS}. Preheated pools filled {t_fill:.0f} s after the server answered "
            f"({len(notebooks) + 1} kernels)."
            + (f" Server options: `{' '.join(SERVER_ARGS)}`." if SERVER_ARGS else ""),
            "",
            table(
                [
                    "notebook",
                    "TTI (median)",
                    "× bare",
                    "TTI first visit",
                    "websocket bytes (1st visit)",
                    "kernel RSS",
                    "× bare",
                    "input",
                    "kernel p50 / p95",
                    "browser p50 / p95",
                ],
                rows,
            ),
        ]
    )


if __name__ == "__main__":
    print(run())
