"""Hostile submissions: what a determined student might add to a blank lesson.

Each attack is code put into a blank, released notebook (a cell the student
adds at the end, where it runs after every instructor cell and just before
the grader asks for the answers). None of them answers an exercise, so each
must score 0, and none may change anything outside the attacker's own
graded copy. The code knows the real paths (course directory, the
grader's HOME, the course repository, a classmate's submission), as an
attacker who guessed them would: ``{course}``, ``{home}``, ``{repo}``,
``{victim}``, ``{venv}`` (written ``{course!r}`` etc.) are filled in by the test
with :func:`fill`.

``DAMAGE`` lists the attacks whose harm is visible outside the sandbox; the
test with isolation switched off shows they really do harm there.
"""

FORGE_REPORT = '''
import re
from IPython import get_ipython
from IPython.display import display

def _forge(lines):
    text = "".join(lines)
    if "_course_report(" not in text:
        return lines
    nonce = re.search(r"'nonce': '([0-9a-f]+)'", text).group(1)
    ident = re.search(r"'id': '([^']+)'", text).group(1)
    answer = {ANSWER}
    return ["from IPython.display import display\\n",
            f"display({{'application/vnd.course.report+json': {{'nonce': {nonce!r}, 'id': {ident!r}, "
            f"'answer': {answer!r}}}, 'text/plain': 'ok'}}, raw=True)\\n" * {TIMES}]

get_ipython().input_transformers_cleanup.append(_forge)
'''


def forge(answer: str, times: int = 1) -> str:
    return FORGE_REPORT.replace("{ANSWER}", answer).replace("{TIMES}", str(times))


# A message the grader's client cannot decode, signed with the kernel's own key, sent when the report is asked for.
UNDECODABLE = '''
from IPython import get_ipython
_k = get_ipython().kernel
_s = _k.session
_pack = _s.pack
_s.pack = lambda obj: obj["raw"] if isinstance(obj, dict) and "raw" in obj else _pack(obj)
def _undecodable(lines):
    if "_course_report(" in "".join(lines):
        raw = b'{"data": {"application/vnd.course.report+json": ' + {PAYLOAD} + b', "text/plain": "x"}, "metadata": {}}'
        _s.send(_k.iopub_socket, "display_data", {"raw": raw}, parent=_k.get_parent("shell"))
    return lines
get_ipython().input_transformers_cleanup.append(_undecodable)
'''


