"""Refusals of the clinical core.

Every refusal raised by :mod:`itbcore` is an :class:`ITBError` (a ``ValueError``)
whose message is one sentence a clinician understands: what was wrong and which
rule refused it.  Widgets catch ``ITBError`` and show the message next to the field.

Three kinds, so a caller can tell them apart::

    ITBError
    ├── ClinicalRefusal      a rule of a label, practice guidance or the drug library says no
    │   ├── DoseLimitError   (with name, value, limit, unit, source, key: the message can sit at its field)
    │   ├── EligibilityError
    │   └── DiluentError
    ├── InputError           the value cannot be read (empty, not a number, unknown code)
    │   ├── UnitError
    │   └── LabelError
    └── FileProblem          a file the suite reads is wrong
        └── LibraryError     (the drug library; the exercises' CaseFileError is one too)

A dose, strength, volume or rate at or below zero is a :class:`DoseLimitError` (its limit is 0), read
and checked in one place, :func:`itbcore.library.check_amount`.  Times, fractions and codes that cannot
be read or cannot be (a negative time, an end before a start) are :class:`InputError`; so is every
refusal of the CSF model (:mod:`itbcore.pk`), whose messages its frozen reference implementation pins.
"""

from __future__ import annotations

__all__ = [
    "ITBError",
    "ClinicalRefusal",
    "FileProblem",
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


class ClinicalRefusal(ITBError):
    """A rule refuses what was asked: a label, practice guidance or the drug library says no."""


class InputError(ITBError):
    """A value could not be read at all (empty, not a number, NaN or infinite, unknown code)."""


class FileProblem(ITBError):
    """A file the suite reads (the drug library, a case file) is not valid; the message names file and key."""


class UnitError(InputError):
    """A value had no unit, an unknown unit or the wrong dimension."""


class DoseLimitError(ClinicalRefusal):
    """A dose, volume or rate lies outside a limit that a label or the drug library sets.

    Besides the message it may carry ``name`` (the field), ``value`` and ``limit`` (plain numbers in
    ``unit``), ``source`` (where the limit comes from) and ``key`` (the drug-library limit), so that an
    app can show the refusal at its field.
    """

    def __init__(
        self,
        message: str = "",
        *,
        name: str | None = None,
        value: float | None = None,
        limit: float | None = None,
        source: str | None = None,
        unit: str | None = None,
        key: str | None = None,
    ) -> None:
        super().__init__(message)
        self.name, self.value, self.limit, self.source, self.unit, self.key = name, value, limit, source, unit, key

    def __reduce__(self):  # keep the fields through pickling (multiprocessing, hypothesis' database)
        return (
            _rebuild_dose_limit_error,
            (str(self), self.name, self.value, self.limit, self.source, self.unit, self.key),
        )


class EligibilityError(ClinicalRefusal):
    """The patient lies outside the population a label covers (for example under 4 years)."""


class DiluentError(ClinicalRefusal):
    """A diluent other than sodium chloride 0.9 % was asked for."""


class LabelError(InputError):
    """An unknown label profile was named."""


class LibraryError(FileProblem):
    """The drug library file is not valid: the message names the file, the key and the problem."""


def _rebuild_dose_limit_error(message, name, value, limit, source, unit, key) -> DoseLimitError:
    return DoseLimitError(message, name=name, value=value, limit=limit, source=source, unit=unit, key=key)
