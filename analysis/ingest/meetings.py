"""Which meeting of the catalogue an article covers, in any language.

Names are found with the targets' machinery (:mod:`analysis.text.names`, the
``names`` of ``analysis/data/targets.yaml``), in the article's language and
inflected forms: "Путина", "Poutine" and "بوتين" are Putin. A meeting of
``meetings.yaml`` names its ``principals`` (``[kerry, putin]``) and
``counterparts`` (``[lavrov]``) by those name ids.

Rules
-----
1. **Who.** An article can cover a meeting when it names all its principals
   (*principals*), or names the first principal (the visitor) together with
   a counterpart or the meeting's place (*the visit*: Kerry's talks with
   Lavrov in Moscow on the day he saw Putin). Anything else covers none: a
   Tillerson–Putin or a Blinken–Lavrov meeting names no Kerry.
2. **When.** A dated article (to the day or month) must fall in the meeting's
   window: from :data:`DAYS_BEFORE` days before its start (announcements) to
   :data:`DAYS_AFTER` days after its end (aftermath and commentary) when it
   names the principals; from :data:`VISIT_DAYS_BEFORE` to
   :data:`VISIT_DAYS_AFTER` days when it only names the visit, since a
   Kerry–Lavrov talk three weeks later is another event. An analysis
   published up to :data:`ANALYSIS_DAYS_AFTER` days after a meeting still
   covers it when it names the principals and a cue that only that meeting
   has (it says which meeting it discusses). An article dated only to the
   year, or not at all, may cover any meeting whose principals it names (the
   visit alone is not enough without a date: Kerry met Lavrov many times).
3. **Which.** One meeting left: that one. Several: each meeting's *profile*
   (its ``place_terms`` and ``cues``, in any language) is compared with the
   text: the similarity is the sum, over the profile terms the text names,
   of ``ln(1 + n / k)`` where ``n`` is the number of meetings compared and
   ``k`` the number of them whose profile has the term; a term every meeting
   shares ("Moscow", "Syria") weighs least. The meeting with the highest
   similarity is chosen when it is at least :data:`CLOSE_RATIO` times the
   next one; otherwise the two are *truly close* and the article is
   ``undetermined``, naming both and the terms found for each. With no
   profile term found at all it is undetermined among every meeting left.

The confidence in the basis is 0.95 for one meeting left by the date window
(0.85 when only the visit is named), and the chosen meeting's share of the
two best similarities otherwise (capped at 0.9; from 0.6 upwards).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from analysis.corpus.registry import Meeting
from analysis.corpus.types import Inference, PublishedDate
from analysis.labels.targets import TargetMatcher, load_targets
from analysis.text.names import NameIndex

__all__ = [
    "ANALYSIS_DAYS_AFTER",
    "CLOSE_RATIO",
    "DAYS_AFTER",
    "DAYS_BEFORE",
    "VISIT_DAYS_AFTER",
    "VISIT_DAYS_BEFORE",
    "MeetingProfiles",
    "infer_meetings",
]

#: The window of an article naming the principals opens this many days before the start ...
DAYS_BEFORE = 10
#: ... and closes this many days after the end.
DAYS_AFTER = 21
#: The window of an article naming only the visit (no second principal) ...
VISIT_DAYS_BEFORE = 2
#: ... is the talks themselves and the days after.
VISIT_DAYS_AFTER = 7
#: An analysis naming the principals and a cue of one meeting only may come this late.
ANALYSIS_DAYS_AFTER = 90
#: The best meeting must be this many times as similar as the next one to be chosen.
CLOSE_RATIO = 1.5


@dataclass(frozen=True)
class _Evidence:
    """Who an article names for one meeting: ``principals`` or ``visit`` (or None)."""

    kind: str | None
    names: tuple[str, ...]


class MeetingProfiles:
    """The catalogue's profile terms and the name machinery, built once per catalogue.

    Parameters
    ----------
    meetings : mapping of str to Meeting
        The catalogue.
    matcher : TargetMatcher, optional
        Whose names find the principals (default: the shipped targets).
    """

    def __init__(
        self, meetings: Mapping[str, Meeting], matcher: TargetMatcher | None = None
    ) -> None:
        self.meetings = dict(meetings)
        self.matcher = matcher if matcher is not None else _default_matcher()
        unknown = sorted(
            {
                name
                for m in self.meetings.values()
                for name in (*m.principals, *m.counterparts)
                if name not in self.matcher.names.keys
            }
        )
        if unknown:
            raise ValueError(
                f"meetings.yaml names {unknown} as principals or counterparts, which are not "
                "name ids of the targets file (putin, kerry, lavrov, ...)"
            )
        terms: dict[str, list[str]] = {}
        self.places: dict[str, frozenset[str]] = {}
        self.profiles: dict[str, frozenset[str]] = {}
        for meeting in self.meetings.values():
            places = {_term_key(t) for t in meeting.place_terms}
            cues = {_term_key(t) for t in meeting.cues}
            for term in (*meeting.place_terms, *meeting.cues):
                terms.setdefault(_term_key(term), []).append(term)
            self.places[meeting.key] = frozenset(places)
            self.profiles[meeting.key] = frozenset(places | cues)
        self.terms = NameIndex({key: tuple(dict.fromkeys(v)) for key, v in terms.items()})

    def terms_in(self, text: str, language: str | None) -> dict[str, str]:
        """Profile terms named in ``text``: term key to the first form found."""
        found: dict[str, str] = {}
        for hit in self.terms.find(text, language):
            found.setdefault(hit.key, text[hit.start : hit.end])
        return found


def _term_key(term: str) -> str:
    return " ".join(term.casefold().split())


@cache
def _default_matcher() -> TargetMatcher:
    return TargetMatcher(*load_targets())


@cache
def _profiles_for(meetings: tuple[Meeting, ...]) -> MeetingProfiles:
    return MeetingProfiles({m.key: m for m in meetings})


def _period(published: PublishedDate) -> tuple[dt.date, dt.date] | None:
    start = published.value
    if start is None or published.precision not in ("day", "month"):
        return None
    if published.precision == "day":
        return start, start
    following = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start, following - dt.timedelta(days=1)


def _evidence(meeting: Meeting, named: Mapping[str, Sequence[str]], places: bool) -> _Evidence:
    principals = meeting.principals
    if not principals:
        return _Evidence(None, ())
    if all(p in named for p in principals):
        return _Evidence("principals", principals)
    visitor = principals[0]
    counterparts = tuple(c for c in meeting.counterparts if c in named)
    if visitor in named and (counterparts or places):
        return _Evidence("visit", (visitor, *counterparts, *(["the place"] if places else [])))
    return _Evidence(None, ())


def _overlaps(period: tuple[dt.date, dt.date], meeting: Meeting, before: int, after: int) -> bool:
    return meeting.start - dt.timedelta(days=before) <= period[1] and period[
        0
    ] <= meeting.end + dt.timedelta(days=after)


def _who(evidence: _Evidence) -> str:
    if evidence.kind == "principals":
        return "names " + " and ".join(evidence.names)
    return f"names the visit ({', '.join(evidence.names)}) but not every principal"


def infer_meetings(
    text: str,
    published: PublishedDate,
    meetings: Mapping[str, Meeting],
    *,
    language: str | None = None,
    profiles: MeetingProfiles | None = None,
) -> tuple[tuple[str, ...], Inference]:
    """The catalogue meetings an article covers, by the rules in this module's docstring.

    Parameters
    ----------
    text : str
        The article (its title first, where there is one).
    published : PublishedDate
        Its publication date, of any precision.
    meetings : mapping of str to Meeting
        The catalogue.
    language : str, optional
        ISO 639-1 code of the text; identified with py3langid when not given.
    profiles : MeetingProfiles, optional
        Built once for many articles; by default built from ``meetings`` and
        the shipped targets (and kept for the next call).

    Returns
    -------
    tuple of (tuple of str, Inference)
        The meeting keys (empty for none or undetermined) and the basis. The
        inference's value is the key, ``"none"`` or ``"undetermined"``; its
        basis ends with the confidence.
    """
    if profiles is None:
        ordered_all = tuple(sorted(meetings.values(), key=lambda m: (m.start, m.key)))
        profiles = _profiles_for(ordered_all)
    if language is None:
        from analysis.ingest.inference import infer_language

        language = infer_language(text)[0]
    named = profiles.matcher.names.keys_in(text, language)
    terms = profiles.terms_in(text, language)
    found_terms = set(terms)
    ordered = sorted(meetings.values(), key=lambda m: (m.start, m.key))
    evidence = {
        m.key: _evidence(m, named, bool(profiles.places.get(m.key, frozenset()) & found_terms))
        for m in ordered
    }
    possible = [m for m in ordered if evidence[m.key].kind is not None]
    if not possible:
        wanted = sorted({p for m in ordered for p in m.principals})
        missing = [p for p in wanted if p not in named]
        return (), Inference(
            "meetings",
            "none",
            f"the text never names {' or '.join(missing)}"
            if missing
            else "the text names no meeting's principals together",
        )
    period = _period(published)
    if period is None:
        when = "undated" if published.value is None else f"dated only to {published}"
        if all(evidence[m.key].kind == "visit" for m in possible):
            return (), Inference(
                "meetings",
                "none",
                f"{_who(evidence[possible[0].key])}; {when}: without a date, talks with a "
                "counterpart alone do not tell a meeting from other talks",
            )
        possible = [m for m in possible if evidence[m.key].kind == "principals"]
        return _by_profile(terms, possible, evidence, profiles, when, dated=False)
    when = f"dated {published}"
    in_window = [
        m
        for m in possible
        if (evidence[m.key].kind == "principals" and _overlaps(period, m, DAYS_BEFORE, DAYS_AFTER))
        or (
            evidence[m.key].kind == "visit"
            and _overlaps(period, m, VISIT_DAYS_BEFORE, VISIT_DAYS_AFTER)
        )
    ]
    if len(in_window) == 1:
        only = in_window[0]
        kind = evidence[only.key].kind
        before, after = (
            (DAYS_BEFORE, DAYS_AFTER)
            if kind == "principals"
            else (VISIT_DAYS_BEFORE, VISIT_DAYS_AFTER)
        )
        confidence = 0.95 if kind == "principals" else 0.85
        return (only.key,), Inference(
            "meetings",
            only.key,
            f"{_who(evidence[only.key])}; {when}, within {only.key}'s window ({before} days "
            f"before to {after} days after); confidence {confidence:.2f}",
        )
    if len(in_window) > 1:
        return _by_profile(terms, in_window, evidence, profiles, when, dated=True)
    late = [
        m
        for m in possible
        if evidence[m.key].kind == "principals"
        and _overlaps(period, m, 0, ANALYSIS_DAYS_AFTER)
        and period[0] > m.end
    ]
    for meeting in late:
        own = _own_terms(meeting, terms, profiles)
        if own:
            return (meeting.key,), Inference(
                "meetings",
                meeting.key,
                f"{_who(evidence[meeting.key])}; {when}, after {meeting.key}'s window but within "
                f"{ANALYSIS_DAYS_AFTER} days, and names {', '.join(own)}, which only "
                f"{meeting.key} has in meetings.yaml (an analysis of it); confidence 0.70",
            )
    return (), Inference(
        "meetings",
        "none",
        f"{_who(evidence[possible[0].key])}; {when}, outside every window "
        f"({DAYS_BEFORE} days before to {DAYS_AFTER} days after a meeting; "
        f"{VISIT_DAYS_BEFORE} to {VISIT_DAYS_AFTER} for a visit without every principal)",
    )


def _own_terms(meeting: Meeting, terms: Mapping[str, str], profiles: MeetingProfiles) -> list[str]:
    others = set().union(
        *(profile for key, profile in profiles.profiles.items() if key != meeting.key)
    )
    return [form for key, form in terms.items() if key in profiles.profiles[meeting.key] - others]


def _by_profile(
    terms: Mapping[str, str],
    candidates: Sequence[Meeting],
    evidence: Mapping[str, _Evidence],
    profiles: MeetingProfiles,
    when: str,
    *,
    dated: bool,
) -> tuple[tuple[str, ...], Inference]:
    keys = [m.key for m in candidates]
    owners = {
        term: sum(term in profiles.profiles[k] for k in keys)
        for term in terms
        if any(term in profiles.profiles[k] for k in keys)
    }
    weight = {term: math.log(1 + len(keys) / count) for term, count in owners.items()}
    scores = {
        key: sum(w for term, w in weight.items() if term in profiles.profiles[key]) for key in keys
    }
    ranked = sorted(keys, key=lambda k: (-scores[k], keys.index(k)))
    best = ranked[0]
    second = ranked[1] if len(ranked) > 1 else None
    listed = ", ".join(keys)
    window = "whose window fits" if dated else "possible"
    who = _who(evidence[best])
    if scores[best] == 0:
        return (), Inference(
            "meetings",
            "undetermined",
            f"{who}; {when}; no place or cue of meetings.yaml tells apart the meetings "
            f"{window} ({listed}): set meetings by hand",
        )

    def found_for(key: str) -> str:
        return ", ".join(terms[t] for t in weight if t in profiles.profiles[key]) or "nothing"

    best_score = scores[best]
    second_score = scores[second] if second is not None else 0.0
    if second is not None and best_score < CLOSE_RATIO * second_score:
        return (), Inference(
            "meetings",
            "undetermined",
            f"{who}; {when}; {best} and {second} are close: similarity {best_score:.2f} "
            f"({found_for(best)}) against {second_score:.2f} ({found_for(second)}): "
            "set meetings by hand",
        )
    confidence = min(0.9, best_score / (best_score + second_score))
    return (best,), Inference(
        "meetings",
        best,
        f"{who}; {when}; most like {best} among the meetings {window} ({listed}): "
        f"similarity {best_score:.2f} ({found_for(best)})"
        + (f" against {second_score:.2f} for {second}" if second is not None else "")
        + f"; confidence {confidence:.2f}",
    )
