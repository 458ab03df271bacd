"""CSF concentration over time by superposition of boluses and infusions, and the regimen's findings.

For training only, not for treating patients.  Re-exported by :mod:`itbcore.pk`; import from there.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pint

from .. import library
from ..errors import InputError
from ..i18n import gettext, message
from ..sources import DEFAULT_LABEL, Finding
from ..units import Q_, as_array_quantity, as_quantity  # noqa: F401 - Q_ for the doctests
from .model import _DEFAULT_CL, _DEFAULT_V, _positive_array, _wrap

__all__ = ["csf_concentration", "regimen_findings"]


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
    t = np.asarray(as_array_quantity(times, "h", gettext("times")).magnitude, dtype=float)
    library.hard_check_array("simulated_time", t, "h", gettext("simulated time"))
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
    library.hard_check("simulation_points", float(math.prod(shape)), "", gettext("number of values to simulate"))
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
        t0m = float(as_quantity(t0, "h", gettext("bolus time")).magnitude)
        d = float(as_quantity(dose, "ug", gettext("bolus dose")).magnitude)
        if d < 0:
            raise InputError(message("A bolus dose cannot be negative ({d} µg).", d=float(d)))
        # The drug library's bolus limit (hard: a whole reservoir at the strongest solution, so that the error
        # scenarios can be simulated; its soft range, for regimen_findings, tops at the 100 µg test dose).
        library.hard_check("bolus_dose", d, "ug", gettext("bolus dose"))
        if d == 0:
            continue
        out.append((t0m, d))
    return out


def _read_infusions(infusions: Iterable[tuple[Any, Any, Any]]) -> list[tuple[float, float, float]]:
    """Infusion ``(start h, end h or inf, rate µg/h)`` as floats, checked in order; empty ones are left out."""
    out = []
    for start, end, rate in _pairs(infusions, 3, "infusion"):
        s = float(as_quantity(start, "h", gettext("infusion start")).magnitude)
        e = math.inf if end is None else float(as_quantity(end, "h", gettext("infusion end")).magnitude)
        r = float(as_quantity(rate, "ug/h", gettext("infusion rate")).magnitude)
        if e < s:
            raise InputError(
                message("An infusion cannot end ({e} h) before it starts ({s} h).", e=float(e), s=float(s))
            )
        if r < 0:
            raise InputError(message("An infusion rate cannot be negative ({r} µg/h).", r=float(r)))
        library.hard_check("simulated_rate", r, "ug/h", gettext("infusion rate"))
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
    The bolus dose 50 000 µg is above the soft limit of 100 µg (the boluses the labels give are test doses of 25 µg up
    to the 100 µg maximum test dose; lionova 4.2): 1000 times 50 µg — was mg written for µg? Confirm it is what is
    meant.
    >>> [f.code for f in regimen_findings(infusions=[("0 h", None, "500 mg/day")])]
    ['soft_limit_daily_dose']
    """
    out: list[Finding] = []
    for _t0, d in _read_boluses(boluses):
        out += library.soft_findings("bolus_dose", d, "ug", gettext("bolus dose"), label)
    for _s, _e, r in _read_infusions(infusions):
        out += library.soft_findings("daily_dose", r * 24.0, "ug/day", gettext("infusion rate"), label)
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
    t: np.ndarray,
    v: np.ndarray,
    cl: np.ndarray,
    boluses: list[tuple[float, float]],
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
    events = sorted(
        {x for x, _ in boluses} | {s for s, _, _ in infusions} | {e for _, e, _ in infusions if e != math.inf}
    )
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


def _fill_by_time(
    out: np.ndarray, neg_k: np.ndarray, dt: np.ndarray, seg: np.ndarray, a_coef: np.ndarray, b_coef: np.ndarray
) -> None:
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


def _fill_blocks(
    out: np.ndarray, neg_k: np.ndarray, dt: np.ndarray, seg: np.ndarray, a_coef: np.ndarray, b_coef: np.ndarray
) -> None:
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
    t: np.ndarray,
    v: np.ndarray,
    cl: np.ndarray,
    shape: tuple[int, ...],
    boluses: list[tuple[float, float]],
    infusions: list[tuple[float, float, float]],
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
