"""Learner answers for the judge's generic detections, in exercises of lessons 06 and 08: an answer that is a
fitted model's result object (the hint names the attribute to take), and a function that returns the whole
result instead of one of its numbers."""
from .harness import Answer

ANSWERS = [
    Answer("06.i2_from_q", "i2_from_q = meta.random_effects(yi, vi, method='DL')", "wrong",
           ("RandomEffectsResult", ".i2"), kind="wrong type"),
    Answer("06.dl_tau2", "def dl_tau2(yi, vi):\n    pass\n    # YOUR CODE HERE", "not attempted", kind="blank"),
]
