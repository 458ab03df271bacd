"""Core benchmarks: the population CSF simulation and the cost of the unit layer.

Goals (docs/BENCHMARKS.md): 10,000 virtual patients × 1,000 time points in one call in ≤ 0.25 s and
≥ 100× a per-patient Python loop measured in the same run; core calls with pint within 3× the same
arithmetic on floats.
"""
from __future__ import annotations

import math

import numpy as np

import itbcore
from itbcore import Patient, Q_, pk

from ._util import median, ms, table, timeit, us

N_PATIENTS, N_TIMES = 10_000, 1_000
LOOP_SAMPLE = 200  # patients timed in the per-patient loop, scaled to N_PATIENTS


def population() -> tuple[str, dict]:
    pop = pk.virtual_population(N_PATIENTS, seed=1)
    times = Q_(np.linspace(0.0, 48.0, N_TIMES), "h")
    boluses = [("0 h", "50 ug")]
    infusions = [("2 h", None, "20 ug/h")]

    def vectorised():
        return pk.csf_concentration(times, boluses=boluses, infusions=infusions,
                                    volume=pop.volume, clearance=pop.clearance)

    v_mag, cl_mag = pop.volume.magnitude, pop.clearance.magnitude

    def loop():
        # The same model, one patient at a time, as a reader would first write it.
        for i in range(LOOP_SAMPLE):
            pk.csf_concentration(times, boluses=boluses, infusions=infusions,
                                 volume=Q_(v_mag[i], "mL"), clearance=Q_(cl_mag[i], "mL/h"))

    def loop_python():
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
    t_vec = median(timeit(vectorised, repeat=5))
    t_loop = median(timeit(loop, repeat=3)) * N_PATIENTS / LOOP_SAMPLE
    t_py = median(timeit(loop_python, repeat=1)) * N_PATIENTS / LOOP_SAMPLE
    rows = [
        [f"{N_PATIENTS:,} patients × {N_TIMES:,} times, one vectorised call", ms(t_vec), "≤ 250 ms",
         "met" if t_vec <= 0.25 else "NOT met"],
        ["same, one call per patient (csf_concentration in a Python loop)", ms(t_loop),
         f"ratio {t_loop / t_vec:.0f}× (goal ≥ 100×)", "met" if t_loop / t_vec >= 100 else "NOT met"],
        ["same, pure-Python double loop over patients and times", ms(t_py),
         f"ratio {t_py / t_vec:.0f}×", "reference"],
    ]
    return table(["population CSF simulation", "median", "goal / ratio", "status"], rows), {
        "vectorised_s": t_vec, "loop_s": t_loop, "ratio": t_loop / t_vec}


def _float_refill(reservoir, alarm, conc, dose):
    daily_volume = dose / conc
    return (reservoir - alarm) / daily_volume, reservoir / daily_volume


def _float_check(current, proposed, since_start, since_last, low, high):
    findings = []
    change = (proposed - current) / current
    if change > 0 and since_start < 24:
        findings.append("first_24h")
    if since_last < 24:
        findings.append("interval")
    if change > high:
        findings.append("above_band")
    elif 0 < change < low:
        findings.append("below_band")
    if proposed > 1000:
        findings.append("above_1000")
    return findings


def _float_overdose(signs):
    severe = {"respiratory_depression", "apnea", "coma"}
    return "severe" if severe & set(signs) else ("mild" if signs else "none")


def calls() -> tuple[str, dict]:
    patient = Patient(40, "spinal")
    reservoir, conc, dose = Q_(20, "mL"), Q_(2000, "ug/mL"), Q_(400, "ug/day")
    rows, figures = [], {}
    cases = [
        ("refill_plan (Quantities)", lambda: itbcore.refill_plan(reservoir, conc, dose),
         lambda: _float_refill(20.0, 2.0, 2000.0, 400.0)),
        ("refill_plan (strings)", lambda: itbcore.refill_plan("20 mL", "2 mg/mL", "400 ug/day"),
         lambda: _float_refill(20.0, 2.0, 2000.0, 400.0)),
        ("check_change (Quantities)",
         lambda: itbcore.check_change(patient, Q_(400, "ug/day"), Q_(480, "ug/day"), Q_(72, "h"), Q_(24, "h")),
         lambda: _float_check(400.0, 480.0, 72.0, 24.0, 0.10, 0.30)),
        ("overdose.assess", lambda: itbcore.overdose.assess(["drowsiness", "respiratory_depression"]),
         lambda: _float_overdose(["drowsiness", "respiratory_depression"])),
    ]
    for name, with_units, floats in cases:
        t_u = median(timeit(with_units, repeat=7, number=200))
        t_f = median(timeit(floats, repeat=7, number=2000))
        figures[name] = (t_u, t_f)
        rows.append([name, us(t_u), us(t_f), f"{t_u / t_f:.0f}×"])
    # The unit layer alone: reading and converting the arguments, against the float arithmetic.
    from itbcore.units import as_quantity

    def parse_only():
        as_quantity(reservoir, "mL"), as_quantity(conc, "ug/mL"), as_quantity(dose, "ug/day")

    t_parse = median(timeit(parse_only, repeat=7, number=500))
    rows.append(["unit layer alone (3 Quantity arguments)", us(t_parse), "", ""])
    return table(["core call", "with pint", "same arithmetic on floats", "ratio"], rows), figures


def run() -> str:
    parts = ["### Population CSF simulation", population()[0], "", "### Core calls and the unit layer", calls()[0]]
    return "\n".join(parts)
