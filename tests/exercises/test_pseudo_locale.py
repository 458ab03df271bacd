"""Every text the exercises show passes through a catalogue: rendered in the pseudo-locale ``qps`` (every
translated message comes out as ``⟦…⟧``), no English is left outside the brackets.

The exercises' questions, hints, rules, the feedback of right and wrong answers (every slip) and the
practice and assessment apps' widgets are rendered under ``using("qps")``; what is left once the bracketed
messages, the citations, the code spans and the values are taken out must hold no run of two or more
English words.  Numbers, units, citations (``lionova 4.2``), option letters and keys are allowed, and so is the case
library's own text (a situation's title and setting, a patient's name and diagnosis): YAML data, not
messages of the code.
"""

from __future__ import annotations

import ast
import datetime as _dt
import html
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import ipywidgets as W
import pytest

from exercises.app import PracticeApp
from exercises.assessment_app import AssessmentApp
from exercises.checking import ChoicePart, DatePart, OrderPart, QuantityPart
from exercises.core import list_exercises, load_exercise
from exercises.i18n import _
from itbcore.i18n import using

#: A run of two or more words of ASCII letters: English left untranslated.
_RUN = re.compile(r"\b[A-Za-z]+(?:[ \t]+[A-Za-z]+)+\b")

ROOT = Path(__file__).resolve().parents[2]

#: Texts that come from itbcore's own messages and data or from the apps' shared chrome (``widgets``): they
#: are marked in their own packages (their catalogues are not the exercises'), so a run of English found in
#: a string of one of these files is allowed -- unless the exercises' own code holds it unmarked too (below),
#: which keeps this test strict on the exercises' own strings.
ALLOWED_ELSEWHERE: tuple[tuple[str, str], ...] = (
    ("itbcore/assessment.py", "the refill checklist's steps and harms (MasteryView)"),
    ("itbcore/withdrawal.py", "withdrawal signs, actions and findings (withdrawal_call)"),
    ("itbcore/overdose.py", "overdose signs, actions and findings (overdose_management, which_syndrome)"),
    ("itbcore/screening/cautions.py", "interactions: effects and actions (interaction_decision)"),
    ("itbcore/adverse_effects.py", "adverse effects and their names (which_syndrome, loss_of_effect)"),
    ("itbcore/maintenance.py", "loss-of-effect causes, flex and refill findings"),
    ("itbcore/formulations.py", "storage and handling texts, diluent refusals (solution_inspection, dilution)"),
    ("itbcore/library.py", "the drug library's limits, override reasons and soft-limit messages"),
    ("itbcore/drug_library.toml", "the drug library's name"),
    ("itbcore/label_map.py", "the labels' section titles (which_syndrome, citations)"),
    ("itbcore/label_differences.toml", "where the labels differ (solution_inspection)"),
    ("itbcore/scenarios.py", "pump-incident scenarios (pocket_fill_residual)"),
    ("itbcore/report.py", "report field names"),
    ("itbcore/errors.py", "refusals of the core (InputError, UnitError, DoseLimitError)"),
    ("itbcore/units.py", "the unit reader's refusals"),
    ("widgets/page.py", "the print button"),
    ("widgets/app.py", "the apps' chrome: notice, drug-library line"),
)


def _literals(path: Path, *, unmarked_only: bool = False) -> list[str]:
    """The string literals of a Python file (``unmarked_only``: those not inside a gettext call, nor
    docstrings), or a data file's whole text."""
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".py":
        return [" ".join(text.split())]
    tree = ast.parse(text)
    skip: set[int] = set()
    if unmarked_only:
        for node in ast.walk(tree):
            func = getattr(node, "func", None)
            name = getattr(func, "id", None) or getattr(func, "attr", None)
            if isinstance(node, ast.Call) and name in ("_", "N_", "message", "gettext", "ngettext"):
                skip.update(id(n) for n in ast.walk(node))
            body = getattr(node, "body", None)
            if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
                skip.add(id(body[0].value))
    return [
        " ".join(n.value.split())
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in skip
    ]


@lru_cache(maxsize=1)
def _elsewhere() -> tuple[list[str], list[str]]:
    """(the strings of the files allowed above, the exercises' own strings left unmarked)."""
    other = [s for path, _why in ALLOWED_ELSEWHERE for s in _literals(ROOT / path)]
    own_files = [*sorted((ROOT / "exercises").glob("*.py")), *sorted((ROOT / "exercises" / "catalogue").glob("*.py"))]
    citation = re.compile(r"^(lionova|lioresal|baclorex|practice guidance)\b")  # never translated
    own = [s for f in own_files for s in _literals(f, unmarked_only=True) if not citation.match(s)]
    return other, own


