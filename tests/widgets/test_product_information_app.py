"""The product-information app: a label and a section, the suite's summary, what teaches it, the differences."""

from itbcore.sources import LABEL_MAP, section
from widgets.product_information import build_app, differences_for


def test_every_section_of_every_label_can_be_shown():
    app = build_app()
    for label, entries in LABEL_MAP.items():
        app.label_key.value = label
        for e in entries:
            app.section.value = e.section
            assert e.section in app.entry_html.value and app.status.message == ""
            assert ("Not taught" in app.entry_html.value) == (not e.taught_in)


def test_pregnancy_section_links_its_teaching_and_the_breast_feeding_difference():
    app = build_app()
    app.section.value = "lionova 4.6"
    assert 'href="product_information.ipynb"' in app.entry_html.value
    assert "<code>pregnancy</code>" in app.entry_html.value
    assert "Breast-feeding" in app.diff_html.value and "lioresal Pregnancy and lactation" in app.diff_html.value
    assert "differences: breast_feeding" in app.summary()


def test_changing_the_label_lists_its_sections():
    app = build_app()
    app.label_key.value = "baclorex"
    assert [v for _, v in app.section.options] == [e.section for e in LABEL_MAP["baclorex"]]
    assert app.entry.section == "baclorex 1"


def test_differences_are_found_by_the_sections_they_cite():
    assert [d.code for d in differences_for(section("lioresal Stability of the drug"))] == ["pump_stability"]
    assert "older_patients" in [d.code for d in differences_for(section("lioresal Carefully"))]


def test_sections_with_core_data_show_it_as_a_table():
    app = build_app()
    app.section.value = "lionova 4.8"
    assert "24.8 %" in app.entry_html.value and "urinary retention" in app.entry_html.value
    # each label's band side by side, the differences marked: seizures are common (lionova), very often (lioresal)
    row = next(r for r in app.entry_html.value.split("<tr>") if "<td>≠ seizures</td>" in r)
    assert "<td>common</td><td>very often (10.4 %)</td><td>common</td>" in row
    app.section.value = "lionova 4.5"
    assert "levodopa / carbidopa" in app.entry_html.value and "monitor blood pressure" in app.entry_html.value
    app.section.value = "lionova 6.6"
    assert "bacterial filter" in app.entry_html.value and "arachnoiditis" in app.entry_html.value


def test_a_source_chip_link_opens_its_section():
    app = build_app()
    assert app.open_requested("section=lioresal+Pregnancy+and+lactation")
    assert app.label_key.value == "lioresal" and app.entry.section == "lioresal Pregnancy and lactation"
    assert app.status.message == ""


def test_an_unknown_section_in_the_link_is_named_and_changes_nothing():
    app = build_app()
    before = app.entry.section
    assert not app.open_requested("section=lionova+9.9")
    assert "No section 'lionova 9.9'" in app.status.message and app.entry.section == before
    assert not app.open_requested("")  # no query: the first section, no message
    assert app.open_requested("section=%2e%2e%2f%2e%2e%2fsolutions") is False and app.entry.section == before


def test_without_voila_there_is_no_query_and_nothing_changes(monkeypatch):
    monkeypatch.delenv("QUERY_STRING", raising=False)
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    app = build_app()
    assert app.open_requested() is False and app.entry.section == "lionova 2"


def test_every_source_chip_in_every_app_links_a_mapped_section():
    import importlib
    import re
    from urllib.parse import parse_qs, urlsplit

    from widgets.deck import build_deck

    names = ["screening", "titration", "maintenance", "pk", "overdose", "withdrawal"]
    apps = [importlib.import_module(f"widgets.{name}").build_app() for name in names] + [build_deck()]
    seen = 0
    for app in apps:
        markup = _all_html(app)
        for href in re.findall(r'class="itb-section-link" href="([^"]+)"', markup):
            wanted = parse_qs(urlsplit(href.replace("&amp;", "&")).query)["section"][0]
            assert section(wanted).section == wanted
            seen += 1
    assert seen > 30


