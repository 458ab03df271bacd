"""The building blocks (widgets.app, .fields, .findings) without a browser: set a field, assert on the display."""

from __future__ import annotations

import logging
import re

import ipywidgets as W
import pytest

import itbcore
from itbcore import units
from itbcore.errors import DoseLimitError
from widgets import app as apps
from widgets import fields, findings
from widgets.units import build_app


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("", "is empty"),
        ("abc", "could not be read"),
        ("75", "has no unit"),
        ("2 mL", "is a volume, not a mass"),
        ("150 ug", "above the hard limit of 100 µg"),
        ("-5 ug", "cannot be negative; '-5 ug' was typed"),
    ],
)
def test_bad_entry_shows_a_specific_message_and_keeps_the_last_good_value(text, fragment):
    f = fields.QuantityField("Test dose", "ug", "50 ug", limit="test_dose")
    seen, states = [], []
    f.on_change(lambda fld: seen.append(fld.quantity))
    f.on_state(lambda fld: states.append(fld.blocked))
    f.value = text
    assert fragment in f.error_message
    assert "Traceback" not in f.error.value and fragment.split()[0] in f.error.value
    assert f.quantity.magnitude == 50 and seen == []
    # the field says it no longer reads the entry, and tells its app (which withdraws the results)
    assert f.readback == "not read" and states == [f.error_message] and f.blocked == f.error_message


def test_good_entry_clears_the_error_and_notifies():
    f = fields.QuantityField("Test dose", "ug", "50 ug", limit="test_dose")
    seen = []
    f.on_change(lambda fld: seen.append(itbcore.fmt(fld.quantity)))
    f.value = "x"
    f.value = "0.075 mg"
    assert f.error_message == "" and f.error.value == "" and seen == ["75 µg"]
    assert f.text.continuous_update is False


def test_app_updates_text_and_figure_and_leaves_them_on_bad_input():
    app = build_app()
    assert "0.025 mL" in app.summary() and list(app.fig.data[0].y) == [1.0, 0.1, 0.025]
    app.dose.value = "0.1 mg"
    assert "100 µg" in app.result.value and list(app.fig.data[0].y) == [2.0, 0.2, 0.05]
    app.dose.value = "100"  # no unit: refused inline, and the results of the old entry are withdrawn
    assert "no unit" in app.dose.error_message
    assert app.result.layout.display == "none" and app.fig.layout.display == "none"
    assert "No result" in app.status.message and app.summary().startswith("no result: ")
    app.dose.value = "0.1 mg"  # accepted again: the results come back, computed from it
    assert app.result.layout.display == "" and "100 µg" in app.result.value and app.status.message == ""
    assert repr(app) == "<UnitsApp: Units and strengths>"
    assert isinstance(app.children[0], type(apps.banner())) and "training only" in app.children[0].value.lower()


def test_figure_state_matches_data_before_a_view_connects():
    app = build_app()
    app.dose.value = "0.075 mg"
    assert list(app.fig._plot_data[0]["y"]) == list(app.fig.data[0].y) == [1.5, 0.15, 0.0375]


def test_a_50_mg_slip_in_the_units_app_waits_for_confirm_and_names_the_slip():
    # regression: '50 mg' in the Units app was used at once, a thousandfold dose with no word said
    app = build_app()
    app.dose.value = "50 mg"
    assert app.dose.pending is not None and "1000 times 50 µg — was mg written for µg?" in app.dose.error.value
    assert app.result.layout.display == "none" and app.summary().startswith("no result: ")


def test_safe_callback_shows_itb_errors_and_hides_unexpected_ones(caplog):
    status = apps.Status()

    @apps.safe_callback(status)
    def refuses():
        raise DoseLimitError("The test dose 150 µg is above 100 µg (lionova 4.2).")

    @apps.safe_callback(status)
    def breaks():
        raise KeyError("internal")

    refuses()
    assert status.message == "The test dose 150 µg is above 100 µg (lionova 4.2)."
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    apps.log.addHandler(handler)
    try:
        breaks()
    finally:
        apps.log.removeHandler(handler)
    assert status.message == apps.GENERIC_ERROR and "internal" not in status.value
    assert records and records[0].exc_info


def test_findings_show_severity_words_colours_and_sources():
    items = [
        itbcore.Finding("x", "violation", "Too fast.", "lionova 4.2"),
        itbcore.Action("admit", "Admit.", "lioresal Overdose"),
    ]
    html = findings.findings_html(items)
    assert '<div class="itb-finding itb-violation"><strong class="itb-severity">violation</strong> Too fast.' in html
    assert ">lionova 4.2</a>)</cite>" in html and "product_information.ipynb?section=lionova+4.2" in html
    assert findings.findings_text(items) == "[violation] Too fast. (lionova 4.2)\n[action] Admit. (lioresal Overdose)"


