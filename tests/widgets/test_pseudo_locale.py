"""Every text the apps write passes through the ``widgets`` catalogue: built in the pseudo-locale ``qps``
(where every translated message comes out as ``⟦…⟧``), an app shows no English of its own outside the
brackets.

The check walks each app's widget tree (every tab built) as a reader meets it: labels (descriptions),
tooltips, placeholders, option labels, tab titles, the text of every HTML widget (tags removed, the
``title`` and ``aria-label`` attributes read too) and every figure's titles, axis titles, trace names and
annotations; then it types an entry every field refuses and looks again (the status lines, the field's
messages), and reads ``summary()``.  What may stand outside ``⟦…⟧``: numbers, units, label keys and
citations (``lionova 4.2``), single words (a unit, a label key, a code) -- but no run of two English words.

Text that comes from :mod:`itbcore` (its findings, actions, refusals and data, which the core's own
catalogue translates) is read from the objects the widgets were given and set aside, so the test stays
strict on the widgets' own strings whether or not a core message is marked yet.
"""

from __future__ import annotations

import html
import importlib
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ipywidgets as W
import pytest

import itbcore
from itbcore import i18n, library, units
from itbcore.sources import LABEL_DIFFERENCES

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _panel import walk

from widgets.app import App
from widgets.fields import QuantityField
from widgets.findings import FindingsView
from widgets.plot import Figure

#: The apps of the ``widgets`` package (the teaching deck and the product-information app are checked with
#: their own strings; the practice, assessment and class-view apps are the ``exercises`` package's).
APP_MODULES = ["screening", "titration", "maintenance", "pk", "overdose", "withdrawal", "units"]

OPEN, CLOSE = i18n.PSEUDO_OPEN, i18n.PSEUDO_CLOSE
#: Two or more ASCII words in a row: English that did not pass through a catalogue.
ENGLISH = re.compile(r"[A-Za-z]+(?:[ \u00a0]+[A-Za-z]+)+")
#: Label keys and citations may stand outside the brackets: "lionova 4.2", "lioresal 2.1 and 4.3".
CITATION = re.compile(r"\b(?:lionova|lioresal|baclorex)\b[^,;()]*", re.I)
PRACTICE_CITATION = re.compile(OPEN + r"practice guidance" + CLOSE + r":[^;()⟦]*")


def unbracketed(text: str) -> str:
    """``text`` without its ``⟦…⟧`` parts (nested brackets included)."""
    out, depth = [], 0
    for ch in text:
        if ch == OPEN:
            depth += 1
            out.append(" ")
        elif ch == CLOSE and depth:
            depth -= 1
            out.append(" ")
        elif not depth:
            out.append(ch)
    return "".join(out)


def html_text(markup: str) -> list[str]:
    """What a reader meets in ``markup``: its text, and its ``title`` and ``aria-label`` attributes."""
    attrs = [html.unescape(m) for m in re.findall(r'\b(?:title|aria-label)="([^"]*)"', markup)]
    markup = re.sub(r'<a class="itb-section-link"[^>]*>[^<]*</a>', " ", markup)  # a citation's linked section
    # the labels' own words (original and its English) and the languages named in their own words: quoted, not ours
    markup = re.sub(r"<blockquote\b.*?</blockquote>|<p class=\"itb-quote-english\".*?</p>", " ", markup, flags=re.S)
    markup = re.sub(r'<nav class="itb-languages".*?</nav>', " ", markup, flags=re.S)
    return [html.unescape(re.sub(r"<[^>]+>", " ", markup)), *attrs]


def figure_text(fig: Figure) -> Iterator[str]:
    d = fig.to_dict()

    def titles(node: Any) -> Iterator[str]:
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "template":
                    continue
                if k in ("text", "name", "hovertemplate") and isinstance(v, str):
                    yield v
                else:
                    yield from titles(v)
        elif isinstance(node, list):
            for v in node:
                yield from titles(v)

    yield from titles(d["layout"])
    for trace in d["data"]:
        yield from titles({k: v for k, v in trace.items() if k in ("name", "hovertemplate", "text")})


