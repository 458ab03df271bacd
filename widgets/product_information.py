"""The product-information app: every section of the three labels, what teaches it, and where they differ.

For training only, not for treating patients.

Choose a label and a section; the app shows the suite's own summary of it (never the label's text),
the apps, exercises and rules that teach it (links), why a section is not taught when nothing does,
and every recorded difference between the labels that touches the section, side by side
(:data:`itbcore.sources.LABEL_MAP`, :data:`itbcore.sources.LABEL_DIFFERENCES`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

import ipywidgets as W

from itbcore.adverse_effects import ADVERSE_EFFECTS, RATING_LABELS, AdverseEffect, band_name
from itbcore.audit import quotations
from itbcore.errors import ITBError
from itbcore.i18n import gettext as core_gettext
from itbcore.label_map import LabelSection, citation_parts, section
from itbcore.patient import MEDICINES, Patient
from itbcore.screening import INTERACTIONS, before_first_fill
from itbcore.sources import LABEL_DIFFERENCES, LABEL_MAP, LABELS, LabelDifference

from .app import App, difference_source, safe_run
from .findings import cite, esc
from .i18n import N_, _, message
from .page import param
from .quotes import quotes_html

#: Sections whose content the core holds as data: shown as a table under the summary.
_TABLES = {
    "lionova 4.8": "adverse_effects",
    "lioresal Side effects": "adverse_effects",
    "baclorex 4": "adverse_effects",
    "lionova 4.5": "interactions",
    "lioresal Interaction": "interactions",
    "lionova 6.6": "checklist",
    "lionova 6.4": "checklist",
    "lioresal Storage conditions": "checklist",
    "lioresal Dosing and Administration": "checklist",
    "baclorex 5": "checklist",
}


def _table(head: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> str:
    th = "".join(f"<th scope='col' class='itb-key'>{esc(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table class='itb-pi-table'><tr>{th}</tr>{body}</table>"


def _rating(e: AdverseEffect, label: str) -> str:
    band = e.band_in(label)
    if band is None:
        return _("not listed")
    pct = e.percent.get(label)
    return band_name(band, label) + (f" ({pct:g} %)" if pct is not None else "")


def _adverse_effects_html() -> str:
    """Each effect with each label's band side by side; a row where the labels disagree is marked ≠ and names
    the recorded difference."""
    topics = {d.code: d.topic for d in LABEL_DIFFERENCES}
    rows = []
    for e in ADVERSE_EFFECTS:
        mark = "≠ " if e.differs else ""
        diff = topics.get(e.difference, "") if e.difference else ""
        rows.append(
            (
                mark + core_gettext(e.effect),
                core_gettext(e.system),
                *(_rating(e, k) for k in RATING_LABELS),
                _("yes") if e.more_with_cerebral else "",
                "; ".join(x for x in (diff, core_gettext(e.note) if e.note else "") if x),
            )
        )
    heading = _(
        "Adverse effects by frequency, each label's band side by side (lionova 4.8; lioresal Side effects; baclorex 4)"
    )
    legend = _("≠ marks an effect the labels rate differently, or that only one of the two rule labels lists.")
    head = (_("effect"), _("system"), *RATING_LABELS, _("more with cerebral origin"), _("difference / note"))
    return f"<h3>{esc(heading)}</h3><p>{esc(legend)}</p>" + _table(head, rows)


def data_table_html(kind: str) -> str:
    """The core's data for a section: the adverse-effect profile, the interactions, or the first-fill checklist."""
    if kind == "adverse_effects":
        return _adverse_effects_html()
    if kind == "interactions":
        rows = [(_medicine(i.medicine), core_gettext(i.effect), core_gettext(i.action)) for i in INTERACTIONS.values()]
        heading = _("Interactions (lionova 4.5; lioresal Interaction)")
        return f"<h3>{esc(heading)}</h3>" + _table((_("medicine"), _("effect"), _("what to do")), rows)
    items = before_first_fill(Patient(40, "spinal"), post_traumatic=True)
    heading = _("Before the first fill (adult, post-traumatic)")
    return f"<h3>{esc(heading)}</h3>" + _table((_("check"), _("source")), [(i.text, i.source) for i in items])


def _medicine(code: str) -> str:
    """A medicine's name as the screening app words it (the core's list), else its code in words."""
    return core_gettext(MEDICINES[code]) if code in MEDICINES else code.replace("_", " ")


