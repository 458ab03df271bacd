"""Where the drug library in force is kept: one holder for the whole process.

For training only, not for treating patients.

:mod:`itbcore.library` puts a library in force here, and every check reads it from here.  The holder
lives in a module of its own, with no rules and nothing to test, because a second copy of
``itbcore.library`` can come to exist in one process: pytest's ``--import-mode=importlib`` collects the
doctests of ``itbcore/library.py`` by executing that file again when it is the first file collected (it
imports the package first, whose modules bind the first copy, then runs the file a second time under the
same name).  Each copy used to keep its own library in force, so ``use_library`` on one left the
other's checks (``pump``, ``titration``, ``screening``: the copy they had imported) on the old library.
With the state here, both copies read and write the same library, and a copy that is executed again
leaves a library already in force alone.
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["STATE"]

# This file may itself be run a second time the same way (when it is the first file pytest collects): the copy
# then takes the first copy's holder, which the package still names, so there is never a second holder.
_first_state = getattr(getattr(sys.modules.get(__name__.rpartition(".")[0]), "_in_force", None), "STATE", None)

#: ``"active"``: the library in force; ``"default"``: the suite's own (both set by :mod:`itbcore.library`).
STATE: dict[str, Any] = _first_state if isinstance(_first_state, dict) else {}
