"""Run a notebook on a fresh kernel: for the lesson build, the notebook tests and the benchmark."""
from __future__ import annotations

from pathlib import Path


def notebook_client(nb, directory: Path, timeout: int = 120, allow_errors: bool = False):
    """An nbclient runner for ``nb`` on a fresh python3 kernel working in ``directory``.

    The kernel talks over local (ipc) sockets, not TCP ports: when several
    kernels start at once, a port picked as free can be taken by another
    kernel before ours binds it, and our requests then go unanswered.
    """
    import tempfile

    from nbclient import NotebookClient

    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=allow_errors,
                            resources={"metadata": {"path": str(directory)}})
    client.km = client.create_kernel_manager()
    client.km.transport, client.km.ip = "ipc", str(Path(tempfile.mkdtemp(prefix="kernel-")) / "kernel")
    return client


def execute(nb, directory: Path, timeout: int = 120, allow_errors: bool = False):
    """Run a notebook on a fresh kernel in ``directory``; raise if a cell fails (unless allowed)."""
    notebook_client(nb, directory, timeout, allow_errors).execute()
    return nb
