"""The screening app without a browser: displayed text, figure data, inline refusals, label profiles.

For training only, not for treating patients.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pytest
from _panel import library_says, shown, withdrawn

from widgets.screening import ScreeningApp, build_app


@pytest.fixture
def app() -> ScreeningApp:
    return build_app()


def _ladder_text(app: ScreeningApp) -> list[str]:
    return [r["text"].value for r in app.rows if r["box"].layout.display != "none"]


def _results(app: ScreeningApp) -> list:
    """The results of the patient, the first test dose and the responses (withdrawn together)."""
    return [
        app.eligibility,
        app.warnings,
        app.decision,
        app.decision_findings,
        app.fig,
        app.timeline_sources,
        *(r["text"] for r in app.rows),
    ]


def _is_withdrawn(app: ScreeningApp, why: str) -> None:
    """Every result withdrawn, the reason said in the status and the summary, the responses kept."""
    assert all(withdrawn(w) for w in _results(app)), [type(w).__name__ for w in _results(app) if not withdrawn(w)]
    assert app.status.message.startswith("No result") and why in app.status.message
    assert app.summary() == f"no result: {why}"


def test_default_state_shows_banner_ladder_volumes_and_decision(app):
    assert "not for treating patients" in app.banner.value
    assert app.status.message == ""
    assert all(shown(w) for w in _results(app))
    rows = _ladder_text(app)
    # lionova 4.2: 50 µg/mL solution only; 25 µg steps to 100 µg; 50 µg = 1 mL, 75 µg = 1.5 mL, 100 µg = 2 mL.
    assert len(rows) == 3
    assert "50 µg" in rows[0] and "1 mL" in rows[0]
    assert "75 µg" in rows[1] and "1.5 mL" in rows[1]
    assert "100 µg" in rows[2] and "2 mL" in rows[2]
    # The app opens before any bolus is given: give the first one.
    assert [r["toggle"].value for r in app.rows] == ["none"] * len(app.rows)
    assert "Give the first test bolus: 50 µg (1 mL" in app.decision.value and "lionova 4.2" in app.decision.value
    assert "Suggested first bolus" in app.suggestion.value and "Boster" in app.suggestion.value
    # The first bolus is recorded without response: escalate to 75 µg after at least 24 h.
    app.rows[0]["toggle"].value = "no"
    assert "Escalate" in app.decision.value and "75 µg" in app.decision.value and "24 h" in app.decision.value


def test_timeline_plots_given_bolus_and_next_bolus_24_h_later(app):
    d = app.fig.data
    # Nothing given yet: only the first bolus, at 0 h.
    assert list(d[6].x) == [] and list(d[7].x) == [0.0] and "50 µg" in d[7].y[0]
    app.rows[0]["toggle"].value = "no"
    # bolus 1 at 0 h: observation bar 0–4 h, peak at 4 h; the next bolus not before 24 h.
    assert list(d[6].x) == [0.0] and list(d[0].base) == [0.0] and list(d[0].x) == [4.0]
    assert list(d[5].x) == [4.0]
    assert list(d[7].x) == [24.0] and "75 µg" in d[7].y[0]
    app.rows[1]["toggle"].value = "no"
    assert list(d[6].x) == [0.0, 24.0]
    assert list(d[7].x) == [48.0] and "100 µg" in d[7].y[0]
    assert app.fig.layout.xaxis.title.text == "time since the first test bolus (h)"


def test_responses_lead_to_candidate_or_not_candidate(app):
    app.rows[0]["toggle"].value = "yes"
    assert "Candidate" in app.decision.value
    assert app.rows[1]["toggle"].disabled
    assert list(app.fig.data[7].x) == []  # no next bolus
    app.rows[0]["toggle"].value = "no"
    assert not app.rows[1]["toggle"].disabled
    app.rows[1]["toggle"].value = "no"
    app.rows[2]["toggle"].value = "no"
    assert "Not a candidate" in app.decision.value
    assert "no_response_at_max" not in app.decision.value
    assert "maximum test dose of 100 µg" in app.decision_findings.value
    assert "violation" in app.decision_findings.value


def test_resetting_a_response_clears_the_later_ones(app):
    app.rows[1]["toggle"].value = "no"
    app.rows[0]["toggle"].value = "none"
    assert app.rows[1]["toggle"].value == "none" and app.rows[1]["toggle"].disabled
    assert "Give the first test bolus" in app.decision.value and "50 µg" in app.decision.value


def test_first_dose_change_updates_ladder_and_volumes(app):
    app.first_dose.value = "25 ug"
    rows = _ladder_text(app)
    assert len(rows) == 4 and "0.5 mL" in rows[0] and "2 mL" in rows[3]
    app.first_dose.value = "0.06 mg"  # 60 → 85 → 100 µg, the last step capped
    rows = _ladder_text(app)
    assert ["60 µg" in rows[0], "85 µg" in rows[1], "100 µg" in rows[2]] == [True, True, True]
    assert "1.2 mL" in rows[0]


@pytest.mark.parametrize(
    "entry, words",
    [
        ("", "is empty"),
        ("fifty", "could not be read"),
        ("50", "no unit"),
        ("50 mL", ", not a "),
        # lionova 4.2: a test bolus is above zero and at most 100 µg (the drug library's test_dose limit)
        ("125 ug", "is above the hard limit of 100 µg"),
        ("0 ug", "must be above zero"),
    ],
)
def test_bad_first_dose_is_inline_and_withdraws_the_result(app, entry, words):
    app.rows[0]["toggle"].value = "no"
    updates, origin, responses = app.updates, app.origin.value, [r["toggle"].value for r in app.rows]
    app.first_dose.value = entry
    # the library's words, at the field
    assert (
        app.first_dose.error_message == library_says(app.first_dose, entry) and words in app.first_dose.error_message
    ), app.first_dose.error_message
    assert 'role="alert"' in app.first_dose.error.value and app.first_dose.readback == "not read"
    # every result of the old dose is withdrawn; nothing was recomputed; the other inputs stay as they were
    _is_withdrawn(app, app.first_dose.error_message)
    assert app.updates == updates and app.origin.value == origin
    assert [r["toggle"].value for r in app.rows] == responses
    # corrected: the results come back, recomputed from it
    app.first_dose.value = "25 ug"
    assert app.first_dose.error_message == "" and app.first_dose.error.value == ""
    assert all(shown(w) for w in _results(app)) and app.status.message == ""
    assert "0.5 mL" in _ladder_text(app)[0] and "Escalate: give 50 µg (1 mL" in app.decision.value
    assert "bolus 1: 25 µg = 0.5 mL (no response)" in app.summary()


def test_refused_dose_message_survives_other_changes_and_the_result_stays_withdrawn(app):
    app.first_dose.value = "125 ug"
    app.origin.value = "cerebral"  # another change while the dose is refused: nothing is computed
    assert "is above the hard limit of 100 µg" in app.first_dose.error_message
    _is_withdrawn(app, app.first_dose.error_message)
    app.first_dose.value = "75 ug"
    assert "75 µg" in _ladder_text(app)[0] and "cerebral origin" in app.eligibility.value
    assert all(shown(w) for w in _results(app))


def test_bad_age_is_inline_and_withdraws_the_result(app):
    app.age.value = "200 years"
    assert app.age.error_message == library_says(app.age, "200 years")
    assert "is above the hard limit of 120 years" in app.age.error_message
    _is_withdrawn(app, app.age.error_message)
    assert app.first_dose.error_message == ""  # the refusal is the age's alone
    app.age.value = "60 years"
    assert all(shown(w) for w in _results(app)) and "60 years" in app.eligibility.value


def test_under_4_is_refused_with_each_labels_wording(app):
    app.age.value = "3 years"
    assert "not established" in app.age.error.value and "lionova 4.2" in app.age.error.value
    assert "Not eligible" in app.eligibility.value
    # screening_warnings refuses a patient under 4 like every screening function: no warnings are listed
    assert "Under 4 years" not in app.warnings.value
    assert _ladder_text(app) == [] and list(app.fig.data[7].x) == []
    # not eligible is a result of the inputs on screen, shown (not withdrawn)
    assert shown(app.eligibility) and app.summary().splitlines()[2].startswith("not eligible:")
    assert "applied here" in app.differences.value
    app.label.value = "lioresal"
    assert "contraindication" in app.age.error.value and "lioresal Contraindications" in app.age.error.value
    assert "Not eligible" in app.eligibility.value
    app.age.value = "8 years"
    assert app.age.error.value == "" and "Eligible" in app.eligibility.value
    assert len(_ladder_text(app)) == 3 and list(app.fig.data[7].x) == [0.0]


def test_contraindication_checkbox_refuses(app):
    app.conditions["hypersensitivity"].value = True
    assert "Not eligible" in app.eligibility.value and "contraindication" in app.eligibility.value


def test_medicines_and_conditions_give_warnings_with_sources(app):
    app.medicines["benzodiazepine"].value = True
    app.conditions["infection"].value = True
    text = app.warnings.text()
    assert "[violation] The patient must be free of infection" in text
    assert "respiratory depression" in text and "(lionova 4.2)" in text
    app.label.value = "lioresal"
    assert "(lioresal Dosing: initial phase)" in app.warnings.text()


def test_label_switch_changes_sources_and_warnings(app):
    app.conditions["diabetes"].value = True
    lionova = app.warnings.text()
    assert "[info] Diabetes mellitus" in lionova  # lionova 4.4 does not list diabetes
    app.label.value = "lioresal"
    lioresal = app.warnings.text()
    assert "[warning] Diabetes mellitus" in lioresal
    assert "lioresal Dosing: initial phase" in app.decision.value
    assert lionova != lioresal


def test_relies_on_spasticity_changes_the_suggestion(app):
    app.relies.value = True
    assert "25 µg" in app.suggestion.value and "relies on spasticity" in app.suggestion.value


def test_very_small_child_only_for_children(app):
    assert app.small_child.disabled
    app.age.value = "6 years"
    assert not app.small_child.disabled
    app.small_child.value = True
    assert "very small child" in app.suggestion.value
    app.age.value = "30 years"
    assert app.small_child.disabled and app.status.message == ""


def test_summary_carries_the_clinical_numbers(app):
    s = app.summary()
    assert "bolus 1: 50 µg = 1 mL (not given)" in s and "bolus 2: 75 µg = 1.5 mL (not given)" in s
    assert "decision: give the first test bolus" in s
    app.rows[0]["toggle"].value = "no"
    s = app.summary()
    assert "bolus 1: 50 µg = 1 mL (no response)" in s
    assert "decision: escalate, next 75 µg after 24 h" in s
