"""The code location loads, with every asset of the graph and dbt tests as asset checks."""

from __future__ import annotations

from cxbench.publication import PUBLIC_TABLES
from orchestration.definitions import defs

EXPECTED_ASSETS = [
    "audit/exclusions",
    "audit/file_log",
    "audit/quarantined_rows",
    "intermediate/int_driver_estimates",
    "intermediate/int_driver_sums",
    "intermediate/int_grade_changes",
    "intermediate/int_grade_estimates",
    "intermediate/int_grade_sums",
    "intermediate/int_nps_changes",
    "intermediate/int_nps_estimates",
    "intermediate/int_organisation_nps",
    "intermediate/int_performer_estimates",
    "intermediate/int_performer_groups",
    "intermediate/int_recommend_answers",
    "intermediate/int_recommend_sums",
    "intermediate/int_statement_changes",
    "intermediate/int_statement_estimates",
    "intermediate/int_statement_sums",
    "intermediate/int_study_deliveries",
    "intermediate/int_touchpoint_changes",
    "intermediate/int_touchpoint_estimates",
    "intermediate/int_touchpoint_sums",
    "marts/drivers_by_year",
    "marts/grades_by_sector_year",
    "marts/nps_by_sector_year",
    "marts/organisation_grades",
    "marts/organisation_positions",
    "marts/publication_info",
    "marts/statements_by_sector_year",
    "marts/top_performers_by_year",
    "marts/touchpoints_by_sector_year",
    "published/benchmark_report",
    "published/benchmark_snapshot",
    "published/edition",
    "raw/survey_responses",
    "reference/aspect_reference",
    "reference/sector_reference",
    "reference/statement_reference",
    "reference/touchpoint_reference",
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


def test_automation_sensor_schedules_and_jobs():
    assert {s.name for s in defs.sensors} == {"landing_sensor"}
    assert {s.name for s in defs.schedules} == {"nightly_benchmark", "yearly_edition"}
    assert defs.resolve_sensor_def("landing_sensor").job_name == "benchmark"
    assert defs.resolve_schedule_def("yearly_edition").job_name == "edition"
    benchmark = defs.resolve_job_def("benchmark").asset_layer.asset_graph
    edition = defs.resolve_job_def("edition").asset_layer.asset_graph
    executable = {k.to_user_string() for k in benchmark.executable_asset_keys}
    assert "published/edition" not in executable  # nightly runs never freeze an edition
    assert "published/edition" in {k.to_user_string() for k in edition.executable_asset_keys}
    assert defs.resolve_job_def("edition").executor_def.name == "in_process"


def test_ingest_checks_warn_and_the_accounting_check_blocks():
    graph = defs.resolve_asset_graph()
    specs = {
        (key.asset_key.to_user_string(), key.name): graph.get_check_spec(key)
        for key in graph.asset_check_keys
    }
    assert not specs[("audit/file_log", "quarantine_share")].blocking
    assert not specs[("audit/file_log", "no_rejected_files")].blocking
    assert specs[("raw/survey_responses", "row_accounting")].blocking


def test_dbt_model_descriptions_become_asset_descriptions():
    graph = defs.resolve_asset_graph()
    nps = next(
        k for k in graph.get_all_asset_keys() if k.to_user_string() == "marts/nps_by_sector_year"
    )
    assert graph.get(nps).description.startswith(
        "Net Promoter Score of the benchmark per market x sector x year"
    )
