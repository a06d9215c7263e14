"""The CSV loaders: the shipped files load and agree with the paper; corrupted copies are rejected.

Numbers checked against Løseth, Trøstheim & Leknes (2024), Transl Psychiatry 14:379
(Abstract; Results "Study selection", "Study characteristics", "Quality of individual
studies"; Table 1) and against the metadat documentation of each data set.
"""
import csv
import re

import numpy as np
import pytest

from utils import data


@pytest.fixture(scope="module")
def table1():
    return data.load_table1()


# --------------------------------------------------------------------------- #
# The shipped files
# --------------------------------------------------------------------------- #

def test_table1_shape_and_columns(table1):
    assert table1.shape == (8, len(data.TABLE1_COLUMNS))
    assert list(table1.columns) == [c.name for c in data.TABLE1_COLUMNS]
    assert table1["study"].is_unique


def test_table1_totals_match_results(table1):
    # Results, "Study selection": N = 455, 276 women, 179 men
    assert table1["n"].sum() == 455
    assert table1["women"].sum() == 276
    assert table1["men"].sum() == 179
    # "percentage of women ranging from 6% to 100% (M = 61%)"
    share = table1["women"] / table1["n"]
    assert round(share.min() * 100) == 6 and share.max() == 1
    assert round(100 * table1["women"].sum() / table1["n"].sum()) == 61
    # "On average, participants were 22 years old (range 20-43)"
    weighted_age = np.average(table1["age_mean"], weights=table1["n"])
    assert round(weighted_age) == 22
    assert round(table1["age_mean"].min()) == 20 and round(table1["age_mean"].max()) == 43


def test_table1_group_sizes_match_results(table1):
    # "median number of participants was 38 (range = 9-159) with a median of 36 participants
    # in the naltrexone conditions (range = 4-75) and 27 in the placebo conditions (range = 5-84)"
    assert table1["n"].median() == 38
    assert (table1["n"].min(), table1["n"].max()) == (9, 159)
    drug = table1["naltrexone_n"].map(sum)
    assert np.floor(drug.median() + 0.5) == 36  # 35.5, printed as 36
    assert (drug.min(), drug.max()) == (4, 75)
    assert table1["placebo_n"].median() == 27
    assert (table1["placebo_n"].min(), table1["placebo_n"].max()) == (5, 84)


def test_table1_quality_and_flags(table1):
    # "quality scores ... (range 3-5, M = 4.38)"; "Four out of the eight ... preregistered"
    assert (table1["jadad"].min(), table1["jadad"].max()) == (3, 5)
    assert round(table1["jadad"].mean(), 2) == 4.38
    assert table1["preregistered"].sum() == 4
    assert table1["unpublished"].sum() == 2  # "8 publications and 2 unpublished projects"


def test_table1_effect_columns(table1):
    # Charles et al. Study 1 (one context) holds the smallest outcome-level g, -2.50 (Results)
    assert table1["connectedness_g"].min() == -2.50
    # positive mood reported by 6 studies (positive-mood meta-regression: k_studies = 6)
    assert table1["positive_mood_g"].notna().sum() == 6
    assert table1.loc[table1["positive_mood_g"].isna(), "positive_mood_ci_low"].isna().all()
    assert (table1["connectedness_ci_low"] <= table1["connectedness_g"]).all()


def test_table1_designs(table1):
    within = table1[table1["design"] == "WS"]
    assert sorted(within["isi_days"].tolist()) == [7, 10]  # "intersession intervals ... 7 [63] and 10 days [20, 59]"
    assert table1.loc[table1["design"] == "BS", "isi_days"].isna().all()
    assert set(d for doses in table1["naltrexone_mg"] for d in doses) == {50, 100}  # "50-100 mg"


def test_table1_effects_for_meta_analysis(table1):
    eff = data.table1_effects()
    assert list(eff.columns) == ["study", "yi", "sei", "vi"]
    assert len(eff) == 8
    expected_se = (table1["connectedness_ci_high"] - table1["connectedness_ci_low"]) / (2 * 1.959964)
    np.testing.assert_allclose(eff["sei"], expected_se, rtol=1e-6)
    np.testing.assert_allclose(eff["vi"], eff["sei"] ** 2)
    mood = data.table1_effects("positive_mood")
    assert len(mood) == 6 and mood["vi"].gt(0).all()
    with pytest.raises(ValueError, match="outcome"):
        data.table1_effects("negative_mood")


