"""The answer checks and their feedback widgets, tested headlessly.

ipywidgets swallows exceptions raised inside callbacks when no IPython is
running (it logs them), so every widget test asserts on the *result* of a
click and on the absence of logged errors, never on "no exception".
"""
import logging
import time

import numpy as np
import pytest

from utils import exercises as ex


def pooled_sd(sd1, n1, sd2, n2):
    return np.sqrt(((n1 - 1) * sd1**2 + (n2 - 1) * sd2**2) / (n1 + n2 - 2))


def pooled_sd_with_n(sd1, n1, sd2, n2):
    return np.sqrt((n1 * sd1**2 + n2 * sd2**2) / (n1 + n2))


CASES = [(1.0, 10, 2.0, 12), (0.5, 31, 0.7, 31)]
HIDDEN = [(1.2, 4, 0.8, 5)]
N_MISTAKE = ex.Mistake("You used n instead of n - 1.", function=pooled_sd_with_n)


def evaluate(func, **kw):
    return ex.evaluate_function(func, pooled_sd, CASES, HIDDEN, [N_MISTAKE], name="pooled_sd", **kw)


# ---------------------------------------------------------------- functions
def test_correct_function_passes_visible_and_hidden_cases():
    feedback = evaluate(pooled_sd)
    assert feedback.passed and "Correct" in feedback.message and "1 case you had not seen" in feedback.message


def test_known_mistake_gets_its_specific_hint():
    feedback = evaluate(pooled_sd_with_n)
    assert feedback.status == ex.WRONG
    assert feedback.hint == "You used n instead of n - 1."


def test_sign_flip_is_recognised_without_being_listed():
    feedback = evaluate(lambda *a: -pooled_sd(*a))
    assert feedback.status == ex.WRONG and "sign" in feedback.hint


def test_missing_correction_factor_is_recognised():
    feedback = ex.evaluate_function(lambda x: 0.97 * x, lambda x: x, [1.0, 2.0], name="g")
    assert "constant factor" in feedback.hint


def test_failure_on_a_hidden_case_does_not_reveal_the_expected_value():
    def only_equal_groups(sd1, n1, sd2, n2):
        return pooled_sd(sd1, n1, sd2, n2) if n1 > 9 else 0.0
    feedback = evaluate(only_equal_groups)
    assert feedback.status == ex.WRONG and "not seen" in feedback.message
    assert f"{pooled_sd(*HIDDEN[0]):.4g}" not in feedback.message


@pytest.mark.parametrize("stub", [None, Ellipsis, lambda *a: None, lambda *a: ...])
def test_stubs_are_not_attempted(stub):
    assert evaluate(stub).status == ex.NOT_ATTEMPTED


def test_function_that_raises_gets_feedback_not_a_traceback():
    feedback = evaluate(lambda *a: 1 / 0)
    assert feedback.status == ex.WRONG and "ZeroDivisionError" in feedback.hint


def test_function_returning_nan_or_text_gets_a_hint():
    assert "NaN" in evaluate(lambda *a: float("nan")).hint
    assert "text" in evaluate(lambda *a: "0.5").hint
    assert "True/False" in evaluate(lambda *a: True).hint


def test_function_calling_sys_exit_is_contained():
    import sys
    feedback = evaluate(lambda *a: sys.exit(1))
    assert feedback.status == ex.WRONG and "stop Python" in feedback.hint


def test_endless_function_is_stopped_by_the_timeout():
    def forever(*args):
        while True:
            pass
    start = time.perf_counter()
    feedback = evaluate(forever, timeout=0.3)
    assert time.perf_counter() - start < 2
    assert feedback.status == ex.WRONG and "still running" in feedback.hint


@pytest.mark.parametrize("alarm", [False, True], ids=["no SIGALRM (Windows)", "SIGALRM but not the main thread"])
def test_endless_function_is_stopped_without_the_alarm_signal(alarm, monkeypatch):
    import threading

    def forever(*args):
        while True:
            pass
    monkeypatch.setattr(ex, "_HAS_ALARM", alarm)
    outcome = {}

    def run():
        start = time.perf_counter()
        outcome["feedback"] = evaluate(forever, timeout=0.3)
        outcome["seconds"] = time.perf_counter() - start
    thread = threading.Thread(target=run, daemon=True)  # SIGALRM cannot reach it: the timer thread must
    thread.start()
    thread.join(10)
    assert not thread.is_alive(), "the endless function was never stopped"
    assert outcome["seconds"] < 2
    assert outcome["feedback"].status == ex.WRONG and "still running" in outcome["feedback"].hint
    time.sleep(0.5)  # no timer left over from the stopped call goes off now
    assert evaluate(pooled_sd, timeout=0.3).passed


def test_object_whose_eq_is_always_true_is_not_trusted():
    class Cheat:
        def __eq__(self, other):
            return True
        __hash__ = object.__hash__
    assert evaluate(lambda *a: Cheat()).status == ex.WRONG

    class CheatFloat(float):  # a float subclass is compared by its value only
        def __eq__(self, other):
            return True
        __hash__ = float.__hash__
    assert evaluate(lambda *a: CheatFloat(0.0)).status == ex.WRONG


