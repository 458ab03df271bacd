"""Every entry point of the core honours the drug library in force, not only the one it was written against.

For training only, not for treating patients.

A hospital's library (``ITB_DRUG_LIBRARY``) that narrows every hard range it may narrow must bind every public
entry point of :mod:`itbcore`: a value inside the suite's own range but outside the narrowed one is refused
with a :class:`~itbcore.errors.DoseLimitError` whose ``key`` names the limit.  The calls run in a subprocess
with the environment variable set, as a hospital would run the suite.  :data:`CALLS` is an explicit table, and
:func:`test_every_public_entry_point_is_in_the_table` fails when a module gains a public function (or a class
that reads its inputs) that is neither in the table nor in :data:`NO_QUANTITY` with its reason.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import inspect
import json
import math
import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "itbcore" / "drug_library.toml"

#: The narrowed hard ranges (limit key -> bounds in the limit's unit): every range the suite reads, narrowed
#: inside the suite's own so that a value between the two tells which library judged it.
NARROWED: dict[str, dict[str, Any]] = {
    "test_dose": {"max": 75},
    "daily_dose": {"max": 1500},
    "infusion_rate": {"max": 60},
    "concentration": {"max": 1000},
    "found_volume": {"max": 20},
    "overdose_amount": {"max": 40000},
    "bolus_dose": {"max": 40000},
    "simulated_rate": {"max": 40000},
    "reservoir_volume": {"max": 20},
    "alarm_volume": {"max": 4},
    "catheter_length": {"max": 100},
    "catheter_volume_per_length": {"max": 5},
    "pump_tubing_volume": {"max": 500},
    "pump_rate": {"max": 20},
    "residual_tolerance": {"max": 2},
    "flex_steps": {"max": 6},
    "weight": {"max": 150},
    "age": {"max": 100},
    "effect_duration": {"max": 48},
    "elapsed": {"max": 1000},
    "time_since_fill": {"max": 200},
    "refill_margin": {"max": 10},
    "csf_volume": {"max": 300},
    "csf_clearance": {"max": 300},
    "simulation_points": {"max": 1000000},
    "simulated_time": {"min": -1000, "max": 1000},
    "hour_of_day": {"max": 22, "max_inclusive": True},
    "taper_length": {"max": 21},
    "holiday_length": {"max": 3},
}


# ------------------------------------------------------------------------------ writing the narrowed library
def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, _dt.date):
        return v.isoformat()
    return json.dumps(v, ensure_ascii=False)


def _dump(table: dict[str, Any], path: str = "") -> list[str]:
    lines = [f"{k} = {_value(v)}" for k, v in table.items() if not isinstance(v, dict)]
    out = ([f"[{path}]"] if path and lines else []) + lines
    for k, v in table.items():
        if isinstance(v, dict):
            out += _dump(v, f"{path}.{k}" if path else k)
    return out


def _clamp(rng: dict[str, Any], hard: dict[str, Any]) -> None:
    if "max" in hard and "max" in rng and rng["max"] > hard["max"]:
        rng["max"] = hard["max"]
    if "min" in hard and "min" in rng and rng["min"] < hard["min"]:
        rng["min"] = hard["min"]


def narrowed_library_text() -> str:
    """The suite's library with every range of :data:`NARROWED` narrowed (soft ranges and defaults kept inside)."""
    raw = tomllib.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    raw["library"]["name"] = "Narrowed test library"
    for key, bounds in NARROWED.items():
        lim = raw["limits"][key]
        lim["hard"].update(bounds)
        lim["hard"]["source"] = "local protocol — a narrower test library"
        hard = lim["hard"]
        for name, rng in list(lim.items()):
            if name == "soft":
                _clamp(rng, hard)
            elif isinstance(rng, dict) and name != "hard":  # a label's own ranges
                for r in rng.values():
                    _clamp(r, hard)
        if "default" in lim:
            lim["default"] = min(max(lim["default"], hard.get("min", lim["default"])), hard.get("max", lim["default"]))
    return "\n".join(_dump(raw)) + "\n"


