"""The suite's one palette, read from its one stylesheet.

For training only, not for treating patients.

The colours are named once, as custom properties in section 1 of ``widgets/static/itb.css``
(``--itb-info: #0b5c8c;``); HTML uses the stylesheet's classes, and charts (plotly.js takes colour
values, not CSS variables) read the same values here.  Colour is never the only cue: the severity
word is always written too.

>>> colour("violation") == PALETTE["danger"]
True
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

__all__ = ["STYLESHEET", "PALETTE", "SEVERITY_COLOUR_NAMES", "colour"]

#: The suite's stylesheet.
STYLESHEET = Path(__file__).with_name("static") / "itb.css"

_PROPERTY = re.compile(r"--itb-([a-z0-9-]+)\s*:\s*(#[0-9a-fA-F]{3,8})\s*;")


def _read(css: str) -> dict[str, str]:
    root = css[css.index(":root"):]
    return dict(_PROPERTY.findall(root[:root.index("}")]))


#: Name (without ``--itb-``) → colour, from the stylesheet's ``:root`` block.
PALETTE: Mapping[str, str] = MappingProxyType(_read(STYLESHEET.read_text(encoding="utf-8")))

#: Severity (and "action") → the palette name it is drawn in.
SEVERITY_COLOUR_NAMES: Mapping[str, str] = MappingProxyType(
    {"info": "info", "warning": "warning", "violation": "danger", "action": "ok"})


def colour(name: str) -> str:
    """The colour of a severity (``"warning"``) or of a palette name (``"chart-purple"``).

    >>> colour("warning")
    '#8a5a00'
    """
    return PALETTE[SEVERITY_COLOUR_NAMES.get(name, name)]
