"""Colours that carry meaning: one per outlet in registry order, one per label."""

from __future__ import annotations

import itertools
import math

import pandas as pd

from analysis.labels.stance import GROUP_LABELS
from analysis.review.hand_labels import OUTCOME_LABELS, STANCE_LABELS
from dashboard import colours


def test_outlet_colours_follow_the_registry_order_by_key_and_name():
    outlets = pd.DataFrame({"outlet": ["cnn", "osw"], "name": ["CNN", "OSW"]})
    assert colours.outlet_colours(outlets) == {
        "cnn": "#0072B2",
        "CNN": "#0072B2",
        "osw": "#E69F00",
        "OSW": "#E69F00",
    }


def test_the_palette_repeats_past_seven_categories():
    found = colours.category_colours([f"c{n}" for n in range(8)])
    assert found["c7"] == found["c0"] == colours.OKABE_ITO[0]


def test_every_label_has_a_chart_and_a_badge_colour():
    assert set(colours.STANCE_COLOURS) == set(GROUP_LABELS)
    assert set(colours.OUTCOME_COLOURS) == set(OUTCOME_LABELS)
    assert set(colours.LABEL_BADGE_COLOURS) <= {*GROUP_LABELS, *OUTCOME_LABELS}
    assert set(STANCE_LABELS) <= set(colours.LABEL_BADGE_COLOURS)
    assert colours.STANCE_COLOURS["favorable"] != colours.STANCE_COLOURS["unfavorable"]


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


def test_no_label_colour_looks_like_an_outlet_colour():
    # A CIELAB difference of 25 is two colours nobody takes for one another.
    closest = min(
        (math.dist(_lab(label), _lab(outlet)), label, outlet)
        for label in colours.LABEL_COLOURS
        for outlet in colours.OKABE_ITO
    )
    assert closest[0] > 25, closest


def test_the_labels_of_one_chart_differ_in_lightness_or_blue_yellow():
    # Red-green blind readers still see lightness and the blue-yellow axis (CIELAB L and b).
    for palette in (colours.OUTCOME_COLOURS, colours.STANCE_COLOURS):
        shown = {c for label, c in palette.items() if label not in colours.LABEL_PATTERNS}
        for one, other in itertools.combinations(shown, 2):
            (l1, _, b1), (l2, _, b2) = _lab(one), _lab(other)
            assert math.hypot(l1 - l2, b1 - b2) > 15, (one, other)
