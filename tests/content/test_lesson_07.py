"""Lesson 07 (dependent effects): CR2 and Satterthwaite in the optional section.

Each test pins a number, a quote or a citation of this lesson against its source (the course's own helpers, Table 1,
the 2024 review), so that an edit bringing back a wrong statement fails here."""


from lesson_text import (
    cells,
    exercise,
    going_deeper_cells,
    going_deeper_problems,
    predictions,
    strictly_longest,
    time_problems,
)


def test_07_cr2_and_satterthwaite_live_in_going_deeper_and_exercise_5_in_the_core():
    deeper = "\n".join(c.source for c in going_deeper_cells("07"))
    assert "meta.robust(" in deeper and "Satterthwaite" in deeper and "Bell & McCaffrey" in deeper
    core = "\n".join(c.source for c in cells("07") if c not in going_deeper_cells("07"))
    assert 'ex.check("07.t_interval")' in core and "meta.robust(naive" not in core


def test_the_prediction_is_right_at_c_and_that_option_is_not_the_longest():
    [(options, correct, _)] = predictions("07")
    assert correct == "c" and not strictly_longest(options, correct)


def test_one_optional_going_deeper_section_on_cr2_and_its_time_is_stated():
    assert not going_deeper_problems("07", "CR2")
    assert not time_problems("07", core=65, full=70)


def test_exercise_answer_1_is_right_at_a():
    assert exercise("07.answer_1").answer == "a"
