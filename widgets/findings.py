"""Findings, actions and their sources, as HTML (the stylesheet's classes) and as plain text.

For training only, not for treating patients.

:class:`itbcore.Finding` and :class:`itbcore.Action` arrive sorted, most severe first; this module
only renders them.  Every citation links to its section in the product-information app.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

import ipywidgets as W

from itbcore.i18n import gettext as core_gettext
from itbcore.label_map import citation_parts
from itbcore.sources import PRACTICE

from .i18n import N_, _, message

__all__ = [
    "esc",
    "css_key",
    "findings_html",
    "findings_text",
    "FindingsView",
    "actions_html",
    "actions_text",
    "badge",
    "cite",
    "linked_citation",
    "section_href",
    "sources_html",
    "or_join",
    "severity_word",
    "translated_source",
]


def css_key(text: str) -> str:
    """A CSS-class-safe key: ``"Test dose"`` → ``"test-dose"``.

    >>> css_key("Test dose (µg)")
    'test-dose'
    """
    text = re.sub(r"\(.*?\)", "", text)
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def esc(text: Any) -> str:
    """``text`` (any object, as ``str``) escaped for HTML, quotes included.

    >>> esc('<b> "µg"')
    '&lt;b&gt; &quot;µg&quot;'
    """
    return html.escape(str(text), quote=True)


def _severity(item: Any) -> str:
    return getattr(item, "severity", None) or "action"


#: The severities' words on screen (the codes stay the stylesheet's classes).
SEVERITY_WORDS = {"violation": N_("violation"), "warning": N_("warning"), "info": N_("info"), "action": N_("action")}


def severity_word(severity: str) -> str:
    """A severity code as a reader sees it (``"warning"``), translated; an unknown code as it is."""
    return _(SEVERITY_WORDS[severity]) if severity in SEVERITY_WORDS else severity


def findings_html(items: Iterable[Any], empty: str = N_("No findings.")) -> str:
    """HTML for :class:`itbcore.Finding` / :class:`itbcore.Action` objects, severity-coloured, with sources.

    ``empty`` is an English text marked ``N_`` (translated here)."""
    rows = []
    for item in items:
        sev = _severity(item)
        text = getattr(item, "message", None) or getattr(item, "text", "")
        rows.append(
            f'<div class="itb-finding itb-{esc(sev)}">'
            f'<strong class="itb-severity">{esc(severity_word(sev))}</strong> '
            f"{esc(text)} {cite(item.source)}{_quotes(item)}</div>"
        )
    return "".join(rows) or f'<div class="itb-finding itb-none">{esc(_(empty))}</div>'


def findings_text(items: Iterable[Any], empty: str = N_("No findings.")) -> str:
    """Plain-text lines ``[severity] message (source)`` for summaries and tests."""
    lines = [
        f"[{severity_word(_severity(i))}] {getattr(i, 'message', None) or getattr(i, 'text', '')} ({i.source})"
        for i in items
    ]
    return "\n".join(lines) or _(empty)


class FindingsView(W.HTML):
    """An HTML widget showing findings or actions; :attr:`items` holds what is shown."""

    def __init__(self, empty: str = N_("No findings.")) -> None:
        super().__init__(findings_html((), empty))
        self.empty = empty
        self.items: tuple = ()
        self.add_class("itb-findings")

    def show(self, items: Iterable[Any]) -> None:
        self.items = tuple(items)
        self.value = findings_html(self.items, self.empty)

    def text(self) -> str:
        return findings_text(self.items, self.empty)


def _quotes(item: Any) -> str:
    """The label's own words behind ``item`` (:mod:`widgets.quotes`), folded; "" where it cites none."""
    from itbcore.audit import quotations_for

    from .quotes import quotes_html

    try:
        return quotes_html(quotations_for(item), limit=2)
    except Exception:  # noqa: BLE001 - the label's words are extra: a result never fails over them
        return ""


def actions_html(actions: Any, empty: str = N_("No action needed.")) -> str:
    """An ordered list of :class:`itbcore.Action` (most urgent first), each with its source."""
    items = "".join(
        f'<li><span class="itb-action">{esc(a.text)}</span> {cite(a.source)}{_quotes(a)}</li>' for a in actions
    )
    if not items:
        return f'<p class="itb-actions itb-none">{esc(_(empty))}</p>'
    return f'<ol class="itb-actions">{items}</ol>'


