"""Which colour means what: a hue per outlet group, a shade of it per outlet, one colour per
stance or outcome label. No Streamlit calls.

Colours are explicit only where they carry meaning; everything else follows the
Streamlit theme, so light and dark both read.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence

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
    "group_colours",
    "outlet_colours",
    "shades",
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


def _lab(colour: str) -> tuple[float, float, float]:
    """CIELAB (D65) of a ``#RRGGBB`` colour."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(v: float) -> float:
        return v ** (1 / 3) if v > 0.008856 else 7.787 * v + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def _hex(lightness: float, a: float, b: float) -> str:
    """The ``#RRGGBB`` of a CIELAB colour, each channel clipped to the screen's range."""

    def f_inv(t: float) -> float:
        return t**3 if t > 6 / 29 else 3 * (6 / 29) ** 2 * (t - 4 / 29)

    fy = (lightness + 16) / 116
    x, y, z = 0.95047 * f_inv(fy + a / 500), f_inv(fy), 1.08883 * f_inv(fy - b / 200)
    linear = (
        3.2406 * x - 1.5372 * y - 0.4986 * z,
        -0.9689 * x + 1.8758 * y + 0.0415 * z,
        0.0557 * x - 0.2040 * y + 1.0570 * z,
    )

    def channel(c: float) -> int:
        c = min(max(c, 0.0), 1.0)
        value = 12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055
        return round(value * 255)

    return "#" + "".join(f"{channel(c):02X}" for c in linear)


#: Lightness steps (CIELAB L) of an outlet's shade from its group's hue, in the order the
#: outlets of a group take them: the hue itself, then lighter and darker in turn, the
#: biggest steps first so that two or three outlets of a group are far apart.
_SHADE_STEPS = (0, 14, -14, 26, -26, 7, -7, 20, -20, 33, -33, 3.5, -3.5, 10.5, -10.5, 17, -17)
#: Shades stay in this lightness range: darker is black, lighter is the page's white.
_LIGHTNESS_RANGE = (22.0, 92.0)


def _shade_steps() -> Iterator[float]:
    """Every lightness step, :data:`_SHADE_STEPS` first, then halves of the smallest gaps."""
    yield from _SHADE_STEPS
    step = 1.75
    while True:
        for k in range(1, int(40 / step) + 1, 2):
            yield k * step
            yield -k * step
        step /= 2


def shades(colour: str, count: int) -> list[str]:
    """``count`` shades of ``colour`` that differ in lightness, ``colour`` itself first.

    Shades that look like a label colour (:data:`LABEL_COLOURS`) are skipped.

    The n-th shade is the same whatever ``count`` is, so an outlet keeps its
    shade when others join its group.
    """
    lightness, a, b = _lab(colour)
    low, high = _LIGHTNESS_RANGE
    found: list[str] = []
    for step in _shade_steps():
        if len(found) == count:
            break
        if step and not low <= lightness + step <= high:
            continue
        shade = colour if not step else _hex(lightness + step, a, b)
        # A darker orange is a label's brown: leave out shades that look like a label.
        if shade not in found and (not step or _unlike_labels(shade)):
            found.append(shade)
    return found


#: How far (CIELAB difference) an outlet's shade stays from every label colour.
_FROM_LABELS = 20.0


def _unlike_labels(colour: str) -> bool:
    lab = _lab(colour)
    return all(math.dist(lab, _lab(label)) > _FROM_LABELS for label in LABEL_COLOURS)


def group_colours(outlets: pd.DataFrame) -> dict[str, str]:
    """One hue per outlet group, in the order the groups first appear in the registry.

    ``outlets`` is the registry (``outlet``, ``name``, ``group``). Past seven
    groups the hues repeat.
    """
    groups = dict.fromkeys(str(group) for group in outlets["group"])
    return {group: OKABE_ITO[index % len(OKABE_ITO)] for index, group in enumerate(groups)}


def outlet_colours(outlets: pd.DataFrame) -> dict[str, str]:
    """One colour per outlet, keyed by outlet key and by name: its group's hue, its own shade.

    A group's outlets take the shades of its hue (:func:`group_colours`) in
    registry order. The registry order is the analyst's and does not change
    with the filters, and an import adds outlets at its end, so an outlet keeps
    its colour on every page, in every filtered view and when outlets are
    added. No outlet colour is a label colour (:data:`LABEL_COLOURS`).
    """
    hues = group_colours(outlets)
    members: dict[str, list[tuple[str, str]]] = {}
    for key, name, group in zip(outlets["outlet"], outlets["name"], outlets["group"], strict=True):
        members.setdefault(str(group), []).append((str(key), str(name)))
    colours: dict[str, str] = {}
    for group, outlets_of_group in members.items():
        for (key, name), colour in zip(
            outlets_of_group, shades(hues[group], len(outlets_of_group)), strict=True
        ):
            colours[key] = colour
            colours[name] = colour
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
