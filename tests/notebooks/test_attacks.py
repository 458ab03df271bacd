"""Attacks on the real launcher, replayed on loopback: each is refused or bounded.

The server is ``python -m launcher`` on 127.0.0.1 with preheating off (every page starts its own
kernel, so the cap is reached quickly), a kernel cap of 3, a kernel age limit of 8 s and the default
memory limit.  Requests are few and bounded in time; nothing leaves the machine.  The server's environment
has no ``PYTEST_CURRENT_TEST`` (ipykernel then forwards its file descriptor 2 to the page, as in a class).

A second server (``room``) keeps its kernels (no age limit), preheats the product-information app only, and
bounds places per client address (2) and inactivity (20 s).  Client addresses other than 127.0.0.1 are
other loopback addresses (127.0.0.x), still on this machine.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import json
import os
import re
import socket
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from bench.load import WS_PROTOCOL, KernelSession
from launcher import app_notebooks, free_port, start_server, stop_server, wait_until_ready

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
MAX_KERNELS = 3
MAX_AGE = 8.0
WS_PER_KERNEL, WS_PER_CLIENT = 3, 2
WRITE_BUFFER = 1024**2
ROOM_PER_CLIENT, ROOM_INACTIVITY = 2, 20.0


def _start(port: int, *args: str, log: Path, env: dict) -> object:
    """The launcher as a class runs it: without pytest's marker in the environment (ipykernel forwards fd 2)."""
    saved = os.environ.pop("PYTEST_CURRENT_TEST", None)
    try:
        return start_server(port, *args, log_path=log, env=env)
    finally:
        if saved is not None:
            os.environ["PYTEST_CURRENT_TEST"] = saved


def _attack_server(log_name: str, max_age: float):
    ARTIFACTS.mkdir(exist_ok=True)
    port = free_port()
    log = ARTIFACTS / log_name
    proc = _start(
        port,
        "--VoilaConfiguration.preheat_kernel=False",
        log=log,
        env={
            "ITB_MAX_KERNELS": str(MAX_KERNELS),
            "ITB_KERNEL_MAX_AGE": str(max_age),
            "ITB_MAX_WEBSOCKETS_PER_KERNEL": str(WS_PER_KERNEL),
            "ITB_MAX_WEBSOCKETS_PER_CLIENT": str(WS_PER_CLIENT),
            "ITB_WEBSOCKET_WRITE_BUFFER": str(WRITE_BUFFER),
        },
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_until_ready(base, timeout=90, proc=proc)
        _PROC[base] = proc
        yield base, proc, log
    finally:
        stop_server(proc)


@pytest.fixture(scope="module")
def server():
    yield from _attack_server("voila-attacks.log", MAX_AGE)


@pytest.fixture(scope="module")
def server_without_age_limit():
    """The same bounds but no kernel age limit: the slow-reader test outlives 8 s on a loaded machine, and the age
    limit shut its kernel down before the reading websocket's check (a clean-clone run, 2026-12-04)."""
    yield from _attack_server("voila-attacks-slow.log", 0)


def _get(base: str, path: str, timeout: float = 120) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(base + path, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


_PROC: dict = {}  # base URL -> the server process (two servers in this module)


def _kernels(base: str) -> list[int]:
    """The kernel processes of the server under test (Voilà exposes no kernel listing, on purpose)."""
    import psutil

    found = []
    for p in psutil.Process(_PROC[base].pid).children(recursive=True):
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
@pytest.mark.parametrize(
    "path",
    [
        "voila/tree",
        "voila/tree/exercises/solutions",
        "voila/api/contents",
        "voila/api/contents/exercises/solutions",
        "voila/api/contents/.venv",
        "voila/files/exercises/solutions/ANSWER_KEY.md",
        "voila/files/.git/config",
    ],
)
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
    for path in [
        "voila/render/exercises/trainee/dilution.ipynb",
        "voila/render/notebooks/units.ipynb",
        "voila/render/notebooks/index.ipynb",
        "voila/render/notebooks/units.ipynb",
    ]:
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


async def _session(base: str, notebook: str, address: str = "127.0.0.1"):
    import httpx

    http = httpx.AsyncClient(
        base_url=base, timeout=60, follow_redirects=True, transport=httpx.AsyncHTTPTransport(local_address=address)
    )
    r = await http.get(f"voila/render/{notebook}", timeout=180)
    assert r.status_code == 200, r.status_code
    kid = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', r.text).group(1)
    ws = await _connect(base, kid, http, address)
    ks = KernelSession(ws, uuid.uuid4().hex)
    await ks.request("shell", "kernel_info_request", {}, 60)
    control = uuid.uuid4().hex
    await ks.send(
        "shell",
        "comm_open",
        {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}},
        {"version": "1.0.0"},
    )
    await ks.request("shell", "comm_msg", {"comm_id": control, "data": {"method": "request_states"}}, 60, idle=True)
    return http, ws, ks, kid


async def _connect(base: str, kid: str, http=None, address: str = "127.0.0.1", **kwargs):
    """A kernel websocket from ``address`` (another loopback address is another client)."""
    import websockets

    cookies = "; ".join(f"{k}={v}" for k, v in http.cookies.items()) if http is not None else ""
    return await websockets.connect(
        base.replace("http://", "ws://") + f"api/kernels/{kid}/channels?session_id={uuid.uuid4()}",
        subprotocols=[WS_PROTOCOL],
        max_size=2**28,
        additional_headers={"Cookie": cookies} if cookies else None,
        local_addr=(address, 0),
        **kwargs,
    )


def _get_from(base: str, path: str, address: str, timeout: float = 120) -> tuple[int, str]:
    """GET from another loopback address (another client)."""
    host, port = base.split("//")[1].rstrip("/").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout, source_address=(address, 0))
    try:
        conn.request("GET", "/" + path)
        r = conn.getresponse()
        return r.status, r.read().decode("utf-8", "replace")
    finally:
        conn.close()


