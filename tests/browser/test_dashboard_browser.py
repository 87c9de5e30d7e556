"""The running dashboard in a real headless Chromium."""

from __future__ import annotations

import csv
import io

from tests.browser.conftest import screenshot


def _wait_for_app(page) -> None:
    page.wait_for_selector("[data-testid='stApp']", timeout=60_000)
    page.wait_for_selector("text=Filters in force", timeout=60_000)
    page.wait_for_selector("[data-testid='stMultiSelect']", timeout=60_000)
    page.wait_for_selector("[data-testid='stDataFrame']", timeout=60_000)
    page.wait_for_load_state("networkidle")
    # Glide data grids and select boxes paint a frame after they attach.
    page.wait_for_timeout(1_000)


def test_corpus_page_lists_the_articles(page, dashboard_url):
    page.goto(dashboard_url)
    _wait_for_app(page)
    page.get_by_text("All 5 articles pass validation.").wait_for()
    screenshot(page, "corpus")
    assert page.get_by_text("Filters in force: all articles — 5 of 5 articles.").is_visible()


def test_a_shared_url_opens_the_same_filtered_view(page, dashboard_url):
    page.goto(f"{dashboard_url}/?f_outlet=OSW+%E2%80%93+Centre+for+Eastern+Studies")
    _wait_for_app(page)
    page.get_by_text("— 1 of 5 articles.").wait_for()
    screenshot(page, "corpus-filtered")


def test_downloaded_csv_has_the_rows_shown(page, dashboard_url):
    page.goto(f"{dashboard_url}/?f_meeting=none")
    _wait_for_app(page)
    page.get_by_text("— 1 of 5 articles.").wait_for()
    with page.expect_download() as download_info:
        page.get_by_text("Download these 1 articles (CSV)").click()
    content = download_info.value.path().read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert [row["title"] for row in rows] == [
        "The West has a rare window to put Putin in his place"
    ]
