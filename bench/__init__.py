"""`make bench`: how fast cxbench is against the DuckDB floor and an analyst's pandas script."""
