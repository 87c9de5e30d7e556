"""Find quotations in a text and attribute each to its speaker.

Two kinds of quotation are found, each with its character span in the text:

* **direct** — words between quotation marks (``“…”``, ``"…"``, ``«…»``,
  ``„…“``, ``‘…’`` and ``'…'``) of at least ``min_words`` words (three by
  default). A quote may hold several sentences, and may run on into the next
  paragraph when its closing mark comes there (``"His country ... New York.``
  / ``If the West ... quickly," said Bill Browder``). A quote whose closing
  mark never comes (a truncated text) ends with its paragraph. Single quotes
  count only outside double quotes and within one paragraph, since ``'`` is
  also the apostrophe. Quotes nested inside a quote belong to the outer one.
* **reported** — speech attributed without quotation marks: ``X said (that)
  ...``, ``X told CNN that ...``, ``TASS reports that ...``, ``X described the
  talks as ...``, ``according to X, ...``, ``..., observers say``, ``as X
  admitted, ...``. Its span is what was said: from after the verb (and
  ``that``) to the end of the sentence or a ``;``. It is kept only when at
  least three of its words lie outside direct quotes, so ``X said: "..."``
  gives one direct quotation, not two.

Words in quotation marks shorter than ``min_words`` (``“normalization”``,
``"two-way street"``) are scare quotes or terms, not a source speaking: they
get kind ``term`` and are left out unless ``include_terms=True``.

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

**Speaker ids** come from an alias file (``analysis/data/speakers.yaml``, see
:func:`load_speakers`): the last alias in the speaker phrase wins, and one
followed by ``'s`` loses to any other, so ``Putin's spokesman Dmitry Peskov``
is ``peskov``. A speaker not in the file gets the slug of the name at the end
of the phrase (``pasi-eronen``); a surname alone reuses a full name seen
earlier in the same text (``Eronen`` → ``pasi-eronen``). A speaker that is
no name (``observers``, ``Both Western and Russian sources``) has id ``""``.

The text is scanned once for quotation marks, once for speech verbs and
once for aliases; the work per hit is bounded, so time is linear in the
length of the text. Apply it to cleaned text (``analysis.text.cleaning``), whose
quotes are straight ``"`` and ``'``; curly quotes and guillemets work too.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from analysis import DATA_DIR
from analysis.labels.cues import fold_case, trie_pattern
from analysis.text.sentences import Sentence, split_sentences

__all__ = [
    "DEFAULT_SPEAKERS_FILE",
    "QUOTATION_KINDS",
    "Quotation",
    "Speaker",
    "SpeakerLexicon",
    "find_quotations",
    "load_speakers",
    "merge_spans",
]

DEFAULT_SPEAKERS_FILE = DATA_DIR / "speakers.yaml"
#: Every kind a :class:`Quotation` can have.
QUOTATION_KINDS = ("direct", "reported", "term")
_SPEAKER_KINDS = ("person", "organization", "media", "group")


@dataclass(frozen=True, slots=True)
class Quotation:
    """One quotation: ``text == source[start:end]``.

    ``kind`` is ``direct`` (the span includes its quotation marks),
    ``reported`` (the span is what was said) or ``term`` (a scare quote).
    ``speaker`` is the speaker as the text names it (for a pronoun, the
    person it stands for), ``speaker_id`` its id (``""`` when unknown) and
    ``cue`` the attribution as written (``said Pasi Eronen``, ``he said
    that``); both are ``""`` when the quotation is unattributed.
    """

    start: int
    end: int
    text: str
    kind: str
    speaker: str
    speaker_id: str
    cue: str


@dataclass(frozen=True, slots=True)
class Speaker:
    """A speaker of the alias file."""

    id: str
    name: str
    kind: str
    aliases: tuple[str, ...]


class SpeakerLexicon:
    """Speakers and one compiled pattern matching all their aliases.

    Build it with :func:`load_speakers`.
    """

    def __init__(self, speakers: Mapping[str, Speaker]) -> None:
        self.speakers = dict(speakers)
        self._alias_ids: dict[str, str] = {}
        wildcards: list[tuple[str, str]] = []
        for speaker in self.speakers.values():
            for alias in speaker.aliases:
                key = _alias_key(alias)
                owner = self._alias_ids.get(key)
                if owner is not None and owner != speaker.id:
                    raise ValueError(
                        f"alias {alias!r} belongs to both {owner!r} and {speaker.id!r}; "
                        "give it to one speaker only"
                    )
                self._alias_ids[key] = speaker.id
                if "*" in alias.split():
                    wildcards.append((speaker.id, _wildcard_pattern(alias)))
        plain = sorted(key for key in self._alias_ids if "*" not in key.split())
        body = trie_pattern(plain) if plain else "(?!)"
        self._plain = re.compile(rf"(?<![\w'-])(?:{body})(?![\w-])")
        self._wildcard_ids = [speaker_id for speaker_id, _ in wildcards]
        parts = "|".join(f"({pattern})" for _, pattern in wildcards) or "(?!)"
        self._wildcards = re.compile(rf"(?<![\w'’-])(?:{parts})(?![\w-])", re.IGNORECASE)

    def matches(self, text: str) -> list[_Mention]:
        """Every alias without a wildcard in ``text``, in order, longest first."""
        folded = _fold(text)
        found = []
        for match in self._plain.finditer(folded):
            speaker_id = self._alias_ids.get(_alias_key(match.group()))
            if speaker_id is not None:
                found.append(self._mention(text, match.start(), match.end(), speaker_id))
        return found

    def wildcard_matches(self, text: str, start: int, end: int) -> list[_Mention]:
        """Aliases with a wildcard (``officials from * NATO``) in ``text[start:end]``."""
        return [
            self._mention(text, m.start(), m.end(), self._wildcard_ids[(m.lastindex or 1) - 1])
            for m in self._wildcards.finditer(text, start, end)
        ]

    def _mention(self, text: str, start: int, end: int, speaker_id: str) -> _Mention:
        possessive = text.startswith(("'s", "’s"), end)
        return _Mention(start, end, speaker_id, self.speakers[speaker_id].kind, possessive)


def _fold(text: str) -> str:
    """Lower case with ``’`` as ``'``, keeping every character's offset."""
    return fold_case(text.replace("’", "'"))


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int
    end: int
    speaker_id: str
    kind: str
    possessive: bool


def _alias_key(alias: str) -> str:
    return " ".join(alias.lower().replace("’", "'").split())


def _wildcard_pattern(alias: str) -> str:
    pieces = []
    for word in alias.split():
        if word == "*":
            pieces.append(r"(?:[\w'’.-]+\s+){0,6}?")
        else:
            pieces.append(re.escape(word).replace("'", "['’]") + r"\s+")
    return "".join(pieces).removesuffix(r"\s+")


def load_speakers(path: Path | str | None = None) -> SpeakerLexicon:
    """Read a speakers file (default: the shipped ``analysis/data/speakers.yaml``).

    Parameters
    ----------
    path : path-like, optional
        A YAML mapping ``id -> {name, kind, aliases}``; see the shipped file's
        header and ``docs/lexicons.md``.

    Returns
    -------
    SpeakerLexicon
        The speakers with their compiled alias pattern. The shipped file is
        read and compiled once per process.

    Raises
    ------
    ValueError
        If the file is not such a mapping, a kind is unknown, an entry has no
        aliases or an alias belongs to two speakers.
    """
    return _load_speakers(str(Path(path) if path is not None else DEFAULT_SPEAKERS_FILE))


@functools.lru_cache(maxsize=8)
def _load_speakers(path: str) -> SpeakerLexicon:
    with open(path, encoding="utf-8") as handle:
        try:
            data = yaml.safe_load(handle)
        except yaml.YAMLError as err:
            raise ValueError(f"{path}: not valid YAML: {err}") from None
    if not isinstance(data, Mapping):
        raise ValueError(f"{path}: must be a mapping of speaker id to {{name, kind, aliases}}")
    speakers = {}
    for key, entry in data.items():
        speaker_id = str(key)
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", speaker_id):
            raise ValueError(f"{path}: speaker id {speaker_id!r} must be lower-case, digits, '-'")
        if not isinstance(entry, Mapping):
            raise ValueError(f"{path}: speaker {speaker_id!r} must be a mapping")
        kind = entry.get("kind")
        if kind not in _SPEAKER_KINDS:
            raise ValueError(
                f"{path}: speaker {speaker_id!r} has kind {kind!r}; "
                f"use one of {', '.join(_SPEAKER_KINDS)}"
            )
        aliases = entry.get("aliases")
        if (
            not isinstance(aliases, list)
            or not aliases
            or not all(isinstance(a, str) and a.strip() for a in aliases)
        ):
            raise ValueError(
                f"{path}: speaker {speaker_id!r} needs 'aliases', a non-empty list of texts"
            )
        speakers[speaker_id] = Speaker(
            speaker_id,
            str(entry.get("name") or speaker_id),
            str(kind),
            tuple(a.strip() for a in aliases),
        )
    return SpeakerLexicon(speakers)


# --- quotation marks ----------------------------------------------------------------------

_QUOTE_MARK = re.compile(r"[\"“”«»„'‘’‹›]")
_DOUBLE_MARKS = frozenset('"“”«»„')
_ALWAYS_OPEN = frozenset("“«„‘‹")
_ALWAYS_CLOSE = frozenset("”»’›")
_LEFT_SPACE = frozenset("([{—–-/\n")
_RIGHT_PUNCT = frozenset(".,;:!?)]}—–-…")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")


def _mark_role(text: str, i: int) -> str:
    """``open``, ``close``, ``either`` or ``none`` (an apostrophe) for the mark at ``i``."""
    mark = text[i]
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if mark in _ALWAYS_OPEN:
        return "open"
    if mark in _ALWAYS_CLOSE:
        if mark == "’" and before.isalnum() and after.isalnum():
            return "none"
        return "close"
    left = before.isspace() or before in _LEFT_SPACE or i == 0
    right = after.isspace() or after in _RIGHT_PUNCT or i + 1 == len(text)
    if left and not right:
        return "open"
    if right and not left:
        return "close"
    if mark == "'":
        return "none"
    return "either" if left and right else "none"


class _Paragraphs:
    """Paragraph boundaries of a text, for finding a position's paragraph."""

    def __init__(self, text: str) -> None:
        starts = [0]
        ends = []
        for match in _PARAGRAPH_BREAK.finditer(text):
            ends.append(match.start())
            starts.append(match.end())
        ends.append(len(text))
        self.starts = starts
        self.ends = ends

    def index(self, position: int) -> int:
        return max(0, bisect.bisect_right(self.starts, position) - 1)

    def end_of(self, position: int) -> int:
        return self.ends[self.index(position)]


