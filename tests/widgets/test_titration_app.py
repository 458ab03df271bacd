"""The titration app without a browser: displayed text, figure data, inline refusals, label profiles.

For training only, not for treating patients.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pytest
from _panel import confirm, library_says, shown, snapshot, withdrawn

from itbcore import titration
from itbcore.errors import ITBError
from itbcore.patient import Patient
from widgets.palette import colour
from widgets.titration import TitrationApp, build_app


@pytest.fixture
def app() -> TitrationApp:
    return build_app()


def _panels(app: TitrationApp) -> dict[str, list]:
    """Each numbered section's results: a panel of its own (widgets.app.run_panel)."""
    return {
        "first": [app.options_html, app.fig_first],
        "plan": [app.plan_html, app.fig_plan, app.plan_findings],
        "check": [app.check_findings, app.fig_check],
    }


def _shown(app: TitrationApp) -> dict[str, tuple | None]:
    """What each panel shows, or None while it is withdrawn."""
    return snapshot(_panels(app))


_STATUS = {"first": "first_status", "plan": "plan_status", "check": "check_status"}
_SUMMARY = {
    "first": "first daily dose: no result: ",
    "plan": "plan: no result: ",
    "check": "proposed change: no result: ",
}


def test_default_first_daily_dose_at_exactly_12_h(app):
    assert "not for treating patients" in app.banner.value
    assert app.status.message == ""
    html = app.options_html.value
    # At exactly 12 h: lionova does not cover it (the suite doubles), lioresal doubles, practice (8 h) is equal.
    assert "not covered by the text" in html and "lionova 4.2" in html
    assert "effect up to 12 h: twice the test dose" in html and "lioresal Dosing: phase of dose selection" in html
    assert "50 µg/day" in html and "Saulino" in html and "The two labels agree (100 µg/day)" in html
    pts = app.fig_first.data[3]
    assert list(pts.x) == [12.0, 12.0, 12.0] and list(pts.y) == [100.0, 100.0, 50.0]
    assert app.fig_first.layout.xaxis.title.text == "duration of the test dose's effect (h)"
    assert app.fig_first.layout.yaxis.title.text == "first daily dose (µg/day)"


def test_first_dose_curves_step_at_8_and_12_h(app):
    x = list(app.fig_first.data[0].x)
    lionova, practice = list(app.fig_first.data[0].y), list(app.fig_first.data[2].y)
    assert lionova[x.index(12.0)] == 100.0 and lionova[x.index(12.5)] == 50.0
    assert practice[x.index(8.0)] == 100.0 and practice[x.index(8.5)] == 50.0


def test_effect_slider_moves_the_marker_and_the_plan_start(app):
    app.effect.value = 14
    assert list(app.fig_first.data[3].y) == [50.0, 50.0, 50.0]
    assert "All three agree" in app.options_html.value
    assert app.fig_plan.data[2].y[0] == 50.0  # the plan starts at lionova's first daily dose
    app.effect.value = 6
    assert list(app.fig_first.data[3].y) == [100.0, 100.0, 100.0]
    assert app.fig_plan.data[2].y[0] == 100.0


def test_side_effects_change_practice_guidance_only(app):
    app.effect.value = 6
    app.side_effects.value = True
    assert list(app.fig_first.data[3].y) == [100.0, 100.0, 50.0]


def test_plan_plot_has_band_around_each_step(app):
    d = app.fig_plan.data
    # 100 → 200 µg/day, spinal adult: 10 % steps, band +10–30 % of the day before (lionova 4.2).
    assert list(d[2].y[:3]) == [100.0, 110.0, 121.0]
    assert list(d[2].x[:3]) == [0, 1, 2]
    assert d[0].y[0] == pytest.approx(110.0) and d[1].y[0] == pytest.approx(130.0)
    assert d[0].x[0] == 1  # no band on day 0: no increase in the first 24 h
    assert d[2].y[-1] == 200.0 and list(d[3].y) == [200.0, 200.0]
    assert "10 %–30 %" in d[1].name
    assert "reaches the target" in app.plan_html.value
    assert (
        "first 24 h" in app.fig_plan.layout.shapes[0].to_plotly_json().get("name", "")
        or "first 24 h" in app.fig_plan.layout.annotations[0].text
    )


def test_non_programmable_pump_changes_every_48_h(app):
    app.pump.value = "non_programmable"
    assert list(app.fig_plan.data[2].x[:3]) == [0, 2, 4]
    assert "every 48 h" in app.plan_html.value
    assert "48 h" in app.plan_findings.value


def test_cerebral_origin_narrows_the_band(app):
    app.origin.value = "cerebral"
    assert "5 %–15 %" in app.fig_plan.data[1].name
    assert app.fig_plan.data[2].y[1] == pytest.approx(105.0)


