"""A class on one server: simulated trainees open the served apps and move their controls at once.

For training only, not for treating patients.

    .venv/bin/python -m bench load                                  # 30 trainees, 120 s
    .venv/bin/python -m bench.load --trainees 30 --duration 120     # same, with options
    .venv/bin/python -m bench.load --trainees 6 --duration 30 --browsers 2

One server (``launcher.start_server``) on a free port of 127.0.0.1, its kernel pools
filled first, as on a server that has been up before the class.  Trainee ``i`` arrives at a
staggered time, opens app number ``i`` (round-robin over the notebooks the browser test covers),
works through it, leaves, and opens the next app until the duration is over (at most
``MAX_VISITS`` visits).  A visit is what a browser does, without drawing:

1. ``GET /voila/render/<notebook>`` (Voilà runs the notebook in a kernel, preheated if the
   app's pool has one), ``GET /api/kernels/<id>``;
2. the kernel websocket (``v1.kernel.websocket.jupyter.org``, as JupyterLab's services use it):
   ``kernel_info_request``, then the widget control comm's ``request_states``.  The app is
   *interactive* when every widget state has arrived: time to interactive (TTI) ends there;
3. the interactions: the notebook's probe (``metadata.itb.probe``) change, the label chooser to
   the second label and back, the probe field back to its first value, the probe change again.
   Each is a widget ``update`` message; its latency ends when the kernel reports idle for it,
   and the probe's ``expect_text`` must then be in the app's widgets;
4. leaving as a closing tab does (``POST /voila/api/shutdown/<id>``, the page's beacon), or, for
   the share ``--abrupt`` of visits, by dropping the connection (lid closed, Wi-Fi lost): that
   kernel is left to the idle culler.

``--browsers B`` makes B of the trainees real pages instead (Playwright contexts in one headless
``/usr/bin/chromium``): they wait for the app and its plots to be drawn and apply the probe as
the browser test does.

Errors (goal 0): HTTP errors, timeouts, error text in the page or in a widget (traceback, stderr,
the app's generic failure message), kernel ``error`` messages, dead kernels or dropped
websockets, a probe's expected text missing, and error lines (``[E``) in the server log.  Memory
is the RSS of the server and all its kernels (psutil, sampled every second; shared pages are
counted once per process, so the sum overstates the physical use).  Every wait has a timeout and
every loop a cap; the run stops by itself.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import html
import json
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from ._util import machine, table

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("ITB_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HOST = "127.0.0.1"
WS_PROTOCOL = "v1.kernel.websocket.jupyter.org"
#: Caps: visits per trainee, messages read while waiting for one reply.
MAX_VISITS = 20
MAX_MESSAGES = 5000
#: Seconds: page and interactivity, one interaction, one HTTP call, pool filling.
PAGE_TIMEOUT = 180.0
INTERACTION_TIMEOUT = 60.0
HTTP_TIMEOUT = 30.0
POOL_TIMEOUT = 120.0
#: Text a trainee must never see (the browser test's list plus the app's generic failure).
ERROR_TEXT = re.compile(
    r"Traceback \(most recent call last\)|There was an error when executing cell|Error displaying widget|"
    r"Model not found|Failed to load model class|Something went wrong while updating",
)
TAG = re.compile(r"<[^>]+>")
#: Kernel log lines that are not errors: ipykernel 7 routes a comm message before the comm_open
#: just ahead of it has been handled and logs this, then delivers the message normally.
BENIGN_STDERR = re.compile(r"^No such comm: [0-9a-f]+\s*$")
#: Bytes of available memory below which trainees stop opening apps (the machine is shared).
MEMORY_FLOOR = 6 * 2**30

__all__ = ["run", "main", "load_test", "ServerWatch", "kernel_pids", "visit", "LoadResult"]


# --------------------------------------------------------------------------- server side


def run_async(coro):
    """Run ``coro`` to completion in a thread of its own.

    ``asyncio.run`` refuses to start inside a thread that already has a running event loop
    (Playwright's sync API leaves one in the main thread of a pytest session).
    """
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()

def kernel_pids(server_pid: int) -> list[int]:
    """The pids of the kernels started by the server ``server_pid``."""
    try:
        children = psutil.Process(server_pid).children(recursive=True)
    except psutil.Error:
        return []
    out = []
    for c in children:
        try:
            if "ipykernel_launcher" in " ".join(c.cmdline()):
                out.append(c.pid)
        except psutil.Error:
            pass
    return out


def tree_rss(server_pid: int) -> int:
    """Bytes: RSS of the server and all its descendants."""
    try:
        procs = [psutil.Process(server_pid)]
        procs += procs[0].children(recursive=True)
    except psutil.Error:
        return 0
    total = 0
    for p in procs:
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total


class ServerWatch:
    """Samples the server's process tree every ``interval`` s in a thread: RSS and kernel count."""

    def __init__(self, server_pid: int, interval: float = 1.0):
        self.pid, self.interval = server_pid, interval
        self.samples: list[tuple[float, int, int]] = []  # (t, rss bytes, kernels)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self.t0 = time.monotonic()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=10)

    def _loop(self):
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> tuple[float, int, int]:
        s = (time.monotonic() - self.t0, tree_rss(self.pid), len(kernel_pids(self.pid)))
        self.samples.append(s)
        return s

    @property
    def peak_rss(self) -> int:
        return max((s[1] for s in self.samples), default=0)

    @property
    def peak_kernels(self) -> int:
        return max((s[2] for s in self.samples), default=0)

    def kernels_every(self, step: float) -> list[tuple[float, int]]:
        """(t, kernels) about every ``step`` seconds."""
        out, next_t = [], 0.0
        for t, _, k in self.samples:
            if t >= next_t:
                out.append((t, k))
                next_t = t + step
        return out


def server_log_errors(log: Path) -> list[str]:
    """Error lines (``[E ...``) of a jupyter server log."""
    try:
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    return [ln for ln in lines if ln.startswith("[E ")]


# --------------------------------------------------------------------------- kernel protocol

def _pack(channel: str, msg: dict) -> bytes:
    """A kernel message in the ``v1.kernel.websocket.jupyter.org`` framing."""
    parts = [json.dumps(msg[k]).encode() for k in ("header", "parent_header", "metadata", "content")]
    chan = channel.encode()
    offsets = [8 * (1 + 1 + len(parts) + 1)]
    offsets.append(offsets[-1] + len(chan))
    for p in parts:
        offsets.append(offsets[-1] + len(p))
    head = len(offsets).to_bytes(8, "little") + b"".join(o.to_bytes(8, "little") for o in offsets)
    return head + chan + b"".join(parts)


def _unpack(frame: bytes) -> tuple[str, dict]:
    n = int.from_bytes(frame[:8], "little")
    offs = [int.from_bytes(frame[8 * (i + 1):8 * (i + 2)], "little") for i in range(n)]
    channel = frame[offs[0]:offs[1]].decode()
    parts = [frame[offs[i]:offs[i + 1]] for i in range(1, n - 1)]
    header, parent, metadata, content = (json.loads(p) for p in parts[:4])
    return channel, {"header": header, "parent_header": parent, "metadata": metadata, "content": content,
                     "buffers": parts[4:]}


class KernelSession:
    """One trainee's kernel websocket: send a message, read until its reply or its idle status."""

    def __init__(self, ws, session: str):
        self.ws, self.session = ws, session
        self.states: dict[str, dict] = {}          # model_id -> state
        self.errors: list[str] = []
        self.benign = 0                             # kernel log lines known to be harmless
        self._first_values: dict[str, object] = {}  # model_id -> value or index when interactive

    def _msg(self, msg_type: str, content: dict, metadata: dict | None = None) -> dict:
        return {"header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "trainee",
                           "session": self.session, "date": dt.datetime.now(dt.UTC).isoformat(),
                           "version": "5.3"},
                "parent_header": {}, "metadata": metadata or {}, "content": content}

    async def send(self, channel: str, msg_type: str, content: dict, metadata: dict | None = None) -> str:
        msg = self._msg(msg_type, content, metadata)
        await self.ws.send(_pack(channel, msg))
        return msg["header"]["msg_id"]

    def _watch(self, channel: str, msg: dict) -> None:
        """Keep widget states current and note anything a trainee must not see."""
        mt, c = msg["header"].get("msg_type"), msg["content"]
        if mt == "error":
            self.errors.append(f"kernel error: {c.get('ename')}: {c.get('evalue')}")
        elif mt == "stream" and c.get("name") == "stderr":
            if BENIGN_STDERR.match(c.get("text", "")):
                self.benign += 1
            else:
                self.errors.append(f"stderr: {c.get('text', '')[:200]}")
        elif mt == "status" and c.get("execution_state") in ("dead", "restarting"):
            self.errors.append(f"kernel {c['execution_state']}")
        elif mt == "comm_msg":
            data = c.get("data", {})
            if data.get("method") in ("update", "echo_update"):
                self.states.setdefault(c.get("comm_id"), {}).update(data.get("state", {}))
            elif data.get("method") == "update_states":
                for mid, st in data.get("states", {}).items():
                    self.states[mid] = {**st.get("state", {}), "_model_name": st.get("model_name", "")}
        elif mt == "comm_open":
            d = c.get("data", {})
            self.states[c.get("comm_id")] = {**d.get("state", {})}

    async def until(self, done, timeout: float) -> dict:
        """Read messages until ``done(channel, msg)`` is true; return that message."""
        async with asyncio.timeout(timeout):
            for _ in range(MAX_MESSAGES):
                frame = await self.ws.recv()
                if isinstance(frame, str):
                    continue
                channel, msg = _unpack(frame)
                self._watch(channel, msg)
                if done(channel, msg):
                    return msg
        raise RuntimeError(f"no reply within {MAX_MESSAGES} messages")

    async def request(self, channel: str, msg_type: str, content: dict, timeout: float, *, idle: bool = False,
                      metadata: dict | None = None) -> dict:
        """Send; wait for the reply (shell) or, with ``idle``, the kernel's idle status for it."""
        mid = await self.send(channel, msg_type, content, metadata)

        def done(ch, m):
            if m["parent_header"].get("msg_id") != mid:
                return False
            if idle:
                return m["header"]["msg_type"] == "status" and m["content"].get("execution_state") == "idle"
            return ch == "shell"
        return await self.until(done, timeout)

    # widget helpers ------------------------------------------------------------------------
    def text(self) -> str:
        """The visible text of all widgets: values, descriptions, output streams, tags stripped."""
        out = []
        for st in self.states.values():
            for k in ("value", "description", "_options_labels", "outputs"):
                v = st.get(k)
                if isinstance(v, str):
                    out.append(v)
                elif isinstance(v, list):
                    out.append(json.dumps(v, ensure_ascii=False))
        return html.unescape(TAG.sub(" ", " ".join(out))).replace("\\n", " ")

    def find(self, css: str) -> str | None:
        for mid, st in self.states.items():
            if css in (st.get("_dom_classes") or ()):
                return mid
        return None

    def descendants(self, mid: str, cap: int = 500) -> list[str]:
        out, todo = [], [mid]
        while todo and len(out) < cap:
            m = todo.pop(0)
            out.append(m)
            for ref in self.states.get(m, {}).get("children", []) or []:
                if isinstance(ref, str) and ref.startswith("IPY_MODEL_"):
                    todo.append(ref.removeprefix("IPY_MODEL_"))
        return out

    def first(self, mid: str, *model_names: str) -> str | None:
        for m in self.descendants(mid):
            if self.states.get(m, {}).get("_model_name") in model_names:
                return m
        return None


