"""The public API contract (shared/reference/itbcore-api.md): every name exists and behaves as written.

Educators write their own notebooks against these names and outside acceptance checks call them,
so this file reads like the contract, section by section.
"""

import dataclasses
import inspect

import numpy as np
import pint
import pytest

import itbcore
from itbcore import Q_, ITBError, Patient, ureg
from itbcore.errors import DoseLimitError, EligibilityError, UnitError
from itbcore.testing import assert_quantity_close


def _params(func):
    return list(inspect.signature(func).parameters)


# -- conventions
def test_one_registry_and_its_quantity():
    assert isinstance(itbcore.ureg, pint.UnitRegistry)
    assert itbcore.Q_ is ureg.Quantity
    assert itbcore.screening.test_dose_volume("50 ug")._REGISTRY is ureg


@pytest.mark.parametrize("text", ["50 ug", "50 mcg", "50 µg", "50 μg", "0.05 mg"])
def test_quantity_arguments_accept_every_spelling(text):
    assert_quantity_close(itbcore.screening.test_dose_volume(text), "1 mL")


def test_bare_number_is_refused():
    with pytest.raises(UnitError):
        itbcore.screening.test_dose_volume(50)


def test_error_hierarchy():
    assert issubclass(ITBError, ValueError)
    for cls in (itbcore.UnitError, itbcore.DoseLimitError, itbcore.EligibilityError):
        assert issubclass(cls, ITBError)