def _rstrip_span(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _pair_marks(
    text: str, marks: list[tuple[int, str]], paragraphs: _Paragraphs, *, multi_paragraph: bool
) -> list[tuple[int, int]]:
    """Pair opening and closing marks into spans ``(start, end)`` including the marks."""
    spans: list[tuple[int, int]] = []
    open_at = -1
    depth = 0
    for position, role in marks:
        if open_at < 0:
            if role in ("open", "either"):
                open_at, depth = position, 1
            continue
        gap = paragraphs.index(position) - paragraphs.index(open_at)
        if gap > (1 if multi_paragraph else 0) or (gap > 0 and role == "open"):
            # The quote never closed (a truncated text): it ends with its paragraph.
            spans.append((open_at, _rstrip_span(text, open_at, paragraphs.end_of(open_at))))
            open_at, depth = (position, 1) if role in ("open", "either") else (-1, 0)
            continue
        if role == "open":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                spans.append((open_at, position + 1))
                open_at = -1
    if open_at >= 0:
        spans.append((open_at, _rstrip_span(text, open_at, paragraphs.end_of(open_at))))
    return spans


def _quote_spans(text: str, paragraphs: _Paragraphs) -> list[tuple[int, int]]:
    double: list[tuple[int, str]] = []
    single: list[tuple[int, str]] = []
    for match in _QUOTE_MARK.finditer(text):
        i = match.start()
        role = _mark_role(text, i)
        if role == "none":
            continue
        (double if text[i] in _DOUBLE_MARKS else single).append((i, role))
    spans = _pair_marks(text, double, paragraphs, multi_paragraph=True)
    if single:
        starts = [s for s, _ in spans]
        outside = []
        for position, role in single:
            k = bisect.bisect_right(starts, position) - 1
            if k < 0 or position >= spans[k][1]:
                outside.append((position, "open" if role == "either" else role))
        single_spans = [
            span
            for span in _pair_marks(text, outside, paragraphs, multi_paragraph=False)
            if text[span[1] - 1] in "'’›"
        ]
        spans = sorted(spans + single_spans)
    return spans


def _word_count(text: str) -> int:
    return sum(1 for token in text.split() if any(c.isalnum() for c in token))


# --- speech verbs and speakers ------------------------------------------------------------


def _words(words: str) -> frozenset[str]:
    return frozenset(words.split())


_SAY = _words("say says said saying tell tells told telling add adds added adding")
_NEEDS_COMPLEMENT = _words(
    "declare declares declared declaring state stated stating announce announces announced "
    "announcing note notes noted noting explain explains explained explaining argue argues "
    "argued arguing warn warns warned warning insist insists insisted insisting claim claims "
    "claimed claiming stress stresses stressed stressing emphasize emphasizes emphasized "
    "emphasise emphasises emphasised underline underlines underlined acknowledge acknowledges "
    "acknowledged admit admits admitted admitting report reports reported reporting write "
    "writes wrote writing reply replies replied replying respond responds responded answer "
    "answers answered comment comments commented suggest suggests suggested confirm confirms "
    "confirmed deny denies denied promise promises promised assure assures assured assert "
    "asserts asserted maintain maintains maintained concede concedes conceded ask asks asked "
    "believe believes believed"
)
_DESCRIBE = _words(
    "describe describes described describing characterize characterizes characterized "
    "characterise characterises characterised"
)
_INVERTIBLE = _words(
    "said says added adds asked replied explained noted wrote writes insisted warned argued "
    "continued stressed admitted"
)
_VERB_KIND = {
    **{v: "say" for v in _SAY},
    **{v: "complement" for v in _NEEDS_COMPLEMENT},
    **{v: "describe" for v in _DESCRIBE},
    "let slip": "complement",
    "lets slip": "complement",
    "continued": "complement",
}
_SPEECH = re.compile(
    r"\b(?:(?P<according>[Aa]ccording to)|(?P<verb>" + trie_pattern(sorted(_VERB_KIND)) + r"))\b"
)
_TOKEN = re.compile(r"[\w.'’-]*\w[\w'’]*\.?|[^\w\s]")
_WORD = re.compile(r"[\w'’-]+")
_COMPLEMENTIZER = frozenset({"that", "whether", "if"})

_SKIP_BACK = _words(
    "has have had also later then again once publicly reportedly repeatedly recently "
    "previously already often would will could might may somewhat even just only still "
    "further firmly openly privately bluntly angrily simply flatly"
)
_BE = _words("is are was were")
_NEGATION = _words("not never n't didn't doesn't don't")
_DETERMINERS = _words(
    "the a an several some many most two three four five both other few one its his her their "
    "this these those"
)
_ADJECTIVES = _words(
    "senior former top unnamed anonymous prominent leading independent local foreign military "
    "government diplomatic defense defence deputy chief press state western russian american "
    "ukrainian european british french german syrian iranian chinese high-ranking us u.s. "
    "and research security political"
)
_HEADS = _words(
    "spokesman spokeswoman spokesperson minister ministers secretary president official "
    "officials source sources diplomat diplomats analyst analysts expert experts observer "
    "observers commentator commentators aide aides adviser advisers advisor advisors envoy "
    "ambassador representative representatives lawmaker lawmakers senator senators general "
    "commander leader leaders statement website agency ministry media newspaper report "
    "critics people negotiator negotiators participant participants correspondent reporter "
    "reporters journalist journalists government some others many administration"
)
_PERSON_PRONOUNS = _words("he she him her")
_GROUP_PRONOUNS = _words("they them")
_CAPITAL_STOP = _words(
    "The A An This That These Those It Its He She We They I You His Her Our Their There Here "
    "But And Or So Yet However Meanwhile In On At For As If When While After Before What Why "
    "How Who Where Then Now Still Also Moreover Thus Instead Prior Despite Although Though "
    "Since Because Given Of From To With By Three Two Several Some Many Both Earlier Later "
    "Yesterday Today Monday Tuesday Wednesday Thursday Friday Saturday Sunday"
)
_TITLE_WORDS = _words(
    "us u.s. usa american russian russia's ukrainian british french german syrian iranian "
    "chinese foreign defence defense minister president vice prime secretary state of "
    "spokesman spokeswoman spokesperson deputy general ambassador senator sen. rep. "
    "chancellor envoy special representative press kremlin white house department former "
    "chief mr mr. mrs mrs. ms ms. dr dr. gen gen. adviser advisor national security affairs "
    "un eu nato lithuania's"
)
_PARTICLES = _words("al bin ibn de von van der da di le la du")
_ORG_WORDS = _words(
    "agency ministry institute center centre times news post press council committee "
    "service department office foundation university"
)
_CONTENT_CUT = re.compile(r";|,\s+(?:thus|thereby|which shows)\b")
_MAX_NP_TOKENS = 10
# Characters looked at around a speech verb: more than any speaker phrase or window needs.
_WINDOW = 240
# "despite what some are saying, ..." names no content; "what" stands in for it.
_FREE_RELATIVE = re.compile(r"\b(?:what|whatever)\s*$", re.IGNORECASE)
# "According to X, associate fellow at Y, ...": the description is not what X said.
_APPOSITIVE = re.compile(r",\s+(?:an?\s+|the\s+)?[a-z][^,.;:\"“”]{0,80},")


@dataclass(slots=True)
class _Attribution:
    cue_start: int
    cue_end: int
    speaker: str
    speaker_id: str
    content_start: int
    content_end: int
    sentence: int


@dataclass(slots=True)
class _Context:
    text: str
    lexicon: SpeakerLexicon
    sentences: list[Sentence]
    sentence_starts: list[int]
    quote_spans: list[tuple[int, int]]
    quote_starts: list[int]
    mentions: list[_Mention]
    mention_starts: list[int]
    surnames: dict[str, tuple[str, str]]
    last_person: tuple[str, str] | None = None
    last_group: tuple[str, str, str] | None = None

    def sentence_of(self, position: int) -> int:
        return max(0, bisect.bisect_right(self.sentence_starts, position) - 1)

    def mentions_within(self, start: int, end: int) -> list[_Mention]:
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


def _np_before(context: _Context, start: int, verb_start: int, *, ing: bool) -> tuple[int, int]:
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
    context: _Context, tokens: list[tuple[int, int, str]], first: int, last: int
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


def _identify(context: _Context, start: int, end: int) -> tuple[str, str, str]:
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


def _person_before(context: _Context, position: int) -> tuple[str, str] | None:
    sentence = context.sentences[context.sentence_of(position)]
    for mention in reversed(context.mentions_within(sentence.start, position)):
        if mention.kind == "person" and not context.in_quote(mention.start):
            return context.text[mention.start : mention.end], mention.speaker_id
    return context.last_person


def _content_span(context: _Context, start: int, sentence: Sentence) -> tuple[int, int]:
    text = context.text
    while start < sentence.end and text[start] in " \t\n,:":
        start += 1
    end = sentence.end
    cut = _CONTENT_CUT.search(text, start, end)
    if cut:
        end = cut.start()
    return start, _rstrip_punct(text, start, end) if end > start else start


def _attribution(context: _Context, match: re.Match[str]) -> _Attribution | None:
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
    context: _Context, match: re.Match[str], index: int, sentence: Sentence
) -> _Attribution | None:
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
    context: _Context,
    np: tuple[int, int],
    cue_start: int,
    cue_end: int,
    content: tuple[int, int],
    index: int,
) -> _Attribution:
    speaker, speaker_id, kind = _identify(context, *np)
    if speaker_id and kind == "person":
        context.last_person = (speaker, speaker_id)
    elif speaker_id and kind != "person":
        context.last_group = (speaker, speaker_id, kind)
    return _Attribution(
        min(cue_start, np[0]),
        max(cue_end, np[1]),
        speaker,
        speaker_id,
        content[0],
        content[1],
        index,
    )


