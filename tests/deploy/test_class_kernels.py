"""The kernels of a class on JupyterHub start as the launcher's do: with ``widgets._kernel`` loaded.

For training only, not for treating patients.

deploy/class_setup.py writes ``<venv>/etc/ipython/ipython_kernel_config.json``; here it is written into a
stand-in of the class environment (a virtual environment that imports this one's packages) and a real kernel
of that environment's Python is started as a single-user server starts one: it has the extension loaded and
ipywidgets guarded.  ``tests/hub/test_class_hub.py`` forges a widget update against a hub-served Voilà page.
Every notebook a class serves through Voilà names the suite's template, so the page's stylesheet and scripts
reach it on a hub too (whose Voilà's default template is ``lab``).
"""

from __future__ import annotations

import json
import os
import sys
import sysconfig
import venv
from pathlib import Path

import nbformat
import pytest
from traitlets.config.loader import JSONFileConfigLoader

from deploy.class_setup import KERNEL_EXTENSION, build_suite, write_kernel_config

ROOT = Path(__file__).resolve().parents[2]


def test_the_class_environment_has_every_kernel_load_the_served_kernels_extension(tmp_path):
    env = tmp_path / "venv"
    path = write_kernel_config(env)
    assert path == env / "etc" / "ipython" / "ipython_kernel_config.json"
    config = JSONFileConfigLoader(path.name, str(path.parent)).load_config()
    assert config.InteractiveShellApp.extensions == ["widgets._kernel"]
    assert oct(path.stat().st_mode & 0o777) == "0o644"
    # written again over settings of its own: kept, the extension once
    path.write_text(json.dumps({"InteractiveShellApp": {"extensions": ["other"]}, "IPKernelApp": {"x": 1}}))
    write_kernel_config(env)
    write_kernel_config(env)
    config = JSONFileConfigLoader(path.name, str(path.parent)).load_config()
    assert config.InteractiveShellApp.extensions == ["other", "widgets._kernel"] and config.IPKernelApp.x == 1


def test_the_extension_is_the_launchers():
    from launcher.kernels import KERNEL_EXTENSION as LAUNCHERS

    assert KERNEL_EXTENSION == LAUNCHERS


def test_where_it_is_written_is_where_a_kernel_of_the_environment_reads_it():
    from IPython.core.application import ENV_CONFIG_DIRS

    assert [os.path.join(sys.prefix, "etc", "ipython")] == ENV_CONFIG_DIRS


@pytest.mark.timeout(180)
def test_a_kernel_of_the_class_environment_starts_hardened(tmp_path):
    # Before: no ipython_kernel_config.json in the class environment; a hub's Voilà kernel took any update
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    env = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False, symlinks=True).create(env)
    purelib = Path(sysconfig.get_path("purelib", vars={"base": str(env), "platbase": str(env)}))
    (purelib / "this-environment.pth").write_text(sysconfig.get_path("purelib") + "\n" + str(ROOT) + "\n")
    write_kernel_config(env)
    spec = tmp_path / "kernels" / "class-python3"  # the class environment's python3 kernel, as a server starts it
    spec.mkdir(parents=True)
    argv = [str(env / "bin" / "python"), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "Python 3", "language": "python"}))
    home = tmp_path / "home"  # a trainee's home: no IPython profile of their own yet
    home.mkdir()
    km = KernelManager(
        kernel_name="class-python3", kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(spec.parent)])
    )
    km.start_kernel(
        cwd=str(home),
        env={"PATH": os.environ.get("PATH", ""), "HOME": str(home), "IPYTHONDIR": str(home / ".ipython")},
    )
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=120)
        out: list[str] = []

        def hook(msg: dict) -> None:
            if msg["msg_type"] == "stream":
                out.append(msg["content"]["text"])

        code = (
            "import ipywidgets as W\nprint(sorted(get_ipython().extension_manager.loaded), W.Widget.set_state.__name__)"
        )
        reply = kc.execute_interactive(code, timeout=60, output_hook=hook)
        assert reply["content"]["status"] == "ok", reply
        text = "".join(out)
        assert "widgets._kernel" in text and "_guarded_set_state" in text, text
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_every_notebook_a_class_serves_names_the_suites_template(tmp_path):
    # Before: the practice, assessment and class-view notebooks and the trainee notebooks named none, so a hub's
    # Voilà rendered them with its default template, without the suite's stylesheet and page scripts
    build_suite(tmp_path / "suite")
    served = sorted((tmp_path / "suite").rglob("*.ipynb"))
    assert len(served) > 20 and any(p.name == "class_view.ipynb" for p in served)
    wrong = {}
    for path in served:
        template = nbformat.read(path, as_version=4).metadata.get("voila", {}).get("template")
        if template not in ("itb", "itb-reveal"):
            wrong[str(path.relative_to(tmp_path / "suite"))] = template
    assert not wrong, wrong
