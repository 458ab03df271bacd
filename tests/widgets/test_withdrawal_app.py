"""The withdrawal app driven without a browser: stage and actions, causes, taper, drug holiday, bad input.

For training only, not for treating patients.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _html
import numpy as np
import pytest
from _panel import library_says, shown, withdrawn

from widgets.withdrawal import WithdrawalApp, build_app


@pytest.fixture
def app() -> WithdrawalApp:
    return build_app()


def test_default_is_early_withdrawal_with_ordered_actions(app: WithdrawalApp) -> None:
    assert "EARLY" in app.stage.value
    html = app.actions.value
    # lionova 4.2: admission first; lionova 4.4: check pump and catheter, restore ITB at or near the previous dose.
    assert html.index("Admit as an emergency") < html.index("Check the pump") < html.index("Restore intrathecal")
    assert "(lionova 4.4; lionova 4.9; lioresal Dosing: discontinuation of treatment; lioresal Overdose)" in _html.text(
        html
    )
    assert "baclofen overdose" in app.differentials.value
    assert all(
        s.message == "" for s in (app.status, app.signs_status, app.causes_status, app.taper_status, app.holiday_status)
    )


def test_advanced_sign_goes_to_intensive_care_and_lists_mimics(app: WithdrawalApp) -> None:
    app.signs["high_fever"].value = True
    assert "ADVANCED" in app.stage.value
    assert app.actions.value.index("intensive care") < app.actions.value.index("Check the pump")
    for text in (
        "autonomic dysreflexia",
        "infection or sepsis",
        "malignant hyperthermia",
        "neuroleptic malignant syndrome",
    ):
        assert text in app.differentials.value


def test_risk_factor_adds_warning(app: WithdrawalApp) -> None:
    app.risks["sci_t6_or_above"].value = True
    assert "spinal cord injury at T6 or above" in app.sign_findings.value
    assert app.assessment.risk_factors == ("sci_t6_or_above",)


def test_no_signs_no_actions(app: WithdrawalApp) -> None:
    for cb in app.signs.values():
        cb.value = False
    assert "NONE" in app.stage.value and "No action needed" in app.actions.value


def test_low_reservoir_ranked_first_and_mismatch_points_to_the_pump(app: WithdrawalApp) -> None:
    assert app.causes.codes[0] == "low_reservoir"
    assert "1.5 mL" in app.cause_list.value
    app.found.value = "19 mL"
    app.expected.value = "2 mL"
    assert app.causes.codes[0] == "pump_failure"
    assert "was not delivering" in app.cause_findings.value
    app.reservoir_checked.value = False
    assert app.causes.codes[0] == "catheter_failure"
    assert app.found.layout.display == "none"


def test_time_since_interruption_moves_the_marker_and_warns_when_late(app: WithdrawalApp) -> None:
    assert list(app.cause_fig.data[0].x) == [36.0]
    assert app.cause_fig.layout.xaxis.title.text == "time since delivery stopped (h)"
    app.hours.value = "5 day"
    assert list(app.cause_fig.data[0].x) == [120.0]
    assert "later than the usual onset" in app.cause_findings.value


def test_taper_step_down_plot(app: WithdrawalApp) -> None:
    y = np.asarray(app.taper_fig.data[0].y, dtype=float)
    assert y[0] == pytest.approx(500) and y[-1] == 0 and len(y) == 22  # 21 days (lionova 4.2: 2–4 weeks)
    assert np.all(np.diff(y) < 0)
    assert app.taper_fig.data[0].line.shape == "hv"
    assert app.taper_fig.layout.yaxis.title.text == "daily dose (µg/day)"
    app.taper_days.value = "14 day"
    assert "day 1: 464 µg/day" in app.taper_result.value
    assert len(app.taper_fig.data[0].y) == 15


def _parts(app: WithdrawalApp) -> dict[str, list]:
    return {
        "signs": [app.stage, app.actions, app.differentials, app.sign_findings],
        "causes": [app.cause_fig, app.cause_list, app.cause_findings],
        "taper": [app.taper_result, app.taper_fig],
        "holiday": [app.holiday_result, app.holiday_fig, app.holiday_actions, app.holiday_findings],
    }


def _values(ws: list) -> tuple:
    return tuple(w.value if hasattr(w, "value") else tuple(tuple(t.y) for t in w.data) for w in ws)


def _only_taper_withdrawn(app: WithdrawalApp, others: dict) -> None:
    """The taper's results are withdrawn; the three other parts keep theirs, on screen and unchanged."""
    parts = _parts(app)
    assert all(withdrawn(w) for w in parts["taper"]) and app.plan is None
    for name in ("signs", "causes", "holiday"):
        assert all(shown(w) for w in parts[name]) and _values(parts[name]) == others[name], name
    assert app.signs_status.message == app.causes_status.message == app.holiday_status.message == ""


