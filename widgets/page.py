"""What the page asked for: the query string of the Voilà request that opened this kernel's page.

For training only, not for treating patients.

``?presenter=1`` opens an app in presenter view; ``?section=lionova+4.2`` opens the product-information
app at that section.  Under Voilà with preheated kernels (the suite's launcher) the kernel runs the
notebook before anyone asks for it, and :func:`voila.utils.get_query_string` waits for the request;
that wait happens once per kernel (one kernel, one page), so the answer is cached.  Outside Voilà
(JupyterLab, nbval) the query is empty.
"""

from __future__ import annotations

import functools
import logging
import os
from urllib.parse import parse_qs

import ipywidgets as W

from .i18n import _

log = logging.getLogger(__name__)

__all__ = ["query", "param", "flag", "PrintButton"]

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
