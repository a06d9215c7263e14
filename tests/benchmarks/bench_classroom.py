"""How many learners can one hub serve? A classroom load test.

    python tests/benchmarks/bench_classroom.py            # the full run (15-25 minutes)
    python tests/benchmarks/bench_classroom.py --steps 2 --seconds 10 --output /tmp/out   # a tiny run

A local JupyterHub as in the classroom test (tests/classroom/jupyterhub_config.py,
with the idle culler; tests/benchmarks/classroom_load_config.py adds the driver's
token) serves N students, each with a real single-user server, a kernel and a copy
of the course. Every student runs a lesson top to bottom (06 and 08 in turn) and then
moves its explorers at a human pace: one control step, then a pause of 1-3 s
(random), again and again.

* ``--browser-users`` of them (default 2) are real headless Chromium: they log in on
  the hub's page, open the lesson in JupyterLab, Run All, and press arrow keys on
  the sliders. Each move is timed inside the page, from the keydown to the new figure
  decoded (``armRedraw`` in tests/browser/notebook.js, as in tests/e2e/test_browser.py).
* The others are protocol-level clients: the kernel's websocket through the hub's
  proxy, with the comm messages JupyterLab sends (``update`` of a control's state);
  each move is timed from the message sent to the new image received.

N grows through ``--steps``; students who came earlier keep moving. After each step
has run for ``--seconds``: the Chromium users' median and 95th percentile, the
protocol users' too, each kernel's and each server's memory (RSS and USS), the CPU
of the hub and of the proxy, and the machine's load. The run stops at the first N
whose Chromium p95 exceeds 200 ms, or when less than 1 GiB of memory is left; a
class size is within budget (PASS) when the median is also under 100 ms.

Then everyone leaves (tabs and websockets closed) and the test waits for the idle
culler: kernels nobody shows are stopped after CLASSROOM_CULL_KERNEL seconds, servers
after CLASSROOM_CULL_SERVER; it records the memory the class held before and after.

Writes results.json and results.md to ``--output`` (default tests/benchmarks/classroom/).
Needs what the classroom test needs: jupyterhub and jupyterhub-idle-culler (PyPI),
configurable-http-proxy (npm), libnss-wrapper and chromium (Debian), Playwright.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import posixpath
import random
import secrets
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "e2e")]  # conftest; test_browser, test_classroom
sys.path.insert(0, str(HERE))

LOAD_CONFIG = HERE / "classroom_load_config.py"
BUDGET_MEDIAN, BUDGET_P95 = 0.100, 0.200  # seconds, keydown to new figure decoded
MEMORY_FLOOR = 1024 ** 3  # bytes: stop adding students below this much available memory
LESSONS = ("06_pooling", "08_bias_and_power")
PAUSE = (1.0, 3.0)  # seconds between two moves of one student
MOVE_TIMEOUT = 30.0  # seconds: a move with no new figure by then counts as missed
MIB = 1024 ** 2


# --------------------------------------------------------------------------
# The hub's REST API, as the driver (an instructor's admin token)
# --------------------------------------------------------------------------
class HubAPI:
    def __init__(self, url: str, token: str):
        import requests

        self.url, self._session = url, requests.Session()
        self._session.headers["Authorization"] = f"token {token}"

    def call(self, method: str, path: str, ok=(200, 201, 202, 204), **kwargs):
        response = self._session.request(method, f"{self.url}/hub/api{path}", timeout=60, **kwargs)
        if response.status_code not in ok:
            raise RuntimeError(f"{method} /hub/api{path}: {response.status_code} {response.text[:300]}")
        return response.json() if response.content else None

    def running(self) -> list[str]:
        """The users whose server is running."""
        return [user["name"] for user in self.call("GET", "/users")
                if user.get("servers", {}).get("", {}).get("ready")]

    def start_server(self, name: str, timeout: float = 180) -> None:
        self.call("POST", posixpath.join("/users", name), ok=(201, 409))  # the user (409: already there)
        self.call("POST", posixpath.join("/users", name, "server"), ok=(201, 202, 400))  # 400: already running
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.call("GET", posixpath.join("/users", name)).get("servers", {}).get("", {}).get("ready"):
                return
            time.sleep(0.5)  # the spawner starting the server
        raise RuntimeError(f"{name}'s server did not start within {timeout:g} s")


# --------------------------------------------------------------------------
# A student as JupyterLab's protocol: the kernel websocket and widget comms
# --------------------------------------------------------------------------
def decode_message(raw) -> dict:
    """A kernel message from the websocket: JSON text, or jupyter_server's binary frame with buffers."""
    if isinstance(raw, str):
        return json.loads(raw)
    count = struct.unpack("!I", raw[:4])[0]
    offsets = [*struct.unpack("!" + "I" * count, raw[4:4 * (count + 1)]), len(raw)]
    message = json.loads(raw[offsets[0]:offsets[1]].decode("utf8"))
    message["buffers"] = [raw[a:b] for a, b in zip(offsets[1:-1], offsets[2:])]
    return message