def _allowed(run: str) -> bool:
    other, own = _elsewhere()
    if any(run in s for s in own):
        return False
    rest = run.split(" ", 1)[-1]  # "mL of CSF …": a unit written before an itbcore sentence
    candidates = [run, rest] if _RUN.fullmatch(rest) else [run]
    return any(c in s for c in candidates for s in other)


def _bare(text: str, citations: set[str]) -> str:
    """``text`` with its markup, its bracketed (translated) messages, citations and code spans taken out."""
    text = html.unescape(re.sub(r"<[^>]*>", " ", text))
    for cite in sorted(citations, key=len, reverse=True):
        text = text.replace(cite, " ")
    text = re.sub(r"`[^`]*`", " ", text)
    while True:  # innermost first: a message's parameters may be messages too
        shorter = re.sub(r"⟦[^⟦⟧]*⟧", " ", text)
        if shorter == text:
            return text
        text = shorter


def _english(texts: list[str], citations: set[str]) -> list[str]:
    found = []
    for text in texts:
        for run in _RUN.findall(_bare(text, citations)):
            if not _allowed(run):
                found.append(f"{run!r} in {text[:160]!r}")
    return sorted(set(found))


def _citations(ex: Any) -> set[str]:
    """The citations an exercise shows, and the case library's own text (YAML data, not messages)."""
    out = set()
    v = ex.variant
    if v.situation is not None:  # the case library's text: data files, translated (if ever) as data
        out |= {v.situation.title, v.situation.setting}
    if v.patient is not None:
        out |= {v.patient.name, v.patient.diagnosis, v.patient.history}
    for p in ex.parts:
        out.add(p.source)
        slips = getattr(p, "slips", ())
        for slip in slips.values() if isinstance(slips, dict) else slips:
            out.add(slip.source)
        out.update(getattr(p, "item_sources", {}).values())
    return {c for c in out if c}


def _wrong_answers(part: Any) -> list[Any]:
    """Answers that are not right: every slip and one that matches none."""
    if isinstance(part, QuantityPart):
        return [s.value for s in part._all_slips()] + [part.expected * 3.7]
    if isinstance(part, ChoicePart):
        return [k for k in part.options if k != part.expected]
    if isinstance(part, OrderPart):
        keys = list(part.expected)
        return [list(reversed(keys)), keys[1:2] + keys[:1] + keys[2:]]
    if isinstance(part, DatePart):
        return [s.value for s in part.slips] + [part.expected + _dt.timedelta(days=3)]
    raise AssertionError(f"unknown part kind {part!r}")


def _exercise_texts(ident: str, seed: int) -> tuple[list[str], set[str]]:
    ex = load_exercise(ident, seed=seed, progress=False)
    texts = [ex.markdown(), ex.markdown(seed=False)]
    for p in ex.parts:
        for _shown in range(len(p.hints) + 1):
            texts.append(ex.hint(p.id))
        arg = p.id if len(ex.parts) > 1 else None
        for answer in [p.expected, *_wrong_answers(p), "lots", ""]:
            result = ex.check(answer, part=arg)
            texts += [result.text(), result.html()]
    if len(ex.parts) > 1:
        texts.append(ex.check(1).text())  # no part named
    return texts, _citations(ex)


def _seeds_texts(ident: str) -> tuple[list[str], set[str]]:
    """:func:`_exercise_texts` over three seeds."""
    texts: list[str] = []
    citations: set[str] = set()
    for seed in (0, 1, 2):
        more, cites = _exercise_texts(ident, seed)
        texts += more
        citations |= cites
    return texts, citations


@pytest.mark.parametrize("ident", [d.id for d in list_exercises()])
def test_exercise_texts_are_marked(ident):
    with using("qps"):
        texts, citations = _seeds_texts(ident)
        texts += [_(d.title) for d in list_exercises() if d.id == ident]
        texts += [_(d.summary) for d in list_exercises() if d.id == ident]
        assert _english(texts, citations) == []


def _widget_texts(widget: Any) -> list[str]:
    """Every text a widget tree shows: values of HTML and labels, descriptions, placeholders, tooltips,
    options and tab titles (a text field's value is the trainee's, not the app's)."""
    out: list[str] = []
    for attr in ("description", "placeholder", "tooltip"):
        value = getattr(widget, attr, None)
        if isinstance(value, str):
            out.append(value)
    if isinstance(widget, (W.HTML, W.Label, W.HTMLMath)):
        out.append(widget.value)
    if isinstance(widget, (W.Dropdown, W.RadioButtons, W.Select)):
        out += [str(label) for label in widget._options_labels]
    if isinstance(widget, W.Tab):
        out += [str(t) for t in widget.titles]
    for child in getattr(widget, "children", ()):
        out += _widget_texts(child)
    return out


def _all_citations() -> set[str]:
    out: set[str] = set()
    for d in list_exercises():
        out |= _citations(load_exercise(d.id, seed=1, progress=False))
    return out


