"""kairos.dist: forecast_frame / plan_frame on pandas, a Dask LocalCluster and Spark local[2]
give exactly what single-machine kairos.forecast_batch (and kairos.plan) give."""
from __future__ import annotations

import os
import sys

import numpy as np
import pytest

import kairos

pd = pytest.importorskip("pandas", reason="kairos.dist needs pandas")
from kairos import dist  # noqa: E402

N, LENGTH, HORIZON, SEASON = 200, 96, 12, 24
QUANTILES = (0.1, 0.5, 0.9)
PLAN = {"risk": 0.1, "headroom": 1.1, "max_replicas": 50}
TARGET = 25.0
QCOLS = ["q0.1", "q0.5", "q0.9"]


def _fleet():
    """N short hourly series with a daily cycle (some shorter, one constant), long format
    and shuffled; and the same series as numpy arrays."""
    rng = np.random.default_rng(42)
    start = np.datetime64("2026-03-01T00:00:00", "s")
    series, stamps, frames = [], [], []
    for i in range(N):
        length = LENGTH - (i % 3) * 12
        k = np.arange(length)
        y = 50 + i % 17 + 10 * np.sin(2 * np.pi * (k + i) / SEASON) + rng.normal(0, 2, length)
        if i == 7:
            y = np.full(length, 5.0)
        ts = start + np.arange(length) * np.timedelta64(3600, "s")
        series.append(y)
        stamps.append(ts.astype(np.int64))
        frames.append(pd.DataFrame({"id": f"w{i:04d}", "ts": ts.astype("datetime64[ns]"),
                                    "y": y, "other": 1}))
    df = pd.concat(frames, ignore_index=True).sample(frac=1.0, random_state=3)
    return df.reset_index(drop=True), [f"w{i:04d}" for i in range(N)], series, stamps


@pytest.fixture(scope="module")
def fleet():
    return _fleet()


@pytest.fixture(scope="module")
def reference(fleet):
    """Long-format frames built from single-machine forecast_batch / plan."""
    _, ids, series, stamps = fleet
    fcs = kairos.forecast_batch(series, timestamps=stamps, horizon=HORIZON, season=SEASON,
                                quantiles=QUANTILES, threads=0)
    rows = []
    for sid, fc in zip(ids, fcs):
        part = pd.DataFrame({"id": sid, "step": np.arange(1, HORIZON + 1),
                             "timestamp": fc.timestamps.astype("datetime64[ns]"),
                             "mean": fc.mean})
        for name, row in zip(QCOLS, fc.quantiles):
            part[name] = row
        rows.append(part)
    fc_ref = pd.concat(rows, ignore_index=True)

    level = 1 - PLAN["risk"]
    from kairos._plan import _with_level
    pfcs = kairos.forecast_batch(series, timestamps=stamps, horizon=HORIZON, season=SEASON,
                                 quantiles=_with_level(level), threads=2)
    rows = []
    for sid, fc, ts in zip(ids, pfcs, stamps):
        p = kairos.plan(fc, target_per_replica=TARGET, step_s=int(ts[1] - ts[0]), **PLAN)
        rows.append(pd.DataFrame({"id": sid, "step": np.arange(1, HORIZON + 1),
                                  "timestamp": fc.timestamps.astype("datetime64[ns]"),
                                  "replicas": p.replicas, "demand": p.demand,
                                  "p_shortfall": p.p_shortfall}))
    return fc_ref, pd.concat(rows, ignore_index=True)


def _same(got, want, columns):
    got = got.sort_values(["id", "step"]).reset_index(drop=True)
    assert list(got.columns) == ["id", "step", "timestamp"] + columns
    assert len(got) == len(want) == N * HORIZON
    assert got["id"].astype(str).tolist() == want["id"].tolist()
    assert got["step"].astype(np.int64).tolist() == want["step"].tolist()
    assert (got["timestamp"].to_numpy().astype("datetime64[s]")
            == want["timestamp"].to_numpy().astype("datetime64[s]")).all()
    for c in columns:   # bit for bit
        np.testing.assert_array_equal(got[c].to_numpy(dtype=np.float64),
                                      want[c].to_numpy(dtype=np.float64), err_msg=c)


