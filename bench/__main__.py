"""Run every benchmark and print one markdown report (also written to bench/results/latest.md).

python -m bench            # core + apps
python -m bench core       # only the core benchmarks
"""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from pathlib import Path

from ._util import machine

SUITES = ["core", "app_tti", "load"]


def main(argv: list[str]) -> int:
    chosen = argv or SUITES
    out = [f"## Benchmarks, {dt.datetime.now():%Y-%m-%d %H:%M}", f"Machine: {machine()}", ""]
    for name in chosen:
        try:
            module = importlib.import_module(f"bench.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"bench.{name}":
                continue
            raise
        print(f"running bench.{name} …", file=sys.stderr, flush=True)
        out += [module.run(), ""]
    report = "\n".join(out)
    print(report)
    results = Path(__file__).with_name("results")
    results.mkdir(exist_ok=True)
    (results / "latest.md").write_text(report + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
