"""The selected articles' label tables, and the per-article views read from them.

No Streamlit calls here. :class:`SelectionResults` takes the rows of the
selected articles from the prepared corpus's label tables only when a page
reads them; the functions below arrange those rows for display (badges,
summaries, key sentences, evidence drill-downs).
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from analysis.corpus.types import list_text
from analysis.labels.evidence import evidence_text
from analysis.labels.summaries import best_evidence, stance_columns
from analysis.pipeline.prepare import PreparedCorpus
from dashboard.data import article_index, articles_by_id

__all__ = [
    "EVIDENCE_SHOWN_COLUMNS",
    "KEY_SENTENCES",
    "LABEL_TABLES",
    "BadgeRows",
    "SelectionResults",
    "across_meetings",
    "article_summary",
    "badge_rows",
    "evidence_for",
    "key_sentences",
    "summary_table",
]


#: The per-article label tables of the prepared corpus.
LABEL_TABLES = ("stance", "outcome", "frames", "agenda", "sources", "evidence")


class SelectionResults:
    """The per-article label tables (:data:`LABEL_TABLES`) of the selected articles.

    A selected table is taken from the prepared one only when a page reads it,
    and single articles are looked up through a per-article index
    (:func:`dashboard.data.article_index`): copying a 100k-row evidence table
    on every rerun is what made pages slow.

    Parameters
    ----------
    tables
        The whole corpus's tables by name, each with an ``article_id`` column.
    article_ids
        The selected articles.
    articles
        The articles with their cleaned texts, to cut evidence sentences from
        (``PreparedCorpus.articles``); without it evidence rows keep their offsets only.
    """

    def __init__(
        self,
        tables: Mapping[str, pd.DataFrame],
        article_ids: Iterable[str],
        articles: pd.DataFrame | None = None,
    ) -> None:
        self._tables = tables
        self._ids = list(dict.fromkeys(article_ids))
        self._selected: dict[str, pd.DataFrame] = {}
        self._articles = articles

    @classmethod
    def of(cls, prepared: PreparedCorpus, articles: pd.DataFrame) -> SelectionResults:
        """The label tables of ``articles`` (rows of ``prepared.articles``)."""
        tables = {name: getattr(prepared, name) for name in LABEL_TABLES}
        return cls(tables, articles["id"].tolist(), prepared.articles)

    def _table(self, name: str) -> pd.DataFrame:
        if name not in self._selected:
            self._selected[name] = self.rows_for(name, self._ids, text=False).reset_index(drop=True)
        return self._selected[name]

    @property
    def stance(self) -> pd.DataFrame:
        return self._table("stance")

    @property
    def outcome(self) -> pd.DataFrame:
        return self._table("outcome")

    @property
    def frames(self) -> pd.DataFrame:
        return self._table("frames")

    @property
    def agenda(self) -> pd.DataFrame:
        return self._table("agenda")

    @property
    def sources(self) -> pd.DataFrame:
        return self._table("sources")

    @property
    def evidence(self) -> pd.DataFrame:
        """The selected articles' evidence rows without their sentences (see :meth:`with_text`)."""
        return self._table("evidence")

    def with_text(self, evidence: pd.DataFrame) -> pd.DataFrame:
        """Evidence rows with their ``sentence`` and ``marked`` columns, in the same order.

        The prepared corpus keeps offsets only; the sentences are cut from the
        cleaned texts for just the rows a page shows.
        """
        if self._articles is None:
            return evidence
        # Only the articles these rows come from: the library indexes the table it is given.
        articles = articles_by_id(self._articles, evidence["article_id"].unique())
        return evidence_text(articles, evidence)

    def rows(self, name: str, article_id: str) -> pd.DataFrame:
        """The rows of table ``name`` for one article (evidence with its sentences)."""
        return self.rows_for(name, (article_id,))

    def rows_for(self, name: str, article_ids: Iterable[str], *, text: bool = True) -> pd.DataFrame:
        """The rows of table ``name`` for these articles, in table order.

        Evidence rows come with their sentences unless ``text`` is false.
        """
        frame = self._tables[name]
        index = article_index(frame)
        found = [index[a] for a in article_ids if a in index]
        rows = frame.iloc[np.sort(np.concatenate(found))] if found else frame.iloc[0:0]
        return self.with_text(rows) if name == "evidence" and text else rows


#: An article's stance rows and outcome rows, as records (see :func:`badge_rows`).
BadgeRows = tuple[list[dict[Hashable, Any]], list[dict[Hashable, Any]]]


def badge_rows(results: SelectionResults, article_ids: Iterable[str]) -> dict[str, BadgeRows]:
    """The stance and outcome rows of several articles, taken from the tables at once."""
    ids = list(dict.fromkeys(article_ids))
    found: dict[str, BadgeRows] = {key: ([], []) for key in ids}
    for slot, name in enumerate(("stance", "outcome")):
        for row in results.rows_for(name, ids).to_dict("records"):
            found[str(row["article_id"])][slot].append(row)
    return found


