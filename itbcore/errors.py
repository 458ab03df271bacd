"""Refusals of the clinical core.

Every refusal raised by :mod:`itbcore` is an :class:`ITBError` (a ``ValueError``)
whose message is one sentence a clinician understands: what was wrong and which
rule refused it.  Widgets catch ``ITBError`` and show the message next to the field.
"""
from __future__ import annotations

__all__ = [
    "ITBError",
    "UnitError",
    "InputError",
    "DoseLimitError",
    "EligibilityError",
    "DiluentError",
    "LabelError",
]


class ITBError(ValueError):
    """Base class of every refusal in :mod:`itbcore`."""


class UnitError(ITBError):
    """A value had no unit, an unknown unit or the wrong dimension."""


class InputError(ITBError):
    """A value could not be read at all (empty, not a number, NaN or infinite, unknown code)."""


class DoseLimitError(ITBError):
    """A dose, volume or rate lies outside a limit that a label sets."""


class EligibilityError(ITBError):
    """The patient lies outside the population a label covers (for example under 4 years)."""


class DiluentError(ITBError):
    """A diluent other than sodium chloride 0.9 % was asked for."""


class LabelError(ITBError):
    """An unknown label profile was named."""
