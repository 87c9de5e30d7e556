"""Summaries of the per-article label tables for a set of articles.

The label tables (stance, outcome, agenda, sources, evidence) hold one row per
article and target, subject, speaker or cue. These functions rank, count and
pivot those rows for a set of articles, so that an outlet's or a meeting's
labels can be read at a glance:

* :func:`best_evidence` — each group's most telling evidence rows, best first.
* :func:`stance_columns` — one row per article, one ``stance_<target>`` column per target.
* :func:`stance_side_by_side`, :func:`agenda_side_by_side` — groups of
  articles set beside each other, one row per target or subject.
* :func:`outcome_counts` — articles per group and outcome framing.
* :func:`most_quoted` — the sources quoted most often, per group.
* :func:`speaker_counts` — how often each speaker is quoted.
* :func:`group_profiles` — one row per group: its articles, its stance and
  outcome labels counted, and whom it quotes most.

None of them changes its inputs.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence

import numpy as np
import pandas as pd

from analysis.review.hand_labels import OUTCOME_LABELS, STANCE_LABELS

__all__ = [
    "agenda_side_by_side",
    "best_evidence",
    "group_profiles",
    "most_quoted",
    "outcome_counts",
    "speaker_counts",
    "stance_columns",
    "stance_side_by_side",
]

#: Evidence rows behind these analyses say the most about an article's framing.
_LABELLED = ("stance", "outcome")


def best_evidence(
    evidence: pd.DataFrame, groups: pd.Series, *, limit: int
) -> dict[Hashable, np.ndarray]:
    """The positions of each group's best evidence rows, best first.

    Parameters
    ----------
    evidence
        Evidence rows with ``analysis`` and ``weight`` columns.
    groups
        The group of each row, in the same order as ``evidence``; rows with a
        missing group are left out.
    limit
        At most this many positions per group.

    Returns
    -------
    dict
        Per group, in order of first appearance, the row positions (into
        ``evidence``) of its best rows: stance and outcome evidence first
        (it says the most about the framing; frame and subject cues only count
        words), then the larger absolute weight, then the earlier row.
    """
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    if len(groups) != len(evidence):
        raise ValueError(
            f"groups has {len(groups)} values for {len(evidence)} evidence rows; "
            "give one group per row"
        )
    labelled = evidence["analysis"].isin(_LABELLED).to_numpy()
    strength = evidence["weight"].abs().to_numpy(dtype=float)
    groups = pd.Series(np.asarray(groups, dtype=object))
    ranked: dict[Hashable, np.ndarray] = {}
    for group, positions in groups.groupby(groups, sort=False).indices.items():
        positions = np.asarray(positions)
        # Only the few best rows are needed, so nlargest (linear) replaces a full
        # sort; a stable position breaks ties.
        rank = pd.Series(
            labelled[positions] * 1e6 + strength[positions] * 1e3 - np.arange(len(positions)) * 1e-9
        )
        ranked[group] = positions[rank.nlargest(min(len(rank), limit)).index.to_numpy()]
    return ranked


def stance_columns(stance: pd.DataFrame) -> pd.DataFrame:
    """The stance labels as one row per article (the index) and one ``stance_<target>`` column.

    ``stance`` has one row per article and target, with ``article_id``,
    ``target`` and ``label``.
    """
    wide = stance.pivot(index="article_id", columns="target", values="label")
    wide.columns = [f"stance_{column}" for column in wide.columns]
    return wide


def stance_side_by_side(
    stance: pd.DataFrame, groups: Mapping[str, Collection[str]]
) -> pd.DataFrame:
    """One row per target: each group's stance labels toward it.

    ``groups`` maps a column name to the ids of the group's articles. A cell
    joins the labels of the group's articles with "; " (``—`` when none has a
    row for the target). Targets come in their order in ``stance``.
    """
    rows = []
    for target in dict.fromkeys(stance["target"]):
        on_target = stance[stance["target"] == target]
        row = {"target": target}
        for name, ids in groups.items():
            chosen = on_target[on_target["article_id"].isin(ids)]
            row[name] = "; ".join(chosen["label"].astype(str)) or "—"
        rows.append(row)
    return pd.DataFrame(rows)


def agenda_side_by_side(
    agenda: pd.DataFrame, groups: Mapping[str, Collection[str]]
) -> pd.DataFrame:
    """One row per covered subject: ``covers`` for each group with an article on it, else ``—``.

    Only rows with status ``ok`` count; subjects come in their order in ``agenda``.
    """
    covered = agenda[agenda["status"] == "ok"]
    rows = []
    for subject in dict.fromkeys(covered["subject_name"]):
        on_subject = covered[covered["subject_name"] == subject]
        row = {"subject": subject}
        for name, ids in groups.items():
            row[name] = "covers" if on_subject["article_id"].isin(ids).any() else "—"
        rows.append(row)
    return pd.DataFrame(rows, columns=["subject", *groups])


def outcome_counts(outcome: pd.DataFrame, owner: Mapping[str, str]) -> pd.DataFrame:
    """Articles per group and outcome framing: columns ``outlet``, ``label``, ``articles``.

    ``owner`` maps an article id to its group (named ``outlet`` in the result).
    Articles that cover no meeting (an empty label) are left out.
    """
    framed = outcome[outcome["label"] != ""]
    return (
        framed.assign(outlet=framed["article_id"].map(owner))
        .groupby(["outlet", "label"])
        .size()
        .rename("articles")
        .reset_index()
    )


def most_quoted(sources: pd.DataFrame, *, n: int) -> tuple[pd.DataFrame, list[str]]:
    """The ``n`` most quoted speakers, and each group's rows for them.

    Parameters
    ----------
    sources
        :func:`analysis.labels.sources.group_sources` by ``outlet``.
    n
        How many speakers to keep.

    Returns
    -------
    rows, speakers
        One row per outlet, source and speaker (``count`` summed,
        ``articles_citing`` and ``n_articles`` their largest value) for the
        kept speakers; the kept speakers, most quoted first.
    """
    per_source = sources.groupby(["outlet", "source", "speaker"], as_index=False).agg(
        count=("count", "sum"),
        articles_citing=("articles_citing", "max"),
        n_articles=("n_articles", "max"),
    )
    top = per_source.groupby("speaker")["count"].sum().sort_values(ascending=False).head(n).index
    return per_source[per_source["speaker"].isin(top)], list(top)


def speaker_counts(sources: pd.DataFrame) -> pd.Series:
    """How often each speaker is quoted in ``sources`` (per-article rows), most often first."""
    return sources.groupby("speaker")["count"].sum().sort_values(ascending=False)


def _counted(labels: pd.Series, order: Sequence[str]) -> str:
    """``labels`` counted, most frequent first (ties in ``order``): "2 unfavorable, 1 neutral"."""
    counts = {str(label): int(n) for label, n in labels.astype(str).value_counts().items()}
    rank = {label: position for position, label in enumerate(order)}
    ordered = sorted(
        counts.items(), key=lambda item: (-item[1], rank.get(item[0], len(rank)), item[0])
    )
    return ", ".join(f"{n} {label}" for label, n in ordered)


def group_profiles(
    articles: pd.DataFrame,
    stance: pd.DataFrame,
    outcome: pd.DataFrame,
    sources: pd.DataFrame,
    *,
    by: str = "outlet",
    order: Sequence[str] | None = None,
    top_sources: int = 3,
) -> pd.DataFrame:
    """One row per group: its articles, its stance and outcome labels counted, its top sources.

    Parameters
    ----------
    articles : pandas.DataFrame
        ``id`` and the ``by`` column. Not modified.
    stance, outcome, sources : pandas.DataFrame
        The per-article stance (``article_id``, ``target``, ``label``),
        outcome (``article_id``, ``label``) and sources (``article_id``,
        ``speaker``, ``count``) rows; rows of other articles are ignored.
    by : str, default "outlet"
        The column to group by.
    order : sequence of str, optional
        The order of the rows; groups not in it follow, sorted. Sorted by default.
    top_sources : int, default 3
        How many of the most quoted speakers each row names.

    Returns
    -------
    pandas.DataFrame
        Columns ``<by>``, ``articles`` (distinct ids), one ``stance_<target>``
        per target (in order of first appearance in ``stance``), ``outcome``
        and ``sources``. A label cell counts the group's articles per label,
        most frequent first, ties in the order of
        :data:`analysis.review.hand_labels.STANCE_LABELS` or ``OUTCOME_LABELS``
        ("2 unfavorable, 1 neutral"); an empty outcome label (an article on no
        meeting) is not counted. ``sources`` names the ``top_sources`` most
        quoted speakers with their quotations, most first, ties by name
        ("Sergey Lavrov (3), John Kerry (2)"). A cell with nothing to count is "".

    Raises
    ------
    ValueError
        If ``by`` is not a column of ``articles`` or ``top_sources`` < 1.
    """
    if by not in articles.columns:
        raise ValueError(f"by={by!r} is not a column of articles")
    if top_sources < 1:
        raise ValueError(f"top_sources must be at least 1, got {top_sources}")
    owner = dict(zip(articles["id"].astype(str), articles[by].astype(str), strict=True))
    present = sorted(set(owner.values()))
    known = [group for group in dict.fromkeys(order or ()) if group in set(present)]
    groups = [*known, *(group for group in present if group not in set(known))]

    def owned(frame: pd.DataFrame) -> pd.DataFrame:
        chosen = frame[frame["article_id"].astype(str).isin(owner)]
        return chosen.assign(_group=chosen["article_id"].astype(str).map(owner))

    stance_rows, outcome_rows, source_rows = owned(stance), owned(outcome), owned(sources)
    outcome_rows = outcome_rows[outcome_rows["label"] != ""]
    targets = list(dict.fromkeys(stance_rows["target"]))
    sizes = articles.assign(_group=articles[by].astype(str)).groupby("_group")["id"].nunique()
    rows = []
    for group in groups:
        row: dict[str, object] = {by: group, "articles": int(sizes[group])}
        mine = stance_rows[stance_rows["_group"] == group]
        for target in targets:
            labels = mine.loc[mine["target"] == target, "label"]
            row[f"stance_{target}"] = _counted(labels, STANCE_LABELS)
        row["outcome"] = _counted(
            outcome_rows.loc[outcome_rows["_group"] == group, "label"], OUTCOME_LABELS
        )
        quoted = source_rows[source_rows["_group"] == group].groupby("speaker")["count"].sum()
        top = sorted(quoted.items(), key=lambda item: (-item[1], str(item[0])))[:top_sources]
        row["sources"] = ", ".join(f"{speaker} ({int(n)})" for speaker, n in top)
        rows.append(row)
    columns = [by, "articles", *(f"stance_{t}" for t in targets), "outcome", "sources"]
    return pd.DataFrame(rows, columns=columns)
