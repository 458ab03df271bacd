"""The served apps in a real browser: render, change one input, see the result change, no errors.

For training only, not for treating patients.

Every notebook in notebooks/ (and exercises/practice.ipynb) is opened in Voilà, discovered, so
new apps are covered.  An app says which input to change in its notebook metadata::

    "itb": {"probe": {"field": "dose", "value": "0.1 mg", "expect_text": "100 µg", "plots": 1}}

``field`` is the key of a QuantityField or slider (CSS class ``itb-field-<key>``); ``kind`` is
``text`` (default: fill and press Enter), ``slider`` (ArrowRight on the handle), ``select``
(choose the option ``value``) or ``click`` (click the button whose text is ``value``).
``expect_text`` must appear after the change; ``plots`` is the least number of plotly plots.
Screenshots go to test-artifacts/screenshots/.
"""
from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _discovery import ROOT, app_notebooks, probe  # noqa: E402

SHOTS = ROOT / "test-artifacts" / "screenshots"
PAGE_TIMEOUT_MS = 90_000
UPDATE_TIMEOUT_MS = 20_000
#: Text a user must never see.
ERROR_PATTERNS = re.compile(
    r"Traceback \(most recent call last\)|There was an error when executing cell|Error displaying widget|"
    r"Model not found|Failed to load model class|Something went wrong while updating",
)

APPS = app_notebooks()
pytestmark = pytest.mark.browser


def _url(base: str, path: Path) -> str:
    return f"{base}voila/render/{path.relative_to(ROOT).as_posix()}"


def _wait_rendered(page, expect_app: bool) -> None:
    # Voilà replaces its spinner once the kernel has run the notebook and widgets are drawn.
    page.wait_for_selector(".itb-banner", state="visible", timeout=PAGE_TIMEOUT_MS)
    if expect_app:
        page.wait_for_selector(".itb-app", state="visible", timeout=PAGE_TIMEOUT_MS)


def _assert_no_error_text(page) -> None:
    text = page.inner_text("body")
    found = ERROR_PATTERNS.search(text)
    assert not found, f"error text on the page: {found.group(0)!r}"
    assert page.locator('[data-mime-type="application/vnd.jupyter.stderr"]').count() == 0, "stderr shown on the page"


def _app_state(page) -> str:
    text = page.inner_text(".itb-app")
    plots = page.locator(".js-plotly-plot .plot-container")
    svg = plots.evaluate_all("els => els.map(e => e.innerHTML.length + ':' + (e.querySelector('.plot') || e).innerHTML)")
    return text + "\n".join(svg)


def _change(page, pr: dict) -> None:
    scope = page.locator(f".itb-field-{pr['field']}").first
    kind = pr.get("kind", "text")
    if kind == "text":
        box = scope.locator("input").first
        box.fill(str(pr["value"]), timeout=UPDATE_TIMEOUT_MS)
        box.press("Enter", timeout=UPDATE_TIMEOUT_MS)
    elif kind == "slider":
        handle = scope.locator(".noUi-handle, [role=slider]").first
        handle.focus(timeout=UPDATE_TIMEOUT_MS)
        for _ in range(int(pr.get("steps", 1))):
            handle.press("ArrowRight", timeout=UPDATE_TIMEOUT_MS)
    elif kind == "select":
        scope.locator("select").first.select_option(label=str(pr["value"]), timeout=UPDATE_TIMEOUT_MS)
    elif kind == "click":
        scope.get_by_text(str(pr["value"]), exact=True).first.click(timeout=UPDATE_TIMEOUT_MS)
    else:
        raise AssertionError(f"unknown probe kind {kind!r}")


@pytest.mark.parametrize("path", APPS, ids=[p.relative_to(ROOT).as_posix() for p in APPS])
def test_app_renders_and_responds(voila_server, browser, path: Path) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = SHOTS / (path.relative_to(ROOT).as_posix().replace("/", "__").removesuffix(".ipynb"))
    pr = probe(path)
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.set_default_timeout(UPDATE_TIMEOUT_MS)
    try:
        response = page.goto(_url(voila_server, path), timeout=PAGE_TIMEOUT_MS, wait_until="domcontentloaded")
        assert response is not None and response.status == 200
        _wait_rendered(page, expect_app=pr is not None)
        page.screenshot(path=f"{shot}.png", full_page=True)
        _assert_no_error_text(page)
        html = page.content()
        assert "print_summary" not in html and "build_app" not in html, "notebook sources are shown"
        if pr is None:
            return
        plots = int(pr.get("plots", 0))
        if plots:
            page.wait_for_function(
                f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {plots}", timeout=PAGE_TIMEOUT_MS)
            # each plot draws its data: at least one point, bar or line per plot
            page.wait_for_function(
                "(n) => [...document.querySelectorAll('.js-plotly-plot')].filter("
                "p => [...p.querySelectorAll('g.trace path')].some(e => (e.getAttribute('d') || '').length > 4)).length >= n",
                arg=plots, timeout=UPDATE_TIMEOUT_MS)
        before = _app_state(page)
        _change(page, pr)
        if pr.get("expect_text"):
            page.locator(".itb-app").get_by_text(pr["expect_text"]).first.wait_for(timeout=UPDATE_TIMEOUT_MS)
        after = _app_state(page)
        deadline = time.monotonic() + UPDATE_TIMEOUT_MS / 1000
        while after == before and time.monotonic() < deadline:
            page.wait_for_timeout(250)
            after = _app_state(page)
        page.screenshot(path=f"{shot}__changed.png", full_page=True)
        assert after != before, "the app did not change after the probe input"
        _assert_no_error_text(page)
        assert page.locator(".itb-field-error [role=alert]").count() == 0, page.inner_text(".itb-app")
    finally:
        page.close()


def test_home_links_every_app(voila_server, browser) -> None:
    page = browser.new_page()
    try:
        page.goto(voila_server, timeout=PAGE_TIMEOUT_MS)  # / redirects to the home page
        _wait_rendered(page, expect_app=False)
        assert page.url.endswith("/voila/render/notebooks/index.ipynb")
        hrefs = page.locator("a").evaluate_all("els => els.map(e => e.href)")
        for name in ("screening", "titration", "maintenance", "pk", "overdose", "withdrawal", "teaching_deck", "units"):
            assert f"{voila_server}voila/render/notebooks/{name}.ipynb" in hrefs, name
        assert f"{voila_server}voila/render/exercises/practice.ipynb" in hrefs
        # every linked notebook that exists is served
        for href in hrefs:
            m = re.match(re.escape(voila_server) + r"voila/render/(.+\.ipynb)$", href)
            if m and (ROOT / m.group(1)).exists():
                r = page.request.get(href, timeout=PAGE_TIMEOUT_MS)
                assert r.status == 200, href
    finally:
        page.close()
