"""The unit boundary of the core calls and the fast conversion path of itbcore.units.

``refill_plan``, ``check_change`` and ``assess`` read their arguments once into floats in canonical
units and hand them to a private kernel (``_refill_plan_floats``, ``_check_change_floats``,
``_assess_codes``) that applies every rule.  These tests pin that the public call and its kernel agree
for valid inputs, and that the conversion cache answers exactly what pint answers.
"""

import dataclasses
import datetime as dt
import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from itbcore import Q_, Patient, overdose, pump, titration, units, ureg
from itbcore.errors import DoseLimitError, EligibilityError, InputError, UnitError
from itbcore.testing import typed
from itbcore.units import as_quantity, magnitude_in

# -- strategies: valid arguments, written in several units
finite = dict(allow_nan=False, allow_infinity=False)


def _written(value, units_and_factors):
    """A value given as a Quantity or as text in one of several units (factor: canonical per unit)."""
    return st.sampled_from(units_and_factors).flatmap(
        lambda uf: st.sampled_from([Q_(value / uf[1], uf[0]), f"{typed(value / uf[1])} {uf[0]}"])
    )


def volumes(lo, hi):
    return st.floats(lo, hi, **finite).flatmap(lambda v: _written(v, [("mL", 1.0), ("L", 1000.0), ("uL", 0.001)]))


concentrations = st.floats(1.0, 1999.0, **finite).flatmap(
    lambda v: _written(v, [("ug/mL", 1.0), ("mg/mL", 1000.0), ("mcg/mL", 1.0)])
)
daily_doses = st.floats(1.0, 2999.0, **finite).flatmap(
    lambda v: _written(v, [("ug/day", 1.0), ("mg/day", 1000.0), ("ug/h", 24.0)])
)
margins = st.floats(0.0, 10.0, **finite).flatmap(lambda v: _written(v, [("day", 1.0), ("h", 1 / 24), ("week", 7.0)]))
hours = st.floats(0.0, 2000.0, **finite).flatmap(lambda v: _written(v, [("h", 1.0), ("day", 24.0), ("min", 1 / 60)]))
patients = st.builds(Patient, st.integers(4, 90), st.sampled_from(["spinal", "cerebral"]))
labels = st.sampled_from(["lionova", "lioresal"])


def _daily(x):
    return float(f"{magnitude_in(x, 'ug/day'):.12g}")


def _hours(x):
    return float(f"{magnitude_in(x, 'h'):.12g}")


# -- refill_plan
@settings(max_examples=300, deadline=None)
@given(
    reservoir=volumes(3.0, 39.0),
    conc=concentrations,
    dose=daily_doses,
    alarm=volumes(0.5, 2.5),
    margin=margins,
    label=labels,
    fill=st.none() | st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)),
)
def test_refill_plan_agrees_with_its_float_kernel(reservoir, conc, dose, alarm, margin, label, fill):
    r, c, d = magnitude_in(reservoir, "mL"), magnitude_in(conc, "ug/mL"), magnitude_in(dose, "ug/day")
    a, m = magnitude_in(alarm, "mL"), magnitude_in(margin, "day")
    assume(a < r)
    plan = pump.refill_plan(reservoir, conc, dose, alarm, fill, margin, label)
    assert plan == pump._refill_plan_floats(r, c, d, a, m, label, fill)
    expected = {
        "reservoir_volume": (r, "mL"),
        "alarm_volume": (a, "mL"),
        "concentration": (c, "ug/mL"),
        "daily_dose": (d, "ug/day"),
        "daily_volume": (d / c, "mL/day"),
        "days_to_alarm": ((r - a) / (d / c), "day"),
        "days_to_empty": (r / (d / c), "day"),
        "margin": (m, "day"),
    }
    for field, (value, unit) in expected.items():
        q = getattr(plan, field)
        assert q._REGISTRY is ureg and q.units == ureg.Unit(unit), field
        assert q.magnitude == value and type(q.magnitude) is float, field
    # whole days, never after the alarm, and the dates the days after the fill
    refill = plan.refill_after.magnitude
    assert type(refill) is int and 0 <= refill <= plan.days_to_alarm.magnitude
    if fill is None:
        assert plan.alarm_date is plan.empty_date is plan.refill_date is None
    else:
        assert plan.refill_date == fill + dt.timedelta(days=refill) <= plan.alarm_date
        assert plan.alarm_date == fill + dt.timedelta(days=math.floor(plan.days_to_alarm.magnitude))
    assert plan.fill_date == fill and plan.label == label


