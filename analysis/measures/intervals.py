"""Confidence intervals for proportions: the Wilson score interval, vectorized."""

from __future__ import annotations

from collections.abc import Sequence
from statistics import NormalDist

import numpy as np

__all__ = ["wilson_interval"]


def wilson_interval(
    successes: np.ndarray | Sequence[float],
    totals: np.ndarray | Sequence[float],
    *,
    confidence_level: float = 0.95,
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for proportions ``successes / totals`` (vectorized).

    Parameters
    ----------
    successes, totals : array-like
        Counts; ``totals`` of 0 give NaN bounds.
    confidence_level : float, default 0.95
        Two-sided coverage, strictly between 0 and 1.

    Returns
    -------
    low, high : numpy.ndarray

    Raises
    ------
    ValueError
        If ``confidence_level`` is not in (0, 1), a count is negative, or
        ``successes`` exceeds ``totals``.
    """
    if not 0 < confidence_level < 1:
        raise ValueError(f"confidence_level must be in (0, 1), got {confidence_level}")
    k = np.asarray(successes, dtype=float)
    n = np.asarray(totals, dtype=float)
    if (k < 0).any() or (n < 0).any() or (k > n).any():
        raise ValueError("successes and totals must be counts with successes <= totals")
    z = NormalDist().inv_cdf(0.5 + confidence_level / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denominator = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denominator
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denominator
    # No successes: the lower bound is 0 exactly (all: the upper is 1), not
    # whatever rounding leaves of centre - half.
    low = np.where(n > 0, np.where(k == 0, 0.0, np.clip(centre - half, 0, 1)), np.nan)
    high = np.where(n > 0, np.where(k == n, 1.0, np.clip(centre + half, 0, 1)), np.nan)
    return low, high
