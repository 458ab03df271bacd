"""Every record with a ``.source`` the core holds or gives: its tables and a broad sweep of its calls.

For training only, not for treating patients.

:func:`records` walks every public name of every core module (tables of signs, effects, interactions, bands,
ranges, the drug library's limits, the label differences) and the results of calls that reach every finding
and action under each label profile; :func:`finding_codes_in_code` reads the code itself for every
``Finding(...)``/``Action(...)`` it can build, so the audit test can tell when this sweep misses one.
"""

from __future__ import annotations

import ast
import dataclasses
import datetime as _dt
import importlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
MODULES = (
    "screening",
    "titration",
    "pump",
    "maintenance",
    "overdose",
    "withdrawal",
    "formulations",
    "pk",
    "scenarios",
    "adverse_effects",
    "patient",
    "library",
    "assessment",
    "sources",
    "label_map",
)
LABELS = ("lionova", "lioresal")


def _walk(obj: Any, out: list, seen: set[int], depth: int = 0, within: Any = None) -> None:
    if depth > 6 or id(obj) in seen or isinstance(obj, (str, bytes, int, float, type(None))):
        return
    seen.add(id(obj))
    if isinstance(obj, dict):
        for v in obj.values():
            _walk(v, out, seen, depth + 1, within)
        return
    if isinstance(obj, (list, tuple, set, frozenset)):
        for v in obj:
            _walk(v, out, seen, depth + 1, within)
        return
    if isinstance(getattr(obj, "source", None), str) or isinstance(getattr(obj, "sources", None), dict):
        out.append((obj, within))
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            _walk(getattr(obj, f.name, None), out, seen, depth + 1, obj)


def _patients() -> list[Any]:
    from itbcore import Patient
    from itbcore.patient import CONDITIONS, MEDICINES

    many = [c for c in CONDITIONS if c not in ("hypersensitivity", "treatment_resistant_epilepsy")]
    patients = [
        Patient(age, origin, weight="30 kg" if age < 18 else "70 kg", conditions=many, medicines=list(MEDICINES))
        for age in (5, 10, 15, 45, 70)
        for origin in ("spinal", "cerebral")
    ]
    return patients + [
        Patient(40, "cerebral", conditions=["hypersensitivity", "treatment_resistant_epilepsy"]),
        Patient(40, "spinal"),
    ]


# -- one generator of calls per area of the core ----------------------------------------------------------------


def _calls_screening() -> Iterator[Callable[[], Any]]:
    from itbcore import Patient, screening
    from itbcore.patient import CONDITIONS

    many = [c for c in CONDITIONS if c not in ("hypersensitivity", "treatment_resistant_epilepsy")]
    for label in LABELS:
        for p in _patients():
            yield lambda p=p, label=label: screening.screening_warnings(p, label)
            yield lambda p=p, label=label: screening.before_first_fill(p, True, label)
            yield lambda p=p, label=label: screening.before_first_fill(p, False, label)
            yield lambda p=p, label=label: screening.initial_test_dose(p, label=label)
            yield lambda p=p, label=label: screening.screening_ladder(p, label=label)
            for responded in (True, False):
                for given in (["25 ug"], ["50 ug", "75 ug"], ["50 ug", "75 ug", "100 ug"], ["75 ug"], ["10 ug"]):
                    yield lambda p=p, label=label, g=given, r=responded: screening.next_step(p, g, r, label)
        # a child under 6 with every condition (limited data under 6, a PEG tube in a child)
        yield lambda label=label: screening.screening_warnings(Patient(5, "cerebral", conditions=many), label)
        yield lambda label=label: screening.bolus_timeline(label)


