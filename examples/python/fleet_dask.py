#!/usr/bin/env python3
"""Forecast and plan a fleet of workloads on Dask.

    python examples/python/fleet_dask.py --series 300                  # a LocalCluster
    python examples/python/fleet_dask.py --scheduler tcp://sched:8786  # a real cluster

Makes a long-format frame of synthetic 5-minute request rates (one row per workload and
time; in real use: read Parquet with dask.dataframe.read_parquet), forecasts every workload
with kairos.dist.forecast_frame, plans its replicas with plan_frame, and prints a summary.
Needs: pip install ./bindings/python "dask[dataframe,distributed]" (kairos[dask]); every
worker needs the kairos package too. See docs/scale-out.md.
"""
from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")   # threads come from kairos, not BLAS

import numpy as np
import pandas as pd

from kairos import dist


def synthetic_fleet(n: int, days: int = 3, seed: int = 0) -> pd.DataFrame:
    """n workloads, 5-minute steps, a daily cycle, noise and a per-workload level."""
    rng = np.random.default_rng(seed)
    steps = days * 288
    t = pd.date_range("2026-01-01", periods=steps, freq="5min")
    k = np.arange(steps)
    level = rng.uniform(20, 200, n)[:, None]
    y = level * (1 + 0.4 * np.sin(2 * np.pi * k / 288)) + rng.normal(0, 5, (n, steps))
    return pd.DataFrame({"workload": np.repeat([f"w{i:06d}" for i in range(n)], steps),
                         "ts": np.tile(t.values, n), "rps": y.reshape(-1)})


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--series", type=int, default=300, help="workloads (default 300)")
    p.add_argument("--horizon", type=int, default=288, help="steps ahead (default 288, a day)")
    p.add_argument("--scheduler", help="address of a running Dask scheduler (default: start "
                   "a LocalCluster with 2 worker processes)")
    p.add_argument("--partitions", type=int, default=4, help="partitions (default 4)")
    p.add_argument("--threads", type=int, default=1,
                   help="forecast_batch threads per partition (default 1)")
    args = p.parse_args()

    import dask.dataframe as dd
    from dask.distributed import Client, LocalCluster

    if args.scheduler:
        client = Client(args.scheduler)
        cluster = None
    else:
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                               host="127.0.0.1", dashboard_address=None)
        client = Client(cluster)
    try:
        ddf = dd.from_pandas(synthetic_fleet(args.series), npartitions=args.partitions)
        common = dict(id_col="workload", time_col="ts", value_col="rps", horizon=args.horizon,
                      season=288, threads=args.threads, npartitions=args.partitions)
        t0 = time.perf_counter()
        fc = dist.forecast_frame(ddf, quantiles=(0.5, 0.9), **common).compute()
        t1 = time.perf_counter()
        plans = dist.plan_frame(ddf, target_per_replica=50,
                                plan_options={"risk": 0.05, "min_replicas": 2},
                                **common).compute()
        t2 = time.perf_counter()
        print(f"forecast {args.series} workloads x {args.horizon} steps: {t1 - t0:.1f} s "
              f"({args.series / (t1 - t0):.0f} series/s)")
        print(f"plan: {t2 - t1:.1f} s")
        print(fc.sort_values(["workload", "step"]).head(3).to_string(index=False))
        peak = plans.groupby("workload")["replicas"].max()
        print(f"peak replicas per workload: median {peak.median():.0f}, max {peak.max()}, "
              f"total at peak {peak.sum()}")
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


if __name__ == "__main__":
    main()
