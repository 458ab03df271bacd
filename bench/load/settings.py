"""The load test's settings: the browser, the server address, the caps and the timeouts.

For training only, not for treating patients.  Re-exported by :mod:`bench.load`; import from there.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

__all__ = []


ROOT = Path(__file__).resolve().parents[2]
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
