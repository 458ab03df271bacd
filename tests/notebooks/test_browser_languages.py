"""Every app in Bokmål and Turkish in a real browser, and in the pseudo-locale that shows untranslated English.

For training only, not for treating patients.

* ``?lang=qps``: every translated message comes out as ``⟦…⟧``; any run of English words left outside the
  brackets on the page is a string that does not pass through a catalogue.
* ``?lang=nb`` and ``?lang=tr`` at 1024×768 (longer words than English): the document's language, no
  serious accessibility finding (the same axe rules as the English pages), nothing wider than the window,
  and the app's probe result written the locale's way (decimal comma, the labels' unit words).
Screenshots go to test-artifacts/screenshots/<app>.<locale>.png.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _discovery import ROOT, app_notebooks, probe
from test_browser import AXE, PAGE_TIMEOUT_MS, UPDATE_TIMEOUT_MS, _assert_no_error_text, _axe, _change, _counts

from itbcore import as_quantity, fmt
from itbcore.i18n import using

APPS = app_notebooks()
SHOTS = ROOT / "test-artifacts" / "screenshots"
pytestmark = pytest.mark.browser

_BRACKETED = re.compile("\u27e6[^\u27e6\u27e7]*\u27e7")
#: What may stay as it is in any language: the labels' and products' names with their sections, language
#: names, units and symbols, and the product texts' own words quoted in their language.
_ALLOWED = re.compile(
    r"\b(?:lionova|lioresal|baclorex|Lionova|Lioresal|Baclorex|Norsk bokmål|Türkçe|English|Neuromodulation|"
    r"SmPC|CSF|ITB|IT|PDF|OK|µg|mg|mL|ng|kg|mmol|h|min|day|days|week|weeks)\b"
)
#: A cited section keeps the label's own words ("lioresal Dosing: supportive therapy"), and a reference its authors.
_CITATION = re.compile(r"\b(?:lionova|lioresal|baclorex)\b[^,;()·]*|\b[A-Z][a-z]+ et al\b")
_ENGLISH_RUN = re.compile(r"\b[A-Za-z][a-z]+(?:[ ,'’-]+[A-Za-z][a-z]+)+\b")


def _url(base: str, path: Path, lang: str) -> str:
    return f"{base}voila/render/{path.relative_to(ROOT).as_posix()}?lang={lang}"


def _open(browser, base: str, path: Path, lang: str):
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    page.goto(_url(base, path, lang), timeout=PAGE_TIMEOUT_MS)
    page.wait_for_selector(".itb-banner", state="visible", timeout=PAGE_TIMEOUT_MS)
    page.wait_for_function(f"document.documentElement.lang === '{lang}'", timeout=UPDATE_TIMEOUT_MS)
    page.wait_for_timeout(800)
    return page


def _untranslated(text: str) -> list[str]:
    rest = re.sub("\u27e6practice guidance\u27e7:[^;()\u27e6·]*", " ", text)  # a reference after its prefix
    while True:  # a message inside a message: the innermost brackets first
        inner = _BRACKETED.sub(" ", rest)
        if inner == rest:
            break
        rest = inner
    rest = _ALLOWED.sub(" ", _CITATION.sub(" ", rest))
    return [m.group(0) for m in _ENGLISH_RUN.finditer(rest)]


@pytest.mark.parametrize("path", APPS, ids=lambda p: p.stem)
def test_no_english_is_left_untranslated(voila_server, browser, path: Path) -> None:
    page = _open(browser, voila_server, path, "qps")
    try:
        _assert_no_error_text(page)
        # the labels' own words (the original and its English) and the language names are quoted, not ours
        text = page.evaluate(
            "() => { const b = document.body.cloneNode(true);"
            " b.querySelectorAll('blockquote, .itb-quote-english, .itb-languages, script, style')"
            ".forEach(e => e.remove()); document.body.appendChild(b); b.style.display = 'block';"
            " const t = b.innerText; b.remove(); return t; }"
        )
        left = _untranslated(text)
        assert not left, f"{len(left)} English runs outside the catalogues, e.g. {left[:8]}"
    finally:
        page.close()


def test_the_notebooks_hold_no_text_of_their_own() -> None:
    """A served notebook's markdown would be shown as it is, in English, in every language: each app's heading
    and introduction, the home page's lists and the deck's slides come from the apps (through the catalogues);
    the notebooks only build the app and show it."""
    served = [*APPS, ROOT / "deploy" / "educator" / "class_view.ipynb"]
    with_text = [
        p.relative_to(ROOT).as_posix()
        for p in served
        if any(c["cell_type"] == "markdown" for c in json.loads(p.read_text())["cells"])
    ]
    assert not with_text, with_text


def _localized(expect: str, locale: str) -> str:
    """The probe's expected English result (``"100 µg"``) as the page writes it in ``locale``."""
    number, _, unit = expect.partition(" ")
    try:
        q = as_quantity(expect, unit)
    except Exception:  # noqa: BLE001 - not a quantity: the text itself is checked in English only
        return ""
    with using(locale):
        return fmt(q)


