{#-
  Every study (organisation x year) comes from one delivery: its rows share source_file and
  content_hash. Ingest quarantines a row that repeats a respondent_id of its organisation x year
  in the delivery, so respondent_id is then unique within organisation x year, which the
  estimator relies on (macros/design_based_means.sql). One cheap aggregation per study, where
  testing the respondent keys themselves would hash every row (about 1 s at 10 M rows).
-#}
{% test one_delivery_per_study(model) %}
select organisation_id, year
from {{ model }}
group by organisation_id, year
having min(source_file) <> max(source_file) or min(content_hash) <> max(content_hash)
{% endtest %}
