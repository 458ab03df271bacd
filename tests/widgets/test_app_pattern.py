"""One way to build an app (docs/APPS.md, "Panels and the one safe-run"): an app is panels below the chrome that
:func:`widgets.app.chrome` builds — the training-only banner, the drug library in force and, where the app has
one, the toolbar.  Every app of the suite, the practice, assessment and class-view apps and the teaching deck's
title slide included, starts with it; nothing else builds a banner, a library line or a toolbar, and no page
places the empty ``PageA11y`` (the template's page script does that job).

For training only, not for treating patients.
"""

from __future__ import annotations

import ast
import importlib
import sys
from pathlib import Path

import ipywidgets as W
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _panel import walk

ROOT = Path(__file__).resolve().parents[2]
APP_MODULES = ["screening", "titration", "maintenance", "pk", "overdose", "withdrawal", "units", "product_information"]
#: What only widgets.app.chrome() builds (widgets/app.py defines them; chrome() calls them).
CHROME_PARTS = {"banner", "library_line", "toolbar", "PageA11y"}


def _starts_with_chrome(children) -> None:
    """The banner, the page's heading (one H1, the app's name; the notebook holds no text) and the library line."""
    first, second, third = children[0], children[1], children[2]
    assert "itb-banner" in first._dom_classes and "training only" in first.value.lower(), first
    assert "itb-heading" in second._dom_classes and second.value.count("<h1") == 1, second
    assert "itb-library-line" in third._dom_classes, third


def _chromes(root: W.Widget) -> list[W.Widget]:
    return [w for w in walk(root) if {"itb-banner", "itb-library-line"} & set(w._dom_classes)]


@pytest.mark.parametrize("module", APP_MODULES)
def test_every_app_starts_with_the_chrome_once(module):
    app = importlib.import_module(f"widgets.{module}").build_app()
    _starts_with_chrome(app.children)
    assert len(_chromes(app)) == 2
    bars = [w for w in walk(app) if "itb-toolbar" in w._dom_classes]
    assert len(bars) == 1 and any("itb-print-button" in b._dom_classes for b in bars[0].children)


def test_the_practice_assessment_and_class_view_apps_start_with_the_chrome(tmp_path, monkeypatch):
    from exercises.app import PracticeApp
    from exercises.assessment_app import AssessmentApp
    from exercises.class_view_app import build_app

    monkeypatch.delenv("JUPYTERHUB_API_TOKEN", raising=False)
    for app in (
        PracticeApp(progress_path=tmp_path / "p.sqlite", seed=2),
        AssessmentApp(tmp_path / "q.sqlite"),
        build_app(),
    ):
        _starts_with_chrome(app.children)
        assert len(_chromes(app)) == 2, type(app).__name__
        # no empty, hidden widget placed for the page (the old PageA11y)
        empty = [w for w in app.children if isinstance(w, W.HTML) and not w.value and w.layout.display == "none"]
        assert not empty, type(app).__name__


def test_the_deck_has_the_chrome_on_its_title_slide_and_none_hidden_on_its_slides():
    # Before: the deck built its own banner (no drug-library line), and each slide built the App's banner and
    # library line only to hide them (ten widget models drawn nowhere)
    from widgets.deck import build_deck

    deck = build_deck()
    _starts_with_chrome(deck.title_slide().children)
    for slide in deck.slides:
        assert not _chromes(slide), slide.title
        assert slide.banner is None and slide.library_line is None


def test_nothing_but_chrome_builds_the_chrome():
    # banner(), library_line(), toolbar() are called by widgets.app.chrome() alone (and PageA11y by nobody)
    calls = []
    for path in sorted((ROOT / "widgets").rglob("*.py")) + sorted((ROOT / "exercises").glob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]:
            for node in ast.walk(fn):
                if isinstance(node, ast.Call):
                    f = node.func
                    name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
                    if name in CHROME_PARTS and not (rel == "widgets/app.py" and fn.name == "chrome"):
                        calls.append((rel, fn.name, node.lineno, name))
    assert not calls, calls
