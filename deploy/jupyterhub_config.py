"""JupyterHub configuration for a class of the ITB training suite.

For training only, not for treating patients.

One file for the local test (``tests/hub``), The Littlest JupyterHub and a plain server; every
setting that differs between them comes from the environment (see ``docs/DEPLOY.md``):

``ITB_CLASS_PREFIX``      the class install made by ``python -m deploy.class_setup`` (default /opt/itb-class)
``ITB_HUB_STATE``         where the hub keeps its database and cookie secret (default /srv/itb-hub)
``ITB_HUB_IP`` / ``ITB_HUB_PORT``   where the proxy listens (default 127.0.0.1:8000)
``ITB_HUB_AUTH``          ``dummy`` (the local test: one shared password), ``native`` (sign-up with
                          educator approval), ``pam`` (Unix passwords, the default); OAuth and LDAP: DEPLOY.md
``ITB_HUB_PASSWORD``      the shared password of the dummy authenticator (never use it for a class)
``ITB_EDUCATORS`` / ``ITB_TRAINEES``   comma-separated user names: the two groups and their roles
``ITB_CULL_TIMEOUT`` / ``ITB_CULL_EVERY``   idle culling, seconds (default 3600 / 300)
``ITB_MEM_LIMIT`` / ``ITB_CPU_LIMIT``   per-trainee limits (default 1G / 1.0) where the spawner enforces them
``ITB_ACTIVITY_INTERVAL`` how often servers and proxy report activity, seconds (default 300)

Each trainee gets their own server, started as their own Unix user (LocalProcessSpawner; TLJH's
SystemdSpawner and z2jh's KubeSpawner do the same with their own isolation), landing on the
Voilà home page; JupyterLab is one click away for the exercises.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hub_hooks import ClassSpawner, prepare_home, secure_state, server_token_scopes

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

PREFIX = Path(os.environ.get("ITB_CLASS_PREFIX", "/opt/itb-class"))
STATE = Path(os.environ.get("ITB_HUB_STATE", "/srv/itb-hub"))
secure_state(STATE)  # root's, 0700, its files 0600: also when it already existed looser
EDUCATORS = [u for u in os.environ.get("ITB_EDUCATORS", "").split(",") if u]
TRAINEES = [u for u in os.environ.get("ITB_TRAINEES", "").split(",") if u]
ACTIVITY = int(os.environ.get("ITB_ACTIVITY_INTERVAL", "300"))

# -- where the hub listens and keeps its state ------------------------------------------------
c.JupyterHub.ip = os.environ.get("ITB_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(os.environ.get("ITB_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("ITB_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('ITB_PROXY_API_PORT', '8001')}"
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.JupyterHub.last_activity_interval = ACTIVITY
c.JupyterHub.cleanup_servers = True

# -- who may sign in ---------------------------------------------------------------------------
auth = os.environ.get("ITB_HUB_AUTH", "pam")
if auth == "dummy":
    c.JupyterHub.authenticator_class = "dummy"
    c.DummyAuthenticator.password = os.environ["ITB_HUB_PASSWORD"]
elif auth == "native":
    c.JupyterHub.authenticator_class = "nativeauthenticator.NativeAuthenticator"
else:
    c.JupyterHub.authenticator_class = "pam"
c.Authenticator.allowed_users = set(TRAINEES) | set(EDUCATORS)
c.Authenticator.admin_users = set()  # educators need no hub admin: their role says what they may see

# -- groups and roles (JupyterHub RBAC) ---------------------------------------------------------
c.JupyterHub.load_groups = {"trainees": {"users": TRAINEES}, "educators": {"users": EDUCATORS}}
c.JupyterHub.load_roles = [
    # an educator sees who is in the class and when they were last active, nothing of their servers
    {
        "name": "educator",
        "groups": ["educators"],
        "scopes": [
            "self",
            "list:users",
            "read:users!group=trainees",
            "read:users:activity!group=trainees",
            "read:groups",
        ],
    },
    {"name": "trainee", "groups": ["trainees"], "scopes": ["self"]},
    {
        "name": "idle-culler",
        "services": ["idle-culler"],
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    },
]

# -- one server per trainee, as their own Unix user --------------------------------------------
c.JupyterHub.spawner_class = ClassSpawner  # LocalProcessSpawner with umask 077 for servers and kernels
c.Spawner.cmd = [str(PREFIX / "venv" / "bin" / "jupyterhub-singleuser")]
c.Spawner.notebook_dir = "~"
c.Spawner.default_url = "/voila/render/itb/notebooks/index.ipynb"
c.Spawner.mem_limit = os.environ.get("ITB_MEM_LIMIT", "1G")
c.Spawner.cpu_limit = float(os.environ.get("ITB_CPU_LIMIT", "1"))
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.environment = {
    "ITB_COURSE": os.environ.get("ITB_COURSE", "itb"),
    "ITB_PROGRESS_GROUP_READ": "1",  # the educators' group reads a trainee's progress, nobody else
    "JUPYTERHUB_ACTIVITY_INTERVAL": str(ACTIVITY),
    "PATH": f"{PREFIX / 'venv' / 'bin'}:/usr/local/bin:/usr/bin:/bin",
}
# Kernels over IPC (Unix sockets in the user's runtime folder), not TCP: with many servers starting
# kernels at once, TCP ports chosen by one kernel can be taken by another before it binds them
# (jupyter_client#154), and that page stays on "Running…" for good.  Seen here with 20 trainees.
c.Spawner.args = ["--KernelManager.transport=ipc"]
c.Spawner.pre_spawn_hook = lambda spawner: prepare_home(spawner, PREFIX, EDUCATORS)
c.Spawner.server_token_scopes = server_token_scopes

# -- idle culling -------------------------------------------------------------------------------
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={int(os.environ.get('ITB_CULL_TIMEOUT', '3600'))}",
            f"--cull-every={int(os.environ.get('ITB_CULL_EVERY', '300'))}",
        ],
    }
]
