"""A small client for the class-hub test: start JupyterHub, sign in as a trainee, talk to their server.

For training only, not for treating patients.
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import httpx


def find_proxy(root: Path) -> Path | None:
    """configurable-http-proxy on PATH, or where ``python3 tasks.py test`` installs it (npm, .cache/node)."""
    found = shutil.which("configurable-http-proxy")
    if found:
        return Path(found)
    local = root / ".cache" / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
    return local if local.exists() else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Hub:
    def __init__(self, proc: subprocess.Popen, url: str, token: str, password: str) -> None:
        self.proc, self.url, self.token, self.password = proc, url, token, password
        self.figures: dict = {}

    @classmethod
    def start(
        cls, root: Path, prefix: Path, chp: Path, educator: str, trainees: list[str], *, cull_timeout: int, log: Path
    ) -> Hub:
        state = prefix / "state"
        shutil.rmtree(state, ignore_errors=True)
        state.mkdir(parents=True)
        token, password = secrets.token_hex(16), secrets.token_urlsafe(12)
        port = _free_port()
        config = state / "test_config.py"
        config.write_text(
            "c = get_config()  # noqa: F821\n"
            f"load_subconfig({str(root / 'deploy' / 'jupyterhub_config.py')!r})  # noqa: F821\n"
            "c.JupyterHub.services.append({'name': 'itb-test', 'api_token': %r})\n"
            "c.JupyterHub.load_roles.append({'name': 'itb-test', 'services': ['itb-test'], 'scopes': "
            "['admin:users', 'admin:servers', 'tokens', 'list:users', 'read:users', 'read:servers', 'list:services', "
            "'read:services']})\n" % token
        )
        env = {
            **os.environ,
            "ITB_CLASS_PREFIX": str(prefix),
            "ITB_HUB_STATE": str(state),
            "ITB_HUB_AUTH": "dummy",
            "ITB_HUB_PASSWORD": password,
            "ITB_EDUCATORS": educator,
            "ITB_TRAINEES": ",".join(trainees),
            "ITB_HUB_PORT": str(port),
            "ITB_HUB_API_PORT": str(_free_port()),
            "ITB_PROXY_API_PORT": str(_free_port()),
            "ITB_CULL_TIMEOUT": str(cull_timeout),
            "ITB_CULL_EVERY": "10",
            "ITB_ACTIVITY_INTERVAL": "10",
            "ITB_MEM_LIMIT": "1G",
            "PATH": f"{chp.parent}:{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
        }
        log.parent.mkdir(parents=True, exist_ok=True)
        out = open(log, "w")  # noqa: SIM115 - the hub process writes it until stop() closes it
        proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(config)],
            cwd=state,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        hub = cls(proc, f"http://127.0.0.1:{port}", token, password)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"JupyterHub exited ({proc.returncode}); see {log}")
            try:
                if httpx.get(f"{hub.url}/hub/api", timeout=2).status_code == 200:
                    return hub
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        hub.stop()
        raise RuntimeError(f"JupyterHub did not answer within 90 s; see {log}")

    def api(self, method: str, path: str, **kw) -> httpx.Response:
        return httpx.request(
            method, f"{self.url}/hub/api{path}", headers={"Authorization": f"token {self.token}"}, timeout=60, **kw
        )

    def running_servers(self) -> list[str]:
        users = self.api("GET", "/users").json()
        return [u["name"] for u in users if u.get("servers")]

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        for name in ("itb-edu",) + tuple(f"itb-t{i}" for i in range(1, 100)):
            subprocess.run(["pkill", "-u", name], capture_output=True)


class Session:
    """One person of the class: signed in through the hub's login form, with their own API token."""

    def __init__(self, hub: Hub, name: str) -> None:
        self.hub, self.name = hub, name
        self.client = httpx.Client(base_url=hub.url, follow_redirects=True, timeout=180)
        self.token = hub.api("POST", f"/users/{quote(name)}/tokens", json={"note": "class test"}).json()["token"]

    def sign_in(self) -> tuple[str, float]:
        """Sign in and wait for the own server; returns the page landed on and the seconds it took."""
        t0 = time.perf_counter()
        self.client.get("/hub/login")
        xsrf = self.client.cookies.get("_xsrf", domain="", path="/hub/") or self.client.cookies.get("_xsrf") or ""
        self.client.post("/hub/login?next=", data={"username": self.name, "password": self.hub.password, "_xsrf": xsrf})
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            r = self.client.get(f"/user/{self.name}/")
            if r.status_code == 200 and "/voila/render/" in str(r.url):
                return str(r.url), time.perf_counter() - t0
            time.sleep(1)
        raise AssertionError(f"{self.name}'s server did not come up: last {r.status_code} at {r.url}")

    def get(self, path: str, **kw) -> httpx.Response:
        return self.client.get(path, **kw)

    def api_get(self, path: str) -> httpx.Response:
        return httpx.get(f"{self.hub.url}{path}", headers={"Authorization": f"token {self.token}"}, timeout=60)

    def _server(self, method: str, path: str, **kw) -> httpx.Response:
        return httpx.request(
            method,
            f"{self.hub.url}/user/{self.name}/{path}",
            timeout=180,
            headers={"Authorization": f"token {self.token}"},
            **kw,
        )

    def render(self, path: str, then=None) -> tuple[float, str, str]:
        """Open a Voilà page as a browser does: (seconds to interactive, the page, its widgets' text).

        Interactive as ``bench.load`` measures it: the page rendered, then the kernel's websocket answering
        and every widget's state received.  ``then(ks)``, a coroutine function, is then given the page's
        :class:`bench.load.KernelSession` (a forged browser, for instance) before the websocket closes.
        """
        return asyncio.run(self._render(path, then))

    async def _render(self, path: str, then=None) -> tuple[float, str, str]:
        import websockets

        from bench.load import WS_PROTOCOL, KernelSession

        t0 = time.perf_counter()
        r = self.client.get(f"/user/{self.name}/voila/render/{path}")
        assert r.status_code == 200, (path, r.status_code)
        kid = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', r.text).group(1)
        ws_url = (
            self.hub.url.replace("http", "ws", 1)
            + f"/user/{self.name}/api/kernels/{kid}/channels?session_id={secrets.token_hex(8)}"
        )
        async with websockets.connect(
            ws_url,
            subprotocols=[WS_PROTOCOL],
            max_size=2**28,
            open_timeout=60,
            additional_headers={"Authorization": f"token {self.token}"},
        ) as ws:
            ks = KernelSession(ws, secrets.token_hex(8))
            await ks.request("shell", "kernel_info_request", {}, 60)
            control = secrets.token_hex(16)
            await ks.send(
                "shell",
                "comm_open",
                {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}},
                {"version": "1.0.0"},
            )
            await ks.request(
                "shell", "comm_msg", {"comm_id": control, "data": {"method": "request_states"}}, 60, idle=True
            )
            seconds = time.perf_counter() - t0
            if then is not None:
                await then(ks)
            assert not ks.errors, ks.errors
            return seconds, r.text, ks.text()

    def nbgrader(self, action: str, assignment: str, course: str = "itb") -> None:
        r = self._server("POST", f"assignments/{action}", params={"course_id": course, "assignment_id": assignment})
        assert r.status_code == 200, (action, r.status_code, r.text[:300])
        body = r.json()
        assert not (isinstance(body, dict) and body.get("success") is False), body

    def fill_answers(self, path: str, answers: dict[str, str]) -> None:
        model = self._server("GET", f"api/contents/{path}", params={"content": 1})
        assert model.status_code == 200, (path, model.status_code, model.text[:200])
        nb = model.json()["content"]
        for cell in nb["cells"]:
            gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if gid in answers:
                cell["source"] = answers[gid]
        r = self._server("PUT", f"api/contents/{path}", json={"type": "notebook", "format": "json", "content": nb})
        assert r.status_code in (200, 201), r.text[:300]


def memory_by_user(users: list[str]) -> dict:
    """Resident memory of every process each Unix user runs (their server and its kernels), in MB."""
    import pwd

    import psutil

    per = {}
    for name in users:
        uid = pwd.getpwnam(name).pw_uid
        total = 0
        for p in psutil.process_iter(["uids", "memory_info"]):
            try:
                if p.info["uids"] and p.info["uids"].real == uid:
                    total += p.info["memory_info"].rss
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
        per[name] = round(total / 2**20)
    values = sorted(per.values())
    return {"median": values[len(values) // 2], "max": values[-1], "per_trainee": per}
