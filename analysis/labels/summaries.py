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

None of them changes its inputs.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping

import numpy as np
import pandas as pd

__all__ = [
    "agenda_side_by_side",
    "best_evidence",
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
