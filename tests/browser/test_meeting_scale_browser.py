"""A meeting covered by eleven outlets in three groups, in a real headless Chromium: the
coverage spread, the outlets at a glance, the blind spots, and their drill-downs."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from tests.browser.conftest import screenshot, serve
from tests.browser.test_dashboard_browser import _no_error_on, _wait_for_app
from tests.scale_corpus import write_scale_corpus

#: Height of a table row and of its header in Streamlit's data grid, in pixels.
ROW = 35


def _grid_rows(page, key: str) -> list[list[str]]:
    """The cells of every row of table ``key`` as the grid gives them to screen readers.

    The grid writes its cells into the page (hidden, for screen readers) only once it has
    been scrolled into view; a selection box is not a cell.
    """
    grid = page.locator(f".st-key-{key} [data-testid='stDataFrame']")
    grid.scroll_into_view_if_needed()
    rows = grid.locator("[role='rowgroup'] [role='row']:has([role='gridcell'])")
    rows.first.wait_for(state="attached", timeout=30_000)
    return [
        [(cell.text_content() or "").strip() for cell in row.locator("[role='gridcell']").all()]
        for row in rows.all()
    ]


def _headers(page, key: str) -> list[str]:
    """The column headings of table ``key`` (read after :func:`_grid_rows`)."""
    grid = page.locator(f".st-key-{key} [data-testid='stDataFrame']")
    return [(h.text_content() or "").strip() for h in grid.locator("[role='columnheader']").all()]


def _select_row(page, key: str, position: int) -> None:
    """Tick the selection box of row ``position`` (0 is the first) of table ``key``."""
    grid = page.locator(f".st-key-{key} [data-testid='stDataFrame']")
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 12, box["y"] + ROW + ROW // 2 + ROW * position)


def _query(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def test_a_meeting_of_eleven_outlets_in_three_groups(browser, tmp_path_factory):
    corpus = write_scale_corpus(tmp_path_factory.mktemp("scale") / "corpus")
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        with serve(corpus, tmp_path_factory) as url:
            page.goto(f"{url}/meeting?mt_meeting=2015-05-sochi")
            _wait_for_app(page, "Meeting side by side")
            page.get_by_text("Who covered it: 13 articles from 11 outlets in 3 groups").wait_for()
            segments = page.locator(".st-key-mt_spread .bartext")
            segments.first.wait_for(timeout=60_000)
            assert [s.text_content() for s in segments.all()] == [
                "Ukrainian: 5 (38%)",
                "pro-Kremlin: 5 (38%)",
                "unassigned: 3 (23%)",
            ]
            page.get_by_text("fewer than 5 articles: unassigned (3)").wait_for()

            glance = [row[:3] for row in _grid_rows(page, "mt_glance")]
            assert _headers(page, "mt_glance")[:3] == ["outlet", "group", "articles"]
            assert glance == [
                ["Kyiv Daily", "Ukrainian", "2"],
                ["Lviv Courier", "Ukrainian", "1"],
                ["Odesa Herald", "Ukrainian", "1"],
                ["Kharkiv Times", "Ukrainian", "1"],
                ["Moscow Wire", "pro-Kremlin", "2"],
                ["Volga Review", "pro-Kremlin", "1"],
                ["Neva Post", "pro-Kremlin", "1"],
                ["Ural Voice", "pro-Kremlin", "1"],
                ["Tidewater Gazette", "unassigned", "1"],
                ["Prairie Ledger", "unassigned", "1"],
                ["Harbour News", "unassigned", "1"],
            ]

            blind = _grid_rows(page, "mt_blind")
            assert _headers(page, "mt_blind") == [
                "left out", "group", "its articles on the meeting", "covered by",
                "their articles",
            ]  # fmt: skip
            assert blind == [
                [
                    "the whole meeting",
                    "think tank",
                    "0",
                    "Ukrainian; pro-Kremlin; unassigned",
                    "13",
                ],
                ["Iran", "Ukrainian", "5", "unassigned", "3"],
                ["Sanctions", "Ukrainian", "5", "pro-Kremlin", "5"],
                ["Syria", "Ukrainian", "5", "pro-Kremlin; unassigned", "8"],
                ["Crimea", "pro-Kremlin", "5", "Ukrainian", "5"],
                ["Iran", "pro-Kremlin", "5", "unassigned", "3"],
                ["Minsk agreements", "pro-Kremlin", "5", "Ukrainian", "5"],
                ["Crimea", "unassigned", "3", "Ukrainian", "5"],
                ["Minsk agreements", "unassigned", "3", "Ukrainian", "5"],
                ["Sanctions", "unassigned", "3", "pro-Kremlin", "5"],
                ["Ukraine", "unassigned", "3", "Ukrainian; pro-Kremlin", "10"],
            ]
            # Eleven outlets are too many for a column each: the groups stand side by side.
            page.get_by_role("heading", name="Group: unassigned").wait_for()
            _no_error_on(page)
            screenshot(page, "meeting-at-scale")

            # Crimea, left out by pro-Kremlin: the five Ukrainian articles that name it.
            _select_row(page, "mt_blind", 4)
            page.wait_for_url(lambda u: "mt_blind=crimea" in u, timeout=60_000)
            assert _query(page)["mt_blind"] == ["crimea|pro-Kremlin"]
            page.locator(".st-key-mt_blind_drill").wait_for(state="attached", timeout=60_000)
            drilled = _grid_rows(page, "mt_blind_drill")
            assert sorted(row[0] for row in drilled) == sorted(
                [f"{name} on Sochi, part {n}" for name, n in (
                    ("Kyiv Daily", 1), ("Kyiv Daily", 2), ("Lviv Courier", 1),
                    ("Odesa Herald", 1), ("Kharkiv Times", 1),
                )]
            )  # fmt: skip
            _no_error_on(page)
            screenshot(page, "meeting-at-scale-blind-spot")

            # A click on the coverage bar's third segment lists the unassigned outlets' articles.
            bar = page.locator(".st-key-mt_spread .barlayer .point")
            bar.nth(2).scroll_into_view_if_needed()
            bar.nth(2).click(force=True)
            page.wait_for_url(lambda u: "mt_spread=unassigned" in u, timeout=60_000)
            page.locator(".st-key-mt_spread_drill").wait_for(state="attached", timeout=60_000)
            assert sorted(row[1] for row in _grid_rows(page, "mt_spread_drill")) == [
                "Harbour News", "Prairie Ledger", "Tidewater Gazette",
            ]  # fmt: skip
            _no_error_on(page)
    finally:
        context.close()
