"""The labels in their own words: the sentence a rule or a section rests on, in the label's language (Bokmål for
lionova, Turkish for baclorex, English for lioresal's translation), with the English beside it.

For training only, not for treating patients.

Under any language of the apps the original stays as the label writes it (``lang`` marks it for a screen
reader); only the suite's own words around it are translated.  The quotations are the citation audit's
(:mod:`itbcore.audit`), each found in its section of the seed text by the tests.
"""

from __future__ import annotations

from collections.abc import Iterable

from itbcore.audit import Quotation

from .findings import esc
from .i18n import _, message

__all__ = ["LABEL_LANGUAGE", "quotes_html"]

#: The language each label is written in (the seed texts).
LABEL_LANGUAGE = {"lionova": "nb", "baclorex": "tr", "lioresal": "en"}


def _unique(quotes: Iterable[Quotation]) -> list[Quotation]:
    seen: set[tuple[str, str]] = set()
    out = []
    for q in quotes:
        if (q.source, q.text) not in seen:
            seen.add((q.source, q.text))
            out.append(q)
    return out


def quote_html(q: Quotation) -> str:
    """One quotation: the label's sentence in its language, its source, and the English beside it."""
    lang = LABEL_LANGUAGE.get(q.label, "en")
    english = (
        ""
        if lang == "en" or q.english == q.text
        else f'<p class="itb-quote-english" lang="en">{esc(_("In English:"))} {esc(q.english)}</p>'
    )
    return (
        f'<figure class="itb-quote"><blockquote lang="{lang}">{esc(q.text)}</blockquote>'
        f"<figcaption>— {esc(q.source)}</figcaption>{english}</figure>"
    )


def quotes_html(quotes: Iterable[Quotation], limit: int = 4, open_: bool = False) -> str:
    """The labels' words behind a result or a section, folded under "The label's words" (at most ``limit``)."""
    found = _unique(quotes)
    if not found:
        return ""
    shown = "".join(quote_html(q) for q in found[:limit])
    more = (
        f'<p class="itb-quote-more">{esc(message("and {n} more passages of the labels.", n=len(found) - limit))}</p>'
        if len(found) > limit
        else ""
    )
    summary = esc(_("The label's own words"))
    return (
        f'<details class="itb-quotes"{" open" if open_ else ""}><summary>{summary} ({len(found)})</summary>'
        f"{shown}{more}</details>"
    )
