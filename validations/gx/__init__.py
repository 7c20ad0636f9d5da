"""The quality gate before publication: Great Expectations 1.x suites on every published table.

`rules` says what each table must satisfy, `context` makes the in-memory GX context, `gate` runs
the suites on DataFrames read from the warehouse, and `data_docs` renders the results as Data
Docs that work offline.
"""

import os

# No telemetry: set before Great Expectations is first imported.
os.environ["GX_ANALYTICS_ENABLED"] = "false"