def article_summary(results: SelectionResults, article_id: str) -> dict[str, str]:
    """Stance per target and outcome of one article, as columns of a summary table."""
    summary: dict[str, str] = {}
    for _, row in results.rows("stance", article_id).iterrows():
        summary[f"stance_{row['target']}"] = str(row["label"])
    outcome = results.rows("outcome", article_id)
    if not outcome.empty:
        summary["outcome"] = str(outcome.iloc[0]["label"]) or "covers no meeting"
    return summary


#: Key sentences shown per outlet, and how many of its best evidence rows are read to find
#: them (rows may repeat a sentence); the first few are read first, as they usually suffice.
KEY_SENTENCES = 3
_KEY_CANDIDATES = 200
_KEY_FIRST_READ = 20


def key_sentences(
    results: SelectionResults, articles: pd.DataFrame, *, by: str = "outlet"
) -> dict[Hashable, pd.DataFrame]:
    """The key evidence sentences of each group's articles.

    One entry per value of ``by`` in ``articles`` (an empty frame when its
    articles have no evidence), each with at most :data:`KEY_SENTENCES` rows
    with distinct sentences, ranked by :func:`analysis.labels.summaries.best_evidence`.
    The sentences of every group are cut from the texts together, so a page
    with several outlets does it once.
    """
    evidence = results.rows_for("evidence", articles["id"], text=False)
    owner = dict(zip(articles["id"].astype(str), articles[by], strict=True))
    owners = evidence["article_id"].map(owner)  # per category when the ids are categorical
    candidates = best_evidence(evidence, owners, limit=_KEY_CANDIDATES)

    def first_distinct(
        ranked: dict[Hashable, np.ndarray], limit: int | None
    ) -> dict[Hashable, pd.DataFrame]:
        heads = [best[:limit] for best in ranked.values()]
        rows = results.with_text(evidence.iloc[np.concatenate(heads)])
        ends = np.cumsum([len(head) for head in heads])
        return {
            group: rows.iloc[end - len(head) : end].drop_duplicates("sentence").head(KEY_SENTENCES)
            for group, head, end in zip(ranked, heads, ends, strict=True)
        }

    chosen = first_distinct(candidates, _KEY_FIRST_READ) if candidates else {}
    short = {
        group: best
        for group, best in candidates.items()
        if len(chosen[group]) < KEY_SENTENCES and len(best) > _KEY_FIRST_READ
    }
    if short:
        # Too many repeated sentences among the first rows: read all the candidates.
        chosen.update(first_distinct(short, None))
    empty = evidence.iloc[0:0]
    return {group: chosen.get(group, empty) for group in dict.fromkeys(articles[by])}


#: The evidence columns a drill-down lists.
EVIDENCE_SHOWN_COLUMNS = [
    "outlet", "article_id", "label", "target", "voice", "sentence", "cue_words", "weight",
]  # fmt: skip


def evidence_for(
    results: SelectionResults,
    article_ids: Collection[str],
    *,
    analysis: str,
    outlet_of: Mapping[str, str],
    names: Mapping[str, str],
    match: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The evidence sentences of some articles for one analysis (and target or label).

    ``match`` keeps the rows whose columns have these values; ``outlet_of``
    maps an article id to its outlet and ``names`` an outlet to its name.
    Columns: :data:`EVIDENCE_SHOWN_COLUMNS`.
    """
    evidence = results.evidence
    rows = evidence[evidence["article_id"].isin(article_ids) & (evidence["analysis"] == analysis)]
    for column, value in (match or {}).items():
        rows = rows[rows[column] == value]
    rows = results.with_text(rows)
    return rows.assign(outlet=rows["article_id"].map(outlet_of).map(names))[
        EVIDENCE_SHOWN_COLUMNS
    ].reset_index(drop=True)


def summary_table(results: SelectionResults, articles: pd.DataFrame) -> pd.DataFrame:
    """One row per article: metadata, stance per target and outcome framing."""
    table = articles[["outlet", "outlet_name", "id", "title", "published", "authors"]]
    table = table.assign(authors=table["authors"].map(list_text)).reset_index(drop=True)
    wide = stance_columns(results.rows_for("stance", table["id"]))
    table = table.merge(wide, left_on="id", right_index=True, how="left")
    outcome = results.rows_for("outcome", table["id"]).set_index("article_id")["label"]
    return table.assign(outcome=table["id"].map(outcome).replace("", "covers no meeting"))


def across_meetings(results: SelectionResults, per_meeting: pd.DataFrame) -> pd.DataFrame:
    """One row per meeting and article of an outlet, with its outcome and stance labels."""
    shown = per_meeting[["meeting", "published", "outlet_name", "title", "id"]].reset_index(
        drop=True
    )
    extra = [article_summary(results, str(article_id)) for article_id in shown["id"]]
    return pd.concat([shown, pd.DataFrame(extra, index=shown.index)], axis=1)
