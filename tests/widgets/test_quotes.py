"""The labels in their own words: sections and results show the label's sentence in its language, the English
beside it, under every language of the apps.

For training only, not for treating patients.
"""

from __future__ import annotations

import re

import pytest

from itbcore.i18n import using
from widgets.product_information import build_app


@pytest.mark.parametrize(
    ("section", "lang", "original"),
    [
        ("lionova 4.2", "nb", "Den nødvendige konsentrasjon av baklofen"),
        ("baclorex 3", "tr", None),
    ],
)
@pytest.mark.parametrize("ui", ["en", "nb", "tr"])
def test_a_section_shows_the_labels_sentence_in_its_language_with_the_english(section, lang, original, ui):
    with using(ui):
        app = build_app()
        app.label_key.value = section.split()[0]
        app.section.value = section
        html = app.entry_html.value
    quotes = re.findall(rf'<blockquote lang="{lang}">([^<]+)</blockquote>', html)
    assert quotes, html[:400]
    if original:
        assert any(q.startswith(original) for q in quotes)
    assert 'class="itb-quote-english" lang="en"' in html  # the English beside it


def test_a_finding_carries_the_words_it_rests_on():
    from itbcore import Patient, check_change

    findings = check_change(Patient(age_years=40, origin="spinal"), "300 ug/day", "400 ug/day", "5 day", "12 h")
    from widgets.findings import findings_html

    html = findings_html(findings)
    assert '<details class="itb-quotes"' in html and '<blockquote lang="nb">' in html