async def _update(ks: KernelSession, mid: str, state: dict) -> None:
    await ks.request(
        "shell",
        "comm_msg",
        {"comm_id": mid, "data": {"method": "update", "state": state, "buffer_paths": []}},
        60,
        idle=True,
    )


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
            await _update(ks, s, {"max": 1e12, "value": 1e12})  # a forged slider bound
            await _update(ks, s, {"value": "abc"})  # a wrong-typed update
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
    for path in [
        "api/contents",
        "api/terminals",
        "terminals/1",
        "api/sessions",
        "voila/files/itbcore/units.py",
        "voila/files/pyproject.toml",
        "voila/files/%2e%2e/%2e%2e/etc/passwd",
        "voila/render/%2e%2e/etc/passwd",
    ]:
        status, body = _get(base, path)
        assert status in (403, 404, 405), (path, status)
        assert "root:" not in body
    # XSS in the path is not reflected
    status, body = _get(base, "voila/render/notebooks/%3Cscript%3Ealert(1)%3C%2Fscript%3E.ipynb")
    assert status == 404 and "<script>alert(1)</script>" not in body


# --- the plain launcher and every kernel (issue "A class that cannot be turned against itself", items 9-14) ---


def _pack(channel: str, msg: dict, buffers: list[bytes] = ()) -> bytes:
    """A kernel message with binary buffers in the ``v1.kernel.websocket.jupyter.org`` framing."""
    parts = [json.dumps(msg[k]).encode() for k in ("header", "parent_header", "metadata", "content")]
    parts += list(buffers)
    chan = channel.encode()
    offsets = [8 * (1 + 1 + len(parts) + 1)]
    offsets.append(offsets[-1] + len(chan))
    for part in parts:
        offsets.append(offsets[-1] + len(part))
    head = len(offsets).to_bytes(8, "little") + b"".join(o.to_bytes(8, "little") for o in offsets)
    return head + chan + b"".join(parts)


def _wait_for_room(base: str, free: int = 1) -> None:
    deadline = time.monotonic() + 120
    while len(_kernels(base)) > MAX_KERNELS - free and time.monotonic() < deadline:
        time.sleep(1)


async def _close_quietly(*sockets) -> None:
    for ws in sockets:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(ws.close(), 10)


