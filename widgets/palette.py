"""The suite's one palette, read from its one stylesheet.

For training only, not for treating patients.

The colours are named once, as custom properties in section 1 of the suite's stylesheet, ``itb.css``
(the Voilà template's ``share/jupyter/voila/templates/itb/static/itb.css``)
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

from jupyter_core.paths import jupyter_path

__all__ = ["STYLESHEET", "PALETTE", "SEVERITY_COLOUR_NAMES", "colour"]

#: Where the stylesheet lies under a Jupyter data folder: the suite's Voilà template ``itb`` loads it on every page.
_IN_DATA_DIR = ("voila", "templates", "itb", "static", "itb.css")


def _stylesheet() -> Path:
    """The checkout's ``share/jupyter/…/itb.css``, else the installed copy (``<prefix>/share/jupyter``)."""
    here = Path(__file__).resolve().parent.parent / "share" / "jupyter"
    for folder in [str(here), *jupyter_path()]:
        candidate = Path(folder).joinpath(*_IN_DATA_DIR)
        if candidate.is_file():
            return candidate
    raise FileNotFoundError("the suite's stylesheet (voila/templates/itb/static/itb.css) is not installed")


#: The suite's stylesheet.
STYLESHEET = _stylesheet()

_PROPERTY = re.compile(r"--itb-([a-z0-9-]+)\s*:\s*(#[0-9a-fA-F]{3,8})\s*;")


def _read(css: str) -> dict[str, str]:
    root = css[css.index(":root") :]
    return dict(_PROPERTY.findall(root[: root.index("}")]))


#: Name (without ``--itb-``) → colour, from the stylesheet's ``:root`` block.
PALETTE: Mapping[str, str] = MappingProxyType(_read(STYLESHEET.read_text(encoding="utf-8")))

#: Severity (and "action") → the palette name it is drawn in.
SEVERITY_COLOUR_NAMES: Mapping[str, str] = MappingProxyType(
    {"info": "info", "warning": "warning", "violation": "danger", "action": "ok"}
)


def colour(name: str) -> str:
    """The colour of a severity (``"warning"``) or of a palette name (``"chart-purple"``).

    >>> colour("warning")
    '#8a5a00'
    """
    return PALETTE[SEVERITY_COLOUR_NAMES.get(name, name)]