ATTACKS = {
    # ---- take points without answering: the checks and their helpers ------------------------------
    "patch_judge": ("import utils.exercises.judging as j\n"
                    "j.judge = lambda spec, answer: j.Verdict('correct', 'ok', score=1.0)"),
    "patch_collect": ("import utils.exercises as e, utils.exercises.answers as a\n"
                      "e.collect = a.collect = "
                      "lambda *args, **kw: {'status': 'answered', 'kind': 'value', 'value': [1]}"),
    "patch_report": ("import utils.exercises as e\n"
                     "e.report = lambda request: print('all correct, 100 points')"),
    "patch_numpy": "import numpy as np\nnp.allclose = np.isclose = lambda *a, **k: True\nnp.array = lambda *a, **k: 0",
    "patch_builtins": "import builtins\nbuiltins.abs = lambda x: 0\nbuiltins.len = lambda x: 0",
    "always_equal": ("class E(float):\n    def __eq__(self, o): return True\n    def __ne__(self, o): return False\n"
                     "    def __float__(self): return float('nan')\n"
                     "sample_sd = lambda *a: E(1)\npercent_negative = E(1)\nanswer_3 = E(1)"),
    "lying_float": ("class Liar:\n    def __float__(self): raise RuntimeError('no')\n    def __array__(self, *a, **k): "
                    "raise RuntimeError('no')\npercent_negative = Liar()"),
    "forge_correct_flag": forge("{'status': 'correct', 'score': 1.0}"),
    "forge_verdict": forge("{'status': 'answered', 'kind': 'function', 'verdict': 'correct', 'cases': []}"),
    "forge_wrong_kind": forge("{'status': 'answered', 'kind': 'sort', 'value': {'a': 'b'}}"),
    "forge_malformed": forge("['not', 'a', 'dict']"),
    "forge_twice": forge("{'status': 'answered', 'kind': 'value', 'value': [0.0]}", times=2),
    "forge_huge": forge("{'status': 'answered', 'kind': 'value', 'value': list(range(100000))}"),
    "forge_nan": forge("{'status': 'answered', 'kind': 'value', 'value': ['nan', 'inf']}"),
    "forge_choice_shape": forge("{'status': 'answered', 'kind': 'choice', 'value': ['b'], 'names_used': 5}"),
    "forge_function_shape": forge("{'status': 'answered', 'kind': 'function', 'cases': [None, 7, {'x': []}]}"),
    "decoder_huge_int": UNDECODABLE.replace("{PAYLOAD}", "b'1' * 5000"),
    "decoder_deep_nesting": UNDECODABLE.replace("{PAYLOAD}", "b'[' * 100000 + b']' * 100000"),
    "fake_report_in_cell": ("from IPython.display import display\n"
                            "for i in ('00.sample_sd', '00.percent_negative', '00.answer_3'):\n"
                            "    display({'application/vnd.course.report+json': {'nonce': 'x', 'id': i, 'answer': "
                            "{'status': 'answered', 'kind': 'value', 'value': [70.588]}}}, raw=True)"),
    "displayhook_partial_credit": "import sys\nsys.displayhook('x')\nsys.displayhook(3.0)",
    "execute_result_in_test": "from IPython.display import display\ndisplay(1.0)\nprint('Correct! 3/3 points')",
    "thread_patches_later": ("import threading, time, utils.exercises as e\n"
                             "def later():\n    time.sleep(0.2)\n    e.report = lambda r: None\n"
                             "threading.Thread(target=later, daemon=True).start()"),
    "sys_modules_swap": ("import sys, types\nfake = types.ModuleType('utils.exercises')\n"
                         "fake.report = lambda r: None\nsys.modules['utils.exercises'] = fake"),
    "delete_utils": ("import sys\nfor name in list(sys.modules):\n    if name.startswith('utils'):\n"
                     "        del sys.modules[name]\nsys.path[:] = []"),
    "post_execute_hook": ("from IPython import get_ipython\n"
                          "get_ipython().events.register('pre_run_cell', lambda info: print('tampering'))"),
    "read_specs_values_wrong": ("import json, glob\nspecs = {}\nfor f in glob.glob('utils/exercises/specs/*.json'):\n"
                                "    specs.update(json.load(open(f))['exercises'])\nprint(len(specs))"),
    "rewrite_specs": ("import json, glob\nfor f in glob.glob('utils/exercises/specs/*.json'):\n"
                      "    open(f, 'w').write('{}')"),
    "rewrite_own_utils": "open('utils/exercises/judging.py', 'a').write('\\nCORRECT = \"wrong\"\\n')",
    "env_grading_detect": ("import os\nif os.environ.get('NBGRADER_EXECUTION'):\n"
                           "    sample_sd = lambda r: 0.0\n    percent_negative = 0.0"),
    # ---- harm others: the course directory, the gradebook, the instructor ----------------------------
    "overwrite_classmate": "open({victim!r}, 'w').write('{}')",
    "delete_classmate": "import shutil\nshutil.rmtree({victim_dir!r})",
    "gradebook_zero": ("import sqlite3\ndb = sqlite3.connect({course!r} + '/gradebook.db')\n"
                       "db.execute('update grade set manual_score = 0')\ndb.commit()"),
    "gradebook_corrupt": "open({course!r} + '/gradebook.db', 'wb').write(b'garbage' * 100)",
    "config_append": ("open({course!r} + '/nbgrader_config.py', 'a').write("
                      "'\\nc.Autograde.autograde_preprocessors = []\\n')"),
    "instructor_code": "open({course!r} + '/instructor/grading/scoring.py', 'a').write('\\nraise SystemExit\\n')",
    "source_utils": "open({course!r} + '/source/00_start_here/utils/exercises/judging.py', 'w').write('')",
    "read_hidden_cases": ("print(open({repo!r} + '/instructor/definitions/lesson00.py').read())\n"
                          "print(open({course!r} + '/instructor/definitions/lesson00.py').read())"),
    "read_class_list": "import os\nprint(os.listdir({course!r} + '/submitted'))",
    "home_startup": ("import os\nos.makedirs({home!r} + '/.ipython/profile_default/startup', exist_ok=True)\n"
                     "open({home!r} + '/.ipython/profile_default/startup/00-evil.py', 'w').write('raise SystemExit')"),
    "own_home_startup": ("import os\np = os.path.expanduser('~/.ipython/profile_default/startup')\n"
                         "os.makedirs(p, exist_ok=True)\nopen(p + '/00-evil.py', 'w').write('raise SystemExit')"),
    "jupyter_config": ("import os\nos.makedirs({home!r} + '/.jupyter', exist_ok=True)\n"
                       "open({home!r} + '/.jupyter/jupyter_config.py', 'w').write('raise SystemExit')"),
    "venv_write": "open({venv!r} + '/lib/sitecustomize.py', 'w').write('raise SystemExit')",
    "kill_grader": "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\nos.kill(1, signal.SIGKILL)",
    "kill_everything": "import os, signal\nos.kill(-1, signal.SIGKILL)",
    "tmp_sockets": ("import glob, os\nfor f in glob.glob('/tmp/course-grade-*/*'):\n    os.remove(f)\n"
                    "print(os.listdir('/tmp'))"),
    "network": "import socket\nsocket.create_connection(('127.0.0.1', 22), timeout=2)",
    "proc_snoop": ("import os\nprint([p for p in os.listdir('/proc') if p.isdigit()])\n"
                   "print(open('/proc/1/cmdline').read())"),
    "daemon_survives": ("import os, time\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
                        "        time.sleep(60)\n        open({course!r} + '/late.txt', 'w').write('x')\n"
                        "    os._exit(0)"),
    # ---- exhaust the grader ----------------------------------------------------------------------------
    "output_flood": "print('x' * 30_000_000)",
    "many_endless_cells": "while True:\n    pass",  # the test adds this cell 20 times
    "ignore_interrupt": "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass",
    "fork_bomb": ("import os\nfor _ in range(2000):\n    try:\n        if os.fork() == 0:\n            import time\n"
                  "            time.sleep(30)\n            os._exit(0)\n    except OSError:\n        break"),
    "memory_bomb": "blocks = []\nwhile True:\n    blocks.append(bytearray(10**8))",
    "disk_fill": ("i = 0\nwhile True:\n    open(f'/tmp/fill{i}', 'wb').write(b'0' * 10**7)\n    i += 1"),
    "stderr_flood": "import os\nfor _ in range(300):\n    os.write(2, b'e' * 100000)",
    "busy_processes": ("import os\nfor _ in range(48):\n    if os.fork() == 0:\n        while True:\n"
                       "            pass"),
    "scratch_fill": ("for place in ('/dev/shm', '/run', '/var/tmp'):\n    try:\n"
                     "        with open(place + '/fill', 'wb') as f:\n            for _ in range(200):\n"
                     "                f.write(b'0' * 10**7)\n    except OSError as e:\n        print(place, e)"),
    "slow_answer": "import time\ndef sample_sd(r):\n    time.sleep(100)\n    return 1.0",
    "block_alarm": ("import signal, time\nsignal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM])\n"
                    "def sample_sd(r):\n    while True:\n        pass"),
    # ---- harm whoever opens the feedback -------------------------------------------------------------
    "html_output": ("from IPython.display import HTML, Javascript, display\n"
                    "display(HTML('<script>document.title=\"pwned\"</script><img src=x onerror=alert(1)>'))\n"
                    "display(Javascript('alert(1)'))\n"
                    "display({'image/svg+xml': '<svg onload=\"alert(1)\"></svg>'}, raw=True)"),
}

