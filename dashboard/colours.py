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
    "LABEL_COLOURS",
    "LABEL_PATTERNS",
    "NEUTRAL_COLOUR",
    "OKABE_ITO",
    "OUTCOME_COLOURS",
    "STANCE_COLOURS",
    "category_colours",
    "outlet_colours",
]

#: Okabe & Ito (2008), colour-blind safe: the outlets' colours (and groups'). Black is left
#: out so dark themes keep every outlet, grey so that it stays free for "no value".
OKABE_ITO = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
)
#: For "the other side" of a comparison and for cells without a value.
NEUTRAL_COLOUR = "#8C8C8C"

#: The labels' colours, from a hue no outlet has: dark purple and brown at the two ends
#: (ColorBrewer's PuOr and BrBG ends, told apart by colour-blind readers through
#: blue-yellow and lightness), their pale tints, and greys for "no side".
_PURPLE, _BROWN, _LAVENDER, _TAN = "#5E3C99", "#8C510A", "#B2ABD2", "#DFC27D"
_PALE_GREY = "#D9D9D9"


def outlet_colours(outlets: pd.DataFrame) -> dict[str, str]:
    """One colour per outlet, assigned in registry order, keyed by outlet key and by name.

    The registry order is the analyst's and does not change with the filters,
    so an outlet keeps its colour on every page and in every filtered view.
    Past seven outlets the palette repeats. No outlet colour is a label colour
    (:data:`LABEL_COLOURS`).
    """
    colours: dict[str, str] = {}
    for index, (key, name) in enumerate(zip(outlets["outlet"], outlets["name"], strict=True)):
        colour = OKABE_ITO[index % len(OKABE_ITO)]
        colours[str(key)] = colour
        colours[str(name)] = colour
    return colours


def category_colours(categories: Sequence[str]) -> dict[str, str]:
    """Okabe–Ito colours for a fixed list of categories (outlet groups), in that order."""
    return {name: OKABE_ITO[index % len(OKABE_ITO)] for index, name in enumerate(categories)}


#: Stance labels in charts: purple for, brown against, greys for no side.
STANCE_COLOURS = {
    "favorable": _PURPLE,
    "unfavorable": _BROWN,
    "neutral": NEUTRAL_COLOUR,
    "uncertain": _PALE_GREY,
    "not mentioned": _PALE_GREY,
    "unsupported language": _PALE_GREY,
}
#: Bar patterns that tell apart labels of the same colour.
LABEL_PATTERNS = {"unsupported language": "/", "uncertain": "."}
#: Outcome framing labels in charts: the West's gain in purple, Russia's in brown.
OUTCOME_COLOURS = dict(
    zip(OUTCOME_LABELS, (_BROWN, _PURPLE, _TAN, _LAVENDER, NEUTRAL_COLOUR), strict=True)
)
#: Every label colour (none of them is an outlet's).
LABEL_COLOURS = frozenset({*STANCE_COLOURS.values(), *OUTCOME_COLOURS.values()})
#: Streamlit badge colours per stance and outcome label, matching the charts in hue.
LABEL_BADGE_COLOURS = {
    "favorable": "violet",
    "unfavorable": "orange",
    "neutral": "gray",
    "uncertain": "gray",
    "not mentioned": "gray",
    "unsupported language": "gray",
    "Russia gained": "orange",
    "US-West gained": "violet",
}
