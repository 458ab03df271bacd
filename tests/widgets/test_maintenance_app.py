"""The maintenance-and-refill app without a browser: results, figures, inline errors, label switch.

For training only, not for treating patients.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import datetime as dt

import _html
import pytest
from _panel import confirm, library_says, shown, snapshot, withdrawn

from widgets.maintenance import TABS, MaintenanceApp, build_app


@pytest.fixture(scope="module")
def _app_cache():
    return {}


@pytest.fixture
def app() -> MaintenanceApp:
    a = build_app()
    a.refill.fill_date.value = dt.date(2025, 1, 6)
    return a


def _text(widget) -> str:
    return widget.value


def _tab_results(app: MaintenanceApp) -> dict[str, list]:
    """Each tab's results (the bridge and residual parts of their tab are a panel each)."""
    return {
        "refill": [app.refill.result, app.refill.fig, app.refill.findings],
        "dilution": [app.dilution.result, app.dilution.fig, app.dilution.findings],
        "flex": [app.flex.guard, app.flex.result, app.flex.fig, app.flex.findings],
        "bridge": [app.bridge.bridge_result, app.bridge.fig, app.bridge.bridge_findings],
        "residual": [app.bridge.residual_result, app.bridge.residual_findings],
        "settings": [app.settings.result, app.settings.findings],
    }


def _snapshot(app: MaintenanceApp) -> dict[str, tuple | None]:
    """What each panel shows, or None while it is withdrawn."""
    return snapshot(_tab_results(app))


def _only(app: MaintenanceApp, before: dict, *gone: str) -> None:
    """The panels ``gone`` are withdrawn; every other tab keeps its results, on screen and unchanged."""
    assert _snapshot(app) == {k: (None if k in gone else v) for k, v in before.items()}


def test_builds_with_five_tabs_and_no_error(app):
    assert [app.tabs.get_title(i) for i in range(len(TABS))] == list(TABS)
    assert app.status.message == ""
    for s in app.sections:
        assert s.status.message == "", type(s).__name__
    assert repr(app) == "<MaintenanceApp: Maintenance and refill>"


# ---------------------------------------------------------------------------------------------- refill plan
def test_refill_plan_default_numbers_and_figure(app):
    r = app.refill
    text = _text(r.result)
    # 20 mL, 500 µg/mL, 100 µg/day: 0.2 mL/day, alarm (2 mL) after 90 days, empty after 100 (pump doctest)
    assert "0.2 mL/day" in text and "after 90 days, on 2025-04-06" in text and "after 100 days" in text
    assert "Refill after 86 days, on 2025-04-02" in text and "alarm margin" in text
    x, y = r.fig.data[0].x, r.fig.data[0].y
    assert list(y) == [20.0, 2.0, 0.0]
    assert x[0] == dt.datetime(2025, 1, 6) and x[2] == dt.datetime(2025, 4, 16)
    assert list(r.fig.data[1].y) == [2.0, 2.0]  # alarm level line
    assert r.fig.data[3].x[0] == dt.datetime(2025, 4, 2)  # refill marker
    assert r.fig.data[3].y[1] == pytest.approx(2.8)  # 20 mL - 86 day × 0.2 mL/day
    assert r.fig.layout.yaxis.title.text == "volume in reservoir (mL)"
    codes = [f.code for f in r.findings.items]
    assert "observe_after_refill" in codes and "stability_not_stated" in codes
    assert "(lionova 4.4)" in _html.text(r.findings.value)  # sources next to the findings


def test_label_switch_caps_refill_at_eleven_weeks(app):
    r = app.refill
    assert "Refill after 86 days" in r.result.value
    app.label.value = "lioresal"
    # lioresal Stability of the drug: 11 weeks in a SynchroMed pump → 77 days
    assert "Refill after 77 days, on 2025-03-24" in r.result.value
    assert "lioresal 11-week stability" in r.result.value
    assert r.fig.data[4].visible is True and r.fig.data[4].x[0] == dt.datetime(2025, 3, 24)
    assert "stability_cap" in [f.code for f in r.findings.items]
    assert "(applied here)" in app.differences.value
    app.label.value = "lionova"
    assert "Refill after 86 day" in r.result.value


