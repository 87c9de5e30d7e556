"""What a term contrast reports, without computing one: its columns, prior and small samples.

See :mod:`analysis.measures.contrasts` for the method. Kept apart so that a
reader of these settings (the dashboard's Overview, checking options) does not
load SciPy and the term counting with them.
"""

from __future__ import annotations

__all__ = [
    "CONTRAST_COLUMNS",
    "DEFAULT_PRIOR_TOTAL",
    "MIN_GROUP_ARTICLES",
    "MIN_GROUP_TOKENS",
    "PRIORS",
]

#: Default α₀, the total prior pseudo-count (see :mod:`analysis.measures.contrasts`).
DEFAULT_PRIOR_TOTAL = 1000.0
#: Groups with fewer articles than this are marked too small to trust.
MIN_GROUP_ARTICLES = 5
#: Groups with fewer word tokens than this are marked too small to trust.
MIN_GROUP_TOKENS = 2000
#: Where an A vs B contrast's prior comes from: all selected articles, or A's and B's only.
PRIORS = ("selection", "pair")

#: Columns of the frames returned by :func:`analysis.measures.contrasts.contrast_one_vs_rest`
#: and :func:`~analysis.measures.contrasts.contrast_pair`.
CONTRAST_COLUMNS: dict[str, str] = {
    "group": "the group's value in the grouping column, as text",
    "comparison": "'rest' (all other selected articles) or the other group's value",
    "term": "the word or phrase, lowercased",
    "n_words": "words in the term (1-3)",
    "count_group": "occurrences of the term in the group",
    "count_other": "occurrences of the term on the other side",
    "docs_group": "articles of the group that use the term",
    "docs_other": "articles on the other side that use the term",
    "log_odds": "δ, log-odds ratio with informative Dirichlet prior (natural log); "
    "> 0: more typical of the group",
    "z": "δ / σ(δ); |z| > 1.96 is the usual 95% threshold",
    "tfidf_group": "mean TF-IDF of the term over the group's articles",
    "tfidf_other": "mean TF-IDF of the term over the other side's articles",
    "tfidf_diff": "tfidf_group - tfidf_other",
    "single_article": "True when all the group's occurrences come from one article",
    "single_article_other": "True when all the other side's occurrences come from one article",
    "group_articles": "articles in the group",
    "group_tokens": "word tokens in the group (stopwords included)",
    "other_articles": "articles on the other side",
    "other_tokens": "word tokens on the other side",
    "small_group": f"True when the group has < {MIN_GROUP_ARTICLES} articles "
    f"or < {MIN_GROUP_TOKENS:,} tokens",
    "small_other": "the same test applied to the other side",
    "small_reason": "why either side is too small to trust ('' when neither is)",
}
