"""Each input the fuzzer (test_fuzz_core.py) found to escape as a non-ITBError, pinned as a regression."""

import pytest

from itbcore import maintenance, pk, scenarios
from itbcore.errors import InputError, ITBError, LabelError, UnitError
from itbcore.sources import Finding, check_label, differences
from itbcore.units import as_array_quantity, as_quantity, display_unit, fmt


def test_check_label_with_a_list_is_a_label_error_not_unhashable():
    with pytest.raises(LabelError):
        check_label([])


def test_differences_with_a_number_is_a_label_error():
    with pytest.raises(LabelError):
        differences(3)


def test_finding_with_unknown_severity_is_an_itb_error():
    with pytest.raises(InputError):
        Finding("x", "fatal", "message", "lionova 4.2")


@pytest.mark.parametrize("spec", ["lionova", "2 mL", [], 0.0, "(("])
def test_garbage_unit_spec_is_a_unit_error(spec):
    with pytest.raises(UnitError):
        as_quantity("50 ug", spec)
    with pytest.raises(UnitError):
        display_unit(spec)


def test_array_quantity_with_no_unit_spec_is_an_itb_error():
    with pytest.raises(ITBError):
        as_array_quantity(None, 0.0)


def test_fmt_of_text_is_an_itb_error_not_attribute_error():
    with pytest.raises(ITBError):
        fmt("50 ug")


def test_flex_programme_of_a_number_is_an_input_error():
    with pytest.raises(InputError, match="list of steps"):
        maintenance.flex_programme(0.0)


def test_unit_slip_with_a_list_for_slip_is_an_input_error():
    with pytest.raises(InputError, match="Unknown unit slip"):
        scenarios.unit_slip("500 ug/day", [])


def test_csf_concentration_with_a_number_for_boluses_is_an_input_error():
    with pytest.raises(InputError, match="list of tuples"):
        pk.csf_concentration(["1 h"], boluses=0.0)
