"""Design-based domain means by Taylor linearisation, in numpy (independent of R).

For one design group (market × year × item by default) with organisations as clusters (PSUs),
respondent weights and no strata, the mean of measure y over domain d (a sector, or the whole
group for ``sector == "ALL"``) is

    ȳ_d = Σ_{i∈d} w_i y_i / Σ_{i∈d} w_i

and its variance is estimated from the linearised cluster totals

    z_h = Σ_{i∈d, i in cluster h} w_i (y_i − ȳ_d) / Σ_{i∈d} w_i
    var(ȳ_d) = n / (n − 1) · Σ_h z_h²

where h runs over, and n counts, the organisations of the *whole* design group (all sectors):
organisations outside the domain contribute z_h = 0 but still count in n. (R's ``survey``
centres the z_h at their mean first; that mean is exactly zero because Σ_h z_h = 0.) A design
group with a single organisation has no variance estimate: every se is NaN.

This is the textbook formula written out independently of R, to check the R harness
(:mod:`.r_survey`) and to serve tests that want a reference without starting R.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .r_survey import ALL_SECTOR, _validate, cell_counts, order_output


def _domain_estimates(
    y: np.ndarray, w: np.ndarray, cluster: np.ndarray, n_clusters: int, in_domain: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Means and standard errors of the columns of ``y`` over the rows flagged ``in_domain``.

    ``cluster`` holds codes 0..n_clusters-1 for the whole design group.
    """
    wd = w[in_domain]
    yd = y[in_domain]
    total_weight = wd.sum()
    mean = (wd[:, None] * yd).sum(axis=0) / total_weight
    if n_clusters < 2:
        return mean, np.full(mean.shape, np.nan)
    scores = wd[:, None] * (yd - mean) / total_weight
    z = np.zeros((n_clusters, y.shape[1]))
    np.add.at(z, cluster[in_domain], scores)
    var = n_clusters / (n_clusters - 1) * (z**2).sum(axis=0)
    return mean, np.sqrt(var)


def numpy_domain_means(
    observations: pd.DataFrame,
    measures: list[str],
    design_by: Sequence[str] = ("market", "year", "item"),
) -> pd.DataFrame:
    """Same inputs and output shape as :func:`.r_survey.r_domain_means`, computed in numpy.

    Returns one row per design group × sector plus a ``sector == "ALL"`` row per design group,
    with columns ``*design_by, sector, n_observations, n_organisations`` and ``<m>``, ``<m>_se``
    per measure, sorted by ``design_by``, then sector, ``ALL`` last.
    """
    keys = list(design_by)
    measures = list(measures)
    _validate(observations, measures, keys)
    obs = observations.reset_index(drop=True)

    records: list[dict[str, object]] = []
    for group_key, rows in obs.groupby(keys, sort=True, dropna=False):
        key_values = group_key if isinstance(group_key, tuple) else (group_key,)
        y = rows[measures].astype("float64").to_numpy()
        w = rows["weight"].astype("float64").to_numpy()
        cluster, orgs = pd.factorize(rows["organisation_id"].astype(str))
        sector = rows["sector"].astype(str).to_numpy()
        domains = [(s, sector == s) for s in np.unique(sector)]
        domains.append((ALL_SECTOR, np.ones(len(rows), dtype=bool)))
        for label, in_domain in domains:
            mean, se = _domain_estimates(y, w, cluster, len(orgs), in_domain)
            record: dict[str, object] = dict(zip(keys, key_values, strict=True))
            record["sector"] = label
            for j, m in enumerate(measures):
                record[m] = float(mean[j])
                record[f"{m}_se"] = float(se[j])
            records.append(record)

    result = pd.DataFrame.from_records(records)
    for k in keys:
        result[k] = result[k].astype(obs[k].dtype)
    result["sector"] = result["sector"].astype(str)
    merged = cell_counts(obs, keys).merge(result, on=[*keys, "sector"], how="inner")
    return order_output(merged, keys, measures)
