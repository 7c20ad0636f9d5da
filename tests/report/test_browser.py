"""The report in headless Chromium: nothing loads from the network, the key texts and charts
show, and the page is not blank. Debian's chromium, driven by playwright (never
`playwright install`); the report is built from the small published sample, not a pipeline run."""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

import pytest

from cxbench.report.build import publish_report
from cxbench.settings import DataHome
from tests.browser import CHROMIUM, CHROMIUM_FLAGS

KEY_TEXTS = ("Net Promoter Score", "Groothandel", "Industrie", "klagen", "topperformers")

# Colour statistics of a screenshot, computed by the browser itself from a data: URL (no
# imaging library needed): distinct colours in a sample of pixels and their brightness spread.
PIXEL_STATS = """async (png) => {
  const image = new Image();
  image.src = "data:image/png;base64," + png;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.width; canvas.height = image.height;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const data = context.getImageData(0, 0, image.width, image.height).data;
  const colours = new Set(); let sum = 0, squares = 0, n = 0;
  for (let i = 0; i < data.length; i += 4 * 7) {
    colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    const grey = (data[i] + data[i + 1] + data[i + 2]) / 3;
    sum += grey; squares += grey * grey; n += 1;
  }
  const mean = sum / n;
  return {colours: colours.size, sd: Math.sqrt(squares / n - mean * mean)};
}"""


@pytest.fixture
def report_page(published_home: Path, tmp_path: Path) -> Path:
    root = tmp_path / "home"
    shutil.copytree(published_home, root)
    return publish_report(DataHome(root))[0]


def test_report_renders_offline_in_chromium(report_page: Path, tmp_path: Path):
    from playwright.sync_api import sync_playwright

    requested: list[str] = []

    def guard(route):
        requested.append(route.request.url)
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.route("**/*", guard)
            page.goto(report_page.as_uri(), wait_until="load")
            full = tmp_path / "report.png"
            page.screenshot(path=str(full), full_page=True)
            viewport_png = page.screenshot()

            text = page.locator("body").inner_text()
            charts = page.locator("main svg[data-chart]")
            sizes = [charts.nth(i).bounding_box() for i in range(charts.count())]
            stats = page.evaluate(PIXEL_STATS, base64.b64encode(viewport_png).decode())
        finally:
            browser.close()

    assert requested and all(url.startswith("file://") for url in requested), requested
    for expected in KEY_TEXTS:
        assert expected in text, expected
    assert len(sizes) >= 5
    assert all(box and box["width"] > 300 and box["height"] > 100 for box in sizes)
    assert full.stat().st_size > 50_000
    assert stats["colours"] > 20 and stats["sd"] > 10, stats
