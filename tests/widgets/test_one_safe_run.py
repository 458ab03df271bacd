"""One way from an exception to the page: :func:`widgets.app.safe_run` (docs/APPS.md, "Panels").

* An AST check over ``widgets/`` (its packages too) and ``exercises/*app*.py``: an ``except`` handler that writes
  to a widget (``.value = …``, ``.show(…)``, ``inline_error(…)``, a field's refusal) is inside the one safe-run,
  or on the short allow-list below, each with its reason.  A new catch-and-show path fails here.
* 50 hostile entries typed into every text field of every app (the practice and assessment answer fields
  and the trainee's name included): no traceback, no exception class name, no file path on the page.
"""

from __future__ import annotations

import ast
import importlib
import re
import sys
from pathlib import Path

import ipywidgets as W
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _panel import walk

ROOT = Path(__file__).resolve().parents[2]

#: (file, function) → why its handler may write to a widget outside safe_run.  Reviewed one by one: what a
#: panel's status can say goes through safe_run (the flex tab's label example and the product-information app's
#: unknown section did not, and now do); what stays is below a panel (a field's own reader) or routes a refusal
#: to the control it concerns before re-raising it into run_panel.
ALLOWED = {
    ("widgets/app.py", "safe_run"): "the one safe-run",
    ("widgets/fields.py", "_on_text"): "a field is below the panel: its own reader shows a refusal at the field "
    "(anything else a fixed sentence there, logged) and the panel reads field.blocked",
    ("widgets/fields.py", "recheck"): "the field's reader again under a new label: the library's refusal at the field",
    (
        "widgets/fields.py",
        "confirm_pending",
    ): "the field's Confirm: the library's refusal of a reason beside its button "
    "(the field has no status of its own; the panel waits on field.pending)",
    (
        "widgets/maintenance/dilution.py",
        "update",
    ): "routes the diluent refusal to its drop-down (not a QuantityField, so "
    "run_panel cannot) and re-raises it into run_panel",
    ("widgets/screening.py", "update"): "an ineligible patient is the panel's result, not a failure: the refusal is "
    "shown on the ladder beside the warnings that still apply",
    ("widgets/titration.py", "update"): "the eligibility refusal belongs to the age field and to both sub-panels "
    "(plan, check): shown at the field and in each sub-panel's status, their results withdrawn",
    ("widgets/titration.py", "_update_plan"): "routes the refused step size to the step control (not a QuantityField) "
    "and re-raises it into run_panel",
    ("exercises/class_view_app.py", "update"): "per trainee: one unreadable file is named in the table and the rest "
    "of the class shown (a panel-wide safe-run would withdraw the class); the hub's own refusal (HubRefused) "
    "is written for the educator in the table",
}

#: The handlers of ALLOWED that catch anything: they log it and write a fixed sentence, never its text.
BROAD_ALLOWED = {
    ("widgets/app.py", "safe_run"),
    ("widgets/fields.py", "_on_text"),
    ("exercises/class_view_app.py", "update"),
}

_WRITERS = {
    "show",
    "show_refusal",
    "inline_error",
    "_refuse",
    "_show_diluent_error",
    "_show_ineligible",
    "_refused",
    "append",
}


def _sources() -> list[Path]:
    # every module of widgets/, the packages split by job too (widgets/maintenance/…)
    return sorted((ROOT / "widgets").rglob("*.py")) + sorted((ROOT / "exercises").glob("*app*.py"))


def _writes_to_page(handler: ast.ExceptHandler) -> str:
    for node in ast.walk(handler):
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, (ast.AugAssign, ast.AnnAssign))
            else []
        )
        for t in targets:
            if isinstance(t, ast.Attribute) and t.attr == "value":
                return ast.unparse(t)
        if isinstance(node, ast.Call):
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
            if name == "append" and "refused" not in ast.unparse(f):  # only a list the page shows (refused)
                continue
            if name in _WRITERS:
                return ast.unparse(node)[:80]
    return ""


def _handlers_writing() -> list[tuple[str, str, int, str]]:
    found = []
    for path in _sources():
        rel = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        funcs = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        for fn in funcs:
            inner = {
                id(n)
                for g in ast.walk(fn)
                if g is not fn and isinstance(g, (ast.FunctionDef, ast.Lambda))
                for n in ast.walk(g)
                if n is not g
            }
            for node in ast.walk(fn):
                if isinstance(node, ast.ExceptHandler) and id(node) not in inner:
                    what = _writes_to_page(node)
                    if what:
                        found.append((rel, fn.name, node.lineno, what))
    return found


