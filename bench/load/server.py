"""The server side of the load test: the kernels of a server, their memory, the server log.

For training only, not for treating patients.  Re-exported by :mod:`bench.load`; import from there.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from pathlib import Path

import psutil

__all__ = ["ServerWatch", "kernel_pids"]


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
