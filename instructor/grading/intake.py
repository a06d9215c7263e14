"""What the instructor's tools take in from students: checked before anything reads it.

A student controls the names, files and links in their own submission, so
before nbgrader copies or reads a submission (as the instructor, who can
read the gradebook, the exercise definitions and every classmate's work):

* a student id must be a plain name (letters, digits, ``.``, ``_``, ``@``,
  ``-``): never a glob pattern such as ``*`` (nbgrader would match the whole
  class with it) and never HTML (the Formgrader shows ids in its pages);
* a submission holds only real folders and regular files: no symbolic
  links (to a classmate's notebook, or to the gradebook: nbgrader's copy
  follows links), no hard links, no pipes or devices;
* an entry in nbgrader's exchange (``inbound/<student>+<lesson>+<time>+<random>``)
  must be owned by the student it names (unless the hub runs every user as
  one shared account), be dated no later than now, and hold its
  ``timestamp.txt`` and ``submission_secret.txt``.

``SafeExchangeCollect`` and ``SafeExchangeReleaseFeedback`` are nbgrader
exchange plugins (set in the course's nbgrader_config.py) that apply these
rules: collect refuses a bad entry, says so in its log (``REFUSED ...``),
and still collects everyone else; release_feedback skips a student whose
feedback cannot be released and releases the rest. :func:`guard_autograde`
makes nbgrader's autograder refuse a submission with links before it
copies anything.
"""
from __future__ import annotations

import datetime
import os
import re
import shutil
import stat
from pathlib import Path

STUDENT_ID = re.compile(r"[^\W_][\w.@-]{0,99}")  # letters, digits, . _ @ -; a letter or digit first
SECRET = re.compile(r"[0-9a-fA-F]{32,512}")  # nbgrader's submit writes secrets.token_hex(64)
FUTURE_SLACK = datetime.timedelta(minutes=10)  # clocks of the hub's machines may differ a little


def id_problem(student: str) -> str:
    """Why ``student`` is not acceptable as a student id ('' if it is)."""
    if not isinstance(student, str) or not STUDENT_ID.fullmatch(student):
        return (f"the student id {student!r} is not a plain name (letters, digits, '.', '_', '@', '-'; "
                f"it may not be a pattern such as '*' or hold HTML)")
    return ""


def tree_problems(path, limit: int = 5) -> list[str]:
    """What in ``path`` (a folder or a file; links never followed) is not a real folder or regular file."""
    path = Path(path)
    found = []

    def check(item: Path, shown: str) -> None:
        info = os.lstat(item)
        if stat.S_ISLNK(info.st_mode):
            found.append(f"{shown} is a symbolic link (to {os.readlink(item)})")
        elif stat.S_ISREG(info.st_mode):
            if info.st_nlink > 1:
                found.append(f"{shown} is a hard link to another file")
        elif not stat.S_ISDIR(info.st_mode):
            found.append(f"{shown} is not a regular file")

    try:
        check(path, path.name)
        if stat.S_ISDIR(os.lstat(path).st_mode):
            for folder, dirs, files in os.walk(path):  # os.walk does not enter linked folders
                for name in dirs + files:
                    item = Path(folder, name)
                    check(item, str(item.relative_to(path.parent)))
                    if len(found) >= limit:
                        return found
    except OSError as exc:
        found.append(f"{path.name} could not be read ({exc.strerror})")
    return found


def submission_problem(course_dir, student: str, lesson: str) -> str:
    """Why submitted/<student>/<lesson> must not be graded ('' if it may)."""
    why = id_problem(student)
    if why:
        return why
    folder = Path(course_dir) / "submitted" / student
    if os.path.islink(folder):
        return f"submitted/{student} is a symbolic link (to {os.readlink(folder)})"
    problems = tree_problems(folder / lesson)
    if problems:
        return "the submission holds links or special files: " + "; ".join(problems)
    return ""


class LinkRefused(Exception):
    """A submission folder holds symbolic or hard links (or is one)."""