def test_label_differences_mark_the_applied_label():
    html = apps.label_differences_html(["under_4"], "lioresal")
    assert "Where labels differ" in html and "contraindicated" in html
    assert html.index("(applied here)") > html.index("lioresal")
    assert apps.label_chooser().value == "lionova"


def test_slider_does_not_update_continuously():
    s = fields.QuantitySlider("Effect lasted", "h", 8, min=1, max=24)
    assert s.continuous_update is False and itbcore.fmt(s.quantity) == "8 h"


def test_quantity_field_reads_back_and_holds_a_soft_limit_value_until_confirmed():
    f = fields.QuantityField("Test dose", limit="test_dose")
    seen = []
    f.on_change(lambda fld: seen.append(units.fmt(fld.quantity)))
    f.value = "0.075 mg"
    assert f.readback == "read as 75 µg" and "read as 75 µg" in f.hint.value and seen == ["75 µg"]
    f.value = "75"
    assert f.error_message == "The test dose '75' has no unit; give it in µg (for example '75 µg')."
    f.value = "10 ug"  # below the soft limit of 25 µg: shown, read back, used only once confirmed
    assert units.fmt(f.quantity) == "75 µg" and f.pending is not None and seen == ["75 µg"]
    assert "soft limit of 25 µg" in f.error.value and "lionova 4.2" in f.error.value
    assert f.confirm.layout.display != "none" and "10 µg" in f.confirm.description
    assert f.reason.layout.display != "none" and "waits for you to confirm" in f.blocked
    f.confirm.click()  # no reason chosen: refused, still waiting
    assert "Choose why" in f.error.value and f.pending is not None and seen == ["75 µg"]
    f.reason.value = "other"
    f.confirm.click()  # 'Other' needs a few words
    assert "needs a few words" in f.error.value and f.pending is not None
    f.reason_text.value = "paediatric protocol of the ward"
    f.confirm.click()
    assert units.fmt(f.quantity) == "10 µg" and seen == ["75 µg", "10 µg"] and f.pending is None
    assert "confirmed" in f.error.value and f.confirm.layout.display == "none"
    assert f.override == "Other: paediatric protocol of the ward" and "Reason: Other: paediatric" in f.error.value
    f.value = "150 ug"  # past the hard limit: refused, nothing changes
    assert "hard limit of 100 µg" in f.error_message and units.fmt(f.quantity) == "10 µg"


def test_quantity_field_1_500_is_read_back_as_1500():
    f = fields.QuantityField("Daily dose", limit="daily_dose")
    f.value = "1 500 µg/day"
    assert f.readback == "read as 1500 µg/day" and units.fmt(f.quantity) == "1500 µg/day"
    f.value = "1,000 µg/day"
    assert "ambiguous" in f.error_message and units.fmt(f.quantity) == "1500 µg/day"


def test_source_chips_link_each_label_section_to_the_product_information_app(tmp_path, monkeypatch):
    monkeypatch.chdir(findings._ROOT + "/notebooks")
    html = findings.cite("lionova 4.2, 6.6; lioresal Dosing: re-fill; practice guidance: Boster 2016")
    hrefs = re.findall(r'href="([^"]+)"', html)
    assert hrefs == [
        "product_information.ipynb?section=lionova+4.2",
        "product_information.ipynb?section=lionova+6.6",
        "product_information.ipynb?section=lioresal+Dosing%3A+re-fill",
    ]
    text = re.sub(r"<[^>]+>", "", html)
    assert text == "(lionova 4.2, 6.6; lioresal Dosing: re-fill; practice guidance: Boster 2016)"


def test_source_chip_links_work_from_the_trainee_exercise_folder(monkeypatch):
    monkeypatch.chdir(findings._ROOT + "/exercises/trainee")
    assert findings.section_href("lionova 4.6") == "../../notebooks/product_information.ipynb?section=lionova+4.6"


def test_an_unknown_citation_stays_plain_text_and_never_fails():
    html = findings.cite("lionova 9.9 <b>")
    assert "<a" not in html and "&lt;b&gt;" in html


def test_source_chip_text_is_escaped_inside_links():
    html = findings.linked_citation("baclorex 2 (<script>)")
    assert "<script>" not in html and "&lt;script&gt;" in html and ">baclorex 2</a>" in html


