"""The shared scalar checks in utils.validation."""
import numpy as np
import pytest

from utils import validation


def test_as_positive_float():
    assert validation.as_positive_float(2, "tr") == 2.0
    assert validation.as_positive_float(0, "noise_sd", allow_zero=True) == 0.0
    with pytest.raises(ValueError, match="tr must be positive"):
        validation.as_positive_float(0, "tr")
    with pytest.raises(ValueError, match="noise_sd must be non-negative"):
        validation.as_positive_float(-1, "noise_sd", allow_zero=True)
    with pytest.raises(ValueError, match="tr"):
        validation.as_positive_float("fast", "tr")
    with pytest.raises(ValueError, match="tr must be finite"):
        validation.as_positive_float(np.inf, "tr")


def test_as_whole_number():
    assert validation.as_whole_number(40.0, "n") == 40
    assert isinstance(validation.as_whole_number(np.int64(3), "n"), int)
    with pytest.raises(ValueError, match="n must be a whole number"):
        validation.as_whole_number(2.5, "n")
    with pytest.raises(ValueError, match="n must be at least 4"):
        validation.as_whole_number(3, "n", 4)
    with pytest.raises(ValueError, match="n"):
        validation.as_whole_number([1, 2], "n")


def test_rng_from_seed():
    a = validation.rng_from_seed(7).normal(size=3)
    np.testing.assert_array_equal(a, validation.rng_from_seed(np.int32(7)).normal(size=3))
    assert isinstance(validation.rng_from_seed(None), np.random.Generator)
    for bad in (-1, 1.5, "1", True):
        with pytest.raises(ValueError, match="seed"):
            validation.rng_from_seed(bad)
