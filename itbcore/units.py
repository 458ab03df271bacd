"""The suite's one unit registry and the parsing every public function uses.

All quantities in :mod:`itbcore` belong to :data:`ureg`; :data:`Q_` is its
Quantity.  Public functions accept a Quantity or a string such as ``"50 ug"``,
``"50 mcg"``, ``"50 µg"`` (micro sign), ``"50 μg"`` (Greek mu), ``"0.05 mg"``,
``"12 h"``, ``"2 mg/mL"`` or ``"500 ug/day"``; a bare number is refused because a
dose without a unit is how decimal-point and mg/µg errors reach patients.

>>> as_quantity("50 mcg", "ug")
<Quantity(50, 'microgram')>
>>> as_quantity("0.05 mg", "ug")
<Quantity(50.0, 'microgram')>
>>> fmt(as_quantity("500 ug/day", "ug/day"))
'500 µg/day'
>>> as_quantity(50, "ug", name="test dose")
Traceback (most recent call last):
...
itbcore.errors.UnitError: The test dose 50 has no unit; give it in µg (for example '50 µg').
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any, TypeAlias

import numpy as np
import pint
from babel.lists import format_list
from babel.numbers import format_decimal
from babel.units import UnknownUnitError, format_unit
from pint.facets.plain import PlainUnit

from . import fastpath
from .errors import InputError, UnitError
from .i18n import N_, get_locale, gettext, localize_number, message

__all__ = ["ureg", "Q_", "QuantityLike", "as_quantity", "as_array_quantity", "fmt", "display_unit", "magnitude_in"]

#: The one registry of the suite. Never create another.
ureg: pint.UnitRegistry = pint.UnitRegistry(cache_folder=None)
ureg.formatter.default_format = "~"
#: Quantity class of :data:`ureg`.
Q_ = ureg.Quantity

#: What the core's functions accept for a quantity: a pint Quantity of this registry, or text with its
#: unit (``"1.5 mg/mL"``, ``"1 500 ug"``); :func:`as_quantity` reads both, a bare number is refused.
QuantityLike: TypeAlias = "pint.Quantity | str"

# pint parses a unit string afresh on every Q_(x, "ug/day"); the registry remembers each parse
# (itbcore.fastpath, the one place that relies on pint's internals, and only where they are there).
_FAST_OK = not fastpath.missing_internals(ureg)
if _FAST_OK:
    fastpath.install_parse_cache(ureg)

# ------------------------------------------------------------------------------------------- the reader
# A quantity typed by a person is read by the suite's own grammar -- *number + unit* -- and never handed to
# pint's expression parser, which evaluates arithmetic ("9**9**9 ug" hangs a kernel) and reads "2 3 ug" as
# 6 µg, "ug" as 1 µg and "ML" as megalitres.  The grammar:
#
#   text   := sign? number space* unit
#   number := digits ( [.,] digits )? ( e sign? digits )?   -- "0,5": a decimal comma, as the labels write it
#           | d{1,3} ( SEP d{3} )+ ( [.,] digits )?         -- "1 500", "12 500 000", "1'500": groups of three
#   SEP    := space, U+00A0, U+2009, U+202F or an apostrophe
#   unit   := name ( "/" factor? name ){0,2}                -- "ug/day", "mg/mL", "ug/24 h", "ug per day"
#
# A comma followed by exactly three digits ("1,000") means 1000 in English and 1 in Norwegian, and a dot
# between groups of three ("1.000", "10.000") is a decimal point in English but groups thousands in Turkish
# and Norwegian: both are refused, naming both readings.  A number whose integer part is 0 ("0,075") cannot
# be grouped and is read as a decimal; "1,000,000" and "1.000.000" can only be grouping, refused naming the
# one reading.  Unit names come from an allow-list (_UNIT_NAMES) matched without regard to case:
# the list holds no mega- or other prefix that a case slip could reach, so "20 ML" is 20 mL.  Digits are
# ASCII only.  A refusal is kept in the parse cache as (error class, message template, number typed) and
# completed with the field's name and expected unit when raised.  A refusal's advice names only numbers
# built from the digits typed: the readings of an ambiguous number, or the number typed with the expected
# unit as the example; where no number was typed it describes the form ("write a number followed by µg").

#: Longest text the reader looks at; anything longer is refused before it is parsed.
MAX_TEXT_LENGTH = 64
#: Most significant digits a typed number may have: a float's full repr, never a 400-digit number.
MAX_DIGITS = 17

_SEP = " \u00a0\u2009\u202f'\u2019"
_SIGNS = "+-\u2212"

# name (lower case) -> pint unit name: only what the suite reads (masses, volumes, times, weight, length).
_UNIT_NAMES: dict[str, str] = {
    name: pint_name
    for names, pint_name in (
        (("ug", "µg", "μg", "mcg", "microgram", "micrograms", "mikrogram"), "microgram"),
        (("mg", "milligram", "milligrams"), "milligram"),
        (("g", "gram", "grams"), "gram"),
        (("ng", "nanogram", "nanograms"), "nanogram"),
        (("kg", "kilogram", "kilograms"), "kilogram"),
        (("ml", "milliliter", "milliliters", "millilitre", "millilitres"), "milliliter"),
        (("ul", "µl", "μl", "microliter", "microliters", "microlitre", "microlitres"), "microliter"),
        (("l", "liter", "liters", "litre", "litres"), "liter"),
        # and the words the suite writes in Bokmål and Turkish (display_unit, CLDR durations), read back
        (("h", "hr", "hrs", "hour", "hours", "time", "timer", "saat"), "hour"),
        (("min", "mins", "minute", "minutes", "minutt", "minutter", "dakika", "dk"), "minute"),
        (("day", "days", "d", "dag", "dager", "døgn", "døgnet", "gün", "gun"), "day"),
        (("week", "weeks", "wk", "wks", "uke", "uker", "hafta"), "week"),
        (("year", "years", "yr", "yrs", "år", "yıl", "yil"), "year"),
        (("cm",), "centimeter"),
        (("mmol", "millimole", "millimoles"), "millimole"),
        (("umol", "µmol", "μmol", "micromole", "micromoles"), "micromole"),
        (("s", "sec", "secs", "second", "seconds"), "second"),
    )
    for name in names
}

_NUMBER = re.compile(
    r"(?P<sign>[+\-\u2212])?"
    r"(?P<int>[0-9]{1,3}(?:[ \u00a0\u2009\u202f'\u2019][0-9]{3})+(?![0-9])|[0-9]+)"
    r"(?:(?P<sep>[.,])(?P<frac>[0-9]+))?"
    r"(?:[eE](?P<exp>[+\-\u2212]?[0-9]+))?"
)
#: More groups of three after "1.000" or "1,000" ("1.000.000"), up to the end of the number.
_MORE_GROUPS = {sep: re.compile(rf"(?:\{sep}[0-9]{{3}})+(?![0-9.,eE])") for sep in ".,"}
_WORD = re.compile(r"[^\W\d_]+")  # a run of letters (µ and μ included)
_FACTOR = re.compile(r"[0-9]+(?:[.,][0-9]+)?")
_OPERATOR = re.compile(r"[*^()\[\]{}=\\<>!&|~`$;]")
_CALCULATION = re.compile(r"\s*(?:[+\-\u2212/×·:]|x(?=\s*[0-9]))\s*[0-9]")

# A refusal's advice ends with a number followed by the expected unit.  Where the text holds a number the
# example is that number as typed ("for example '20 mL'"); the advice never names a number the user did not
# type -- a stock example such as '50 µg' beside a refused '1,250' reads as a correction.  Each refusal is a
# whole message template (marked for translation) kept in the parse cache with the values it names; the
# field's name, the expected unit and the example are filled in, and the template translated, when it is raised.


def _refusal(cls: type, template: str, number: str | None = None, **params: Any) -> tuple[Any, ...]:
    """A refusal kept in the parse cache: ``template`` (an English msgid) holds ``{name}``, ``{unit}`` and
    ``{example}`` besides the named ``params``; ``number`` is the number as typed, which the example repeats
    with the expected unit."""
    return ("refused", cls, template, number, tuple(params.items()))


def _decimal(digits: str, frac: str) -> str:
    """``digits`` and ``frac`` read with a decimal separator, written with the digits typed: 1,250 -> 1.25."""
    whole = digits.lstrip("0") or "0"
    frac = frac.rstrip("0")
    return f"{whole}.{frac}" if frac else whole


def _typeable(decimal: str) -> str:
    """A decimal as advice to type: "12.345" would be refused as dot-grouped, "12.3450" is read as 12.345."""
    whole, _, frac = decimal.lstrip("+-\u2212").partition(".")
    return decimal + "0" if len(frac) == 3 and len(whole) <= 3 and whole[0] != "0" else decimal


@lru_cache(maxsize=4096)
def _read(text: str) -> tuple[Any, ...]:
    """``text`` as ``(magnitude, pint.Unit or None)``, or ``("refused", error class, template, number, params)``.

    The template holds ``{name}``, ``{unit}`` and ``{example}`` for :func:`_parse_text` to fill in.
    """
    s = text.strip()
    if not s:
        return _refusal(InputError, N_("The {name} is empty; write a number followed by {unit}."))
    if len(text) > MAX_TEXT_LENGTH:
        return _refusal(
            InputError,
            N_(
                "The {name} is too long to be a quantity (at most {max_length} characters); write a number "
                "followed by {unit}."
            ),
            max_length=MAX_TEXT_LENGTH,
        )
    shown = repr(s)
    op = _OPERATOR.search(s)
    if op:
        return _refusal(
            InputError,
            N_("The {name} {shown} contains {operator}: write one plain number followed by {unit}, not a calculation."),
            shown=shown,
            operator=repr(op.group()),
        )
    if s[0] in _SIGNS and s[1:2] in tuple(_SIGNS):
        return _refusal(
            InputError,
            N_("The {name} {shown} has a doubled sign; write one number, with one sign at most, followed by {unit}."),
            shown=shown,
        )
    word = _WORD.match(s.lstrip(_SIGNS))
    if word and word.group().lower() in ("nan", "inf", "infinity"):
        return _refusal(InputError, N_("The {name} {shown} must be a finite number."), shown=shown)
    m = _NUMBER.match(s)
    if m is None:
        lead = re.match(r"[.,][0-9]+", s)
        if lead:
            return _refusal(
                InputError,
                N_("The {name} {shown} starts with a decimal separator; write a zero before it ('0{typed}')."),
                shown=shown,
                typed=lead.group(),
            )
        if word and word.group().lower() in _UNIT_NAMES:
            return _refusal(
                InputError,
                N_("The {name} {shown} has a unit but no number; write a number followed by {unit}."),
                shown=shown,
            )
        return _refusal(
            UnitError, N_("The {name} {shown} could not be read; write a number followed by {unit}."), shown=shown
        )
    int_text, sep, frac, exp = m.group("int"), m.group("sep"), m.group("frac") or "", m.group("exp")
    grouped = any(c in _SEP for c in int_text)
    digits = "".join(c for c in int_text if c not in _SEP)
    rest = s[m.end() :]
    sign = m.group("sign") or ""
    if (
        sep
        and len(frac) == 3
        and not grouped
        and exp is None
        and (digits.strip("0") if sep == "," else len(digits) <= 3 and digits[0] != "0")
    ):
        # "1,000" or "1.000": a separator before three digits groups thousands in one convention and is the
        # decimal separator in another (English 1,000 = 1000, Norwegian 1,000 = 1; Turkish 10.000 = 10000).
        # A number whose integer part is 0 ("0,075") cannot be grouped: it is a decimal.
        more = _MORE_GROUPS[sep].match(rest)
        if more:  # "1,000,000", "1.000.000": only grouping can mean this, and the suite does not read it
            whole = sign + (digits + frac + more.group().replace(sep, "")).lstrip("0")
            return _refusal(
                InputError,
                N_(
                    "The {name} {shown} groups its digits with {separator}, which the suite reads only as a decimal "
                    "separator; write {whole} (or group the digits with spaces)."
                ),
                shown=shown,
                separator=repr(sep),
                whole=whole,
            )
        if not (rest[:1] in (".", ",") and rest[1:2].isascii() and rest[1:2].isdigit()):
            grouping = sign + (digits + frac).lstrip("0")
            decimal = sign + _decimal(digits, frac)
            values = {"shown": shown, "typed": repr(m.group()), "grouping": grouping, "decimal": decimal}
            if sep == ",":
                return _refusal(
                    InputError,
                    N_(
                        "The {name} {shown} is ambiguous: {typed} means {grouping} in English but {decimal} in "
                        "Norwegian (a decimal comma); write {grouping} or {decimal_typed}, whichever is meant."
                    ),
                    decimal_typed=_typeable(decimal),
                    **values,
                )
            return _refusal(
                InputError,
                N_(
                    "The {name} {shown} is ambiguous: {typed} means {decimal} with a decimal point but {grouping} in "
                    "Turkish or Norwegian (a dot between groups of three digits); write {decimal_typed} or "
                    "{grouping}, whichever is meant."
                ),
                decimal_typed=_typeable(decimal),
                **values,
            )
    if rest[:1] in (".", ",") and rest[1:2].isascii() and rest[1:2].isdigit():
        return _refusal(
            InputError,
            N_(
                "The {name} {shown} has two decimal separators; write one number, with one decimal separator, "
                "followed by {unit}."
            ),
            shown=shown,
        )
    if len((digits + frac).lstrip("0")) > MAX_DIGITS:
        return _refusal(
            InputError,
            N_(
                "The {name} has too many digits (at most {max_digits} significant digits); write a shorter number "
                "followed by {unit}."
            ),
            max_digits=MAX_DIGITS,
        )
    exponent = 0 if exp is None else int(exp.replace("\u2212", "-"))
    mag: Any = float(f"{digits}.{frac or '0'}e{exponent}") if (frac or exp is not None) else int(digits)
    if not math.isfinite(mag):
        return _refusal(InputError, N_("The {name} {shown} is too large to compute with."), shown=shown)
    if sign in ("-", "\u2212"):
        mag = -mag
    unit_text = rest.strip()
    if not unit_text:
        return (mag, None)
    number = m.group()
    if _CALCULATION.match(rest):
        return _refusal(
            InputError,
            N_("The {name} {shown} is a calculation; write one plain number followed by {unit}."),
            shown=shown,
        )
    if unit_text[0].isascii() and (unit_text[0].isdigit() or unit_text[0] in _SIGNS):
        other = _NUMBER.match(unit_text)
        return _refusal(
            InputError,
            N_(
                "The {name} {shown} holds two numbers ({first} and {second}); write one number followed by {unit} "
                "(a space inside a number may only separate groups of three digits)."
            ),
            shown=shown,
            first=repr(number),
            second=repr(other.group() if other else unit_text.split()[0]),
        )
    lead = _WORD.match(rest)
    if (
        lead
        and rest[0] in "oOlI"
        and lead.group().lower() not in _UNIT_NAMES
        and (len(lead.group()) == 1 or lead.group().translate(_LOOKALIKE).isdigit())
    ):
        return _refusal(
            InputError,
            N_(
                "The {name} {shown} has a letter inside the number ({typed}); type the number in digits only, "
                "followed by {unit}."
            ),
            shown=shown,
            typed=repr(number + lead.group()),
        )
    unit = _read_unit(unit_text, shown, number)
    if unit[0] == "refused":
        return unit
    factor, parsed = unit
    return (mag / factor if factor != 1 else mag, parsed)


_LOOKALIKE = str.maketrans("oOlI", "0011")


def _read_unit(text: str, shown: str, number: str | None = None) -> tuple[Any, ...]:
    """The unit part: allow-listed names joined by '/' (or 'per'); a number may follow a '/' ("ug/24 h").

    ``number`` is the number typed before the unit, which a refusal's example repeats.
    """
    parts = re.split(r"\s*/\s*|\s+per\s+", text, flags=re.I)
    if len(parts) > 3:
        return _refusal(
            UnitError,
            N_("The {name} {shown} has too many '/' in its unit; give it in {unit}{example}."),
            number,
            shown=shown,
        )
    factor = 1.0
    names: list[str] = []
    for i, part in enumerate(parts):
        if i > 0:
            fm = _FACTOR.match(part)
            if fm:
                f = float(fm.group().replace(",", "."))
                if not f > 0:
                    return _refusal(
                        InputError, N_("The {name} {shown} divides by zero; give it in {unit}."), shown=shown
                    )
                factor *= f
                part = part[fm.end() :].strip()
        if not part:
            return _refusal(
                UnitError,
                N_("The {name} {shown} has an incomplete unit; give it in {unit}{example}."),
                number,
                shown=shown,
            )
        if _WORD.fullmatch(part) and part.lower() in _UNIT_NAMES:
            names.append(_UNIT_NAMES[part.lower()])
            continue
        words = part.split()
        if len(words) > 1 and words[0].lower() in _UNIT_NAMES:
            if all(w.lower() in _UNIT_NAMES for w in words):
                return _refusal(
                    UnitError,
                    N_("The {name} {shown} has two units ({units}); give one unit, {unit}{example}."),
                    number,
                    shown=shown,
                    units=tuple(map(repr, words)),  # a list, joined in the reader's language when raised
                )
            if any(c.isascii() and c.isdigit() for c in words[1]):
                return _refusal(
                    InputError,
                    N_(
                        "The {name} {shown} has a number after its unit ({typed}); write one number followed by {unit}."
                    ),
                    shown=shown,
                    typed=repr(words[1]),
                )
        return _refusal(
            UnitError,
            N_("The {name} {shown}: {typed} is not a unit the suite reads; give it in {unit}{example}."),
            number,
            shown=shown,
            typed=repr(part),
        )
    spec = " / ".join(names)
    return (factor, _pint_unit(spec))


@lru_cache(maxsize=256)
def _pint_unit(spec: str) -> pint.Unit:
    return ureg.Unit(spec)


# How the suite writes units to a clinician.
_DISPLAY = {
    "microgram": "µg",
    "milligram": "mg",
    "gram": "g",
    "nanogram": "ng",
    "milliliter": "mL",
    "microliter": "µL",
    "liter": "L",
    "hour": "h",
    "minute": "min",
    "second": "s",
    "day": "day",
    "week": "week",
    "kilogram": "kg",
    "millimole": "mmol",
    "centimeter": "cm",
    "year": "year",
}

# How the labels write units in their own languages (lionova 2 and 6.6: "50 mikrogram/ml", "mikrogram/dag",
# "24 timer"; baclorex 3: "50 mikrogram/ml", "24 saat"): the unit words of itbcore/glossary.toml.  A unit
# not listed is written as in English (mg, ng, kg, mmol are the same in all three).
_DISPLAY_LOCALE = {
    "nb": {
        "microgram": "mikrogram",
        "milliliter": "ml",
        "microliter": "µl",
        "liter": "l",
        "hour": "time",
        "minute": "min",
        "day": "dag",
        "week": "uke",
        "year": "år",
    },
    "tr": {
        "microgram": "mikrogram",
        "milliliter": "ml",
        "microliter": "µl",
        "liter": "l",
        "hour": "saat",
        "minute": "dk",
        "day": "gün",
        "week": "hafta",
        "year": "yıl",
    },
}
# A duration written alone ("90 days") takes CLDR's long unit pattern and plural, from Babel.
_CLDR_DURATION = {
    "day": "duration-day",
    "week": "duration-week",
    "hour": "duration-hour",
    "minute": "duration-minute",
    "year": "duration-year",
}


def _unit(spec: Any) -> pint.Unit:
    if isinstance(spec, pint.Unit):
        return spec
    if not isinstance(spec, str):
        raise UnitError(f"A unit is named by text such as 'ug/day', not {spec!r}.")
    return _parse_unit(spec)


#: A unit spec pint may read when the reader's names do not cover it ("dimensionless", "percent", "1/h"):
#: letters, spaces, "/" and a leading "1" only -- never an operator or an exponent pint would evaluate.
_PINT_SAFE_SPEC = re.compile(r"(?:1\s*/\s*)?[A-Za-zµμ _]*(?:/[A-Za-zµμ _]+)*")


@lru_cache(maxsize=256)
def _parse_unit(spec: str) -> pint.Unit:
    """A unit named by the suite's code (a target such as ``"ug/day"``): the reader's names first, then pint's
    for a spec of plain names; anything else (``"9**9**9"``) is refused without evaluating it."""
    text = spec.strip()
    read = _read_unit(text, repr(spec)) if text else None
    if read is not None and read[0] != "refused" and read[0] == 1:
        return read[1]
    if len(text) <= MAX_TEXT_LENGTH and _PINT_SAFE_SPEC.fullmatch(text):
        try:
            return ureg.Unit(text)
        except Exception:  # noqa: BLE001 - an unknown name: refused below
            pass
    raise UnitError(f"The unit {spec[:MAX_TEXT_LENGTH]!r} is not known; write it as, for example, 'ug/day' or 'mL'.")


# ---------------------------------------------------------------------------------------------- fast path
# Core calls read every argument into one canonical unit and compute on plain floats; the factor of
# each (source units, target unit) pair is remembered (itbcore.fastpath: what pint would answer, bit
# for bit, or nothing).
_FAST = fastpath.Converter(ureg, _parse_unit, enabled=_FAST_OK)


def _fast_magnitude(value: Any, unit: str) -> Any:
    """``as_quantity(value, unit).magnitude`` when it can be had cheaply, else ``None``.

    Covers a scalar Quantity of :data:`ureg` and a quantity written as text (the parse is remembered),
    with a finite float or int magnitude (an int within ±2**53), in units the fast path knows.  Returns
    ``None`` for anything else, including every input :func:`as_quantity` would refuse, so its messages
    stay the only ones.
    """
    if not _FAST_OK:
        return None
    cls = value.__class__
    if cls is Q_:
        mag, src = value._magnitude, value._units
    elif cls is str:
        try:
            parsed = _parse_text_cached(value.strip())
        except Exception:  # noqa: BLE001 - not readable on the fast path: the full path explains
            return None
        if parsed.__class__ is not tuple:
            return None
        mag, src = parsed[0], parsed[1]._units
    else:
        return None
    return _FAST.magnitude(mag, src, unit)


#: ``Q_(magnitude, unit)`` for a scalar int or float, without pint's argument sniffing.
_make_q = _FAST.make
#: A function ``make(magnitude)`` equal to :func:`_make_q` for one fixed unit (for many results).
_quantity_maker = _FAST.maker


def _parse_text(text: str, name: str = N_("value"), unit: str = "") -> Any:
    """Read text with the reader: a fresh Quantity, or a bare number (int or float) when it has no unit.

    Raises the reader's refusal (an :class:`ITBError`) completed with ``name`` and ``unit``.
    """
    parsed = _read(text)
    if parsed[0] == "refused":
        _, cls, template, number, params = parsed
        shown = display_unit(unit) if unit else ""
        values = {k: _and_list(v) if isinstance(v, tuple) else v for k, v in params}
        raise cls(
            message(
                template,
                name=gettext(name),
                unit=shown or gettext("its unit"),
                example=_typed_example(number, shown),
                **values,
            )
        )
    mag, u = parsed
    return mag if u is None else Q_(mag, u)


def _parse_text_cached(text: str) -> Any:
    """(magnitude, unit) of a good parse, for the fast path; a refusal or a bare number is not a tuple of two."""
    parsed = _read(text)
    return parsed if parsed[0] != "refused" and parsed[1] is not None else None


def display_unit(unit: str | PlainUnit, locale: str | None = None) -> str:
    """Write a unit the way a clinician reads it, in the locale in force (or ``locale``).

    >>> display_unit("ug/day")
    'µg/day'
    >>> display_unit("mg/mL")
    'mg/mL'
    >>> display_unit("ug/day", "nb"), display_unit("ug/mL", "tr")
    ('mikrogram/dag', 'mikrogram/ml')
    """
    return _display_text(str(_unit(unit)) if not isinstance(unit, str) else unit, locale or get_locale())


def _display_unit(unit: str | PlainUnit, locale: str) -> str:
    u = _unit(unit)
    words = _DISPLAY_LOCALE.get(locale, {})
    num: list[str] = []
    den: list[str] = []
    for name, exponent in u._units.items():
        power = float(exponent)  # type: ignore[arg-type]  # a unit's exponents are real numbers
        label = words.get(name) or _DISPLAY.get(name, str(ureg.Unit(name)))
        target = num if power > 0 else den
        p = abs(power)
        target.append(label if p == 1 else f"{label}^{p:g}")
    text = "·".join(num) or "1"
    if den:
        text += "/" + "/".join(den)
    return text


def _typed_example(number: str | None, unit: str) -> str:
    """`` (for example '20 mL')``: the number as typed with the expected unit, or nothing without both."""
    return " " + message("(for example '{number} {unit}')", number=number, unit=unit) if number and unit else ""


def _and_list(items: tuple[str, ...]) -> str:
    """``'a' and 'b'`` in the language in force (English: joined with "and", as the suite has always written)."""
    if get_locale() in ("en", "qps"):
        return " and ".join(items)
    return format_list(list(items), locale=get_locale())


def _refuse_bare(value: Any, unit: str, name: str) -> UnitError:
    shown = display_unit(unit)
    if isinstance(value, str):
        return UnitError(
            message(
                "The {name} {shown} has no unit; give it in {unit}{example}.",
                name=gettext(name),
                shown=repr(value),
                unit=shown,
                example=_typed_example(value.strip(), shown),
            )
        )
    typed = (
        str(value)
        if isinstance(value, (int, float, np.integer, np.floating))
        and not isinstance(value, bool)
        and math.isfinite(value)
        else None
    )
    return UnitError(
        message(
            "The {name} {shown} has no unit; give it in {unit}{example}.",
            name=gettext(name),
            shown=str(value),
            unit=shown,
            example=_typed_example(typed, shown),
        )
    )


def _example(unit: str) -> str:
    """A stock example of ``unit`` for a field's placeholder or a case file's message -- never for a refusal of
    what a person typed, whose advice repeats the number typed (:func:`_typed_example`)."""
    examples = {
        "ug": "50 µg",
        "mg": "10 mg",
        "ug/day": "500 µg/day",
        "ug/h": "20 µg/h",
        "ug/mL": "500 µg/mL",
        "mg/mL": "2 mg/mL",
        "mL": "20 mL",
        "mL/day": "1 mL/day",
        "h": "12 h",
        "day": "90 day",
        "min": "5 min",
        "kg": "70 kg",
        "mL/h": "30 mL/h",
        "ng/mL": "200 ng/mL",
        "uL/cm": "2 µL/cm",
        "cm": "76 cm",
        "uL": "200 µL",
    }
    return examples.get(unit, f"1 {display_unit(unit)}")


def as_quantity(value: Any, unit: str, name: str = N_("value"), *, array: bool = False) -> pint.Quantity:
    """Read ``value`` as a Quantity of :data:`ureg` expressed in ``unit``.

    ``value`` may be a Quantity (of this or another pint registry) or a string.
    Refuses (``UnitError``) a bare number, an unknown unit or the wrong dimension,
    and (``InputError``) empty text, text that is no number, NaN and infinities.
    With ``array=True`` array magnitudes are allowed (each element must be finite).
    """
    if unit.__class__ is str:
        mag = _fast_magnitude(value, unit)
        if mag is not None:
            return _make_q(mag, unit)
    target = _unit(unit)
    if isinstance(value, pint.Quantity):
        if value._REGISTRY is not ureg:
            value = Q_(value.magnitude, str(value.units))
        q = value
    elif isinstance(value, str):
        q = _parse_text(value, name, unit)
        if not isinstance(q, pint.Quantity):
            if not target.dimensionless:
                raise _refuse_bare(value, unit, name)
            q = Q_(q, "")
    elif value is None:
        raise InputError(
            message(
                "The {name} is missing; write a number followed by {unit}.", name=gettext(name), unit=display_unit(unit)
            )
        )
    elif isinstance(value, (bool, int, float, np.number, np.ndarray, list, tuple)):
        if target.dimensionless:
            try:
                q = Q_(np.asarray(value, dtype=float) if array else value, "")
            except (TypeError, ValueError):
                raise InputError(
                    message("The {name} {shown} is not a number.", name=gettext(name), shown=repr(value))
                ) from None
        else:
            raise _refuse_bare(value, unit, name)
    else:
        raise InputError(
            message(
                "The {name} {shown} is not a quantity; give it in {unit}.",
                name=gettext(name),
                shown=repr(value),
                unit=display_unit(unit),
            )
        )

    if q.dimensionality != target.dimensionality:
        raise _wrong_dimension(q, target, unit, name, value.strip() if isinstance(value, str) else None)
    mag = q.magnitude
    if np.ndim(mag) != 0:
        if not array:
            raise InputError(message("The {name} must be a single value, not a list.", name=gettext(name)))
        arr = np.asarray(mag, dtype=float)
        if not np.all(np.isfinite(arr)):
            raise InputError(message("The {name} contains a value that is not a finite number.", name=gettext(name)))
        return Q_(arr, q.units).to(target)
    try:
        fmag = float(mag)
    except OverflowError:
        raise InputError(message("The {name} is too large to compute with.", name=gettext(name))) from None
    except (TypeError, ValueError):
        raise InputError(message("The {name} {shown} is not a number.", name=gettext(name), shown=repr(mag))) from None
    if not math.isfinite(fmag):
        raise InputError(
            message("The {name} must be a finite number, not {shown}.", name=gettext(name), shown=str(fmag))
        )
    try:
        out = q.to(target)
        finite = math.isfinite(float(out.magnitude))
    except OverflowError:
        finite = False
    if not finite:
        raise InputError(message("The {name} is too large to compute with.", name=gettext(name)))
    return out


# What a dimension is called in a refusal ("50 mL is a volume, not a mass").
_DIMENSION_WORDS = {
    "[mass]": N_("a mass"),
    "[length] ** 3": N_("a volume"),
    "[time]": N_("a time"),
    "[length]": N_("a length"),
    "[substance]": N_("an amount of substance"),
    "[mass] / [time]": N_("a dose rate (mass per time)"),
    "[mass] / [length] ** 3": N_("a concentration (mass per volume)"),
    "[length] ** 3 / [time]": N_("a flow (volume per time)"),
    "[length] ** 2": N_("an area"),
    "[mass] / [length] ** 3 / [time]": N_("a concentration per time"),
    "[length] ** 3 / [mass]": N_("a volume per mass"),
    "1 / [time]": N_("a rate per time"),
    "dimensionless": N_("a plain number"),
}


def _dimension_word(dimensionality: Any, units: Any) -> str:
    word = _DIMENSION_WORDS.get(str(dimensionality))
    return gettext(word) if word else message("a quantity in {unit}", unit=display_unit(units))


def _wrong_dimension(q: pint.Quantity, target: pint.Unit, unit: str, name: str, text: str | None) -> UnitError:
    """The refusal of a quantity of another dimension: text is shown as typed (a rounded "1234 mL" for
    "1234.5 mL" would name a number never typed), and the advice names the unit without an example, since the
    number typed belongs to another kind of quantity ("5 mL" of a solution is not 5 µg)."""
    if text is not None:
        shown = repr(text)
    elif np.ndim(q.magnitude) == 0 and np.isfinite(float(q.magnitude)):
        shown = fmt(q)
    else:
        shown = display_unit(q.units)
    values = {
        "name": gettext(name),
        "shown": shown,
        "got": _dimension_word(q.dimensionality, q.units),
        "wanted": _dimension_word(target.dimensionality, target),
    }
    if target.dimensionless:
        return UnitError(message("The {name} {shown} is {got}, not {wanted}; give it as a plain number.", **values))
    return UnitError(
        message("The {name} {shown} is {got}, not {wanted}; give it in {unit}.", unit=display_unit(unit), **values)
    )


def as_array_quantity(value: Any, unit: str, name: str = N_("value")) -> pint.Quantity:
    """Like :func:`as_quantity` but also accepts arrays and sequences of Quantities or strings.

    >>> as_array_quantity(["1 h", "90 min"], "h").magnitude.tolist()
    [1.0, 1.5]
    """
    if isinstance(value, (list, tuple)) and value and not isinstance(value[0], (int, float, np.number)):
        mags = [as_quantity(v, unit, name).magnitude for v in value]
        return Q_(np.asarray(mags, dtype=float), _unit(unit))
    return as_quantity(value, unit, name, array=True)


def magnitude_in(value: Any, unit: str, name: str = N_("value")) -> float:
    """The plain float of ``value`` in ``unit`` (after the same checks as :func:`as_quantity`).

    >>> magnitude_in("0.5 mL", "uL")
    500.0
    """
    if unit.__class__ is str:
        mag = _fast_magnitude(value, unit)
        if mag is not None:
            return float(mag)
    return float(as_quantity(value, unit, name).magnitude)


def fmt(q: pint.Quantity, unit: str | None = None, digits: int = 3) -> str:
    """Format a quantity for a clinician: significant digits, no float noise, µ for micro.

    >>> fmt(Q_(0.49999999, "mL"))
    '0.5 mL'
    >>> fmt(Q_(1234.6, "ug/day"))
    '1235 µg/day'
    >>> fmt(Q_(2, "mg/mL"), "ug/mL")
    '2000 µg/mL'

    What it writes reads back as meant: never ``1.000``-like text, which a dot groups in some languages.

    >>> fmt(Q_(50 / 24, "ug/h"), digits=4)
    '2.0833 µg/h'
    """
    if isinstance(digits, bool) or not isinstance(digits, (int, np.integer)):
        raise InputError(f"The number of significant digits must be a whole number, not {digits!r}.")
    if unit is not None or not isinstance(q, pint.Quantity):
        q = as_quantity(q, unit if unit is not None else "", "value")
    try:
        mag = float(q.magnitude)
    except (TypeError, ValueError):
        raise InputError("Only a single value can be formatted.") from None
    return _fmt_float(mag, str(q.units), digits)


#: Units written as words that take a plural: "1 day", "90 days" (a compound such as µg/day does not).
_COUNTED = frozenset({"day", "week", "month", "year", "minute"})


def _with_unit(number: str, unit: str) -> str:
    """``"90" + "day"`` → ``"90 days"``; any other unit as it is (English)."""
    if unit in _COUNTED and number not in ("1", "-1"):
        unit += "s"
    return f"{number} {unit}"


@lru_cache(maxsize=1024)
def _localized(number: str, unit: str, locale: str) -> str:
    """An ASCII number and a pint unit name written in ``locale``: its decimal symbol and digit groups
    (:func:`itbcore.i18n.localize_number`), the labels' unit words, CLDR's pattern for a duration alone."""
    shown = localize_number(number, locale)
    if locale in ("en", "qps"):
        return _with_unit(shown, _display_text(unit, "en"))
    parts = _unit(unit)._units
    name, power = next(iter(parts.items())) if len(parts) == 1 else ("", 0)
    cldr = _CLDR_DURATION.get(name) if power == 1 else None
    if cldr is not None:
        try:
            value = float(number)
            babel_number = format_decimal(value, format="0.##########", locale=locale)
            return format_unit(value, cldr, length="long", format="0.##########", locale=locale).replace(
                babel_number, shown
            )
        except (ValueError, UnknownUnitError):
            pass
    return f"{shown} {_display_text(unit, locale)}"


def _number_text(mag: float, digits: int = 3) -> str:
    if mag == 0 or not math.isfinite(mag):
        return f"{mag:g}"
    exponent = math.floor(math.log10(abs(mag)))
    decimals = max(0, digits - 1 - exponent)
    text = f"{round(mag, decimals):.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
        dot = text.find(".")
        if len(text) - dot == 4 and 0 < dot - (text[0] == "-") <= 3 and text[text[0] == "-"] != "0":
            # "4.167" is 4167 where a dot groups thousands, and the reader refuses it: one digit more
            text = f"{mag:.4f}"
    return text


@lru_cache(maxsize=512)
def _display_text(unit: str, locale: str = "en") -> str:
    return _display_unit(unit, locale)


def _fmt_float(mag: float, unit: str, digits: int = 3) -> str:
    """``fmt(Q_(mag, unit))`` for a plain number already in ``unit`` (the float kernels' formatter).

    >>> _fmt_float(0.49999999, "mL") == fmt(Q_(0.49999999, "mL"))
    True
    """
    return _localized(_number_text(float(mag), digits), unit, get_locale())