def test_contexts_file(table1):
    ctx = data.load_table1_contexts()
    assert len(ctx) == sum(len(c) for c in table1["contexts"]) == 16
    assert list(ctx["relationship_type"].cat.categories) == ["new", "unspecified", "established"]
    counts = ctx["relationship_type"].value_counts()
    assert (counts["new"], counts["unspecified"], counts["established"]) == (5, 6, 5)  # counted by hand in Table 1
    # every study has at least one context; Inagaki et al. [60, 61] & Ross et al. [62] has six
    assert ctx.groupby("study").size().max() == 6
    assert set(ctx["study"]) == set(table1["study"])


def test_metadat_files():
    k11 = data.load_konstantopoulos2011()
    assert k11.shape == (56, 6) and k11["district"].nunique() == 11  # metadat: 56 studies, 11 districts
    bcg = data.load_bcg()
    assert bcg.shape == (13, 9)  # metadat: 13 trials
    hack = data.load_hackshaw1998()
    assert hack.shape == (37, 11)
    assert (hack["design"] == "cohort").sum() == 4  # metadat: 4 cohort, 33 case-control
    np.testing.assert_allclose(hack["yi"], np.log(hack["or"]), atol=1e-12)


def test_missing_data_folder_is_explained(monkeypatch, tmp_path):
    monkeypatch.setattr(data, "DATA_DIR", tmp_path / "nowhere")
    with pytest.raises(FileNotFoundError, match="data"):
        data.load_table1()


# --------------------------------------------------------------------------- #
# Corrupted copies: every error names the file, the row and the column
# --------------------------------------------------------------------------- #

