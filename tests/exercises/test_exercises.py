"""The exercise machinery: collecting an answer as data, judging it, showing the verdict.

The judge is a pure function of (definition, answer data); these tests feed
it hand-made definitions. The learner answers of every real exercise are in
tests/exercise_battery.
"""
import logging

import numpy as np
import pytest

from instructor.definitions import Alternative, ChoiceExercise, Forbidden, FunctionExercise, Mistake, ValueExercise
from utils import exercises as ex
from utils.exercises import answers, judging


def pooled_sd(sd1, n1, sd2, n2):
    return np.sqrt(((n1 - 1) * sd1**2 + (n2 - 1) * sd2**2) / (n1 + n2 - 2))


def pooled_sd_with_n(sd1, n1, sd2, n2):
    return np.sqrt((n1 * sd1**2 + n2 * sd2**2) / (n1 + n2))


POOLED = FunctionExercise(
    id="99.pooled_sd", target="pooled_sd", title="pooled SD", reference=pooled_sd,
    cases=[(1.0, 10, 2.0, 12), (0.5, 31, 0.7, 31)], hidden_cases=[(1.2, 4, 0.8, 5)],
    mistakes=[Mistake("used_n", "You used n instead of n - 1.", function=pooled_sd_with_n)])


def verdict(exercise, answer, hidden=False):
    spec = exercise.spec(include_hidden=hidden)
    return ex.evaluate(spec, {spec["target"]: answer})


# ---------------------------------------------------------------- functions
def test_correct_function_passes_visible_and_hidden_cases():
    result = verdict(POOLED, pooled_sd, hidden=True)
    assert result.passed and result.score == 1 and "1 case you had not seen" in result.message


def test_named_mistake_gets_its_hint_and_category():
    result = verdict(POOLED, pooled_sd_with_n)
    assert result.status == ex.WRONG and result.hint == "You used n instead of n - 1."
    assert result.category == "mistake:used_n" and result.score == 0


def test_sign_flip_is_recognised_without_being_listed():
    result = verdict(POOLED, lambda *a: -pooled_sd(*a))
    assert "sign is flipped" in result.hint


def test_no_ratio_hint_for_an_unrelated_mistake():
    result = verdict(POOLED, lambda *a: 1.1 * pooled_sd(*a))
    assert "factor" not in result.hint and result.status == ex.WRONG


def test_failure_on_a_hidden_case_does_not_reveal_the_expected_value():
    def right_on_visible(sd1, n1, sd2, n2):
        return pooled_sd(sd1, n1, sd2, n2) if n1 > 5 else 0.0
    assert verdict(POOLED, right_on_visible).passed  # the Check: visible cases only
    graded = verdict(POOLED, right_on_visible, hidden=True)
    assert not graded.passed and "not seen" in graded.message
    assert f"{pooled_sd(1.2, 4, 0.8, 5):.4g}" not in graded.message + graded.hint


@pytest.mark.parametrize("stub", [None, ..., lambda *a: None])
def test_stubs_are_not_attempted(stub):
    assert verdict(POOLED, stub).status == ex.NOT_ATTEMPTED


def test_errors_are_explained_in_a_sentence_with_the_line():
    def crashes(sd1, n1, sd2, n2):
        return sd1 / 0
    result = verdict(POOLED, crashes)
    assert "ZeroDivisionError" in result.message and "sd1 / 0" in result.hint and result.category == "crash"


def test_if_on_an_array_gets_its_own_hint():
    spec = FunctionExercise(id="99.f", target="f", title="", reference=lambda x: np.where(np.asarray(x) > 0, 1, 0),
                            cases=[(np.array([1.0, -1.0]),)])

    def f(x):
        if x > 0:
            return 1
        return 0
    result = verdict(spec, f)
    assert "np.where" in result.hint and "truth value" not in result.hint


def test_nan_and_text_results_get_hints():
    assert "NaN" in verdict(POOLED, lambda *a: float("nan")).hint
    assert "quotes" in verdict(POOLED, lambda *a: "1.5").hint


def test_endless_function_is_stopped_and_the_rest_skipped():
    import time
    started = time.monotonic()

    def loops(*a):
        while True:
            pass
    spec = POOLED.spec()
    spec["timeout"] = 0.2
    result = ex.evaluate(spec, {"pooled_sd": loops})
    assert result.category == "timeout" and "loop" in result.hint
    assert time.monotonic() - started < 2




