"""A small JupyterHub for one class: one instructor, students, nbgrader's exchange.

tests/e2e/test_classroom.py runs this hub on 127.0.0.1 with everything under one
temporary folder; the README shows it as the starting point of a real hub.
Every setting comes from an environment variable, so nothing here names a
machine:

==========================  ===============================================
CLASSROOM_ROOT              folder holding the hub's state, the exchange
                            (exchange/), the users' homes (home/<user>/)
                            and the hub-wide Jupyter config (etc/jupyter/)
CLASSROOM_USERS             the users who may log in, comma-separated
CLASSROOM_PASSWORD          their shared password (at least 8 characters)
CLASSROOM_PORT              the public port (default 8000); the hub's own
                            API and the proxy's API use the next two ports
CLASSROOM_CULL_SERVER       seconds without activity before a user's server
                            is stopped (default 3600: a lesson's length)
CLASSROOM_CULL_KERNEL       seconds before an idle kernel that no browser
                            tab shows is stopped (default 1200)
CLASSROOM_ACTIVITY_EVERY    how often (seconds) servers report activity to
                            the hub and the culler looks (default 300)
==========================  ===============================================

Every single-user server also reads the files in jupyter/ beside this one
(on a real hub they go to /etc/jupyter/): nbgrader_config.py (the exchange
and the course id), jupyter_server_config.py (lets the Formgrader tab show
inside JupyterLab) and labconfig/page_config.json (no news pop-up).

Test set-up only, not for a hub with real students: the shared-password
authenticator and SimpleLocalProcessSpawner (every user's server runs as
the hub's own system user, with a home of its own but no isolation). A
real hub uses its users' accounts (PAM, OAuth) with LocalProcessSpawner,
or Kubernetes (Zero to JupyterHub); the README shows both.
"""
import os
import sys

c = get_config()  # noqa: F821 (provided by the traitlets config loader)

root = os.path.abspath(os.environ["CLASSROOM_ROOT"])
port = int(os.environ.get("CLASSROOM_PORT", "8000"))
cull_server = int(os.environ.get("CLASSROOM_CULL_SERVER", "3600"))
cull_kernel = int(os.environ.get("CLASSROOM_CULL_KERNEL", "1200"))
activity_every = int(os.environ.get("CLASSROOM_ACTIVITY_EVERY", "300"))

# Where the hub listens: the loopback interface only.
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = port
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = port + 1
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{port + 2}"
c.ConfigurableHTTPProxy.pid_file = os.path.join(root, "jupyterhub-proxy.pid")
c.JupyterHub.db_url = "sqlite:///" + os.path.join(root, "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(root, "jupyterhub_cookie_secret")
# Stopping the hub stops the proxy and every user's server.
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True

# Who may log in.
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = os.environ["CLASSROOM_PASSWORD"]
c.Authenticator.allowed_users = set(filter(None, os.environ["CLASSROOM_USERS"].split(",")))

# Each user's JupyterLab: a local process with its own home folder.
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = os.path.join(root, "home", "{username}")
c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]  # the course's Python environment
c.Spawner.default_url = "/lab"
c.Spawner.environment = {
    "JUPYTER_CONFIG_PATH": os.path.join(os.path.dirname(os.path.abspath(__file__)), "jupyter"),
    "CLASSROOM_ROOT": root,  # jupyter/nbgrader_config.py finds the exchange from it
    "CLASSROOM_CULL_KERNEL": str(cull_kernel),  # read by jupyter/jupyter_server_config.py
    "JUPYTERHUB_ACTIVITY_INTERVAL": str(activity_every),  # how often each server tells the hub it is in use
    # the environment's commands first: nbgrader runs `alembic` to make its gradebook
    "PATH": os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", os.defpath)]),
}
c.Spawner.args = [
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    "--LabApp.expose_app_in_browser=True",  # the test reads JupyterLab's state through window.jupyterapp
]
if hasattr(os, "geteuid") and os.geteuid() == 0:
    c.Spawner.args.append("--allow-root")  # CI containers run as root; a real hub never does
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120

# Memory comes back when students leave: jupyterhub-idle-culler (PyPI) stops a
# server nobody has used for CLASSROOM_CULL_SERVER seconds (its kernels stop
# with it); each server stops its idle kernels that no tab shows sooner (see
# jupyter/jupyter_server_config.py). Work is saved first: JupyterLab saves
# every two minutes, and a stopped server keeps its files. On Zero to
# JupyterHub the same is the chart's cull: section (see the README).
c.JupyterHub.last_activity_interval = activity_every  # how often the hub asks the proxy who was active
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={cull_server}",
                f"--cull-every={max(1, min(activity_every, cull_server // 4))}"],
}]


# Test only: every server runs as the hub's own Unix account, but nbgrader's
# exchange names a submission after the Unix account of the server that sends
# it (or, for an account named `jovyan` as on Kubernetes, after
# JUPYTERHUB_USER). So each server is shown a passwd entry with its hub user's
# name, through nss_wrapper (Debian: libnss-wrapper), as a hub with one real
# account per user (PAM + LocalProcessSpawner) would have it. Nothing on the
# machine changes.
def name_the_account(spawner):
    folder = os.path.join(root, "nss", spawner.user.name)
    os.makedirs(folder, exist_ok=True)
    name, uid, gid, home = spawner.user.name, os.getuid(), os.getgid(), spawner.home_dir
    with open(os.path.join(folder, "passwd"), "w") as f:
        f.write(f"{name}:x:{uid}:{gid}::{home}:/bin/bash\n")
    with open(os.path.join(folder, "group"), "w") as f:
        f.write(f"{name}:x:{gid}:\n")
    spawner.environment = dict(spawner.environment, LD_PRELOAD="libnss_wrapper.so",
                               NSS_WRAPPER_PASSWD=os.path.join(folder, "passwd"),
                               NSS_WRAPPER_GROUP=os.path.join(folder, "group"))


c.Spawner.pre_spawn_hook = name_the_account
