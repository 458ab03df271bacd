"""Attacks on the real launcher, replayed on loopback: each is refused or bounded.

The server is ``python -m widgets.serve`` on 127.0.0.1 with preheating off (every page starts its own
kernel, so the cap is reached quickly), a kernel cap of 3, a kernel age limit of 8 s and the default
memory limit.  Requests are few and bounded in time; nothing leaves the machine.
"""
from __future__ import annotations

import asyncio
import re
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from bench.load import WS_PROTOCOL, KernelSession
from widgets.serve import free_port, start_server, stop_server, wait_until_ready

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
MAX_KERNELS = 3
MAX_AGE = 8.0


@pytest.fixture(scope="module")
def server():
    ARTIFACTS.mkdir(exist_ok=True)
    port = free_port()
    log = ARTIFACTS / "voila-attacks.log"
    proc = start_server(port, "--VoilaConfiguration.preheat_kernel=False", log_path=log,
                        env={"ITB_MAX_KERNELS": str(MAX_KERNELS), "ITB_KERNEL_MAX_AGE": str(MAX_AGE)})
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_until_ready(base, timeout=90, proc=proc)
        _PROC[:] = [proc]
        yield base, proc, log
    finally:
        stop_server(proc)


def _get(base: str, path: str, timeout: float = 120) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(base + path, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


_PROC: list = []


def _kernels(base: str) -> list[int]:
    """The kernel processes of the server under test (Voilà exposes no kernel listing, on purpose)."""
    import psutil
    found = []
    for p in psutil.Process(_PROC[0].pid).children(recursive=True):
        try:
            if p.status() != psutil.STATUS_ZOMBIE and "ipykernel" in " ".join(p.cmdline()):
                found.append(p.pid)
        except psutil.Error:  # gone or a zombie: not a live kernel
            pass
    return sorted(found)


TRAVERSALS = [
    "voila/render/exercises/..%2fbench%2fX.ipynb",
    "voila/render/exercises/..%2Fexercises%2Fsolutions%2Fdilution.ipynb",
    "voila/render/notebooks/%2e%2e/exercises/solutions/dilution.ipynb",
    "voila/render/notebooks/%2E%2E/exercises/source/dilution.ipynb",
    "voila/render/notebooks/%252e%252e/exercises/solutions/dilution.ipynb",
    "voila/render/notebooks/..%5cexercises%5csolutions%5cdilution.ipynb",
    "voila/render/exercises/solutions/dilution.ipynb",
    "voila/render/exercises/source/dilution.ipynb",
    "voila/render/exercises/%73olutions/dilution.ipynb",
    "voila/render/notebooks/../tests/notebooks/refresh_outputs.py",
    "voila/render/bench/__init__.py",
]


@pytest.mark.timeout(300)
@pytest.mark.parametrize("path", TRAVERSALS)
def test_encoded_traversal_and_answers_are_never_rendered(server, path):
    base, _proc, _log = server
    before = set(_kernels(base))
    status, body = _get(base, path)
    assert status == 404, (path, status)
    assert "solution" not in body.lower() or "BEGIN SOLUTION" not in body
    assert set(_kernels(base)) <= before, "a refused path started a kernel"


@pytest.mark.timeout(120)
@pytest.mark.parametrize("path", ["voila/tree", "voila/tree/exercises/solutions", "voila/api/contents",
                                  "voila/api/contents/exercises/solutions", "voila/api/contents/.venv",
                                  "voila/files/exercises/solutions/ANSWER_KEY.md", "voila/files/.git/config"])
def test_listings_and_answer_files_are_not_reachable(server, path):
    base, _proc, _log = server
    status, body = _get(base, path)
    assert status in (403, 404), (path, status)
    assert "ANSWER" not in body and "dilution" not in body


@pytest.mark.timeout(600)
def test_the_kernel_cap_gives_a_class_is_full_page_and_old_kernels_are_shut_down(server):
    base, _proc, _log = server
    while len(_kernels(base)) >= MAX_KERNELS:  # the visits of earlier tests age out first
        time.sleep(1)
    # a trainee notebook renders (allowed), and so do apps, up to the cap
    statuses = []
    for path in ["voila/render/exercises/trainee/dilution.ipynb", "voila/render/notebooks/units.ipynb",
                 "voila/render/notebooks/index.ipynb", "voila/render/notebooks/units.ipynb"]:
        statuses.append(_get(base, path)[0])
        if statuses[-1] == 503:
            break
    assert statuses[0] == 200 and 503 in statuses, statuses
    status, body = _get(base, "voila/render/notebooks/units.ipynb")
    assert status == 503 and "The class is full" in body and "not for treating patients" in body
    assert len(_kernels(base)) <= MAX_KERNELS
    # the kernel age limit frees the places again, busy or not (a preheated kernel may wait in its pool)
    deadline = time.monotonic() + 90
    while len(_kernels(base)) >= MAX_KERNELS and time.monotonic() < deadline:
        time.sleep(2)
    assert len(_kernels(base)) < MAX_KERNELS, "kernels older than the age limit were not shut down"
    assert "older than" in _log.read_text(encoding="utf-8", errors="replace")
    # A kernel's process exits a moment before the kernel manager lets go of its id (the culler
    # shuts kernels down one after another): the trainee who is told "try again in a minute" gets in.
    statuses = []
    while time.monotonic() < deadline + 30:
        statuses.append(_get(base, "voila/render/notebooks/units.ipynb")[0])
        if statuses[-1] != 503:
            break
        time.sleep(2)
    assert statuses[-1] == 200, statuses


@pytest.mark.timeout(300)
def test_kernels_run_under_a_memory_limit(server):
    base, _proc, _log = server
    assert _get(base, "voila/render/notebooks/units.ipynb")[0] == 200
    kernels = _kernels(base)
    assert kernels, "no kernel process found"
    limits = Path(f"/proc/{kernels[-1]}/limits").read_text()
    line = next(ln for ln in limits.splitlines() if ln.startswith("Max data size"))
    assert "unlimited" not in line.split()[3], line


async def _session(base: str, notebook: str):
    import httpx
    import websockets

    http = httpx.AsyncClient(base_url=base, timeout=60, follow_redirects=True)
    r = await http.get(f"voila/render/{notebook}", timeout=180)
    assert r.status_code == 200, r.status_code
    kid = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', r.text).group(1)
    cookies = "; ".join(f"{k}={v}" for k, v in http.cookies.items())
    ws = await websockets.connect(base.replace("http://", "ws://") + f"api/kernels/{kid}/channels?session_id="
                                  f"{uuid.uuid4()}", subprotocols=[WS_PROTOCOL], max_size=2**28,
                                  additional_headers={"Cookie": cookies} if cookies else None)
    ks = KernelSession(ws, uuid.uuid4().hex)
    await ks.request("shell", "kernel_info_request", {}, 60)
    control = uuid.uuid4().hex
    await ks.send("shell", "comm_open", {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}},
                  {"version": "1.0.0"})
    await ks.request("shell", "comm_msg", {"comm_id": control, "data": {"method": "request_states"}}, 60, idle=True)
    return http, ws, ks, kid


