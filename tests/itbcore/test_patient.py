"""The patient record and the label's population."""

import pytest

from itbcore import Patient
from itbcore.errors import DoseLimitError, EligibilityError, InputError, ITBError, UnitError


def test_population_boundary_is_18_years():  # lionova 4.1: children 4 to < 18
    assert Patient(18, "spinal").population == "adult"
    assert Patient(17.9, "spinal").population == "pediatric"


def test_under_4_differs_between_labels():
    child = Patient(3.5, "cerebral")
    with pytest.raises(EligibilityError, match="not established.*lionova 4.2"):
        child.require_eligible("lionova")
    with pytest.raises(EligibilityError, match="contraindication.*lioresal"):
        child.require_eligible("lioresal")
    assert Patient(4, "cerebral").require_eligible() == Patient(4, "cerebral")


def test_contraindications_refuse():  # lionova 4.3
    with pytest.raises(EligibilityError, match="lionova 4.3"):
        Patient(40, "spinal", conditions={"treatment_resistant_epilepsy"}).require_eligible()


def test_weight_needs_a_unit_and_a_plausible_value():
    assert Patient(10, "spinal", weight="30 kg").weight.magnitude == 30
    with pytest.raises(UnitError):
        Patient(10, "spinal", weight=30)
    with pytest.raises(DoseLimitError, match="hard limit of 300 kg"):  # the drug library's hard limit
        Patient(10, "spinal", weight="3000 kg")


@pytest.mark.parametrize("age", [-1, 200, float("nan"), "ten", True])
def test_impossible_ages_are_refused(age):
    with pytest.raises(ITBError):
        Patient(age, "spinal")


def test_unknown_origin_and_codes_are_refused():
    with pytest.raises(InputError, match="spinal"):
        Patient(30, "peripheral")
    with pytest.raises(InputError, match="Unknown medicine"):
        Patient(30, "spinal", medicines={"aspirin"})


def test_patient_is_frozen():
    p = Patient(30, "spinal")
    with pytest.raises(AttributeError):
        p.age_years = 31
    assert p.replace(age_years=31).age_years == 31