def _calls_titration_maintenance() -> Iterator[Callable[[], Any]]:
    from itbcore import maintenance, titration

    for label in LABELS:
        for p in _patients():
            yield lambda p=p, label=label: maintenance.maintenance_range(p, label)
            for dose in ("10 ug/day", "300 ug/day", "1100 ug/day", "1400 ug/day"):
                yield lambda p=p, label=label, dose=dose: maintenance.dose_range_findings(p, dose, label)
            for phase in ("titration", "maintenance"):
                yield lambda p=p, label=label, phase=phase: titration.increase_band(p, phase, label)
                for current, new, start, last in (
                    ("100 ug/day", "140 ug/day", "12 h", None),
                    ("100 ug/day", "115 ug/day", "3 day", "30 h"),
                    ("100 ug/day", "105 ug/day", "3 day", "30 h"),
                    ("500 ug/day", "5 ug/day", "30 day", "3 day"),
                    ("500 ug/day", "440 ug/day", "30 day", "3 day"),
                    ("100 ug/day", "95 ug/day", "30 day", "3 day"),
                    ("100 ug/day", "85 ug/day", "30 day", "10 h"),
                    ("100 ug/day", "100 ug/day", "30 day", "3 day"),
                    ("1200 ug/day", "1300 ug/day", "30 day", "3 day"),
                ):
                    for pmp in titration.PUMPS:
                        yield (
                            lambda p=p, label=label, c=current, n=new, s=start, la=last, pmp=pmp, ph=phase: (
                                titration.check_change(p, c, n, s, la, pump=pmp, phase=ph, label=label, no_effect=True)
                            )
                        )
                        yield (
                            lambda p=p, label=label, c=current, n=new, s=start, la=last, pmp=pmp, ph=phase: (
                                titration.check_change(p, c, n, s, la, pump=pmp, phase=ph, label=label)
                            )
                        )
            yield lambda p=p, label=label: titration.observed_range(p, label)
            yield lambda p=p, label=label: titration.titration_plan(p, "100 ug/day", "300 ug/day", label=label)
            yield lambda p=p, label=label: titration.titration_plan(p, "200 ug/day", "150 ug/day", label=label)
            yield lambda p=p, label=label: titration.titration_plan(
                p, "100 ug/day", "112 ug/day", label=label, step_fraction=0.04
            )
            yield lambda p=p, label=label: titration.titration_plan(
                p, "100 ug/day", "900 ug/day", label=label, max_steps=3
            )
    for dur, side in (("8 h", False), ("12 h", False), ("16 h", True)):
        yield lambda dur=dur, side=side: titration.initial_dose_options("50 ug", dur, side)
    yield lambda: maintenance.flex_programme([("0 h", "20 ug/h"), ("8 h", "0 ug/h"), ("12 h", "5 ug/h")])
    yield lambda: maintenance.flex_unit_check("60 ug/h", "60 ug/day")
    yield lambda: maintenance.flex_unit_check("25 ug/h", "60 ug/day")
    yield lambda: maintenance.flex_unit_check("2.5 ug/h", "30 ug/day")
    yield lambda: maintenance.flex_unit_check("0 ug/h", "60 ug/day")
    yield lambda: maintenance.flex_unit_check("3.5 ug/h", "60 ug/day")
    yield lambda: maintenance.flex_unit_check("1.8 ug/h", "60 ug/day")
    yield lambda: maintenance.flex_from_continuous("300 ug/day")
    yield lambda: maintenance.flex_from_continuous("300 ug/day", 0.5)
    yield lambda: maintenance.drug_holiday("500 ug/day", "100 ug/day")
    yield lambda: maintenance.drug_holiday("50 ug/day", "100 ug/day")


