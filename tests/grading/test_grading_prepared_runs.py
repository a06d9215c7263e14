"""A run made ahead of time by the class grader reaches nbgrader's SandboxedExecute as a setting, and is used
only for the submission and code it was made for."""
import nbformat
import pytest
from traitlets.config import Config

from instructor.grading import nbgrader_plugins
from instructor.grading.nbgrader_plugins import SandboxedExecute, code_digest
from instructor.grading.runner import SubmissionRun

LESSON = "04_the_fmri_trial"


def _notebook(*sources):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    return nb


def _resources(student="ada"):
    return {"nbgrader": {"assignment": LESSON, "notebook": LESSON, "student": student}}


def _prepared_run():
    output = {"output_type": "stream", "name": "stdout", "text": "made ahead\n"}
    return SubmissionRun(outputs={0: [output], 1: []}, reports={"04.x": {"value": 1}})


@pytest.fixture
def runs_again(monkeypatch):
    """Replace the sandboxed run by a recorder: which notebooks were run again."""
    calls = []

    def run_submission(nb, *args):
        calls.append(nb)
        return SubmissionRun(outputs={0: [{"output_type": "stream", "name": "stdout", "text": "run again\n"}]})

    monkeypatch.setattr(nbgrader_plugins, "run_submission", run_submission)
    return calls


def test_a_prepared_run_is_used_instead_of_running_the_notebook_again(runs_again):
    nb = _notebook("print('made ahead')", "x = 1")
    run = _prepared_run()
    config = Config({"SandboxedExecute": {"isolate": False,
                                          "prepared_runs": {(LESSON, "ada", code_digest(nb)): run}}})
    graded, resources = SandboxedExecute(config=config).preprocess(nb, _resources())
    assert runs_again == []
    assert resources["course_run"].reports == run.reports
    assert graded.cells[0].outputs[0].text == "made ahead\n" and graded.cells[0].execution_count == 1


@pytest.mark.parametrize("student, sources", [
    ("ada", ("print('made ahead')", "x = 2")),   # the code changed since the run was made
    ("bob", ("print('made ahead')", "x = 1")),   # another student's submission
])
def test_a_prepared_run_is_not_used_for_other_code_or_another_student(runs_again, student, sources):
    made_for = _notebook("print('made ahead')", "x = 1")
    config = Config({"SandboxedExecute": {"isolate": False,
                                          "prepared_runs": {(LESSON, "ada", code_digest(made_for)): _prepared_run()}}})
    nb = _notebook(*sources)
    graded, _ = SandboxedExecute(config=config).preprocess(nb, _resources(student))
    assert len(runs_again) == 1
    assert graded.cells[0].outputs[0].text == "run again\n"


def test_the_setting_set_on_the_api_reaches_the_preprocessor_nbgrader_builds(tmp_path):
    """classroom.autograde_class sets prepared_runs with NbGraderAPI.update_config before each autograde; the
    preprocessor nbgrader makes for that autograde (a child of the Autograde app, as its exporter makes it)
    sees that student's run, and the next update replaces it."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.converters.autograde import Autograde

    api = NbGraderAPI(config=Config({"CourseDirectory": {"root": str(tmp_path)}}))
    for student in ("ada", "bob"):
        runs = {(LESSON, student, "digest"): _prepared_run()}
        api.update_config(Config({"SandboxedExecute": {"prepared_runs": runs}}))
        app = Autograde(coursedir=api.coursedir, parent=api)
        assert list(SandboxedExecute(parent=app).prepared_runs) == [(LESSON, student, "digest")]
