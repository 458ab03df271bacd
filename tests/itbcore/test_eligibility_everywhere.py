"""Eligibility everywhere: every public function of the core that answers a question about a patient refuses a
patient the label does not cover (under 4 years) the same way, with titration_plan's ``EligibilityError``.

For training only, not for treating patients.

The functions are found by introspection (every name in each core module's ``__all__`` whose signature has a
``patient`` parameter), so a new function cannot forget the rule: it either refuses a 3-year-old in the words
of :meth:`itbcore.Patient.require_eligible` under each label it takes, or stands on :data:`EXEMPT` with a
reason.  lionova 4.2: "Sikkerhet og effekt av baklofen ... hos barn under 4 år har ikke blitt fastslått";
lioresal Contraindications: "Childhood <4 years".
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import itbcore
from itbcore import overdose, screening
from itbcore.errors import EligibilityError
from itbcore.patient import Patient

LABELS = ("lionova", "lioresal")
TODDLER = Patient(3, "cerebral", weight="14 kg")

#: Functions that take a patient and do not refuse a 3-year-old, each with the reason.
EXEMPT: dict[str, str] = {
    "patient.as_patient": "a type check: it answers nothing about the patient",
    "overdose.physostigmine": "the treatment of an overdose that has already happened, not ITB planning: the "
    "lioresal Overdose section doses children by weight (0.02 mg/kg, at most 2 mg) "
    "and names no lower age",
}

#: A valid value for each required parameter other than the patient, by parameter name.
SAMPLES: dict[str, Any] = {
    "daily_dose": "100 ug/day",
    "current": "100 ug/day",
    "proposed": "110 ug/day",
    "since_start": "3 day",
    "since_last_change": "30 h",
    "start_dose": "100 ug/day",
    "target_dose": "120 ug/day",
    "doses_given": ["25 ug"],
    "responded": False,
}


def _functions() -> list[tuple[str, Callable[..., Any]]]:
    out = []
    for info in pkgutil.iter_modules(itbcore.__path__):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"itbcore.{info.name}")
        for name in getattr(mod, "__all__", ()):
            fn = getattr(mod, name)
            home = fn.__module__ if inspect.isfunction(fn) else ""
            if home != mod.__name__ and not home.startswith(mod.__name__ + "."):  # a module split by job
                continue
            if "patient" in inspect.signature(fn).parameters:
                out.append((f"{info.name}.{name}", fn))
    return sorted(out)


FUNCTIONS = _functions()
CHECKED = [(n, f) for n, f in FUNCTIONS if n not in EXEMPT]


def _words(label: str) -> str:
    with pytest.raises(EligibilityError) as exc:
        TODDLER.require_eligible(label)
    return str(exc.value)


def test_the_introspection_finds_the_functions_known_to_take_a_patient():
    names = {n for n, _ in FUNCTIONS}
    assert {
        "titration.titration_plan",
        "titration.check_change",
        "titration.increase_band",
        "titration.increase_limits",
        "titration.observed_range",
        "maintenance.maintenance_range",
        "maintenance.dose_range_findings",
        "screening.next_step",
        "screening.initial_test_dose",
        "screening.screening_ladder",
        "screening.before_first_fill",
        *EXEMPT,
    } <= names


def test_every_exemption_names_a_function_that_takes_a_patient():
    assert set(EXEMPT) <= {n for n, _ in FUNCTIONS}


@pytest.mark.parametrize("label", LABELS)
@pytest.mark.parametrize(("name", "fn"), CHECKED, ids=[n for n, _ in CHECKED])
def test_every_function_about_a_patient_refuses_a_3_year_old_in_titration_plans_words(name, fn, label):
    params = inspect.signature(fn).parameters
    kwargs: dict[str, Any] = {"patient": TODDLER}
    for p in params.values():
        if p.name == "patient" or p.default is not inspect.Parameter.empty:
            continue
        assert p.name in SAMPLES, f"{name}: add a valid sample for its required parameter {p.name!r} to SAMPLES"
        kwargs[p.name] = SAMPLES[p.name]
    if "label" in params:
        kwargs["label"] = label
    elif label != "lionova":
        pytest.skip(f"{name} takes no label")
    with pytest.raises(EligibilityError) as exc:
        fn(**kwargs)
    assert str(exc.value) == _words(label), name


@pytest.mark.parametrize("label", LABELS)
def test_titration_plan_sets_the_words_the_others_follow(label):
    with pytest.raises(EligibilityError, match="under 4"):
        itbcore.titration.titration_plan(TODDLER, "100 ug/day", "120 ug/day", label=label)


@pytest.mark.parametrize("label", LABELS)
def test_before_first_fill_refuses_a_3_year_old_instead_of_giving_a_first_fill_checklist(label):
    # lionova 4.2: safety and efficacy are not established under 4 years; lioresal Contraindications:
    # "Childhood <4 years".  The checklist had no item for age at all: a 3-year-old got one silently.
    with pytest.raises(EligibilityError, match="under 4"):
        screening.before_first_fill(TODDLER, label=label)


@pytest.mark.parametrize("label", LABELS)
def test_screening_warnings_refuse_a_3_year_old_like_every_planning_answer(label):
    # The screening warnings answer a question about a patient the labels do not cover: refused in the same
    # words as titration_plan, not a list with an 'under_4' violation among the cautions.
    with pytest.raises(EligibilityError, match="under 4"):
        screening.screening_warnings(TODDLER, label)


def test_physostigmine_doses_a_3_year_old_by_weight_as_the_lioresal_overdose_section_doses_children():
    # lioresal Overdose: "In children, an attempt of intravenous injection of physostigmine at a dose of
    # 0.02 mg / kg at a speed of no more than 0.5 mg per minute is possible" -- no lower age.
    r = overdose.physostigmine(TODDLER)
    assert r.population == "pediatric"
    assert r.dose.to("mg").magnitude == pytest.approx(0.28)
    assert r.max_total.to("mg").magnitude == pytest.approx(2.0)
    assert "under 4" in (overdose.physostigmine.__doc__ or "")


def test_no_exercise_draws_a_patient_the_label_does_not_cover():
    from exercises.cases import load_library

    lib = load_library()
    assert any(p.age_years < 4 for p in lib.patients.values())  # the library keeps one for eligibility questions
    assert all(p.age_years >= 4 for p in lib.find_patients())
    root = Path(__file__).resolve().parents[2] / "exercises"
    offenders = [str(f) for f in root.rglob("*.py") if "eligible=False" in f.read_text(encoding="utf-8")]
    assert not offenders, offenders
