"""A control group for each sandbox: a fair CPU share, a total memory cap and a cap on processes.

The resource limits of ``sandbox.Limits`` (setrlimit) bind each process of
a sandbox alone: a submission that starts many busy processes would take
the CPU from the classmates graded beside it, whose cells then run out of
time. A control group binds the sandbox as a whole:

* CPU: every sandbox gets the same share (``cpu.weight`` / ``cpu.shares``)
  and at most one core (``cpu.max`` / ``cpu.cfs_quota_us``), however many
  processes it starts;
* memory: all its processes together (``memory.max`` /
  ``memory.limit_in_bytes``), no swap; the kernel's out-of-memory killer
  then acts inside the group, never on a classmate's kernel;
* processes: ``pids.max``.

Both layouts are supported: cgroup v2 (one tree at /sys/fs/cgroup; the
grader's own group must delegate the cpu, memory and pids controllers to
its children, e.g. a root shell, or ``systemd-run --scope -p Delegate=yes``
with the controllers enabled in the scope) and cgroup v1 (one tree per
controller, as on this project's test machine). Where neither is writable
(an ordinary user without delegation), :func:`create` returns None and the
sandbox falls back to what needs no privilege: the per-process limits,
``RLIMIT_NPROC`` and a lower scheduling priority (nice) for every
sandboxed process, so the grader itself stays responsive; that fallback
cannot make sandboxes share the CPU fairly among themselves.
"""
from __future__ import annotations

import os
import secrets
import signal
import time
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
V1_CONTROLLERS = ("cpu", "memory", "pids")


def _own_paths(root: Path = ROOT) -> dict:
    """controller (or '' for v2) -> the grader's own group path, from /proc/self/cgroup."""
    paths = {}
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        for name in controllers.split(",") if controllers else [""]:
            paths[name] = path
    return paths


class ControlGroup:
    """One sandbox's control group (a folder per hierarchy); ``join`` is called in the sandbox's first process."""

    def __init__(self, folders: dict, version: int):
        self.folders = folders  # controller -> folder (v2: {"": folder})
        self.version = version

    def join_files(self) -> list[str]:
        """The files a process writes its pid into to enter the group (opened before fork, written after)."""
        return [str(folder / "cgroup.procs") for folder in self.folders.values()]

    def pids(self) -> list[int]:
        found = set()
        for folder in self.folders.values():
            try:
                found |= {int(p) for p in (folder / "cgroup.procs").read_text().split()}
            except OSError:
                pass
        return sorted(found)

    def memory_events(self) -> int:
        """How often the group hit its memory cap (the out-of-memory killer acted inside it)."""
        folder = self.folders.get("memory" if self.version == 1 else "")
        try:
            text = (folder / ("memory.events" if self.version == 2 else "memory.oom_control")).read_text()
        except (OSError, TypeError):
            return 0
        for line in text.splitlines():
            if line.startswith("oom_kill "):
                return int(line.split()[1])
        return 0

    def remove(self) -> None:
        """End every process left in the group, then remove it."""
        for attempt in range(50):
            if self.version == 2:
                kill = self.folders[""] / "cgroup.kill"
                if kill.exists():
                    try:
                        kill.write_text("1")
                    except OSError:
                        pass
            left = self.pids()
            for pid in left:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            if not left:
                break
            time.sleep(0.05)
        for folder in self.folders.values():
            for _ in range(50):
                try:
                    folder.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.05)


def _write(path: Path, value) -> bool:
    try:
        path.write_text(str(value))
        return True
    except OSError:
        return False


def create(memory_bytes: int, processes: int, cpu_cores: float = 1.0, root: Path = ROOT) -> ControlGroup | None:
    """A new control group with these caps, or None where control groups cannot be used here."""
    name = f"course-grade-{secrets.token_hex(6)}"
    try:
        own = _own_paths(root)
    except OSError:
        return None
    if (root / "cgroup.controllers").exists():  # cgroup v2
        parent = root / own.get("", "/").lstrip("/")
        delegated = set((parent / "cgroup.subtree_control").read_text().split()) \
            if (parent / "cgroup.subtree_control").exists() else set()
        if not {"cpu", "memory", "pids"} <= delegated:
            return None
        folder = parent / name
        try:
            folder.mkdir()
        except OSError:
            return None
        group = ControlGroup({"": folder}, 2)
        period = 100_000
        ok = (_write(folder / "cpu.weight", 100) and _write(folder / "cpu.max", f"{int(cpu_cores * period)} {period}")
              and _write(folder / "memory.max", memory_bytes) and _write(folder / "pids.max", processes))
        _write(folder / "memory.swap.max", 0)
        if not ok:
            group.remove()
            return None
        return group
    if not all((root / c / "cgroup.procs").exists() for c in V1_CONTROLLERS):  # cgroup v1
        return None
    folders = {}
    for controller in V1_CONTROLLERS:
        folder = root / controller / own.get(controller, "/").lstrip("/") / name
        try:
            folder.mkdir()
        except OSError:
            ControlGroup(folders, 1).remove()
            return None
        folders[controller] = folder
    group = ControlGroup(folders, 1)
    cpu, memory = folders["cpu"], folders["memory"]
    ok = (_write(cpu / "cpu.shares", 1024) and _write(cpu / "cpu.cfs_period_us", 100_000)
          and _write(cpu / "cpu.cfs_quota_us", int(cpu_cores * 100_000))
          and _write(memory / "memory.limit_in_bytes", memory_bytes)
          and _write(folders["pids"] / "pids.max", processes))
    if (memory / "memory.memsw.limit_in_bytes").exists():
        _write(memory / "memory.memsw.limit_in_bytes", memory_bytes)
    if not ok:
        group.remove()
        return None
    return group
