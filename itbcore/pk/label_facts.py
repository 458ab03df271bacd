"""The labels' pharmacokinetic facts (volume, clearance, half-life, steady state, gradient) as data.

For training only, not for treating patients.  Re-exported by :mod:`itbcore.pk`; import from there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pint

from ..sources import cite
from ..units import Q_

__all__ = ["PKLabelFacts", "LABEL_PK"]


_PK_BOTH = f"{cite('lionova', '5.2')}; {cite('lioresal', 'Pharmacokinetics')}"
_PK_LIONOVA = cite("lionova", "5.2")


@dataclass(frozen=True)
class PKLabelFacts:
    """The pharmacokinetic numbers the labels state, each with its source in :attr:`sources`."""

    volume_mean: pint.Quantity
    volume_range: tuple[pint.Quantity, pint.Quantity]
    clearance: pint.Quantity
    half_life_range: tuple[pint.Quantity, pint.Quantity]
    half_life_bolus_range: tuple[pint.Quantity, pint.Quantity]
    steady_state_dose_range: tuple[pint.Quantity, pint.Quantity]
    steady_state_concentration_range: tuple[pint.Quantity, pint.Quantity]
    steady_state_time_range: tuple[pint.Quantity, pint.Quantity]
    lumbar_cisternal_ratio_range: tuple[float, float]
    lumbar_cisternal_ratio_mean: float
    lumbar_cisternal_dose_range: tuple[pint.Quantity, pint.Quantity]
    plasma_max: pint.Quantity
    plasma_max_children: pint.Quantity
    #: lionova 5.2 "Pediatrisk pasienter": at 8–18 years on chronic intrathecal infusion dosed between 77 and
    #: 400 (the label prints "mikrogram/ml"), plasma concentrations at or below 11 ng/mL.
    plasma_max_children_chronic: pint.Quantity
    plasma_max_children_chronic_ages: tuple[pint.Quantity, pint.Quantity]
    plasma_max_children_chronic_dosing: tuple[pint.Quantity, pint.Quantity]
    sources: dict[str, str] = field(hash=False)


#: The label numbers of CSF pharmacokinetics (lionova 5.2; lioresal Pharmacokinetics).
LABEL_PK = PKLabelFacts(
    volume_mean=Q_(75.0, "mL"),
    volume_range=(Q_(22.0, "mL"), Q_(157.0, "mL")),
    clearance=Q_(30.0, "mL/h"),
    half_life_range=(Q_(1.0, "h"), Q_(5.0, "h")),
    half_life_bolus_range=(Q_(50.0, "ug"), Q_(135.0, "ug")),
    steady_state_dose_range=(Q_(50.0, "ug/day"), Q_(1200.0, "ug/day")),
    steady_state_concentration_range=(Q_(130.0, "ng/mL"), Q_(1240.0, "ng/mL")),
    steady_state_time_range=(Q_(1.0, "day"), Q_(2.0, "day")),
    lumbar_cisternal_ratio_range=(1.8, 8.7),
    lumbar_cisternal_ratio_mean=4.0,
    lumbar_cisternal_dose_range=(Q_(95.0, "ug/day"), Q_(190.0, "ug/day")),
    plasma_max=Q_(5.0, "ng/mL"),
    plasma_max_children=Q_(10.0, "ng/mL"),
    # lionova 5.2: "Pediatriske pasienter (alder 8-18 år), som mottok kronisk intratekal baklofen infusjoner med
    # dosering mellom 77 og 400 mikrogram/ml, hadde plasmakonsentrasjoner på eller under 11 nanogram/ml."
    # The dosing is kept in the unit the label prints (µg/mL), not turned into a daily dose it does not state.
    plasma_max_children_chronic=Q_(11.0, "ng/mL"),
    plasma_max_children_chronic_ages=(Q_(8, "year"), Q_(18, "year")),
    plasma_max_children_chronic_dosing=(Q_(77.0, "ug/mL"), Q_(400.0, "ug/mL")),
    sources={
        # Only lionova states the mean of about 75 mL; both give 22–157 mL.
        "volume_mean": _PK_LIONOVA,
        "volume_range": _PK_BOTH,
        "clearance": _PK_BOTH,
        "half_life_range": _PK_BOTH,
        "half_life_bolus_range": _PK_BOTH,
        "steady_state_dose_range": _PK_BOTH,
        "steady_state_concentration_range": _PK_BOTH,
        "steady_state_time_range": _PK_BOTH,
        "lumbar_cisternal_ratio_range": _PK_BOTH,
        "lumbar_cisternal_ratio_mean": _PK_BOTH,
        "lumbar_cisternal_dose_range": _PK_LIONOVA,
        "plasma_max": _PK_BOTH,
        # Both give the children's plasma bound (lioresal Pharmacokinetics: "Patients aged <18 years ... < 10 ng/ml").
        "plasma_max_children": _PK_BOTH,
        # Only lionova reports the 8–18-year study; lioresal gives children < 10 ng/mL alone.
        "plasma_max_children_chronic": _PK_LIONOVA,
        "plasma_max_children_chronic_ages": _PK_LIONOVA,
        "plasma_max_children_chronic_dosing": _PK_LIONOVA,
    },
)
