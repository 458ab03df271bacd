"""The exercises' messages: the ``exercises`` gettext domain (``exercises/locale/<locale>/LC_MESSAGES/exercises.po``).

For training only, not for treating patients.

``_("Dose")`` translates a fixed text in the locale in force; ``message("… {dose} …", dose=q)`` translates a
template and fills it with parameters formatted in that locale (quantities with :func:`itbcore.units.fmt`);
``N_("…")`` marks a module-level constant for extraction, translated with ``_()`` where it is shown.
Build every widget's text when the app is built (never at import): an app is rebuilt when its language
changes (:mod:`itbcore.i18n` has the locale in force).
"""

from __future__ import annotations

from pathlib import Path

from itbcore.i18n import N_, Domain, Message

__all__ = ["DOMAIN", "_", "gettext", "ngettext", "message", "N_", "Message"]

DOMAIN = Domain("exercises", Path(__file__).with_name("locale"))
gettext = _ = DOMAIN.gettext
ngettext = DOMAIN.ngettext
message = DOMAIN.message
