"""The benchmark report: a self-contained HTML page with SVG charts, built from the published
tables (Dutch by default, English on request), and a client edition per organisation.

`build.publish_report` is the entry point for the Dagster asset and `cxbench report`."""
