"""A light plotly figure widget: the figure is plain JSON in the kernel, plotly.js draws it in the page.

For training only, not for treating patients.

Why not plotly's ``FigureWidget``: measured in ``docs/BENCHMARKS.md`` (Apps), a kernel that builds one
``FigureWidget`` grows by ~45 MiB (plotly's validators and its widget module), every property set
is validated in Python, and the widget's state carries plotly's ~5 MB front end unless the server
serves it.  The apps need a small part of that: traces with ``x``/``y`` and style, a layout with
axes, shapes and annotations, and redraws.  :class:`Figure` keeps the figure as JSON-ready dicts
behind attribute access shaped like plotly's (``fig.data[0].y``, ``fig.layout.xaxis.range``,
``fig.batch_update()``, ``add_trace``, ``update_layout``, ``add_vline``/``add_vrect``, magic
underscores such as ``line_width``), and its front end calls ``Plotly.react`` — plotly.js, the
same drawing library, loaded once per page.

Where plotly.js comes from: the basic bundle (scatter, bar, pie; 1.2 MB instead of 4.8 MB,
vendored in ``widgets/static/``, see its README).  Under the suite's launcher (:mod:`launcher`
sets :data:`PLOTLY_ESM_ENV`) the browser imports it from the server (cached between pages);
anywhere else (JupyterLab, plain ``voila``) the module carries plotly.js itself, as plotly's own
widget does.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import math
import os
from collections.abc import Iterator, Mapping, Sequence
from copy import deepcopy
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from .i18n import _
from .palette import PALETTE, colour

__all__ = [
    "Figure",
    "Trace",
    "Scatter",
    "Bar",
    "Props",
    "PLOTLY_ESM_ENV",
    "PLOTLY_JS",
    "TRACE_TYPES",
    "plotly_js_version",
    "plotly_esm_source",
    "to_json",
    "make_figure",
    "set_trace",
]

#: Environment variable the suite's launcher sets for its kernels: the path, relative to the
#: server's base URL, where it serves plotly.js as an ES module (:func:`plotly_esm_source`).
PLOTLY_ESM_ENV = "ITB_PLOTLY_ESM"

#: Property names that hold nested objects (read as :class:`Props`, created empty when missing),
#: as in plotly, where ``fig.layout.yaxis.title.text`` works on a fresh figure.
COMPOUND = frozenset(
    {
        "xaxis",
        "yaxis",
        "title",
        "font",
        "line",
        "marker",
        "legend",
        "margin",
        "pattern",
        "hoverlabel",
        "textfont",
        "error_y",
        "error_x",
        "template",
        "layout",
        "modebar",
        "grid",
    }
)


#: plotly.js's basic bundle, vendored (widgets/static/README.md: version, licence, why).
PLOTLY_JS = Path(__file__).with_name("static") / "plotly-basic.min.js"
#: The trace types that bundle draws.
TRACE_TYPES = frozenset({"scatter", "bar", "pie"})


@functools.lru_cache(maxsize=1)
def plotly_esm_source() -> str:
    """plotly.js (:data:`PLOTLY_JS`) wrapped as an ES module whose default export is ``Plotly``.

    plotly.min.js is a UMD file: given a ``module`` object it assigns ``module.exports`` (it is strict
    code already, so it runs unchanged as module code).
    """
    js = PLOTLY_JS.read_text(encoding="utf-8")
    return "const module = { exports: {} };\n" + js + "\nexport default module.exports;\n"


@functools.lru_cache(maxsize=1)
def plotly_js_version() -> str:
    """A short fingerprint of the module :func:`plotly_esm_source` serves (for cache-busting URLs)."""
    import hashlib

    return hashlib.sha256(plotly_esm_source().encode("utf-8")).hexdigest()[:12]


#: The figure's front end (drawing, plotly.js loading, the chart's numbers as a table).
FRONT_END = Path(__file__).with_name("static") / "figure.js"


# --------------------------------------------------------------------------- JSON and properties
def _normalise(value: Any) -> Any:
    """Dicts (and :class:`Props`) with plotly's magic underscores expanded, at any depth; other values
    kept as given (numpy arrays, dates), so reading ``fig.data[0].x`` gives back what was set."""
    if isinstance(value, Props):
        return value._d
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for k, v in value.items():
            _assign_path(out, str(k), _normalise(v))
        return out
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], (Mapping, Props)):
        return [_normalise(v) for v in value]
    return value


def to_json(value: Any) -> Any:
    """A JSON-ready copy: numpy arrays and scalars to lists and floats, NaN/±inf to ``None`` (a gap),
    dates to ISO text, :class:`Props` to dicts, magic underscores in dict keys expanded."""
    if isinstance(value, Props):
        return to_json(value._d)
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for k, v in value.items():
            _assign_path(out, str(k), to_json(v))
        return out
    if isinstance(value, str) or value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if hasattr(value, "units") and hasattr(value, "magnitude"):
        raise TypeError(f"a figure takes plain numbers: convert {value!r} to a magnitude in the axis unit first")
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        return to_json(value.tolist())
    if isinstance(value, (list, tuple, Sequence)):
        return [to_json(v) for v in value]
    if hasattr(value, "__float__"):
        return to_json(float(value))
    raise TypeError(f"a figure cannot hold {type(value).__name__} values ({value!r})")


def _assign_path(target: dict[str, Any], key: str, value: Any) -> None:
    """``target[key] = value`` with plotly's magic underscores: ``line_width`` sets ``line.width``;
    a text ``title`` becomes ``{"text": ...}`` (plotly.js ≥ 3 has no title shorthand)."""
    parts = key.split("_") if "_" in key and not key.startswith("_") else [key]
    for p in parts[:-1]:
        nxt = target.get(p)
        if not isinstance(nxt, dict):
            nxt = target[p] = {}
        target = nxt
    last = parts[-1]
    if last == "title" and isinstance(value, str):
        value = {"text": value}
    if isinstance(value, dict) and isinstance(target.get(last), dict):
        _merge(target[last], value)
    else:
        target[last] = value


def _merge(target: dict[str, Any], updates: Mapping[str, Any]) -> None:
    for k, v in updates.items():
        _assign_path(target, k, v)


class Props:
    """Attribute access over a figure's JSON dict; every change tells the figure to redraw."""

    __slots__ = ("_d", "_owner")

    def __init__(self, d: dict[str, Any] | None = None, owner: Figure | None = None) -> None:
        object.__setattr__(self, "_d", {} if d is None else d)
        object.__setattr__(self, "_owner", owner)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        d = self._d
        if name not in d:
            if name not in COMPOUND:
                return None
            d[name] = {}
        return self._wrap(d[name])

    def _wrap(self, v: Any) -> Any:
        if isinstance(v, dict):
            return Props(v, self._owner)
        if isinstance(v, list) and v and isinstance(v[0], dict):
            return tuple(Props(x, self._owner) for x in v)
        return tuple(v) if isinstance(v, list) else v

    def __setattr__(self, name: str, value: Any) -> None:
        _assign_path(self._d, name, _normalise(value))
        if self._owner is not None:
            self._owner._changed()

    def __getitem__(self, name: str) -> Any:
        return getattr(self, name)

    def __contains__(self, name: str) -> bool:
        return name in self._d

    def update(self, values: Mapping[str, Any] | None = None, **kwargs: Any) -> Props:
        """Merge properties (nested dicts merge; magic underscores expand), as plotly's ``update``."""
        _merge(self._d, _normalise({**(values or {}), **kwargs}))
        if self._owner is not None:
            self._owner._changed()
        return self

    def to_plotly_json(self) -> dict[str, Any]:
        """A deep copy of the JSON (as plotly's objects offer)."""
        return to_json(self._d)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Props) and self._d == other._d

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._d!r})"


