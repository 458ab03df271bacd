"""The grading sandbox's launcher (``deploy/grading_sandbox.py``) on its own: which folder it binds, what the
``bwrap`` command holds, and a kernel it starts answering over Unix sockets with no network.

For training only, not for treating patients.

Seconds, no hub: the real nbgrader run against real Unix users is ``test_class_hub.py``
(``test_autograding_runs_trainee_code_as_the_educator``).  The kernel test needs ``bwrap`` (skipped without it,
failed under CI).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from deploy import class_setup, grading_sandbox


def test_autograding_runs_trainee_code_as_the_educator_only_one_submission_folder_is_bound(tmp_path):
    home = tmp_path / "home" / "edu"
    course = home / "itb-course"
    sub = course / "autograded" / "t1" / "which_syndrome"
    sub.mkdir(parents=True)
    (course / "gradebook.db").write_text("")
    assert grading_sandbox.grading_folder(str(sub), str(home)) == str(sub)
    for refused in (course, home, tmp_path, Path("/")):
        with pytest.raises(grading_sandbox.Refused):
            grading_sandbox.grading_folder(str(refused), str(home))


def test_autograding_runs_trainee_code_as_the_educator_the_command_shares_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "secret")
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    settings = {"venv": "/opt/itb-class/venv", "bwrap": "/usr/bin/bwrap", "limits": class_setup.GRADING_LIMITS}
    cmd = grading_sandbox.bwrap_command(
        settings,
        str(tmp_path),
        "/home/edu/itb-course/autograded/t1/a",
        ["--HistoryManager.hist_file=:memory:", "not-an-option"],
    )
    joined = " ".join(cmd)
    for flag in (
        "--unshare-all",
        "--unshare-user",
        "--clearenv",
        "--die-with-parent",
        "--new-session",
        "--disable-userns",
        "--uid 65534",
        "--cap-drop ALL",
        "--chdir /submission",
    ):
        assert flag in joined, flag
    assert "--share-net" not in cmd and "secret" not in joined and "JUPYTERHUB" not in joined
    assert "--setenv NBGRADER_EXECUTION autograde" in joined
    binds = [(cmd[i], cmd[i + 1], cmd[i + 2]) for i, a in enumerate(cmd) if a in ("--bind", "--ro-bind")]
    writable = [b for b in binds if b[0] == "--bind"]
    assert writable == [("--bind", str(tmp_path), grading_sandbox.INSIDE)]
    assert ("--ro-bind", "/home/edu/itb-course/autograded/t1/a", "/submission") in binds
    assert not [b for b in binds if b[1].startswith("/home") and b[2] != "/submission"]
    lim = class_setup.GRADING_LIMITS
    assert f"--as={lim['address_space_mb'] * 2**20}" in cmd and f"--cpu={lim['cpu_seconds']}" in cmd
    assert cmd[-1] == "--HistoryManager.hist_file=:memory:"  # only options pass through to the kernel


def test_autograding_runs_trainee_code_as_the_educator_the_config_and_kernelspec(tmp_path):
    config = class_setup.nbgrader_config(tmp_path / "exchange", tmp_path / "course")
    for line in (
        "c.Execute.kernel_name = 'itb-sandbox'",
        "c.KernelManager.transport = 'ipc'",
        "c.HTMLExporter.sanitize_html = True",
        "c.HTMLExporter.preprocessors = ['nbconvert.preprocessors.sanitize.SanitizeHTML']",
        "c.HTMLExporter.filters = {'markdown2html': 'itb_nbgrader_html.markdown2html'}",
    ):
        assert line in config.splitlines(), line
    assert "c.HTMLExporter.sanitize_html = True" in class_setup.nbgrader_config(tmp_path / "exchange")
    spec = class_setup.install_sandbox_kernel(tmp_path / "venv", bwrap="/usr/bin/bwrap")
    kernel = json.loads((spec / "kernel.json").read_text())
    assert kernel["argv"][1:] == ["-I", str(spec / "grading_sandbox.py"), "{connection_file}"]
    assert kernel["interrupt_mode"] == "message"
    assert json.loads((spec / "sandbox.json").read_text())["limits"] == class_setup.GRADING_LIMITS


def _run_in_sandbox(tmp_path: Path, source: str, files: dict[str, str], venv: Path | None = None) -> str:
    """Run one code cell through the ``itb-sandbox`` kernelspec as class_setup installs it, started by nbclient as
    nbgrader does (IPC transport), in a submission folder holding ``files``; the cell's printed text.  The class
    environment is ``venv`` (default: this one)."""
    if shutil.which("bwrap") is None:
        if os.environ.get("CI"):
            pytest.fail("bubblewrap (bwrap) is missing")
        pytest.skip("bubblewrap (bwrap) is missing")
    import nbformat
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient
    from traitlets.config import Config

    venv = venv or Path(sys.prefix)
    spec = class_setup.install_sandbox_kernel(tmp_path / "share-root")
    settings = json.loads((spec / "sandbox.json").read_text())
    settings["venv"] = str(venv)  # this environment's ipykernel, read-only inside
    (spec / "sandbox.json").write_text(json.dumps(settings))
    kernel = json.loads((spec / "kernel.json").read_text())
    kernel["argv"][0] = sys.executable
    (spec / "kernel.json").write_text(json.dumps(kernel))
    sub = tmp_path / "submission"
    sub.mkdir()
    for name, text in files.items():
        (sub / name).parent.mkdir(parents=True, exist_ok=True)
        (sub / name).write_text(text)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source)]
    c = Config()
    c.KernelManager.transport = "ipc"
    os.environ["JUPYTER_PATH"] = str(tmp_path / "share-root" / "share" / "jupyter")
    try:
        NotebookClient(
            nb,
            kernel_name="itb-sandbox",
            config=c,
            timeout=60,
            kernel_manager_class=AsyncKernelManager,
            resources={"metadata": {"path": str(sub)}},
        ).execute()
    finally:
        del os.environ["JUPYTER_PATH"]
    return "".join(o.get("text", "") for o in nb.cells[0].outputs)


def test_autograding_runs_trainee_code_as_the_educator_a_sandboxed_kernel_answers_without_network(tmp_path):
    """The kernelspec as class_setup installs it, started by nbclient as nbgrader does (IPC transport)."""
    text = _run_in_sandbox(
        tmp_path,
        (
            "import os, socket\n"
            "print(os.getuid(), open('data.txt').read(), 'JUPYTERHUB_API_TOKEN' in os.environ, "
            "os.path.exists('/home'))\n"
            "try:\n    socket.create_connection(('127.0.0.1', 22), timeout=2); print('net')\n"
            "except OSError:\n    print('no net')"
        ),
        {"data.txt": "mine"},
    )
    assert text.split("\n")[:2] == ["65534 mine False False", "no net"]


def test_a_submitted_exercises_package_replaces_the_checker(tmp_path):
    """A trainee submits an ``exercises/`` package beside the notebook: the locked check cells import the checker
    by name, and the submission's folder (the kernel's working folder) must not come first on the path — else
    the trainee's own ``check`` scores every answer."""
    text = _run_in_sandbox(
        tmp_path,
        (
            "import sys\n"
            "try:\n    import exercises; print(exercises.__file__)\n"
            "except ImportError:\n    print('not importable here')\n"  # this checkout is not bound in; a class venv is
            "print([p for p in sys.path if p in ('', '.', '/submission')])"
        ),
        {"exercises/__init__.py": "FAKE = True\n"},
    )
    first, path = text.split("\n")[:2]
    assert not first.startswith("/submission"), f"the submission's own package was imported: {first}"
    assert path == "[]", f"the submission's folder is on the kernel's path: {path}"


