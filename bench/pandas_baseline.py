"""What an analyst would write in pandas for the same NPS table (read every CSV, group, compute)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd


def nps_table(landing: Path) -> pd.DataFrame:
    frames = [pd.read_csv(path) for path in sorted(landing.rglob("*.csv"))]
    answers = pd.concat(frames, ignore_index=True).dropna(subset=["recommend"])
    answers["y"] = np.select(
        [answers["recommend"] >= 9, answers["recommend"] <= 6], [100.0, -100.0], 0.0
    )
    answers["wy"] = answers["weight"] * answers["y"]
    rows = []
    for (market, year), design in answers.groupby(["market", "year"]):
        n = design["organisation_id"].nunique()
        for sector, domain in [*design.groupby("sector"), ("ALL", design)]:
            estimate = domain["wy"].sum() / domain["weight"].sum()
            z = (domain["wy"] - estimate * domain["weight"]).groupby(
                domain["organisation_id"]
            ).sum() / domain["weight"].sum()
            rows.append((market, year, sector, estimate, np.sqrt(n / (n - 1) * (z**2).sum())))
    return pd.DataFrame(rows, columns=["market", "year", "sector", "nps", "nps_se"])


if __name__ == "__main__":
    import sys

    print(nps_table(Path(sys.argv[1])))