def guard_autograde() -> None:
    """Make ``nbgrader autograde`` refuse a submission with links before it copies any of its files.

    nbgrader offers no hook before its converter copies a submission's
    files (following links) into autograded/, so its converter class is
    replaced by a subclass that checks first.
    """
    from nbgrader.apps import autogradeapp
    from nbgrader.converters import Autograde
    from nbgrader.converters.base import NbGraderException

    if getattr(autogradeapp.Autograde, "_course_guarded", False):
        return

    class CheckedAutograde(Autograde):
        _course_guarded = True

        def init_assignment(self, assignment_id, student_id):
            if self._sanitizing:
                why = submission_problem(self.coursedir.root, student_id, assignment_id)
                if why:
                    self.log.error("REFUSED %s/%s: %s", student_id, assignment_id, why)
                    raise NbGraderException(f"refused: {why}")
            return super().init_assignment(assignment_id, student_id)

    autogradeapp.Autograde = CheckedAutograde


# --------------------------------------------------------------------------
# nbgrader's exchange
# --------------------------------------------------------------------------
def _exchange_classes():
    from nbgrader.exchange.default import ExchangeCollect, ExchangeReleaseFeedback
    from traitlets import List, Unicode

    class SafeExchangeCollect(ExchangeCollect):
        """nbgrader's collect, taking in only the inbound entries that pass :func:`entry_problem`."""

        shared_accounts = List(Unicode(), ["jovyan"], help=(
            "Accounts every student's server runs as (the Docker stacks' jovyan): their entries cannot be "
            "checked by owner. The instructor's own account counts as shared too.")).tag(config=True)

        def init_src(self):
            if self.coursedir.course_id == "":
                self.fail("No course id specified. Re-run with --course flag.")
            self.course_path = os.path.join(self.root, self.coursedir.course_id)
            self.inbound_path = os.path.join(self.course_path, "inbound")
            if not os.path.isdir(self.inbound_path):
                self.fail(f"Course not found: {self.inbound_path}")
            from nbgrader.api import Gradebook, MissingEntry

            with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gb:
                try:
                    self.duedate = gb.find_assignment(self.coursedir.assignment_id).duedate
                except MissingEntry:
                    self.duedate = None
            self.refused = []
            latest = {}
            for entry in sorted(os.scandir(self.inbound_path), key=lambda e: e.name):
                record = self._record(entry.name)
                if record is None:
                    continue  # another lesson's entry (or another student's, with --student)
                why = entry_problem(Path(entry.path), record, self.shared_accounts)
                if why:
                    self.refused.append((entry.name, why))
                    self.log.error("REFUSED inbound entry %r: %s. It was not collected.", entry.name, why)
                    continue
                records = latest.setdefault(record["username"], [])
                records.append(record)
            self.check_owner = False  # checked above (nbgrader's own check only warns)
            self.src_records = []
            for records in latest.values():
                records.sort(key=lambda r: r["timestamp"], reverse=True)
                chosen = records[0]
                if self.duedate is not None and self.before_duedate:
                    chosen = next((r for r in records if r["timestamp"] <= self.duedate), records[0])
                self.src_records.append(chosen)
            if self.refused:
                self.log.warning("Collect refused %d inbound entr%s of %s (see REFUSED above): %s",
                                 len(self.refused), "y" if len(self.refused) == 1 else "ies",
                                 self.coursedir.assignment_id, ", ".join(name for name, _ in self.refused))

        def _record(self, name: str):
            """{'username', 'filename', 'timestamp'} for an entry of this lesson; None for other entries."""
            parts = name.rsplit("+", 3)  # student+lesson+time+random (nbgrader's layout; older: no random)
            if len(parts) < 3 or parts[1] != self.coursedir.assignment_id:
                return None
            wanted = self.coursedir.student_id  # nbgrader's default "*" means every student
            if wanted not in ("", "*") and parts[0] != wanted:
                return None  # compared as text, never as a pattern
            return {"username": parts[0], "filename": name, "timestamp": parts[2]}

        def do_copy(self, src, dest, log=None):
            """Copy without following links, then check the copy (a link made after the check is not followed)."""
            from nbgrader.utils import ignore_patterns

            if self.get_size(src) > 1000 * self.coursedir.max_dir_size:
                raise RuntimeError(f"Directory size is too big: {src}")
            shutil.copytree(src, dest, symlinks=True,
                            ignore=ignore_patterns(exclude=self.coursedir.ignore, include=self.coursedir.include,
                                                   max_file_size=self.coursedir.max_file_size, log=self.log))
            problems = tree_problems(dest)
            if problems:
                shutil.rmtree(dest)
                self.log.error("REFUSED inbound entry %r: %s. It was not collected.", os.path.basename(src),
                               "; ".join(problems))

    class SafeExchangeReleaseFeedback(ExchangeReleaseFeedback):
        """nbgrader's release_feedback, one student at a time: a student it cannot release is skipped, with a note."""

        def copy_files(self):
            from nbgrader.utils import notebook_hash

            excluded = set(filter(None, (self.coursedir.student_id_exclude or "").split(",")))
            pattern = re.escape(os.path.sep).join([
                self.coursedir.format_path(self.coursedir.feedback_directory, "(?P<student_id>[^/]*)",
                                           self.coursedir.assignment_id, escape=True),
                r"(?P<notebook_id>[^/]*)\.html"])
            import glob

            for html_file in sorted(glob.glob(os.path.join(self.src_path, "*.html"))):
                match = re.fullmatch(pattern, html_file)
                if match is None:
                    self.log.error("Not released: %s is not in the feedback folder's layout", html_file)
                    continue
                student, notebook = match["student_id"], match["notebook_id"]
                if student in excluded:
                    continue
                folder = os.path.dirname(html_file)
                why = id_problem(student) or "; ".join(tree_problems(folder))
                try:
                    timestamp = Path(folder, "timestamp.txt").read_text().strip()
                    secret = Path(folder, "submission_secret.txt").read_text().strip()
                except OSError as exc:
                    why = why or f"{exc.filename and os.path.basename(exc.filename)} is missing"
                else:
                    why = why or ("" if SECRET.fullmatch(secret) else "its submission secret is not valid")
                if why:
                    self.log.error("NOT RELEASED: feedback of %r on %s: %s (the other students' feedback is "
                                   "released)", student, notebook, why)
                    continue
                checksum = notebook_hash(secret=secret, notebook_id=notebook)
                temporary = os.path.join(self.dest_path, f"{checksum}-tmp.html")
                self.log.info("Releasing feedback for student '%s' on assignment '%s/%s/%s' (%s)", student,
                              self.coursedir.course_id, self.coursedir.assignment_id, notebook, timestamp)
                shutil.copy(html_file, temporary)
                shutil.move(temporary, os.path.join(self.dest_path, f"{checksum}.html"))

    return SafeExchangeCollect, SafeExchangeReleaseFeedback


