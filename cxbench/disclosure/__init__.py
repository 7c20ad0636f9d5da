"""Disclosure control you can prove (docs/contract.md §7), without Dagster.

A reader of the public tables knows every published estimate, every cell's counts (published
for suppressed cells too), that sector `ALL` is the market total and that touchpoint `ALL`
pools the contact moments, and how the measures of one cell tie together. With equal weights
(the reader's best case) that is a linear system; linear programming over it gives, for every
suppressed cell, the interval of values consistent with what is published.

- `tables`: what each public table publishes, as that system sees it (measures, scales, margins,
  counts, ties). A new table is one `TableSpec`.
- `system`: the linear system of one block (market x year x item) and the intervals (HiGHS,
  one model per component, re-solved for each objective).
- `audit`: the audit of a publication: which suppressed cell is exactly recomputable, and which
  primary-suppressed cell is pinned narrower than the protection level without even covering
  its published neighbours.
- `suppression`: complementary cells chosen by the protection they give, until the audit passes.
- `warehouse`: reading the marts and writing the complementary cells back (estimates nulled,
  changes of the following year too, restricted outputs following the public tables).
- `restricted`: restricted outputs (organisation_positions) reveal no suppressed public cell.
- `python -m cxbench.disclosure PATH`: the audit of a published snapshot or a warehouse.

The Dagster side (the completion in the dbt step, the blocking check) is
orchestration/assets/disclosure.py; this package imports no Dagster.
"""

from cxbench.disclosure.audit import AuditReport, Finding, audit_frames
from cxbench.disclosure.tables import DEFAULT_PROTECTION_LEVEL, SPECS, TableSpec

__all__ = [
    "DEFAULT_PROTECTION_LEVEL",
    "SPECS",
    "AuditReport",
    "Finding",
    "TableSpec",
    "audit_frames",
]
