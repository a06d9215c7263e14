"""An IPython kernel inside an OS sandbox (bubblewrap), for one submission.

The kernel that runs a student's notebook sees:

* a read-only system and Python environment;
* its own writable folder (a size-limited tmpfs: its private ``/tmp``,
  holding its working folder and HOME) with read-only copies of the
  assignment's ``utils/`` and ``data/``;
* nothing of the course directory (source/, release/, submitted/,
  autograded/, gradebook.db, nbgrader_config.py), the course repository
  (the exercise definitions and their hidden cases), other students' work,
  or the instructor's HOME: each of these paths is covered by an empty
  tmpfs;
* no network, its own PID namespace (it cannot signal the grader), no
  capabilities, and limits on memory, processes, file size and CPU time;
* where control groups can be used (see ``cgroups``), a group of its own:
  the same CPU share as every other sandbox, at most one core, and one cap
  on the memory and processes of all its processes together.

The grader talks to the kernel over local (ipc) sockets in a folder it
shares with the sandbox and nothing else. Where bubblewrap cannot start,
:class:`SandboxUnavailable` says how to install it; grading never silently
falls back to an unsandboxed kernel (``--no-sandbox`` is an explicit,
loudly named opt-out for trusted local use).
"""
from __future__ import annotations

import json
import os
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

INSIDE = "/tmp/submission"  # the submission's folder as the kernel sees it (inside its private /tmp)
INSTALL_HINT = ("Install bubblewrap (Debian/Ubuntu: `apt-get install bubblewrap`; Fedora: `dnf install bubblewrap`). "
                "On a JupyterHub server, install it in the image that runs the grader. If unprivileged user "
                "namespaces are disabled (sysctl kernel.unprivileged_userns_clone=0), enable them or run the "
                "grader as root. For trusted local use only, `--no-sandbox` grades without isolation.")


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot create its namespaces here."""


@dataclass(frozen=True)
class Limits:
    """What one submission's kernel may use."""

    memory_bytes: int = 4 * 1024 ** 3  # address space of each process
    processes: int = 256  # processes of the sandbox user at once
    file_bytes: int = 64 * 1024 ** 2  # the largest file it may write
    disk_bytes: int = 256 * 1024 ** 2  # its writable folder (tmpfs) in all
    cpu_seconds: int = 900  # CPU time of each process
    scratch_bytes: int = 16 * 1024 ** 2  # each of /dev/shm, /run and /var/tmp (tmpfs)
    total_memory_bytes: int = 4 * 1024 ** 3  # all its processes together (control group)
    cpu_cores: float = 1.0  # at most this much CPU at once (control group)
    nice: int = 10  # scheduling priority below the grader's own


@dataclass
class SandboxConfig:
    """Where things are. ``hidden``: host paths the kernel must not see (made empty)."""

    assignment_dir: Path  # source/<lesson>/ of the course: utils/ and data/ are taken from here
    hidden: list = field(default_factory=list)
    limits: Limits = field(default_factory=Limits)
    isolate: bool = True  # False only with --no-sandbox (trusted local use)