# ------------------------------------------------------------------------------------------- the entry points
def _calls() -> list[tuple[str, Any, str]]:
    """(entry point, call with a value inside the suite's range but outside the narrowed one, expected key)."""
    from itbcore import (
        Q_,
        formulations,
        maintenance,
        overdose,
        patient,
        pk,
        pump,
        scenarios,
        screening,
        titration,
        withdrawal,
    )

    adult = patient.Patient(40, "spinal")
    child = patient.Patient(8, "spinal")
    return [
        ("screening.test_dose_volume", lambda: screening.test_dose_volume("100 ug"), "test_dose"),
        ("screening.next_step", lambda: screening.next_step(adult, ["50 ug", "75 ug", "100 ug"], False), "test_dose"),
        ("screening.screening_ladder", lambda: screening.screening_ladder(adult, "100 ug"), "test_dose"),
        ("titration.initial_daily_dose", lambda: titration.initial_daily_dose("100 ug", "8 h"), "test_dose"),
        ("titration.initial_daily_dose", lambda: titration.initial_daily_dose("50 ug", "60 h"), "effect_duration"),
        ("titration.initial_dose_options", lambda: titration.initial_dose_options("100 ug", "8 h"), "test_dose"),
        (
            "titration.check_change",
            lambda: titration.check_change(adult, "1400 ug/day", "1600 ug/day", "30 day", "3 day", phase="maintenance"),
            "daily_dose",
        ),
        (
            "titration.check_change",
            lambda: titration.check_change(adult, "100 ug/day", "110 ug/day", "2000 h", "24 h"),
            "elapsed",
        ),
        (
            "titration.titration_plan",
            lambda: titration.titration_plan(adult, "100 ug/day", "1600 ug/day"),
            "daily_dose",
        ),
        ("pump.daily_volume", lambda: pump.daily_volume("1600 ug/day", "500 ug/mL"), "daily_dose"),
        ("pump.daily_volume", lambda: pump.daily_volume("500 ug/day", "1500 ug/mL"), "concentration"),
        ("pump.refill_plan", lambda: pump.refill_plan("30 mL", "500 ug/mL", "100 ug/day"), "reservoir_volume"),
        ("pump.refill_plan", lambda: pump.refill_plan("20 mL", "1500 ug/mL", "100 ug/day"), "concentration"),
        ("pump.refill_plan", lambda: pump.refill_plan("20 mL", "500 ug/mL", "1600 ug/day"), "daily_dose"),
        ("pump.refill_plan", lambda: pump.refill_plan("20 mL", "500 ug/mL", "100 ug/day", "5 mL"), "alarm_volume"),
        (
            "pump.refill_plan",
            lambda: pump.refill_plan("20 mL", "500 ug/mL", "100 ug/day", margin="20 day"),
            "refill_margin",
        ),
        ("pump.dilution", lambda: pump.dilution("2000 ug/mL", "1500 ug/mL", "20 mL"), "concentration"),
        ("pump.dilution", lambda: pump.dilution("500 ug/mL", "100 ug/mL", "30 mL"), "reservoir_volume"),
        ("pump.choose_concentration", lambda: pump.choose_concentration("1600 ug/day"), "daily_dose"),
        (
            "pump.choose_concentration",
            lambda: pump.choose_concentration("100 ug/day", min_rate="30 mL/day"),
            "pump_rate",
        ),
        ("pump.choose_concentration", lambda: pump.choose_concentration("100 ug/day", "30 mL"), "reservoir_volume"),
        (
            "pump.choose_concentration",
            lambda: pump.choose_concentration("100 ug/day", min_interval="250 day"),
            "time_since_fill",
        ),
        (
            "pump.expected_residual",
            lambda: pump.expected_residual("30 mL", "500 ug/day", "500 ug/mL", "14 day"),
            "reservoir_volume",
        ),
        (
            "pump.expected_residual",
            lambda: pump.expected_residual("20 mL", "100 ug/day", "500 ug/mL", "250 day"),
            "time_since_fill",
        ),
        ("pump.residual_check", lambda: pump.residual_check("2 mL", "30 mL"), "found_volume"),
        ("pump.residual_check", lambda: pump.residual_check("2 mL", "2 mL", "3 mL"), "residual_tolerance"),
        (
            "pump.bridge_bolus",
            lambda: pump.bridge_bolus("500 ug/mL", "1000 ug/mL", "480 ug/day", "120 cm", "2 uL/cm", "100 uL"),
            "catheter_length",
        ),
        (
            "pump.bridge_bolus",
            lambda: pump.bridge_bolus("500 ug/mL", "1000 ug/mL", "480 ug/day", "50 cm", "6 uL/cm", "100 uL"),
            "catheter_volume_per_length",
        ),
        (
            "pump.bridge_bolus",
            lambda: pump.bridge_bolus("500 ug/mL", "1000 ug/mL", "480 ug/day", "50 cm", "2 uL/cm", "800 uL"),
            "pump_tubing_volume",
        ),
        ("pump.priming_bolus", lambda: pump.priming_bolus("1500 ug/mL", "50 cm", "2 uL/cm", "100 uL"), "concentration"),
        ("pump.PumpSettings", lambda: pump.PumpSettings("1500 ug/mL", "400 ug/day"), "concentration"),
        ("pump.PumpSettings", lambda: pump.PumpSettings("500 ug/mL", "1600 ug/day"), "daily_dose"),
        (
            "maintenance.dose_range_findings",
            lambda: maintenance.dose_range_findings(adult, "1600 ug/day"),
            "daily_dose",
        ),
        ("maintenance.FlexStep", lambda: maintenance.FlexStep("6 h", "70 ug/h"), "infusion_rate"),
        ("maintenance.FlexStep", lambda: maintenance.FlexStep("23 h", "20 ug/h"), "hour_of_day"),
        ("maintenance.flex_programme", lambda: maintenance.flex_programme([("6 h", "70 ug/h")]), "infusion_rate"),
        (
            "maintenance.flex_programme",
            lambda: maintenance.flex_programme([(f"{h} h", "10 ug/h") for h in range(7)]),
            "flex_steps",
        ),
        ("maintenance.flex_start_for_effect", lambda: maintenance.flex_start_for_effect("23 h"), "hour_of_day"),
        ("maintenance.flex_unit_check", lambda: maintenance.flex_unit_check("70 ug/h", "480 ug/day"), "infusion_rate"),
        ("maintenance.flex_unit_check", lambda: maintenance.flex_unit_check("20 ug/h", "1600 ug/day"), "daily_dose"),
        ("maintenance.flex_from_continuous", lambda: maintenance.flex_from_continuous("1600 ug/day"), "daily_dose"),
        ("maintenance.drug_holiday", lambda: maintenance.drug_holiday("1600 ug/day", "150 ug/day"), "daily_dose"),
        (
            "maintenance.drug_holiday",
            lambda: maintenance.drug_holiday("700 ug/day", "150 ug/day", weeks=4),
            "holiday_length",
        ),
        ("pk.half_life", lambda: pk.half_life("400 mL"), "csf_volume"),
        ("pk.half_life", lambda: pk.half_life(clearance="400 mL/h"), "csf_clearance"),
        ("pk.steady_state_concentration", lambda: pk.steady_state_concentration("1600 ug/day"), "daily_dose"),
        ("pk.steady_state", lambda: pk.steady_state("1600 ug/day"), "daily_dose"),
        ("pk.time_to_steady_state", lambda: pk.time_to_steady_state(volume="400 mL"), "csf_volume"),
        ("pk.csf_concentration", lambda: pk.csf_concentration(["0 h"], boluses=[("0 h", "50 mg")]), "bolus_dose"),
        (
            "pk.csf_concentration",
            lambda: pk.csf_concentration(["1 h"], infusions=[("0 h", None, "50 mg/h")]),
            "simulated_rate",
        ),
        ("pk.csf_concentration", lambda: pk.csf_concentration(["2000 h"]), "simulated_time"),
        ("pk.Population", lambda: pk.Population(Q_([400.0], "mL"), Q_([30.0], "mL/h")), "csf_volume"),
        ("pk.virtual_population", lambda: pk.virtual_population(10, volume_range=("22 mL", "400 mL")), "csf_volume"),
        ("pk.regimen_findings", lambda: pk.regimen_findings(boluses=[("0 h", "50 mg")]), "bolus_dose"),
        ("scenarios.pocket_fill", lambda: scenarios.pocket_fill(concentration="1500 ug/mL"), "concentration"),
        (
            "scenarios.pocket_fill",
            lambda: scenarios.pocket_fill(refill_amount="50 mg", concentration="500 ug/mL"),
            "overdose_amount",
        ),
        (
            "scenarios.pocket_fill",
            lambda: scenarios.pocket_fill(concentration="500 ug/mL", volume="30 mL"),
            "reservoir_volume",
        ),
        (
            "scenarios.pocket_fill",
            lambda: scenarios.pocket_fill(concentration="500 ug/mL", residual_volume="30 mL"),
            "found_volume",
        ),
        (
            "scenarios.access_port_injection",
            lambda: scenarios.access_port_injection("500 ug/mL", "30 mL"),
            "reservoir_volume",
        ),
        ("scenarios.flex_mixup", lambda: scenarios.flex_mixup("1600 ug/day"), "daily_dose"),
        (
            "scenarios.concentration_mismatch",
            lambda: scenarios.concentration_mismatch("500 ug/mL", "1500 ug/mL"),
            "concentration",
        ),
        ("scenarios.unit_slip", lambda: scenarios.unit_slip("1600 ug/day"), "daily_dose"),
        ("scenarios.too_fast_titration", lambda: scenarios.too_fast_titration("1600 ug/day"), "daily_dose"),
        ("scenarios.simulate", lambda: scenarios.simulate(scenarios.flex_mixup(), hours=2000), "simulated_time"),
        ("formulations.volumes_at_strengths", lambda: formulations.volumes_at_strengths("50 mg"), "bolus_dose"),
        (
            "formulations.ampoules_for_fill",
            lambda: formulations.ampoules_for_fill("1500 ug/mL", "20 mL"),
            "concentration",
        ),
        (
            "formulations.ampoules_for_fill",
            lambda: formulations.ampoules_for_fill("500 ug/mL", "30 mL"),
            "reservoir_volume",
        ),
        ("withdrawal.taper", lambda: withdrawal.taper("1600 ug/day"), "daily_dose"),
        ("withdrawal.taper", lambda: withdrawal.taper("500 ug/day", 25), "taper_length"),
        ("withdrawal.likely_causes", lambda: withdrawal.likely_causes("2000 h"), "elapsed"),
        ("withdrawal.likely_causes", lambda: withdrawal.likely_causes(reservoir_volume="30 mL"), "found_volume"),
        (
            "withdrawal.likely_causes",
            lambda: withdrawal.likely_causes(reservoir_volume="1 mL", alarm_volume="5 mL"),
            "alarm_volume",
        ),
        ("overdose.physostigmine", lambda: overdose.physostigmine(child, weight="200 kg"), "weight"),
        ("patient.Patient", lambda: patient.Patient(110, "spinal"), "age"),
        ("patient.Patient", lambda: patient.Patient(40, "spinal", weight="200 kg"), "weight"),
    ]


