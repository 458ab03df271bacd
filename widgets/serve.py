"""Serve the suite's apps with Voilà: ``python -m widgets.serve --no-browser --port=8866``.

For training only, not for treating patients.

Plain ``voila`` serves either one notebook (the other apps are then unreachable) or a
directory (whose home page is a file listing).  This launcher serves the repository root
with the configuration in ``voila.json`` (sources stripped, no tracebacks, preheated
kernels, idle kernels culled) and adds two rules:

* ``/`` redirects to the home page, ``/voila/render/notebooks/index.ipynb``;
* only notebooks under ``notebooks/`` and ``exercises/`` are rendered (404 elsewhere),
  so nothing in ``tests/``, ``.venv/`` or a build folder can be executed by a visitor.

It also serves, under ``<base_url>itb-static/``, two sets of files from installed packages
so that a page needs nothing from the internet and nothing large over its kernel websocket:

* ``itb-static/plotly/plotly.esm.js``: plotly.js (the basic bundle in ``widgets/static/``) as an ES module,
  imported by the figures of :mod:`widgets.plot` (kernels get the path in ``ITB_PLOTLY_ESM``)
  instead of each figure carrying the ~5 MB library in its widget state; cached by the browser
  (versioned URL);
* ``itb-static/fontawesome/``: Font Awesome's stylesheets and web fonts (package ``fontawesomefree``),
  which Voilà's lab and reveal templates link from a CDN (the icons of buttons such as "Add step");
  rendered pages get the local URLs instead;
* ``itb-static/reveal/``: reveal.js's stylesheets and themes (package ``sphinx-revealjs``),
  the ``url_prefix`` of Voilà's reveal template (the teaching deck), which otherwise loads them
  from a CDN.

Every notebook in ``notebooks/`` (and ``exercises/practice.ipynb``) gets one preheated
kernel, including apps added after ``voila.json`` was written.  Any Voilà option may be
given on the command line (``--port``, ``--Voila.ip``, ``--VoilaConfiguration.preheat_kernel=False``).
"""
from __future__ import annotations

import contextlib
import contextvars
import functools
import importlib
import json
import logging
import os
import posixpath
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tornado.ioloop
import tornado.web
from jupyter_core.paths import jupyter_config_path
from jupyter_server._tz import utcnow
from jupyter_server.utils import ensure_async, url_path_join
from traitlets import Float, Int, default
from voila.app import Voila
from voila.handler import VoilaHandler
from voila.request_info_handler import RequestInfoSocketHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from ._kernel import SERVED_ENV
from .plot import PLOTLY_ESM_ENV, plotly_esm_source, plotly_js_version

ROOT = Path(__file__).resolve().parent.parent
HOME = "notebooks/index.ipynb"
#: Folders whose notebooks may be rendered.
SERVED = ("notebooks", "exercises")

#: URL path (under the server's base URL) of the files served from installed packages.
STATIC = "itb-static"
#: Path of plotly.js as an ES module relative to the base URL, versioned so browsers cache it for good.
PLOTLY_ESM_URL = f"{STATIC}/plotly/plotly.esm.js?v={plotly_js_version()}"

__all__ = ["SuiteVoila", "main", "app_notebooks", "free_port", "start_server", "stop_server", "wait_until_ready",
           "reveal_dir", "ONE_ADDRESS_CLASS",
           "ROOT", "HOME", "STATIC", "PLOTLY_ESM_URL"]


#: Server options for a whole class simulated from one address (the browser tests, the load test and the
#: benchmarks open dozens of pages from 127.0.0.1, where a room has one address per trainee): the per-client
#: bounds are off; every other bound (places, websockets per kernel, buffers, culling) stays in force.
ONE_ADDRESS_CLASS = ("--SuiteVoila.max_kernels_per_client=0", "--SuiteVoila.max_websockets_per_client=0")

#: Font Awesome's stylesheets as Voilà's templates link them (lab and reveal), by file name.
FONT_AWESOME_CDN = "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@^5/css/"


@functools.cache
def _package_files(package: str, folder: str, marker: str) -> Path | None:
    """``folder`` inside the installed ``package`` if it holds ``marker``, else None (not installed);
    looked up once per process (every rendered page asks)."""
    try:
        module = importlib.import_module(package)
    except ImportError:
        return None
    if module.__file__ is None:  # a namespace package: not an installed copy
        return None
    found = Path(module.__file__).parent / folder
    return found if (found / marker).is_file() else None