def next_setting(state: dict, direction: int, rng=random) -> tuple[dict, int]:
    """The state change one key press (or click) makes on a control, and the direction after it."""
    model = state["_model_name"]
    if model in ("IntSliderModel", "FloatSliderModel"):
        value = state["value"] + direction * state["step"]
        if not state["min"] <= value <= state["max"]:
            direction = -direction
            value = state["value"] + direction * state["step"]
        value = int(round(value)) if model == "IntSliderModel" else round(value, 10)
        return {"value": value}, direction
    if model == "DropdownModel":
        return {"index": (state["index"] + 1) % len(state["_options_labels"])}, direction
    if model == "CheckboxModel":
        return {"value": not state["value"]}, direction
    if model == "SelectMultipleModel":
        count = len(state["_options_labels"])
        toggled = rng.randrange(count)
        chosen = set(state["index"]) ^ {toggled}  # one option clicked with Ctrl held
        return {"index": sorted(chosen or {(toggled + 1) % count})}, direction
    raise ValueError(f"not a control: {model}")


CONTROLS = ("IntSliderModel", "FloatSliderModel", "DropdownModel", "CheckboxModel", "SelectMultipleModel")


class ProtocolStudent:
    """One student's kernel, driven through the hub's proxy as JupyterLab drives it."""

    def __init__(self, hub_url: str, name: str, token: str, lesson: str, seed: int):
        self.name, self.lesson, self.token = name, lesson, token
        self.base = posixpath.join(hub_url, "user", name)
        self.random = random.Random(seed)
        self.session = uuid.uuid4().hex
        self.models: dict[str, dict] = {}  # widget model id -> its state
        self.cell_of: dict[str, int] = {}  # widget model id -> the cell that made it
        self._cell_of_request: dict[str, int] = {}
        self._replies: dict[str, asyncio.Future] = {}
        self._awaited_image: tuple[set, asyncio.Future] | None = None
        self.moves: list[tuple[float, float | None]] = []  # (time.time(), seconds or None if missed)
        self.errors: list[str] = []

    async def connect(self) -> None:
        import requests
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        headers = {"Authorization": f"token {self.token}"}
        body = {"path": f"lessons/{self.lesson}.ipynb", "type": "notebook", "name": f"{self.lesson}.ipynb",
                "kernel": {"name": "python3"}}
        response = await asyncio.to_thread(requests.post, posixpath.join(self.base, "api", "sessions"), json=body,
                                           headers=headers, timeout=120)
        response.raise_for_status()
        kernel = response.json()["kernel"]["id"]
        url = (posixpath.join(self.base.replace("http", "ws", 1), "api", "kernels", kernel, "channels")
               + f"?session_id={self.session}")
        self.ws = await websocket_connect(HTTPRequest(url, headers=headers), max_message_size=256 * MIB)
        self._reader = asyncio.create_task(self._read())

    def _send(self, channel: str, msg_type: str, content: dict) -> str:
        msg_id = uuid.uuid4().hex
        header = {"msg_id": msg_id, "msg_type": msg_type, "session": self.session, "username": self.name,
                  "date": dt.datetime.now(dt.timezone.utc).isoformat(), "version": "5.3"}
        self.ws.write_message(json.dumps({"header": header, "parent_header": {}, "metadata": {},
                                          "content": content, "channel": channel, "buffers": []}))
        return msg_id

    async def _read(self) -> None:
        while True:
            raw = await self.ws.read_message()
            if raw is None:
                return
            try:
                self._dispatch(decode_message(raw))
            except Exception as exc:  # a message we cannot read: recorded, not fatal
                self.errors.append(f"{type(exc).__name__}: {exc}")

    def _dispatch(self, message: dict) -> None:
        kind, content = message["header"]["msg_type"], message["content"]
        parent = message.get("parent_header", {}).get("msg_id")
        if kind == "comm_open" and content.get("target_name") == "jupyter.widget":
            self.models[content["comm_id"]] = dict(content["data"]["state"])
            self.cell_of[content["comm_id"]] = self._cell_of_request.get(parent, -1)
        elif kind == "comm_msg":
            data, comm = content.get("data", {}), content.get("comm_id")
            if data.get("method") in ("update", "echo_update") and comm in self.models:
                self.models[comm].update(data.get("state", {}))
                waited = self._awaited_image
                if waited and comm in waited[0] and message.get("buffers") and not waited[1].done():
                    waited[1].set_result(time.perf_counter())
        elif kind == "execute_reply" and parent in self._replies:
            self._replies.pop(parent).set_result(content)
        elif kind == "error":
            self.errors.append(f"{content.get('ename')}: {content.get('evalue', '')[:200]}")

    async def run_lesson(self, cells: list[str]) -> None:
        """Run every code cell in order, as Run All does (a failing exercise cell does not stop it)."""
        for index, source in enumerate(cells):
            future = asyncio.get_running_loop().create_future()
            msg_id = self._send("shell", "execute_request", {"code": source, "silent": False, "store_history": True,
                                                             "user_expressions": {}, "allow_stdin": False,
                                                             "stop_on_error": False})
            self._cell_of_request[msg_id], self._replies[msg_id] = index, future
            await asyncio.wait_for(future, timeout=300)

    def explorer_controls(self) -> list[tuple[str, set]]:
        """(control model id, the image model ids of its explorer's cell), for every explorer control."""
        images: dict[int, set] = {}
        for model, state in self.models.items():
            if state.get("_model_name") == "ImageModel":
                images.setdefault(self.cell_of[model], set()).add(model)
        return [(model, images[self.cell_of[model]]) for model, state in self.models.items()
                if state.get("_model_name") in CONTROLS and self.cell_of[model] in images]

    async def keep_moving(self, stop: asyncio.Event) -> None:
        controls = self.explorer_controls()
        if not controls:
            self.errors.append(f"{self.lesson}: no explorer found")
            return
        directions = {model: 1 for model, _ in controls}
        while not stop.is_set():
            model, images = self.random.choice(controls)
            change, directions[model] = next_setting(self.models[model], directions[model], self.random)
            self.models[model].update(change)
            shown = asyncio.get_running_loop().create_future()
            self._awaited_image = (images, shown)
            start = time.perf_counter()
            self._send("shell", "comm_msg", {"comm_id": model, "data": {"method": "update", "state": change,
                                                                         "buffer_paths": []}})
            try:
                seconds = await asyncio.wait_for(shown, timeout=MOVE_TIMEOUT) - start
            except asyncio.TimeoutError:
                seconds = None
            self.moves.append((time.time(), seconds))
            pause = self.random.uniform(*PAUSE) - (time.perf_counter() - start)
            try:
                await asyncio.wait_for(stop.wait(), timeout=max(0.0, pause))
            except asyncio.TimeoutError:
                pass

    async def leave(self) -> None:
        self.ws.close()
        self._reader.cancel()


