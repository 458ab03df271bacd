"""A whole class opens the same app at once, then the next app the educator announces.

For training only, not for treating patients.  Re-exported by :mod:`bench.load`; import from there.

    .venv/bin/python -m bench.load --at-once screening titration --trainees 30 --within 10 --gap 300
    .venv/bin/python -m bench.load --at-once screening titration --trainees 30 --plain   # no announcement

One server on 127.0.0.1, pools filled first.  For each app in turn (a *wave*):

1. the educator announces it (``POST itb/next?app=…&size=<trainees>`` with the launcher's token,
   :mod:`launcher.lesson`) and the bench waits until the grown pool is warm (every kernel has run the
   notebook), then for the server's CPU to settle: the time from the announcement to a warm pool is
   reported.  With ``--plain`` there is no announcement (a launcher without it: one preheated kernel per app);
2. the click: every trainee opens the app within ``within`` seconds (evenly spread), as :func:`visit`
   does (page, kernel websocket, widget states: time to interactive; then the probe and the label chooser,
   the probe's expected text checked), stays ``dwell`` seconds and leaves as a closing tab does;
3. the next wave's click comes ``gap`` seconds after this one's (its announcement right after this one's
   visits are done), or as soon as its pool is warm if that is later.

Measured per wave: TTI (p50/p95/max) and the page alone, errors, peak memory (RSS of the server and all its
kernels) and peak kernels, the load average at the click; and the pool's memory (RSS added by the grown
pool, per kernel).
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from .classroom import wait_for_pools
from .server import ServerWatch, kernel_pids, run_async, server_log_errors, tree_rss
from .settings import HOST
from .visits import Visit, visit

__all__ = ["Wave", "AtOnceResult", "class_at_once", "resolve"]


@dataclass
class Wave:
    app: str
    visits: list[Visit] = field(default_factory=list)
    #: Seconds from the announcement to a warm pool (None: not announced).
    warm_s: float | None = None
    #: What the server said when the pool was warm (``GET itb/next``).
    status: dict | None = None
    #: Bytes of RSS the grown pool added, and by how many kernels.
    pool_rss: int = 0
    pool_kernels: int = 0
    load_at_click: float = 0.0
    peak_rss: int = 0
    peak_kernels: int = 0
    click_s: float = 0.0  # seconds from the server's start

    @property
    def tti(self) -> list[float]:
        return [v.tti_s for v in self.visits if v.tti_s is not None]

    @property
    def errors(self) -> list[str]:
        return [f"{v.notebook} (trainee {v.trainee}): {e}" for v in self.visits for e in v.errors]


@dataclass
class AtOnceResult:
    trainees: int
    within: float
    gap: float
    announced: bool
    waves: list[Wave]
    samples: list[tuple[float, int, int]]
    peak_rss: int
    peak_kernels: int
    pool_kernels: int
    kernels_after: int
    log_errors: list[str]
    ready_s: float
    wall_s: float
    server_args: tuple[str, ...] = ()

    @property
    def errors(self) -> list[str]:
        return [e for w in self.waves for e in w.errors] + [f"server log: {ln[:200]}" for ln in self.log_errors]


def resolve(app: str) -> str:
    """``screening`` -> ``notebooks/screening.ipynb`` (as the launcher's URL does)."""
    from launcher import app_notebooks

    apps = app_notebooks()
    if app in apps:
        return app
    for a in apps:
        if Path(a).stem == app.removesuffix(".ipynb"):
            return a
    raise ValueError(f"{app!r} is not a served app ({', '.join(apps)})")


def _educator(base: str, token: str, query: str = "", method: str = "GET") -> dict:
    req = urllib.request.Request(f"{base}itb/next{query}", method=method, data=b"" if method == "POST" else None)
    req.add_header("Authorization", f"token {token}")
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read().decode())


