"""plotly.js as an ES module, served once and cached by the browser.

For training only, not for treating patients.

The figures of the apps (``widgets.plot.Figure``) import plotly.js from ``<base_url>itb-static/plotly/plotly.esm.js``
(kernels get the path in ``ITB_PLOTLY_ESM``) instead of each figure carrying the library in its widget state.
The file is plotly.js's basic bundle vendored in ``widgets/static/`` (its README says why), read as a file:
the server imports nothing of the apps.  ``widgets.plot`` wraps the same file the same way for pages served
elsewhere (JupyterLab); tests/widgets/test_plot.py checks both give the same module.
"""

from __future__ import annotations

import functools
import hashlib

import tornado.web

from ..paths import ROOT, STATIC

__all__ = ["PLOTLY_JS", "PLOTLY_ESM_URL", "PlotlyModule", "plotly_esm_source", "plotly_js_version"]

#: plotly.js's basic bundle, vendored beside the figures' front end.
PLOTLY_JS = ROOT / "widgets" / "static" / "plotly-basic.min.js"


@functools.cache
def plotly_esm_source() -> str:
    """plotly.js wrapped as an ES module whose default export is ``Plotly`` (it is a UMD file: given a
    ``module`` object it assigns ``module.exports``)."""
    js = PLOTLY_JS.read_text(encoding="utf-8")
    return "const module = { exports: {} };\n" + js + "\nexport default module.exports;\n"


@functools.cache
def plotly_js_version() -> str:
    """A short fingerprint of the module (for cache-busting URLs)."""
    return hashlib.sha256(plotly_esm_source().encode("utf-8")).hexdigest()[:12]


#: Path of plotly.js as an ES module relative to the base URL, versioned so browsers cache it for good.
PLOTLY_ESM_URL = f"{STATIC}/plotly/plotly.esm.js?v={plotly_js_version()}"


class PlotlyModule(tornado.web.RequestHandler):
    """plotly.js as an ES module; cached for good under a versioned URL, revalidated (ETag) otherwise."""

    def get(self) -> None:
        self.set_header("Content-Type", "text/javascript; charset=utf-8")
        versioned = self.get_query_argument("v", None) == plotly_js_version()
        self.set_header("Cache-Control", "public, max-age=31536000, immutable" if versioned else "no-cache")
        self.write(plotly_esm_source())