async def _update(ks: KernelSession, mid: str, state: dict) -> None:
    await ks.request("shell", "comm_msg", {"comm_id": mid, "data": {"method": "update", "state": state,
                                                                     "buffer_paths": []}}, 60, idle=True)


@pytest.mark.timeout(600)
def test_the_server_does_not_trust_the_browser(server):
    base, _proc, log = server
    while len(_kernels(base)) >= MAX_KERNELS - 1:  # room for this visit (the age limit frees places)
        time.sleep(1)

    async def attack():
        http, ws, ks, kid = await _session(base, "notebooks/pk.ipynb")
        try:
            sliders = [m for m, st in ks.states.items() if st.get("_model_name") == "FloatSliderModel"]
            texts = [m for m, st in ks.states.items() if st.get("_model_name") == "TextModel"]
            assert sliders and texts
            s = sliders[0]
            old_max = ks.states[s]["max"]
            await _update(ks, s, {"max": 1e12, "value": 1e12})      # a forged slider bound
            await _update(ks, s, {"value": "abc"})                   # a wrong-typed update
            await _update(ks, texts[0], {"value": "x" * 5_000_000})  # a 5 MB text
            await _update(ks, texts[0], {"value": "9**9**9 µg/day"})  # an expression
            await _update(ks, texts[0], {"disabled": True, "description": "<script>alert(1)</script>"})
            assert ks.states[s]["max"] == old_max and ks.states[s]["value"] <= old_max
            assert not any(e.startswith("kernel error") for e in ks.errors), ks.errors
            assert not any("Traceback" in e or 'File "' in e for e in ks.errors), ks.errors
            assert len(ks.states[texts[0]].get("value", "")) < 1000
            # the app still answers: a good value is taken
            await _update(ks, texts[0], {"value": "500 ug/day"})
            assert not ks.errors, ks.errors
        finally:
            await ws.close()
            await http.post(f"voila/api/shutdown/{kid}", data={"_xsrf": http.cookies.get("_xsrf", "")})
            await http.aclose()

    asyncio.run(asyncio.wait_for(attack(), 400))
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "ignored browser state" in text and "refused a browser update" in text


@pytest.mark.timeout(120)
def test_what_is_already_refused_stays_refused(server):
    base, _proc, _log = server
    # no code-executing API, no terminals, no arbitrary file from the root
    for path in ["api/contents", "api/terminals", "terminals/1", "api/sessions", "voila/files/itbcore/units.py",
                 "voila/files/pyproject.toml", "voila/files/%2e%2e/%2e%2e/etc/passwd",
                 "voila/render/%2e%2e/etc/passwd"]:
        status, body = _get(base, path)
        assert status in (403, 404, 405), (path, status)
        assert "root:" not in body
    # XSS in the path is not reflected
    status, body = _get(base, "voila/render/notebooks/%3Cscript%3Ealert(1)%3C%2Fscript%3E.ipynb")
    assert status == 404 and "<script>alert(1)</script>" not in body