def test_object_whose_eq_is_always_true_is_not_trusted():
    class AlwaysEqual(float):
        def __eq__(self, other):
            return True
    assert not verdict(POOLED, lambda *a: AlwaysEqual(0.0)).passed


def test_forbidden_helper_is_refused_even_under_another_name():
    exercise = FunctionExercise(id="99.sd", target="sd", title="", reference=lambda x: np.std(x, ddof=1),
                                cases=[([1.0, 2.0, 4.0],)], forbidden=[Forbidden(("std",), "Write it yourself.")])
    alias = np.std
    namespace = {"alias": alias}
    exec("def sd(x):\n    return alias(x, ddof=1)", namespace)
    result = ex.evaluate(exercise.spec(), namespace)
    assert result.category == "shortcut" and result.hint == "Write it yourself."


def test_parts_give_partial_credit():
    exercise = FunctionExercise(id="99.gv", target="gv", title="", reference=lambda a: (a, 2 * a),
                                cases=[(1.0,), (2.0,)], parts=("g", "v"))
    result = verdict(exercise, lambda a: (a, 3 * a))
    assert result.status == ex.PARTLY and result.score == 0.5 and "g is right" in result.hint


def test_alternatives_are_accepted_with_their_reason():
    exercise = FunctionExercise(id="99.q", target="q", title="", reference=lambda: 1.959964,
                                cases=[()], alternatives=[Alternative("rounded", "1.96 is the usual rounding",
                                                                      function=lambda: 1.96)])
    result = verdict(exercise, lambda: 1.96)
    assert result.passed and "usual rounding" in result.message and result.category == "alternative:rounded"


# ---------------------------------------------------------------- values and choices
PERCENT = ValueExercise(id="99.pct", target="pct", title="", expected=100 * 12 / 17, decimals=1, unit="%",
                        mistakes=[Mistake("positive", "That is the positive share.", value=100 * 5 / 17)])


@pytest.mark.parametrize("answer, status, words", [
    (70.6, ex.CORRECT, ()), (70.59, ex.CORRECT, ()), (70.588, ex.CORRECT, ()),
    (71, ex.WRONG, ("rounded", "70.6")), (0.706, ex.WRONG, ("proportion",)), (29.4, ex.WRONG, ("positive",)),
    (-70.6, ex.WRONG, ("sign",)), ("70.6", ex.WRONG, ("quotes",)), (None, ex.NOT_ATTEMPTED, ()),
])
def test_values_follow_the_stated_precision(answer, status, words):
    result = verdict(PERCENT, answer)
    assert result.status == status, result.text()
    for word in words:
        assert word in result.message + result.hint


def test_numbers_are_shown_with_enough_digits_to_differ():
    exercise = ValueExercise(id="99.se", target="se", title="", expected=0.170078, rtol=1e-6)
    result = verdict(exercise, 0.170104)
    assert "0.17010" in result.message and "0.1701 is" not in result.message


def test_quantity_hints_only_when_true():
    variance = ValueExercise(id="99.v", target="v", title="", expected=0.04, quantity="variance")
    assert "negative" in verdict(variance, -0.04).hint or "sign" in verdict(variance, -0.04).hint
    p = ValueExercise(id="99.p", target="p", title="", expected=0.03, quantity="p")
    assert "between 0 and 1" in verdict(p, 2.17).hint


def test_choices_accept_letters_and_option_text():
    exercise = ChoiceExercise(id="99.c", target="c", title="", options={"a": "first", "b": "second"}, answer="b",
                              explanations={"a": "No.", "b": "Yes."})
    for answer in ("b", "B", "(b)", " b ", "second"):
        assert verdict(exercise, answer).passed, answer
    wrong = verdict(exercise, "a")
    assert wrong.hint == "No." and wrong.category == "mistake:a"
    assert "not one of the options" in verdict(exercise, "z").message
    assert "letter" in verdict(exercise, 2).hint


