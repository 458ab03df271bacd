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

import functools
import re
from pathlib import Path

from babel.support import NullTranslations, Translations

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


#: The launcher's own catalogue (``launcher/locale``): the few pages the server writes itself.
LOCALE_DIR = Path(__file__).with_name("locale")


def N_(msgid: str) -> str:
    """Mark a text for extraction (``python3 tasks.py i18n``); it is translated where the page is written."""
    return msgid


@functools.cache
def translations(locale: str) -> NullTranslations:
    """The launcher's catalogue for ``locale`` (the .po read with Babel when no .mo is built), else English."""
    base = LOCALE_DIR / locale / "LC_MESSAGES" / "launcher"
    po, mo = base.with_suffix(".po"), base.with_suffix(".mo")
    try:
        if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
            with mo.open("rb") as fh:
                return Translations(fh, domain="launcher")
        if po.is_file():
            import io

            from babel.messages.mofile import write_mo
            from babel.messages.pofile import read_po

            with po.open("rb") as fh:
                catalog = read_po(fh, locale=locale, domain="launcher")
            buf = io.BytesIO()
            write_mo(buf, catalog, use_fuzzy=False)
            buf.seek(0)
            return Translations(buf, domain="launcher")
    except (OSError, ValueError):
        pass
    return NullTranslations()


_PAGE = (
    '<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>\n'
    '<meta http-equiv="refresh" content="60"></head>'
    '<body style="font-family:sans-serif;max-width:40em;margin:3em auto">'
    "\n<h1>{title}</h1><p>{text}</p>\n<p><strong>{notice}</strong></p></body></html>"
)
FULL_TITLE = N_("The class is full")
FULL_TEXT = N_(
    "Every place on this training server is taken right now. Try again in a minute (this page reloads itself); "
    "closing an app you no longer use frees its place."
)
BUSY_TITLE = N_("Too many apps open from this computer")
BUSY_TEXT = N_(
    "This computer already holds {held} places on the training server. Close an app you no longer use (its tab), "
    "then try again (this page reloads itself in a minute)."
)
NOTICE = N_("For training only — not for treating patients.")


def server_page(title: str, text: str, locale: str, **params: object) -> str:
    """One of the server's own pages (class full, too many apps) in ``locale``; it reloads itself in a minute."""
    from html import escape

    t = translations(locale) if locale in LOCALES and locale != "en" else NullTranslations()
    return _PAGE.format(
        lang=locale if locale in LOCALES else "en",
        title=escape(t.gettext(title)),
        text=escape(t.gettext(text).format(**params)),
        notice=escape(t.gettext(NOTICE)),
    )