#: Public callables that take no quantity a drug-library limit bounds, with the reason.
NO_QUANTITY: dict[str, str] = {
    "screening.initial_test_dose": "takes no quantity; its suggestion is judged as a test dose (test_dose, "
    "pinned in tests/itbcore/test_dose_checking_chain.py)",
    "screening.screening_warnings": "takes a Patient, whose age and weight Patient reads",
    "screening.before_first_fill": "takes a Patient and flags",
    "screening.bolus_timeline": "takes a label only",
    "titration.increase_band": "takes a Patient, a phase and a label",
    "titration.increase_limits": "takes a Patient, a phase and a label",
    "titration.decrease_limits": "takes nothing",
    "titration.observed_range": "takes a Patient and a label",
    "pump.compare_settings": "takes two PumpSettings, read when they were made",
    "maintenance.maintenance_range": "takes a Patient and a label",
    "pk.percentile_band": "takes computed concentrations, not an entry",
    "formulations.sodium_share_of_who_daily": "takes a computed amount of sodium (a strength's or a fill's), not "
    "an entry; no drug-library limit applies to sodium",
    "pk.lumbar_to_cisternal": "a CSF concentration and a ratio (the label's 1.8-8.7, InputError): no library "
    "limit bounds a CSF concentration",
    "formulations.is_marketed": "a lookup among the marketed strengths, refuses nothing",
    "formulations.formulation_for": "a lookup among the marketed strengths (InputError for any other)",
    "formulations.check_diluent": "takes the diluent's name",
    "withdrawal.assess": "takes sign codes",
    "overdose.assess": "takes sign codes",
    "patient.as_patient": "checks that it was given a Patient",
}

