"""One visit to one app: over the kernel protocol (what a browser does, without drawing) or in a real page.

For training only, not for treating patients.  Re-exported by :mod:`bench.load`; import from there.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import sys
import time
import uuid
from dataclasses import dataclass, field

from .kernel import KernelSession, _probe_change
from .settings import ERROR_TEXT, HTTP_TIMEOUT, INTERACTION_TIMEOUT, PAGE_TIMEOUT, ROOT, WS_PROTOCOL

__all__ = ["visit"]


# --------------------------------------------------------------------------- one visit


@dataclass
class Visit:
    trainee: int
    notebook: str
    client: str = "ws"
    page_s: float | None = None
    tti_s: float | None = None
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    kernel_id: str | None = None
    left: str = ""
    benign: int = 0


def _interactions(pr: dict | None, ks: KernelSession) -> list[tuple[str, tuple[str, dict] | None, bool]]:
    """(name, change, check expect_text) in order."""
    steps: list[tuple[str, tuple[str, dict] | None, bool]] = []
    label = ks.find("itb-label-chooser")
    if pr:
        steps.append(("probe", _probe_change(ks, pr), True))
    if label:
        steps += [("label 2", (label, {"index": 1}), False), ("label 1", (label, {"index": 0}), False)]
    if pr and pr.get("kind", "text") != "click":
        steps += [("probe back", _probe_change(ks, pr, original=True), False), ("probe", _probe_change(ks, pr), True)]
    return steps


async def visit(
    base: str,
    notebook: str,
    trainee: int = 0,
    *,
    abrupt: bool = False,
    think: tuple[float, float] = (0.3, 1.0),
    rng: random.Random | None = None,
    dwell: tuple[float, float] | None = None,
    connect_delay: float = 0.0,
) -> Visit:
    """One trainee's visit of ``notebook`` with the websocket client; never raises."""
    import httpx
    import websockets

    rng = rng or random.Random(trainee)
    v = Visit(trainee, notebook)
    pr = _notebook_probe(notebook)
    t0 = time.perf_counter()
    try:
        async with httpx.AsyncClient(base_url=base, timeout=HTTP_TIMEOUT, follow_redirects=True) as http:
            async with asyncio.timeout(PAGE_TIMEOUT):
                r = await http.get(f"voila/render/{notebook}", timeout=PAGE_TIMEOUT)
            v.page_s = time.perf_counter() - t0
            if r.status_code != 200:
                v.errors.append(f"HTTP {r.status_code} for the page")
                return v
            page = r.text
            found = ERROR_TEXT.search(page) or re.search(r"application/vnd\.jupyter\.stderr", page)
            if found:
                v.errors.append(f"error text in the page: {found.group(0)!r}")
            m = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', page)
            if not m:
                title = re.search(r"<title>(.*?)</title>", page, re.S)
                v.errors.append(
                    f"no kernel id in the page ({len(page)} bytes, title "
                    f"{title.group(1).strip()[:80] if title else None!r}, ends {page[-160:]!r})"
                )
                return v
            v.kernel_id = kid = m.group(1)
            view_ids = set(re.findall(r'"model_id":\s*"([0-9a-f]{32})"', page))
            if connect_delay:
                await asyncio.sleep(connect_delay)  # the page's scripts loading
            r = await http.get(f"api/kernels/{kid}")
            if r.status_code != 200:
                v.errors.append(f"HTTP {r.status_code} for the kernel model")
                return v
            cookies = "; ".join(f"{k}={val}" for k, val in http.cookies.items())
            ws_url = base.replace("http://", "ws://") + f"api/kernels/{kid}/channels?session_id={uuid.uuid4()}"
            async with websockets.connect(
                ws_url,
                subprotocols=[WS_PROTOCOL],
                max_size=2**28,
                open_timeout=HTTP_TIMEOUT,
                additional_headers={"Cookie": cookies} if cookies else None,
                close_timeout=5,
            ) as ws:
                ks = KernelSession(ws, uuid.uuid4().hex)
                left = max(1.0, PAGE_TIMEOUT - (time.perf_counter() - t0))
                await ks.request("shell", "kernel_info_request", {}, left)
                control = uuid.uuid4().hex
                await ks.send(
                    "shell",
                    "comm_open",
                    {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}},
                    {"version": "1.0.0"},
                )
                left = max(1.0, PAGE_TIMEOUT - (time.perf_counter() - t0))
                await ks.request(
                    "shell", "comm_msg", {"comm_id": control, "data": {"method": "request_states"}}, left, idle=True
                )
                missing = view_ids - set(ks.states)
                if not ks.states or missing:
                    v.errors.append(f"widget states missing: {len(missing)} of {len(view_ids)} views")
                    return v
                v.tti_s = time.perf_counter() - t0
                _check_states(ks, v)
                ks._first_values = {m: st.get("index", st.get("value")) for m, st in ks.states.items()}
                for name, change, check in _interactions(pr, ks):
                    if change is None or change[0] is None:
                        v.errors.append(f"{name}: the control was not found")
                        continue
                    await asyncio.sleep(rng.uniform(*think))
                    mid, state = change
                    t1 = time.perf_counter()
                    if "__click__" in state:
                        data = {"method": "custom", "content": {"event": "click"}}
                    else:
                        data = {"method": "update", "state": state, "buffer_paths": []}
                    await ks.request(
                        "shell", "comm_msg", {"comm_id": mid, "data": data}, INTERACTION_TIMEOUT, idle=True
                    )
                    v.latencies.append(time.perf_counter() - t1)
                    if check and pr.get("expect_text") and pr["expect_text"] not in ks.text():
                        v.errors.append(f"{name}: {pr['expect_text']!r} not shown")
                    _check_states(ks, v)
                if dwell:
                    await asyncio.sleep(rng.uniform(*dwell))  # reading the app
                v.errors += ks.errors
                v.benign = ks.benign
            if abrupt:
                v.left = "dropped"
            else:
                # the page's beforeunload beacon: a form with the _xsrf cookie's value (empty without one)
                r = await http.post(f"voila/api/shutdown/{kid}", data={"_xsrf": http.cookies.get("_xsrf", "")})
                v.left = f"beacon {r.status_code}"
    except TimeoutError:
        v.errors.append("timeout" + (" before interactive" if v.tti_s is None else " in an interaction"))
    except Exception as exc:  # noqa: BLE001 - every failure is a counted error, the run goes on
        v.errors.append(f"{type(exc).__name__}: {str(exc)[:200]}")
    return v


