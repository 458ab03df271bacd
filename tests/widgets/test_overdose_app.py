"""The overdose app driven without a browser: results, plots, inline errors, label switch.

For training only, not for treating patients.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import time

import _html
import numpy as np
import pytest
from _panel import library_says, shown, withdrawn

from itbcore import scenarios
from widgets.overdose import OverdoseApp, build_app


@pytest.fixture
def app() -> OverdoseApp:
    return build_app()


def _curves(app: OverdoseApp):
    return np.asarray(app.fig.data[0].y, dtype=float), np.asarray(app.fig.data[1].y, dtype=float)


def test_default_access_port_injection_shows_factor_and_curves(app: OverdoseApp) -> None:
    # Access port: 2 mg/mL × 20 mL = 40000 µg at once, 80 daily doses of 500 µg/day (lionova 4.4).
    assert "40\u202f000 µg = 80 × the intended daily dose (500 µg/day)" in app.scenario_result.value
    assert "lionova 4.4" in app.scenario_result.value
    intended, delivered = _curves(app)
    assert len(intended) == len(delivered) == len(app.fig.data[0].x) > 100
    assert delivered.max() > 50 * intended.max()
    assert app.fig.layout.xaxis.title.text == "time after the error (h)"
    assert "ng/mL" in app.fig.layout.yaxis.title.text
    assert app.status.message == "" and app.scenario_status.message == ""


def test_flex_mixup_is_24_fold(app: OverdoseApp) -> None:
    app.scenario.value = "flex_mixup"
    assert "1440 µg/day ÷ 60 µg/day = ×24" in app.scenario_result.value
    assert app.setting_boxes["flex_mixup"].layout.display is None
    assert app.setting_boxes["access_port_injection"].layout.display == "none"
    intended, delivered = _curves(app)
    assert delivered[-1] == pytest.approx(24 * intended[-1], rel=1e-6)


def test_changing_a_setting_changes_result_and_plot(app: OverdoseApp) -> None:
    app.scenario.value = "concentration_mismatch"
    before = _curves(app)[1].copy()
    app.fields["concentration_mismatch"]["filled_concentration"].value = "500 ug/mL"
    assert "= ×1" in app.scenario_result.value and "as intended" in app.scenario_result.value
    assert not np.allclose(before, _curves(app)[1])


def test_unit_slip_under_dose_warns_of_withdrawal(app: OverdoseApp) -> None:
    app.scenario.value = "unit_slip"
    app.fields["unit_slip"]["slip"].value = "ug_for_mg"
    assert "withdrawal" in app.scenario_result.value
    assert any(f.code == "withdrawal_risk" for f in app.result.findings)


@pytest.mark.parametrize("code", list(scenarios.SCENARIOS))
def test_every_scenario_builds_without_error(app: OverdoseApp, code: str) -> None:
    app.scenario.value = code
    assert app.scenario_status.message == "", app.scenario_status.message
    assert app.result.code == code
    assert len(app.fig.data[1].y) > 0


def _parts(app: OverdoseApp) -> dict[str, list]:
    return {
        "scenario": [app.scenario_result, app.fig, app.scenario_findings],
        "signs": [app.grade, app.actions, app.sign_findings],
        "physostigmine": [app.physo_result, app.physo_cautions],
    }


@pytest.mark.parametrize("text", ["", "abc", "20", "20 mg", "-5 mL", "nan mL"])
def test_bad_setting_is_inline_and_withdraws_the_scenario_only(app: OverdoseApp, text: str) -> None:
    field = app.fields["access_port_injection"]["volume"]
    sign_html, physo = app.actions.value, app.physo_result.value
    field.value = text
    assert field.error_message and field.error_message == library_says(field, text), text
    assert "✖" in field.error.value
    # the scenario's results are withdrawn; the signs and physostigmine parts keep theirs, on screen
    assert all(withdrawn(w) for w in _parts(app)["scenario"]) and app.result is None
    assert app.scenario_status.message.startswith("No result") and field.error_message in app.scenario_status.message
    assert f"scenario: no result: {field.error_message}" in app.summary() and "factor:" not in app.summary()
    assert all(shown(w) for w in _parts(app)["signs"] + _parts(app)["physostigmine"])
    assert app.actions.value == sign_html and app.physo_result.value == physo
    assert app.signs_status.message == app.physo_status.message == ""
    # the rest of the app still works
    app.signs["coma"].value = True
    assert "SEVERE" in app.grade.value and withdrawn(app.scenario_result)
    # corrected: the scenario comes back, computed from it (2 mg/mL × 10 mL)
    field.value = "10 mL"
    assert all(shown(w) for w in _parts(app)["scenario"]) and app.scenario_status.message == ""
    assert "20\u202f000 µg = 40 × the intended daily dose (500 µg/day)" in app.scenario_result.value


def test_a_refused_setting_of_another_scenario_withdraws_nothing_until_it_is_chosen(app: OverdoseApp) -> None:
    hidden = app.fields["flex_mixup"]["intended_daily_dose"]
    shown_before = app.scenario_result.value
    hidden.value = "5000 ug/day"  # past the library's hard limit, in a scenario not on screen
    assert hidden.error_message == library_says(hidden, "5000 ug/day")
    assert shown(app.scenario_result) and app.scenario_result.value == shown_before
    app.scenario.value = "flex_mixup"  # now it is on screen: no result from it
    assert withdrawn(app.scenario_result) and app.setting_boxes["flex_mixup"].layout.display is None
    hidden.value = "120 ug/day"
    assert shown(app.scenario_result) and "2880 µg/day ÷ 120 µg/day = ×24" in app.scenario_result.value


def test_bad_setting_message_words(app: OverdoseApp) -> None:
    field = app.fields["access_port_injection"]["volume"]
    field.value = "20"
    assert "no unit" in field.error_message
    field.value = "20 mg"
    assert "mL" in field.error_message


def test_refused_weight_withdraws_the_childs_physostigmine_dose_only(app: OverdoseApp) -> None:
    # A weight past the drug library's hard limit is refused at the field: no dose by weight from it.
    app.age.value = 8
    good = app.physo_result.value
    assert "0.5 mg" in good  # 0.02 mg/kg × 25 kg (lioresal Overdose)
    scenario = app.scenario_result.value
    app.weight.value = "1000 kg"
    assert app.weight.error_message == library_says(app.weight, "1000 kg")
    assert "hard limit of 300 kg" in app.weight.error_message
    assert all(withdrawn(w) for w in _parts(app)["physostigmine"]) and shown(app.physo_warning)
    assert "physostigmine: no result: " in app.summary()
    assert app.scenario_status.message == "" and app.signs_status.message == ""
    assert shown(app.scenario_result) and app.scenario_result.value == scenario
    app.age.value = 40  # an adult's dose does not depend on the weight (the field is hidden): shown again
    assert app.weight.layout.display == "none" and shown(app.physo_result) and "2 mg" in app.physo_result.value
    app.age.value = 8
    assert withdrawn(app.physo_result)
    app.weight.value = "10 kg"
    assert app.physo_status.message == ""
    assert "0.2 mg" in app.physo_result.value


def test_signs_grade_and_ordered_actions_with_sources(app: OverdoseApp) -> None:
    assert "MILD" in app.grade.value
    app.signs["respiratory_depression"].value = True
    assert "SEVERE" in app.grade.value
    html = app.actions.value
    # airway first, then the order of lionova 4.9: admit, empty the pump, CSF, circulation
    assert (
        html.index("Intubate") < html.index("Admit") < html.index("Remove the remaining") < html.index("cardiovascular")
    )
    assert "(lionova 4.9)" in _html.text(html)
    assert "30–40 mL" in html
    app.lp_contraindicated.value = True
    assert "30–40 mL" not in app.actions.value
    assert "Lumbar puncture is contraindicated" in app.sign_findings.value


def test_no_signs_means_no_actions(app: OverdoseApp) -> None:
    for cb in app.signs.values():
        cb.value = False
    assert "NONE" in app.grade.value
    assert "No action needed" in app.actions.value


def test_label_switch_changes_physostigmine_and_sources(app: OverdoseApp) -> None:
    app.signs["coma"].value = True
    assert "physostigmine" not in app.actions.value.lower()
    assert "no antidote" in app.physo_warning.value
    assert "(lionova 4.9)" in _html.text(app.actions.value)
    app.label.value = "lioresal"
    assert "physostigmine" in app.actions.value.lower()
    assert "(lioresal Overdose)" in _html.text(app.actions.value)
    assert "lioresal label lists physostigmine" in app.physo_warning.value
    assert "advises against" in app.physo_warning.value
    assert "(applied here)" in app.differences.value
    assert app.summary().startswith("label profile: lioresal")


def test_label_switch_changes_too_fast_titration_band_for_children(app: OverdoseApp) -> None:
    app.scenario.value = "too_fast_titration"
    app.fields["too_fast_titration"]["population"].value = "pediatric"
    lionova = app.result.intended_daily_dose
    app.label.value = "lioresal"  # lioresal: children of spinal origin +5–15 %, lionova +10–30 %
    assert app.result.intended_daily_dose < lionova


def test_physostigmine_warning_always_visible(app: OverdoseApp) -> None:
    for label in ("lionova", "lioresal"):
        app.label.value = label
        assert "practice" in app.physo_warning.value and "advises against" in app.physo_warning.value


def test_summary_has_the_clinical_numbers(app: OverdoseApp) -> None:
    s = app.summary()
    assert "factor: 40\u202f000 µg = 80 × the intended daily dose (500 µg/day)" in s
    assert "overdose grade: mild" in s
    assert "physostigmine (lioresal Overdose, adult): 2 mg per dose" in s
    assert repr(app) == "<OverdoseApp: Overdose>"


def test_log_axis_toggle(app: OverdoseApp) -> None:
    app.log_axis.value = True
    assert app.fig.layout.yaxis.type == "log"
    assert "log scale" in app.fig.layout.yaxis.title.text


def test_setting_change_is_fast(app: OverdoseApp) -> None:
    field = app.fields["access_port_injection"]["volume"]
    times = []
    for v in ("10 mL", "15 mL", "20 mL", "5 mL", "12 mL"):
        t0 = time.perf_counter()
        field.value = v
        times.append(time.perf_counter() - t0)
    assert sorted(times)[len(times) // 2] < 0.25  # generous bound for a shared machine; typical < 50 ms