MODULES = (
    "screening",
    "titration",
    "pump",
    "maintenance",
    "pk",
    "scenarios",
    "formulations",
    "withdrawal",
    "overdose",
    "patient",
)


def _reads_its_inputs(cls: type) -> bool:
    """A class that reads what it is given (``__post_init__``, or an ``__init__`` of its own), unlike a result."""
    return "__post_init__" in vars(cls) or (not dataclasses.is_dataclass(cls) and "__init__" in vars(cls))


def _public_entry_points() -> set[str]:
    import importlib

    out = set()
    for m in MODULES:
        mod = importlib.import_module(f"itbcore.{m}")
        for name in getattr(mod, "__all__", [n for n in vars(mod) if not n.startswith("_")]):
            obj = getattr(mod, name)
            home = getattr(obj, "__module__", None) or ""
            if home != mod.__name__ and not home.startswith(mod.__name__ + "."):  # a module split by job
                continue
            if inspect.isfunction(obj) or (inspect.isclass(obj) and _reads_its_inputs(obj)):
                out.add(f"{m}.{name}")
    return out


def test_every_public_entry_point_is_in_the_table():
    """A new public function (or a class that reads its inputs) must be added to CALLS or to NO_QUANTITY."""
    table = {name for name, _call, _key in _calls()}
    entry_points = _public_entry_points()
    missing = entry_points - table - set(NO_QUANTITY)
    assert not missing, f"not checked against a narrowed library and not listed as taking no quantity: {missing}"
    assert not (table & set(NO_QUANTITY))
    assert not (set(NO_QUANTITY) - entry_points), "NO_QUANTITY names something that is not an entry point"