# ---------------------------------------------------------------- forged or malformed data
@pytest.mark.parametrize("data", [
    {"status": "correct"}, {"status": "answered", "kind": "value"},
    {"status": "answered", "kind": "value", "value": "x"},
    {"status": "answered", "kind": "function", "cases": []}, ["not", "a", "dict"], None,
    {"status": "answered", "kind": "value", "value": [70.6], "verdict": "correct", "score": 1},
])
def test_malformed_answer_data_earns_nothing(data):
    spec = PERCENT.spec()
    result = judging.judge(spec, data)
    if isinstance(data, dict) and data.get("value") == [70.6]:
        assert result.passed  # extra keys are ignored; the value itself is right
    else:
        assert result.score == 0 and not result.passed


def test_answers_are_plain_json():
    import json
    data = answers.collect("function", pooled_sd, [answers.encode_value([1.0, np.int64(10), 2.0, 12])])
    assert json.loads(json.dumps(data)) == data
    assert answers.decode_value(answers.encode_value(np.array([1.0, np.nan]))).tolist()[0] == 1.0


# ---------------------------------------------------------------- the widgets
@pytest.fixture
def widget_errors(caplog):
    caplog.set_level(logging.WARNING)
    yield caplog
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING and "widget" in r.getMessage().lower()]


def test_check_button_rereads_the_learners_answer(widget_errors):
    namespace = {"pct": None}
    box = ex.FeedbackBox(lambda: ex.evaluate(PERCENT.spec(), namespace), "Exercise")
    assert box.result.status == ex.NOT_ATTEMPTED
    namespace["pct"] = 70.6
    box.button.click()
    assert box.passed and "✔" in box.feedback.value


def test_clickable_choice_gives_its_explanation(widget_errors):
    box = ex.choice("Q?", {"a": "one", "b": "two"}, "b", {"a": "No.", "b": "Yes."})
    box.choices.value = "a"
    assert "No." in box.feedback.value and box.result.status == ex.WRONG


def test_a_check_that_itself_breaks_is_reported_in_the_box(widget_errors):
    def broken():
        raise KeyError("boom")
    box = ex.FeedbackBox(broken)
    assert box.errors and "please report" in box.feedback.value


def test_feedback_html_escapes_learner_text():
    html_text = ex.feedback_html(judging.Verdict(ex.WRONG, "<script>x</script>", "<b>"))
    assert "<script>" not in html_text and "&lt;script&gt;" in html_text


def test_unknown_exercise_ids_are_named():
    with pytest.raises(ValueError, match="exercise_id"):
        ex.spec("05.no_such_thing")
    with pytest.raises(ValueError, match="NN.name"):
        ex.spec("hedges_g")


def test_own_helpers_named_like_course_functions_are_no_shortcut():
    """A learner's own cohens_d, or a test call of the answer in its cell, is not the course's helper."""
    from instructor.grading import scoring
    exercise = FunctionExercise(id="99.g", target="g", title="", reference=lambda x: 2 * x, cases=[(1.0,)],
                                forbidden=[Forbidden(("cohens_d", "hedges_g"), "Write it yourself.")])
    code = "def cohens_d(x):\n    return 2 * x\ndef g(x):\n    return cohens_d(x)\nprint(g(3))"
    namespace: dict = {}
    exec(code, namespace)
    assert ex.evaluate(exercise.spec(), namespace).passed
    data = answers.collect("function", namespace["g"], [c["args"] for c in exercise.spec()["cases"]])
    assert scoring.judge_answer(exercise.spec(), data, [code]).passed
    from utils import effects
    namespace = {"effects": effects}
    code = "def g(x):\n    return effects.hedges_g(1, 1, 2, 0, 1, 2)[0] * 0 + 2 * x"
    exec(code, namespace)
    assert ex.evaluate(exercise.spec(), namespace).category == "shortcut"
    data = answers.collect("function", namespace["g"], [c["args"] for c in exercise.spec()["cases"]])
    assert scoring.judge_answer(exercise.spec(), data, [code]).category == "shortcut"


def test_an_endless_function_is_stopped_without_sigalrm_too():
    """Windows has no SIGALRM (and a check may run off the main thread): a timer thread stops the loop."""
    import threading
    import time

    def loops(*a):
        while True:
            pass
    result = {}

    def check():
        started = time.monotonic()
        result["outcome"] = answers.run_case(loops, (1,), {}, 0.3)
        result["seconds"] = time.monotonic() - started
    worker = threading.Thread(target=check)
    worker.start()
    worker.join(10)
    assert result["outcome"]["error"] == "timeout" and result["seconds"] < 3


