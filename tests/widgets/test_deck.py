"""The teaching deck's slide widgets driven without a browser, and the deck notebook's shape.

For training only, not for treating patients.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np
import pytest
from _panel import library_says, shown, withdrawn

from widgets.app import App
from widgets.deck import Deck, build_deck

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "teaching_deck.ipynb"


@pytest.fixture
def deck() -> Deck:
    return build_deck()


def test_every_slide_builds_without_a_message(deck: Deck) -> None:
    assert len(deck.slides) == 5
    for s in deck.slides:
        assert isinstance(s, App)
        assert s.status.message == "", (s.title, s.status.message)
        assert s.banner is None  # the title slide carries the chrome (banner, drug library)
    assert any("training only" in getattr(w, "value", "").lower() for w in deck.title_slide().children)


def test_screening_response_feeds_the_titration(deck: Deck) -> None:
    assert "75 µg" in deck.screening.result.value and "1.5 mL" in deck.screening.result.value  # 50 µg/mL
    assert deck.titration.test_dose.value == "75 µg"
    deck.screening.response.value = 2  # responded at 100 µg
    assert "100 µg" in deck.screening.result.value
    assert deck.titration.test_dose.value == "100 µg"
    # lionova 4.2: effect ≤ 12 h → twice the test dose
    assert "200 µg/day" in deck.titration.result.value
    assert list(deck.screening.fig.data[0].y) == [50.0, 75.0, 100.0]


def test_no_response_is_not_a_candidate(deck: Deck) -> None:
    deck.screening.response.value = -1
    assert "Not a candidate" in deck.screening.result.value
    assert deck.titration.test_dose.value == "75 µg"  # the titration keeps the last candidate


def test_titration_plan_stays_inside_the_band(deck: Deck) -> None:
    f = deck.titration.fig
    low, high, plan = (np.asarray(f.data[i].y, dtype=float) for i in range(3))
    assert plan[0] == pytest.approx(150) and plan[-1] == pytest.approx(400)
    assert np.all(plan[1:] <= high[1:] + 1e-9) and np.all(plan[1:] >= low[1:] - 1e-9)
    deck.titration.effect.value = 16  # effect > 12 h → the test dose itself (lionova 4.2)
    assert "75 µg/day" in deck.titration.result.value


def test_titration_target_feeds_the_refill_and_label_caps_it(deck: Deck) -> None:
    assert deck.refill.dose.value == "400 µg/day"
    assert "86 days" in deck.refill.result.value  # 18 mL to the alarm at 0.2 mL/day = 90 days, 4 days' margin
    deck.refill.label.value = "lioresal"  # lioresal Stability of the drug: 11 weeks in the pump
    assert "77 days" in deck.refill.result.value
    assert "(applied here)" in deck.refill.differences.value
    deck.titration.target.value = "500 ug/day"
    assert deck.refill.dose.value == "500 µg/day"
    assert "68 days" in deck.refill.result.value


def test_refill_plot_drains_to_the_alarm(deck: Deck) -> None:
    f = deck.refill.fig
    assert list(f.data[0].y) == [20.0, 2.0, 0.0]
    assert list(f.data[0].x) == pytest.approx([0, 90, 100])
    assert f.layout.yaxis.title.text == "volume in reservoir (mL)"


def test_missed_refill_and_catheter_stories(deck: Deck) -> None:
    m = deck.missed_refill
    assert m.causes.codes[0] == "low_reservoir"
    m.story.value = "catheter problem"
    assert m.causes.codes[0] == "catheter_failure"
    m.found.value = "19 mL"
    assert m.causes.codes[0] == "pump_failure"
    assert "was not delivering" in m.findings.value


def _slide_results(deck: Deck) -> dict[str, tuple]:
    """What each slide shows: its results' text and figure data, or None while they are withdrawn."""
    out = {}
    for s in deck.slides:
        ws = [w for w in s.outputs if w is not None]
        if all(withdrawn(w) for w in ws if not hasattr(w, "children")):
            out[s.title] = None
            continue
        out[s.title] = tuple(
            w.value if hasattr(w, "value") else tuple(tuple(t.y or ()) for t in w.data)
            for w in ws
            if hasattr(w, "value") or hasattr(w, "data")
        )
    return out


