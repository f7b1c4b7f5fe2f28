#!/usr/bin/env python3
"""Fleet throughput: kairos.dist on one process, a Dask LocalCluster and Spark local, and
statsforecast's own Dask/Spark path (fugue) on the same frames.

    python3 bench/python/fleet.py --series 2000                 # every mode
    python3 bench/python/fleet.py --series 100000 --workers 8   # the issue's size
    python3 bench/python/fleet.py --modes single,dask --series 500

Synthetic series: 14 days at 5 minutes (4 032 points) with a daily and a weekly cycle, a
per-series level and noise; horizon one day (288 steps); quantiles 0.1/0.5/0.9. Each mode
runs in a fresh process and reports series/second (the forecast only: building the frame and
starting the cluster are not timed; the input is already in the engine's memory,
partitioned by id) and the peak RSS of each worker process (Dask: each worker; Spark: the
Python workers, not the JVM; single: the process). OPENBLAS_NUM_THREADS=1 everywhere.

Needs, in the interpreter that runs it: the kairos package, pandas, dask[distributed],
pyspark + pyarrow (and Java), and for the sf-* modes statsforecast and fugue[dask,spark].
Modes whose packages are missing are reported as skipped.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from typing import Any, Dict, List

os.environ["OPENBLAS_NUM_THREADS"] = "1"

MODES = ("single", "dask", "spark", "sf-single", "sf-dask", "sf-spark")


def fleet(n: int, days: int = 14, seed: int = 0) -> Any:
    """Long-format pandas frame: id, ts, y (n series x days*288 rows, sorted by id, ts)."""
    import numpy as np
    import pandas as pd
    rng = np.random.default_rng(seed)
    steps = days * 288
    k = np.arange(steps)
    ts = pd.date_range("2026-01-05", periods=steps, freq="5min").values
    frames = []
    for a in range(0, n, 1000):                       # bounded temporary memory
        m = min(1000, n - a)
        level = rng.uniform(20, 500, (m, 1))
        phase = rng.uniform(0, 2 * np.pi, (m, 1))
        y = level * (1 + 0.35 * np.sin(2 * np.pi * k / 288 + phase)
                     + 0.15 * np.sin(2 * np.pi * k / 2016)) \
            + rng.normal(0, 1, (m, steps)) * level * 0.05
        frames.append(pd.DataFrame({"id": np.repeat([f"s{i:07d}" for i in range(a, a + m)],
                                                    steps),
                                    "ts": np.tile(ts, m), "y": y.reshape(-1)}))
    return pd.concat(frames, ignore_index=True)


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run_mode(mode: str, args: argparse.Namespace) -> Dict[str, Any]:
    n = args.sf_series if mode.startswith("sf-") else args.series
    df = fleet(n)
    opts = dict(id_col="id", time_col="ts", value_col="y", horizon=args.horizon,
                model=args.model, season=(288, 2016), quantiles=(0.1, 0.5, 0.9))
    res: Dict[str, Any] = {"mode": mode, "series": n}
    if mode == "single":
        from kairos import dist
        t0 = time.perf_counter()
        out = dist.forecast_frame(df, threads=args.workers, **opts)
        res["seconds"] = time.perf_counter() - t0
        res["rows"] = len(out)
        res["peak_rss_mb"] = [maxrss_mb()]
        res["note"] = f"forecast_batch threads={args.workers}"
    elif mode in ("dask", "sf-dask"):
        import dask.dataframe as dd
        from dask.distributed import Client, LocalCluster, wait
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                               host="127.0.0.1", dashboard_address=None)
        client = Client(cluster)
        try:
            pdf = df.set_index("id", drop=False).rename_axis(None)
            ddf = dd.from_pandas(pdf, npartitions=args.partitions, sort=True).persist()
            wait(ddf)
            del df, pdf
            t0 = time.perf_counter()
            if mode == "dask":
                from kairos import dist
                out = dist.forecast_frame(ddf, threads=1, shuffle=False, **opts)
            else:
                out = sf_forecast(ddf.rename(columns={"id": "unique_id", "ts": "ds"}), args)
            rows = int(out.map_partitions(len).compute().sum())
            res["seconds"] = time.perf_counter() - t0
            res["rows"] = rows
            res["peak_rss_mb"] = sorted(client.run(maxrss_mb).values())
        finally:
            client.close()
            cluster.close()
    elif mode in ("spark", "sf-spark"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        from pyspark.sql import SparkSession
        spark = (SparkSession.builder.master(f"local[{args.workers}]").appName("kairos-bench")
                 .config("spark.sql.session.timeZone", "UTC")
                 .config("spark.ui.enabled", "false")
                 .config("spark.driver.host", "127.0.0.1")
                 .config("spark.driver.memory", "2g")
                 .config("spark.sql.execution.arrow.pyspark.enabled", "true")
                 .config("spark.sql.shuffle.partitions", str(args.partitions))
                 .config("spark.executorEnv.OPENBLAS_NUM_THREADS", "1")
                 .getOrCreate())
        spark.sparkContext.setLogLevel("ERROR")
        try:
            sdf = spark.createDataFrame(df).repartition(args.partitions, "id") \
                .sortWithinPartitions("id", "ts").cache()
            sdf.count()
            del df
            t0 = time.perf_counter()
            if mode == "spark":
                from kairos import dist
                out = dist.forecast_frame(sdf, threads=1, spark_method="map", shuffle=False,
                                          **opts)
            else:
                out = sf_forecast(sdf.withColumnRenamed("id", "unique_id")
                                  .withColumnRenamed("ts", "ds"), args)
            rows = out.count()
            res["seconds"] = time.perf_counter() - t0
            res["rows"] = rows
            rss = spark.sparkContext.parallelize(range(args.workers * 4), args.workers * 4) \
                .mapPartitions(lambda _: [(os.getpid(), maxrss_mb())]).collect()
            res["peak_rss_mb"] = sorted(dict(rss).values())
            res["note"] = "Python workers only (plus a JVM)"
        finally:
            spark.stop()
    elif mode == "sf-single":
        t0 = time.perf_counter()
        out = sf_forecast(df.rename(columns={"id": "unique_id", "ts": "ds"}), args,
                          n_jobs=args.workers)
        res["seconds"] = time.perf_counter() - t0
        res["rows"] = len(out)
        res["peak_rss_mb"] = [maxrss_mb()]
    res["series_per_s"] = n / res["seconds"]
    return res


def sf_forecast(frame: Any, args: argparse.Namespace, n_jobs: int = 1) -> Any:
    """statsforecast MSTL (daily + weekly, AutoETS trend), its default multi-seasonal model;
    pandas in memory, or its fugue backend for Dask and Spark frames."""
    from statsforecast import StatsForecast
    from statsforecast.models import MSTL
    sf = StatsForecast(models=[MSTL(season_length=[288, 2016])], freq="5min", n_jobs=n_jobs)
    return sf.forecast(df=frame, h=args.horizon, level=[80])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--series", type=int, default=2000, help="kairos series (default 2000)")
    p.add_argument("--sf-series", type=int, default=200,
                   help="statsforecast series (default 200: MSTL is much slower)")
    p.add_argument("--horizon", type=int, default=288)
    p.add_argument("--model", default="auto", help="kairos model (default auto)")
    p.add_argument("--workers", type=int, default=2, help="workers / cores (default 2)")
    p.add_argument("--partitions", type=int, default=8, help="partitions (default 8)")
    p.add_argument("--modes", default=",".join(MODES), help=f"comma list of {MODES}")
    p.add_argument("--run", help=argparse.SUPPRESS)          # internal: one mode, JSON out
    args = p.parse_args()
    if args.run:
        print("RESULT " + json.dumps(run_mode(args.run, args)), flush=True)
        return
    results: List[Dict[str, Any]] = []
    for mode in args.modes.split(","):
        cmd = [sys.executable, os.path.abspath(__file__), "--run", mode] + [
            f"--{k.replace('_', '-')}={v}" for k, v in vars(args).items()
            if k not in ("run", "modes")]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        line = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
        if proc.returncode != 0 or not line:
            err = (proc.stderr.strip().splitlines() or ["?"])[-1]
            results.append({"mode": mode, "skipped": err[:160]})
        else:
            results.append(json.loads(line[0][7:]))
        r = results[-1]
        if "skipped" in r:
            print(f"{mode:10s} skipped: {r['skipped']}", flush=True)
        else:
            rss = ", ".join(f"{x:.0f}" for x in r["peak_rss_mb"])
            print(f"{mode:10s} {r['series']:7d} series  {r['seconds']:8.1f} s  "
                  f"{r['series_per_s']:8.1f} series/s  peak RSS/worker MB: {rss}"
                  + (f"  ({r['note']})" if r.get("note") else ""), flush=True)
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
