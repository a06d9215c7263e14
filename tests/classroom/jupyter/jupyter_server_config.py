"""Every user's JupyterLab server on the hub (on a real hub: /etc/jupyter/jupyter_server_config.py).

JupyterHub's single-user server forbids framing its pages ("frame-ancestors
'none'"), and nbgrader's Formgrader tab in JupyterLab is a frame of the same
server: without this header it stays blank (a "sad page" icon).
"""
c = get_config()  # noqa: F821 (provided by the traitlets config loader)

c.ServerApp.tornado_settings = {"headers": {"Content-Security-Policy": "frame-ancestors 'self'"}}
