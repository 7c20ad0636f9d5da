"""The cxbench asset graph: ingest -> dbt (staging, intermediate, marts) -> publication."""
