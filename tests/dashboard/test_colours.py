"""Colours that carry meaning: one per outlet in registry order, one per label."""

from __future__ import annotations

import pandas as pd

from dashboard import colours


def test_outlet_colours_follow_the_registry_order_by_key_and_name():
    outlets = pd.DataFrame({"outlet": ["cnn", "osw"], "name": ["CNN", "OSW"]})
    assert colours.outlet_colours(outlets) == {
        "cnn": "#0072B2",
        "CNN": "#0072B2",
        "osw": "#E69F00",
        "OSW": "#E69F00",
    }


def test_the_palette_repeats_past_eight_categories():
    found = colours.category_colours([f"c{n}" for n in range(9)])
    assert found["c8"] == found["c0"] == colours.OKABE_ITO[0]


def test_every_stance_label_has_a_chart_and_a_badge_colour():
    assert set(colours.STANCE_COLOURS) == set(colours.LABEL_BADGE_COLOURS)
    assert colours.STANCE_COLOURS["favorable"] != colours.STANCE_COLOURS["unfavorable"]