def screen_text(root: W.Widget) -> Iterator[tuple[str, str]]:
    """(where, text) for every text a reader meets under ``root`` (widgets that are hidden aside)."""
    hidden = {
        id(c) for w in walk(root) if getattr(getattr(w, "layout", None), "display", None) == "none" for c in walk(w)
    }
    for w in walk(root):
        if id(w) in hidden:
            continue
        kind = type(w).__name__
        for attr in ("description", "tooltip", "placeholder"):
            value = getattr(w, attr, None)
            if isinstance(value, str) and value:
                yield f"{kind}.{attr}", value
        for attr in ("tooltips", "titles", "_options_labels"):
            for value in getattr(w, attr, None) or ():
                if isinstance(value, str):
                    yield f"{kind}.{attr}", value
        if isinstance(w, (W.HTML, W.HTMLMath, W.Label)) and w.value:
            for text in html_text(w.value):
                yield f"{kind}.value", text
        if isinstance(w, Figure):
            for text in figure_text(w):
                yield "Figure", text


def core_texts(root: W.Widget) -> set[str]:
    """The texts the core gave the widgets to show as they are (its messages are its own catalogue's)."""
    out = {itbcore.TRAINING_ONLY, library.active_library().summary}
    out |= set(library.OVERRIDE_REASONS.values())
    for d in LABEL_DIFFERENCES:
        out |= {d.topic, d.note, *d.values.values(), *d.sources.values()}
    for w in walk(root):
        if isinstance(w, FindingsView):
            for item in w.items:
                out |= {getattr(item, "message", None) or getattr(item, "text", ""), item.source}
        if isinstance(w, QuantityField) and w.error_message:
            out.add(w.error_message)
    out |= set(_core_strings(vars(root) if isinstance(root, App) else {}))
    for mod in ("itbcore.sources", "itbcore.label_map"):  # citations and section titles
        m = importlib.import_module(mod)
        for name in dir(m):
            value = getattr(m, name)
            if isinstance(value, str):
                out.add(value)
    return {t for t in out if t}


def _core_strings(value: Any, depth: int = 0, core: bool = False) -> Iterator[str]:
    """The strings inside the core's results an app holds (a rule, an explanation, a cause and its reason)."""
    if depth > 5:
        return
    if isinstance(value, str):
        if core:
            yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _core_strings(v, depth + 1, core)
    elif isinstance(value, (list, tuple)):  # a named tuple of the core's too
        core = core or type(value).__module__.startswith("itbcore.")
        for v in value:
            yield from _core_strings(v, depth + 1, core)
    elif type(value).__module__.startswith("itbcore.") and hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            yield from _core_strings(getattr(value, name, None), depth + 1, True)


def english_left(root: W.Widget, extra: dict[str, str] | None = None) -> list[tuple[str, str]]:
    core = sorted(core_texts(root), key=len, reverse=True)
    found = []
    for where, text in [*screen_text(root), *(extra or {}).items()]:
        # a citation of practice guidance: its prefix is translated, the reference after it is a name
        rest = PRACTICE_CITATION.sub(" ", text)
        for c in core:
            if c in rest:
                rest = rest.replace(c, " ")
        rest = unbracketed(rest)
        rest = CITATION.sub(" ", rest)
        for m in ENGLISH.finditer(rest):
            found.append((where, f"{m.group(0)!r} in {text[:160]!r}"))
    return found


def _build(module: str) -> App:
    app = importlib.import_module(f"widgets.{module}").build_app()
    if hasattr(type(app), "TAB_RECORDS"):
        app.sections  # noqa: B018 - tabs are built on first show: build them all
    return app


@pytest.mark.parametrize("module", APP_MODULES)
def test_no_english_of_the_widgets_outside_the_catalogue(module):
    with i18n.using("qps"):
        app = _build(module)
        problems = english_left(app, {"summary()": app.summary(), "repr": repr(app)})
        # an entry every field refuses: the field's message and the panel's "no result" line
        fields = [w for w in walk(app) if isinstance(w, QuantityField)]
        assert fields
        fields[0].value = "not a number"
        assert fields[0].blocked
        problems += english_left(app, {"summary() refused": app.summary()})
    assert not problems, "\n".join(f"{where}: {what}" for where, what in dict.fromkeys(problems))


def test_the_check_sees_english():
    """The check itself: English outside the brackets is found, bracketed text and citations are not."""
    box = W.VBox([W.HTML("<p>⟦Soft limits ask⟧ (lionova 4.2) 50 µg/day</p>"), W.Button(description="Reset app")])
    assert [w for w, _ in english_left(box)] == ["Button.description"]
    assert units.fmt(units.Q_(50, "ug/day")) == "50 µg/day"
