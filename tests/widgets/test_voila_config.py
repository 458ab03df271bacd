"""The serving configuration in voila.json (what the README's serve command uses).

For training only, not for treating patients.
"""

from __future__ import annotations

import json

from launcher import ROOT, app_notebooks

CONFIG = json.loads((ROOT / "voila.json").read_text(encoding="utf-8"))


def test_users_see_no_sources_and_no_tracebacks():
    vc = CONFIG["VoilaConfiguration"]
    assert vc["strip_sources"] is True and vc["show_tracebacks"] is False


def test_every_app_has_a_preheated_kernel():
    pools = CONFIG["VoilaKernelManager"]["kernel_pools_config"]
    assert CONFIG["VoilaConfiguration"]["preheat_kernel"] is True
    assert all(pools.get(nb, {}).get("pool_size", 0) >= 1 for nb in app_notebooks())


def test_a_preheated_app_keeps_its_output_on_a_busy_machine():
    """nbclient waits ``iopub_timeout`` s after a cell's reply for its output, then drops what has not
    arrived: at the default 4 s a loaded 2-core server dropped an app cell's widget view (hundreds of
    widget messages precede it) and the page stayed blank (1 in 11 visits with both cores busy); at
    60 s, 7 such drops in the 30-trainee load with 3 real browsers; at 300 s none (docs/BENCHMARKS.md)."""
    assert CONFIG["VoilaExecutor"]["iopub_timeout"] >= 300


def test_idle_kernels_are_culled_but_not_busy_or_connected_ones():
    mkm = CONFIG["MappingKernelManager"]
    assert 60 <= mkm["cull_idle_timeout"] <= 900 and mkm["cull_interval"] <= 60
    assert mkm["cull_connected"] is False and mkm["cull_busy"] is False
