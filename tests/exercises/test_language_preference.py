"""A trainee's language is remembered with their progress: kept, signed, erased with it, never an attempt.

For training only, not for treating patients.
"""

from __future__ import annotations

import pytest

from exercises.progress import ProgressStore
from itbcore.errors import InputError
from widgets import page


def test_the_chosen_language_is_remembered_and_is_not_an_attempt(tmp_path):
    store = ProgressStore(tmp_path / "p.sqlite")
    assert store.language("ana") is None
    store.add("ana", "dilution", 3, "volume", "2 mL", True)
    store.set_language("ana", "nb")
    store.set_language("ana", "tr")
    assert store.language("ana") == "tr"
    assert [a.exercise for a in store.attempts("ana")] == ["dilution"]  # the setting is no attempt
    assert [s.exercise for s in store.summary("ana")] == ["dilution"]
    assert ProgressStore(tmp_path / "p.sqlite").language("ana") == "tr"  # a new store reads it back


def test_erasing_a_trainee_erases_their_language(tmp_path):
    store = ProgressStore(tmp_path / "p.sqlite")
    store.set_language("ana", "nb")
    store.erase("ana")
    assert store.language("ana") is None


@pytest.mark.parametrize("bad", ["xx", "../../etc", "", "qps"])
def test_only_the_suites_languages_are_kept(tmp_path, bad):
    with pytest.raises(InputError):
        ProgressStore(tmp_path / "p.sqlite").set_language("ana", bad)


def test_the_address_beats_the_trainees_choice_which_beats_the_browser(monkeypatch):
    monkeypatch.setattr(page, "_preferred", None)
    env = {"HTTP_ACCEPT_LANGUAGE": "nb"}
    assert page.page_locale(env) == "nb"
    page.prefer("tr")
    try:
        assert page.page_locale(env) == "tr"
        assert page.page_locale({**env, "QUERY_STRING": "lang=en"}) == "en"
    finally:
        page.prefer(None)
