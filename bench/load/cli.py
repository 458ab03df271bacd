"""Running the load test: ``python -m bench load`` and ``python -m bench.load``.

For training only, not for treating patients.  Re-exported by :mod:`bench.load`; import from there.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from .._util import machine
from .at_once import class_at_once
from .classroom import load_test
from .reporting import report, report_at_once

__all__ = ["run", "main"]


#: The first line of the package docstring (``--help``).
DESCRIPTION = "A class on one server: simulated trainees open the served apps and move their controls at once."


def run() -> str:
    """``python -m bench load``: 30 trainees for 120 s (ITB_LOAD_TRAINEES / ITB_LOAD_DURATION)."""
    trainees = int(os.environ.get("ITB_LOAD_TRAINEES", "30"))
    duration = float(os.environ.get("ITB_LOAD_DURATION", "120"))
    return f"Machine: {machine()}\n\n" + report(load_test(trainees, duration))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.load", description=DESCRIPTION)
    ap.add_argument("--trainees", type=int, default=30)
    ap.add_argument("--duration", type=float, default=120.0, help="seconds during which trainees start new visits")
    ap.add_argument(
        "--ramp", type=float, default=None, help="seconds over which trainees arrive (default: min(15, duration/4))"
    )
    ap.add_argument(
        "--abrupt", type=float, default=0.0, help="share of visits that drop the connection instead of closing the tab"
    )
    ap.add_argument(
        "--browsers", type=int, default=0, help="how many trainees are chromium pages instead of websocket clients"
    )
    ap.add_argument(
        "--dwell",
        type=float,
        nargs=2,
        default=(10.0, 30.0),
        metavar=("MIN", "MAX"),
        help="seconds a trainee stays on an app after the interactions",
    )
    ap.add_argument(
        "--at-once",
        nargs="+",
        metavar="APP",
        default=None,
        help="a whole class opens each APP at once (e.g. screening titration): the educator announces it, "
        "every trainee opens it within --within seconds; --trainees is the class",
    )
    ap.add_argument("--within", type=float, default=10.0, help="--at-once: seconds within which the class clicks")
    ap.add_argument("--gap", type=float, default=300.0, help="--at-once: seconds from one app's click to the next")
    ap.add_argument(
        "--plain", action="store_true", help="--at-once without the announcement (one preheated kernel per app)"
    )
    ap.add_argument("--log", type=Path, default=None, help="keep the server log here")
    ap.add_argument("--json", type=Path, default=None, help="write the raw visits and samples here")
    ap.add_argument(
        "server_args",
        nargs="*",
        help="extra Voilà options after --, e.g. -- --MappingKernelManager.cull_idle_timeout=60",
    )
    a = ap.parse_args(argv)
    before = os.getloadavg()[0]
    if a.at_once:
        loads = " ".join(f"{x:.2f}" for x in os.getloadavg())
        at = class_at_once(
            a.trainees,
            tuple(a.at_once),
            within=a.within,
            gap=a.gap,
            announce=not a.plain,
            dwell=tuple(a.dwell),
            server_args=tuple(a.server_args),
            log_path=a.log,
        )
        print(f"Machine: {machine()}, load average before (1, 5, 15 min): {loads}\n")
        print(report_at_once(at))
        if a.json:
            a.json.write_text(
                json.dumps(
                    {
                        "waves": [
                            {
                                **{k: v for k, v in w.__dict__.items() if k != "visits"},
                                "visits": [v.__dict__ for v in w.visits],
                            }
                            for w in at.waves
                        ],
                        "samples": at.samples,
                        "log_errors": at.log_errors,
                    },
                    indent=1,
                ),
                encoding="utf-8",
            )
        return 0 if not at.errors else 1
    res = load_test(
        a.trainees,
        a.duration,
        ramp=a.ramp,
        abrupt=a.abrupt,
        browsers=a.browsers,
        server_args=tuple(a.server_args),
        log_path=a.log,
        dwell=tuple(a.dwell),
    )
    print(f"Machine: {machine()}, load average before: {before:.2f}\n")
    print(report(res))
    if a.json:
        a.json.write_text(
            json.dumps(
                {"visits": [v.__dict__ for v in res.visits], "samples": res.samples, "log_errors": res.log_errors},
                indent=1,
            ),
            encoding="utf-8",
        )
    return 0 if not res.errors else 1
