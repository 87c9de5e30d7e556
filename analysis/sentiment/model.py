"""The learned target-dependent sentence sentiment model: training, prediction, files.

One multinomial logistic regression (class-weighted, so each class counts alike) over
several L2-normalised sparse views of a (sentence, target mention) pair stacked side by
side (see :mod:`analysis.sentiment.features`). ``pn_bias`` is added to the negative and
positive intercepts: a prior shift toward the polar classes, chosen on held-out data for
RuSentNE's F1_PN; since it is part of the intercept, probabilities and labels agree.

The baseline is the plain one of the datasets README: TF-IDF word 1-2-grams of the
sentence with the mention masked, and logistic regression.

A model file is a compressed NumPy ``.npz`` read with ``allow_pickle=False``: float
arrays (coefficients, intercepts, idf per view) and one JSON document (format version,
language, parameters, vocabularies). No pickle: loading a file runs no code.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

from analysis.sentiment.char_ngrams import CharNgrams, char_tfidf
from analysis.sentiment.datasets import CLASSES, TargetedSentence, labels_of
from analysis.sentiment.features import (
    FeatureVocabulary,
    Split,
    masked_text,
    split_pair,
    view_features,
    view_rows,
    window_text,
)

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

__all__ = [
    "FORMAT_VERSION",
    "ModelFileError",
    "SentimentModel",
    "SentimentParams",
    "load_model",
    "save_model",
    "train_baseline",
    "train_model",
]

FORMAT_VERSION = 1
"""The version of the model file format; a file of another version is refused."""

_FORMAT = "narratives-sentiment-model"
_RETRAIN = "run `narratives train --data DATASETS_DIR` to rebuild the models"
Span = tuple[int, int]


class ModelFileError(ValueError):
    """A model file that is missing, unreadable, or of another format version."""


@dataclass(frozen=True)
class SentimentParams:
    """The recipe of a model.

    Attributes
    ----------
    views
        Word-level views to stack (a subset of ``features.VIEWS``).
    char
        Add character 2-5-grams of the whole masked sentence.
    charwin
        Add character 2-5-grams of ``charwin_chars`` characters either side of the mention.
    stem
        Snowball-stem context words (Russian: inflection carries little sentiment).
    negation
        Mark the words after a negator ``NOT_`` up to the next punctuation.
    window
        Tokens either side of the mention in the ``win`` view.
    C
        Inverse L2 regularisation strength of the logistic regression.
    min_df
        Documents a feature must occur in to be kept.
    pn_bias
        Added to the negative and positive intercepts after fitting.
    """

    views: tuple[str, ...] = ("sent", "lr", "win", "mention")
    char: bool = True
    charwin: bool = False
    charwin_chars: int = 40
    stem: bool = False
    negation: bool = True
    window: int = 6
    C: float = 4.0
    min_df: int = 2
    pn_bias: float = 0.0

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> SentimentParams:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"unknown sentiment parameters: {', '.join(unknown)}")
        given = dict(values)
        if "views" in given:
            given["views"] = tuple(given["views"])
        return cls(**given)


@dataclass
class SentimentModel:
    """A trained model: ``predict`` gives the probability of each of ``CLASSES``.

    ``kind`` is ``"target"`` (the target-aware model) or ``"baseline"``.
    """

    language: str
    kind: str
    params: SentimentParams
    vocabularies: dict[str, FeatureVocabulary]
    #: Fitted scikit-learn vectorizers after training; what they count, once loaded.
    char_vectorizers: dict[str, TfidfVectorizer | CharNgrams]
    coef: np.ndarray
    intercept: np.ndarray
    classes: tuple[str, ...] = field(default=CLASSES)

    def features(self, sentences: Sequence[str], spans: Sequence[Span]) -> sp.csr_matrix:
        """The feature matrix of the pairs, one row each."""
        _check_pairs(sentences, spans)
        if self.kind == "baseline":
            texts = [masked_text(s, a, b) for s, (a, b) in zip(sentences, spans, strict=True)]
            return char_tfidf(self.char_vectorizers["masked"], texts)
        return _target_features(self, sentences, spans)

    def predict(self, sentences: Sequence[str], spans: Sequence[Span]) -> np.ndarray:
        """Probabilities, shape ``(len(sentences), 3)``, columns in :data:`CLASSES` order.

        ``spans[i]`` is the ``(start, end)`` character offsets of the target mention in
        ``sentences[i]``.
        """
        if not sentences:
            _check_pairs(sentences, spans)
            return np.zeros((0, len(self.classes)))
        scores = np.asarray(self.features(sentences, spans) @ self.coef.T) + self.intercept
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return np.asarray(exp / exp.sum(axis=1, keepdims=True))

    def predict_labels(self, sentences: Sequence[str], spans: Sequence[Span]) -> list[str]:
        """The most probable class of each pair."""
        return [self.classes[i] for i in self.predict(sentences, spans).argmax(axis=1)]

    def with_pn_bias(self, pn_bias: float) -> SentimentModel:
        """The same model with another ``pn_bias`` (the intercepts shifted accordingly)."""
        shift = np.array([c != "neutral" for c in self.classes], dtype=np.float64)
        intercept = self.intercept + (pn_bias - self.params.pn_bias) * shift
        return replace(self, params=replace(self.params, pn_bias=pn_bias), intercept=intercept)


def _check_pairs(sentences: Sequence[str], spans: Sequence[Span]) -> None:
    if len(sentences) != len(spans):
        raise ValueError(f"{len(sentences)} sentences but {len(spans)} spans")
    for i, (sentence, (start, end)) in enumerate(zip(sentences, spans, strict=True)):
        if not 0 <= start < end <= len(sentence):
            raise ValueError(
                f"span {i} ({start}, {end}) is not a mention inside its sentence "
                f"of {len(sentence)} characters"
            )


def _splits(
    params: SentimentParams, language: str, sentences: Sequence[str], spans: Sequence[Span]
) -> list[Split]:
    return [
        split_pair(s, a, b, language=language, stem=params.stem, negation=params.negation)
        for s, (a, b) in zip(sentences, spans, strict=True)
    ]


def _word_documents(
    params: SentimentParams, language: str, sentences: Sequence[str], spans: Sequence[Span]
) -> dict[str, list[list[tuple[str, float]]]]:
    parts = _splits(params, language, sentences, spans)
    return {
        view: [view_features(view, *p, window=params.window) for p in parts]
        for view in params.views
    }


def _char_texts(
    params: SentimentParams, sentences: Sequence[str], spans: Sequence[Span]
) -> dict[str, list[str]]:
    texts: dict[str, list[str]] = {}
    pairs = list(zip(sentences, spans, strict=True))
    if params.char:
        texts["char"] = [masked_text(s, a, b) for s, (a, b) in pairs]
    if params.charwin:
        texts["charwin"] = [window_text(s, a, b, params.charwin_chars) for s, (a, b) in pairs]
    return texts


def _char_vectorizer(min_df: int) -> TfidfVectorizer:
    # scikit-learn is imported where a model is trained: labelling needs none of it.
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(2, 5),
        min_df=min_df,
        sublinear_tf=True,
        max_features=200_000,
    )


def _target_features(
    model: SentimentModel, sentences: Sequence[str], spans: Sequence[Span]
) -> sp.csr_matrix:
    splits = _splits(model.params, model.language, sentences, spans)
    blocks = [
        model.vocabularies[view].transform_rows(view_rows(view, splits, window=model.params.window))
        for view in model.params.views
    ]
    for name, texts in _char_texts(model.params, sentences, spans).items():
        blocks.append(char_tfidf(model.char_vectorizers[name], texts))
    return sp.csr_matrix(sp.hstack(blocks))


def _fit(features: sp.spmatrix, labels: list[str], c: float, seed: int) -> LogisticRegression:
    from sklearn.linear_model import LogisticRegression

    classifier = LogisticRegression(C=c, max_iter=3000, class_weight="balanced", random_state=seed)
    classifier.fit(features, np.array([CLASSES.index(label) for label in labels]))
    if list(classifier.classes_) != [0, 1, 2]:
        raise ValueError("the training examples must hold all three classes")
    return classifier


def train_model(
    language: str,
    examples: Sequence[TargetedSentence],
    *,
    params: SentimentParams | None = None,
    seed: int = 0,
) -> SentimentModel:
    """Fit the target-aware model on labelled ``examples`` ("en" or "ru" text)."""
    params = params or SentimentParams()
    labels = labels_of(examples)
    sentences = [e.sentence for e in examples]
    spans = [(e.start, e.end) for e in examples]
    documents = _word_documents(params, language, sentences, spans)
    vocabularies = {
        view: FeatureVocabulary.fit(documents[view], min_df=params.min_df) for view in params.views
    }
    blocks = [vocabularies[view].transform(documents[view]) for view in params.views]
    char_vectorizers: dict[str, TfidfVectorizer | CharNgrams] = {}
    for name, texts in _char_texts(params, sentences, spans).items():
        fitted = char_vectorizers[name] = _char_vectorizer(params.min_df)
        blocks.append(fitted.fit_transform(texts))
    classifier = _fit(sp.hstack(blocks).tocsr(), labels, params.C, seed)
    # The file keeps idf as float32: round now so a saved model predicts what this one does.
    for vocabulary in vocabularies.values():
        vocabulary.idf = vocabulary.idf.astype(np.float32).astype(np.float64)
    for vectorizer in char_vectorizers.values():
        vectorizer.idf_ = vectorizer.idf_.astype(np.float32).astype(np.float64)
    unbiased = SentimentModel(
        language=language,
        kind="target",
        params=replace(params, pn_bias=0.0),
        vocabularies=vocabularies,
        char_vectorizers=char_vectorizers,
        coef=classifier.coef_.astype(np.float32),
        intercept=classifier.intercept_.astype(np.float64),
    )
    return unbiased.with_pn_bias(params.pn_bias)


def train_baseline(
    language: str, examples: Sequence[TargetedSentence], *, seed: int = 0
) -> SentimentModel:
    """Fit the plain baseline: TF-IDF word 1-2-grams of the masked sentence, LR (C=1)."""
    labels = labels_of(examples)
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    features = vectorizer.fit_transform([masked_text(e.sentence, e.start, e.end) for e in examples])
    classifier = _fit(features, labels, 1.0, seed)
    return SentimentModel(
        language=language,
        kind="baseline",
        params=SentimentParams(views=(), char=False, negation=False, C=1.0, min_df=1),
        vocabularies={},
        char_vectorizers={"masked": vectorizer},
        coef=classifier.coef_.astype(np.float32),
        intercept=classifier.intercept_.astype(np.float64),
    )


def save_model(model: SentimentModel, path: Path | str) -> None:
    """Write ``model`` to ``path`` (``.npz``: arrays plus one JSON document; no pickle)."""
    meta: dict[str, Any] = {
        "format": _FORMAT,
        "version": FORMAT_VERSION,
        "language": model.language,
        "kind": model.kind,
        "classes": list(model.classes),
        "params": asdict(model.params),
        "vocabularies": {name: v.terms for name, v in model.vocabularies.items()},
        "char_vectorizers": {},
    }
    arrays: dict[str, np.ndarray] = {
        "coef": model.coef.astype(np.float32),
        "intercept": model.intercept.astype(np.float64),
    }
    for name, vocabulary in model.vocabularies.items():
        arrays[f"idf_{name}"] = vocabulary.idf.astype(np.float32)
    for name, vectorizer in model.char_vectorizers.items():
        terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
        meta["char_vectorizers"][name] = {
            "analyzer": vectorizer.analyzer,
            "ngram_range": list(vectorizer.ngram_range),
            "terms": terms,
        }
        arrays[f"idf_{name}"] = vectorizer.idf_.astype(np.float32)
    text = json.dumps(meta, ensure_ascii=False, sort_keys=True)
    arrays["meta"] = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    with Path(path).open("wb") as handle:
        np.savez_compressed(handle, allow_pickle=False, **arrays)


def load_model(path: Path | str) -> SentimentModel:
    """Read a model written by :func:`save_model`.

    Raises
    ------
    ModelFileError
        If the file is missing, is not a model file, is damaged, or is of another format
        version; the message names the file and the command that rebuilds it.
    """
    path = Path(path)
    if not path.is_file():
        raise ModelFileError(f"{path}: the sentiment model file is missing; {_RETRAIN}")
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
        meta = json.loads(bytes(arrays["meta"]).decode("utf-8"))
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as error:
        raise ModelFileError(
            f"{path}: not a readable sentiment model file ({error}); {_RETRAIN}"
        ) from None
    if not isinstance(meta, dict) or meta.get("format") != _FORMAT:
        raise ModelFileError(f"{path}: not a sentiment model file; {_RETRAIN}")
    if meta.get("version") != FORMAT_VERSION:
        raise ModelFileError(
            f"{path}: model file format version {meta.get('version')!r}, but this version of "
            f"narratives reads version {FORMAT_VERSION}; {_RETRAIN}"
        )
    try:
        return _model_from(meta, arrays)
    except (KeyError, TypeError, ValueError) as error:
        raise ModelFileError(
            f"{path}: a damaged sentiment model file ({error}); {_RETRAIN}"
        ) from None


def _model_from(meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> SentimentModel:
    if tuple(meta["classes"]) != CLASSES:
        raise ValueError(f"classes {meta['classes']} are not {list(CLASSES)}")
    vocabularies = {
        name: FeatureVocabulary(terms, arrays[f"idf_{name}"])
        for name, terms in meta["vocabularies"].items()
    }
    char_vectorizers: dict[str, TfidfVectorizer | CharNgrams] = {}
    for name, spec in meta["char_vectorizers"].items():
        low, high = (int(n) for n in spec["ngram_range"])
        vocabulary = {term: i for i, term in enumerate(spec["terms"])}
        idf = arrays[f"idf_{name}"].astype(np.float64)
        if spec["analyzer"] == "char_wb":
            char_vectorizers[name] = CharNgrams((low, high), vocabulary, idf)
            continue
        # The baseline's word n-grams are cut by scikit-learn itself.
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectorizer = TfidfVectorizer(
            analyzer=spec["analyzer"], ngram_range=(low, high), sublinear_tf=True
        )
        vectorizer.vocabulary_ = vocabulary
        vectorizer.idf_ = idf
        char_vectorizers[name] = vectorizer
    coef, intercept = arrays["coef"].astype(np.float64), arrays["intercept"]
    width = sum(len(v.terms) for v in vocabularies.values()) + sum(
        len(v.vocabulary_) for v in char_vectorizers.values()
    )
    if coef.shape != (len(CLASSES), width) or intercept.shape != (len(CLASSES),):
        raise ValueError(f"coefficients of shape {coef.shape} for {width} features")
    return SentimentModel(
        language=str(meta["language"]),
        kind=str(meta["kind"]),
        params=SentimentParams.from_dict(meta["params"]),
        vocabularies=vocabularies,
        char_vectorizers=char_vectorizers,
        coef=coef,
        intercept=intercept,
    )
