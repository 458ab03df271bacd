"""The educator's next app (``<base>itb/next``, launcher/lesson.py) against the real launcher.

For training only, not for treating patients.

One server with a kernel cap of 16 (12 apps' pools of one kernel each, so a class of at most 4), the
educator's token from ``ITB_EDUCATOR_TOKEN``, a default class size of 2 and a 30 s class window:

* the URL refuses a missing or wrong token, another scheme and the token in the query (403); an app the
  launcher does not serve and a size past the cap (400);
* an announced app's pool grows to the class (more kernels, all of them having run the notebook), a page of
  it is served from that pool even with the server at its cap, and each page counts one arrival without a
  refill; withdrawing the announcement shuts the surplus kernels down;
* a pool grown for a class that does not come is shrunk when the class window is over.

The pool's kernels are read from Voilà's private ``VoilaKernelManager._pools`` (launcher/lesson.py,
``pool_of``): a Voilà that changes it fails here.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from bench import load
from launcher import ONE_ADDRESS_CLASS, app_notebooks, free_port, start_server, stop_server, wait_until_ready

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
pytestmark = [pytest.mark.load]

TOKEN = "educator-test-token-1234"
CAP = 16
WINDOW = 30


def _call(base: str, query: str = "", *, method: str = "GET", token: str | None = TOKEN, header: str = "token"):
    req = urllib.request.Request(f"{base}itb/next{query}", method=method, data=b"" if method == "POST" else None)
    if token is not None:
        req.add_header("Authorization", f"{header} {token}")
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read().decode())
    except urllib.error.HTTPError as exc:
        return exc.code, None


def _wait(cond, timeout: float, step: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = cond()
        if got:
            return got
        time.sleep(step)
    return cond()


@pytest.fixture(scope="module")
def lesson_server():
    """(base url, server pid, kernels of the pools at rest)."""
    ARTIFACTS.mkdir(exist_ok=True)
    port = free_port()
    proc = start_server(
        port,
        f"--SuiteVoila.max_kernels={CAP}",
        *ONE_ADDRESS_CLASS,
        log_path=ARTIFACTS / "voila-lesson.log",
        env={"ITB_EDUCATOR_TOKEN": TOKEN, "ITB_CLASS_SIZE": "2", "ITB_CLASS_WINDOW": str(WINDOW)},
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_until_ready(base + "voila/tree", timeout=90, proc=proc)
        pools = load.wait_for_pools(proc.pid, expected=len(app_notebooks()), settle=1.0)
        assert pools == len(app_notebooks()) == 12
        yield base, proc.pid, pools
    finally:
        stop_server(proc)


def test_only_the_educator_may_announce(lesson_server):
    base, pid, pools = lesson_server
    q = "?app=screening&size=3"
    assert _call(base, q, method="POST", token=None)[0] == 403
    assert _call(base, q, method="POST", token="educator-test-token-1235")[0] == 403
    assert _call(base, q, method="POST", header="Bearer")[0] == 403
    assert _call(base, q + f"&token={TOKEN}", method="POST", token=None)[0] == 403
    assert _call(base, token=None)[0] == 403  # the status too
    assert _call(base, "?app=../tests/x&size=2", method="POST")[0] == 400
    assert _call(base, "?app=screening_solution&size=2", method="POST")[0] == 400
    assert _call(base, "?app=screening&size=two", method="POST")[0] == 400
    assert _call(base, "?app=screening&size=-1", method="POST")[0] == 400
    # 16 places less the 11 other apps' pools and screening's own: a class of 4 at most
    assert _call(base, "?app=screening&size=5", method="POST")[0] == 400
    status, body = _call(base)
    assert status == 200 and body["app"] is None, body
    assert len(load.kernel_pids(pid)) == pools  # nothing grew


def _page(base: str, notebook: str) -> tuple[int, str | None, object]:
    """(status, kernel id, the page's closing): as a browser tab, with its cookies."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    try:
        with opener.open(f"{base}voila/render/{notebook}", timeout=120) as r:
            m = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', r.read().decode())
    except urllib.error.HTTPError as exc:
        return exc.code, None, None
    kid = m.group(1) if m else None

    def close() -> None:  # the page's shutdown beacon
        xsrf = next((c.value for c in jar if c.name == "_xsrf"), "")
        data = urllib.parse.urlencode({"_xsrf": xsrf}).encode()
        opener.open(urllib.request.Request(f"{base}voila/api/shutdown/{kid}", data=data), timeout=60).close()

    return 200, kid, close


def test_the_pool_grows_to_the_class_and_shrinks(lesson_server):
    base, pid, pools = lesson_server
    status, body = _call(base, "?app=screening&size=4", method="POST")
    assert status == 200 and body["app"] == "notebooks/screening.ipynb" and body["target"] == 5, body
    warm = _wait(lambda: (b := _call(base)[1])["warm"] == 5 and b, 120)
    assert warm and warm["pool"] == 5 and warm["warm_s"] is not None, _call(base)[1]
    assert len(load.kernel_pids(pid)) == CAP == pools + 4
    # at the cap, the pages of the class still get the kernels waiting for them (no "class is full")
    first = [_page(base, "notebooks/screening.ipynb") for _ in range(2)]
    assert [s for s, _, _ in first] == [200, 200] and all(k for _, k, _ in first), first
    time.sleep(3)  # Voilà refills a second after a page: the pool is for the two still to come, not refilled
    body = _call(base)[1]
    assert (body["arrived"], body["remaining"], body["target"], body["pool"]) == (2, 2, 3, 3), body
    assert len(load.kernel_pids(pid)) == CAP
    # the educator withdraws: the surplus idle kernels go, the pool is back at one
    assert _call(base, "?app=screening&size=0", method="POST")[1]["app"] is None
    assert _wait(lambda: len(load.kernel_pids(pid)) == pools + 2, 60), load.kernel_pids(pid)
    for _, _, close in first:  # the two trainees leave
        close()
    assert _wait(lambda: len(load.kernel_pids(pid)) == pools, 30), load.kernel_pids(pid)


def test_a_class_that_does_not_come_is_not_waited_for(lesson_server):
    base, pid, pools = lesson_server
    before = len(load.kernel_pids(pid))
    status, body = _call(base, "?app=units", method="POST")  # the configured class size: 2
    assert status == 200 and body["size"] == 2 and body["target"] == 3, body
    assert _wait(lambda: _call(base)[1]["warm"] == 3, 120), _call(base)[1]
    assert len(load.kernel_pids(pid)) == before + 2
    assert _wait(lambda: _call(base)[1]["app"] is None, WINDOW + 10)  # the window is over
    assert _wait(lambda: len(load.kernel_pids(pid)) == before, 30), load.kernel_pids(pid)