# --------------------------------------------------------------------------
# A student in Chromium (a process of its own: Playwright's sync API per process)
# --------------------------------------------------------------------------
def browser_student(hub_url: str, name: str, password: str, lesson: str, moves_file: Path, stop_file: Path,
                    seed: int) -> int:
    """Log in, open ``lesson``, Run All, then move explorers until ``stop_file`` exists; one JSON line per move."""
    import pytest
    import test_browser as tb
    from conftest import chromium

    rng = random.Random(seed)
    out = open(moves_file, "a", buffering=1)

    def say(**record):
        out.write(json.dumps(record) + "\n")

    try:
        with chromium(shutil.which("chromium")) as browser:
            context = browser.new_context(viewport=tb.VIEWPORT)
            context.add_init_script(path=str(tb.HELPERS_JS))
            page = context.new_page()
            page.goto(f"{hub_url}/hub/login", wait_until="domcontentloaded")
            page.fill("#username_input", name)
            page.fill("#password_input", password)
            page.click("#login_submit")
            page.wait_for_function("(name) => window.location.pathname.startsWith('/user/' + name + '/lab') && "
                                   "window.jupyterapp && document.querySelector('.jp-LabShell') !== null",
                                   arg=name, timeout=300_000, polling=250)
            page.close()
            server = SimpleNamespace(url=posixpath.join(hub_url, "user", name),
                                     log_tail=lambda lines=20: "(see the hub log)")
            notebook = tb.OpenNotebook(server, context, f"lessons/{lesson}.ipynb")
            notebook.run_all()
            cells = []
            for cell in notebook.call("explorerCells"):
                tag = f"explorer-{cell}"
                notebook.call("tagCell", cell, tag)
                found = notebook.call("explorerControls", cell)
                cells += [(cell, notebook.page.locator(f'[data-course-test="{tag}"]'), control, {})
                          for control in found["controls"] if control["kind"] == "slider"]
            say(event="ready", explorers=len(cells))
            step = 0
            while not stop_file.exists():
                cell, root, control, state = rng.choice(cells)
                start = time.perf_counter()
                notebook.page.evaluate("([p, i, t]) => window.courseTest.armRedraw(p, i, t)",
                                       [notebook.path, cell, MOVE_TIMEOUT * 1000])
                tb._move_control(root, control, step, state)
                outcome = notebook.page.evaluate("() => window.courseTest.redrawn()")
                notebook.page.evaluate("([p, t]) => window.courseTest.whenIdle(p, t)",
                                       [notebook.path, MOVE_TIMEOUT * 1000])
                ms = outcome.get("ms")
                say(t=time.time(), seconds=None if ms is None or outcome.get("timeout") else ms / 1000,
                    error=outcome.get("error", ""))
                step += 1
                time.sleep(max(0.0, rng.uniform(*PAUSE) - (time.perf_counter() - start)))
            context.close()
    except (Exception, pytest.fail.Exception) as exc:
        say(event="error", message=str(exc).strip()[:500] or type(exc).__name__)
        return 1
    finally:
        out.close()
    return 0