def _calls_pump_pk() -> Iterator[Callable[[], Any]]:
    from itbcore import Patient, formulations, pk, pump, scenarios, titration, withdrawal

    for label in LABELS:
        for args in (
            ("20 mL", "500 ug/mL", "100 ug/day"),
            ("20 mL", "50 ug/mL", "100 ug/day"),
            ("40 mL", "2000 ug/mL", "100 ug/day"),
            ("20 mL", "2000 ug/mL", "20 ug/day"),
            ("3 mL", "500 ug/mL", "800 ug/day"),
        ):  # the last: no room for the margin
            yield lambda label=label, args=args: pump.refill_plan(*args, label=label)
        for margin in ("4 day", "0 day", "10 day"):
            yield lambda label=label, m=margin: pump.refill_plan(
                "20 mL", "500 ug/mL", "100 ug/day", fill_date=_dt.date(2026, 1, 1), margin=m, label=label
            )
        for dose in ("20 ug/day", "100 ug/day", "800 ug/day", "2500 ug/day"):
            yield lambda label=label, dose=dose: pump.choose_concentration(dose, label=label)
        yield lambda label=label: pump.choose_concentration(
            "20 ug/day", min_rate="0.1 mL/day", max_rate="1 mL/day", label=label
        )
        yield lambda label=label: pk.steady_state("500 ug/day", label=label)
        yield lambda label=label: pk.steady_state("2500 ug/day", label=label)
        for frac, origin, population in (
            (0.5, "spinal", "adult"),
            (0.1, "spinal", "adult"),
            (0.2, "cerebral", "adult"),
            (0.1, "spinal", "pediatric"),
        ):
            yield (
                lambda label=label, f=frac, o=origin, pop=population: scenarios.too_fast_titration(
                    "100 ug/day", f, 3, o, pop, label
                )
            )
    for stock, target in (
        ("500 ug/mL", "100 ug/mL"),
        ("2000 ug/mL", "1500 ug/mL"),
        ("500 ug/mL", "500 ug/mL"),
        ("1000 ug/mL", "500 ug/mL"),
        ("50 ug/mL", "25 ug/mL"),
    ):
        yield lambda s=stock, t=target: pump.dilution(s, t, "20 mL")
    yield lambda: pump.residual_check("2 mL", "6 mL")
    yield lambda: pump.residual_check("2 mL", "2.2 mL")
    yield lambda: pump.residual_check("6 mL", "2 mL")
    old = pump.PumpSettings("500 ug/mL", "400 ug/day")
    for new in (
        pump.PumpSettings("2000 ug/mL", "400 ug/day"),
        pump.PumpSettings("500 ug/mL", "440 ug/day"),
        pump.PumpSettings("500 ug/mL", "400 ug/day"),
        pump.PumpSettings("500 ug/mL", "600 ug/day"),
        pump.PumpSettings("500 ug/mL", "400 ug/day", "flex"),
        pump.PumpSettings("500 ug/mL", "20 ug/day"),
        pump.PumpSettings("500 ug/mL", "300 ug/day"),
        pump.PumpSettings("500 ug/mL", "1200 ug/day"),
    ):
        yield lambda new=new: pump.compare_settings(old, new)
    for old_c, new_c in (("500 ug/mL", "2000 ug/mL"), ("2000 ug/mL", "500 ug/mL"), ("500 ug/mL", "500 ug/mL")):
        yield lambda o=old_c, n=new_c: pump.bridge_bolus(o, n, "400 ug/day", "50 cm", "0.0025 mL/cm", "0.2 mL")
    yield lambda: pump.priming_bolus("500 ug/mL", "50 cm", "0.0025 mL/cm", "0.2 mL")
    for target, volume in (
        ("300 ug/mL", "20 mL"),
        ("500 ug/mL", "20 mL"),
        ("1000 ug/mL", "20 mL"),
        ("2000 ug/mL", "20 mL"),
    ):
        yield lambda t=target, v=volume: formulations.ampoules_for_fill(t, v)
    yield lambda: pk.regimen_findings([("0 h", "50 ug"), ("1 h", "150 ug")], [("0 h", "24 h", "3000 ug/day")])
    yield lambda: pk.lumbar_to_cisternal("800 ng/mL")
    for name in scenarios.__all__:
        fn = getattr(scenarios, name)
        if callable(fn) and not isinstance(fn, type) and name != "simulate":
            yield fn
            yield lambda fn=fn: scenarios.simulate(fn())
    for programmed, filled in (("500 ug/mL", "500 ug/mL"), ("2000 ug/mL", "500 ug/mL")):
        yield lambda p=programmed, f=filled: scenarios.concentration_mismatch(p, f)
    yield lambda: scenarios.unit_slip("0.5 mg/day", "ug_for_mg")
    # The pump's state as a cause of withdrawal, and an unchanged programme (codes a refill check meets).
    yield lambda: withdrawal.likely_causes(reservoir_volume="1 mL")
    yield lambda: withdrawal.likely_causes(reservoir_volume="19 mL", expected_reservoir_volume="2 mL")
    for label in LABELS:
        yield lambda label=label: titration.check_change(
            Patient(40, "spinal"), "100 ug/day", "100 ug/day", "3 day", "30 h", label=label
        )


