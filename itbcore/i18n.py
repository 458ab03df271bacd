"""The suite's languages: English, Norwegian Bokmål and Turkish -- the languages of its labels.

For training only, not for treating patients.

Every string a user sees is a gettext message: a template in English (the *msgid*) with named
placeholders, translated by a catalogue managed with Babel (``<package>/locale/<locale>/LC_MESSAGES/
<package>.po``; ``python3 tasks.py i18n`` extracts, updates and compiles them) and filled with
parameters formatted in the locale's way (CLDR data from Babel). The core stays free of Jupyter: it
renders its findings, actions and refusals in the locale in force when they are made, and keeps each
one's template and parameters (:class:`Message`) beside the text.

The locale in force is the kernel's (one page, one reader: :func:`set_locale`, which an app's language
chooser calls), or, inside ``with using("nb"):``, that block's.  English is the default and the
language of the nbval baselines.

>>> with using("nb"):
...     format_number(1234567.5, 9)
'1\\u202f234\\u202f567,5'
>>> format_number(0.075)
'0.075'
>>> from itbcore.units import Q_
>>> with using("tr"):
...     str(message("The dose is {dose}.", dose=Q_(0.5, "mg")))
'The dose is 0,5 mg.'
"""

from __future__ import annotations

import contextvars
import datetime as _dt
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.core import UnknownLocaleError
from babel.dates import format_date as _babel_date
from babel.numbers import get_decimal_symbol
from babel.support import NullTranslations, Translations

from .errors import InputError

__all__ = [
    "LOCALES",
    "DEFAULT_LOCALE",
    "PSEUDO_LOCALE",
    "Message",
    "message",
    "get_locale",
    "set_locale",
    "using",
    "check_locale",
    "negotiate",
    "language_name",
    "Domain",
    "gettext",
    "N_",
    "format_number",
    "format_date",
    "GROUP_SEPARATOR",
    "GROUPING_FROM",
]

#: The suite's languages: English and the languages of its labels (lionova: Bokmål; baclorex: Turkish).
LOCALES: tuple[str, ...] = ("en", "nb", "tr")
DEFAULT_LOCALE = "en"
#: A pseudo-locale for tests only: every translated message comes out as ``⟦…⟧``, so a screen run in it
#: shows at a glance (and to a test) any English that did not pass through a catalogue.
PSEUDO_LOCALE = "qps"
PSEUDO_OPEN, PSEUDO_CLOSE = "\u27e6", "\u27e7"

#: Digit groups are written with a narrow no-break space in every locale -- never a dot or comma, which
#: mean a decimal point in one language and a thousands separator in another -- so that a number the
#: suite shows, copied back into a field, reads as the same number (the reader takes U+202F).
GROUP_SEPARATOR = "\u202f"
#: Numbers are grouped from five integer digits (10 000): four-digit numbers stay whole, as the SI
#: brochure (5.4.4) and ISO 80000-1 allow, and as the labels write doses ("1000 mikrogram").
GROUPING_FROM = 10_000

_kernel_locale = DEFAULT_LOCALE
_override: contextvars.ContextVar[str | None] = contextvars.ContextVar("itb_locale", default=None)


def check_locale(locale: str) -> str:
    """``locale`` if the suite speaks it (or it is the test pseudo-locale), else an :class:`InputError`."""
    if locale in LOCALES or locale == PSEUDO_LOCALE:
        return locale
    raise InputError(
        f"The language {str(locale)[:20]!r} is not one of the suite's: {', '.join(LOCALES)} "
        "(English, Norwegian Bokmål, Turkish)."
    )


def get_locale() -> str:
    """The locale in force: a ``using()`` block's, else the kernel's (:func:`set_locale`), else English."""
    return _override.get() or _kernel_locale


def set_locale(locale: str) -> str:
    """Make ``locale`` the kernel's language (an app's language chooser); returns the one it replaced.

    A kernel serves one page, so the kernel's language is a plain setting, not a context variable: widget
    callbacks run in contexts copied when their task started and would not see a variable set later.
    """
    global _kernel_locale
    old, _kernel_locale = _kernel_locale, check_locale(locale)
    return old


@contextmanager
def using(locale: str | None) -> Iterator[str]:
    """Render in ``locale`` inside the block (``None``: the locale in force)."""
    token = _override.set(check_locale(locale) if locale else get_locale())
    try:
        yield get_locale()
    finally:
        _override.reset(token)


# Nynorsk and plain "Norwegian" readers are served Bokmål, the language of the Norwegian label.
_ALIASES = {"no": "nb", "nn": "nb", "nob": "nb", "nno": "nb", "tur": "tr", "eng": "en"}
_RANGE = re.compile(r"^\s*([A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*|\*)\s*(?:;\s*q\s*=\s*([0-9.]{1,5}))?\s*$")


def negotiate(accept_language: str | None, default: str = DEFAULT_LOCALE) -> str:
    """The suite's locale that best fits an ``Accept-Language`` header (RFC 9110 §12.5.4), or ``default``.

    >>> negotiate("nb-NO,nb;q=0.9,en;q=0.8")
    'nb'
    >>> negotiate("de-DE, tr;q=0.5")
    'tr'
    >>> negotiate("no")
    'nb'
    >>> negotiate("fr, *;q=0.1")
    'en'
    """
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


@lru_cache(maxsize=16)
def language_name(locale: str) -> str:
    """A locale's name in its own language, from CLDR (``"norsk bokmål"``, ``"Türkçe"``, ``"English"``)."""
    if locale == PSEUDO_LOCALE:
        return "pseudo"
    name = Locale.parse(check_locale(locale)).get_display_name(locale) or locale
    return name[:1].upper() + name[1:]