def _probe_change(ks: KernelSession, pr: dict, original: bool = False) -> tuple[str, dict] | None:
    """(model_id, state change) for the probe; ``original``: back to the value before it."""
    scope = ks.find(f"itb-field-{pr['field']}")
    if scope is None:
        return None
    kind = pr.get("kind", "text")
    if kind == "text":
        mid = ks.first(scope, "TextModel", "TextareaModel")
        return (mid, {"value": ks._first_values[mid] if original else str(pr["value"])}) if mid else None
    if kind == "slider":
        mid = next((m for m in ks.descendants(scope) if ks.states[m].get("_model_name", "").endswith("SliderModel")),
                   None)
        if mid is None:
            return None
        st = ks.states[mid]
        v0 = ks._first_values[mid]
        if original:
            return mid, {"value": v0}
        if isinstance(v0, list):
            return None
        return mid, {"value": min(st.get("max", v0), v0 + st.get("step", 1) * int(pr.get("steps", 1)))}
    if kind in ("select", "click"):
        mid = ks.first(scope, "DropdownModel", "SelectModel", "RadioButtonsModel", "ToggleButtonsModel")
        if mid is not None:
            labels = ks.states[mid].get("_options_labels", [])
            if str(pr["value"]) not in labels:
                return None
            return mid, {"index": ks._first_values[mid] if original else labels.index(str(pr["value"]))}
        if kind == "click" and not original:
            btn = next((m for m in ks.descendants(scope) if ks.states[m].get("_model_name") == "ButtonModel"
                        and ks.states[m].get("description") == str(pr["value"])), None)
            return (btn, {"__click__": True}) if btn else None
    return None


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


