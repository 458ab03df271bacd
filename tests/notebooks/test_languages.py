"""Which language a page is served in: ``?lang=``, the browser's ``Accept-Language``, the server's language.

For training only, not for treating patients.

The launcher (which imports no app) and the kernel (:func:`widgets.page.page_locale`) decide it by the same
rules; a preheated kernel is built in the server's language and a page in another gets a kernel of its own.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itbcore import i18n
from launcher import languages
from widgets.page import page_locale

_TAG = st.sampled_from(["en", "nb", "nn", "no", "tr", "de", "fr", "en-GB", "nb-NO", "tr-TR", "*", "x", "", "zz-ZZ"])
_PART = st.tuples(_TAG, st.one_of(st.none(), st.sampled_from(["0", "0.1", "0.5", "0.9", "1", "1.0", "abc", "2"])))


@given(st.lists(_PART, max_size=6))
def test_the_launcher_and_the_kernel_read_accept_language_alike(parts):
    header = ", ".join(tag + (f";q={q}" if q is not None else "") for tag, q in parts)
    for default in ("en", "nb", "tr"):
        assert languages.negotiate(header, default) == i18n.negotiate(header, default)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("nb-NO,nb;q=0.9,en;q=0.8", "nb"),
        ("de-DE,de;q=0.9,tr;q=0.3", "tr"),
        ("nn", "nb"),
        ("fr-FR", "en"),
        ("", "en"),
        ("en;q=0.2, tr;q=0.8", "tr"),
        ("tr;q=0", "en"),
    ],
)
def test_accept_language(header, expected):
    assert i18n.negotiate(header) == expected


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "en"),
        ({"QUERY_STRING": "lang=nb"}, "nb"),
        ({"QUERY_STRING": "presenter=1&lang=tr"}, "tr"),
        ({"QUERY_STRING": "lang=xx", "HTTP_ACCEPT_LANGUAGE": "nb"}, "nb"),  # an unknown lang: the browser's
        ({"QUERY_STRING": "lang=%2e%2e", "ITB_LOCALE": "tr"}, "tr"),
        ({"HTTP_ACCEPT_LANGUAGE": "tr-TR,tr;q=0.9", "ITB_LOCALE": "nb"}, "tr"),
        ({"HTTP_ACCEPT_LANGUAGE": "fr", "ITB_LOCALE": "nb"}, "nb"),
        ({"ITB_LOCALE": "../../etc"}, "en"),
    ],
)
def test_a_page_reads_its_language(env, expected):
    assert page_locale(env) == expected


def test_the_banner_offers_each_language_in_its_own_words():
    from widgets.app import banner

    html = banner().value
    assert re.findall(r'data-itb-lang="(\w+)"', html) == ["en", "nb", "tr"]
    assert "Norsk bokmål" in html and "Türkçe" in html and "English" in html
    assert 'data-itb-locale="en"' in html and 'aria-current="true"' in html


@pytest.mark.browser
@pytest.mark.parametrize(
    ("query", "accept", "expected", "unit"),
    [
        ("", None, "en", "µg"),
        ("?lang=nb", None, "nb", "mikrogram"),
        ("", "tr-TR,tr;q=0.9,en;q=0.5", "tr", "mikrogram"),
        ("?lang=en", "nb", "en", "µg"),
    ],
)
def test_a_served_page_speaks_the_language_asked_for(voila_server, browser, query, accept, expected, unit):
    context = browser.new_context(extra_http_headers={"Accept-Language": accept} if accept else {})
    page = context.new_page()
    try:
        page.goto(f"{voila_server}voila/render/notebooks/units.ipynb{query}", timeout=180_000)
        page.wait_for_selector(".itb-languages", state="visible", timeout=180_000)
        page.wait_for_function(
            "document.documentElement.lang === document.querySelector('[data-itb-locale]').dataset.itbLocale",
            timeout=30_000,
        )
        assert page.get_attribute("[data-itb-locale]", "data-itb-locale") == expected
        assert page.evaluate("document.documentElement.lang") == expected
        page.wait_for_selector(".itb-result", state="visible", timeout=60_000)
        assert unit in page.inner_text(".itb-result")
        # the chooser's links keep the page's other parameters and set the language
        hrefs = page.eval_on_selector_all("a.itb-lang", "els => els.map(a => a.getAttribute('href'))")
        assert [h.rsplit("lang=", 1)[1] for h in hrefs] == ["en", "nb", "tr"]
    finally:
        context.close()


@pytest.mark.parametrize(
    ("locale", "words"),
    [("en", "The class is full"), ("nb", "Klassen er full"), ("tr", "Sınıf dolu"), ("xx", "The class is full")],
)
def test_the_servers_own_pages_speak_the_pages_language(locale, words):
    from launcher.languages import BUSY_TEXT, BUSY_TITLE, FULL_TEXT, FULL_TITLE, server_page

    page = server_page(FULL_TITLE, FULL_TEXT, locale)
    assert words in page and f'<html lang="{locale if locale != "xx" else "en"}">' in page
    busy = server_page(BUSY_TITLE, BUSY_TEXT, locale, held=7)
    assert " 7 " in busy and "{held}" not in busy