def _check_states(ks: KernelSession, v: Visit) -> None:
    found = ERROR_TEXT.search(ks.text())
    if found:
        msg = f"error text in a widget: {found.group(0)!r}"
        if msg not in v.errors:
            v.errors.append(msg)
    for st in ks.states.values():
        for out in st.get("outputs", []) or []:
            if isinstance(out, dict) and (out.get("output_type") == "error" or out.get("name") == "stderr"):
                msg = f"error output in a widget: {str(out.get('ename') or out.get('text'))[:120]}"
                if msg not in v.errors:
                    v.errors.append(msg)


_PROBES: dict[str, dict | None] = {}


def _notebook_probe(notebook: str) -> dict | None:
    if notebook not in _PROBES:
        try:
            meta = json.loads((ROOT / notebook).read_text(encoding="utf-8")).get("metadata", {})
        except (OSError, ValueError):
            meta = {}
        _PROBES[notebook] = (meta.get("itb") or {}).get("probe")
    return _PROBES[notebook]


def app_paths() -> list[str]:
    """The notebooks the browser test opens (home first), relative to the repository."""
    sys.path.insert(0, str(ROOT / "tests" / "notebooks"))
    from _discovery import app_notebooks

    return [p.relative_to(ROOT).as_posix() for p in app_notebooks()]


# --------------------------------------------------------------------------- browser visit


async def browser_visit(browser, base: str, notebook: str, trainee: int, *, think=(0.3, 1.0), rng=None) -> Visit:
    """One visit in a fresh Playwright context: drawn app and plots, the probe applied; never raises."""
    rng = rng or random.Random(trainee)
    v = Visit(trainee, notebook, client="browser")
    pr = _notebook_probe(notebook) or {}
    ctx = await browser.new_context(viewport={"width": 1280, "height": 1000})
    page = await ctx.new_page()
    page.set_default_timeout(INTERACTION_TIMEOUT * 1000)
    try:
        t0 = time.perf_counter()
        resp = await page.goto(f"{base}voila/render/{notebook}", timeout=PAGE_TIMEOUT * 1000, wait_until="commit")
        if resp is None or resp.status != 200:
            v.errors.append(f"HTTP {resp.status if resp else 'none'} for the page")
            return v
        await page.wait_for_selector(".itb-app" if pr else ".itb-banner", state="visible", timeout=PAGE_TIMEOUT * 1000)
        if pr.get("plots"):
            await page.wait_for_function(
                "(n) => [...document.querySelectorAll('.js-plotly-plot')].filter("
                "p => [...p.querySelectorAll('g.trace path')].some(e => (e.getAttribute('d') || '').length > "
                "4)).length >= n",
                arg=int(pr["plots"]),
                timeout=PAGE_TIMEOUT * 1000,
            )
        v.tti_s = v.page_s = time.perf_counter() - t0
        if pr:
            await asyncio.sleep(rng.uniform(*think))
            t1 = time.perf_counter()
            scope = page.locator(f".itb-field-{pr['field']}").first
            kind = pr.get("kind", "text")
            if kind == "text":
                box = scope.locator("input").first
                await box.fill(str(pr["value"]))
                await box.press("Enter")
            elif kind == "slider":
                handle = scope.locator(".noUi-handle, [role=slider]").first
                await handle.focus()
                for _ in range(int(pr.get("steps", 1))):
                    await handle.press("ArrowRight")
            elif kind == "select":
                await scope.locator("select").first.select_option(label=str(pr["value"]))
            elif kind == "click":
                await scope.get_by_text(str(pr["value"]), exact=True).first.click()
            if pr.get("expect_text"):
                await (
                    page.locator(".itb-app")
                    .get_by_text(pr["expect_text"])
                    .first.wait_for(timeout=INTERACTION_TIMEOUT * 1000)
                )
            v.latencies.append(time.perf_counter() - t1)
        text = await page.inner_text("body")
        found = ERROR_TEXT.search(text)
        if found:
            v.errors.append(f"error text on the page: {found.group(0)!r}")
        if await page.locator('[data-mime-type="application/vnd.jupyter.stderr"]').count():
            v.errors.append("stderr shown on the page")
        v.left = "closed tab"
    except Exception as exc:  # noqa: BLE001 - a counted error
        v.errors.append(f"browser: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
    finally:
        try:
            await page.close(run_before_unload=True)  # the page's beacon shuts its kernel down
            await asyncio.sleep(0.5)
            await ctx.close()
        except Exception:  # noqa: BLE001
            pass
    return v