def _rows(name):
    with open(data.DATA_DIR / name, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def _write(tmp_path, name, rows):
    path = tmp_path / name
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return path


def corrupt(tmp_path, name, edits):
    """Copy data/<name> to tmp_path with cells replaced: edits = {(row, column): value}, row 1-based."""
    rows = _rows(name)
    header = rows[0]
    for (row, column), value in edits.items():
        rows[row][header.index(column)] = value
    return _write(tmp_path, name, rows)


T1 = "loseth2024_table1.csv"
CASES = [
    # (file, {(row, column): new value}, row and column the error must name)
    (T1, {(3, "n"): "81"}, 3, "n"),                               # N != women + men
    (T1, {(3, "n"): "eighty"}, 3, "n"),                           # not a number
    (T1, {(4, "women"): "8.5"}, 4, "women"),                      # not a whole number
    (T1, {(2, "connectedness_ci_low"): "0.10"}, 2, "connectedness_ci_low"),   # low > g
    (T1, {(5, "connectedness_ci_high"): "-0.90"}, 5, "connectedness_ci_high"),  # g > high
    (T1, {(6, "connectedness_g"): ""}, 6, "connectedness_g"),     # required value missing
    (T1, {(3, "positive_mood_g"): "-0.10"}, 3, "positive_mood_g"),  # g without its CI
    (T1, {(4, "jadad"): "6"}, 4, "jadad"),                        # quality outside 0-5
    (T1, {(1, "design"): "XS"}, 1, "design"),                     # design not WS/BS
    (T1, {(2, "isi_days"): "14"}, 2, "isi_days"),                 # ISI for a BS study
    (T1, {(8, "isi_days"): ""}, 8, "isi_days"),                   # WS study without ISI
    (T1, {(2, "relationship_types"): "stranger"}, 2, "relationship_types"),  # unknown type
    (T1, {(1, "relationship_types"): "unspecified;established"}, 1, "relationship_types"),  # count
    (T1, {(6, "naltrexone_n"): "70"}, 6, "naltrexone_n"),         # arms do not add up to N
    (T1, {(2, "naltrexone_n"): "25"}, 2, "naltrexone_n"),         # 2 doses, 1 group size
    (T1, {(7, "placebo_n"): "0"}, 7, "placebo_n"),                # below minimum
    (T1, {(8, "placebo_n"): "40"}, 8, "placebo_n"),               # WS: placebo n != N
    (T1, {(7, "preregistered"): "maybe"}, 7, "preregistered"),    # not a flag
    (T1, {(2, "study"): "Inagaki et al. [20, 59]"}, 2, "study"),  # duplicated study
    (T1, {(5, "age_mean"): "-3"}, 5, "age_mean"),                 # negative age
    ("loseth2024_contexts.csv", {(3, "relationship_type"): "new"}, 3, "relationship_type"),
    ("loseth2024_contexts.csv", {(5, "study"): "Tarr et al. 2017"}, 5, "study"),
    ("loseth2024_contexts.csv", {(2, "context_number"): "3"}, 2, "context_number"),
    ("loseth2024_contexts.csv", {(12, "context"): "Yoga"}, 12, "context"),
    ("konstantopoulos2011.csv", {(10, "vi"): "-0.01"}, 10, "vi"),
    ("konstantopoulos2011.csv", {(20, "year"): "nineteen-ninety"}, 20, "year"),
    ("konstantopoulos2011.csv", {(30, "study"): "1"}, 30, "study"),
    ("bcg.csv", {(4, "alloc"): "randomised"}, 4, "alloc"),
    ("bcg.csv", {(9, "tpos"): "-1"}, 9, "tpos"),
    ("hackshaw1998.csv", {(3, "or_lb"): "2.5"}, 3, "or_lb"),
    ("hackshaw1998.csv", {(11, "design"): "cross-sectional"}, 11, "design"),
]

LOADERS = {
    T1: data.load_table1,
    "loseth2024_contexts.csv": data.load_table1_contexts,
    "konstantopoulos2011.csv": data.load_konstantopoulos2011,
    "bcg.csv": data.load_bcg,
    "hackshaw1998.csv": data.load_hackshaw1998,
}


@pytest.mark.parametrize("name, edits, row, column", CASES,
                         ids=[f"{c[0]}:{c[3]}:{i}" for i, c in enumerate(CASES)])
def test_corrupted_file_names_file_row_and_column(tmp_path, name, edits, row, column):
    path = corrupt(tmp_path, name, edits)
    with pytest.raises(ValueError) as info:
        LOADERS[name](path)
    message = str(info.value)
    assert str(path) in message
    assert f"row {row} (line {row + 1})" in message
    assert f"column '{column}'" in message


@pytest.mark.parametrize("name", list(LOADERS))
def test_missing_column_is_named(tmp_path, name):
    rows = _rows(name)
    dropped = rows[0][-1]
    path = _write(tmp_path, name, [r[:-1] for r in rows])
    with pytest.raises(ValueError, match=rf"{re.escape(str(path))}: column '{re.escape(dropped)}': is missing"):
        LOADERS[name](path)


def test_unexpected_column_is_named(tmp_path):
    rows = _rows(T1)
    path = _write(tmp_path, T1, [r + (["extra"] if i == 0 else ["1"]) for i, r in enumerate(rows)])
    with pytest.raises(ValueError, match="column 'extra': is not expected"):
        data.load_table1(path)


def test_contexts_must_cover_every_table1_context(tmp_path):
    rows = _rows("loseth2024_contexts.csv")
    path = _write(tmp_path, "loseth2024_contexts.csv", rows[:-1])  # drop the last study's only context
    with pytest.raises(ValueError, match=r"Rütgen & Lamm \[63\]' has 0 context row"):
        data.load_table1_contexts(path)


def test_empty_file_and_missing_file(tmp_path):
    path = _write(tmp_path, T1, _rows(T1)[:1])
    with pytest.raises(ValueError, match="no data rows"):
        data.load_table1(path)
    with pytest.raises(FileNotFoundError):
        data.load_table1(tmp_path / "absent.csv")


def test_each_call_reads_the_file_afresh():
    first = data.load_table1()
    first.loc[0, "n"] = 0
    assert data.load_table1().loc[0, "n"] == 31