def test_taper_length_refused_withdraws_the_taper_only(app: WithdrawalApp) -> None:
    others = {k: _values(v) for k, v in _parts(app).items()}
    app.taper_days.value = "7 day"  # lionova 4.2: a stop is gradual, over 2 to 4 weeks (the library's taper_length)
    assert app.taper_days.error_message == library_says(app.taper_days, "7 day")
    assert "is below the hard limit of 14 days" in app.taper_days.error_message
    assert "lionova 4.2" in app.taper_days.error_message
    assert app.taper_status.message.startswith("No result: The taper length 7 days")
    _only_taper_withdrawn(app, others)
    assert f"taper: no result: {app.taper_days.error_message}" in app.summary()
    assert "\ntaper: day 0" not in app.summary()
    app.taper_days.value = "28 day"
    assert app.taper_status.message == "" and len(app.taper_fig.data[0].y) == 29
    assert all(shown(w) for w in _parts(app)["taper"]) and "taper: day 0 500 µg/day; day 1 482 µg/day" in app.summary()


@pytest.mark.parametrize(
    "text, words",
    [
        ("", "is empty"),
        ("five hundred", "could not be read"),
        ("500", "has no unit"),
        ("500 mL", ", not a "),
        ("-1 ug/day", "cannot be negative; '-1 ug/day' was typed"),
    ],
)
def test_bad_dose_is_inline_and_withdraws_the_taper_only(app: WithdrawalApp, text: str, words: str) -> None:
    others = {k: _values(v) for k, v in _parts(app).items()}
    app.taper_dose.value = text
    assert app.taper_dose.error_message == library_says(app.taper_dose, text) and words in app.taper_dose.error_message
    assert "✖" in app.taper_dose.error.value
    _only_taper_withdrawn(app, others)
    assert f"taper: no result: {app.taper_dose.error_message}" in app.summary()
    # the rest still works
    app.signs["seizures"].value = True
    assert "ADVANCED" in app.stage.value and withdrawn(app.taper_result)
    # corrected: the taper comes back, computed from the new dose
    app.taper_dose.value = "420 ug/day"
    assert shown(app.taper_result) and shown(app.taper_fig) and app.taper_fig.data[0].y[0] == pytest.approx(420)
    assert "taper: day 0 420 µg/day; day 1 400 µg/day" in app.summary() and "no result" not in app.summary()


def test_drug_holiday_schedule_restart_and_refusal(app: WithdrawalApp) -> None:
    fig = app.holiday_fig
    assert fig.data[0].y[0] == pytest.approx(700) and fig.data[0].y[-1] == 0
    assert list(fig.data[1].y) == [pytest.approx(150)]
    assert "restart at <strong class='itb-restart'>150 µg/day</strong>" in app.holiday_result.value
    assert "Plan the drug holiday in hospital" in app.holiday_actions.value
    app.holiday_weeks.value = "2 week"
    assert len(fig.data[0].x) == 15
    taper = _values(_parts(app)["taper"])
    app.holiday_weeks.value = "6 week"  # past the library's holiday_length: refused at the field
    assert app.holiday_weeks.error_message == library_says(app.holiday_weeks, "6 week")
    assert "2 to 4 weeks" in app.holiday_status.message and app.holiday_status.message.startswith("No result")
    assert all(withdrawn(w) for w in _parts(app)["holiday"]) and "holiday: no result: " in app.summary()
    assert all(shown(w) for w in _parts(app)["taper"]) and _values(_parts(app)["taper"]) == taper
    app.holiday_restart.value = "900 ug/day"
    # still refused for the weeks: the status keeps saying why, and no plan is shown
    assert "2 to 4 weeks" in app.holiday_status.message and withdrawn(app.holiday_result)
    app.holiday_weeks.value = "4 week"
    assert shown(app.holiday_result) and len(fig.data[0].x) == 29
    assert "above the dose before the holiday" in app.holiday_findings.value


def test_no_label_chooser_but_the_drug_holiday_difference_is_shown(app: WithdrawalApp) -> None:
    # staging and management are the same in both labels (the steps in lionova's words); only lioresal describes a
    # drug holiday; lioresal words the bridge to a delayed restart its own way, and each text lists its own signs
    assert app.label not in app.children
    assert app.label_differences == ("drug_holiday", "withdrawal_bridge", "withdrawal_signs")
    assert "drug holiday" in app.differences.value and "delayed restart" in app.differences.value


def test_summary(app: WithdrawalApp) -> None:
    s = app.summary()
    assert "withdrawal stage: early (lionova 4.4)" in s
    assert "likely causes: low_reservoir, catheter_failure" in s
    assert "day 1 476 µg/day" in s
    assert "restart 150 µg/day" in s
    assert repr(app) == "<WithdrawalApp: Withdrawal>"
