"""The suite's server: Voilà with the suite's root, template, allow-list and resource bounds.

For training only, not for treating patients.

``python -m launcher --no-browser --port=8866`` (``python3 tasks.py serve`` runs it).  The server imports
nothing of the apps (:mod:`widgets`, :mod:`exercises`): it reads the files it serves, and its kernels,
started with the suite's kernel start-up (:mod:`launcher.kernels`), import the apps themselves.

* :mod:`launcher.app`: :class:`~launcher.app.SuiteVoila`, the application (settings, handlers, start-up);
* :mod:`launcher.settings`: :class:`~launcher.settings.Suite`, the settings and state the handlers read;
* :mod:`launcher.handlers`: one handler per file (render, kernel websocket, request info, plotly.js, not served);
* :mod:`launcher.places`: who holds which kernel, and the culler;
* :mod:`launcher.kernels`: the kernel manager that starts kernels with the suite's kernel start-up;
* :mod:`launcher.paths`: the served notebooks and the files served from installed packages;
* :mod:`launcher.process`: start a server in a subprocess and wait for it (tests, benchmarks).
"""

from .paths import HOME, ROOT, STATIC, app_notebooks, served_notebooks
from .process import ONE_ADDRESS_CLASS, free_port, start_server, stop_server, wait_until_ready

__all__ = [
    "HOME",
    "ONE_ADDRESS_CLASS",
    "ROOT",
    "STATIC",
    "app_notebooks",
    "free_port",
    "served_notebooks",
    "start_server",
    "stop_server",
    "wait_until_ready",
]