def test_step_above_band_is_inline_and_withdraws_the_plan(app):
    app.origin.value = "cerebral"
    before = _shown(app)
    app.step.value = 0.30  # the core refuses it: said beside the step and in the plan's status
    assert "A step of 30 % is above the 15 %" in app.step_msg.value and 'role="alert"' in app.step_msg.value
    assert "A step of 30 % is above the 15 %" in app.plan_status.message
    assert _shown(app) == {**before, "plan": None}  # the other sections keep their results
    assert app.plan is None and "plan: no result: A step of 30 % is above the 15 %" in app.summary()
    app.step.value = 0.10
    assert app.step_msg.value == "" and app.plan_status.message == ""
    assert all(shown(w) for w in _panels(app)["plan"])
    assert app.fig_plan.data[2].y[1] == pytest.approx(110.0)


def test_default_proposed_change_is_above_band(app):
    assert "violation" in app.check_findings.value
    assert "An increase of 40 %" in app.check_findings.value and "lionova 4.2" in app.check_findings.value
    d = app.fig_check.data
    assert list(d[2].y) == [140.0] and list(d[2].x) == [72.0]
    assert list(d[1].y) == pytest.approx([110.0, 130.0])  # allowed band for one change from 100 µg/day
    assert d[2].marker.color == colour("violation")


def test_proposed_change_within_band(app):
    app.proposed.value = "120 ug/day"
    assert "An increase of 20 %" in app.check_findings.value and "violation" not in app.check_findings.value
    assert app.fig_check.data[2].marker.color == colour("info")


def test_increase_in_first_24_h_and_too_soon(app):
    app.no_change_yet.value = True
    app.since_start.value = "12 h"
    app.proposed.value = "120 ug/day"
    assert "No increase in the first 24 h" in app.check_findings.value
    app.no_change_yet.value = False
    app.since_start.value = "3 day"
    app.since_last.value = "30 h"
    app.pump.value = "non_programmable"
    assert "48 h" in app.check_findings.value and "violation" in app.check_findings.value


# The section whose results depend on each field (the plan starts from the first daily dose), and a correction
# with the result it brings back.
_SECTIONS = {
    "proposed": ("check",),
    "current": ("check",),
    "since_start": ("check",),
    "target": ("plan",),
    "test_dose": ("first", "plan"),
}
_CORRECTED = {
    "proposed": ("120 ug/day", "proposed change 100 µg/day → 120 µg/day"),
    "current": ("110 ug/day", "proposed change 110 µg/day → 140 µg/day"),
    "since_start": ("96 h", "proposed change 100 µg/day → 140 µg/day, 96 h after the start"),
    "target": ("300 ug/day", "plan 100 µg/day → 300 µg/day"),
    "test_dose": ("80 ug", "plan 160 µg/day → 200 µg/day"),
}  # lionova 4.2: effect 12 h → twice


def _core_says_of_current(entry: str) -> str:
    """What itbcore.titration.check_change says of a current daily dose (a rule of the module, not a limit)."""
    try:
        titration.check_change(Patient(40, "spinal"), entry, "140 ug/day", "72 h", "24 h")
    except ITBError as exc:
        return str(exc)
    return ""


@pytest.mark.parametrize(
    "field, entry, words",
    [
        ("proposed", "", "is empty"),
        ("proposed", "lots", "could not be read"),
        ("current", "100", "no unit"),
        ("current", "100 ug", ", not a "),
        ("current", "0 ug/day", "must be above zero"),
        ("target", "-5 ug/day", "cannot be negative; '-5 ug/day' was typed"),
        ("since_start", "2 mL", ", not a "),
        # lionova 4.2: at most 100 µg for a test dose (the drug library's test_dose limit)
        ("test_dose", "150 ug", "is above the hard limit of 100 µg"),
        ("test_dose", "0.5 ug/mL", ", not a "),
    ],
)
def test_bad_input_is_inline_and_withdraws_its_sections_results(app, field, entry, words):
    before = _shown(app)
    f = getattr(app, field)
    f.value = entry
    if entry == "0 ug/day":  # the library accepts a stop; the core's rule refuses it, routed to the field
        assert library_says(f, entry) == "" and f.routed and f.error_message == _core_says_of_current(entry)
    else:
        assert f.error_message == library_says(f, entry)
    assert words in f.error_message, f.error_message
    assert 'role="alert"' in f.error.value
    # the sections that depend on it are withdrawn, and say why; the others keep their results
    affected = _SECTIONS[field]
    assert _shown(app) == {k: (None if k in affected else v) for k, v in before.items()}
    first = affected[0]
    assert (
        getattr(app, _STATUS[first]).message.startswith("No result")
        and f.error_message in getattr(app, _STATUS[first]).message
    )
    assert _SUMMARY[first] + f.error_message in app.summary()
    assert app.status.message == "" and all(getattr(app, _STATUS[k]).message == "" for k in before if k not in affected)
    # corrected: the results come back, computed from it
    fix, result = _CORRECTED[field]
    f.value = fix
    assert f.error_message == "" and all(v is not None for v in _shown(app).values())
    assert result in app.summary() and "no result" not in app.summary()


