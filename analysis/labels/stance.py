"""Stance of each article toward each target, with the sentences that drove it.

Stance is the position the text takes toward a target, not its sentiment
(``corpus/labels/guideline.md``). The rules, with their word lists, are in
``analysis/data/stance_lexicon.yaml``, and how a cue counts for a target
(roles, negation, quotations, languages) is described in
:mod:`analysis.labels.stance_rules`.

Per article and target: ``favorable`` and ``unfavorable`` are the summed cue
weights in the outlet's voice, ``score = (favorable - unfavorable) /
(favorable + unfavorable + 1)`` (the ``+ 1`` keeps one weak cue from making a
strong score), and the label is "not mentioned" without a mention, "neutral"
when ``|score| < NEUTRAL_BAND``, else "favorable" or "unfavorable".
``confidence`` is the share of cue weight that agrees with the label times
``1 - exp(-(favorable + unfavorable) / 2)`` (more evidence, more confidence);
for "neutral" with no cues it is ``1 - exp(-mentions / 2)``; for a mixed
"neutral" it is ``(1 - |favorable - unfavorable| / total) * strength``.

The word weights, ``outcome_factor`` and :data:`NEUTRAL_BAND` were chosen on
the tuning labels only (``corpus/labels/``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.labels.document import ArticleDocument
from analysis.labels.evidence import EvidenceRow, evidence_table
from analysis.labels.stance_lexicon import load_stance_lexicon
from analysis.labels.stance_rules import ArticleScan, CueHit, scan_articles
from analysis.labels.targets import default_matcher, load_targets
from analysis.measures.intervals import wilson_interval
from analysis.review.hand_labels import STANCE_LABELS
from analysis.review.overrides import apply_overrides

__all__ = [
    "GROUP_LABELS",
    "MIN_GROUP_ARTICLES",
    "NEUTRAL_BAND",
    "STANCE_COLUMNS",
    "STANCE_GROUP_COLUMNS",
    "label_table",
    "stance_by_group",
    "stance_per_article",
]


#: Scores closer to 0 than this are "neutral" (mixed evidence); chosen on the tuning labels.
NEUTRAL_BAND = 0.1
#: Labels of :func:`stance_by_group`: a person's labels, "uncertain" (the learned model
#: abstained) and "unsupported language".
GROUP_LABELS = (*STANCE_LABELS[:3], "uncertain", *STANCE_LABELS[3:])
#: Below this many rated articles a group's distribution is "insufficient evidence".
MIN_GROUP_ARTICLES = 5

STANCE_COLUMNS = [
    "article_id",
    "target",
    "target_name",
    "label",
    "computed_label",
    "score",
    "confidence",
    "favorable",
    "unfavorable",
    "mentions",
    "evidence_sentences",
    "source",
    "override_note",
]
STANCE_GROUP_COLUMNS = [
    "group",
    "target",
    "label",
    "articles",
    "rated",
    "share",
    "share_low",
    "share_high",
    "status",
]


def _label(favorable: float, unfavorable: float, mentions: int) -> tuple[str, float, float]:
    if mentions == 0 and favorable + unfavorable == 0:
        return "not mentioned", math.nan, math.nan
    total = favorable + unfavorable
    score = (favorable - unfavorable) / (total + 1.0)
    strength = 1.0 - math.exp(-total / 2.0)
    if abs(score) < NEUTRAL_BAND:
        if total == 0:
            return "neutral", 0.0, 1.0 - math.exp(-mentions / 2.0)
        return "neutral", score, (1.0 - abs(favorable - unfavorable) / total) * strength
    agreeing = favorable if score > 0 else unfavorable
    return ("favorable" if score > 0 else "unfavorable"), score, agreeing / total * strength


def stance_per_article(
    articles: pd.DataFrame,
    cleaned: pd.DataFrame,
    *,
    quotes: pd.DataFrame | None = None,
    overrides: pd.DataFrame | None = None,
    targets_file: Path | str | None = None,
    lexicon_file: Path | str | None = None,
    scans: Sequence[ArticleScan | None] | None = None,
    documents: Sequence[ArticleDocument] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stance of every article toward every target, and the evidence for it.

    Parameters
    ----------
    articles : pandas.DataFrame
        Needs ``id`` and ``language``; ``title`` (the headline, scored as the
        outlet's voice) is used when present. Not modified.
    cleaned : pandas.DataFrame
        ``id`` and ``text_clean`` from :func:`analysis.text.cleaning.clean_articles`.
    quotes : pandas.DataFrame, optional
        Quotation spans in the cleaned text: ``article_id``, ``start``, ``end``,
        ``speaker`` (empty when unknown). Cues inside them are the speaker's.
        By default the articles' documents find them (direct and reported
        speech, :mod:`analysis.labels.quotes`); pass a frame to reuse a computed one.
    overrides : pandas.DataFrame, optional
        From :func:`analysis.review.overrides.load_overrides`; an override replaces the
        label (``source`` becomes ``"override"``; ``computed_label`` keeps ours).
    targets_file, lexicon_file : path-like, optional
        Other targets or lexicon files than the shipped ones.
    scans : sequence of ArticleScan or None, optional
        :func:`scan_articles` of the same articles, to scan once for stance
        and outcome framing; ``quotes``, ``documents`` and the lexicon are
        then not read.
    documents : sequence of ArticleDocument, optional
        The articles' documents (:func:`analysis.labels.document.article_documents`,
        whose quotations are the quoted speech); built here when omitted.

    Returns
    -------
    stance : pandas.DataFrame
        One row per article and target, columns :data:`STANCE_COLUMNS`:
        ``label`` is one of ``favorable``, ``unfavorable``, ``neutral``,
        ``not mentioned``, ``unsupported language``; ``score`` in [-1, 1]
        and ``confidence`` in [0, 1] (NaN when not mentioned or unsupported);
        ``favorable`` and ``unfavorable`` the summed cue weights in the
        outlet's voice; ``mentions`` the number of alias mentions;
        ``evidence_sentences`` how many sentences gave cues.
    evidence : pandas.DataFrame
        One row per cue and target, columns
        :data:`analysis.labels.evidence.EVIDENCE_COLUMNS`, ``analysis``
        ``"stance"``; ``label`` is which way the cue points (``favorable`` or
        ``unfavorable``), in a quotation too, where it adds nothing;
        ``weight`` is signed (what it added to the score's numerator, 0 for a
        quotation's cue); ``voice`` is ``"outlet"`` or the quoted speaker;
        sentence offsets are -1 in the headline; ``mark_start``/``mark_end``
        are the cue's offsets within the sentence.

    Raises
    ------
    ValueError
        If a required column is missing, an article has no cleaned text, or a
        targets, lexicon or overrides file is malformed.
    """
    target_map, _ = load_targets(targets_file)
    if scans is None:
        scans = scan_articles(
            articles,
            cleaned,
            quotes=quotes,
            matcher=default_matcher(targets_file),
            lexicon=load_stance_lexicon(lexicon_file),
            documents=documents,
        )
    elif len(scans) != len(articles):
        raise ValueError(f"scans has {len(scans)} entries for {len(articles)} articles")
    rows: list[dict[str, Any]] = []
    evidence_rows: list[EvidenceRow] = []
    for article_id, scan in zip(articles["id"], scans, strict=True):
        if scan is None:
            for target in target_map.values():
                rows.append(
                    {
                        "article_id": article_id,
                        "target": target.id,
                        "target_name": target.name,
                        "label": "unsupported language",
                        "score": math.nan,
                        "confidence": math.nan,
                        "favorable": math.nan,
                        "unfavorable": math.nan,
                        "mentions": 0,
                        "evidence_sentences": 0,
                    }
                )
            continue
        totals = {t: [0.0, 0.0] for t in target_map}
        sentences: dict[str, set[int]] = {t: set() for t in target_map}
        for hit, (start, end, mark_start, mark_end) in zip(scan.hits, scan.offsets, strict=True):
            if not hit.target:
                continue
            outlet = hit.voice == "outlet"
            signed = hit.polarity * hit.weight * hit.factor if outlet else 0.0
            if outlet:
                totals[hit.target][0 if signed > 0 else 1] += abs(signed)
                sentences[hit.target].add(hit.sentence)
            evidence_rows.append(
                EvidenceRow(
                    article_id=str(article_id),
                    analysis="stance",
                    label="favorable" if hit.polarity > 0 else "unfavorable",
                    sentence_start=start,
                    sentence_end=end,
                    cue_words=hit.cue_words,
                    weight=signed,
                    target=hit.target,
                    voice=hit.voice,
                    mark_start=mark_start,
                    mark_end=mark_end,
                    rule=_rule_text(hit),
                )
            )
        for target in target_map.values():
            favorable, unfavorable = totals[target.id]
            mentions = scan.mentions.get(target.id, 0)
            label, score, confidence = _label(favorable, unfavorable, mentions)
            rows.append(
                {
                    "article_id": article_id,
                    "target": target.id,
                    "target_name": target.name,
                    "label": label,
                    "score": score,
                    "confidence": confidence,
                    "favorable": favorable,
                    "unfavorable": unfavorable,
                    "mentions": mentions,
                    "evidence_sentences": len(sentences[target.id]),
                }
            )
    table = label_table(rows, columns=STANCE_COLUMNS, task="stance", overrides=overrides)
    return table, evidence_table(evidence_rows)


