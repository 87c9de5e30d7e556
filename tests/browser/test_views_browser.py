"""The analysts' views in a real headless Chromium: search to the Reader, attention over time,
KWIC order, collocates, the terms scatter, and a chart downloaded as PNG and SVG."""

from __future__ import annotations

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser.conftest import screenshot
from tests.browser.test_dashboard_browser import (
    _no_error_on,
    _open_first_row_in_reader,
    _query,
    _reader_shows,
    _wait_for_app,
)
from tests.conftest import SHIPPED_CORPUS

#: The shipped corpus's one article of OSW, of 15 May 2013 (its file name).
OSW_MAY_2013 = next(path.stem for path in (SHIPPED_CORPUS / "articles").glob("osw-2013-05-15-*.md"))


def _download(page, chart_key: str, file_format: str) -> bytes:
    button = page.locator(f".st-key-{chart_key}_{file_format} button").first
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=90_000) as download_info:
        button.click()
    return download_info.value.path().read_bytes()


def _click_first_bar(page, key: str, *, then: str) -> None:
    """Click the first bar of Plotly chart ``key``; wait for the text ``then`` and for the
    click in the address. A download's rerun redraws the chart: the click waits for it."""
    page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=60_000)
    bar = page.locator(f".st-key-{key} .barlayer .point path").first
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.get_by_text(then).first.wait_for(timeout=60_000)
    page.wait_for_function(f"() => location.search.includes('{key}=')", timeout=60_000)


