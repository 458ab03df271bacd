"""The unit layer: one registry, every clinician spelling, bare numbers refused."""

import math

import numpy as np
import pint
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itbcore import Q_, ureg
from itbcore.errors import InputError, ITBError, UnitError
from itbcore.testing import assert_quantity_close, quantity_close, typed
from itbcore.units import as_array_quantity, as_quantity, display_unit, fmt, magnitude_in


@pytest.mark.parametrize(
    "text",
    ["50 ug", "50 mcg", "50 µg", "50 μg", "50 microgram", "50 micrograms", "0.05 mg", "0,05 mg", " 50ug "],
)
def test_every_microgram_spelling_reads_as_50_ug(text):
    q = as_quantity(text, "ug", "test dose")
    assert q.magnitude == pytest.approx(50)
    assert q.units == ureg.microgram


def test_micro_sign_and_greek_mu_are_both_accepted():
    # U+00B5 MICRO SIGN and U+03BC GREEK SMALL LETTER MU look alike and both occur in clinical text
    assert "\u00b5" != "\u03bc"
    assert as_quantity("25 \u00b5g", "ug") == as_quantity("25 \u03bcg", "ug")


@pytest.mark.parametrize(
    "text, unit, expected",
    [
        ("12 h", "h", 12),
        ("90 min", "h", 1.5),
        ("2 day", "h", 48),
        ("2 mg/mL", "ug/mL", 2000),
        ("500 ug/day", "ug/day", 500),
        ("0.5 mg/day", "ug/day", 500),
        ("20 mL", "mL", 20),
        ("0.5 mL", "uL", 500),
        ("1 mL/day", "mL/h", 1 / 24),
        ("30 mL/h", "mL/h", 30),
    ],
)
def test_units_and_their_ratios_convert(text, unit, expected):
    assert as_quantity(text, unit).magnitude == pytest.approx(expected)


@pytest.mark.parametrize("bare", [50, 50.0, "50", "  50 ", np.float64(50)])
def test_bare_number_is_refused_with_the_expected_unit_named(bare):
    with pytest.raises(UnitError, match="has no unit; give it in µg"):
        as_quantity(bare, "ug", "test dose")


@pytest.mark.parametrize("bad", ["", "   ", None])
def test_empty_input_is_refused(bad):
    with pytest.raises(InputError):
        as_quantity(bad, "mL", "volume")


@pytest.mark.parametrize("bad", ["nan ug", "inf ug", "-inf ug"])
def test_non_finite_input_is_refused(bad):
    with pytest.raises(InputError, match="finite"):
        as_quantity(bad, "ug")


def test_wrong_dimension_is_refused_naming_the_expected_unit():
    with pytest.raises(UnitError, match="is a volume, not a mass; give it in µg"):
        as_quantity("50 mL", "ug", "test dose")


def test_unreadable_text_is_refused():
    with pytest.raises(UnitError, match="could not be read"):
        as_quantity("fifty micrograms please", "ug")


def test_quantity_from_another_registry_is_taken_into_ours():
    other = pint.UnitRegistry()
    q = as_quantity(other.Quantity(2, "mg"), "ug")
    assert q._REGISTRY is ureg
    assert q.magnitude == pytest.approx(2000)


def test_every_refusal_is_an_itb_error_and_a_value_error():
    for bad in (50, "", "abc", "50 mL"):
        with pytest.raises(ITBError) as info:
            as_quantity(bad, "ug")
        assert isinstance(info.value, ValueError)


def test_arrays_only_where_asked():
    with pytest.raises(InputError, match="single value"):
        as_quantity(Q_(np.array([1.0, 2.0]), "h"), "h")
    assert as_array_quantity(Q_(np.array([1.0, 2.0]), "h"), "min").magnitude.tolist() == [60, 120]
    assert as_array_quantity(["1 h", "30 min"], "h").magnitude.tolist() == [1, 0.5]


def test_display_units_are_what_a_clinician_writes():
    assert display_unit("ug/day") == "µg/day"
    assert display_unit("mg/mL") == "mg/mL"
    assert display_unit("ng/mL") == "ng/mL"
    assert fmt(Q_(0.30000000000000004, "mL")) == "0.3 mL"
    assert fmt(Q_(2, "mg/mL"), "ug/mL") == "2000 µg/mL"


def test_unit_aware_assertions_convert_before_comparing():
    assert_quantity_close("0.5 mL", "500 uL")
    assert_quantity_close("0.1 mg/day", "100 ug/day")
    assert not quantity_close("1 mg", "1 ug")
    with pytest.raises(AssertionError):
        assert_quantity_close("1 mg", "1 ug")


doses = st.floats(min_value=1e-6, max_value=1e6, allow_nan=False, allow_infinity=False)


@settings(max_examples=200)
@given(doses, st.sampled_from(["ug", "mcg", "µg", "μg", "microgram"]))
def test_dose_round_trips_through_every_spelling_and_mg(value, spelling):
    q = as_quantity(f"{typed(value)} {spelling}", "ug")
    assert q.magnitude == pytest.approx(value, rel=1e-12)
    back = as_quantity(f"{typed(q.to('mg').magnitude)} mg", "ug")
    assert back.magnitude == pytest.approx(value, rel=1e-9)


@settings(max_examples=200)
@given(doses)
def test_volume_round_trips_between_ml_and_ul(value):
    ml = as_quantity(f"{typed(value)} mL", "mL")
    ul = as_quantity(ml.to("uL"), "uL")
    assert magnitude_in(ul, "mL") == pytest.approx(value, rel=1e-12)


@settings(max_examples=300)
@given(st.text(max_size=20))
def test_arbitrary_text_gives_a_quantity_or_an_itb_error(text):
    try:
        q = as_quantity(text, "ug")
    except ITBError:
        return
    assert q.units == ureg.microgram and math.isfinite(q.magnitude)