def _settle(pid: int, timeout: float = 60.0, quiet: float = 20.0) -> None:
    """Wait (bounded) until the server's process tree uses less than ``quiet`` % CPU over 2 s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            procs = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
            for p in procs:
                p.cpu_percent(interval=None)
            time.sleep(2.0)
            cpu = sum(p.cpu_percent(interval=None) for p in procs if p.is_running())
        except psutil.Error:
            continue
        if cpu < quiet:
            return


async def _wave(base: str, app: str, trainees: int, within: float, dwell: tuple[float, float]) -> list[Visit]:
    import random

    t0 = time.monotonic()

    async def one(i: int) -> Visit:
        await asyncio.sleep(max(0.0, t0 + within * i / max(1, trainees) - time.monotonic()))
        return await visit(base, app, i, rng=random.Random(2000 + i), dwell=dwell)

    return list(await asyncio.gather(*(one(i) for i in range(trainees))))


def class_at_once(
    trainees: int = 30,
    apps: tuple[str, ...] = ("screening", "titration"),
    *,
    within: float = 10.0,
    gap: float = 300.0,
    announce: bool = True,
    dwell: tuple[float, float] = (10.0, 30.0),
    server_args: tuple[str, ...] = (),
    log_path: Path | None = None,
    warm_timeout: float = 600.0,
) -> AtOnceResult:
    """Serve the suite, run one wave per app, stop the server; bounded in time."""
    from launcher import ONE_ADDRESS_CLASS, free_port, start_server, wait_until_ready
    from launcher import app_notebooks as pooled

    notebooks = [resolve(a) for a in apps]
    tmp = None
    if log_path is None:
        tmp = tempfile.TemporaryDirectory()
        log_path = Path(tmp.name) / "voila.log"
    token = secrets.token_urlsafe(16)
    port = free_port()
    base = f"http://{HOST}:{port}/"
    t_start = time.monotonic()
    extra = (f"--SuiteVoila.educator_token={token}",) if announce else ()
    proc = start_server(port, *ONE_ADDRESS_CLASS, *extra, *server_args, log_path=log_path)
    waves: list[Wave] = []
    try:
        wait_until_ready(base + "voila/tree", timeout=90, proc=proc)
        pool = wait_for_pools(proc.pid, expected=len(pooled()))
        ready_s = time.monotonic() - t_start
        with ServerWatch(proc.pid) as watch:
            next_click = 0.0
            for app in notebooks:
                w = Wave(app)
                if announce:
                    rss0, k0 = tree_rss(proc.pid), len(kernel_pids(proc.pid))
                    t_ann = time.monotonic()
                    _educator(base, token, f"?app={app}&size={trainees}", "POST")
                    deadline = t_ann + warm_timeout
                    status = _educator(base, token)
                    while time.monotonic() < deadline:
                        status = _educator(base, token)
                        if status.get("warm_s") is not None or (
                            status.get("capped") and status["warm"] >= status["pool"]
                        ):
                            break
                        time.sleep(0.5)
                    w.warm_s, w.status = status.get("warm_s"), status
                    if w.warm_s is None:
                        w.warm_s = time.monotonic() - t_ann  # capped or timed out: the status says which
                    _settle(proc.pid)
                    w.pool_rss = tree_rss(proc.pid) - rss0
                    w.pool_kernels = len(kernel_pids(proc.pid)) - k0
                else:
                    _settle(proc.pid)
                time.sleep(max(0.0, next_click - time.monotonic()))
                w.load_at_click = os.getloadavg()[0]
                n0 = len(watch.samples)
                w.click_s = time.monotonic() - t_start
                click = time.monotonic()
                w.visits = run_async(_wave(base, app, trainees, within, dwell))
                during = watch.samples[n0:] or watch.samples[-1:]
                w.peak_rss = max(s[1] for s in during)
                w.peak_kernels = max(s[2] for s in during)
                next_click = click + gap
                waves.append(w)
            # the class leaves: kernels back to the pools (bounded)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and len(kernel_pids(proc.pid)) > pool:
                time.sleep(1)
            watch.sample()
        after = len(kernel_pids(proc.pid))
        if proc.poll() is not None:
            waves[-1].visits.append(Visit(-1, "(server)", errors=[f"the server exited with code {proc.returncode}"]))
        return AtOnceResult(
            trainees,
            within,
            gap,
            announce,
            waves,
            watch.samples,
            watch.peak_rss,
            watch.peak_kernels,
            pool,
            after,
            server_log_errors(log_path),
            ready_s,
            time.monotonic() - t_start,
            tuple(server_args),
        )
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except Exception:  # noqa: BLE001
            proc.kill()
            proc.wait(timeout=10)
        if tmp is not None:
            tmp.cleanup()