async def visit(base: str, notebook: str, trainee: int = 0, *, abrupt: bool = False, think: tuple[float, float] = (0.3,
                                                                                                                   1.0),
                rng: random.Random | None = None, dwell: tuple[float, float] | None = None,
                connect_delay: float = 0.0) -> Visit:
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
                v.errors.append(f"no kernel id in the page ({len(page)} bytes, title "
                                f"{title.group(1).strip()[:80] if title else None!r}, ends {page[-160:]!r})")
                return v
            v.kernel_id = kid = m.group(1)
            view_ids = set(re.findall(r'"model_id":\s*"([0-9a-f]{32})"', page))
            if connect_delay:
                await asyncio.sleep(connect_delay)   # the page's scripts loading
            r = await http.get(f"api/kernels/{kid}")
            if r.status_code != 200:
                v.errors.append(f"HTTP {r.status_code} for the kernel model")
                return v
            cookies = "; ".join(f"{k}={val}" for k, val in http.cookies.items())
            ws_url = base.replace("http://", "ws://") + f"api/kernels/{kid}/channels?session_id={uuid.uuid4()}"
            async with websockets.connect(ws_url, subprotocols=[WS_PROTOCOL], max_size=2**28, open_timeout=HTTP_TIMEOUT,
                                          additional_headers={"Cookie": cookies} if cookies else None,
                                          close_timeout=5) as ws:
                ks = KernelSession(ws, uuid.uuid4().hex)
                left = max(1.0, PAGE_TIMEOUT - (time.perf_counter() - t0))
                await ks.request("shell", "kernel_info_request", {}, left)
                control = uuid.uuid4().hex
                await ks.send("shell", "comm_open", {"comm_id": control, "target_name": "jupyter.widget.control",
                                                     "data": {}}, {"version": "1.0.0"})
                left = max(1.0, PAGE_TIMEOUT - (time.perf_counter() - t0))
                await ks.request("shell", "comm_msg", {"comm_id": control, "data": {"method": "request_states"}}, left,
                                 idle=True)
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
                    await ks.request("shell", "comm_msg", {"comm_id": mid, "data": data}, INTERACTION_TIMEOUT,
                                     idle=True)
                    v.latencies.append(time.perf_counter() - t1)
                    if check and pr.get("expect_text") and pr["expect_text"] not in ks.text():
                        v.errors.append(f"{name}: {pr['expect_text']!r} not shown")
                    _check_states(ks, v)
                if dwell:
                    await asyncio.sleep(rng.uniform(*dwell))   # reading the app
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
                arg=int(pr["plots"]), timeout=PAGE_TIMEOUT * 1000)
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
                await page.locator(".itb-app").get_by_text(pr["expect_text"]).first.wait_for(
                    timeout=INTERACTION_TIMEOUT * 1000)
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
            await page.close(run_before_unload=True)   # the page's beacon shuts its kernel down
            await asyncio.sleep(0.5)
            await ctx.close()
        except Exception:  # noqa: BLE001
            pass
    return v


