"""Narratives: how different outlets told the same story, as a plain library.

Subpackages by role: :mod:`analysis.corpus`, :mod:`analysis.ingest`, :mod:`analysis.text`,
:mod:`analysis.measures`, :mod:`analysis.labels`, :mod:`analysis.review`,
:mod:`analysis.pipeline`; the command line is :mod:`analysis.cli`.
"""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
"""The lexicons, stopword lists and other data files shipped with the package."""