__all__ = ["ProductInformationApp", "build_app", "differences_for", "practice_href", "section_heading"]


def _label_title(key: str) -> str:
    p = LABELS[key]
    return f"{key} — {p.product} ({core_gettext(p.country)}, {p.year})"


def differences_for(entry: LabelSection) -> list[LabelDifference]:
    """The recorded label differences whose sources cite ``entry``'s section."""
    out = []
    for d in LABEL_DIFFERENCES:
        cited = {s.section for src in d.sources.values() for _text, s in citation_parts(src) if s is not None}
        if entry.section in cited:
            out.append(d)
    return out


_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
#: The practice app, where a trainee answers an exercise (a trainee notebook rendered by Voilà is read-only).
PRACTICE = os.path.join(_ROOT, "exercises", "practice.ipynb")


def _page(path: str, fallback: str) -> str:
    """``path`` relative to the running notebook's folder (Voilà starts the kernel there), so the link works
    under any base URL (``--Voila.base_url``, a JupyterHub user's server, Binder)."""
    try:
        return os.path.relpath(path, os.getcwd()).replace(os.sep, "/")
    except ValueError:  # another drive
        return fallback


def practice_href(exercise: str, presenter: bool = False) -> str:
    """The link that opens ``exercise`` in the practice app (``practice.ipynb?exercise=dilution``), keeping
    presenter view when the page is in it."""
    query = {"exercise": exercise, **({"presenter": "1"} if presenter else {})}
    return f"{_page(PRACTICE, '../exercises/practice.ipynb')}?{urlencode(query)}"


def section_heading(entry: LabelSection) -> tuple[str, str]:
    """The section's name in the drop-down and its heading, its title said once.

    lioresal's sections are named by their headings (``lioresal Composition``, title ``Composition``): the
    title is not repeated ("Composition — Composition"); a title that only adds to the name
    (``Dosing and Administration`` / ``Dosing and administration (general)``) adds just that.
    """
    name = entry.section.split(" ", 1)[1]
    title = core_gettext(entry.title)
    if title.casefold().startswith(name.casefold()):
        rest = title[len(name) :]
        return name + rest, entry.section + rest
    return f"{name} — {title}", f"{entry.section}: {title}"


def _taught_html(entry: LabelSection, presenter: bool = False) -> str:
    if not entry.taught_in:
        return f"<p><em>{esc(_('Not taught:'))}</em> {esc(core_gettext(entry.reason))}.</p>"
    apps, exercises, rules = [], [], []
    for t in entry.taught_in:
        kind, _sep, name = t.partition(":")
        if kind == "app":
            href = f"{name}.ipynb" + ("?presenter=1" if presenter else "")
            apps.append(f'<a href="{esc(href)}">{esc(name.replace("_", " "))}</a>')
        elif kind == "exercise":
            title = message("Answer {exercise} in the practice app", exercise=name)
            exercises.append(f'<a href="{esc(practice_href(name, presenter))}" title="{esc(title)}">{esc(name)}</a>')
        else:
            rules.append(f"<code>{esc(t)}</code>")
    rows = [(_("Apps"), apps), (_("Exercises"), exercises), (_("Rules and findings"), rules)]
    return "".join(f"<p><strong>{esc(a)}:</strong> {', '.join(b)}</p>" for a, b in rows if b)


def _difference_html(d: LabelDifference) -> str:
    cells = "".join(
        f"<tr><th scope='row' class='itb-key'>{esc(difference_source(k))}</th><td>{esc(v)}</td>"
        f"<td>{cite(d.sources.get(k, ''))}</td></tr>"
        for k, v in d.values.items()
    )
    note = f"<p>{esc(d.note)}</p>" if d.note else ""  # a difference's texts are translated when read
    return f"<h3>{esc(d.topic)}</h3><table class='itb-differences'>{cells}</table>{note}"


