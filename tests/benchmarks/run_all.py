"""The course's benchmark: every timing with a budget, as one table.

Run from the repository root (takes a few minutes; add --with-tests for the
full test suite's wall time, which takes several more):

    .venv/bin/python tests/benchmarks/run_all.py [--with-tests] [--only SECTION ...]

Sections and budgets (see BUDGETS):
  notebooks  every solutions/*.ipynb on a fresh kernel (nbclient, cwd solutions/),
             from asking for a kernel to the end of the last cell; and the course
  explorers  in the same kernel, every explorer's controls moved through --values
             settings each; Explorer.last_seconds (control change -> figure shown);
             then in JupyterLab in headless Chromium (tests/benchmarks/bench_browser.py),
             every control moved through --values settings again, each redraw timed
             in the page from the input event to the new figure decoded
             (--no-browser: the kernel side only)
  imports    `import utils`, a typical setup cell's helper imports, and each
             lesson's whole setup cell (magics dropped), in a fresh interpreter, best of 5
  engine     REML fits (tests/benchmarks/bench_engine.py), metafor on the same data
  tests      `python -m pytest tests` wall time (only with --with-tests)

Writes tests/benchmarks/results.json and results.md (or --output DIR). With
--only, the other sections are kept from the previous results.json, each with
the date and load average of its own measurement.
"""
from __future__ import annotations

import argparse
import ast
import datetime as dt
import json
import os
import platform
import re
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import bench_browser  # noqa: E402
import bench_engine  # noqa: E402
import bench_notebooks  # noqa: E402

SECTIONS = ("notebooks", "explorers", "imports", "engine", "tests")
BUDGETS = {  # seconds
    "notebook": 10.0,
    "course": 60.0,
    "explorer_median": 0.100,
    "explorer_p95": 0.200,
    "import": 1.0,
    "engine_100k_three_level": 5.0,
    "tests": 600.0,
}
PACKAGES = ("numpy", "scipy", "pandas", "matplotlib", "ipywidgets", "ipykernel", "nbclient", "statsmodels",
            "nilearn", "nbgrader", "pytest", "jupyterlab", "playwright")
HELPER_IMPORTS = ("import utils", "from utils import meta, plots, exercises")


# --- the machine --------------------------------------------------------------------------------------------

def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    memory = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 2**20:.1f} GiB"
                break
    except OSError:
        pass
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": memory, "os": platform.platform(),
            "python": platform.python_version(), "packages": versions}


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def verdict(value, budget) -> str:
    if value is None or value != value:  # None or NaN: nothing measured
        return "ERROR"
    return "PASS" if value < budget else "MISS"


def progress(iterable, **options):
    from tqdm.auto import tqdm
    return tqdm(iterable, file=sys.stderr, **options)


# --- sections -----------------------------------------------------------------------------------------------

def explorer_verdict(row: dict) -> str:
    """PASS when the median and the 95th percentile are within budget, both in the kernel and in the browser
    (when measured there); ERROR when a redraw failed or nothing was measured."""
    browser = row.get("browser")
    if row["errors"] or (browser and (browser["errors"] or browser["missed"])):
        return "ERROR"
    checks = [verdict(row["median"], BUDGETS["explorer_median"]), verdict(row["p95"], BUDGETS["explorer_p95"])]
    if browser:
        checks += [verdict(browser["median"], BUDGETS["explorer_median"]),
                   verdict(browser["p95"], BUDGETS["explorer_p95"])]
    return "ERROR" if "ERROR" in checks else "PASS" if set(checks) == {"PASS"} else "MISS"


def measure_notebooks(notebooks: list[Path], cwd: Path, values: int) -> tuple[dict, dict]:
    """Run each notebook once; its explorers are moved in the same kernel."""
    nb_rows, ex_rows = [], []
    for path in progress(notebooks, desc="notebooks + explorers", unit="notebook"):
        row = bench_notebooks.run_notebook(path, cwd, values=values)
        for found in row.pop("explorers"):
            found["notebook"] = row["notebook"]
            found["verdict"] = explorer_verdict(found)
            ex_rows.append(found)
        row["verdict"] = "ERROR" if row["error"] else verdict(row["total"], BUDGETS["notebook"])
        nb_rows.append(row)
    totals = [r["total"] for r in nb_rows]
    course = None if any(t is None for t in totals) else sum(totals)
    course_row = {"notebooks": len(nb_rows), "total": course, "verdict": verdict(course, BUDGETS["course"])}
    return {"rows": nb_rows, "course": course_row}, {"rows": ex_rows, "values_per_control": values}