# ------------------------------------------------------------------------------------------ catalogues
@dataclass(frozen=True)
class Domain:
    """One package's catalogues: ``<folder>/<locale>/LC_MESSAGES/<name>.po`` (and ``.mo`` once compiled).

    A catalogue is read when its locale is first wanted: the compiled ``.mo`` when it is as new as the
    ``.po``, else the ``.po`` compiled in memory with Babel (a checkout needs no build step). A missing
    catalogue leaves the English.
    """

    name: str
    folder: Path

    def translations(self, locale: str) -> NullTranslations:
        return _translations(self.name, str(self.folder), locale)

    def gettext(self, msgid: str) -> str:
        """``msgid`` in the locale in force (English, and any message not yet translated, as it is)."""
        locale = get_locale()
        if locale == DEFAULT_LOCALE:
            return msgid
        if locale == PSEUDO_LOCALE:
            return f"{PSEUDO_OPEN}{msgid}{PSEUDO_CLOSE}"
        return self.translations(locale).gettext(msgid)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        locale = get_locale()
        if locale == DEFAULT_LOCALE:
            return singular if n == 1 else plural
        if locale == PSEUDO_LOCALE:
            return f"{PSEUDO_OPEN}{singular if n == 1 else plural}{PSEUDO_CLOSE}"
        return self.translations(locale).ngettext(singular, plural, n)

    def message(self, template: str, /, **params: Any) -> Message:
        """``template`` translated in the locale in force and filled with ``params`` formatted there."""
        return Message.make(self.gettext(template), template, params)


@lru_cache(maxsize=32)
def _translations(domain: str, folder: str, locale: str) -> NullTranslations:
    base = Path(folder) / locale / "LC_MESSAGES" / domain
    po, mo = base.with_suffix(".po"), base.with_suffix(".mo")
    try:
        if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
            with mo.open("rb") as fh:
                return Translations(fh, domain=domain)
        if po.is_file():
            from babel.messages.mofile import write_mo
            from babel.messages.pofile import read_po

            with po.open("rb") as fh:
                catalog = read_po(fh, locale=locale, domain=domain)
            buf = io.BytesIO()
            write_mo(buf, catalog, use_fuzzy=False)
            buf.seek(0)
            return Translations(buf, domain=domain)
    except (OSError, ValueError, UnknownLocaleError):
        pass
    return NullTranslations()


#: The core's own catalogue (``itbcore/locale``).
CORE = Domain("itbcore", Path(__file__).with_name("locale"))
gettext = CORE.gettext


def N_(msgid: str) -> str:
    """Mark a constant for extraction without translating it yet (it is translated where it is shown)."""
    return msgid


class Message(str):
    """A message as text in the locale it was made in, keeping its English template and parameters.

    A ``str`` (every caller that compared or printed messages keeps working) that also says what it
    is: ``.template`` (the msgid in the catalogues) and ``.params`` (the values before formatting).
    """

    template: str
    params: dict[str, Any]

    @classmethod
    def make(cls, translated: str, template: str, params: dict[str, Any]) -> Message:
        shown = {k: _param_text(v) for k, v in params.items()}
        try:
            text = translated.format(**shown)
        except (KeyError, IndexError, ValueError):  # a translation with a broken placeholder: the English
            text = template.format(**shown)
        self = cls(text)
        self.template, self.params = template, dict(params)
        return self


def message(template: str, /, **params: Any) -> Message:
    """The core's message ``template`` (an English msgid with ``{named}`` placeholders), translated and
    filled in the locale in force; quantities, numbers and dates among ``params`` are formatted there."""
    return CORE.message(template, **params)


def _param_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return format_number(float(value), 6) if isinstance(value, float) else format_number(value, 17)
    if isinstance(value, _dt.date):
        return format_date(value)
    if hasattr(value, "magnitude") and hasattr(value, "units"):
        from .units import fmt  # units imports this module

        return fmt(value)
    return str(value)


# ---------------------------------------------------------------------------------------------- numbers
def format_number(value: float, digits: int = 3) -> str:
    """``value`` to ``digits`` significant digits, in the locale in force: its decimal symbol (CLDR), digit
    groups of five or more integer digits with :data:`GROUP_SEPARATOR`, no float noise, no exponent.

    >>> format_number(2.0833333, 4), format_number(12500, 5), format_number(-0.5)
    ('2.083', '12\\u202f500', '-0.5')
    """
    from .units import _number_text  # units imports this module

    return localize_number(_number_text(float(value), digits))


def localize_number(text: str, locale: str | None = None) -> str:
    """A number written by the suite in ASCII (``"-12500.25"``) in the locale's way (``"-12 500,25"``)."""
    locale = locale or get_locale()
    m = re.fullmatch(r"([+\-]?)([0-9]+)(?:\.([0-9]+))?", text)
    if not m:  # inf, nan, or anything else: left as it is
        return text
    sign, whole, frac = m.groups()
    point = "." if locale in (DEFAULT_LOCALE, PSEUDO_LOCALE) else get_decimal_symbol(locale)
    if len(whole) > 4 and int(whole) >= GROUPING_FROM:
        # groups of three in all three languages (CLDR's "#,##0"), joined by the one separator the reader takes
        whole = f"{int(whole):,}".replace(",", GROUP_SEPARATOR)
    return f"{sign}{whole}{point + frac if frac else ''}"


def format_date(day: _dt.date) -> str:
    """A date in the locale's way: ISO 8601 in English (as the suite has always written it, unambiguous
    in any country), CLDR's medium form in Bokmål and Turkish (``4. des. 2026``, ``4 Ara 2026``)."""
    locale = get_locale()
    if locale in (DEFAULT_LOCALE, PSEUDO_LOCALE):
        return day.isoformat()
    return _babel_date(day, format="medium", locale=locale)
