"""The running dashboard in a real headless Chromium: every page, filters in the URL, downloads,
drill-down, and an upload full of markup that must run nothing."""

from __future__ import annotations

import base64
import csv
import io
import re
import shutil
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from analysis.ingest.importer import import_articles
from analysis.ingest.records import ImportMetadata
from tests.browser.conftest import screenshot, serve
from tests.conftest import REPO, SHIPPED_CORPUS

PAGES = {
    "": "Overview",
    "meeting": "Meeting side by side",
    "contrasts": "Term contrasts",
    "stance": "Stance and framing",
    "reader": "Reader",
    "corpus": "Corpus",
}
SOCHI_TEXT = (
    "Secretary of State John Kerry met Vladimir Putin in Sochi on Tuesday. The two men "
    "discussed Ukraine, the Minsk agreements and Syria for four hours.\n\n"
    "Kerry said the sanctions would stay until the Minsk agreements are carried out in full.\n"
)
HOSTILE = (
    "Kerry and Putin in Sochi <script>window.__pwned=1</script>\n\n"
    "Secretary of State John Kerry met Vladimir Putin in Sochi to discuss Ukraine and Syria. "
    '<img src=x onerror="window.__pwned=2"> The talks at Bocharov Ruchey lasted four hours. '
    '<a href="javascript:window.__pwned=3">Read more</a> and [click](javascript:window.__pwned=4)\n'
)


def _wait_for_app(page, title: str) -> None:
    page.wait_for_selector("[data-testid='stApp']", timeout=60_000)
    page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=60_000)
    page.wait_for_selector("text=Filters in force", timeout=60_000)
    page.wait_for_load_state("networkidle")
    # Wait for the script run to finish, then give charts and grids a frame to paint.
    page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=60_000)
    page.wait_for_timeout(800)


