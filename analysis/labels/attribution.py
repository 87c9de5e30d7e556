"""Attribute quotations to their speakers: speech verbs, speaker phrases and pronouns.

**Attribution.** A speech verb (``said``, ``told``, ``declared``,
``replied``, ``described ... as`` ...) with its speaker: the noun phrase right
before it (``Putin's spokesman Dmitry Peskov described them:``, ``Peskov
somewhat testily replied:``, ``several NATO officials told CNN``) or, right
after a closing quote or a comma, the one after it (``," said Pasi Eronen, a
research analyst``). Negated verbs (``did not say``) and passives (``is
reported to``) attribute nothing. A direct quote takes the attribution in its
own sentence (the sentence of its first or last character) nearest to it;
failing that, when the quote opens its sentence, the last attribution of the
previous sentence (``... replied:`` then the quoted paragraph; ``," Eronen
said.`` then a second quote) or the speaker of a quote in the previous
sentence. Otherwise it is unattributed (``speaker == ""``).

``he``/``she``/``him``/``her`` resolve to the nearest person named earlier
in the same sentence outside quotes, else to the last person quoted in the
text. ``they`` resolves to the last group, organization or outlet quoted.

The word lists (speech verbs, titles, pronouns ...) are in
``analysis/data/attribution_words.yaml``, checked by :class:`AttributionWords`.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from analysis import DATA_DIR
from analysis.corpus.schema import STRICT, WordSet, read_yaml_mapping, validate_lexicon
from analysis.labels.cues import trie_pattern
from analysis.labels.speakers import AliasMention, SpeakerLexicon
from analysis.text.sentences import Sentence

__all__ = [
    "ATTRIBUTION_WORDS_FILE",
    "SPEECH_CUE",
    "Attribution",
    "AttributionWords",
    "QuoteContext",
    "attribute_direct",
    "attribution_at",
    "load_attribution_words",
    "word_count",
    "words_outside_quotes",
]

ATTRIBUTION_WORDS_FILE = DATA_DIR / "attribution_words.yaml"


class AttributionWords(BaseModel):
    """The schema of ``attribution_words.yaml``: every list of words attribution uses."""

    model_config = STRICT

    say: WordSet
    needs_complement: WordSet
    describe: WordSet
    invertible: WordSet
    skip_back: WordSet
    be: WordSet
    negation: WordSet
    determiners: WordSet
    adjectives: WordSet
    heads: WordSet
    person_pronouns: WordSet
    group_pronouns: WordSet
    capital_stop: WordSet
    title_words: WordSet
    particles: WordSet
    org_words: WordSet
    complement_phrases: WordSet
    complementizers: WordSet


def load_attribution_words(path: Path | str | None = None) -> AttributionWords:
    """Read and check an attribution words file (default: the shipped one).

    Raises
    ------
    ValueError
        Naming the file and the list, if the file is not valid YAML, a list is
        missing or empty, a key is unknown, or an entry is not a word.
    """
    return _load_attribution_words(str(path if path is not None else ATTRIBUTION_WORDS_FILE))


@functools.lru_cache(maxsize=4)
def _load_attribution_words(path: str) -> AttributionWords:
    data = read_yaml_mapping(path, expected="must be a mapping of list name to words")
    return validate_lexicon(AttributionWords, data, path)


def word_count(text: str) -> int:
    """Words of ``text`` holding a letter or digit (punctuation alone is no word)."""
    return sum(1 for token in text.split() if any(c.isalnum() for c in token))


_WORDS = load_attribution_words()
_SAY = _WORDS.say
_NEEDS_COMPLEMENT = _WORDS.needs_complement
_DESCRIBE = _WORDS.describe
_INVERTIBLE = _WORDS.invertible
_VERB_KIND = {
    **{v: "say" for v in _SAY},
    **{v: "complement" for v in _NEEDS_COMPLEMENT},
    **{v: "describe" for v in _DESCRIBE},
    **{v: "complement" for v in _WORDS.complement_phrases},
}
#: A speech verb (group ``verb``) or "according to" (group ``according``).
SPEECH_CUE = re.compile(
    r"\b(?:(?P<according>[Aa]ccording to)|(?P<verb>" + trie_pattern(sorted(_VERB_KIND)) + r"))\b"
)
_TOKEN = re.compile(r"[\w.'’-]*\w[\w'’]*\.?|[^\w\s]")
_WORD = re.compile(r"[\w'’-]+")
_COMPLEMENTIZER = _WORDS.complementizers
_SKIP_BACK = _WORDS.skip_back
_BE = _WORDS.be
_NEGATION = _WORDS.negation
_DETERMINERS = _WORDS.determiners
_ADJECTIVES = _WORDS.adjectives
_HEADS = _WORDS.heads
_PERSON_PRONOUNS = _WORDS.person_pronouns
_GROUP_PRONOUNS = _WORDS.group_pronouns
_CAPITAL_STOP = _WORDS.capital_stop
_TITLE_WORDS = _WORDS.title_words
_PARTICLES = _WORDS.particles
_ORG_WORDS = _WORDS.org_words
_CONTENT_CUT = re.compile(r";|,\s+(?:thus|thereby|which shows)\b")
_MAX_NP_TOKENS = 10
# Characters looked at around a speech verb: more than any speaker phrase or window needs.
_WINDOW = 240
# "despite what some are saying, ..." names no content; "what" stands in for it.
_FREE_RELATIVE = re.compile(r"\b(?:what|whatever)\s*$", re.IGNORECASE)
# "According to X, associate fellow at Y, ...": the description is not what X said.
_APPOSITIVE = re.compile(r",\s+(?:an?\s+|the\s+)?[a-z][^,.;:\"“”]{0,80},")


@dataclass(slots=True)
class Attribution:
    cue_start: int
    cue_end: int
    speaker: str
    speaker_id: str
    content_start: int
    content_end: int
    sentence: int


@dataclass(slots=True)
class QuoteContext:
    text: str
    lexicon: SpeakerLexicon
    sentences: list[Sentence]
    sentence_starts: list[int]
    quote_spans: list[tuple[int, int]]
    quote_starts: list[int]
    mentions: list[AliasMention]
    mention_starts: list[int]
    surnames: dict[str, tuple[str, str]]
    last_person: tuple[str, str] | None = None
    last_group: tuple[str, str, str] | None = None

    def sentence_of(self, position: int) -> int:
        return max(0, bisect.bisect_right(self.sentence_starts, position) - 1)

    def mentions_within(self, start: int, end: int) -> list[AliasMention]:
        """Alias mentions lying inside ``text[start:end]``."""
        lo = bisect.bisect_left(self.mention_starts, start)
        hi = bisect.bisect_left(self.mention_starts, end)
        return [m for m in self.mentions[lo:hi] if m.end <= end]

    def in_quote(self, position: int) -> bool:
        k = bisect.bisect_right(self.quote_starts, position) - 1
        return k >= 0 and self.quote_spans[k][0] < position < self.quote_spans[k][1]


def _tokens(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text, start, end)]


def _is_name(token: str) -> bool:
    return token[:1].isupper() and token not in _CAPITAL_STOP


def _possessive(token: str) -> bool:
    return token.endswith(("'s", "’s"))


def _np_before(context: QuoteContext, start: int, verb_start: int, *, ing: bool) -> tuple[int, int]:
    """The speaker phrase ending right before the verb, as ``(start, end)``; empty if none."""
    tokens = _tokens(context.text, max(start, verb_start - _WINDOW), verb_start)
    i = len(tokens) - 1
    skipped_be = False
    while i >= 0:
        word = tokens[i][2].lower()
        if word in _NEGATION:
            return (0, 0)
        if word in _BE and ing:
            skipped_be = True
        elif not (word in _SKIP_BACK or (word.endswith("ly") and len(word) > 4)):
            break
        i -= 1
    if i < 0:
        return (0, 0)
    head = tokens[i][2]
    lower = head.lower()
    if ing and not skipped_be and lower not in ("him", "her", "them") and not _is_name(head):
        return (0, 0)
    if lower in _PERSON_PRONOUNS or lower in _GROUP_PRONOUNS:
        return (tokens[i][0], tokens[i][1])
    if not ((_is_name(head) and not _possessive(head)) or (head.islower() and lower in _HEADS)):
        return (0, 0)
    first = i
    j = i - 1
    while j >= 0 and i - j < _MAX_NP_TOKENS:
        token = tokens[j][2]
        lower = token.lower()
        if lower == "of":
            if not _is_name(tokens[j + 1][2]) or j == 0 or not _is_name(tokens[j - 1][2]):
                break
        elif not (
            _is_name(token)
            or _possessive(token)
            or lower in _DETERMINERS
            or lower in _ADJECTIVES
            or (token.islower() and lower in _HEADS)
        ):
            break
        first = j
        j -= 1
    while first < i and tokens[first][2].lower() in ("and", "of"):
        first += 1
    return _trim_place(context, tokens, first, i)


def _trim_place(
    context: QuoteContext, tokens: list[tuple[int, int, str]], first: int, last: int
) -> tuple[int, int]:
    """Drop capitalized words before a known speaker that are not titles ("Moscow Kerry")."""
    end = tokens[last][1]
    mentions = [
        m
        for m in context.mentions_within(tokens[first][0], end)
        if m.end == end and not m.possessive
    ]
    if not mentions:
        return (tokens[first][0], end)
    alias_start = min(m.start for m in mentions)
    start = tokens[first][0]
    for k in range(first, last + 1):
        token_start, _, token = tokens[k]
        if token_start >= alias_start:
            break
        if _is_name(token) and not _possessive(token) and token.lower() not in _TITLE_WORDS:
            start = alias_start
    return (start, end)


def _np_after(text: str, start: int, end: int, *, anything: bool) -> tuple[int, int]:
    """The speaker phrase starting at ``start``: up to a comma (``anything``) or its last name."""
    tokens = _tokens(text, start, min(end, start + _WINDOW))
    if anything:
        for k, (_, _, token) in enumerate(tokens[:13]):
            if token in (",", ".", ";", ":", "!", "?"):
                return (tokens[0][0], tokens[k - 1][1]) if k else (0, 0)
        if len(tokens) <= 12:
            return (tokens[0][0], _rstrip_punct(text, tokens[0][0], tokens[-1][1]))
    last = -1
    for k, (_, _, token) in enumerate(tokens[:_MAX_NP_TOKENS]):
        lower = token.lower()
        if _is_name(token) or _possessive(token) or (token.islower() and lower in _HEADS):
            last = k
        elif lower == "of" or lower in _DETERMINERS or lower in _ADJECTIVES:
            continue
        else:
            break
    if last < 0:
        return (0, 0)
    head = tokens[last][2]
    if _possessive(head):
        return (0, 0)
    return (tokens[0][0], _rstrip_punct(text, tokens[0][0], tokens[last][1]))


def _rstrip_punct(text: str, start: int, end: int) -> int:
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return end


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def _identify(context: QuoteContext, start: int, end: int) -> tuple[str, str, str]:
    """(speaker as written, id, kind) for the phrase ``text[start:end]``."""
    text = context.text
    phrase = text[start:end]
    lower = phrase.lower()
    if lower in _PERSON_PRONOUNS:
        antecedent = _person_before(context, start)
        if antecedent is not None:
            return antecedent[0], antecedent[1], "person"
        return phrase, "", "person"
    if lower in _GROUP_PRONOUNS:
        if context.last_group is not None:
            return context.last_group
        return phrase, "", "group"
    mentions = context.mentions_within(start, end)
    mentions += context.lexicon.wildcard_matches(text, start, end)
    plain = [m for m in mentions if not m.possessive]
    chosen = plain or mentions
    if chosen:
        best = max(chosen, key=lambda m: (m.end, m.end - m.start))
        return phrase, best.speaker_id, best.kind
    words = _WORD.findall(phrase)
    if not words or not _is_name(words[-1]):
        return phrase, "", "group"
    name_words: list[str] = []
    for word in reversed(words):
        if (_is_name(word) or word.lower() in _PARTICLES) and not _possessive(word):
            if word.lower() in _TITLE_WORDS:
                break
            name_words.insert(0, word)
        else:
            break
    while name_words and name_words[0].lower() in _PARTICLES:
        name_words.pop(0)
    if not name_words:
        return phrase, "", "group"
    if len(name_words) == 1:
        known = context.surnames.get(name_words[0])
        if known is not None:
            return phrase, known[1], "person"
        return phrase, _slug(name_words[0]), "organization"
    name = " ".join(name_words)
    if name_words[-1].lower() in _ORG_WORDS:
        return phrase, _slug(name), "organization"
    speaker_id = _slug(name)
    context.surnames[name_words[-1]] = (name, speaker_id)
    return phrase, speaker_id, "person"


def _person_before(context: QuoteContext, position: int) -> tuple[str, str] | None:
    sentence = context.sentences[context.sentence_of(position)]
    for mention in reversed(context.mentions_within(sentence.start, position)):
        if mention.kind == "person" and not context.in_quote(mention.start):
            return context.text[mention.start : mention.end], mention.speaker_id
    return context.last_person


def _content_span(context: QuoteContext, start: int, sentence: Sentence) -> tuple[int, int]:
    text = context.text
    while start < sentence.end and text[start] in " \t\n,:":
        start += 1
    end = sentence.end
    cut = _CONTENT_CUT.search(text, start, end)
    if cut:
        end = cut.start()
    return start, _rstrip_punct(text, start, end) if end > start else start


def attribution_at(context: QuoteContext, match: re.Match[str]) -> Attribution | None:
    text = context.text
    index = context.sentence_of(match.start())
    sentence = context.sentences[index]
    if match.lastgroup == "according":
        return _according(context, match, index, sentence)
    verb = match.group("verb")
    kind = _VERB_KIND[verb]
    verb_start, verb_end = match.span()
    before = text[sentence.start : verb_start].rstrip()
    after_tokens = _tokens(text, verb_end, min(sentence.end, verb_end + _WINDOW))

    if verb in _INVERTIBLE and (before.endswith(",") or before[-1:] in '"”»’'):
        np = _np_after(text, verb_end, sentence.end, anything=False)
        if np[1] > np[0]:
            content_end = len(before.rstrip(',"”»’ ')) + sentence.start
            return _make(context, np, verb_start, np[1], (sentence.start, content_end), index)

    np = _np_before(context, sentence.start, verb_start, ing=verb.endswith("ing"))
    if np[1] <= np[0] or _FREE_RELATIVE.search(text, sentence.start, np[0]):
        return None
    following = after_tokens[0][2] if after_tokens else "."
    if following in (",", ".", "!", "?") or not after_tokens:
        preceding = text[sentence.start : np[0]].rstrip()
        if re.search(r"(?:^|\s)[Aa]s$", preceding):
            content = _content_span(context, verb_end, sentence)
            return _make(context, np, np[0], verb_end, content, index)
        content_end = len(preceding.rstrip(',"”»’ ')) + sentence.start
        return _make(context, np, np[0], verb_end, (sentence.start, content_end), index)
    if following == ":":
        content = _content_span(context, after_tokens[0][1], sentence)
        return _make(context, np, np[0], after_tokens[0][1], content, index)
    window = after_tokens[:6]
    if kind == "describe":
        for _, token_end, token in window:
            if token.lower() == "as" or token == ":":
                return _make(
                    context,
                    np,
                    np[0],
                    token_end,
                    _content_span(context, token_end, sentence),
                    index,
                )
        return None
    for _, token_end, token in window:
        if token.lower() in _COMPLEMENTIZER:
            return _make(
                context, np, np[0], token_end, _content_span(context, token_end, sentence), index
            )
        if token in ",;" or token[0] in '"“«„':
            break
    if kind == "say":
        return _make(
            context, np, np[0], verb_end, _content_span(context, verb_end, sentence), index
        )
    if window and window[0][2][0] in '"“«„':
        return _make(context, np, np[0], verb_end, (verb_end, verb_end), index)
    return None


def _according(
    context: QuoteContext, match: re.Match[str], index: int, sentence: Sentence
) -> Attribution | None:
    text = context.text
    np = _np_after(text, match.end(), sentence.end, anything=True)
    if np[1] <= np[0]:
        return None
    opening = text[sentence.start : match.start()].strip().lower()
    if opening in ("", "and", "but", "yet", "so"):
        appositive = _APPOSITIVE.match(text, np[1], sentence.end)
        content = _content_span(context, appositive.end() if appositive else np[1], sentence)
    else:
        content_end = len(text[sentence.start : match.start()].rstrip(" ,")) + sentence.start
        content = (sentence.start, content_end)
    return _make(context, np, match.start(), np[1], content, index)


def _make(
    context: QuoteContext,
    np: tuple[int, int],
    cue_start: int,
    cue_end: int,
    content: tuple[int, int],
    index: int,
) -> Attribution:
    speaker, speaker_id, kind = _identify(context, *np)
    if speaker_id and kind == "person":
        context.last_person = (speaker, speaker_id)
    elif speaker_id and kind != "person":
        context.last_group = (speaker, speaker_id, kind)
    return Attribution(
        min(cue_start, np[0]),
        max(cue_end, np[1]),
        speaker,
        speaker_id,
        content[0],
        content[1],
        index,
    )


def words_outside_quotes(context: QuoteContext, start: int, end: int) -> int:
    count = 0
    cursor = start
    first = max(0, bisect.bisect_right(context.quote_starts, start) - 1)
    last = bisect.bisect_left(context.quote_starts, end)
    for quote_start, quote_end in context.quote_spans[first:last]:
        if quote_end <= start:
            continue
        count += word_count(context.text[cursor : max(cursor, quote_start)])
        cursor = max(cursor, quote_end)
    return count + word_count(context.text[cursor:end])


def attribute_direct(
    context: QuoteContext,
    by_sentence: Mapping[int, list[Attribution]],
    direct_speakers: Mapping[int, tuple[str, str, str]],
    start: int,
    end: int,
) -> tuple[str, str, str]:
    text = context.text
    first = context.sentence_of(start)
    last = context.sentence_of(max(start, end - 1))
    candidates = [
        *by_sentence.get(first, []),
        *(by_sentence.get(last, []) if last != first else []),
    ]
    if candidates:

        def distance(found: Attribution) -> int:
            if found.cue_end <= start:
                return start - found.cue_end
            return max(0, found.cue_start - end)

        best = min(candidates, key=distance)
        return best.speaker, best.speaker_id, text[best.cue_start : best.cue_end]
    sentence = context.sentences[first]
    if text[sentence.start : start].strip(" :—-"):
        return "", "", ""
    if first == 0:
        return "", "", ""
    previous = by_sentence.get(first - 1, [])
    if previous:
        best = previous[-1]
        return best.speaker, best.speaker_id, text[best.cue_start : best.cue_end]
    return direct_speakers.get(first - 1, ("", "", ""))