def add_browser(section: dict, measured: dict) -> None:
    """Put each explorer's browser times beside its kernel times (matched by notebook and title)."""
    section["browser_status"] = measured["status"]
    section["browser_measured"], section["browser_load_before"] = measured["started"], measured["load_before"]
    section["browser_load_after"] = measured["load_after"]
    unmatched = []
    for found in measured["rows"]:
        same = [r for r in section["rows"] if r["notebook"] == found["notebook"] and "browser" not in r
                and (r.get("title") or "") == found["explorer"]]
        if same:
            same[0]["browser"] = found
            same[0]["verdict"] = explorer_verdict(same[0])
        else:
            unmatched.append(found)
    for found in unmatched:  # seen in the browser only (or not measured at all there): its own row
        section["rows"].append({"notebook": found["notebook"], "explorer": found["explorer"],
                                "title": found["explorer"],
                                "errors": [], "stalled": [], "updates": 0, "median": float("nan"),
                                "p95": float("nan"), "max": float("nan"), "draw_only_median": None, "load": None,
                                "browser": found, "verdict": "ERROR"})


def measure_browser(notebooks: list[Path], folder: Path, values: int) -> dict:
    started, before = now(), load()
    measured = bench_browser.run(notebooks, folder, values, progress=progress)
    return {**measured, "started": started, "load_before": before, "load_after": load()}


