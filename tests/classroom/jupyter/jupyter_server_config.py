"""Every user's JupyterLab server on the hub (on a real hub: /etc/jupyter/jupyter_server_config.py).

JupyterHub's single-user server forbids framing its pages ("frame-ancestors
'none'"), and nbgrader's Formgrader tab in JupyterLab is a frame of the same
server: without this header it stays blank (a "sad page" icon).

A kernel idle for CLASSROOM_CULL_KERNEL seconds (default 1200) that no
browser tab is connected to is stopped, which gives its memory back (a
lesson's kernel holds 150-250 MB) while the student's server stays up.
"""
import os

c = get_config()  # noqa: F821 (provided by the traitlets config loader)

c.ServerApp.tornado_settings = {"headers": {"Content-Security-Policy": "frame-ancestors 'self'"}}

c.MappingKernelManager.cull_idle_timeout = int(os.environ.get("CLASSROOM_CULL_KERNEL", "1200"))
c.MappingKernelManager.cull_interval = max(1, min(60, c.MappingKernelManager.cull_idle_timeout // 4))
c.MappingKernelManager.cull_connected = False  # a tab still showing the kernel keeps it