def test_sorted_reasons_shows_the_reason_only_for_items_sorted_right(capsys):
    answers = ex.spec("10.claim_labels")["answer"]
    right, wrong = "C11", "C4"
    ex.sorted_reasons("10.claim_labels", {right: answers[right].lower(), wrong: "S"}, {"S": "supported"})
    lines = dict(line.split(" ", 1) for line in capsys.readouterr().out.splitlines())
    assert lines[right].startswith(f"✔ {answers[right]}") and "Inagaki" in lines[right]
    assert lines[wrong] == "○ not right yet: the reasoning appears when it is."
    assert len(lines) == len(answers)


def test_sorted_reasons_names_an_exercise_without_reasons():
    with pytest.raises(ValueError, match="exercise_id"):
        ex.sorted_reasons("10.answer_1", {})


# ---------------------------------------------------------------- generic detections (issue 25)
def _learner(code: str, **names) -> dict:
    """Run ``code`` as a notebook cell would (its functions' module is __main__)."""
    namespace = {"__name__": "__main__", "np": np, **names}
    exec(code, namespace)
    return namespace


def test_a_function_without_return_or_that_prints_is_told_so_and_only_the_stub_is_not_attempted():
    stub = _learner('def pooled_sd(sd1, n1, sd2, n2):\n    """Doc."""\n    # YOUR CODE HERE\n    pass')
    assert ex.evaluate(POOLED.spec(), stub).status == ex.NOT_ATTEMPTED
    forgot = _learner("def pooled_sd(sd1, n1, sd2, n2):\n    s = np.sqrt((sd1**2 + sd2**2) / 2)")
    result = ex.evaluate(POOLED.spec(), forgot)
    assert result.status == ex.WRONG and "no `return`" in result.hint
    printed = _learner("def pooled_sd(sd1, n1, sd2, n2):\n    print(np.sqrt((sd1**2 + sd2**2) / 2))")
    result = ex.evaluate(POOLED.spec(), printed)
    assert result.status == ex.WRONG and "prints its result" in result.hint and "printed" in result.message


def test_six_significant_figures_accepts_any_answer_rounded_to_six_and_decimals_half_a_unit():
    exercise = FunctionExercise(id="99.j", target="j", title="", reference=lambda m: 1.000004 * m + 0.1234 / m,
                                cases=[(1.0,), (3.0,), (40.0,)])
    assert exercise.spec()["tolerance"]["sig_figs"] == 6
    rounded = lambda m: float(f"{exercise.reference(m):.6g}")  # noqa: E731
    assert any(abs(rounded(m) - exercise.reference(m)) > 1e-6 * abs(exercise.reference(m)) for m in (1.0, 3.0, 40.0))
    assert verdict(exercise, rounded).passed
    coarse = verdict(exercise, lambda m: float(f"{exercise.reference(m):.4g}"))
    assert not coarse.passed and "rounds its result" in coarse.hint
    value = ValueExercise(id="99.v", target="v", title="", expected=0.41567, decimals=3)
    assert verdict(value, 0.4161).passed and verdict(value, 0.4152).passed and not verdict(value, 0.4162).passed


def test_a_result_object_gets_the_attribute_to_take():
    from utils import meta
    fit = meta.random_effects([0.1, 0.3, -0.2, 0.5], [0.01, 0.02, 0.03, 0.02], method="DL")
    value = ValueExercise(id="99.tau2", target="tau2", title="", expected=fit.tau2)
    result = verdict(value, fit)
    assert not result.passed and ".tau2" in result.hint and "RandomEffectsResult" in result.hint
    function = FunctionExercise(id="99.est", target="est", title="", cases=[([0.1, 0.3], [0.01, 0.02])],
                                reference=lambda y, v: meta.random_effects(y, v, method="FE").estimate)
    result = verdict(function, lambda y, v: meta.random_effects(y, v, method="FE"))
    assert ".estimate" in result.hint
    import pandas as pd
    series = verdict(value, pd.Series([fit.tau2, fit.i2], index=["tau2", "i2"]))
    assert ".iloc[0]" in series.hint


