"""One dose-checking chain: every entry read once, checked once against the drug library in force.

For training only, not for treating patients.

Each test is named after a finding of the issue and failed on the code before the fix (d9e2d66).
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import os
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itbcore import Patient, formulations, library, maintenance, pk, pump, scenarios, screening, titration
from itbcore.errors import DoseLimitError
from itbcore.testing import assert_quantity_close, typed

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = library.DEFAULT_LIBRARY_PATH.read_text(encoding="utf-8")
ADULT = Patient(40, "spinal")

_TEST_DOSE_HARD = (
    "default = 50\n[limits.test_dose.hard]\nmin = 0\nmin_inclusive = false\nmax = 100\n"
    'source = "lionova 4.2"\n'
    'why = "a test bolus is above zero and at most the 100 µg maximum test dose"'
)
_TEST_DOSE_SOFT = "[limits.test_dose.soft]\nmin = 25\nmax = 100"


def _test_dose_library(top: int) -> Path:
    """A hospital's library whose maximum test dose is ``top`` µg (written once per process)."""
    digest = hashlib.sha256(DEFAULT.encode()).hexdigest()[:12]
    path = Path(tempfile.gettempdir()) / f"itb-test-dose-{top}-{digest}.toml"
    if not path.exists():
        assert _TEST_DOSE_HARD in DEFAULT and _TEST_DOSE_SOFT in DEFAULT
        hard = (
            f"default = {min(50, top)}\n[limits.test_dose.hard]\nmin = 0\nmin_inclusive = false\nmax = {top}\n"
            f'source = "local protocol — St Olav"\nwhy = "a test bolus is above zero and at most {top} µg here"'
        )
        soft = f"[limits.test_dose.soft]\nmin = {min(25, top)}\nmax = {top}"
        text = (
            DEFAULT.replace('name = "ITB training suite default library"', 'name = "St Olav ITB clinic"')
            .replace(_TEST_DOSE_HARD, hard)
            .replace(_TEST_DOSE_SOFT, soft)
        )
        part = path.with_name(f"{path.name}.{os.getpid()}.part")  # another process may be reading it
        part.write_text(text, encoding="utf-8")
        os.replace(part, path)
    return path


@pytest.fixture
def st_olav():
    """The suite with a hospital's library in force whose maximum test dose is 75 µg."""
    try:
        yield library.use_library(_test_dose_library(75))
    finally:
        library.use_library(None)


# ------------------------------------------------------------------ 1. a narrower library is in force everywhere
def test_a_hospitals_narrower_test_dose_maximum_binds_screening_as_it_binds_titration(st_olav):
    assert st_olav.limit("test_dose").hard.max == 75
    with pytest.raises(DoseLimitError, match="maximum test dose of 75 µg") as err:
        screening.test_dose_volume("100 ug")
    assert (err.value.key, err.value.name, err.value.value, err.value.limit, err.value.unit) == (
        "test_dose",
        "test dose",
        100.0,
        75.0,
        "ug",
    )
    assert "St Olav" in err.value.source
    with pytest.raises(DoseLimitError) as err:
        titration.initial_daily_dose("100 ug", "8 h")
    assert err.value.key == "test_dose"
    # the ladder's top is the library's maximum, and no response there ends the screening
    assert [q.magnitude for q in screening.screening_ladder(ADULT, "50 ug")] == [50, 75]
    assert_quantity_close(screening.next_step(ADULT, ["50 ug"], False).next_dose, "75 ug")
    step = screening.next_step(ADULT, ["50 ug", "75 ug"], False)
    assert step.action == "not_candidate" and step.next_dose is None
    (f,) = [f for f in step.findings if f.code == "no_response_at_max"]
    assert "75 µg" in f.message and "St Olav" in f.message
    with pytest.raises(DoseLimitError) as err:
        screening.next_step(ADULT, ["50 ug", "75 ug", "100 ug"], False)
    assert err.value.key == "test_dose"
    assert_quantity_close(screening.test_dose_volume("75 ug"), "1.5 mL")


