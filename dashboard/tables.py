"""What the pages show, as pure functions: the library's frames arranged for display.

No Streamlit calls here. Nothing here computes an analysis number (that is
:mod:`analysis`, e.g. :mod:`analysis.labels.summaries`); these functions pick
the selected articles' rows, count articles, join labels to names and pick
columns, so that what a page shows and what its CSV holds are the same frame.
:class:`SelectionResults` holds the selected articles' label tables.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from analysis.labels.evidence import evidence_text
from analysis.labels.summaries import best_evidence, stance_columns
from analysis.pipeline.prepare import PreparedCorpus
from dashboard.data import article_index, articles_by_id

__all__ = [
    "ARTICLE_LIST_COLUMNS",
    "EVIDENCE_SHOWN_COLUMNS",
    "KEY_SENTENCES",
    "LABEL_TABLES",
    "SelectionResults",
    "across_meetings",
    "article_labels",
    "article_list",
    "article_metadata",
    "article_summary",
    "articles_behind",
    "badge_rows",
    "coverage_cells",
    "evidence_for",
    "evidence_spans",
    "in_percent",
    "key_sentences",
    "meeting_articles",
    "meetings_covered",
    "outlet_registry",
    "per_meeting",
    "stance_over_time",
    "stance_shares",
    "summary_table",
    "terms_per_meeting",
    "top_terms",
]

#: Columns of the article lists the pages show (the text itself stays in the Reader).
ARTICLE_LIST_COLUMNS = [
    "title",
    "outlet_name",
    "outlet_group",
    "published",
    "date_precision",
    "authors",
    "meetings",
    "language",
    "url",
    "id",
]


def article_list(articles: pd.DataFrame) -> pd.DataFrame:
    """The article list as shown: metadata columns, newest first, undated last."""
    return (
        articles.sort_values(["published", "id"], ascending=[False, True], na_position="last")
        .loc[:, ARTICLE_LIST_COLUMNS]
        .reset_index(drop=True)
    )


def _meeting_lists(articles: pd.DataFrame) -> tuple[pd.Series, dict[str, list[str]]]:
    """Each article's ``meetings`` value, and the meetings each distinct value lists.

    A corpus has few distinct combinations of meetings, so each is split once.
    """
    values = articles["meetings"].fillna("")
    lists = {v: v.split("; ") if v else ["none"] for v in values.unique().tolist()}
    return values, lists


def per_meeting(articles: pd.DataFrame) -> pd.DataFrame:
    """One row per article and meeting it covers (``none`` for no meeting)."""
    values, lists = _meeting_lists(articles)
    return articles.assign(meeting=values.map(lists.__getitem__)).explode(
        "meeting", ignore_index=True
    )


def meetings_covered(articles: pd.DataFrame) -> set[str]:
    """The meetings the articles cover (``none`` if one covers no meeting)."""
    return {key for keys in _meeting_lists(articles)[1].values() for key in keys}


def coverage_cells(
    articles: pd.DataFrame, outlets: pd.DataFrame, meetings: pd.DataFrame
) -> pd.DataFrame:
    """Articles per outlet and meeting, every pair of a selected outlet and a meeting.

    Columns: ``outlet``, ``outlet_name``, ``meeting``, ``meeting_title``,
    ``articles``. Pairs without an article are kept with 0, so an omission shows.
    """
    exploded = per_meeting(articles)
    counts = exploded.groupby(["outlet", "meeting"]).size()
    names = dict(zip(outlets["outlet"], outlets["name"], strict=True))
    titles = dict(zip(meetings["meeting"], meetings["title"], strict=True))
    selected = set(articles["outlet"])
    covered = set(exploded["meeting"])
    present = [key for key in outlets["outlet"] if key in selected]
    meeting_keys = [key for key in meetings["meeting"] if key in covered]
    if "none" in covered:
        meeting_keys.append("none")
    rows = [
        {
            "outlet": outlet,
            "outlet_name": names.get(outlet, outlet),
            "meeting": meeting,
            "meeting_title": titles.get(meeting, "covers no meeting of the catalogue"),
            "articles": int(counts.get((outlet, meeting), 0)),
        }
        for outlet in present
        for meeting in meeting_keys
    ]
    return pd.DataFrame(
        rows, columns=["outlet", "outlet_name", "meeting", "meeting_title", "articles"]
    )


def outlet_registry(outlets: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """The registry with the number of selected articles of each outlet."""
    counts = articles["outlet"].value_counts()
    return outlets.assign(
        selected_articles=outlets["outlet"].map(counts).fillna(0).astype(int)
    ).loc[
        :,
        [
            "outlet",
            "name",
            "group",
            "group_reason",
            "group_source",
            "kind",
            "country",
            "selected_articles",
        ],
    ]


def meeting_articles(articles: pd.DataFrame, meeting: str) -> pd.DataFrame:
    """The selected articles that cover ``meeting``."""
    values = articles["meetings"].fillna("")
    covering = {v for v in values.unique().tolist() if meeting in v.split("; ")}
    return articles.loc[values.isin(covering).to_numpy()]


def article_labels(articles: pd.DataFrame) -> dict[str, str]:
    """A readable, unique label per article id: "headline — outlet, date"."""
    labels: dict[str, str] = {}
    # Plain lists and dates formatted all at once: element by element, thousands of
    # articles took tens of milliseconds on every rerun.
    dates = articles["published"].dt.strftime("%Y-%m-%d").tolist()
    for key, title, outlet, when in zip(
        articles["id"].tolist(),
        articles["title"].tolist(),
        articles["outlet_name"].tolist(),
        dates,
        strict=True,
    ):
        labels[str(key)] = f"{title} — {outlet}, {'undated' if pd.isna(when) else when}"
    seen: dict[str, int] = {}
    for value in labels.values():
        seen[value] = seen.get(value, 0) + 1
    return {key: value if seen[value] == 1 else f"{value} [{key}]" for key, value in labels.items()}


def top_terms(
    contrasts: pd.DataFrame, group: str, *, n: int, positive: bool = True
) -> pd.DataFrame:
    """The ``n`` terms with the highest (or lowest) z for one group of a contrast frame."""
    rows = contrasts[contrasts["group"].astype(str) == str(group)]
    rows = rows[rows["z"] > 0] if positive else rows[rows["z"] < 0]
    ordered = rows.sort_values("z", ascending=not positive, kind="mergesort")
    return ordered.head(n).reset_index(drop=True)


def terms_per_meeting(contrasts: pd.DataFrame, *, n: int) -> pd.DataFrame:
    """Each meeting's first ``n`` terms with a positive z: ``meeting``, ``distinctive_terms``.

    ``contrasts`` is a term contrast by meeting, ranked as the library ranks it.
    """
    return (
        contrasts[contrasts["z"] > 0]
        .groupby("group")["term"]
        .apply(lambda terms: "; ".join(terms.head(n)))
        .rename("distinctive_terms")
        .reset_index()
        .rename(columns={"group": "meeting"})
    )


def articles_behind(
    articles: pd.DataFrame, *, cells: Collection[tuple[str, str]], ids: Collection[str]
) -> pd.DataFrame:
    """The article list of the articles in these (outlet, meeting) cells and with these ids."""
    exploded = per_meeting(articles)
    in_cells = [
        (outlet, meeting) in cells
        for outlet, meeting in zip(exploded["outlet"], exploded["meeting"], strict=True)
    ]
    chosen = set(exploded.loc[in_cells, "id"]) | set(ids)
    return article_list(articles[articles["id"].isin(chosen)])


def article_metadata(article_id: str, article: pd.Series, *, when: str) -> pd.DataFrame:
    """One article's metadata as ``field`` and ``value`` rows, as the Reader lists them.

    ``article`` is its row in the selected articles; ``when`` its publication date as shown.
    """
    fields = {
        "id": article_id,
        "outlet": article["outlet_name"],
        "group": article["outlet_group"],
        "published": when,
        "date known to": article["date_precision"],
        "authors": article["authors"] or "no byline",
        "language": article["language"],
        "meetings": article["meetings"] or "none",
        "url": article["url"],
        "notes": article["notes"],
        "inferred on import": article["inferred"] or "nothing (all given in the file)",
        "file": article["path"],
    }
    return pd.DataFrame({"field": list(fields), "value": list(fields.values())})


def evidence_spans(evidence: pd.DataFrame) -> list[tuple[int, int, str]]:
    """The sentences behind an article's labels, as ``evidence`` highlight spans.

    Rows without offsets (evidence found in the headline) are left out.
    """
    return [
        (int(start), int(end), "evidence")
        for start, end in zip(evidence["sentence_start"], evidence["sentence_end"], strict=True)
        if pd.notna(start) and pd.notna(end)
    ]


def in_percent(frame: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """``frame`` with ``outlet_name`` (from ``outlet``) and ``percent`` (``share`` × 100)."""
    return frame.assign(
        outlet_name=frame["outlet"].map(names), percent=(frame["share"] * 100).round(0)
    )


def stance_shares(groups: pd.DataFrame, target: str, names: Mapping[str, str]) -> pd.DataFrame:
    """The per-outlet stance rows toward ``target``, with ``outlet_name`` and ``share_text``.

    ``groups`` is :func:`analysis.labels.stance.stance_by_group` by outlet; a
    share that is not given (too few rated articles) reads ``—``.
    """
    chosen = groups[groups["target"] == target]
    return chosen.assign(
        outlet_name=chosen["group"].map(names),
        share_text=chosen["share"].map(lambda v: "—" if pd.isna(v) else f"{v:.0%}"),
    )


def stance_over_time(stance: pd.DataFrame, articles: pd.DataFrame, target: str) -> pd.DataFrame:
    """The scored stance rows toward ``target`` of the dated articles, with their metadata."""
    scored = stance[stance["score"].notna()].merge(
        articles[["id", "outlet_name", "published", "title"]],
        left_on="article_id",
        right_on="id",
    )
    return scored[scored["published"].notna() & (scored["target"] == target)]


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
        if "sentence" in evidence.columns or self._articles is None:
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
    table = table.reset_index(drop=True)
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