def test_python_error_text_never_stands_alone_as_the_hint():
    exercise = FunctionExercise(id="99.d", target="d", title="", reference=lambda a, b: np.mean(np.subtract(a, b)),
                                cases=[([1.0, 2.0, 3.0], [1.0, 1.0, 1.0])])
    namespace = _learner("def d(a, b):\n    return np.mean(np.asarray(a) - np.asarray(b)[:2])")
    result = ex.evaluate(exercise.spec(), namespace)
    assert "broadcast" in result.message and "broadcast" not in result.hint
    assert "different lengths" in result.hint and "line" in result.hint.lower()
    namespace = _learner("def d(a, b):\n    import pandas as pd\n    return pd.Series(a, index=['x', 'y', 'z'])[0]")
    result = ex.evaluate(exercise.spec(), namespace)
    assert ".iloc[0]" in result.hint  # pandas 3 raises KeyError; pandas 2 warns and is made to fail alike


def test_pandas_positional_fallback_fails_alike_under_pandas_2():
    import warnings

    def pandas_2_style(a, b):
        warnings.warn("Series.__getitem__ treating keys as positions is deprecated. In a future version, integer "
                      "keys will always be treated as labels.", FutureWarning)
        return 0.0
    outcome = answers.run_case(pandas_2_style, ([1.0], [1.0]), {}, 2.0)
    assert outcome["error"] == "KeyError" and outcome["positional"]


@pytest.mark.parametrize("code", [
    "hedges_g = effects.hedges_g",
    "from utils.effects import hedges_g",
    "from utils.effects import hedges_g as g\ndef hedges_g(*a):\n    return g(*a)",
    "import utils.effects as e\ndef hedges_g(*a):\n    return e.hedges_g(*a)",
    "h = effects.hedges_g\ndef hedges_g(*a):\n    return h(*a)",
    "def hedges_g(*a):\n    return effects.hedges_g(*a)",
    "import functools\nhedges_g = functools.partial(effects.hedges_g)",
    "hedges_g = lambda *a: effects.hedges_g(*a)",
])
def test_forbidden_helpers_are_caught_alike_by_the_check_and_the_grader(code):
    from instructor.grading import scoring
    from utils import effects
    exercise = FunctionExercise(id="99.hedges_g", target="hedges_g", title="", reference=effects.hedges_g,
                                cases=[(4.2, 1.1, 20, 4.6, 1.0, 20)],
                                forbidden=[Forbidden(("hedges_g", "cohens_d"), "Write it yourself.")])
    namespace = _learner(code, effects=effects)
    spec = exercise.spec()
    check = ex.evaluate(spec, namespace)
    data = answers.collect("function", namespace["hedges_g"], [c["args"] for c in spec["cases"]])
    graded = scoring.judge_answer(spec, {**data, "names_used": []}, ["from utils import effects", code])
    assert check.category == "shortcut" and graded.category == "shortcut"  # the source alone is enough


def test_an_honest_answer_with_a_comparison_in_its_cell_is_no_shortcut_for_either():
    from instructor.grading import scoring
    from utils import effects
    exercise = FunctionExercise(id="99.hedges_g", target="hedges_g", title="", cases=[(4.2, 1.1, 20, 4.6, 1.0, 20)],
                                reference=lambda *a: effects.hedges_g(*a)[0],
                                forbidden=[Forbidden(("hedges_g", "cohens_d"), "Write it yourself.")])
    code = ("def hedges_g(m1, sd1, n1, m2, sd2, n2):\n    return effects.correction_factor(n1 + n2 - 2) * (m1 - m2)"
            " / np.sqrt(((n1 - 1) * sd1**2 + (n2 - 1) * sd2**2) / (n1 + n2 - 2))\n"
            "print(hedges_g(1, 1, 9, 0, 1, 9), effects.hedges_g(1, 1, 9, 0, 1, 9))")
    namespace = _learner(code, effects=effects)
    spec = exercise.spec()
    assert ex.evaluate(spec, namespace).passed
    data = answers.collect("function", namespace["hedges_g"], [c["args"] for c in spec["cases"]])
    assert scoring.judge_answer(spec, data, ["from utils import effects", code]).passed
