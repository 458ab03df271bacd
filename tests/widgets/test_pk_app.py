"""The CSF pharmacokinetics app without a browser: curves, band, steady state, ratio, inline errors.

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

from itbcore import pk
from widgets.pk import POPULATION_SIZE, PKApp, build_app, population


@pytest.fixture
def app() -> PKApp:
    return build_app()


def test_default_continuous_infusion(app):
    assert app.status.message == ""
    text = app.result.value
    # 500 µg/day at CL 30 mL/h → 694 ng/mL (pk doctest); t½ ln2·75/30 = 1.73 h; 95 % after 7.49 h
    assert "694 ng/mL" in text and "1.73 h" in text and "7.49 h" in text
    mean = np.asarray(app.fig.data[2].y)
    assert mean[0] == 0 and mean[-1] == pytest.approx(694.4, rel=1e-3)
    assert list(app.fig.data[3].y) == pytest.approx([694.44, 694.44], rel=1e-3)  # steady-state line
    assert app.fig.data[3].visible is not False
    low, high = np.asarray(app.fig.data[0].y), np.asarray(app.fig.data[1].y)
    assert len(low) == len(mean) == len(app.fig.data[0].x)
    assert np.all(low <= high) and low[-1] < mean[-1] < high[-1]
    assert app.fig.layout.xaxis.title.text == "time (h)"
    assert app.fig.layout.yaxis.title.text == "CSF baclofen (ng/mL)"


def test_population_is_cached_and_modest():
    assert population() is population()
    assert 500 <= POPULATION_SIZE <= 2000 and len(population()) == POPULATION_SIZE


def test_single_bolus_shows_half_life_and_no_steady_state(app):
    app.regimen.value = "bolus"
    assert app.duration.value == 12
    text = app.result.value
    assert "667 ng/mL" in text  # 50 µg / 75 mL (pk doctest)
    assert app.fig.data[3].visible is False
    assert app.fig.data[4].visible is True
    assert app.fig.data[4].x[0] == pytest.approx(1.733, rel=1e-3)
    assert app.fig.data[4].y[0] == pytest.approx(333.3, rel=1e-3)  # half the peak one half-life later
    assert np.argmax(app.fig.data[2].y) == 0
    assert "peak 667 ng/mL" in app.summary()


def test_flex_programme_uses_itbcore_flex(app):
    app.regimen.value = "flex"
    # flex_from_continuous("500 ug/day"), +20 % from 20 h to 4 h: 533 µg/day, steady state 741 ng/mL
    assert "533 µg/day" in app.result.value and "741 ng/mL" in app.result.value
    assert "from 4 h" in app.result.value and "from 20 h" in app.result.value
    before = list(app.fig.data[2].y)
    app.night.value = 50
    assert list(app.fig.data[2].y) != before
    assert app.night.layout.display is None and app.bolus.layout.display == "none"


def test_lumbar_to_cisternal_ratio(app):
    lumbar = np.asarray(app.fig_spine.data[0].y)
    assert np.allclose(app.fig_spine.data[1].y, lumbar / 4.0)
    app.ratio.value = 8.7
    assert np.allclose(app.fig_spine.data[1].y, lumbar / 8.7)
    assert "ratio 8.7" in app.result.value
    # the slider is limited to the label range 1.8–8.7 (lionova 5.2; lioresal Pharmacokinetics)
    assert (app.ratio.min, app.ratio.max) == (1.8, 8.7)


def test_ratio_change_does_not_recompute_the_population(app, monkeypatch):
    calls = []
    real = pk.percentile_band
    monkeypatch.setattr(pk, "percentile_band", lambda *a, **k: calls.append(1) or real(*a, **k))
    app.ratio.value = 6.0
    assert calls == []
    app.daily.value = "600 ug/day"
    assert calls == [1, 1]  # once for the concentrations, once for the half-lives


def test_dose_change_updates_curve_and_text(app):
    app.daily.value = "1 mg/day"
    assert "1389 ng/mL" in app.result.value
    assert app.fig.data[2].y[-1] == pytest.approx(1388.9, rel=1e-3)


def _results(app: PKApp) -> list:
    return [app.result, app.fig, app.fig_spine, app.caveat, app.label_numbers]


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "is empty"),
        ("lots", "could not be read"),
        ("500 mL", "is a volume, not a"),
        ("500", "no unit"),
        ("-500 ug/day", "cannot be negative; '-500 ug/day' was typed"),
        ("100 mg/day", "was mg written for µg"),
    ],
)
def test_bad_dose_is_inline_and_withdraws_the_result(app, text, message):
    updates = app.updates
    app.daily.value = text
    assert app.daily.error_message == library_says(app.daily, text)
    assert message.lower() in app.daily.error_message.lower(), app.daily.error_message
    # the curves of the old dose are withdrawn, nothing is recomputed; the ratio slider (an input) stays
    assert all(withdrawn(w) for w in _results(app)) and shown(app.ratio) and app.updates == updates
    assert app.status.message.startswith("No result") and app.summary() == f"no result: {app.daily.error_message}"
    app.regimen.value = "bolus"  # the daily dose is not a bolus's input (its field is hidden): the bolus is shown
    assert app.daily.layout.display == "none" and all(shown(w) for w in _results(app))
    assert "667 ng/mL" in app.result.value and "peak 667 ng/mL" in app.summary()
    app.regimen.value = "continuous"  # the refused daily dose is on screen again, and nothing is computed from it
    assert app.daily.layout.display is None and all(withdrawn(w) for w in _results(app))
    app.daily.value = "1 mg/day"  # corrected: the results come back, computed from it
    assert all(shown(w) for w in _results(app)) and "1389 ng/mL" in app.result.value
    assert app.status.message == "" and "daily dose 1000 µg/day" in app.summary()


def test_a_stop_is_the_librarys_to_judge_not_the_fields(app):
    # The field holds no bound of its own ("above 0" was its own): the library reads 0 µg/day as a stop
    # (the daily_dose hard range starts at zero), and the model shows a zero concentration.
    assert library_says(app.daily, "0 ug/day") == ""
    app.daily.value = "0 ug/day"
    assert app.daily.error_message == "" and shown(app.result)
    assert "steady state 0 ng/mL" in app.summary()


def test_label_numbers_and_caveat_with_sources(app):
    table = _html.text(app.label_numbers.value)
    for said in (
        "75 mL",
        "22 mL to 157 mL",
        "30 mL/h",
        "1 h to 5 h",
        "130 ng/mL to 1240 ng/mL",
        "1.8 to 8.7",
        "lionova 5.2; lioresal Pharmacokinetics",
    ):
        assert said in table
    assert "7.49 h" in app.caveat.value and "1 day to 2 day" in app.caveat.value


def test_slider_updates_are_fast(app):
    app.regimen.value = "flex"
    times = []
    for v in (30, 40, 50, 60, 70):
        t = time.perf_counter()
        app.night.value = v
        times.append(time.perf_counter() - t)
    # generous bound (shared CI cores): this only catches recomputing far more than needed
    assert sorted(times)[2] < 0.5