def test_long_interval_capped_at_180_days(app):
    app.refill.reservoir.value = "40 mL"
    assert "manufacturer 180-day cap" in app.refill.result.value
    assert "after 190 day" in app.refill.result.value


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "is empty"),
        ("twenty", "could not be read"),
        ("20 mg", "is a mass, not a volume"),
        ("20", "has no unit"),
        ("500 mL", "is above the hard limit of 40 mL"),
    ],
)
def test_bad_reservoir_entry_is_inline_and_withdraws_the_refill_plan(app, text, message):
    r = app.refill
    before = _snapshot(app)
    r.reservoir.value = text
    assert r.reservoir.error_message == library_says(r.reservoir, text)
    assert message.lower() in r.reservoir.error_message.lower(), r.reservoir.error_message
    _only(app, before, "refill")  # the other tabs keep their results
    assert r.status.message.startswith("No result") and app.summary().startswith(
        f"no result: {r.reservoir.error_message}\ndilution: "
    )
    r.reservoir.value = "25 mL"  # corrected: the plan comes back, computed from it
    # (25 − 2) mL at 0.2 mL/day: the alarm after 115 days, the refill 4 days before it
    assert all(shown(w) for w in _tab_results(app)["refill"]) and "Refill after 111 days" in r.result.value
    assert list(r.fig.data[0].y) == [25.0, 2.0, 0.0] and r.status.message == ""


def test_itbcore_refusal_withdraws_the_tab_and_other_tabs_keep_their_results(app):
    r = app.refill
    before = _snapshot(app)
    r.alarm.value = "25 mL"  # past the drug library's hard limit: refused at the field
    assert r.alarm.error_message == library_says(r.alarm, "25 mL") and "hard limit of 10 mL" in r.alarm.error_message
    _only(app, before, "refill")
    r.reservoir.value = "8 mL"
    r.alarm.value = "9 mL"  # past the soft limit: waits for Confirm, results withdrawn meanwhile
    assert r.status.message.startswith("No result yet") and withdrawn(r.result)
    confirm(r.alarm)  # confirmed with a reason, then refused by itbcore.refill_plan (two fields disagree)
    assert "must be below the reservoir volume" in r.status.message
    _only(app, before, "refill")
    app.dilution.target.value = "400 ug/mL"  # another tab works meanwhile
    assert shown(app.dilution.result) and "16 mL" in app.dilution.result.value and withdrawn(r.result)
    r.alarm.value = "2 mL"
    assert r.status.message == "" and r.alarm.error_message == "" and shown(r.result)
    assert "alarm after 30 days" in r.summary()  # (8 − 2) mL at 0.2 mL/day


def test_empty_fill_date_is_inline_and_withdraws_the_plan(app):
    r = app.refill
    before = _snapshot(app)
    r.fill_date.value = None
    assert "Give the date of this fill" in r.date_error.value
    _only(app, before, "refill")  # the dates belonged to the old fill date
    assert "Give the date of this fill" in r.status.message and r.summary().startswith("no result: Give the date")
    r.fill_date.value = dt.date(2025, 2, 1)
    assert r.date_error.value == "" and shown(r.result) and "Refill after 86 days, on 2025-04-28" in r.result.value


