"""The import graph runs one way: the core imports no Jupyter, the views import no exercises, the server
imports no app.

For training only, not for treating patients.

Read from the code (every ``import`` and ``from … import``, also those inside functions), so a late import
cannot hide an edge: ``itbcore`` (pure functions and data) → ``widgets`` (views over the core) → ``exercises``
(cases, checking, the practice, assessment and class-view apps).  The server (``launcher``) stands beside them:
it serves the apps' notebooks to kernels that import the apps, and imports none of them itself — checked
from the code and by importing the server in a fresh interpreter (what is in ``sys.modules`` afterwards).
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: What "Jupyter" means for the core: the notebook, widget, kernel and server stacks and the plotting library.
JUPYTER = (
    "IPython",
    "ipykernel",
    "ipywidgets",
    "jupyter",
    "jupyter_client",
    "jupyter_core",
    "jupyter_server",
    "nbclient",
    "nbconvert",
    "nbformat",
    "notebook",
    "plotly",
    "tornado",
    "traitlets",
    "voila",
    "widgets",
    "exercises",
)


def imports(package: str) -> list[tuple[str, str]]:
    """(file, imported top-level name) for every import in ``package``; relative imports stay in the package."""
    out = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                out += [(path.relative_to(ROOT).as_posix(), a.name.split(".")[0]) for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                out.append((path.relative_to(ROOT).as_posix(), node.module.split(".")[0]))
    return out


#: The packages of the apps: the server imports none of them.
APPS = ("itbcore", "widgets", "exercises")


@pytest.mark.parametrize("package, forbidden", [("itbcore", JUPYTER), ("widgets", ("exercises",)), ("launcher", APPS)])
def test_no_import_runs_back_up(package, forbidden):
    found = imports(package)
    assert len(found) > 20
    bad = [f"{file} imports {name}" for file, name in found if name in forbidden]
    assert not bad, "\n".join(bad)


def _served_module() -> str:
    """The module ``python3 tasks.py serve`` runs (``-m <module>`` in its ``serve``)."""
    text = (ROOT / "tasks.py").read_text(encoding="utf-8")
    body = text[text.index("def serve(") :]
    found = re.search(r'"-m",\s*"([\w.]+)"', body[: body.index("\ndef ", 1)])
    assert found, "tasks.py serve runs no module"
    return found.group(1)


#: Imports the modules named on its command line as ``python -m`` would (a package: its ``__main__`` if it has one,
#: which runs nothing on import), then prints what is loaded and whether ipywidgets' Widget is still ipywidgets' own.
_PROBE = """
import importlib, importlib.util, json, sys
for name in sys.argv[1:]:
    main = importlib.util.find_spec(name).submodule_search_locations and importlib.util.find_spec(name + ".__main__")
    importlib.import_module(name + ".__main__" if main else name)
widget = sys.modules.get("ipywidgets.widgets.widget")
patched = sorted(k for k in ("set_state", "_handle_msg", "_handle_custom_msg", "handle_comm_opened")
                 if widget is not None and getattr(widget.Widget, k).__module__ != widget.__name__)
print(json.dumps({"modules": sorted(sys.modules), "patched": patched}))
"""


@pytest.mark.parametrize(
    "modules",
    [[_served_module()], ["launcher.app", "launcher.handlers", "launcher.process"]],
    ids=["tasks-serve", "launcher"],
)
def test_the_server_imports_no_app(modules):
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, *modules], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr[-2000:]
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    apps = [m for m in seen["modules"] if m.split(".")[0] in APPS]
    assert not apps, f"importing {modules} loads app modules: {apps}"
    assert not seen["patched"], f"importing {modules} changes ipywidgets: {seen['patched']}"


def test_hardening_waits_for_the_kernel():
    """Importing the apps changes nothing of ipywidgets; the kernel's start-up (the extension) does."""
    probe = (
        "import json, ipywidgets as W; before = W.Widget.set_state; import widgets, widgets.app, widgets._kernel;"
        "same = W.Widget.set_state is before; widgets._kernel.load_ipython_extension(None);"
        "print(json.dumps([same, W.Widget.set_state is not before]))"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [True, True]


def test_the_server_and_the_kernels_name_the_same_environment():
    """The launcher tells its kernels what they need through environment variables it names itself."""
    from launcher import kernels, settings
    from launcher.handlers import plotly as served
    from widgets import _kernel, plot

    assert (settings.SERVED_ENV, settings.KERNEL_MEMORY_ENV, settings.PLOTLY_ESM_ENV) == (
        _kernel.SERVED_ENV,
        _kernel.KERNEL_MEMORY_ENV,
        plot.PLOTLY_ESM_ENV,
    )
    assert served.plotly_esm_source() == plot.plotly_esm_source()
    assert served.plotly_js_version() == plot.plotly_js_version()
    assert _kernel.__name__ == kernels.KERNEL_EXTENSION and callable(_kernel.load_ipython_extension)
