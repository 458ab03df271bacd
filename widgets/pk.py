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
from itbcore.units import Q_, fmt

from .app import App
from .fields import QuantityField, QuantitySlider
from .findings import cite, esc
from .palette import colour
from .plot import Scatter, make_figure, set_trace

#: Where the fields start: the drug library's starting values for this app.
START = library.starting_values("pk")

__all__ = ["PKApp", "build_app", "POPULATION_SIZE", "population", "REGIMENS"]

#: Virtual patients in the band: enough for stable 5th/95th percentiles, small enough for a slider.
POPULATION_SIZE = 1000
#: Regimens the app offers: (label, key).
REGIMENS = (("Single bolus", "bolus"), ("Continuous infusion", "continuous"), ("Flex programme", "flex"))
#: Points per hour on the time axis.
_PER_HOUR = 3


@functools.lru_cache(maxsize=4)
def population(n: int = POPULATION_SIZE, seed: int = 0) -> pk.Population:
    """The virtual population, drawn once per (n, seed) and shared by every app in the kernel."""
    return pk.virtual_population(n, seed=seed)


def _range(pair: tuple, unit: str | None = None) -> str:
    lo, hi = pair
    if isinstance(lo, (int, float)):
        return f"{lo:g} to {hi:g}"
    return f"{fmt(lo, unit)} to {fmt(hi, unit)}"


def label_pk_rows() -> list[tuple[str, str, str]]:
    """(what, value, source) rows of :data:`itbcore.LABEL_PK` for display."""
    f = pk.LABEL_PK
    s = f.sources
    return [
        ("Volume of distribution, mean", fmt(f.volume_mean), s["volume_mean"]),
        ("Volume of distribution, range", _range(f.volume_range), s["volume_range"]),
        ("CSF clearance", fmt(f.clearance), s["clearance"]),
        (
            "Half-life",
            f"{_range(f.half_life_range)} after a {_range(f.half_life_bolus_range)} bolus",
            s["half_life_range"],
        ),
        (
            "Lumbar steady state",
            f"{_range(f.steady_state_concentration_range)} at {_range(f.steady_state_dose_range)}",
            s["steady_state_concentration_range"],
        ),
        ("Time to steady state", _range(f.steady_state_time_range), s["steady_state_time_range"]),
        (
            "Lumbar : cisternal ratio",
            f"{_range(f.lumbar_cisternal_ratio_range)} : 1 (mean "
            f"{f.lumbar_cisternal_ratio_mean:g} : 1) at "
            f"{_range(f.lumbar_cisternal_dose_range)}",
            s["lumbar_cisternal_ratio_range"],
        ),
        (
            "Plasma concentration",
            f"at most {fmt(f.plasma_max)} (children {fmt(f.plasma_max_children)})",
            s["plasma_max"],
        ),
        (
            "Plasma concentration, children 8–18 years",
            f"at most {fmt(f.plasma_max_children_chronic)} on chronic infusion dosed "
            f"{_range(f.plasma_max_children_chronic_dosing)} (the label's unit)",
            s["plasma_max_children_chronic"],
        ),
    ]