_OVERRIDE_COLUMNS = ("computed_label", "source", "override_note")


def label_table(
    rows: list[dict[str, Any]],
    *,
    columns: Sequence[str],
    task: str,
    overrides: pd.DataFrame | None,
) -> pd.DataFrame:
    """The label table of a task, from its rows, with the overrides applied.

    Parameters
    ----------
    rows : list of dict
        The computed labels, with every column of ``columns`` but the ones
        :func:`analysis.review.overrides.apply_overrides` adds.
    columns : sequence of str
        The label table's columns, in order (:data:`STANCE_COLUMNS`,
        :data:`analysis.labels.outcome.OUTCOME_COLUMNS`).
    task : {"stance", "outcome"}
        As for :func:`analysis.review.overrides.apply_overrides`.
    overrides : pandas.DataFrame, optional
        From :func:`analysis.review.overrides.load_overrides`.
    """
    table = pd.DataFrame(rows, columns=[c for c in columns if c not in _OVERRIDE_COLUMNS])
    return apply_overrides(table, overrides, task=task)[list(columns)]


def _rule_text(hit: CueHit) -> str:
    sign = "favorable" if hit.polarity > 0 else "unfavorable"
    voice = "" if hit.voice == "outlet" else f"; quoted ({hit.voice}), not the outlet's voice"
    return f"{hit.rule} -> {sign}{voice}"


