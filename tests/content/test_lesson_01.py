"""Lesson 01 (the opioid theory): what the review and the exercises say, quoted and counted.

Each test pins a number, a quote or a citation of this lesson against its source (the course's own helpers, Table 1,
the 2024 review), so that an edit bringing back a wrong statement fails here."""

import pytest
from lesson_text import (
    cell,
    exercise,
    flat,
    joined,
    predictions,
    printed,
    review_text,
    source,
    strictly_longest,
)
from lesson_text import exercise as definition

from utils.data import load_table1_contexts


def test_01_exercise_4_teaches_the_difference_in_significance_trap():
    ex4 = exercise("01.answer_4")
    assert ex4.answer == "a" and "interaction" in ex4.options["a"]
    assert "interaction" in ex4.explanations["b"] and "felt connection" in ex4.options["a"]

# The review's own words (Løseth, Trøstheim & Leknes 2024, Transl Psychiatry 14:379), copied from its text.
QUOTE_COPING = "assessing opioid antagonist effects on connectedness and coping in response to stress"
QUOTE_TARGET = "target established connections"
QUOTE_PET = ("PET studies using mu-opioid selective ligands have shown differences in receptor binding related to "
             "feeling accepted or rejected by others [16, 18] and linked attachment styles to mu-opioid receptor "
             "availability at rest [19]")
QUOTE_MU_SELECTIVE = ("the few published studies employing a mu-opioid selective antagonist, reported behavioural and "
                      "neural effects broadly consistent with the effects of non-selective antagonists")


def test_01_poppy_comment_is_given_both_readings():
    body = joined("01_opioid_theory")
    assert "can be read in two ways" in body and "As an objection" in body and "same point the replies make" in body
    assert "The replies are right" not in body


def test_01_names_the_reviews_reasons_for_the_smaller_human_effect():
    body = "".join(cell("01_opioid_theory", "c7a2f1b9")["source"])
    for reason in ("Measurement", "Species", "Other receptors", "Toddes et al. 2021"):
        assert reason in body
    assert exercise("01.answer_7").answer == "c"


def test_01_exercise_7_no_longer_says_human_studies_rated_existing_bonds():
    lesson, exercise = "01_opioid_theory", definition("01.answer_7")
    right = exercise.options[exercise.answer]
    assert "mostly to existing bonds" not in right and "mostly not to an existing bond" in right
    contexts = load_table1_contexts()
    counts = contexts["relationship_type"].value_counts().to_dict()
    assert counts == {"established": 5, "new": 5, "unspecified": 6}
    per_study = contexts.groupby("study")["relationship_type"].agg(set)
    only_new = sum(types == {"new"} for types in per_study)
    assert (only_new, len(per_study)) == (4, 8)
    stated = "only 5 of the 16 contexts concern established relationships (5 new, 6 unspecified), and 4 of the 8"
    for explanation in (exercise.explanations[exercise.answer], exercise.explanations["d"]):
        assert stated in explanation
    assert QUOTE_TARGET in exercise.explanations[exercise.answer]
    body = flat(joined(lesson))
    assert "Only 5 of the 16 contexts concern established relationships; 5 concern new ones and 6 leave" in body
    assert f'"{QUOTE_TARGET}" (Løseth et al. 2024, *Conclusion*)' in body
    assert "mostly to existing bonds" not in body
    out = printed(cell(lesson, "a7c01d12"))
    assert "established    5" in out and "only new relationships: 4 of 8" in out


def test_01_discussion_quotes_the_reviews_suggestion_on_coping():
    end = flat(source(cell("01_opioid_theory", "f1a9c3d5")))
    assert f'"{QUOTE_COPING}" (Løseth et al. 2024, *Discussion*)' in end
    assert "measuring behaviour and coping as well as feelings" not in end
    assert f"{QUOTE_TARGET}\" (*Conclusion*)" in end


def test_01_mu_selective_antagonist_studies_are_said_to_be_about_eating():
    reasons = flat(source(cell("01_opioid_theory", "c7a2f1b9")))
    assert f'"{QUOTE_MU_SELECTIVE}" (same paragraph)' in reasons
    assert "references 110 and 111 (Cambridge et al. 2012; Ziauddeen et al. 2012)" in reasons
    assert "tested eating in binge-eating obese people, not social connection" in reasons
    assert "found effects broadly like those of naltrexone" not in flat(joined("01_opioid_theory"))


def test_01_teaches_the_human_pet_evidence_with_the_reviews_citation():
    body = flat(joined("01_opioid_theory"))
    assert f'"{QUOTE_PET}" (Løseth et al. 2024, *Introduction*' in body
    for reference in ("Hsu DT, Sanford BJ, Meyers KK, et al. Response of the μ-opioid system",
                      "It still hurts", "Turtonen O, Saarinen A, Nummenmaa L"):
        assert reference in body


def test_the_prediction_is_right_at_b_and_that_option_is_not_the_longest():
    [(options, correct, _)] = predictions("01")
    assert correct == "b" and not strictly_longest(options, correct)


def test_the_quotes_match_the_review_where_its_text_is_at_hand():
    quotes = [QUOTE_COPING, QUOTE_TARGET, QUOTE_PET, QUOTE_MU_SELECTIVE]
    assert all(quote.strip() == quote for quote in quotes)
    review = review_text()
    if review is None:
        pytest.skip("the review's text is not at hand (shared/seeds/ beside the checkout)")
    for quote in quotes:
        assert quote in review, quote
