"""Label profiles, citations and the recorded label differences."""

from pathlib import Path

import pytest

from itbcore.errors import FileProblem, ITBError, LabelError
from itbcore.sources import (
    LABEL_DIFFERENCES,
    LABEL_DIFFERENCES_FILE,
    LABELS,
    PRACTICE,
    Action,
    Finding,
    _load_differences,
    check_label,
    cite,
    differences,
)

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
    assert {
        "pediatric_titration_limits",
        "pediatric_initial_maintenance",
        "physostigmine",
        "under_4",
        "twelve_hour_boundary",
        "pump_stability",
    } <= codes
    for d in LABEL_DIFFERENCES:
        # a rule label the difference leaves out is one that is silent on it, and the note says so
        assert ("lionova" in d.values and "lioresal" in d.values) or "silent" in d.note, d.code
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
    fs = [
        Finding("a", "info", "m", "lionova 4.2"),
        Finding("b", "violation", "m", "lionova 4.2"),
        Finding("c", "warning", "m", "lionova 4.2"),
        Finding("d", "violation", "m", "lionova 4.2"),
    ]
    assert [f.code for f in most_severe_first(fs)] == ["b", "d", "c", "a"]  # stable within a severity
    with pytest.raises(ITBError, match="one of info, warning, violation"):
        Severity("fatal")
    # no module keeps its own ordering table any more (there were four: core and widgets)
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[2]
    for p in [*(root / "itbcore").rglob("*.py"), *(root / "widgets").rglob("*.py")]:
        assert '{"violation": 0, "warning": 1, "info": 2}' not in p.read_text(encoding="utf-8"), p


# -- the label differences are data (itbcore/label_differences.toml), checked as they load

_GOOD = """
[[difference]]
code = "x"
topic = "A topic"
[difference.lionova]
text = "says one thing"
source = "lionova 4.2"
[difference.practice]
text = "says another"
source = "Neuromodulation 2016"
"""


def test_the_differences_file_is_what_the_suite_shows():
    assert _load_differences(LABEL_DIFFERENCES_FILE) == LABEL_DIFFERENCES
    physostigmine = differences("physostigmine")[0]
    assert list(physostigmine.values) == ["lionova", "lioresal", PRACTICE]
    assert physostigmine.sources[PRACTICE] == "practice guidance: Neuromodulation 2016, troubleshooting panel"


def test_a_good_differences_file_loads(tmp_path):
    f = tmp_path / "d.toml"
    f.write_text(_GOOD, encoding="utf-8")
    (d,) = _load_differences(f)
    assert d.values == {"lionova": "says one thing", PRACTICE: "says another"}
    assert d.sources == {"lionova": "lionova 4.2", PRACTICE: "practice guidance: Neuromodulation 2016"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace('source = "lionova 4.2"', 'source = "lioresal Overdose"'), "does not cite lionova"),
        (lambda t: t.replace("[difference.practice]", "[difference.lionowa]"), "unknown keys"),
        (lambda t: t.replace('code = "x"', 'code = "two words"'), "code of its own"),
        (lambda t: t + t, "code of its own"),
        (lambda t: t.replace('text = "says another"\n', ""), "a text and a source"),
        (lambda t: t.split("[difference.practice]")[0], "at least two texts"),
        (lambda t: t.replace("[[difference]]", "[[difference]"), "could not be read"),
        (lambda t: "", "lists no difference"),
    ],
)
def test_a_broken_differences_file_is_refused_naming_the_entry(tmp_path, change, message):
    f = tmp_path / "label_differences.toml"
    f.write_text(change(_GOOD), encoding="utf-8")
    with pytest.raises(FileProblem, match=message) as err:
        _load_differences(f)
    assert str(err.value).startswith("label_differences.toml")
