"""The analysts' views in a real headless Chromium: search to the Reader, attention over time,
KWIC order, collocates, the terms scatter, and a chart downloaded as PNG and SVG."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from tests.browser.conftest import screenshot
from tests.browser.test_dashboard_browser import _no_error_on, _reader_shows, _wait_for_app


def _query(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def _download(page, chart_key: str, file_format: str) -> bytes:
    button = page.locator(f".st-key-{chart_key}_{file_format} button").first
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=90_000) as download_info:
        button.click()
    return download_info.value.path().read_bytes()


def test_search_hits_open_the_reader_and_a_chart_downloads_as_png(page, dashboard_url):
    page.goto(f"{dashboard_url}/search?se_query=putin+AND+NOT+syria")
    _wait_for_app(page, "Search")
    page.get_by_role("heading", name="Hits in context").wait_for(timeout=60_000)
    _no_error_on(page)
    screenshot(page, "search")
    png = _download(page, "se_outlets", "png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")

    grid = page.locator("[data-testid='stDataFrame']").last
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 12, box["y"] + 35 + 17)
    page.get_by_role("button", name="Open in the Reader").click(timeout=30_000)
    # The one article about Putin that never mentions Syria.
    _reader_shows(page, "Why is Putin meeting with Kerry?")
    query = _query(page)
    assert query["rd_article"] == ["euromaidan-press-2015-05-12-why-is-putin-meeting-with-kerry"]
    # Every form the search found in it, highlighted there.
    assert query["rd_terms"] == ["Putin, Putin's"]


def test_attention_over_time_marks_the_meetings_and_downloads_as_svg(page, dashboard_url):
    page.goto(f"{dashboard_url}/attention?at_period=month")
    _wait_for_app(page, "Attention over time")
    chart = page.locator("[data-testid='stPlotlyChart']").first
    chart.locator(".annotation-text").first.wait_for(timeout=60_000)
    labels = [t.text_content() for t in chart.locator(".annotation-text").all()]
    assert "Kerry meets Putin in Sochi (Ukraine, Minsk, Syria, Iran)" in labels
    page.get_by_text("Sample sizes:").wait_for()
    _no_error_on(page)
    screenshot(page, "attention")
    svg = _download(page, "at_chart", "svg")
    assert svg.lstrip().startswith(b"<svg")
    assert b"made with Narratives" in svg


def test_kwic_sort_collocates_and_a_click_on_the_terms_scatter(page, dashboard_url):
    page.goto(f"{dashboard_url}/contrasts?tc_search=putin&tc_sort=left")
    _wait_for_app(page, "Term contrasts")
    page.get_by_role("heading", name="Collocates").wait_for(timeout=60_000)
    page.get_by_text("ranked by log-likelihood").first.wait_for()
    page.get_by_text("Right context").click()
    page.wait_for_function("() => location.search.includes('tc_sort=right')", timeout=30_000)
    _no_error_on(page)
    screenshot(page, "contrasts-kwic-collocates")

    scatter = page.locator(".st-key-tc_map [data-testid='stPlotlyChart']")
    scatter.scroll_into_view_if_needed()
    scatter.locator(".scatterlayer .point").first.wait_for(timeout=60_000)
    scatter.locator(".scatterlayer .point").first.click(force=True)
    page.wait_for_function("() => location.search.includes('tc_map=')", timeout=30_000)
    term = _query(page)["tc_map"][0]
    page.get_by_text(f"'{term}': ").first.wait_for(timeout=30_000)
    _no_error_on(page)
    screenshot(page, "contrasts-terms-scatter")
