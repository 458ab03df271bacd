"""widgets.plot: the light figure widget's JSON, its messages to the browser and its plotly-shaped API."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from itbcore.units import Q_
from widgets import plot
from widgets.plot import Bar, Figure, Scatter, make_figure, set_trace, to_json


def _messages(fig: Figure) -> list[dict]:
    """Collect the state updates the figure sends to the browser."""
    sent: list[dict] = []
    fig._send = lambda msg, buffers=None: sent.append(msg)  # type: ignore[method-assign]
    return sent


def test_magic_underscores_and_titles_become_plotly_json():
    fig = Figure(
        data=[Scatter(x=[1, 2], y=[3, 4], line_width=2, marker=dict(color="red", line_width=1))],
        layout=dict(xaxis_title="time (h)", title="CSF baclofen"),
    )
    data, layout = fig._plot_data, fig._plot_layout
    assert data == [
        {
            "x": [1, 2],
            "y": [3, 4],
            "line": {"width": 2},
            "marker": {"color": "red", "line": {"width": 1}},
            "type": "scatter",
        }
    ]
    # plotly.js ≥ 3 has no title shorthand: titles are always {"text": ...}
    assert layout == {"xaxis": {"title": {"text": "time (h)"}}, "title": {"text": "CSF baclofen"}}


def test_values_read_back_as_set_and_serialise_to_json():
    when = dt.datetime(2025, 4, 2)
    fig = Figure(data=[Scatter(x=[when], y=np.array([1.5]))])
    assert fig.data[0].x[0] == when and list(fig.data[0].y) == [1.5]
    assert fig._plot_data[0]["x"] == ["2025-04-02T00:00:00"] and fig._plot_data[0]["y"] == [1.5]


@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=20))
def test_non_finite_numbers_become_gaps(values):
    out = to_json(np.array(values, dtype=float))
    assert len(out) == len(values)
    for v, o in zip(values, out, strict=False):
        assert (o is None) if not math.isfinite(v) else (o == v)


def test_quantities_are_refused_with_a_clear_message():
    fig = make_figure("t", "time (h)", "dose (µg)")
    fig.add_trace(Scatter(x=[0], y=[0]))
    with pytest.raises(TypeError, match="magnitude in the axis unit"):
        fig.data[0].y = [Q_(1, "ug")]


def test_a_batch_sends_one_message_and_unchanged_data_sends_none():
    fig = make_figure("t", "x", "y", traces=[Scatter(x=[], y=[]), Bar(x=[], y=[])])
    sent = _messages(fig)
    with fig.batch_update():
        fig.data[0].x, fig.data[0].y = [0, 1, 2], [1.0, 0.5, 0.25]
        fig.data[1].y = [3]
        fig.layout.xaxis.range = [0, 2]
    assert len(sent) == 1
    state = sent[0]["state"]
    assert set(state) == {"_plot_data", "_plot_layout"}
    assert state["_plot_data"][0]["y"] == [1.0, 0.5, 0.25] and state["_plot_layout"]["xaxis"]["range"] == [0, 2]
    set_trace(fig, 0, [0, 1, 2], [1.0, 0.5, 0.25])  # the same data again
    assert len(sent) == 1
    fig.data[1].y = [4]  # outside a batch: at once
    assert len(sent) == 2 and sent[1]["state"]["_plot_data"][1]["y"] == [4]


def test_nested_properties_read_like_plotly():
    fig = make_figure("Reservoir", "time (day)", "volume (mL)")
    assert fig.layout.yaxis.title.text == "volume (mL)"
    assert fig.layout.yaxis.type is None  # unset leaf
    fig.layout.yaxis.type = "log"
    assert fig._plot_layout["yaxis"]["type"] == "log"
    assert isinstance(fig.data, tuple) and fig.data == ()


def test_vline_and_vrect_add_shapes_with_annotations():
    fig = make_figure("t", "x", "y")
    fig.add_vline(x=8, line=dict(dash="dot"), annotation_text="8 h", annotation_position="bottom left")
    fig.add_vrect(
        x0=0, x1=24, fillcolor="#888", line_width=0, annotation_text="first 24 h", annotation_position="top left"
    )
    shapes, notes = fig._plot_layout["shapes"], fig._plot_layout["annotations"]
    assert shapes[0] == {
        "type": "line",
        "xref": "x",
        "x0": 8,
        "x1": 8,
        "yref": "y domain",
        "y0": 0,
        "y1": 1,
        "line": {"dash": "dot"},
    }
    assert shapes[1]["type"] == "rect" and shapes[1]["line"] == {"width": 0} and shapes[1]["x1"] == 24
    assert [n["text"] for n in notes] == ["8 h", "first 24 h"]
    assert notes[0]["y"] == 0 and notes[0]["xanchor"] == "right"
    assert notes[1]["y"] == 1 and notes[1]["x"] == 0 and notes[1]["xanchor"] == "left"
    assert fig.layout.shapes[1].to_plotly_json()["fillcolor"] == "#888"


def test_the_front_end_module_loads_plotly_from_the_server_when_served(monkeypatch):
    monkeypatch.setenv(plot.PLOTLY_ESM_ENV, "itb-static/plotly/plotly.esm.js?v=1")
    served = Figure()
    assert served._plotly_url == "itb-static/plotly/plotly.esm.js?v=1" and served._plotly_inline == ""
    assert len(served._esm) < 10_000 and "Plotly.react" in served._esm
    monkeypatch.delenv(plot.PLOTLY_ESM_ENV)
    inline = Figure()  # JupyterLab, plain voila: the widget carries plotly.js itself
    assert inline._plotly_url == "" and inline._plotly_inline == plot.plotly_esm_source()


def test_the_front_end_is_a_file_with_a_text_alternative_for_the_chart():
    # the figure's JavaScript is a real file (no string assembly), and it gives the numbers as a table
    assert Figure()._esm == plot.FRONT_END.read_text(encoding="utf-8") and plot.FRONT_END.suffix == ".js"
    js = plot.FRONT_END.read_text(encoding="utf-8")
    assert 'setAttribute("role", "figure")' in js and "itb-chart-table" in js


def test_the_vendored_plotly_js_is_the_documented_basic_bundle():
    import hashlib
    import re
    from pathlib import Path

    readme = (Path(plot.__file__).with_name("static") / "README.md").read_text(encoding="utf-8")
    digest = hashlib.sha256(plot.PLOTLY_JS.read_bytes()).hexdigest()
    assert digest in readme, "widgets/static/README.md must give the vendored file's sha256"
    version = re.search(r"plotly\.js \(basic - minified\) v(\S+)", plot.PLOTLY_JS.read_text(encoding="utf-8")[:300])
    assert version and f"version {version.group(1)}" in readme


def test_trace_types_outside_the_bundle_are_refused():
    with pytest.raises(ValueError, match="not in the suite's plotly.js bundle"):
        Figure(data=[{"type": "scatter3d", "x": [1]}])
    assert Figure(data=[{"type": "bar", "x": [1]}]).data[0].type == "bar"


def test_plotly_esm_wraps_the_vendored_plotly_js():
    src = plot.plotly_esm_source()
    assert src.startswith("const module = { exports: {} };") and src.rstrip().endswith("export default module.exports;")
    assert plot.PLOTLY_JS.read_text(encoding="utf-8")[:200] in src


def test_no_app_imports_plotly_in_the_kernel():
    """The kernel-memory saving depends on it (docs/BENCHMARKS.md, Apps)."""
    import subprocess
    import sys

    code = (
        "import sys, widgets.screening, widgets.titration, widgets.maintenance, widgets.pk, widgets.overdose, "
        "widgets.withdrawal, widgets.deck, exercises.app; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'plotly'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