# --- pandas ---------------------------------------------------------------------------------

def test_pandas_forecast_equals_batch(fleet, reference):
    df = fleet[0]
    out = dist.forecast_frame(df, id_col="id", time_col="ts", value_col="y", horizon=HORIZON,
                              season=SEASON, quantiles=QUANTILES, threads=2)
    assert isinstance(out, pd.DataFrame)
    _same(out, reference[0], ["mean"] + QCOLS)
    ordered = df.sort_values(["id", "ts"])             # the no-sort path
    out = dist.forecast_frame(ordered, id_col="id", time_col="ts", value_col="y",
                              horizon=HORIZON, season=SEASON, quantiles=QUANTILES)
    _same(out, reference[0], ["mean"] + QCOLS)


def test_pandas_plan_equals_plan(fleet, reference):
    out = dist.plan_frame(fleet[0], id_col="id", time_col="ts", value_col="y",
                          horizon=HORIZON, season=SEASON, target_per_replica=TARGET,
                          plan_options=PLAN, threads=2)
    assert out["replicas"].dtype == np.int64
    _same(out, reference[1], ["replicas", "demand", "p_shortfall"])


def test_pandas_plan_equals_plan_from_history(fleet):
    """plan_frame on one regular series = kairos.plan on its history (as the CLI plans)."""
    df, ids, series, stamps = fleet
    one = df[df["id"] == ids[5]]
    out = dist.plan_frame(one, id_col="id", time_col="ts", value_col="y", horizon=HORIZON,
                          season=SEASON, target_per_replica=TARGET, plan_options=PLAN)
    p = kairos.plan(series[5], timestamps=stamps[5], horizon=HORIZON, season=SEASON,
                    target_per_replica=TARGET, **PLAN)
    np.testing.assert_array_equal(out["replicas"].to_numpy(), p.replicas)
    np.testing.assert_array_equal(out["demand"].to_numpy(), p.demand)


def test_pandas_unix_seconds_and_tz_aware(fleet, reference):
    df = fleet[0].head(0).copy()
    sub = fleet[0][fleet[0]["id"].isin(["w0000", "w0001"])].copy()
    secs = sub.assign(ts=sub["ts"].astype("datetime64[s]").astype(np.int64))
    out = dist.forecast_frame(secs, id_col="id", time_col="ts", value_col="y",
                              horizon=HORIZON, season=SEASON)
    want = reference[0][reference[0]["id"].isin(["w0000", "w0001"])]
    assert out["timestamp"].dtype == np.int64
    assert (out["timestamp"].to_numpy()
            == want["timestamp"].to_numpy().astype("datetime64[s]").astype(np.int64)).all()
    np.testing.assert_array_equal(out["mean"].to_numpy(), want["mean"].to_numpy())
    aware = sub.assign(ts=sub["ts"].dt.tz_localize("UTC").dt.tz_convert("Europe/Paris"))
    out = dist.forecast_frame(aware, id_col="id", time_col="ts", value_col="y",
                              horizon=HORIZON, season=SEASON)
    assert str(out["timestamp"].dt.tz) == "Europe/Paris"
    assert (out["timestamp"].dt.tz_convert("UTC").dt.tz_localize(None).to_numpy()
            .astype("datetime64[s]") == want["timestamp"].to_numpy().astype("datetime64[s]")
            ).all()
    empty = dist.forecast_frame(df, id_col="id", time_col="ts", value_col="y", horizon=3)
    assert len(empty) == 0 and list(empty.columns)[:4] == ["id", "step", "timestamp", "mean"]


