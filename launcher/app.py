"""The application: Voilà with the suite's root, config file, template, handlers and resource bounds.

For training only, not for treating patients.

Plain ``voila`` serves either one notebook (the other apps are then unreachable) or a
directory (whose home page is a file listing).  :class:`SuiteVoila` serves the repository root
with the configuration in ``voila.json`` (sources stripped, no tracebacks, preheated
kernels, idle kernels culled, the suite's template ``itb``) and adds:

* ``/`` redirects to the home page, ``/voila/render/notebooks/index.ipynb``;
* only notebooks under ``notebooks/`` and ``exercises/`` are rendered (404 elsewhere; :mod:`.handlers.render`),
  so nothing in ``tests/``, ``.venv/`` or a build folder can be executed by a visitor;
* bounds on kernels, places per client, websockets, buffers and query strings (:class:`~launcher.settings.Suite`),
  and a culler for old and inactive kernels (:class:`~launcher.places.KernelAgeCuller`);
* kernels started with the suite's kernel start-up (:mod:`launcher.kernels`).

It also serves, under ``<base_url>itb-static/``, files so that a page needs nothing from the internet and
nothing large over its kernel websocket:

* ``itb-static/plotly/plotly.esm.js``: plotly.js as an ES module (:mod:`.handlers.plotly`);
* ``itb-static/fontawesome/``: Font Awesome's stylesheets and web fonts (package ``fontawesomefree``),
  which Voilà's lab and reveal templates link from a CDN (rendered pages get the local URLs instead);
* ``itb-static/reveal/``: reveal.js's stylesheets and themes (package ``sphinx-revealjs``), the ``url_prefix``
  of the teaching deck's template.

The suite's templates (``share/jupyter/voila/templates/itb`` and ``itb-reveal``: the page's stylesheet and
scripts, once per page) are found on ``JUPYTER_PATH``, to which the launcher adds the checkout's
``share/jupyter`` (an installed suite also has them in ``<prefix>/share/jupyter``).

Every notebook in ``notebooks/`` (and ``exercises/*.ipynb``) gets one preheated kernel, including apps added
after ``voila.json`` was written.  Any Voilà option may be given on the command line (``--port``,
``--Voila.ip``, ``--VoilaConfiguration.preheat_kernel=False``).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import sys
from pathlib import Path

import tornado.ioloop
import tornado.web
from jupyter_core.paths import jupyter_config_path
from jupyter_server.utils import url_path_join
from traitlets import Float, Int, TraitError, Unicode, default, validate
from voila.app import Voila
from voila.handler import VoilaHandler
from voila.request_info_handler import RequestInfoSocketHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from .handlers import (
    EducatorNext,
    NotServed,
    PlotlyModule,
    SuiteKernelWebsocket,
    render_handler,
    request_info_handler,
)
from .handlers.educator import resolve_app
from .handlers.plotly import PLOTLY_ESM_URL
from .kernels import ServedKernelManager
from .languages import LOCALE_ENV, LOCALES
from .lesson import Lesson
from .paths import DATA_DIR, HOME, ROOT, SERVED, STATIC, app_notebooks, font_awesome_dir, reveal_dir
from .places import KernelAgeCuller, watch_handouts
from .settings import DEFAULTS, KERNEL_MEMORY_ENV, PLOTLY_ESM_ENV, SERVED_ENV, SETTING, Suite, env_default

__all__ = ["SuiteVoila", "main"]


class _QuietStart(logging.Filter):
    """Drop the launcher's start-up noise (notebook trust), keep every other record."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "is not trusted" not in record.getMessage()


def _env(name: str):
    return default(name)(lambda self: env_default(name))


