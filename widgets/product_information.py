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
from itbcore.label_map import LabelSection, citation_parts, section
from itbcore.patient import Patient
from itbcore.screening import INTERACTIONS, before_first_fill
from itbcore.sources import LABEL_DIFFERENCES, LABEL_MAP, LABELS, LabelDifference

from .app import App, safe_run
from .findings import cite, esc
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
        return "not listed"
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
                mark + e.effect,
                e.system,
                *(_rating(e, k) for k in RATING_LABELS),
                "yes" if e.more_with_cerebral else "",
                "; ".join(x for x in (diff, e.note) if x),
            )
        )
    return (
        "<h3>Adverse effects by frequency, each label's band side by side (lionova 4.8; lioresal Side "
        "effects; baclorex 4)</h3><p>≠ marks an effect the labels rate differently, or that only one of "
        "the two rule labels lists.</p>"
        + _table(("effect", "system", *RATING_LABELS, "more with cerebral origin", "difference / note"), rows)
    )


def data_table_html(kind: str) -> str:
    """The core's data for a section: the adverse-effect profile, the interactions, or the first-fill checklist."""
    if kind == "adverse_effects":
        return _adverse_effects_html()
    if kind == "interactions":
        rows = [(i.medicine.replace("_", " "), i.effect, i.action) for i in INTERACTIONS.values()]
        return "<h3>Interactions (lionova 4.5; lioresal Interaction)</h3>" + _table(
            ("medicine", "effect", "what to do"), rows
        )
    items = before_first_fill(Patient(40, "spinal"), post_traumatic=True)
    return "<h3>Before the first fill (adult, post-traumatic)</h3>" + _table(
        ("check", "source"), [(i.text, i.source) for i in items]
    )


__all__ = ["ProductInformationApp", "build_app", "differences_for", "practice_href", "section_heading"]

_LABEL_TITLES = {k: f"{k} — {p.product} ({p.country}, {p.year})" for k, p in LABELS.items()}


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
    title = entry.title
    if title.casefold().startswith(name.casefold()):
        rest = title[len(name) :]
        return name + rest, entry.section + rest
    return f"{name} — {title}", f"{entry.section}: {title}"


def _taught_html(entry: LabelSection, presenter: bool = False) -> str:
    if not entry.taught_in:
        return f"<p><em>Not taught:</em> {esc(entry.reason)}.</p>"
    apps, exercises, rules = [], [], []
    for t in entry.taught_in:
        kind, _, name = t.partition(":")
        if kind == "app":
            href = f"{name}.ipynb" + ("?presenter=1" if presenter else "")
            apps.append(f'<a href="{esc(href)}">{esc(name.replace("_", " "))}</a>')
        elif kind == "exercise":
            title = f"Answer {name} in the practice app"
            exercises.append(f'<a href="{esc(practice_href(name, presenter))}" title="{esc(title)}">{esc(name)}</a>')
        else:
            rules.append(f"<code>{esc(t)}</code>")
    rows = [("Apps", apps), ("Exercises", exercises), ("Rules and findings", rules)]
    return "".join(f"<p><strong>{a}:</strong> {', '.join(b)}</p>" for a, b in rows if b)


def _difference_html(d: LabelDifference) -> str:
    cells = "".join(
        f"<tr><th scope='row' class='itb-key'>{esc(k)}</th><td>{esc(v)}</td><td>{cite(d.sources.get(k, ''))}</td></tr>"
        for k, v in d.values.items()
    )
    note = f"<p>{esc(d.note)}</p>" if d.note else ""
    return f"<h3>{esc(d.topic)}</h3><table class='itb-differences'>{cells}</table>{note}"


class ProductInformationApp(App):
    title = "Product information"
    intro = (
        "Every section of the three product texts: the suite's summary, what teaches it, and where the "
        "labels disagree. The summaries are the suite's own words; read the product information itself "
        "for practice."
    )
    label_choice = False
    sources = ("every section of the three product texts: SmPC (lionova), instructions (lioresal), leaflet (baclorex)",)

    def build(self):
        self.label_key = W.ToggleButtons(
            options=[(k, k) for k in LABEL_MAP],
            value="lionova",
            description="Label:",
            tooltips=[_LABEL_TITLES[k] for k in LABEL_MAP],
        )
        self.label_key.add_class("itb-field")
        self.label_key.add_class("itb-field-pi-label")
        self.section = W.Dropdown(
            description="Section", style={"description_width": "initial"}, layout=W.Layout(width="auto")
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
            f"<p><strong>{esc(p.product)}</strong> — {esc(p.document)}, {esc(p.country)} "
            f"{p.year} ({esc(p.language)})</p>"
        )
        e = self.entry
        summary = f"<p>{esc(e.summary)}</p>" if e.summary else ""
        table = data_table_html(_TABLES[e.section]) if e.section in _TABLES else ""
        heading = section_heading(e)[1]
        taught = _taught_html(e, presenter=self.presenter.value)
        words = quotes_html(quotations(source=e.section), limit=6, open_=True)
        self.entry_html.value = f"<h2>{esc(heading)}</h2>{summary}{words}{taught}{table}"
        diffs = differences_for(e)
        self.diff_html.value = (
            "<h2>Where the labels differ</h2>" + "".join(_difference_html(d) for d in diffs)
            if diffs
            else "<p>No recorded difference between the labels touches this section.</p>"
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
            return f"No section {str(citation)[:80]!r} in the label map; choose one below."

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
        lines = [
            f"section: {e.section} ({e.title})",
            f"summary: {e.summary or '—'}",
            f"taught in: {', '.join(e.taught_in) or 'not taught: ' + e.reason}",
            f"differences: {', '.join(d.code for d in differences_for(e)) or 'none'}",
        ]
        return "\n".join(lines)


def build_app(**kwargs: Any) -> ProductInformationApp:
    """The product-information app (an :class:`~widgets.app.App`)."""
    return ProductInformationApp(**kwargs)
