"""A class on one Voilà server (bounded, shortened) and the idle-kernel culler.

For training only, not for treating patients.

The load test runs ``bench.load`` with 6 trainees for 20 s (CI), and its whole-class pattern (``--at-once``)
with the same 6 opening one announced app within 2 s; the full class on demand::

    ITB_LOAD_TRAINEES=30 ITB_LOAD_DURATION=120 .venv/bin/python -m pytest tests/notebooks/test_load.py -m load

The culling tests serve the suite with a short idle timeout given on the command line
(``--MappingKernelManager.cull_idle_timeout``/``cull_interval``, the settings ``voila.json`` holds
for a class: 900 s / 60 s) and check that the kernel of a trainee who left without closing the tab
goes, and that the preheated pool kernels, idle as they are, stay.  The server logs are in
``test-artifacts/``.
"""

from __future__ import annotations

import os
import re
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bench import load
from launcher import ONE_ADDRESS_CLASS, app_notebooks, free_port, start_server, stop_server, wait_until_ready

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
pytestmark = [pytest.mark.load, pytest.mark.slow]

TRAINEES = int(os.environ.get("ITB_LOAD_TRAINEES", "6"))
DURATION = float(os.environ.get("ITB_LOAD_DURATION", "20"))
#: Short culling for the tests: idle timeout and poll interval, seconds.
CULL_TIMEOUT, CULL_INTERVAL = 10, 2
APP = "notebooks/units.ipynb"


def test_a_class_works_at_once():
    """Every trainee reaches an interactive app and every interaction answers; no errors at all."""
    full = TRAINEES >= 20
    res = load.load_test(
        TRAINEES,
        DURATION,
        dwell=(10.0, 30.0) if full else (2.0, 5.0),
        log_path=ARTIFACTS / "voila-load.log",
        drain=15.0 if full else 5.0,
    )
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "load.md").write_text(load.report(res) + "\n", encoding="utf-8")
    assert not res.errors, "\n".join(res.errors[:20])
    assert res.reached_interactive() == set(range(TRAINEES))
    assert len(res.latencies) >= TRAINEES  # each trainee changed controls
    assert res.peak_kernels > res.pool_kernels  # the visits had kernels of their own


def test_a_whole_class_opens_the_announced_app_at_once():
    """The lesson's pattern, shortened: the educator announces the app, every trainee opens it within 2 s."""
    res = load.class_at_once(
        min(TRAINEES, 6), ("units",), within=2.0, gap=0.0, dwell=(0.5, 1.0), log_path=ARTIFACTS / "voila-at-once.log"
    )
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "load-at-once.md").write_text(load.report_at_once(res) + "\n", encoding="utf-8")
    assert not res.errors, "\n".join(res.errors[:20])
    (wave,) = res.waves
    assert len(wave.tti) == min(TRAINEES, 6) and wave.warm_s is not None
    assert wave.pool_kernels == min(TRAINEES, 6)  # the pool grew by the class before the click
    assert res.kernels_after == res.pool_kernels  # and is back at one kernel when the class has left


def _kernel_exists(base: str, kernel_id: str) -> bool:
    try:
        urllib.request.urlopen(f"{base}api/kernels/{kernel_id}", timeout=10).close()
        return True
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return False
        raise


def _wait(cond, timeout: float, step: float = 0.5) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(step)
    return cond()


@pytest.fixture(scope="module")
def culling_server():
    """The suite served with a 10 s idle timeout polled every 2 s: (base url, server pid, pool size)."""
    ARTIFACTS.mkdir(exist_ok=True)
    port = free_port()
    proc = start_server(
        port,
        f"--MappingKernelManager.cull_idle_timeout={CULL_TIMEOUT}",
        f"--MappingKernelManager.cull_interval={CULL_INTERVAL}",
        *ONE_ADDRESS_CLASS,
        log_path=ARTIFACTS / "voila-cull.log",
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_until_ready(base + "voila/tree", timeout=90, proc=proc)
        pool = load.wait_for_pools(proc.pid, expected=len(app_notebooks()), settle=1.0)
        assert pool == len(app_notebooks()), "the kernel pools did not fill"
        yield base, proc.pid, pool
    finally:
        stop_server(proc)


def test_idle_pool_kernels_stay(culling_server):
    """Preheated kernels idle beyond the timeout are not culled: the pools stay full."""
    base, pid, pool = culling_server
    before = set(load.kernel_pids(pid))
    time.sleep(CULL_TIMEOUT + 3 * CULL_INTERVAL)
    assert set(load.kernel_pids(pid)) == before and len(before) == pool
    log = (ARTIFACTS / "voila-cull.log").read_text(encoding="utf-8", errors="replace")
    # the command-line settings reach Voilà's kernel manager, and no pool kernel was culled
    assert f"Culling kernels with idle durations > {CULL_TIMEOUT} seconds at {CULL_INTERVAL} second intervals" in log
    assert "Culling '" not in log


def test_departed_trainees_kernel_is_culled_and_pool_refilled(culling_server):
    """A trainee works, then drops the connection (no shutdown): the kernel goes, the pool is full again."""
    base, pid, pool = culling_server
    # a trainee opens the app and is gone before the page connects: the pool's (stale) kernel is taken
    with urllib.request.urlopen(f"{base}voila/render/{APP}", timeout=120) as r:
        first = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', r.read().decode()).group(1)
    # the next trainee gets the refilled kernel, freshly run, works and drops the connection
    v = load.run_async(load.visit(base, APP, 1, abrupt=True, think=(0.1, 0.3)))
    assert not v.errors, v.errors
    assert v.kernel_id != first
    assert v.tti_s is not None and len(v.latencies) >= 3
    assert _kernel_exists(base, v.kernel_id)
    assert _wait(lambda: len(load.kernel_pids(pid)) >= pool + 1, 60), "the pool was not refilled"
    assert _wait(lambda: not _kernel_exists(base, v.kernel_id), CULL_TIMEOUT + 4 * CULL_INTERVAL + 20), (
        "the departed trainee's kernel was not culled"
    )
    assert not _kernel_exists(base, first)
    assert _wait(lambda: len(load.kernel_pids(pid)) == pool, 30), load.kernel_pids(pid)
    log = (ARTIFACTS / "voila-cull.log").read_text(encoding="utf-8", errors="replace")
    assert f"({v.kernel_id}) with 0 connections due to" in log


def test_a_handed_out_pool_kernel_lives_until_its_page_connects(culling_server):
    base, pid, pool = culling_server
    time.sleep(CULL_TIMEOUT + CULL_INTERVAL)  # the pool kernels idle longer than the timeout
    v = load.run_async(load.visit(base, APP, 0, connect_delay=4 * CULL_INTERVAL, abrupt=True))
    assert not v.errors, v.errors
