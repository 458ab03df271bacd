"""A class on one server: simulated trainees open the served apps and move their controls at once.

For training only, not for treating patients.

    .venv/bin/python -m bench load                                  # 30 trainees, 120 s
    .venv/bin/python -m bench.load --trainees 30 --duration 120     # same, with options
    .venv/bin/python -m bench.load --trainees 6 --duration 30 --browsers 2
    .venv/bin/python -m bench.load --at-once screening titration --trainees 30   # a whole class at once

``--at-once`` is the lesson's pattern (:mod:`bench.load.at_once`): the educator announces the next app,
its pool grows to the class, and every trainee opens it within ten seconds; then the next app.

One server (``launcher.start_server``) on a free port of 127.0.0.1, its kernel pools
filled first, as on a server that has been up before the class.  Trainee ``i`` arrives at a
staggered time, opens app number ``i`` (round-robin over the notebooks the browser test covers),
works through it, leaves, and opens the next app until the duration is over (at most
``MAX_VISITS`` visits).  A visit is what a browser does, without drawing:

1. ``GET /voila/render/<notebook>`` (Voilà runs the notebook in a kernel, preheated if the
   app's pool has one), ``GET /api/kernels/<id>``;
2. the kernel websocket (``v1.kernel.websocket.jupyter.org``, as JupyterLab's services use it):
   ``kernel_info_request``, then the widget control comm's ``request_states``.  The app is
   *interactive* when every widget state has arrived: time to interactive (TTI) ends there;
3. the interactions: the notebook's probe (``metadata.itb.probe``) change, the label chooser to
   the second label and back, the probe field back to its first value, the probe change again.
   Each is a widget ``update`` message; its latency ends when the kernel reports idle for it,
   and the probe's ``expect_text`` must then be in the app's widgets;
4. leaving as a closing tab does (``POST /voila/api/shutdown/<id>``, the page's beacon), or, for
   the share ``--abrupt`` of visits, by dropping the connection (lid closed, Wi-Fi lost): that
   kernel is left to the idle culler.

``--browsers B`` makes B of the trainees real pages instead (Playwright contexts in one headless
``/usr/bin/chromium``): they wait for the app and its plots to be drawn and apply the probe as
the browser test does.

Errors (goal 0): HTTP errors, timeouts, error text in the page or in a widget (traceback, stderr,
the app's generic failure message), kernel ``error`` messages, dead kernels or dropped
websockets, a probe's expected text missing, and error lines (``[E``) in the server log.  Memory
is the RSS of the server and all its kernels (psutil, sampled every second; shared pages are
counted once per process, so the sum overstates the physical use).  Every wait has a timeout and
every loop a cap; the run stops by itself.
"""

from __future__ import annotations

from .at_once import AtOnceResult, Wave, class_at_once
from .classroom import LoadResult, load_test, wait_for_pools
from .cli import main, run
from .kernel import KernelSession
from .reporting import report, report_at_once, res_kernels
from .server import ServerWatch, kernel_pids, run_async, server_log_errors, tree_rss
from .settings import (
    BENIGN_STDERR,
    CHROMIUM,
    CHROMIUM_ARGS,
    ERROR_TEXT,
    HOST,
    HTTP_TIMEOUT,
    INTERACTION_TIMEOUT,
    MAX_MESSAGES,
    MAX_VISITS,
    MEMORY_FLOOR,
    PAGE_TIMEOUT,
    POOL_TIMEOUT,
    ROOT,
    TAG,
    WS_PROTOCOL,
)
from .visits import Visit, app_paths, browser_visit, visit

__all__ = [
    "run",
    "main",
    "load_test",
    "class_at_once",
    "report_at_once",
    "ServerWatch",
    "kernel_pids",
    "visit",
    "LoadResult",
]
