"""Who is working: the signed-in JupyterHub user, or a typed name on a server without sign-in.

For training only, not for treating patients.

Under JupyterHub every trainee's server carries ``JUPYTERHUB_USER`` (set by the hub for the user who
signed in); that name is the trainee, whatever is typed, and progress is recorded for it.  On a plain
Voilà server there is no sign-in: the typed name is used and marked *not signed in*, since anyone can
type any name.  When nbgrader runs a notebook (``NBGRADER_EXECUTION`` is ``autograde`` or
``validate``) nothing is recorded: the educator's run is no trainee's attempt.

>>> Identity.of("ana", env={}).label()
'ana (not signed in: this server has no sign-in, so anyone can type any name)'
>>> Identity.of("", env={"JUPYTERHUB_USER": "t1"}).label()
't1 (signed in)'
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["Identity", "grading", "signed_in_user"]


def signed_in_user(env: Mapping[str, str] | None = None) -> str | None:
    """The JupyterHub user this server belongs to, or None off a hub."""
    return (env if env is not None else os.environ).get("JUPYTERHUB_USER") or None


def grading(env: Mapping[str, str] | None = None) -> bool:
    """True while nbgrader autogrades or validates a notebook."""
    return (env if env is not None else os.environ).get("NBGRADER_EXECUTION") in ("autograde", "validate")


@dataclass(frozen=True)
class Identity:
    name: str | None
    signed_in: bool

    @classmethod
    def of(cls, typed: str | None, env: Mapping[str, str] | None = None) -> Identity:
        """The signed-in user when there is one (the typed name is then ignored), else the typed name."""
        hub = signed_in_user(env)
        if hub:
            return cls(hub, True)
        typed = (typed or "").strip()
        return cls(typed or None, False)

    def label(self) -> str:
        if self.name is None:
            return "nobody (type a name to keep your progress)"
        if self.signed_in:
            return f"{self.name} (signed in)"
        return f"{self.name} (not signed in: this server has no sign-in, so anyone can type any name)"
