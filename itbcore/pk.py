"""Baclofen in the cerebrospinal fluid: a one-compartment model built on the label numbers.

For training only, not for treating patients.

The labels describe intrathecal baclofen with a few numbers (lionova 5.2; lioresal
Pharmacokinetics): a volume of distribution of 22–157 mL (mean about 75 mL, about the
CSF volume), a CSF clearance of about 30 mL/h (the CSF turnover), a half-life of 1–5 h
after a 50–135 µg bolus, lumbar steady state of 130–1240 ng/mL at 50–1200 µg/day within
1–2 days, and a lumbar : cisternal gradient of 1.8:1 to 8.7:1 (mean 4:1).  This module
turns them into a one-compartment model with first-order elimination,
``k = CL / V``, and computes CSF concentrations by closed-form superposition of
boluses and zero-order infusions.  The model is a teaching baseline: it ignores the
slow CSF circulation and the gradient along the spine that the labels and later
population models describe, so its steady state comes sooner than the labels' 1–2 days.

>>> half_life()
<Quantity(1.73286795, 'hour')>
>>> fmt(steady_state_concentration("500 ug/day"))
'694 ng/mL'
>>> c = csf_concentration(["0 h", "1 h", "2 h"], boluses=[("0 h", "50 ug")])
>>> [round(x) for x in c.magnitude]
[667, 447, 300]
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pint

from . import library
from .errors import InputError
from .sources import DEFAULT_LABEL, Finding, cite
from .units import Q_, as_array_quantity, as_quantity, fmt

__all__ = [
    "PKLabelFacts",
    "LABEL_PK",
    "half_life",
    "SteadyState",
    "steady_state",
    "steady_state_concentration",
    "time_to_steady_state",
    "csf_concentration",
    "Population",
    "virtual_population",
    "percentile_band",
    "lumbar_to_cisternal",
    "regimen_findings",
]

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

_DEFAULT_V = "75 mL"
_DEFAULT_CL = "30 mL/h"


# The drug-library limit that bounds each model parameter, by its canonical unit.
_PARAM_LIMITS = {"mL": "csf_volume", "mL/h": "csf_clearance"}


def _positive_array(value: Any, unit: str, name: str) -> np.ndarray:
    mag = np.asarray(as_array_quantity(value, unit, name).magnitude, dtype=float)
    if np.any(mag <= 0):
        raise InputError(f"The {name} must be above zero; a one-compartment model needs a positive {name}.")
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
    v = _positive_array(volume, "mL", "volume of distribution")
    cl = _positive_array(clearance, "mL/h", "CSF clearance")
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
    rate = as_array_quantity(daily_dose, "ug/h", "daily dose").magnitude
    if np.any(np.asarray(rate) < 0):
        raise InputError("The daily dose cannot be negative.")
    library.hard_check_array("daily_dose", np.asarray(rate, dtype=float) * 24.0, "ug/day", "daily dose")
    cl = _positive_array(clearance, "mL/h", "CSF clearance")
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
        raise InputError(f"The fraction of steady state {fraction!r} must be a number between 0 and 1.")
    f = float(fraction)
    if not 0 < f < 1:
        raise InputError(f"The fraction of steady state must lie strictly between 0 and 1, not {f:g}.")
    v = _positive_array(volume, "mL", "volume of distribution")
    cl = _positive_array(clearance, "mL/h", "CSF clearance")
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


def steady_state(daily_dose: Any, volume: Any = _DEFAULT_V, clearance: Any = _DEFAULT_CL,
                 label: str = DEFAULT_LABEL) -> SteadyState:
    """:func:`steady_state_concentration` and :func:`time_to_steady_state` beside the labels' figures.

    Examples
    --------
    >>> s = steady_state("500 ug/day")
    >>> fmt(s.model), fmt(s.model_time), [fmt(q) for q in s.label_range], [fmt(q) for q in s.label_time]
    ('694 ng/mL', '7.49 h', ['130 ng/mL', '1240 ng/mL'], ['1 day', '2 days'])
    >>> [f.code for f in steady_state("2500 ug/day").findings]
    ['soft_limit_daily_dose']
    """
    dose = as_quantity(daily_dose, "ug/day", "daily dose")
    model = steady_state_concentration(dose, clearance)
    if np.ndim(model.magnitude) != 0:
        raise InputError("steady_state compares one patient with the labels; give a single volume and clearance.")
    t95 = time_to_steady_state(0.95, volume, clearance)
    lo, hi = LABEL_PK.steady_state_dose_range
    inside = bool(lo <= dose <= hi)
    src = LABEL_PK.sources["steady_state_concentration_range"]
    c_lo, c_hi = LABEL_PK.steady_state_concentration_range
    note = (f"The labels report lumbar steady states of {c_lo.magnitude:g}–{fmt(c_hi)} at {lo.magnitude:g}–{fmt(hi)}, "
            "reached within "
            f"{LABEL_PK.steady_state_time_range[0].magnitude:g}–{LABEL_PK.steady_state_time_range[1].magnitude:g} "
            f"days; the well-mixed model gives {fmt(model)} within {fmt(t95)}: it ignores the gradient along the "
            f"spine and the slow CSF circulation ({src}).")
    soft = tuple(library.soft_findings("daily_dose", float(dose.magnitude), "ug/day", "daily dose", label))
    return SteadyState(dose, model, t95, LABEL_PK.steady_state_concentration_range, LABEL_PK.steady_state_dose_range,
                       LABEL_PK.steady_state_time_range, inside, src, note, soft)


def _pairs(items: Iterable[Any], size: int, what: str) -> list[tuple]:
    if items is None:
        return []
    if isinstance(items, (str, bytes)) or not isinstance(items, Iterable):
        raise InputError(f"The {what}s must be a list of tuples, not {items!r}.")
    out = []
    for item in items:
        if not isinstance(item, (tuple, list)) or len(item) != size:
            shape = "(time, dose)" if size == 2 else "(start, end, rate)"
            raise InputError(f"Each {what} must be a {shape} tuple, not {item!r}.")
        out.append(tuple(item))
    return out


def _patient_param(value: Any, unit: str, name: str, times_ndim: int) -> np.ndarray:
    mag = _positive_array(value, unit, name)
    # One value per patient: make a column so patients run down and times across.
    if mag.ndim == 1 and times_ndim >= 1:
        mag = mag[:, None]
    return mag


def csf_concentration(
    times: Any,
    boluses: Iterable[tuple[Any, Any]] = (),
    infusions: Iterable[tuple[Any, Any, Any]] = (),
    volume: Any = _DEFAULT_V,
    clearance: Any = _DEFAULT_CL,
) -> pint.Quantity:
    """CSF concentration over time after boluses and infusions (one-compartment superposition).

    A bolus ``D`` at ``t0`` adds ``D/V · exp(-k (t - t0))`` from ``t0`` on; an infusion at
    rate ``R`` from ``s`` to ``e`` adds ``R/CL · (1 - exp(-k τ)) · exp(-k τ')``, with ``τ``
    the time infused so far and ``τ'`` the time since it stopped; ``k = CL/V``.
    Defaults are the label values (lionova 5.2; lioresal Pharmacokinetics).

    Parameters
    ----------
    times : Quantity, str or sequence
        Times after zero, e.g. ``Q_(np.linspace(0, 48, 97), "h")`` or ``["0 h", "30 min"]``.
    boluses : sequence of (time, dose)
        Intrathecal boluses, e.g. ``[("0 h", "50 ug")]``.
    infusions : sequence of (start, end, rate)
        Constant-rate infusions; ``end`` may be ``None`` for one that never stops.
    volume, clearance : Quantity or str
        A single value, or one value per virtual patient.  A 1-D array of ``n`` patients
        becomes a column, so against ``t`` times the result is ``(n, t)``; otherwise
        numpy broadcasting applies.

    Returns
    -------
    Quantity
        Concentrations in ng/mL, shaped like the broadcast of patients and times.

    Notes
    -----
    For a row of times against one patient or a column of patients (the usual call), the sum is
    evaluated segment by segment: between two dosing events it is ``A · exp(-k (t - T_a)) + B``
    per patient, so each value costs one ``exp`` however many doses there are.  Other layouts,
    and outputs of fewer than 16,384 values, add the doses one by one; both give the same
    concentrations to within rounding (relative 1e-9, or 1e-9 ng/mL near zero;
    tests/itbcore/test_pk_fast.py).

    Examples
    --------
    >>> t = Q_(np.array([0.0, 24.0, 240.0]), "h")
    >>> c = csf_concentration(t, infusions=[("0 h", None, "500 ug/day")])
    >>> [round(x) for x in c.magnitude]
    [0, 694, 694]
    >>> csf_concentration(t, boluses=[("0 h", "50 ug")], volume=Q_([50.0, 100.0], "mL")).shape
    (2, 3)
    """
    t = np.asarray(as_array_quantity(times, "h", "times").magnitude, dtype=float)
    library.hard_check_array("simulated_time", t, "h", "simulated time")
    v = _patient_param(volume, "mL", "volume of distribution", t.ndim)
    cl = _patient_param(clearance, "mL/h", "CSF clearance", t.ndim)
    try:
        shape = np.broadcast_shapes(v.shape, cl.shape, t.shape)
    except ValueError:
        raise InputError(
            f"The patients (volume {v.shape}, clearance {cl.shape}) and the times {t.shape} do not line up; "
            "give one value per patient and a row of times."
        ) from None
    # The drug library bounds what one simulation may compute, so no request can exhaust the memory.
    library.hard_check("simulation_points", float(math.prod(shape)), "", "number of values to simulate")
    bolus_list = _read_boluses(boluses)
    infusion_list = _read_infusions(infusions)
    layout = _segment_layout(t, v, cl, shape)
    out = None
    if layout is not None:
        t_row, v_col, cl_col, axis = layout
        # (patients, times), or None where the segment form would lose precision (extreme parameters)
        rows = _superpose_segments(t_row, v_col, cl_col, bolus_list, infusion_list)
        if rows is not None:
            # back to the caller's layout: the patients' axes in order, the times along their own axis
            pshape = tuple(s for i, s in enumerate(shape) if i != axis)
            out = np.moveaxis(rows.reshape(*pshape, t_row.size), -1, axis)
    if out is None:
        out = _superpose_doses(t, v, cl, shape, bolus_list, infusion_list)
    return _wrap(out, "ng/mL")


def _read_boluses(boluses: Iterable[tuple[Any, Any]]) -> list[tuple[float, float]]:
    """Bolus ``(time h, dose µg)`` pairs as floats, checked in order; doses of zero are left out."""
    out = []
    for t0, dose in _pairs(boluses, 2, "bolus"):
        t0m = float(as_quantity(t0, "h", "bolus time").magnitude)
        d = float(as_quantity(dose, "ug", "bolus dose").magnitude)
        if d < 0:
            raise InputError(f"A bolus dose cannot be negative ({d:g} µg).")
        # The drug library's bolus limit (hard: a whole reservoir at the strongest solution, so that the error
        # scenarios can be simulated; its soft range, for regimen_findings, tops at the 100 µg test dose).
        library.hard_check("bolus_dose", d, "ug", "bolus dose")
        if d == 0:
            continue
        out.append((t0m, d))
    return out


def _read_infusions(infusions: Iterable[tuple[Any, Any, Any]]) -> list[tuple[float, float, float]]:
    """Infusion ``(start h, end h or inf, rate µg/h)`` as floats, checked in order; empty ones are left out."""
    out = []
    for start, end, rate in _pairs(infusions, 3, "infusion"):
        s = float(as_quantity(start, "h", "infusion start").magnitude)
        e = math.inf if end is None else float(as_quantity(end, "h", "infusion end").magnitude)
        r = float(as_quantity(rate, "ug/h", "infusion rate").magnitude)
        if e < s:
            raise InputError(f"An infusion cannot end ({e:g} h) before it starts ({s:g} h).")
        if r < 0:
            raise InputError(f"An infusion rate cannot be negative ({r:g} µg/h).")
        library.hard_check("simulated_rate", r, "ug/h", "infusion rate")
        if r == 0 or e == s:
            continue
        out.append((s, e, r))
    return out


def regimen_findings(
    boluses: Iterable[tuple[Any, Any]] = (),
    infusions: Iterable[tuple[Any, Any, Any]] = (),
    label: str = DEFAULT_LABEL,
) -> list[Finding]:
    """The drug library's soft-limit warnings for a regimen given to :func:`csf_concentration`.

    A bolus is judged by the ``bolus_dose`` limit (soft range 25–100 µg: the labels' test doses up to the
    100 µg maximum test dose, lionova 4.2), an infusion by the ``daily_dose`` limit (its rate as a daily
    dose; soft range 12–2003 µg/day, lionova 4.2; lioresal Dosing: supportive therapy).  A thousandfold
    value says it may be a mg/µg slip.  The hard limits are those :func:`csf_concentration` refuses past.

    Examples
    --------
    >>> regimen_findings(boluses=[("0 h", "50 ug")])
    []
    >>> print(regimen_findings(boluses=[("0 h", "50 mg")])[0].message)
    The bolus dose 50000 µg is above the soft limit of 100 µg (the boluses the labels give are test doses of 25 µg up
    to the 100 µg maximum test dose; lionova 4.2): 1000 times 50 µg — was mg written for µg? Confirm it is what is
    meant.
    >>> [f.code for f in regimen_findings(infusions=[("0 h", None, "500 mg/day")])]
    ['soft_limit_daily_dose']
    """
    out: list[Finding] = []
    for _t0, d in _read_boluses(boluses):
        out += library.soft_findings("bolus_dose", d, "ug", "bolus dose", label)
    for _s, _e, r in _read_infusions(infusions):
        out += library.soft_findings("daily_dose", r * 24.0, "ug/day", "infusion rate", label)
    return list({f.message: f for f in out}.values())  # the same dose twice: one finding


def _segment_layout(
    t: np.ndarray, v: np.ndarray, cl: np.ndarray, shape: tuple[int, ...]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int] | None:
    """Times as one row and patients as one column for the segment form, and the output axis of the times.

    The segment form takes one row of times against a single patient or a column of patients.  Every
    layout whose times vary along one axis only, while the patients do not vary along that axis, is
    that form: 1-D times against a 1-D population (made a column), the contract's column of patients
    ``(n, 1)`` against a row of times ``(1, t)``, a row of patients against a column of times (the
    result is transposed back), patients in several axes.  ``None`` (sum dose by dose) for times
    that vary along two axes, a parameter that varies along the times, or an output of fewer than
    ``_SEGMENTS_FROM`` values (a single patient's curve, a single time), where the fixed cost of the
    segments outweighs what they save.
    """
    if t.size < 2 or math.prod(shape) < _SEGMENTS_FROM:
        return None
    nd = len(shape)

    def aligned(x: np.ndarray) -> tuple[int, ...]:
        return (1,) * (nd - x.ndim) + x.shape

    t_axes = [i for i, s in enumerate(aligned(t)) if s != 1]
    if len(t_axes) != 1:
        return None
    axis = t_axes[0]
    vs, cs = aligned(v), aligned(cl)
    if vs[axis] != 1 or cs[axis] != 1:
        return None
    pshape = tuple(s for i, s in enumerate(shape) if i != axis)
    n = math.prod(pshape)

    def flat(x: np.ndarray, xs: tuple[int, ...]) -> np.ndarray:
        # one value per patient, in the patients' order (the output's axes without the times' axis)
        per = tuple(s for i, s in enumerate(xs) if i != axis)
        return np.broadcast_to(x.reshape(per), pshape).reshape(n)

    return t.reshape(-1), flat(v, vs), flat(cl, cs), axis


#: Outputs of fewer values than this are summed dose by dose (measured: the crossover is near 10,000).
_SEGMENTS_FROM = 16384
#: Elements of the output worked on at a time (512 KiB): the four passes over a block stay in cache.
_BLOCK = 1 << 16
#: Up to this many runs of consecutive times in one segment, each run is worked on as a slice;
#: beyond (times out of order), each block gathers its per-patient coefficients by column.
_MAX_RUNS = 8
#: Below this many times (and with more patients than times), the output is filled one time at a time.
_FEW_TIMES = 64


def _by_time(n: int, n_t: int) -> bool:
    """Whether ``n`` patients at ``n_t`` times are filled one time at a time (rows too short to block)."""
    return n_t < _FEW_TIMES and n > n_t


def _superpose_segments(
    t: np.ndarray, v: np.ndarray, cl: np.ndarray, boluses: list[tuple[float, float]],
    infusions: list[tuple[float, float, float]],
) -> np.ndarray | None:
    """Concentrations (ng/mL) of ``n`` patients (``v``, ``cl``) at ``T`` times ``t``, as an ``(n, T)`` array.

    Between two consecutive dosing events (bolus times, infusion starts and ends) the total of
    the superposition is ``A · exp(-k (t - T_a)) + B`` for each patient, with ``T_a`` the start of
    the segment, ``B`` the steady state of the infusions running (sum of rates / CL) and ``A``
    the rest of the concentration at ``T_a``.  ``A`` and ``B`` go from segment to segment in
    ``O(patients × segments)``; the output then takes one ``exp`` (of an exponent ≤ 0) and one
    multiply-add per element, in cache-sized blocks.  Returns ``None`` when an intermediate is
    not finite (extreme parameters), for the caller to use the term-by-term sum instead.
    """
    n, n_t = v.shape[0], t.shape[0]
    events = sorted({x for x, _ in boluses} | {s for s, _, _ in infusions}
                    | {e for _, e, _ in infusions if e != math.inf})
    if not events or n == 0 or n_t == 0:
        return np.zeros((n, n_t))
    k = cl / v
    at = {x: i for i, x in enumerate(events)}
    dose_at = [0.0] * len(events)
    for x, d in boluses:
        dose_at[at[x]] += d
    # Row 0: before the first event, nothing.  Row a + 1: the segment that starts at events[a].
    a_coef = np.zeros((len(events) + 1, n))
    b_coef = np.zeros((len(events) + 1, n))
    c = np.zeros(n)
    for a, x in enumerate(events):
        if a:
            c = a_coef[a] * np.exp(-k * (x - events[a - 1])) + b_coef[a]
        if dose_at[a]:
            c += dose_at[a] / v
        rate = sum(r for s, e, r in infusions if s <= x < e)
        if rate:
            np.divide(rate, cl, out=b_coef[a + 1])
        np.subtract(c, b_coef[a + 1], out=a_coef[a + 1])
    # A sum is not finite when any of its terms is not (or, harmlessly, when it overflows).
    if not math.isfinite(float(a_coef.sum() + b_coef.sum() + k.sum())):
        return None
    # µg/mL → ng/mL
    a_coef *= 1000.0
    b_coef *= 1000.0

    # Each time's segment, and its time since the segment started.  Times before the first event
    # (segment 0: A = B = 0) count from the earliest time, so that every exponent is ≤ 0.
    seg = np.searchsorted(np.asarray(events), t, side="right")
    starts = np.array([min(events[0], float(t.min())), *events])
    dt = t - starts.take(seg)
    out = np.empty((n, n_t))
    if _by_time(n, n_t):
        _fill_by_time(out, -k, dt, seg, a_coef, b_coef)
        return out
    if n == 1:
        _fill_blocks(out, -k[:, None], dt, seg, a_coef, b_coef)
        return out
    # numpy's ufunc buffering copies a broadcast column into its buffer when the rows are shorter
    # than the buffer (8192 elements by default), which makes the blocks below 3-4× slower; a buffer
    # no longer than a row lets it use the operands in place.  Restored on the way out (the setting
    # is per thread).
    bufsize = np.setbufsize(min(max(64, n_t - n_t % 16), 8192))
    try:
        _fill_blocks(out, -k[:, None], dt, seg, a_coef, b_coef)
    finally:
        np.setbufsize(bufsize)
    return out


def _fill_by_time(out: np.ndarray, neg_k: np.ndarray, dt: np.ndarray, seg: np.ndarray,
                  a_coef: np.ndarray, b_coef: np.ndarray) -> None:
    """As :func:`_fill_blocks` for few times and many patients: one time at a time, patients contiguous."""
    n, n_t = out.shape
    buf = np.empty(min(n, _BLOCK))
    for p0 in range(0, n, _BLOCK):
        p1 = min(p0 + _BLOCK, n)
        b = buf[: p1 - p0]
        for j in range(n_t):
            s = seg[j]
            np.multiply(neg_k[p0:p1], dt[j], out=b)
            np.exp(b, out=b)
            np.multiply(b, a_coef[s, p0:p1], out=b)
            np.add(b, b_coef[s, p0:p1], out=out[p0:p1, j])


def _fill_blocks(out: np.ndarray, neg_k: np.ndarray, dt: np.ndarray, seg: np.ndarray,
                 a_coef: np.ndarray, b_coef: np.ndarray) -> None:
    """``out[p, j] = a_coef[seg[j], p] · exp(neg_k[p] · dt[j]) + b_coef[seg[j], p]``, block by block."""
    n, n_t = out.shape
    if n == 1:
        # One patient: plain rows and scalars, the cheapest ufunc calls.
        row = out[0]
        np.multiply(dt, float(neg_k[0, 0]), out=row)
        np.exp(row, out=row)
        row *= a_coef[:, 0].take(seg)
        row += b_coef[:, 0].take(seg)
        return
    rows = max(1, _BLOCK // n_t)
    cuts = np.flatnonzero(np.diff(seg)) + 1
    if len(cuts) < _MAX_RUNS:
        bounds = np.concatenate(([0], cuts, [n_t])).tolist()
        any_b = np.any(np.asarray(b_coef) != 0, axis=1).tolist()
        runs = []
        for c0, c1 in zip(bounds[:-1], bounds[1:], strict=False):
            s = int(seg[c0])
            has_b = any_b[s]
            for p in range(c0, c1, _BLOCK):
                runs.append((p, min(p + _BLOCK, c1), a_coef[s][:, None], b_coef[s][:, None] if has_b else None))
        for r0 in range(0, n, rows):
            r1 = r0 + rows
            for c0, c1, a_col, b_col in runs:
                blk = out[r0:r1, c0:c1]
                np.multiply(neg_k[r0:r1], dt[c0:c1], out=blk)
                np.exp(blk, out=blk)
                blk *= a_col[r0:r1]
                if b_col is not None:
                    blk += b_col[r0:r1]
    else:
        a_by_patient, b_by_patient = np.ascontiguousarray(a_coef.T), np.ascontiguousarray(b_coef.T)
        for r0 in range(0, n, rows):
            r1 = r0 + rows
            for c0 in range(0, n_t, _BLOCK):
                c1 = c0 + _BLOCK
                blk = out[r0:r1, c0:c1]
                np.multiply(neg_k[r0:r1], dt[c0:c1], out=blk)
                np.exp(blk, out=blk)
                blk *= a_by_patient[r0:r1].take(seg[c0:c1], axis=1)
                blk += b_by_patient[r0:r1].take(seg[c0:c1], axis=1)


def _superpose_doses(
    t: np.ndarray, v: np.ndarray, cl: np.ndarray, shape: tuple[int, ...],
    boluses: list[tuple[float, float]], infusions: list[tuple[float, float, float]],
) -> np.ndarray:
    """Concentrations (ng/mL) summed dose by dose over the broadcast of patients and times (any layout)."""
    k = cl / v
    out = np.zeros(shape)
    scratch = np.empty(shape)

    # The loop runs over the few doses only; each step is one vectorised expression in floats.
    for t0m, d in boluses:
        dt = t - t0m
        # In place on one scratch array: memory traffic, not arithmetic, bounds large populations.
        np.multiply(k, np.maximum(dt, 0.0), out=scratch)
        np.negative(scratch, out=scratch)
        np.exp(scratch, out=scratch)
        scratch *= d / v
        scratch *= dt >= 0
        out += scratch

    for s, e, r in infusions:
        infused = np.clip(t - s, 0.0, e - s)
        np.multiply(-k, infused, out=scratch)
        np.expm1(scratch, out=scratch)
        scratch *= -r / cl
        if math.isfinite(e) and np.any(t > e):
            decay = np.multiply(-k, np.maximum(t - e, 0.0))
            np.exp(decay, out=decay)
            scratch *= decay
        out += scratch

    # µg/mL → ng/mL
    out *= 1000.0
    return out


@dataclass(frozen=True, eq=False)
class Population:
    """Virtual patients: one volume of distribution and one CSF clearance each.

    ``volume`` and ``clearance`` are 1-D Quantities of equal length; ``seed`` is the
    random seed that produced them (``None`` when built by hand).
    """

    volume: pint.Quantity
    clearance: pint.Quantity
    seed: int | None = None

    def __post_init__(self) -> None:
        v = _positive_array(self.volume, "mL", "volume of distribution")
        cl = _positive_array(self.clearance, "mL/h", "CSF clearance")
        if v.ndim != 1 or cl.shape != v.shape:
            raise InputError(
                "A population needs one volume and one clearance per patient, as two lists of equal length."
            )
        object.__setattr__(self, "volume", Q_(v, "mL"))
        object.__setattr__(self, "clearance", Q_(cl, "mL/h"))

    @property
    def n(self) -> int:
        """Number of virtual patients."""
        return int(self.volume.magnitude.shape[0])

    def __len__(self) -> int:
        return self.n

    @property
    def half_life(self) -> pint.Quantity:
        """Each patient's CSF half-life (h)."""
        return half_life(self.volume, self.clearance)

    def concentrations(
        self, times: Any, boluses: Iterable[tuple[Any, Any]] = (), infusions: Iterable[tuple[Any, Any, Any]] = ()
    ) -> pint.Quantity:
        """CSF concentrations of every patient, shape ``(n, len(times))`` (see :func:`csf_concentration`)."""
        return csf_concentration(times, boluses, infusions, volume=self.volume, clearance=self.clearance)


def _truncated_lognormal(rng: np.random.Generator, n: int, mu: float, sigma: float, lo: float, hi: float) -> np.ndarray:
    """``n`` lognormal draws kept inside ``[lo, hi]`` by redrawing those outside (deterministic per generator)."""
    out = rng.lognormal(mu, sigma, n)
    bad = (out < lo) | (out > hi)
    while np.any(bad):
        out[bad] = rng.lognormal(mu, sigma, int(bad.sum()))
        bad = (out < lo) | (out > hi)
    return out


def virtual_population(
    n: int,
    seed: int | None = 0,
    volume_mean: Any = "75 mL",
    volume_range: tuple[Any, Any] = ("22 mL", "157 mL"),
    volume_sigma: float = 0.4,
    half_life_median: Any = None,
    half_life_range: tuple[Any, Any] = ("1 h", "5 h"),
    half_life_sigma: float = 0.4,
) -> Population:
    """Draw ``n`` virtual patients whose parameters stay inside the label ranges.

    Sampling (a choice of the suite; the labels give ranges and means, not distributions):

    * volume of distribution: lognormal with the given arithmetic mean (label mean about
      75 mL) and log-standard deviation ``volume_sigma``, redrawn until inside the label
      range 22–157 mL (lionova 5.2; lioresal Pharmacokinetics);
    * half-life: lognormal around ``half_life_median`` (default ``ln 2 · 75 mL / 30 mL/h``
      ≈ 1.73 h, the half-life of the label mean patient), redrawn until inside the
      label's 1–5 h;
    * clearance follows as ``CL = ln 2 · V / t½``, so its typical value is near the
      label's 30 mL/h.

    Skewed lognormals fit parameters that cannot be negative and whose ranges stretch
    further above the mean than below it.  The same ``seed`` always gives the same
    population.

    Parameters
    ----------
    n : int
        Number of patients (1 to 1,000,000).
    seed : int or None, optional
        Seed of :func:`numpy.random.default_rng`; ``None`` draws a fresh population.
    volume_mean, volume_range, volume_sigma, half_life_median, half_life_range, half_life_sigma
        The sampling distribution (defaults from the labels, see above).

    Returns
    -------
    Population

    Examples
    --------
    >>> pop = virtual_population(1000, seed=1)
    >>> len(pop)
    1000
    >>> bool(pop.volume.min() >= Q_(22, "mL") and pop.volume.max() <= Q_(157, "mL"))
    True
    >>> bool(pop.half_life.min() >= Q_(1, "h") and pop.half_life.max() <= Q_(5, "h"))
    True
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= 1_000_000:
        raise InputError(f"The number of virtual patients must be a whole number from 1 to 1,000,000, not {n!r}.")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0):
        raise InputError(f"The seed must be a whole number of zero or more, or None, not {seed!r}.")
    for s_name, s in (("volume_sigma", volume_sigma), ("half_life_sigma", half_life_sigma)):
        if isinstance(s, bool) or not isinstance(s, (int, float)) or not 0 < s <= 2:
            raise InputError(f"The {s_name} must be a number above 0 and at most 2, not {s!r}.")
    v_mean = float(as_quantity(volume_mean, "mL", "mean volume").magnitude)
    v_lo = float(as_quantity(volume_range[0], "mL", "lowest volume").magnitude)
    v_hi = float(as_quantity(volume_range[1], "mL", "highest volume").magnitude)
    for v_x, v_name in ((v_mean, "mean volume"), (v_hi, "highest volume")):
        if v_x > 0:  # at or below zero: the model's own refusal below
            library.hard_check("csf_volume", v_x, "mL", v_name)
    t_lo = float(as_quantity(half_life_range[0], "h", "shortest half-life").magnitude)
    t_hi = float(as_quantity(half_life_range[1], "h", "longest half-life").magnitude)
    t_med = (
        math.log(2) * 75.0 / 30.0
        if half_life_median is None
        else float(as_quantity(half_life_median, "h", "median half-life").magnitude)
    )
    if not 0 < v_lo < v_mean < v_hi:
        raise InputError("The mean volume must lie inside the volume range, and the range must be above zero.")
    if not 0 < t_lo < t_med < t_hi:
        raise InputError("The median half-life must lie inside the half-life range, and the range must be above zero.")

    rng = np.random.default_rng(seed)
    # Lognormal mean = exp(mu + sigma²/2): choose mu so the untruncated mean is volume_mean.
    v = _truncated_lognormal(rng, int(n), math.log(v_mean) - volume_sigma**2 / 2, volume_sigma, v_lo, v_hi)
    t_half = _truncated_lognormal(rng, int(n), math.log(t_med), half_life_sigma, t_lo, t_hi)
    cl = math.log(2) * v / t_half
    return Population(Q_(v, "mL"), Q_(cl, "mL/h"), None if seed is None else int(seed))


def percentile_band(
    concentrations: Any, percentiles: tuple[float, float] = (5, 95)
) -> tuple[pint.Quantity, pint.Quantity]:
    """Lower and upper percentile across patients (axis 0) at each time (or of a 1-D array across patients).

    Parameters
    ----------
    concentrations : Quantity
        An ``(n, t)`` array of concentrations (e.g. from :meth:`Population.concentrations`).
    percentiles : (float, float), optional
        Lower and upper percentile, 0–100 (default 5th and 95th).

    Returns
    -------
    (Quantity, Quantity)
        Two arrays of length ``t`` in the unit of ``concentrations``.

    Examples
    --------
    >>> c = Q_(np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), "ng/mL")
    >>> low, high = percentile_band(c, (0, 100))
    >>> low.magnitude.tolist(), high.magnitude.tolist()
    ([1.0, 2.0], [5.0, 6.0])
    """
    if isinstance(concentrations, pint.Quantity):
        # any quantity across patients (concentrations, half-lives, ...) keeps its own unit
        q = as_array_quantity(concentrations, str(concentrations.units), "values")
        unit: Any = concentrations.units
    else:
        q, unit = as_array_quantity(concentrations, "ng/mL", "concentrations"), "ng/mL"
    mag = np.asarray(q.magnitude, dtype=float)
    if mag.ndim == 0 or mag.shape[0] == 0:
        raise InputError("Percentiles need at least one patient's concentrations.")
    try:
        lo, hi = (float(p) for p in percentiles)
    except (TypeError, ValueError):
        raise InputError(f"The percentiles {percentiles!r} must be two numbers from 0 to 100.") from None
    if not (0 <= lo <= hi <= 100):
        raise InputError(f"The percentiles must satisfy 0 ≤ lower ≤ upper ≤ 100, not {lo:g} and {hi:g}.")
    low, high = np.percentile(mag, [lo, hi], axis=0)
    return Q_(low, unit), Q_(high, unit)


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
        ratio = float(as_quantity(ratio, "dimensionless", "ratio").magnitude)
    if isinstance(ratio, bool) or not isinstance(ratio, (int, float, np.integer, np.floating)):
        raise InputError(f"The lumbar : cisternal ratio {ratio!r} must be a number such as 4.")
    r = float(ratio)
    lo, hi = LABEL_PK.lumbar_cisternal_ratio_range
    # lionova 5.2; lioresal Pharmacokinetics: 1.8:1 to 8.7:1, mean 4:1
    if not math.isfinite(r) or not lo <= r <= hi:
        raise InputError(
            f"A lumbar : cisternal ratio of {r:g} lies outside the label range {lo:g} to {hi:g} "
            f"({LABEL_PK.sources['lumbar_cisternal_ratio_range']})."
        )
    c = as_array_quantity(lumbar, "ng/mL", "lumbar concentration").magnitude
    if np.any(np.asarray(c) < 0):
        raise InputError("A CSF concentration cannot be negative.")
    return _wrap(np.asarray(c, dtype=float) / r, "ng/mL")
