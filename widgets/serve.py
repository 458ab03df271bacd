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

import tornado.ioloop
import tornado.web
from jupyter_core.paths import jupyter_config_path
from jupyter_server._tz import utcnow
from jupyter_server.utils import ensure_async, url_path_join
from traitlets import Float, Int, default
from voila.app import Voila
from voila.handler import VoilaHandler

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
           "reveal_dir",
           "ROOT", "HOME", "STATIC", "PLOTLY_ESM_URL"]


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
LIMITS = {"max_kernels": 60, "kernel_max_age": 3 * 3600.0, "kernel_memory_limit": 2 * 1024**3}
#: The environment variable through which the launcher gives its kernels their memory limit (bytes).
KERNEL_MEMORY_ENV = "ITB_KERNEL_MEMORY_LIMIT_BYTES"

_FULL_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>The class is full</title>
<meta http-equiv="refresh" content="60"></head><body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>The class is full</h1><p>Every place on this training server is taken right now. Try again in a minute
(this page reloads itself); closing an app you no longer use frees its place.</p>
<p><strong>For training only &mdash; not for treating patients.</strong></p></body></html>"""


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


class _RenderMixin:
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
        # Every page starts a kernel: past the cap a visitor gets a clear page, not a hang.
        km = self.kernel_manager
        if len(km.list_kernel_ids()) >= LIMITS["max_kernels"]:
            self.set_status(503)
            self.set_header("Retry-After", "60")
            self.finish(_FULL_PAGE)
            return
        return await super().get(path=norm)

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
    get_rendered = getattr(kernel_manager, "get_rendered_notebook", None)
    if get_rendered is None:  # preheating switched off
        return

    async def get_rendered_notebook(*args, **kwargs):
        result = await get_rendered(*args, **kwargs)
        kernel_id = result[-1]
        with contextlib.suppress(KeyError):
            kernel_manager.get_kernel(kernel_id).last_activity = utcnow()
        return result

    kernel_manager.get_rendered_notebook = get_rendered_notebook


class _QuietStart(logging.Filter):
    """Drop the launcher's start-up noise (notebook trust), keep every other record."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "is not trusted" not in record.getMessage()


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

    @default("max_kernels")
    def _max_kernels_default(self):
        return int(os.environ.get("ITB_MAX_KERNELS", LIMITS["max_kernels"]))

    @default("kernel_max_age")
    def _kernel_max_age_default(self):
        return float(os.environ.get("ITB_KERNEL_MAX_AGE", LIMITS["kernel_max_age"]))

    @default("kernel_memory_limit")
    def _kernel_memory_limit_default(self):
        return int(os.environ.get("ITB_KERNEL_MEMORY_LIMIT", LIMITS["kernel_memory_limit"]))

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
        pools = dict(self.config.VoilaKernelManager.get("kernel_pools_config", {}) or {})
        for nb in app_notebooks(Path(self.root_dir)):
            pools.setdefault(nb, {"pool_size": 1})
        pools.setdefault("default", {"pool_size": 0})
        self.config.VoilaKernelManager.kernel_pools_config = pools
        # Kernels (started after this) build figures that import plotly.js from us.
        os.environ[PLOTLY_ESM_ENV] = PLOTLY_ESM_URL
        # ... and take their memory limit from us (widgets/__init__.py applies it inside the kernel).
        LIMITS.update(max_kernels=self.max_kernels, kernel_max_age=self.kernel_max_age,
                      kernel_memory_limit=self.kernel_memory_limit, root_dir=str(self.root_dir))
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
        handlers = [(h[0], _render_handler(h[1]), *h[2:])
                    if len(h) > 1 and isinstance(h[1], type) and issubclass(h[1], VoilaHandler) else h
                    for h in super().init_handlers()]
        _refresh_activity_on_handout(self.kernel_manager)
        if self.kernel_max_age > 0:  # the kernel manager exists from here on; the loop starts after the handlers
            culler = KernelAgeCuller(self.kernel_manager, self.kernel_max_age, self.log)
            interval_ms = max(1000.0, min(60_000.0, self.kernel_max_age * 1000 / 4))
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

    def __init__(self, kernel_manager, max_age: float, log) -> None:
        self.km, self.max_age, self.log = kernel_manager, max_age, log
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
            if now - seen > self.max_age:
                self.log.warning("Kernel %s is older than %.0f s: shutting it down", kid, self.max_age)
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
