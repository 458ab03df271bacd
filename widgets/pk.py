"""CSF pharmacokinetics: concentration over time after a bolus, a continuous infusion or a flex day.

For training only, not for treating patients.  The curves come from :mod:`itbcore.pk`, a
one-compartment model built on the label numbers (lionova 5.2; lioresal Pharmacokinetics):
the label-mean patient, a 5–95 % band of virtual patients (the population is drawn once and
cached), the steady-state line, the half-life, and the lumbar-versus-cisternal gradient.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import ipywidgets as W
import numpy as np

import itbcore
from itbcore import library, pk
from itbcore.i18n import localize_number
from itbcore.units import Q_, fmt

from .app import App
from .fields import QuantityField, QuantitySlider
from .findings import cite, esc
from .i18n import N_, _, message
from .palette import colour
from .plot import Scatter, make_figure, set_trace

#: Where the fields start: the drug library's starting values for this app.
START = library.starting_values("pk")

__all__ = ["PKApp", "build_app", "POPULATION_SIZE", "population", "REGIMENS"]

#: Virtual patients in the band: enough for stable 5th/95th percentiles, small enough for a slider.
POPULATION_SIZE = 1000
#: Regimens the app offers: (label, key).
REGIMENS = ((N_("Single bolus"), "bolus"), (N_("Continuous infusion"), "continuous"), (N_("Flex programme"), "flex"))
#: Points per hour on the time axis.
_PER_HOUR = 3


@functools.lru_cache(maxsize=4)
def population(n: int = POPULATION_SIZE, seed: int = 0) -> pk.Population:
    """The virtual population, drawn once per (n, seed) and shared by every app in the kernel."""
    return pk.virtual_population(n, seed=seed)


def _range(pair: tuple, unit: str | None = None) -> str:
    lo, hi = pair
    if isinstance(lo, (int, float)):
        return message("{low} to {high}", low=float(lo), high=float(hi))
    return message("{low} to {high}", low=fmt(lo, unit), high=fmt(hi, unit))


def _one(x: float) -> str:
    """A ratio with one decimal, in the locale's way."""
    return localize_number(f"{x:.1f}")


def label_pk_rows() -> list[tuple[str, str, str]]:
    """(what, value, source) rows of :data:`itbcore.LABEL_PK` for display."""
    f = pk.LABEL_PK
    s = f.sources
    return [
        (_("Volume of distribution, mean"), fmt(f.volume_mean), s["volume_mean"]),
        (_("Volume of distribution, range"), _range(f.volume_range), s["volume_range"]),
        (_("CSF clearance"), fmt(f.clearance), s["clearance"]),
        (
            _("Half-life"),
            message(
                "{range} after a {bolus} bolus",
                range=_range(f.half_life_range),
                bolus=_range(f.half_life_bolus_range),
            ),
            s["half_life_range"],
        ),
        (
            _("Lumbar steady state"),
            message(
                "{range} at {doses}",
                range=_range(f.steady_state_concentration_range),
                doses=_range(f.steady_state_dose_range),
            ),
            s["steady_state_concentration_range"],
        ),
        (_("Time to steady state"), _range(f.steady_state_time_range), s["steady_state_time_range"]),
        (
            _("Lumbar : cisternal ratio"),
            message(
                "{range} : 1 (mean {mean} : 1) at {doses}",
                range=_range(f.lumbar_cisternal_ratio_range),
                mean=float(f.lumbar_cisternal_ratio_mean),
                doses=_range(f.lumbar_cisternal_dose_range),
            ),
            s["lumbar_cisternal_ratio_range"],
        ),
        (
            _("Plasma concentration"),
            message(
                "at most {level} (children {children})",
                level=fmt(f.plasma_max),
                children=fmt(f.plasma_max_children),
            ),
            s["plasma_max"],
        ),
        (
            _("Plasma concentration, children 8–18 years"),
            message(
                "at most {level} on chronic infusion dosed {doses} (the label's unit)",
                level=fmt(f.plasma_max_children_chronic),
                doses=_range(f.plasma_max_children_chronic_dosing),
            ),
            s["plasma_max_children_chronic"],
        ),
    ]