def test_refill_plan_is_an_ordinary_frozen_dataclass():
    plan = pump.refill_plan("20 mL", "500 ug/mL", "100 ug/day", fill_date="2024-01-01")
    rebuilt = pump.RefillPlan(**{f.name: getattr(plan, f.name) for f in dataclasses.fields(plan)})
    assert plan == rebuilt and repr(plan) == repr(rebuilt) and vars(plan).keys() == vars(rebuilt).keys()
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.limited_by = "x"  # type: ignore[misc]
    assert repr(plan.days_to_alarm) == "<Quantity(90.0, 'day')>" and repr(plan.refill_after) == "<Quantity(86, 'day')>"


# -- check_change
@settings(max_examples=300, deadline=None)
@given(
    patient=patients,
    current=daily_doses,
    proposed=st.just("0 ug/day") | daily_doses,
    started=hours,
    last=st.none() | hours,
    pump_kind=st.sampled_from(["programmable", "non_programmable"]),
    phase=st.sampled_from(["titration", "maintenance"]),
    label=labels,
    no_effect=st.booleans(),
)
def test_check_change_agrees_with_its_float_kernel(
    patient, current, proposed, started, last, pump_kind, phase, label, no_effect
):
    s = _hours(started)
    h = s if last is None else _hours(last)
    assume(h <= s)
    try:
        public = titration.check_change(
            patient, current, proposed, started, last, pump_kind, phase, label, no_effect=no_effect
        )
    except EligibilityError:
        return
    kernel = titration._check_change_floats(
        patient, _daily(current), _daily(proposed), s, h, last is None, pump_kind, phase, label, no_effect
    )
    assert public == kernel


def test_check_change_boundary_keeps_its_messages():
    p = Patient(40, "spinal")
    with pytest.raises(DoseLimitError, match=r"^The current daily dose 0 µg/day must be above zero\.$"):
        titration.check_change(p, "0 mg/day", "1 ug/day", "3 day", None)
    with pytest.raises(
        InputError,
        match=r"^The time since the last change \(72 h\) is longer than the time since "
        r"the infusion started \(48 h\)\.$",
    ):
        titration.check_change(p, "100 ug/day", "110 ug/day", "2 day", "3 day")
    with pytest.raises(UnitError, match="is a mass, not a dose rate"):
        titration.check_change(p, "100 ug", "110 ug/day", "2 day", None)


# -- overdose.assess (no quantity: the boundary reads the sign codes)
@settings(max_examples=200, deadline=None)
@given(
    signs=st.lists(st.sampled_from(list(overdose.SIGNS)), max_size=6),
    lp=st.booleans(),
    label=st.sampled_from(["lionova", "lioresal", "baclorex"]),
)
def test_assess_agrees_with_its_kernel(signs, lp, label):
    codes = overdose._read_signs(signs, overdose.SIGNS, "overdose sign")
    assert overdose.assess(signs, lumbar_puncture_contraindicated=lp, label=label) == overdose._assess_codes(
        codes, lp, label
    )