def font_awesome_dir() -> Path | None:
    """Font Awesome's ``css/`` and ``webfonts/`` from the ``fontawesomefree`` package, or None."""
    return _package_files("fontawesomefree", "static/fontawesomefree", "css/all.min.css")


def reveal_dir() -> Path | None:
    """reveal.js's files (``dist/reveal.css``, ``dist/theme/…``, ``plugin/…``) from sphinx-revealjs, or None."""
    return _package_files("sphinx_revealjs", "_static/revealjs", "dist/reveal.css")


def app_notebooks(root: Path = ROOT) -> list[str]:
    """The notebooks served as apps, relative to ``root`` (home first)."""
    found = sorted(p.relative_to(root).as_posix() for p in (root / "notebooks").glob("*.ipynb"))
    found += [p.relative_to(root).as_posix() for p in sorted((root / "exercises").glob("*.ipynb"))]
    return sorted(found, key=lambda p: (p != HOME, p))


def served_notebooks(root: Path = ROOT) -> frozenset[str]:
    """Every notebook a visitor may render: the apps and the trainee notebooks, nothing else.

    Solutions, authored sources, tests, benchmarks and anything else under the root are never rendered.
    """
    trainee = [p.relative_to(root).as_posix() for p in (root / "exercises" / "trainee").glob("*.ipynb")]
    return frozenset([*app_notebooks(root), *trainee])


def normalised_path(path: str | None) -> str | None:
    """The notebook path a request names, decoded (``%2e``, ``%2f``, repeated encodings) and with ``..``
    resolved; ``None`` when it leaves the root or cannot be read."""
    if not path:
        return None
    text = path
    for _ in range(4):  # %252e%252e → %2e%2e → ..
        decoded = urllib.parse.unquote(text)
        if decoded == text:
            break
        text = decoded
    if "\\" in text or "\x00" in text:
        return None
    norm = posixpath.normpath("/" + text.lstrip("/"))
    if norm.startswith("/.."):
        return None
    return norm.lstrip("/")


#: Limits of one server (each a SuiteVoila setting; see docs/APPS.md "Serving to a room safely").
LIMITS: dict[str, Any] = {"max_kernels": 60, "kernel_max_age": 3 * 3600.0, "kernel_memory_limit": 2 * 1024**3,
          "max_kernels_per_client": 8, "kernel_inactivity_timeout": 1800.0,
          "max_websockets_per_kernel": 3, "max_websockets_per_client": 24,
          "websocket_write_buffer": 32 * 1024**2, "max_query_length": 2048,
          "allowed_themes": ("light", "dark")}
#: Environment variables giving a setting's default (``python3 tasks.py serve`` passes them through).
LIMIT_ENV = {"max_kernels": "ITB_MAX_KERNELS", "kernel_max_age": "ITB_KERNEL_MAX_AGE",
             "kernel_memory_limit": "ITB_KERNEL_MEMORY_LIMIT", "max_kernels_per_client": "ITB_MAX_KERNELS_PER_CLIENT",
             "kernel_inactivity_timeout": "ITB_KERNEL_INACTIVITY_TIMEOUT",
             "max_websockets_per_kernel": "ITB_MAX_WEBSOCKETS_PER_KERNEL",
             "max_websockets_per_client": "ITB_MAX_WEBSOCKETS_PER_CLIENT",
             "websocket_write_buffer": "ITB_WEBSOCKET_WRITE_BUFFER", "max_query_length": "ITB_MAX_QUERY_LENGTH"}
#: The environment variable through which the launcher gives its kernels their memory limit (bytes).
KERNEL_MEMORY_ENV = "ITB_KERNEL_MEMORY_LIMIT_BYTES"

_FULL_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>The class is full</title>
<meta http-equiv="refresh" content="60"></head><body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>The class is full</h1><p>Every place on this training server is taken right now. Try again in a minute
(this page reloads itself); closing an app you no longer use frees its place.</p>
<p><strong>For training only &mdash; not for treating patients.</strong></p></body></html>"""


_BUSY_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Too many apps open</title>
<meta http-equiv="refresh" content="60"></head><body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>Too many apps open from this computer</h1><p>This computer already holds {held} places on the training server.
Close an app you no longer use (its tab), then try again (this page reloads itself in a minute).</p>
<p><strong>For training only &mdash; not for treating patients.</strong></p></body></html>"""