# --------------------------------------------------------------------------
# What the machine does meanwhile
# --------------------------------------------------------------------------
def memory_of(root: Path) -> dict:
    """RSS and USS (MiB) of each kernel and each single-user server, and of all the class's processes."""
    import psutil

    kernels, servers, total = [], [], 0.0
    from test_classroom import processes_in

    for pid, command in processes_in(root):  # the hub, its proxy, the servers and kernels: all run in the folder
        try:
            info = psutil.Process(pid).memory_full_info()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        row = {"rss": info.rss / MIB, "uss": info.uss / MIB}
        total += info.uss / MIB
        if "ipykernel_launcher" in command:
            kernels.append(row)
        elif "singleuser" in command:
            servers.append(row)
    return {"kernels": kernels, "servers": servers, "class_uss": total}


class CpuClock:
    """CPU time (as a share of one core) of some processes between start() and share()."""

    def __init__(self, *pids: int):
        import psutil

        self.processes = [psutil.Process(pid) for pid in pids if pid]
        self.start()

    def _used(self) -> float:
        total = 0.0
        for process in self.processes:
            try:
                times = process.cpu_times()
                total += times.user + times.system
            except Exception:  # ended
                pass
        return total

    def start(self) -> None:
        self._then, self._wall = self._used(), time.monotonic()

    def share(self) -> float:
        return (self._used() - self._then) / max(1e-9, time.monotonic() - self._wall)


