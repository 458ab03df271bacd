"""The teaching deck served as reveal slides: notice first, slides advance, a live widget responds.

For training only, not for treating patients.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_browser import ERROR_PATTERNS, PAGE_TIMEOUT_MS, SHOTS, UPDATE_TIMEOUT_MS

pytestmark = pytest.mark.browser
DECK = "notebooks/teaching_deck.ipynb"


def test_deck_is_served_as_slides_and_its_widgets_are_live(voila_server, browser) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(UPDATE_TIMEOUT_MS)
    try:
        r = page.goto(f"{voila_server}voila/render/{DECK}", timeout=PAGE_TIMEOUT_MS, wait_until="domcontentloaded")
        assert r is not None and r.status == 200
        page.wait_for_selector(".reveal .slides section", state="attached", timeout=PAGE_TIMEOUT_MS)
        page.wait_for_selector(".reveal .slides section.present .itb-banner", state="visible", timeout=PAGE_TIMEOUT_MS)
        page.screenshot(path=str(SHOTS / "notebooks__teaching_deck__slide1.png"))
        assert "For training only" in page.locator(".reveal .slides section.present").first.inner_text()
        assert "build_deck" not in page.content() and "print_summary" not in page.content()
        # the refill slide: 1 title, 2 screening, 3 titration, 4 refill
        for _ in range(3):
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(400)
        present = page.locator(".reveal .slides section.present").first
        present.get_by_text("Refill: when does the reservoir").wait_for(timeout=UPDATE_TIMEOUT_MS)
        result = present.locator(".itb-result").first
        result.get_by_text("86 days").wait_for(timeout=UPDATE_TIMEOUT_MS)
        page.wait_for_function(
            "document.querySelectorAll('.reveal section.present .js-plotly-plot .main-svg').length >= 1",
            timeout=PAGE_TIMEOUT_MS,
        )
        page.screenshot(path=str(SHOTS / "notebooks__teaching_deck__refill.png"))
        present.get_by_text("Lioresal", exact=True).dispatch_event("click")
        result.get_by_text("77 days").wait_for(timeout=UPDATE_TIMEOUT_MS)
        page.screenshot(path=str(SHOTS / "notebooks__teaching_deck__refill_lioresal.png"))
        text = page.inner_text("body")
        found = ERROR_PATTERNS.search(text)
        assert not found, found.group(0)
        assert re.search(r"Withdrawal emergency|withdrawal emergency", page.content())
    finally:
        page.close()


def _open_deck(browser, base: str, width: int, height: int):
    """The deck in a page of ``width`` × ``height``, its first slide shown."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.set_default_timeout(UPDATE_TIMEOUT_MS)
    page.goto(f"{base}voila/render/{DECK}", timeout=PAGE_TIMEOUT_MS, wait_until="domcontentloaded")
    page.wait_for_selector(".reveal .slides section.present .itb-banner", state="visible", timeout=PAGE_TIMEOUT_MS)
    return page


def test_every_slide_fits_1024_by_768_with_its_sources_and_passes_axe(voila_server, browser) -> None:
    # issue 13: slides 3–5 overflowed and cut off their sources; axe over every slide, 0 serious or critical.
    # The title slide, all widgets since its text left the notebook, was laid out while empty and grew from the
    # middle of the screen down: the patient's story was below the bottom (the template now lays out again).
    from test_browser import AXE, _axe

    page = _open_deck(browser, voila_server, 1024, 768)
    try:
        page.wait_for_timeout(1500)
        count = page.locator(".reveal .slides > section").count()
        assert count >= 7, count
        found = []
        for i in range(count):
            page.wait_for_timeout(700)
            page.screenshot(path=str(SHOTS / f"notebooks__teaching_deck__1024x768_slide{i + 1}.png"))
            box = page.evaluate(
                "() => { const s = document.querySelector('.reveal .slides > section.present');"
                " const last = [...s.querySelectorAll('.itb-sources, .itb-banner, .itb-heading, .itb-deck-patient')]"
                "   .filter(e => e.getBoundingClientRect().height > 0).pop();"
                " const r = last.getBoundingClientRect(); return {bottom: r.bottom, right: r.right}; }"
            )
            assert box["bottom"] <= 768 and box["right"] <= 1024, (i + 1, box)
            if AXE.exists():
                found += [dict(v, slide=i + 1) for v in _axe(page) if v["impact"] in ("serious", "critical")]
            page.keyboard.press("ArrowRight")
        assert not found, found
        assert "notebook metadata" not in page.inner_text("body") and "--template" not in page.inner_text("body")
    finally:
        page.close()