def test_pandas_errors(fleet):
    bad = pd.DataFrame({"id": ["a", "a", "b"] + ["c"] * 30,
                        "ts": np.arange(33) * 60, "y": [1.0, np.nan, np.nan] + [2.0] * 30})
    bad.loc[2, "y"] = np.nan
    with pytest.raises(kairos.KairosError, match="series 'a'|series 'b'"):
        dist.forecast_frame(bad, id_col="id", time_col="ts", value_col="y", horizon=2,
                            model="naive")
    out = dist.forecast_frame(bad, id_col="id", time_col="ts", value_col="y", horizon=2,
                              model="naive", errors="return")
    assert list(out.columns)[-1] == "error"
    ok = out[out["id"] == "c"]
    assert ok["error"].isna().all() and (ok["mean"] == 2.0).all()
    assert out[out["id"] == "b"]["error"].str.startswith("series 'b'").all()
    assert out[out["id"] == "b"]["mean"].isna().all()
    with pytest.raises(ValueError, match="engine"):
        dist.forecast_frame(bad, id_col="id", time_col="ts", value_col="y", horizon=2,
                            engine="ray")
    with pytest.raises(TypeError, match="unknown plan option"):
        dist.plan_frame(bad, id_col="id", time_col="ts", value_col="y", horizon=2,
                        target_per_replica=1, plan_options={"riks": 0.1})
    with pytest.raises(ValueError, match="no column"):
        dist.forecast_frame(bad, id_col="id", time_col="t", value_col="y", horizon=2)


def _bad_fleet():
    """'b' is all missing (no model fits it); 'c' is fine."""
    return pd.DataFrame({"id": ["b"] * 30 + ["c"] * 30,
                         "ts": np.tile(np.arange(30) * 60, 2),
                         "y": [np.nan] * 30 + [2.0] * 30})


def test_pandas_plan_errors_return():
    out = dist.plan_frame(_bad_fleet(), id_col="id", time_col="ts", value_col="y", horizon=2,
                          model="naive", target_per_replica=1, errors="return")
    assert str(out["replicas"].dtype) == "Int64"
    assert out[out["id"] == "b"]["replicas"].isna().all()
    assert (out[out["id"] == "c"]["replicas"] == 2).all()
    assert out[out["id"] == "c"]["error"].isna().all()
    assert out[out["id"] == "b"]["error"].notna().all()


def test_missing_engine_says_which_extra(monkeypatch):
    import importlib
    real = importlib.import_module

    def fake(name, *a, **k):
        if name.startswith(("dask", "pyspark")):
            raise ImportError(f"No module named {name!r}")
        return real(name, *a, **k)

    monkeypatch.setattr(importlib, "import_module", fake)
    with pytest.raises(ImportError, match=r"pip install kairos\[dask\]"):
        dist._need("dask.dataframe", "dask")
    with pytest.raises(ImportError, match=r"pip install kairos\[spark\]"):
        dist._need("pyspark.sql.types", "spark")


# --- Dask -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def dask_client():
    pytest.importorskip("dask.dataframe", reason="dask not installed: pip install kairos[dask] "
                        "(run-tests.sh installs it with KAIROS_DIST_TESTS=1)")
    distributed = pytest.importorskip("dask.distributed", reason="dask.distributed not "
                                      "installed: pip install kairos[dask]")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       host="127.0.0.1", dashboard_address=None)
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def test_dask_forecast_equals_batch(fleet, reference, dask_client):
    import dask.dataframe as dd
    ddf = dd.from_pandas(fleet[0], npartitions=4)     # series spread over every partition
    out = dist.forecast_frame(ddf, id_col="id", time_col="ts", value_col="y",
                              horizon=HORIZON, season=SEASON, quantiles=QUANTILES, threads=1,
                              npartitions=3)
    assert isinstance(out, dd.DataFrame)
    got = out.compute()
    assert len(dask_client.scheduler_info()["workers"]) == 2
    _same(got, reference[0], ["mean"] + QCOLS)


def test_dask_plan_equals_plan(fleet, reference, dask_client):
    import dask.dataframe as dd
    ddf = dd.from_pandas(fleet[0], npartitions=4)
    out = dist.plan_frame(ddf, id_col="id", time_col="ts", value_col="y", horizon=HORIZON,
                          season=SEASON, target_per_replica=TARGET, plan_options=PLAN)
    _same(out.compute(), reference[1], ["replicas", "demand", "p_shortfall"])