def _quantiles(seconds: list) -> dict:
    timed = [s for s in seconds if s is not None]
    return {"moves": len(seconds), "missed": len(seconds) - len(timed),
            "median": float(np.median(timed)) if timed else None,
            "p95": float(np.percentile(timed, 95)) if timed else None}


def _read_moves(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


# --------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------
def _code_cells(lesson: str) -> list[str]:
    """The lesson's code cells as a learner's copy has them, magics kept (the kernel runs them)."""
    import nbformat

    notebook = nbformat.read(ROOT / "lessons" / f"{lesson}.ipynb", as_version=4)
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


async def run(args) -> dict:
    import bench_browser
    import test_classroom

    password = test_classroom.PASSWORD  # the test hub's shared password
    token = secrets.token_hex(16)
    steps = sorted(set(args.steps))
    browsers = [f"browser{i + 1}" for i in range(args.browser_users)]
    protocol = [f"student{i + 1:02d}" for i in range(max(0, steps[-1] - len(browsers)))]
    root = Path(tempfile.mkdtemp(prefix="classroom-load-"))
    started = time.time()
    print(f"class folder {root}; steps {steps}; {len(browsers)} in Chromium", flush=True)
    for user in browsers + protocol:  # each student's copy of the course
        home = root / "home" / user
        home.mkdir(parents=True)
        bench_browser._copy(ROOT / "lessons", home)
    settings = {"CLASSROOM_LOAD_TOKEN": token, "CLASSROOM_CULL_SERVER": str(args.cull_server),
                "CLASSROOM_CULL_KERNEL": str(args.cull_kernel), "CLASSROOM_ACTIVITY_EVERY": str(args.activity_every)}
    hub = test_classroom.Hub(root, browsers + protocol, config=LOAD_CONFIG, settings=settings)
    api = HubAPI(hub.url, token)
    stop_file, chromium_runs, students, tasks = root / "everyone-leaves", [], [], []
    stop = asyncio.Event()
    rows, culling, status = [], {}, "measured"
    lesson_cells = {lesson: _code_cells(lesson) for lesson in LESSONS}
    try:
        hub.wait_until_up()
        proxy_pid = int((root / "jupyterhub-proxy.pid").read_text()) if (root / "jupyterhub-proxy.pid").exists() else 0
        for index, name in enumerate(browsers):  # log in and Run All, one after the other
            moves = root / f"{name}.jsonl"
            chromium_runs.append((name, moves, subprocess.Popen(
                [sys.executable, __file__, "--browser-student", name, "--hub", hub.url, "--password", password,
                 "--lesson", LESSONS[index % len(LESSONS)], "--moves-file", str(moves), "--stop-file",
                 str(stop_file), "--seed", str(index)], cwd=ROOT)))
            await _wait_ready(moves, chromium_runs[-1][2], timeout=400)
            print(f"  {name} in Chromium: logged in, {LESSONS[index % len(LESSONS)]} run, moving", flush=True)
        for n in steps:
            while len(browsers) + len(students) < n:
                name = protocol[len(students)]
                lesson = LESSONS[(len(browsers) + len(students)) % len(LESSONS)]
                await asyncio.to_thread(api.start_server, name)
                student = ProtocolStudent(hub.url, name, token, lesson, seed=1000 + len(students))
                await student.connect()
                await student.run_lesson(lesson_cells[lesson])
                students.append(student)
                tasks.append(asyncio.create_task(student.keep_moving(stop)))
            await asyncio.sleep(args.settle)
            hub_cpu, proxy_cpu = CpuClock(hub.process.pid), CpuClock(proxy_pid)
            begin = time.time()
            await asyncio.sleep(args.seconds)
            end = time.time()
            row = _measure(n, root, begin, end, chromium_runs, students, hub_cpu, proxy_cpu)
            rows.append(row)
            print(_progress(row), flush=True)
            failed = [name for name, _, process in chromium_runs if process.poll() is not None]
            if failed:
                status = f"stopped: the Chromium student(s) {failed} ended early (see the .jsonl files in {root})"
                break
            if row["verdict"] not in ("PASS", "MISS (median)"):  # N grows until the p95 or the memory gives out
                status = f"stopped at N = {n}: {row['verdict']}"
                break
        # everyone leaves; the culler gives the memory back
        stop.set()
        stop_file.touch()
        await asyncio.gather(*tasks, return_exceptions=True)
        for student in students:
            await student.leave()
        for _, _, process in chromium_runs:
            await asyncio.to_thread(process.wait, 120)
        culling = await _wait_for_culling(api, root, args)
    finally:
        stop_file.touch()
        for _, _, process in chromium_runs:
            if process.poll() is None:
                process.kill()
        left = hub.stop()
        if args.keep:
            print(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    return {"status": status, "rows": rows, "culling": culling, "left_running": len(left),
            "started": dt.datetime.fromtimestamp(started, dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "minutes": round((time.time() - started) / 60, 1),
            "settings": {"steps": steps, "browser_users": len(browsers), "seconds": args.seconds,
                         "lessons": list(LESSONS), "pause": list(PAUSE), "cull_server": args.cull_server,
                         "cull_kernel": args.cull_kernel, "activity_every": args.activity_every},
            "machine": _machine()}


async def _wait_ready(moves: Path, process, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        events = [m.get("event") for m in _read_moves(moves)]
        if "error" in events or process.poll() is not None:
            raise RuntimeError(f"a Chromium student failed: {_read_moves(moves)[-1:]}")
        if "ready" in events:
            return
        await asyncio.sleep(1)
    raise RuntimeError(f"a Chromium student was not ready within {timeout:g} s")


def _measure(n, root, begin, end, chromium_runs, students, hub_cpu, proxy_cpu) -> dict:
    import psutil

    in_window = [m.get("seconds") for _, path, _ in chromium_runs for m in _read_moves(path)
                 if "t" in m and begin <= m["t"] <= end]
    protocol = [s for student in students for t, s in student.moves if begin <= t <= end]
    memory = memory_of(root)
    kernels = [k["uss"] for k in memory["kernels"]]
    servers = [s["uss"] for s in memory["servers"]]
    browser, clients = _quantiles(in_window), _quantiles(protocol)
    available = psutil.virtual_memory().available
    if browser["median"] is None:
        verdict = "NO MOVES (Chromium)"
    elif available < MEMORY_FLOOR:
        verdict = "MEMORY"
    elif browser["p95"] > BUDGET_P95:
        verdict = "MISS (p95)"
    elif browser["median"] > BUDGET_MEDIAN:
        verdict = "MISS (median)"
    else:
        verdict = "PASS"
    return {"students": n, "browser": browser, "protocol": clients,
            "moves_per_second": round((len(in_window) + len(protocol)) / max(1e-9, end - begin), 2),
            "kernel_uss_mean": float(np.mean(kernels)) if kernels else None,
            "kernel_rss_mean": float(np.mean([k["rss"] for k in memory["kernels"]])) if kernels else None,
            "kernel_uss_max": max(kernels) if kernels else None, "kernels": len(kernels),
            "each_kernel": memory["kernels"], "each_server": memory["servers"],
            "server_uss_mean": float(np.mean(servers)) if servers else None, "class_uss": memory["class_uss"],
            "hub_cpu": hub_cpu.share(), "proxy_cpu": proxy_cpu.share(), "load": list(os.getloadavg()),
            "available_gib": available / 1024 ** 3,
            "errors": sorted({e for student in students for e in student.errors})[:5], "verdict": verdict}


def _progress(row: dict) -> str:
    def ms(x):
        return "-" if x is None else f"{1000 * x:.0f}"

    return (f"  N = {row['students']:3d}: Chromium median {ms(row['browser']['median'])} ms, p95 "
            f"{ms(row['browser']['p95'])} ms; protocol median {ms(row['protocol']['median'])} ms; kernel "
            f"{row['kernel_uss_mean'] or 0:.0f} MiB; load {row['load'][0]:.2f}; {row['verdict']}")


async def _wait_for_culling(api: HubAPI, root: Path, args) -> dict:
    """Memory of the class's processes before the culler acts and after every server it stopped."""
    import psutil

    before, used_before = memory_of(root), psutil.virtual_memory().used
    servers_before = await asyncio.to_thread(api.running)
    start = time.monotonic()
    limit = args.cull_server + 3 * args.activity_every + 120
    kernels_gone = None
    while time.monotonic() - start < limit:
        now = memory_of(root)
        if kernels_gone is None and not now["kernels"]:
            kernels_gone = time.monotonic() - start
        if not await asyncio.to_thread(api.running) and not now["servers"]:
            break
        await asyncio.sleep(2)
    after, used_after = memory_of(root), psutil.virtual_memory().used
    log = (root / "jupyterhub.log").read_text(errors="replace")  # the servers' and the culler's logs too
    return {"culler_stopped_servers": log.count("Culling server"), "kernels_culled": log.count("Culling '"),
            "servers_before": len(servers_before), "servers_after": len(await asyncio.to_thread(api.running)),
            "kernels_before": len(before["kernels"]), "kernels_after": len(after["kernels"]),
            "class_uss_before": before["class_uss"], "class_uss_after": after["class_uss"],
            "machine_used_before_gib": used_before / 1024 ** 3, "machine_used_after_gib": used_after / 1024 ** 3,
            "kernels_culled_after_s": kernels_gone, "servers_culled_after_s": time.monotonic() - start}


def _machine() -> dict:
    import psutil

    packages = {}
    from importlib import metadata

    for name in ("jupyterhub", "jupyterhub-idle-culler", "jupyterlab", "jupyter_server", "ipykernel", "ipywidgets",
                 "matplotlib", "playwright"):
        try:
            packages[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            packages[name] = None
    return {"cores": os.cpu_count(), "memory_gib": round(psutil.virtual_memory().total / 1024 ** 3, 1),
            "platform": platform.platform(), "python": platform.python_version(), "packages": packages}


# --------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------
def markdown(results: dict, command: str) -> str:
    def ms(x):
        return "-" if x is None else f"{1000 * x:.0f}"

    def mib(x):
        return "-" if x is None else f"{x:.0f}"

    s, m = results["settings"], results["machine"]
    lines = [
        "# Classroom load test", "",
        f"Written by `{command}` on {results['started']} ({results['minutes']} min). Generated file: do not edit; "
        "re-run the command.", "",
        f"Machine: {m['cores']} cores, {m['memory_gib']} GiB memory, {m['platform']}; Python {m['python']}; "
        + ", ".join(f"{k} {v}" for k, v in m["packages"].items() if v) + ".", "",
        f"A local JupyterHub (tests/classroom/jupyterhub_config.py) and N students, each with a single-user server "
        f"and a kernel running lesson {' or '.join(s['lessons'])} (in turn), then moving its explorers: one step, a "
        f"pause of {s['pause'][0]:g}-{s['pause'][1]:g} s (random), again. {s['browser_users']} of them in headless "
        "Chromium (keydown to the new figure decoded, timed in the page), the rest through the kernel's websocket "
        "with JupyterLab's widget messages (message sent to image received). Students who came earlier keep "
        f"moving; each N is measured over {s['seconds']} s. Budget: Chromium median under "
        f"{BUDGET_MEDIAN * 1000:.0f} ms and p95 under {BUDGET_P95 * 1000:.0f} ms. Memory: USS (what each process "
        "alone holds; RSS counts shared libraries once per process). Load: the 1-, 5- and 15-minute load "
        "averages at the end of the step; they include the test's own Chromium (about 0.3 cores each).", "",
        f"Status: {results['status']}.", "",
        "| students | Chromium median (ms) | Chromium p95 (ms) | Chromium moves | protocol median (ms) | "
        "protocol p95 (ms) | moves/s | kernel USS mean (MiB) | kernel RSS mean (MiB) | server USS mean (MiB) | "
        "hub CPU (cores) | proxy CPU (cores) | load (1, 5, 15 min) | memory available (GiB) | verdict |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|",
    ]
    for r in results["rows"]:
        b, p = r["browser"], r["protocol"]
        lines.append(
            f"| {r['students']} | {ms(b['median'])} | {ms(b['p95'])} | {b['moves']} | {ms(p['median'])} | "
            f"{ms(p['p95'])} | {r['moves_per_second']:.1f} | {mib(r['kernel_uss_mean'])} | "
            f"{mib(r['kernel_rss_mean'])} | {mib(r['server_uss_mean'])} | {r['hub_cpu']:.2f} | "
            f"{r['proxy_cpu']:.2f} | {', '.join(f'{x:.2f}' for x in r['load'])} | {r['available_gib']:.1f} | "
            f"{r['verdict']} |")
    c = results.get("culling") or {}
    if c:
        lines += ["", "## Culling", "",
                  f"Everyone left (tabs and websockets closed). Kernels nobody shows are stopped after "
                  f"{s['cull_kernel']} s idle (MappingKernelManager.cull_idle_timeout), servers after "
                  f"{s['cull_server']} s (jupyterhub-idle-culler), activity reported every {s['activity_every']} s "
                  "(a real class: 1200 s, 3600 s and 300 s, the defaults of tests/classroom/jupyterhub_config.py).",
                  "",
                  "| | servers | kernels | the class's processes, USS (MiB) | machine's used memory (GiB) |",
                  "|---|---:|---:|---:|---:|",
                  f"| before culling | {c['servers_before']} | {c['kernels_before']} | {c['class_uss_before']:.0f} | "
                  f"{c['machine_used_before_gib']:.2f} |",
                  f"| after culling ({c['servers_culled_after_s']:.0f} s) | {c['servers_after']} | "
                  f"{c['kernels_after']} | {c['class_uss_after']:.0f} | {c['machine_used_after_gib']:.2f} |",
                  "", f"The hub's log: {c['kernels_culled']} kernels stopped as idle by their servers (the first "
                  f"after {c['kernels_culled_after_s'] or 0:.0f} s), {c['culler_stopped_servers']} servers stopped "
                  "by jupyterhub-idle-culler. What stays: the hub and its proxy."]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=lambda text: [int(x) for x in text.split(",")],
                        default=[2, 4, 8, 12, 16, 24, 32, 48], help="class sizes, comma-separated (students in all)")
    parser.add_argument("--browser-users", type=int, default=2, help="students in headless Chromium")
    parser.add_argument("--seconds", type=float, default=60, help="measuring time at each class size")
    parser.add_argument("--settle", type=float, default=5, help="seconds after the newcomers start, before measuring")
    parser.add_argument("--cull-server", type=int, default=90, help="CLASSROOM_CULL_SERVER for this run (seconds)")
    parser.add_argument("--cull-kernel", type=int, default=45, help="CLASSROOM_CULL_KERNEL for this run (seconds)")
    parser.add_argument("--activity-every", type=int, default=10, help="CLASSROOM_ACTIVITY_EVERY for this run")
    parser.add_argument("--output", type=Path, default=HERE / "classroom", help="folder for results.json/.md")
    parser.add_argument("--keep", action="store_true", help="keep the class's folder (logs) afterwards")
    student = parser.add_argument_group("one Chromium student (started by the run itself)")
    student.add_argument("--browser-student")
    student.add_argument("--hub")
    student.add_argument("--password")
    student.add_argument("--lesson")
    student.add_argument("--moves-file", type=Path)
    student.add_argument("--stop-file", type=Path)
    student.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.browser_student:
        return browser_student(args.hub, args.browser_student, args.password, args.lesson, args.moves_file,
                               args.stop_file, args.seed)
    if args.browser_users < 1 or min(args.steps) < args.browser_users:
        parser.error(f"--steps: every class size must be at least --browser-users ({args.browser_users})")
    results = asyncio.run(run(args))
    args.output.mkdir(parents=True, exist_ok=True)
    (args.output / "results.json").write_text(json.dumps(results, indent=1))
    command = "python tests/benchmarks/bench_classroom.py" + ("" if argv is None else " " + " ".join(argv))
    if argv is None and len(sys.argv) > 1:
        command = "python tests/benchmarks/bench_classroom.py " + " ".join(sys.argv[1:])
    (args.output / "results.md").write_text(markdown(results, command))
    print(f"{results['status']}; wrote {args.output / 'results.md'}")
    return 0 if results["rows"] and not results["left_running"] else 1


if __name__ == "__main__":
    sys.exit(main())