# --------------------------------------------------------------------------- the class

@dataclass
class LoadResult:
    trainees: int
    duration: float
    visits: list[Visit]
    samples: list[tuple[float, int, int]]
    peak_rss: int
    peak_kernels: int
    pool_kernels: int
    kernels_after: int
    log_errors: list[str]
    wall_s: float
    ready_s: float

    @property
    def errors(self) -> list[str]:
        out = [f"{v.notebook} (trainee {v.trainee}): {e}" for v in self.visits for e in v.errors]
        return out + [f"server log: {ln[:200]}" for ln in self.log_errors]

    @property
    def tti(self) -> list[float]:
        return [v.tti_s for v in self.visits if v.tti_s is not None]

    @property
    def latencies(self) -> list[float]:
        return [x for v in self.visits for x in v.latencies]

    def reached_interactive(self) -> set[int]:
        return {v.trainee for v in self.visits if v.tti_s is not None}


async def _trainee(i: int, base: str, apps: list[str], deadline: float, start_at: float, abrupt: float, browser,
                   visits: list[Visit], dwell: tuple[float, float]) -> None:
    rng = random.Random(1000 + i)
    await asyncio.sleep(max(0.0, start_at - time.monotonic()))
    for k in range(MAX_VISITS):
        if k and time.monotonic() >= deadline:
            break
        if psutil.virtual_memory().available < MEMORY_FLOOR:
            visits.append(Visit(i, "(memory guard)", errors=["stopped: less than 6 GiB of memory available"]))
            break
        nb = apps[(i + k) % len(apps)]
        if browser is not None:
            v = await browser_visit(browser, base, nb, i, rng=rng)
        else:
            v = await visit(base, nb, i, abrupt=rng.random() < abrupt, rng=rng, dwell=dwell)
        visits.append(v)
        await asyncio.sleep(rng.uniform(0.5, 2.0))   # reading the home page, choosing the next app