def test_the_suggested_first_test_dose_is_judged_by_the_library_in_force():
    try:
        library.use_library(_test_dose_library(40))
        with pytest.raises(DoseLimitError, match="maximum test dose of 40 µg") as err:
            screening.initial_test_dose(ADULT)
        assert err.value.key == "test_dose"
        assert_quantity_close(screening.initial_test_dose(ADULT, relies_on_spasticity=True).dose, "25 ug")
    finally:
        library.use_library(None)


@settings(max_examples=150, deadline=None)
@given(st.floats(min_value=0.5, max_value=75), st.integers(0, 5), st.booleans())
def test_no_suggested_test_bolus_is_above_the_library_maximum(first, rises, responded):
    try:
        library.use_library(_test_dose_library(75))
        doses = [first]
        for _ in range(rises):
            doses.append(min(doses[-1] + 25, 75.0))
        step = screening.next_step(ADULT, [f"{typed(d)} ug" for d in doses], responded)
        ladder = screening.screening_ladder(ADULT, f"{typed(first)} ug")
    finally:
        library.use_library(None)
    assert step.next_dose is None or step.next_dose.to("ug").magnitude <= 75
    assert max(q.magnitude for q in ladder) <= 75 and ladder[-1].magnitude == pytest.approx(75)


def _second_copy(name: str):
    """Run the file of module ``name`` again under the same name, as pytest's importlib mode does."""
    first = sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, first.__file__)
    copy = importlib.util.module_from_spec(spec)
    sys.modules[name] = copy
    try:
        spec.loader.exec_module(copy)
    finally:
        sys.modules[name] = first
    return copy


def test_a_library_put_in_force_binds_the_core_when_its_module_was_loaded_twice(tmp_path):
    # pytest's --import-mode=importlib runs itbcore/library.py a second time when its doctests are the first
    # file collected ("pytest itbcore/library.py tests/itbcore/test_library.py"): use_library on that copy left
    # the checks of pump, titration and screening (bound to the first copy) on the old library.
    copy = _second_copy("itbcore.library")
    assert copy is not library and copy.active_library() is library.active_library()
    narrow = tmp_path / "hospital.toml"
    narrow.write_text(
        DEFAULT.replace(
            "[limits.daily_dose.hard]\nmin = 0\nmax = 3000", "[limits.daily_dose.hard]\nmin = 0\nmax = 2500"
        ),
        encoding="utf-8",
    )
    try:
        copy.use_library(narrow)
        with pytest.raises(DoseLimitError, match="hard limit of 2500 µg/day"):
            pump.refill_plan("40 mL", "2000 ug/mL", "2600 ug/day")
        assert library.active_library().path == str(narrow)
    finally:
        copy.use_library(None)
    pump.refill_plan("40 mL", "2000 ug/mL", "2600 ug/day")
    assert library.active_library().is_default


def test_the_holder_of_the_library_in_force_is_one_even_when_its_own_file_runs_twice():
    from itbcore import _in_force

    copy = _second_copy("itbcore._in_force")
    assert copy is not _in_force and copy.STATE is _in_force.STATE


# ------------------------------------------------------------------ 3. field and core bounds are one
def test_a_catheter_of_0_cm_is_refused_where_it_enters_not_computed_with():
    for call in (
        lambda: pump.bridge_bolus("500 ug/mL", "2000 ug/mL", "480 ug/day", "0 cm", "2 uL/cm", "100 uL"),
        lambda: pump.priming_bolus("500 ug/mL", "0 cm", "2 uL/cm", "100 uL"),
    ):
        with pytest.raises(DoseLimitError) as err:
            call()
        assert str(err.value) == "The catheter length 0 cm must be above zero."
        assert (err.value.key, err.value.name, err.value.value, err.value.limit, err.value.unit) == (
            "catheter_length",
            "catheter length",
            0.0,
            0.0,
            "cm",
        )


