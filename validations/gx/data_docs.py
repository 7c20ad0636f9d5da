"""Data Docs that open offline: the CDN links of the generated pages point to local copies.

Great Expectations' page templates load Bootstrap, jQuery, Font Awesome, bootstrap-table,
bootstrap-datepicker, a dark theme and Vega from CDNs, and its logo from S3. Without network the
pages render unstyled and the index lists nothing (bootstrap-table draws it). Each link is
rewritten to a copy under `static/vendor/` of the docs folder (XStatic packages from PyPI, and
bootstrap-table kept in `validations/gx/static/`); what has no local copy (the optional dark
theme; Vega, which no page of these suites draws with) is dropped, so no request leaves the
machine.
"""

from __future__ import annotations

import importlib
import re
import shutil
from importlib.resources import as_file, files
from pathlib import Path

# Package data of validations.gx (pyproject.toml), on the file system in a wheel as in a checkout.
with as_file(files("validations.gx") / "static") as _static:
    STATIC = Path(_static).resolve()
VENDOR = "static/vendor"

# URL pattern -> file under the docs folder, or None: drop the tag.
REWRITES: tuple[tuple[re.Pattern[str], str | None], ...] = tuple(
    (re.compile(pattern), target)
    for pattern, target in (
        (
            r"/bootstrap/4\.[\d.]+/css/bootstrap(\.min)?\.css$",
            f"{VENDOR}/bootstrap/bootstrap.min.css",
        ),
        # Bootstrap's bundle includes Popper, so Popper's own tag goes.
        (
            r"/bootstrap/4\.[\d.]+/js/bootstrap(\.min)?\.js$",
            f"{VENDOR}/bootstrap/bootstrap.bundle.min.js",
        ),
        (r"/popper\.js/1\.[\d.]+/", None),
        (r"//code\.jquery\.com/jquery-3\.[\d.]+(\.min)?\.js$", f"{VENDOR}/jquery/jquery.min.js"),
        (
            r"/font-awesome/6\.[\d.]+/css/all(\.min)?\.css$",
            f"{VENDOR}/font-awesome/css/all.min.css",
        ),
        (
            r"/bootstrap-table@1\.19\.\d+/dist/bootstrap-table(\.min)?\.(?P<ext>css|js)$",
            f"{VENDOR}/bootstrap-table/bootstrap-table.min.{{ext}}",
        ),
        (
            r"/bootstrap-table@1\.19\.\d+/dist/extensions/filter-control/"
            r"bootstrap-table-filter-control(\.min)?\.(?P<ext>css|js)$",
            f"{VENDOR}/bootstrap-table/extensions/filter-control/"
            "bootstrap-table-filter-control.min.{ext}",
        ),
        (
            r"/bootstrap-datepicker/1\.[\d.]+/css/bootstrap-datepicker(\.min)?\.css$",
            f"{VENDOR}/bootstrap-datepicker/bootstrap-datepicker3.standalone.css",
        ),
        (
            r"/bootstrap-datepicker/1\.[\d.]+/js/bootstrap-datepicker(\.min)?\.js$",
            f"{VENDOR}/bootstrap-datepicker/bootstrap-datepicker.js",
        ),
        # The logos (light and dark) come from S3; the package ships the light one.
        (r"great-expectations-web-assets\.[^/]+/[\w-]+\.png", "static/images/logo-long.png"),
    )
)
TAG = re.compile(r"<(script|link|img)\b([^>]*)>(\s*</script>)?", re.IGNORECASE)
URL_ATTRIBUTE = re.compile(r"""\b(?:src|href)\s*=\s*["'](https?://[^"']+)["']""", re.IGNORECASE)
# GX links the favicon one folder short from validation pages.
FAVICON = re.compile(r'href="[./]*static/images/favicon\.ico"')
CSS_URL = re.compile(r"""url\(\s*['"]?(https?://[^'")]+)['"]?\s*\)""")


def _xstatic(name: str) -> Path:
    return Path(importlib.import_module(f"xstatic.pkg.{name}").BASE_DIR)


