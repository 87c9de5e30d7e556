"""Charts for publication: the caption burned in, and real PNG and SVG files."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import exports, figures

COUNTS = pd.DataFrame({"outlet_name": ["Outlet A", "Outlet B"], "hits": [3, 1]})
CAPTION = (
    "Filters: all articles · n = 4 of 4 articles\nCorpus abc · 2015-05-12 · made with Narratives"
)


def _figure():
    return figures.counts_per_group(
        COUNTS, group="outlet_name", value="hits", title="Hits per outlet", x_title="Hits",
        y_title="Outlet", colours={},
    )  # fmt: skip


def test_the_caption_is_written_under_the_chart_without_changing_it():
    shown = _figure()
    published = figures.with_caption(shown, CAPTION)
    assert published.layout.annotations[-1].text == (
        "Filters: all articles · n = 4 of 4 articles<br>"
        "Corpus abc · 2015-05-12 · made with Narratives"
    )
    assert published.layout.width == 1200
    assert published.layout.height == shown.layout.height + 56
    assert published.data == shown.data
    assert not shown.layout.annotations


def test_png_and_svg_files_are_drawn_offline():
    published = figures.with_caption(_figure(), CAPTION)
    png = exports.figure_bytes(published, "png", scale=1)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    svg = exports.figure_bytes(published, "svg").decode("utf-8")
    assert svg.startswith("<svg")
    assert "made with Narratives" in svg
    with pytest.raises(ValueError, match="file_format must be one of"):
        exports.figure_bytes(published, "gif")


CELLS = pd.DataFrame(
    {
        "outlet_name": ["A", "A", "B", "B"],
        "frame": ["Legality,<br>constitutionality &<br>jurisprudence", "Economic"] * 2,
        "share": [0, 12, 40, 3],
    }
)


def _matrix():
    return figures.matrix_chart(
        CELLS, x="outlet_name", y="frame", value="share", title="Frames per outlet",
        x_title="Outlet", y_title="Frame", value_title="% of frame cues",
    )  # fmt: skip


def test_a_vega_lite_chart_is_drawn_offline_with_its_caption_under_it():
    # A matrix with a colour scale (its legend on an unseen layer) and three-line row labels.
    published = figures.with_caption(_matrix(), CAPTION)
    assert published["vconcat"][1]["data"]["values"] == [
        {"line": "Filters: all articles · n = 4 of 4 articles", "row": 0},
        {"line": "Corpus abc · 2015-05-12 · made with Narratives", "row": 1},
    ]
    svg = exports.figure_bytes(published, "svg").decode("utf-8")
    assert svg.startswith("<svg")
    for text in ("Frames per outlet", "made with Narratives", "constitutionality &amp;", "40"):
        assert text in svg, text
    png = exports.figure_bytes(published, "png", scale=1)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_the_shown_chart_is_not_changed_by_its_published_copy():
    shown = _matrix()
    before = shown.inline()
    figures.with_caption(shown, CAPTION)
    assert shown.inline() == before
    assert "vconcat" not in shown.spec