def test_on_a_class_hub_the_banner_says_who_is_signed_in_and_links_jupyterlab():
    env = {"JUPYTERHUB_USER": "t1", "JUPYTERHUB_SERVICE_PREFIX": "/user/t1/"}
    line = apps.hub_line(env)
    assert "Signed in as <strong>t1</strong>" in line and 'href="/user/t1/lab/tree/itb/exercises/trainee"' in line
    assert "Class view" not in line
    assert "class_view.ipynb" in apps.hub_line({**env, "ITB_ROLE": "educator"})
    assert apps.hub_line({}) == ""  # a plain Voilà server has no sign-in line


def test_a_negative_entry_is_refused_as_typed_not_as_noise():
    # regression: "-0.000000003 kg was entered" for a typed -3e-9 kg
    f = fields.QuantityField("Weight", "kg", "70 kg", limit="weight")
    f.value = "-3 ug"  # a mass, so it converts: -0.000000003 kg
    assert f.error_message == "The weight cannot be negative; '-3 ug' was typed."
    assert "0.000000003" not in f.error.value and f.quantity.magnitude == 70


def test_no_axis_names_its_unit_twice():
    # regression: "day (day)" under the withdrawal and deck charts
    import importlib

    from widgets.deck import build_deck

    apps = [
        importlib.import_module(f"widgets.{n}").build_app()
        for n in ("screening", "titration", "maintenance", "pk", "overdose", "withdrawal")
    ] + [build_deck()]
    seen = 0
    for app in apps:
        for fig in _figures(app):
            for axis in (fig.layout.xaxis, fig.layout.yaxis):
                title = (axis.title.text or "") if axis.title else ""
                m = re.search(r"\(([^()]*)\)\s*$", title)
                if m:
                    seen += 1
                    words = title[: m.start()].lower().split()
                    assert m.group(1).lower() not in {w.strip(",.") for w in words}, title
    assert seen > 5


def _figures(widget, out=None):
    out = [] if out is None else out
    if hasattr(widget, "layout") and hasattr(getattr(widget, "layout", None), "xaxis"):
        out.append(widget)
    for child in getattr(widget, "children", ()) or ():
        _figures(child, out)
    for name in dir(widget):
        if name.startswith("fig"):
            val = getattr(widget, name, None)
            if hasattr(getattr(val, "layout", None), "xaxis") and val not in out:
                out.append(val)
    return out


def test_presenter_view_and_reset_to_start_in_every_app():
    import importlib

    for name in ("screening", "titration", "maintenance", "pk", "overdose", "withdrawal", "product_information"):
        app = importlib.import_module(f"widgets.{name}").build_app()
        before = app.summary()
        app.presenter.value = True
        assert "itb-presenter" in app._dom_classes and app.layout.max_width == "none"
        assert any("itb-toolbar" in w._dom_classes for w in app.children), name
        app.presenter.value = False
        assert "itb-presenter" not in app._dom_classes and app.layout.max_width == "1100px"
        # change every text input we can, then reset: the app is back where it started
        changed = 0
        for widget, value in app._start:
            if isinstance(value, bool):
                widget.value = not value
                changed += 1
            elif getattr(widget, "options", None) and not isinstance(widget, W.SelectMultiple):
                others = [v for v in _option_values(widget) if v != value]
                if others:
                    widget.value = others[0]
                    changed += 1
        assert changed, name
        app.reset()
        assert app.summary() == before, name


def _option_values(widget):
    return [o[1] if isinstance(o, tuple) else o for o in widget.options]


def test_presenter_view_opens_from_the_page_query(monkeypatch):
    # ?presenter=1 on the app's URL: an educator bookmarks the projector view
    from widgets import page
    from widgets.screening import build_app

    for text, on in (
        ("presenter=1", True),
        ("presenter", True),
        ("presenter=yes", True),
        ("presenter=0", False),
        ("section=lionova+4.2", False),
        ("", False),
    ):
        monkeypatch.setattr(page, "query", lambda wait=True, text=text: text)
        app = build_app()
        assert ("itb-presenter" in app._dom_classes) is on, text
        assert app.presenter.value is on


def test_page_param_reads_a_query_and_refuses_a_flood():
    from widgets.page import flag, param

    assert param("section", "section=lionova+4.2") == "lionova 4.2"
    assert param("section", "x=1") is None
    assert param("section", "&".join(f"a{i}=1" for i in range(100))) is None
    assert flag("presenter", "presenter=TRUE") and not flag("presenter", "presenter=no")
