"""What the pages show, as pure functions: the library's frames arranged for display.

No Streamlit calls here. Nothing here computes an analysis number (that is
:mod:`analysis`, e.g. :mod:`analysis.labels.summaries`); these functions pick
the selected articles' rows, count articles, join labels to names and pick
columns, so that what a page shows and what its CSV holds are the same frame.
The selected articles' label tables, and what is read from them, are in
:mod:`dashboard.results`.
"""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from analysis.corpus.selection import NO_MEETING, per_distinct, per_meeting, per_row
from analysis.corpus.types import list_items, list_text
from analysis.measures.attention import period_starts
from analysis.measures.contrast_schema import CONTRAST_COLUMNS

__all__ = [
    "ARTICLE_LIST_COLUMNS",
    "CONCORDANCE_COLUMNS",
    "HIT_COLUMNS",
    "TIMELINE_PERIODS",
    "TIMELINE_POINTS",
    "agenda_cells",
    "article_labels",
    "article_list",
    "article_metadata",
    "articles_behind",
    "articles_per_outlet",
    "at_a_glance",
    "blind_spot_articles",
    "blind_spot_rows",
    "concordance_lines",
    "counts_with_names",
    "coverage_cells",
    "date_text",
    "evidence_keys",
    "evidence_kinds",
    "evidence_marks",
    "group_rows",
    "hit_list",
    "hits_per_outlet",
    "ignored_meetings",
    "in_order",
    "in_percent",
    "in_period_bars",
    "insufficient_outlets",
    "labelled_articles",
    "matrix_labels",
    "meeting_articles",
    "meeting_labels",
    "meeting_terms",
    "meetings_covered",
    "named_occurrences",
    "occurrences_per_outlet",
    "outlet_articles",
    "outlet_registry",
    "period_key",
    "spread_rows",
    "stance_over_time",
    "stance_shares",
    "target_names",
    "term_bars",
    "terms_by_outlet",
    "terms_per_meeting",
    "timeline_picks",
    "timeline_points",
    "top_terms",
    "year_span",
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
        .assign(
            authors=lambda f: list_texts(f["authors"]),
            meetings=lambda f: list_texts(f["meetings"]),
        )
        .loc[:, ARTICLE_LIST_COLUMNS]
        .reset_index(drop=True)
    )


def list_texts(cells: pd.Series) -> pd.Series:
    """:func:`list_text` of each list cell (the article list's authors and meetings)."""
    return per_row(cells, list_text, "str")


def _meetings_or_none(cell: object) -> list[str]:
    return list(list_items(cell)) or [NO_MEETING]


def meetings_covered(articles: pd.DataFrame) -> set[str]:
    """The meetings the articles cover (``none`` if one covers no meeting)."""
    _codes, lists = per_distinct(articles["meetings"], _meetings_or_none)
    return {key for keys in lists for key in keys}


def meeting_labels(meetings: pd.DataFrame) -> dict[str, str]:
    """A short label per meeting, for axes: its city and month ("Sochi, May 2015").

    ``meetings`` needs ``meeting``, ``place`` and ``start``. Two meetings in one
    city and month get their day too; ``none`` (no meeting) is "no meeting".
    """
    cities = meetings["place"].astype(str).str.split(",").str[0].str.strip()
    starts = pd.to_datetime(meetings["start"], errors="coerce")
    pairs = list(zip(cities, starts, strict=True))
    months = [city if pd.isna(s) else f"{city}, {s:%b %Y}" for city, s in pairs]
    days = [city if pd.isna(s) else f"{city}, {s.day} {s:%b %Y}" for city, s in pairs]
    labels = {
        str(key): month if months.count(month) == 1 else day
        for key, month, day in zip(meetings["meeting"], months, days, strict=True)
    }
    return {**labels, "none": "no meeting"}


