"""Colours that carry meaning: one per outlet in registry order, one per label."""

from __future__ import annotations

import itertools
import math

import pandas as pd

from analysis.labels.stance import GROUP_LABELS
from analysis.review.hand_labels import OUTCOME_LABELS, STANCE_LABELS
from dashboard import colours


def test_outlets_take_their_groups_hue_in_registry_order_by_key_and_name():
    outlets = pd.DataFrame(
        {"outlet": ["cnn", "osw", "bbc"], "name": ["CNN", "OSW", "BBC"], "group": ["w", "t", "w"]}
    )
    assert colours.group_colours(outlets) == {"w": "#0072B2", "t": "#E69F00"}
    assert colours.outlet_colours(outlets) == {
        "cnn": "#0072B2",
        "CNN": "#0072B2",
        "osw": "#E69F00",
        "OSW": "#E69F00",
        "bbc": "#4896D9",
        "BBC": "#4896D9",
    }


def test_shades_are_lighter_and_darker_in_turn_and_skip_the_labels_brown():
    assert colours.shades("#0072B2", 3) == ["#0072B2", "#4896D9", "#00508C"]
    # Orange 26 points darker would be the brown of "Russia gained": the next shade comes instead.
    assert colours.shades("#E69F00", 4) == ["#E69F00", "#FFC53B", "#BB7B00", "#FCB224"]
    assert colours.shades("#0072B2", 5)[:3] == colours.shades("#0072B2", 3)


def _registry(groups: dict[str, int]) -> pd.DataFrame:
    keys = [(f"{group}-{n}", group) for group, count in groups.items() for n in range(count)]
    return pd.DataFrame(
        {
            "outlet": [key for key, _ in keys],
            "name": [key.upper() for key, _ in keys],
            "group": [group for _, group in keys],
        }
    )


def test_eleven_outlets_in_three_groups_have_distinct_stable_colours():
    outlets = _registry({"ukrainian": 4, "pro-Kremlin": 4, "unassigned": 3})
    found = colours.outlet_colours(outlets)
    by_key = {key: found[key] for key in outlets["outlet"]}
    assert len(set(by_key.values())) == 11
    assert [by_key[f"{g}-0"] for g in ("ukrainian", "pro-Kremlin", "unassigned")] == list(
        colours.OKABE_ITO[:3]
    )
    # Outlets of one group are shades of one hue: they differ in lightness far more than in hue.
    for group in ("ukrainian", "pro-Kremlin", "unassigned"):
        labs = [_lab(by_key[f"{group}-{n}"]) for n in range(3)]
        for one, other in itertools.combinations(labs, 2):
            assert abs(one[0] - other[0]) > 10
            assert math.hypot(one[1] - other[1], one[2] - other[2]) < abs(one[0] - other[0]) + 15
    for colour in by_key.values():
        assert min(math.dist(_lab(colour), _lab(label)) for label in colours.LABEL_COLOURS) > 20
    # Outlets added at the end of the registry, to a group or in a new group, change no colour.
    more = pd.concat(
        [outlets, _registry({"ukrainian": 6, "think tank": 2}).iloc[[4, 5, 6, 7]]],
        ignore_index=True,
    )
    added = ["ukrainian-4", "ukrainian-5", "think tank-0", "think tank-1"]
    assert list(more["outlet"][-4:]) == added
    grown = colours.outlet_colours(more)
    assert {key: grown[key] for key in by_key} == by_key
    assert len({grown[key] for key in more["outlet"]}) == 15


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