def entry_problem(path: Path, record: dict, shared_accounts=("jovyan",)) -> str:
    """Why an inbound entry must not be collected ('' if it may). Sets ``record['timestamp']``."""
    from nbgrader.utils import parse_utc

    student = record["username"]
    why = id_problem(student)
    if why:
        return why
    try:
        timestamp = parse_utc(record["timestamp"])
    except Exception:
        return f"its name's time {record['timestamp']!r} is not a time"
    now = datetime.datetime.now(datetime.timezone.utc)
    stamp = timestamp if timestamp.tzinfo else timestamp.replace(tzinfo=datetime.timezone.utc)
    if stamp > now + FUTURE_SLACK:
        return f"it is dated {timestamp.isoformat()}, in the future (a dated name would win over later submissions)"
    record["timestamp"] = timestamp
    info = os.lstat(path)
    if not stat.S_ISDIR(info.st_mode):
        return "it is not a folder" + (" (a symbolic link)" if stat.S_ISLNK(info.st_mode) else "")
    owner = _account(info.st_uid)
    if info.st_uid != os.getuid() and owner not in shared_accounts and owner != student:
        return f"it names {student!r} but belongs to the account {owner!r}"
    problems = tree_problems(path)
    if problems:
        return "it holds links or special files: " + "; ".join(problems)
    for name in ("timestamp.txt", "submission_secret.txt"):
        if not (path / name).is_file():
            return f"it has no {name} (it was not made by nbgrader's submit)"
    try:
        secret = (path / "submission_secret.txt").read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        secret = ""
    if not SECRET.fullmatch(secret):
        return "its submission_secret.txt is not a secret made by nbgrader's submit"
    return ""


def _account(uid: int) -> str:
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return f"uid {uid}"


SafeExchangeCollect, SafeExchangeReleaseFeedback = _exchange_classes()