# ---------------------------------------------------------------------------------------------- dilution
def test_dilution_and_ampoules(app):
    d = app.dilution
    text = d.result.value
    # 300 µg/mL × 20 mL from 500 µg/mL: 12 mL stock + 8 mL NaCl; one 20 mL ampoule, 8 mL discarded
    assert "12 mL of 500 µg/mL" in text and "8 mL of sodium chloride 9 mg/mL (0.9 %)" in text
    assert "1 × 20 mL of 500 µg/mL" in text and "70.8 mg (3.08 mmol)" in text
    assert list(d.fig.data[0].x) == [12.0] and list(d.fig.data[1].x) == [8.0] and list(d.fig.data[2].x) == [8.0]
    d.stock.value = "2000 ug/mL"
    # 2 mg/mL: 3 mL of stock → one 5 mL ampoule, 2 mL discarded
    assert "3 mL of 2000 µg/mL" in d.result.value and "Discarded</th><td>2 mL" in d.result.value


def test_glucose_diluent_refused_inline_and_withdraws_the_dilution(app):
    d = app.dilution
    before = _snapshot(app)
    d.diluent.value = "glucose 5%"
    assert "incompatible with baclofen (lionova 6.2)" in d.diluent_error_message
    assert "incompatible" in d.diluent_error.value
    _only(app, before, "dilution")
    assert d.status.message.startswith("No result") and d.summary().startswith("no result: ")
    d.diluent.value = "water for injection"
    assert "only allowed diluent" in d.diluent_error_message and withdrawn(d.result)
    d.diluent.value = "NaCl 0.9%"
    assert d.diluent_error_message == "" and d.diluent_error.value == ""
    assert _snapshot(app) == before


def test_target_above_stock_refused_and_the_dilution_withdrawn(app):
    d = app.dilution
    before = _snapshot(app)
    d.target.value = "1000 ug/mL"
    assert "above the stock" in d.status.message
    _only(app, before, "dilution")
    d.target.value = "250 ug/mL"  # 250 µg/mL × 20 mL from 500 µg/mL: 10 mL of stock
    assert shown(d.result) and "10 mL of 500 µg/mL" in d.result.value


# ---------------------------------------------------------------------------------------------- flex
def test_flex_576_against_480_is_not_called_a_match(app):
    f = app.flex
    for row in f.rows:
        row.rate.value = "24 ug/h"
    assert "is +20 % against the intended 480 µg/day" in f.guard.value and "matches" not in f.guard.value
    f.intended.value = "576 ug/day"
    assert "equals the intended 576 µg/day" in f.guard.value


def test_flex_default_programme_and_plot(app):
    f = app.flex
    assert "520 µg/day" in f.result.value  # flex_programme doctest: 6 h 20 µg/h, 20 h 24 µg/h
    assert list(f.fig.data[0].x) == [0.0, 6.0, 20.0, 24.0]
    assert list(f.fig.data[0].y) == [24.0, 20.0, 24.0, 24.0]
    assert f.fig.data[1].y[0] == pytest.approx(20.0)  # 480 µg/day as µg/h
    # 520 against 480 µg/day is no mix-up, but not a "match" either: the difference is named
    assert "is +8 % against the intended 480 µg/day" in f.guard.value and "matches" not in f.guard.value
    # lionova 4.2: programme 2 h before the wanted effect (22 h → 20 h)
    assert "Programme the change at <strong>20 h</strong>" in f.helper.value


def test_flex_per_hour_per_day_mixup_is_prominent(app):
    f = app.flex
    f.rows[0].rate.value = "480 ug/h"  # 480 µg/day typed per hour: past the hourly hard limit
    assert "hard limit of 125 µg/h" in f.rows[0].rate.error_message
    f.intended.value = "100 ug/day"
    f.rows[0].rate.value = "100 ug/h"
    f.rows[1].rate.value = "100 ug/h"
    assert "VIOLATION" in f.guard.value and "per-hour / per-day mix-up" in f.guard.value
    assert [x.code for x in f.guard_findings] == ["per_hour_per_day_mixup"]


