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


def test_a_signed_in_trainee_opens_the_practice_app_in_the_language_they_chose(tmp_path, monkeypatch):
    """On a hub: ?lang= is remembered for the signed-in trainee; their next visit without it opens in it."""
    from exercises.app import PracticeApp
    from itbcore.i18n import get_locale, set_locale

    monkeypatch.setenv("JUPYTERHUB_USER", "ana")
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", "/user/ana/")
    monkeypatch.setattr(page, "_preferred", None)
    db = tmp_path / "p.sqlite"
    try:
        monkeypatch.setenv("QUERY_STRING", "lang=tr")
        monkeypatch.setattr(page, "query", lambda wait=True: "lang=tr")
        PracticeApp(progress_path=db, seed=1)
        assert ProgressStore(db).language("ana") == "tr"
        monkeypatch.setattr(page, "query", lambda wait=True: "")
        monkeypatch.setenv("HTTP_ACCEPT_LANGUAGE", "nb")
        app = PracticeApp(progress_path=db, seed=1)
        assert get_locale() == "tr"
        assert 'data-itb-locale="tr"' in app.children[0].value
    finally:
        page.prefer(None)
        set_locale("en")
