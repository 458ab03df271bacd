"""Accessibility the page needs beyond ipywidgets: names for slider handles, pressed state, tab order, contrast.

For training only, not for treating patients.

:class:`PageA11y` is an invisible widget every app places once (in its banner row): its front end
(``static/a11y.js``) names each slider handle after its slider's label, marks toggle buttons
``aria-pressed`` and takes chart toolbars out of the tab order, as the page changes; its style sheet
(``static/itb.css``, the suite's one stylesheet) underlines links in text, darkens inactive tab labels and
the selected toggle, shows keyboard focus, and holds the palette, presenter view, phone and print layouts.  The browser
test runs axe-core over every app against it.
"""
from __future__ import annotations

from pathlib import Path

import anywidget

_STATIC = Path(__file__).resolve().parent / "static"

__all__ = ["PageA11y"]


class PageA11y(anywidget.AnyWidget):
    _esm = _STATIC / "a11y.js"
    _css = _STATIC / "itb.css"