def test_the_narrowed_library_narrows_every_limit_the_suite_reads_and_loads(tmp_path):
    from itbcore import library

    path = tmp_path / "narrowed.toml"
    path.write_text(narrowed_library_text(), encoding="utf-8")
    lib = library.load_library(path)  # a valid local library: it narrows, never widens
    assert lib.limit("test_dose").hard.max == 75 and not lib.is_default
    default = tomllib.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    # every numeric limit but the date range (a date is an InputError, pinned in test_library.py)
    assert set(NARROWED) == {k for k, v in default["limits"].items() if v["unit"] != "date"}
    assert set(NARROWED) == {key for _name, _call, key in _calls()} | {"simulation_points"}


@pytest.fixture(scope="module")
def refusals(tmp_path_factory) -> dict[str, list]:
    """The outcome of every call of the table, run in a process whose ITB_DRUG_LIBRARY is the narrowed library."""
    path = tmp_path_factory.mktemp("library") / "narrowed.toml"
    path.write_text(narrowed_library_text(), encoding="utf-8")
    root = Path(__file__).resolve().parents[2]
    env = dict(
        os.environ,
        ITB_DRUG_LIBRARY=str(path),
        PYTHONPATH=os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")])),
    )
    proc = subprocess.run([sys.executable, __file__], env=env, cwd=root, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_the_narrowed_library_is_in_force_in_the_subprocess(refusals):
    assert refusals["__library__"] == ["Narrowed test library"]


@pytest.mark.parametrize(
    "index", range(len(_calls())), ids=[f"{i}-{name}-{key}" for i, (name, _call, key) in enumerate(_calls())]
)
def test_every_entry_point_refuses_past_the_narrowed_library_naming_the_limit(refusals, index):
    name, _call, key = _calls()[index]
    outcome = refusals[str(index)]
    assert outcome[0] == "DoseLimitError", f"{name}: {outcome}"
    kind, err_key, err_name, value, limit, unit, message = outcome
    assert err_key == key, f"{name}: refused by {err_key!r}, expected {key!r}: {message}"
    assert err_name and value is not None and limit is not None and unit is not None, (name, outcome)
    bounds = NARROWED[key]
    edge = bounds["max"] if value > limit or "min" not in bounds else bounds["min"]
    from itbcore import library
    from itbcore.units import Q_, magnitude_in

    lim_unit = library.limit(key).unit
    got = limit if not lim_unit else magnitude_in(Q_(limit, unit), lim_unit)
    assert math.isclose(got, edge, rel_tol=1e-9), f"{name}: limit {limit} {unit}, the narrowed bound is {edge}"


def _run_table() -> None:
    """In the subprocess: call every entry point of the table and print what each raised (JSON)."""
    from itbcore import library
    from itbcore.errors import DoseLimitError

    out: dict[str, list] = {"__library__": [library.active_library().name]}
    for i, (_name, call, _key) in enumerate(_calls()):
        try:
            call()
        except DoseLimitError as exc:
            out[str(i)] = ["DoseLimitError", exc.key, exc.name, exc.value, exc.limit, exc.unit, str(exc)]
        except Exception as exc:  # noqa: BLE001 - reported to the test, which names the entry point
            out[str(i)] = [type(exc).__name__, None, None, None, None, None, str(exc)]
        else:
            out[str(i)] = ["no refusal", None, None, None, None, None, ""]
    print(json.dumps(out))


if __name__ == "__main__":
    _run_table()
