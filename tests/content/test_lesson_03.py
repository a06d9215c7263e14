"""Lesson 03 (the trials): Table 1's rows, the mood section, the news article and the washout.

Each test pins a number, a quote or a citation of this lesson against its source (the course's own helpers, Table 1,
the 2024 review), so that an edit bringing back a wrong statement fails here."""
import re

from lesson_text import (
    cell,
    exercise,
    joined,
    markdown,
    position,
    predictions,
    printed,
    source,
)

from utils.data import load_table1


def test_03_registry_and_review_accounts_of_the_exclusions_agree():
    body = joined("03_the_trials")
    assert "α = .93, from the results posted in the trial's registry entry" in body
    exclusions = "".join(cell("03_the_trials", "3426c839")["source"])
    screened, excluded = (int(x) for x in re.search(r"count (\d+) people screened and (\d+) excluded",
                                                     exclusions).groups())
    participants = load_table1().set_index("study").loc["Inagaki et al. [20, 59]", "n"]
    assert screened - excluded == participants == 31
    assert "three female participants" in exclusions and "after dosing" in exclusions

TRIALS = "03_the_trials"

# Quotes checked word for word against the sources (the news article on Inagaki et al. 2016, and Løseth,
# Trøstheim & Leknes 2024, Translational Psychiatry 14:379: Discussion, and Results: Quality of individual studies).
REVIEW_SIDE_EFFECTS = ("In studies where physical side effect symptoms were\nmeasured, naltrexone caused a modest "
                       "increase in symptoms and symptom-related distress [60–62]")
REVIEW_NOT_ASSESSED = "we\nnote that some included studies did not assess side effects"
REVIEW_GUT_FEELING = "“gut feeling” or indirectly via distress\nand/or impaired mood"
REVIEW_15_DAYS = ("\"it takes at least 15 days for the blockade to be\n"
                  "eliminated [54], i.e., five times the half-life [68]\"")
NEWS_GENES = ("\"Research has\nshown that genetic differences in opioid receptors lead to increased risk of addiction, "
              "just as her research\nsuggests blocking opioid receptors decreases social closeness. Doesn’t that "
              "suggest feelings of disconnection and\naddiction could be related?\"")
NEWS_TONE = ("\"One offshoot of the opioid theory is that\n"
             "those with low opioid tone show exaggerated responses to social "
             "stressors—like feeling lonely, feeling socially\nrejected\"")
NEWS_SLIP = "\"opioids reduce the sense of\nconnection people get from simply holding a warm object\""
NEWS_MOOD = "\"taking naltrexone did not decrease positive emotion in everyday life"


def test_03_tchalova_row_printed_is_table_1():
    row = load_table1().set_index("study").loc["Tchalova & MacDonald [21]"]
    out = printed(cell("03_the_trials", "c5a1e7f9"))
    assert f"N = {row['n']}" in out
    assert (f"g = {row['connectedness_g']:.2f} [{row['connectedness_ci_low']:.2f}, "
            f"{row['connectedness_ci_high']:.2f}]") in out
    assert row["connectedness_ci_low"] < 0 < row["connectedness_ci_high"]  # "an interval that includes zero"
    assert row["positive_mood_ci_high"] < 0                              # the mood effect lies below zero


def test_03_mood_exercises_point_to_the_diary_finding():
    assert exercise("03.answer_6").answer == "c"
    assert "their difference was not tested" in exercise("03.answer_6").options["c"]
    assert exercise("03.answer_8").answer == "d"


def test_03_mood_section_shows_both_table_1_effects_of_the_crossover():
    row = load_table1().set_index("study").loc["Inagaki et al. [20, 59]"]
    assert (row["connectedness_g"], row["connectedness_ci_low"], row["connectedness_ci_high"]) == (-0.34, -0.58, -0.09)
    assert (row["positive_mood_g"], row["positive_mood_ci_low"], row["positive_mood_ci_high"]) == (-0.13, -0.41, 0.15)
    out = printed(cell(TRIALS, "e5a7c3d1"))
    assert "connectedness: g = -0.34 [-0.58, -0.09], interval excludes zero" in out
    assert "positive mood: g = -0.13 [-0.41, 0.15], interval includes zero" in out
    assert "difference between the two effects: -0.21 (not tested" in out
    # the mood interval contains the connection estimate: "not significant" is not "no drop"
    assert row["positive_mood_ci_low"] < row["connectedness_g"] < row["positive_mood_ci_high"]