class PKApp(App):
    title = "CSF pharmacokinetics"
    intro = (
        "Choose a regimen and see the CSF concentration of the label-mean patient, the spread across "
        "virtual patients (5–95 %), the steady state and the half-life; then the lumbar versus "
        "cisternal concentration along the spine."
    )
    label_choice = False  # the labels give the same PK numbers (lionova alone states the 75 mL mean)
    label_differences = ("csf_volume_mean", "children_plasma_level")
    sources = ("lionova 5.2", "lioresal Pharmacokinetics", "lionova 4.2; lioresal Dosing: mode of infusion (flex)")

    def build(self):
        self.regimen = W.ToggleButtons(
            options=list(REGIMENS), value="continuous", description="Regimen:", style={"button_width": "auto"}
        )
        self.regimen.add_class("itb-field")
        self.regimen.add_class("itb-field-regimen")
        self.bolus = QuantityField(
            "Bolus dose", value=START["bolus-dose"], limit="bolus_dose", name="bolus dose", key="bolus-dose"
        )
        self.daily = QuantityField(
            "Daily dose", value=START["daily-dose"], limit="daily_dose", name="daily dose", key="daily-dose"
        )
        self.night = QuantitySlider(
            "Night increase (flex)", "percent", 20, min=5, max=100, step=5, key="night-increase", readout_format=".0f"
        )
        self.duration = QuantitySlider(
            "Time shown", "h", 48, min=12, max=72, step=6, key="duration", readout_format=".0f"
        )
        self.duration.layout.width = "36em"
        self.ratio = W.FloatSlider(
            value=pk.LABEL_PK.lumbar_cisternal_ratio_mean,
            min=pk.LABEL_PK.lumbar_cisternal_ratio_range[0],
            max=pk.LABEL_PK.lumbar_cisternal_ratio_range[1],
            step=0.1,
            description="Lumbar : cisternal ratio (label 1.8–8.7)",
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
            "Lumbar CSF baclofen",
            "time (h)",
            "CSF baclofen (ng/mL)",
            height=400,
            traces=[
                Scatter(
                    x=[],
                    y=[],
                    mode="lines",
                    line=dict(width=0),
                    name="5th percentile",
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
                    name="5–95 % of virtual patients",
                    meta=dict(column="95th percentile"),
                    hoverinfo="skip",
                ),
                Scatter(
                    x=[],
                    y=[],
                    mode="lines",
                    name="label-mean patient (75 mL, 30 mL/h)",
                    line=dict(width=3, color=colour("info")),
                    hovertemplate="%{x:.3~g} h: %{y:.3~g} ng/mL<extra></extra>",
                ),
                Scatter(x=[], y=[], mode="lines", name="steady state", line=dict(dash="dash", color=colour("action"))),
                Scatter(
                    x=[],
                    y=[],
                    mode="markers+text",
                    name="half-life",
                    textposition="top right",
                    marker=dict(size=10, color=colour("warning")),
                ),
            ],
        )
        self.fig_spine = make_figure(
            "Lumbar versus cisternal CSF (label-mean patient)",
            "time (h)",
            "CSF baclofen (ng/mL)",
            height=320,
            traces=[
                Scatter(x=[], y=[], mode="lines", name="lumbar", line=dict(width=3, color=colour("info"))),
                Scatter(x=[], y=[], mode="lines", name="cisternal", line=dict(width=3, color=colour("chart-purple"))),
            ],
        )
        rows = "".join(
            f"<tr><th class='itb-key'>{esc(a)}</th><td>{esc(b)}</td><td>{cite(c)}</td></tr>"
            for a, b, c in label_pk_rows()
        )
        self.label_numbers = W.HTML(
            f"<details open><summary><strong>The label numbers</strong></summary><table>{rows}</table></details>"
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
                    fig, 3, [xs[0], xs[-1]], [ss, ss], name=f"steady state {fmt(c['steady'].model)}", visible=True
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
                    text=[f"t½ {fmt(t_half)}"],
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
                name=f"cisternal (lumbar ÷ {float(self.ratio.value):.1f})",
            )

        lo_h, hi_h = c["half_life_band"]
        rows = [
            (
                "Half-life, label-mean patient",
                f"{fmt(t_half)} (virtual patients 5–95 %: {fmt(lo_h)} to "
                f"{fmt(hi_h)}; labels {_range(pk.LABEL_PK.half_life_range)})",
            ),
        ]
        if c["regimen"] == "bolus":
            rows.append(("Peak after the bolus", f"{fmt(c['peak'])} (label-mean patient)"))
            rows.append(("6 h after the bolus", fmt(c["at_6h"])))
        else:
            what = "daily total of the flex programme" if c["regimen"] == "flex" else "daily dose"
            st = c["steady"]
            rows.append(("Steady state (model)", f"{fmt(st.model)} at a {what} of {fmt(c['daily'])}"))
            (c_lo, c_hi), (d_lo, d_hi) = st.label_range, st.label_dose_range
            rows.append(
                (
                    "Steady state (labels, lumbar)",
                    f"{fmt(c_lo)} to {fmt(c_hi)} at {fmt(d_lo)} to {fmt(d_hi)} ({st.source})",
                )
            )
            rows.append(("Model reaches 95 % of steady state", f"after {fmt(c['to_steady'])}"))
            lo_e, hi_e = c["end_band"]
            rows.append((f"At {fmt(c['times'][-1])}", f"{fmt(c['end'])} (5–95 %: {fmt(lo_e)} to {fmt(hi_e)})"))
            rows.append(
                (
                    f"Cisternal at {fmt(c['times'][-1])}",
                    f"{fmt(cisternal[-1])} (ratio {float(self.ratio.value):.1f} : 1)",
                )
            )
        if c["programme"] is not None:
            steps = "; ".join(f"from {fmt(s.start)} at {fmt(s.rate)}" for s in c["programme"].steps)
            rows.append(("Flex programme", steps))
        table = "".join(f"<tr><th class='itb-key'>{esc(a)}</th><td>{esc(b)}</td></tr>" for a, b in rows)
        self.result.value = (
            f"<table>{table}</table><p>Model parameters and ranges: {cite(pk.LABEL_PK.sources['clearance'])}</p>"
        )
        lo_d, hi_d = pk.LABEL_PK.steady_state_time_range
        self.caveat.value = (
            f'<div class="itb-callout itb-callout-warning">'
            f"<strong>Caveat of the model.</strong> One well-mixed compartment reaches 95 % of its steady state "
            f"after {esc(fmt(c['to_steady']))}; the labels report steady state within {esc(fmt(lo_d))} to "
            f"{esc(fmt(hi_d))}, because CSF circulates slowly and concentrations fall along the spine. Read the "
            f"curves as a teaching baseline, not a prediction for a patient "
            f"{cite(pk.LABEL_PK.sources['steady_state_time_range'])}.</div>"
        )
        self.values = dict(c, cisternal_end=cisternal[-1], ratio=float(self.ratio.value))

    def summary(self) -> str:
        v = self.values
        if not v:
            return "no result"
        regimen = dict((k, lbl) for lbl, k in REGIMENS)[v["regimen"]]
        lines = [f"regimen: {regimen}"]
        if v["regimen"] == "bolus":
            lines.append(f"bolus {fmt(self.bolus.quantity)}; peak {fmt(v['peak'])}; at 6 h {fmt(v['at_6h'])}")
        else:
            lines.append(
                f"daily dose {fmt(v['daily'])}; steady state {fmt(v['steady'].model)} (labels "
                f"{_range(v['steady'].label_range)}); 95 % of steady state "
                f"after {fmt(v['to_steady'])}"
            )
        lo_h, hi_h = v["half_life_band"]
        lo_e, hi_e = v["end_band"]
        end = fmt(v["times"][-1])
        lines.append(
            f"half-life {fmt(v['half_life'])} (population 5-95 %: {fmt(lo_h)} to {fmt(hi_h)}, n={POPULATION_SIZE})"
        )
        if v["regimen"] != "bolus":
            lines.append(
                f"at {end}: {fmt(v['end'])} (5-95 %: {fmt(lo_e)} to {fmt(hi_e)}); cisternal "
                f"{fmt(v['cisternal_end'])} at ratio {v['ratio']:.1f}"
            )
        return "\n".join(lines)


def build_app(**kwargs) -> PKApp:
    """The CSF pharmacokinetics app (an :class:`~widgets.app.App`, an ipywidgets VBox)."""
    return PKApp(**kwargs)