class Trace(Props):
    """One trace (``type`` says which: ``scatter``, ``bar``)."""

    __slots__ = ()
    trace_type = ""

    def __init__(self, arg: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        d = _normalise({**(arg or {}), **kwargs})
        d["type"] = self.trace_type or d.get("type", "scatter")
        if d["type"] not in TRACE_TYPES:
            raise ValueError(
                f"trace type {d['type']!r} is not in the suite's plotly.js bundle "
                f"({', '.join(sorted(TRACE_TYPES))}); see widgets/static/README.md"
            )
        super().__init__(d)


class Scatter(Trace):
    __slots__ = ()
    trace_type = "scatter"


class Bar(Trace):
    __slots__ = ()
    trace_type = "bar"


_TRACE_TYPES: dict[str, type[Trace]] = {"scatter": Scatter, "bar": Bar}


# --------------------------------------------------------------------------- the widget
class Figure(anywidget.AnyWidget):
    """A figure whose data and layout are JSON traits, drawn by plotly.js in the page.

    ``Figure(data=[Scatter(...)], layout=dict(...))``; change it through ``fig.data[i].x = ...``,
    ``fig.layout.xaxis.range = [...]``, ``update_layout``/``update_xaxes``/``update_yaxes``,
    ``add_trace``, ``add_vline``, ``add_vrect``.  Inside ``with fig.batch_update():`` the changes
    go to the browser as one message when the block ends; outside, each change goes at once.
    Unchanged JSON sends nothing.
    """

    _esm = FRONT_END
    #: Served: plotly.js's path on the server, relative to the page's base URL (:data:`PLOTLY_ESM_ENV`).
    _plotly_url = traitlets.Unicode("").tag(sync=True)
    #: Not served by the suite's launcher (JupyterLab, plain ``voila``): the plotly.js module text.
    _plotly_inline = traitlets.Unicode("").tag(sync=True)
    _plot_data: traitlets.List[dict[str, Any]] = traitlets.List().tag(sync=True)
    _plot_layout = traitlets.Dict().tag(sync=True)

    def __init__(
        self, data: Sequence[Trace | Mapping[str, Any]] = (), layout: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> None:
        self._traces: list[Trace] = []
        self._layout = Props(_normalise(dict(layout or {})), self)
        self._batch = 0
        self._dirty = False
        served = os.environ.get(PLOTLY_ESM_ENV) or ""
        super().__init__(_plotly_url=served, _plotly_inline="" if served else plotly_esm_source(), **kwargs)
        for t in data:
            self._append(t)
        self._push()

    # ---- plotly-shaped access
    @property
    def data(self) -> tuple[Trace, ...]:
        return tuple(self._traces)

    @property
    def layout(self) -> Props:
        return self._layout

    def _append(self, trace: Trace | Mapping[str, Any]) -> Trace:
        if not isinstance(trace, Trace):
            d = _normalise(dict(trace))
            trace = _TRACE_TYPES.get(d.get("type", "scatter"), Trace)(d)
        object.__setattr__(trace, "_owner", self)
        self._traces.append(trace)
        return trace

    def add_trace(self, trace: Trace | Mapping[str, Any]) -> Figure:
        self._append(trace)
        self._changed()
        return self

    def add_scatter(self, **kwargs: Any) -> Figure:
        return self.add_trace(Scatter(**kwargs))

    def add_bar(self, **kwargs: Any) -> Figure:
        return self.add_trace(Bar(**kwargs))

    def update_layout(self, values: Mapping[str, Any] | None = None, **kwargs: Any) -> Figure:
        self._layout.update(values, **kwargs)
        return self

    def update_xaxes(self, values: Mapping[str, Any] | None = None, **kwargs: Any) -> Figure:
        return self.update_layout(xaxis={**(values or {}), **kwargs})

    def update_yaxes(self, values: Mapping[str, Any] | None = None, **kwargs: Any) -> Figure:
        return self.update_layout(yaxis={**(values or {}), **kwargs})

    def _add_shape(self, shape: dict[str, Any], annotation: dict[str, Any] | None) -> Figure:
        layout = self._layout._d
        layout["shapes"] = [*layout.get("shapes", ()), _normalise(shape)]
        if annotation is not None:
            layout["annotations"] = [*layout.get("annotations", ()), _normalise(annotation)]
        self._changed()
        return self

    @staticmethod
    def _split(kwargs: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        shape = {k: v for k, v in kwargs.items() if not k.startswith("annotation")}
        ann = {k[len("annotation_") :]: v for k, v in kwargs.items() if k.startswith("annotation_")}
        ann.update(kwargs.get("annotation") or {})
        return shape, ann

    def add_vline(self, x: Any, **kwargs: Any) -> Figure:
        """A vertical line over the whole plot height at ``x`` (``annotation_text``,
        ``annotation_position`` such as ``"top right"`` or ``"bottom left"`` as in plotly)."""
        shape, ann = self._split(kwargs)
        pos = str(ann.pop("position", "top right"))
        text = ann.pop("text", None)
        annotation = (
            None
            if text is None
            else dict(
                x=x,
                xref="x",
                yref="y domain",
                y=0 if "bottom" in pos else 1,
                text=text,
                showarrow=False,
                xanchor="right" if "left" in pos else "left",
                yanchor="bottom" if "bottom" in pos else "top",
                **ann,
            )
        )
        return self._add_shape(
            dict(type="line", xref="x", x0=x, x1=x, yref="y domain", y0=0, y1=1, **shape), annotation
        )

    def add_vrect(self, x0: Any, x1: Any, **kwargs: Any) -> Figure:
        """A band over the whole plot height from ``x0`` to ``x1`` (annotation as :meth:`add_vline`)."""
        shape, ann = self._split(kwargs)
        pos = str(ann.pop("position", "top right"))
        text = ann.pop("text", None)
        annotation = (
            None
            if text is None
            else dict(
                x=x1 if "right" in pos else x0,
                xref="x",
                yref="y domain",
                y=0 if "bottom" in pos else 1,
                text=text,
                showarrow=False,
                xanchor="right" if "right" in pos else "left",
                yanchor="bottom" if "bottom" in pos else "top",
                **ann,
            )
        )
        return self._add_shape(
            dict(type="rect", xref="x", x0=x0, x1=x1, yref="y domain", y0=0, y1=1, **shape), annotation
        )

    # ---- sending
    @contextlib.contextmanager
    def batch_update(self) -> Iterator[Figure]:
        """Collect changes and send them as one message when the block ends."""
        self._batch += 1
        try:
            yield self
        finally:
            self._batch -= 1
            if not self._batch and self._dirty:
                self._push()

    def _changed(self) -> None:
        self._dirty = True
        if not self._batch:
            self._push()

    def _push(self) -> None:
        self._dirty = False
        data = [to_json(t._d) for t in self._traces]
        layout = to_json(self._layout._d)
        with self.hold_sync():
            self._plot_data = data
            self._plot_layout = layout

    def to_dict(self) -> dict[str, Any]:
        """The figure as plotly JSON (``{"data": [...], "layout": {...}}``)."""
        return {"data": list(self._plot_data), "layout": dict(self._plot_layout)}

    def __repr__(self) -> str:
        title = (self._layout._d.get("title") or {}).get("text", "")
        return f"<Figure {title!r}: {len(self._traces)} traces>"


# --------------------------------------------------------------------------- the suite's figures
#: The suite's look, as a plotly.js layout template (plotly.js applies it under each figure's layout).
_TEMPLATE: dict[str, Any] = {
    "layout": {
        "font": {
            "family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
            "size": 13,
            "color": PALETTE["ink"],
        },
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "colorway": [colour(c) for c in ("info", "violation", "action", "warning", "chart-purple", "chart-teal")],
        "xaxis": {
            "showgrid": True,
            "gridcolor": PALETTE["grid"],
            "zeroline": False,
            "linecolor": PALETTE["axis"],
            "ticks": "outside",
            "automargin": True,
        },
        "yaxis": {
            "showgrid": True,
            "gridcolor": PALETTE["grid"],
            "zeroline": False,
            "linecolor": PALETTE["axis"],
            "ticks": "outside",
            "automargin": True,
        },
        # Every figure's title, legend and axis labels keep out of each other's way, at any width: the title
        # at the top left, the legend at the bottom of the figure (a row of its own under the x-axis title,
        # however many lines it wraps to), and the margins grow to fit tick labels and axis titles
        # (automargin).  The legend used to sit just above the plot, under a centred title: one line too long
        # and they overlapped.  figure.js wraps titles too long for the figure's width.
        "title": {
            "automargin": True,
            "x": 0,
            "xref": "container",
            "xanchor": "left",
            "yref": "paper",
            "y": 1,
            "yanchor": "bottom",
            "pad": {"t": 8, "b": 12, "l": 12},
        },
        "legend": {
            "orientation": "h",
            "xref": "container",
            "x": 0,
            "xanchor": "left",
            "yref": "container",
            "y": 0,
            "yanchor": "bottom",
        },
        "margin": {"l": 60, "r": 20, "t": 40, "b": 20},
        "hovermode": "x unified",
    }
}


def make_figure(title: str, x_title: str, y_title: str, *, traces: Sequence[Trace] = (), height: int = 360) -> Figure:
    """A figure (:class:`widgets.plot.Figure`) in the suite's template; update it with :func:`set_trace`.

    Axis titles carry the unit (``"time (h)"``, ``"CSF baclofen (ng/mL)"``).  Served by the
    suite's launcher, the figure's front end imports plotly.js from the server once per page.
    """
    layout = dict(
        template=deepcopy(_TEMPLATE),
        title=dict(text=title),
        height=height,
        xaxis=dict(title=dict(text=x_title)),
        yaxis=dict(title=dict(text=y_title)),
    )
    separators = number_separators()
    if separators != ".,":
        layout["separators"] = separators
    from itbcore.i18n import DEFAULT_LOCALE, get_locale

    if get_locale() != DEFAULT_LOCALE:  # the words figure.js writes around a chart, in the page's language
        layout["meta"] = {
            "itb": {
                "chart": _("Chart"),
                "table": _("Chart numbers"),
                "aria": _('{title} (its numbers are in the table "{table}" below it)'),
                "summary": _("{table}: {title}"),
            }
        }
    return Figure(data=list(traces), layout=layout)


def number_separators() -> str:
    """plotly's ``layout.separators`` for the locale in force: its decimal symbol (CLDR, as the suite writes
    numbers: :func:`itbcore.i18n.localize_number`) and, for the digit groups, the narrow no-break space."""
    from itbcore.i18n import GROUP_SEPARATOR, localize_number

    point = localize_number("0.5")[1]
    return ".," if point == "." else point + GROUP_SEPARATOR


def set_trace(fig: Figure, index: int, x: Any, y: Any, **props: Any) -> None:
    """Replace trace ``index``'s data (and any other properties) in one message to the browser."""
    with fig.batch_update():
        trace = fig.data[index]
        trace.x = x
        trace.y = y
        for k, v in props.items():
            setattr(trace, k, v)
