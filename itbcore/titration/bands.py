"""Daily increase bands, decrease limits and the daily doses observed in long-term use.

For training only, not for treating patients.  Re-exported by :mod:`itbcore.titration`; import from there.
"""

from __future__ import annotations

from dataclasses import dataclass

import pint

from ..i18n import gettext
from ..patient import Patient, as_patient
from ..sources import (
    DEFAULT_LABEL,
    check_rule_label,
    cite,
)
from ..units import Q_
from .rules import (
    _SELECTION,
    _SUPPORTIVE,
    CEREBRAL_MAINTENANCE_BAND,
    CEREBRAL_TITRATION_BAND,
    CHILD_UNDER_AGE,
    DECREASE_LIMITS,
    OBSERVED_CEREBRAL,
    OBSERVED_CEREBRAL_UNDER_12,
    OBSERVED_SPINAL,
    SPINAL_BAND,
    _phase,
)

__all__ = ["IncreaseBand", "increase_band", "increase_limits", "decrease_limits", "observed_range"]


@dataclass(frozen=True)
class IncreaseBand:
    """The allowed daily increase, as fractions, and where it comes from.

    Attributes
    ----------
    low, high : float
        Lowest and highest daily increase the label names (0.10 = 10 %).
    phase : {"titration", "maintenance"}
    label : str
    origin : {"spinal", "cerebral"}
    population : {"adult", "pediatric"}
    source : str
    note : str
        How the band was chosen where the label is silent.
    """

    low: float
    high: float
    phase: str
    label: str
    origin: str
    population: str
    source: str
    note: str = ""


def increase_band(patient: Patient, phase: str = "titration", label: str = DEFAULT_LABEL) -> IncreaseBand:
    """The daily increase band for this patient, phase and label, with its source.

    Titration (per 24 h): adults spinal 10–30 %, cerebral 5–15 % (lionova 4.2;
    lioresal Dosing: phase of dose selection).  lioresal limits children of spinal
    origin to 5–15 %; lionova names no paediatric band, so the adult bands by origin
    apply.  Maintenance: spinal 10–30 %, cerebral 5–20 % (lionova 4.2; lioresal
    Dosing: supportive therapy).  lioresal gives maintenance bands for adults only;
    for children the suite keeps lioresal's children band of 5–15 %, the more
    cautious reading.

    Examples
    --------
    >>> from itbcore.patient import Patient
    >>> b = increase_band(Patient(10, "spinal"), label="lioresal")
    >>> b.low, b.high, b.source
    (0.05, 0.15, 'lioresal Dosing: phase of dose selection')
    >>> increase_band(Patient(40, "cerebral"), "maintenance").high
    0.2
    """
    label = check_rule_label(label)
    phase = _phase(phase)
    # Every answer about a patient refuses one the label does not cover, as titration_plan does.
    as_patient(patient).require_eligible(label)
    origin, population = as_patient(patient).origin, patient.population
    note = ""
    if phase == "titration":
        source = cite(label, _SELECTION[label])
        if origin == "spinal" and not (label == "lioresal" and population == "pediatric"):
            low, high = SPINAL_BAND
        else:
            low, high = CEREBRAL_TITRATION_BAND
        if population == "pediatric" and label == "lionova":
            note = gettext(
                "lionova 4.2 names bands for adults only; the adult band for this origin is applied "
                "(lioresal limits children of spinal origin to 5–15 %)."
            )
    else:
        source = cite(label, _SUPPORTIVE[label])
        if label == "lioresal" and population == "pediatric":
            low, high = CEREBRAL_TITRATION_BAND
            source = f"{cite('lioresal', 'Dosing: supportive therapy')}, {cite('lioresal', _SELECTION['lioresal'])}"
            note = gettext(
                "lioresal gives maintenance bands for adults only; the children band of the phase of dose "
                "selection (5–15 %) is kept, the more cautious reading."
            )
        elif origin == "spinal":
            low, high = SPINAL_BAND
        else:
            # lionova 4.2 "må doseøkninger begrenses til 20 % (intervall: 5-20 %)"; lioresal "5- to 20%".
            low, high = CEREBRAL_MAINTENANCE_BAND
    return IncreaseBand(low, high, phase, label, origin, population, source, note)


def increase_limits(patient: Patient, phase: str = "titration", label: str = DEFAULT_LABEL) -> tuple[float, float]:
    """Allowed daily increase as fractions ``(low, high)``; see :func:`increase_band` for the source.

    Examples
    --------
    >>> from itbcore.patient import Patient
    >>> increase_limits(Patient(40, "spinal"))
    (0.1, 0.3)
    >>> increase_limits(Patient(12, "spinal"), label="lioresal")
    (0.05, 0.15)
    """
    band = increase_band(patient, phase, label)
    return (band.low, band.high)


def decrease_limits() -> tuple[float, float]:
    """Daily decrease for side effects as fractions, ``(0.10, 0.20)``.

    lionova 4.2; lioresal Dosing: supportive therapy.

    >>> decrease_limits()
    (0.1, 0.2)
    """
    return DECREASE_LIMITS


def observed_range(patient: Patient, label: str = DEFAULT_LABEL) -> tuple[pint.Quantity, pint.Quantity, str]:
    """Lowest and highest daily doses the label reports in long-term use, with the source.

    Spinal origin 12–2003 µg/day; cerebral origin 22–1400 µg/day (lionova 4.2;
    lioresal Dosing: supportive therapy); lionova adds children under 12 years with
    cerebral origin: 24–1199 µg/day.

    Examples
    --------
    >>> from itbcore.patient import Patient
    >>> lo, hi, src = observed_range(Patient(40, "spinal"))
    >>> lo, hi, src
    (<Quantity(12, 'microgram / day')>, <Quantity(2003, 'microgram / day')>, 'lionova 4.2')
    """
    as_patient(patient).require_eligible(check_rule_label(label))
    lo, hi, source = _observed_range_floats(patient, label)
    return Q_(lo, "ug/day"), Q_(hi, "ug/day"), source


def _observed_range_floats(patient: Patient, label: str) -> tuple[int, int, str]:
    """:func:`observed_range` in µg/day as plain numbers."""
    label = check_rule_label(label)
    # lionova 4.2; lioresal Dosing: supportive therapy: doses reported in long-term use.
    source = cite(label, _SUPPORTIVE[label])
    if as_patient(patient).origin == "spinal":
        return (*OBSERVED_SPINAL, source)
    if label == "lionova" and patient.age_years < CHILD_UNDER_AGE:
        return (*OBSERVED_CEREBRAL_UNDER_12, source)
    return (*OBSERVED_CEREBRAL, source)
