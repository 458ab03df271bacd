"""Maintenance and refill: refill plan, dilution and ampoules, flex dosing, bridge bolus and residual
volume, and the old-versus-new settings check before programming.

For training only, not for treating patients.  Five tabs over :mod:`itbcore.pump`,
:mod:`itbcore.formulations` and :mod:`itbcore.maintenance`; every number comes from an
:mod:`itbcore` call, the widgets only format, plot and report errors.  Each tab is a panel
(:func:`widgets.app.run_panel`) with its own status line under its inputs: a refused entry withdraws
that tab's results (the bridge-bolus and residual parts of their tab are a panel each) and leaves the
other tabs' results in place.

One module per tab: :mod:`~widgets.maintenance.refill`, :mod:`~widgets.maintenance.dilution`,
:mod:`~widgets.maintenance.flex`, :mod:`~widgets.maintenance.bridge_residual` and
:mod:`~widgets.maintenance.settings`, over what they share (:mod:`~widgets.maintenance._common`); this module
holds the app that puts them in tabs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import ipywidgets as W

from ..app import App
from ..i18n import N_, _, message
from ._common import EXAMPLE_DEVICE, FLEX_START_STEPS, START, _Section
from .bridge_residual import BridgeResidualSection
from .dilution import DilutionSection
from .flex import FlexSection
from .refill import RefillSection
from .settings import SettingsSection

log = logging.getLogger("widgets")

__all__ = ["MaintenanceApp", "build_app", "TABS", "TAB_RECORDS", "TabRecord", "EXAMPLE_DEVICE"]


# ---------------------------------------------------------------------------------------------- the app
@dataclass(frozen=True)
class TabRecord:
    """One tab of the maintenance app: its title (English, marked ``N_``; shown translated), the app attribute
    that holds it, its section class."""

    title: str
    name: str
    section: type[_Section]


#: One record per tab, in order: its title, the app attribute that holds it, its section class.
TAB_RECORDS: tuple[TabRecord, ...] = (
    TabRecord(N_("Refill plan"), "refill", RefillSection),
    TabRecord(N_("Dilution, ampoules"), "dilution", DilutionSection),
    TabRecord(N_("Flex dosing"), "flex", FlexSection),
    TabRecord(N_("Bridge, residual"), "bridge", BridgeResidualSection),
    TabRecord(N_("Old vs new"), "settings", SettingsSection),
)
#: The tabs' titles, in order.
TABS = tuple(t.title for t in TAB_RECORDS)


class MaintenanceApp(App):
    title = N_("Maintenance and refill")
    intro = N_(
        "The reservoir must never run empty, any dilution must be made with sodium chloride 0.9 % only, and "
        "a new programme must never be a per-hour/per-day or mg/µg slip. Press Enter after typing a value."
    )
    more = (
        N_("The five tabs, and the sources"),
        N_(
            "- **Refill plan**: the reservoir draining toward the low-reservoir alarm, and the refill "
            "date with what\n  limited it (the margin before the alarm, lioresal's 11-week stability, the "
            "manufacturers' 180 days);\n- **Dilution and ampoules**: stock and diluent volumes, ampoules "
            "opened, sodium, what is discarded;\n- **Flex dosing**: a 24 h programme of steps, its daily "
            "total and the per-hour/per-day check;\n- **Bridge bolus and residual**: a change of "
            "concentration, and the volume found at refill;\n- **Old vs new settings**: the side-by-side "
            "check before programming.\n\n"
            "Sources: lionova 4.2, 4.4, 6.2, 6.6; lioresal Dosing: re-fill, Stability of the drug; "
            "practice guidance where marked."
        ),
    )
    label_differences = (
        "pump_stability",
        "storage",
        "observation_windows",
        "dose_range_12_2003",
        "drug_holiday",
        "drug_holiday_restart",
        "pediatric_dose_rise",
        "solution_ph_tonicity",
    )
    sources = (
        N_("lionova 4.2, 4.4, 6.2, 6.3, 6.6 (refill, dilution, flex dosing)"),
        "lioresal Special instructions (re-fill); Instructions for use of the infusion system; "
        "Dosing: mode of infusion; Stability of the drug",
        N_("practice guidance: device documentation; Neuromodulation 2016, Saulino et al."),
    )

    #: One record per tab, in order (:data:`TAB_RECORDS`).
    TAB_RECORDS = TAB_RECORDS

    def build(self):
        # A tab is built when it is first shown (or first used from Python: ``app.flex``), so a page
        # becomes interactive with the first tab's widgets only; the others follow on a click.
        self._built: dict[str, _Section] = {}
        self._waiting = W.HTML("<p class='itb-muted'>Preparing this tab…</p>")
        self.tabs = W.Tab(children=[self._waiting] * len(self.TAB_RECORDS))
        for i, tab in enumerate(self.TAB_RECORDS):
            self.tabs.set_title(i, _(tab.title))
        self.tabs.add_class("itb-tabs")
        self.tabs.observe(self._on_tab, "selected_index")
        self._section(0, refresh=False)  # the app's first refresh() updates it
        return [], [self.tabs]

    def _on_tab(self, change: dict[str, Any]) -> None:
        if change["new"] is not None:  # no tab selected: nothing to build
            self._section(change["new"])

    def _section(self, index: int, refresh: bool = True) -> _Section:
        """Tab ``index``'s section, built (and, after the app's start, shown for the current label) on first use."""
        tab = self.TAB_RECORDS[index]
        section = self._built.get(tab.name)
        if section is None:
            section = self._built[tab.name] = tab.section(self)
            children = list(self.tabs.children)
            children[index] = section.widget
            self.tabs.children = children
            if refresh:
                # Built after the app: the label in force and "Reset to start" reach its inputs too.
                self.adopt(section.widget)
                section.refresh()
        return section

    @property
    def sections(self) -> tuple[_Section, ...]:
        """All five sections (building those not shown yet)."""
        return tuple(self._section(i) for i in range(len(self.TAB_RECORDS)))

    def tab(self, name: str) -> _Section:
        """The section of the tab whose record is named ``name`` (built on first use)."""
        for i, tab in enumerate(self.TAB_RECORDS):
            if tab.name == name:
                return self._section(i)
        raise AttributeError(f"The maintenance app has no tab {name!r}.")

    refill = property(lambda self: self.tab("refill"), doc="The refill-plan tab.")
    dilution = property(lambda self: self.tab("dilution"), doc="The dilution-and-ampoules tab.")
    flex = property(lambda self: self.tab("flex"), doc="The flex-dosing tab.")
    bridge = property(lambda self: self.tab("bridge"), doc="The bridge-bolus and residual-volume tab.")
    settings = property(lambda self: self.tab("settings"), doc="The old-versus-new settings tab.")

    def parts(self) -> list:
        """The tabs built so far (a flex programme's steps are reset by its tab)."""
        return list(self._built.values())

    def update(self) -> None:
        # Each tab reports its own refusals next to its inputs; one bad tab never blocks the others.
        for s in tuple(self._built.values()):
            s.refresh()

    def summary(self) -> str:
        return "\n".join(s.summary() for s in self.sections)


def build_app(**kwargs) -> MaintenanceApp:
    """The maintenance-and-refill app (an :class:`~widgets.app.App`, an ipywidgets VBox)."""
    return MaintenanceApp(**kwargs)