def _outside_words(context: _Context, start: int, end: int) -> int:
    count = 0
    cursor = start
    first = max(0, bisect.bisect_right(context.quote_starts, start) - 1)
    last = bisect.bisect_left(context.quote_starts, end)
    for quote_start, quote_end in context.quote_spans[first:last]:
        if quote_end <= start:
            continue
        count += _word_count(context.text[cursor : max(cursor, quote_start)])
        cursor = max(cursor, quote_end)
    return count + _word_count(context.text[cursor:end])


def find_quotations(
    text: str,
    *,
    speakers: SpeakerLexicon | None = None,
    min_words: int = 3,
    include_terms: bool = False,
    sentences: Sequence[Sentence] | None = None,
) -> list[Quotation]:
    """Find the direct and reported quotations in ``text`` and their speakers.

    Parameters
    ----------
    text : str
        One article's (cleaned) text.
    speakers : SpeakerLexicon, optional
        Speakers and aliases; the shipped ``speakers.yaml`` by default.
    min_words : int, default 3
        Words in quotation marks shorter than this are a term or scare quote
        (kind ``term``), not a quotation of a source.
    include_terms : bool, default False
        Also return the ``term`` quotations (never attributed).
    sentences : sequence of Sentence, optional
        ``split_sentences(text)``, when the caller has it already.

    Returns
    -------
    list of Quotation
        Sorted by ``start`` then ``end``. Spans of a reported quotation and a
        direct one inside it may overlap.

    Raises
    ------
    ValueError
        If ``text`` is not a string or ``min_words`` is below 1.
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a str, not {type(text).__name__}")
    if min_words < 1:
        raise ValueError(f"min_words must be at least 1, got {min_words}")
    lexicon = speakers if speakers is not None else load_speakers()
    paragraphs = _Paragraphs(text)
    all_spans = _quote_spans(text, paragraphs)
    direct_spans = [span for span in all_spans if _word_count(text[span[0] : span[1]]) >= min_words]
    if sentences is None:
        sentences = split_sentences(text)
    if not sentences:
        return []
    mentions = lexicon.matches(text)
    context = _Context(
        text=text,
        lexicon=lexicon,
        sentences=list(sentences),
        sentence_starts=[s.start for s in sentences],
        quote_spans=direct_spans,
        quote_starts=[s for s, _ in direct_spans],
        mentions=mentions,
        mention_starts=[m.start for m in mentions],
        surnames={},
    )
    attributions: list[_Attribution] = []
    for match in _SPEECH.finditer(text):
        if context.in_quote(match.start()):
            continue
        found = _attribution(context, match)
        if found is not None:
            attributions.append(found)
    by_sentence: dict[int, list[_Attribution]] = {}
    for found in attributions:
        by_sentence.setdefault(found.sentence, []).append(found)

    quotations: list[Quotation] = []
    direct_speakers: dict[int, tuple[str, str, str]] = {}
    for start, end in direct_spans:
        chosen = _attribute_direct(context, by_sentence, direct_speakers, start, end)
        speaker, speaker_id, cue = chosen
        for index in range(
            context.sentence_of(start), context.sentence_of(max(start, end - 1)) + 1
        ):
            if speaker:
                direct_speakers[index] = chosen
        quotations.append(
            Quotation(start, end, text[start:end], "direct", speaker, speaker_id, cue)
        )
    for found in attributions:
        if found.content_end <= found.content_start:
            continue
        if _outside_words(context, found.content_start, found.content_end) < 3:
            continue
        quotations.append(
            Quotation(
                found.content_start,
                found.content_end,
                text[found.content_start : found.content_end],
                "reported",
                found.speaker,
                found.speaker_id,
                text[found.cue_start : found.cue_end],
            )
        )
    if include_terms:
        direct = set(direct_spans)
        quotations.extend(
            Quotation(s, e, text[s:e], "term", "", "", "")
            for s, e in all_spans
            if (s, e) not in direct
        )
    return sorted(quotations, key=lambda q: (q.start, q.end, q.kind))


def _attribute_direct(
    context: _Context,
    by_sentence: Mapping[int, list[_Attribution]],
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

        def distance(found: _Attribution) -> int:
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


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sort spans and merge the overlapping or touching ones."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
