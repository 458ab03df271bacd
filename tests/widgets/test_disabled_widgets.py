"""Finding "identity from a disabled field": a trainee changed the disabled trainee-name field over the
websocket and saved rows under another name, and disabled buttons still ran their handlers.

For training only, not for treating patients.

The browser's messages are simulated as the kernel receives them (``Widget._handle_msg`` with an
``update`` or a ``custom`` message), after the apps' kernel set-up (``widgets._kernel.harden``).
"""

from __future__ import annotations

import ipywidgets as W

from widgets._kernel import harden


def _update(widget: W.Widget, **state) -> None:
    widget._handle_msg({"content": {"data": {"method": "update", "state": state, "buffer_paths": []}}, "buffers": []})


def _click(button: W.Button) -> None:
    button._handle_msg({"content": {"data": {"method": "custom", "content": {"event": "click"}}}, "buffers": []})


def test_a_disabled_field_takes_no_value_from_the_browser():
    harden()
    field = W.Text(value="t1", disabled=True)
    _update(field, value="t2")
    assert field.value == "t1"
    _update(field, disabled=False, value="t2")  # nor can the page enable it first
    assert field.value == "t1" and field.disabled
    field.disabled = False  # the app enables it: the user's typing counts again
    _update(field, value="t2")
    assert field.value == "t2"


def test_a_disabled_button_click_does_not_run_its_handlers():
    harden()
    clicks = []
    button = W.Button(description="Save", disabled=True)
    button.on_click(lambda b: clicks.append(b))
    _click(button)
    assert clicks == []
    button.disabled = False
    _click(button)
    assert clicks == [button]


def test_on_a_hub_the_practice_app_records_for_the_signed_in_user_whatever_the_field_says(tmp_path, monkeypatch):
    from exercises.app import PracticeApp
    from exercises.progress import ProgressStore

    monkeypatch.setenv("JUPYTERHUB_USER", "t1")
    app = PracticeApp(progress_path=tmp_path / "p.sqlite", seed=1)
    _update(app.trainee, value="t2")  # over the websocket: refused
    assert app.trainee.value == "t1"
    app.trainee.value = "t2"  # and even if the field changed, the identity is the hub's
    view = app.parts.children[0]
    view.input.value = view.part.expected if view.part.kind == "choice" else str(view.part.expected)
    view._check()
    assert {a.trainee for a in ProgressStore(tmp_path / "p.sqlite").attempts()} == {"t1"}


def test_on_a_hub_the_assessment_app_saves_for_the_signed_in_user_whatever_the_field_says(tmp_path, monkeypatch):
    from exercises.assessment_app import AssessmentApp

    monkeypatch.setenv("JUPYTERHUB_USER", "t1")
    app = AssessmentApp(progress_path=tmp_path / "p.sqlite")
    _update(app.trainee, value="t2")
    assert app.trainee.value == "t1"
    app.trainee.value = "t2"
    assert app.name() == "t1"


def test_off_a_hub_the_typed_name_is_used(tmp_path, monkeypatch):
    from exercises.app import PracticeApp

    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    app = PracticeApp(progress_path=tmp_path / "p.sqlite", seed=1)
    _update(app.trainee, value="ana")
    assert app.trainee.value == "ana" and app._name() == "ana"