def test_03_mood_section_teaches_the_comparison_and_drops_the_old_claim():
    body = markdown(TRIALS)
    assert "which a general dip in mood would not do" not in body
    assert "naltrexone lowered daily connection but not daily positive emotion" not in body
    reading = source(cell(TRIALS, "f6b8d4e2"))
    for words in ("*a difference in significance is not a significant difference*", "not \"zero\"",
                  "contains -0.34 itself", "Nobody tested\n  it", "overlap", "correlation between the two effects"):
        assert words in reading, words
    assert NEWS_MOOD in " ".join(source(cell(TRIALS, "a7e3c9d1")).split())
    ex6 = exercise("03.answer_6")
    assert ex6.answer == "c" and "difference was not tested" in ex6.options["c"]
    assert "difference-in-significance trap" in ex6.explanations["a"]
    assert "-0.34" in source(cell(TRIALS, "b8f4d0e2")) and "-0.13 [-0.41, 0.15]" in source(cell(TRIALS, "b8f4d0e2"))


def test_03_tchalova_direction_is_stated_against_the_other_seven_studies():
    table = load_table1()
    others = table.loc[~table["study"].str.startswith("Tchalova & MacDonald"), "connectedness_g"]
    assert len(others) == 7 and (others < 0).sum() == 4 and (others > 0).sum() == 3
    assert "the other 7 studies: 4 with g < 0, 3 with g > 0" in printed(cell(TRIALS, "c5a1e7f9"))
    body = markdown(TRIALS)
    assert "points the same way as in the other studies" not in body
    assert "4 of the other 7 have g < 0 and 3 have g > 0" in source(cell(TRIALS, "d6b2f8a0"))
    positive = set(table.loc[table["connectedness_g"] > 0, "study"])
    assert positive == {"Tarr et al. [64]", "Tchalova et al. [17]", "Rütgen & Lamm [63]"}
    assert "(Tarr et al., Tchalova et al. and Rütgen &\nLamm; Table 1)" in source(cell(TRIALS, "d6b2f8a0"))


def test_03_washout_quotes_at_least_15_days():
    body = markdown(TRIALS)
    assert "about 15 days" not in body
    assert REVIEW_15_DAYS in source(cell(TRIALS, "da89333b"))
    assert 5 * 72 / 24 == 15  # five blockade half-lives of 72 h


def test_03_side_effects_quote_the_review_and_feed_the_feeling_worse_explanation():
    side = source(cell(TRIALS, "3426c839"))
    assert REVIEW_SIDE_EFFECTS in side and REVIEW_NOT_ASSESSED in side and "*Discussion*" in side
    mood = source(cell(TRIALS, "a7e3c9d1"))
    assert "\"it's just feeling worse\"" in mood and REVIEW_GUT_FEELING in mood
    assert "caused a modest increase in symptoms and symptom-related distress" in mood


def test_03_news_article_chain_and_slip_are_quoted_and_corrected():
    box = source(cell(TRIALS, "a7c9e5f3"))
    for quote in (NEWS_GENES, NEWS_TONE, NEWS_SLIP):
        assert quote in box, quote
    assert "*blocking* opioids" in box and "Blocking opioids attenuates physical warmth-induced" in box
    assert "measured no genes, no addiction and no \"opioid tone\"" in box
    # taught where the diary study is: after the mood exercises, before the behavioural result
    assert position(TRIALS, "## 9. Is it just mood?") < position(TRIALS, "### Reading the news article") < \
        position(TRIALS, "### A behavioural result")


def test_the_prediction_is_right_at_a():
    [(_, correct, _)] = predictions("03")
    assert correct == "a"
