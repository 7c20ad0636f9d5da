"""Calibrated parameters of the three demo study series (see /work/shared/seed-figures.md).

Every published figure is either a *target* that the generator solves for exactly in expectation,
given the planned design of that year (marked "solved"), or the outcome of the shape parameters
below, which were tuned by simulation over many seeds (marked "tuned"). Latent locations of the
NPS item are on the 0-10 answer scale: `recommend = clip(round(latent), 0, 10)`, so a respondent
is a promoter when the latent is at least 8.5 and a detractor below 6.5.
"""

from __future__ import annotations

from dataclasses import dataclass

from cxbench.demo.model import Mixture


@dataclass(frozen=True)
class GradeItem:
    """A report grade: `target mean + organisation effect + respondent effect + noise`.

    `targets` holds the all-sector mean per year that the intercept is solved for.
    """

    targets: dict[int, float]
    organisation_slope: float
    respondent_slope: float
    noise_sd: float
    answered: float


# --- Series 1: Integron B2B benchmark 2018-2020 (section A) ------------------------------------

B2B_SOURCE = "integron"
B2B_PREFIX = "B2B"
B2B_YEARS = (2018, 2019, 2020)

# sector: (organisations at scale 1, latent offset of the sector's recommend location).
# 250 organisations, of which B2B_PRESENCE run a study in a given year: 205 client studies.
B2B_SECTORS: dict[str, tuple[int, float]] = {
    "industry": (42, 0.20),  # tuned: 2020 promoters 43%
    "wholesale": (36, 0.025),  # tuned: 2020 promoters 35%
    "transport_logistics": (30, -0.04),  # tuned: 2020 promoters 32%
    "ict": (33, -0.05),  # tuned: 2020 NPS near the all-sector NPS (about +14)
    "professional_services": (30, -0.07),  # tuned: idem (about +13)
    "financial_services": (20, -0.485),  # tuned: 2020 NPS below 0 (about -5)
    "construction_installation": (24, -0.485),  # tuned: 2020 NPS below 0 (about -5)
    "facility_services": (21, -0.5),  # tuned: 2020 NPS below 0 (about -6)
    "waste": (14, -0.495),  # tuned: 2020 NPS below 0 (about -6)
}
B2B_PRESENCE = 0.82  # share of an organisation's years in which it runs a study
B2B_SIZE_MEDIAN = 100.0  # respondents per study: lognormal, a few studies below 30
B2B_SIZE_SIGMA = 0.6
B2B_SIZE_YEARLY_SIGMA = 0.25  # an organisation's study size varies a little from year to year
B2B_SIZE_RANGE = (12, 600)
B2B_WEIGHTED_SHARE = 0.08  # studies delivered with post-stratification weights
B2B_DECIMAL_SHARE = 0.7  # studies asking grades with one decimal (the others: whole numbers)
B2B_FIELDWORK_MONTHS = (2, 11)

# Organisation effects: stratified N(0, 0.40) on the recommend latent, centred within each
# sector-year. Tuned: top performers' NPS +40 with more than half promoters.
B2B_ORGANISATION_SD = 0.40
B2B_NPS = {2018: 14.0, 2019: 12.0, 2020: 11.0}  # solved: NPS all sectors 2018 / 2019 / 2020

# Respondent term around the organisation's location: most customers are content (tight
# component), 18.5% had a problem (4 points lower, wide). Tuned: 2020 shares 29 / 53 / 18, and top
# performers with more than half promoters. Problem customers complain more often.
B2B_RESPONDENT = Mixture(weights=(0.815, 0.185), means=(0.0, -4.0), sds=(0.6, 1.5))
B2B_COMPLAINED = (0.2, 0.8)  # share complaining per component: about 30% grade complaint handling
B2B_RECOMMEND_MISSING = 0.015
B2B_GRADE_CENTRE = 8.2  # latent location at which a grade equals its intercept

B2B_GRADES: dict[str, GradeItem] = {
    # solved: 2020 mean overall grade 7.8 (other years: plausible values, not published)
    "overall": GradeItem(
        {2018: 7.9, 2019: 7.85, 2020: 7.8},
        organisation_slope=1.0,
        respondent_slope=0.35,
        noise_sd=0.55,
        answered=0.98,
    ),
    # solved: mean of all respondents 8.0 + 0.25 * 0.9 (top performers give about a quarter of
    # the answers); organisation slope tuned: 2020 top performers / others = 8.9 / 8.0
    "customer_service": GradeItem(
        {2018: 8.25, 2019: 8.25, 2020: 8.235},
        organisation_slope=1.165,
        respondent_slope=0.3,
        noise_sd=0.6,
        answered=0.85,
    ),
    # solved: 2020 all = 6.6; organisation slope tuned: 2020 top performers 7.2.
    # Answered only by customers who complained (B2B_COMPLAINED), 95% of them.
    "complaint_handling": GradeItem(
        {2018: 6.7, 2019: 6.65, 2020: 6.6},
        organisation_slope=1.015,
        respondent_slope=0.3,
        noise_sd=1.0,
        answered=0.95,
    ),
}


# --- Series 2: Klantbelevingsonderzoek 2011-2012, B2C (section B) ------------------------------

