"""Turn raw article text (as published, with page chrome) into analysable text.

Cleaning never changes the raw text; it returns the analysable text *and* every
piece it removed, with the line numbers, the rule that fired and a reason an
analyst can read and disagree with.

Steps, in order, for one article:

1. **Characters** (:mod:`analysis.text.normalize`). Line endings become
   ``\\n`` (``\\r\\n``, ``\\r``, U+2028 and U+2029 each count as one line
   break, so line numbers match an editor's). Sentences glued without a space
   (``time.The``, ``2014.”Officials``, ``worse.“Capitulating``) get the space
   back; the quote's direction decides which side of it the space goes. Then
   curly and low quotes and guillemets become straight ``"`` and ``'``; en and
   em dashes become ``—``, hyphen and minus variants ``-``; ``…`` becomes
   ``...``; non-breaking and other special spaces become a plain space,
   zero-width characters and soft hyphens are dropped, runs of spaces collapse
   and lines are stripped. Leading bullet symbols are dropped.
2. **Line rules** (:mod:`analysis.text.chrome`), first match wins: the
   headline repeated as a line (also as ``Headline | Site``), a line that is
   only the outlet's name, bylines and credit lines, a line that is only a
   date, general web-chrome patterns (copyright, licence, funding, cookies,
   donation, newsletter, subscribe, comment form, correction request, ad
   blocker, share/follow, related and next/previous post, disclaimer, read
   more/click here, teasers cut off with ``[...]``), image captions (the same
   short line twice in a row) and a line repeating an earlier line of the same
   article.
3. **Learned boilerplate** (:func:`learn_boilerplate`): see
   :class:`analysis.text.boilerplate.BoilerplateModel` for when a line that
   repeats across articles is removed and when it is kept.
4. **Structure** (:mod:`analysis.text.chrome`). After a strong end-of-article
   marker (``Related Posts``, ``Next Post``, ``Leave a Reply``, ``No
   comments:``, ``Post a Comment`` ...) everything is chrome, and before the
   headline line everything is chrome — each only when the text on the cut
   side is smaller than the text kept, so a marker or headline in an odd place
   cannot swallow the article.
5. **Repair** (here). Lines hard-wrapped inside a sentence are joined; header
   lines (headline, subtitle, author, dateline) are not. Each remaining line
   is a paragraph; paragraphs are separated by a blank line.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.corpus.types import list_items
from analysis.text.boilerplate import (
    BoilerplateModel,
    apply_learned,
    repeat_key,
)
from analysis.text.chrome import (
    Verdict,
    cut_after_end_marker,
    cut_before_headline,
    line_context,
    line_verdicts,
)
from analysis.text.normalize import normalize_lines, unify_line_breaks

__all__ = [
    "CleanedText",
    "CleaningState",
    "Removal",
    "clean_articles",
    "clean_text",
    "learn_boilerplate",
]


@dataclass(frozen=True)
class Removal:
    """One piece of raw text that cleaning removed.

    ``line_start`` and ``line_end`` are 1-based, inclusive line numbers in the
    raw text; ``text`` is the raw text of those lines (or the removed part of a
    line); ``rule`` is a stable rule name and ``reason`` says why in words.
    """

    line_start: int
    line_end: int
    text: str
    rule: str
    reason: str


@dataclass(frozen=True)
class CleanedText:
    """Analysable text (paragraphs separated by a blank line) and what was removed."""

    text: str
    removed: tuple[Removal, ...]


_IMAGE_PLACEHOLDER = re.compile(r"^(?:image|photo|picture|img)(?=[A-Z])")
_TERMINAL = re.compile(r"(?:[.!?:;]|\.\.\.)[\"')\]]*$")

_CONTINUATION_WORDS = frozenset(
    re.findall(
        r"\S+",
        "a an the of to in on at for with by from and or but nor that than as into onto upon "
        "about over under between against through during without within via whose which who "
        "whom whether if because while although though so its their his her our your my this "
        "these those is are was were be been being has have had not",
    )
)


def learn_boilerplate(
    texts: Sequence[str],
    outlets: Sequence[str],
    *,
    min_articles: int = 2,
    min_share: float = 0.5,
) -> BoilerplateModel:
    """Count the lines that repeat across articles and outlets.

    Parameters
    ----------
    texts : sequence of str
        Raw article texts.
    outlets : sequence of str
        The outlet of each text, in the same order.
    min_articles : int, default 2
        A line must appear in at least this many articles to count as
        repeated; in as many articles of one outlet to count as that outlet's.
    min_share : float, default 0.5
        Share of an outlet's articles a sentence-like line in the body must
        appear in to be removed (see :class:`BoilerplateModel`).

    Returns
    -------
    BoilerplateModel
        Counts of repeated lines, for :func:`clean_text`.

    Raises
    ------
    ValueError
        If the sequences differ in length, ``min_articles`` is below 2 or
        ``min_share`` is not in (0, 1].
    """
    if len(texts) != len(outlets):
        raise ValueError(f"got {len(texts)} texts but {len(outlets)} outlets; pass one per text")
    if min_articles < 2:
        raise ValueError(f"min_articles must be at least 2, got {min_articles}")
    if not 0 < min_share <= 1:
        raise ValueError(f"min_share must be in (0, 1], got {min_share}")
    prepared = [_prepare(text) for text in texts]
    counts = _RepeatCounts([article.key_set() for article in prepared], list(outlets))
    return counts.model(
        list(zip(prepared, outlets, strict=True)),
        dict(Counter(outlets)),
        min_articles=min_articles,
        min_share=min_share,
    )


def clean_text(
    raw: str,
    *,
    title: str = "",
    outlet_name: str = "",
    authors: Sequence[str] = (),
    boilerplate: BoilerplateModel | None = None,
    article_outlet: str = "",
) -> CleanedText:
    """Clean one article.

    Parameters
    ----------
    raw : str
        The text as published, with page chrome.
    title : str, optional
        The headline; lines repeating it are removed (it is metadata, kept
        elsewhere).
    outlet_name : str, optional
        The outlet's display name; a line that is only this name (or one part
        of it, e.g. ``OSW`` of ``OSW – Centre for Eastern Studies``) is removed.
    authors : sequence of str, optional
        Author names; a line that is only one of them is removed as a byline.
    boilerplate : BoilerplateModel, optional
        Repeated lines learned from the corpus with :func:`learn_boilerplate`.
    article_outlet : str, optional
        The outlet key this article belongs to in ``boilerplate``; it also
        counts as an outlet name (``euromaidan-press`` matches
        ``Euromaidan Press``).

    Returns
    -------
    CleanedText
        The analysable text and the removed pieces, in line order.

    Raises
    ------
    ValueError
        If ``raw`` is not a string.
    """
    if not isinstance(raw, str):
        raise ValueError(f"raw must be a str, not {type(raw).__name__}")
    return _clean(
        raw,
        _prepare(raw),
        title=title,
        outlet_name=outlet_name,
        authors=authors,
        boilerplate=boilerplate,
        article_outlet=article_outlet,
    )


#: A removed piece without its article: line_start, line_end, rule, reason, text.
_RemovedRow = tuple[int, int, str, str, str]

#: Boilerplate is learned from lines in at least this many articles, and a
#: sentence in the body must be in this share of its outlet's articles.
_MIN_ARTICLES = 2
_MIN_SHARE = 0.5


@dataclass(frozen=True)
class CleaningState:
    """What cleaning a corpus worked out, kept so that a later cleaning redoes only what changed.

    One entry per article, in the order cleaned: ``inputs`` is a hash of
    everything cleaning reads of it (text, headline, outlet, outlet name,
    authors); ``outlets`` its outlet; its distinct repeat keys (the lines
    boilerplate is learned from) as 64-bit hashes,
    ``key_hashes[key_offsets[i]:key_offsets[i + 1]]``; ``cleaned`` its
    cleaned text, or ``None`` when cleaning left it as it was; ``removed``
    the pieces removed, as ``(line_start, line_end, rule, reason, text)``.
    ``judged_hashes[judged_offsets[i]:judged_offsets[i + 1]]`` are the keys
    of its lines that no line rule removed, which learned boilerplate judges:
    a change in the counts of its other lines cannot change its cleaning.
    """

    inputs: np.ndarray
    outlets: tuple[str, ...]
    key_offsets: np.ndarray
    key_hashes: np.ndarray
    judged_offsets: np.ndarray
    judged_hashes: np.ndarray
    cleaned: tuple[str | None, ...]
    removed: tuple[tuple[_RemovedRow, ...], ...]


def _input_key(text: str, title: str, outlet: str, outlet_name: str, authors: list[str]) -> bytes:
    digest = hashlib.blake2b(digest_size=16)
    for part in (text, title, outlet, outlet_name, *authors):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0\1")
    digest.update(str(len(authors)).encode())
    return digest.digest()


def _key_hash(key: str) -> int:
    return int.from_bytes(
        hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little"
    )


_NO_KEYS = np.zeros(0, dtype=np.uint64)


def _flat(sets: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Arrays one after another, and where each starts (one more offset than arrays)."""
    offsets = np.zeros(len(sets) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(values) for values in sets])
    return offsets, np.concatenate(sets) if sets else _NO_KEYS


