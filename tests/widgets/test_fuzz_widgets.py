"""Fuzzing every input widget of every app: bad values are refused at the field and no stale result stays.

For each app (and the teaching deck's slides), hypothesis types hostile text into every quantity field
and free-text field (empty, bare numbers, wrong units, NaN/inf, huge and negative values, words, mg/µg
slips) and moves every slider and number box across its range.  After each entry:

* nothing raises out of the widget callbacks (a Voilà user would see nothing happen), and nothing on
  screen is a traceback or the generic "something went wrong" (only ITBError messages appear);
* an entry the field refuses, or holds for Confirm past a soft limit, says so at the field, in the
  library's words (``library.read``);
* the suite's one rule (widgets.app.run_panel): while an entry on screen is refused the results that
  depend on it are withdrawn (hidden) and the summary says "no result"; a refused entry that is not on
  screen (another scenario's setting, the daily dose of a bolus) leaves the results unchanged and valid;
  results are withdrawn only with "no result" said for them;
* putting the original value back restores the original result, with nothing withdrawn.

CI runs a short budget; ``ITB_FUZZ_EXAMPLES=500 python3 tasks.py test -k fuzz_widgets`` runs longer.
"""

from __future__ import annotations

import importlib
import math
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import ipywidgets as W
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _html
from _panel import displayed, library_says, no_traceback, statuses, walk, withdrawn_widgets

from widgets.app import GENERIC_ERROR
from widgets.fields import QuantityField

EXAMPLES = int(os.environ.get("ITB_FUZZ_EXAMPLES", "40"))
APP_MODULES = ["screening", "titration", "maintenance", "pk", "overdose", "withdrawal", "units", "deck"]

#: What a tired clinician or a curious trainee types (issue: every entry read exactly as meant).
TYPED = [
    "1 500 µg/day",
    "1\u00a0500 ug/day",
    "1\u202f500 ug",
    "1'500 mcg",
    "1,000 µg/day",
    "10,000 ug",
    "ug",
    "mg/day",
    "20 ML",
    "20 Ml",
    "2 3 ug",
    "50 ug 20",
    "9**9**9 µg/day",
    "9**9**9 ug/day",
    "9" * 400 + " ug",
    "5O ug",
    "1.2.3 mg",
    "--5 ug",
    "(5) ug",
    "10/2 mg",
    "400 ug/24 h",
    "0,5 mg",
    "12,5 µg",
    "9999-12-25",
    "100 mg/day",
    "2000 mg/mL",
    "x" * 5000,
]

HOSTILE = st.one_of(
    st.sampled_from(TYPED),
    st.sampled_from(
        [
            "",
            " ",
            "50",
            "0",
            "-5 ug",
            "1e308 ug",
            "1e400 mg",
            "nan ug",
            "inf mL",
            "-inf h",
            "50 mL",
            "50 ug/day",
            "0.05 mg",
            "50 mcg",
            "50 µg",
            "50 μg",
            "2 mg/mL",
            "20 mL",
            "2 mL",
            "1 day",
            "12 h",
            "70 kg",
            "500 ug/day",
            "0 mL",
            "1e-300 mL",
            "10 furlong",
            "fifty",
            "50 ug ug",
            "((",
            "1/0 ug",
            "50,5 ug",
            "½ mL",
            "sodium chloride 0.9%",
            "glucose 5%",
            "water",
            "2026-11-21",
            "🙂",
        ]
    ),
    st.builds(
        lambda n, u: f"{n} {u}",
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from(["ug", "mg", "mL", "h", "day", "ug/day", "mg/mL", "ug/h", "kg", "cm", "uL/cm"]),
    ),
    st.text(max_size=15),
)


@dataclass
class Subject:
    """An app, or the deck's slides, as the fuzzer sees it: its widget tree and its summary."""

    root: W.Widget
    summary: Callable[[], str]


def _inputs(app: Subject) -> list[W.Widget]:
    found, inside_fields = [], set()
    for w in walk(app.root):
        if isinstance(w, QuantityField):
            found.append(w)
            inside_fields.update(id(c) for c in walk(w))
    for w in walk(app.root):
        if id(w) in inside_fields:
            continue
        typed = (W.Text, W.Textarea, W.FloatSlider, W.IntSlider, W.BoundedFloatText, W.BoundedIntText)
        if isinstance(w, typed) and not w.disabled:
            found.append(w)
    return found


def _build(module: str) -> Subject:
    mod = importlib.import_module(f"widgets.{module}")  # a renamed app must fail here, not skip
    if module == "deck":
        deck = mod.build_deck()
        return Subject(W.VBox(list(deck.slides)), deck.summary)
    app = mod.build_app()
    if hasattr(type(app), "TAB_RECORDS"):
        app.sections  # noqa: B018 - tabs built on first show: build them all so every input is fuzzed
    return Subject(app, app.summary)


def _status(app: Subject) -> str:
    return " ".join(st.value or "" for st in statuses(app.root))