def _vendor_files() -> dict[str, Path]:
    """Folder under static/vendor -> (file or folder) to copy there."""
    bootstrap, fa = _xstatic("bootstrap"), _xstatic("font_awesome")
    datepicker = _xstatic("bootstrap_datepicker")
    return {
        "bootstrap/bootstrap.min.css": bootstrap / "css" / "bootstrap.min.css",
        "bootstrap/bootstrap.bundle.min.js": bootstrap / "js" / "bootstrap.bundle.min.js",
        "jquery/jquery.min.js": _xstatic("jquery") / "jquery.min.js",
        "font-awesome/css/all.min.css": fa / "css" / "all.min.css",
        "font-awesome/webfonts": fa / "webfonts",
        "font-awesome/LICENSE.txt": fa / "LICENSE.txt",
        "bootstrap-datepicker/bootstrap-datepicker.js": datepicker / "bootstrap-datepicker.js",
        "bootstrap-datepicker/bootstrap-datepicker3.standalone.css": (
            datepicker / "bootstrap-datepicker3.standalone.css"
        ),
        "bootstrap-table": STATIC / "bootstrap-table-1.19.1",
    }


def copy_vendor_files(docs_dir: Path) -> None:
    """The local copies the rewritten pages link to."""
    for target, source in _vendor_files().items():
        destination = docs_dir / VENDOR / target
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, destination, dirs_exist_ok=True)
        else:
            shutil.copyfile(source, destination)


def local_target(url: str) -> str | None:
    """The docs-relative file replacing `url`, or None when the tag is dropped."""
    for pattern, target in REWRITES:
        match = pattern.search(url)
        if match:
            return target.format(**match.groupdict()) if target else None
    return None  # unknown remote resource: never fetched


def rewrite_page(html: str, root: str) -> str:
    """Point every remote script, stylesheet and image of a page at its local copy.

    `root` is the relative path from the page to the docs folder ("" or "../../").
    """

    def replace(tag: re.Match[str]) -> str:
        url_match = URL_ATTRIBUTE.search(tag.group(2))
        if not url_match:
            return tag.group(0)
        target = local_target(url_match.group(1))
        if target is None:
            return ""
        kind = tag.group(1).lower()
        if kind == "script":  # drops integrity/crossorigin: they pin the CDN's bytes
            return f'<script src="{root}{target}"></script>'
        if kind == "link":
            return f'<link rel="stylesheet" href="{root}{target}">'
        return tag.group(0).replace(url_match.group(1), f"{root}{target}")

    html = FAVICON.sub(f'href="{root}static/images/favicon.ico"', html)
    return TAG.sub(replace, html)


def rewrite_stylesheet(css: str, root: str) -> str:
    """Remote url(...) in a stylesheet: a local copy, or nothing."""

    def replace(match: re.Match[str]) -> str:
        target = local_target(match.group(1))
        return f"url('{root}{target}')" if target else "none"

    return CSS_URL.sub(replace, css)


def make_offline(docs_dir: Path) -> None:
    """Copy the vendor files into `docs_dir` and rewrite every page and stylesheet to them."""
    copy_vendor_files(docs_dir)
    for page in docs_dir.rglob("*.html"):
        root = "../" * (len(page.relative_to(docs_dir).parts) - 1)
        html = rewrite_stylesheet(rewrite_page(page.read_text(encoding="utf-8"), root), root)
        page.write_text(html, encoding="utf-8")  # pages carry inline styles too
    for sheet in (docs_dir / "static" / "styles").glob("*.css"):
        root = "../../"
        sheet.write_text(rewrite_stylesheet(sheet.read_text(encoding="utf-8"), root), "utf-8")


def remote_resources(text: str) -> list[str]:
    """Remote URLs a page or stylesheet would load (links a user may click are not loads)."""
    found = [u for t in TAG.finditer(text) for u in URL_ATTRIBUTE.findall(t.group(2))]
    return found + CSS_URL.findall(text)
