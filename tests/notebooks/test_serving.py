"""The launcher's additions to Voilà's pages, over plain HTTP (no browser).

For training only, not for treating patients.

* A rendered page sets the ``_xsrf`` cookie, so the page's shutdown beacon on closing the tab
  (``POST /voila/api/shutdown/<kernel>`` with the cookie's value) is accepted and the visit's
  kernel released; without the cookie it is refused (403) and the kernel lingers until culled.
* A page whose notebook builds an app with figures preloads plotly.js (``modulepreload``), the
  same URL the figures import; the home page does not.
"""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from launcher.handlers.plotly import PLOTLY_ESM_URL

pytestmark = pytest.mark.browser  # needs the served apps (the session's server fixture)


def _opener() -> tuple[urllib.request.OpenerDirector, http.cookiejar.CookieJar]:
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)), jar


def _render(opener, base: str, notebook: str) -> str:
    with opener.open(f"{base}voila/render/{notebook}", timeout=120) as r:
        assert r.status == 200
        return r.read().decode("utf-8")


def _shutdown(opener, base: str, kernel_id: str, xsrf: str) -> int:
    data = urllib.parse.urlencode({"_xsrf": xsrf}).encode()
    try:
        with opener.open(urllib.request.Request(f"{base}voila/api/shutdown/{kernel_id}", data=data), timeout=60) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_a_closed_tab_releases_its_kernel(voila_server):
    opener, jar = _opener()
    page = _render(opener, voila_server, "notebooks/units.ipynb")
    kernel_id = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', page).group(1)
    xsrf = next((c.value for c in jar if c.name == "_xsrf"), None)
    assert xsrf, "the page must set the _xsrf cookie (launcher/handlers/render.py)"
    # As Voilà's beforeunload beacon does: the form carries the cookie's value.
    assert _shutdown(opener, voila_server, kernel_id, xsrf) == 204


def test_the_beacon_without_the_cookie_is_refused(voila_server):
    """What happened before the launcher set the cookie: the kernel stayed (shows the test can fail)."""
    opener, _jar = _opener()
    page = _render(opener, voila_server, "notebooks/units.ipynb")
    kernel_id = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', page).group(1)
    bare, _ = _opener()  # another client: no cookie
    assert _shutdown(bare, voila_server, kernel_id, "") == 403
    xsrf = next(c.value for c in _jar if c.name == "_xsrf")
    assert _shutdown(opener, voila_server, kernel_id, xsrf) == 204  # tidy up


@pytest.mark.parametrize(
    "notebook, preloads",
    [("notebooks/pk.ipynb", True), ("notebooks/titration.ipynb", True), ("notebooks/index.ipynb", False)],
)
def test_pages_with_figures_preload_plotly(voila_server, notebook, preloads):
    opener, jar = _opener()
    page = _render(opener, voila_server, notebook)
    head = page[: page.find("</head>")]
    links = re.findall(r'<link rel="modulepreload" href="([^"]+)">', head)
    assert links == ([f"/{PLOTLY_ESM_URL}"] if preloads else [])
    if preloads:
        with opener.open(voila_server.rstrip("/") + links[0], timeout=60) as r:
            assert r.status == 200 and "javascript" in r.headers["Content-Type"]
    m = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', page)
    xsrf = next((c.value for c in jar if c.name == "_xsrf"), "")
    if m:
        _shutdown(opener, voila_server, m.group(1), xsrf)


def test_font_awesome_comes_from_the_server(voila_server):
    """Voilà's lab template links Font Awesome from a CDN; the page gets the server's copy (button icons offline)."""
    opener, jar = _opener()
    page = _render(opener, voila_server, "notebooks/maintenance.ipynb")
    assert "cdn.jsdelivr.net" not in page and "fontawesome-free@" not in page
    css = re.findall(r'href="([^"]*itb-static/fontawesome/css/[^"]+)"', page)
    assert sorted(c.rsplit("/", 1)[1] for c in css) == ["all.min.css", "v4-shims.min.css"]
    for href in css:
        with opener.open(voila_server.rstrip("/") + href, timeout=60) as r:
            assert r.status == 200 and "css" in r.headers["Content-Type"]
    with opener.open(f"{voila_server}itb-static/fontawesome/webfonts/fa-solid-900.woff2", timeout=60) as r:
        assert r.status == 200 and len(r.read()) > 10_000
    m = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', page)
    if m:
        _shutdown(opener, voila_server, m.group(1), next((c.value for c in jar if c.name == "_xsrf"), ""))
