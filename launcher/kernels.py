"""The kernels the launcher starts: ipykernel with the suite's kernel start-up.

For training only, not for treating patients.

Every Python kernel the server starts (preheated or for a page) loads ``widgets._kernel`` as an IPython
extension (``--InteractiveShellApp.extra_extensions=widgets._kernel``): once the kernel's shell and output
streams exist, :func:`widgets._kernel.load_ipython_extension` applies the kernel's rules (memory bound, logs on
the server, what the browser may set; ``widgets/_kernel.py``).  The server itself imports nothing of
:mod:`widgets`: the extension is named, not imported, here.  The kernel's environment says it serves a page
(``ITB_SERVED=1``, :data:`launcher.settings.SERVED_ENV`).
"""

from __future__ import annotations

from jupyter_server.services.kernels.kernelmanager import ServerKernelManager

__all__ = ["KERNEL_EXTENSION", "ServedKernelManager"]

#: The IPython extension every served kernel loads at start-up (its ``load_ipython_extension``).
KERNEL_EXTENSION = "widgets._kernel"


class ServedKernelManager(ServerKernelManager):
    """jupyter_server's kernel manager whose ipykernel kernels load :data:`KERNEL_EXTENSION` at start-up."""

    def format_kernel_cmd(self, extra_arguments=None):
        cmd = super().format_kernel_cmd(extra_arguments)
        if any("ipykernel" in part for part in cmd):  # a Python kernel (ipykernel_launcher); others unchanged
            cmd = [*cmd, f"--InteractiveShellApp.extra_extensions={KERNEL_EXTENSION}"]
        return cmd
