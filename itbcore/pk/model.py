"""The one-compartment model: half-life, steady state, the time to reach it, the spinal gradient.

For training only, not for treating patients.  Re-exported by :mod:`itbcore.pk`; import from there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pint

from .. import library
from ..errors import InputError
from ..i18n import gettext, message
from ..sources import DEFAULT_LABEL, Finding
from ..units import Q_, as_array_quantity, as_quantity, fmt
from .label_facts import LABEL_PK

__all__ = [
    "half_life",
    "SteadyState",
    "steady_state",
    "steady_state_concentration",
    "time_to_steady_state",
    "lumbar_to_cisternal",
]


_DEFAULT_V = "75 mL"
_DEFAULT_CL = "30 mL/h"


# The drug-library limit that bounds each model parameter, by its canonical unit.
_PARAM_LIMITS = {"mL": "csf_volume", "mL/h": "csf_clearance"}


def _positive_array(value: Any, unit: str, name: str) -> np.ndarray:
    mag = np.asarray(as_array_quantity(value, unit, name).magnitude, dtype=float)
    if np.any(mag <= 0):
        raise InputError(
            message("The {name} must be above zero; a one-compartment model needs a positive {name}.", name=name)
        )
    if unit in _PARAM_LIMITS:
        library.hard_check_array(_PARAM_LIMITS[unit], mag, unit, name)
    return mag


def _wrap(mag: np.ndarray, unit: str) -> pint.Quantity:
    if np.ndim(mag) == 0:
        return Q_(float(mag), unit)
    return Q_(mag, unit)


def half_life(volume: Any = _DEFAULT_V, clearance: Any = _DEFAULT_CL) -> pint.Quantity:
    """Elimination half-life in CSF, ``ln 2 · V / CL``.

    With the label values (V 75 mL, CL 30 mL/h; lionova 5.2, lioresal Pharmacokinetics)
    this is about 1.7 h, inside the labels' 1–5 h after a 50–135 µg bolus.

    Parameters
    ----------
    volume : Quantity or str, optional
        Volume of distribution (a single value or an array, one per patient).
    clearance : Quantity or str, optional
        CSF clearance (a single value or an array).

    Returns
    -------
    Quantity
        Half-life in hours.

    Examples
    --------
    >>> fmt(half_life())
    '1.73 h'
    >>> fmt(half_life("157 mL", "30 mL/h"))
    '3.63 h'
    """
    v = _positive_array(volume, "mL", gettext("volume of distribution"))
    cl = _positive_array(clearance, "mL/h", gettext("CSF clearance"))
    return _wrap(math.log(2) * v / cl, "h")


def steady_state_concentration(daily_dose: Any, clearance: Any = _DEFAULT_CL) -> pint.Quantity:
    """CSF concentration reached during a constant infusion, ``rate / CL``.

    Parameters
    ----------
    daily_dose : Quantity or str
        Infusion rate, e.g. ``"500 ug/day"`` (zero or above).
    clearance : Quantity or str, optional
        CSF clearance; the label mean is 30 mL/h (lionova 5.2; lioresal Pharmacokinetics).

    Returns
    -------
    Quantity
        Steady-state concentration in ng/mL.

    Notes
    -----
    The labels report lumbar steady states of 130–1240 ng/mL at 50–1200 µg/day; the
    model at 30 mL/h gives 69–1667 ng/mL for the same doses, the right order of
    magnitude for a model that ignores the gradient along the spine.

    Examples
    --------
    >>> fmt(steady_state_concentration("1200 ug/day"))
    '1667 ng/mL'
    >>> fmt(steady_state_concentration("0.5 mg/day", "60 mL/h"))
    '347 ng/mL'
    """
    rate = as_array_quantity(daily_dose, "ug/h", gettext("daily dose")).magnitude
    if np.any(np.asarray(rate) < 0):
        raise InputError(gettext("The daily dose cannot be negative."))
    library.hard_check_array("daily_dose", np.asarray(rate, dtype=float) * 24.0, "ug/day", gettext("daily dose"))
    cl = _positive_array(clearance, "mL/h", gettext("CSF clearance"))
    # µg/h ÷ mL/h = µg/mL = 1000 ng/mL
    return _wrap(np.asarray(rate, dtype=float) / cl * 1000.0, "ng/mL")


def time_to_steady_state(
    fraction: float = 0.95, volume: Any = _DEFAULT_V, clearance: Any = _DEFAULT_CL
) -> pint.Quantity:
    """Time for a constant infusion to reach ``fraction`` of its steady state, ``-ln(1 - f) · V / CL``.

    Parameters
    ----------
    fraction : float, optional
        Fraction of the steady state, above 0 and below 1 (default 0.95).
    volume, clearance : Quantity or str, optional
        Model parameters (label defaults 75 mL and 30 mL/h).

    Returns
    -------
    Quantity
        Time in hours.

    Notes
    -----
    The labels say steady state comes within 1–2 days (lionova 5.2; lioresal
    Pharmacokinetics).  A well-mixed compartment gets there within hours; the
    difference is the slow CSF circulation the labels ask readers to bear in mind.

    Examples
    --------
    >>> fmt(time_to_steady_state())
    '7.49 h'
    >>> fmt(time_to_steady_state(0.5))
    '1.73 h'
    """
    if isinstance(fraction, bool) or not isinstance(fraction, (int, float, np.floating)):
        raise InputError(
            message(
                "The fraction of steady state {fraction} must be a number between 0 and 1.", fraction=repr(fraction)
            )
        )
    f = float(fraction)
    if not 0 < f < 1:
        raise InputError(
            message("The fraction of steady state must lie strictly between 0 and 1, not {f}.", f=float(f))
        )
    v = _positive_array(volume, "mL", gettext("volume of distribution"))
    cl = _positive_array(clearance, "mL/h", gettext("CSF clearance"))
    return _wrap(-math.log1p(-f) * v / cl, "h")


@dataclass(frozen=True)
class SteadyState:
    """The model's steady state of a continuous infusion beside what the labels report.

    ``model`` is the one-compartment figure (ng/mL) and ``model_time`` the time to 95 % of it;
    ``label_range`` (130–1240 ng/mL, for ``label_dose_range`` 50–1200 µg/day) and ``label_time``
    (1–2 days) are the labels' numbers; ``note`` says why they differ; ``findings`` holds the drug library's
    soft-limit warning for the daily dose (a mg/µg slip says so).
    """

    daily_dose: pint.Quantity
    model: pint.Quantity
    model_time: pint.Quantity
    label_range: tuple[pint.Quantity, pint.Quantity]
    label_dose_range: tuple[pint.Quantity, pint.Quantity]
    label_time: tuple[pint.Quantity, pint.Quantity]
    within_label_doses: bool
    source: str
    note: str
    #: The drug library's soft-limit warning for the daily dose (``soft_limit_daily_dose``), if any.
    findings: tuple[Finding, ...] = ()


def steady_state(
    daily_dose: Any, volume: Any = _DEFAULT_V, clearance: Any = _DEFAULT_CL, label: str = DEFAULT_LABEL
) -> SteadyState:
    """:func:`steady_state_concentration` and :func:`time_to_steady_state` beside the labels' figures.

    Examples
    --------
    >>> s = steady_state("500 ug/day")
    >>> fmt(s.model), fmt(s.model_time), [fmt(q) for q in s.label_range], [fmt(q) for q in s.label_time]
    ('694 ng/mL', '7.49 h', ['130 ng/mL', '1240 ng/mL'], ['1 day', '2 days'])
    >>> [f.code for f in steady_state("2500 ug/day").findings]
    ['soft_limit_daily_dose']
    """
    dose = as_quantity(daily_dose, "ug/day", gettext("daily dose"))
    model = steady_state_concentration(dose, clearance)
    if np.ndim(model.magnitude) != 0:
        raise InputError("steady_state compares one patient with the labels; give a single volume and clearance.")
    t95 = time_to_steady_state(0.95, volume, clearance)
    lo, hi = LABEL_PK.steady_state_dose_range
    inside = bool(lo <= dose <= hi)
    src = LABEL_PK.sources["steady_state_concentration_range"]
    c_lo, c_hi = LABEL_PK.steady_state_concentration_range
    note = message(
        "The labels report lumbar steady states of {c_lo}–{c_hi} at {lo}–{hi}, reached within {t_lo}–{t_hi} days; "
        "the well-mixed model gives {model} within {t95}: it ignores the gradient along the spine and the slow CSF "
        "circulation ({source}).",
        c_lo=float(c_lo.magnitude),
        c_hi=fmt(c_hi),
        lo=float(lo.magnitude),
        hi=fmt(hi),
        t_lo=float(LABEL_PK.steady_state_time_range[0].magnitude),
        t_hi=float(LABEL_PK.steady_state_time_range[1].magnitude),
        model=fmt(model),
        t95=fmt(t95),
        source=src,
    )
    soft = tuple(library.soft_findings("daily_dose", float(dose.magnitude), "ug/day", gettext("daily dose"), label))
    return SteadyState(
        dose,
        model,
        t95,
        LABEL_PK.steady_state_concentration_range,
        LABEL_PK.steady_state_dose_range,
        LABEL_PK.steady_state_time_range,
        inside,
        src,
        note,
        soft,
    )


def lumbar_to_cisternal(lumbar: Any, ratio: float = 4.0) -> pint.Quantity:
    """Cisternal CSF concentration from a lumbar one: ``lumbar / ratio``.

    The labels report a lumbar : cisternal gradient of 1.8:1 to 8.7:1 (mean 4:1) at
    steady state on 95–190 µg/day (lionova 5.2; lioresal Pharmacokinetics); a ratio
    outside that range is refused, since the suite has no source for it.

    Parameters
    ----------
    lumbar : Quantity or str
        Lumbar CSF concentration (a single value or an array).
    ratio : float, optional
        Lumbar : cisternal ratio, 1.8 to 8.7 (default 4, the label mean).

    Returns
    -------
    Quantity
        Cisternal concentration in ng/mL.

    Examples
    --------
    >>> fmt(lumbar_to_cisternal("800 ng/mL"))
    '200 ng/mL'
    >>> lumbar_to_cisternal("800 ng/mL", ratio=10)
    Traceback (most recent call last):
    ...
    itbcore.errors.InputError: A lumbar : cisternal ratio of 10 lies outside the label range 1.8 to 8.7 ...
    """
    if isinstance(ratio, pint.Quantity):
        ratio = float(as_quantity(ratio, "dimensionless", gettext("ratio")).magnitude)
    if isinstance(ratio, bool) or not isinstance(ratio, (int, float, np.integer, np.floating)):
        raise InputError(message("The lumbar : cisternal ratio {ratio} must be a number such as 4.", ratio=repr(ratio)))
    r = float(ratio)
    lo, hi = LABEL_PK.lumbar_cisternal_ratio_range
    # lionova 5.2; lioresal Pharmacokinetics: 1.8:1 to 8.7:1, mean 4:1
    if not math.isfinite(r) or not lo <= r <= hi:
        raise InputError(
            message(
                "A lumbar : cisternal ratio of {r} lies outside the label range {lo} to {hi} ({sources}).",
                r=float(r),
                lo=float(lo),
                hi=float(hi),
                sources=LABEL_PK.sources["lumbar_cisternal_ratio_range"],
            )
        )
    c = as_array_quantity(lumbar, "ng/mL", gettext("lumbar concentration")).magnitude
    if np.any(np.asarray(c) < 0):
        raise InputError(gettext("A CSF concentration cannot be negative."))
    return _wrap(np.asarray(c, dtype=float) / r, "ng/mL")