def actions_text(actions: Any, empty: str = N_("No action needed.")) -> str:
    """Numbered plain-text lines ``1. text (source)`` for summaries and tests."""
    return "\n".join(f"{i}. {a.text} ({a.source})" for i, a in enumerate(actions, 1)) or _(empty)


_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PRODUCT_INFORMATION = os.path.join(_ROOT, "notebooks", "product_information.ipynb")


def section_href(citation: str) -> str:
    """The link that opens ``citation``'s section in the product-information app.

    Relative to the running notebook's folder (Voilà and Jupyter start the kernel there), so it works
    under any base URL — a plain Voilà server, a JupyterHub user's server, Binder.
    """
    try:
        page = os.path.relpath(PRODUCT_INFORMATION, os.getcwd()).replace(os.sep, "/")
    except ValueError:  # another drive
        page = "product_information.ipynb"
    return f"{page}?{urlencode({'section': citation})}"


#: How a citation of practice guidance begins (:data:`itbcore.sources.PRACTICE`), marked for the catalogue.
PRACTICE_WORDS = N_("practice guidance")


def linked_citation(source: str) -> str:
    """``source`` as HTML, each label section in it a link to its section in the product-information app.

    Practice guidance and remarks stay plain text; a citation the label map does not know stays plain too
    (the label-map tests catch it; an app never fails over a link).
    """
    try:
        parts = citation_parts(source)
    except Exception:  # noqa: BLE001 - a link is never worth a failure on screen
        return esc(source)
    if all(entry is None for _text, entry in parts) and PRACTICE not in source and source.strip():
        # a remark ("local protocol — the suite's default…", the drug library's): the core's words for it
        return esc(core_gettext(source))
    out = []
    for text, entry in parts:
        if entry is None:  # a separator or practice guidance: its prefix in the page's language, the reference as is
            out.append(esc(text.replace(PRACTICE, _(PRACTICE_WORDS))))
            continue
        lead, core, tail = _split_space(text)
        title = message("{section} in the product-information app (opens a new tab)", section=entry.section)
        out.append(
            f'{lead}<a class="itb-section-link" href="{esc(section_href(entry.section))}" target="_blank" '
            f'rel="noopener" title="{esc(title)}">{esc(core)}</a>{tail}'
        )
    return "".join(out)


def _split_space(text: str) -> tuple[str, str, str]:
    core = text.strip()
    start = text.index(core)
    return text[:start], core, text[start + len(core) :]


def cite(source: str, after: str = "") -> str:
    """``<cite>(source)</cite>`` with its sections linked (:func:`linked_citation`); ``after`` is escaped text
    added inside the parentheses."""
    return f'<cite class="itb-cite">({linked_citation(source)}{esc(after)})</cite>'


def translated_source(source: str) -> str:
    """A source with words of its own (``N_("lionova 4.2 (screening phase)")``) translated; the label keys and
    section numbers in it stay as they are (a bare citation has no entry in a catalogue and comes back as it is)."""
    return _(source)


def sources_html(sources: Iterable[str]) -> str:
    """The list of ``sources`` under an app (given in the page's language: :meth:`widgets.app.App.translate`)."""
    items = "".join(f"<li>{linked_citation(s)}</li>" for s in dict.fromkeys(sources))
    if not items:
        return ""
    return f'<div class="itb-sources"><strong>{esc(_("Sources"))}</strong><ul>{items}</ul></div>'


def badge(prefix: str, word: str, severity: str) -> str:
    """``PREFIX: WORD`` white on the colour of ``severity`` (``.itb-grade`` and ``.itb-bg-<severity>`` in the
    stylesheet): an overdose grade, a withdrawal stage.

    >>> badge("Withdrawal stage", "early", "warning")
    '<span class="itb-grade itb-bg-warning">Withdrawal stage: EARLY</span>'
    """
    return f'<span class="itb-grade itb-bg-{esc(severity)}">{esc(prefix)}: {esc(word.upper())}</span>'


def or_join(items: Iterable[str]) -> str:
    """``"25 µg or 50 µg"``: alternatives joined with the locale's "or" (one template, so a language orders it)."""
    out: str | None = None
    for item in items:
        out = item if out is None else message("{first} or {second}", first=out, second=item)
    return out or ""
