"""Accessibility the page needs beyond ipywidgets: done by the suite's Voilà template, not by a widget.

For training only, not for treating patients.

The suite's templates (``share/jupyter/voila/templates/itb`` and ``itb-reveal``) load, once per page, the
page script ``static/a11y.js`` (names each slider handle after its slider's label, marks toggle buttons
``aria-pressed``, takes chart toolbars out of the tab order, marks a field's input invalid while its error
shows, reads ``?presenter=1``) and the suite's one stylesheet ``static/itb.css`` (underlined links in text,
darker inactive tab labels and selected toggle, visible keyboard focus, the palette, presenter view, phone and
print layouts).  The browser test runs axe-core over every app against them.

:func:`PageA11y` is what an app placed on its page before the template did this work: it now draws nothing,
and stays only for pages built elsewhere that still place it.
"""

from __future__ import annotations

import ipywidgets as W

__all__ = ["PageA11y"]


def PageA11y() -> W.HTML:
    """An empty, hidden widget (the template loads the page's script and stylesheet)."""
    return W.HTML("", layout=W.Layout(display="none"))