class PKApp(App):
    title = N_("CSF pharmacokinetics")
    intro = N_(
        "How much baclofen is in the CSF after a bolus, during a continuous infusion and over a flex "
        "day, how much patients differ, and why the cisternal concentration is lower than the lumbar "
        "one. The curves come from a one-compartment model built on the label numbers "
        "(lionova 5.2; lioresal Pharmacokinetics): the label-mean patient, a 5–95 % band of 1000 virtual "
        "patients, the "
        "steady state and the half-life. The model reaches steady state within hours; the labels report "
        "1–2 days, so read the curves as a teaching baseline."
    )
    label_choice = False  # the labels give the same PK numbers (lionova alone states the 75 mL mean)
    label_differences = ("csf_volume_mean", "children_plasma_level")
    sources = ("lionova 5.2", "lioresal Pharmacokinetics", N_("lionova 4.2; lioresal Dosing: mode of infusion (flex)"))

    def build(self):
        self.regimen = W.ToggleButtons(
            options=[(_(t), v) for t, v in REGIMENS],
            value="continuous",
            description=_("Regimen:"),
            style={"button_width": "auto"},
        )
        self.regimen.add_class("itb-field")
        self.regimen.add_class("itb-field-regimen")
        self.bolus = QuantityField(
            N_("Bolus dose"), value=START["bolus-dose"], limit="bolus_dose", name=N_("bolus dose"), key="bolus-dose"
        )
        self.daily = QuantityField(
            N_("Daily dose"), value=START["daily-dose"], limit="daily_dose", name=N_("daily dose"), key="daily-dose"
        )
        self.night = QuantitySlider(
            N_("Night increase (flex)"),
            "percent",
            20,
            min=5,
            max=100,
            step=5,
            key="night-increase",
            readout_format=".0f",
        )
        self.duration = QuantitySlider(
            N_("Time shown"), "h", 48, min=12, max=72, step=6, key="duration", readout_format=".0f"
        )
        self.duration.layout.width = "36em"
        self.ratio = W.FloatSlider(
            value=pk.LABEL_PK.lumbar_cisternal_ratio_mean,
            min=pk.LABEL_PK.lumbar_cisternal_ratio_range[0],
            max=pk.LABEL_PK.lumbar_cisternal_ratio_range[1],
            step=0.1,
            description=_("Lumbar : cisternal ratio (label 1.8–8.7)"),
            continuous_update=False,
            readout_format=".1f",
            style={"description_width": "initial"},
            layout=W.Layout(width="40em"),
        )
        self.ratio.add_class("itb-field")
        self.ratio.add_class("itb-field-ratio")
        # A bolus is gone within hours: show it over 12 h (registered before watch(), so one update follows).
        self.regimen.observe(self._on_regimen, "value")
        self.watch(self.regimen, self.bolus, self.daily, self.night, self.duration, self.ratio)

        self.result = W.HTML()
        self.result.add_class("itb-result")
        band = "rgba(31,95,168,0.18)"
        self.fig = make_figure(
            _("Lumbar CSF baclofen"),
            _("time (h)"),
            _("CSF baclofen (ng/mL)"),
            height=400,
            traces=[
                Scatter(
                    x=[],
                    y=[],
                    mode="lines",
                    line=dict(width=0),
                    name=_("5th percentile"),
                    showlegend=False,
                    hoverinfo="skip",
                ),
                Scatter(
                    x=[],
                    y=[],
                    mode="lines",
                    line=dict(width=0),
                    fill="tonexty",
                    fillcolor=band,
                    name=_("5–95 % of virtual patients"),
                    meta=dict(column=_("95th percentile")),
                    hoverinfo="skip",
                ),
                Scatter(
                    x=[],
                    y=[],
                    mode="lines",
                    name=_("label-mean patient (75 mL, 30 mL/h)"),
                    line=dict(width=3, color=colour("info")),
                    hovertemplate="%{x:.3~g} h: %{y:.3~g} ng/mL<extra></extra>",
                ),
                Scatter(
                    x=[], y=[], mode="lines", name=_("steady state"), line=dict(dash="dash", color=colour("action"))
                ),
                Scatter(
                    x=[],
                    y=[],
                    mode="markers+text",
                    name=_("half-life"),
                    textposition="top right",
                    marker=dict(size=10, color=colour("warning")),
                ),
            ],
        )
        self.fig_spine = make_figure(
            _("Lumbar versus cisternal CSF (label-mean patient)"),
            _("time (h)"),
            _("CSF baclofen (ng/mL)"),
            height=320,
            traces=[
                Scatter(x=[], y=[], mode="lines", name=_("lumbar"), line=dict(width=3, color=colour("info"))),
                Scatter(
                    x=[], y=[], mode="lines", name=_("cisternal"), line=dict(width=3, color=colour("chart-purple"))
                ),
            ],
        )
        rows = "".join(
            f"<tr><th class='itb-key'>{esc(a)}</th><td>{esc(b)}</td><td>{cite(c)}</td></tr>"
            for a, b, c in label_pk_rows()
        )
        self.label_numbers = W.HTML(
            f"<details open><summary><strong>{esc(_('The label numbers'))}</strong></summary><table>{rows}</table>"
            "</details>"
        )
        self.label_numbers.add_class("itb-label-pk")
        self.caveat = W.HTML()
        self.caveat.add_class("itb-caveat")
        self._key: tuple | None = None
        self._curves: dict[str, Any] = {}
        self.values: dict[str, Any] = {}
        inputs = [self.regimen, self.bolus, self.daily, self.night, self.duration]
        outputs = [self.result, self.fig, self.ratio, self.fig_spine, self.caveat, self.label_numbers]
        return inputs, outputs

    def panel_inputs(self) -> list:
        """The inputs of the regimen shown: a refused daily dose does not withdraw a bolus's curves (its field
        is hidden then), nor a refused bolus an infusion's."""
        hidden = self.daily if self.regimen.value == "bolus" else self.bolus
        return [w for w in super().panel_inputs() if w is not hidden]

    def _on_regimen(self, change: dict) -> None:
        self._show_inputs(change["new"])  # also while the results are withdrawn: the field to correct is shown
        if change["new"] == "bolus" and self.duration.value > 12:
            self.duration.value = 12
        elif change["old"] == "bolus" and self.duration.value < 48:
            self.duration.value = 48

    # -- what the regimen gives
    def _show_inputs(self, regimen: str) -> None:
        self.bolus.layout.display = None if regimen == "bolus" else "none"
        self.daily.layout.display = None if regimen in ("continuous", "flex") else "none"
        self.night.layout.display = None if regimen == "flex" else "none"

    def _doses(self, regimen: str, days: int) -> tuple[list, list, Any, Any]:
        """Boluses, infusions, the daily dose for the steady-state line, and the flex programme."""
        if regimen == "bolus":
            return [("0 h", self.bolus.quantity)], [], None, None
        if regimen == "continuous":
            return [], [("0 h", None, self.daily.quantity)], self.daily.quantity, None
        programme = itbcore.flex_from_continuous(self.daily.quantity, night_increase=float(self.night.value) / 100)
        return [], list(programme.infusions(days)), programme.daily_total, programme

    def _compute(self) -> dict[str, Any]:
        regimen = self.regimen.value
        hours = float(self.duration.value)
        key = (regimen, hours, str(self.bolus.quantity), str(self.daily.quantity), float(self.night.value))
        if key == self._key:
            return self._curves
        days = math.ceil(hours / 24)
        times = Q_(np.linspace(0.0, hours, int(hours * _PER_HOUR) + 1), "h")
        boluses, infusions, daily, programme = self._doses(regimen, days)
        mean = pk.csf_concentration(times, boluses, infusions)
        pop = population()
        low, high = pk.percentile_band(pop.concentrations(times, boluses, infusions), (5, 95))
        t_half_low, t_half_high = pk.percentile_band(pop.half_life, (5, 95))
        curves = dict(
            regimen=regimen,
            times=times,
            mean=mean,
            low=low,
            high=high,
            daily=daily,
            programme=programme,
            half_life=pk.half_life(),
            half_life_band=(t_half_low, t_half_high),
            steady=None if daily is None else pk.steady_state(daily),
            to_steady=pk.time_to_steady_state(0.95),
            peak=mean.max(),
            end=mean[-1],
            end_band=(low[-1], high[-1]),
            at_6h=pk.csf_concentration(["6 h"], boluses, infusions)[0],
        )
        self._key, self._curves = key, curves
        return curves

    def update(self) -> None:
        self._show_inputs(self.regimen.value)
        c = self._compute()
        cisternal = pk.lumbar_to_cisternal(c["mean"], ratio=float(self.ratio.value))
        x = c["times"].magnitude
        xs = x.tolist()
        t_half = c["half_life"]
        fig = self.fig
        with fig.batch_update():
            set_trace(fig, 0, xs, c["low"].magnitude.tolist())
            set_trace(fig, 1, xs, c["high"].magnitude.tolist())
            set_trace(fig, 2, xs, c["mean"].magnitude.tolist())
            if c["steady"] is not None:
                ss = float(c["steady"].model.magnitude)
                set_trace(
                    fig,
                    3,
                    [xs[0], xs[-1]],
                    [ss, ss],
                    name=message("steady state {level}", level=fmt(c["steady"].model)),
                    visible=True,
                )
            else:
                set_trace(fig, 3, [], [], visible=False)
            if c["regimen"] == "bolus":
                # The half-life marked on the mean curve: the concentration one half-life after the bolus.
                at = pk.csf_concentration([t_half], [("0 h", self.bolus.quantity)])
                set_trace(
                    fig,
                    4,
                    [float(t_half.magnitude)],
                    [float(at.magnitude[0])],
                    text=[message("t½ {time}", time=fmt(t_half))],
                    visible=True,
                )
            else:
                set_trace(fig, 4, [], [], visible=False)
            fig.update_xaxes(range=[0, xs[-1]])
        with self.fig_spine.batch_update():
            set_trace(self.fig_spine, 0, xs, c["mean"].magnitude.tolist())
            set_trace(
                self.fig_spine,
                1,
                xs,
                cisternal.magnitude.tolist(),
                name=message("cisternal (lumbar ÷ {ratio})", ratio=_one(float(self.ratio.value))),
            )

        lo_h, hi_h = c["half_life_band"]
        rows: list[tuple[str, str]] = [
            (
                _("Half-life, label-mean patient"),
                message(
                    "{half_life} (virtual patients 5–95 %: {low} to {high}; labels {labels})",
                    half_life=fmt(t_half),
                    low=fmt(lo_h),
                    high=fmt(hi_h),
                    labels=_range(pk.LABEL_PK.half_life_range),
                ),
            ),
        ]
        if c["regimen"] == "bolus":
            rows.append((_("Peak after the bolus"), message("{peak} (label-mean patient)", peak=fmt(c["peak"]))))
            rows.append((_("6 h after the bolus"), fmt(c["at_6h"])))
        else:
            st = c["steady"]
            level_at = (
                message(
                    "{level} at a daily total of the flex programme of {dose}",
                    level=fmt(st.model),
                    dose=fmt(c["daily"]),
                )
                if c["regimen"] == "flex"
                else message("{level} at a daily dose of {dose}", level=fmt(st.model), dose=fmt(c["daily"]))
            )
            rows.append((_("Steady state (model)"), level_at))
            (c_lo, c_hi), (d_lo, d_hi) = st.label_range, st.label_dose_range
            rows.append(
                (
                    _("Steady state (labels, lumbar)"),
                    message(
                        "{low} to {high} at {dose_low} to {dose_high} ({source})",
                        low=fmt(c_lo),
                        high=fmt(c_hi),
                        dose_low=fmt(d_lo),
                        dose_high=fmt(d_hi),
                        source=st.source,
                    ),
                )
            )
            rows.append((_("Model reaches 95 % of steady state"), message("after {time}", time=fmt(c["to_steady"]))))
            lo_e, hi_e = c["end_band"]
            rows.append(
                (
                    message("At {time}", time=fmt(c["times"][-1])),
                    message("{level} (5–95 %: {low} to {high})", level=fmt(c["end"]), low=fmt(lo_e), high=fmt(hi_e)),
                )
            )
            rows.append(
                (
                    message("Cisternal at {time}", time=fmt(c["times"][-1])),
                    message(
                        "{level} (ratio {ratio} : 1)", level=fmt(cisternal[-1]), ratio=_one(float(self.ratio.value))
                    ),
                )
            )
        if c["programme"] is not None:
            steps = "; ".join(
                message("from {start} at {rate}", start=fmt(s.start), rate=fmt(s.rate)) for s in c["programme"].steps
            )
            rows.append((_("Flex programme"), steps))
        table = "".join(f"<tr><th class='itb-key'>{esc(a)}</th><td>{esc(b)}</td></tr>" for a, b in rows)
        self.result.value = (
            f"<table>{table}</table><p>"
            + message("Model parameters and ranges: {source}", source=cite(pk.LABEL_PK.sources["clearance"]))
            + "</p>"
        )
        lo_d, hi_d = pk.LABEL_PK.steady_state_time_range
        self.caveat.value = (
            '<div class="itb-callout itb-callout-warning">'
            + message(
                "<strong>Caveat of the model.</strong> One well-mixed compartment reaches 95 % of its steady state "
                "after {time}; the labels report steady state within {low} to {high}, because CSF circulates slowly "
                "and concentrations fall along the spine. Read the curves as a teaching baseline, not a prediction "
                "for a patient {source}.",
                time=esc(fmt(c["to_steady"])),
                low=esc(fmt(lo_d)),
                high=esc(fmt(hi_d)),
                source=cite(pk.LABEL_PK.sources["steady_state_time_range"]),
            )
            + "</div>"
        )
        self.values = dict(c, cisternal_end=cisternal[-1], ratio=float(self.ratio.value))

    def summary(self) -> str:
        v = self.values
        if not v:
            return _("no result")
        regimen = _(dict((k, lbl) for lbl, k in REGIMENS)[v["regimen"]])
        lines = [message("regimen: {regimen}", regimen=regimen)]
        if v["regimen"] == "bolus":
            lines.append(
                message(
                    "bolus {dose}; peak {peak}; at 6 h {level}",
                    dose=fmt(self.bolus.quantity),
                    peak=fmt(v["peak"]),
                    level=fmt(v["at_6h"]),
                )
            )
        else:
            lines.append(
                message(
                    "daily dose {dose}; steady state {level} (labels {labels}); 95 % of steady state after {time}",
                    dose=fmt(v["daily"]),
                    level=fmt(v["steady"].model),
                    labels=_range(v["steady"].label_range),
                    time=fmt(v["to_steady"]),
                )
            )
        lo_h, hi_h = v["half_life_band"]
        lo_e, hi_e = v["end_band"]
        end = fmt(v["times"][-1])
        lines.append(
            message(
                "half-life {half_life} (population 5-95 %: {low} to {high}, n={n})",
                half_life=fmt(v["half_life"]),
                low=fmt(lo_h),
                high=fmt(hi_h),
                n=POPULATION_SIZE,
            )
        )
        if v["regimen"] != "bolus":
            lines.append(
                message(
                    "at {time}: {level} (5-95 %: {low} to {high}); cisternal {cisternal} at ratio {ratio}",
                    time=end,
                    level=fmt(v["end"]),
                    low=fmt(lo_e),
                    high=fmt(hi_e),
                    cisternal=fmt(v["cisternal_end"]),
                    ratio=_one(v["ratio"]),
                )
            )
        return "\n".join(lines)


def build_app(**kwargs) -> PKApp:
    """The CSF pharmacokinetics app (an :class:`~widgets.app.App`, an ipywidgets VBox)."""
    return PKApp(**kwargs)
