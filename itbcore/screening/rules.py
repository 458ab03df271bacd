"""The screening rules as data (test solution, doses, steps, intervals) and the shared readers.

For training only, not for treating patients.  Re-exported by :mod:`itbcore.screening`; import from there.
"""

from __future__ import annotations

import math
from typing import Any

import pint

from .. import library
from ..errors import DoseLimitError
from ..i18n import N_, gettext, message
from ..sources import DEFAULT_LABEL, cite, practice
from ..units import Q_, as_quantity, fmt

__all__ = [
    "TEST_SOLUTION_CONCENTRATION",
    "MAX_TEST_DOSE",
    "TEST_DOSE_STEP",
    "MIN_TEST_INTERVAL",
    "MONITOR_WINDOW",
    "MAX_BOLUSES",
    "OLDER_PATIENT_AGE",
    "ADULT_START_DOSES",
    "PEDIATRIC_START_RANGE",
]


# lionova 4.2, lioresal Dosing: initial phase: the test bolus uses the 50 µg/mL (0.05 mg/mL) solution only.
TEST_SOLUTION_CONCENTRATION: pint.Quantity = Q_(50, "ug/mL")
# lionova 4.2: "til en maksimal testdose på 100 mikrogram"; lioresal Dosing: initial phase: 100 μg.
MAX_TEST_DOSE: pint.Quantity = Q_(100, "ug")
# lionova 4.2: "i trinn på 25 mikrogram"; lioresal Dosing: initial phase: "stepwise by 25 μg".
TEST_DOSE_STEP: pint.Quantity = Q_(25, "ug")
# lionova 4.2: "med intervaller på minst 24 timer"; lioresal Dosing: initial phase: "every 24 hours".
MIN_TEST_INTERVAL: pint.Quantity = Q_(24, "h")
# lionova 4.2: "Etter hver bolusinjeksjon skal pasienten overvåkes i 4 til 8 timer".
MONITOR_WINDOW: tuple[pint.Quantity, pint.Quantity] = (Q_(4, "h"), Q_(8, "h"))
# lionova 4.2: usual adult initial test dose "25 eller 50 mikrogram"; lioresal Dosing: initial phase: "25 or 50 μg".
ADULT_START_DOSES: tuple[pint.Quantity, pint.Quantity] = (Q_(25, "ug"), Q_(50, "ug"))
# lionova 4.2: children 4 to < 18 years "25-50 mikrogram/dag basert på barnets alder og størrelse".
PEDIATRIC_START_RANGE: tuple[pint.Quantity, pint.Quantity] = (Q_(25, "ug"), Q_(50, "ug"))

# lionova 4.2 "Eldre pasienter (≥ 65 år)"; lioresal Carefully: "aged > 65 years".
OLDER_PATIENT_AGE = 65

#: The most test boluses a screening can give: from any start above zero, 25 µg steps reach 100 µg in at most
#: this many boluses (lionova 4.2).
MAX_BOLUSES = math.ceil(MAX_TEST_DOSE.magnitude / TEST_DOSE_STEP.magnitude) + 1

_SCREENING_SECTION = {"lionova": "4.2", "lioresal": "Dosing: initial phase"}
_BOSTER = practice("Neuromodulation 2016, Boster et al.")
# Relative tolerance for comparing doses read from different units (0.1 mg vs 100 µg).
_RTOL = 1e-9


def _src(label: str) -> str:
    return cite(label, _SCREENING_SECTION[label])


def _clean(q: pint.Quantity) -> pint.Quantity:
    """Drop float noise from a unit conversion (0.1 mg → 100.00000000000001 µg)."""
    return Q_(float(f"{float(q.magnitude):.12g}"), q.units)


def _max_test_dose(label: str) -> tuple[float, str]:
    """The highest test bolus (µg) and its source: the hard maximum of the drug library in force for
    ``test_dose`` under ``label`` (the suite's library: 100 µg, lionova 4.2; a hospital's may be lower)."""
    hard, _ = library.limit("test_dose").ranges(label)
    return float(MAX_TEST_DOSE.magnitude if hard.max is None else hard.max), hard.source


def _read_test_dose(value: Any, name: str = N_("test dose"), label: str = DEFAULT_LABEL) -> pint.Quantity:
    """A test bolus read once and checked once against the drug library in force (``test_dose``)."""
    dose = _clean(as_quantity(value, "ug", name=name))
    x = float(dose.magnitude)
    top, src = _max_test_dose(label)
    if x <= 0:
        raise DoseLimitError(
            message(
                "The {name} {value} must be above zero; a test bolus is 25 to {limit} ({source}).",
                name=gettext(name),
                value=fmt(dose),
                limit=fmt(Q_(top, "ug")),
                source=src,
            ),
            name=name,
            value=x,
            limit=0.0,
            unit="ug",
            key="test_dose",
            source=src,
        )
    # _clean has already removed conversion noise, so the ceiling is compared exactly.
    if x > top:
        raise DoseLimitError(
            message(
                "The {name} {value} is above the maximum test dose of {limit} ({source}).",
                name=gettext(name),
                value=fmt(dose),
                limit=fmt(Q_(top, "ug")),
                source=src,
            ),
            name=name,
            value=x,
            limit=top,
            unit="ug",
            key="test_dose",
            source=src,
        )
    library.hard_check("test_dose", x, "ug", name, label)  # any other bound the library in force sets
    return dose
