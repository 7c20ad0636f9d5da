"""The report builder on the small in-memory benchmark: content, notation, suppression,
significant changes, the client edition, and that nothing points outside the file."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from cxbench.report.build import build_report
from cxbench.report.data import BenchmarkData, Table
from tests.report import sample


@pytest.fixture
def dutch(sample_data: BenchmarkData):
    return build_report(sample_data)


def text_of(html: str) -> str:
    """The page's text, tags removed and entities left as they are (all are plain here)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_dutch_report_has_the_key_texts_and_charts(dutch):
    text = text_of(dutch.html)
    for expected in ("Net Promoter Score", "Groothandel", "Industrie", "klagen", "topperformers"):
        assert expected in text
    assert dutch.html.count("<svg") >= 5
    assert len(dutch.figures) >= 5
    assert '<html lang="nl">' in dutch.html


def test_every_section_is_there(dutch):
    anchors = [s.anchor for s in dutch.sections]
    assert anchors == [
        "summary",
        "nps",
        "sectors",
        "distribution",
        "grades",
        "touchpoints",
        "statements",
        "performers",
        "drivers",
        "changes",
        "methodology",
    ]


def test_numbers_are_in_dutch_notation(dutch):
    text = text_of(dutch.html)
    assert "+35" in text  # industry 2020 NPS 35.2
    assert "7,8" in text  # B2B overall grade 2020
    assert "2.500" in text  # respondents, Dutch thousands separator
    assert "95%-interval" in text


def test_english_edition(sample_data):
    report = build_report(sample_data, lang="en")
    text = text_of(report.html)
    assert '<html lang="en">' in report.html
    assert "Wholesale" in text and "Groothandel" not in text
    assert "7.8" in text and "7,8" not in text
    assert "Top performers against the rest" in text
    assert "suppressed" in text and "onderdrukt" not in text


def test_suppressed_cells_are_marked_with_their_reason(dutch):
    text = text_of(dutch.html)
    assert "onderdrukt \u2013 minder dan 30 respondenten" in text
    assert "secundair" in text
    assert "één organisatie levert meer dan 50% van de respondenten" in text
    assert "<pattern" in dutch.html  # the hatching of suppressed cells


def test_significant_changes_are_listed(dutch):
    changes = next(s for s in dutch.sections if s.anchor == "changes")
    table = next(b for b in changes.blocks if hasattr(b, "rows"))
    found = {(row[0], row[3], row[2]) for row in table.rows}
    assert ("B2B", "Industrie", "NPS") in found
    assert ("B2B", "ICT", "NPS") in found
    assert ("B2C", "Overheid", "NPS") in found
    assert ("B2C", "Woningcorporaties", "Contactmoment klagen (% positief)") in found
    rises = [str(row[5]) for row in table.rows if row[3] == "Industrie"]
    assert rises == ['<span class="rise">\u25b2 +8</span>']


def test_methodology_states_the_thresholds_and_the_n(dutch):
    method = text_of("".join(str(b) for b in dutch.sections[-1].blocks))
    assert "minder dan 30 respondenten, minder dan 3 organisaties" in method
    assert "meer dan 50% van de respondenten" in method
    assert "1,96" in method
    assert "75e percentiel" in method
    assert "2671b729d671189d7ccd5c91687a5940" in dutch.html
    assert all(f.note for f in dutch.figures)  # the n behind every figure
    assert all(f.table and f.table.rows for f in dutch.figures)


def test_charts_are_valid_standalone_svg_with_titles(dutch):
    slugs = [f.slug for f in dutch.figures]
    assert len(set(slugs)) == len(slugs)
    for name, svg in dutch.images.items():
        root = ET.fromstring(svg)
        assert root.tag == "{http://www.w3.org/2000/svg}svg", name
        assert root.find("{http://www.w3.org/2000/svg}title").text
        assert name.startswith("fig-") and name.endswith(".svg")


def test_nothing_is_loaded_from_elsewhere(dutch):
    html = dutch.html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert not re.search(r"(src|href)\s*=\s*\"(https?:)?//", html)
    assert "@import" not in html and "url(http" not in html
    assert "<script" not in html and "<link" not in html


