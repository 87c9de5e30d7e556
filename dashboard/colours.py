"""Which colour means what: one per outlet, one per stance or outcome label. No Streamlit calls.

Colours are explicit only where they carry meaning; everything else follows the
Streamlit theme, so light and dark both read.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.review.hand_labels import OUTCOME_LABELS

__all__ = [
    "LABEL_BADGE_COLOURS",
    "NEUTRAL_COLOUR",
    "OKABE_ITO",
    "OUTCOME_COLOURS",
    "STANCE_COLOURS",
    "category_colours",
    "outlet_colours",
]

#: Okabe & Ito (2008), colour-blind safe; black is left out so dark themes keep every outlet.
OKABE_ITO = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#999999",
)
#: For "the other side" of a comparison and for cells without a value.
NEUTRAL_COLOUR = "#8C8C8C"


def outlet_colours(outlets: pd.DataFrame) -> dict[str, str]:
    """One colour per outlet, assigned in registry order, keyed by outlet key and by name.

    The registry order is the analyst's and does not change with the filters,
    so an outlet keeps its colour on every page and in every filtered view.
    Past eight outlets the palette repeats.
    """
    colours: dict[str, str] = {}
    for index, (key, name) in enumerate(zip(outlets["outlet"], outlets["name"], strict=True)):
        colour = OKABE_ITO[index % len(OKABE_ITO)]
        colours[str(key)] = colour
        colours[str(name)] = colour
    return colours


def category_colours(categories: Sequence[str]) -> dict[str, str]:
    """Okabe–Ito colours for a fixed list of categories (labels, groups), in that order."""
    return {name: OKABE_ITO[index % len(OKABE_ITO)] for index, name in enumerate(categories)}


#: Stance labels in charts: blue and orange stay apart for colour-blind readers.
STANCE_COLOURS = {
    "favorable": OKABE_ITO[0],
    "unfavorable": OKABE_ITO[5],
    "neutral": NEUTRAL_COLOUR,
    "not mentioned": "#D9D9D9",
    "unsupported language": OKABE_ITO[3],
}
#: Outcome framing labels in charts.
OUTCOME_COLOURS = category_colours(OUTCOME_LABELS)
#: Streamlit badge colours per stance label, matching :data:`STANCE_COLOURS` in hue.
LABEL_BADGE_COLOURS = {
    "favorable": "blue",
    "unfavorable": "orange",
    "neutral": "gray",
    "not mentioned": "gray",
    "unsupported language": "violet",
}
