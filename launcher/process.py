"""Start the launcher in a subprocess, wait for it, stop it (tests and benchmarks).

For training only, not for treating patients.  Imports neither Voilà nor the apps.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from .paths import ROOT

__all__ = ["ONE_ADDRESS_CLASS", "free_port", "start_server", "stop_server", "wait_until_ready"]

#: Server options for a whole class simulated from one address (the browser tests, the load test and the
#: benchmarks open dozens of pages from 127.0.0.1, where a room has one address per trainee): the per-client
#: bounds are off; every other bound (places, websockets per kernel, buffers, culling) stays in force.
ONE_ADDRESS_CLASS = ("--SuiteVoila.max_kernels_per_client=0", "--SuiteVoila.max_websockets_per_client=0")


def free_port() -> int:
    """A free TCP port on localhost."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, *extra: str, log_path: Path | None = None, env: dict | None = None) -> subprocess.Popen:
    """Start the launcher (``python -m launcher``) in a subprocess on ``port``; stop it with :func:`stop_server`."""
    out = open(log_path, "wb") if log_path else subprocess.DEVNULL  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        [sys.executable, "-m", "launcher", "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1", *extra],
        cwd=ROOT,
        stdout=out,
        stderr=subprocess.STDOUT,
        env={**os.environ, **(env or {})},
    )


def stop_server(proc: subprocess.Popen) -> None:
    """Stop a server from :func:`start_server`: terminate, then kill if it does not exit within 20 s."""
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def wait_until_ready(url: str, timeout: float = 60.0, proc: subprocess.Popen | None = None) -> None:
    """Wait until ``url`` answers (any HTTP status); raise TimeoutError or RuntimeError if the server died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the Voilà server exited with code {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.25)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")