async def _class(base: str, apps: list[str], trainees: int, duration: float, ramp: float, abrupt: float,
                 browsers: int, dwell: tuple[float, float]) -> list[Visit]:
    visits: list[Visit] = []
    now = time.monotonic()
    deadline = now + duration
    pw = browser = None
    try:
        if browsers:
            from playwright.async_api import async_playwright
            pw = await async_playwright().start()
            browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True,
                                               timeout=60_000)
        tasks = [_trainee(i, base, apps, deadline, now + ramp * i / max(1, trainees), abrupt,
                          browser if i < browsers else None, visits, dwell) for i in range(trainees)]
        # hard bound: the last visit may start just before the deadline and run to its own timeouts
        async with asyncio.timeout(duration + ramp + PAGE_TIMEOUT + 6 * INTERACTION_TIMEOUT + dwell[1]):
            await asyncio.gather(*tasks)
    except TimeoutError:
        visits.append(Visit(-1, "(the class)", errors=["the run hit its overall time bound"]))
    finally:
        if browser is not None:
            await browser.close()
        if pw is not None:
            await pw.stop()
    return visits


def wait_for_pools(server_pid: int, expected: int, timeout: float = POOL_TIMEOUT, settle: float = 3.0) -> int:
    """Wait until the server runs ``expected`` kernels and its CPU settles; return the kernel count."""
    deadline = time.monotonic() + timeout
    n = 0
    while time.monotonic() < deadline:
        n = len(kernel_pids(server_pid))
        if n >= expected:
            break
        time.sleep(0.5)
    # the pools' notebooks are executing: wait for the tree to go quiet (bounded)
    while time.monotonic() < deadline:
        try:
            procs = [psutil.Process(server_pid), *psutil.Process(server_pid).children(recursive=True)]
            cpu = sum(p.cpu_percent(interval=None) for p in procs)
            time.sleep(settle)
            cpu = sum(p.cpu_percent(interval=None) for p in procs)
        except psutil.Error:
            break
        if cpu < 20:
            break
    return len(kernel_pids(server_pid))


