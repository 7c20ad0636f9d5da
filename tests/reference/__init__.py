"""Independent references for the published statistics (R's survey package, numpy, test data).

- :mod:`.r_survey` — ``r_domain_means``: docs/contract.md §6 estimates computed by R ``survey``.
- :mod:`.linearised` — ``numpy_domain_means``: the same estimates by Taylor linearisation in numpy.
- :mod:`.generate` — ``make_survey_frame``: deterministic respondent-level canonical test data.
"""