def test_text_from_the_data_is_escaped(sample_data):
    rows = [dict(r) for r in sample_data.nps.rows]
    for row in rows:
        if row["sector"] == "industry":
            row["sector"] = "<script>alert(1)</script>"
    data = replace(sample_data, nps=Table("nps_by_sector_year", tuple(rows)))
    html = build_report(data).html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_public_report_never_names_organisations(sample_data):
    data = replace(
        sample_data, positions=Table.of("organisation_positions", sample.position_rows())
    )
    assert "ORG-7" not in build_report(data).html


def test_client_edition(sample_data):
    positions = [r for r in sample.position_rows() if r["organisation_id"] == "ORG-7"]
    data = replace(sample_data, positions=Table.of("organisation_positions", positions))
    report = build_report(data, organisation="ORG-7")
    text = text_of(report.html)
    assert report.sections[1].anchor == "client"
    assert "Positie van ORG-7" in text and "Vertrouwelijk" in text
    assert "De organisatie is een topperformer" in text
    assert "+17 en significant" in text  # gap to sector 16.8
    assert "B2C (consumentenmarkt)" not in text  # only the organisation's market


def test_client_edition_of_an_organisation_spanning_sectors(sample_data):
    """A conglomerate with respondents in two sectors of a market-year: a row per sector in the
    positions table, so a summary and a figure per market x sector, each against its sector."""
    positions = [r for r in sample.position_rows() if r["organisation_id"] == "ORG-7"]
    division = {**positions[-1], "sector": "wholesale", "nps": -5.0, "gap_to_sector": -20.0}
    positions.append({**division, "gap_significant": False, "sector_percentile": 10.0})
    data = replace(sample_data, positions=Table.of("organisation_positions", positions))
    report = build_report(data, organisation="ORG-7")
    client = report.sections[1]
    slugs = [
        f.slug
        for f in report.figures
        if f.slug.startswith("fig-client") and not f.slug.startswith("fig-client-drivers")
    ]
    assert slugs == ["fig-client-org-7-b2b-industry", "fig-client-org-7-b2b-wholesale"]
    text = text_of("".join(str(b) for b in client.blocks))
    assert "Industrie" in text and "Groothandel" in text
    assert "+17 en significant" in text and "−20, niet significant" in text


def test_client_gap_is_withheld_where_the_sector_is_suppressed(sample_data):
    positions = [r for r in sample.position_rows() if r["organisation_id"] == "ORG-9"]
    data = replace(sample_data, positions=Table.of("organisation_positions", positions))
    report = build_report(data, organisation="ORG-9")
    client = text_of("".join(str(b) for b in report.sections[1].blocks))
    assert "verschil met de sector is onderdrukt" in client
    assert "+8" not in client  # the gap 7.5 would reveal the suppressed sector's NPS
    assert "omdat de sector publiek onderdrukt is" in client  # why there is no percentile
    assert "niet gerangschikt" in client


def test_client_edition_withholds_what_a_leaky_table_would_give_away(sample_data):
    """Even from positions computed against a suppressed sector (as before the audit), the
    client edition shows no gap, no significance and no percentile within that sector: a rank
    of 0 or 100 among two tells a client whether its only competitor scored higher."""
    (row,) = [r for r in sample.position_rows() if r["organisation_id"] == "ORG-9"]
    leaky = {**row, "sector_percentile": 100.0, "gap_to_sector": 7.5, "gap_significant": True}
    data = replace(sample_data, positions=Table.of("organisation_positions", [leaky]))
    client = text_of(
        "".join(str(b) for b in build_report(data, organisation="ORG-9").sections[1].blocks)
    )
    assert "+8" not in client and "100e" not in client
    assert "en significant" not in client and "(significant)" not in client
    assert "omdat de sector publiek onderdrukt is" in client


