"""Lesson 08 (bias and power): the review's wording, the doses, the selection model and the funnel's greys.

Each test pins a number, a quote or a citation of this lesson against its source (the course's own helpers, Table 1,
the 2024 review), so that an edit bringing back a wrong statement fails here."""


from lesson_text import (
    cells,
    exercise,
    flat,
    going_deeper_cells,
    going_deeper_problems,
    joined,
    markdown,
    outputs,
    predictions,
    strictly_longest,
    table1,
    time_problems,
)

from instructor.definitions import lesson08
from utils import data, meta, plots


def test_lesson_08_quotes_the_reviews_wording_with_its_section():
    assert '"could be a slight overestimate" (Løseth et al. 2024, *Results:\nReporting bias*)' in joined("08")


def test_the_analysed_doses_are_50_and_100_mg_and_the_explanation_says_so():
    doses = {dose for doses in data.load_table1()["naltrexone_mg"] for dose in doses}
    assert doses == {50, 100}
    explanation = next(e for e in lesson08.EXERCISES if e.id == "08.answer_2").explanations["a"]
    assert "50 or 100 mg" in explanation and "25-100 mg (Table 1)" not in explanation


def test_the_hypothetical_null_explorer_has_every_setting_its_text_discusses():
    # Lesson 08's explorer looks its tables up (all settings computed once); the text after it discusses 4 and 8
    # hypothetical studies at SE 0.4 and 4 at SE 0.2.
    code = joined("08", kinds=("code",))
    assert "N_NULL = range(0, 9, 2)" in code and "SE_NULL = (0.2, 0.4, 0.6, 0.8)" in code
    assert 'slider("hypothetical null studies added", 0, 8, 2, 0, integer=True)' in code
    assert 'slider("their standard error", 0.2, 0.8, 0.2, 0.4' in code
    assert {4, 8} <= set(range(0, 9, 2))


def test_08_the_selection_model_lives_in_going_deeper():
    deeper = "\n".join(c.source for c in going_deeper_cells("08"))
    assert "likelihood-ratio test" in deeper and "Vevea & Hedges 1995" in deeper


def test_08_delta_is_only_the_true_effect_and_omega_the_selection_weight():
    text = markdown("08")
    assert r"\frac{|\delta|}{SE}" in text                     # the power formula keeps δ
    assert "weight δ" not in text and "That δ" not in text and "its δ" not in text and "and δ, the" not in text
    assert "one weight ω" in text and "weight ω = 0.41" in text and "its ω rises from 0.41 to 0.54" in text
    code = "\n".join(c.source for c in cells("08") if c.cell_type == "code")
    assert 'f"ω = {selected.delta[1]:.2f}"' in code
    assert "ω = 0.41" in outputs("08")


def test_08_explains_the_four_things_a_new_learner_could_not_follow():
    text = flat(markdown("08"))
    assert "**The PET-PEESE rule** (Stanley & Doucouliagos 2014): fit PET first" in text
    assert "Where does a standard error on a *count* come from?" in text
    assert "metapower fixes *I*², not τ²: it sets τ² = v × *I*² / (1 − *I*²)" in text
    assert "multiplied by its weight (1 or ω)" in text


def test_08_meta_regression_is_introduced_before_exercise_5_uses_it():
    text = markdown("08")
    intro = text.index("**`meta.regression`** fits such a *meta-regression*")
    assert intro < text.index("**Exercise 5.**")
    yi, vi = table1()
    coefficients = meta.regression(yi, vi, {"vi": vi}).coefficients
    assert list(coefficients.index) == ["intercept", "vi"]       # the label the text names
    assert coefficients.loc["intercept", "estimate"] == coefficients["estimate"].iloc[0]


def test_08_peese_text_invites_a_label_or_iloc_not_a_bare_zero():
    text = markdown("08")
    assert '(`.coefficients["estimate"]`, intercept first)' not in text
    assert '`.coefficients.loc["intercept", "estimate"]`' in text and '`.coefficients["estimate"].iloc[0]`' in text
    spec = exercise("08.peese_intercept")
    hints = " ".join([spec.title] + [m.hint for m in spec.mistakes])
    assert '["estimate"][0]' not in hints and "coefficients[0]" not in hints


def test_08_contour_funnel_text_follows_the_legends_greys():
    def lightness(hex_colour):
        return int(hex_colour[1:3], 16)
    greys = plots.GREYS
    assert lightness(greys["0.05 < p < 0.10"]) < lightness(greys["0.01 < p < 0.05"]) < lightness(greys["p < 0.01"])
    text = flat(markdown("08"))
    assert ("dark grey for .05 < *p* < .10, a lighter grey for .01 < *p* < .05 and the lightest grey for *p* < .01"
            in text)
    assert "darker greys for .05 < *p* < .10" not in text


def test_the_prediction_is_right_at_d_and_that_option_is_not_the_longest():
    [(options, correct, _)] = predictions("08")
    assert correct == "d" and not strictly_longest(options, correct)


def test_one_optional_going_deeper_section_on_selection_model_and_its_time_is_stated():
    assert not going_deeper_problems("08", "selection model")
    assert not time_problems("08", core=75, full=80)


def test_exercise_answer_2_is_right_at_b():
    assert exercise("08.answer_2").answer == "b"
