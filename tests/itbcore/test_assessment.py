"""The refill mastery checklist: its sources, its pass standard, and that ticking everything never passes.

For training only, not for treating patients.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itbcore import assessment as a
from itbcore.errors import InputError, ITBError
from itbcore.label_map import cited_sections

STEPS = [s.code for s in a.REFILL_STEPS]
UNSAFE = [s.code for s in a.REFILL_UNSAFE]
CRITICAL = [s.code for s in a.REFILL_STEPS if s.critical]


def test_every_step_and_unsafe_action_cites_a_label_section_or_practice_guidance():
    for s in a.REFILL_STEPS + a.REFILL_UNSAFE:
        assert s.source and (cited_sections(s.source) or "practice guidance" in s.source), s.code
        assert not s.safe or not s.harm
        assert s.safe or s.harm, s.code
    assert "PM&R 2023" in a.MASTERY_SOURCE


def test_all_steps_pass_and_one_other_step_missed_still_passes():
    assert a.score_refill(STEPS).passed
    other = next(c for c in STEPS if c not in CRITICAL)
    r = a.score_refill([c for c in STEPS if c != other])
    assert r.passed and r.missed == (other,) and r.score == len(STEPS) - 1


def test_a_critical_step_missed_fails_and_is_named():
    r = a.score_refill([c for c in STEPS if c != "compare_residual"])
    assert not r.passed and r.missed_critical == ("compare_residual",)
    assert "critical step missed: compare_residual" in r.message


def test_ticking_everything_fails_on_the_unsafe_actions():
    r = a.score_refill(STEPS + UNSAFE)
    assert not r.passed and set(r.unsafe) == set(UNSAFE) and r.score == r.total


def test_a_typo_in_a_code_is_refused_not_scored_as_missed():
    with pytest.raises(InputError, match="Unknown refill step"):
        a.score_refill(["check_prescripton"])
    with pytest.raises(ITBError):
        a.score_refill("check_prescription")


@given(st.sets(st.sampled_from(STEPS + UNSAFE)))
def test_pass_exactly_at_the_standard(chosen):
    r = a.score_refill(chosen)
    other_missed = [c for c in STEPS if c not in chosen and c not in CRITICAL]
    expected = (
        all(c in chosen for c in CRITICAL)
        and not any(c in chosen for c in UNSAFE)
        and len(other_missed) <= a.MASTERY_STANDARD.other_missed_at_most
    )
    assert r.passed is expected
    assert r.score == sum(c in chosen for c in STEPS) and r.total == len(STEPS)


def test_options_are_shuffled_by_seed_and_hold_every_item():
    one, two = a.refill_options(1), a.refill_options(2)
    assert sorted(s.code for s in one) == sorted(STEPS + UNSAFE) == sorted(s.code for s in two)
    assert one == a.refill_options(1) and one != two