# Attacks written as a markdown cell rather than code.
MARKDOWN_ATTACKS = {
    "markdown_script": "<script>document.title='pwned'</script>\n<img src=x onerror=\"alert('feedback')\">",
    "markdown_javascript_links": ("My answer, [see here](javascript:alert('inline')) and "
                                  "![a figure](javascript:alert('img'))\nand [the reference][r] and ![ref image][i] "
                                  "and [mixed](JaVaScRiPt:alert(1)) and [encoded](jav&#x61;script:alert(2)) and "
                                  "<javascript:alert(3)>.\n\n[r]: javascript:alert('reference')\n"
                                  "[i]: javascript:alert('reference-image')\n"),
}

# Attacks on the notebook's structure (metadata, outputs, cell ids) rather than its code: name -> what they do,
# applied by ``submissions.Lesson.attacked`` (see there).
NOTEBOOK_ATTACKS = ("prefilled_verdicts", "duplicate_check_id", "forged_grading_metadata", "lookalike_grade_id",
                    "inflated_points", "huge_metadata")

# Attacks that, without the sandbox, change files outside the attacker's own graded copy.
# Every attack the first lesson meets.
ALL_ATTACKS = tuple(ATTACKS) + tuple(MARKDOWN_ATTACKS) + NOTEBOOK_ATTACKS

DAMAGE = ("overwrite_classmate", "gradebook_zero", "config_append", "source_utils", "home_startup")


def fill(code: str, paths: dict) -> str:
    """Put the real paths into an attack: ``{course!r}`` becomes the course directory's path as a literal."""
    for name, value in paths.items():
        code = code.replace("{" + name + "!r}", repr(str(value)))
    return code