def test_a_catheter_of_160_cm_is_refused_by_the_core_with_the_librarys_message():
    with pytest.raises(DoseLimitError) as err:
        pump.bridge_bolus("500 ug/mL", "2000 ug/mL", "480 ug/day", "160 cm", "2 uL/cm", "100 uL")
    hard = library.limit("catheter_length").hard
    assert str(err.value) == (
        f"The catheter length 160 cm is above the hard limit of 150 cm ({hard.why}; {hard.source})."
    )
    assert (err.value.key, err.value.limit, err.value.source) == ("catheter_length", 150.0, hard.source)
    # the field says the same
    with pytest.raises(DoseLimitError) as field:
        library.read("catheter_length", "160 cm", name="catheter length")
    assert str(field.value) == str(err.value)


@pytest.mark.parametrize(
    "key, text, name, core",
    [
        ("test_dose", "0 ug", "test dose", lambda: screening.test_dose_volume("0 ug")),
        (
            "catheter_length",
            "0 cm",
            "catheter length",
            lambda: pump.priming_bolus("500 ug/mL", "0 cm", "2 uL/cm", "100 uL"),
        ),
        ("concentration", "0 ug/mL", "concentration", lambda: pump.daily_volume("500 ug/day", "0 ug/mL")),
        ("alarm_volume", "0 mL", "alarm volume", lambda: pump.refill_plan("20 mL", "500 ug/mL", "100 ug/day", "0 mL")),
    ],
)
def test_an_amount_at_zero_is_refused_in_the_cores_one_wording_at_the_field_and_in_the_core(key, text, name, core):
    with pytest.raises(DoseLimitError, match=f"^The {name} 0 .* must be above zero") as field:
        library.read(key, text, name=name)
    with pytest.raises(DoseLimitError, match=f"^The {name} 0 .* must be above zero") as computed:
        core()
    assert field.value.key == computed.value.key == key


