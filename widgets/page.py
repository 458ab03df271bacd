"""What the page asked for: the query string of the Voilà request that opened this kernel's page.

For training only, not for treating patients.

``?presenter=1`` opens an app in presenter view; ``?section=lionova+4.2`` opens the product-information
app at that section; ``?lang=nb`` shows it in Bokmål (:func:`page_locale`).  Under Voilà with preheated
kernels (the suite's launcher) the kernel runs the
notebook before anyone asks for it, and :func:`voila.utils.get_query_string` waits for the request;
that wait happens once per kernel (one kernel, one page), so the answer is cached.  Outside Voilà
(JupyterLab, nbval) the query is empty.
"""

from __future__ import annotations

import functools
import logging
import os
from typing import Any
from urllib.parse import parse_qs

import ipywidgets as W

from itbcore.i18n import DEFAULT_LOCALE, LOCALES, PSEUDO_LOCALE, negotiate, set_locale

from .i18n import _

log = logging.getLogger(__name__)

__all__ = ["query", "param", "flag", "page_locale", "use_page_locale", "prefer", "explicit_locale", "PrintButton"]

#: Values of a query parameter read as "on" (``?presenter=1``, ``?presenter=yes``…).
ON = frozenset({"1", "true", "yes", "on", ""})


@functools.cache
def query(wait: bool = True) -> str:
    """The raw query string of the page (without ``?``); empty outside Voilà or when it cannot be read.

    In a preheated kernel this waits for the page's request unless ``wait`` is false (then: empty).
    """
    if os.environ.get("VOILA_PREHEAT") == "True" and not wait:
        return ""
    if os.environ.get("VOILA_PREHEAT") == "True" or "QUERY_STRING" in os.environ:
        try:
            from voila.utils import get_query_string

            return get_query_string() or ""
        except Exception:
            log.warning("could not read the page's query string", exc_info=True)
    return ""


def param(name: str, text: str | None = None) -> str | None:
    """The first value of ``name`` in the page's query (or in ``text``), None when absent."""
    try:
        values = parse_qs(query() if text is None else text, keep_blank_values=True, max_num_fields=20).get(name)
    except ValueError:  # more fields than any page of the suite takes: read as none
        return None
    return values[0] if values else None


def flag(name: str, text: str | None = None) -> bool:
    """Whether ``?name`` (or ``?name=1``/``true``/``yes``/``on``) is in the page's query.

    Never waits for a preheated kernel's request (an app's constructor asks before anyone opened the page);
    there the page reads the flag instead (the template's ``static/a11y.js``: ``?presenter=1``).
    """
    if text is None:
        text = query(wait=False)
    value = param(name, text)
    return value is not None and value.strip().lower() in ON


#: The language the signed-in trainee chose before (their progress store's, :func:`prefer`), or None.
_preferred: str | None = None


def prefer(locale: str | None) -> None:
    """The language the page's trainee chose on an earlier visit: it comes after ``?lang=`` and before the
    browser's (the practice and assessment apps read it from the progress store)."""
    global _preferred
    _preferred = locale if locale in LOCALES else None


def explicit_locale(env: Any = None) -> str | None:
    """The language the page's address asks for (``?lang=``), or None."""
    env = os.environ if env is None else env
    lang = param("lang", env.get("QUERY_STRING", "") if env is not os.environ else query(wait=False))
    return lang if lang in LOCALES or lang == PSEUDO_LOCALE else None


def page_locale(env: Any = None) -> str:
    """The page's language: ``?lang=`` when the suite speaks it, else the trainee's earlier choice
    (:func:`prefer`), else the browser's (``Accept-Language``, which Voilà passes as ``HTTP_ACCEPT_LANGUAGE``),
    else the server's (``ITB_LOCALE``), else English.

    Never waits for a preheated kernel's request: such a kernel is built in the server's language, and the
    launcher gives a page in another language a kernel of its own (:mod:`launcher.languages`), whose
    environment holds the page's query and header from the start.
    """
    env = os.environ if env is None else env
    default = env.get("ITB_LOCALE", DEFAULT_LOCALE)
    if default not in LOCALES:
        default = DEFAULT_LOCALE
    lang = explicit_locale(env)  # the pseudo-locale too: asked for by name only (tests)
    if lang is not None:
        return lang
    if _preferred is not None:
        return _preferred
    return negotiate(env.get("HTTP_ACCEPT_LANGUAGE"), default)


def use_page_locale() -> str:
    """Make the page's language (:func:`page_locale`) the kernel's, as an app is built; returns it."""
    locale = page_locale()
    set_locale(locale)
    return locale


class PrintButton(W.Button):
    """The "Print result" button: an ipywidgets button (focus, keyboard, disabled state like any other) whose
    click opens the browser's print dialog.  The click is handled on the page, where the dialog is: the suite's
    Voilà template loads ``static/print.js``, one listener for every button of the class ``itb-print-button``;
    the print layout is section 6 of ``itb.css``."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("description", _("Print result"))
        kwargs.setdefault("icon", "print")
        kwargs.setdefault(
            "tooltip", _("Print the app's current result on one page (or save it as PDF from the print dialog)")
        )
        kwargs.setdefault("layout", W.Layout(width="auto"))
        super().__init__(**kwargs)
        self.add_class("itb-print-button")
