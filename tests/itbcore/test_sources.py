"""Label profiles, citations and the recorded label differences."""
from pathlib import Path

import pytest

from itbcore.errors import ITBError, LabelError
from itbcore.sources import LABEL_DIFFERENCES, LABELS, PRACTICE, Action, Finding, check_label, cite, differences

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def test_three_label_profiles_with_their_seed_texts():
    assert set(LABELS) == {"lionova", "lioresal", "baclorex"}
    assert LABELS["lionova"].country == "Norway" and LABELS["lionova"].year == 2021
    assert LABELS["lioresal"].year == 2014
    assert LABELS["baclorex"].country == "Turkey"


@pytest.mark.skipif(not SEEDS.exists(), reason="shared/seeds is not beside the project")
def test_each_profile_names_an_existing_seed_file():
    for profile in LABELS.values():
        assert (SEEDS / profile.seed_file).is_file()


def test_cite_refuses_unknown_labels():
    assert cite("lioresal", "Overdose") == "lioresal Overdose"
    with pytest.raises(LabelError, match="Unknown label profile"):
        check_label("lionnova")


def test_the_differences_the_issue_names_are_all_recorded():
    codes = {d.code for d in LABEL_DIFFERENCES}
    assert {"pediatric_titration_limits", "pediatric_initial_maintenance", "physostigmine", "under_4",
            "twelve_hour_boundary", "pump_stability"} <= codes
    for d in LABEL_DIFFERENCES:
        assert "lionova" in d.values and "lioresal" in d.values
        assert set(d.values) == set(d.sources)


def test_practice_guidance_is_kept_apart_from_labels():
    twelve = differences("twelve_hour_boundary")[0]
    assert "8 h" in twelve.values[PRACTICE]
    assert twelve.sources[PRACTICE].startswith(PRACTICE)


def test_findings_and_actions_carry_a_source():
    f = Finding("x", "warning", "message", "lionova 4.2")
    assert f.source == "lionova 4.2"
    assert Action("admit", "Admit.", "lionova 4.9").source == "lionova 4.9"
    with pytest.raises(ValueError):
        Finding("x", "fatal", "message", "lionova 4.2")


def test_severity_is_one_ordered_type_and_findings_come_most_severe_first():
    from itbcore.sources import Finding, Severity, most_severe_first

    assert Severity.INFO < Severity.WARNING < Severity.VIOLATION and Severity("warning") == "warning"
    fs = [Finding("a", "info", "m", "lionova 4.2"), Finding("b", "violation", "m", "lionova 4.2"),
          Finding("c", "warning", "m", "lionova 4.2"), Finding("d", "violation", "m", "lionova 4.2")]
    assert [f.code for f in most_severe_first(fs)] == ["b", "d", "c", "a"]  # stable within a severity
    with pytest.raises(ITBError, match="one of info, warning, violation"):
        Severity("fatal")
    # no module keeps its own ordering table any more (there were four: core and widgets)
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[2]
    for p in [*(root / "itbcore").glob("*.py"), *(root / "widgets").glob("*.py")]:
        assert '{"violation": 0, "warning": 1, "info": 2}' not in p.read_text(encoding="utf-8"), p
