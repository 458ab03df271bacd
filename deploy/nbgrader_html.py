"""What nbgrader's formgrader and feedback show of a trainee's markdown: HTML without script.

For training only, not for treating patients.

``deploy.class_setup`` installs this file into the class environment as ``itb_nbgrader_html`` and names
:func:`markdown2html` as the ``markdown2html`` filter of nbconvert's ``HTMLExporter`` in nbgrader's
configuration.  nbgrader's ``formgrade`` and ``feedback`` templates render a markdown cell with
``cell.source | markdown2html`` and, unlike nbconvert's own templates, never pass the result through
``clean_html`` when ``HTMLExporter.sanitize_html`` is set.  The raw HTML in a trainee's markdown is cleaned
before (nbconvert's ``SanitizeHTML`` preprocessor, also in the configuration); what markdown itself makes
is made here without harmful links: ``[x](javascript:…)`` becomes ``#harmful-link`` (mistune's
``allow_harmful_protocols=False``), pasted images (``data:image/…``) still show.
"""

from __future__ import annotations

from jinja2 import pass_context
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath


@pass_context
def markdown2html(context, source: str) -> str:
    """nbconvert's ``HTMLExporter.markdown2html`` with harmful link protocols refused."""
    cell = context.get("cell", {})
    path = context.get("resources", {}).get("metadata", {}).get("path", "")
    renderer = IPythonRenderer(
        escape=False, allow_harmful_protocols=False, attachments=cell.get("attachments", {}), path=path
    )
    return MarkdownWithMath(renderer=renderer).render(source)
