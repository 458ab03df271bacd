"""Shared fixtures: a served Voilà instance and a headless chromium for the browser tests.

For training only, not for treating patients.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path(os.environ.get("ITB_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def voila_server(tmp_path_factory):
    """Serve the suite as ``python -m launcher`` would, on a free localhost port.

    Yields the base URL (``http://127.0.0.1:<port>/``); the server log is in
    ``test-artifacts/voila.log``.  The browser tests open well over a hundred pages in a few minutes;
    a closed page's kernel is culled after 60 s without a connection here (300 s in voila.json), so
    the pages of earlier tests do not fill the class's 60 places (a 503 "class is full" for the deck
    test in a clean-clone run, 2026-12-02).
    """
    from launcher import ONE_ADDRESS_CLASS, app_notebooks, free_port, start_server, stop_server, wait_until_ready

    ARTIFACTS.mkdir(exist_ok=True)
    port = free_port()
    log = ARTIFACTS / "voila.log"
    # The browser tests play a whole class from one address: the per-client bounds are off here (the attack
    # tests pin them on servers of their own).
    proc = start_server(
        port,
        "--MappingKernelManager.cull_idle_timeout=60",
        "--MappingKernelManager.cull_interval=10",
        *ONE_ADDRESS_CLASS,
        log_path=log,
        # progress of this run only: the practice page read the machine's own ~/.itb-training and was 290 px
        # longer here than on CI's clean machine (the keyboard test's long page was not long there)
        env={"ITB_PROGRESS_DB": str(tmp_path_factory.mktemp("progress") / "progress.sqlite")},
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_until_ready(base + "voila/tree", timeout=90, proc=proc)
        _wait_for_preheated_pools(log, app_notebooks(), timeout=300)
        yield base
    finally:
        stop_server(proc)


def _wait_for_preheated_pools(log: Path, notebooks: list[str], timeout: float) -> None:
    """Wait until every app's preheated kernel has run its notebook, as a class server would be.

    On two cores the pools fill together for tens of seconds after start; a test that opens
    apps meanwhile measures the start-up, not the app (docs/APPS.md: start the server early).
    """
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        if all(f"Kernel pool of {nb} is filled" in text for nb in notebooks):
            return
        time.sleep(1)
    # Not fatal: the pages still render, only slower; the tests' own timeouts decide.


@pytest.fixture(scope="session")
def browser():
    """A headless Debian chromium driven by Playwright (skips when /usr/bin/chromium is absent)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed: the browser tests need Debian's chromium package.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True, timeout=60_000)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="session")
def trainee_install(tmp_path_factory):
    """What a class installs for its trainees (``deploy/class_setup.py``: ``pip install <checkout>``, not
    editable): the wheel built from this checkout and unpacked into a folder, for ``PYTHONPATH``.

    Yields ``(wheel, site)``.  A subprocess with ``PYTHONPATH=site`` (and a working folder outside the
    checkout) imports ``itbcore``, ``widgets`` and ``exercises`` from the install, not from the checkout.
    """
    import subprocess
    import sys
    import zipfile

    out = tmp_path_factory.mktemp("trainee-install")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        cwd=out,
    )
    (wheel,) = out.glob("*.whl")
    site = out / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    yield wheel, site