class SuiteVoila(Voila):
    """Voilà with the suite's root, config file, home redirect, render allow-list and resource limits."""

    max_kernels = Int(
        DEFAULTS["max_kernels"],
        config=True,
        help="Most kernels alive at once (preheated ones included); past it a page says the class is "
        "full. Env: ITB_MAX_KERNELS.",
    )
    kernel_max_age = Float(
        DEFAULTS["kernel_max_age"],
        config=True,
        help="Seconds after which any kernel is shut down, busy or not (0: never). Env: ITB_KERNEL_MAX_AGE.",
    )
    kernel_memory_limit = Int(
        DEFAULTS["kernel_memory_limit"],
        config=True,
        help="Bytes of data memory one kernel may take (RLIMIT_DATA; 0: no limit). Env: ITB_KERNEL_MEMORY_LIMIT.",
    )
    max_kernels_per_client = Int(
        DEFAULTS["max_kernels_per_client"],
        config=True,
        help="Most places (kernels) pages from one client address may hold; past it the "
        "page says so (HTTP 429). 0: no limit. Behind a reverse proxy every page "
        "comes from the proxy's address. Env: ITB_MAX_KERNELS_PER_CLIENT.",
    )
    kernel_inactivity_timeout = Float(
        DEFAULTS["kernel_inactivity_timeout"],
        config=True,
        help="Seconds without any message from the page (a user's change) after which "
        "its kernel is shut down, connected or not (0: never). "
        "Env: ITB_KERNEL_INACTIVITY_TIMEOUT.",
    )
    max_websockets_per_kernel = Int(
        DEFAULTS["max_websockets_per_kernel"],
        config=True,
        help="Most websockets open to one kernel; more are refused (HTTP 429). Env: ITB_MAX_WEBSOCKETS_PER_KERNEL.",
    )
    max_websockets_per_client = Int(
        DEFAULTS["max_websockets_per_client"],
        config=True,
        help="Most kernel websockets open from one client address; more are refused "
        "(HTTP 429). 0: no limit. Env: ITB_MAX_WEBSOCKETS_PER_CLIENT.",
    )
    websocket_write_buffer = Int(
        DEFAULTS["websocket_write_buffer"],
        config=True,
        help="Bytes the server may hold unsent for one websocket; a page that reads slower "
        "is disconnected. Env: ITB_WEBSOCKET_WRITE_BUFFER.",
    )
    max_query_length = Int(
        DEFAULTS["max_query_length"],
        config=True,
        help="Longest query string of a page request (HTTP 414 past it; 0: no limit). Env: ITB_MAX_QUERY_LENGTH.",
    )

    locale = Unicode(
        config=True,
        help="The class's language (en, nb, tr): preheated kernels are built in it, and a page whose browser asks "
        "for no language of the suite gets it; a page in another language (?lang=, Accept-Language) gets a kernel "
        "of its own. Env: ITB_LOCALE.",
    )

    @default("locale")
    def _locale_default(self):
        return os.environ.get(LOCALE_ENV, "en")

    @validate("locale")
    def _locale_valid(self, proposal):
        if proposal["value"] not in LOCALES:
            raise TraitError(f"locale must be one of {', '.join(LOCALES)}, not {proposal['value']!r}")
        return proposal["value"]

    class_size = Int(
        DEFAULTS["class_size"],
        config=True,
        help="Trainees who open the announced app at once: its preheated pool grows by this many before the "
        "click (with next_app, at start; otherwise the size of the educator URL's announcement when it gives "
        "none). Bounded by max_kernels. Env: ITB_CLASS_SIZE.",
    )
    next_app = Unicode(
        DEFAULTS["next_app"],
        config=True,
        help="The app the class opens first (e.g. screening): its pool is grown for class_size trainees at "
        "start. Env: ITB_NEXT_APP.",
    )
    class_window = Float(
        DEFAULTS["class_window"],
        config=True,
        help="Seconds an announced app's grown pool waits for its class; then its idle surplus kernels are "
        "shut down (0: until the class has arrived or another app is announced). Env: ITB_CLASS_WINDOW.",
    )
    educator_token = Unicode(
        DEFAULTS["educator_token"],
        config=True,
        help="The token of the educator URL (<base>itb/next, header 'Authorization: token …'); empty: a "
        "random one, printed at start. Env: ITB_EDUCATOR_TOKEN.",
    )

    # each bound's default from its environment variable (settings.LIMIT_ENV), else settings.DEFAULTS
    _max_kernels_default = _env("max_kernels")
    _kernel_max_age_default = _env("kernel_max_age")
    _kernel_memory_limit_default = _env("kernel_memory_limit")
    _per_client_default = _env("max_kernels_per_client")
    _inactivity_default = _env("kernel_inactivity_timeout")
    _ws_kernel_default = _env("max_websockets_per_kernel")
    _ws_client_default = _env("max_websockets_per_client")
    _ws_buffer_default = _env("websocket_write_buffer")
    _query_default = _env("max_query_length")
    _class_size_default = _env("class_size")
    _next_app_default = _env("next_app")
    _class_window_default = _env("class_window")
    _educator_token_default = _env("educator_token")

    #: This server's settings and shared state (built in :meth:`initialize`; the handlers read it from the
    #: application setting ``itb_suite``).
    suite: Suite

    @default("config_file_paths")
    def _config_file_paths_default(self):
        return [str(ROOT), *jupyter_config_path()]

    @default("root_dir")
    def _default_root_dir(self):
        return str(ROOT)

    def initialize(self, argv=None):
        # The suite's templates (itb, itb-reveal) from the checkout, before any installed copy.
        paths = [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p]
        if str(DATA_DIR) not in paths:
            os.environ["JUPYTER_PATH"] = os.pathsep.join([str(DATA_DIR), *paths])
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
        # Kernels start with the suite's kernel start-up (launcher.kernels: widgets._kernel, loaded as an extension).
        self.config.MappingKernelManager.kernel_manager_class = (
            f"{ServedKernelManager.__module__}.{ServedKernelManager.__name__}"
        )
        self._token_generated = not self.educator_token
        if self._token_generated:
            self.educator_token = secrets.token_urlsafe(24)
        self.suite = Suite.from_app(
            self,
            root_dir=Path(self.root_dir),
            template=self.voila_configuration.template,
            plotly_esm_url=PLOTLY_ESM_URL,
            locale=self.locale,
        )
        # The kernels' language (preheated ones are built in it) and the header a page's language comes from.
        os.environ[LOCALE_ENV] = self.locale
        headers = list(self.voila_configuration.http_header_envs)
        if "Accept-Language" not in headers:
            self.voila_configuration.http_header_envs = [*headers, "Accept-Language"]
        # What the kernels (started after this) learn from their environment: where plotly.js is served,
        # that they serve a page (nothing of the server's stderr reaches it), their memory limit.
        os.environ[PLOTLY_ESM_ENV] = PLOTLY_ESM_URL
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
            resources["reveal"] = {
                "url_prefix": url_path_join(self.base_url, STATIC, "reveal"),
                **(resources.get("reveal") or {}),
            }
            self.config.VoilaConfiguration.resources = resources
            self.voila_configuration.config.VoilaConfiguration.resources = resources
        else:
            self.log.warning("sphinx-revealjs is not installed: slides load reveal.js's stylesheets from a CDN")

    def init_settings(self) -> dict:
        settings = super().init_settings()
        settings[SETTING] = self.suite
        return settings

    def init_handlers(self):
        suite = self.suite
        suite.kernel_manager = self.kernel_manager
        request_info = request_info_handler(suite)
        replaced = {VoilaKernelWebsocketHandler: SuiteKernelWebsocket, RequestInfoSocketHandler: request_info}
        handlers = [
            (h[0], render_handler(h[1]), *h[2:])
            if len(h) > 1 and isinstance(h[1], type) and issubclass(h[1], VoilaHandler)
            else (h[0], replaced[h[1]], *h[2:])
            if len(h) > 1 and h[1] in replaced
            else h
            for h in super().init_handlers()
        ]
        # Voilà's page handler hands each page's request info to the class its module names: ours.
        import voila.handler

        voila.handler.RequestInfoSocketHandler = request_info
        watch_handouts(self.kernel_manager, suite.places)
        self._init_lesson(suite)
        limits = [t for t in (self.kernel_max_age, self.kernel_inactivity_timeout) if t > 0]
        if limits:  # the kernel manager exists from here on; the loop starts after the handlers
            culler = KernelAgeCuller(
                self.kernel_manager,
                self.kernel_max_age,
                self.log,
                inactivity=self.kernel_inactivity_timeout,
                activity=suite.places.activity,
            )
            interval_ms = max(1000.0, min(60_000.0, min(limits) * 1000 / 4))
            tornado.ioloop.PeriodicCallback(culler.check, interval_ms).start()
        home = url_path_join(self.server_url, "voila/render", HOME)
        allowed = "|".join(SERVED)
        extra = [
            (self.server_url.rstrip("/") + "/?", tornado.web.RedirectHandler, {"url": home}),
            (url_path_join(self.server_url, rf"/voila/render/(?!(?:{allowed})/)(.*)"), NotServed),
            # No listing of the tree for visitors: the home page links every app.
            (url_path_join(self.server_url, r"/voila/tree(.*)"), NotServed),
            (url_path_join(self.server_url, r"/voila/api/contents(.*)"), NotServed),
            (url_path_join(self.server_url, STATIC, r"plotly/plotly\.esm\.js"), PlotlyModule),
            (url_path_join(self.server_url, r"/itb/next"), EducatorNext),
        ]
        fa = font_awesome_dir()
        if fa is not None:
            extra.append(
                (
                    url_path_join(self.server_url, STATIC, r"fontawesome/((?:css|webfonts)/[^/]+)"),
                    tornado.web.StaticFileHandler,
                    {"path": str(fa)},
                )
            )
        reveal = reveal_dir()
        if reveal is not None:
            extra.append(
                (
                    url_path_join(self.server_url, STATIC, r"reveal/(.*)"),
                    tornado.web.StaticFileHandler,
                    {"path": str(reveal)},
                )
            )
        return extra + handlers

    def _init_lesson(self, suite: Suite) -> None:
        """The educator's next app (:mod:`launcher.lesson`): the URL's token printed, ``next_app`` announced."""
        km = self.kernel_manager
        if not hasattr(km, "get_rendered_notebook"):  # preheating switched off: no pools to grow
            return
        suite.lesson = lesson = Lesson(km, self.max_kernels, self.class_window, self.log)
        tornado.ioloop.PeriodicCallback(lesson.tick, 500).start()
        shown = self.educator_token if self._token_generated else "<the configured token>"
        self.log.info(
            "Educator: announce the next app with POST %sitb/next?app=<app>&size=<trainees> and the header "
            "'Authorization: token %s'",
            self.server_url,
            shown,
        )
        if self.next_app:
            app = resolve_app(self.next_app, Path(self.root_dir))
            if app is None:
                self.log.error("next_app %r is not an app of this server: not announced", self.next_app)
            elif self.class_size > 0:
                lesson.announce(app, min(self.class_size, lesson.max_size(app)))


def main(argv: list[str] | None = None) -> None:
    os.chdir(ROOT)
    SuiteVoila.launch_instance(argv=argv if argv is not None else sys.argv[1:])