def check_available() -> None:
    """Raise SandboxUnavailable (with install instructions) unless bubblewrap works here."""
    if shutil.which("bwrap") is None:
        raise SandboxUnavailable("The grader runs every submission in a sandbox, and bubblewrap (`bwrap`) is not "
                                 "installed. " + INSTALL_HINT)
    probe = subprocess.run(["bwrap"] + _namespace_options()
                           + ["--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "--"]
                           + _as_sandbox_user(["true"], _sandbox_user()),
                           capture_output=True, text=True, timeout=30)
    if probe.returncode != 0:
        raise SandboxUnavailable(f"bubblewrap is installed but cannot create a sandbox here: "
                                 f"{probe.stderr.strip()[:300]}. " + INSTALL_HINT)


SANDBOX_UIDS = range(2_000_000, 3_000_000)  # user ids no account uses: one per sandbox, when grading as root


def _sandbox_user() -> tuple[int, int] | None:
    """(uid, gid) a kernel runs as: a fresh unused id when the grader runs as root, else None (the grader's user).

    Root is exempt from the limit on processes, and one id per sandbox keeps
    one submission's processes from counting against another's. The kernel
    switches to it inside the sandbox (``setpriv``), after the sandbox's
    mounts have made the Python environment reachable.
    """
    if os.geteuid() != 0:
        return None
    uid = SANDBOX_UIDS.start + secrets.randbelow(len(SANDBOX_UIDS))
    return uid, uid


def _namespace_options() -> list[str]:
    """bwrap's namespace options: all of them for a plain user; for root, all but the user namespace
    (root then needs CAP_SETUID/CAP_SETGID, and only those, to become the sandbox's own user)."""
    if os.geteuid() != 0:
        return ["--unshare-all"]
    return ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
            "--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]


def _as_sandbox_user(argv: list[str], user: tuple[int, int] | None) -> list[str]:
    if user is None:
        return argv
    return ["setpriv", f"--reuid={user[0]}", f"--regid={user[1]}", "--clear-groups", "--bounding-set=-all",
            "--inh-caps=-all", "--no-new-privs", "--"] + argv


def _own_process_count(uid: int) -> int:
    count = 0
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    count += 1
            except OSError:
                continue
    return count


def _limits(limits: Limits, user: tuple[int, int] | None, group=None):
    """The function run in the child before bwrap starts: a session of its own, its control group (if any),
    a lower priority and the resource limits."""
    processes = limits.processes + (0 if user else _own_process_count(os.getuid()))
    join = group.join_files() if group is not None else []

    def apply():
        os.setsid()
        for path in join:  # every process it starts stays in the group
            try:
                with open(path, "w") as handle:
                    handle.write(str(os.getpid()))
            except OSError:
                pass
        os.nice(limits.nice)
        for what, value in ((resource.RLIMIT_AS, limits.memory_bytes), (resource.RLIMIT_NPROC, processes),
                            (resource.RLIMIT_FSIZE, limits.file_bytes), (resource.RLIMIT_CPU, limits.cpu_seconds),
                            (resource.RLIMIT_CORE, 0)):
            resource.setrlimit(what, (value, value))

    return apply


def python_paths() -> list[str]:
    """Folders the kernel's Python needs: the interpreter's prefixes and the sys.path entries inside them.

    Other sys.path entries (the grader's working folder, the course
    repository, PYTHONPATH) are not made visible: they may hold the
    exercise definitions.
    """
    prefixes = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    prefixes.add(os.path.dirname(os.path.realpath(sys.executable)))
    inside = {os.path.realpath(p) for p in sys.path if p and os.path.isabs(p) and os.path.exists(p)}
    inside = {p for p in inside if any(p == q or p.startswith(q + os.sep) for q in prefixes)}
    return sorted(prefixes | inside)


def default_hidden(course_dir: Path) -> list[str]:
    """The course directory, the course repository, the grader's HOME and working folder."""
    import instructor

    repo = Path(instructor.__file__).resolve().parent.parent
    candidates = [course_dir, repo, Path.home(), Path.cwd()]
    return sorted({str(Path(p).resolve()) for p in candidates if str(Path(p).resolve()) != "/"})


def bwrap_command(config: SandboxConfig, io_dir: Path, argv: list[str], user=None) -> list[str]:
    """The bubblewrap command line that runs ``argv`` in the sandbox described by ``config``."""
    cmd = ["bwrap"] + _namespace_options() + ["--die-with-parent", "--new-session",
           "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
           ]
    for scratch in ("/var/tmp", "/run", "/dev/shm"):  # size-limited: an unlimited tmpfs would fill the host's memory
        cmd += ["--perms", "1777", "--size", str(config.limits.scratch_bytes), "--tmpfs", scratch]
    # One size-limited tmpfs is all it can write: its own /tmp, with the submission's folder and HOME inside.
    # It comes first, so that a Python environment under the host's /tmp can be bound back below.
    cmd += ["--perms", "1777", "--size", str(config.limits.disk_bytes), "--tmpfs", "/tmp"]
    keep = python_paths()
    hidden = [h for h in config.hidden if os.path.isdir(h) and not (h + "/").startswith("/tmp/")]
    for path in keep:  # a folder the sandbox user could not pass through (e.g. /root, 0700) is hidden too,
        for folder in Path(path).parents:  # and the Python environment inside it is bound back
            if str(folder) not in ("/", "/tmp") and not os.stat(folder).st_mode & 0o001 and str(folder) not in hidden:
                hidden.append(str(folder))
    for path in hidden:  # (anything under /tmp is hidden by the sandbox's own /tmp)
        cmd += ["--tmpfs", path]
    made = set()
    for path in keep:  # the Python environment stays readable even where it sits under a hidden folder
        covering = [h for h in hidden + ["/tmp"] if path == h or path.startswith(h.rstrip("/") + "/")]
        if covering:
            parent = Path(path).parent
            for folder in reversed([parent, *parent.parents]):  # reachable by the sandbox user
                if str(folder).startswith(covering[0].rstrip("/") + "/") and str(folder) not in made:
                    cmd += ["--perms", "0755", "--dir", str(folder)]
                    made.add(str(folder))
            cmd += ["--ro-bind", path, path]
    cmd += ["--perms", "0777", "--dir", INSIDE, "--perms", "0777", "--dir", f"{INSIDE}/home",
            "--bind", str(io_dir), f"{INSIDE}/.io"]
    for name in ("utils", "data"):
        source = config.assignment_dir / name
        if source.is_dir():
            cmd += ["--ro-bind", str(source), str(PurePosixPath(INSIDE, name))]
    environment = {"HOME": f"{INSIDE}/home", "TMPDIR": "/tmp", "IPYTHONDIR": f"{INSIDE}/home/.ipython",
                   "MPLCONFIGDIR": f"{INSIDE}/home/.matplotlib", "JUPYTER_CONFIG_DIR": f"{INSIDE}/home/.jupyter",
                   "JUPYTER_DATA_DIR": f"{INSIDE}/home/.local/share/jupyter",
                   "JUPYTER_RUNTIME_DIR": f"{INSIDE}/home/.runtime", "PYTHONNOUSERSITE": "1",
                   "PYTHONDONTWRITEBYTECODE": "1", "PATH": os.path.dirname(sys.executable) + ":/usr/bin:/bin",
                   "LANG": "C.UTF-8", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
                   "NBGRADER_EXECUTION": "autograde"}
    for key in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if key in os.environ:
            environment[key] = os.environ[key]
    cmd += ["--clearenv"]
    for key, value in environment.items():
        cmd += ["--setenv", key, value]
    cmd += ["--chdir", INSIDE, "--"] + _as_sandbox_user(argv, user)
    return cmd


class SandboxedKernel:
    """A python kernel for one submission; use as a context manager.

    ``client`` is a blocking jupyter_client talking over ipc sockets in a
    private folder. ``stop()`` ends every process of the sandbox.
    """

    def __init__(self, config: SandboxConfig, startup_timeout: float = 60):
        self.config = config
        self.startup_timeout = startup_timeout
        self.io_dir = Path(tempfile.mkdtemp(prefix="course-grade-"))
        self.process: subprocess.Popen | None = None
        self.client = None
        self.uid: int | None = None  # the sandbox's own user id (grading as root)
        self.group = None  # its control group (cgroups.ControlGroup), where they can be used

    def __enter__(self):
        try:
            self.start()
        except BaseException:  # a kernel that did not start leaves no process and no folder behind
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()

    def _connection(self, ip: str, key: str) -> dict:
        return {"transport": "ipc", "ip": ip, "shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4,
                "hb_port": 5, "key": key, "signature_scheme": "hmac-sha256", "kernel_name": "python3"}

    def start(self) -> None:
        from jupyter_client import BlockingKernelClient

        key = secrets.token_hex(16)
        user = _sandbox_user() if self.config.isolate else None
        self.uid = user[0] if user else None
        # Root grading: the folder stays root's; the sandbox user may create its sockets while the kernel starts
        # (0o733) and nothing afterwards (0o711), so it cannot fill the host's disk through it.
        os.chmod(self.io_dir, 0o733 if user is not None else 0o700)
        inside_dir = f"{INSIDE}/.io" if self.config.isolate else str(self.io_dir)
        inside = self._connection(str(PurePosixPath(inside_dir, "kernel")), key)
        (self.io_dir / "kernel.json").write_text(json.dumps(inside))
        os.chmod(self.io_dir / "kernel.json", 0o644)
        argv = [sys.executable, "-m", "ipykernel_launcher", "-f", str(PurePosixPath(inside_dir, "kernel.json")),
                "--HistoryManager.hist_file=:memory:", "--IPKernelApp.parent_handle=0"]
        if self.config.isolate:
            from . import cgroups

            limits = self.config.limits
            self.group = cgroups.create(limits.total_memory_bytes, limits.processes, limits.cpu_cores)
            command, cwd, env = bwrap_command(self.config, self.io_dir, argv, user), None, None
            preexec = _limits(limits, user, self.group)
        else:
            work = self.io_dir / "work"
            work.mkdir()
            for name in ("utils", "data"):
                if (self.config.assignment_dir / name).is_dir():
                    shutil.copytree(self.config.assignment_dir / name, work / name)
            command, cwd, env, preexec = argv, work, {**os.environ, "NBGRADER_EXECUTION": "autograde"}, os.setsid
        # The kernel's own stderr goes to a file (a pipe nobody reads would fill up and block it).
        self._log = open(self.io_dir / "kernel.log", "wb")
        self.process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=self._log, preexec_fn=preexec)
        client = BlockingKernelClient()
        client.load_connection_info(self._connection(str(self.io_dir / "kernel"), key))
        deadline = time.monotonic() + self.startup_timeout
        while not all((self.io_dir / f"kernel-{port}").exists() for port in (1, 2, 4)):
            if self.process.poll() is not None:
                error = (self.io_dir / "kernel.log").read_bytes()[-500:].decode(errors="replace")
                raise SandboxUnavailable(f"the sandboxed kernel did not start: {error.strip()}. " + INSTALL_HINT)
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError("the sandboxed kernel did not start in time")
            time.sleep(0.05)
        if user is not None:
            os.chmod(self.io_dir, 0o711)
        client.start_channels()
        client.wait_for_ready(timeout=max(1.0, deadline - time.monotonic()))
        self.client = client

    def interrupt(self) -> None:
        """Ask the kernel to interrupt the running cell (a message on its control channel)."""
        if self.client is not None:
            message = self.client.session.msg("interrupt_request", {})
            self.client.control_channel.send(message)

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        """End every process of the sandbox (its PID namespace goes with bwrap) and remove the folder."""
        if self.client is not None:
            try:
                self.client.stop_channels()
            except Exception:
                pass
            self.client = None
        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                self.process.kill()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        if self.group is not None:
            self.group.remove()
            self.group = None
        if getattr(self, "_log", None) is not None:
            self._log.close()
        shutil.rmtree(self.io_dir, ignore_errors=True)