def test_dask_prepartitioned(fleet, reference, dask_client):
    """shuffle=False on a frame already partitioned by id (sorted index on the id)."""
    import dask.dataframe as dd
    df = fleet[0].sort_values("id")
    ddf = dd.from_pandas(df.set_index("id", drop=False).rename_axis(None), npartitions=5,
                         sort=True)
    out = dist.forecast_frame(ddf, id_col="id", time_col="ts", value_col="y",
                              horizon=HORIZON, season=SEASON, shuffle=False)
    _same(out.compute().reset_index(drop=True), reference[0], ["mean"] + QCOLS)


# --- Spark ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark", reason="pyspark not installed: pip install kairos[spark] "
                        "(run-tests.sh installs it with KAIROS_DIST_TESTS=1)")
    pytest.importorskip("pyarrow", reason="pyarrow not installed: pip install kairos[spark]")
    import shutil
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        pytest.skip("pyspark needs Java (java on PATH or JAVA_HOME)")
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession
    session = (SparkSession.builder.master("local[2]").appName("kairos-test-dist")
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.sql.shuffle.partitions", "4")
               .config("spark.ui.enabled", "false")
               .config("spark.driver.bindAddress", "127.0.0.1")
               .config("spark.driver.host", "127.0.0.1")
               .config("spark.sql.execution.arrow.pyspark.enabled", "true")
               .config("spark.sql.execution.arrow.maxRecordsPerBatch", "500")
               .getOrCreate())
    yield session
    session.stop()


# pyspark's own warnings about pandas 3 are not ours to fix.
_SPARK_NOISE = [pytest.mark.filterwarnings("ignore:PySpark does not yet fully support"),
                pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
                pytest.mark.filterwarnings("ignore:Cannot infer the eval type")]


@pytest.mark.parametrize("method", ["group", "map"])
@_SPARK_NOISE[0]
@_SPARK_NOISE[1]
@_SPARK_NOISE[2]
def test_spark_forecast_equals_batch(fleet, reference, spark, method):
    sdf = spark.createDataFrame(fleet[0])
    out = dist.forecast_frame(sdf, id_col="id", time_col="ts", value_col="y", horizon=HORIZON,
                              season=SEASON, quantiles=QUANTILES, threads=2,
                              spark_method=method)
    assert type(out).__module__.startswith("pyspark")
    assert out.columns == ["id", "step", "timestamp", "mean"] + QCOLS
    # 500-row Arrow batches split series between batches in "map": they must be rejoined.
    _same(out.toPandas(), reference[0], ["mean"] + QCOLS)


@_SPARK_NOISE[0]
@_SPARK_NOISE[1]
@_SPARK_NOISE[2]
def test_spark_plan_equals_plan(fleet, reference, spark):
    sdf = spark.createDataFrame(fleet[0])
    out = dist.plan_frame(sdf, id_col="id", time_col="ts", value_col="y", horizon=HORIZON,
                          season=SEASON, target_per_replica=TARGET, plan_options=PLAN,
                          spark_method="map")
    _same(out.toPandas(), reference[1], ["replicas", "demand", "p_shortfall"])


@_SPARK_NOISE[0]
@_SPARK_NOISE[1]
@_SPARK_NOISE[2]
def test_spark_errors_return(spark):
    want = dist.plan_frame(_bad_fleet(), id_col="id", time_col="ts", value_col="y", horizon=2,
                           model="naive", target_per_replica=1, errors="return")
    sdf = spark.createDataFrame(_bad_fleet())
    got = dist.plan_frame(sdf, id_col="id", time_col="ts", value_col="y", horizon=2,
                          model="naive", target_per_replica=1, errors="return").toPandas()
    got = got.sort_values(["id", "step"]).reset_index(drop=True)
    assert got["replicas"].isna().tolist() == want["replicas"].isna().tolist()
    assert got["error"].tolist() == want["error"].tolist()
    assert got["timestamp"].tolist() == want["timestamp"].tolist()