def test_a_class_venv_whose_python_is_a_link_outside_usr_starts_a_kernel(tmp_path):
    """``python -m venv`` links ``bin/python`` to the Python it was made from (pyenv's, ``/opt``'s); CI's clean
    clone made ``.venv`` so, and the sandbox, binding only ``/usr`` and the environment, could not start it
    (``prlimit: failed to execute …/.venv/bin/python: No such file or directory``).  A linked environment with
    this one's packages (hard links, beside ``.venv`` on the same file system) must answer."""
    import subprocess
    import tempfile

    base = getattr(sys, "_base_executable", sys.executable)
    if os.path.realpath(base).startswith("/usr/"):
        pytest.skip("this Python is Debian's: a linked environment needs nothing outside /usr")
    linked = Path(tempfile.mkdtemp(prefix=".linked-venv-", dir=Path(sys.prefix).parent))
    try:
        subprocess.run([base, "-m", "venv", "--without-pip", "--symlinks", str(linked)], check=True)
        assert os.path.islink(linked / "bin" / "python")
        site = Path(sys.prefix) / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}" / "site-packages"
        shutil.rmtree(linked / site.relative_to(sys.prefix))
        try:
            shutil.copytree(site, linked / site.relative_to(sys.prefix), copy_function=os.link, symlinks=True)
        except OSError:
            pytest.skip("no hard links beside this environment")
        text = _run_in_sandbox(tmp_path, "import sys; print(sys.prefix)", {}, venv=linked)
    finally:
        shutil.rmtree(linked, ignore_errors=True)
    assert text.split("\n")[0] == str(linked)