def setup_code(notebook: Path) -> str:
    """A notebook's first code cell, magics dropped, one statement a line: its imports and whatever else it
    runs (constants, imports deferred with utils.lazy), all of which the learner waits for."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    cell = next((c for c in nb.cells if c.cell_type == "code"), None)
    if cell is None:
        return ""
    source = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
    return "\n".join(ast.unparse(node) for node in ast.parse(source).body)


def _imports_utils(node) -> bool:
    if isinstance(node, ast.ImportFrom):
        return not node.level and (node.module or "").split(".")[0] == "utils"
    return isinstance(node, ast.Import) and any(a.name.split(".")[0] == "utils" for a in node.names)


def without_utils(statements: str) -> str:
    """The statements without those importing from utils, nor those using a name such an import binds."""
    bound, kept = set(), []
    for node in ast.parse(statements).body:
        if _imports_utils(node):
            bound |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif not bound & {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}:
            kept.append(ast.unparse(node))
    return "\n".join(kept)


def libraries_of(modules, seen=None) -> list[str]:
    """The top-level imports of other libraries in utils/<module>.py, following imports inside utils.

    ``from utils import meta, plots`` without utils' own code: what those modules
    cost by themselves is the cost of these statements.
    """
    seen = set() if seen is None else seen
    statements = []
    for module in modules:
        if module in seen or not (ROOT / "utils" / f"{module}.py").exists():
            continue
        seen.add(module)
        tree = ast.parse((ROOT / "utils" / f"{module}.py").read_text())
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").split(".")[0] == "utils"):
                inner = [a.name for a in node.names] if node.module in (None, "utils") else [node.module.split(".")[-1]]
                statements += libraries_of(inner, seen)
            elif isinstance(node, ast.Import) or (isinstance(node, ast.ImportFrom) and node.module != "__future__"):
                statements.append(ast.unparse(node))
    return list(dict.fromkeys(statements))


def helper_baseline(statement: str) -> str:
    """``from utils import a, b`` -> the other libraries a and b import (see libraries_of)."""
    match = re.match(r"from\s+utils\s+import\s+(.+)", statement)
    if not match:
        return ""
    return "\n".join(libraries_of([name.split(" as ")[0].strip() for name in match.group(1).split(",")]))


IMPORT_TIMER = ("import time\nexec({before!r})\n_t = time.perf_counter()\nexec({code!r})\n"
                "print(time.perf_counter() - _t)\n")


def import_seconds(statements: str, cwd: Path, repeats: int, before: str = "") -> float:
    """Best-of-``repeats`` time of ``statements`` in a fresh interpreter (its start-up not counted).

    ``before`` runs first, untimed: with the other libraries imported there,
    the time is what the statements add on top of them.
    """
    best = float("inf")
    env = {**os.environ, "MPLBACKEND": "Agg"}
    for _ in range(repeats):
        done = subprocess.run([sys.executable, "-c", IMPORT_TIMER.format(before=before, code=statements)], cwd=cwd,
                              env=env, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{statements!r} failed:\n{done.stderr[-2000:]}")
        best = min(best, float(done.stdout.strip().splitlines()[-1]))
    return best


def measure_imports(notebooks: list[Path], cwd: Path, repeats: int) -> dict:
    """Helper imports alone, then each lesson's setup cell; each also after its other libraries (utils' share)."""
    jobs = [(statement, statement, helper_baseline(statement) or None) for statement in HELPER_IMPORTS]
    for path in notebooks:
        statements = setup_code(path)
        if statements:
            jobs.append((f"setup cell of {path.stem}", statements, without_utils(statements)))
    rows = []
    for label, statements, others in progress(jobs, desc="imports", unit="import"):
        try:
            seconds = import_seconds(statements, cwd, repeats)
            share = import_seconds(statements, cwd, repeats, before=others) if others else None
            error = None
        except RuntimeError as exc:  # a set-up cell that fails: reported, not fatal
            seconds, share, error = None, None, str(exc).strip().splitlines()[-1][:200]
        rows.append({"import": label, "statements": statements, "seconds": seconds, "other_libraries": others,
                     "utils_share": share, "error": error,
                     "verdict": "ERROR" if error else verdict(seconds, BUDGETS["import"])})
    return {"rows": rows, "repeats": repeats}


def measure_engine(cases, with_r: bool, repeats: int | None, r_timeout: float, rscript_path=None) -> dict:
    rows = []
    for case in progress(cases, desc="engine", unit="fit"):
        seconds, estimates = bench_engine.python_seconds(case, repeats)
        r = (bench_engine.r_seconds(case, repeats or 3, r_timeout, rscript_path) if with_r
             else {"status": "R not timed (--no-r)"})
        budget = BUDGETS["engine_100k_three_level"] if (case.study is not None and case.k >= 100_000) else None
        rows.append({"model": case.model, "data": case.data, "k": case.k, "seconds": seconds,
                     "estimates": estimates, "r": r,
                     "ratio": r["seconds"] / seconds if "seconds" in r and seconds > 0 else None,
                     "budget": budget, "verdict": verdict(seconds, budget) if budget else "-"})
    return {"rows": rows}


def measure_tests(command: list[str]) -> dict:
    """Wall time of the full test command, with a progress bar fed by pytest's -q progress dots."""
    collected = subprocess.run(command + ["--collect-only", "-q"], cwd=ROOT, capture_output=True, text=True)
    match = re.search(r"(\d+) tests? collected", collected.stdout)
    total = int(match.group(1)) if match else None
    start = time.perf_counter()
    process = subprocess.Popen(command + ["-q", "-rfE"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    lines, line = [], ""
    bar = progress(None, total=total, desc="tests", unit="test")
    for char in iter(lambda: process.stdout.read(1), ""):   # pytest -q prints one character per test
        if char == "\n":
            lines.append(line)
            line = ""
            continue
        if char in ".FEsxX" and re.fullmatch(r"[.FEsxX]*", line):
            bar.update(1)
        line += char
    lines.append(line)
    process.wait()
    bar.close()
    seconds = time.perf_counter() - start
    summary = next((ln.strip(" =\n") for ln in reversed(lines) if re.search(r"\d+ (passed|failed|error)", ln)),
                   "no summary")
    failures = [ln.strip()[:200] for ln in lines if ln.startswith(("FAILED ", "ERROR "))]
    return {"command": " ".join(["python"] + command[1:]), "seconds": seconds, "returncode": process.returncode,
            "summary": summary, "failures": failures, "collected": total,
            "verdict": "ERROR" if process.returncode else verdict(seconds, BUDGETS["tests"])}


# --- the table ----------------------------------------------------------------------------------------------

def _s(value, digits=2):
    return "-" if value is None or value != value else f"{value:.{digits}f}"


def _ms(value):
    return "-" if value is None or value != value else f"{1000 * value:.0f}"


def render(results: dict) -> str:
    m = results["machine"]
    packages = ", ".join(f"{k} {v}" for k, v in m["packages"].items())
    out = ["# Benchmark results", "",
           f"Written by `{results['command']}` on {results['written']}. "
           "Generated file: do not edit; re-run the command.", "",
           f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']} memory, {m['os']}; Python {m['python']}; "
           f"{packages}.", ""]
    sections = results["sections"]

    def when(name):
        s = sections[name]
        return (f"Measured {s['measured']}; load average (1, 5, 15 min) {s['load_before']} before, "
                f"{s['load_after']} after.")

    if "notebooks" in sections:
        s = sections["notebooks"]
        out += ["## Solution notebooks on a fresh kernel", "",
                f"nbclient, working directory solutions/; total = kernel start + all cells. Budget: each notebook "
                f"under {BUDGETS['notebook']:.0f} s, the course under {BUDGETS['course']:.0f} s. {when('notebooks')}",
                "", "| notebook | kernel start (s) | cells (s) | total (s) | verdict |", "|---|---:|---:|---:|---|"]
        for r in s["rows"]:
            extra = f" ({r['error']})" if r["error"] else ""
            out.append(f"| {r['notebook']} | {_s(r['kernel_start'])} | {_s(r['cells'])} | {_s(r['total'])} | "
                       f"{r['verdict']}{extra} |")
        c = s["course"]
        out += [f"| **course ({c['notebooks']} notebooks)** | | | **{_s(c['total'])}** | **{c['verdict']}** |", ""]
    if "explorers" in sections:
        s = sections["explorers"]
        browser_note = (f"In the browser (JupyterLab {results['machine']['packages'].get('jupyterlab', '?')}, "
                        f"headless Chromium, tests/benchmarks/bench_browser.py): {s['browser_status']}; measured "
                        f"{s['browser_measured']}, load average {s['browser_load_before']} before, "
                        f"{s['browser_load_after']} after." if s.get("browser_status") else
                        "In the browser: not measured (--no-browser).")
        out += ["## Explorers: control change to redrawn figure", "",
                f"Each control moved through {s['values_per_control']} settings. Kernel: in the notebook's own "
                f"kernel (nbclient), Explorer.last_seconds after each redraw (draw() and the image sent). "
                f"Browser: from the control's input event (a key press on a slider, a choice in a list) to the "
                f"new figure in the page and decoded, timed inside the page. Budget: median under "
                f"{_ms(BUDGETS['explorer_median'])} ms, 95th percentile under {_ms(BUDGETS['explorer_p95'])} ms, "
                f"in the kernel and in the browser. Kernel side {when('explorers')} {browser_note} \"load\": the "
                f"1-minute load average of the machine ({results['machine']['cores']} cores) just after that "
                f"explorer was measured; in the browser it includes the benchmark's own JupyterLab, kernel and "
                f"Chromium (about 2 on an idle machine), so \"others\" gives the cores that other people's "
                f"processes used while that explorer was moved (from /proc).", "",
                "\"draw() alone\" is the median of the explorer's own draw function (5 calls at the last settings), "
                "without rendering the figure.", "",
                "| notebook | explorer | kernel median (ms) | kernel p95 (ms) | load | browser median (ms) | "
                "browser p95 (ms) | load | others (cores) | draw() alone (ms) | verdict |",
                "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
        for r in s["rows"]:
            name = (r.get("title") or r["explorer"]).replace("|", "/")
            b = r.get("browser") or {}
            extra = f" ({len(r['errors'])} draw errors: {r['errors'][0][:80]})" if r["errors"] else ""
            if r.get("stalled"):
                extra += f" (no reply while moving {', '.join(r['stalled'])}: not counted)"
            if b.get("errors"):
                extra += f" (browser: {b['errors'][0][:80]})"
            if b.get("missed"):
                extra += f" (browser: {b['missed']} of {b['moves']} moves not redrawn)"
            load_k = "-" if r.get("load") is None else f"{r['load']:.2f}"
            load_b = "-" if b.get("load") is None else f"{b['load']:.2f}"
            others = "-" if b.get("others") is None else f"{b['others']:.2f}"
            out.append(f"| {r['notebook']} | {name} | {_ms(r['median'])} | {_ms(r['p95'])} | {load_k} | "
                       f"{_ms(b.get('median'))} | {_ms(b.get('p95'))} | {load_b} | {others} | "
                       f"{_ms(r.get('draw_only_median'))} | {r['verdict']}{extra} |")
        out.append("")
    if "imports" in sections:
        s = sections["imports"]
        out += ["## Imports in a fresh interpreter", "",
                f"Best of {s['repeats']}, working directory solutions/, interpreter start-up not counted. "
                f"\"utils' share\": the same imports timed after the other libraries they need were imported "
                f"(for a setup cell, its lines that do not import from utils; for `from utils import ...`, the "
                f"top-level imports of other libraries in those modules), i.e. what utils adds. Budget: under "
                f"{BUDGETS['import']:.0f} s. {when('imports')}", "",
                "| import | seconds | utils' share (s) | verdict |", "|---|---:|---:|---|"]
        for r in s["rows"]:
            label = r["import"] if r["import"].startswith("setup cell") else f"`{r['import']}`"
            extra = f" ({r['error']})" if r.get("error") else ""
            out.append(f"| {label} | {_s(r['seconds'])} | {_s(r.get('utils_share'))} | {r['verdict']}{extra} |")
        out.append("")
    if "engine" in sections:
        s = sections["engine"]
        r_versions = {f"{r['r']['r_version']}, metafor {r['r']['metafor']}" for r in s["rows"] if "r_version" in r["r"]}
        out += ["## Engine: REML fits, and metafor on the same data", "",
                f"Best of a few repeats; metafor timed inside R around the fit only "
                f"({'; '.join(sorted(r_versions)) or 'R not used'}). Budget: the three-level model with 100,000 "
                f"outcomes under {BUDGETS['engine_100k_three_level']:.0f} s. {when('engine')}", "",
                "| model | data | Python (s) | metafor (s) | metafor / Python "
                "| estimates (Python; metafor) | verdict |",
                "|---|---|---:|---:|---:|---|---|"]
        for r in s["rows"]:
            rr = r["r"]
            r_time = _s(rr["seconds"], 3) if "seconds" in rr else rr["status"]
            ratio = f"{r['ratio']:.0f}x" if r["ratio"] and r["ratio"] >= 10 else _s(r["ratio"], 1)
            estimates = r["estimates"] + (f"; {rr['estimates']}" if "estimates" in rr else "")
            out.append(f"| {r['model']} | {r['data']} | {_s(r['seconds'], 3)} | {r_time} | {ratio} | {estimates} | "
                       f"{r['verdict']} |")
        out.append("")
    if "tests" in sections:
        s = sections["tests"]
        out += ["## Full test suite", "", f"Budget: under {BUDGETS['tests'] / 60:.0f} minutes. {when('tests')}", "",
                "| command | wall time (s) | result | verdict |", "|---|---:|---|---|",
                f"| `{s['command']}` | {_s(s['seconds'], 0)} | {s['summary']} | {s['verdict']} |", ""]
        out += [f"- {failure}" for failure in s.get("failures", [])] + ([""] if s.get("failures") else [])
    misses = summary_of_misses(results)
    out += ["## Budgets missed", ""] + ([f"- {m}" for m in misses] or ["None."]) + [""]
    return "\n".join(out)


def summary_of_misses(results: dict) -> list[str]:
    misses = []
    sections = results["sections"]
    for r in sections.get("notebooks", {}).get("rows", []):
        if r["verdict"] != "PASS":
            misses.append(f"notebook {r['notebook']}: {r['verdict']} ({_s(r['total'])} s; {r['error'] or ''})")
    course = sections.get("notebooks", {}).get("course")
    if course and course["verdict"] != "PASS":
        misses.append(f"course: {_s(course['total'])} s")
    for r in sections.get("explorers", {}).get("rows", []):
        if r["verdict"] != "PASS":
            b = r.get("browser") or {}
            misses.append(f"explorer in {r['notebook']} ({r.get('title') or r['explorer']}): kernel median "
                          f"{_ms(r['median'])} ms, p95 {_ms(r['p95'])} ms; browser median {_ms(b.get('median'))} ms, "
                          f"p95 {_ms(b.get('p95'))} ms (its draw() alone {_ms(r.get('draw_only_median'))} ms)")
    for r in sections.get("imports", {}).get("rows", []):
        if r["verdict"] != "PASS":
            misses.append(f"{r['import']}: {_s(r['seconds'])} s"
                          + (f" (utils' share {_s(r['utils_share'])} s)" if r.get("utils_share") is not None else ""))
    for r in sections.get("engine", {}).get("rows", []):
        if r["verdict"] not in ("PASS", "-"):
            misses.append(f"{r['model']} {r['data']}: {_s(r['seconds'], 3)} s")
    t = sections.get("tests")
    if t and t["verdict"] != "PASS":
        misses.append(f"test suite: {_s(t['seconds'], 0)} s, {t['summary']}")
    return misses


# --- command line -------------------------------------------------------------------------------------------

def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--with-tests", action="store_true", help="also time the full test suite (minutes)")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, help="measure only these sections")
    parser.add_argument("--solutions", type=Path, default=ROOT / "solutions",
                        help="folder of notebooks to run (and the kernels' working directory)")
    parser.add_argument("--values", type=int, default=20, help="settings per explorer control")
    parser.add_argument("--no-browser", action="store_true",
                        help="time the explorers in the kernel only, not in JupyterLab in Chromium")
    parser.add_argument("--import-repeats", type=int, default=5)
    parser.add_argument("--no-r", action="store_true", help="do not time metafor")
    parser.add_argument("--rscript", default=None, help="path of Rscript (default: found on PATH)")
    parser.add_argument("--r-timeout", type=float, default=180.0, help="seconds before an R fit is stopped")
    parser.add_argument("--quick", action="store_true",
                        help="tiny sizes (engine k = 10, 100 and 56, 200; 3 settings per control; 1 repeat)")
    parser.add_argument("--output", type=Path, default=HERE, help="folder for results.json and results.md")
    args = parser.parse_args(argv)

    wanted = list(args.only) if args.only else [s for s in SECTIONS if s != "tests" or args.with_tests]
    if args.quick:
        args.values, args.import_repeats = min(args.values, 3), 1
    notebooks = sorted(args.solutions.glob("*.ipynb"))
    json_path, md_path = args.output / "results.json", args.output / "results.md"
    previous = json.loads(json_path.read_text()) if (args.only and json_path.exists()) else {}
    results = {"command": " ".join([".venv/bin/python", "tests/benchmarks/run_all.py", *(argv or sys.argv[1:])]),
               "written": now(), "machine": machine(), "budgets_seconds": BUDGETS,
               "sections": dict(previous.get("sections", {}))}

    def record(name, measured, started, load_before):
        measured.update(measured=started, load_before=load_before, load_after=load())
        results["sections"][name] = measured

    if "notebooks" in wanted or "explorers" in wanted:
        started, before = now(), load()
        nb_section, ex_section = measure_notebooks(notebooks, args.solutions,
                                                   args.values if "explorers" in wanted else 0)
        if "notebooks" in wanted:
            record("notebooks", nb_section, started, before)
        if "explorers" in wanted:
            record("explorers", ex_section, started, before)
            if not args.no_browser:
                add_browser(ex_section, measure_browser(notebooks, args.solutions, args.values))
    if "imports" in wanted:
        started, before = now(), load()
        record("imports", measure_imports(notebooks, args.solutions, args.import_repeats), started, before)
    if "engine" in wanted:
        started, before = now(), load()
        cases = bench_engine.cases((10, 100), (56, 200)) if args.quick else bench_engine.cases()
        record("engine", measure_engine(cases, not args.no_r, 1 if args.quick else None, args.r_timeout,
                                        args.rscript), started, before)
    if "tests" in wanted:
        started, before = now(), load()
        record("tests", measure_tests([sys.executable, "-m", "pytest", "tests", "-p", "no:cacheprovider"]),
               started, before)

    text = render(results)
    args.output.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(results, indent=1) + "\n")
    md_path.write_text(text)
    print(text)
    print(f"written: {json_path} and {md_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