def test_a_value_that_is_not_a_function():
    feedback = evaluate(3.0)
    assert feedback.status == ex.WRONG and "def pooled_sd" in feedback.hint


def test_wrong_number_of_outputs():
    feedback = ex.evaluate_function(lambda x: (x, x), lambda x: x, [1.0], name="f")
    assert feedback.status == ex.WRONG and "returned 2 number(s); 1 expected" in feedback.message


# ------------------------------------------------------------------- values
def test_values_with_tolerance_units_and_mistakes():
    assert ex.evaluate_value(70.6, 100 * 12 / 17, rtol=0.005).passed
    assert ex.evaluate_value(np.float32(70.588), 100 * 12 / 17, rtol=0.005).passed
    wrong = ex.evaluate_value(29.4, 100 * 12 / 17, [ex.Mistake("positive share", value=100 * 5 / 17)], rtol=0.005)
    assert wrong.hint == "positive share"
    assert "100 times too small" in ex.evaluate_value(0.706, 100 * 12 / 17, rtol=0.005).hint
    assert ex.evaluate_value(None, 1.0).status == ex.NOT_ATTEMPTED
    assert ex.evaluate_value("seventy", 1.0).status == ex.WRONG
    assert "Too large" in ex.evaluate_value(2.0, 1.0).hint


def test_tuples_of_values():
    assert ex.evaluate_value((1.0, 2.0), (1.0, 2.0)).passed
    assert "wrong order" in ex.evaluate_value((2.0, 1.0), (1.0, 2.0)).hint
    assert ex.evaluate_value((1.0, None), (1.0, 2.0)).status == ex.WRONG


# ------------------------------------------------------------------ choices
OPTIONS = {"a": "first", "b": "second"}


def test_choices_accept_letters_in_any_case_and_explain():
    assert ex.evaluate_choice("B", OPTIONS, "b", {"b": "because"}).hint == "because"
    assert ex.evaluate_choice(" b) ", OPTIONS, "b").passed
    assert ex.evaluate_choice("second", OPTIONS, "b").passed
    assert ex.evaluate_choice("a", OPTIONS, "b", {"a": "no: why"}).hint == "no: why"
    assert ex.evaluate_choice("z", OPTIONS, "b").status == ex.WRONG
    assert ex.evaluate_choice(None, OPTIONS, "b").status == ex.NOT_ATTEMPTED
    assert ex.evaluate_choice(3, OPTIONS, "b").status == ex.WRONG


# ------------------------------------------------------------------- grading
def test_grade_functions_raise_only_when_wrong():
    ex.grade_function(pooled_sd, pooled_sd, CASES)
    ex.grade_value(1.0, 1.0)
    ex.grade_choice("b", OPTIONS, "b")
    with pytest.raises(AssertionError, match="n instead of n - 1"):
        ex.grade_function(pooled_sd_with_n, pooled_sd, CASES, [N_MISTAKE])
    with pytest.raises(AssertionError, match="Not attempted"):
        ex.grade_value(None, 1.0)
    with pytest.raises(AssertionError):
        ex.grade_choice("a", OPTIONS, "b")


# ------------------------------------------------------------------- widgets
@pytest.fixture
def widget_errors(caplog):
    caplog.set_level(logging.WARNING)
    yield caplog
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], "a widget callback logged an error"


def test_check_button_rereads_the_learners_answer(widget_errors):
    namespace = {"pooled_sd": lambda *a: None}
    box = ex.FeedbackBox(lambda: ex.evaluate_function(namespace["pooled_sd"], pooled_sd, CASES, name="pooled_sd"))
    assert box.result.status == ex.NOT_ATTEMPTED and "course-not-attempted" in box.feedback.value
    namespace["pooled_sd"] = pooled_sd_with_n
    box.button.click()
    assert box.result.status == ex.WRONG and "course-wrong" in box.feedback.value
    namespace["pooled_sd"] = pooled_sd
    box.button.click()
    assert box.passed and "✔" in box.feedback.value and "course-correct" in box.feedback.value


def test_check_value_looks_up_the_callers_variable(widget_errors):
    globals()["ANSWER_FOR_TEST"] = None
    box = ex.check_value("ANSWER_FOR_TEST", 2.5)
    assert box.result.status == ex.NOT_ATTEMPTED
    globals()["ANSWER_FOR_TEST"] = 2.5
    box.button.click()
    assert box.passed
    assert repr(box).startswith("✔")


def test_clickable_choice_gives_its_explanation(widget_errors):
    box = ex.choice("Which?", OPTIONS, "b", {"a": "no", "b": "yes"})
    assert box.result.status == ex.NOT_ATTEMPTED
    box.choices.value = "a"
    assert box.result.status == ex.WRONG and box.result.hint == "no"
    box.choices.value = "b"
    assert box.passed


def test_a_check_that_itself_breaks_is_reported_in_the_box(widget_errors):
    def broken():
        raise RuntimeError("boom")
    box = ex.FeedbackBox(broken)
    assert box.errors == ["RuntimeError: boom"] and "check itself failed" in box.feedback.value


def test_feedback_html_escapes_learner_text():
    html = ex.feedback_html(ex.Feedback(ex.WRONG, "<script>x</script>", "a < b"))
    assert "<script>" not in html and "&lt;script&gt;" in html
