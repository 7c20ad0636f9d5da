"""The benchmark report as a Dagster asset: rebuilt every time the benchmark is published.

No `from __future__ import annotations` here: Dagster reads the config class from the
annotation at definition time."""

from dagster import AssetExecutionContext, AssetKey, Config, MaterializeResult, MetadataValue, asset

from cxbench import progress
from cxbench.report.build import publish_report
from cxbench.report.i18n import DEFAULT_LANGUAGE, check_language
from orchestration.resources import DataHomeResource


class ReportConfig(Config):
    """`lang`: `nl` (default) or `en`."""

    lang: str = DEFAULT_LANGUAGE


@asset(
    key=AssetKey(["published", "benchmark_report"]),
    deps=[AssetKey(["published", "benchmark_snapshot"])],
    group_name="publication",
    description=(
        "published/report/index.html: the benchmark report (self-contained HTML, Dutch by "
        "default) with every chart also as an SVG file for slides."
    ),
)
def benchmark_report(
    context: AssetExecutionContext, config: ReportConfig, data_home: DataHomeResource
) -> MaterializeResult:
    progress.report("report")
    written = publish_report(data_home.home(), lang=check_language(config.lang))
    page = written[0]
    context.log.info(f"report written to {page}")
    return MaterializeResult(
        metadata={
            "report": MetadataValue.path(str(page)),
            "lang": config.lang,
            "charts": len(written) - 1,
        }
    )