# -- Patient
def test_patient():
    p = Patient(40, "spinal")
    assert p.population == "adult" and Patient(17, "cerebral").population == "pediatric"
    assert _params(Patient)[:3] == ["age_years", "origin", "weight"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.age_years = 3  # frozen
    with pytest.raises(EligibilityError):
        itbcore.screening.next_step(Patient(3, "spinal"), ["25 ug"], False)


# -- screening
def test_screening():
    s = itbcore.screening
    assert _params(s.test_dose_volume) == ["dose"]
    for bad in ("0 ug", "101 ug"):
        with pytest.raises(DoseLimitError):
            s.test_dose_volume(bad)
    assert _params(s.next_step)[:3] == ["patient", "doses_given", "responded"]
    step = s.next_step(Patient(40, "spinal"), ["50 ug"], responded=False)
    assert step.action == "escalate"
    assert_quantity_close(step.next_dose, "75 ug")
    assert_quantity_close(step.wait, "24 h")
    assert_quantity_close(step.monitor[0], "4 h") and assert_quantity_close(step.monitor[1], "8 h")
    assert isinstance(step.findings, (list, tuple))
    assert s.next_step(Patient(40, "spinal"), ["50 ug"], responded=True).action == "candidate"
    done = s.next_step(Patient(40, "spinal"), ["50 ug", "75 ug", "100 ug"], responded=False)
    assert done.action == "not_candidate" and done.next_dose is None


# -- titration
def test_titration():
    t = itbcore.titration
    assert_quantity_close(t.initial_daily_dose("50 ug", "13 h"), "50 ug/day")
    assert_quantity_close(t.initial_daily_dose("50 ug", "6 h"), "100 ug/day")
    assert t.increase_limits(Patient(40, "spinal")) == pytest.approx((0.10, 0.30))
    assert t.increase_limits(Patient(40, "cerebral")) == pytest.approx((0.05, 0.15))
    assert _params(t.check_change)[:8] == [
        "patient",
        "current",
        "proposed",
        "since_start",
        "since_last_change",
        "pump",
        "phase",
        "label",
    ]
    findings = t.check_change(Patient(40, "spinal"), "100 ug/day", "150 ug/day", "12 h", None)
    codes = {f.code for f in findings}
    assert all(f.severity in ("info", "warning", "violation") and f.source and f.message for f in findings)
    assert any(f.severity == "violation" for f in findings), codes


# -- pump
def test_pump():
    p = itbcore.pump
    assert_quantity_close(p.daily_volume("400 ug/day", "2 mg/mL"), "0.2 mL/day")
    plan = p.refill_plan("20 mL", "2 mg/mL", "400 ug/day", alarm_volume="2 mL")
    assert_quantity_close(plan.days_to_alarm, "90 day")
    assert_quantity_close(plan.days_to_empty, "100 day")
    d = p.dilution("2 mg/mL", "1 mg/mL", "20 mL")
    assert_quantity_close(d.stock_volume, "10 mL") and assert_quantity_close(d.diluent_volume, "10 mL")
    with pytest.raises(ITBError):
        p.dilution("2 mg/mL", "1 mg/mL", "20 mL", diluent="glucose 5%")
    with pytest.raises(ITBError):
        p.dilution("0.5 mg/mL", "1 mg/mL", "20 mL")


# -- pk
def test_pk():
    k = itbcore.pk
    assert_quantity_close(k.half_life(), Q_(np.log(2) * 75 / 30, "h"), rtol=1e-9)
    assert_quantity_close(k.steady_state_concentration("720 ug/day"), "1000 ng/mL", rtol=1e-9)
    c = k.csf_concentration(Q_(np.linspace(0, 24, 5), "h"), boluses=[("0 h", "75 ug")])
    assert c.units == ureg("ng/mL").units and c.shape == (5,)
    assert_quantity_close(c[0], "1000 ng/mL")
    v = Q_(np.full((3, 1), 75.0), "mL")
    cl = Q_(np.full((3, 1), 30.0), "mL/h")
    pop = k.csf_concentration(
        Q_(np.linspace(0, 24, 7)[None, :], "h"), infusions=[("0 h", "24 h", "30 ug/h")], volume=v, clearance=cl
    )
    assert pop.shape == (3, 7)


# -- overdose and withdrawal
def test_overdose():
    o = itbcore.overdose
    a = o.assess(["coma", "respiratory_depression"])
    assert a.severity == "severe"
    assert all(x.source for x in a.actions)
    assert {"admit", "empty_pump", "intubate"} <= {x.code for x in a.actions}
    assert o.assess([]).severity == "none"
    r = o.physostigmine(Patient(40, "spinal"))
    assert r.dose.units == ureg("mg").units
    child = o.physostigmine(Patient(8, "spinal"), weight="25 kg")
    assert_quantity_close(child.dose, "0.5 mg")
    assert_quantity_close(child.max_total, "2 mg")


def test_withdrawal():
    w = itbcore.withdrawal
    a = w.assess(["pruritus", "hypotension"])
    assert a.stage == "early"
    assert w.assess(["high_fever", "muscle_rigidity"]).stage == "advanced"
    assert {"autonomic_dysreflexia", "sepsis", "malignant_hyperthermia", "neuroleptic_malignant_syndrome"} <= set(
        w.assess(["high_fever"]).differentials
    )
    plan = w.taper("400 ug/day", days=21)
    assert plan[0][1] > plan[-1][1]
    with pytest.raises(ITBError):
        w.taper("400 ug/day", days=7)


def test_refusals_come_in_three_kinds_a_caller_can_tell_apart():
    # issue 14: clinical refusals, values that cannot be read, and files the suite reads that are wrong
    from exercises.cases import CaseFileError
    from itbcore.errors import (
        ClinicalRefusal,
        DiluentError,
        DoseLimitError,
        EligibilityError,
        FileProblem,
        InputError,
        ITBError,
        LabelError,
        LibraryError,
        UnitError,
    )

    for cls in (DoseLimitError, EligibilityError, DiluentError):
        assert issubclass(cls, ClinicalRefusal) and not issubclass(cls, InputError)
    for cls in (UnitError, LabelError):
        assert issubclass(cls, InputError) and not issubclass(cls, ClinicalRefusal)
    for cls in (LibraryError, CaseFileError):
        assert issubclass(cls, FileProblem) and not issubclass(cls, (ClinicalRefusal, InputError))
    kinds = (ClinicalRefusal, InputError, FileProblem)
    assert all(issubclass(c, ITBError) and issubclass(c, ValueError) for c in kinds)
    e = DoseLimitError("too high", name="daily dose", value=4000.0, limit=3000.0, unit="ug/day", source="library")
    assert (e.name, e.value, e.limit, e.unit) == ("daily dose", 4000.0, 3000.0, "ug/day")
