"""Regression tests for the issue "one dose-checking chain in the apps", one per finding, named after it.

For training only, not for treating patients.

The rule they pin (widgets.app.run_panel): a result on screen always belongs to the inputs on screen.  A
QuantityField is a view of the drug library (itbcore.library.read under the label in force): a refused
entry, or one waiting for Confirm past a soft limit, withdraws the results that depend on it, and
correcting it brings them back, recomputed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ipywidgets as W
import pytest
from _panel import confirm, fields, library_says, shown, withdrawn

import itbcore
from itbcore import library, units
from itbcore.errors import ITBError
from widgets import deck as deck_module
from widgets import maintenance, overdose, pk, screening, titration, withdrawal
from widgets import units as units_app
from widgets.fields import QuantityField

ROOT = Path(__file__).resolve().parents[2]


def _values(ws: list) -> tuple:
    return tuple(
        w.value if hasattr(w, "value") else tuple((tuple(t.x or ()), tuple(t.y or ())) for t in w.data) for w in ws
    )


# ---------------------------------------------------------------------------------------------- the findings
def test_dilution_result_is_withdrawn_when_the_stock_changes_to_50_ug_per_ml():
    app = maintenance.build_app()
    d = app.dilution
    others = {
        "refill": [app.refill.result, app.refill.fig],
        "flex": [app.flex.result, app.flex.fig],
        "settings": [app.settings.result, app.settings.findings],
    }
    d.stock.value = "2000 ug/mL"
    d.target.value = "1500 ug/mL"  # 1500 µg/mL × 20 mL from 2000 µg/mL: 15 mL of stock
    assert "15 mL of 2000 µg/mL" in d.result.value and shown(d.result)
    before = {k: _values(v) for k, v in others.items()}
    d.stock.value = "50 ug/mL"  # weaker than the target: the core refuses the dilution
    assert "above the stock 50 µg/mL" in d.status.message and d.status.message.startswith("No result")
    assert all(withdrawn(w) for w in (d.result, d.fig, d.findings))
    assert d.summary().startswith("no result: ") and "15 mL of 2000 µg/mL" not in app.summary()
    # the other tabs keep their results
    assert {k: _values(v) for k, v in others.items()} == before
    assert all(shown(w) for ws in others.values() for w in ws)
    d.stock.value = "2000 ug/mL"
    assert shown(d.result) and "15 mL of 2000 µg/mL" in d.result.value and d.status.message == ""


def test_screening_readback_is_not_100_ug_after_50_mg_is_refused():
    app = screening.build_app()
    app.first_dose.value = "100 ug"
    assert app.first_dose.readback == "read as 100 µg" and "100 µg" in app.rows[0]["text"].value
    app.first_dose.value = "50 mg"  # a thousandfold slip: refused by the library (lionova 4.2: at most 100 µg)
    assert app.first_dose.error_message == library_says(app.first_dose, "50 mg")
    assert "50\u202f000 µg is above the hard limit of 100 µg" in app.first_dose.error_message
    # the field no longer says it read 100 µg, and no result of 100 µg stays on screen
    assert app.first_dose.readback == "not read" and "read as" not in app.first_dose.hint.value
    assert all(withdrawn(r["text"]) for r in app.rows) and withdrawn(app.decision) and withdrawn(app.fig)
    assert app.summary() == f"no result: {app.first_dose.error_message}"
    app.first_dose.value = "75 ug"
    assert app.first_dose.readback == "read as 75 µg" and shown(app.rows[0]["text"])
    assert "75 µg" in app.rows[0]["text"].value and "1.5 mL" in app.rows[0]["text"].value


def test_titration_plan_is_withdrawn_when_the_target_is_refused():
    app = titration.build_app()
    first, check = [app.options_html, app.fig_first], [app.check_findings, app.fig_check]
    before = _values(first), _values(check)
    assert "plan 100 µg/day → 200 µg/day" in app.summary()
    for refused in ("5000 ug/day", "-5 ug/day", "1,500 ug/day"):
        app.target.value = refused
        assert app.target.error_message == library_says(app.target, refused), refused
        assert all(withdrawn(w) for w in (app.plan_html, app.fig_plan, app.plan_findings)), refused
        assert f"plan: no result: {app.target.error_message}" in app.summary()
        assert "→ 200 µg/day" not in app.summary()
        assert (_values(first), _values(check)) == before and all(shown(w) for w in first + check)
    app.target.value = "1 500 ug/day"  # read as 1500 µg/day: the plan comes back, to it
    assert app.target.readback == "read as 1500 µg/day" and shown(app.plan_html)
    assert "plan 100 µg/day → 1500 µg/day" in app.summary()
    # the deck's titration slide: "… reaches 400 µg/day" must not stay beside a refused target
    deck = deck_module.build_deck()
    slide = deck.titration
    assert "400 µg/day" in slide.result.value
    slide.target.value = "5000 ug/day"
    assert slide.target.error_message == library_says(slide.target, "5000 ug/day")
    assert withdrawn(slide.result) and withdrawn(slide.fig) and slide.summary().startswith("no result: ")
    assert "400 µg/day on day" not in deck.summary()
    slide.target.value = "1 500 ug/day"
    assert shown(slide.result) and "1500 µg/day" in slide.result.value


def test_withdrawal_taper_is_withdrawn_after_100_days_is_refused():
    app = withdrawal.build_app()
    others = [app.stage, app.actions, app.cause_list, app.cause_fig, app.holiday_result, app.holiday_fig]
    before = _values(others)
    app.taper_days.value = "100 days"  # lionova 4.2: a gradual reduction over 2 to 4 weeks
    assert withdrawn(app.taper_result) and withdrawn(app.taper_fig)
    assert app.taper_days.error_message == library_says(app.taper_days, "100 days")
    assert "is above the hard limit of 28 days" in app.taper_days.error_message
    assert f"taper: no result: {app.taper_days.error_message}" in app.summary() and "taper: day" not in app.summary()
    assert _values(others) == before and all(shown(w) for w in others)
    app.taper_days.value = "28 days"
    assert shown(app.taper_result) and len(app.taper_fig.data[0].y) == 29 and "taper: day 0" in app.summary()


def test_screening_opens_with_no_bolus_given():
    app = screening.build_app()
    assert [r["toggle"].value for r in app.rows] == ["none"] * len(app.rows)
    assert "Give the first test bolus: 50 µg (1 mL" in app.decision.value
    assert list(app.fig.data[6].x) == [] and list(app.fig.data[7].x) == [0.0]  # nothing given; bolus 1 at 0 h
    s = app.summary()
    assert "decision: give the first test bolus" in s and "responded" not in s and "no response" not in s
    assert all(line.endswith("(not given)") for line in s.splitlines() if line.startswith("  bolus"))


def test_reset_resets_every_maintenance_tab():
    app = maintenance.build_app()
    fresh = app.summary()  # builds every tab
    d, s, f, b = app.dilution, app.settings, app.flex, app.bridge
    start = {
        w: w.value
        for w in (d.stock, d.target, d.diluent, s.old_conc, s.new_dose, s.new_mode, f.intended, b.length, b.elapsed)
    }
    d.stock.value = "2000 ug/mL"
    d.diluent.value = "NaCl 0.9%"
    s.old_conc.value = "1000 ug/mL"
    s.new_dose.value = "600 ug/day"
    s.new_mode.value = next(m for m in s.new_mode.options if m != s.new_mode.value)
    f.intended.value = "500 ug/day"
    b.length.value = "0 cm"  # refused: the bridge bolus is withdrawn
    assert app.summary() != fresh
    app.reset_button.click()
    assert {w: w.value for w in start} == start
    assert app.summary() == fresh and not [w for w in (d.result, s.result, b.bridge_result) if not shown(w)]
    assert all(not fld.blocked for fld in fields(app))


def test_reset_restores_the_flex_programme_it_started_with():
    app = maintenance.build_app()
    flex = app.flex
    fresh, steps = flex.summary(), [(r.start.value, r.rate.value) for r in flex.rows]
    flex.add_step("12 h", "30 ug/h")
    flex.remove_step(flex.rows[0])
    assert flex.summary() != fresh
    app.reset_button.click()
    assert [(r.start.value, r.rate.value) for r in flex.rows] == steps and flex.summary() == fresh
    assert not flex.add.disabled


def test_the_label_in_force_reaches_every_field():
    # lioresal Stability of the drug: 11 weeks (77 days) in the pump; lionova sets no such limit (180 days,
    # device documentation): the residual tab's "time since that fill" of 100 days asks for Confirm only under
    # lioresal, in a tab built after the label was chosen as in one built before.
    for built_first in (True, False):
        app = maintenance.build_app()
        if built_first:
            app.bridge  # noqa: B018 - the tab is built under lionova
        app.label.value = "lioresal"
        b = app.bridge
        b.elapsed.value = "100 days"
        assert b.elapsed.pending is not None, built_first
        assert all(fld.label_profile == "lioresal" for fld in fields(app)), built_first
        warning = library.read("time_since_fill", "100 days", name="time since the fill", label="lioresal").warnings
        assert b.elapsed.pending.warnings[0].message == warning[0].message
        assert "77 days" in b.elapsed.error.value and "lioresal Stability of the drug" in b.elapsed.error.value
        assert withdrawn(b.residual_result) and b.residual_status.message.startswith("No result yet")
        assert shown(b.bridge_result)  # the bridge bolus does not depend on it
        app.label.value = "lionova"
        assert b.elapsed.pending is None and not b.elapsed.blocked and shown(b.residual_result)
        assert "OK" in b.residual_result.value or "DISCREPANCY" in b.residual_result.value


def test_catheter_field_and_core_agree():
    app = maintenance.build_app()
    b = app.bridge
    args = dict(
        old_concentration="500 ug/mL",
        new_concentration="2000 ug/mL",
        daily_dose="480 ug/day",
        catheter_volume_per_length="2 uL/cm",
        pump_tubing_volume="100 uL",
    )
    for text, words in (("160 cm", "is above the hard limit of 150 cm"), ("0 cm", "must be above zero")):
        b.length.value = text
        with pytest.raises(ITBError) as core:
            itbcore.bridge_bolus(catheter_length=text, **args)
        # the field refuses with the library's words; the core refuses it too, for the same reason
        assert b.length.error_message == library_says(b.length, text) and words in b.length.error_message, text
        assert words in str(core.value) and str(core.value).startswith(f"The catheter length {text}"), core.value
        if text == "160 cm":  # past the library's hard range: the very same sentence
            assert b.length.error_message == str(core.value)
        assert withdrawn(b.bridge_result) and withdrawn(b.fig) and b.bridge is None
        assert f"bridge bolus: no result: {b.length.error_message}" in app.summary()
        assert "dead volume 200 µL" not in app.summary()  # never computed as the 50 cm still in force
    b.length.value = "76 cm"  # 76 cm × 2 µL/cm + 100 µL
    assert shown(b.bridge_result) and "dead volume 252 µL" in app.summary()


def test_a_confirmed_soft_limit_shows_its_reason_with_the_result():
    app = titration.build_app()
    app.proposed.value = "5 ug/day"  # below the soft limit of 12 µg/day: waits for Confirm with a reason
    assert withdrawn(app.check_findings) and "waits for you to confirm" in app.check_status.message
    app.proposed.confirm.click()  # no reason yet: still waiting, nothing computed
    assert app.proposed.pending is not None and withdrawn(app.check_findings)
    confirm(app.proposed, "patient_plan")
    reason = library.OVERRIDE_REASONS["patient_plan"]
    assert shown(app.check_findings) and "abrupt discontinuation" in app.check_findings.value
    assert (
        app.check_status.message
        == (f"Confirmed past a soft limit: the proposed daily dose 5 µg/day — reason: {reason}.")
        and app.check_status.kind == "info"
    )
    assert f"Reason: {reason}" in _unescape(app.proposed.error.value)
    app.proposed.value = "120 ug/day"  # back inside the soft range: no reason is shown any more
    assert app.check_status.message == "" and app.proposed.override == ""


def _unescape(html_text: str) -> str:
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


# ---------------------------------------------------------------------------------------------- every field
def _subjects() -> list[tuple[str, W.Widget, list[QuantityField]]]:
    """(where, its label chooser, its fields) for every app, every maintenance tab and every deck slide."""
    out = []
    for mod in (screening, titration, maintenance, pk, overdose, withdrawal, units_app):
        app = mod.build_app()
        if isinstance(app, maintenance.MaintenanceApp):
            app.sections  # noqa: B018 - every tab
        out.append((mod.__name__, app, app.label, fields(app)))
    deck = deck_module.build_deck()
    out += [(f"deck: {s.title}", s, s.label, fields(s)) for s in deck.slides if fields(s)]  # 3 slides have some
    return out


def _probes(lim: library.Limit, label: str) -> list[str]:
    """Texts just inside and just outside each bound of the hard and soft ranges under ``label``, and each bound."""
    values = set()
    for r in library.limit(lim.key).ranges(label):
        if r is None:
            continue
        for bound, outward in ((r.min, -1), (r.max, +1)):
            if bound is None:
                continue
            step = max(abs(bound) * 0.01, 0.01)
            values |= {bound, bound + outward * step, bound - outward * step}
    texts = [f"{v:.2f}".rstrip("0").rstrip(".") for v in sorted(values)]  # never 3 decimals: "2.000" is ambiguous
    return [f"{t} {lim.unit}".strip() for t in texts]


def _verdict(field: QuantityField) -> tuple:
    if field.error_message and not field.routed:
        return ("refused", field.error_message)
    if field.pending is not None:
        return ("pending", field.pending.warnings[0].message)
    return ("accepted", units.fmt(field.quantity))


def _library_verdict(field: QuantityField, text: str, label: str) -> tuple:
    try:
        reading = library.read(field.limit, text, unit=field.unit, name=field.name, label=label)
    except ITBError as exc:
        return ("refused", str(exc))
    if reading.warnings:
        return ("pending", reading.warnings[0].message)
    return ("accepted", units.fmt(reading.quantity))


def walk_every_field() -> int:
    """Every field of every app follows the library in force, under each label; returns how many were walked."""
    lib, walked = library.active_library(), 0
    for where, _app, chooser, flds in _subjects():
        assert flds, where
        for field in flds:
            assert field.limit in lib.limits, (where, field.name)
            for own in ("min", "max", "min_inclusive", "positive", "guard"):
                assert not hasattr(field, own), (where, field.name, own)
            lim = lib.limit(field.limit)
            start = field.value
            for label in ("lionova", "lioresal"):
                chooser.value = label
                assert field.label_profile == label, (where, field.name)
                for text in _probes(lim, label):
                    field.value = text
                    assert _verdict(field) == _library_verdict(field, text, label), (where, field.name, label, text)
            chooser.value = "lionova"
            field.value = start
            assert not field.blocked or field.routed, (where, field.name, field.blocked)
            walked += 1
    return walked


def _narrowed_library(tmp_path: Path) -> Path:
    """A hospital's copy of the library in force with the test dose's hard and soft maximum at 75 µg."""
    text = Path(library.active_library().path).read_text(encoding="utf-8")
    for table in ("hard", "soft"):
        head = f"[limits.test_dose.{table}]"
        at = text.index(head)
        end = text.index("\n[", at + len(head))
        block = text[at:end]
        narrowed = re.sub(r"(?m)^max = .*$", "max = 75", block)
        assert narrowed != block
        text = text[:at] + narrowed + text[end:]
    path = tmp_path / "narrowed_library.toml"
    path.write_text(text, encoding="utf-8")
    library.load_library(path)  # valid: a local library may narrow a range a label sets
    return path


def test_every_field_of_every_app_is_a_view_of_the_library_spec(tmp_path):
    assert walk_every_field() > 60
    # a hospital's narrower library in force (ITB_DRUG_LIBRARY): every field follows it
    path = _narrowed_library(tmp_path)
    code = textwrap.dedent("""
        from itbcore import library
        import test_one_chain as T
        assert library.limit("test_dose").hard.max == 75, library.active_library().path
        walked = T.walk_every_field()
        test_dose_fields = [f for _w, _a, _c, fs in T._subjects() for f in fs if f.limit == "test_dose"]
        assert len(test_dose_fields) >= 3
        for f in test_dose_fields:
            f.value = "80 ug"  # inside the suite's 100 µg, outside the hospital's 75 µg
            assert "is above the hard limit of 75 µg" in f.error_message, (f.name, f.error_message)
        print("walked", walked)
    """)
    env = {
        **os.environ,
        "ITB_DRUG_LIBRARY": str(path),
        "PYTHONPATH": os.pathsep.join(
            [str(ROOT), str(Path(__file__).resolve().parent), os.environ.get("PYTHONPATH", "")]
        ),
    }
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert int(done.stdout.split("walked")[-1]) > 60


def test_the_walk_sees_a_field_with_bounds_of_its_own(monkeypatch):
    """The walk can fail: a field that refuses what the library accepts is caught."""
    original = QuantityField._read

    def stricter(self, text):
        reading = original(self, text)
        if self.limit == "test_dose" and reading.quantity.to("ug").magnitude > 75:
            raise itbcore.InputError("at most 75 µg (the field's own bound)")
        return reading

    monkeypatch.setattr(QuantityField, "_read", stricter)
    with pytest.raises(AssertionError):
        walk_every_field()


def test_the_educators_guide_mg_for_ug_moment_gives_the_mg_ug_lesson():
    # regression: the guide's "type 500 mg/day" gave a rate-vs-mass refusal in the Units app, not the lesson
    app = maintenance.build_app()
    app.refill.dose.value = "500 mg/day"
    assert "1000 times 500 µg/day — was mg written for µg?" in app.refill.dose.error_message
    assert app.refill.summary().startswith("no result: ")
