"""ipywidgets + plotly views over :mod:`itbcore`, one module per app.

For training only, not for treating patients.  Every app follows the pattern of
:class:`widgets.app.App` (see ``docs/APPS.md``).
"""

from .app import App, Status, print_summary, safe_callback
from .fields import QuantityField, QuantitySlider
from .plot import make_figure

__all__ = ["App", "QuantityField", "QuantitySlider", "Status", "make_figure", "print_summary", "safe_callback"]
