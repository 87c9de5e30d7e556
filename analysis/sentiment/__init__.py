"""Target-dependent sentence sentiment, learned: the sentiment a sentence expresses toward
one mention in it (negative, neutral, positive), for English and Russian.

:mod:`~analysis.sentiment.datasets` reads the public benchmarks (NewsMTSC, RuSentNE-2023);
:mod:`~analysis.sentiment.features` and :mod:`~analysis.sentiment.model` are the linear
model and its file format; :mod:`~analysis.sentiment.training` rebuilds the committed
models (``narratives train``); :mod:`~analysis.sentiment.evaluation` scores them
(``narratives evaluate --benchmark``).

>>> model = load_sentiment_model("en")
>>> model.predict(["Critics slammed Smith."], [(16, 21)]).shape
(1, 3)
"""

from analysis.sentiment.datasets import CLASSES, DatasetError, TargetedSentence
from analysis.sentiment.model import ModelFileError, SentimentModel
from analysis.sentiment.training import load_sentiment_model

__all__ = [
    "CLASSES",
    "DatasetError",
    "ModelFileError",
    "SentimentModel",
    "TargetedSentence",
    "load_sentiment_model",
]
