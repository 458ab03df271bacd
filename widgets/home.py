"""The home page (``notebooks/index.ipynb``): what the suite is, its apps and exercises, and its sources.

For training only, not for treating patients.

Every word comes through the widgets' catalogue, like every app's: the notebook only shows
:func:`build_home`.  The apps' names are the apps' own titles (the same messages).
"""

from __future__ import annotations

import ipywidgets as W

from .app import chrome, page_heading
from .findings import esc
from .i18n import N_, _
from .page import use_page_locale

__all__ = ["APPS", "PRACTICE", "SOURCES", "build_home"]

TITLE = N_("Intrathecal baclofen (ITB) training suite")
INTRO = N_(
    "Interactive apps for clinicians who learn to screen, titrate, maintain and refill patients on intrathecal "
    "baclofen, and to recognise and manage overdose and withdrawal. Every number comes from the product labels "
    "(**lionova**, the Norwegian SmPC, the default profile; **lioresal**; **baclorex**) or from practice guidance "
    "marked as such, and every rule names its source (for example *lionova 4.2*). Where the labels disagree, the "
    "apps show both values and let you choose the label profile.\n\n"
    "**For training only — not for treating patients.** In practice follow your local protocol, the current "
    "product information and the pump manufacturer's instructions."
)

#: (phase, notebook, the app's title, what you practise), in the order of care.
APPS: tuple[tuple[str, str, str, str], ...] = (
    (
        N_("Screening"),
        "screening.ipynb",
        N_("Screening: test doses"),
        N_("test-dose volumes, the escalation of boluses, the observation window, when a patient is a candidate"),
    ),
    (
        N_("Titration"),
        "titration.ipynb",
        N_("Titration"),
        N_(
            "the first daily dose from the test dose, allowed daily increases by origin and age, checking a proposed "
            "change"
        ),
    ),
    (
        N_("Maintenance and refill"),
        "maintenance.ipynb",
        N_("Maintenance and refill"),
        N_("daily volume, days to the low-reservoir alarm, refill dates, dilution with sodium chloride 0.9 %"),
    ),
    (
        N_("Pharmacokinetics"),
        "pk.ipynb",
        N_("CSF pharmacokinetics"),
        N_("CSF concentration after boluses and infusions, half-life, steady state, variability between patients"),
    ),
    (
        N_("Overdose"),
        "overdose.ipynb",
        N_("Overdose"),
        N_("grading the signs, the actions in order of urgency, the physostigmine difference between labels"),
    ),
    (
        N_("Withdrawal"),
        "withdrawal.ipynb",
        N_("Withdrawal"),
        N_("early and advanced signs, what to do first, the differentials, a planned taper"),
    ),
    (
        N_("Teaching"),
        "teaching_deck.ipynb",
        N_("Teaching deck"),
        N_("one patient from screening to a withdrawal emergency, for presenting live"),
    ),
    (
        N_("Basics"),
        "units.ipynb",
        N_("Units and strengths"),
        N_("µg and mg, and the volume of a dose at each strength"),
    ),
    (
        N_("Basics"),
        "product_information.ipynb",
        N_("Product information"),
        N_("every section of the three labels, what teaches it, and where they differ"),
    ),
)

#: (notebook, name, what it is) of the exercises.
PRACTICE: tuple[tuple[str, str, str], ...] = (
    (
        "../exercises/practice.ipynb",
        N_("Exercises: practice app"),
        N_("case-based exercises checked automatically; the feedback names the rule and its source."),
    ),
    (
        "../exercises/assessment.ipynb",
        N_("Assessment: refill mastery, pre- and post-test"),
        N_(
            "the refill procedure as a mastery checklist (repeat until it passes) and a pre-/post-test scored per "
            "trainee, saved for the educator."
        ),
    ),
)

#: (key, what the text is) of the three product texts.
SOURCES: tuple[tuple[str, str], ...] = (
    (
        "lionova",
        N_(
            "Lionova 50 µg/mL, 0.5 mg/mL, 2 mg/mL — Norwegian summary of product characteristics (2021), sections "
            "4.1–6.6"
        ),
    ),
    (
        "lioresal",
        N_(
            "Lioresal Intrathecal — instructions for medical use (Novartis, Russian registration, 2014), English "
            "translation"
        ),
    ),
    ("baclorex", N_("Baclorex 0.05 mg/mL — Turkish patient leaflet (2021)")),
)


def _table(heads: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in heads)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f'<table class="itb-home-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def build_home() -> W.VBox:
    """The home page in the page's language: the chrome (the banner with the language chooser, the drug library in
    force), what the suite is, the apps in the order of care, the exercises and the product texts."""
    use_page_locale()  # before any text: the page's language
    apps = _table(
        (_("phase"), _("app"), _("what you practise")),
        [(esc(_(phase)), f'<a href="{nb}">{esc(_(title))}</a>', esc(_(what))) for phase, nb, title, what in APPS],
    )
    practice = "".join(f'<p><a href="{nb}">{esc(_(name))}</a> — {esc(_(what))}</p>' for nb, name, what in PRACTICE)
    sources = _table((_("key"), _("text")), [(f"<code>{key}</code>", esc(_(text))) for key, text in SOURCES])
    body = W.HTML(
        f"<h2>{esc(_('The apps'))}</h2>{apps}<h2>{esc(_('Practice'))}</h2>{practice}"
        f"<h2>{esc(_('The sources'))}</h2>{sources}"
    )
    body.add_class("itb-home")
    page = W.VBox([*chrome(intro=page_heading(_(TITLE), _(INTRO), home=None)), body])
    page.add_class("itb-home-page")
    return page
