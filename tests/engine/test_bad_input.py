"""Bad input to the engine stops with a ValueError that names the argument
(and, where there is one, the offending position)."""
import numpy as np
import pandas as pd
import pytest

from utils import bias, effects, meta

GOOD = dict(m1=[5.0, 6.0, 7.0], sd1=[1.0, 1.2, 1.1], n1=[10, 12, 14],
            m2=[4.0, 5.5, 6.0], sd2=[1.1, 1.0, 1.3], n2=[11, 12, 13])
YI = [0.1, 0.3, -0.2, 0.5]
VI = [0.04, 0.02, 0.05, 0.03]
STUDY = ["a", "a", "b", "b"]


def hedges(**changes):
    return effects.hedges_g(**{**GOOD, **changes})


CASES = [
    # (label, call, words the message must contain)
    ("negative SD", lambda: hedges(sd1=[1.0, -1.2, 1.1]), ["sd1", "position 1"]),
    ("zero SD", lambda: hedges(sd2=[1.1, 1.0, 0.0]), ["sd2", "position 2"]),
    ("group of one", lambda: hedges(n1=[10, 1, 14]), ["n1", "position 1"]),
    ("NaN mean", lambda: hedges(m1=[5.0, np.nan, 7.0]), ["m1", "position 1"]),
    ("infinite mean", lambda: hedges(m2=[np.inf, 5.5, 6.0]), ["m2", "position 0"]),
    ("mismatched lengths", lambda: hedges(n2=[11, 12]), ["n2", "length 2"]),
    ("text among numbers", lambda: hedges(m1=[5.0, "six", 7.0]), ["m1", "position 1"]),
    ("booleans", lambda: effects.cohens_d(True, 1.0, 10, 0.0, 1.0, 10), ["m1"]),
    ("t as text", lambda: effects.g_from_t("2.1", 20, 20), ["t"]),
    ("paired n too small", lambda: effects.g_from_t(2.0, 2), ["n1", "position 0"]),
    ("negative F", lambda: effects.g_from_f(-1.0, 20, 20, sign=1), ["f", "position 0"]),
    ("sign not +/-1", lambda: effects.g_from_f(4.0, 20, 20, sign=0), ["sign", "position 0"]),
    ("correlation above 1", lambda: effects.smd_change(5, 4, 1, 1, 20, 1.5), ["r", "position 0"]),
    ("r = 1 with equal SDs", lambda: effects.smd_change(5, 4, 1, 1, 20, 1.0), ["r", "position 0"]),
    ("unknown measure", lambda: effects.smd_change(5, 4, 1, 1, 20, 0.5, measure="SMD"), ["measure"]),
    ("CI upside down", lambda: effects.se_from_ci([-0.5, 0.3], [0.1, 0.2]), ["high", "position 1"]),
    ("level as a percentage", lambda: effects.se_from_ci(-0.5, 0.1, level=95), ["level"]),
    ("correction with df 1", lambda: effects.correction_factor([10, 1]), ["df", "position 1"]),
    ("negative variance", lambda: meta.random_effects(YI, [0.04, -0.02, 0.05, 0.03]), ["vi", "position 1"]),
    ("zero variance", lambda: meta.random_effects(YI, [0.04, 0.02, 0.0, 0.03]), ["vi", "position 2"]),
    ("NaN effect", lambda: meta.random_effects([0.1, np.nan, 0.2, 0.3], VI), ["yi", "position 1"]),
    ("infinite effect", lambda: meta.random_effects([0.1, 0.2, 0.3, np.inf], VI), ["yi", "position 3"]),
    ("yi and vi lengths", lambda: meta.random_effects(YI, VI[:3]), ["yi", "vi"]),
    ("one study", lambda: meta.random_effects([0.1], [0.04]), ["yi", "at least 2"]),
    ("unknown method", lambda: meta.random_effects(YI, VI, method="HS"), ["method"]),
    ("unknown test", lambda: meta.random_effects(YI, VI, test="adhoc"), ["test"]),
    ("text effects", lambda: meta.random_effects(["0.1", "0.3", "x", "0.5"], VI), ["yi"]),
    ("missing label", lambda: meta.random_effects(YI, VI, labels=["a", None, "c", "d"]),
     ["labels", "position 1"]),
    ("missing study label", lambda: meta.three_level(YI, VI, ["a", "a", np.nan, "b"]), ["study", "position 2"]),
    ("single study", lambda: meta.three_level(YI, VI, ["a"] * 4), ["study", "at least 2"]),
    ("one outcome per study", lambda: meta.three_level(YI, VI, ["a", "b", "c", "d"]), ["study", "single"]),
    ("outcome twice in a study", lambda: meta.three_level(YI, VI, STUDY, outcome=[1, 1, 1, 2]),
     ["outcome", "position 1"]),
    ("DL for three levels", lambda: meta.three_level(YI, VI, STUDY, method="DL"), ["method"]),
    ("study of wrong length", lambda: meta.three_level(YI, VI, ["a", "a", "b"]), ["study"]),
    ("rho = 1", lambda: meta.aggregate(YI, VI, STUDY, rho=1.0), ["rho"]),
    ("rho too negative for the cluster", lambda: meta.aggregate(YI, VI, ["a", "a", "a", "b"], rho=-0.6),
     ["rho", "'a'"]),
    ("missing cluster label", lambda: meta.aggregate(YI, VI, ["a", "", "b", "b"]), ["cluster", "position 1"]),
    ("missing moderator value", lambda: meta.regression(YI, VI, {"type": ["x", None, "y", "x"]}),
     ["'type'", "position 1"]),
    ("moderator of wrong length", lambda: meta.regression(YI, VI, {"dose": [1.0, 2.0, 3.0]}), ["'dose'"]),
    ("infinite moderator", lambda: meta.regression(YI, VI, {"dose": [1.0, np.inf, 2.0, 3.0]}),
     ["'dose'", "position 1"]),
    ("collinear moderators", lambda: meta.regression(YI, VI, pd.DataFrame({"a": [1, 2, 3, 4.0],
                                                                          "b": [2, 4, 6, 8.0]})),
     ["moderators", "full rank"]),
    ("Knapp-Hartung for three levels", lambda: meta.regression(YI, VI, {"dose": [1, 2, 3, 4]}, study=STUDY,
                                                               test="knha"), ["test"]),
    ("outcome without study", lambda: meta.regression(YI, VI, {"dose": [1, 2, 3, 4]}, outcome=[1, 2, 3, 4]),
     ["outcome", "study"]),
    ("unknown category in predict",
     lambda: meta.regression(YI, VI, {"type": ["x", "y", "y", "x"]}).predict({"type": ["z"]}),
     ["'type'", "position 0"]),
    ("level above 1", lambda: meta.random_effects(YI, VI, level=1.5), ["level"]),
    ("study is None", lambda: meta.three_level(YI, VI, None), ["study", "None"]),
    ("study is a number", lambda: meta.three_level(YI, VI, 3), ["study", "4 labels"]),
    ("effects of 1e80", lambda: meta.random_effects(np.array(YI) * 1e80, VI), ["yi", "scale"]),
    ("effects of 1e200", lambda: meta.regression(np.array(YI) * 1e200, VI, {"dose": [1, 2, 3, 4]}),
     ["yi", "scale"]),
    ("variances of 1e-80", lambda: meta.three_level(YI, np.array(VI) * 1e-80, STUDY), ["vi", "scale"]),
    ("selection step of 0", lambda: bias.selection_model(YI, VI, steps=(0.0,)), ["steps", "position 0"]),
    ("selection step above 1", lambda: bias.selection_model(YI, VI, steps=(0.05, 2)), ["steps", "position 1"]),
    ("selection model on 2 effects", lambda: bias.selection_model(YI[:2], VI[:2]), ["yi", "too few"]),
    ("PET-PEESE on 2 effects", lambda: bias.pet_peese(YI[:2], VI[:2]), ["yi", "at least 3"]),
    ("influence on 2 effects", lambda: meta.influence(meta.random_effects(YI[:2], VI[:2])), ["fit", "k = 2"]),
    ("cluster of wrong length", lambda: meta.robust(meta.random_effects(YI, VI), ["a", "b"]), ["cluster", "2"]),
    ("a single cluster", lambda: meta.robust(meta.random_effects(YI, VI), ["a"] * 4), ["cluster", "one cluster"]),
]


@pytest.mark.parametrize("call, words", [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_raises_value_error_naming_the_argument(call, words):
    with pytest.raises(ValueError) as info:
        call()
    message = str(info.value)
    for word in words:
        assert word in message, f"message {message!r} does not mention {word!r}"