def test_one_safe_run_path():
    outside = [(f, fn, line, what) for f, fn, line, what in _handlers_writing() if (f, fn) not in ALLOWED]
    assert not outside, (
        "an except handler writes to the page outside widgets.app.safe_run (use safe_run, or add "
        f"it to ALLOWED with its reason): {outside}"
    )


def test_only_safe_run_turns_an_unexpected_exception_into_a_line_on_the_page():
    # a broad handler (Exception, bare) writing to the page is the safe-run's alone
    broad = []
    for f, fn, line, _what in _handlers_writing():
        tree = ast.parse((ROOT / f).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ExceptHandler) and node.lineno == line:
                names = ast.unparse(node.type) if node.type is not None else ""
                if names in ("", "Exception", "BaseException") and (f, fn) not in BROAD_ALLOWED:
                    broad.append((f, fn, line))
    assert not broad, broad


def test_every_allowed_handler_is_still_there():
    # the allow-list carries no handler that went through safe_run (or went away): each entry is in use
    used = {(f, fn) for f, fn, _line, _what in _handlers_writing()}
    stale = sorted(set(ALLOWED) - used)
    assert not stale, stale


def test_the_ast_check_sees_a_new_catch_and_show(tmp_path):
    src = "def cb(self):\n    try:\n        go()\n    except Exception as exc:\n        self.status.value = str(exc)\n"
    handler = next(n for n in ast.walk(ast.parse(src)) if isinstance(n, ast.ExceptHandler))
    assert _writes_to_page(handler) == "self.status.value"


# --------------------------------------------------------------------------- 50 hostile entries
HOSTILE = [
    "9**9**9",
    "%2e%2e/",
    "1e309",
    "NaN",
    "<img src=x onerror=alert(1)>",
    "{}",
    "\x00",
    "x" * 5000,
    "1,000",
    "1.000",
    "-0",
    "inf mL",
    "١٢٣ mL",
    "１２ mg",
    "½ mL",
    "1e309 ug/day",
    "-inf h",
    "nan ug",
    "../../etc/passwd",
    "/etc/passwd",
    "C:\\Windows\\system32",
    "{{7*7}}",
    "${7*7}",
    "__import__('os')",
    "' OR 1=1 --",
    '"; DROP TABLE',
    "\u202e1 mL",
    "\ufeff5 mL",
    "🙂",
    "0x10 mL",
    "1_000 ug",
    "5 ug" * 200,
    "a, b, c, d, e, f, g, h, z",
    "z",
    "b, b, b",
    "9999-99-99",
    "0000-00-00",
    "2026-02-30",
    "-1 day",
    "1e-400 mL",
    "5 furlong",
    "mg",
    "()",
    "[]",
    "None",
    "True",
    "\n\n\n",
    "\t",
    " ",
    "",
]
assert len(HOSTILE) == 50

_EXC_NAMES = re.compile(
    r"\b(Traceback|[A-Z][A-Za-z]*(Error|Exception)|KeyError|StopIteration|"
    r"File \"|site-packages|/work/|/home/|/usr/lib|\.py\b)"
)


def _leaks(root: W.Widget) -> list[str]:
    out = []
    for w in walk(root):
        value = getattr(w, "value", None)
        if isinstance(value, str) and not isinstance(w, (W.Text, W.Textarea)):  # what the user typed is theirs
            m = _EXC_NAMES.search(value)
            if m:
                out.append(f"{type(w).__name__}: …{value[max(0, m.start() - 60) : m.end() + 60]}…")
    return out


def _text_fields(root: W.Widget) -> list[W.Text]:
    return [w for w in walk(root) if isinstance(w, (W.Text, W.Textarea)) and not w.disabled]


def _type_everywhere(root: W.Widget, press: bool = True) -> None:
    for entry in HOSTILE:
        for field in _text_fields(root):
            field.value = entry
            if press:  # the buttons beside the field (Check, Save answer, Confirm): what a trainee presses next
                for b in [
                    w
                    for w in walk(root)
                    if isinstance(w, W.Button)
                    and not w.disabled
                    and w.description in ("Check", "Hint", "Save answer", "Confirm")
                ][:6]:
                    b.click()
        leaks = _leaks(root)
        assert not leaks, (entry[:40], leaks[:3])


