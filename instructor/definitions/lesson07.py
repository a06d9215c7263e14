"""Exercises of lesson 07 (Dependent effects)."""
import numpy as np
from scipy import stats

from instructor.definitions import ChoiceExercise, Forbidden, FunctionExercise, Mistake, ValueExercise, Written
from utils import data, meta

_SCHOOLS = data.load_konstantopoulos2011()
_YI, _VI = _SCHOOLS["yi"].to_numpy(), _SCHOOLS["vi"].to_numpy()
_THREE = meta.three_level(_YI, _VI, study=_SCHOOLS["district"].to_numpy(), outcome=_SCHOOLS["school"].to_numpy())
_D58 = (_SCHOOLS["district"] == 58).to_numpy()


def _typical_v(vi, df_offset=1, inverted=False):
    """Higgins & Thompson's (2002) typical sampling variance s² = (k-1) Σw / ((Σw)² - Σw²), w = 1/v (and the
    variants learners write: k for k - 1, the fraction upside down)."""
    w = 1 / np.asarray(vi, dtype=float)
    s2 = (len(w) - df_offset) * w.sum() / (w.sum() ** 2 - (w**2).sum())
    return 1 / s2 if inverted else s2


def _i2_within(sigma2, vi, level=1, s2="typical"):
    """I² of one level, in percent (Viechtbauer, "I² for multilevel and multivariate models"); level "total" is
    both levels together."""
    between, within = np.asarray(sigma2, dtype=float)
    extra = {"typical": _typical_v(vi), "mean": np.mean(vi), "none": 0.0, "k": _typical_v(vi, df_offset=0),
             "inverted": _typical_v(vi, inverted=True)}[s2]
    top = between + within if level == "total" else (between, within)[level]
    return 100 * top / (between + within + extra)


def _aggregate(yi, vi, rho):
    one = meta.aggregate(yi, vi, cluster=["study"] * len(yi), rho=rho)
    return one["yi"].iloc[0], one["vi"].iloc[0]


def _aggregate_with(yi, vi, rho, off_diagonal):
    """W = V⁻¹ weighting with a wrong off-diagonal of V: ``"rho"`` (the correlation itself, not a covariance) or
    ``"rho_v"`` (ρ v_i v_l, the square root missing)."""
    yi, vi = np.asarray(yi, dtype=float), np.asarray(vi, dtype=float)
    V = rho * (np.ones((len(vi), len(vi))) if off_diagonal == "rho" else np.outer(vi, vi))
    np.fill_diagonal(V, vi)
    W = np.linalg.inv(V)
    return (W @ yi).sum() / W.sum(), 1 / W.sum()


def _ignore_rho(yi, vi, rho):
    w = 1 / np.asarray(vi, dtype=float)
    return np.sum(w * np.asarray(yi, dtype=float)) / w.sum(), 1 / w.sum()


def _plain_mean(yi, vi, rho):
    return np.mean(yi), np.mean(vi) / len(vi)


def _t_interval(estimate, se, df, level=0.95, quantile="t"):
    """estimate -/+ q se with q the t quantile on df (the CR2 test; Tipton 2015) and the variants learners write."""
    q = {"t": lambda: stats.t.ppf((1 + level) / 2, df), "z": lambda: stats.norm.ppf((1 + level) / 2),
         "1.96": lambda: 1.96, "one_sided": lambda: stats.t.ppf(level, df),
         "level_for_alpha": lambda: stats.t.ppf(1 - level / 2, df),
         "df_minus_1": lambda: stats.t.ppf((1 + level) / 2, df - 1),
         "fixed_level": lambda: stats.t.ppf(0.975, df), "whole_df": lambda: stats.t.ppf((1 + level) / 2, np.floor(df)),
         "rounded_df": lambda: stats.t.ppf((1 + level) / 2, np.round(df)),
         }[quantile]()
    return estimate - q * se, estimate + q * se


