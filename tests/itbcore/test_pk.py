"""Tests of itbcore.pk: the one-compartment CSF model and the label numbers it rests on."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itbcore.errors import InputError, ITBError, UnitError
from itbcore.pk import (
    LABEL_PK,
    Population,
    csf_concentration,
    half_life,
    lumbar_to_cisternal,
    percentile_band,
    steady_state_concentration,
    time_to_steady_state,
    virtual_population,
)
from itbcore.testing import assert_quantity_close
from itbcore.units import Q_, ureg

# ------------------------------------------------ label numbers (lionova 5.2; lioresal Pharmacokinetics)


def test_label_volume_mean_75_ml_lionova_5_2():
    assert_quantity_close(LABEL_PK.volume_mean, "75 mL")
    assert LABEL_PK.sources["volume_mean"] == "lionova 5.2"


def test_label_volume_range_22_to_157_ml_both_labels():
    assert_quantity_close(LABEL_PK.volume_range[0], "22 mL")
    assert_quantity_close(LABEL_PK.volume_range[1], "157 mL")
    assert "lionova 5.2" in LABEL_PK.sources["volume_range"]
    assert "lioresal Pharmacokinetics" in LABEL_PK.sources["volume_range"]


def test_label_clearance_30_ml_per_h():
    assert_quantity_close(LABEL_PK.clearance, "30 mL/h")
    assert "lioresal Pharmacokinetics" in LABEL_PK.sources["clearance"]


def test_label_half_life_1_to_5_h_after_50_to_135_ug():
    assert_quantity_close(LABEL_PK.half_life_range[0], "1 h")
    assert_quantity_close(LABEL_PK.half_life_range[1], "5 h")
    assert_quantity_close(LABEL_PK.half_life_bolus_range[0], "50 ug")
    assert_quantity_close(LABEL_PK.half_life_bolus_range[1], "135 ug")


def test_label_steady_state_130_to_1240_ng_ml_at_50_to_1200_ug_day_in_1_to_2_days():
    assert_quantity_close(LABEL_PK.steady_state_concentration_range[0], "130 ng/mL")
    assert_quantity_close(LABEL_PK.steady_state_concentration_range[1], "1240 ng/mL")
    assert_quantity_close(LABEL_PK.steady_state_dose_range[0], "50 ug/day")
    assert_quantity_close(LABEL_PK.steady_state_dose_range[1], "1200 ug/day")
    assert_quantity_close(LABEL_PK.steady_state_time_range[0], "24 h")
    assert_quantity_close(LABEL_PK.steady_state_time_range[1], "48 h")


def test_label_lumbar_cisternal_ratio_1_8_to_8_7_mean_4():
    assert LABEL_PK.lumbar_cisternal_ratio_range == (1.8, 8.7)
    assert LABEL_PK.lumbar_cisternal_ratio_mean == 4.0
    assert_quantity_close(LABEL_PK.lumbar_cisternal_dose_range[0], "95 ug/day")
    assert_quantity_close(LABEL_PK.lumbar_cisternal_dose_range[1], "190 ug/day")


def test_label_plasma_below_5_ng_ml_children_10_in_both_labels():
    # lionova 5.2 and lioresal Pharmacokinetics ("Patients aged <18 years ... < 10 ng/ml")
    assert_quantity_close(LABEL_PK.plasma_max, "5 ng/mL")
    assert_quantity_close(LABEL_PK.plasma_max_children, "10 ng/mL")
    assert LABEL_PK.sources["plasma_max_children"] == "lionova 5.2; lioresal Pharmacokinetics"


def test_every_label_fact_has_a_source():
    fields = [f for f in LABEL_PK.__dataclass_fields__ if f != "sources"]
    assert set(fields) == set(LABEL_PK.sources)
    assert all(s.startswith("lionova 5.2") for s in LABEL_PK.sources.values())


def test_label_pk_is_frozen():
    with pytest.raises(AttributeError):
        LABEL_PK.clearance = Q_(40, "mL/h")  # type: ignore[misc]


# ---------------------------------------------------------------- half-life, steady state


def test_half_life_defaults_are_label_values():
    assert_quantity_close(half_life(), Q_(math.log(2) * 75 / 30, "h"))
    assert half_life().units == ureg.hour


def test_half_life_of_label_mean_patient_lies_in_label_range():
    # lionova 5.2: t½ 1–5 h
    assert Q_(1, "h") <= half_life() <= Q_(5, "h")


def test_half_life_accepts_strings_in_other_units():
    assert_quantity_close(half_life("0.075 L", "0.5 mL/min"), half_life())


def test_half_life_vectorised():
    hl = half_life(Q_([30.0, 60.0], "mL"), "30 mL/h")
    np.testing.assert_allclose(hl.to("h").magnitude, [math.log(2), 2 * math.log(2)])


@pytest.mark.parametrize("bad", [0, 50, "0 mL", "-5 mL", "50 mg"])
def test_half_life_refuses_bad_volume(bad):
    with pytest.raises(ITBError):
        half_life(bad)


def test_half_life_bare_number_is_unit_error():
    with pytest.raises(UnitError):
        half_life(75)


def test_steady_state_500_ug_day_at_label_clearance():
    # 500 µg/day = 20.83 µg/h; ÷ 30 mL/h = 0.694 µg/mL
    assert_quantity_close(steady_state_concentration("500 ug/day"), Q_(500 / 24 / 30 * 1000, "ng/mL"))


def test_steady_state_at_label_doses_has_label_order_of_magnitude():
    # lionova 5.2: 50–1200 µg/day → 130–1240 ng/mL lumbar; a well-mixed model lands within a factor of 2.
    low = steady_state_concentration("50 ug/day")
    high = steady_state_concentration("1200 ug/day")
    assert Q_(130, "ng/mL") / 2 <= low <= Q_(130, "ng/mL") * 2
    assert Q_(1240, "ng/mL") / 2 <= high <= Q_(1240, "ng/mL") * 2


def test_steady_state_refuses_negative_dose_and_wrong_unit():
    with pytest.raises(InputError):
        steady_state_concentration("-5 ug/day")
    with pytest.raises(UnitError):
        steady_state_concentration("500 ug")


def test_time_to_steady_state_half_is_one_half_life():
    assert_quantity_close(time_to_steady_state(0.5), half_life())


def test_time_to_steady_state_longest_label_patient_within_two_days():
    # V 157 mL with t½ at 5 h: 97 % of steady state within 5 half-lives = 25 h, inside lionova 5.2's 1–2 days.
    t = time_to_steady_state(1 - 2**-5, "157 mL", Q_(math.log(2) * 157 / 5, "mL/h"))
    assert_quantity_close(t, "25 h")


@pytest.mark.parametrize("bad", [0, 1, -0.1, 1.5, True, "0.5"])
def test_time_to_steady_state_refuses_bad_fraction(bad):
    with pytest.raises(InputError):
        time_to_steady_state(bad)


# ---------------------------------------------------------------- csf_concentration


def test_bolus_peak_is_dose_over_volume():
    c = csf_concentration("0 h", boluses=[("0 h", "50 ug")])
    assert_quantity_close(c, Q_(50 / 75 * 1000, "ng/mL"))


def test_bolus_halves_after_one_half_life():
    t_half = half_life()
    c = csf_concentration(Q_([0.0, t_half.magnitude], "h"), boluses=[("0 h", "100 ug")])
    assert c.magnitude[1] == pytest.approx(c.magnitude[0] / 2)


def test_nothing_before_the_bolus():
    c = csf_concentration(["1 h", "1.99 h", "2 h"], boluses=[("2 h", "50 ug")])
    assert c.magnitude[0] == 0 and c.magnitude[1] == 0 and c.magnitude[2] > 0


def test_times_accept_many_spellings():
    a = csf_concentration(["30 min", "1 h"], boluses=[("0 h", "50 mcg")])
    b = csf_concentration(Q_(np.array([0.5, 1.0]), "h"), boluses=[(Q_(0, "min"), "0.05 mg")])
    np.testing.assert_allclose(a.magnitude, b.to(a.units).magnitude)


def test_result_is_ng_per_ml_quantity_of_the_suite_registry():
    c = csf_concentration(["1 h"], boluses=[("0 h", "50 ug")])
    assert c.units == ureg("ng/mL").units
    assert c._REGISTRY is ureg


def test_infusion_matches_closed_form_during_and_after():
    k = 30 / 75
    rate = 500 / 24
    t = np.array([0.0, 6.0, 24.0, 30.0])
    c = csf_concentration(Q_(t, "h"), infusions=[("0 h", "24 h", "500 ug/day")]).magnitude
    during = rate / 30 * (1 - np.exp(-k * t[:3])) * 1000
    after = rate / 30 * (1 - np.exp(-k * 24)) * np.exp(-k * 6) * 1000
    assert c[:3] == pytest.approx(during)
    assert c[3] == pytest.approx(after)


def test_open_ended_infusion_reaches_steady_state():
    c = csf_concentration(["240 h"], infusions=[("0 h", None, "500 ug/day")])
    assert_quantity_close(c[0], steady_state_concentration("500 ug/day"), rtol=1e-9)


def test_24_h_of_infusion_is_almost_gone_24_h_later():
    # lionova 5.2: what is infused over 24 h is almost fully cleared in the same period.
    c = csf_concentration(["24 h", "48 h"], infusions=[("0 h", "24 h", "500 ug/day")]).magnitude
    assert c[1] < 0.001 * c[0]


def test_population_gives_patients_by_times():
    pop = virtual_population(7, seed=3)
    c = csf_concentration(
        Q_(np.linspace(0, 10, 11), "h"), boluses=[("0 h", "50 ug")], volume=pop.volume, clearance=pop.clearance
    )
    assert c.shape == (7, 11)


def test_explicit_column_of_patients_also_works():
    v = Q_(np.array([[50.0], [100.0]]), "mL")
    c = csf_concentration(Q_(np.array([0.0, 1.0, 2.0]), "h"), boluses=[("0 h", "50 ug")], volume=v)
    assert c.shape == (2, 3)
    assert c.magnitude[0, 0] == pytest.approx(1000.0)


def test_single_time_with_population_gives_one_value_per_patient():
    c = csf_concentration("0 h", boluses=[("0 h", "50 ug")], volume=Q_([50.0, 100.0], "mL"))
    assert c.magnitude.tolist() == pytest.approx([1000.0, 500.0])


def test_mismatched_patient_arrays_are_refused():
    with pytest.raises(InputError):
        csf_concentration(["0 h"], volume=Q_([50.0, 60.0], "mL"), clearance=Q_([30.0, 30.0, 30.0], "mL/h"))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"boluses": [("0 h", "-5 ug")]},
        {"boluses": [("0 h",)]},
        {"boluses": "0 h 50 ug"},
        {"infusions": [("2 h", "1 h", "500 ug/day")]},
        {"infusions": [("0 h", "1 h", "-1 ug/h")]},
        {"volume": "0 mL"},
        {"clearance": "-30 mL/h"},
    ],
)
def test_bad_dosing_input_is_refused(kwargs):
    with pytest.raises(InputError):
        csf_concentration(["1 h"], **kwargs)


def test_bare_number_dose_or_time_is_unit_error():
    with pytest.raises(UnitError):
        csf_concentration(["1 h"], boluses=[("0 h", 50)])
    with pytest.raises(UnitError):
        csf_concentration([1.0, 2.0], boluses=[("0 h", "50 ug")])


def test_wrong_dimension_of_rate_is_unit_error():
    with pytest.raises(UnitError):
        csf_concentration(["1 h"], infusions=[("0 h", "1 h", "500 ug")])


# ---------------------------------------------------------------- properties

doses = st.floats(min_value=0.0, max_value=3000.0, allow_nan=False)
times_h = st.lists(st.floats(min_value=-5.0, max_value=100.0, allow_nan=False), min_size=1, max_size=20)
volumes = st.floats(min_value=22.0, max_value=157.0)
clearances = st.floats(min_value=5.0, max_value=100.0)
scales = st.floats(min_value=0.0, max_value=25.0, allow_nan=False)  # dose × scale within the library's 80 mg


@settings(max_examples=150, deadline=None)
@given(
    times=times_h,
    dose=doses,
    t0=st.floats(0, 50),
    rate=doses,
    start=st.floats(0, 50),
    length=st.floats(0, 50),
    scale=scales,
    v=volumes,
    cl=clearances,
)
def test_concentration_scales_linearly_with_dose(times, dose, t0, rate, start, length, scale, v, cl):
    t = Q_(np.array(times), "h")
    kw = dict(volume=Q_(v, "mL"), clearance=Q_(cl, "mL/h"))
    one = csf_concentration(
        t, [(Q_(t0, "h"), Q_(dose, "ug"))], [(Q_(start, "h"), Q_(start + length, "h"), Q_(rate, "ug/day"))], **kw
    )
    scaled = csf_concentration(
        t,
        [(Q_(t0, "h"), Q_(dose * scale, "ug"))],
        [(Q_(start, "h"), Q_(start + length, "h"), Q_(rate * scale, "ug/day"))],
        **kw,
    )
    np.testing.assert_allclose(scaled.magnitude, scale * one.magnitude, rtol=1e-9, atol=1e-9)


@settings(max_examples=150, deadline=None)
@given(
    times=times_h, d1=doses, d2=doses, t1=st.floats(0, 50), t2=st.floats(0, 50), rate=doses, v=volumes, cl=clearances
)
def test_superposition_of_doses(times, d1, d2, t1, t2, rate, v, cl):
    t = Q_(np.array(times), "h")
    kw = dict(volume=Q_(v, "mL"), clearance=Q_(cl, "mL/h"))
    b1, b2 = (Q_(t1, "h"), Q_(d1, "ug")), (Q_(t2, "h"), Q_(d2, "ug"))
    inf = (Q_(t1, "h"), Q_(t1 + 12, "h"), Q_(rate, "ug/day"))
    together = csf_concentration(t, [b1, b2], [inf], **kw).magnitude
    apart = (
        csf_concentration(t, [b1], **kw).magnitude
        + csf_concentration(t, [b2], **kw).magnitude
        + csf_concentration(t, infusions=[inf], **kw).magnitude
    )
    np.testing.assert_allclose(together, apart, rtol=1e-9, atol=1e-9)


@settings(max_examples=150, deadline=None)
@given(
    times=times_h,
    dose=doses,
    rate=doses,
    start=st.floats(-10, 50),
    end=st.one_of(st.none(), st.floats(50, 200)),
    v=volumes,
    cl=clearances,
)
def test_concentration_is_never_negative(times, dose, rate, start, end, v, cl):
    c = csf_concentration(
        Q_(np.array(times), "h"),
        [(Q_(start, "h"), Q_(dose, "ug"))],
        [(Q_(start, "h"), None if end is None else Q_(end, "h"), Q_(rate, "ug/day"))],
        volume=Q_(v, "mL"),
        clearance=Q_(cl, "mL/h"),
    )
    assert np.all(c.magnitude >= 0)
    assert np.all(np.isfinite(c.magnitude))


@settings(max_examples=100, deadline=None)
@given(n=st.integers(1, 12), seed=st.integers(0, 2**31), dose=doses, rate=doses)
def test_vectorised_population_equals_per_patient_loop(n, seed, dose, rate):
    pop = virtual_population(n, seed=seed)
    t = Q_(np.linspace(0, 48, 25), "h")
    boluses = [("0 h", Q_(dose, "ug")), ("12 h", Q_(dose / 2, "ug"))]
    infusions = [("1 h", "30 h", Q_(rate, "ug/day"))]
    together = pop.concentrations(t, boluses, infusions).magnitude
    for i in range(n):
        alone = csf_concentration(t, boluses, infusions, volume=pop.volume[i], clearance=pop.clearance[i]).magnitude
        np.testing.assert_allclose(together[i], alone, rtol=1e-12, atol=1e-12)


@settings(max_examples=100, deadline=None)
@given(rate=st.floats(1.0, 2000.0), v=volumes, cl=clearances)
def test_long_infusion_approaches_steady_state_from_below(rate, v, cl):
    kw = dict(volume=Q_(v, "mL"), clearance=Q_(cl, "mL/h"))
    t = Q_(np.array([1.0, 5.0, 20.0, 5000.0]), "h")
    c = csf_concentration(t, infusions=[("0 h", None, Q_(rate, "ug/day"))], **kw).magnitude
    css = steady_state_concentration(Q_(rate, "ug/day"), Q_(cl, "mL/h")).magnitude
    assert np.all(np.diff(c) >= 0)
    assert np.all(c <= css * (1 + 1e-12))
    assert c[-1] == pytest.approx(css, rel=1e-9)


@settings(max_examples=100, deadline=None)
@given(dose=st.floats(1.0, 500.0), v=volumes, cl=clearances)
def test_bolus_exposure_equals_dose_over_clearance(dose, v, cl):
    # Area under the curve of a bolus is D / CL in any one-compartment model.
    hl = math.log(2) * v / cl
    t = np.linspace(0, 40 * hl, 40001)
    c = csf_concentration(Q_(t, "h"), [("0 h", Q_(dose, "ug"))], volume=Q_(v, "mL"), clearance=Q_(cl, "mL/h"))
    auc = np.trapezoid(c.magnitude, t) if hasattr(np, "trapezoid") else np.trapz(c.magnitude, t)
    assert auc == pytest.approx(dose / cl * 1000, rel=1e-3)


# ---------------------------------------------------------------- virtual population


def test_population_is_deterministic_for_a_seed():
    a, b = virtual_population(200, seed=42), virtual_population(200, seed=42)
    np.testing.assert_array_equal(a.volume.magnitude, b.volume.magnitude)
    np.testing.assert_array_equal(a.clearance.magnitude, b.clearance.magnitude)
    c = virtual_population(200, seed=43)
    assert not np.array_equal(a.volume.magnitude, c.volume.magnitude)


def test_population_stays_in_label_ranges_and_near_label_means():
    pop = virtual_population(20000, seed=0)
    v = pop.volume.to("mL").magnitude
    hl = pop.half_life.to("h").magnitude
    # lionova 5.2: V 22–157 mL, mean about 75 mL; t½ 1–5 h; CL about 30 mL/h.
    assert v.min() >= 22 and v.max() <= 157
    assert hl.min() >= 1 - 1e-12 and hl.max() <= 5 + 1e-12
    assert 70 <= v.mean() <= 80
    assert 24 <= np.median(pop.clearance.to("mL/h").magnitude) <= 36
    assert v.std() > 10  # variability is the lesson


def test_population_clearance_is_ln2_v_over_half_life():
    pop = virtual_population(50, seed=5)
    expected = (math.log(2) * pop.volume / pop.clearance).to("h").magnitude
    np.testing.assert_allclose(pop.half_life.to("h").magnitude, expected)


@pytest.mark.parametrize("n", [0, -1, 1.5, True, "10"])
def test_population_refuses_bad_n(n):
    with pytest.raises(InputError):
        virtual_population(n)


def test_population_refuses_mean_outside_range():
    with pytest.raises(InputError):
        virtual_population(10, volume_mean="200 mL")


def test_population_by_hand_checks_lengths():
    with pytest.raises(InputError):
        Population(Q_([50.0, 60.0], "mL"), Q_([30.0], "mL/h"))
    p = Population(Q_([50.0, 60.0], "mL"), Q_([30.0, 25.0], "mL/h"))
    assert len(p) == 2 and p.seed is None


def test_percentile_band_brackets_population():
    pop = virtual_population(500, seed=2)
    c = pop.concentrations(Q_(np.linspace(0, 12, 13), "h"), boluses=[("0 h", "50 ug")])
    low, high = percentile_band(c, (5, 95))
    median = np.median(c.magnitude, axis=0)
    assert low.shape == (13,) and high.shape == (13,)
    assert np.all(low.magnitude <= median) and np.all(median <= high.magnitude)
    assert low.units == c.units


@pytest.mark.parametrize("bad", [(95, 5), (-1, 50), (5, 101), ("a", "b")])
def test_percentile_band_refuses_bad_percentiles(bad):
    with pytest.raises(InputError):
        percentile_band(Q_(np.ones((3, 2)), "ng/mL"), bad)


# ---------------------------------------------------------------- lumbar to cisternal


def test_lumbar_to_cisternal_default_is_label_mean_4_to_1():
    assert_quantity_close(lumbar_to_cisternal("800 ng/mL"), "200 ng/mL")


@pytest.mark.parametrize("ratio", [1.8, 8.7, 4])
def test_lumbar_to_cisternal_accepts_label_range_ends(ratio):
    assert_quantity_close(lumbar_to_cisternal("870 ng/mL", ratio), Q_(870 / ratio, "ng/mL"))


@pytest.mark.parametrize("ratio", [1.79, 8.71, 0, -4, float("nan"), float("inf")])
def test_lumbar_to_cisternal_refuses_outside_label_range(ratio):
    with pytest.raises(InputError, match="1.8 to 8.7"):
        lumbar_to_cisternal("800 ng/mL", ratio)


def test_lumbar_to_cisternal_refuses_non_numbers_and_bare_concentrations():
    with pytest.raises(InputError):
        lumbar_to_cisternal("800 ng/mL", "4")
    with pytest.raises(UnitError):
        lumbar_to_cisternal(800)


def test_lumbar_to_cisternal_works_on_arrays():
    out = lumbar_to_cisternal(Q_(np.array([400.0, 800.0]), "ug/L"))
    assert out.magnitude.tolist() == pytest.approx([100.0, 200.0])