#: Who holds a place: kernel id -> client address of the page it was handed to.
OWNERS: dict[str, str] = {}
#: Last sign of a user on a page: kernel id -> ``time.monotonic()`` (handout, any message from its websocket).
ACTIVITY: dict[str, float] = {}
#: Pages being rendered per client address (their kernels are not in OWNERS yet).
_PENDING: dict[str, int] = {}
#: The client address of the page request being rendered and the kernels it got (set where its kernel is
#: started or handed out).
_CLIENT: contextvars.ContextVar[tuple[str, list] | None] = contextvars.ContextVar("itb_client", default=None)


def _prune(alive) -> None:
    alive = set(alive)
    for table in (OWNERS, ACTIVITY):
        for kid in [k for k in table if k not in alive]:
            del table[kid]


def _places_of(address: str) -> int:
    return sum(1 for a in OWNERS.values() if a == address) + _PENDING.get(address, 0)


def _claim(kernel_id: str) -> None:
    """A kernel was handed to (or started for) the page being rendered: its place belongs to that client."""
    request = _CLIENT.get()
    if request is not None:
        OWNERS[kernel_id] = request[0]
        ACTIVITY[kernel_id] = time.monotonic()
        request[1].append(kernel_id)


class _NotServed(tornado.web.RequestHandler):
    def get(self, *args, **kwargs):
        raise tornado.web.HTTPError(404)

    post = put = delete = patch = get


#: A notebook that builds an app with figures imports one of the app modules of ``widgets``.
_APP_IMPORT = re.compile(r"^\s*from\s+widgets\.(?!(?:app|a11y|fields|findings|palette|page)\b)\w+\s+import\b", re.M)


@functools.lru_cache(maxsize=64)
def _draws_figures(path: str, mtime: float) -> bool:
    """Whether the notebook at ``path`` builds an app of ``widgets`` (which draws with plotly.js)."""
    try:
        cells = json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return False
    return any(c.get("cell_type") == "code" and _APP_IMPORT.search("".join(c.get("source", ""))) for c in cells)


if TYPE_CHECKING:  # what the mixin is mixed into (:func:`_render_handler`)
    from voila.handler import VoilaHandler as _RenderBase
else:
    _RenderBase = object