class ProductInformationApp(App):
    title = N_("Product information")
    intro = N_(
        "Every section of the three product texts the suite is built from (lionova, lioresal, baclorex): "
        "the suite's own summary, the apps, exercises and rules that teach it, and where the labels "
        "disagree, side by side. Choose a label and a section."
    )
    label_choice = False
    sources = (
        N_("every section of the three product texts: SmPC (lionova), instructions (lioresal), leaflet (baclorex)"),
    )

    def build(self):
        self.label_key = W.ToggleButtons(
            options=[(k, k) for k in LABEL_MAP],
            value="lionova",
            description=_("Label:"),
            tooltips=[_label_title(k) for k in LABEL_MAP],
        )
        self.label_key.add_class("itb-field")
        self.label_key.add_class("itb-field-pi-label")
        self.section = W.Dropdown(
            description=_("Section"), style={"description_width": "initial"}, layout=W.Layout(width="auto")
        )
        self.section.add_class("itb-field")
        self.section.add_class("itb-field-pi-section")
        self._fill_sections("lionova")
        self.label_key.observe(self._on_label, "value")
        self.watch(self.section)
        self.document = W.HTML()
        self.document.add_class("itb-result")
        self.entry_html = W.HTML()
        self.entry_html.add_class("itb-result")
        self.entry_html.add_class("itb-result-pi-entry")
        self.diff_html = W.HTML()
        self.diff_html.add_class("itb-result-pi-differences")
        return [self.label_key, self.section], [self.document, self.entry_html, self.diff_html]

    def _fill_sections(self, label: str) -> None:
        entries = LABEL_MAP[label]
        self.section.options = [(section_heading(e)[0], e.section) for e in entries]
        self.section.value = entries[0].section

    def _on_label(self, change: dict) -> None:
        self._fill_sections(change["new"])

    @property
    def entry(self) -> LabelSection:
        return section(self.section.value)

    def update(self) -> None:
        p = LABELS[self.entry.label]
        self.document.value = (
            f"<p><strong>{esc(p.product)}</strong> — {esc(core_gettext(p.document))}, {esc(core_gettext(p.country))} "
            f"{p.year} ({esc(core_gettext(p.language))})</p>"
        )
        e = self.entry
        summary = f"<p>{esc(core_gettext(e.summary))}</p>" if e.summary else ""
        table = data_table_html(_TABLES[e.section]) if e.section in _TABLES else ""
        heading = section_heading(e)[1]
        taught = _taught_html(e, presenter=self.presenter.value)
        words = quotes_html(quotations(source=e.section), limit=6, open_=True)
        self.entry_html.value = f"<h2>{esc(heading)}</h2>{summary}{words}{taught}{table}"
        diffs = differences_for(e)
        self.diff_html.value = (
            f"<h2>{esc(_('Where the labels differ'))}</h2>" + "".join(_difference_html(d) for d in diffs)
            if diffs
            else f"<p>{esc(_('No recorded difference between the labels touches this section.'))}</p>"
        )

    def set_presenter(self, on: bool) -> None:
        """Presenter view, and the section's links keep it (the page it opens is in presenter view too)."""
        super().set_presenter(on)
        if self.presenter.value == on:
            self.refresh()

    def open_section(self, citation: str) -> bool:
        """Show the section named by ``citation`` (e.g. ``"lionova 4.6"``); False, with a message, if unknown."""

        def go() -> None:
            e = section(citation)
            self.label_key.value = e.label
            self.section.value = e.section

        def unknown(_exc: ITBError) -> str:  # a fixed sentence: the citation came from a link or the address
            return message(
                "No section {citation} in the label map; choose one below.", citation=repr(str(citation)[:80])
            )

        return not safe_run(go, self.status, refused=unknown, kind="warning")

    def open_requested(self, query: str | None = None) -> bool:
        """Open the section the page was asked for (``product_information.ipynb?section=lionova%204.6``).

        Every source chip in the other apps links here that way. Under Voilà the query string comes with the
        request (with preheated kernels Voilà hands it over when the page is asked for — this call waits for
        it there); anywhere else there is none and nothing changes.
        """
        wanted = param("section", query)
        return wanted is not None and self.open_section(wanted)

    def summary(self) -> str:
        e = self.entry
        taught = ", ".join(e.taught_in) or message("not taught: {reason}", reason=core_gettext(e.reason))
        lines = [
            message("section: {section} ({title})", section=e.section, title=core_gettext(e.title)),
            message("summary: {summary}", summary=core_gettext(e.summary) if e.summary else "—"),
            message("taught in: {taught}", taught=taught),
            message(
                "differences: {differences}",
                differences=", ".join(d.code for d in differences_for(e)) or _("none"),
            ),
        ]
        return "\n".join(lines)


def build_app(**kwargs: Any) -> ProductInformationApp:
    """The product-information app (an :class:`~widgets.app.App`)."""
    return ProductInformationApp(**kwargs)
