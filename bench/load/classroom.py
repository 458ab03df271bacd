"""The class: trainees arriving on one server, visiting apps until the duration is over.

For training only, not for treating patients.  Re-exported by :mod:`bench.load`; import from there.
"""

from __future__ import annotations

import asyncio
import random
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from .server import ServerWatch, kernel_pids, run_async, server_log_errors
from .settings import (
    CHROMIUM,
    CHROMIUM_ARGS,
    HOST,
    INTERACTION_TIMEOUT,
    MAX_VISITS,
    MEMORY_FLOOR,
    PAGE_TIMEOUT,
    POOL_TIMEOUT,
)
from .visits import Visit, app_paths, browser_visit, visit

__all__ = ["load_test", "LoadResult"]


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


async def _trainee(
    i: int,
    base: str,
    apps: list[str],
    deadline: float,
    start_at: float,
    abrupt: float,
    browser,
    visits: list[Visit],
    dwell: tuple[float, float],
) -> None:
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
        await asyncio.sleep(rng.uniform(0.5, 2.0))  # reading the home page, choosing the next app


async def _class(
    base: str,
    apps: list[str],
    trainees: int,
    duration: float,
    ramp: float,
    abrupt: float,
    browsers: int,
    dwell: tuple[float, float],
) -> list[Visit]:
    visits: list[Visit] = []
    now = time.monotonic()
    deadline = now + duration
    pw = browser = None
    try:
        if browsers:
            from playwright.async_api import async_playwright

            pw = await async_playwright().start()
            browser = await pw.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True, timeout=60_000
            )
        tasks = [
            _trainee(
                i,
                base,
                apps,
                deadline,
                now + ramp * i / max(1, trainees),
                abrupt,
                browser if i < browsers else None,
                visits,
                dwell,
            )
            for i in range(trainees)
        ]
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


def load_test(
    trainees: int = 30,
    duration: float = 120.0,
    *,
    ramp: float | None = None,
    abrupt: float = 0.0,
    browsers: int = 0,
    apps: list[str] | None = None,
    server_args: tuple[str, ...] = (),
    log_path: Path | None = None,
    drain: float = 15.0,
    dwell: tuple[float, float] = (10.0, 30.0),
) -> LoadResult:
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
        return LoadResult(
            trainees,
            duration,
            visits,
            watch.samples,
            watch.peak_rss,
            watch.peak_kernels,
            pool,
            after,
            server_log_errors(log_path),
            time.monotonic() - t_start,
            ready_s,
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
