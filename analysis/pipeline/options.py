"""What an analysis is asked for: its term-analysis parameters and the columns it can group by.

Kept apart from :mod:`analysis.pipeline.prepare` so that checking options (and
whether an output folder is up to date) does not load the analyses themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.measures.contrast_schema import DEFAULT_PRIOR_TOTAL

__all__ = ["GROUPING_COLUMNS", "AnalysisOptions"]

#: Metadata columns an analyst can group articles by.
GROUPING_COLUMNS = ("outlet", "outlet_group", "meeting", "year", "language")


@dataclass(frozen=True)
class AnalysisOptions:
    """Parameters of the term analysis; recorded in every manifest."""

    prior_total: float = DEFAULT_PRIOR_TOTAL
    max_words: int = 3
    min_phrase_count: int = 2

    def __post_init__(self) -> None:
        if self.prior_total <= 0:
            raise ValueError(f"prior_total must be positive, got {self.prior_total}")
        if not 1 <= self.max_words <= 3:
            raise ValueError(f"max_words must be 1, 2 or 3, got {self.max_words}")
        if self.min_phrase_count < 1:
            raise ValueError(f"min_phrase_count must be at least 1, got {self.min_phrase_count}")
