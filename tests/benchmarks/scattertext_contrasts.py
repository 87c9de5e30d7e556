"""Scattertext's term contrasts on given texts, timed: each outlet against all the others.

Run by the ``scattertext`` stage of ``bench_pipeline.py`` (not collected by
pytest), with a Python that has scattertext 0.2.2. It is kept out of the
project's environment: it pins SciPy below 1.14 and brings spaCy, gensim and
statsmodels. Make that Python once with::

    python3 -m venv .venv-scattertext
    .venv-scattertext/bin/pip install scattertext==0.2.2 six  # it imports six, not listed

Usage: ``python scattertext_contrasts.py TEXTS.jsonl [--top 100]``, where each
line of ``TEXTS.jsonl`` is ``{"outlet": ..., "text": ...}``. What is timed
is what :func:`analysis.measures.contrasts.contrast_one_vs_rest` does in the
``contrasts`` stage, done the way scattertext's documentation does it:

* ``CorpusFromPandas(..., nlp=whitespace_nlp_with_sentences).build()``:
  scattertext's own tokenizer (no spaCy model) and its default features,
  words and two-word phrases (ours also counts three-word phrases);
* ``get_term_freq_df()``: each term's count per outlet;
* for each outlet, ``LogOddsRatioInformativeDirichletPrior`` with the
  corpus's counts as the prior, scaled to a total of 1,000 (``sigma=1000,
  scale_type="word"``: our ``DEFAULT_PRIOR_TOTAL``), its z-scores against
  the other outlets' counts, and the ``top`` terms with the highest and the
  lowest z.

Prints one JSON line: ``seconds`` (from the texts read to the last outlet's
list), ``peak_gib`` (the process's peak resident size), ``stage_gib`` (that
peak less the resident size once the texts are read), ``terms`` and
``outlets``.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path


def _resident_gib() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 1024**3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("texts", type=Path)
    parser.add_argument("--top", type=int, default=100)
    args = parser.parse_args()

    import numpy as np
    import pandas as pd
    import scattertext as st

    with args.texts.open(encoding="utf-8") as lines:
        frame = pd.DataFrame([json.loads(line) for line in lines])
    before = _resident_gib()
    started = time.perf_counter()
    corpus = st.CorpusFromPandas(
        frame, category_col="outlet", text_col="text", nlp=st.whitespace_nlp_with_sentences
    ).build()
    counts = corpus.get_term_freq_df()
    totals = counts.sum(axis=1)
    scorer = st.LogOddsRatioInformativeDirichletPrior(totals, sigma=1000, scale_type="word")
    everywhere = totals.to_numpy()
    tops = {}
    for column in counts.columns:
        in_group = counts[column].to_numpy()
        z = scorer.get_zeta_i_j_given_separate_counts(in_group, everywhere - in_group)
        order = np.argsort(-z, kind="stable")
        tops[column] = (counts.index[order[: args.top]], counts.index[order[-args.top :]])
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_gib": peak,
                "stage_gib": peak - before,
                "terms": len(counts),
                "outlets": len(tops),
            }
        )
    )


if __name__ == "__main__":
    main()
