"""Core benchmarks: the population CSF simulation and the cost of the unit layer.

Goals (docs/BENCHMARKS.md): 10,000 virtual patients × 1,000 time points in one call in ≤ 0.25 s and, in
every layout the contract allows (a 1-D population, the contract's column of patients against a row of
times, times down and patients across), ≥ 200× a pure-Python loop measured in the same run; core calls
with pint within 3× the same arithmetic on floats, i.e. within 3× of the call's own float kernel given the
same numbers.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

import itbcore
from itbcore import Q_, Patient, pk

from ._util import median, ms, table, timeit, us

N_PATIENTS, N_TIMES = 10_000, 1_000
LOOP_SAMPLE = 200  # patients timed in the per-patient loop, scaled to N_PATIENTS


def population() -> tuple[str, dict]:
    """One vectorised call for the whole population against two per-patient loops, in the same run.

    * per-call loop: a Python loop over the patients that calls ``csf_concentration`` once per
      patient; each call is itself vectorised over the 1,000 times, so the ratio is bounded by the
      cost of one call (unit boundary, dose parsing) against 1/10,000 of the vectorised call;
    * pure-Python loop: patients and times both in Python, ``math.exp`` per value, the way a reader
      first writes the model: the loop of the goal (≥ 100×).

    Both loops run on the first ``LOOP_SAMPLE`` patients, scaled to ``N_PATIENTS``, and are checked
    against the vectorised result.
    """
    pop = pk.virtual_population(N_PATIENTS, seed=1)
    times = Q_(np.linspace(0.0, 48.0, N_TIMES), "h")
    boluses = [("0 h", "50 ug")]
    infusions = [("2 h", None, "20 ug/h")]

    v_mag, cl_mag, t_mag = pop.volume.magnitude, pop.clearance.magnitude, times.magnitude
    #: Every layout of patients and times the contract allows, as a user writes it (result transposed
    #: back where the times run down): name -> (times, volume, clearance, how to read it as (n, t)).
    layouts = {
        "1-D population, 1-D times": (times, pop.volume, pop.clearance, lambda r: r),
        "column (n, 1) × row (1, t), the contract's example": (
            Q_(t_mag[None, :], "h"),
            Q_(v_mag[:, None], "mL"),
            Q_(cl_mag[:, None], "mL/h"),
            lambda r: r,
        ),
        "column (n, 1) × 1-D times": (times, Q_(v_mag[:, None], "mL"), Q_(cl_mag[:, None], "mL/h"), lambda r: r),
        "times down (t, 1) × patients across (1, n)": (
            Q_(t_mag[:, None], "h"),
            Q_(v_mag[None, :], "mL"),
            Q_(cl_mag[None, :], "mL/h"),
            lambda r: r.T,
        ),
    }

    def call(layout):
        t_, v_, cl_, _ = layouts[layout]
        return pk.csf_concentration(t_, boluses=boluses, infusions=infusions, volume=v_, clearance=cl_)

    def vectorised():
        return call("1-D population, 1-D times")

    def loop_calls():
        # A Python loop over patients, one csf_concentration call (vectorised over the times) each.
        out = np.empty((LOOP_SAMPLE, N_TIMES))
        for i in range(LOOP_SAMPLE):
            out[i] = pk.csf_concentration(
                times, boluses=boluses, infusions=infusions, volume=Q_(v_mag[i], "mL"), clearance=Q_(cl_mag[i], "mL/h")
            ).magnitude
        return out

    def loop_python():
        # The same model with patients and times both in Python, as a reader would first write it.
        t = times.magnitude
        out = np.empty((LOOP_SAMPLE, N_TIMES))
        for i in range(LOOP_SAMPLE):
            k = cl_mag[i] / v_mag[i]
            for j, tj in enumerate(t):
                c = 50.0 / v_mag[i] * math.exp(-k * tj)
                if tj > 2.0:
                    c += 20.0 / cl_mag[i] * (1 - math.exp(-k * (tj - 2.0)))
                out[i, j] = c * 1000
        return out

    result = vectorised()
    assert result.shape == (N_PATIENTS, N_TIMES)
    sample = result.magnitude[:LOOP_SAMPLE]
    np.testing.assert_allclose(loop_calls(), sample, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(loop_python(), sample, rtol=1e-9, atol=1e-9)
    t_py = median(timeit(loop_python, repeat=3)) * N_PATIENTS / LOOP_SAMPLE
    t_calls = median(timeit(loop_calls, repeat=5)) * N_PATIENTS / LOOP_SAMPLE
    rows, per_layout = [], {}
    for name, (_t, _v, _cl, as_nt) in layouts.items():
        out = as_nt(call(name).magnitude)
        np.testing.assert_allclose(out, result.magnitude, rtol=1e-12, atol=1e-12)  # the same numbers
        t_l = median(timeit(lambda name=name: call(name), repeat=7))
        per_layout[name] = (t_l, t_py / t_l)
        rows.append(
            [
                f"{N_PATIENTS:,} × {N_TIMES:,}, {name}",
                ms(t_l),
                f"≤ 250 ms; {t_py / t_l:.0f}× the pure-Python loop (goal ≥ 200×)",
                "met" if t_l <= 0.25 and t_py / t_l >= 200 else "NOT met",
            ]
        )
    t_vec = per_layout["1-D population, 1-D times"][0]
    r_calls, r_py = t_calls / t_vec, t_py / t_vec
    rows += [
        [
            f"Python loop over patients, one csf_concentration call each, vectorised over the times "
            f"({LOOP_SAMPLE} patients, scaled)",
            ms(t_calls),
            f"{r_calls:.0f}× the vectorised call",
            "bounded by the cost of one call",
        ],
        [
            f"Python loop over patients and times, math.exp per value ({LOOP_SAMPLE} patients, scaled)",
            ms(t_py),
            "the loop every layout is measured against",
            "",
        ],
    ]
    return table(["population CSF simulation", "median", "goal / ratio", "status"], rows), {
        "vectorised_s": t_vec,
        "loop_python_s": t_py,
        "ratio_python": r_py,
        "loop_calls_s": t_calls,
        "ratio_calls": r_calls,
        "layouts": {k: {"seconds": t, "ratio_python": r} for k, (t, r) in per_layout.items()},
    }


def _paired(public, kernel, repeat: int = 9, number: int = 500) -> tuple[float, float, float]:
    """Seconds per call of ``public`` and of ``kernel`` and the median of their per-repeat ratio.

    The two are timed in alternation, repeat by repeat, so that load from other work on the machine
    falls on both alike; the ratio is taken within each pair before the median.
    """
    public(), kernel()  # warm-up: imports, caches
    tp, tk, ratios = [], [], []
    for _ in range(repeat):
        a = timeit(public, repeat=1, number=number)[0]
        b = timeit(kernel, repeat=1, number=number)[0]
        tp.append(a), tk.append(b), ratios.append(a / b)
    return median(tp), median(tk), median(ratios)


def calls() -> tuple[str, dict]:
    """Each public core call against its own float kernel called with the same floats.

    The kernel (``_refill_plan_floats``, ``_check_change_floats``, ``_assess_codes``) is the public
    call's own logic: every rule, every finding with its source, the dates.  What the public call adds is
    the unit boundary (reading and checking the arguments, converting them once to floats) and wrapping
    the results back into Quantities: that overhead is what the ratio measures.  Both sides return the
    same result: each public call returns its kernel's result as it is (``refill_plan``'s kernel builds
    the ``RefillPlan`` record itself).
    """
    from itbcore import overdose, pump, titration
    from itbcore.units import magnitude_in

    patient = Patient(40, "spinal")
    reservoir, conc, dose = Q_(20, "mL"), Q_(2000, "ug/mL"), Q_(400, "ug/day")
    cur, new, since_start, since_last = Q_(400, "ug/day"), Q_(480, "ug/day"), Q_(72, "h"), Q_(24, "h")
    fill = dt.date(2026, 11, 22)
    signs = ["drowsiness", "respiratory_depression"]
    codes = overdose._read_signs(signs, overdose.SIGNS, "overdose sign")

    cases = [
        (
            "refill_plan (Quantities)",
            lambda: itbcore.refill_plan(reservoir, conc, dose),
            lambda: pump._refill_plan_floats(20.0, 2000.0, 400.0, 2.0, 4.0, "lionova"),
        ),
        (
            "refill_plan (strings)",
            lambda: itbcore.refill_plan("20 mL", "2 mg/mL", "400 ug/day"),
            lambda: pump._refill_plan_floats(20.0, 2000.0, 400.0, 2.0, 4.0, "lionova"),
        ),
        (
            "refill_plan (Quantities, fill date, lioresal)",
            lambda: itbcore.refill_plan(reservoir, conc, dose, fill_date=fill, label="lioresal"),
            lambda: pump._refill_plan_floats(20.0, 2000.0, 400.0, 2.0, 4.0, "lioresal", fill),
        ),
        (
            "check_change (Quantities)",
            lambda: itbcore.check_change(patient, cur, new, since_start, since_last),
            lambda: titration._check_change_floats(
                patient, 400.0, 480.0, 72.0, 24.0, False, "programmable", "titration", "lionova", False
            ),
        ),
        (
            "check_change (strings)",
            lambda: itbcore.check_change(patient, "400 ug/day", "0.48 mg/day", "3 day", "24 h"),
            lambda: titration._check_change_floats(
                patient, 400.0, 480.0, 72.0, 24.0, False, "programmable", "titration", "lionova", False
            ),
        ),
        ("overdose.assess", lambda: overdose.assess(signs), lambda: overdose._assess_codes(codes, False, "lionova")),
    ]
    rows, figures = [], {}
    for name, public, kernel in cases:
        t_p, t_k, ratio = _paired(public, kernel)
        figures[name] = (t_p, t_k, ratio)
        rows.append([name, us(t_p), us(t_k), f"{ratio:.2f}×", "met" if ratio <= 3 else "NOT met"])

    # The unit boundary alone: three Quantity (or text) arguments read, checked and converted to floats.
    def boundary_q():
        magnitude_in(reservoir, "mL"), magnitude_in(conc, "ug/mL"), magnitude_in(dose, "ug/day")

    def boundary_s():
        magnitude_in("20 mL", "mL"), magnitude_in("2 mg/mL", "ug/mL"), magnitude_in("400 ug/day", "ug/day")

    for name, fn in [
        ("unit boundary alone (3 Quantity arguments → floats)", boundary_q),
        ("unit boundary alone (3 text arguments → floats)", boundary_s),
    ]:
        t = median(timeit(fn, repeat=7, number=2000))
        figures[name] = t
        rows.append([name, us(t), "", "", ""])
    headers = [
        "core call",
        "public call (pint)",
        "its float kernel, same floats, same result record",
        "ratio (median of pairs)",
        "goal ≤ 3×",
    ]
    return table(headers, rows), figures


def run() -> str:
    parts = ["### Population CSF simulation", population()[0], "", "### Core calls and the unit layer", calls()[0]]
    return "\n".join(parts)
