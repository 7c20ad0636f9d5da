{{ config(materialized='view') }}
-- Every answered grade, contact moment and statement as one row (item_family, item, answer).
{{ unpivot_items(
    ref('stg_survey__responses'),
    {'grade_': 'grade', 'touch_': 'touchpoint', 'agree_': 'statement'},
    ['market', 'year', 'sector', 'organisation_id', 'respondent_id', 'weight']
) }}