def test_practice_app_texts_are_marked(tmp_path):
    with using("qps"):
        app = PracticeApp(progress_path=tmp_path / "p.sqlite", seed=3)
        texts = _widget_texts(app)
        app.trainee.value = "ana"
        for d in list_exercises():
            app.open_case(d.id, 1)
            for view in app.parts.children:
                view.check_button.click()  # no answer yet
                view.hint_button.click()
                texts += _widget_texts(app)
                if isinstance(view.input, W.Text):
                    view.input.value = "lots"  # cannot check
                    texts += _widget_texts(view)
                    view.input.value = "9999 ug/day" if view.part.kind == "quantity" else "z"
                    texts += _widget_texts(view)
        app.open_case("initial_daily_dose", 0)
        view = app.parts.children[0]
        view.input.value = "2500 ug/day"  # past the soft limit: held until confirmed
        texts += _widget_texts(app)
        view.override.confirm_button.click()  # no reason chosen
        texts += _widget_texts(app)
        app.trainee.value = ""
        texts += _widget_texts(app)
        assert _english(texts, _all_citations()) == []


def test_assessment_app_texts_are_marked(tmp_path):
    with using("qps"):
        app = AssessmentApp(progress_path=tmp_path / "p.sqlite")
        texts = _widget_texts(app)
        app.mastery.score_button.click()  # no name yet
        app.pre.start_button.click()
        texts += _widget_texts(app)
        app.trainee.value = "ana"
        texts += _widget_texts(app)
        app.mastery.score_button.click()  # nothing ticked: not yet
        texts += _widget_texts(app)
        for cb in list(app.mastery.checks.values())[:6]:
            cb.value = True
        app.mastery.score_button.click()
        app.pre.start_button.click()
        texts += _widget_texts(app)
        for part in app.pre.parts[:4]:
            part.input.value = "2500 ug/day" if part.part.kind == "quantity" else part.input.value
            part.save_button.click()
        texts += _widget_texts(app)
        app.pre.score_button.click()
        texts += _widget_texts(app)
        app.refresh_history()
        texts += _widget_texts(app)
        assert _english(texts, _all_citations()) == []


@lru_cache(maxsize=2)
def _core_messages(locale: str) -> tuple[str, ...]:
    """The core's messages (longer than a few words) that the ``locale`` catalogue words differently."""
    from babel.messages.pofile import read_po

    with (ROOT / "itbcore" / "locale" / locale / "LC_MESSAGES" / "itbcore.po").open("rb") as fh:
        catalogue = read_po(fh, locale=locale)
    return tuple(
        m.id
        for m in catalogue
        if isinstance(m.id, str) and len(m.id) > 30 and "{" not in m.id and m.string and m.string != m.id
    )


@pytest.mark.parametrize("ident", [d.id for d in list_exercises()])
def test_the_cores_own_texts_are_shown_in_the_trainees_language(ident):
    """The pseudo-locale test above allows the core's sentences (marked in the core's catalogue), so it could not
    see an exercise showing one of them as it is: ``interaction_decision``'s choices were the core's English
    interaction texts on a Bokmål page.  In ``nb``, no core sentence the catalogue translates is shown in English."""
    with using("nb"):
        texts, citations = _seeds_texts(ident)
    shown = " ".join(" ".join(html.unescape(re.sub(r"<[^>]*>", " ", t)).split()) for t in texts)
    for cite in sorted(citations, key=len, reverse=True):  # a cited section keeps the label's own heading
        shown = shown.replace(cite, " ")
    left = [m for m in _core_messages("nb") if m in shown]
    assert not left, left[:3]


def test_the_class_view_is_shown_in_the_educators_language(tmp_path, monkeypatch):
    """The class view is an App of the exercises' package: its title, introduction and sources are in the
    exercises' catalogue, and the App translated them through the widgets' (the introduction and sources were
    English on a Bokmål page; the pseudo-locale brackets any marked text, whatever its catalogue, so only a real
    language shows it)."""
    from babel.messages.pofile import read_po

    from exercises.class_view_app import build_app

    monkeypatch.delenv("JUPYTERHUB_API_TOKEN", raising=False)
    with (ROOT / "exercises" / "locale" / "nb" / "LC_MESSAGES" / "exercises.po").open("rb") as fh:
        ours = [m.id for m in read_po(fh, locale="nb") if isinstance(m.id, str) and len(m.id) > 20 and m.string != m.id]
    with using("nb"):
        app = build_app(course_root=tmp_path / "course")
        shown = " ".join(html.unescape(re.sub(r"<[^>]*>", " ", t)) for t in _widget_texts(app))
    shown = " ".join(shown.split())
    left = [m for m in ours if m in shown]
    assert not left, left
