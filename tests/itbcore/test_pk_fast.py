"""csf_concentration by segments (A·exp(-k(t - T_a)) + B between dosing events) against the dose-by-dose sum.

The reference below is the implementation of ``itbcore.pk.csf_concentration`` before the segment form
(commit 1ea4d46), copied with its checks: the new one must give the same concentrations (relative
difference ≤ 1e-9, or ≤ 1e-9 ng/mL near zero), the same shapes and the same refusals.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from itbcore import Q_, pk
from itbcore.errors import InputError
from itbcore.pk import csf_concentration, virtual_population
from itbcore.pk import curves as kernel  # the superposition kernel and its tuning constants
from itbcore.units import as_array_quantity, as_quantity

RTOL = ATOL = 1e-9  # relative, and ng/mL near zero


# ---------------------------------------------------------------- the reference (old implementation)


def _ref_positive_array(value: Any, unit: str, name: str) -> np.ndarray:
    mag = np.asarray(as_array_quantity(value, unit, name).magnitude, dtype=float)
    if np.any(mag <= 0):
        raise InputError(f"The {name} must be above zero; a one-compartment model needs a positive {name}.")
    return mag


def _ref_pairs(items: Iterable[Any], size: int, what: str) -> list[tuple]:
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


def _ref_patient_param(value: Any, unit: str, name: str, times_ndim: int) -> np.ndarray:
    mag = _ref_positive_array(value, unit, name)
    if mag.ndim == 1 and times_ndim >= 1:
        mag = mag[:, None]
    return mag


def reference(
    times: Any, boluses: Iterable = (), infusions: Iterable = (), volume: Any = "75 mL", clearance: Any = "30 mL/h"
) -> np.ndarray:
    """The dose-by-dose superposition of commit 1ea4d46, in ng/mL (magnitudes)."""
    t = np.asarray(as_array_quantity(times, "h", "times").magnitude, dtype=float)
    v = _ref_patient_param(volume, "mL", "volume of distribution", t.ndim)
    cl = _ref_patient_param(clearance, "mL/h", "CSF clearance", t.ndim)
    try:
        shape = np.broadcast_shapes(v.shape, cl.shape, t.shape)
    except ValueError:
        raise InputError(
            f"The patients (volume {v.shape}, clearance {cl.shape}) and the times {t.shape} do not line up; "
            "give one value per patient and a row of times."
        ) from None
    k = cl / v
    out = np.zeros(shape)
    scratch = np.empty(shape)
    for t0, dose in _ref_pairs(boluses, 2, "bolus"):
        t0m = float(as_quantity(t0, "h", "bolus time").magnitude)
        d = float(as_quantity(dose, "ug", "bolus dose").magnitude)
        if d < 0:
            raise InputError(f"A bolus dose cannot be negative ({d:g} µg).")
        if d == 0:
            continue
        dt = t - t0m
        np.multiply(k, np.maximum(dt, 0.0), out=scratch)
        np.negative(scratch, out=scratch)
        np.exp(scratch, out=scratch)
        scratch *= d / v
        scratch *= dt >= 0
        out += scratch
    for start, end, rate in _ref_pairs(infusions, 3, "infusion"):
        s = float(as_quantity(start, "h", "infusion start").magnitude)
        e = math.inf if end is None else float(as_quantity(end, "h", "infusion end").magnitude)
        r = float(as_quantity(rate, "ug/h", "infusion rate").magnitude)
        if e < s:
            raise InputError(f"An infusion cannot end ({e:g} h) before it starts ({s:g} h).")
        if r < 0:
            raise InputError(f"An infusion rate cannot be negative ({r:g} µg/h).")
        if r == 0 or e == s:
            continue
        infused = np.clip(t - s, 0.0, e - s)
        np.multiply(-k, infused, out=scratch)
        np.expm1(scratch, out=scratch)
        scratch *= -r / cl
        if math.isfinite(e) and np.any(t > e):
            decay = np.multiply(-k, np.maximum(t - e, 0.0))
            np.exp(decay, out=decay)
            scratch *= decay
        out += scratch
    out *= 1000.0
    return out


def assert_same(new: Any, old: np.ndarray) -> None:
    mag = np.asarray(new.magnitude)
    assert new.units == Q_(1.0, "ng/mL").units
    assert mag.shape == old.shape
    assert mag.dtype == np.float64
    np.testing.assert_allclose(mag, old, rtol=RTOL, atol=ATOL)


# ---------------------------------------------------------------- the ways of filling the output

# Small outputs are summed dose by dose as built; every fill but the first forces the segment form.
SEGMENTS = {"_SEGMENTS_FROM": 0}
FILLS = {
    "as built": {},
    "segments": SEGMENTS,
    "runs as slices": {**SEGMENTS, "_MAX_RUNS": 10**9},
    "gathered by column": {**SEGMENTS, "_MAX_RUNS": 0},
    "tiny blocks, slices": {**SEGMENTS, "_BLOCK": 7, "_MAX_RUNS": 10**9},
    "tiny blocks, gathered": {**SEGMENTS, "_BLOCK": 5, "_MAX_RUNS": 0},
    "one time at a time": {**SEGMENTS, "_by_time": lambda n, n_t: True},
    "tiny blocks, one time at a time": {**SEGMENTS, "_by_time": lambda n, n_t: True, "_BLOCK": 3},
    "never one time at a time": {**SEGMENTS, "_by_time": lambda n, n_t: False},
}


@pytest.fixture(params=list(FILLS))
def fill(request, monkeypatch):
    for name, value in FILLS[request.param].items():
        monkeypatch.setattr(kernel, name, value)
    return request.param


# ---------------------------------------------------------------- strategies

event_times = st.floats(min_value=-5.0, max_value=60.0, allow_nan=False, allow_infinity=False)
bolus_doses = st.one_of(st.just(0.0), st.floats(min_value=0.0, max_value=1000.0))
rates = st.one_of(st.just(0.0), st.floats(min_value=0.0, max_value=100.0))  # µg/h, up to 2,400 µg/day
lengths = st.one_of(st.just(0.0), st.floats(min_value=0.0, max_value=60.0))
volumes = st.floats(min_value=5.0, max_value=500.0)
clearances = st.floats(min_value=1.0, max_value=200.0)


@st.composite
def regimens(draw):
    """Boluses and infusions, and times: unsorted, repeated, before the first dose, at the events exactly."""
    boluses = draw(st.lists(st.tuples(event_times, bolus_doses), max_size=5))
    infusions = []
    for start, length, rate, open_ended in draw(
        st.lists(st.tuples(event_times, lengths, rates, st.booleans()), max_size=4)
    ):
        infusions.append((start, None if open_ended else start + length, rate))
    events = [t for t, _ in boluses] + [s for s, _, _ in infusions] + [e for _, e, _ in infusions if e is not None]
    free = draw(st.lists(st.floats(min_value=-10.0, max_value=150.0, allow_nan=False), max_size=30))
    picked = draw(st.lists(st.sampled_from(events), max_size=10)) if events else []
    times = draw(st.permutations(free + picked + picked[:2]))
    assume(times)
    return boluses, infusions, times


def as_quantities(boluses, infusions):
    b = [(Q_(t, "h"), Q_(d, "ug")) for t, d in boluses]
    i = [(Q_(s, "h"), None if e is None else Q_(e, "h"), Q_(r, "ug/h")) for s, e, r in infusions]
    return b, i


# ---------------------------------------------------------------- properties


# The fixture only sets module constants for the whole test: nothing to reset between examples.
FIXTURE_OK = [HealthCheck.function_scoped_fixture]


@settings(max_examples=150, deadline=None, suppress_health_check=FIXTURE_OK)
@given(regimen=regimens(), v=volumes, cl=clearances)
def test_single_patient_equals_the_dose_by_dose_sum(fill, regimen, v, cl):
    boluses, infusions, times = regimen
    b, i = as_quantities(boluses, infusions)
    kw = dict(volume=Q_(v, "mL"), clearance=Q_(cl, "mL/h"))
    t = Q_(np.array(times), "h")
    assert_same(csf_concentration(t, b, i, **kw), reference(t, b, i, **kw))


@settings(max_examples=150, deadline=None, suppress_health_check=FIXTURE_OK)
@given(regimen=regimens(), v=st.lists(volumes, min_size=1, max_size=6), data=st.data())
def test_population_equals_the_dose_by_dose_sum(fill, regimen, v, data):
    boluses, infusions, times = regimen
    cl = data.draw(st.lists(clearances, min_size=len(v), max_size=len(v)))
    b, i = as_quantities(boluses, infusions)
    kw = dict(volume=Q_(np.array(v), "mL"), clearance=Q_(np.array(cl), "mL/h"))
    t = Q_(np.array(times), "h")
    new = csf_concentration(t, b, i, **kw)
    assert new.magnitude.shape == (len(v), len(times))
    assert_same(new, reference(t, b, i, **kw))


@settings(max_examples=60, deadline=None, suppress_health_check=FIXTURE_OK)
@given(regimen=regimens(), v=st.lists(volumes, min_size=1, max_size=6), cl=clearances)
def test_single_time_against_a_population_equals_the_dose_by_dose_sum(fill, regimen, v, cl):
    boluses, infusions, times = regimen
    b, i = as_quantities(boluses, infusions)
    kw = dict(volume=Q_(np.array(v), "mL"), clearance=Q_(cl, "mL/h"))
    for one in times[:3]:
        new = csf_concentration(Q_(one, "h"), b, i, **kw)
        assert new.magnitude.shape == (len(v),)
        assert_same(new, reference(Q_(one, "h"), b, i, **kw))


@settings(max_examples=60, deadline=None, suppress_health_check=FIXTURE_OK)
@given(regimen=regimens(), v=volumes, cl=clearances)
def test_segment_form_is_never_negative_and_rises_monotonically_under_an_infusion(segments, regimen, v, cl):
    boluses, infusions, times = regimen
    b, i = as_quantities(boluses, infusions)
    kw = dict(volume=Q_(v, "mL"), clearance=Q_(cl, "mL/h"))
    assert np.all(csf_concentration(Q_(np.array(times), "h"), b, i, **kw).magnitude >= 0)
    t = np.sort(np.array(times))
    rising = csf_concentration(Q_(t, "h"), infusions=[("-20 h", None, "10 ug/h")], **kw).magnitude
    assert np.all(np.diff(rising) >= 0)


# ---------------------------------------------------------------- examples


def test_few_times_and_many_patients_equal_the_dose_by_dose_sum(fill):
    pop = virtual_population(3000, seed=2)
    kw = dict(
        boluses=[("0 h", "50 ug"), ("6 h", "20 ug")],
        infusions=[("2 h", "8 h", "20 ug/h")],
        volume=pop.volume,
        clearance=pop.clearance,
    )
    for t in [Q_(3.0, "h"), Q_(np.array([7.0, -1.0, 2.0, 6.0, 30.0]), "h")]:
        assert_same(csf_concentration(t, **kw), reference(t, **kw))


def test_benchmark_call_on_a_smaller_population(fill):
    pop = virtual_population(500, seed=1)
    t = Q_(np.linspace(0.0, 48.0, 1000), "h")
    kw = dict(
        boluses=[("0 h", "50 ug")], infusions=[("2 h", None, "20 ug/h")], volume=pop.volume, clearance=pop.clearance
    )
    new = csf_concentration(t, **kw)
    assert new.magnitude.flags.c_contiguous
    assert_same(new, reference(t, **kw))


def test_many_events_and_times_before_between_and_after(fill):
    pop = virtual_population(40, seed=3)
    t = Q_(np.concatenate([np.linspace(-5, 200, 801), np.arange(0.0, 150.0, 6.0)]), "h")
    boluses = [(f"{h} h", "50 ug") for h in range(0, 150, 12)] + [("24 h", "25 ug"), ("24 h", "0 ug")]
    infusions = [
        ("0 h", "72 h", "300 ug/day"),
        ("72 h", None, "450 ug/day"),
        ("100 h", "100 h", "1 mg/day"),
        ("30 h", "31 h", "0 ug/h"),
        ("36 h", "48 h", "5 ug/h"),
    ]
    kw = dict(volume=pop.volume, clearance=pop.clearance)
    assert_same(csf_concentration(t, boluses, infusions, **kw), reference(t, boluses, infusions, **kw))


@pytest.fixture
def segments(monkeypatch):
    """The segment form even for small outputs."""
    monkeypatch.setattr(kernel, "_SEGMENTS_FROM", 0)


def test_small_outputs_are_summed_dose_by_dose_exactly_as_before():
    t = Q_(np.linspace(-1, 48, 97), "h")
    kw = dict(
        boluses=[("0 h", "50 ug")],
        infusions=[("2 h", "30 h", "20 ug/h")],
        volume=Q_([40.0, 90.0], "mL"),
        clearance=Q_([20.0, 35.0], "mL/h"),
    )
    np.testing.assert_array_equal(csf_concentration(t, **kw).magnitude, reference(t, **kw))


def test_times_in_reverse_order_give_the_reversed_row(segments):
    t = np.linspace(0, 48, 97)
    kw = dict(
        boluses=[("0 h", "50 ug"), ("12 h", "50 ug")],
        infusions=[("6 h", "30 h", "500 ug/day")],
        volume=Q_([40.0, 75.0, 150.0], "mL"),
        clearance=Q_([20.0, 30.0, 45.0], "mL/h"),
    )
    forward = csf_concentration(Q_(t, "h"), **kw).magnitude
    backward = csf_concentration(Q_(t[::-1], "h"), **kw).magnitude
    np.testing.assert_allclose(backward[:, ::-1], forward, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    "times, volume, clearance",
    [
        (["0 h", "1 h", "5 h"], "75 mL", "30 mL/h"),  # scalar patient
        ("3 h", "75 mL", "30 mL/h"),  # scalar time and patient
        ("3 h", Q_([50.0, 75.0], "mL"), "30 mL/h"),  # one time, 1-D patients
        (["0 h", "1 h", "5 h"], Q_([[50.0], [75.0]], "mL"), "30 mL/h"),  # explicit column
        (["0 h", "1 h", "5 h"], Q_([50.0, 75.0], "mL"), Q_([[20.0], [30.0]], "mL/h")),
        (["0 h", "1 h", "5 h"], Q_(np.full((2, 2, 1), 60.0), "mL"), "30 mL/h"),  # patients in two axes
        (Q_(np.array([[0.0, 1.0], [2.0, 3.0]]), "h"), "75 mL", "30 mL/h"),  # 2-D times: general path
        (["0 h", "1 h", "5 h"], Q_([[50.0, 60.0, 70.0]], "mL"), "30 mL/h"),  # volume along the times
        (Q_(np.array([[0.0, 1.0, 4.0]]), "h"), Q_([50.0, 75.0], "mL"), "30 mL/h"),  # (2, 1) × (1, 3)
        (Q_(np.array([[0.0, 1.0, 4.0]]), "h"), Q_([[50.0], [75.0]], "mL"), Q_([[20.0], [30.0]], "mL/h")),  # contract
        (Q_(np.array([[0.0], [1.0], [4.0]]), "h"), Q_([[50.0, 75.0]], "mL"), "30 mL/h"),  # times down, patients across
        (Q_(np.array([[[0.0, 1.0, 4.0]]]), "h"), Q_(np.full((2, 2, 1), 60.0), "mL"), "30 mL/h"),  # (1,1,t) × (2,2,1)
    ],
)
def test_every_layout_keeps_its_shape_and_values(segments, times, volume, clearance):
    kw = dict(boluses=[("1 h", "50 ug")], infusions=[("0 h", "4 h", "20 ug/h")], volume=volume, clearance=clearance)
    assert_same(csf_concentration(times, **kw), reference(times, **kw))


def test_no_doses_and_empty_arrays_give_zeros_of_the_right_shape(segments):
    assert_same(csf_concentration(["0 h", "2 h"], volume=Q_([50.0, 75.0], "mL")), np.zeros((2, 2)))
    assert_same(
        csf_concentration(Q_(np.zeros(0), "h"), [("0 h", "50 ug")], volume=Q_([50.0, 75.0], "mL")), np.zeros((2, 0))
    )
    assert_same(csf_concentration(["1 h"], [("0 h", "0 ug")], [("0 h", "0 h", "5 ug/h")]), np.zeros(1))


def test_extreme_parameters_fall_back_to_the_dose_by_dose_sum(segments):
    # A volume so small that dose / volume overflows: the segment form gives up, the old sum answers.
    kw = dict(
        boluses=[("0 h", "50 ug")],
        infusions=[("1 h", None, "20 ug/h")],
        volume=Q_([1e-320, 75.0], "mL"),
        clearance="30 mL/h",
    )
    t = ["0 h", "0.5 h", "2 h"]
    with np.errstate(all="ignore"):
        new = csf_concentration(t, **kw).magnitude
        old = reference(t, **kw)
    np.testing.assert_array_equal(new, old)


def test_the_ufunc_buffer_size_is_left_as_it_was(segments):
    before = np.getbufsize()
    csf_concentration(Q_(np.linspace(0, 10, 50), "h"), [("0 h", "50 ug")], volume=Q_([50.0, 75.0], "mL"))
    assert np.getbufsize() == before


BAD = [
    {"boluses": "0 h"},
    {"boluses": [("0 h",)]},
    {"boluses": [("0 h", "-1 ug")]},
    {"boluses": [("0 h", "50 ug"), ("1 h", "-1 ug")], "infusions": [("2 h", "1 h", "5 ug/h")]},
    {"boluses": [(0, "50 ug")]},
    {"boluses": [("0 h", "50 mL")]},
    {"infusions": [("2 h", "1 h", "500 ug/day")]},
    {"infusions": [("0 h", "1 h", "-1 ug/h")]},
    {"infusions": [("0 h", "1 h", "500 ug")]},
    {"infusions": [("0 h", "1 h")]},
    {"infusions": 5},
    {"volume": "0 mL"},
    {"volume": Q_([50.0, -1.0], "mL")},
    {"clearance": "30 mL"},
    {"volume": Q_([50.0, 60.0], "mL"), "clearance": Q_([30.0, 40.0, 50.0], "mL/h")},
    {"times": ["1 h", "nan h"]},
    {"times": [1.0, 2.0]},
]


@pytest.mark.parametrize("kwargs", BAD)
def test_refusals_are_the_same(kwargs):
    kw = {"times": ["0 h", "1 h"], **kwargs}
    with pytest.raises(Exception) as old:
        reference(**kw)
    with pytest.raises(type(old.value)) as new:
        csf_concentration(**kw)
    assert str(new.value) == str(old.value)


@pytest.mark.parametrize(
    "t_shape, v_shape, out_shape",
    [
        ((1000,), (100,), (100, 1000)),  # 1-D times, 1-D population
        ((1, 1000), (100, 1), (100, 1000)),  # the contract's column of patients against a row of times
        ((1000,), (100, 1), (100, 1000)),
        ((1000, 1), (1, 100), (1000, 100)),  # times down, patients across
        ((1, 1, 1000), (4, 25, 1), (4, 25, 1000)),
    ],
)
def test_every_layout_of_a_row_of_times_takes_the_segment_form(t_shape, v_shape, out_shape):
    # the fast path served only some layouts (issue 14: the contract's own layout was 4× slower)
    t = np.linspace(0.0, 48.0, 1000).reshape(t_shape)
    v = np.full(v_shape, 75.0)
    col = v[:, None] if v.ndim == 1 else v  # csf_concentration makes a 1-D population a column
    layout = pk._segment_layout(t, col, np.full(col.shape, 30.0), out_shape)
    assert layout is not None and layout[0].shape == (1000,) and layout[1].shape == (100,)
    out = csf_concentration(Q_(t, "h"), boluses=[("0 h", "50 ug")], volume=Q_(v, "mL"))
    assert out.shape == out_shape


def test_times_along_two_axes_take_the_dose_by_dose_sum():
    t = np.linspace(0.0, 48.0, 200 * 100).reshape(200, 100)
    assert pk._segment_layout(t, np.full((200, 1), 75.0), np.full((200, 1), 30.0), (200, 100)) is None