# -- the conversion cache
@pytest.mark.parametrize(
    "value, unit, expected",
    [
        ("50 µg", "ug", 50),
        ("50 μg", "ug", 50),
        ("50 mcg", "ug", 50),
        ("50 ug", "ug", 50),
        ("0.05 mg", "ug", 50.0),
        (Q_(0.05, "mg"), "ug", 50.0),
        (Q_(50, "ug"), "mg", 0.05),
        ("50 mcg", "mg", 0.05),
        ("2 mg/mL", "ug/mL", 2000.0),
        (Q_(500, "ug/mL"), "mg/mL", 0.5),
        ("0.4 mg/day", "ug/day", 400.0),
        ("1.5 L", "mL", 1500.0),
        (Q_(250, "mL"), "L", 0.25),
        ("200 uL", "mL", 0.2),
        ("2 day", "h", 48),
        ("90 min", "h", 1.5),
        (Q_(36, "h"), "day", 1.5),
        ("1 week", "day", 7),
        ("30 min", "day", 30 / 1440),
        ("20 ug/h", "ug/day", 480),
    ],
)
def test_fast_path_converts_as_pint_does(value, unit, expected):
    q = units._parse_text(value.strip()) if isinstance(value, str) else value
    slow = q.to(unit).magnitude  # pint's own answer
    for _ in range(2):  # the second call is answered from the cache
        fast = units._fast_magnitude(value, unit)
        assert fast is not None
        assert fast == slow and type(fast) is type(slow)
        out = as_quantity(value, unit)
        assert out.magnitude == slow and type(out.magnitude) is type(slow) and out.units == ureg.Unit(unit)
        assert out._REGISTRY is ureg and magnitude_in(value, unit) == float(slow)
    assert math.isclose(float(slow), expected, rel_tol=1e-12)


@pytest.mark.parametrize("value", [Q_(5, "mL"), "5 mL", Q_(5, "ug/day"), "5 h"])
def test_wrong_dimension_still_raises_the_same_unit_error(value):
    as_quantity("50 ug", "ug")  # a cached pair of the right dimension
    messages = set()
    for _ in range(3):
        # the reader's advice names no stock example (f9bb4d0): "..., not a mass; give it in µg."
        with pytest.raises(UnitError, match=r", not a mass; give it in µg\.$") as info:
            as_quantity(value, "ug", "test dose")
        messages.add(str(info.value))
        with pytest.raises(UnitError, match="not a mass"):
            magnitude_in(value, "ug", "test dose")
    assert len(messages) == 1 and messages.pop().startswith(("The test dose 5 ", "The test dose '5 "))
    src = value._units if not isinstance(value, str) else units._parse_text(value)._units
    assert units._FAST.factors[(src, "ug")] is None


@pytest.mark.parametrize(
    "value",
    [
        50,
        50.0,
        None,
        "",
        "50",
        "abc ug",
        float("nan"),
        Q_(float("inf"), "ug"),
        Q_(float("nan"), "mg"),
        Q_([1.0, 2.0], "ug"),
    ],
)
def test_fast_path_leaves_every_refusal_to_as_quantity(value):
    assert units._fast_magnitude(value, "ug") is None
    with pytest.raises((UnitError, InputError)):
        as_quantity(value, "ug", "test dose")


def test_overflow_after_conversion_is_refused_as_before():
    assert units._fast_magnitude(Q_(1e306, "kg"), "ug") is None
    with pytest.raises(InputError, match="too large"):
        as_quantity(Q_(1e306, "kg"), "ug")


def test_offset_units_are_left_to_pint():
    t = Q_(20.0, "degC")
    assert units._fast_magnitude(t, "degF") is None
    assert as_quantity(t, "degF").magnitude == pytest.approx(68.0)
    d = Q_(5.0, "delta_degC")  # a temperature difference is multiplicative: the fast path gives pint's answer
    assert units._fast_magnitude(d, "kelvin") == d.to("kelvin").magnitude


def test_output_quantities_are_ordinary_quantities():
    for mag, unit in [(1.5, "mL"), (86, "day"), (0.25, "mL/day"), (2000.0, "ug/mL")]:
        q, ref = units._make_q(mag, unit), Q_(mag, unit)
        assert type(q) is type(ref) and repr(q) == repr(ref) and q == ref and q._units == ref._units
        assert (q + ref).magnitude == 2 * mag and q.to(unit).magnitude == mag
    assert units._make_q(1.0, "mL")._units is units._make_q(2.0, "mL")._units


def test_float_formatter_matches_fmt():
    for mag, unit in [(0.49999999, "mL"), (1234.6, "ug/day"), (0.0, "h"), (12, "ug/day"), (77, "day"), (1e-7, "mL")]:
        assert units._fmt_float(mag, unit) == units.fmt(Q_(mag, unit))
