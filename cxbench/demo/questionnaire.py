"""What columns and answers are called in delivered files that do not use canonical names.

Dutch spreadsheets name columns in Dutch (`Rapportcijfer`), survey tools number their questions
(`Q1`, `Q4_2`) and label their answer codes (`5 = Zeer positief`). Manifests map these names back
onto the canonical columns of docs/contract.md §3.
"""

from __future__ import annotations

from validations.canonical import TOUCHPOINTS
from validations.sectors import sectors

STATEMENTS = ("welcome", "valued", "important", "authentic")
GRADE_ASPECTS = ("customer_service", "complaint_handling", "knows_customer", "service_orientation")

DUTCH_HEADERS: dict[str, str] = {
    "respondent_id": "Respondentnummer",
    "organisation_id": "Organisatie",
    "sector": "Branche",
    "market": "Markt",
    "year": "Jaar",
    "response_date": "Datum",
    "recommend": "Aanbeveling",
    "grade_overall": "Rapportcijfer",
    "grade_customer_service": "Cijfer klantenservice",
    "grade_complaint_handling": "Cijfer klachtafhandeling",
    "grade_knows_customer": "Cijfer kent de klant",
    "grade_service_orientation": "Cijfer servicegerichtheid",
    "touch_start_relationship": "Ervaring start relatie",
    "touch_information": "Ervaring informatie",
    "touch_payment": "Ervaring betaling",
    "touch_question": "Ervaring vraag",
    "touch_complaint": "Ervaring klacht",
    "touch_service_request": "Ervaring serviceverzoek",
    "agree_welcome": "Welkom gevoeld",
    "agree_valued": "Gewaardeerd gevoeld",
    "agree_important": "Belangrijk gevoeld",
    "agree_authentic": "Oprecht behandeld",
    "weight": "Gewicht",
}

# Survey-tool numbering of the questionnaire: the same item has the same code in every study.
ITEM_CODES: dict[str, str] = {
    "recommend": "Q1",
    "grade_overall": "Q2",
    **{f"grade_{aspect}": f"Q3_{i}" for i, aspect in enumerate(GRADE_ASPECTS, start=1)},
    **{f"touch_{moment}": f"Q4_{i}" for i, moment in enumerate(TOUCHPOINTS, start=1)},
    **{f"agree_{statement}": f"Q5_{i}" for i, statement in enumerate(STATEMENTS, start=1)},
}

QUESTIONS: dict[str, str] = {
    "recommend": "Hoe waarschijnlijk is het dat u ons aanbeveelt bij vrienden of collega's?",
    "grade_overall": "Welk rapportcijfer geeft u ons als geheel?",
    "grade_customer_service": "Welk rapportcijfer geeft u onze klantenservice?",
    "grade_complaint_handling": "Welk rapportcijfer geeft u de afhandeling van uw klacht?",
    "grade_knows_customer": "Welk rapportcijfer geeft u ons voor: kent mij als klant?",
    "grade_service_orientation": "Welk rapportcijfer geeft u ons voor servicegerichtheid?",
    "touch_start_relationship": "Hoe ervoer u het contact bij het begin van de relatie?",
    "touch_information": "Hoe ervoer u het contact toen u informatie zocht?",
    "touch_payment": "Hoe ervoer u het contact over betalingen?",
    "touch_question": "Hoe ervoer u het contact toen u een vraag stelde?",
    "touch_complaint": "Hoe ervoer u het contact toen u een klacht had?",
    "touch_service_request": "Hoe ervoer u het contact bij een serviceverzoek?",
    "agree_welcome": "Ik voel me welkom",
    "agree_valued": "Ik voel me gewaardeerd",
    "agree_important": "Ik voel me belangrijk",
    "agree_authentic": "Ik word oprecht behandeld",
}

MARKET_LABELS = {"B2B": "Zakelijke markt", "B2C": "Consumenten"}
MARKET_CODES = {"B2B": 1, "B2C": 2}
TOUCH_LABELS = {1: "Zeer negatief", 2: "Negatief", 3: "Neutraal", 4: "Positief", 5: "Zeer positief"}
AGREE_LABELS = {1: "Helemaal oneens", 2: "Oneens", 3: "Neutraal", 4: "Eens", 5: "Helemaal eens"}
RECOMMEND_LABELS = {0: "0 Zeer onwaarschijnlijk", 10: "10 Zeer waarschijnlijk"}
DONT_KNOW = (99, "Weet niet")  # user-missing code of the SPSS files


def sector_label(code: str) -> str:
    """The Dutch name of a sector (an alias the sector reference knows); unknown codes as is."""
    sector = sectors().get(code)
    return sector.label_nl if sector else code


def sector_codes() -> dict[str, int]:
    """Numeric codes of the sectors in SPSS files: their position in the sector reference."""
    return {code: number for number, code in enumerate(sectors(), start=1)}


def dutch_header(column: str) -> str:
    """The Dutch spreadsheet header of a canonical column (its own name when it has none)."""
    return DUTCH_HEADERS.get(column, column)


def item_code(column: str) -> str:
    """The survey-tool code of a canonical item (its own name when it has none)."""
    return ITEM_CODES.get(column, column)