def _no_error_on(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0


@pytest.mark.parametrize(("path", "title"), PAGES.items())
def test_every_page_renders(page, dashboard_url, path, title):
    page.goto(f"{dashboard_url}/{path}")
    _wait_for_app(page, title)
    _no_error_on(page)
    assert page.get_by_text("Filters in force: all articles").first.is_visible()
    screenshot(page, f"page-{path or 'overview'}")


def test_no_page_asks_another_server_for_anything(page, dashboard_url):
    """Every page, opened in turn, loads only from the dashboard: no usage statistics posted,
    no icon fetched from a font server (an offline machine cannot reach one, and an analyst
    of sensitive coverage may not want anyone told what they open), no Deploy button."""
    elsewhere: list[str] = []
    origin = urlparse(dashboard_url).netloc

    def note(request) -> None:
        address = urlparse(request.url)
        if address.scheme not in ("data", "blob") and address.netloc != origin:
            elsewhere.append(request.url)

    page.context.on("request", note)
    for path, title in [*PAGES.items(), ("attention", "Attention over time"), ("search", "Search")]:
        page.goto(f"{dashboard_url}/{path}")
        _wait_for_app(page, title)
    assert elsewhere == []
    # No button offers to publish the dashboard on Streamlit's cloud.
    assert page.locator("[data-testid='stAppDeployButton']").count() == 0
    # The tab's icon is the dashboard's own, written into the page.
    icon = page.locator("link[rel='shortcut icon']").get_attribute("href") or ""
    kind, _, encoded = icon.partition(",")
    assert kind == "data:image/svg+xml;base64"
    assert base64.b64decode(encoded) == (REPO / "dashboard" / "icon.svg").read_bytes()


def test_a_filter_changes_the_chart_and_the_url_and_survives_a_page_switch(page, dashboard_url):
    page.goto(dashboard_url)
    _wait_for_app(page, "Overview")
    ticks = page.locator(
        ".st-key-ov_coverage g.role-axis[aria-label^='Y-axis'] g.role-axis-label text"
    )
    # The chart draws after the script run has finished: wait for the axis, not a fixed time.
    ticks.first.wait_for(timeout=60_000)
    assert ticks.count() == 4
    sidebar = page.locator("[data-testid='stSidebar']")
    _pick(page, sidebar.locator("[data-testid='stMultiSelect']").first, "Euromaidan Press")
    page.keyboard.press("Escape")
    page.get_by_text("— 2 of 5 articles.").first.wait_for()
    page.wait_for_url(lambda url: "f_outlet=" in url, timeout=60_000)
    assert parse_qs(urlparse(page.url).query)["f_outlet"] == ["euromaidan-press"]
    assert [t.text_content() for t in ticks.all()] == ["Euromaidan Press"]
    screenshot(page, "overview-filtered")

    sidebar.get_by_role("link", name="Term contrasts").click()
    page.get_by_role("heading", name="Term contrasts").wait_for()
    page.get_by_text("— 2 of 5 articles.").first.wait_for()
    # The address is written when the page's run ends, after its content shows.
    page.wait_for_url(lambda url: "f_outlet=" in url, timeout=60_000)
    assert parse_qs(urlparse(page.url).query)["f_outlet"] == ["euromaidan-press"]


def test_a_shared_url_opens_the_same_view(page, dashboard_url):
    page.goto(
        f"{dashboard_url}/contrasts?f_group=pro-Kremlin&f_group=Ukrainian"
        "&tc_by=Outlet+group&tc_group=pro-Kremlin&tc_search=west"
    )
    _wait_for_app(page, "Term contrasts")
    page.get_by_text("groups: pro-Kremlin, Ukrainian — 3 of 5 articles.").first.wait_for()
    page.get_by_text("What sets pro-Kremlin apart from the rest").first.wait_for()
    page.get_by_role("heading", name="Keyword in context").wait_for()
    page.get_by_text(re.compile(r"'west': \d+ occurrences")).first.wait_for()
    _no_error_on(page)
    screenshot(page, "contrasts-shared-url")


def test_downloaded_csv_has_the_rows_shown(page, dashboard_url):
    page.goto(f"{dashboard_url}/?f_meeting=none")
    _wait_for_app(page, "Overview")
    page.get_by_text("— 1 of 5 articles.").first.wait_for()
    open_section(page, "ov_list")
    with page.expect_download() as download_info:
        page.locator(".st-key-ov_articles_csv button").first.click()
    download = download_info.value
    assert download.suggested_filename == "narratives_articles_meeting-none.csv"
    rows = list(csv.DictReader(io.StringIO(download.path().read_text(encoding="utf-8"))))
    assert [row["title"] for row in rows] == [
        "The West has a rare window to put Putin in his place"
    ]


def test_clicking_a_point_drills_down_to_its_articles(page, dashboard_url):
    page.goto(f"{dashboard_url}/?f_outlet=Euromaidan+Press")
    _wait_for_app(page, "Overview")
    timeline = page.locator(".st-key-ov_timeline [data-testid='stVegaLiteChart']")
    timeline.scroll_into_view_if_needed()
    timeline.locator("g.mark-symbol.role-mark path").first.click(force=True)
    page.get_by_role("heading", name="Articles behind your selection").wait_for(timeout=30_000)
    screenshot(page, "overview-drilldown")


def _pick(page, box, option: str, *, type_it: bool = False) -> None:
    """Open ``box`` and click ``option``, retrying while the page still reruns."""
    box.wait_for(state="visible", timeout=30_000)
    for attempt in range(3):
        box.click()
        if type_it:
            box.fill(option)
        choice = page.get_by_role("option", name=option).first
        try:
            choice.wait_for(state="visible", timeout=10_000)
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
            page.wait_for_timeout(1_000)
            continue
        choice.click()
        page.wait_for_timeout(500)
        return


def test_an_upload_with_markup_runs_nothing_and_shows_as_text(page, dashboard_url, browser_corpus):
    page.goto(f"{dashboard_url}/corpus")
    _wait_for_app(page, "Corpus")
    # The outlet comes from the file, so the test does not depend on a select box.
    rows = io.StringIO()
    writer = csv.writer(rows, lineterminator="\n")
    title, body = HOSTILE.split("\n\n", 1)
    writer.writerows([["title", "text", "outlet"], [title, body, "cnn"]])
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(
        files=[
            {"name": "../../evil.csv", "mimeType": "text/csv", "buffer": rows.getvalue().encode()}
        ]
    )
    page.get_by_role("button", name="Preview (dry run)").click()
    page.get_by_text("Would add 1 article. Nothing was written yet.").wait_for(timeout=60_000)
    page.get_by_test_id("stBaseButton-primary").filter(has_text="Import").click()
    page.get_by_text("Added 1 article.").wait_for(timeout=60_000)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert not list(browser_corpus.parent.glob("evil*"))
    screenshot(page, "corpus-after-upload")

    page.goto(f"{dashboard_url}/reader?f_outlet=CNN")
    _wait_for_app(page, "Reader")
    reader = page.locator("[data-testid='narratives-reader-text']")
    reader.wait_for()
    assert "<script>window.__pwned=1</script>" not in reader.inner_html()
    text = reader.inner_text()
    assert '<img src=x onerror="window.__pwned=2">' in text
    assert '<a href="javascript:window.__pwned=3">Read more</a>' in text
    assert "[click](javascript:window.__pwned=4)" in text
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"
    screenshot(page, "reader-hostile-upload")


# Computed colours of the app, its sidebar and headings, and the background layer of each chart.
THEME_COLOURS = """() => {
    const colours = selector => {
        const style = getComputedStyle(document.querySelector(selector));
        return [style.backgroundColor, style.color];
    };
    return {
        app: colours("[data-testid=stApp]"),
        sidebar: colours("[data-testid=stSidebar]"),
        heading: colours("[data-testid=stMain] h1"),
        charts: [
            ...[...document.querySelectorAll("[data-testid=stPlotlyChart]")].map(
                chart => getComputedStyle(chart.querySelector(".main-svg")).backgroundColor
            ),
            ...[...document.querySelectorAll("[data-testid=stVegaLiteChart] svg.marks")].map(
                svg => getComputedStyle(svg).backgroundColor
            ),
        ],
    };
}"""


def _lightness(css_colour: str) -> float:
    """Luma of a computed colour such as ``rgb(23, 22, 20)``: 0 is black, 1 is white."""
    red, green, blue = (int(part) / 255 for part in re.findall(r"\d+", css_colour)[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


@pytest.mark.parametrize("path", ["", "contrasts", "reader"])
def test_dark_theme_pages(browser, dashboard_url, path):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, color_scheme="dark")
    page = context.new_page()
    try:
        page.goto(f"{dashboard_url}/{path}")
        _wait_for_app(page, PAGES[path])
        _no_error_on(page)
        colours = page.evaluate(THEME_COLOURS)
        screenshot(page, f"dark-{path or 'overview'}")
    finally:
        context.close()
    for part in ("app", "sidebar"):
        background, text = colours[part]
        assert _lightness(background) < 0.2, f"{part} background {background} is not dark"
        assert _lightness(text) > 0.8, f"{part} text {text} is not light"
    assert _lightness(colours["heading"][1]) > 0.8, f"heading {colours['heading'][1]} is not light"
    for background in colours["charts"]:
        transparent = background == "rgba(0, 0, 0, 0)"
        assert transparent or _lightness(background) < 0.2, f"chart background {background}"


EP_MOSCOW = "euromaidan-press-2015-12-19-putin-got-what-he-really-wanted-from-kerry-meeting"
EP_MOSCOW_TITLE = "Putin got what he really wanted from Kerry meeting"


def _query(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def _reader_shows(page, title: str) -> None:
    page.get_by_role("heading", name="Reader", exact=True).wait_for(timeout=60_000)
    page.get_by_role("heading", name=title).wait_for(timeout=60_000)
    page.locator("[data-testid='narratives-reader-text']").wait_for()
    _no_error_on(page)


def open_section(page, key: str) -> None:
    """Open the closed section ``key`` of the page (drawn only when open), as an analyst does:
    a click on its title; the URL then says it is open."""
    page.locator(f".st-key-{key} summary").first.click()
    page.wait_for_function(f"() => location.search.includes('{key}=open')", timeout=30_000)
    page.locator(f".st-key-{key} [data-testid='stDataFrame']").first.wait_for(timeout=60_000)


def _open_first_row_in_reader(page, article: str) -> None:
    """Select the first row of the page's last table (by its selection box at the grid's left
    edge) and open it in the Reader, which shows the article whose id is ``article``."""
    grid = page.locator("[data-testid='stDataFrame']").last
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 12, box["y"] + 35 + 17)
    page.get_by_role("button", name="Open in the Reader").click(timeout=30_000)
    page.get_by_role("heading", name="Reader", exact=True).wait_for(timeout=60_000)
    page.locator("[data-testid='narratives-reader-text']").wait_for()
    assert _query(page)["rd_article"] == [article]
    _no_error_on(page)


def test_read_on_the_meeting_page_with_filters_opens_the_reader(page, dashboard_url):
    page.goto(
        f"{dashboard_url}/meeting?f_group=Ukrainian&f_years=2015-2015&mt_meeting=2015-12-moscow"
    )
    _wait_for_app(page, "Meeting side by side")
    page.get_by_text("— 2 of ").first.wait_for()
    # An article's own Read button ("Read" is also part of "coverage spread" and "Reader").
    page.locator("[class*='st-key-mt_open_'] button").first.click()
    _reader_shows(page, EP_MOSCOW_TITLE)
    query = _query(page)
    assert query["rd_article"] == [EP_MOSCOW]
    assert query["f_group"] == ["Ukrainian"]
    assert query["f_years"] == ["2015-2015"]
    screenshot(page, "reader-from-meeting")


def test_open_in_the_reader_from_the_overview_with_filters_opens_that_article(page, dashboard_url):
    page.goto(f"{dashboard_url}/?f_outlet=euromaidan-press&f_years=2015-2015")
    _wait_for_app(page, "Overview")
    page.get_by_text("— 2 of ").first.wait_for()
    open_section(page, "ov_list")
    # The first row: the articles are listed newest first.
    _open_first_row_in_reader(page, EP_MOSCOW)
    _reader_shows(page, EP_MOSCOW_TITLE)
    assert _query(page)["f_outlet"] == ["euromaidan-press"]


def test_a_saved_link_shows_the_same_outlets_after_an_import(browser, tmp_path_factory):
    corpus = tmp_path_factory.mktemp("saved-link") / "corpus"
    shutil.copytree(SHIPPED_CORPUS, corpus)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        with serve(corpus, tmp_path_factory) as url:
            page.goto(f"{url}/contrasts")
            _wait_for_app(page, "Term contrasts")
            page.get_by_text("A against B").click()
            page.get_by_text("What sets Euromaidan Press apart from MCU Times").first.wait_for()
            page.wait_for_function("() => location.search.includes('tc_b=')")
            saved = page.url
            assert _query(page)["tc_a"] == ["euromaidan-press"]
            assert _query(page)["tc_b"] == ["mcu-times"]

            report = import_articles(
                [("cnn.txt", SOCHI_TEXT.encode())],
                corpus,
                metadata=ImportMetadata(
                    outlet="cnn", title="Kerry and Putin talk in Sochi", published="2015-05-12",
                    language="en", meetings=("2015-05-sochi",),
                ),
            )  # fmt: skip
            assert len(report.added) == 1

            page.goto(saved)
            _wait_for_app(page, "Term contrasts")
            page.get_by_text("all articles — 6 of 6 articles.").first.wait_for()
            page.get_by_text("What sets Euromaidan Press apart from MCU Times").first.wait_for()
            _no_error_on(page)
            # Without the saved choices the first outlets are now others: the link kept its own.
            page.goto(f"{url}/contrasts?tc_mode=A+against+B")
            _wait_for_app(page, "Term contrasts")
            page.get_by_text("What sets CNN apart from Euromaidan Press").first.wait_for()
    finally:
        context.close()
