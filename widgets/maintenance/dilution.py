"""The dilution-and-ampoules tab of the maintenance app.

For training only, not for treating patients.  Part of :mod:`widgets.maintenance`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as W

import itbcore
from itbcore.errors import DiluentError
from itbcore.units import display_unit, fmt

from ..fields import clear_inline_error, inline_error
from ..findings import FindingsView
from ..i18n import N_, _, message
from ..palette import colour
from ..plot import Bar, make_figure, set_trace
from ._common import _field, _result_widget, _rows, _Section

if TYPE_CHECKING:
    from . import MaintenanceApp


# ---------------------------------------------------------------------------------------------- dilution
class DilutionSection(_Section):
    """Dilution with sodium chloride 0.9 % and the ampoules a fill needs."""

    def __init__(self, app: MaintenanceApp) -> None:
        super().__init__(app)
        self.stock = _field(
            N_("Stock (ampoule strength)"), "dilution-stock", "concentration", N_("stock concentration")
        )
        self.target = _field(N_("Target concentration"), "dilution-target", "concentration")
        self.volume = _field(N_("Final (fill) volume"), "dilution-volume", "reservoir_volume", N_("final volume"))
        self.diluent = W.Text(
            value="sodium chloride 0.9%",
            description=_("Diluent"),
            continuous_update=False,
            style={"description_width": "initial"},
            layout=W.Layout(width="22em"),
        )
        self.diluent_error = W.HTML("")
        self.diluent_error.add_class("itb-field-error")
        self.diluent_error_message = ""
        diluent_row = W.HBox([self.diluent, self.diluent_error], layout=W.Layout(align_items="center"))
        diluent_row.add_class("itb-field")
        diluent_row.add_class("itb-field-diluent")
        self.watch(self.stock, self.target, self.volume, self.diluent)
        self.result = _result_widget("dilution")
        self.findings = FindingsView()
        self.fig = make_figure(
            _("What goes into the syringe, and what is discarded"),
            _("volume (mL)"),
            "",
            height=240,
            traces=[
                Bar(
                    x=[],
                    y=[],
                    orientation="h",
                    name=_("stock"),
                    marker_color=colour("info"),
                    texttemplate="%{x:.3~g} " + display_unit("mL"),
                ),
                Bar(
                    x=[],
                    y=[],
                    orientation="h",
                    name=_("sodium chloride 0.9 %"),
                    marker_color=colour("chart-light"),
                    texttemplate="%{x:.3~g} " + display_unit("mL"),
                ),
                Bar(
                    x=[],
                    y=[],
                    orientation="h",
                    name=_("discarded from opened ampoules"),
                    marker_color=colour("chart-grey"),
                    texttemplate="%{x:.3~g} " + display_unit("mL"),
                ),
            ],
        )
        self.fig.update_layout(barmode="stack")
        self.dilution: itbcore.Dilution | None = None
        self.fill: itbcore.FillRequirement | None = None
        inputs = W.VBox([self.stock, self.target, self.volume, diluent_row])
        self.outputs = [self.result, self.fig, self.findings]
        self.widget = W.VBox([inputs, self.status, *self.outputs])

    def _show_diluent_error(self, message: str) -> None:
        self.diluent_error_message = message
        inline_error(self.diluent_error, message)

    def update(self) -> None:
        try:
            itbcore.check_diluent(self.diluent.value)
        except DiluentError as exc:
            # The refusal belongs to the diluent field (and the tab's results are withdrawn).
            self._show_diluent_error(str(exc))
            raise
        self.diluent_error_message = ""
        clear_inline_error(self.diluent_error)
        d = itbcore.dilution(
            self.stock.quantity, self.target.quantity, self.volume.quantity, diluent=self.diluent.value
        )
        fill = itbcore.ampoules_for_fill(self.target.quantity, self.volume.quantity, stock=self.stock.quantity)
        self.dilution, self.fill = d, fill
        self.result.value = _rows(
            [
                (
                    _("Stock to draw"),
                    message("{volume} of {solution}", volume=fmt(d.stock_volume), solution=fmt(d.stock)),
                ),
                (
                    _("Diluent to add"),
                    message("{volume} of {solution}", volume=fmt(d.diluent_volume), solution=d.diluent),
                ),
                (
                    _("Final"),
                    message(
                        "{volume} of {solution} ({amount} baclofen)",
                        volume=fmt(d.final_volume),
                        solution=fmt(d.target),
                        amount=fmt(d.amount),
                    ),
                ),
                (
                    _("Ampoules to open"),
                    message(
                        "{count} × {volume} of {solution} (single use)",
                        count=fill.ampoules,
                        volume=fmt(fill.stock.ampoule_volume),
                        solution=fmt(fill.stock.concentration),
                    ),
                ),
                (_("Discarded"), fmt(fill.discarded_volume)),
                (_("Sodium in the fill"), f"{fmt(fill.sodium)} ({fmt(fill.sodium_mmol)})"),
            ]
        )
        y = [_("fill")]
        with self.fig.batch_update():
            set_trace(self.fig, 0, [float(d.stock_volume.magnitude)], y)
            set_trace(self.fig, 1, [float(d.diluent_volume.magnitude)], y)
            set_trace(self.fig, 2, [float(fill.discarded_volume.to("mL").magnitude)], y)
        first: dict[str, itbcore.Finding] = {}  # each finding once, at its first place
        for f in d.findings + fill.findings:
            first.setdefault(f.code, f)
        self.findings.show(list(first.values()))

    def summary(self) -> str:
        d, f = self.dilution, self.fill
        if d is None or f is None:
            return _("dilution: none")
        return (
            message(
                "dilution: {volume} of {solution} from {stock}: stock {stock_volume} + {diluent} {diluent_volume}",
                volume=fmt(d.final_volume),
                solution=fmt(d.target),
                stock=fmt(d.stock),
                stock_volume=fmt(d.stock_volume),
                diluent=d.diluent,
                diluent_volume=fmt(d.diluent_volume),
            )
            + "\n  "
            + message(
                "ampoules: {count} × {volume}; discarded {discarded}; sodium {sodium} ({mmol})",
                count=f.ampoules,
                volume=fmt(f.stock.ampoule_volume),
                discarded=fmt(f.discarded_volume),
                sodium=fmt(f.sodium),
                mmol=fmt(f.sodium_mmol),
            )
        )