def test_flex_add_remove_and_label_example(app):
    f = app.flex
    f.add_step()  # starts at 12 h with the last rate
    assert len(f.rows) == 3
    assert list(f.fig.data[0].x) == [0.0, 6.0, 12.0, 20.0, 24.0]
    f.remove_step(f.rows[-1])
    assert len(f.rows) == 2
    f.load_label_example()
    # flex_from_continuous("480 ug/day"): 20 µg/h from 4 h, 24 µg/h from 20 h, 512 µg/day
    assert "512 µg/day" in f.result.value
    assert list(f.fig.data[0].x) == [0.0, 4.0, 20.0, 24.0]


def test_flex_bad_step_withdraws_the_programme(app):
    f = app.flex
    before = _snapshot(app)
    f.rows[0].start.value = "25 h"  # the library's hour_of_day: a pump's day runs from 0 h to before 24 h
    assert f.rows[0].start.error_message == library_says(f.rows[0].start, "25 h")
    assert "must be below 24 h" in f.rows[0].start.error_message
    _only(app, before, "flex")
    assert f.status.message.startswith("No result: The step start 25 h")
    f.rows[1].rate.value = "30 ug/h"  # another change while a step is wrong: still no programme
    assert withdrawn(f.fig) and f"no result: {f.rows[0].start.error_message}" in app.summary()
    f.rows[0].start.value = "6 h"
    assert f.status.message == "" and shown(f.fig) and list(f.fig.data[0].y) == [30.0, 20.0, 30.0, 30.0]
    f.rows[1].start.value = "6 h"  # duplicate start: refused by itbcore.flex_programme
    assert "same hour" in f.status.message
    _only(app, before, "flex")
    f.rows[1].start.value = "21 h"
    assert shown(f.fig) and list(f.fig.data[0].x) == [0.0, 6.0, 21.0, 24.0]


def test_remove_last_step_refused(app):
    f = app.flex
    f.remove_step(f.rows[0])
    f.remove_step(f.rows[0])
    assert len(f.rows) == 1 and "at least one step" in f.status.message


# ---------------------------------------------------------------------------------------------- bridge, residual
def test_bridge_bolus(app):
    b = app.bridge
    # pump doctest: 500 → 2000 µg/mL at 480 µg/day, 50 cm × 2 µL/cm + 100 µL
    assert "200 µL over 5 h" in b.bridge_result.value and "120 µg/day for 20 h" in b.bridge_result.value
    assert "Neuromodulation 2016" in b.bridge_result.value
    assert list(b.fig.data[0].y) == [120.0, 480.0, 480.0] and list(b.fig.data[0].x)[1] == 20.0
    b.new.value = "500 ug/mL"
    assert "no_bridge_needed" in [f.code for f in b.bridge_findings.items]


def test_residual_discrepancy_warns_against_restart(app):
    b = app.bridge
    assert "OK" in b.residual_result.value
    b.found.value = "19 mL"
    assert "DISCREPANCY" in b.residual_result.value and "do not simply refill and restart" in b.residual_result.value
    assert [f.code for f in b.residual_findings.items] == ["pump_not_delivering"]
    assert "overdose" in b.residual_findings.value
    before = _snapshot(app)
    b.found.value = "-3 mL"
    assert b.found.error_message == "The volume found cannot be negative; '-3 mL' was typed."
    _only(app, before, "residual")  # the bridge bolus, in the same tab, keeps its result
    assert "residual: no result: The volume found cannot be negative" in app.summary()
    b.found.value = "6 mL"
    assert shown(b.residual_result) and "OK" in b.residual_result.value


# ---------------------------------------------------------------------------------------------- settings
def test_programme_accepted_without_violation(app):
    s = app.settings
    s.press_programme()
    assert "Programmed (training simulation)" in s.outcome.value


