"""Which language a page is served in: ``?lang=`` if the suite speaks it, else the browser's ``Accept-Language``,
else the server's language (``--SuiteVoila.locale`` / ``ITB_LOCALE``).

For training only, not for treating patients.

The server imports no app (tests/test_import_graph.py), so it reads the same few rules as the kernel's
:func:`itbcore.i18n.negotiate` here, with Babel; tests/notebooks/test_languages.py checks the two agree.
A preheated kernel was built in the server's language: a page in another language gets a kernel of its own
(:meth:`launcher.handlers.render._RenderMixin.should_use_rendered_notebook`), which reads ``lang`` and
``HTTP_ACCEPT_LANGUAGE`` from its environment when it builds the app.
"""

from __future__ import annotations

import re

#: The suite's languages (itbcore.i18n.LOCALES).
LOCALES = ("en", "nb", "tr")
#: The environment variable of the server's language, which its preheated kernels are built in.
LOCALE_ENV = "ITB_LOCALE"
_ALIASES = {"no": "nb", "nn": "nb", "nob": "nb", "nno": "nb", "tur": "tr", "eng": "en"}
_RANGE = re.compile(r"^\s*([A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*|\*)\s*(?:;\s*q\s*=\s*([0-9.]{1,5}))?\s*$")


def negotiate(accept_language: str | None, default: str) -> str:
    """The suite's locale that best fits an ``Accept-Language`` header, or ``default``."""
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate((accept_language or "")[:512].split(",")[:32]):
        m = _RANGE.match(part)
        if not m or m.group(1) == "*":
            continue
        try:
            q = float(m.group(2)) if m.group(2) else 1.0
        except ValueError:
            continue
        primary = m.group(1).replace("_", "-").split("-")[0].lower()
        primary = _ALIASES.get(primary, primary)
        if q > 0 and primary in LOCALES:
            ranked.append((-q, i, primary))
    return sorted(ranked)[0][2] if ranked else default


#: The test pseudo-locale (itbcore.i18n.PSEUDO_LOCALE): never offered, but served when asked for by name, so a
#: browser test can show any English that did not pass through a catalogue.
PSEUDO_LOCALE = "qps"


def page_locale(lang: str | None, accept_language: str | None, default: str) -> str:
    """The language of a page: ``?lang=`` when it is one of the suite's, else the browser's, else ``default``."""
    if lang in LOCALES or lang == PSEUDO_LOCALE:
        return lang
    return negotiate(accept_language, default)
