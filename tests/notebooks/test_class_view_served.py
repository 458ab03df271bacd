"""The educators' class view served by Voilà with the suite's template, over a stand-in hub: axe finds nothing.

For training only, not for treating patients.

The launcher never renders ``deploy/educator/`` (only a hub serves it to educators: tests/hub drives that), so
this test serves the class view with Voilà alone, with a small HTTP server answering the two hub API calls the
view makes (the class's members and their last activity) and two trainees' progress records on a shared root.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_browser import AXE, PAGE_TIMEOUT_MS, ROOT, SHOTS, _assert_no_error_text, _axe_whole_app, _counts

pytestmark = pytest.mark.browser
TRAINEES = ("ana", "ben")


class _Hub(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if "/groups/" in self.path:
            body = {"users": list(TRAINEES)}
        else:
            body = {"name": self.path.rsplit("/", 1)[-1], "last_activity": "2026-12-02T10:00:00Z"}
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_args) -> None:
        pass


@pytest.fixture(scope="module")
def class_view_url(tmp_path_factory):
    from exercises.progress import ProgressStore
    from launcher import free_port, stop_server, wait_until_ready

    root = tmp_path_factory.mktemp("class-progress")
    for name in TRAINEES:
        store = ProgressStore(root / name / "itb" / "progress.sqlite")
        store.add(name, "dilution", 1, "diluent", "glucose", False, "glucose")
        store.add(name, "dilution", 1, "diluent", "a", True)
    hub = ThreadingHTTPServer(("127.0.0.1", 0), _Hub)
    threading.Thread(target=hub.serve_forever, daemon=True).start()
    port = free_port()
    env = {
        **os.environ,
        "JUPYTERHUB_API_URL": f"http://127.0.0.1:{hub.server_port}/hub/api/",
        "JUPYTERHUB_API_TOKEN": "stand-in",
        "ITB_CLASS_PROGRESS_ROOT": str(root),
        "ITB_COURSE": "itb",
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        "JUPYTER_PATH": os.pathsep.join([str(ROOT / "share" / "jupyter"), os.environ.get("JUPYTER_PATH", "")]),
    }
    SHOTS.mkdir(parents=True, exist_ok=True)
    log = open(ROOT / "test-artifacts" / "voila-class-view.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "voila",
            "deploy/educator/class_view.ipynb",
            "--no-browser",
            f"--port={port}",
            "--Voila.ip=127.0.0.1",
            "--template=itb",
            "--strip_sources=True",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_ready(f"http://127.0.0.1:{port}/", timeout=90, proc=proc)
        yield f"http://127.0.0.1:{port}/"
    finally:
        stop_server(proc)
        hub.shutdown()
        log.close()


def test_the_class_view_has_no_serious_or_critical_accessibility_violation(class_view_url, browser) -> None:
    if not AXE.exists():
        pytest.skip("axe-core is not installed (python3 tasks.py test installs it with npm)")
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    try:
        page.goto(class_view_url, timeout=PAGE_TIMEOUT_MS)
        page.wait_for_selector(".itb-app .itb-result-class-table table", state="visible", timeout=PAGE_TIMEOUT_MS)
        page.wait_for_timeout(1000)
        page.screenshot(path=str(SHOTS / "class_view.png"), full_page=True)
        assert all(name in page.inner_text(".itb-app") for name in TRAINEES)
        _assert_no_error_text(page)
        found = [v for v in _axe_whole_app(page) if _counts(v)]
        assert not found, found
    finally:
        page.close()