def test_bad_input_is_inline_and_withdraws_that_slides_result(deck: Deck) -> None:
    before = _slide_results(deck)
    deck.refill.reservoir.value = "twenty"
    assert deck.refill.reservoir.error_message == library_says(deck.refill.reservoir, "twenty")
    assert withdrawn(deck.refill.result) and withdrawn(deck.refill.fig)
    assert deck.refill.status.message.startswith("No result") and deck.refill.summary().startswith("no result: ")
    assert f"no result: {deck.refill.reservoir.error_message}" in deck.summary()
    assert _slide_results(deck) == {**before, deck.refill.title: None}  # the other slides keep their results
    deck.titration.test_dose.value = "150 ug"  # above the 100 µg test-dose ceiling: refused at the field
    assert deck.titration.test_dose.error_message == library_says(deck.titration.test_dose, "150 ug")
    assert (
        "hard limit of 100 µg" in deck.titration.test_dose.error_message
        and "lionova 4.2" in deck.titration.test_dose.error_message
    )
    assert withdrawn(deck.titration.result) and withdrawn(deck.titration.fig)
    assert _slide_results(deck) == {**before, deck.refill.title: None, deck.titration.title: None}
    # corrected: each slide's result comes back, computed from its entry
    deck.refill.reservoir.value = "30 mL"  # 28 mL to the alarm at 0.2 mL/day = 140 days, 4 days' margin
    assert shown(deck.refill.result) and "refill after 136 days" in deck.refill.summary()
    deck.titration.test_dose.value = "100 ug"
    assert shown(deck.titration.result) and "first daily dose 200 µg/day" in deck.titration.summary()


def test_emergency_is_advanced_with_mimics(deck: Deck) -> None:
    e = deck.emergency
    assert "ADVANCED" in e.stage.value
    assert "intensive care" in e.actions.value
    assert "malignant hyperthermia" in e.differentials.value
    for cb in e.signs.values():
        cb.value = False
    assert "NONE" in e.stage.value


def test_summary(deck: Deck) -> None:
    s = deck.summary()
    assert "effective test dose 75 µg" in s and "refill after 86 days" in s and "stage advanced" in s
    assert repr(deck) == "<Deck: Teaching deck>"


def test_notebook_is_a_reveal_deck_with_the_notice_first() -> None:
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    assert nb["metadata"]["voila"]["template"] == "itb-reveal"
    kinds = [c["metadata"].get("slideshow", {}).get("slide_type") for c in nb["cells"]]
    assert kinds[0] == "slide" and kinds.count("slide") >= 6
    assert "deck.title_slide()" in "".join(nb["cells"][0]["source"])
    assert not [c for c in nb["cells"] if c["cell_type"] == "markdown"]  # every word comes from the catalogues
    title = " ".join(getattr(w, "value", "") for w in build_deck().title_slide().children)
    assert "For training only" in title and 'href="index.ipynb"' in title
    sources = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    for name in ("screening", "titration", "refill", "missed_refill", "emergency"):
        assert f"deck.{name}" in sources
    # thin: the notebook only builds and shows
    assert all(len(s.splitlines()) <= 4 for s in sources)


def test_a_non_responder_ends_the_story_at_screening_and_a_response_resumes_it():
    # the deck used to titrate from 75 µg after "no response" (issue 13): one patient, one story
    deck = build_deck()
    deck.screening.response.value = -1
    assert "Not a candidate" in deck.screening.result.value
    for slide in deck.later_slides:
        assert "The story ends at screening" in slide.story_end.value, slide.title
        assert slide.inputs_box.layout.display == "none" and slide.outputs_box.layout.display == "none"
    assert "100 µg" in deck.titration.story_end.value  # the highest test dose, from the core's ladder
    assert deck.summary().count("story ended at screening") == 4
    deck.screening.response.value = 0  # responded at 50 µg
    for slide in deck.later_slides:
        assert slide.story_end.value == "" and slide.inputs_box.layout.display is None
    assert deck.titration.test_dose.quantity.to("ug").magnitude == pytest.approx(50)


def test_the_missed_refill_slide_says_how_long_after_the_fill():
    deck = build_deck()
    day = int(deck.missed_refill.days.value)
    assert f"{day} days after the fill (about" in deck.missed_refill.result.value
