"""The code location loads, with every asset of the graph and dbt tests as asset checks."""

from __future__ import annotations

from orchestration.definitions import defs
from orchestration.publish import PUBLIC_TABLES

EXPECTED_ASSETS = [
    "audit/file_log",
    "audit/quarantined_rows",
    "intermediate/int_grade_answers",
    "intermediate/int_grade_estimates",
    "intermediate/int_item_answers",
    "intermediate/int_nps_estimates",
    "intermediate/int_organisation_nps",
    "intermediate/int_performer_answers",
    "intermediate/int_performer_estimates",
    "intermediate/int_performer_groups",
    "intermediate/int_recommend_answers",
    "intermediate/int_statement_answers",
    "intermediate/int_statement_estimates",
    "intermediate/int_touchpoint_estimates",
    "intermediate/int_touchpoint_ratings",
    "marts/grades_by_sector_year",
    "marts/nps_by_sector_year",
    "marts/organisation_positions",
    "marts/publication_info",
    "marts/statements_by_sector_year",
    "marts/top_performers_by_year",
    "marts/touchpoints_by_sector_year",
    "published/benchmark_snapshot",
    "raw/survey_responses",
    "reference/sector_reference",
    "staging/stg_survey__responses",
]


def test_asset_keys_snapshot():
    graph = defs.resolve_asset_graph()
    assert sorted(k.to_user_string() for k in graph.get_all_asset_keys()) == EXPECTED_ASSETS


def test_lineage_runs_from_ingest_through_dbt_to_publication():
    graph = defs.resolve_asset_graph()
    staging = graph.get(
        next(
            k
            for k in graph.get_all_asset_keys()
            if k.to_user_string() == "staging/stg_survey__responses"
        )
    )
    assert "raw/survey_responses" in {k.to_user_string() for k in staging.parent_keys}
    snapshot = graph.get(
        next(
            k
            for k in graph.get_all_asset_keys()
            if k.to_user_string() == "published/benchmark_snapshot"
        )
    )
    parents = {k.to_user_string() for k in snapshot.parent_keys}
    assert {f"marts/{table}" for table in PUBLIC_TABLES} <= parents


def test_dbt_tests_of_the_marts_are_asset_checks():
    checked = {
        key.asset_key.to_user_string() for key in defs.resolve_asset_graph().asset_check_keys
    }
    assert {f"marts/{t}" for t in PUBLIC_TABLES if t != "publication_info"} <= checked


def test_benchmark_job_selects_everything():
    job = defs.resolve_job_def("benchmark")
    assert job.executor_def.name == "in_process"