def _check_the_rule(app: Subject, target: W.Widget, baseline: str, what: str) -> None:
    """After an entry: no traceback, a refusal at its field, and no result on screen that is not the inputs'."""
    assert GENERIC_ERROR not in _status(app), f"unexpected error after {what}"
    no_traceback(app.root)
    summary, gone = app.summary(), withdrawn_widgets(app.root)
    # results are withdrawn only with "no result" said for them, and "no result" only for withdrawn results
    assert bool(gone) == ("no result" in summary), f"{what}: withdrawn {len(gone)}; summary: {summary[:300]}"
    if isinstance(target, QuantityField) and target.blocked:
        # refused (or waiting for Confirm) at the field, in the library's (or the core's) words
        assert 'role="alert"' in target.error.value and target.readback in target.hint.value, what
        if target.error_message and not target.routed:
            assert target.error_message == library_says(target, target.value), what
            assert target.error_message in _html.text(target.error.value), what
        if displayed(app.root, target):
            assert gone and any(
                st.message.startswith("No result") and target.blocked in st.message for st in statuses(app.root)
            ), f"{what}: a result of the old entry stays on screen"
        else:
            assert summary == baseline and not gone, f"{what}: a hidden field changed the results"


def _check_restored(app: Subject, target: W.Widget, baseline: str) -> None:
    if isinstance(target, QuantityField):
        assert not target.blocked, target.blocked
    no_traceback(app.root)
    assert not withdrawn_widgets(app.root), "the original entry did not bring the results back"
    assert app.summary() == baseline, "restoring the original value did not restore the result"


@pytest.mark.parametrize("module", APP_MODULES)
def test_every_app_has_inputs_to_fuzz(module):
    assert _inputs(_build(module)), f"no input widgets found in widgets.{module}"


@pytest.mark.parametrize("module", APP_MODULES)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_bad_input_is_refused_at_the_field_and_no_stale_result_stays(module, data):
    app = _APPS.get(module) or _APPS.setdefault(module, _build(module))
    inputs = _inputs(app)
    baseline = app.summary()
    assert not withdrawn_widgets(app.root)
    target = data.draw(st.sampled_from(inputs), label="input")
    try:
        _fuzz_one(app, target, baseline, data)
    except BaseException:
        _APPS.pop(module, None)  # a failed example leaves the app as it broke: the next one starts afresh
        raise


def _fuzz_one(app: Subject, target: W.Widget, baseline: str, data: st.DataObject) -> None:
    original = target.value
    if isinstance(target, (QuantityField, W.Text, W.Textarea)):
        target.value = data.draw(HOSTILE, label="text")
        what = f"{target.value!r} in {getattr(target, 'name', None) or target.description}"
    else:
        lo, hi = target.min, target.max
        if isinstance(target, (W.IntSlider, W.BoundedIntText)):
            value = data.draw(st.integers(min_value=int(lo), max_value=int(hi)), label="int")
        else:
            value = data.draw(st.floats(min_value=float(lo), max_value=float(hi)), label="float")
            assert math.isfinite(value)
        target.value = value
        what = f"{value!r} in {target.description}"
    _check_the_rule(app, target, baseline, what)
    target.value = original
    _check_restored(app, target, baseline)


_APPS: dict[str, Subject] = {}


@pytest.mark.parametrize("module", APP_MODULES)
def test_a_bare_number_in_each_quantity_field_is_refused_inline(module):
    app = _build(module)
    baseline = app.summary()
    fields = [w for w in _inputs(app) if isinstance(w, QuantityField)]
    assert fields, f"widgets.{module} has no quantity field"
    for field in fields:
        original = field.value
        field.value = "12345"
        assert "has no unit" in field.error_message, (field.name, field.error_message)
        _check_the_rule(app, field, baseline, f"12345 in {field.name}")
        field.value = original
        _check_restored(app, field, baseline)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("module", APP_MODULES)
def test_9_pow_9_pow_9_in_every_quantity_field_is_refused_at_once_and_the_app_stays_responsive(module):
    app = _build(module)
    baseline = app.summary()
    for field in [w for w in _inputs(app) if isinstance(w, QuantityField)]:
        original = field.value
        field.value = "9**9**9 µg/day"  # pint would evaluate this for hours; the reader refuses it
        assert "not a calculation" in field.error_message, (field.name, field.error_message)
        _check_the_rule(app, field, baseline, f"9**9**9 in {field.name}")
        field.value = original
        _check_restored(app, field, baseline)


@pytest.mark.parametrize("module", APP_MODULES)
def test_every_quantity_field_reads_back_its_entry(module):
    app = _build(module)
    for field in [w for w in _inputs(app) if isinstance(w, QuantityField)]:
        assert field.readback.startswith("read as ") and field.readback in field.hint.value, field.name


def test_the_fuzzer_sees_an_unexpected_error(monkeypatch):
    """The harness can fail: an app whose update raises a non-ITBError shows the generic message."""
    app = _build("units")
    field = next(w for w in _inputs(app) if isinstance(w, QuantityField))

    def broken(self):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(type(app.root), "update", broken)
    field.value = "60 ug"
    assert GENERIC_ERROR in _status(app)
    with pytest.raises(AssertionError, match="unexpected error"):
        _check_the_rule(app, field, app.summary(), "60 ug")


def test_the_fuzzer_sees_a_stale_result(monkeypatch):
    """The harness can fail: a refused entry whose old result stays on screen breaks the rule."""
    app = _build("units")
    field = next(w for w in _inputs(app) if isinstance(w, QuantityField))
    baseline = app.summary()
    monkeypatch.setattr("widgets.app.withdraw", lambda outputs: None)  # the rule forgotten
    field.value = "60"
    with pytest.raises(AssertionError):
        _check_the_rule(app, field, baseline, "60")