def _dose_limit_error_calls():
    for path in sorted((ROOT / "itbcore").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            func = getattr(node, "func", None)
            if isinstance(node, ast.Call) and getattr(func, "id", getattr(func, "attr", None)) == "DoseLimitError":
                yield path.relative_to(ROOT / "itbcore").as_posix(), node


def test_every_core_refusal_of_a_quantity_carries_its_name_value_limit_unit_and_key():
    need = {"name", "value", "limit", "unit", "key"}
    bare = []
    for where, node in _dose_limit_error_calls():
        given_ = {k.arg for k in node.keywords}
        if not need <= given_:
            bare.append(f"{where}:{node.lineno} lacks {sorted(need - given_)}")
    assert not bare, "\n".join(bare)


# ------------------------------------------------------------------ 4. slips that passed silently
def test_a_50_mg_bolus_in_the_pk_model_is_questioned_as_a_mg_ug_slip():
    peak = pk.csf_concentration(["0 h"], boluses=[("0 h", "50 mg")])
    assert peak.magnitude[0] == pytest.approx(666667, rel=1e-3)  # computed, as a teaching scenario needs it
    (f,) = pk.regimen_findings(boluses=[("0 h", "50 mg")])
    assert f.code == "soft_limit_bolus_dose" and f.severity == "warning" and f.source == "lionova 4.2"
    assert "100 µg" in f.message and "1000 times 50 µg — was mg written for µg?" in f.message
    assert pk.regimen_findings(boluses=[("0 h", "50 ug")]) == []
    # the PK field reads the same limit: the slip waits for Confirm
    (w,) = library.read("bolus_dose", "50 mg", name="bolus dose").warnings
    assert w.message == f.message
    with pytest.raises(DoseLimitError) as err:  # past a whole reservoir at 2 mg/mL: refused
        pk.csf_concentration(["0 h"], boluses=[("0 h", "100 mg")])
    assert err.value.key == "bolus_dose"


def test_a_pk_infusion_outside_the_labels_daily_doses_is_questioned():
    (f,) = pk.regimen_findings(infusions=[("0 h", None, "2500 ug/day")])
    assert f.code == "soft_limit_daily_dose" and "2003 µg/day" in f.message
    (f,) = pk.steady_state("2500 ug/day").findings
    assert f.code == "soft_limit_daily_dose"
    assert pk.steady_state("500 ug/day").findings == ()
    (f,) = pk.regimen_findings(infusions=[("0 h", None, "500 mg/day")])
    assert "1000 times 500 µg/day — was mg written for µg?" in f.message


def test_a_50_mg_dose_in_the_units_app_is_questioned():
    # the Units app's dose is a bolus-sized amount: the bolus_dose limit asks about 50 mg, as the PK app does
    reading = library.read("bolus_dose", "50 mg", name="dose")
    assert [w.code for w in reading.warnings] == ["soft_limit_bolus_dose"]
    assert "was mg written for µg?" in reading.warnings[0].message
    assert library.read("bolus_dose", "0.05 mg", name="dose").warnings == ()
    with pytest.raises(DoseLimitError) as err:
        formulations.volumes_at_strengths("100 mg")
    assert err.value.key == "bolus_dose"


def test_soft_limit_findings_say_when_a_value_is_a_thousandfold_slip():
    (above,) = library.soft_findings("bolus_dose", 50000.0, "ug", "bolus dose")
    assert above.message.endswith("1000 times 50 µg — was mg written for µg? Confirm it is what is meant.")
    (below,) = library.soft_findings("bolus_dose", 0.05, "ug", "bolus dose")
    assert "a thousandth of 50 µg — was µg written for mg?" in below.message
    (plain,) = library.soft_findings("daily_dose", 2500.0, "ug/day", "daily dose")
    assert "was mg" not in plain.message and plain.message.endswith(": confirm it is what is meant.")


def test_error_scenarios_say_they_teach_an_error():
    teaching = library.OVERRIDE_REASONS["teaching_error"]
    for code, scenario in scenarios.SCENARIOS.items():
        result = scenario()
        assert result.teaching == teaching, code
        sim = scenarios.simulate(result, hours=result.duration)
        for f in sim.findings:
            assert f.message.startswith(teaching), (code, f.message)
    port = scenarios.simulate(scenarios.access_port_injection())
    assert [f.code for f in port.findings] == ["soft_limit_bolus_dose"]


# ------------------------------------------------------------------ 5. weak flags
def test_a_flex_programme_above_the_labels_band_is_a_violation():
    # lionova 4.2: "kan den daglige dosen økes gradvis med 10-30 %" — a programme delivering more than +30 %
    # above the intended daily dose is an overdose the prescription does not name.
    (f,) = maintenance.flex_unit_check("30 ug/h", "480 ug/day")  # 720 µg/day: +50 %
    assert (f.code, f.severity) == ("off_intended_beyond_band", "violation") and "lionova 4.2" in f.source
    (f,) = maintenance.flex_unit_check("40 ug/h", "480 ug/day")  # 960 µg/day: twice the dose
    assert (f.code, f.severity) == ("twofold_off", "violation")
    assert maintenance.flex_unit_check("26 ug/h", "480 ug/day") == []  # 624 µg/day: +30 %, within the band
    # less than intended stays a warning (withdrawal risk, checked against the prescription)
    assert [(f.code, f.severity) for f in maintenance.flex_unit_check("15 ug/h", "480 ug/day")] == [
        ("off_intended_beyond_band", "warning")
    ]
    assert [(f.code, f.severity) for f in maintenance.flex_unit_check("10 ug/h", "480 ug/day")] == [
        ("twofold_off", "warning")
    ]


@pytest.mark.parametrize("strength", ["50 ug/mL", "0.05 mg/mL", "40 ug/mL"])
def test_a_pump_fill_at_the_screening_strength_is_flagged(strength):
    plan = pump.refill_plan("20 mL", strength, "20 ug/day")
    (f,) = [f for f in plan.findings if f.code == "screening_strength_fill"]
    assert f.severity == "warning" and f.source == "lionova 4.2; lioresal Dosing: initial phase"
    assert "single screening test bolus" in f.message


def test_a_pump_fill_at_a_pump_strength_is_not_flagged_as_screening():
    for strength in ("500 ug/mL", "2000 ug/mL", "100 ug/mL"):
        codes = [f.code for f in pump.refill_plan("20 mL", strength, "100 ug/day").findings]
        assert "screening_strength_fill" not in codes
