"""Stance, outcome, frames, agenda and sources as the Meeting and Reader pages show them.

The tables come from the prepared corpus (computed once by the library, with
the analyst's overrides applied); this module only picks the selected
articles' rows and lays them out. When the prepared corpus carries no such
table (an older library), every function says so once instead of failing.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from analysis.corpus.selection import Selection
from analysis.labels.evidence import evidence_text
from analysis.pipeline.prepare import PreparedCorpus
from dashboard import layout
from dashboard.data import PerTable, articles_by_id

__all__ = [
    "LABEL_BADGE_COLOURS",
    "Labels",
    "across_meetings",
    "aligned",
    "article_badges",
    "article_summary",
    "badge_rows",
    "key_sentences",
    "outlet_details",
    "summary_table",
]

#: Streamlit badge colours per stance label: blue and orange stay apart for colour-blind readers.
LABEL_BADGE_COLOURS = {
    "favorable": "blue",
    "unfavorable": "orange",
    "neutral": "gray",
    "not mentioned": "gray",
    "unsupported language": "violet",
}
_TABLES = ("stance", "outcome", "frames", "agenda", "sources", "evidence")


#: Per-article row positions of the prepared tables, kept while each table lives.
_INDEXES = PerTable(size=24)


def _article_index(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """Row positions of each article in ``frame``, computed once per table."""

    def make() -> dict[str, np.ndarray]:
        groups = frame.groupby("article_id", sort=False).indices
        return {str(k): np.asarray(v) for k, v in groups.items()}

    return _INDEXES.get(frame, "article index", make)


class Labels:
    """The per-article label tables of the selected articles (see :meth:`has`).

    A selected table is taken from the prepared one only when a page reads it,
    and single articles are looked up through a per-article index: copying a
    100k-row evidence table on every rerun is what made pages slow.
    """

    def __init__(
        self,
        tables: dict[str, pd.DataFrame | None],
        ids: Iterable[str],
        articles: pd.DataFrame | None = None,
    ) -> None:
        self._tables = tables
        self._ids = list(dict.fromkeys(ids))
        self._selected: dict[str, pd.DataFrame] = {}
        self._articles = articles

    @classmethod
    def of(cls, prepared: PreparedCorpus, articles: pd.DataFrame) -> Labels:
        tables: dict[str, pd.DataFrame | None] = {}
        for name in _TABLES:
            frame = getattr(prepared, name, None)
            usable = isinstance(frame, pd.DataFrame) and "article_id" in frame.columns
            tables[name] = frame if usable else None
        return cls(tables, articles["id"].tolist(), prepared.articles)

    def _table(self, name: str) -> pd.DataFrame:
        """The selected articles' rows (an empty frame when the table was not computed).

        Evidence rows come without their sentences (see :meth:`with_text`).
        """
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

    def has(self, name: str) -> bool:
        """Whether the library computed table ``name`` (without taking its rows)."""
        return self._tables[name] is not None

    def rows(self, name: str, article_id: str) -> pd.DataFrame:
        return self.rows_for(name, (article_id,))

    def rows_for(self, name: str, article_ids: Iterable[str], *, text: bool = True) -> pd.DataFrame:
        """The rows of table ``name`` for these articles, in table order.

        Evidence rows come with their sentences unless ``text`` is false.
        """
        frame = self._tables[name]
        if frame is None:
            return pd.DataFrame()
        index = _article_index(frame)
        found = [index[a] for a in article_ids if a in index]
        rows = frame.iloc[np.sort(np.concatenate(found))] if found else frame.iloc[0:0]
        return self.with_text(rows) if name == "evidence" and text else rows


def _escape(value: object) -> str:
    return layout.escape_markdown(value)


#: An article's stance rows and outcome rows, as records (see :func:`badge_rows`).
BadgeRows = tuple[list[dict[Hashable, Any]], list[dict[Hashable, Any]]]


def badge_rows(labels: Labels, article_ids: Iterable[str]) -> dict[str, BadgeRows]:
    """The stance and outcome rows of several articles, taken from the tables at once."""
    ids = list(dict.fromkeys(article_ids))
    found: dict[str, BadgeRows] = {key: ([], []) for key in ids}
    for slot, name in enumerate(("stance", "outcome")):
        if labels.has(name):
            for row in labels.rows_for(name, ids).to_dict("records"):
                found[str(row["article_id"])][slot].append(row)
    return found


def article_badges(labels: Labels, article_id: str, *, rows: BadgeRows | None = None) -> None:
    """One badge per stance target and one for the outcome framing of an article.

    ``rows`` are the article's rows when the caller took them for several
    articles at once (:func:`badge_rows`).
    """
    stance, outcome = rows if rows is not None else badge_rows(labels, [article_id])[article_id]
    if not stance and not outcome:
        return
    with st.container(horizontal=True, gap="small"):
        for row in stance:
            name = row.get("target_name", row["target"])
            mark = " ✎" if row.get("source") == "override" else ""
            st.badge(
                f"{_escape(name)}: {_escape(row['label'])}{mark}",
                color=LABEL_BADGE_COLOURS.get(str(row["label"]), "gray"),  # type: ignore[arg-type]
                help=f"score {row.get('score', float('nan')):.2f}, "
                f"confidence {row.get('confidence', float('nan')):.2f}"
                + (" — corrected by the analyst" if mark else ""),
            )
        for row in outcome:
            if row["label"] == "":
                continue
            st.badge(
                f"Outcome: {_escape(row['label'])}",
                color="violet",
                icon=":material/emoji_events:",
                help=str(row.get("reason", "")) or None,
            )


def article_summary(labels: Labels, article_id: str) -> dict[str, str]:
    """Stance per target and outcome of one article, as columns of a summary table."""
    summary: dict[str, str] = {}
    for _, row in labels.rows("stance", article_id).iterrows():
        summary[f"stance_{row['target']}"] = str(row["label"])
    outcome = labels.rows("outcome", article_id)
    if not outcome.empty:
        summary["outcome"] = str(outcome.iloc[0]["label"]) or "covers no meeting"
    return summary


#: Key sentences shown per outlet, and how many of its best evidence rows are read to find
#: them (rows may repeat a sentence); the first few are read first, as they usually suffice.
KEY_SENTENCES = 3
_KEY_CANDIDATES = 200
_KEY_FIRST_READ = 20


def _best(labelled: np.ndarray, strength: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """The positions of the best evidence rows among ``positions``, best first.

    At most :data:`_KEY_CANDIDATES`; ``positions`` are one group's rows in table
    order, ``labelled`` and ``strength`` hold every row's rank components.
    """
    # Stance and outcome sentences say the most about the framing; frame and
    # subject cues only count words. Ranking needs only the few best rows, so
    # nlargest (linear) replaces a full sort; a stable position breaks ties.
    rank = pd.Series(
        labelled[positions] * 1e6 + strength[positions] * 1e3 - np.arange(len(positions)) * 1e-9
    )
    return positions[rank.nlargest(min(len(rank), _KEY_CANDIDATES)).index.to_numpy()]


def key_sentences(
    labels: Labels, articles: pd.DataFrame, *, by: str = "outlet"
) -> dict[Hashable, pd.DataFrame]:
    """The key evidence sentences of each group's articles, as :func:`outlet_details` shows them.

    One entry per value of ``by`` in ``articles`` (an empty frame when its
    articles have no evidence), each with at most :data:`KEY_SENTENCES` rows
    with distinct sentences, best first. The sentences of every group are cut
    from the texts together, so a page with several outlets does it once.
    """
    if not labels.has("evidence"):
        return {}
    evidence = labels.rows_for("evidence", articles["id"], text=False)
    owner = dict(zip(articles["id"].astype(str), articles[by], strict=True))
    owners = evidence["article_id"].map(owner)  # per category when the ids are categorical
    labelled = evidence["analysis"].isin(["stance", "outcome"]).to_numpy()
    strength = evidence["weight"].abs().to_numpy(dtype=float)
    candidates = {
        group: _best(labelled, strength, np.asarray(positions))
        for group, positions in owners.groupby(owners, sort=False).indices.items()
    }

    def first_distinct(
        ranked: dict[Hashable, np.ndarray], limit: int | None
    ) -> dict[Hashable, pd.DataFrame]:
        heads = [best[:limit] for best in ranked.values()]
        rows = labels.with_text(evidence.iloc[np.concatenate(heads)])
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


def outlet_details(
    labels: Labels,
    articles: pd.DataFrame,
    *,
    omitted: pd.DataFrame | None = None,
    sentences: pd.DataFrame | None = None,
) -> None:
    """Whom the articles quote, which subjects they cover (and omit), and key sentences.

    ``sentences`` are these articles' key sentences when the caller took them
    for several outlets at once (:func:`key_sentences`).
    """
    ids = list(articles["id"])
    if labels.has("sources"):
        quoted = labels.rows_for("sources", ids)
        st.markdown("**Quotes or cites**")
        if quoted.empty:
            st.caption("Nobody.")
        else:
            counts = quoted.groupby("speaker")["count"].sum().sort_values(ascending=False)
            st.caption(", ".join(f"{_escape(name)} ({n})" for name, n in counts.items()))
    if labels.has("agenda"):
        agenda = labels.rows_for("agenda", ids)
        covered = agenda[agenda["status"] == "ok"]["subject_name"].drop_duplicates()
        st.markdown("**Covers**")
        st.caption(", ".join(map(_escape, covered)) or "none of the tracked subjects")
        if omitted is not None and not omitted.empty:
            st.markdown("**Leaves out** (covered by other outlets on this meeting)")
            st.caption(", ".join(map(_escape, omitted["subject_name"].drop_duplicates())))
    if labels.has("evidence"):
        if sentences is None:
            sentences = key_sentences(labels, articles.assign(_all=""), by="_all").get("")
        if sentences is not None and not sentences.empty:
            st.markdown("**Key sentences**")
            for _, row in sentences.iterrows():
                st.caption(f"{_escape(_evidence_kind(row))} — cue: {_escape(row['cue_words'])}")
                st.text(str(row["sentence"]))


def _evidence_kind(row: pd.Series) -> str:
    for column in ("analysis", "task"):
        if column in row.index and row[column]:
            label = row.get("label", row.get("target", ""))
            return f"{row[column]}: {label}"
    return "evidence"


def aligned(
    labels: Labels,
    articles: pd.DataFrame,
    a: str,
    b: str,
    *,
    names: dict[str, str],
    selection: Selection,
) -> None:
    """Stance and agenda of outlets A and B on one meeting, row by row."""
    if not labels.has("stance") and not labels.has("agenda"):
        st.caption("Stance and agenda are not computed by this version of the library.")
        return
    ids = {o: set(articles.loc[articles["outlet"] == o, "id"]) for o in (a, b)}
    if labels.has("stance"):
        stance = labels.stance
        rows = []
        for target in dict.fromkeys(stance["target"]):
            row = {"target": target}
            for outlet in (a, b):
                chosen = stance[
                    (stance["target"] == target) & stance["article_id"].isin(ids[outlet])
                ]
                row[names[outlet]] = "; ".join(chosen["label"].astype(str)) or "—"
            rows.append(row)
        st.subheader("Stance, row by row")
        layout.table(
            pd.DataFrame(rows),
            what=f"stance {names[a]} vs {names[b]}",
            selection=selection,
            key="mt_pair_stance",
        )
    if labels.has("agenda"):
        agenda = labels.agenda[labels.agenda["status"] == "ok"]
        subjects = list(dict.fromkeys(agenda["subject_name"]))
        rows = []
        for subject in subjects:
            row = {"subject": subject}
            for outlet in (a, b):
                hit = agenda[
                    (agenda["subject_name"] == subject) & agenda["article_id"].isin(ids[outlet])
                ]
                row[names[outlet]] = "covers" if len(hit) else "—"
            rows.append(row)
        st.subheader("Agenda, row by row")
        layout.table(
            pd.DataFrame(rows, columns=["subject", names[a], names[b]]),
            what=f"agenda {names[a]} vs {names[b]}",
            selection=selection,
            key="mt_pair_agenda",
        )


def summary_table(labels: Labels, articles: pd.DataFrame) -> pd.DataFrame:
    """One row per article: metadata, stance per target and outcome framing."""
    table = articles[["outlet", "outlet_name", "id", "title", "published", "authors"]]
    table = table.reset_index(drop=True)
    if labels.has("stance"):
        stance = labels.rows_for("stance", table["id"])
        wide = stance.pivot(index="article_id", columns="target", values="label")
        wide.columns = [f"stance_{c}" for c in wide.columns]
        table = table.merge(wide, left_on="id", right_index=True, how="left")
    if labels.has("outcome"):
        outcome = labels.rows_for("outcome", table["id"]).set_index("article_id")["label"]
        table = table.assign(outcome=table["id"].map(outcome).replace("", "covers no meeting"))
    return table


def across_meetings(labels: Labels, per_meeting: pd.DataFrame) -> pd.DataFrame:
    """One row per meeting and article of an outlet, with its outcome and stance labels."""
    shown = per_meeting[["meeting", "published", "outlet_name", "title", "id"]].reset_index(
        drop=True
    )
    extra = [article_summary(labels, str(article_id)) for article_id in shown["id"]]
    return pd.concat([shown, pd.DataFrame(extra, index=shown.index)], axis=1)
