"""nbgrader's tools in a class's JupyterLab: a trainee has the assignment list only, the educator the course tools.

For training only, not for treating patients.

deploy/class_setup.py writes the class environment's ``etc/jupyter`` (every server) and the educator's
``~/.jupyter``. Here they are written into a stand-in of the class environment (a virtual environment that
imports this one's packages and holds a copy of its ``etc/jupyter``, as ``pip install`` leaves it) and a real
JupyterLab server is started in it, without a hub, as a trainee and as the educator.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
import venv
from pathlib import Path

import pytest

from deploy.class_setup import (
    EDUCATOR_LAB_PLUGINS,
    EDUCATOR_SERVER_EXTENSIONS,
    write_course_tools,
    write_educator_config,
    write_server_config,
)

TOKEN = "course-tools-test"


@pytest.fixture(scope="module")
def class_env(tmp_path_factory) -> Path:
    """A class environment's stand-in with deploy/class_setup.py's server settings written into it."""
    env = tmp_path_factory.mktemp("class-env") / "venv"
    venv.EnvBuilder(with_pip=False, symlinks=True).create(env)
    purelib = Path(sysconfig.get_path("purelib", vars={"base": str(env), "platbase": str(env)}))
    (purelib / "this-environment.pth").write_text(sysconfig.get_path("purelib") + "\n")
    etc = Path(sys.prefix) / "etc" / "jupyter"
    if not (etc / "jupyter_server_config.d" / "nbgrader.json").is_file():
        pytest.skip("nbgrader's server settings are not in this environment's etc/jupyter")
    shutil.copytree(etc, env / "etc" / "jupyter")
    (env / "share").mkdir(exist_ok=True)
    (env / "share" / "jupyter").symlink_to(Path(sys.prefix) / "share" / "jupyter")
    write_server_config(env / "etc" / "jupyter")
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    """Status and text of ``url`` (redirects followed, the token sent with each)."""
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, headers={"Authorization": f"token {TOKEN}"}), timeout=10
        ) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, ""
    except OSError:  # not listening yet
        return 0, ""


def _serve(env: Path, home: Path) -> dict:
    """Start JupyterLab of ``env`` as a user whose home is ``home`` (working folder ``/``, as a spawner may
    leave it: outside the server's root) and report what it offers: the status of the formgrader's pages,
    the JupyterLab plugins of nbgrader disabled on the page, and the server's log."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env_vars = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    # the class environment is root's, not the user's: the user's ~/.jupyter ranks above it (jupyter_core)
    env_vars.update(HOME=str(home), JUPYTER_PREFER_ENV_PATH="0", JUPYTER_RUNTIME_DIR=str(home / ".runtime"))
    log = home / "server.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                str(env / "bin" / "python"),
                "-m",
                "jupyterlab",
                "--no-browser",
                "--allow-root",
                f"--port={port}",
                "--ServerApp.ip=127.0.0.1",
                f"--IdentityProvider.token={TOKEN}",
                f"--ServerApp.root_dir={home}",
            ],
            cwd="/",
            env=env_vars,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 90
        while _get(f"{base}/api/status")[0] != 200:
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.5)
        status, lab = _get(f"{base}/lab")
        assert status == 200, log.read_text()
        config = json.loads(
            re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', lab, re.S).group(1)
        )
        return {
            "formgrader": _get(f"{base}/formgrader")[0],
            "course list": _get(f"{base}/formgraders")[0],
            "disabled": sorted(p for p in config.get("disabledExtensions", []) if "nbgrader" in p),
            "log": log.read_text(),
        }
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_a_trainee_jupyterlab_has_the_assignment_list_only_and_logs_no_nbgrader_error(class_env, tmp_path):
    # Before: every server had nbgrader's course tools (Create Assignment, the formgrader, the course list, the
    # toolbar's Validate), and a trainee's log said "[E …] The course directory root is not a subdirectory …".
    home = tmp_path / "trainee"
    home.mkdir()
    seen = _serve(class_env, home)
    assert seen["disabled"] == sorted(EDUCATOR_LAB_PLUGINS)
    assert (seen["formgrader"], seen["course list"]) == (404, 404)
    assert "not a subdirectory" not in seen["log"] and "[E " not in seen["log"], seen["log"]
    assert "assignment_list | extension was successfully loaded" in seen["log"]  # fetch, validate, submit
    assert "validate_assignment | extension was successfully loaded" in seen["log"]


def test_the_educator_keeps_the_course_tools_on_their_course(class_env, tmp_path):
    home = tmp_path / "educator"
    course = home / "itb-course"
    (course / "source").mkdir(parents=True)
    write_educator_config(home / ".jupyter", course)
    seen = _serve(class_env, home)
    assert seen["disabled"] == []
    assert seen["formgrader"] == 200 and seen["course list"] == 200
    assert "not a subdirectory" not in seen["log"] and "[E " not in seen["log"], seen["log"]


def test_the_course_tools_settings_keep_what_else_the_files_hold(tmp_path):
    # an educator's own JupyterLab settings (a plugin they disabled, another server setting) stay
    (tmp_path / "labconfig").mkdir()
    (tmp_path / "labconfig" / "page_config.json").write_text(json.dumps({"disabledExtensions": {"x:y": True}}))
    (tmp_path / "jupyter_server_config.json").write_text(json.dumps({"ServerApp": {"open_browser": False}}))
    write_course_tools(tmp_path, educator=True)
    page = json.loads((tmp_path / "labconfig" / "page_config.json").read_text())
    server = json.loads((tmp_path / "jupyter_server_config.json").read_text())
    assert page["disabledExtensions"] == {"x:y": True, **{p: False for p in EDUCATOR_LAB_PLUGINS}}
    assert server["ServerApp"] == {
        "open_browser": False,
        "jpserver_extensions": {m: True for m in EDUCATOR_SERVER_EXTENSIONS},
    }
    write_course_tools(tmp_path, educator=False)
    page = json.loads((tmp_path / "labconfig" / "page_config.json").read_text())
    assert page["disabledExtensions"] == {"x:y": True, **{p: True for p in EDUCATOR_LAB_PLUGINS}}
