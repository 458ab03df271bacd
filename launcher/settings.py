"""The settings of one server and the state its handlers share, held by the application.

For training only, not for treating patients.

:class:`~launcher.app.SuiteVoila` builds one :class:`Suite` from its configurable traits at start-up and puts
it in tornado's application settings (``self.settings["itb_suite"]``), where every handler reads it.  No
module-level table is mutated: two applications in one process (a test) keep their own bounds and places.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

from .paths import ROOT

__all__ = [
    "DEFAULTS",
    "LIMIT_ENV",
    "SETTING",
    "Suite",
    "env_default",
    "KERNEL_MEMORY_ENV",
    "PLOTLY_ESM_ENV",
    "SERVED_ENV",
]

#: The tornado application setting that holds the server's :class:`Suite`.
SETTING = "itb_suite"

#: What the launcher tells its kernels through their environment (read by :mod:`widgets._kernel` and
#: :mod:`widgets.plot` inside the kernel; tests/test_import_graph.py checks the names agree).
KERNEL_MEMORY_ENV = "ITB_KERNEL_MEMORY_LIMIT_BYTES"
SERVED_ENV = "ITB_SERVED"
PLOTLY_ESM_ENV = "ITB_PLOTLY_ESM"

#: Each bound's default (see docs/APPS.md "Serving to a room safely").
DEFAULTS = {
    "max_kernels": 60,
    "kernel_max_age": 3 * 3600.0,
    "kernel_memory_limit": 2 * 1024**3,
    "max_kernels_per_client": 8,
    "kernel_inactivity_timeout": 1800.0,
    "max_websockets_per_kernel": 3,
    "max_websockets_per_client": 24,
    "websocket_write_buffer": 32 * 1024**2,
    "max_query_length": 2048,
    "class_size": 0,
    "class_window": 900.0,
    "next_app": "",
    "educator_token": "",
}
#: Environment variables giving a bound's default (``python3 tasks.py serve`` passes them through).
LIMIT_ENV = {
    "max_kernels": "ITB_MAX_KERNELS",
    "kernel_max_age": "ITB_KERNEL_MAX_AGE",
    "kernel_memory_limit": "ITB_KERNEL_MEMORY_LIMIT",
    "max_kernels_per_client": "ITB_MAX_KERNELS_PER_CLIENT",
    "kernel_inactivity_timeout": "ITB_KERNEL_INACTIVITY_TIMEOUT",
    "max_websockets_per_kernel": "ITB_MAX_WEBSOCKETS_PER_KERNEL",
    "max_websockets_per_client": "ITB_MAX_WEBSOCKETS_PER_CLIENT",
    "websocket_write_buffer": "ITB_WEBSOCKET_WRITE_BUFFER",
    "max_query_length": "ITB_MAX_QUERY_LENGTH",
    "class_size": "ITB_CLASS_SIZE",
    "class_window": "ITB_CLASS_WINDOW",
    "next_app": "ITB_NEXT_APP",
    "educator_token": "ITB_EDUCATOR_TOKEN",
}


def env_default(name: str) -> int | float | str:
    """A bound's default: its environment variable (:data:`LIMIT_ENV`) if set, else :data:`DEFAULTS`."""
    return type(DEFAULTS[name])(os.environ.get(LIMIT_ENV[name], DEFAULTS[name]))


@dataclass
class Suite:
    """One server's bounds (as configured), where it serves from, and what its handlers share."""

    max_kernels: int = DEFAULTS["max_kernels"]
    kernel_max_age: float = DEFAULTS["kernel_max_age"]
    kernel_memory_limit: int = DEFAULTS["kernel_memory_limit"]
    max_kernels_per_client: int = DEFAULTS["max_kernels_per_client"]
    kernel_inactivity_timeout: float = DEFAULTS["kernel_inactivity_timeout"]
    max_websockets_per_kernel: int = DEFAULTS["max_websockets_per_kernel"]
    max_websockets_per_client: int = DEFAULTS["max_websockets_per_client"]
    websocket_write_buffer: int = DEFAULTS["websocket_write_buffer"]
    max_query_length: int = DEFAULTS["max_query_length"]
    #: The educator's announcement of the next app (:mod:`launcher.lesson`): the class size it grows a pool
    #: to when none is given, how long a grown pool waits for its class, and the token that protects it.
    class_size: int = DEFAULTS["class_size"]
    class_window: float = DEFAULTS["class_window"]
    educator_token: str = DEFAULTS["educator_token"]
    #: Themes a page may ask for (``?theme=``).
    allowed_themes: tuple[str, ...] = ("light", "dark")
    root_dir: Path = ROOT
    #: The configured template (a notebook's ``metadata.voila.template`` overrides it).
    template: str = "itb"
    #: URL of plotly.js as an ES module, relative to the base URL (:mod:`launcher.handlers.plotly`).
    plotly_esm_url: str = ""
    #: The class's language: preheated kernels are built in it (:mod:`launcher.languages`).
    locale: str = "en"
    # ---- state shared by the handlers of this server
    #: Who holds a place, and the user's last sign on it (:class:`launcher.places.Places`).
    places: object = None
    #: Open kernel websockets: handler -> (kernel id, client address).
    websockets: dict = field(default_factory=dict)
    #: Request info (``/voila/query/<kernel>``): the waiting socket per kernel, and requests not yet asked for.
    request_waiters: dict = field(default_factory=dict)
    request_cache: dict = field(default_factory=dict)
    #: The kernel manager (set when the application has one).
    kernel_manager: object = None
    #: The educator's next app and the pool grown for it (:class:`launcher.lesson.Lesson`).
    lesson: object = None

    def __post_init__(self) -> None:
        if self.places is None:
            from .places import Places

            self.places = Places()

    @classmethod
    def from_app(cls, app, **extra) -> Suite:
        """The settings of ``app`` (a :class:`~launcher.app.SuiteVoila`): each bound is its trait of the same name."""
        names = [f.name for f in fields(cls) if f.name in DEFAULTS]
        return cls(**{n: getattr(app, n) for n in names}, **extra)