class _RepeatCounts:
    """In how many articles, and articles of each outlet, each repeat key is (by its hash)."""

    def __init__(self, key_sets: list[np.ndarray], outlets: list[str]) -> None:
        self.outlet_code = {outlet: code for code, outlet in enumerate(sorted(set(outlets)))}
        self.n_outlets = max(len(self.outlet_code), 1)
        lengths = np.fromiter(map(len, key_sets), dtype=np.int64, count=len(key_sets))
        everything = np.concatenate(key_sets) if key_sets else np.zeros(0, dtype=np.uint64)
        codes = np.fromiter(
            (self.outlet_code[outlet] for outlet in outlets), dtype=np.int64, count=len(outlets)
        )
        self.hashes, inverse, self.articles = np.unique(
            everything, return_inverse=True, return_counts=True
        )
        pairs = inverse.astype(np.int64) * self.n_outlets + np.repeat(codes, lengths)
        self.pairs, self.pair_articles = np.unique(pairs, return_counts=True)
        # Outlets a key is in: its distinct (key, outlet) pairs.
        self.outlets = np.bincount(self.pairs // self.n_outlets, minlength=len(self.hashes))

    def _at(self, hashes: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.hashes, hashes)

    def in_outlet(self, hashes: np.ndarray, outlet: str) -> np.ndarray:
        """Articles of ``outlet`` holding each of ``hashes`` (0 for a key none of them holds)."""
        found = np.zeros(len(hashes), dtype=np.int64)
        code = self.outlet_code.get(outlet)
        if code is None or not len(self.hashes):
            return found
        at = np.minimum(self._at(hashes), len(self.hashes) - 1)
        known = self.hashes[at] == hashes
        pairs = at.astype(np.int64) * self.n_outlets + code
        where = np.minimum(np.searchsorted(self.pairs, pairs), len(self.pairs) - 1)
        known &= self.pairs[where] == pairs
        found[known] = self.pair_articles[where[known]]
        return found

    def model(
        self,
        articles: list[tuple[_Prepared, str]],
        outlet_sizes: dict[str, int],
        *,
        min_articles: int = _MIN_ARTICLES,
        min_share: float = _MIN_SHARE,
    ) -> BoilerplateModel:
        """The boilerplate model as these articles (prepared, with their outlet) read it.

        The model of the whole corpus, restricted to the keys of ``articles``,
        which is all cleaning them looks up; given every article, the whole model.
        """
        articles_with: dict[str, int] = {}
        outlets_with: dict[str, int] = {}
        outlet_articles_with: dict[tuple[str, str], int] = {}
        for article, outlet in articles:
            distinct = article.distinct()
            if not distinct:
                continue
            hashes = np.fromiter((h for _, h in distinct), dtype=np.uint64, count=len(distinct))
            at = self._at(hashes)
            in_outlet = self.in_outlet(hashes, outlet)
            for (key, _), where, own in zip(distinct, at.tolist(), in_outlet.tolist(), strict=True):
                count = int(self.articles[where])
                if count >= min_articles:
                    articles_with[key] = count
                    outlets_with[key] = int(self.outlets[where])
                    outlet_articles_with[(outlet, key)] = own
        return BoilerplateModel(
            min_articles=min_articles,
            min_share=min_share,
            outlet_sizes=outlet_sizes,
            articles_with=articles_with,
            outlets_with=outlets_with,
            outlet_articles_with=outlet_articles_with,
        )


def _to_clean_again(
    reuse: CleaningState,
    inputs: list[bytes],
    found: list[int],
    key_sets: list[np.ndarray],
    outlets: list[str],
    counts: _RepeatCounts,
) -> list[int]:
    """The articles whose cleaning a change since ``reuse`` may have changed.

    Those not cleaned before; those with a line learned boilerplate judges
    (see :class:`CleaningState`) that is also in an article added, changed or
    removed (the line's counts, and so its verdict or reason, may change); and
    those of an outlet whose size changed with such a line in three or more
    of its articles (whether a body sentence is in half the outlet's articles
    depends on its size).
    """
    before = Counter(reuse.inputs.tolist())
    now = Counter(inputs)
    changed_inputs = {key for key in before.keys() | now.keys() if before[key] != now[key]}
    changed_keys = [
        reuse.key_hashes[reuse.key_offsets[j] : reuse.key_offsets[j + 1]]
        for j, key in enumerate(reuse.inputs.tolist())
        if key in changed_inputs
    ]
    changed_keys += [key_sets[i] for i, key in enumerate(inputs) if key in changed_inputs]
    touched = np.unique(np.concatenate(changed_keys)) if changed_keys else np.zeros(0, np.uint64)
    sizes_before, sizes_now = Counter(reuse.outlets), Counter(outlets)
    resized = {outlet for outlet in sizes_now if sizes_before[outlet] != sizes_now[outlet]}

    # Per kept article: does one of its judged lines hold a touched key, or one
    # repeated in three or more articles of its outlet, if that outlet was resized?
    lengths = np.diff(reuse.judged_offsets)
    owner = np.repeat(np.arange(len(lengths)), lengths)
    hit = np.isin(reuse.judged_hashes, touched)
    outlet_of = np.array(reuse.outlets, dtype=object)
    in_resized = np.isin(outlet_of[owner], list(resized)) if resized else np.zeros(len(owner), bool)
    if in_resized.any():
        entries = np.flatnonzero(in_resized)
        for outlet in resized:
            mine = entries[outlet_of[owner[entries]] == outlet]
            if len(mine):
                shared = counts.in_outlet(reuse.judged_hashes[mine], outlet)
                hit[mine[shared >= max(3, _MIN_ARTICLES)]] = True
    affected = np.bincount(owner[hit], minlength=len(lengths)) > 0
    return [i for i, j in enumerate(found) if j < 0 or inputs[i] in changed_inputs or affected[j]]


def clean_articles(
    articles: pd.DataFrame,
    *,
    reuse: CleaningState | None = None,
    keep: Callable[[CleaningState], None] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Clean every article, learning boilerplate across the whole frame.

    Parameters
    ----------
    articles : pandas.DataFrame
        Needs columns ``id``, ``outlet`` and ``text`` (raw). ``title``,
        ``outlet_name`` and ``authors`` (a tuple of names, as the articles
        table holds them) are used when present. Not modified.
    reuse : CleaningState, optional
        What an earlier cleaning worked out (see ``keep``): only articles
        that are new or changed since, or whose learned boilerplate a change
        may have moved, are cleaned again. The result is the same without it.
    keep : callable, optional
        Called once with this cleaning's :class:`CleaningState`, to be passed
        as ``reuse`` to a later one.

    Returns
    -------
    cleaned : pandas.DataFrame
        Columns ``id`` and ``text_clean``, same index and row order as
        ``articles``.
    removed : pandas.DataFrame
        One row per removed piece, columns ``id``, ``line_start``,
        ``line_end`` (1-based, inclusive, in the raw text), ``rule``,
        ``reason`` and ``text`` (the raw text removed).

    Raises
    ------
    ValueError
        If a required column is missing or a text is not a string.
    """
    missing = [column for column in ("id", "outlet", "text") if column not in articles.columns]
    if missing:
        raise ValueError(f"articles is missing column(s) {', '.join(missing)}")
    ids = articles["id"].tolist()
    texts = articles["text"].tolist()
    for article_id, text in zip(ids, texts, strict=True):
        if not isinstance(text, str):
            raise ValueError(f"article {article_id!r}: text is {type(text).__name__}, not str")
    outlets = [_text_or_empty(value) for value in articles["outlet"].tolist()]
    titles = _optional_column(articles, "title")
    outlet_names = _optional_column(articles, "outlet_name")
    authors = articles["authors"].tolist() if "authors" in articles.columns else [()] * len(ids)
    names = [[name.strip() for name in list_items(value) if name.strip()] for value in authors]
    inputs = [
        _input_key(texts[i], titles[i], outlets[i], outlet_names[i], names[i])
        for i in range(len(ids))
    ]

    known = {} if reuse is None else {key: j for j, key in enumerate(reuse.inputs.tolist())}
    found = [known.get(key, -1) for key in inputs]
    prepared: dict[int, _Prepared] = {}
    key_sets: list[np.ndarray] = []
    for i, j in enumerate(found):
        if reuse is not None and j >= 0:
            key_sets.append(reuse.key_hashes[reuse.key_offsets[j] : reuse.key_offsets[j + 1]])
        else:
            prepared[i] = _prepare(texts[i])
            key_sets.append(prepared[i].key_set())
    counts = _RepeatCounts(key_sets, outlets)
    again = (
        list(range(len(ids)))
        if reuse is None
        else _to_clean_again(reuse, inputs, found, key_sets, outlets, counts)
    )
    for i in again:
        if i not in prepared:
            prepared[i] = _prepare(texts[i])
    model = counts.model([(prepared[i], outlets[i]) for i in again], dict(Counter(outlets)))
    cleaned_texts: list[str | None] = [None] * len(ids)
    removed_rows: list[tuple[_RemovedRow, ...]] = [()] * len(ids)
    judged_sets: list[np.ndarray] = [_NO_KEYS] * len(ids)
    if reuse is not None:
        for i, j in enumerate(found):
            if j >= 0:
                cleaned_texts[i], removed_rows[i] = reuse.cleaned[j], reuse.removed[j]
                judged_sets[i] = reuse.judged_hashes[
                    reuse.judged_offsets[j] : reuse.judged_offsets[j + 1]
                ]
    for i in again:
        article = prepared.pop(i)
        judged: list[int] = []
        result = _clean(
            texts[i],
            article,
            title=titles[i],
            outlet_name=outlet_names[i],
            authors=names[i],
            boilerplate=model,
            article_outlet=outlets[i],
            judged=judged,
        )
        judged_sets[i] = article.key_set(judged)
        cleaned_texts[i] = None if result.text == texts[i] else result.text
        removed_rows[i] = tuple(
            (r.line_start, r.line_end, r.rule, r.reason, r.text) for r in result.removed
        )
    if keep is not None:
        key_offsets, key_hashes = _flat(key_sets)
        judged_offsets, judged_hashes = _flat(judged_sets)
        keep(
            CleaningState(
                inputs=np.array(inputs, dtype="V16"),
                outlets=tuple(outlets),
                key_offsets=key_offsets,
                key_hashes=key_hashes,
                judged_offsets=judged_offsets,
                judged_hashes=judged_hashes,
                cleaned=tuple(cleaned_texts),
                removed=tuple(removed_rows),
            )
        )
    # An article cleaning left as it was keeps its text, rather than a copy of it.
    cleaned = pd.DataFrame(
        {
            "id": ids,
            "text_clean": pd.Series(
                [
                    text if clean is None else clean
                    for text, clean in zip(texts, cleaned_texts, strict=True)
                ],
                dtype=object,
                index=articles.index,
            ),
        },
        index=articles.index,
    )
    removed = pd.DataFrame(
        [
            (article_id, *row)
            for article_id, rows in zip(ids, removed_rows, strict=True)
            for row in rows
        ],
        columns=["id", "line_start", "line_end", "rule", "reason", "text"],
    )
    return cleaned, removed.astype({"line_start": "int64", "line_end": "int64"})


@dataclass(frozen=True)
class _Prepared:
    """One article's normalized lines and repeat keys (kept for the whole corpus, so lean)."""

    lines: list[str]
    keys: list[str]
    inline: tuple[Removal, ...]
    #: The hash of each key (:func:`_key_hash`), worked out once; 0 for an empty key.
    hashes: np.ndarray

    def key_set(self, lines: Sequence[int] | None = None) -> np.ndarray:
        """The distinct hashes of the non-empty keys (of ``lines`` only, if given), sorted."""
        hashes = self.hashes if lines is None else self.hashes[np.asarray(lines, dtype=np.int64)]
        keys = self.keys if lines is None else [self.keys[i] for i in lines]
        filled = np.fromiter(map(bool, keys), dtype=bool, count=len(keys))
        return np.unique(hashes[filled])

    def distinct(self) -> list[tuple[str, int]]:
        """Each distinct non-empty key and its hash, in key order."""
        pairs = dict(zip(self.keys, self.hashes.tolist(), strict=True))
        pairs.pop("", None)
        return sorted(pairs.items())


def _prepare(raw: str) -> _Prepared:
    lines = normalize_lines(raw)
    inline = []
    for i, line in enumerate(lines):
        placeholder = _IMAGE_PLACEHOLDER.match(line)
        if placeholder:
            lines[i] = line[placeholder.end() :]
            text = line[: placeholder.end()]
            reason = "image placeholder glued to the text"
            inline.append(Removal(i + 1, i + 1, text, "image_placeholder", reason))
    keys = [repeat_key(line) for line in "\n".join(lines).lower().split("\n")]
    hashes = np.fromiter(
        (_key_hash(key) if key else 0 for key in keys), dtype=np.uint64, count=len(keys)
    )
    return _Prepared(lines, keys, tuple(inline), hashes)


def _clean(
    raw: str,
    article: _Prepared,
    *,
    title: str,
    outlet_name: str,
    authors: Sequence[str],
    boilerplate: BoilerplateModel | None,
    article_outlet: str,
    judged: list[int] | None = None,
) -> CleanedText:
    """Clean one prepared article; ``judged`` gets the lines learned boilerplate may judge
    (those no line rule removed): only their keys' counts can change the result."""
    lines, keys = article.lines, article.keys
    context = line_context(
        title=title, outlet_name=outlet_name, authors=authors, article_outlet=article_outlet
    )
    verdicts = line_verdicts(lines, keys, context)
    if judged is not None:
        judged.extend(i for i, line in enumerate(lines) if line and verdicts[i] is None)
    if boilerplate is not None:
        apply_learned(lines, keys, verdicts, boilerplate, article_outlet)
    cut_after_end_marker(lines, verdicts)
    cut_before_headline(lines, verdicts)

    grouped = _group_removals(unify_line_breaks(raw).split("\n"), verdicts)
    removed = sorted([*article.inline, *grouped], key=_removal_order)
    kept = [line if verdicts[i] is None else "" for i, line in enumerate(lines)]
    return CleanedText("\n\n".join(_paragraphs(kept)), tuple(removed))


def _group_removals(raw_lines: list[str], verdicts: list[Verdict]) -> list[Removal]:
    groups: list[list[int]] = []
    for i, verdict in enumerate(verdicts):
        if verdict is None:
            continue
        if (
            groups
            and verdicts[groups[-1][0]] == verdict
            and _only_blank_between(raw_lines, groups[-1][1], i)
        ):
            groups[-1][1] = i
        else:
            groups.append([i, i])
    removals = []
    for start, end in groups:
        rule, reason = verdicts[start] or ("", "")
        text = "\n".join(raw_lines[start : end + 1])
        removals.append(Removal(start + 1, end + 1, text, rule, reason))
    return removals


def _only_blank_between(raw_lines: list[str], lo: int, hi: int) -> bool:
    return all(not raw_lines[j].strip() for j in range(lo + 1, hi))


def _removal_order(removal: Removal) -> tuple[int, int]:
    return removal.line_start, removal.line_end


def _paragraphs(kept: list[str]) -> list[str]:
    paragraphs: list[str] = []
    current: list[str] = []
    for line in kept:
        if not line:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        if current and not _continues(current[-1], line, in_run=len(current) > 1):
            paragraphs.append(" ".join(current))
            current = []
        current.append(line)
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def _continues(previous: str, line: str, *, in_run: bool) -> bool:
    """Whether ``line`` continues a sentence hard-wrapped at the end of ``previous``."""
    if _TERMINAL.search(previous):
        return False
    if line[0].islower():
        return True
    if previous.rsplit(" ", 1)[-1].lower() in _CONTINUATION_WORDS:
        return True
    # Inside a paragraph already known to be hard-wrapped, a capital at the
    # start of a line is a name ("Moscow\nKerry"), not a new header line.
    return in_run


def _optional_column(articles: pd.DataFrame, column: str) -> list[str]:
    if column not in articles.columns:
        return [""] * len(articles)
    return [_text_or_empty(value) for value in articles[column].tolist()]


def _text_or_empty(value: object) -> str:
    return value if isinstance(value, str) else ""