class _RenderMixin(_RenderBase):
    """Mixed into Voilà's render handler (:func:`_render_handler`): the ``_xsrf`` cookie, plotly.js
    preloaded, Font Awesome from the server.

    The page asks the server to shut its kernel down when the tab closes
    (``POST /voila/api/shutdown/<id>``); without the cookie that request is refused with 403
    and every visit's kernel lingers until the culler removes it.

    For a notebook that draws figures, ``<link rel="modulepreload">`` in the page's head lets the
    browser fetch and compile plotly.js while Voilà's own scripts start, instead of after the
    first figure's widget model arrives.

    Voilà's templates link Font Awesome's stylesheets from a CDN; the page gets the server's copy
    (:func:`font_awesome_dir`), so button icons draw in an offline classroom.
    """

    async def prepare(self, *args, **kwargs):
        await ensure_async(super().prepare(*args, **kwargs))
        self.xsrf_token  # noqa: B018 - reading it sets the cookie

    async def get(self, path=None):
        # The allow-list applies to the decoded, normalised path: an encoded ".." (%2e%2e, %2f) must not
        # reach a notebook outside the apps and trainee notebooks (solutions, sources, bench, tests).
        norm = normalised_path(path)
        if norm is None or norm not in served_notebooks(Path(LIMITS.get("root_dir") or ROOT)):
            raise tornado.web.HTTPError(404)
        # Voilà renders another template or theme with a fresh kernel (no preheating, no shutdown beacon in a
        # bare template): only the notebook's own template and the suite's themes.
        template = self.get_query_argument("template", None)
        if template is not None and template != _notebook_template(Path(LIMITS.get("root_dir") or ROOT) / norm):
            raise tornado.web.HTTPError(404)
        theme = self.get_query_argument("theme", None)
        if theme is not None and theme not in LIMITS["allowed_themes"]:
            raise tornado.web.HTTPError(404)
        # The query string goes to the kernel's environment and Voilà's request cache: a page needs a few words.
        if LIMITS["max_query_length"] and len(self.request.query) > LIMITS["max_query_length"]:
            raise tornado.web.HTTPError(414)
        # Every page starts a kernel: past the cap a visitor gets a clear page, not a hang.
        km = self.kernel_manager
        if len(km.list_kernel_ids()) >= LIMITS["max_kernels"]:
            self.set_status(503)
            self.set_header("Retry-After", "60")
            self.finish(_FULL_PAGE)
            return
        # ... and one computer holds a bounded share of the places.
        client = self.request.remote_ip or "?"
        _prune(km.list_kernel_ids())
        held = _places_of(client)
        if LIMITS["max_kernels_per_client"] and held >= LIMITS["max_kernels_per_client"]:
            self.log.warning("%s holds %d places: page refused", client, held)
            self.set_status(429)
            self.set_header("Retry-After", "60")
            self.finish(_BUSY_PAGE.format(held=held))
            return
        claimed: list[str] = []
        token = _CLIENT.set((client, claimed))
        _PENDING[client] = _PENDING.get(client, 0) + 1
        try:
            return await super().get(path=norm)
        finally:
            _CLIENT.reset(token)
            for kid in claimed:  # the user's inactivity counts from the page, not from the kernel's start
                if kid in ACTIVITY:
                    ACTIVITY[kid] = time.monotonic()
            _PENDING[client] -= 1
            if not _PENDING[client]:
                del _PENDING[client]

    async def get_generator(self, path=None):
        preload = None
        if path:
            file = ROOT / path
            if file.is_file() and _draws_figures(str(file), file.stat().st_mtime):
                href = url_path_join(self.base_url, PLOTLY_ESM_URL)
                preload = f'<link rel="modulepreload" href="{href}">'
        fa_local = url_path_join(self.base_url, STATIC, "fontawesome", "css") + "/" if font_awesome_dir() else None
        async for html in super().get_generator(path=path):
            if fa_local and FONT_AWESOME_CDN in html:
                html = html.replace(FONT_AWESOME_CDN, fa_local)
            if preload and "<head>" in html:
                html = html.replace("<head>", "<head>\n" + preload, 1)
                preload = None
            yield html


def _notebook_template(file: Path) -> str | None:
    """The template a notebook renders with: its ``metadata.voila.template``, else the configured one."""
    try:
        return _template_of(str(file), file.stat().st_mtime) or LIMITS.get("template") or "lab"
    except OSError:
        return None


@functools.lru_cache(maxsize=64)
def _template_of(path: str, mtime: float) -> str | None:
    try:
        meta = json.loads(Path(path).read_text(encoding="utf-8")).get("metadata", {})
    except (OSError, ValueError):
        return None
    return (meta.get("voila") or {}).get("template")


@functools.cache
def _render_handler(cls: type) -> type:
    """Voilà's render handler class ``cls`` (``TornadoVoilaHandler`` in Voilà 0.5) with :class:`_RenderMixin`."""
    return type(f"Suite{cls.__name__}", (_RenderMixin, cls), {})


def _refresh_activity_on_handout(kernel_manager) -> None:
    """A preheated kernel handed to a page starts its idle time afresh.

    Voilà keeps a pool kernel's ``last_activity`` from when it finished running the
    notebook; one that waited longer than ``cull_idle_timeout`` for its first visitor
    (a class server started early) could be culled between the page's HTML and its
    websocket, leaving a dead app on the screen.
    """
    start = kernel_manager.start_kernel

    async def start_kernel(*args, **kwargs):
        kernel_id = await ensure_async(start(*args, **kwargs))
        # a page's own kernel (preheating off or bypassed), not a pool's (those are handed out below)
        if (kwargs.get("env") or {}).get("VOILA_PREHEAT") != "True":
            _claim(kernel_id)
        return kernel_id

    kernel_manager.start_kernel = start_kernel
    get_rendered = getattr(kernel_manager, "get_rendered_notebook", None)
    if get_rendered is None:  # preheating switched off
        return

    async def get_rendered_notebook(*args, **kwargs):
        result = await get_rendered(*args, **kwargs)
        kernel_id = result[-1]
        with contextlib.suppress(KeyError):
            kernel_manager.get_kernel(kernel_id).last_activity = utcnow()
        _claim(kernel_id)
        return result

    kernel_manager.get_rendered_notebook = get_rendered_notebook


