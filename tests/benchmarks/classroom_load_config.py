"""The classroom hub (tests/classroom/jupyterhub_config.py) with one more service: the load test's driver.

tests/benchmarks/bench_classroom.py starts the hub with this file. The
driver starts students' servers and reaches their kernels with the token in
CLASSROOM_LOAD_TOKEN, as an instructor's admin token would; everything else
is the configuration the README shows.
"""
import os

c = get_config()  # noqa: F821 (provided by the traitlets config loader)
load_subconfig(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "classroom",  # noqa: F821
                            "jupyterhub_config.py"))

c.JupyterHub.services.append({"name": "classroom-load-test", "api_token": os.environ["CLASSROOM_LOAD_TOKEN"]})
c.JupyterHub.load_roles.append({
    "name": "classroom-load-test",
    "scopes": ["admin:users", "admin:servers", "access:servers", "list:users", "read:users"],
    "services": ["classroom-load-test"],
})