_S2 = 0.12**2 * (1 - 0.23) / 0.23

EXERCISES = [
    ChoiceExercise(
        id="07.answer_1", target="answer_1", title="Exercise 1: reading the variance components",
        options={"a": "schools in one district are more alike than schools in different districts",
                 "b": "σ²_within < σ²_between, so schools of one district differ only by sampling error",
                 "c": "an SD of 0.26 means no district's mean true effect lies over 0.26 from μ",
                 "d": "σ²_between is above zero, so the average effect μ must be positive"},
        answer="a",
        explanations={
            "a": "Yes: the between-district variance (0.065) is about twice the within-district one (0.033), so two "
                 "schools of one district share much of their true effect; their true effects correlate about 0.67.",
            "b": "Both σ² values are variances of *true* effects, beyond sampling error; sampling error is level 1, "
                 "the known v (section 3's list of levels). A within-district σ² of 0.033 means schools of one "
                 "district really differ.",
            "c": "An SD is a typical distance, not a maximum: with normal district effects (section 3's u_j) about a "
                 "third of districts lie more than one SD from μ, and about 5% more than two.",
            "d": "Variances say how far the effects spread, not where their mean lies: in section 3's model μ and "
                 "the two σ² are separate terms, and μ could be negative with the same σ²."},
    ),
    FunctionExercise(
        id="07.i2_within_pct", target="i2_within_pct", title="Exercise 2: I² within studies",
        reference=_i2_within,
        # The school data, small lists and arrays, and a within-study variance of 0: the hidden cases are alike.
        cases=[(list(_THREE.sigma2), list(_VI)), ([0.02, 0.01], [0.04, 0.05, 0.03, 0.06]),
               (np.array([0.1, 0.0]), np.array([0.05, 0.1]))],
        hidden_cases=[(np.array([0.0, 0.05]), np.array([0.1, 0.2, 0.15])),
                      ([0.03, 0.02], list(np.linspace(0.01, 0.2, 17))),
                      (list(_THREE.sigma2), list(_VI[_D58]))],
        quantity="percentage",
        mistakes=[
            Mistake("no_sampling_variance", "You left the sampling variance s² out of the denominator: that is the "
                                            "share of the *true-effect* variance, not of the total.",
                    function=lambda s, v: _i2_within(s, v, s2="none")),
            Mistake("mean_v", "s² is not the plain mean of vi: use the 'typical' variance built from the weights "
                              "w = 1/v.", function=lambda s, v: _i2_within(s, v, s2="mean")),
            Mistake("between", "That is the between-study I² (sigma2[0]); the question asks for within "
                               "(sigma2[1]).", function=lambda s, v: _i2_within(s, v, level=0)),
            Mistake("both_levels", "Return one number, the within-study I² (in percent), not both levels.",
                    function=lambda s, v: (_i2_within(s, v, level=0), _i2_within(s, v))),
            Mistake("total", "That is the total I² (both levels): the within level's share has only "
                             "sigma2[1] above the line.", function=lambda s, v: _i2_within(s, v, level="total")),
            Mistake("typical_k", "The typical variance s² has k − 1 in its numerator, not k: "
                                 "s² = (k − 1) Σw / ((Σw)² − Σw²).", function=lambda s, v: _i2_within(s, v, s2="k")),
            Mistake("typical_inverted", "Your s² is upside down: s² = (k − 1) Σw / ((Σw)² − Σw²), a variance of "
                                        "the size of the vi.",
                    function=lambda s, v: _i2_within(s, v, s2="inverted")),
        ],
        forbidden=[Forbidden(names=("three_level",), hint="Fitting the model again is not needed (and not "
                                                          "allowed here): compute I² from sigma2 and vi.")],
        rtol=1e-6,
    ),
    ValueExercise(
        id="07.s2_implied", target="s2_implied", title="Exercise 3: the sampling variance behind I² = 23%",
        expected=_S2, decimals=3, quantity="variance",
        mistakes=[
            Mistake("percent_i2", "Use I² as a proportion, 0.23, not the percentage 23 (which makes s² negative, and a "
                                  "variance cannot be negative): s² = σ²(1 − I²)/I².",
                    value=0.12**2 * (1 - 23) / 23),
            Mistake("sd_not_squared", "0.12 is a standard deviation: square it to get the variance σ² first.",
                    value=0.12 * (1 - 0.23) / 0.23),
            Mistake("inverted", "Solve I² = σ²/(σ² + s²) for s²: s² = σ²(1 − I²)/I², not σ² I²/(1 − I²).",
                    value=0.12**2 * 0.23 / (1 - 0.23)),
            Mistake("standard_error", "That is the standard error √s²; the question asks for the variance s².",
                    value=np.sqrt(_S2)),
            Mistake("total_variance", "σ² / I² is the total σ² + s²: subtract σ² to leave s², "
                                      "s² = σ²(1 − I²)/I².", value=0.12**2 / 0.23),
            Mistake("not_divided", "You multiplied σ² by 1 − I² but did not divide by I²: s² = σ²(1 − I²)/I².",
                    value=0.12**2 * (1 - 0.23)),
        ],
    ),
    FunctionExercise(
        id="07.aggregate_one", target="aggregate_one", title="Exercise 4: aggregate_one",
        reference=_aggregate,
        # One outcome, two to eleven, ρ from 0 to 0.8, lists and arrays: the hidden cases are of the same kinds.
        cases=[([-0.3, -0.1, 0.2], [0.04, 0.05, 0.03], 0.6), ([0.1, 0.5], [0.02, 0.08], 0.0),
               ([0.3], [0.05], 0.6), (np.array([-0.2, 0.1, 0.0, 0.4]), np.array([0.03, 0.06, 0.02, 0.09]), 0.8),
               (list(_YI[_D58]), list(_VI[_D58]), 0.6)],
        hidden_cases=[([0.1, 0.5], [0.02, 0.08], 0.5), ([-0.5], [0.2], 0.3),
                      (np.array([0.2, 0.25, -0.1]), np.array([0.01, 0.04, 0.09]), 0.3),
                      (list(_YI[_D58]), list(_VI[_D58]), 0.3)],
        parts=("y_bar", "v_bar"),
        mistakes=[
            Mistake("ignores_rho", "Your result ignores rho: that is the inverse-variance mean for independent "
                                   "outcomes (rho = 0). Put rho·√(v_i v_l) off the diagonal of V.",
                    function=_ignore_rho),
            Mistake("plain_mean", "A plain average ignores both the different precisions and the correlation: "
                                  "weight with W = V⁻¹.", function=_plain_mean),
            Mistake("correlation_not_covariance", "rho is a correlation: the covariance off the diagonal of V is "
                                                  "rho·√(v_i v_l), rho * np.outer(se, se) with se = √vi, not rho "
                                                  "itself.", function=lambda y, v, r: _aggregate_with(y, v, r, "rho")),
            Mistake("variances_not_se", "The off-diagonal needs the standard errors: rho·√(v_i v_l), "
                                        "rho * np.outer(np.sqrt(vi), np.sqrt(vi)), not rho * np.outer(vi, vi).",
                    function=lambda y, v, r: _aggregate_with(y, v, r, "rho_v")),
        ],
        forbidden=[Forbidden(names=("aggregate",), hint="meta.aggregate is the helper this exercise asks you to "
                                                        "write for one study: build V and W = V⁻¹ yourself.")],
        rtol=1e-6,
    ),
    FunctionExercise(
        id="07.t_interval", target="t_interval", title="Exercise 5: t_interval",
        reference=_t_interval,
        # Satterthwaite df that are not whole numbers, small and large df, levels .90/.95/.99: hidden alike.
        cases=[(0.1279, 0.0782, 7.37), (0.1847, 0.0845, 9.86), (-0.20, 0.065, 7.0, 0.90), (0.5, 0.2, 2.5, 0.99),
               (-0.3, 0.1, 200.0)],
        hidden_cases=[(0.3, 0.15, 3.2), (-0.1, 0.05, 30.0, 0.80), (0.1847, 0.0845, 9.86, 0.99), (0.02, 0.4, 1.6)],
        parts=("ci_low", "ci_high"),
        mistakes=[
            Mistake("z_quantile", "That is a z interval: with a handful of clusters the robust test uses a t "
                                  "distribution on the Satterthwaite df, stats.t.ppf((1 + level) / 2, df).",
                    function=lambda e, s, d, lv=0.95: _t_interval(e, s, d, lv, quantile="z")),
            Mistake("typed_1.96", "1.96 is the z quantile for 95%: use stats.t.ppf((1 + level) / 2, df), which "
                                  "depends on df and on level.",
                    function=lambda e, s, d, lv=0.95: _t_interval(e, s, d, lv, quantile="1.96")),
            Mistake("one_sided", "stats.t.ppf(level, df) leaves all of 1 − level in one tail: a two-sided "
                                 "interval puts half in each, stats.t.ppf((1 + level) / 2, df).",
                    function=lambda e, s, d, lv=0.95: _t_interval(e, s, d, lv, quantile="one_sided")),
            Mistake("fixed_level", "You used the 95% quantile whatever level is: use (1 + level) / 2.",
                    function=lambda e, s, d, lv=0.95: _t_interval(e, s, d, lv, quantile="fixed_level")),
            Mistake("whole_df", "Satterthwaite df need not be whole numbers: pass df to stats.t.ppf as it is "
                                "(rounding it down makes the interval a little too wide).",
                    function=lambda e, s, d, lv=0.95: _t_interval(e, s, d, lv, quantile="whole_df")),
            Mistake("rounded_df", "Satterthwaite df need not be whole numbers: pass df to stats.t.ppf as it is, "
                                  "not rounded to the nearest whole number.",
                    function=lambda e, s, d, lv=0.95: _t_interval(e, s, d, lv, quantile="rounded_df")),
            Mistake("with_estimate", "Return the two bounds (ci_low, ci_high), without the estimate between "
                                     "them.", function=lambda e, s, d, lv=0.95: (_t_interval(e, s, d, lv)[0], e,
                                                                                   _t_interval(e, s, d, lv)[1])),
            Mistake("level_for_alpha", "1 − level / 2 mixes up level and α: the upper quantile is at "
                                       "1 − α/2 = (1 + level) / 2, 0.975 for level = 0.95.",
                    function=lambda e, s, d, lv=0.95: _t_interval(e, s, d, lv, quantile="level_for_alpha")),
            Mistake("df_minus_1", "df is already the test's degrees of freedom: pass it to stats.t.ppf as it is, "
                                  "not df − 1.",
                    function=lambda e, s, d, lv=0.95: _t_interval(e, s, d, lv, quantile="df_minus_1")),
        ],
        forbidden=[Forbidden(names=("robust",), hint="meta.robust computes the whole test for you: build the "
                                                     "interval from estimate, se and df with stats.t.ppf.")],
        rtol=1e-6,
    ),
    Written(
        id="07.written-1", title="Reflection: I² between studies = 0%",
        rubric={2: "Says what is right (no detectable spread of the studies' mean true effects) AND what is wrong "
                   "(0% is an estimate at the boundary from only 8 studies, not proof of identical studies) AND "
                   "what the within-study 23% means for a future study (its context/outcome changes its effect, "
                   "SD about 0.12), ideally noting that the within part cannot be checked from the article.",
                1: "Makes one of the two points (uncertainty of the 0% from few studies, or the within-study "
                   "variation) but not both, or states them without explaining them.",
                0: "Blank, or agrees with the reader's conclusion."},
    ),
]