#: Open kernel websockets: handler -> (kernel id, client address).
WEBSOCKETS: dict[object, tuple[str, str]] = {}


class _SuiteKernelWebsocket(VoilaKernelWebsocketHandler):
    """Voilà's kernel websocket with bounds: a few per kernel and per client address (each holds ZeroMQ sockets
    of the server: ~250 to one kernel exhausted its files and every other page got HTTP 500), a bounded write
    buffer (a reader that falls behind is dropped, not buffered for), and every message from the page counted
    as the user's activity (:class:`KernelAgeCuller`)."""

    async def get(self, kernel_id, *args, **kwargs):
        client = self.request.remote_ip or "?"
        on_kernel = sum(1 for k, _ in WEBSOCKETS.values() if k == kernel_id)
        of_client = sum(1 for _, a in WEBSOCKETS.values() if a == client)
        per_kernel, per_client = LIMITS["max_websockets_per_kernel"], LIMITS["max_websockets_per_client"]
        if (per_kernel and on_kernel >= per_kernel) or (per_client and of_client >= per_client):
            self.log.warning("websocket refused: %d open to kernel %s, %d from %s", on_kernel, kernel_id,
                             of_client, client)
            self.set_header("Retry-After", "60")
            raise tornado.web.HTTPError(429, reason="Too many connections")
        WEBSOCKETS[self] = (kernel_id, client)
        try:
            return await super().get(kernel_id, *args, **kwargs)
        finally:
            if self.ws_connection is None:
                WEBSOCKETS.pop(self, None)

    def on_message(self, ws_message):
        kid = WEBSOCKETS.get(self, (None,))[0]
        if kid in ACTIVITY:
            ACTIVITY[kid] = time.monotonic()
        return super().on_message(ws_message)

    def on_close(self):
        WEBSOCKETS.pop(self, None)
        return super().on_close()

    def write_message(self, message, binary=False):
        stream = getattr(self.ws_connection, "stream", None)
        pending = len(getattr(stream, "_write_buffer", None) or ()) if stream is not None else 0
        size = len(message) if isinstance(message, (bytes, str)) else 0
        if pending and pending + size > LIMITS["websocket_write_buffer"]:
            self.log.warning("websocket to kernel %s dropped: its reader fell %d bytes behind",
                             WEBSOCKETS.get(self, ("?",))[0], pending)
            WEBSOCKETS.pop(self, None)
            with contextlib.suppress(Exception):
                self.ws_connection.abort()
            return None
        return super().write_message(message, binary)


class _SuiteRequestInfo(RequestInfoSocketHandler):
    """Voilà's ``/voila/query/<kernel>``, where a preheated kernel waits for its page's request (the query
    string the product-information app reads), with one waiter per live kernel, from this machine only.

    Voilà's own lets a second connection replace the first and, when the replaced one closes, deletes another
    kernel's waiter (that page then never finishes); and it keeps every page's request info for good.
    """

    _waiters: dict = {}
    _cache: dict = {}
    kernel_manager = None

    async def get(self, kernel_id, *args, **kwargs):
        km = type(self).kernel_manager or self.settings.get("kernel_manager")
        ip = self.request.remote_ip or ""
        if (not (ip.startswith("127.") or ip == "::1") or km is None or kernel_id not in km.list_kernel_ids()
                or kernel_id in self._waiters):
            raise tornado.web.HTTPError(404)
        return await super().get(kernel_id, *args, **kwargs)

    def open(self, kernel_id: str) -> None:
        if kernel_id in self._waiters:
            self.close()
            return
        self._waiters[kernel_id] = self
        payload = self._cache.pop(kernel_id, None)
        if payload is not None:
            self.write_message(payload)

    def on_close(self) -> None:
        for kid in [k for k, w in self._waiters.items() if w is self]:
            del self._waiters[kid]

    @classmethod
    def send_updates(cls, msg: dict) -> None:
        kernel_id, payload = msg["kernel_id"], msg["payload"]
        waiter = cls._waiters.get(kernel_id)
        if waiter is not None:
            with contextlib.suppress(Exception):
                waiter.write_message(payload)
            return
        km = cls.kernel_manager
        if km is not None:  # requests of kernels long gone
            alive = set(km.list_kernel_ids())
            for kid in [k for k in cls._cache if k not in alive]:
                del cls._cache[kid]
        while len(cls._cache) >= max(1, 2 * LIMITS["max_kernels"]):
            cls._cache.pop(next(iter(cls._cache)))
        cls._cache[kernel_id] = payload