def _all_html(widget) -> str:
    out = [getattr(widget, "value", "") if isinstance(getattr(widget, "value", None), str) else ""]
    for child in getattr(widget, "children", ()):
        out.append(_all_html(child))
    return "".join(out)


def test_every_label_difference_is_shown_in_an_app_that_uses_its_rule():
    import html
    import importlib

    from itbcore.sources import LABEL_DIFFERENCES

    shown = set()
    for name in ["screening", "titration", "maintenance", "pk", "overdose", "withdrawal"]:
        app = importlib.import_module(f"widgets.{name}").build_app()
        shown |= set(app.label_differences)
        for code in app.label_differences:
            assert code in {d.code for d in LABEL_DIFFERENCES}, (name, code)
            topic = next(d.topic for d in LABEL_DIFFERENCES if d.code == code)
            assert f"Where labels differ: {html.escape(topic)}" in app.differences.value
    # the adverse-effect differences are shown where the adverse-effect table is: the product-information app
    from itbcore.adverse_effects import ADVERSE_EFFECTS

    pi = build_app()
    for code in {e.difference for e in ADVERSE_EFFECTS if e.difference}:
        topic = next(d.topic for d in LABEL_DIFFERENCES if d.code == code)
        pi.section.value = "lionova 4.8"
        assert html.escape(topic) in pi.diff_html.value and html.escape(topic) in pi.entry_html.value, code
        shown.add(code)
    assert shown == {d.code for d in LABEL_DIFFERENCES}


def test_a_lioresal_section_says_its_title_once():
    # lioresal's sections are named by their headings: "Composition — Composition" in the list and
    # "lioresal Composition: Composition" as the heading said the title twice
    app = build_app()
    app.label_key.value = "lioresal"
    names = [name for name, _ in app.section.options]
    assert "Composition" in names and not [n for n in names if " — " in n and n.split(" — ")[0] in n.split(" — ")[1]]
    app.section.value = "lioresal Composition"
    assert "<h2>lioresal Composition</h2>" in app.entry_html.value
    app.section.value = "lioresal Dosing and Administration"
    assert "<h2>lioresal Dosing and Administration (general)</h2>" in app.entry_html.value
    app.label_key.value = "lionova"  # a numbered section keeps number and title
    app.section.value = "lionova 4.6"
    assert app.section.label == "4.6 — Fertility, pregnancy and breast-feeding"
    assert "<h2>lionova 4.6: Fertility, pregnancy and breast-feeding</h2>" in app.entry_html.value


def _exercise_links(markup: str) -> list[str]:
    import html
    import re

    return [html.unescape(h) for h in re.findall(r'href="([^"]*exercise[^"]*)"', markup)]


def test_exercise_links_open_the_practice_app_where_they_can_be_answered(monkeypatch):
    # Before: ../exercises/trainee/<id>.ipynb, a trainee notebook Voilà shows read-only
    from pathlib import Path
    from urllib.parse import parse_qs, urlsplit

    from exercises.core import list_exercises

    monkeypatch.chdir(Path(__file__).resolve().parents[2] / "notebooks")  # where Voilà starts the app's kernel
    app = build_app()
    app.section.value = "lionova 4.2"
    links = _exercise_links(app.entry_html.value)
    assert links and not [h for h in links if "trainee/" in h]
    ids = {d.id for d in list_exercises()}
    for href in links:
        url = urlsplit(href)
        assert url.path == "../exercises/practice.ipynb" and not url.netloc and not href.startswith("/"), href
        assert parse_qs(url.query)["exercise"][0] in ids and "presenter" not in url.query
    app.set_presenter(True)  # presenter view (?presenter=1 or the toggle): the practice app opens in it too
    links = _exercise_links(app.entry_html.value)
    assert links and all(parse_qs(urlsplit(h).query).get("presenter") == ["1"] for h in links), links
    app.set_presenter(False)
    assert not [h for h in _exercise_links(app.entry_html.value) if "presenter" in h]