KBO_SOURCE = "kbo"
KBO_PREFIX = "KBO"
KBO_YEARS = (2011, 2012)
KBO_RESPONDENTS = {2011: 3874, 2012: 4021}  # 2012: exact published count (at scale 1)
KBO_RATED_MOMENTS = {2011: 22019, 2012: 22873}  # 2012: exact published count (at scale 1)
KBO_PRESENCE = 0.85  # 7 organisations -> 6 surveyed a year: every sector keeps >= 5
KBO_SIZE_SIGMA = 0.35  # relative study sizes: lognormal, clipped so that no organisation
KBO_SIZE_RANGE = (0.55, 1.8)  # gives more than half of its sector's respondents
KBO_FIELDWORK_MONTHS = (8, 10)
KBO_ORGANISATION_SD = 0.3  # organisation effect on every latent (touchpoints, statements)
KBO_WEIGHTED_SHARE = 0.1

# sector: (organisations at scale 1, positive share over all contact moments 2011, 2012). Solved.
KBO_SECTORS: dict[str, tuple[int, dict[int, float]]] = {
    "telecom": (7, {2011: 51.0, 2012: 50.0}),
    "banking": (6, {2011: 56.0, 2012: 55.0}),
    "insurance": (7, {2011: 58.0, 2012: 57.0}),
    "energy": (6, {2011: 53.0, 2012: 52.0}),
    "government": (8, {2011: 44.0, 2012: 42.0}),  # published: 44% -> 42%, the lowest sector
    "healthcare": (6, {2011: 63.0, 2012: 62.0}),
    "housing": (6, {2011: 61.0, 2012: 55.0}),  # published: 61% -> 55%
    "retail": (7, {2011: 65.0, 2012: 64.0}),
}

# Contact moment: (latent offset 2011, 2012; relative chance of "not experienced").
# Tuned: complaint 45% positive in 2012 and the lowest; payment the highest in both years.
KBO_MOMENTS: dict[str, tuple[float, float, float]] = {
    "start_relationship": (0.10, 0.10, 0.20),
    "information": (0.0, 0.0, 0.05),
    "payment": (0.40, 0.40, 0.05),
    "question": (0.05, 0.05, 0.10),
    "complaint": (-0.17, -0.17, 0.45),
    "service_request": (0.05, 0.05, 0.15),
}
# Touchpoint latent = sector location + moment offset + organisation + respondent + noise.
KBO_TOUCH_ORGANISATION_SLOPE = 1.0
KBO_TOUCH_RESPONDENT_SD = 0.6
KBO_TOUCH_NOISE_SD = 0.8
KBO_TOUCH_CUTS = (-1.7, -0.85, 0.0, 0.9)  # 1 | 2 | 3 | 4 | 5; positive = latent above 0

# statement: {year: (agree %, disagree %)}: both cut points solved. Published: welcome 23 / 27,
# valued 14 / 42, important disagree 66, authentic disagree 51 -> 55; the rest is plausible.
KBO_STATEMENTS: dict[str, dict[int, tuple[float, float]]] = {
    "welcome": {2011: (24.0, 26.0), 2012: (23.0, 27.0)},
    "valued": {2011: (15.0, 41.0), 2012: (14.0, 42.0)},
    "important": {2011: (11.0, 65.0), 2012: (10.0, 66.0)},
    "authentic": {2011: (19.0, 51.0), 2012: (17.0, 55.0)},
}
KBO_STATEMENT_ORGANISATION_SLOPE = 0.8
KBO_STATEMENT_RESPONDENT_SD = 0.6
KBO_STATEMENT_NOISE_SD = 0.8
KBO_STATEMENT_MISSING = 0.01
KBO_RECOMMEND_LOCATION = 7.0  # B2C recommend: not a published figure, plausible NPS near -20


# --- Series 3: Customeyes grade trends 2007-2013, B2C (section C) ------------------------------

CEY_SOURCE = "customeyes"
CEY_PREFIX = "CEY"
CEY_YEARS = tuple(range(2007, 2014))
CEY_SECTORS: dict[str, int] = {  # organisations at scale 1: ~28 studies, ~2,500 customers a year
    "telecom": 5,
    "banking": 5,
    "insurance": 5,
    "energy": 5,
    "retail": 5,
    "healthcare": 5,
    "housing": 5,
}
CEY_PRESENCE = 0.8
CEY_SIZE_MEDIAN = 82.0
CEY_SIZE_SIGMA = 0.45
CEY_SIZE_RANGE = (20, 300)
CEY_SIZE_YEARLY_SIGMA = 0.2
CEY_WEIGHTED_SHARE = 0.1
CEY_DECIMAL_SHARE = 0.3
CEY_FIELDWORK_MONTHS = (3, 10)
CEY_ORGANISATION_SD = 1.0  # the grade items scale it with their organisation slope

CEY_GRADES: dict[str, GradeItem] = {
    # not a published figure: a stable overall grade
    "overall": GradeItem(
        {year: 7.3 for year in CEY_YEARS},
        organisation_slope=0.35,
        respondent_slope=0.6,
        noise_sd=1.0,
        answered=0.98,
    ),
    # solved: 7.4 (2007) falling every year to 6.7 (2013), published ends
    "knows_customer": GradeItem(
        dict(zip(CEY_YEARS, (7.4, 7.28, 7.17, 7.05, 6.93, 6.82, 6.7), strict=True)),
        organisation_slope=0.35,
        respondent_slope=0.6,
        noise_sd=1.0,
        answered=0.97,
    ),
    # solved: 5.8 (2010) rising to 7.7 (2013), published ends; asked from 2010 only
    "service_orientation": GradeItem(
        {2010: 5.8, 2011: 6.4, 2012: 7.1, 2013: 7.7},
        organisation_slope=0.35,
        respondent_slope=0.6,
        noise_sd=1.1,
        answered=0.97,
    ),
}