class _QuietStart(logging.Filter):
    """Drop the launcher's start-up noise (notebook trust), keep every other record."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "is not trusted" not in record.getMessage()


def _env_limit(name: str):
    """A setting's default: its environment variable (LIMIT_ENV) if set, else LIMITS."""
    return type(LIMITS[name])(os.environ.get(LIMIT_ENV[name], LIMITS[name]))


class SuiteVoila(Voila):
    """Voilà with the suite's root, config file, home redirect, render allow-list and resource limits."""

    max_kernels = Int(LIMITS["max_kernels"], config=True,
                      help="Most kernels alive at once (preheated ones included); past it a page says the class is "
                           "full. Env: ITB_MAX_KERNELS.")
    kernel_max_age = Float(LIMITS["kernel_max_age"], config=True,
                           help="Seconds after which any kernel is shut down, busy or not (0: never). "
                                "Env: ITB_KERNEL_MAX_AGE.")
    kernel_memory_limit = Int(LIMITS["kernel_memory_limit"], config=True,
                              help="Bytes of data memory one kernel may take (RLIMIT_DATA; 0: no limit). "
                                   "Env: ITB_KERNEL_MEMORY_LIMIT.")

    max_kernels_per_client = Int(LIMITS["max_kernels_per_client"], config=True,
                                 help="Most places (kernels) pages from one client address may hold; past it the "
                                      "page says so (HTTP 429). 0: no limit. Behind a reverse proxy every page "
                                      "comes from the proxy's address. Env: ITB_MAX_KERNELS_PER_CLIENT.")
    kernel_inactivity_timeout = Float(LIMITS["kernel_inactivity_timeout"], config=True,
                                      help="Seconds without any message from the page (a user's change) after which "
                                           "its kernel is shut down, connected or not (0: never). "
                                           "Env: ITB_KERNEL_INACTIVITY_TIMEOUT.")
    max_websockets_per_kernel = Int(LIMITS["max_websockets_per_kernel"], config=True,
                                    help="Most websockets open to one kernel; more are refused (HTTP 429). "
                                         "Env: ITB_MAX_WEBSOCKETS_PER_KERNEL.")
    max_websockets_per_client = Int(LIMITS["max_websockets_per_client"], config=True,
                                    help="Most kernel websockets open from one client address; more are refused "
                                         "(HTTP 429). 0: no limit. Env: ITB_MAX_WEBSOCKETS_PER_CLIENT.")
    websocket_write_buffer = Int(LIMITS["websocket_write_buffer"], config=True,
                                 help="Bytes the server may hold unsent for one websocket; a page that reads slower "
                                      "is disconnected. Env: ITB_WEBSOCKET_WRITE_BUFFER.")
    max_query_length = Int(LIMITS["max_query_length"], config=True,
                           help="Longest query string of a page request (HTTP 414 past it; 0: no limit). "
                                "Env: ITB_MAX_QUERY_LENGTH.")

    # each setting's default from its environment variable (LIMIT_ENV), else LIMITS
    _max_kernels_default = default("max_kernels")(lambda self: _env_limit("max_kernels"))
    _kernel_max_age_default = default("kernel_max_age")(lambda self: _env_limit("kernel_max_age"))
    _kernel_memory_limit_default = default("kernel_memory_limit")(lambda self: _env_limit("kernel_memory_limit"))
    _per_client_default = default("max_kernels_per_client")(lambda self: _env_limit("max_kernels_per_client"))
    _inactivity_default = default("kernel_inactivity_timeout")(lambda self: _env_limit("kernel_inactivity_timeout"))
    _ws_kernel_default = default("max_websockets_per_kernel")(lambda self: _env_limit("max_websockets_per_kernel"))
    _ws_client_default = default("max_websockets_per_client")(lambda self: _env_limit("max_websockets_per_client"))
    _ws_buffer_default = default("websocket_write_buffer")(lambda self: _env_limit("websocket_write_buffer"))
    _query_default = default("max_query_length")(lambda self: _env_limit("max_query_length"))

    @default("config_file_paths")
    def _config_file_paths_default(self):
        return [str(ROOT), *jupyter_config_path()]

    @default("root_dir")
    def _default_root_dir(self):
        return str(ROOT)

    def initialize(self, argv=None):
        super().initialize(argv)
        # Warnings that matter only: the apps are served read-only with their sources stripped, so
        # "Notebook … is not trusted" (one per app at every start) says nothing a class needs to act on.
        self.log.addFilter(_QuietStart())
        # One preheated kernel for every app, also those added after voila.json was written.
        pools = self.config.VoilaKernelManager.get("kernel_pools_config", {}) or {}
        if isinstance(pools, str):  # given on the command line: JSON, not parsed yet
            pools = json.loads(pools)
        pools = dict(pools)
        for nb in app_notebooks(Path(self.root_dir)):
            pools.setdefault(nb, {"pool_size": 1})
        pools.setdefault("default", {"pool_size": 0})
        self.config.VoilaKernelManager.kernel_pools_config = pools
        # Kernels (started after this) build figures that import plotly.js from us.
        os.environ[PLOTLY_ESM_ENV] = PLOTLY_ESM_URL
        # ... and take their memory limit from us (widgets/__init__.py applies it inside the kernel).
        LIMITS.update({name: getattr(self, name) for name in LIMIT_ENV}, root_dir=str(self.root_dir),
                      template=self.voila_configuration.template)
        # ... and know that they serve a page (widgets/_kernel.py: nothing of the server's stderr reaches it).
        os.environ[SERVED_ENV] = "1"
        if self.kernel_memory_limit > 0:
            os.environ[KERNEL_MEMORY_ENV] = str(self.kernel_memory_limit)
        else:
            os.environ.pop(KERNEL_MEMORY_ENV, None)
        # The reveal template (teaching deck) takes reveal.js's stylesheets from us, not a CDN.
        reveal = reveal_dir()
        if reveal is not None:
            resources = self.config.VoilaConfiguration.get("resources", {}) or {}
            resources = dict(resources if isinstance(resources, dict) else resources.to_dict())
            resources["reveal"] = {"url_prefix": url_path_join(self.base_url, STATIC, "reveal"),
                                   **(resources.get("reveal") or {})}
            self.config.VoilaConfiguration.resources = resources
            self.voila_configuration.config.VoilaConfiguration.resources = resources
        else:
            self.log.warning("sphinx-revealjs is not installed: slides load reveal.js's stylesheets from a CDN")

    def init_handlers(self):
        replaced = {VoilaKernelWebsocketHandler: _SuiteKernelWebsocket, RequestInfoSocketHandler: _SuiteRequestInfo}
        handlers = [(h[0], _render_handler(h[1]), *h[2:])
                    if len(h) > 1 and isinstance(h[1], type) and issubclass(h[1], VoilaHandler) else
                    (h[0], replaced[h[1]], *h[2:]) if len(h) > 1 and h[1] in replaced else h
                    for h in super().init_handlers()]
        # Voilà's page handler hands the request info to its own class: to ours instead.
        import voila.handler
        voila.handler.RequestInfoSocketHandler = _SuiteRequestInfo
        _SuiteRequestInfo.kernel_manager = self.kernel_manager
        _refresh_activity_on_handout(self.kernel_manager)
        limits = [t for t in (self.kernel_max_age, self.kernel_inactivity_timeout) if t > 0]
        if limits:  # the kernel manager exists from here on; the loop starts after the handlers
            culler = KernelAgeCuller(self.kernel_manager, self.kernel_max_age, self.log,
                                     inactivity=self.kernel_inactivity_timeout)
            interval_ms = max(1000.0, min(60_000.0, min(limits) * 1000 / 4))
            tornado.ioloop.PeriodicCallback(culler.check, interval_ms).start()
        home = url_path_join(self.server_url, "voila/render", HOME)
        allowed = "|".join(SERVED)
        extra = [
            (self.server_url.rstrip("/") + "/?", tornado.web.RedirectHandler, {"url": home}),
            (url_path_join(self.server_url, rf"/voila/render/(?!(?:{allowed})/)(.*)"), _NotServed),
            # No listing of the tree for visitors: the home page links every app.
            (url_path_join(self.server_url, r"/voila/tree(.*)"), _NotServed),
            (url_path_join(self.server_url, r"/voila/api/contents(.*)"), _NotServed),
            (url_path_join(self.server_url, STATIC, r"plotly/plotly\.esm\.js"), _PlotlyModule),
        ]
        fa = font_awesome_dir()
        if fa is not None:
            extra.append((url_path_join(self.server_url, STATIC, r"fontawesome/((?:css|webfonts)/[^/]+)"),
                          tornado.web.StaticFileHandler, {"path": str(fa)}))
        reveal = reveal_dir()
        if reveal is not None:
            extra.append((url_path_join(self.server_url, STATIC, r"reveal/(.*)"), tornado.web.StaticFileHandler,
                          {"path": str(reveal)}))
        return extra + handlers