def _calls_overdose_withdrawal() -> Iterator[Callable[[], Any]]:
    from itbcore import overdose, scenarios, withdrawal

    for label in LABELS:
        for p in _patients():
            yield lambda p=p: overdose.physostigmine(p)
        for signs in (
            [],
            ["drowsiness"],
            ["staggering"],
            ["seizures"],
            ["loss_of_consciousness"],
            ["respiratory_depression", "coma"],
            list(overdose.SIGNS),
        ):
            for lp in (False, True):
                yield lambda label=label, signs=signs, lp=lp: overdose.assess(
                    signs, lumbar_puncture_contraindicated=lp, label=label
                )
        for signs in (
            [],
            ["pruritus"],
            ["high_fever", "seizures"],
            ["severe_headache", "insomnia"],
            list(withdrawal.SIGNS),
        ):
            for risks in ((), list(withdrawal.HIGH_RISK)):
                yield lambda signs=signs, risks=risks, label=label: withdrawal.assess(
                    signs, risk_factors=risks, label=label
                )
    for since in (None, "6 h", "36 h", "10 day"):
        yield lambda since=since: withdrawal.likely_causes(since)
    yield lambda: withdrawal.likely_causes("36 h", reservoir_volume="1 mL")
    yield lambda: withdrawal.likely_causes(
        "36 h", reservoir_volume="19 mL", expected_reservoir_volume="2 mL", recent_programming_change=True
    )
    yield lambda: withdrawal.taper("300 ug/day", 21)
    # the scenarios that end in too little baclofen: their withdrawal warning
    yield lambda: scenarios.concentration_mismatch("2000 ug/mL", "500 ug/mL", "400 ug/day")
    yield lambda: scenarios.unit_slip("0.5 mg/day", "ug_for_mg")


def _calls() -> Iterator[Callable[[], Any]]:
    yield from _calls_screening()
    yield from _calls_titration_maintenance()
    yield from _calls_pump_pk()
    yield from _calls_overdose_withdrawal()


def records() -> list[tuple[Any, Any]]:
    """``(record, the record it sits within or None)`` for every record with a ``.source`` (or a ``.sources``
    mapping) that the core holds or its calls give."""
    out: list = []
    seen: set[int] = set()
    for name in MODULES:
        mod = importlib.import_module(f"itbcore.{name}")
        for attr in getattr(mod, "__all__", ()):
            value = getattr(mod, attr)
            if not callable(value) or isinstance(value, (dict, tuple, list)):
                _walk(value, out, seen)
    from itbcore.library import active_library

    _walk(list(active_library().limits.values()), out, seen)
    failures, kept = [], []  # the results are kept alive: ``seen`` holds ids, which a freed result gives back
    for call in _calls():
        try:
            kept.append(call())
            _walk(kept[-1], out, seen)
        except Exception as exc:  # noqa: BLE001 - a refused call is reported, not hidden
            failures.append(f"{getattr(call, '__name__', call)}: {type(exc).__name__}: {exc}")
    records.failures = failures  # type: ignore[attr-defined]
    return out


def finding_codes_in_code() -> dict[str, set[str]]:
    """``{"Finding": {codes}, "Action": {codes}}`` for every ``Finding("code", …)``/``Action("code", …)`` whose
    code is written as text in the core."""
    found: dict[str, set[str]] = {"Finding": set(), "Action": set()}
    for path in (ROOT / "itbcore").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in found:
                first = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "code"), None)
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found[node.func.id].add(first.value)
    return found


def cited_pairs() -> dict[tuple[str, str], str]:
    """``{(rule id, cited section): one full source string that cites it}`` over :func:`records`."""
    from itbcore.audit import rule_id
    from itbcore.label_map import cited_sections

    out: dict[tuple[str, str], str] = {}
    for record, within in records():
        sources = record.sources.values() if isinstance(getattr(record, "sources", None), dict) else [record.source]
        rid = rule_id(record, within)
        for source in sources:
            for s in cited_sections(source):
                out.setdefault((rid, s.section), source)
    return out
