"""The launcher's request handlers, one per file; each reads the server's :class:`~launcher.settings.Suite`
from tornado's application settings (``self.settings["itb_suite"]``).

For training only, not for treating patients.

* :mod:`.render`: Voilà's page handler with the allow-list, the template and theme rule, the caps and places;
* :mod:`.kernel_websocket`: Voilà's kernel websocket with per-kernel and per-client caps and a bounded buffer;
* :mod:`.request_info`: Voilà's ``/voila/query/<kernel>``, one waiter per live kernel, from this machine only;
* :mod:`.plotly`: plotly.js as an ES module, cached by the browser;
* :mod:`.educator`: ``itb/next``, the educator's announcement of the next app (token only);
* :mod:`.not_served`: 404 for everything a visitor may not reach.
"""

from .educator import EducatorNext
from .kernel_websocket import SuiteKernelWebsocket
from .not_served import NotServed
from .plotly import PlotlyModule
from .render import render_handler
from .request_info import request_info_handler

__all__ = [
    "EducatorNext",
    "NotServed",
    "PlotlyModule",
    "SuiteKernelWebsocket",
    "render_handler",
    "request_info_handler",
]