def test_no_response_at_screening_ends_the_story_on_the_next_slides(voila_server, browser) -> None:
    page = _open_deck(browser, voila_server, 1024, 768)
    try:
        page.keyboard.press("ArrowRight")
        present = page.locator(".reveal .slides section.present").first
        present.locator(".itb-field-deck-response").get_by_text("no response", exact=True).click()
        present.get_by_text("Not a candidate").wait_for()
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(700)
        nxt = page.locator(".reveal .slides section.present").first
        nxt.get_by_text("The story ends at screening").wait_for()
        assert not nxt.locator(".itb-field-deck-test-dose").is_visible()
        page.screenshot(path=str(SHOTS / "notebooks__teaching_deck__story_ends.png"))
    finally:
        page.close()


def test_the_deck_loads_the_page_scripts_and_stylesheet_once(voila_server, browser) -> None:
    """The page's stylesheet and scripts come from the suite's template, once per page: the deck's six slides of
    apps used to bring six copies of the accessibility script (one invisible widget each)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    loaded: list[str] = []
    page.on("requestfinished", lambda req: loaded.append(req.url.split("?")[0]))
    try:
        page.goto(f"{voila_server}voila/render/{DECK}", timeout=PAGE_TIMEOUT_MS, wait_until="domcontentloaded")
        page.wait_for_selector(".reveal .slides section.present .itb-banner", state="visible", timeout=PAGE_TIMEOUT_MS)
        # a11y.js has run: the rendered cells are the page's main landmark
        page.wait_for_selector(
            "#rendered_cells[role=main], .reveal .slides[role=main]", state="attached", timeout=PAGE_TIMEOUT_MS
        )
        for name in ("a11y.js", "print.js", "itb.css", "reveal-offline.css"):
            hits = [u for u in loaded if u.endswith("/" + name)]
            assert len(hits) == 1, (name, hits)
        for name in ("a11y.js", "print.js", "itb.css"):
            assert page.locator(f"script[src*='/{name}'], link[href*='/{name}']").count() == 1, name
        assert page.locator("style", has_text=".reveal .slides>section").count() == 0, "the old inline style"
    finally:
        page.close()


def test_the_deck_throws_no_error_asks_no_other_host_and_its_charts_keep_titles_off_legends(
    voila_server, browser
) -> None:
    # Before: six "Cannot read properties of undefined (reading 'Hub')" (Voilà's reveal.js re-rendering MathJax on
    # each change of slide, with no MathJax on the page), jQuery asked of a CDN, and the refill slide's chart title
    # drawn over its legend
    from test_browser import CUT_CHART_PARTS

    page = browser.new_page(viewport={"width": 1024, "height": 768})
    page.set_default_timeout(UPDATE_TIMEOUT_MS)
    errors: list[str] = []
    external: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "request",
        lambda r: external.append(r.url) if not r.url.startswith((voila_server, "data:", "blob:", "about:")) else None,
    )
    try:
        page.goto(f"{voila_server}voila/render/{DECK}", timeout=PAGE_TIMEOUT_MS, wait_until="domcontentloaded")
        page.wait_for_selector(".reveal .slides section.present .itb-banner", state="visible", timeout=PAGE_TIMEOUT_MS)
        page.wait_for_load_state("load", timeout=PAGE_TIMEOUT_MS)
        count = page.locator(".reveal .slides > section").count()
        cut = []
        for i in range(count):
            page.wait_for_timeout(700)
            if page.locator(".reveal section.present .js-plotly-plot .gtitle").count():
                page.wait_for_timeout(800)
                cut += [f"slide {i + 1}: {c}" for c in page.evaluate(CUT_CHART_PARTS)]
                page.screenshot(path=str(SHOTS / f"notebooks__teaching_deck__chart_slide{i + 1}.png"))
            page.keyboard.press("ArrowRight")
        page.keyboard.press("Home")
        page.wait_for_timeout(700)
        assert not errors, errors
        assert not external, external
        assert not cut, cut
    finally:
        page.close()