def _pooled_ids(kernel_manager) -> set[str]:
    """Kernels waiting, preheated, in Voilà's pools (not yet handed to a page)."""
    ids = set()
    for pool in getattr(kernel_manager, "_pools", {}).values():
        for f in pool:
            try:
                if f.done():
                    ids.add(f.result().get("kernel_id"))
            except Exception:  # noqa: BLE001 - a failed pool start has no kernel
                pass
    return ids


class KernelAgeCuller:
    """Shut down every kernel handed to a page more than ``max_age`` seconds ago, busy or not.

    Idle kernels are culled by jupyter_server (``MappingKernelManager.cull_*`` in voila.json); this
    bounds the rest: a tab left open and busy all day, or a computation that never ends.
    """

    def __init__(self, kernel_manager, max_age: float, log, inactivity: float = 0.0,
                 activity: dict[str, float] | None = None) -> None:
        self.km, self.max_age, self.log, self.inactivity = kernel_manager, max_age, log, inactivity
        self.activity = ACTIVITY if activity is None else activity
        self.first_seen: dict[str, float] = {}

    async def check(self, now: float | None = None) -> list[str]:
        now = time.monotonic() if now is None else now
        pooled = _pooled_ids(self.km)
        alive = set(self.km.list_kernel_ids())
        for kid in list(self.first_seen):
            if kid not in alive:
                del self.first_seen[kid]
        stopped = []
        for kid in alive - pooled:
            seen = self.first_seen.setdefault(kid, now)
            last = self.activity.get(kid, seen)
            if self.max_age > 0 and now - seen > self.max_age:
                self.log.warning("Kernel %s is older than %.0f s: shutting it down", kid, self.max_age)
            elif self.inactivity > 0 and now - last > self.inactivity:
                # connected or not: an open websocket without a user's change holds a place for nothing
                self.log.warning("Kernel %s had no user activity for %.0f s: shutting it down", kid, self.inactivity)
            else:
                continue
            try:
                await ensure_async(self.km.shutdown_kernel(kid))
                stopped.append(kid)
            except Exception:  # noqa: BLE001 - gone already
                pass
        return stopped


