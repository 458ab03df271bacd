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
    "LibraryError",
]


class ITBError(ValueError):
    """Base class of every refusal in :mod:`itbcore`."""


class UnitError(ITBError):
    """A value had no unit, an unknown unit or the wrong dimension."""


class InputError(ITBError):
    """A value could not be read at all (empty, not a number, NaN or infinite, unknown code)."""


class DoseLimitError(ITBError):
    """A dose, volume or rate lies outside a limit that a label or the drug library sets.

    Besides the message it may carry ``name`` (the field), ``value`` and ``limit`` (plain numbers in
    ``unit``), ``source`` (where the limit comes from) and ``key`` (the drug-library limit), so that an
    app can show the refusal at its field.
    """

    def __init__(self, message: str = "", *, name: str | None = None, value: float | None = None,
                 limit: float | None = None, source: str | None = None, unit: str | None = None,
                 key: str | None = None) -> None:
        super().__init__(message)
        self.name, self.value, self.limit, self.source, self.unit, self.key = name, value, limit, source, unit, key

    def __reduce__(self):  # keep the fields through pickling (multiprocessing, hypothesis' database)
        return (_rebuild_dose_limit_error, (str(self), self.name, self.value, self.limit, self.source,
                                            self.unit, self.key))


class EligibilityError(ITBError):
    """The patient lies outside the population a label covers (for example under 4 years)."""


class DiluentError(ITBError):
    """A diluent other than sodium chloride 0.9 % was asked for."""


class LabelError(ITBError):
    """An unknown label profile was named."""


class LibraryError(ITBError):
    """The drug library file is not valid: the message names the file, the key and the problem."""


def _rebuild_dose_limit_error(message, name, value, limit, source, unit, key) -> DoseLimitError:
    return DoseLimitError(message, name=name, value=value, limit=limit, source=source, unit=unit, key=key)
