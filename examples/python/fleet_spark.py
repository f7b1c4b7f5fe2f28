#!/usr/bin/env python3
"""Forecast and plan a fleet of workloads on Spark.

    python examples/python/fleet_spark.py --series 300                 # local[2]
    spark-submit --master spark://host:7077 examples/python/fleet_spark.py --master ""

Makes a long-format Spark DataFrame of synthetic 5-minute request rates (one row per
workload and time; in real use: spark.read.parquet), forecasts every workload with
kairos.dist.forecast_frame, plans its replicas with plan_frame, and prints a summary.
Needs: pip install ./bindings/python pyspark pyarrow pandas (kairos[spark]) and Java 17;
every executor needs the kairos package too. See docs/scale-out.md.
"""
from __future__ import annotations

import argparse
import os
import sys
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
    p.add_argument("--master", default="local[2]",
                   help='Spark master (default local[2]; "" = whatever spark-submit set)')
    p.add_argument("--partitions", type=int, default=4, help="partitions (default 4)")
    p.add_argument("--threads", type=int, default=1,
                   help="forecast_batch threads per partition (default 1)")
    args = p.parse_args()

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    builder = (SparkSession.builder.appName("kairos-fleet")
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.sql.execution.arrow.pyspark.enabled", "true")
               .config("spark.sql.shuffle.partitions", str(args.partitions))
               .config("spark.executorEnv.OPENBLAS_NUM_THREADS", "1"))
    if args.master:
        builder = builder.master(args.master).config("spark.driver.host", "127.0.0.1")
    spark = builder.getOrCreate()
    try:
        sdf = spark.createDataFrame(synthetic_fleet(args.series)).cache()
        sdf.count()
        common = dict(id_col="workload", time_col="ts", value_col="rps", horizon=args.horizon,
                      season=288, threads=args.threads, spark_method="map",
                      npartitions=args.partitions)
        t0 = time.perf_counter()
        fc = dist.forecast_frame(sdf, quantiles=(0.5, 0.9), **common)
        fc_pd = fc.toPandas()
        t1 = time.perf_counter()
        plans = dist.plan_frame(sdf, target_per_replica=50,
                                plan_options={"risk": 0.05, "min_replicas": 2}, **common)
        peak = plans.groupBy("workload").max("replicas").toPandas()["max(replicas)"]
        t2 = time.perf_counter()
        print(f"forecast {args.series} workloads x {args.horizon} steps: {t1 - t0:.1f} s "
              f"({args.series / (t1 - t0):.0f} series/s)")
        print(f"plan: {t2 - t1:.1f} s")
        print(fc_pd.sort_values(["workload", "step"]).head(3).to_string(index=False))
        print(f"peak replicas per workload: median {peak.median():.0f}, max {peak.max()}, "
              f"total at peak {peak.sum()}")
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