@pytest.mark.timeout(300)
def test_too_many_websockets_are_refused_per_kernel_and_per_client(server):
    """Item 9: ~250 websockets to one's own kernel exhausted ZeroMQ's sockets and every other page got HTTP 500."""
    import websockets

    base, _proc, log = server
    _wait_for_room(base)

    async def attack():
        import httpx

        async with httpx.AsyncClient(base_url=base, timeout=120) as http:
            r = await http.get("voila/render/notebooks/units.ipynb")
            assert r.status_code == 200, r.status_code
            kid = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', r.text).group(1)
            opened, refused = [], []
            # one client: its own cap first, then another client up to the kernel's cap
            for address in ["127.0.0.1"] * (WS_PER_CLIENT + 2) + ["127.0.0.6"] * (WS_PER_KERNEL + 1):
                try:
                    opened.append((address, await _connect(base, kid, http, address)))
                except websockets.InvalidStatus as exc:
                    refused.append((address, exc.response.status_code))
            try:
                by_first = sum(1 for a, _ in opened if a == "127.0.0.1")
                assert by_first == WS_PER_CLIENT, (opened, refused)
                assert len(opened) == WS_PER_KERNEL, (opened, refused)
                assert refused and all(code == 429 for _, code in refused), refused
                # the server still serves pages (no HTTP 500 for anybody)
                status = (await http.get("voila/render/notebooks/index.ipynb")).status_code
                assert status in (200, 503), status
            finally:
                await _close_quietly(*(ws for _, ws in opened))

    asyncio.run(asyncio.wait_for(attack(), 250))
    assert "websocket refused" in log.read_text(encoding="utf-8", errors="replace")


