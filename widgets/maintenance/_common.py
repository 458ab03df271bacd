"""What the maintenance app's tabs share: the library's starting values, the example device, the result
helpers and the tab base class.

For training only, not for treating patients.  Part of :mod:`widgets.maintenance`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import ipywidgets as W

from itbcore import library
from itbcore.i18n import format_date

from ..app import Refreshing, Status
from ..fields import QuantityField
from ..findings import esc

if TYPE_CHECKING:
    from . import MaintenanceApp


#: Where the fields start: the drug library's starting values for this app.
START = library.starting_values("maintenance")


#: Example device values for the bridge bolus (the drug library's starting values).  They are device settings
#: the user enters from the pump and catheter documentation and the implant record.
EXAMPLE_DEVICE = {
    "catheter_length": START["bridge-length"],
    "catheter_volume_per_length": START["bridge-per-cm"],
    "pump_tubing_volume": START["bridge-tubing"],
}
#: The flex programme the tab starts with, and where an added step starts.
FLEX_START_STEPS = (
    (START["flex-step-1-start"], START["flex-step-1-rate"]),
    (START["flex-step-2-start"], START["flex-step-2-rate"]),
)


def _field(label: str, key: str, limit: str, name: str | None = None) -> QuantityField:
    """A quantity field that starts at the drug library's value for ``key`` (:data:`START`) and is read and
    checked by the library's ``limit``; ``name`` (for messages) defaults to the label in lower case.  ``label`` and
    ``name`` are English texts marked ``N_`` (the field shows them translated)."""
    return QuantityField(label, value=START[key], limit=limit, name=name, key=key)


def _date(d: dt.date | None) -> str:
    return format_date(d) if d is not None else "—"


def _box(html_text: str, kind: str = "info") -> str:
    return f'<div class="itb-box itb-{esc(kind)}">{html_text}</div>'


def _rows(pairs: list[tuple[str, str]]) -> str:
    cells = "".join(f"<tr><th class='itb-key'>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in pairs)
    return f"<table class='itb-result-table'>{cells}</table>"


def _result_widget(key: str) -> W.HTML:
    w = W.HTML()
    w.add_class("itb-result")
    w.add_class(f"itb-result-{key}")
    return w


class _Section(Refreshing):
    """One tab: its inputs, a status line under them, and outputs; refreshed on its own inputs."""

    #: the tab's content (set by each section)
    widget: W.Widget

    def __init__(self, app: MaintenanceApp) -> None:
        self.app = app
        self.status = Status()
        self.updates = 0

    def summary(self) -> str:
        """The tab's numbers as plain text (each section says its own)."""
        raise NotImplementedError