def coverage_cells(
    articles: pd.DataFrame,
    outlets: pd.DataFrame,
    meetings: pd.DataFrame,
    *,
    compared: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Articles per outlet and meeting, every pair of a selected outlet and a meeting.

    Columns: ``outlet``, ``outlet_name``, ``meeting``, ``meeting_label``
    (:func:`meeting_labels`), ``meeting_title``, ``articles``. Pairs without an
    article are kept with 0, so an omission shows. The meetings are those that
    ``articles`` or ``compared`` cover (``compared`` defaults to ``articles``):
    with an outlet filter in force, ``compared`` is what every outlet published
    under the other filters, so a meeting the chosen outlets left out still
    gets its column of zeros.
    """
    # Counted per outlet and distinct list of meetings, then spread over each list's meetings.
    codes, lists = per_distinct(articles["meetings"], _meetings_or_none)
    pairs = Counter(zip(articles["outlet"].tolist(), codes.tolist(), strict=True))
    counts: Counter[tuple[str, str]] = Counter()
    for (outlet, code), n in pairs.items():
        for meeting in lists[code]:
            counts[(outlet, meeting)] += n
    names = dict(zip(outlets["outlet"], outlets["name"], strict=True))
    titles = dict(zip(meetings["meeting"], meetings["title"], strict=True))
    labels = meeting_labels(meetings)
    selected = set(articles["outlet"])
    covered = {meeting for _outlet, meeting in counts}
    if compared is not None:
        covered |= meetings_covered(compared)
    present = [key for key in outlets["outlet"] if key in selected]
    meeting_keys = [key for key in meetings["meeting"] if key in covered]
    if "none" in covered:
        meeting_keys.append("none")
    rows = [
        {
            "outlet": outlet,
            "outlet_name": names.get(outlet, outlet),
            "meeting": meeting,
            "meeting_label": labels.get(meeting, meeting),
            "meeting_title": titles.get(meeting, "covers no meeting of the catalogue"),
            "articles": counts[(outlet, meeting)],
        }
        for outlet in present
        for meeting in meeting_keys
    ]
    return pd.DataFrame(
        rows,
        columns=["outlet", "outlet_name", "meeting", "meeting_label", "meeting_title", "articles"],
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
    values = articles["meetings"].map(list_items)
    return articles.loc[values.map(lambda keys: meeting in keys).to_numpy(dtype=bool)]


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


#: The periods a crowded timeline counts articles in, shortest first, as pandas periods.
TIMELINE_PERIODS = {"day": "D", "week": "W-SUN", "month": "M"}
#: The most points the timeline draws: one per article up to this many dated
#: articles, else one per outlet and period (see :func:`timeline_points`).
TIMELINE_POINTS = 1_500


def _period_starts(published: pd.Series, period: str) -> pd.Series:
    return published.dt.to_period(TIMELINE_PERIODS[period]).dt.start_time


def timeline_points(
    dated: pd.DataFrame, *, max_points: int | None = None
) -> tuple[pd.DataFrame, str | None]:
    """What the timeline draws of the dated articles ``dated``: its points and their period.

    Up to ``max_points`` articles each is a point (period ``None``): ``dated``
    itself. Past that, tens of thousands of markers on top of each other say
    nothing and take seconds to draw: each point is an outlet's articles of one
    day, week or month (the shortest period that gives at most ``max_points``
    points, else months), with ``outlet_name``, ``start`` (the period's first
    day), ``articles`` (how many) and ``key`` (:func:`period_key`).
    ``max_points`` is :data:`TIMELINE_POINTS` unless given.
    """
    max_points = TIMELINE_POINTS if max_points is None else max_points
    if len(dated) <= max_points:
        return dated, None
    published = pd.to_datetime(dated["published"]).dt.tz_localize(None)
    for period in TIMELINE_PERIODS:
        starts = _period_starts(published, period)
        points = (
            pd.DataFrame({"outlet_name": dated["outlet_name"].to_numpy(), "start": starts})
            .groupby(["outlet_name", "start"], sort=False)
            .size()
            .rename("articles")
            .reset_index()
        )
        if len(points) <= max_points:
            break
    points["key"] = [period_key(period, start) for start in points["start"]]
    return points, period


def period_key(period: str, start: pd.Timestamp) -> str:
    """A timeline point's key for an outlet's articles of the ``period`` from ``start``.

    Written ``week:2015-05-11``; an article id (lower-case letters, digits, '.',
    '_', '-') never has a colon, so a key is never mistaken for one.
    """
    return f"{period}:{start:%Y-%m-%d}"


def timeline_picks(
    points: Iterable[Sequence[object]],
) -> tuple[set[str], set[tuple[str, str]]]:
    """The article ids and the ``(key, outlet_name)`` periods of clicked timeline points.

    A point's first value is an article id or a :func:`period_key`, its second
    the outlet (a link from before the outlet was kept holds the id alone).
    """
    ids: set[str] = set()
    periods: set[tuple[str, str]] = set()
    for point in points:
        key = str(point[0])
        if ":" in key:
            periods.add((key, str(point[1]) if len(point) > 1 else ""))
        else:
            ids.add(key)
    return ids, periods


def articles_behind(
    articles: pd.DataFrame,
    *,
    cells: Collection[tuple[str, str]],
    ids: Collection[str],
    periods: Collection[tuple[str, str]] = (),
) -> pd.DataFrame:
    """The article list of the articles in these (outlet, meeting) cells, with these ids,
    and in these timeline points (``(key, outlet_name)``, see :func:`timeline_points`)."""
    exploded = per_meeting(articles, keep_none=True)
    in_cells = [
        (outlet, meeting) in cells
        for outlet, meeting in zip(exploded["outlet"], exploded["meeting"], strict=True)
    ]
    chosen = set(exploded.loc[in_cells, "id"]) | set(ids)
    published = pd.to_datetime(articles["published"]).dt.tz_localize(None)
    for key, outlet_name in periods:
        period, _, start = key.partition(":")
        if period not in TIMELINE_PERIODS:
            continue
        starts = _period_starts(published, period)
        hit = (articles["outlet_name"] == outlet_name) & (starts == pd.Timestamp(start))
        chosen |= set(articles.loc[hit, "id"])
    return article_list(articles[articles["id"].isin(chosen)])


def in_period_bars(
    rows: pd.DataFrame,
    *,
    by: str,
    period: str,
    bars: Collection[tuple[str, str]],
    names: Mapping[str, str],
) -> np.ndarray:
    """Whether each row (an article, a search hit) is counted in one of these bars of counts
    per period.

    A bar is ``(series, first day of its period as YYYY-MM-DD)``: the series as
    :func:`counts_with_names` names it (an outlet by its name in ``names``, a
    group as is), the period as :func:`analysis.measures.attention.per_period`
    counts it from ``published``.
    """
    starts = period_starts(rows["published"], period)
    days = [None if pd.isna(start) else f"{start:%Y-%m-%d}" for start in starts]
    series = [_series_name(key, by, names) for key in rows[by]]
    chosen = set(bars)
    return np.array(
        [(name, day) in chosen for name, day in zip(series, days, strict=True)], dtype=bool
    )


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
        "authors": list_text(article["authors"]) or "no byline",
        "language": article["language"],
        "meetings": list_text(article["meetings"]) or "none",
        "url": article["url"],
        "notes": article["notes"],
        "inferred on import": article["inferred"] or "nothing (all given in the file)",
        "file": article["path"],
    }
    return pd.DataFrame({"field": list(fields), "value": list(fields.values())})


#: How each analysis names the label an evidence sentence drives, in the Reader.
_EVIDENCE_KIND = {
    "stance": "Stance toward {target}: {label}",
    "outcome": "Outcome: {label}",
    "frame": "Frame: {label}",
    "subject": "Subject: {label}",
    "source": "Source: {label}",
}


def evidence_kinds(evidence: pd.DataFrame, names: Mapping[str, Mapping[str, str]]) -> list[str]:
    """Per evidence row, the label it drives as a reader reads it ("Stance toward Russia:
    unfavorable", "Frame: Security and defense").

    ``names`` maps ``"target"`` and an analysis (``"frame"``, ``"source"`` ...)
    to the names of its keys; a key without a name is written as it is.
    """
    targets = names.get("target", {})
    return [
        _EVIDENCE_KIND.get(str(analysis), "{analysis}: {label}").format(
            analysis=analysis,
            label=names.get(str(analysis), {}).get(str(label), label),
            target=targets.get(str(target), target),
        )
        for analysis, label, target in zip(
            evidence["analysis"], evidence["label"], evidence["target"], strict=True
        )
    ]


def evidence_keys(evidence: pd.DataFrame) -> list[str]:
    """Per evidence row, a stable key of the label it drives: ``analysis:label``, or
    ``stance:target:label`` (the Reader's link names the labels it shows by these)."""
    return [
        f"{analysis}:{target}:{label}" if target else f"{analysis}:{label}"
        for analysis, label, target in zip(
            evidence["analysis"], evidence["label"], evidence["target"], strict=True
        )
    ]


def evidence_marks(
    text: str, evidence: pd.DataFrame
) -> tuple[list[tuple[int, int, str]], dict[int, list[str]]]:
    """Where the Reader marks an article's evidence, and what it writes after each sentence.

    ``evidence`` has ``shows`` (:func:`evidence_kinds`), ``sentence_start``,
    ``sentence_end`` and ``cue_words`` (``; ``-separated). Returns the spans
    ``(start, end, "evidence:<shows>")`` of each sentence and ``(start, end,
    "cue")`` of each cue word found in it as a whole word (any case), and, per
    sentence end, the labels it drives in order of first appearance. Rows
    without offsets (evidence found in the headline) are left out.
    """
    spans: list[tuple[int, int, str]] = []
    markers: dict[int, list[str]] = {}
    for shows, start, end, cues in zip(
        evidence["shows"],
        evidence["sentence_start"],
        evidence["sentence_end"],
        evidence["cue_words"],
        strict=True,
    ):
        if pd.isna(start) or pd.isna(end):
            continue
        first, last = int(start), int(end)
        spans.append((first, last, f"evidence:{shows}"))
        kinds = markers.setdefault(last, [])
        if shows not in kinds:
            kinds.append(str(shows))
        sentence = text[first:last]
        for cue in str(cues or "").split(";"):
            words = cue.split()
            if not words:
                continue
            pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)"
            spans.extend(
                (first + m.start(), first + m.end(), "cue")
                for m in re.finditer(pattern, sentence, re.I)
            )
    return spans, markers


def in_percent(frame: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """``frame`` with ``outlet_name`` (from ``outlet``) and ``percent`` (``share`` × 100)."""
    return frame.assign(
        outlet_name=frame["outlet"].map(names), percent=(frame["share"] * 100).round(0)
    )


def agenda_cells(agenda: pd.DataFrame, names: Mapping[str, str]) -> tuple[pd.DataFrame, list[str]]:
    """The agenda matrix as drawn: subjects someone mentions, most mentioned first.

    ``agenda`` is :func:`analysis.labels.agenda.agenda_matrix` by outlet. Returns
    its rows for the subjects at least one article mentions, with
    ``outlet_name``, ``outlet_label`` (the name and the outlet's number of
    articles), ``subject_label`` (the name in lines of at most
    24 characters), ``percent`` and ``cell`` (``"k/n"``: articles
    mentioning the subject of the outlet's articles), ordered by subject
    (largest share of all the articles first, then name) and then outlet as
    given; and the names of the subjects no article mentions.
    """
    totals = agenda.groupby("subject_name", sort=False)[["articles_covering", "n_articles"]].sum()
    share = totals["articles_covering"] / totals["n_articles"]
    mentioned = share[totals["articles_covering"] > 0]
    order = sorted(mentioned.index, key=lambda name: (-mentioned[name], str(name)))
    silent = [str(name) for name in share.index if name not in mentioned.index]
    rank = {name: k for k, name in enumerate(order)}
    rows = agenda[agenda["subject_name"].isin(rank)]
    rows = rows.assign(
        outlet_name=rows["outlet"].map(names),
        outlet_label=[
            f"{names.get(o, o)} (n = {n:,})"
            for o, n in zip(rows["outlet"], rows["n_articles"], strict=True)
        ],
        subject_label=rows["subject_name"].map(lambda name: _wrapped(str(name), 24)),
        percent=(rows["share"] * 100).round(0),
        cell=[
            f"{k}/{n}" for k, n in zip(rows["articles_covering"], rows["n_articles"], strict=True)
        ],
        _rank=rows["subject_name"].map(rank),
    )
    ordered = rows.sort_values("_rank", kind="stable").drop(columns="_rank")
    return ordered.reset_index(drop=True), silent


def matrix_labels(
    cells: pd.DataFrame, names: Mapping[str, str], *, category: str, width: int = 24
) -> pd.DataFrame:
    """Matrix cells (``outlet``, ``n_articles``, ``category``) with the labels they are drawn
    with: ``outlet_name``, ``outlet_label`` ("Name (n = articles)") and ``category_label``
    (the category in lines of at most ``width`` characters)."""
    outlet_names = cells["outlet"].map(lambda key: names.get(key, key))
    return cells.assign(
        outlet_name=outlet_names,
        outlet_label=[
            f"{name} (n = {n:,})" for name, n in zip(outlet_names, cells["n_articles"], strict=True)
        ],
        category_label=cells[category].map(lambda value: _wrapped(str(value), width)),
    )


def _wrapped(text: str, width: int) -> str:
    """``text`` broken between words into lines of at most ``width`` characters (``<br>``)."""
    return "<br>".join(textwrap.wrap(text, width)) or text


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


def stance_over_time(
    stance: pd.DataFrame,
    articles: pd.DataFrame,
    target: str,
    *,
    meeting_names: Mapping[str, str],
) -> pd.DataFrame:
    """The scored stance rows toward ``target`` of the dated articles, with their metadata.

    ``meeting`` is the article's first meeting (``none`` for none) and
    ``meeting_name`` its name from ``meeting_names`` (the key when it has none).
    """
    columns = ["id", "outlet_name", "published", "title", "meetings"]
    scored = stance[stance["score"].notna()].merge(
        articles[columns], left_on="article_id", right_on="id"
    )
    chosen = scored[scored["published"].notna() & (scored["target"] == target)]
    first = chosen["meetings"].map(lambda keys: (list(list_items(keys)) or ["none"])[0])
    return chosen.drop(columns="meetings").assign(
        meeting=first, meeting_name=first.map(lambda key: meeting_names.get(key, key))
    )


def in_order(order: Iterable[str], present: Iterable[str]) -> list[str]:
    """The values of ``order`` that are in ``present``, in ``order``'s order."""
    found = set(present)
    return [value for value in order if value in found]


def target_names(stance: pd.DataFrame) -> dict[str, str]:
    """Each stance target's name, in order of first appearance."""
    named = stance[["target", "target_name"]].drop_duplicates("target")
    return dict(zip(named["target"], named["target_name"], strict=True))


def outlet_articles(outlet_of: Mapping[str, str], outlet: str) -> set[str]:
    """The ids of ``outlet``'s articles (``outlet_of`` maps an article id to its outlet)."""
    return {article for article, owner in outlet_of.items() if owner == outlet}


def labelled_articles(
    labels: pd.DataFrame, outlet_of: Mapping[str, str], outlet: str, **match: str
) -> set[str]:
    """The ids of ``outlet``'s articles with a label row whose columns have these values."""
    chosen = labels
    for column, value in match.items():
        chosen = chosen[chosen[column] == value]
    return {article for article in chosen["article_id"] if outlet_of.get(article) == outlet}


def insufficient_outlets(groups: pd.DataFrame) -> list[str]:
    """The names of the outlets of :func:`stance_shares` whose shares are not given."""
    return list(groups.loc[groups["status"] != "ok", "outlet_name"].unique())


def articles_per_outlet(counts: pd.DataFrame, names: Mapping[str, str]) -> dict[str, int]:
    """The ``articles`` of each ``outlet`` of ``counts``, summed, keyed by outlet name."""
    sums = counts.groupby("outlet")["articles"].sum()
    return {names[str(outlet)]: int(n) for outlet, n in sums.items()}


def term_bars(contrasts: pd.DataFrame, group: str, *, n: int) -> pd.DataFrame:
    """The bars of a diverging term chart: ``group``'s ``n`` highest z, then its ``n`` lowest."""
    return pd.concat(
        [
            top_terms(contrasts, group, n=n, positive=True),
            top_terms(contrasts, group, n=n, positive=False),
        ],
        ignore_index=True,
    )


def group_rows(contrasts: pd.DataFrame, group: str) -> pd.DataFrame:
    """The rows of one group of a contrast frame, renumbered."""
    return contrasts[contrasts["group"].astype(str) == str(group)].reset_index(drop=True)


def named_occurrences(kwic: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """Keyword-in-context rows with ``outlet_name`` (the key for an outlet not in ``names``)."""
    return kwic.assign(outlet_name=kwic["outlet"].map(names).fillna(kwic["outlet"]))


#: Columns of the keyword-in-context lines as the Term contrasts page lists them.
CONCORDANCE_COLUMNS = ["outlet_name", "title", "published", "left", "match", "right"]


def concordance_lines(kwic: pd.DataFrame) -> pd.DataFrame:
    """Keyword-in-context rows of :func:`named_occurrences` as listed, in their order.

    The publication date is written ``YYYY-MM-DD``, or ``undated``.
    """
    return kwic.assign(published=kwic["published"].map(date_text)).loc[:, CONCORDANCE_COLUMNS]


def occurrences_per_outlet(kwic: pd.DataFrame) -> dict[str, int]:
    """Occurrences per ``outlet_name`` of :func:`named_occurrences`, most first."""
    return {str(name): int(n) for name, n in kwic["outlet_name"].value_counts().items()}


def meeting_terms(
    outlets: Sequence[str],
    meeting: str,
    *,
    between_outlets: Callable[[], pd.DataFrame],
    between_meetings: Callable[[], pd.DataFrame],
    others: str = "outlets",
) -> tuple[pd.DataFrame, str]:
    """Each outlet's distinctive terms on a meeting, and what they were compared with.

    With two outlets or more, ``between_outlets()`` (the meeting's articles by
    outlet). With one, ``between_meetings()`` (the selection by meeting) and
    this meeting's rows, named after the outlet; when that comparison raises
    ``ValueError`` there is nothing to compare with and no term. ``outlets``
    may be outlet groups, with ``others="groups"`` to say so.
    """
    if len(outlets) >= 2:
        return between_outlets(), f"against the other {others}' articles on this meeting"
    try:
        frame = between_meetings()
    except ValueError:
        return (
            pd.DataFrame(columns=list(CONTRAST_COLUMNS)),
            "no comparison: the selection holds nothing but this meeting",
        )
    frame = frame[frame["group"] == meeting].assign(group=outlets[0])
    return frame, (
        "against the rest of the selected corpus, because no other outlet covered this meeting"
    )


def terms_by_outlet(terms: pd.DataFrame, outlets: Iterable[str], *, n: int) -> dict[str, str]:
    """Each outlet's first ``n`` distinctive terms (:func:`top_terms`), joined with "; "."""
    return {
        outlet: "; ".join(top_terms(terms, outlet, n=n)["term"]) if len(terms) else ""
        for outlet in outlets
    }


def year_span(first: pd.Timestamp | None, last: pd.Timestamp | None) -> str:
    """The years from ``first`` to ``last`` as written: ``2013–2016``, ``2015`` for one year,
    ``undated`` when there is no date."""
    if first is None or last is None or pd.isna(first) or pd.isna(last):
        return "undated"
    return f"{first:%Y}" if first.year == last.year else f"{first:%Y}–{last:%Y}"


def date_text(published: pd.Timestamp | None) -> str:
    """A publication date as the pages write it: ``YYYY-MM-DD``, or ``undated``."""
    return "undated" if pd.isna(published) else f"{published:%Y-%m-%d}"


#: Columns of the search hits as the Search page lists them.
HIT_COLUMNS = ["outlet_name", "title", "published", "left", "match", "right", "sentence", "id"]


def hit_list(hits: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """Search hits as listed: the outlet by name, context around the hit, the article id."""
    return named_occurrences(hits, names).loc[:, HIT_COLUMNS].reset_index(drop=True)


def hits_per_outlet(
    hits: pd.DataFrame, articles: pd.DataFrame, outlets: pd.DataFrame
) -> pd.DataFrame:
    """Per selected outlet (registry order): hits, articles with a hit, and articles selected.

    Columns ``outlet``, ``outlet_name``, ``hits``, ``articles_with_hits``,
    ``articles`` and ``share`` (articles with a hit, in percent of the outlet's).
    """
    names = dict(zip(outlets["outlet"], outlets["name"], strict=True))
    selected = articles["outlet"].astype(str).value_counts()
    order = in_order(outlets["outlet"], selected.index)
    found = hits.groupby("outlet").agg(hits=("id", "size"), articles_with_hits=("id", "nunique"))
    frame = pd.DataFrame({"outlet": order})
    frame["outlet_name"] = frame["outlet"].map(lambda key: names.get(key, key))
    frame["hits"] = frame["outlet"].map(found["hits"]).fillna(0).astype(int)
    frame["articles_with_hits"] = (
        frame["outlet"].map(found["articles_with_hits"]).fillna(0).astype(int)
    )
    frame["articles"] = frame["outlet"].map(selected).astype(int)
    frame["share"] = (100 * frame["articles_with_hits"] / frame["articles"]).round(1)
    return frame


def counts_with_names(
    counts: pd.DataFrame, by: str, names: Mapping[str, str], *, count: str
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Per-period counts with the series named, and each series' legend entry with its total.

    Returns the counts with a ``series`` column (an outlet's name, a group as
    is) and, per series, ``"Name (n = total)"``.
    """
    named = counts.assign(series=counts[by].map(lambda key: _series_name(key, by, names)))
    totals = named.groupby("series", sort=False)[count].sum()
    return named, {str(name): f"{name} (n = {int(n):,})" for name, n in totals.items()}


def _series_name(key: object, by: str, names: Mapping[str, str]) -> str:
    """A series of counts per period as charts and links name it: an outlet by its name, a
    group as it is."""
    return names.get(str(key), str(key)) if by == "outlet" else str(key)


def spread_rows(spread: pd.DataFrame, outlets_of: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """The coverage spread as listed: ``group``, ``articles``, ``share`` (%), ``outlets``.

    ``spread`` is :func:`analysis.measures.coverage.coverage_spread` by
    ``outlet_group``; ``outlets_of`` names each group's outlets.
    """
    return pd.DataFrame(
        {
            "group": spread["outlet_group"].astype(str),
            "articles": spread["articles"].astype("int64"),
            "share (%)": (spread["share"] * 100).round(1),
            "outlets": spread["outlets"].astype("int64"),
            "outlet names": [", ".join(outlets_of.get(str(g), ())) for g in spread["outlet_group"]],
        }
    )


def at_a_glance(
    profiles: pd.DataFrame,
    *,
    names: Mapping[str, str],
    groups: Mapping[str, str],
    targets: Mapping[str, str],
    terms: Mapping[str, str],
) -> pd.DataFrame:
    """One row per outlet as the compact table shows it, readable column names.

    ``profiles`` is :func:`analysis.labels.summaries.group_profiles` by
    outlet; ``names`` and ``groups`` give each outlet's name and group,
    ``targets`` each stance target's name and ``terms`` each outlet's
    distinctive terms.
    """
    keys = profiles["outlet"].astype(str)
    shown = pd.DataFrame(
        {
            "outlet": keys.map(lambda k: names.get(k, k)),
            "group": keys.map(lambda k: groups.get(k, "")),
            "articles": profiles["articles"].astype("int64"),
        }
    )
    for column in profiles.columns:
        if str(column).startswith("stance_"):
            target = str(column).removeprefix("stance_")
            shown[f"stance toward {targets.get(target, target)}"] = profiles[column]
    shown["outcome framing"] = profiles["outcome"]
    shown["distinctive terms"] = keys.map(lambda k: terms.get(k, ""))
    shown["quotes most"] = profiles["sources"]
    return shown


#: What a blind spot of kind ``meeting`` is called in the list.
WHOLE_MEETING = "the whole meeting"


def blind_spot_rows(spots: pd.DataFrame) -> pd.DataFrame:
    """Blind spots by outlet group as listed: what was missed, by whom, who covered it.

    ``spots`` is :func:`analysis.measures.coverage.blind_spots` by ``outlet_group``.
    """
    return pd.DataFrame(
        {
            "left out": [
                WHOLE_MEETING if kind == "meeting" else str(name)
                for kind, name in zip(spots["kind"], spots["subject_name"], strict=True)
            ],
            "group": spots["outlet_group"].astype(str),
            "its articles on the meeting": spots["n_articles"].astype("int64"),
            "covered by": spots["covered_by"].astype(str),
            "their articles": spots["articles_covering"].astype("int64"),
        }
    )


def blind_spot_articles(
    on_meeting: pd.DataFrame, agenda: pd.DataFrame, spot: pd.Series
) -> set[str]:
    """The ids of the articles that covered what a group left out (a row of ``blind_spots``).

    ``on_meeting`` holds the meeting's articles (``id``, ``outlet_group``),
    ``agenda`` their subjects: for a whole meeting, every article of the
    covering groups; for a subject, those of them that name it.
    """
    groups = set(str(spot["covered_by"]).split("; "))
    covering = on_meeting[on_meeting["outlet_group"].astype(str).isin(groups)]
    ids = set(covering["id"].astype(str))
    if spot["kind"] == "meeting":
        return ids
    named = agenda[(agenda["status"] == "ok") & (agenda["subject"] == spot["subject"])]
    return ids & set(named["article_id"].astype(str))


def ignored_meetings(
    spots: pd.DataFrame, meetings: pd.DataFrame, names: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """The meetings a group or outlet ran nothing on while others did, as listed.

    ``spots`` are its rows of :func:`analysis.measures.coverage.blind_spots`;
    ``meetings`` is the catalogue (``meeting``, ``title``, ``start``);
    ``names`` names the outlets of ``covered_by`` (by outlet). Columns
    ``meeting`` (its title), ``start``, ``covered by`` and ``their articles``,
    in the order of the meetings.
    """
    named = dict(names or {})
    ignored = spots[spots["kind"] == "meeting"]
    titles = dict(zip(meetings["meeting"], meetings["title"], strict=True))
    starts = dict(zip(meetings["meeting"], meetings["start"], strict=True))
    return pd.DataFrame(
        {
            "meeting": [titles.get(m, m) for m in ignored["meeting"]],
            "start": pd.to_datetime(ignored["meeting"].map(starts)).tolist(),
            "covered by": [
                "; ".join(named.get(k, k) for k in str(keys).split("; "))
                for keys in ignored["covered_by"]
            ],
            "their articles": ignored["articles_covering"].astype("int64").tolist(),
        }
    )
