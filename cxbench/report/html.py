"""The report page: one self-contained HTML file (styles inline, charts as inline SVG, system
fonts only), readable on screen and printable to A4."""

from __future__ import annotations

from collections.abc import Sequence

from cxbench.report.i18n import Locale
from cxbench.report.model import Block, DataTable, Figure, Markup, Section
from cxbench.report.svg import esc

STYLE = """
:root { --ink:#1d2433; --muted:#5b6577; --line:#e3e6eb; --accent:#1f5fa8; --fall:#c4541a;
  --paper:#ffffff; --bg:#f4f5f7; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin:0; background:var(--bg); color:var(--ink);
  font: 16px/1.55 "Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif;
  font-variant-numeric: tabular-nums; }
.page { max-width: 980px; margin: 0 auto; background: var(--paper); padding: 48px 50px 64px; }
header.cover { border-bottom: 4px solid var(--accent); padding-bottom: 24px; margin-bottom: 8px; }
.kicker { text-transform: uppercase; letter-spacing: .12em; font-size: 13px; color: var(--accent);
  font-weight: 700; margin: 0 0 6px; }
h1 { font-size: 38px; line-height: 1.15; margin: 0 0 10px; letter-spacing: -.01em; }
.meta { color: var(--muted); margin: 0; font-size: 14px; max-width: none; }
.confidential { background:#fff4e5; border-left:4px solid var(--fall); padding:10px 14px;
  margin: 16px 0 0; font-size: 14px; }
nav.toc { margin: 22px 0 8px; }
nav.toc ol { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 6px; }
nav.toc a { display: inline-block; padding: 4px 11px; border: 1px solid var(--line);
  border-radius: 14px; font-size: 13px; color: var(--ink); text-decoration: none; }
nav.toc a:hover, nav.toc a:focus { border-color: var(--accent); color: var(--accent); }
section { margin-top: 44px; }
h2 { font-size: 26px; margin: 0 0 12px; padding-top: 8px; border-top: 1px solid var(--line); }
h2 .num { color: var(--accent); margin-right: 10px; }
h3 { font-size: 18px; margin: 26px 0 8px; }
h3.market { margin-top: 18px; font-size: 16px; text-transform: uppercase; letter-spacing: .06em;
  color: var(--muted); }
p { margin: 0 0 12px; max-width: 72ch; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(190px, 1fr)); gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; }
.card-label { font-size: 13px; color: var(--muted); font-weight: 600; }
.card-value { font-size: 32px; font-weight: 700; line-height: 1.2; margin: 4px 0; }
.card-value.small { font-size: 24px; white-space: nowrap; padding: 4px 0 3px; }
.card-detail { font-size: 13px; color: var(--muted); }
ul.findings { padding-left: 20px; margin: 0; max-width: 76ch; }
ul.findings li { margin-bottom: 6px; }
figure { margin: 22px 0 30px; }
figure h3 { margin: 0 0 10px; font-size: 17px; }
figure svg { display: block; width: 100%; height: auto; max-width: 880px; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 6px; }
figcaption a { color: var(--muted); }
details { margin-top: 8px; }
summary { cursor: pointer; color: var(--accent); font-size: 14px; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; margin: 10px 0 18px; }
caption { text-align: left; font-weight: 600; padding: 4px 0 8px; color: var(--ink); }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left;
  vertical-align: top; }
th { font-weight: 600; color: var(--muted); border-bottom: 2px solid #cfd4db; }
td.num, th.num { text-align: right; }
td.num { white-space: nowrap; }
tbody tr:nth-child(even) { background: #fafbfc; }
.suppressed { font-style: italic; color: var(--muted); background: repeating-linear-gradient(
  45deg, #f3f4f6, #f3f4f6 4px, #e4e7eb 4px, #e4e7eb 6px); padding: 1px 6px; border-radius: 3px; }
.rise { color: var(--accent); font-weight: 700; }
.fall { color: var(--fall); font-weight: 700; }
footer { margin-top: 48px; padding-top: 16px; border-top: 1px solid var(--line);
  color: var(--muted); font-size: 13px; }
@media (max-width: 700px) { .page { padding: 24px 16px; } h1 { font-size: 28px; } }
@media print {
  body { background: #fff; } .page { padding: 0; max-width: none; }
  nav.toc { display: none; } section { break-before: page; } figure { break-inside: avoid; }
  details { display: block; } details > summary { display: none; }
  @page { size: A4; margin: 16mm; }
}
"""


def render_table(table: DataTable) -> str:
    def cell(tag: str, index: int, value: str) -> str:
        end = len(table.headers) if table.numeric_to is None else table.numeric_to
        css = ' class="num"' if table.numeric_from <= index < end else ""
        content = value if isinstance(value, Markup) else esc(value)
        return f"<{tag}{css}>{content}</{tag}>"

    caption = f"<caption>{esc(table.caption)}</caption>" if table.caption else ""
    head = "".join(cell("th", i, h) for i, h in enumerate(table.headers))
    body = "".join(
        "<tr>" + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>"
        for row in table.rows
    )
    return (
        f'<div class="table-wrap"><table>{caption}<thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def render_figure(figure: Figure, loc: Locale, link_images: bool) -> str:
    link = (
        f' · <a href="{esc(figure.slug)}.svg" download>{esc(loc.t("download_svg"))}</a>'
        if link_images
        else ""
    )
    table = (
        f"<details><summary>{esc(loc.t('show_table'))}</summary>{render_table(figure.table)}</details>"
        if figure.table
        else ""
    )
    return (
        f'<figure id="{esc(figure.slug)}"><h3>{esc(figure.title)}</h3>{figure.svg}'
        f"<figcaption>{esc(figure.note)}{link}</figcaption>{table}</figure>"
    )


def render_block(block: Block, loc: Locale, link_images: bool) -> str:
    if isinstance(block, Figure):
        return render_figure(block, loc, link_images)
    if isinstance(block, DataTable):
        return render_table(block)
    if isinstance(block, Markup):
        return str(block)
    return f"<p>{esc(block)}</p>"


def render_page(
    loc: Locale,
    title: str,
    kicker: str,
    meta: str,
    sections: Sequence[Section],
    footer: str,
    notice: str = "",
    link_images: bool = True,
) -> str:
    toc = "".join(
        f'<li><a href="#{esc(s.anchor)}">{i}. {esc(s.title)}</a></li>'
        for i, s in enumerate(sections, start=1)
    )
    body = "".join(
        f'<section id="{esc(s.anchor)}" aria-labelledby="{esc(s.anchor)}-h">'
        f'<h2 id="{esc(s.anchor)}-h"><span class="num">{i}</span>{esc(s.title)}</h2>'
        + "".join(render_block(b, loc, link_images) for b in s.blocks)
        + "</section>"
        for i, s in enumerate(sections, start=1)
    )
    notice_html = f'<p class="confidential">{esc(notice)}</p>' if notice else ""
    return (
        f'<!DOCTYPE html><html lang="{esc(loc.lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{STYLE}</style></head><body>"
        f'<div class="page"><header class="cover"><p class="kicker">{esc(kicker)}</p>'
        f'<h1>{esc(title)}</h1><p class="meta">{esc(meta)}</p>{notice_html}</header>'
        f'<nav class="toc" aria-label="{esc(loc.t("contents"))}"><ol>{toc}</ol></nav>'
        f"<main>{body}</main><footer>{esc(footer)}</footer></div></body></html>"
    )
