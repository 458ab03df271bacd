"""The label differences' texts reach the catalogue (itbcore._extract) and are translated when shown."""

from __future__ import annotations

import io

from babel.messages.extract import extract

from itbcore import overdose, withdrawal
from itbcore._extract import extract_toml
from itbcore.i18n import PSEUDO_CLOSE, PSEUDO_OPEN, using
from itbcore.sources import LABEL_DIFFERENCES, LABEL_DIFFERENCES_FILE


def _shown_texts() -> set[str]:
    out: set[str] = set()
    for d in LABEL_DIFFERENCES:
        out |= {d.topic_msgid, *d.values_msgid.values()} | ({d.note_msgid} if d.note_msgid else set())
    return out


def test_the_extractor_finds_every_shown_text_and_no_source_or_code():
    data = LABEL_DIFFERENCES_FILE.read_bytes()
    found = list(extract_toml(io.BytesIO(data), {}, [], {}))
    texts = {text for _, _, text, _ in found}
    assert texts == _shown_texts()
    sources = {s for d in LABEL_DIFFERENCES for s in d.sources.values()}
    assert not texts & ({d.code for d in LABEL_DIFFERENCES} | sources)
    lines = data.decode("utf-8").splitlines()
    # each message points at the line that assigns it
    assert all(lineno > 0 and text in lines[lineno - 1] for lineno, _, text, _ in found)


def test_babel_runs_the_extractor_named_in_babel_cfg():
    method = "itbcore._extract:extract_toml"  # as babel.cfg's [extractors] names it
    got = {m[1] for m in extract(method, io.BytesIO(LABEL_DIFFERENCES_FILE.read_bytes()))}
    assert got == _shown_texts()


def test_differences_and_signs_are_translated_when_read_and_english_by_default():
    d = next(d for d in LABEL_DIFFERENCES if d.note_msgid)
    assert (d.topic, d.note, d.values) == (d.topic_msgid, d.note_msgid, d.values_msgid)
    with using("qps"):
        shown = [d.topic, d.note, *d.values.values(), overdose.SIGNS["coma"].text, str(withdrawal.SIGNS["priapism"])]
        shown.append(withdrawal.HIGH_RISK["previous_withdrawal"].text)
        cited = list(d.sources.values())
    assert all(t.startswith(PSEUDO_OPEN) and t.endswith(PSEUDO_CLOSE) for t in shown), shown
    assert not any(PSEUDO_OPEN in s for s in cited)  # citations stay as written


def test_a_message_marked_inside_an_f_string_is_extracted():
    """Babel's own extractor skipped f-strings: 60 texts such as a widget's heading never reached a catalogue."""
    import io

    from itbcore._extract import extract_python

    source = b"w = f\"<strong>{esc(_('Patient and pump'))}</strong> {message('{n} left', n=1)}\"\n"
    source += b'x = ngettext("one step", "{n} steps", n)\ny = _(name)\n'
    found = [(line, fn, msg) for line, fn, msg, _c in extract_python(io.BytesIO(source), None, None, None)]
    assert sorted(found) == [
        (1, "_", "Patient and pump"),
        (1, "message", "{n} left"),
        (2, "ngettext", ("one step", "{n} steps")),
    ]
