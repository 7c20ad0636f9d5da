"""Data Docs in published/quality/: built by every run, styled, and loading nothing remote."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser import CHROMIUM, CHROMIUM_FLAGS
from validations.gx.data_docs import remote_resources, rewrite_page, rewrite_stylesheet
from validations.gx.rules import TABLES

PUBLIC_RULES = [t for t in TABLES if not t.restricted]

LOCAL_REFERENCE = re.compile(
    r"""<(?:script|link|img)\b[^>]*?(?:src|href)="(?!https?:|#)([^"]+)\""""
)


def test_cdn_tags_become_local_and_lose_their_integrity_pin():
    page = (
        '<link rel="stylesheet" href="https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/'
        'bootstrap.min.css"/>\n'
        '<script src="https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js" '
        'integrity="sha384-x" crossorigin="anonymous"></script>\n'
        '<script src="https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js">'
        "</script>\n"
        '<script src="https://cdn.jsdelivr.net/npm/vega@5"></script>\n'
        '<a href="https://greatexpectations.io">a link is not a load</a>'
    )
    rewritten = rewrite_page(page, "../../")
    assert remote_resources(rewritten) == []
    assert '<link rel="stylesheet" href="../../static/vendor/bootstrap/bootstrap.min.css">' in (
        rewritten
    )
    assert '<script src="../../static/vendor/bootstrap/bootstrap.bundle.min.js"></script>' in (
        rewritten
    )
    assert "popper" not in rewritten and "vega" not in rewritten and "integrity" not in rewritten
    assert 'href="https://greatexpectations.io"' in rewritten


def test_remote_images_in_styles_become_local():
    css = ".navbar-brand a { background: url('https://great-expectations-web-assets.s3.x/a.png') }"
    assert rewrite_stylesheet(css, "../../") == (
        ".navbar-brand a { background: url('../../static/images/logo-long.png') }"
    )


@pytest.mark.slow
def test_every_run_writes_offline_data_docs(published_home: Path):
    quality = published_home / "published" / "quality"
    assert (quality / "index.html").is_file()
    pages = list(quality.rglob("*.html"))
    # index, a suite page and a validation page per public table
    assert len(pages) >= 1 + 2 * len(PUBLIC_RULES)
    for path in [*pages, *quality.rglob("*.css")]:
        text = path.read_text(encoding="utf-8")
        assert remote_resources(text) == [], path
        for reference in LOCAL_REFERENCE.findall(text):
            assert (path.parent / reference).resolve().is_file(), (path, reference)


@pytest.mark.slow
def test_data_docs_render_styled_in_a_browser_without_network(published_home: Path, tmp_path):
    from playwright.sync_api import sync_playwright

    index = published_home / "published" / "quality" / "index.html"
    requests: list[str] = []
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("request", lambda request: requests.append(request.url))
            page.on("requestfailed", lambda request: problems.append(request.url))
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.goto(index.as_uri())
            page.wait_for_load_state("load")
            page.screenshot(path=str(tmp_path / "data-docs.png"))
            # bootstrap-table drew one row per validated table, Bootstrap styles the page and
            # Font Awesome's font is there for the status icons.
            rows = page.locator("#section-1-content-block-2-1-body-table tbody tr").count()
            font = page.evaluate("getComputedStyle(document.body).fontFamily")
            button = page.evaluate(
                "getComputedStyle(document.querySelector('.btn-secondary')).backgroundColor"
            )
            icons = page.evaluate("document.fonts.check('900 16px \"Font Awesome 6 Free\"')")
        finally:
            browser.close()
    assert [r for r in requests if not r.startswith("file://")] == []
    assert problems == []
    assert rows == len(PUBLIC_RULES)  # the restricted tables have their own site
    assert "Segoe UI" in font  # Bootstrap 4's font stack, not the browser default
    assert button == "rgb(108, 117, 125)"  # Bootstrap's secondary grey
    assert icons
    assert (tmp_path / "data-docs.png").stat().st_size > 10_000