def load_test(trainees: int = 30, duration: float = 120.0, *, ramp: float | None = None, abrupt: float = 0.0,
              browsers: int = 0, apps: list[str] | None = None, server_args: tuple[str, ...] = (),
              log_path: Path | None = None, drain: float = 15.0, dwell: tuple[float, float] = (10.0,
                                                                                               30.0)) -> LoadResult:
    """Serve the suite on 127.0.0.1, run the class, stop the server; bounded in time.

    ``dwell``: seconds a trainee stays on an app after the interactions (uniform in the range).
    """
    from launcher import ONE_ADDRESS_CLASS, free_port, start_server, wait_until_ready
    from launcher import app_notebooks as pooled

    apps = apps or app_paths()
    ramp = min(15.0, duration / 4) if ramp is None else ramp
    tmp = None
    if log_path is None:
        tmp = tempfile.TemporaryDirectory()
        log_path = Path(tmp.name) / "voila.log"
    port = free_port()
    base = f"http://{HOST}:{port}/"
    t_start = time.monotonic()
    proc = start_server(port, *ONE_ADDRESS_CLASS, *server_args, log_path=log_path)
    try:
        wait_until_ready(base + "voila/tree", timeout=90, proc=proc)
        preheat = not any("preheat_kernel=false" in a.lower() for a in server_args)
        pool = wait_for_pools(proc.pid, expected=len(pooled()) if preheat else 0)
        ready_s = time.monotonic() - t_start
        with ServerWatch(proc.pid) as watch:
            visits = run_async(_class(base, apps, trainees, duration, ramp, abrupt, browsers, dwell))
            # departed trainees' kernels go (shutdown beacon); the pools refill
            deadline = time.monotonic() + drain
            while time.monotonic() < deadline and len(kernel_pids(proc.pid)) > pool:
                time.sleep(1)
            watch.sample()
        after = len(kernel_pids(proc.pid))
        if proc.poll() is not None:
            visits.append(Visit(-1, "(server)", errors=[f"the server exited with code {proc.returncode}"]))
        return LoadResult(trainees, duration, visits, watch.samples, watch.peak_rss, watch.peak_kernels, pool, after,
                          server_log_errors(log_path), time.monotonic() - t_start, ready_s)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except Exception:  # noqa: BLE001
            proc.kill()
            proc.wait(timeout=10)
        if tmp is not None:
            tmp.cleanup()


# --------------------------------------------------------------------------- report

def _q(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(q * (len(xs) - 1))))]


def _s(x: float) -> str:
    return f"{x:.2f} s" if x < 10 else f"{x:.1f} s"


def _dist(xs: list[float]) -> list[str]:
    if not xs:
        return ["–"] * 5
    return [str(len(xs)), _s(min(xs)), _s(statistics.median(xs)), _s(_q(xs, 0.95)), _s(max(xs))]


def report(res: LoadResult) -> str:
    ws = [v for v in res.visits if v.client == "ws" and v.trainee >= 0]
    br = [v for v in res.visits if v.client == "browser"]
    rows = [["time to interactive (websocket client)", *_dist([v.tti_s for v in ws if v.tti_s is not None])],
            ["  page only (GET /voila/render/…)", *_dist([v.page_s for v in ws if v.page_s is not None and v.tti_s])],
            ["interaction (update → kernel idle)", *_dist([x for v in ws for x in v.latencies])]]
    if br:
        rows += [["time to interactive (chromium, drawn)", *_dist([v.tti_s for v in br if v.tti_s is not None])],
                 ["probe (input → expected text drawn)", *_dist([x for v in br for x in v.latencies])]]
    per_app = []
    for nb in sorted({v.notebook for v in res.visits if v.trainee >= 0}):
        t = [v.tti_s for v in res.visits if v.notebook == nb and v.tti_s is not None]
        n = sum(1 for v in res.visits if v.notebook == nb)
        per_app.append([nb, str(n), _s(statistics.median(t)) if t else "–", _s(max(t)) if t else "–",
                        str(sum(len(v.errors) for v in res.visits if v.notebook == nb))])
    timeline = ", ".join(f"{t:.0f} s: {k}" for t, k in res_kernels(res))
    left: dict[str, int] = {}
    for v in res.visits:
        if v.left:
            left[v.left] = left.get(v.left, 0) + 1
    leaving = ", ".join(f"{n} × {k}" for k, n in sorted(left.items())) or "–"
    if any(k.startswith("beacon 403") for k in left):
        leaving += (" (the page's shutdown beacon is refused for want of an _xsrf cookie: those kernels stay until"
                    " the idle culler takes them)")
    errs = res.errors
    lines = [
        f"### Load: {res.trainees} trainees for {res.duration:.0f} s on one Voilà server", "",
        f"{len(res.visits)} visits by {len(res.reached_interactive())} of {res.trainees} trainees who reached an "
        f"interactive app; {sum(len(v.latencies) for v in res.visits)} interactions; "
        f"**errors: {len(errs)}**. Server ready with full pools in {res.ready_s:.0f} s; whole run {res.wall_s:.0f} s.",
        "",
        table(["measure", "n", "min", "median", "p95", "max"], rows), "",
        table(["notebook", "visits", "median TTI", "max TTI", "errors"], per_app), "",
        f"Peak memory (RSS, server + all kernels): **{res.peak_rss / 2**20:.0f} MiB** "
        f"(pools alone: {res.samples[0][1] / 2**20:.0f} MiB); peak kernels: {res.peak_kernels} "
        f"(pools: {res.pool_kernels}); kernels after the class left: {res.kernels_after}.", "",
        f"Kernels over time: {timeline}.", "",
        f"Leaving: {leaving}. Harmless kernel log lines (ipykernel 7 \"No such comm\" race): "
        f"{sum(v.benign for v in res.visits)}.",
    ]
    if errs:
        lines += ["", "Errors (first 10):", *[f"- {e}" for e in errs[:10]]]
    return "\n".join(lines)