def test_refused_test_dose_stays_withdrawn_on_other_changes(app):
    app.test_dose.value = "150 ug"
    app.effect.value = 14  # another change while the dose is refused: no first daily dose from the old one
    assert "is above the hard limit of 100 µg" in app.test_dose.error_message
    assert app.options is None and all(withdrawn(w) for w in _panels(app)["first"] + _panels(app)["plan"])
    assert "first daily dose: no result: The test dose 150 µg" in app.summary()
    app.test_dose.value = "80 ug"
    assert app.test_dose.error_message == "" and list(app.fig_first.data[3].y) == [80.0, 80.0, 80.0]
    assert shown(app.fig_first) and shown(app.fig_plan) and app.fig_plan.data[2].y[0] == 80.0


def test_last_change_longer_than_infusion_is_refused_in_the_section(app):
    before = _shown(app)
    app.since_last.value = "100 h"  # refused by the core (two fields disagree): said in the section's status
    assert "longer than the time since the infusion started" in app.check_status.message
    assert _shown(app) == {**before, "check": None}
    assert "proposed change: no result: The time since the last change (100 h)" in app.summary()
    app.since_last.value = "48 h"
    assert _shown(app)["check"] is not None and "last change: 48 h" in app.summary()


def test_under_4_refused_with_each_labels_wording(app):
    app.age.value = "3 years"
    assert "not established" in app.age.error.value and "lionova 4.2" in app.age.error.value
    assert "under 4" in app.plan_status.message
    # no plan and no check for this patient: the adult's are withdrawn
    assert _shown(app)["plan"] is None and _shown(app)["check"] is None and "not eligible" in app.summary()
    app.label.value = "lioresal"
    assert "contraindication" in app.age.error.value
    app.age.value = "10 years"
    assert app.age.error.value == "" and app.plan_status.message == "" and app.check_status.message == ""
    assert all(v is not None for v in _shown(app).values())


def test_label_switch_changes_child_band(app):
    # A child of spinal origin: lionova applies the adult band 10–30 %, lioresal 5–15 %.
    app.age.value = "10 years"
    assert "10 %–30 %" in app.fig_plan.data[1].name
    assert "An increase of 40 %" in app.check_findings.value
    app.label.value = "lioresal"
    assert "5 %–15 %" in app.fig_plan.data[1].name
    assert "lioresal Dosing: phase of dose selection" in app.check_findings.value
    assert list(app.fig_check.data[1].y) == pytest.approx([105.0, 115.0])
    assert "applied here" in app.differences.value


def test_decrease_and_abrupt_stop(app):
    app.proposed.value = "85 ug/day"
    assert "A decrease of 15 %" in app.check_findings.value
    app.proposed.value = "0 ug/day"  # a stop: judged by the rules, not held back as a soft limit
    assert "abruptly" in app.check_findings.value and "violation" in app.check_findings.value
    app.proposed.value = "5 ug/day"  # below the soft limit: waits for Confirm (the check is withdrawn meanwhile)
    assert app.proposed.pending is not None and "soft limit of 12 µg/day" in app.proposed.error.value
    assert withdrawn(app.check_findings) and app.check_status.message.startswith("No result yet")
    confirm(app.proposed)  # with a reason: then an abrupt cut
    assert shown(app.check_findings) and "abrupt discontinuation" in app.check_findings.value
    assert "Confirmed past a soft limit: the proposed daily dose 5 µg/day" in app.check_status.message


def test_summary_carries_the_clinical_numbers(app):
    s = app.summary()
    assert "lionova: 100 µg/day" in s and "practice guidance: 50 µg/day" in s
    assert "day 1: 110 µg/day (+10 %; allowed 110 µg/day–130 µg/day)" in s
    assert "allowed for one change: 110 µg/day–130 µg/day" in s


def test_at_exactly_12_h_both_labels_give_the_same_dose_and_only_practice_differs(app):
    # regression: "They disagree" while lionova and lioresal both showed 100 µg/day
    app.test_dose.value = "50 ug"
    app.effect.value = 12
    html = app.options_html.value
    assert "The two labels agree (100 µg/day)" in html and "practice guidance gives 50 µg/day" in html
    assert "disagree" not in html
