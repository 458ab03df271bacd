"""The patient a rule is applied to.

>>> p = Patient(34, "spinal", weight="70 kg")
>>> p.population
'adult'
>>> Patient(9, "cerebral").population
'pediatric'
>>> Patient(3, "spinal").require_eligible()
Traceback (most recent call last):
...
itbcore.errors.EligibilityError: A patient aged 3 years is under 4: safety and efficacy of intrathecal baclofen are not
established under 4 years (lionova 4.2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import pint

from . import library
from .errors import EligibilityError, InputError
from .i18n import CORE, N_, gettext, localize_number, message
from .sources import DEFAULT_LABEL, check_label, cite
from .units import as_quantity

__all__ = ["Patient", "ORIGINS", "MEDICINES", "CONDITIONS", "as_patient"]

ORIGINS = ("spinal", "cerebral")

#: Medicine codes that screening and interactions know (lionova 4.4, 4.5; lioresal Interaction; baclorex 2).
MEDICINES: dict[str, str] = {
    "benzodiazepine": N_("benzodiazepine"),
    "opiate": N_("opiate / opioid"),
    "morphine": N_("morphine"),
    "oral_baclofen": N_("oral baclofen"),
    "other_muscle_relaxant": N_("other oral muscle relaxant"),
    "cns_depressant": N_("other CNS depressant (incl. alcohol)"),
    "tricyclic_antidepressant": N_("tricyclic antidepressant"),
    "antihypertensive": N_("antihypertensive"),
    "levodopa_carbidopa": N_("levodopa / carbidopa"),
    "general_anaesthetic": N_("general anaesthetic (e.g. fentanyl, propofol)"),
    # baclorex 2 ("Diğer ilaçlar ile birlikte kullanımı"): medicines the leaflet asks the patient to name.
    "kidney_affecting": N_("other medicine that also affects the kidneys (e.g. ibuprofen)"),
    "antiepileptic": N_("epilepsy medicine"),
    # lionova 4.5, lioresal Interaction, baclorex 2: no information on other intrathecal medicines.
    "other_intrathecal": N_("other intrathecally given medicine (any other injection into the spine)"),
}

#: Condition codes that screening and eligibility know (lionova 4.3, 4.4, 4.6; lioresal Contraindications).
CONDITIONS: dict[str, str] = {
    "cardiopulmonary_disease": N_("cardiopulmonary disease"),
    "respiratory_muscle_weakness": N_("respiratory muscle weakness"),
    "infection": N_("active infection"),
    "head_injury_under_1_year": N_("head injury less than 1 year ago"),
    "hypersensitivity": N_("hypersensitivity to baclofen"),
    "treatment_resistant_epilepsy": N_("treatment-resistant epilepsy"),
    "epilepsy": N_("epilepsy"),
    "impaired_csf_flow": N_("impaired CSF flow"),
    "bulbar_paresis": N_("bulbar / respiratory muscle paresis"),
    "confusion": N_("confusion"),
    "psychosis": N_("psychosis, schizophrenia or Parkinson's disease"),
    "autonomic_dysreflexia_history": N_("history of autonomic dysreflexia"),
    "cerebrovascular_insufficiency": N_("cerebrovascular or respiratory insufficiency"),
    "sphincter_hypertonia": N_("sphincter hypertonia"),
    "renal_impairment": N_("renal impairment"),
    "peptic_ulcer": N_("peptic ulcer"),
    "hepatic_impairment": N_("severe hepatic impairment"),
    "diabetes": N_("diabetes mellitus"),
    "pregnancy": N_("pregnancy"),
    "breast_feeding": N_("breast-feeding"),
    "planning_pregnancy": N_("a woman who may become pregnant or plans a pregnancy"),
    "drives": N_("drives or operates machines"),
    "scoliosis": N_("scoliosis"),
    "peg_tube": N_("PEG (percutaneous endoscopic gastrostomy) tube"),
}


def _codes(values: Any, known: dict[str, str], what: str) -> frozenset[str]:
    if isinstance(values, str):
        values = [values]
    out = frozenset(values or ())
    unknown = sorted(out - known.keys())
    if unknown:
        text = (
            N_("Unknown medicine code {code}; known codes: {codes}.")
            if what == "medicine"
            else N_("Unknown condition code {code}; known codes: {codes}.")
        )
        raise InputError(CORE.message(text, code=repr(unknown[0]), codes=", ".join(known)))
    return out


@dataclass(frozen=True)
class Patient:
    """A patient: age in years, origin of spasticity, optional weight, medicines and conditions.

    ``origin`` is ``"spinal"`` or ``"cerebral"``.  ``weight`` is a mass (``"70 kg"``).
    ``medicines`` and ``conditions`` are codes from :data:`MEDICINES` and :data:`CONDITIONS`.
    """

    age_years: float
    origin: Literal["spinal", "cerebral"]
    weight: pint.Quantity | None = None
    medicines: frozenset[str] = field(default_factory=frozenset)
    conditions: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        age = self.age_years
        if isinstance(age, (str, pint.Quantity)):
            age = float(as_quantity(age, "year", N_("age")).magnitude)
        if isinstance(age, bool) or not isinstance(age, (int, float)):
            raise InputError(message("The age {age} is not a number of years.", age=repr(self.age_years)))
        if not math.isfinite(age):
            raise InputError(message("The age {age} years is not a possible age.", age=str(age)))
        library.hard_check("age", float(age), "year", N_("age"))
        object.__setattr__(self, "age_years", age)
        if self.origin not in ORIGINS:
            raise InputError(
                message(
                    "The origin {origin} is not known; choose 'spinal' or 'cerebral' (lionova 4.1).",
                    origin=repr(self.origin),
                )
            )
        if self.weight is not None:
            w = as_quantity(self.weight, "kg", N_("weight"))
            library.hard_check("weight", float(w.magnitude), "kg", N_("weight"))
            object.__setattr__(self, "weight", w)
        object.__setattr__(self, "medicines", _codes(self.medicines, MEDICINES, "medicine"))
        object.__setattr__(self, "conditions", _codes(self.conditions, CONDITIONS, "condition"))

    @property
    def population(self) -> Literal["adult", "pediatric"]:
        """``"adult"`` at 18 years and over, ``"pediatric"`` under 18 (lionova 4.1)."""
        return "adult" if self.age_years >= 18 else "pediatric"

    def replace(self, **changes: Any) -> Patient:
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)

    def require_eligible(self, label: str = DEFAULT_LABEL) -> Patient:
        """Return the patient, or raise :class:`EligibilityError` if the label does not cover them.

        Under 4 years: lionova says safety is not established (4.2); lioresal lists it
        as a contraindication.  Hypersensitivity is a contraindication (lionova 4.3; lioresal
        Contraindications); treatment-resistant epilepsy is one under lionova 4.3 and baclorex 2,
        and the suite refuses it under lioresal too, saying that lioresal does not list it.
        """
        self.require_covered_age(label)
        lioresal = label == "lioresal"
        if "hypersensitivity" in self.conditions:
            src = cite("lioresal", "Contraindications") if lioresal else cite("lionova", "4.3")
            raise EligibilityError(
                message(
                    "The patient has {condition}, a contraindication to intrathecal baclofen ({source}).",
                    condition=gettext(CONDITIONS["hypersensitivity"]),
                    source=src,
                )
            )
        if "treatment_resistant_epilepsy" in self.conditions:
            if lioresal:
                # lioresal lists no such contraindication (only hypersensitivity and age under 4) and asks for
                # particular attention to epilepsy; lionova 4.3 and baclorex 2 forbid it: the suite refuses.
                raise EligibilityError(
                    message(
                        "The patient has {condition}: lioresal does not list it as a contraindication but asks for "
                        "particular attention to epilepsy ({source}); lionova 4.3 and baclorex 2 make it a "
                        "contraindication, so the suite does not go on.",
                        condition=gettext(CONDITIONS["treatment_resistant_epilepsy"]),
                        source=cite("lioresal", "Carefully"),
                    )
                )
            raise EligibilityError(
                message(
                    "The patient has {condition}, a contraindication to intrathecal baclofen ({source}).",
                    condition=gettext(CONDITIONS["treatment_resistant_epilepsy"]),
                    source=cite("lionova", "4.3"),
                )
            )
        return self

    def require_covered_age(self, label: str = DEFAULT_LABEL) -> Patient:
        """Return the patient, or raise :class:`EligibilityError` if they are under 4 years (the same refusal,
        word for word, as :meth:`require_eligible`): functions that report a patient's contraindications
        instead of refusing them still refuse a patient the label's population does not include."""
        check_label(label)
        if self.age_years < 4:
            if label == "lioresal":
                raise EligibilityError(
                    message(
                        "A patient aged {age} years is under 4: childhood under 4 years is a contraindication "
                        "({source}).",
                        age=localize_number(f"{self.age_years:g}"),
                        source=cite("lioresal", "Contraindications"),
                    )
                )
            raise EligibilityError(
                message(
                    "A patient aged {age} years is under 4: safety and efficacy of intrathecal baclofen are not "
                    "established under 4 years ({source}).",
                    age=localize_number(f"{self.age_years:g}"),
                    source=cite("lionova", "4.2"),
                )
            )
        return self


def as_patient(patient: Any) -> Patient:
    """Return ``patient`` if it is a :class:`Patient`, else raise :class:`InputError`.

    >>> as_patient("40 year old")
    Traceback (most recent call last):
    ...
    itbcore.errors.InputError: Expected a Patient (itbcore.Patient(age_years, origin)), not str.
    """
    if not isinstance(patient, Patient):
        raise InputError(f"Expected a Patient (itbcore.Patient(age_years, origin)), not {type(patient).__name__}.")
    return patient