def res_kernels(res: LoadResult) -> list[tuple[float, int]]:
    step = max(5.0, (res.samples[-1][0] if res.samples else 0) / 12)
    out, next_t = [], 0.0
    for t, _, k in res.samples:
        if t >= next_t:
            out.append((t, k))
            next_t = t + step
    if res.samples and out[-1][0] != res.samples[-1][0]:
        out.append((res.samples[-1][0], res.samples[-1][2]))
    return out


def run() -> str:
    """``python -m bench load``: 30 trainees for 120 s (ITB_LOAD_TRAINEES / ITB_LOAD_DURATION)."""
    trainees = int(os.environ.get("ITB_LOAD_TRAINEES", "30"))
    duration = float(os.environ.get("ITB_LOAD_DURATION", "120"))
    return f"Machine: {machine()}\n\n" + report(load_test(trainees, duration))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n")[0])
    ap.add_argument("--trainees", type=int, default=30)
    ap.add_argument("--duration", type=float, default=120.0, help="seconds during which trainees start new visits")
    ap.add_argument("--ramp", type=float, default=None,
                    help="seconds over which trainees arrive (default: min(15, duration/4))")
    ap.add_argument("--abrupt", type=float, default=0.0,
                    help="share of visits that drop the connection instead of closing the tab")
    ap.add_argument("--browsers", type=int, default=0,
                    help="how many trainees are chromium pages instead of websocket clients")
    ap.add_argument("--dwell", type=float, nargs=2, default=(10.0, 30.0), metavar=("MIN", "MAX"),
                    help="seconds a trainee stays on an app after the interactions")
    ap.add_argument("--log", type=Path, default=None, help="keep the server log here")
    ap.add_argument("--json", type=Path, default=None, help="write the raw visits and samples here")
    ap.add_argument("server_args", nargs="*",
                    help="extra Voilà options after --, e.g. -- --MappingKernelManager.cull_idle_timeout=60")
    a = ap.parse_args(argv)
    before = os.getloadavg()[0]
    res = load_test(a.trainees, a.duration, ramp=a.ramp, abrupt=a.abrupt, browsers=a.browsers,
                    server_args=tuple(a.server_args), log_path=a.log, dwell=tuple(a.dwell))
    print(f"Machine: {machine()}, load average before: {before:.2f}\n")
    print(report(res))
    if a.json:
        a.json.write_text(json.dumps({"visits": [v.__dict__ for v in res.visits], "samples": res.samples,
                                      "log_errors": res.log_errors}, indent=1), encoding="utf-8")
    return 0 if not res.errors else 1


if __name__ == "__main__":
    sys.exit(main())
