"""Many kernels started at once by the real launcher: every page renders, over IPC, none hangs.

For training only, not for treating patients.

With TCP, a kernel picks free ports and binds them a moment later; another kernel starting at the
same moment can take them first (jupyter_client#154), and that page stays on "Running…" for good.
The launcher's kernels talk over Unix sockets instead (``voila.json``: ``KernelManager.transport``).
"""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.load

NOTEBOOKS = [
    "notebooks/units.ipynb",
    "notebooks/pk.ipynb",
    "notebooks/withdrawal.ipynb",
    "notebooks/overdose.ipynb",
    "notebooks/product_information.ipynb",
    "notebooks/titration.ipynb",
]


def _open(base: str, nb: str) -> tuple[str, int, str | None]:
    r = httpx.get(f"{base}voila/render/{nb}", timeout=240)
    m = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', r.text)
    return nb, r.status_code, m.group(1) if m else None


def test_a_dozen_kernels_started_at_once_all_render_over_ipc(voila_server):
    # two pages of each app at once: the preheated kernel serves one, a new kernel starts for the other
    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(lambda nb: _open(voila_server, nb), NOTEBOOKS * 2))
    bad = [r for r in results if r[1] != 200 or r[2] is None]
    assert not bad, bad
    kernels = {kid for _nb, _s, kid in results}
    assert len(kernels) == len(results)
    import tempfile

    from jupyter_core.paths import jupyter_runtime_dir

    # Voilà keeps its kernels' connection files in a folder of its own under the temporary directory
    folders = [Path(jupyter_runtime_dir()), *Path(tempfile.gettempdir()).glob("voila_*")]
    transports = {}
    for kid in kernels:
        for folder in folders:
            f = folder / f"kernel-{kid}.json"
            if f.exists():
                transports[kid] = json.loads(f.read_text())["transport"]
    assert len(transports) == len(kernels) and set(transports.values()) == {"ipc"}, transports