APP_MODULES = [
    "screening",
    "titration",
    "maintenance",
    "pk",
    "overdose",
    "withdrawal",
    "units",
    "product_information",
    "deck",
]


@pytest.mark.timeout(600)
@pytest.mark.parametrize("module", APP_MODULES)
def test_no_raw_exception_text_reaches_the_page_for_50_hostile_entries(module):
    mod = importlib.import_module(f"widgets.{module}")
    if module == "deck":
        _type_everywhere(W.VBox(list(mod.build_deck().slides)), press=False)
        return
    app = mod.build_app()
    if hasattr(type(app), "TAB_RECORDS"):
        app.sections  # noqa: B018 - build every tab
    _type_everywhere(app, press=False)


@pytest.mark.timeout(600)
def test_no_raw_exception_text_reaches_the_practice_page_for_50_hostile_entries(tmp_path):
    from exercises.app import PracticeApp

    app = PracticeApp(progress_path=tmp_path / "p.sqlite", seed=2)
    app.open_case("flex_dosing", 2)
    _type_everywhere(app)
    app.open_case("refill_dates", 3)
    _type_everywhere(app)
    assert not app.problems, app.problems[:1]


@pytest.mark.timeout(600)
def test_no_raw_exception_text_reaches_the_assessment_page_for_50_hostile_entries(tmp_path):
    from exercises.assessment_app import AssessmentApp

    app = AssessmentApp(tmp_path / "q.sqlite")
    app.trainee.value = "ana"
    app.pre.start_button.click()
    _type_everywhere(app)
    assert not app.problems, app.problems[:1]


def test_an_unexpected_failure_in_the_practice_app_is_a_generic_line(tmp_path, monkeypatch):
    # Before: "Could not check this: secret /srv/itb/x.py KeyError" — the exception's own text on the page.
    from exercises.app import PracticeApp
    from widgets.app import GENERIC_ERROR

    app = PracticeApp(progress_path=tmp_path / "p.sqlite", seed=2)
    view = app.parts.children[0]

    def boom(*_a, **_k):
        raise KeyError("secret /srv/itb/x.py")

    monkeypatch.setattr(view.ex, "check", boom)
    monkeypatch.setattr(view.ex, "soft_limit", lambda *a, **k: "")
    view.input.value = "1 mL" if hasattr(view.input, "placeholder") else view.input.value
    view.check_button.click()
    page = "".join(w.value for w in walk(app) if isinstance(getattr(w, "value", None), str))
    assert "secret" not in page and "KeyError" not in page and GENERIC_ERROR in page
    assert app.problems  # the traceback is kept for the log


def test_the_flex_label_example_goes_through_the_one_safe_run(monkeypatch):
    # Before: its own handler caught only a refusal; anything else left the button's callback as a traceback
    import widgets.maintenance.flex as flex
    from widgets.app import GENERIC_ERROR
    from widgets.maintenance import build_app

    app = build_app()
    f = app.flex
    steps = [r.rate.value for r in f.rows]

    def boom(*_a, **_k):
        raise KeyError("secret /srv/itb/x.py")

    monkeypatch.setattr(flex.itbcore, "flex_from_continuous", boom)
    f.from_continuous.click()
    assert f.status.message == GENERIC_ERROR and "secret" not in f.status.value
    assert [r.rate.value for r in f.rows] == steps  # the steps on screen stay
    monkeypatch.setattr(flex.itbcore, "flex_from_continuous", _refuse)
    f.from_continuous.click()
    assert f.status.message == "Refused here." and f.status.kind == "violation"


def _refuse(*_a, **_k):
    from itbcore.errors import InputError

    raise InputError("Refused here.")


def test_an_unknown_section_goes_through_the_one_safe_run_as_a_warning():
    from widgets.product_information import build_app

    app = build_app()
    before = (app.label_key.value, app.section.value)
    assert app.open_section("lionova 9.9") is False
    assert app.status.kind == "warning" and "No section 'lionova 9.9'" in app.status.message
    assert (app.label_key.value, app.section.value) == before
    assert app.open_section("lionova 4.2") is True