@pytest.mark.timeout(300)
def test_slow_readers_are_dropped_not_buffered_for(server_without_age_limit):
    """Item 10: websockets that never read made the server hold a copy of every update (263 -> 1367 MiB)."""
    base, _proc, log = server_without_age_limit
    _wait_for_room(base)

    async def attack():
        http, ws, ks, kid = await _session(base, "notebooks/pk.ipynb")
        try:
            # a second websocket that reads nothing: small receive buffer, the client stops reading at once
            sock = socket.socket()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            sock.bind(("127.0.0.7", 0))
            host, port = base.split("//")[1].rstrip("/").split(":")
            sock.connect((host, int(port)))
            slow = await _connect(base, kid, http, address="127.0.0.7", sock=sock, max_queue=1)
            size = len(json.dumps(ks.states))
            control = uuid.uuid4().hex
            await ks.send(
                "shell",
                "comm_open",
                {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}},
                {"version": "1.0.0"},
            )
            # every request_states reply goes to both websockets: the slow one falls behind
            for _ in range(max(20, (24 * WRITE_BUFFER) // max(size, 1) + 1)):
                await ks.request(
                    "shell", "comm_msg", {"comm_id": control, "data": {"method": "request_states"}}, 60, idle=True
                )
                if "fell" in log.read_text(encoding="utf-8", errors="replace"):
                    break
            await asyncio.sleep(1)
            assert "fell" in log.read_text(encoding="utf-8", errors="replace"), "the slow reader was kept"
            # its connection is gone; the reading one still works
            await ks.request("shell", "kernel_info_request", {}, 60)
            await _close_quietly(slow)
        finally:
            await _close_quietly(ws)
            await http.post(f"voila/api/shutdown/{kid}", data={"_xsrf": http.cookies.get("_xsrf", "")})
            await http.aclose()

    asyncio.run(asyncio.wait_for(attack(), 250))


@pytest.mark.timeout(300)
def test_comm_open_builds_only_the_apps_widgets_with_small_buffers(server):
    """Item 11: 60 image models with 8 MiB buffers took one kernel from 74 to 555 MiB."""
    base, _proc, log = server
    _wait_for_room(base)

    async def attack():
        http, ws, ks, kid = await _session(base, "notebooks/units.ipynb")
        try:
            names = {st.get("_model_name") for st in ks.states.values()}
            assert "TextModel" in names and "ImageModel" not in names, names
            image, big_text = uuid.uuid4().hex, uuid.uuid4().hex

            def open_msg(comm_id, model, buffers):
                state = {
                    "_model_module": "@jupyter-widgets/controls",
                    "_model_module_version": "2.0.0",
                    "_model_name": model,
                    "_view_module": "@jupyter-widgets/controls",
                    "_view_module_version": "2.0.0",
                    "_view_name": model.replace("Model", "View"),
                    "value": None,
                }
                msg = ks._msg(
                    "comm_open",
                    {
                        "comm_id": comm_id,
                        "target_name": "jupyter.widget",
                        "data": {"state": state, "buffer_paths": [["value"]] if buffers else []},
                    },
                    {"version": "2.1.0"},
                )
                return _pack("shell", msg, buffers)

            await ws.send(open_msg(image, "ImageModel", [b"\0" * 2 * 1024**2]))
            await ws.send(open_msg(big_text, "TextModel", [b"\0" * 2 * 1024**2]))
            reply = await ks.request("shell", "comm_info_request", {"target_name": "jupyter.widget"}, 60)
            comms = reply["content"].get("comms", {})
            assert image not in comms, "the kernel built an image model for the browser"
            assert big_text not in comms, "the kernel took 2 MiB of buffers from the browser"
            assert not any("Traceback" in e or 'File "' in e for e in ks.errors), ks.errors
        finally:
            await _close_quietly(ws)
            await http.post(f"voila/api/shutdown/{kid}", data={"_xsrf": http.cookies.get("_xsrf", "")})
            await http.aclose()

    asyncio.run(asyncio.wait_for(attack(), 250))
    assert "refused a widget built by the browser" in log.read_text(encoding="utf-8", errors="replace")


@pytest.mark.timeout(300)
@pytest.mark.parametrize("query", ["template=basic", "template=reveal", "theme=x"])
def test_holding_places_other_templates_start_no_kernel(server, query):
    """Item 12: ``?template=basic`` started a kernel in 0.1 s with no shutdown beacon (no preheating)."""
    base, _proc, _log = server
    _wait_for_room(base)
    before = set(_kernels(base))
    status, _body = _get(base, f"voila/render/notebooks/units.ipynb?{query}")
    assert status == 404, (query, status)
    assert set(_kernels(base)) <= before, "a refused template started a kernel"


@pytest.mark.timeout(300)
def test_query_strings_are_bounded(server):
    """Item 13: Voilà's request cache kept 60 kB query strings for kernels long gone."""
    base, _proc, _log = server
    _wait_for_room(base)
    before = set(_kernels(base))
    status, _body = _get(base, "voila/render/notebooks/units.ipynb?x=" + "a" * 60_000)
    assert status == 414, status
    assert set(_kernels(base)) <= before


@pytest.mark.timeout(400)
def test_leaks_to_the_page_no_log_lines_no_traceback_nan_refused(server):
    """Item 14: ``widgets`` log lines reached the websocket; a NaN slider value sent a traceback with paths."""
    base, _proc, log = server
    _wait_for_room(base)

    async def attack():
        http, ws, ks, kid = await _session(base, "notebooks/pk.ipynb")
        try:
            sliders = [m for m, st in ks.states.items() if st.get("_model_name") == "FloatSliderModel"]
            assert sliders
            s = sliders[0]
            await _update(ks, s, {"max": 1e12})  # logged on the server: "ignored browser state"
            for bad in (float("nan"), float("inf"), float("-inf")):
                await _update(ks, s, {"value": bad})
            # stream output of fd 2 arrives from ipykernel's pipe thread: give it a moment, then read it
            await asyncio.sleep(2)
            await ks.request("shell", "kernel_info_request", {}, 60)
            value = ks.states[s].get("value")
            assert isinstance(value, (int, float)) and value == value and abs(value) != float("inf"), value
            texts = " ".join(ks.errors)
            assert "[widgets" not in texts, ks.errors
            assert "Traceback" not in texts and 'File "' not in texts and "/work" not in texts, ks.errors
            assert not ks.errors, ks.errors
        finally:
            await _close_quietly(ws)
            await http.post(f"voila/api/shutdown/{kid}", data={"_xsrf": http.cookies.get("_xsrf", "")})
            await http.aclose()

    asyncio.run(asyncio.wait_for(attack(), 300))
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "ignored browser state" in text and "refused" in text


# --- the room: preheated product-information app, places per client, inactivity ---


@pytest.fixture(scope="module")
def room():
    ARTIFACTS.mkdir(exist_ok=True)
    port = free_port()
    log = ARTIFACTS / "voila-attacks-room.log"
    pools = {nb: {"pool_size": 1 if nb == "notebooks/product_information.ipynb" else 0} for nb in app_notebooks()}
    pools["default"] = {"pool_size": 0}
    proc = _start(
        port,
        f"--VoilaKernelManager.kernel_pools_config={json.dumps(pools)}",
        log=log,
        env={
            "ITB_MAX_KERNELS": "8",
            "ITB_KERNEL_MAX_AGE": "0",
            "ITB_MAX_KERNELS_PER_CLIENT": str(ROOM_PER_CLIENT),
            "ITB_KERNEL_INACTIVITY_TIMEOUT": str(ROOM_INACTIVITY),
        },
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_until_ready(base, timeout=90, proc=proc)
        yield base, proc, log
    finally:
        stop_server(proc)


@pytest.mark.timeout(400)
def test_voila_query_opened_twice_does_not_delete_another_pages_waiter(room):
    """Item 13: a second ``/voila/query/<id>`` and two closes deleted another page's waiter: its page hung."""
    import httpx
    import websockets

    base, _proc, log = room
    deadline = time.monotonic() + 240
    while (
        "Kernel pool of notebooks/product_information.ipynb is filled"
        not in log.read_text(encoding="utf-8", errors="replace")
        and time.monotonic() < deadline
    ):
        time.sleep(1)
    time.sleep(15)  # the pool's kernel runs the notebook up to its wait for the page's query

    async def attack():
        url = base.replace("http://", "ws://") + f"voila/query/{uuid.uuid4()}"
        first = second = None
        with contextlib.suppress(websockets.InvalidStatus):
            first = await websockets.connect(url)
        with contextlib.suppress(websockets.InvalidStatus):
            second = await websockets.connect(url)
        await _close_quietly(*(ws for ws in (second, first) if ws is not None))
        await asyncio.sleep(0.5)
        # the next trainee's page finishes
        async with httpx.AsyncClient(base_url=base, timeout=90) as http:
            r = await http.get("voila/render/notebooks/product_information.ipynb?section=lionova%204.6")
            assert r.status_code == 200, r.status_code
            kid = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', r.text).group(1)
            await http.post(f"voila/api/shutdown/{kid}", data={"_xsrf": http.cookies.get("_xsrf", "")})

    asyncio.run(asyncio.wait_for(attack(), 200))


@pytest.mark.timeout(400)
def test_holding_places_per_client_and_culled_on_inactivity_not_connection(room):
    """Item 12: a kernel with an open websocket was never culled, so a few pages held every place."""
    base, _proc, log = room

    async def attack():
        idle = await _session(base, "notebooks/units.ipynb", address="127.0.0.3")
        busy = await _session(base, "notebooks/units.ipynb", address="127.0.0.3")
        try:
            await idle[2].request("shell", "kernel_info_request", {}, 60)  # both pages were used just now
            # a third place for the same computer is refused; another computer still gets one
            status, body = await asyncio.to_thread(_get_from, base, "voila/render/notebooks/units.ipynb", "127.0.0.3")
            assert status == 429 and "Too many apps open" in body, status
            status, _ = await asyncio.to_thread(_get_from, base, "voila/render/notebooks/index.ipynb", "127.0.0.4")
            assert status == 200, status
            # the connected page without any change is culled; the one whose user acts keeps its kernel
            deadline = time.monotonic() + ROOM_INACTIVITY * 4
            culled = f"Kernel {idle[3]} had no user activity"
            while time.monotonic() < deadline and culled not in log.read_text(errors="replace"):
                await busy[2].request("shell", "comm_info_request", {}, 60)
                await asyncio.sleep(2)
            text = log.read_text(errors="replace")
            assert culled in text, "a connected page without a user's change kept its place"
            assert f"Kernel {busy[3]} had no user activity" not in text
            await busy[2].request("shell", "kernel_info_request", {}, 60)
        finally:
            for http, ws, _ks, kid in (idle, busy):
                await _close_quietly(ws)
                await http.post(f"voila/api/shutdown/{kid}", data={"_xsrf": http.cookies.get("_xsrf", "")})
                await http.aclose()

    asyncio.run(asyncio.wait_for(attack(), 300))
