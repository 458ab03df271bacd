"""The translations: every message of every package translated in nb and tr, none fuzzy, the same placeholders,
the clinical terms the glossary's, and the catalogues up to date with the code.

For training only, not for treating patients.

``python3 tasks.py i18n`` extracts the messages and updates the catalogues; a translator fills in the new
entries (any .po editor), and these tests say what is missing.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from itbcore.glossary import misuses

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import tasks

DOMAINS = tasks.I18N_DOMAINS
LOCALES = tasks.I18N_LOCALES
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?:[:!][^{}]*)?\}")
_CITATION = re.compile(r"\b(?:lionova|lioresal|baclorex) (?:[0-9][0-9.]*|[A-Z][^,;()]*)")
_TAG = re.compile(r"</?([a-z][a-z0-9]*)\b[^>]*>")


def _catalogue(domain: str, locale: str):
    path = ROOT / domain / "locale" / locale / "LC_MESSAGES" / f"{domain}.po"
    assert path.is_file(), f"no catalogue {path.relative_to(ROOT)}: run python3 tasks.py i18n"
    with path.open("rb") as fh:
        return read_po(fh, locale=locale, domain=domain)


def _entries(domain: str, locale: str):
    return [m for m in _catalogue(domain, locale) if m.id]  # iterating a catalogue leaves obsolete entries out


def _texts(message) -> list[tuple[str, str]]:
    """(English, translation) pairs of a message: one, or singular and each plural form."""
    if isinstance(message.id, (tuple, list)):
        strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        return [(message.id[min(i, 1)], s) for i, s in enumerate(strings)]
    return [(message.id, message.string)]


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("domain", DOMAINS)
def test_every_message_is_translated_and_none_is_fuzzy(domain, locale):
    entries = _entries(domain, locale)
    assert entries, f"{domain}/{locale} has no messages"
    untranslated = [m.id for m in entries if not all(s for _, s in _texts(m))]
    fuzzy = [m.id for m in entries if m.fuzzy]
    assert not untranslated, f"{len(untranslated)} of {len(entries)} untranslated, e.g. {untranslated[:3]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:3]}"


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("domain", DOMAINS)
def test_a_translation_has_the_messages_placeholders_and_markup(domain, locale):
    wrong = []
    for m in _entries(domain, locale):
        for english, translated in _texts(m):
            if not translated:
                continue
            if sorted(_PLACEHOLDER.findall(english)) != sorted(_PLACEHOLDER.findall(translated)) or sorted(
                _TAG.findall(english)
            ) != sorted(_TAG.findall(translated)):
                wrong.append((english, translated))
    assert not wrong, f"{len(wrong)} translations change placeholders or tags, e.g. {wrong[:2]}"


#: Messages (by how their English starts) whose translation rightly leaves a glossary term out, with the reason.
GLOSSARY_EXCEPTIONS: dict[tuple[str, str], str] = {
    ("malignant hyperthermia", "nb"): "a condition withdrawal resembles (lionova 4.4: 'malign hypertermi'), not the "
    "withdrawal sign 'økt kroppstemperatur' the glossary's hyperthermia names",
    ("Screening day, first test bolus", "nb"): "'Screeningdag': the glossary's 'dag' inside a compound",
    ("Why might more drug in the pump not reach the spinal fluid?", "tr"): "the spinal fluid (CSF: 'omurilik sıvısı'), "
    "not spasticity of spinal origin",
    ("Advanced withdrawal resembles autonomic dysreflexia, sepsis, malignant hyperthermia", "nb"): "malignant "
    "hyperthermia is lionova 4.4's 'malign hypertermi', not the withdrawal sign",
    ("listed without a frequency: catheter granuloma", "nb"): "lioresal's own word for the mass, kept to show how "
    "each label names it",
    ("a granuloma at the end of the implanted catheter", "nb"): "lioresal's 'granuloma', kept as the label words it",
    ("lioresal: 'muscle hypotension'", "tr"): "lioresal's odd wording for low muscle tone, quoted, not low blood "
    "pressure",
    ("Lioresal Intrathecal — instructions for medical use", "nb"): "'Lioresal Intrathecal' is the product's name",
    ("Lioresal Intrathecal — instructions for medical use", "tr"): "'Lioresal Intrathecal' is the product's name",
    ("Baclorex 0.05 mg/mL — Turkish patient leaflet", "nb"): "'pakningsvedlegg' is the patient leaflet: the word "
    "holds the patient",
    ("{what} is for educators: this install holds no answer key", "tr"): "'solutions' are worked answers "
    "('çözümler'), not a drug solution",
}


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("domain", DOMAINS)
def test_translations_use_the_glossarys_terms(domain, locale):
    off = []
    for m in _entries(domain, locale):
        for english, translated in _texts(m):
            if not translated or any(english.startswith(p) and loc == locale for p, loc in GLOSSARY_EXCEPTIONS):
                continue
            # a placeholder's name and a code in backticks are not words of the sentence
            # (nor a cited section, "lioresal Dosing: mode of infusion", nor a dotted name: titration.check_change)
            words = re.sub(r"`[^`]*`|\b\w+\.\w+\b", " ", _PLACEHOLDER.sub(" ", english))
            words = _CITATION.sub(" ", words)
            terms = [t.key for t in misuses(words, translated, locale)]
            if terms:
                off.append((terms, english[:80], translated[:80]))
    assert not off, f"{len(off)} translations miss the glossary's term, e.g. {off[:3]}"


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_catalogues_hold_every_message_of_the_code(domain, tmp_path):
    pot = tmp_path / f"{domain}.pot"
    keywords = [arg for kw in tasks.I18N_KEYWORDS for arg in ("-k", kw)]
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg", *keywords,
         "-o", str(pot), domain],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    with pot.open("rb") as fh:
        wanted = {m.id for m in read_po(fh) if m.id}
    for locale in LOCALES:
        have = {m.id for m in _entries(domain, locale)}
        missing = wanted - have
        assert not missing, f"{domain}/{locale}: {len(missing)} messages not in the catalogue (python3 tasks.py i18n)"


def test_a_broken_translation_falls_back_to_the_english(tmp_path):
    """A translation whose placeholder was mistyped shows the English, never a KeyError on screen."""
    from itbcore.i18n import Message

    msg = Message.make("Dosen er {dosis}.", "The dose is {dose}.", {"dose": "50 µg"})
    assert msg == "The dose is 50 µg." and msg.template == "The dose is {dose}."


def test_catalogues_compile(tmp_path):
    """``pybabel compile`` (what ``tasks.py i18n compile`` runs) accepts every catalogue."""
    from babel.messages.mofile import write_mo

    for domain in DOMAINS:
        for locale in LOCALES:
            write_mo(io.BytesIO(), _catalogue(domain, locale))