@pytest.mark.parametrize(
    ("n_respondents", "expected"),
    [
        (20, "fewer than 30 valid answers to the recommend question"),
        (120, "fewer than 3 organisations have enough answers to be ranked"),
    ],
)
def test_client_edition_says_why_an_organisation_is_not_ranked(
    sample_data, n_respondents, expected
):
    (row,) = [
        r for r in sample.position_rows() if r["organisation_id"] == "ORG-7" and r["year"] == 2020
    ]
    unranked = {**row, "n_respondents": n_respondents, "sector_percentile": None}
    data = replace(sample_data, positions=Table.of("organisation_positions", [unranked]))
    report = build_report(data, organisation="ORG-7", lang="en")
    client = text_of("".join(str(b) for b in report.sections[1].blocks))
    assert "no percentile within the sector" in client and expected in client
    assert "not ranked" in client
    assert "+17" in client  # the sector is published: the gap is shown


def test_an_empty_market_part_does_not_break_the_report():
    data = BenchmarkData.from_rows(info=sample.INFO, nps=sample.nps_rows())
    report = build_report(data)
    assert "Deze editie bevat hiervoor geen gegevens." in report.html
    assert "Deze editie heeft geen topperformers" in report.html


def _section(report, anchor: str) -> str:
    section = next(s for s in report.sections if s.anchor == anchor)
    return text_of("".join(str(b) for b in section.blocks if not hasattr(b, "svg")))


def test_key_driver_quadrants_in_dutch_and_english(sample_data):
    """Importance against performance, split at the aspects' averages (0.39 and 7.13)."""
    dutch, english = build_report(sample_data), build_report(sample_data, lang="en")
    for report, labels in (
        (dutch, ("Sterke punten", "Eerst verbeteren", "Behouden", "Lagere prioriteit")),
        (english, ("Strengths", "Fix first", "Maintain", "Lower priority")),
    ):
        figure = next(f for f in report.figures if f.slug == "fig-drivers-b2b-2020")
        assert all(label in figure.svg for label in labels)
        root = ET.fromstring(figure.svg)
        assert len(root.findall(".//{http://www.w3.org/2000/svg}circle")) == 3
        quadrants = {row[0]: row[5] for row in figure.table.rows}
        assert quadrants == {
            labels_of(report, "Customer service", "Klantenservice"): labels[0],
            labels_of(report, "Knows the customer", "Kent de klant"): labels[1],
            labels_of(report, "Complaint handling", "Klachtafhandeling"): labels[3],
        }
    assert "Eerst verbeteren: kent de klant." in _section(dutch, "drivers")
    assert "0,52" in _section(dutch, "drivers") and "0.52" in _section(english, "drivers")
    assert "+36,7 NPS-punten" in _section(dutch, "drivers")
    # sector table: industry published, waste suppressed for the regression's rule
    assert "onderdrukt" in _section(dutch, "drivers")
    method = _section(dutch, "methodology")
    assert "te weinig organisaties voor de regressie" in method
    assert "Kerndrijvers" in method  # the table in the suppression summary


def labels_of(report, english: str, dutch: str) -> str:
    return english if report.lang == "en" else dutch


def test_no_key_drivers_is_said_so():
    data = BenchmarkData.from_rows(info=sample.INFO, nps=sample.nps_rows())
    assert "Deze editie heeft geen kerndrijvers" in build_report(data).html


def test_client_edition_shows_its_grades_on_the_top_drivers(sample_data):
    positions = [r for r in sample.position_rows() if r["organisation_id"] == "ORG-7"]
    data = replace(
        sample_data,
        positions=Table.of("organisation_positions", positions),
        organisation_grades=Table.of("organisation_grades", sample.organisation_grade_rows()),
    )
    report = build_report(data, lang="en", organisation="ORG-7")
    figure = next(f for f in report.figures if f.slug == "fig-client-drivers-org-7-b2b")
    rows = {row[0]: row for row in figure.table.rows}
    # in order of importance: customer service 0.52, knows the customer 0.40, complaint 0.25
    assert list(rows) == ["Customer service", "Knows the customer", "Complaint handling"]
    assert rows["Customer service"][2:] == ("8.8", "100", "8.4", "+0.4", "8.2")
    assert rows["Knows the customer"][4:6] == ("\u2013", "\u2013")  # no sector cell
    assert "suppressed" in str(rows["Complaint handling"][4])  # sector withheld publicly
    assert "suppressed" in str(rows["Complaint handling"][5])  # and so the gap
    assert "7.5" == rows["Complaint handling"][2]
    assert "ORG-7" in figure.svg
