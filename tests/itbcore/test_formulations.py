"""Tests of itbcore.formulations: marketed strengths (lionova 2, 6.5), diluent (lionova 6.2, 6.6), fills."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itbcore.errors import DiluentError, DoseLimitError, InputError, ITBError, UnitError
from itbcore.formulations import (
    DILUENT,
    DILUENT_NACL_PER_ML,
    FORMULATIONS,
    PUMP_FORMULATIONS,
    SCREENING_FORMULATION,
    ampoules_for_fill,
    check_diluent,
    formulation_for,
    is_marketed,
)
from itbcore.testing import assert_quantity_close
from itbcore.units import Q_


# --- lionova 2 / 6.5; lioresal Composition, Packaging: the ampoule table ---------------------------------
@pytest.mark.parametrize(
    "key, conc, ampoule, amount, sodium_mg, sodium_mmol, use",
    [
        ("50 ug/mL", "50 ug/mL", "1 mL", "50 ug", "3.54 mg", "0.15 mmol", "screening bolus"),
        ("500 ug/mL", "0.5 mg/mL", "20 mL", "10 mg", "70.81 mg", "3.08 mmol", "pump"),
        ("2000 ug/mL", "2 mg/mL", "5 mL", "10 mg", "17.70 mg", "0.77 mmol", "pump"),
    ],
)
def test_ampoule_table_lionova_2(key, conc, ampoule, amount, sodium_mg, sodium_mmol, use):
    f = FORMULATIONS[key]
    assert_quantity_close(f.concentration, conc)
    assert_quantity_close(f.ampoule_volume, ampoule)
    assert_quantity_close(f.amount_per_ampoule, amount)
    assert_quantity_close(f.sodium_per_ampoule, sodium_mg)
    assert_quantity_close(f.sodium_mmol_per_ampoule, sodium_mmol)
    assert f.use == use
    assert "lionova 2" in f.source and "lioresal Composition" in f.source
    # the amount per ampoule is concentration × volume (lionova 2)
    assert_quantity_close(f.concentration * f.ampoule_volume, amount)
    assert formulation_for(conc) is f


def test_ampoule_sodium_matches_nine_mg_nacl_per_ml_lionova_4_4():
    # lionova 4.4: 180 mg NaCl per 20 mL and 45 mg per 5 mL = 9 mg/mL; lioresal Composition: 9 mg per 1 mL.
    assert_quantity_close(DILUENT_NACL_PER_ML, "9 mg/mL")
    for f in FORMULATIONS.values():
        nacl_mmol = (DILUENT_NACL_PER_ML * f.ampoule_volume).to("mg").magnitude / 58.44
        assert math.isclose(nacl_mmol, f.sodium_mmol_per_ampoule.magnitude, abs_tol=0.006)
        assert math.isclose(nacl_mmol * 22.99, f.sodium_per_ampoule.to("mg").magnitude, abs_tol=0.01)


def test_pump_and_screening_strengths_lionova_4_2():
    assert [f.key for f in PUMP_FORMULATIONS] == ["500 ug/mL", "2000 ug/mL"]
    assert SCREENING_FORMULATION.key == "50 ug/mL"


def test_formulation_for_refuses_unmarketed_strength():
    with pytest.raises(InputError, match="lionova 6.6"):
        formulation_for("1 mg/mL")
    with pytest.raises(UnitError):
        formulation_for("500 ug")
    assert is_marketed("0.05 mg/mL") and not is_marketed("250 ug/mL")


# --- diluent: sodium chloride 9 mg/mL (0.9 %) only (lionova 4.2, 6.6); glucose incompatible (lionova 6.2)
NACL_SPELLINGS = [
    "sodium chloride 0.9%",
    "Sodium chloride 0.9 %",
    "NaCl 0.9%",
    "nacl 0,9 %",
    "0.9% sodium chloride",
    "0.9 % NaCl",
    "sodium chloride 9 mg/mL",
    "Sodium Chloride 9 mg/ml (0.9 %)",
    "normal saline",
    "Normal Saline",
    "0.9% saline",
    "sodium chloride 0.9% injection",
    "  NaCl   0.9%  ",
]


@pytest.mark.parametrize("spelling", NACL_SPELLINGS)
def test_nacl_spellings_accepted(spelling):
    assert check_diluent(spelling) == DILUENT


@pytest.mark.parametrize(
    "text", ["glucose 5%", "Dextrose 5%", "D5W", "sodium chloride 0.9% with glucose 5%", "glucose-saline"]
)
def test_glucose_refused_lionova_6_2(text):
    with pytest.raises(DiluentError, match=r"incompatible.*lionova 6\.2"):
        check_diluent(text)


@pytest.mark.parametrize(
    "text",
    [
        "water for injection",
        "sodium chloride",
        "sodium chloride 0.45%",
        "NaCl 3%",
        "saline",
        "sodium chloride 10.9%",
        "Ringer's lactate",
        "sodium chloride 0.9",
        "sodium chloride 19 mg/mL",
        "",
        "0.9%",
        "NaCl 0.9% + morphine",
        None,
        9,
    ],
)
def test_other_diluents_refused_lionova_6_6(text):
    with pytest.raises(DiluentError, match="lionova 6.6"):
        check_diluent(text)


_SPELLING = re.compile(r"saline|chlor|nacl|0[.,]9|9 ?mg|klor", re.I)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_property_arbitrary_text_is_not_a_diluent(text):
    # Anything that does not even mention sodium chloride / saline and 0.9 % or 9 mg is refused.
    if _SPELLING.search(text):
        return
    with pytest.raises(DiluentError):
        check_diluent(text)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(NACL_SPELLINGS), st.text(alphabet="abcxyz+/-5", min_size=1, max_size=8))
def test_property_spelling_with_anything_appended_is_refused(spelling, junk):
    # "NaCl 0.9% + x" is a mixture, not the allowed diluent (lionova 6.2: never mix with other solutions).
    with pytest.raises(DiluentError):
        check_diluent(f"{spelling} {junk}")


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(NACL_SPELLINGS), st.lists(st.booleans(), min_size=40, max_size=40))
def test_property_case_does_not_matter(spelling, flips):
    flags = flips + [False] * len(spelling)
    text = "".join(c.upper() if f else c.lower() for c, f in zip(spelling, flags, strict=False))
    assert check_diluent(text) == DILUENT


# --- fills -----------------------------------------------------------------------------------------------
def test_undiluted_500_fill_one_ampoule():
    fill = ampoules_for_fill("500 ug/mL", "20 mL")
    assert fill.stock.key == "500 ug/mL" and fill.ampoules == 1
    assert_quantity_close(fill.baclofen_amount, "10 mg")
    assert_quantity_close(fill.diluent_volume, "0 mL", atol="1e-12 mL")
    assert_quantity_close(fill.sodium, "70.81 mg")  # lionova 2
    assert_quantity_close(fill.sodium_mmol, "3.08 mmol")
    assert fill.diluent is None
    codes = [f.code for f in fill.findings]
    assert "single_use" in codes and "no_mixing" in codes and "diluted_within_24h" not in codes


def test_diluted_fill_needs_24h_finding_baclorex_5():
    fill = ampoules_for_fill("1000 ug/mL", "20 mL")
    assert fill.stock.key == "2000 ug/mL"
    assert fill.ampoules == 2
    assert_quantity_close(fill.stock_volume, "10 mL")
    assert_quantity_close(fill.diluent_volume, "10 mL")
    assert_quantity_close(fill.discarded_volume, "0 mL", atol="1e-9 mL")
    by_code = {f.code: f for f in fill.findings}
    assert by_code["diluted_within_24h"].source == "baclorex 5"
    assert "24 h" in by_code["diluted_within_24h"].message
    assert by_code["no_mixing"].source == "lionova 6.2" and "glucose" in by_code["no_mixing"].message
    assert "lionova 6.6" in by_code["diluent"].source
    assert fill.diluent == DILUENT
    # sodium: 10 mL of 2000 µg/mL is two 5 mL ampoules (2 × 17.70 mg, lionova 2) plus 10 mL of 9 mg/mL NaCl
    assert_quantity_close(fill.sodium, Q_(2 * 17.70 + 10 * 9 * 22.99 / 58.44, "mg"), rtol=1e-6)


def test_partial_ampoule_is_discarded_single_use_lionova_6_3():
    fill = ampoules_for_fill("300 ug/mL", "20 mL")
    assert fill.stock.key == "500 ug/mL"
    assert fill.ampoules == 1
    assert_quantity_close(fill.stock_volume, "12 mL")
    assert_quantity_close(fill.discarded_volume, "8 mL")
    fill = ampoules_for_fill("2 mg/mL", "12 mL")
    assert fill.ampoules == 3  # 12 mL from 5 mL ampoules
    assert_quantity_close(fill.discarded_volume, "3 mL")
    assert any("lionova 6.3" in f.source for f in fill.findings)


def test_fifty_strength_refused_for_pump_fill_lionova_4_2():
    with pytest.raises(DoseLimitError, match="lionova 4.2"):
        ampoules_for_fill("50 ug/mL", "20 mL", stock="50 ug/mL")


def test_low_target_is_made_from_500():
    fill = ampoules_for_fill("50 ug/mL", "20 mL")
    assert fill.stock.key == "500 ug/mL"
    assert_quantity_close(fill.stock_volume, "2 mL")


def test_target_above_stock_refused():
    with pytest.raises(DoseLimitError):
        ampoules_for_fill("1000 ug/mL", "20 mL", stock="500 ug/mL")
    with pytest.raises(DoseLimitError):
        ampoules_for_fill("3 mg/mL", "20 mL")
    with pytest.raises(DoseLimitError):
        ampoules_for_fill("0 ug/mL", "20 mL")
    with pytest.raises(DoseLimitError):
        ampoules_for_fill("500 ug/mL", "-1 mL")
    with pytest.raises(UnitError):
        ampoules_for_fill(500, "20 mL")


@settings(max_examples=200, deadline=None)
@given(
    st.floats(min_value=1, max_value=2000, allow_nan=False),
    st.floats(min_value=0.5, max_value=40, allow_nan=False),
)
def test_property_fill_conserves_volume_and_drug(target, volume):
    fill = ampoules_for_fill(Q_(target, "ug/mL"), Q_(volume, "mL"))
    assert_quantity_close(fill.stock_volume + fill.diluent_volume, Q_(volume, "mL"), rtol=1e-9)
    assert_quantity_close(fill.stock_volume * fill.stock.concentration, fill.baclofen_amount, rtol=1e-9)
    assert fill.diluent_volume.magnitude >= -1e-12
    # enough whole ampoules, and not one too many
    capacity = fill.ampoules * fill.stock.ampoule_volume
    assert capacity >= fill.stock_volume * (1 - 1e-9)
    assert (fill.ampoules - 1) * fill.stock.ampoule_volume < fill.stock_volume
    assert_quantity_close(fill.discarded_volume, capacity - fill.stock_volume, atol="1e-9 mL")
    # the stock is the lowest pump strength at or above the target
    assert fill.stock.key == ("500 ug/mL" if target <= 500 else "2000 ug/mL")
    # sodium ≈ 3.54 mg per mL of fill whatever the mix (everything is 9 mg NaCl/mL)
    assert math.isclose(fill.sodium.to("mg").magnitude / volume, 3.54, rel_tol=0.002)


def test_all_refusals_are_itb_errors():
    for bad in (
        lambda: ampoules_for_fill("x", "1 mL"),
        lambda: check_diluent("glucose"),
        lambda: formulation_for("7 ug/mL"),
    ):
        with pytest.raises(ITBError):
            bad()