@pytest.mark.parametrize("locale", ["nb", "tr"])
@pytest.mark.parametrize("path", APPS, ids=lambda p: p.stem)
def test_each_app_in_bokmal_and_turkish(voila_server, browser, path: Path, locale: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = _open(browser, voila_server, path, locale)
    try:
        _assert_no_error_text(page)
        assert page.get_attribute("[data-itb-locale]", "data-itb-locale") == locale
        wide = page.evaluate("document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth")
        assert wide <= 1, f"the page is {wide} px wider than the window at 1024 px"
        if AXE.exists():
            found = [v for v in _axe(page) if _counts(v)]
            assert not found, found
        pr = probe(path)
        if pr and pr.get("expect_text") and pr.get("kind", "text") in ("text", "slider"):  # options are words
            expected = _localized(pr["expect_text"], locale)
            if expected:
                _change(page, {**pr, "value": _localized(str(pr["value"]), locale) or pr["value"]})
                page.wait_for_function(
                    "t => document.querySelector('.itb-app').innerText.includes(t)",
                    arg=expected,
                    timeout=UPDATE_TIMEOUT_MS,
                )
        page.screenshot(path=str(SHOTS / f"{path.stem}.{locale}.png"), full_page=True)
        shown = " ".join(
            page.evaluate(
                "() => { const b = document.body.cloneNode(true);"
                " b.querySelectorAll('blockquote, .itb-quote-english, .itb-languages, script, style, cite,"
                " .itb-sources, .itb-section-link')"
                ".forEach(e => e.remove()); return b.innerText; }"
            ).split()
        )
        from itbcore.label_map import LABEL_MAP

        for entry in sorted((e for es in LABEL_MAP.values() for e in es), key=lambda e: -len(e.section)):
            shown = shown.replace(entry.section, " ")  # a cited section keeps the label's own heading
        left = [m for m in _translated_messages(locale) if m in shown]
        assert not left, f"shown in English on a {locale} page: {left[:3]}"
    finally:
        page.close()


@functools.cache
def _translated_messages(locale: str) -> tuple[str, ...]:
    """Every message of the suite's catalogues (a sentence, no placeholder) that ``locale`` words otherwise: on a
    page in ``locale`` none may be shown in English (the pseudo-locale test allows the core's own words, and an
    exercise showed the core's English sentences on a Bokmål page)."""
    from babel.messages.pofile import read_po

    out = []
    for domain in ("itbcore", "widgets", "exercises"):
        with (ROOT / domain / "locale" / locale / "LC_MESSAGES" / f"{domain}.po").open("rb") as fh:
            catalogue = read_po(fh, locale=locale)
        out += [
            m.id
            for m in catalogue
            if isinstance(m.id, str) and len(m.id) > 30 and "{" not in m.id and "<" not in m.id
            and m.string and m.string != m.id
        ]  # fmt: skip
    return tuple(out)