def test_search_hits_open_the_reader_and_a_chart_downloads_as_png(page, dashboard_url):
    page.goto(f"{dashboard_url}/search?se_query=putin+AND+NOT+syria")
    _wait_for_app(page, "Search")
    page.get_by_role("heading", name="Hits in context").wait_for(timeout=60_000)
    _no_error_on(page)
    screenshot(page, "search")
    png = _download(page, "se_outlets", "png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    # A click on an outlet's bar (Euromaidan Press, the only one with hits) lists its hits.
    _click_first_bar(page, "se_outlets", then="of the bars you clicked")

    # The one article about Putin that never mentions Syria.
    _open_first_row_in_reader(page, "euromaidan-press-2015-05-12-why-is-putin-meeting-with-kerry")
    _reader_shows(page, "Why is Putin meeting with Kerry?")
    query = _query(page)
    # Every form the search found in it, highlighted there.
    assert query["rd_terms"] == ["Putin, Putin's"]


def test_attention_over_time_marks_the_meetings_and_downloads_as_svg(page, dashboard_url):
    page.goto(f"{dashboard_url}/attention?at_period=month")
    _wait_for_app(page, "Attention over time")
    chart = page.locator("[data-testid='stPlotlyChart']").first
    chart.locator(".annotation-text").first.wait_for(timeout=60_000)
    labels = [t.text_content() for t in chart.locator(".annotation-text").all()]
    assert "Sochi, May 2015" in labels
    page.get_by_text("Sample sizes:").wait_for()
    _no_error_on(page)
    screenshot(page, "attention")
    svg = _download(page, "at_chart", "svg")
    assert svg.lstrip().startswith(b"<svg")
    assert b"made with Narratives" in svg
    # A click on a bar lists the articles behind it, and the link keeps the bar.
    _click_first_bar(page, "at_chart", then="Articles behind your selection")
    _no_error_on(page)
    # The first bar: OSW's month of May 2013, its one article; a row opens in the Reader.
    _open_first_row_in_reader(page, OSW_MAY_2013)


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


def test_the_reader_marks_which_sentence_drives_which_label_and_filters_them(page, dashboard_url):
    osw = "osw-2013-05-15-moscow-intransigent-towards-washington-on-the-syria-crisis"
    page.goto(f"{dashboard_url}/reader?rd_article={osw}")
    _wait_for_app(page, "Reader")
    text = page.locator("[data-testid='narratives-reader-text']")
    badges = text.locator("span[data-kind]")
    badges.first.wait_for(timeout=60_000)
    kinds = {badges.nth(k).get_attribute("data-kind") for k in range(badges.count())}
    assert kinds
    assert all(kind.startswith(("Stance toward", "Outcome:")) for kind in kinds)
    # The cue word inside its sentence is in bold.
    assert text.locator("b", has_text="stand its ground").count() >= 1
    picker = page.locator("[data-testid='stMain'] [data-testid='stMultiSelect']").first
    picker.click()
    picker.locator("input").fill("Security")
    page.get_by_role("option", name="Frame: Security & defense").first.click(timeout=30_000)
    page.keyboard.press("Escape")
    page.wait_for_function(
        "() => new URLSearchParams(location.search).get('rd_show').includes('frame:security')",
        timeout=30_000,
    )
    frame = text.locator("span[data-kind='Frame: Security & defense']").first
    frame.wait_for(timeout=30_000)
    assert frame.is_visible()
    _no_error_on(page)
    screenshot(page, "reader-evidence-labels")


def test_choosing_the_pairs_own_prior_changes_the_url_and_says_so(page, dashboard_url):
    page.goto(f"{dashboard_url}/contrasts?tc_mode=A+against+B&tc_a=euromaidan-press&tc_b=mcu-times")
    _wait_for_app(page, "Term contrasts")
    page.get_by_text("No term reaches |z| > 1.96").first.wait_for(timeout=60_000)
    page.get_by_text("Phrase length, prior and number of terms").click()
    choice = page.get_by_text("A's and B's articles only")
    choice.wait_for(state="visible", timeout=30_000)
    # A click while the opening expander still moves can miss its label: click again then.
    for attempt in range(3):
        choice.click()
        try:
            page.wait_for_function(
                "() => location.search.includes('tc_prior_from=pair')", timeout=10_000
            )
            break
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise
    page.get_by_text("a's and b's articles only (3 articles)").first.wait_for(timeout=30_000)
    _no_error_on(page)


def test_keyword_in_context_keeps_the_keyword_centred_and_whole_at_1440_px(page, dashboard_url):
    page.set_viewport_size({"width": 1440, "height": 1000})
    page.goto(f"{dashboard_url}/contrasts?tc_search=putin")
    _wait_for_app(page, "Term contrasts")
    table = page.locator("[data-testid='narratives-kwic']")
    table.wait_for(timeout=60_000)
    table.scroll_into_view_if_needed()
    cells = table.evaluate(
        """(box) => [...box.querySelectorAll('tbody tr')].map((row) => {
             const [, left, key] = row.children;
             const l = left.getBoundingClientRect(), k = key.getBoundingClientRect();
             const words = left.querySelector('span').getBoundingClientRect();
             return {centre: (k.left + k.right) / 2, keyRight: k.right, keyLeft: k.left,
                     whole: key.scrollWidth <= key.clientWidth, text: key.textContent,
                     wordsEnd: words.right, leftEnd: l.right};
           })"""
    )
    assert cells
    assert all(cell["text"].lower().startswith("putin") for cell in cells)
    assert max(c["centre"] for c in cells) - min(c["centre"] for c in cells) < 1
    assert all(cell["whole"] for cell in cells)
    assert all(cell["keyRight"] <= 1440 for cell in cells)
    # The left context ends right against the keyword: its last words are the visible ones.
    assert all(cell["leftEnd"] - cell["wordsEnd"] < 16 for cell in cells)
    screenshot(page, "contrasts-kwic-1440")


def test_clicking_a_heatmap_cell_lists_the_articles_behind_it(page, dashboard_url):
    page.goto(f"{dashboard_url}/?f_outlet=Euromaidan+Press")
    _wait_for_app(page, "Overview")
    coverage = page.locator(".st-key-ov_coverage [data-testid='stVegaLiteChart']")
    coverage.scroll_into_view_if_needed()
    # The cells drawn (Vega-Lite's SVG): Euromaidan Press's row, its second cell the
    # Sochi meeting, which it covered.
    cell = coverage.locator("g.mark-rect.role-mark path").nth(1)
    cell.wait_for(state="attached", timeout=60_000)
    box = cell.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.get_by_role("heading", name="Articles behind your selection").wait_for(timeout=30_000)
    page.wait_for_function("() => location.search.includes('ov_coverage=')", timeout=30_000)
    _no_error_on(page)
    # The matrix as a file for publication, drawn by vl-convert with the filters under it.
    svg = _download(page, "ov_coverage", "svg").decode("utf-8")
    assert svg.lstrip().startswith("<svg")
    assert "Articles per outlet and meeting (n = 2 articles)" in svg
    assert "Filters: outlets: Euromaidan Press" in svg
    assert "made with Narratives" in svg