class _PlotlyModule(tornado.web.RequestHandler):
    """plotly.js as an ES module (:func:`widgets.plot.plotly_esm_source`); cached for good under a
    versioned URL, revalidated (ETag) otherwise."""

    def get(self) -> None:
        self.set_header("Content-Type", "text/javascript; charset=utf-8")
        versioned = self.get_query_argument("v", None) == plotly_js_version()
        self.set_header("Cache-Control", "public, max-age=31536000, immutable" if versioned else "no-cache")
        self.write(plotly_esm_source())


def free_port() -> int:
    """A free TCP port on localhost."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, *extra: str, log_path: Path | None = None, env: dict | None = None) -> subprocess.Popen:
    """Start this launcher in a subprocess on ``port`` (tests and benchmarks); stop it with ``.terminate()``."""
    out = open(log_path, "wb") if log_path else subprocess.DEVNULL  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        [sys.executable, "-m", "widgets.serve", "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1", *extra],
        cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})},
    )


def stop_server(proc: subprocess.Popen) -> None:
    """Stop a server from :func:`start_server`: terminate, then kill if it does not exit within 20 s."""
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def wait_until_ready(url: str, timeout: float = 60.0, proc: subprocess.Popen | None = None) -> None:
    """Wait until ``url`` answers (any HTTP status); raise TimeoutError or RuntimeError if the server died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the Voilà server exited with code {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.25)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def main(argv: list[str] | None = None) -> None:
    os.chdir(ROOT)
    SuiteVoila.launch_instance(argv=argv if argv is not None else sys.argv[1:])


if __name__ == "__main__":
    main()
