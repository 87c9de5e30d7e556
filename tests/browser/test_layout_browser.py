"""Every page at 800 px wide in the dark theme, in a real headless Chromium: nothing overlaps,
nothing sticks out of the page, every chart's title, axis titles and (Plotly's) tick labels lie
inside its figure, and its text can be read against what it is drawn on."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_dashboard_browser import _no_error_on, _wait_for_app

#: Each page (with the views that draw the widest charts and tables) and its title.
VIEWS = {
    "": "Overview",
    "attention": "Attention over time",
    "search?se_query=sanctions": "Search",
    "meeting": "Meeting side by side",
    "contrasts?tc_search=putin": "Term contrasts",
    "contrasts?tc_mode=A+against+B&tc_a=osw&tc_b=robinwestenra-blog": "Term contrasts",
    "stance": "Stance and framing",
    "stance?sf_tab=Agenda": "Stance and framing",
    "stance?sf_tab=Frames": "Stance and framing",
    "stance?sf_tab=Sources": "Stance and framing",
    "stance?sf_tab=Stance+over+time": "Stance and framing",
    "reader": "Reader",
    "corpus": "Corpus",
}

#: What is wrong with the page as laid out, one line per problem (empty when nothing is).
_PROBLEMS = r"""() => {
  const problems = [];
  const main = document.querySelector("[data-testid='stMain']");
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width + 1)
    problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
  if (main.scrollWidth > main.clientWidth + 1)
    problems.push(`the main area scrolls sideways: ${main.scrollWidth} > ${main.clientWidth}`);
  const area = main.getBoundingClientRect();
  const shown = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== "hidden";
  };
  const name = (el) => el.getAttribute("data-testid") + " " + (el.className || "").toString()
    .split(" ").filter((c) => c.startsWith("st-key-")).join(" ");
  for (const block of main.querySelectorAll("[data-testid='stVerticalBlock']")) {
    const children = [...block.children].filter(shown);
    children.sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
    for (let k = 1; k < children.length; k++) {
      const above = children[k - 1].getBoundingClientRect();
      const below = children[k].getBoundingClientRect();
      const side = below.left >= above.right - 1 || below.right <= above.left + 1;
      if (below.top < above.bottom - 1 && !side)
        problems.push(`${name(children[k])} overlaps ${name(children[k - 1])} by ` +
                      `${Math.round(above.bottom - below.top)} px`);
    }
  }
  for (const row of main.querySelectorAll("[data-testid='stHorizontalBlock']")) {
    const columns = [...row.children].filter(shown);
    for (let k = 1; k < columns.length; k++) {
      const left = columns[k - 1].getBoundingClientRect();
      const right = columns[k].getBoundingClientRect();
      if (right.left < left.right - 1 && right.top < left.bottom - 1)
        problems.push(`columns overlap by ${Math.round(left.right - right.left)} px`);
    }
  }
  for (const el of main.querySelectorAll("[data-testid='stElementContainer']")) {
    if (!shown(el)) continue;
    const box = el.getBoundingClientRect();
    if (box.right > area.right + 1 || box.left < area.left - 1)
      problems.push(`${name(el)} sticks out of the main area: ` +
                    `${Math.round(box.left)}..${Math.round(box.right)} of ` +
                    `${Math.round(area.left)}..${Math.round(area.right)}`);
  }
  const titles = {
    "stPlotlyChart": [".main-svg",
                      ".gtitle, .xtitle, .ytitle, .xtick text, .ytick text, .annotation-text"],
    "stVegaLiteChart": ["svg.marks", ".role-title-text text, .role-axis-title text"],
  };
  for (const [kind, [frameOf, titlesOf]] of Object.entries(titles))
  for (const chart of main.querySelectorAll(`[data-testid='${kind}']`)) {
    const svg = chart.querySelector(frameOf);
    if (!svg || !shown(chart)) continue;
    const frame = svg.getBoundingClientRect();
    for (const text of chart.querySelectorAll(titlesOf)) {
      const box = text.getBoundingClientRect();
      if (box.width === 0) continue;
      if (box.left < frame.left - 1 || box.right > frame.right + 1 ||
          box.top < frame.top - 1 || box.bottom > frame.bottom + 1)
        problems.push(`'${text.textContent.slice(0, 60)}' is cut by its chart ` +
                      `(${Math.round(box.left)}..${Math.round(box.right)} of ` +
                      `${Math.round(frame.left)}..${Math.round(frame.right)})`);
    }
  }
  // Names of rows or columns a Vega-Lite chart hid because they ran into each other (a
  // time axis thins its ticks instead, and loses nothing).
  for (const chart of main.querySelectorAll("[data-testid='stVegaLiteChart']")) {
    if (!shown(chart)) continue;
    for (const axis of chart.querySelectorAll("g.role-axis")) {
      if (!(axis.getAttribute("aria-label") || "").includes("discrete scale")) continue;
      for (const label of axis.querySelectorAll(".role-axis-label text")) {
        if (getComputedStyle(label).opacity === "0" || label.getAttribute("opacity") === "0")
          problems.push(`axis label '${label.textContent.slice(0, 60)}' is hidden`);
      }
    }
  }
  // Chart text too faint to read on what it is drawn on: under 3:1, the least WCAG allows
  // for large text and the parts of a chart. A Vega-Lite text mark inside a filled cell is
  // read against the cell, any other chart text against the page.
  const rgb = (colour) => {
    const found = (colour || "").match(/rgba?\(([^)]+)\)/);
    if (!found) return null;
    const [r, g, b, a = 1] = found[1].split(",").map(Number);
    return { r, g, b, a };
  };
  const over = (top, under) => ({
    r: top.r * top.a + under.r * (1 - top.a),
    g: top.g * top.a + under.g * (1 - top.a),
    b: top.b * top.a + under.b * (1 - top.a), a: 1,
  });
  const luminance = ({ r, g, b }) => [r, g, b]
    .map((c) => c / 255)
    .map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
    .reduce((sum, c, k) => sum + c * [0.2126, 0.7152, 0.0722][k], 0);
  const contrast = (x, y) => {
    const [light, dark] = [luminance(x), luminance(y)].sort((p, q) => q - p);
    return (light + 0.05) / (dark + 0.05);
  };
  const page = rgb(getComputedStyle(document.querySelector("[data-testid='stApp']"))
    .backgroundColor);
  // The filled, visible cell of the chart whose box holds the middle of ``text``.
  const cellUnder = (text) => {
    const box = text.getBoundingClientRect();
    const x = box.left + box.width / 2, y = box.top + box.height / 2;
    const chart = text.closest("svg.marks");
    for (const cell of chart.querySelectorAll(".mark-rect path")) {
      const style = getComputedStyle(cell);
      const fill = rgb(style.fill);
      if (!fill || fill.a === 0 || style.opacity === "0" || style.fillOpacity === "0") continue;
      const hit = cell.getBoundingClientRect();
      if (x >= hit.left && x <= hit.right && y >= hit.top && y <= hit.bottom) return fill;
    }
    return null;
  };
  const chartTexts = "[data-testid='stVegaLiteChart'] svg.marks text, " +
    "[data-testid='stPlotlyChart'] :is(.gtitle, .xtitle, .ytitle, .legendtext), " +
    "[data-testid='stPlotlyChart'] :is(.xtick, .ytick) text";
  for (const text of main.querySelectorAll(chartTexts)) {
    if (!page || !shown(text) || !text.textContent.trim()) continue;
    const style = getComputedStyle(text);
    const ink = rgb(style.fill);
    if (!ink || style.opacity === "0") continue;
    ink.a *= Number(style.fillOpacity || 1);
    const ground = (text.closest(".mark-text") && cellUnder(text)) || page;
    const ratio = contrast(over(ink, ground), ground);
    if (ratio < 3)
      problems.push(`'${text.textContent.slice(0, 40)}' is faint: ${style.fill} on ` +
                    `rgb(${ground.r}, ${ground.g}, ${ground.b}), ${ratio.toFixed(2)}:1`);
  }
  // Figures and button labels cut short with an ellipsis.
  const labels = "[data-testid='stMetricValue'], [data-testid='stMetricValue'] *, button, button *";
  for (const el of main.querySelectorAll(labels)) {
    if (shown(el) && el.scrollWidth > el.clientWidth + 1)
      problems.push(`'${el.textContent.slice(0, 60)}' is cut short`);
  }
  for (const grid of main.querySelectorAll("[data-testid='stDataFrame']")) {
    const box = grid.getBoundingClientRect();
    const parent = grid.parentElement.getBoundingClientRect();
    if (box.right > parent.right + 1)
      problems.push(`a table is wider than its container: ${box.right} > ${parent.right}`);
  }
  return problems;
}"""


@pytest.fixture
def narrow_dark_page(browser, dashboard_url):
    context = browser.new_context(
        viewport={"width": 800, "height": 1000}, color_scheme="dark", accept_downloads=True
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize(("path", "title"), VIEWS.items())
def test_every_page_is_usable_at_800_px_in_the_dark_theme(
    narrow_dark_page, dashboard_url, path, title
):
    page = narrow_dark_page
    page.goto(f"{dashboard_url}/{path}")
    _wait_for_app(page, title)
    _no_error_on(page)
    # The dark theme is in force (Streamlit follows the system's colour scheme).
    background = page.evaluate(
        "getComputedStyle(document.querySelector('[data-testid=stApp]')).backgroundColor"
    )
    assert background != "rgb(255, 255, 255)"
    if page.locator("[data-testid='stPlotlyChart']").count():
        page.locator("[data-testid='stPlotlyChart'] .main-svg").first.wait_for(timeout=60_000)
    if page.locator("[data-testid='stVegaLiteChart']").count():
        page.locator("[data-testid='stVegaLiteChart'] svg.marks").first.wait_for(timeout=60_000)
    name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "overview"
    screenshot(page, f"narrow-dark-{name}")
    assert page.evaluate(_PROBLEMS) == []