def test_mg_ug_slip_refuses_programming(app):
    s = app.settings
    before = _snapshot(app)
    s.new_dose.value = "400 mg/day"  # past the hard limit: refused where it is typed, naming the slip
    assert s.new_dose.error_message == library_says(s.new_dose, "400 mg/day")
    assert "was mg written for µg?" in s.new_dose.error_message
    _only(app, before, "settings")  # no comparison of settings that are not on screen
    s.press_programme()
    assert "Not programmed" in s.outcome.value and shown(s.outcome)
    s.old_dose.value = "2 ug/day"  # below the soft limit: confirmed with a reason
    confirm(s.old_dose)
    s.new_dose.value = "2 mg/day"  # a thousandfold slip within the hard limit: caught by the comparison
    codes = [f.code for f in s.comparison]
    assert "dose_mg_ug_slip" in codes
    assert "mg/µg slip" in s.findings.value
    s.press_programme()
    assert "Programming refused" in s.outcome.value and "mg/µg" in s.outcome.value
    s.old_dose.value = "400 ug/day"
    s.new_dose.value = "440 ug/day"
    assert s.outcome.value == ""
    s.press_programme()
    assert "Programmed" in s.outcome.value


def test_tenfold_concentration_change_refused(app):
    s = app.settings
    before = _snapshot(app)
    s.new_conc.value = "5000 ug/mL"  # above the strongest solution: refused at the field
    assert s.new_conc.error_message == library_says(s.new_conc, "5000 ug/mL")
    assert "hard limit of 2000 µg/mL" in s.new_conc.error_message
    _only(app, before, "settings")
    s.old_conc.value = "50 ug/mL"  # still no comparison: the new concentration on screen is refused
    assert withdrawn(s.result) and "settings: " not in app.summary()
    s.new_conc.value = "500 ug/mL"
    assert "concentration_tenfold" in [f.code for f in s.comparison] and shown(s.result)
    s.press_programme()
    assert "Programming refused" in s.outcome.value


def test_summary_lists_every_tab(app):
    text = app.summary()
    for word in (
        "refill after 86 day",
        "ampoules: 1",
        "daily total 520 µg/day",
        "bridge bolus",
        "residual",
        "settings",
    ):
        assert word in text


def test_updates_are_fast(app):
    import time

    r = app.refill
    times = []
    for v in range(3, 9):
        t = time.perf_counter()
        r.margin.value = v
        times.append(time.perf_counter() - t)
    assert r.updates >= 6
    # generous bound: the benchmark lives in bench/, this only catches a pathological slowdown
    assert sorted(times)[len(times) // 2] < 0.5


# ---------------------------------------------------------------------------------------------- lazy tabs
def test_only_the_first_tab_is_built_until_another_is_shown():
    a = build_app()
    assert list(a._built) == ["refill"]
    assert all(c is a._waiting for c in a.tabs.children[1:])
    a.label.value = "lioresal"
    a.tabs.selected_index = 2  # the user clicks "Flex dosing"
    assert list(a._built) == ["refill", "flex"] and a.tabs.children[2] is a.flex.widget
    assert a.flex.updates >= 1 and a.flex.status.message == ""  # shown at once, for the label chosen
    assert a.tabs.children[1] is a._waiting
    a.tabs.selected_index = 0
    a.tabs.selected_index = 2  # built once
    assert a.tabs.children[2] is a.flex.widget and len(a._built) == 2
    assert "flex programme" in a.summary() and len(a._built) == len(TABS)  # summary builds every tab


def test_a_label_change_updates_only_built_tabs_and_later_tabs_use_it():
    a = build_app()
    before = a.refill.updates
    a.label.value = "lioresal"
    assert a.refill.updates == before + 1 and list(a._built) == ["refill"]
    assert a.settings.updates == 1  # built now, refreshed once under the current label


def test_one_record_per_tab_keeps_titles_attributes_and_sections_together():
    # issue 14: TABS, SECTIONS and five index properties were kept in step by hand
    app = build_app()
    assert tuple(t.title for t in MaintenanceApp.TAB_RECORDS) == TABS
    for i, t in enumerate(MaintenanceApp.TAB_RECORDS):
        section = getattr(app, t.name)
        assert isinstance(section, t.section) and app.tabs.children[i] is section.widget
    with pytest.raises(AttributeError, match="no tab 'pump'"):
        app.tab("pump")
