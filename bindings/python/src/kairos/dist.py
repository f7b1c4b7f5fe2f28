"""Fleets of series on pandas, Dask or Spark: long-format frames in, long-format frames out.

::

    from kairos import dist
    out = dist.forecast_frame(df, id_col="id", time_col="ts", value_col="y", horizon=48)

``df`` holds one row per (series, time): pandas in gives pandas out, a Dask DataFrame gives a
Dask DataFrame (``map_partitions`` with ``meta``), a Spark DataFrame gives a Spark DataFrame
(``groupBy(id).applyInPandas`` with an explicit schema). Every batch of series is forecast
by one :func:`kairos.forecast_batch` call (the C batch API, GIL released, ``threads``
worker threads), so each series gets exactly the numbers ``forecast_batch`` gives it on one
machine, whatever the engine and the partitioning.

pandas is needed; Dask (``pip install kairos[dask]``) and pyspark (``pip install
kairos[spark]``) are imported only when a frame of theirs comes in. See docs/scale-out.md.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, Iterator, List, Literal, Optional, Sequence, Tuple

import numpy as np

from ._batch import forecast_batch
from ._core import Season, _level_name
from ._errors import KairosError, _from_status
from ._plan import _planned_level, _with_level, plan as _plan

__all__ = ["forecast_frame", "plan_frame"]

Engine = Optional[Literal["dask", "spark"]]

_PLAN_OPTIONS = ("headroom", "quantile", "risk", "min_replicas", "max_replicas",
                 "max_up_factor", "max_down", "stabilization", "lead_time", "current")


def _need(module: str, extra: str) -> Any:
    """Import ``module`` or say which extra installs it."""
    import importlib
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ImportError(f"kairos.dist needs {module.split('.')[0]} for this: "
                          f"pip install kairos[{extra}]  ({exc})") from exc


def _pandas() -> Any:
    return _need("pandas", "pandas")


@dataclass(frozen=True)
class _Spec:
    """What one partition needs (picklable: it travels to the workers)."""
    id_col: str
    time_col: str
    value_col: str
    horizon: int
    model: str
    quantiles: Tuple[float, ...]
    season: Any
    threads: int
    errors: str
    model_options: Dict[str, Any] = field(default_factory=dict)
    plan_options: Optional[Dict[str, Any]] = None   # set: plan_frame
    step_s: Optional[int] = None

    def value_columns(self) -> List[Tuple[str, str]]:
        """(name, numpy dtype) of the columns after id, step, timestamp."""
        if self.plan_options is not None:
            # errors="return": failed series have no replicas (pandas' nullable Int64)
            cols = [("replicas", "Int64" if self.errors == "return" else "int64"),
                    ("demand", "float64"), ("p_shortfall", "float64")]
        else:
            cols = [("mean", "float64")] + [(f"q{_level_name(q)}", "float64")
                                            for q in self.quantiles]
        if self.errors == "return":
            cols.append(("error", "object"))
        return cols


# ---------------------------------------------------------------------------------------------
# The pandas kernel: one partition (or group) of rows -> its long-format output.

def _time_kind(dtype: Any) -> str:
    """How the time column is read and written: 'naive', 'aware' (datetimes) or 'int'."""
    pd = _pandas()
    if isinstance(dtype, pd.DatetimeTZDtype):
        return "aware"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "naive"
    if pd.api.types.is_numeric_dtype(dtype):
        return "int"
    raise TypeError(f"time column of dtype {dtype}: give datetimes or Unix seconds")


def _empty_output(id_dtype: Any, time_dtype: Any, spec: _Spec) -> Any:
    pd = _pandas()
    kind = _time_kind(time_dtype)
    ts_dtype: Any = {"int": "int64", "naive": "datetime64[ns]"}.get(kind, time_dtype)
    cols: Dict[str, Any] = {spec.id_col: pd.Series([], dtype=id_dtype),
                            "step": pd.Series([], dtype="int64"),
                            "timestamp": pd.Series([], dtype=ts_dtype)}
    for name, dt in spec.value_columns():
        cols[name] = pd.Series([], dtype=dt)
    return pd.DataFrame(cols)


def _sorted(pdf: Any, spec: _Spec) -> bool:
    """Rows already grouped by id in increasing order, each series in increasing time."""
    ids = pdf[spec.id_col]
    if len(pdf) < 2 or not ids.is_monotonic_increasing:
        return len(pdf) < 2
    t = pdf[spec.time_col].to_numpy()
    same = ids.to_numpy()[1:] == ids.to_numpy()[:-1]
    return bool(np.all(t[1:][same] > t[:-1][same]))


def _split(pdf: Any, spec: _Spec) -> Tuple[np.ndarray, List[np.ndarray], List[np.ndarray]]:
    """Ids, and per id its values and Unix-second timestamps in time order."""
    pd = _pandas()
    if pdf[spec.id_col].isna().any():
        pdf = pdf[pdf[spec.id_col].notna()]
    if not _sorted(pdf, spec):      # Spark "map" and pre-sorted partitions skip the sort
        pdf = pdf.sort_values([spec.id_col, spec.time_col], kind="mergesort")
    ids = pdf[spec.id_col].to_numpy()
    times = pdf[spec.time_col]
    if _time_kind(times.dtype) == "aware":
        times = times.dt.tz_convert("UTC").dt.tz_localize(None)
    if pd.api.types.is_datetime64_any_dtype(times.dtype):
        secs = times.to_numpy().astype("datetime64[s]").astype(np.int64)
    else:
        secs = np.rint(times.to_numpy(dtype=np.float64)).astype(np.int64)
    vals = pdf[spec.value_col].to_numpy(dtype=np.float64, na_value=np.nan)
    if ids.size == 0:
        return ids, [], []
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
    bounds = np.r_[starts, ids.size]
    series = [vals[a:b] for a, b in zip(bounds[:-1], bounds[1:])]
    stamps = [secs[a:b] for a, b in zip(bounds[:-1], bounds[1:])]
    return ids[starts], series, stamps


def _run(pdf: Any, spec: _Spec) -> Any:
    """The kernel every engine runs: forecast (and plan) each series of ``pdf``."""
    pd = _pandas()
    out_empty = _empty_output(pdf[spec.id_col].dtype, pdf[spec.time_col].dtype, spec)
    ids, series, stamps = _split(pdf, spec)
    n, h = len(series), spec.horizon
    if n == 0:
        return out_empty
    if spec.plan_options is not None:
        level = _planned_level(spec.plan_options.get("quantile"), spec.plan_options.get("risk"))
        quantiles: Sequence[float] = _with_level(level)
    else:
        quantiles = spec.quantiles
    fcs = forecast_batch(series, timestamps=stamps, horizon=h, season=spec.season,
                         model=spec.model, quantiles=quantiles, threads=spec.threads,
                         errors="return", **spec.model_options)
    names = [name for name, _ in spec.value_columns() if name != "error"]
    block = np.full((len(names), n, h), np.nan)
    ts = np.full((n, h), np.iinfo(np.int64).min, dtype=np.int64)    # NaT
    errors: List[Optional[str]] = [None] * n
    for i, fc in enumerate(fcs):
        if isinstance(fc, KairosError):
            msg = f"series {ids[i]!r}: " + str(fc).split(": ", 1)[-1]
            if spec.errors == "raise":
                raise _from_status(fc.status, msg) from fc
            errors[i] = msg
            continue
        if fc.timestamps is not None:
            ts[i] = fc.timestamps.astype(np.int64)
        if spec.plan_options is None:
            block[0, i] = fc.mean
            block[1:, i] = fc.quantiles
            continue
        step_s = spec.step_s
        if step_s is None and stamps[i].size >= 2:
            step_s = int(stamps[i][-1] - stamps[i][-2])
        try:
            p = _plan(fc, step_s=step_s if step_s and step_s > 0 else None, **spec.plan_options)
        except KairosError as exc:
            if spec.errors == "raise":
                raise type(exc)(f"series {ids[i]!r}: {exc}", exc.status) from exc
            errors[i] = f"series {ids[i]!r}: {exc}"
            continue
        block[0, i] = p.replicas
        block[1, i] = p.demand
        block[2, i] = p.p_shortfall

    cols: Dict[str, Any] = {spec.id_col: np.repeat(ids, h),
                            "step": np.tile(np.arange(1, h + 1, dtype=np.int64), n)}
    kind = _time_kind(pdf[spec.time_col].dtype)
    flat_ts = ts.reshape(-1)
    if kind == "int":
        cols["timestamp"] = flat_ts      # int64 seconds; no timestamp: INT64_MIN
    else:
        stamp = pd.Series(flat_ts.astype("datetime64[s]").astype("datetime64[ns]"))
        if kind == "aware":
            stamp = stamp.dt.tz_localize("UTC")
        # the meta's type: datetime64[ns] for naive input, the input's own tz-aware type
        cols["timestamp"] = stamp.astype(out_empty["timestamp"].dtype).to_numpy()
    for j, name in enumerate(names):
        cols[name] = block[j].reshape(-1)
    if spec.plan_options is not None:
        ok = np.repeat(np.array([e is None for e in errors]), h)
        replicas = np.where(ok, cols["replicas"], 0).astype(np.int64)
        if spec.errors == "return":
            cols["replicas"] = pd.arrays.IntegerArray(replicas, ~ok)
        else:
            cols["replicas"] = replicas
    if spec.errors == "return":
        cols["error"] = np.repeat(np.array(errors, dtype=object), h)
    out = pd.DataFrame(cols)
    out[spec.id_col] = out[spec.id_col].astype(out_empty[spec.id_col].dtype)
    return out


def _run_stream(batches: Iterable[Any], spec: _Spec) -> Iterator[Any]:
    """mapInPandas: batches of a partition sorted by id; a series may straddle two batches,
    so the last id of each batch waits for the next one."""
    pd = _pandas()
    carry = None
    for pdf in batches:
        if carry is not None:
            pdf = pd.concat([carry, pdf], ignore_index=True)
        if len(pdf) == 0:
            continue
        last = pdf[spec.id_col].iloc[-1]
        tail = (pdf[spec.id_col] == last).to_numpy()
        carry = pdf[tail]
        done = pdf[~tail]
        if len(done):
            yield _run(done, spec)
    if carry is not None and len(carry):
        yield _run(carry, spec)


# ---------------------------------------------------------------------------------------------
# Engines.

def _detect(df: Any, engine: Engine) -> str:
    if engine is not None:
        if engine not in ("dask", "spark"):
            raise ValueError(f"engine must be None, 'dask' or 'spark', not {engine!r}")
        return engine
    mod = type(df).__module__
    if mod.startswith("pyspark"):
        return "spark"
    if mod.startswith(("dask", "dask_expr")):
        return "dask"
    if mod.startswith("pandas"):
        return "pandas"
    raise TypeError(f"forecast_frame takes a pandas, Dask or Spark DataFrame, not "
                    f"{type(df).__name__}")


def _dask(df: Any, spec: _Spec, shuffle: bool, npartitions: Optional[int]) -> Any:
    _need("dask.dataframe", "dask")
    cols = [spec.id_col, spec.time_col, spec.value_col]
    ddf = df[cols]
    if shuffle:          # every row of a series into one partition
        ddf = ddf.shuffle(on=spec.id_col, npartitions=npartitions)
    elif npartitions is not None:
        raise ValueError("npartitions needs shuffle=True")
    meta = _empty_output(ddf._meta[spec.id_col].dtype, ddf._meta[spec.time_col].dtype, spec)
    return ddf.map_partitions(_run, spec, meta=meta)


def _spark_type(dtype: str, T: Any) -> Any:
    return {"int64": T.LongType(), "Int64": T.LongType(), "float64": T.DoubleType(),
            "object": T.StringType()}[dtype]


def _spark(df: Any, spec: _Spec, shuffle: bool, npartitions: Optional[int],
           spark_method: str) -> Any:
    T = _need("pyspark.sql.types", "spark")
    fields = {f.name: f for f in df.schema.fields}
    for c in (spec.id_col, spec.time_col, spec.value_col):
        if c not in fields:
            raise ValueError(f"no column {c!r} in the Spark DataFrame")
    tfield = fields[spec.time_col].dataType
    if isinstance(tfield, T.TimestampType) or type(tfield).__name__ == "TimestampNTZType":
        ts_type = tfield
    elif isinstance(tfield, T.NumericType):
        ts_type = T.LongType()
    else:
        raise TypeError(f"time column of Spark type {tfield}: give timestamps or Unix seconds")
    schema = T.StructType(
        [T.StructField(spec.id_col, fields[spec.id_col].dataType, True),
         T.StructField("step", T.LongType(), False),
         T.StructField("timestamp", ts_type, True)]
        + [T.StructField(name, _spark_type(dt, T), True) for name, dt in spec.value_columns()])
    sdf = df.select(spec.id_col, spec.time_col, spec.value_col)
    # Plain functions (pyspark reads their signatures), pickled with the spec by cloudpickle.
    def one_group(pdf: Any) -> Any:
        return _spark_ready(_run(pdf, spec), spec)

    def batches(it: Iterable[Any]) -> Iterator[Any]:
        for out in _run_stream(it, spec):
            yield _spark_ready(out, spec)

    if spark_method == "group":
        return sdf.groupBy(spec.id_col).applyInPandas(one_group, schema=schema)
    if spark_method != "map":
        raise ValueError("spark_method must be 'group' or 'map'")
    if shuffle:
        sdf = (sdf.repartition(npartitions, spec.id_col) if npartitions
               else sdf.repartition(spec.id_col))
    sdf = sdf.sortWithinPartitions(spec.id_col, spec.time_col)
    return sdf.mapInPandas(batches, schema=schema)


def _spark_ready(out: Any, spec: _Spec) -> Any:
    """Nullable replicas (errors="return") as Python ints and None, which every pyspark and
    pyarrow version turns into a LongType column with nulls."""
    if spec.plan_options is not None and str(out["replicas"].dtype) == "Int64":
        out["replicas"] = out["replicas"].astype(object).where(out["replicas"].notna(), None)
    return out


def _dispatch(df: Any, spec: _Spec, engine: Engine, shuffle: bool,
              npartitions: Optional[int], spark_method: str) -> Any:
    kind = _detect(df, engine)
    if kind == "pandas":
        missing = [c for c in (spec.id_col, spec.time_col, spec.value_col) if c not in df.columns]
        if missing:
            raise ValueError(f"no column(s) {missing} in the DataFrame")
        return _run(df[[spec.id_col, spec.time_col, spec.value_col]], spec)
    if kind == "dask":
        return _dask(df, spec, shuffle, npartitions)
    return _spark(df, spec, shuffle, npartitions, spark_method)


def _check(horizon: int, threads: int, errors: str) -> None:
    if int(horizon) < 1:
        raise ValueError("horizon must be at least 1")
    if int(threads) < 0:
        raise ValueError("threads must be >= 0")
    if errors not in ("raise", "return"):
        raise ValueError("errors must be 'raise' or 'return'")


def forecast_frame(df: Any, *, id_col: str, time_col: str, value_col: str, horizon: int,
                   model: str = "auto", quantiles: Iterable[float] = (0.1, 0.5, 0.9),
                   season: Season = None, threads: int = 1, engine: Engine = None,
                   errors: Literal["raise", "return"] = "raise", shuffle: bool = True,
                   npartitions: Optional[int] = None,
                   spark_method: Literal["group", "map"] = "group",
                   **model_options: Any) -> Any:
    """Forecast every series of a long-format frame.

    Args:
        df: pandas, Dask or Spark DataFrame with one row per (series, time); other columns
            are ignored. Rows may come in any order (sorted by time per series here); series
            are taken as given, as by forecast_batch: put them on a regular step first.
        id_col, time_col, value_col: the columns. Time: datetimes (naive = UTC) or Unix
            seconds; values: numbers, NaN/null = missing.
        horizon, model, quantiles, season, **model_options: as kairos.forecast_batch.
        threads: forecast_batch worker threads per partition (0 = the calling thread).
        engine: None picks it from the type of ``df``; "dask" or "spark" to insist.
        errors: "raise" raises the first failed series' error, naming its id (pandas at
            once, Dask/Spark when computed); "return" adds an ``error`` column (None when
            fine) and gives failed series NaN forecasts.
        shuffle: Dask: shuffle rows by id first (``df.shuffle(on=id_col)``); pass False only
            when every series already lies in one partition. Spark with
            ``spark_method="map"``: repartition by id first.
        npartitions: partitions after that shuffle (default: the engine's).
        spark_method: "group" (``groupBy(id).applyInPandas``: one series per call) or "map"
            (repartition by id, sort within partitions, ``mapInPandas``: batches of many
            series per forecast_batch call, so ``threads`` matters).

    Returns:
        A frame of the input's kind: id, step (1..horizon), timestamp (the time column's
        kind; NaT, or INT64_MIN for Unix seconds, when the history is not evenly spaced),
        mean, and one column per quantile named ``q0.1``, ``q0.5``, ... (in Spark SQL quote
        them: ``col("`q0.9`")``). pandas output is sorted by id and step; Dask and Spark
        output has no order.
    """
    _check(horizon, threads, errors)
    spec = _Spec(id_col, time_col, value_col, int(horizon), model,
                 tuple(float(q) for q in quantiles), season, int(threads), errors,
                 dict(model_options))
    return _dispatch(df, spec, engine, shuffle, npartitions, spark_method)


def plan_frame(df: Any, *, id_col: str, time_col: str, value_col: str, horizon: int,
               target_per_replica: float, model: str = "auto", season: Season = None,
               step_s: Optional[int] = None, threads: int = 1, engine: Engine = None,
               errors: Literal["raise", "return"] = "raise", shuffle: bool = True,
               npartitions: Optional[int] = None,
               spark_method: Literal["group", "map"] = "group",
               plan_options: Optional[Dict[str, Any]] = None,
               **model_options: Any) -> Any:
    """Plan replicas for every series of a long-format frame.

    Each series is forecast with forecast_batch on the quantile grid ``kairos plan`` uses
    (PLAN_LEVELS plus the planned level) and planned by :func:`kairos.plan` with
    ``target_per_replica`` and ``plan_options`` (headroom, quantile | risk, min_replicas,
    max_replicas, max_up_factor, max_down, stabilization, lead_time, current — one dict for
    every series). ``step_s`` defaults to each series' last time step. Other arguments as
    forecast_frame().

    Returns:
        A frame of the input's kind: id, step, timestamp, replicas (int64), demand,
        p_shortfall (and ``error`` with errors="return").
    """
    _check(horizon, threads, errors)
    opts = dict(plan_options or {})
    unknown = sorted(set(opts) - set(_PLAN_OPTIONS))
    if unknown:
        raise TypeError(f"unknown plan option(s): {', '.join(unknown)}")
    opts["target_per_replica"] = float(target_per_replica)
    _planned_level(opts.get("quantile"), opts.get("risk"))      # fail early on bad levels
    spec = _Spec(id_col, time_col, value_col, int(horizon), model, (), season, int(threads),
                 errors, dict(model_options), opts, step_s)
    return _dispatch(df, spec, engine, shuffle, npartitions, spark_method)
