"""Learner answers, as learners give them, with the verdict and hint each must get.

One module per lesson (``lesson05.py``) holds ``ANSWERS``, a list of
:class:`harness.Answer`. Every graded exercise has at least: the reference
answer, a correct alternative (another method, rounded, a letter in capitals),
a typical mistake, a shortcut, a crash, a wrong type and a non-answer.
"""
