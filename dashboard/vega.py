"""Charts drawn by Vega-Lite: a spec, its data as frames, and what a click selects.

The Overview's charts are Vega-Lite, not Plotly: Streamlit loads Plotly's
4.7 MB script in every tab that shows a Plotly chart (1–2.5 s of a
second tab on this project's machine), and Vega's in a fraction of that. A
:class:`VegaChart` keeps its data as frames until it is drawn: Streamlit sends
them as Arrow, a file export inlines them (:meth:`VegaChart.inline`), and a
selection returns the values of :attr:`VegaChart.fields` of each clicked mark,
in order, as a Plotly chart's ``customdata``.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "CHECK_SPECS",
    "PADDING",
    "PICK",
    "SCHEMA",
    "VegaChart",
    "caption_block",
    "lines",
    "picked",
]

#: The Vega-Lite version Streamlit's front end draws with (and vl-convert exports with).
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
#: Pixels around a chart's frame (Streamlit's own is none; its front end needs each side named).
PADDING = {"left": 6, "right": 6, "top": 6, "bottom": 6}
#: The name of every chart's click selection.
PICK = "pick"
#: Whether each spec is checked against the Vega-Lite schema as it is built (the tests set
#: ``NARRATIVES_CHECK_FIGURES=1``, as for Plotly figures; the dashboard sends it as built).
CHECK_SPECS = os.environ.get("NARRATIVES_CHECK_FIGURES") == "1"


@dataclass(frozen=True)
class VegaChart:
    """A Vega-Lite spec whose named ``datasets`` are frames, and its clickable ``fields``.

    ``fields`` are dataset columns, in the order a selection returns them;
    ``width`` is a file export's width in pixels (the dashboard fills the page).
    """

    spec: dict[str, Any]
    datasets: Mapping[str, pd.DataFrame]
    fields: tuple[str, ...] = ()
    width: int = 900

    def __post_init__(self) -> None:
        if CHECK_SPECS:
            check(self.inline())

    def for_streamlit(self) -> dict[str, Any]:
        """The spec with its frames as named datasets, as ``st.vega_lite_chart`` takes it."""
        return {**self.spec, "datasets": dict(self.datasets)}

    def inline(self, *, width: int | None = None) -> dict[str, Any]:
        """The spec with its data written in (JSON), ``width`` pixels wide, for a file."""
        spec = copy.deepcopy(self.spec)
        spec["datasets"] = {name: records(frame) for name, frame in self.datasets.items()}
        spec["width"] = width or self.width
        return spec


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """``frame``'s rows as JSON-ready dicts (numpy numbers as Python numbers, NaN as None)."""
    out = frame.astype(object).where(frame.notna(), None)
    return [
        {str(k): (v.item() if isinstance(v, np.generic) else v) for k, v in row.items()}
        for row in out.to_dict("records")
    ]


def check(spec: Mapping[str, Any]) -> None:
    """Raise if ``spec`` is not valid Vega-Lite (Altair's copy of the schema)."""
    from altair.utils.schemapi import validate_jsonschema
    from altair.vegalite.v6.schema import load_schema

    validate_jsonschema(dict(spec), load_schema(), rootschema=load_schema())


def lines(text: str) -> str | list[str]:
    """A title as Vega-Lite writes it on several lines: one string per ``<br>`` line."""
    parts = [part for part in text.replace("<sup>", "").replace("</sup>", "").split("<br>")]
    return parts[0] if len(parts) == 1 else parts


def picked(state: Any, fields: Sequence[str]) -> list[list[Any]]:
    """The ``fields`` values of every mark clicked in a Vega-Lite chart (empty when none)."""
    try:
        chosen = state["selection"][PICK]
    except (KeyError, TypeError):
        return []
    if not isinstance(chosen, list):
        return []
    return [
        [point.get(name) for name in fields]
        for point in chosen
        if isinstance(point, Mapping) and all(name in point for name in fields)
    ]


def caption_block(text: str, *, width: int) -> dict[str, Any]:
    """A view of ``text``'s lines in small grey type, to go under a chart in a file."""
    shown = [line for line in text.splitlines() if line.strip()]
    return {
        "data": {"values": [{"line": line, "row": k} for k, line in enumerate(shown)]},
        "mark": {"type": "text", "align": "left", "baseline": "top", "fontSize": 11,
                 "color": "#555555"},
        "encoding": {
            "y": {"field": "row", "type": "ordinal", "axis": None},
            "x": {"value": 0},
            "text": {"field": "line", "type": "nominal"},
        },
        "width": width,
        "height": 16 * len(shown),
        "view": {"stroke": None},
    }  # fmt: skip
