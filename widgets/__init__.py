"""ipywidgets + plotly views over :mod:`itbcore`, one module per app.

For training only, not for treating patients.  Every app follows the pattern of
:class:`widgets.common.App` (see ``docs/APPS.md``).
"""
from .common import App, QuantityField, QuantitySlider, Status, make_figure, print_summary, safe_callback

__all__ = ["App", "QuantityField", "QuantitySlider", "Status", "make_figure", "print_summary", "safe_callback"]