def stance_by_group(
    stance: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    by: str = "outlet_group",
    min_articles: int = MIN_GROUP_ARTICLES,
    confidence_level: float = 0.95,
) -> pd.DataFrame:
    """Distribution of stance labels per group and target, with Wilson intervals.

    Parameters
    ----------
    stance : pandas.DataFrame
        From :func:`stance_per_article`.
    articles : pandas.DataFrame
        Needs ``id`` and the column ``by``. Not modified.
    by : str, default "outlet_group"
        Any metadata column (``outlet``, ``year``, ``meeting`` ...).
    min_articles : int, default MIN_GROUP_ARTICLES
        A group with fewer rated articles (favorable, unfavorable, neutral or
        uncertain; so the shares show how much the model left uncertain)
        for a target is ``"insufficient evidence"``: its counts are shown, its
        shares and intervals are NaN.
    confidence_level : float, default 0.95
        Coverage of the Wilson interval.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`STANCE_GROUP_COLUMNS`, one row per group, target and
        label (every label, also with 0 articles). ``articles`` counts
        articles with the label; ``rated`` the group's rated articles for the
        target, the denominator of ``share`` (NaN for "not mentioned" and
        "unsupported language", which are not shares of stance); ``status``
        is ``"ok"`` or ``"insufficient evidence"``.

    Raises
    ------
    ValueError
        If ``by`` is not a column of ``articles``, ``min_articles`` < 1, or
        ``stance`` lacks ``article_id``, ``target`` or ``label``.
    """
    if by not in articles.columns:
        raise ValueError(f"by={by!r} is not a column of articles")
    if min_articles < 1:
        raise ValueError(f"min_articles must be at least 1, got {min_articles}")
    missing = [c for c in ("article_id", "target", "label") if c not in stance.columns]
    if missing:
        raise ValueError(f"stance is missing column(s) {', '.join(missing)}")
    groups = pd.Series(
        articles[by].astype("string").fillna("(none)").to_numpy(), index=articles["id"]
    )
    frame = stance[["article_id", "target", "label"]].assign(
        group=stance["article_id"].map(groups).fillna("(none)")
    )
    counts = frame.groupby(["group", "target", "label"]).size()
    index = pd.MultiIndex.from_product(
        [sorted(frame["group"].unique()), list(dict.fromkeys(frame["target"])), GROUP_LABELS],
        names=["group", "target", "label"],
    )
    table = counts.reindex(index, fill_value=0).rename("articles").reset_index()
    rated_labels = ["favorable", "unfavorable", "neutral", "uncertain"]
    rated = table[table["label"].isin(rated_labels)].groupby(["group", "target"])["articles"].sum()
    table["rated"] = [rated[(g, t)] for g, t in zip(table["group"], table["target"], strict=True)]
    is_rated = table["label"].isin(rated_labels).to_numpy()
    low, high = wilson_interval(
        np.where(is_rated, table["articles"].to_numpy(), 0),
        table["rated"].to_numpy(),
        confidence_level=confidence_level,
    )
    enough = table["rated"].to_numpy() >= min_articles
    is_share = is_rated & enough
    with np.errstate(divide="ignore", invalid="ignore"):
        share = table["articles"].to_numpy() / table["rated"].to_numpy()
    table["share"] = np.where(is_share, share, np.nan)
    table["share_low"] = np.where(is_share, low, np.nan)
    table["share_high"] = np.where(is_share, high, np.nan)
    table["status"] = np.where(enough, "ok", "insufficient evidence")
    return table[STANCE_GROUP_COLUMNS].astype({"articles": "int64", "rated": "int64"})
