"""The page handler: Voilà's render handler with the suite's rules.

For training only, not for treating patients.

* only the apps and the trainee notebooks are rendered (the decoded, normalised path; 404 elsewhere);
* only the notebook's own template (``?template=`` anything else: 404; :func:`notebook_template`) and the
  suite's themes;
* a bounded query string (414), a bounded number of kernels (503 "the class is full") and of places per
  client address (429), each place claimed for its client (:class:`launcher.places.Places`);
* the ``_xsrf`` cookie (the page's shutdown beacon on closing the tab needs it), plotly.js preloaded for a
  notebook that draws figures, Font Awesome from the server instead of a CDN.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import tornado.web
from jupyter_server.utils import ensure_async, url_path_join

from ..languages import BUSY_TEXT, BUSY_TITLE, FULL_TEXT, FULL_TITLE, page_locale, server_page
from ..paths import STATIC, font_awesome_dir, normalised_path, served_notebooks
from ..places import CLIENT
from ..settings import SETTING, Suite

__all__ = ["render_handler", "notebook_template"]

#: Font Awesome's stylesheets as Voilà's templates link them (lab and reveal), by file name.
FONT_AWESOME_CDN = "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@^5/css/"


def _full_page(locale: str) -> str:
    return server_page(FULL_TITLE, FULL_TEXT, locale)


def _busy_page(locale: str, held: int) -> str:
    return server_page(BUSY_TITLE, BUSY_TEXT, locale, held=held)


#: A notebook that builds an app with figures imports one of the app modules of ``widgets`` (the home page draws none).
_APP_IMPORT = re.compile(
    r"^\s*from\s+widgets\.(?!(?:app|a11y|fields|findings|palette|page|home)\b)\w+\s+import\b", re.M
)


@functools.lru_cache(maxsize=64)
def _notebook(path: str, mtime: float) -> dict:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _draws_figures(file: Path) -> bool:
    """Whether the notebook builds an app of ``widgets`` (which draws with plotly.js); read, not run."""
    try:
        cells = _notebook(str(file), file.stat().st_mtime).get("cells", [])
    except OSError:
        return False
    return any(c.get("cell_type") == "code" and _APP_IMPORT.search("".join(c.get("source", ""))) for c in cells)


def notebook_template(file: Path, default: str) -> str | None:
    """The template a notebook renders with: its ``metadata.voila.template``, else ``default`` (the configured
    one); None when the notebook cannot be read."""
    try:
        meta = _notebook(str(file), file.stat().st_mtime).get("metadata", {})
    except OSError:
        return None
    return (meta.get("voila") or {}).get("template") or default


def _pool_size(km, notebook: str) -> int:
    try:
        return int(km.get_pool_size(notebook))
    except AttributeError:  # preheating switched off
        return 0


class _RenderMixin:
    """Mixed into Voilà's render handler (:func:`render_handler`)."""

    @property
    def suite(self) -> Suite:
        return self.settings[SETTING]

    async def prepare(self, *args, **kwargs):
        await ensure_async(super().prepare(*args, **kwargs))
        self.xsrf_token  # noqa: B018 - reading it sets the cookie

    async def get(self, path=None):
        suite = self.suite
        # The allow-list applies to the decoded, normalised path: an encoded ".." (%2e%2e, %2f) must not
        # reach a notebook outside the apps and trainee notebooks (solutions, sources, bench, tests).
        norm = normalised_path(path)
        if norm is None or norm not in served_notebooks(Path(suite.root_dir)):
            raise tornado.web.HTTPError(404)
        # Voilà renders another template or theme with a fresh kernel (no preheating, no shutdown beacon in a
        # bare template): only the notebook's own template and the suite's themes.
        template = self.get_query_argument("template", None)
        if template is not None and template != notebook_template(Path(suite.root_dir) / norm, suite.template):
            raise tornado.web.HTTPError(404)
        theme = self.get_query_argument("theme", None)
        if theme is not None and theme not in suite.allowed_themes:
            raise tornado.web.HTTPError(404)
        # The query string goes to the kernel's environment and Voilà's request cache: a page needs a few words.
        if suite.max_query_length and len(self.request.query) > suite.max_query_length:
            raise tornado.web.HTTPError(414)
        # Every page starts a kernel: past the cap a visitor gets a clear page, not a hang.
        km = self.kernel_manager
        # A preheated kernel waiting for this page is a place already counted: the cap refuses only a new kernel.
        preheated = template is None and theme is None and _pool_size(km, norm) > 0
        if len(km.list_kernel_ids()) >= suite.max_kernels and not preheated:
            self.set_status(503)
            self.set_header("Retry-After", "60")
            self.finish(_full_page(self._page_locale()))
            return
        # ... and one computer holds a bounded share of the places.
        client = self.request.remote_ip or "?"
        places = suite.places
        places.prune(km.list_kernel_ids())
        held = places.held_by(client)
        if suite.max_kernels_per_client and held >= suite.max_kernels_per_client:
            self.log.warning("%s holds %d places: page refused", client, held)
            self.set_status(429)
            self.set_header("Retry-After", "60")
            self.finish(_busy_page(self._page_locale(), held))
            return
        if suite.lesson is not None:  # one trainee of an announced class arrived (launcher.lesson)
            suite.lesson.arrival(norm)
        claimed: list[str] = []
        token = CLIENT.set((client, claimed))
        places.pending[client] = places.pending.get(client, 0) + 1
        try:
            return await super().get(path=norm)
        finally:
            CLIENT.reset(token)
            for kid in claimed:  # the user's inactivity counts from the page, not from the kernel's start
                places.touch(kid)
            places.pending[client] -= 1
            if not places.pending[client]:
                del places.pending[client]

    def _page_locale(self) -> str:
        """The language this page is asked for (:func:`launcher.languages.page_locale`)."""
        lang = self.get_query_argument("lang", None)
        return page_locale(lang, self.request.headers.get("Accept-Language"), self.suite.locale)

    def should_use_rendered_notebook(self, notebook_data, pool_size, template_name, theme, request_args):
        """A preheated kernel only for a page in the language it was built in (the server's); a page asking for
        another (``?lang=``, ``Accept-Language``) gets a kernel of its own, built in its language."""
        if self._page_locale() != self.suite.locale:
            return False
        return super().should_use_rendered_notebook(notebook_data, pool_size, template_name, theme, request_args)

    async def get_generator(self, path=None):
        preload = None
        if path:
            file = Path(self.suite.root_dir) / path
            if file.is_file() and _draws_figures(file):
                href = url_path_join(self.base_url, self.suite.plotly_esm_url)
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
def render_handler(cls: type) -> type:
    """Voilà's render handler class ``cls`` (``TornadoVoilaHandler`` in Voilà 0.5) with the suite's rules."""
    return type(f"Suite{cls.__name__}", (_RenderMixin, cls), {})
