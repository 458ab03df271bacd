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
from .sources import DEFAULT_LABEL, check_label, cite
from .units import as_quantity

__all__ = ["Patient", "ORIGINS", "MEDICINES", "CONDITIONS", "as_patient"]

ORIGINS = ("spinal", "cerebral")

#: Medicine codes that screening and interactions know (lionova 4.4, 4.5; lioresal Interaction; baclorex 2).
MEDICINES: dict[str, str] = {
    "benzodiazepine": "benzodiazepine",
    "opiate": "opiate / opioid",
    "morphine": "morphine",
    "oral_baclofen": "oral baclofen",
    "other_muscle_relaxant": "other oral muscle relaxant",
    "cns_depressant": "other CNS depressant (incl. alcohol)",
    "tricyclic_antidepressant": "tricyclic antidepressant",
    "antihypertensive": "antihypertensive",
    "levodopa_carbidopa": "levodopa / carbidopa",
    "general_anaesthetic": "general anaesthetic (e.g. fentanyl, propofol)",
    # baclorex 2 ("Diğer ilaçlar ile birlikte kullanımı"): medicines the leaflet asks the patient to name.
    "kidney_affecting": "other medicine that also affects the kidneys (e.g. ibuprofen)",
    "antiepileptic": "epilepsy medicine",
    # lionova 4.5, lioresal Interaction, baclorex 2: no information on other intrathecal medicines.
    "other_intrathecal": "other intrathecally given medicine (any other injection into the spine)",
}

#: Condition codes that screening and eligibility know (lionova 4.3, 4.4, 4.6; lioresal Contraindications).
CONDITIONS: dict[str, str] = {
    "cardiopulmonary_disease": "cardiopulmonary disease",
    "respiratory_muscle_weakness": "respiratory muscle weakness",
    "infection": "active infection",
    "head_injury_under_1_year": "head injury less than 1 year ago",
    "hypersensitivity": "hypersensitivity to baclofen",
    "treatment_resistant_epilepsy": "treatment-resistant epilepsy",
    "epilepsy": "epilepsy",
    "impaired_csf_flow": "impaired CSF flow",
    "bulbar_paresis": "bulbar / respiratory muscle paresis",
    "confusion": "confusion",
    "psychosis": "psychosis, schizophrenia or Parkinson's disease",
    "autonomic_dysreflexia_history": "history of autonomic dysreflexia",
    "cerebrovascular_insufficiency": "cerebrovascular or respiratory insufficiency",
    "sphincter_hypertonia": "sphincter hypertonia",
    "renal_impairment": "renal impairment",
    "peptic_ulcer": "peptic ulcer",
    "hepatic_impairment": "severe hepatic impairment",
    "diabetes": "diabetes mellitus",
    "pregnancy": "pregnancy",
    "breast_feeding": "breast-feeding",
    "planning_pregnancy": "a woman who may become pregnant or plans a pregnancy",
    "drives": "drives or operates machines",
    "scoliosis": "scoliosis",
    "peg_tube": "PEG (percutaneous endoscopic gastrostomy) tube",
}


def _codes(values: Any, known: dict[str, str], what: str) -> frozenset[str]:
    if isinstance(values, str):
        values = [values]
    out = frozenset(values or ())
    unknown = sorted(out - known.keys())
    if unknown:
        raise InputError(f"Unknown {what} code {unknown[0]!r}; known codes: {', '.join(known)}.")
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
            age = float(as_quantity(age, "year", "age").magnitude)
        if isinstance(age, bool) or not isinstance(age, (int, float)):
            raise InputError(f"The age {self.age_years!r} is not a number of years.")
        if not math.isfinite(age):
            raise InputError(f"The age {age} years is not a possible age.")
        library.hard_check("age", float(age), "year", "age")
        object.__setattr__(self, "age_years", age)
        if self.origin not in ORIGINS:
            raise InputError(f"The origin {self.origin!r} is not known; choose 'spinal' or 'cerebral' (lionova 4.1).")
        if self.weight is not None:
            w = as_quantity(self.weight, "kg", "weight")
            library.hard_check("weight", float(w.magnitude), "kg", "weight")
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
                f"The patient has {CONDITIONS['hypersensitivity']}, a contraindication to intrathecal baclofen ({src})."
            )
        if "treatment_resistant_epilepsy" in self.conditions:
            if lioresal:
                # lioresal lists no such contraindication (only hypersensitivity and age under 4) and asks for
                # particular attention to epilepsy; lionova 4.3 and baclorex 2 forbid it: the suite refuses.
                raise EligibilityError(
                    f"The patient has {CONDITIONS['treatment_resistant_epilepsy']}: lioresal does not list it as a "
                    f"contraindication but asks for particular attention to epilepsy "
                    f"({cite('lioresal', 'Carefully')}); lionova 4.3 and baclorex 2 make it a contraindication, so "
                    "the suite does not go on."
                )
            raise EligibilityError(
                f"The patient has {CONDITIONS['treatment_resistant_epilepsy']}, a contraindication to intrathecal "
                f"baclofen ({cite('lionova', '4.3')})."
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
                    f"A patient aged {self.age_years:g} years is under 4: childhood under 4 years is a "
                    f"contraindication ({cite('lioresal', 'Contraindications')})."
                )
            raise EligibilityError(
                f"A patient aged {self.age_years:g} years is under 4: safety and efficacy of intrathecal "
                f"baclofen are not established under 4 years ({cite('lionova', '4.2')})."
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
