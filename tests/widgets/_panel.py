"""What the suite's one rule for results looks like from outside an app (widgets.app.run_panel): a result on
screen always belongs to the inputs on screen.  While an entry is refused or waits for Confirm, the results
that depend on it are withdrawn (hidden); the reason is in the panel's status; summary() says "no result".
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ipywidgets as W

from itbcore import library
from itbcore.errors import ITBError
from widgets.app import GENERIC_ERROR, Status
from widgets.fields import QuantityField


def withdrawn(w: W.Widget) -> bool:
    """Hidden by the rule: the result no longer belongs to the inputs on screen."""
    return w.layout.display == "none" and "itb-withdrawn" in w._dom_classes


def shown(w: W.Widget) -> bool:
    """On screen as a result of the inputs on screen."""
    return w.layout.display != "none" and "itb-withdrawn" not in w._dom_classes


def walk(widget: Any) -> Iterator[W.Widget]:
    """Every widget under ``widget`` (a field's own parts included), once."""
    seen: set[int] = set()

    def go(w: Any) -> Iterator[W.Widget]:
        if not isinstance(w, W.Widget) or id(w) in seen:
            return
        seen.add(id(w))
        yield w
        for child in getattr(w, "children", ()) or ():
            yield from go(child)

    yield from go(widget)


def fields(widget: Any) -> list[QuantityField]:
    return [w for w in walk(widget) if isinstance(w, QuantityField)]


def statuses(widget: Any) -> list[Status]:
    return [w for w in walk(widget) if isinstance(w, Status)]


def withdrawn_widgets(widget: Any) -> list[W.Widget]:
    return [w for w in walk(widget) if withdrawn(w)]


def no_traceback(widget: Any) -> None:
    """Nothing on screen is a traceback or the generic 'something went wrong'."""
    for w in walk(widget):
        value = getattr(w, "value", None)
        if isinstance(value, str):
            assert "Traceback" not in value and GENERIC_ERROR not in value, (type(w).__name__, value[:200])


def library_says(field: QuantityField, text: str) -> str:
    """What the drug library in force says of ``text`` typed in ``field`` ("" when it accepts it)."""
    label = field.label_profile if hasattr(field, "label_profile") else field._label_profile()
    try:
        library.read(field.limit, text, unit=field.unit, name=field.name, label=label)
    except ITBError as exc:
        return str(exc)
    return ""


def confirm(field: QuantityField, reason: str = "prescribed") -> None:
    """Confirm the value past a soft limit, with a reason, as a user does."""
    assert field.pending is not None, field.name
    field.reason.value = reason
    field.confirm.click()
    assert field.pending is None and field.override, field.error.value


def displayed(root: Any, target: W.Widget) -> bool:
    """Whether ``target`` is on screen under ``root``: neither it nor a box around it is hidden."""

    def go(w: Any, hidden: bool) -> bool | None:
        if not isinstance(w, W.Widget):
            return None
        hidden = hidden or getattr(getattr(w, "layout", None), "display", None) == "none"
        if w is target:
            return not hidden
        for child in getattr(w, "children", ()) or ():
            found = go(child, hidden)
            if found is not None:
                return found
        return None

    found = go(root, False)
    assert found is not None, "the widget is not in the app"
    return found


def snapshot(panels: dict[str, list]) -> dict[str, tuple | None]:
    """What each panel shows (its results' text and figure data), or None while it is withdrawn."""
    out: dict[str, tuple | None] = {}
    for name, ws in panels.items():
        if all(withdrawn(w) for w in ws):
            out[name] = None
            continue
        assert all(shown(w) for w in ws), name
        out[name] = tuple(
            w.value if hasattr(w, "value") else tuple((tuple(t.x or ()), tuple(t.y or ())) for t in w.data) for w in ws
        )
    return out
