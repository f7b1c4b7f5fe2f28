"""Series, models and forecasts: the pythonic layer over kairos.capi (SWIG)."""
from __future__ import annotations

import datetime as _dt
import json
import os
import re
from typing import Any, Dict, Iterable, List, Mapping, NamedTuple, Optional, Sequence, Tuple, Union

import numpy as np

from . import capi as _c
from ._errors import KairosInvalidArgument

__all__ = [
    "History", "Forecast", "Model", "read_csv", "parse_csv", "fit", "forecast", "backtest",
    "levels_to_quantiles", "parse_timestamp", "format_timestamp", "parse_duration",
]

ArrayLike = Union[Sequence[float], np.ndarray, Any]
TimestampsLike = Union[Sequence[Any], np.ndarray, Any, None]
Season = Union[int, Sequence[int], None]
Duration = Union[int, float, str, _dt.timedelta, None]

DEFAULT_QUANTILES: Tuple[float, ...] = (0.1, 0.5, 0.9)
_AGGS = {"mean": 0, "max": 1, "last": 2, "sum": 3}
_FILLS = {"none": 0, "linear": 1, "previous": 2}
_MODEL_OPTIONS = ("order", "seasonal_order", "include_mean", "include_drift", "exhaustive",
                  "profile_seasons", "ets_model", "adjusted_model", "stl_robust", "stl_periodic",
                  "stl_s_window", "dhr_max_k", "adjusted_window")


# ---- conversions --------------------------------------------------------------------------

def _invalid(message: str) -> KairosInvalidArgument:
    return KairosInvalidArgument(message, -1)


def _float_array(values: ArrayLike, name: str = "values") -> np.ndarray:
    """A 1-D contiguous float64 array; no copy when ``values`` already is one."""
    arr = np.ascontiguousarray(values, dtype=np.float64)
    if arr.ndim != 1:
        raise _invalid(f"{name} must be one-dimensional, got shape {arr.shape}")
    return arr


def parse_timestamp(text: str) -> int:
    """Parse an ISO 8601 date-time or Unix-seconds string into Unix seconds (UTC).

    Uses the library's own parser (``kairos_parse_timestamp``), so it accepts exactly what the
    CSV reader accepts. Raises KairosParseError for a malformed or impossible date.
    """
    return int(_c.kpy_parse_timestamp(str(text)))


def format_timestamp(t: int) -> str:
    """Format Unix seconds as ISO 8601 UTC (``2024-05-01T13:00:00Z``)."""
    return _c.kpy_format_timestamp(int(t))


def _one_timestamp(x: Any) -> int:
    if isinstance(x, str):
        return parse_timestamp(x)
    if isinstance(x, _dt.datetime):
        if x.tzinfo is None:
            x = x.replace(tzinfo=_dt.timezone.utc)
        return int(round(x.timestamp()))
    if isinstance(x, np.datetime64):
        return int(x.astype("datetime64[s]").astype(np.int64))
    if hasattr(x, "timestamp"):           # pandas.Timestamp
        return int(round(x.timestamp()))
    return int(x)


def _timestamp_array(timestamps: TimestampsLike, n: Optional[int] = None) -> Optional[np.ndarray]:
    """Unix seconds as a contiguous int64 array from ints, numpy datetime64, pandas
    datetimes (naive = UTC), datetime objects or ISO 8601 strings."""
    if timestamps is None:
        return None
    tz = getattr(getattr(timestamps, "dtype", None), "tz", None)
    if tz is not None:                    # tz-aware pandas: instants in UTC
        aware: Any = timestamps
        timestamps = aware.tz_convert("UTC").tz_localize(None)
    arr = np.asarray(timestamps)
    if arr.dtype.kind == "M":
        out = arr.astype("datetime64[s]").astype(np.int64)
    elif arr.dtype.kind in "iu":
        out = arr.astype(np.int64)
    elif arr.dtype.kind == "f":
        out = np.rint(arr).astype(np.int64)
    else:
        out = np.array([_one_timestamp(x) for x in arr.ravel()], dtype=np.int64).reshape(arr.shape)
    out = np.ascontiguousarray(out)
    if n is not None and out.shape != (n,):
        raise _invalid(f"timestamps have {out.size} entries but values have {n}")
    return out


_DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(value: Duration) -> int:
    """Seconds from ``90``, ``"90"``, ``"30s"``, ``"5m"``, ``"1h"``, ``"2d"``, ``"1w"``, a sum
    such as ``"1h30m"``, or a ``datetime.timedelta`` (the CLI's duration syntax)."""
    if value is None:
        return 0
    if isinstance(value, _dt.timedelta):
        return int(round(value.total_seconds()))
    if isinstance(value, np.timedelta64):
        return int(value.astype("timedelta64[s]").astype(np.int64))
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return int(round(float(value)))
    text = str(value).strip()
    if re.fullmatch(r"\d+", text):
        return int(text)
    parts = re.findall(r"(\d+)([smhdw])", text)
    if not parts or "".join(a + b for a, b in parts) != text:
        raise _invalid(f"'{value}' is not a duration (use 90, 30s, 5m, 1h, 2d, 1w or 1h30m)")
    return sum(int(a) * _DURATION_UNITS[b] for a, b in parts)


def _periods(season: Season) -> np.ndarray:
    if season is None:
        return np.zeros(0, dtype=np.int64)
    if isinstance(season, (int, np.integer)):
        season = [int(season)]
    arr = np.ascontiguousarray([int(s) for s in season], dtype=np.int64)
    if arr.size and (arr < 1).any():
        raise _invalid("seasonal periods must be at least 1")
    return arr


def _fit_fields(horizon: Optional[int], options: Mapping[str, Any]
                ) -> Tuple[np.ndarray, Optional[str], Optional[str]]:
    """kairos_fit_opts as the glue takes it: the integer fields (kairos_py.h, kpy_fit_field)
    and the two strings beside the model name."""
    unknown = sorted(set(options) - set(_MODEL_OPTIONS))
    if unknown:
        raise TypeError(f"unknown model option(s): {', '.join(unknown)} "
                        f"(known: {', '.join(_MODEL_OPTIONS)})")
    order = options.get("order") or (0, 0, 0)
    sorder = options.get("seasonal_order") or (0, 0, 0)
    if len(order) != 3 or len(sorder) != 3:
        raise _invalid("order and seasonal_order are (p, d, q) triples")

    def tri(x: Optional[bool]) -> int:
        return -1 if x is None else int(bool(x))

    window = options.get("adjusted_window")
    fields = [horizon or 0, options.get("profile_seasons") or 0, *order, *sorder,
              tri(options.get("include_mean")), tri(options.get("include_drift")),
              int(bool(options.get("exhaustive", False))),
              int(bool(options.get("stl_robust", False))),
              int(bool(options.get("stl_periodic", False))),
              options.get("stl_s_window") or 0, options.get("dhr_max_k") or 0,
              0 if window is None else (-1 if window == "all" else int(window))]
    return (np.ascontiguousarray(fields, dtype=np.int64), options.get("ets_model"),
            options.get("adjusted_model"))


def levels_to_quantiles(levels: Iterable[float]) -> np.ndarray:
    """Quantile levels of central intervals in percent: 80 → (0.1, 0.9).

    Returns ``[lo_1, hi_1, lo_2, hi_2, ...]`` as computed by ``kairos_levels_to_quantiles``.
    """
    lv = _float_array(list(levels), "levels")
    out = np.empty(2 * lv.size, dtype=np.float64)
    _c.kpy_levels_to_quantiles(lv, out)
    return out


def _quantile_plan(quantiles: Optional[Iterable[float]], levels: Optional[Iterable[float]]
                   ) -> Tuple[np.ndarray, Tuple[float, ...]]:
    """The quantile levels to ask for, and the interval levels they come from (if any)."""
    if quantiles is not None and levels is not None:
        raise _invalid("give quantiles or levels, not both")
    if levels is not None:
        lv = tuple(float(x) for x in levels)
        return levels_to_quantiles(lv), lv
    qs = DEFAULT_QUANTILES if quantiles is None else tuple(float(x) for x in quantiles)
    return _float_array(list(qs), "quantiles"), ()


def _level_name(x: float) -> str:
    """The CLI's spelling of a level: the shortest repr that reads back (0.1, 0.5, 80)."""
    r = repr(float(x))
    return r[:-2] if r.endswith(".0") else r


# ---- history ------------------------------------------------------------------------------

class History(NamedTuple):
    """A metric history read by read_csv() / parse_csv(): values (float64, NaN = missing),
    timestamps (int64 Unix seconds, or None) and the series name ("" when none)."""
    values: np.ndarray
    timestamps: Optional[np.ndarray]
    name: str


def _history_from_series(series: Any) -> History:
    n = int(_c.kairos_series_length(series))
    values = np.empty(n, dtype=np.float64)
    ts = np.empty(n, dtype=np.int64) if _c.kpy_series_has_timestamps(series) else None
    _c.kpy_series_copy(series, values, ts)
    return History(values, ts, _c.kairos_series_name(series) or "")


def read_csv(path: Union[str, os.PathLike], *, column: Optional[str] = None) -> History:
    """Read a CSV metric history with the library's reader (the CLI's input rules: optional
    header, ``value`` or ``timestamp,value`` columns, ISO 8601 or Unix-second timestamps,
    ``NA``/``NaN``/empty = missing). Points keep their file order; forecast() regularizes.

    Raises KairosIOError (unreadable file), KairosParseError, KairosDataError.
    """
    return _history_from_series(_c.kpy_series_read_csv(os.fspath(path), column))


def parse_csv(text: Union[str, bytes], *, column: Optional[str] = None) -> History:
    """Like read_csv(), from CSV text held in memory."""
    return _history_from_series(_c.kpy_series_parse_csv(text, column))


# ---- forecasts ----------------------------------------------------------------------------

class Forecast:
    """A forecast: ``mean`` (h,), ``quantiles`` (k, h) at ``quantile_levels`` (k,), and for
    interval levels (``levels=[80, 95]``) ``lo[80]``/``hi[80]`` arrays. ``timestamps`` is a
    ``datetime64[s]`` array (UTC) when the history had timestamps, else None."""

    mean: np.ndarray
    quantiles: np.ndarray
    quantile_levels: np.ndarray
    levels: Tuple[float, ...]
    timestamps: Optional[np.ndarray]
    model: Optional[str]
    step_s: Optional[int]

    def __init__(self, mean: np.ndarray, quantiles: np.ndarray, quantile_levels: np.ndarray,
                 levels: Tuple[float, ...] = (), timestamps: Optional[np.ndarray] = None,
                 model: Optional[str] = None, step_s: Optional[int] = None) -> None:
        self.mean = mean
        self.quantiles = quantiles
        self.quantile_levels = quantile_levels
        self.levels = tuple(levels)
        self.timestamps = timestamps
        self.model = model
        self.step_s = step_s

    @property
    def horizon(self) -> int:
        """Steps ahead."""
        return int(self.mean.shape[0])

    @property
    def lo(self) -> Dict[float, np.ndarray]:
        """Lower bound of each central interval, keyed by level in percent."""
        return {lv: self.quantiles[2 * i] for i, lv in enumerate(self.levels)}

    @property
    def hi(self) -> Dict[float, np.ndarray]:
        """Upper bound of each central interval, keyed by level in percent."""
        return {lv: self.quantiles[2 * i + 1] for i, lv in enumerate(self.levels)}

    def quantile(self, level: float) -> np.ndarray:
        """The row of ``quantiles`` at ``level`` (one of ``quantile_levels``)."""
        hits = np.flatnonzero(np.abs(self.quantile_levels - level) <= 1e-12)
        if not hits.size:
            raise KeyError(f"no quantile at level {level}; have {list(self.quantile_levels)}")
        return self.quantiles[hits[0]]

    def columns(self) -> Dict[str, np.ndarray]:
        """The CLI's output columns in order: mean, then q<level>... or lo<L>, hi<L>..."""
        cols: Dict[str, np.ndarray] = {"mean": self.mean}
        if self.levels:
            for i, lv in enumerate(self.levels):
                cols[f"lo{_level_name(lv)}"] = self.quantiles[2 * i]
                cols[f"hi{_level_name(lv)}"] = self.quantiles[2 * i + 1]
        else:
            for i, q in enumerate(self.quantile_levels):
                cols[f"q{_level_name(q)}"] = self.quantiles[i]
        return cols

    def to_pandas(self) -> Any:
        """A pandas DataFrame of columns(), indexed by timestamp (UTC) or by step (from 1).
        Needs pandas."""
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("Forecast.to_pandas() needs pandas: pip install pandas") from exc
        index: Any
        if self.timestamps is not None:
            index = pd.DatetimeIndex(self.timestamps, name="timestamp").tz_localize("UTC")
        else:
            index = pd.RangeIndex(1, self.horizon + 1, name="step")
        return pd.DataFrame(self.columns(), index=index)

    def __repr__(self) -> str:
        what = (f"levels={list(self.levels)}" if self.levels
                else f"quantiles={[float(q) for q in self.quantile_levels]}")
        return f"<kairos.Forecast model={self.model!r} horizon={self.horizon} {what}>"


class Model:
    """A fitted model (immutable; safe to share between threads). Build it with fit()."""

    def __init__(self, handle: Any, *, timed: bool, step_s: Optional[int],
                 regularization: Optional[Dict[str, int]] = None) -> None:
        self._handle = handle
        self._timed = timed
        self.step_s = step_s
        self.regularization = regularization
        self._report: Optional[Dict[str, Any]] = None

    def report(self) -> Dict[str, Any]:
        """The fitted model as a dict (``kairos_model_report_json``): name, order,
        seasonal_order, period, coef, loglik, sigma2, aic, aicc, bic, nobs, and model extras.
        Statistics a model does not define are None."""
        if self._report is None:
            self._report = json.loads(_c.kpy_model_report_json(self._handle))
        return dict(self._report)

    @property
    def name(self) -> str:
        """The model actually fitted ("snaive", ...; for auto, the one it chose)."""
        return str(self.report()["name"])

    @property
    def coef(self) -> Dict[str, float]:
        """Estimated coefficients by R's names ({} for most baselines)."""
        return dict(self.report().get("coef") or {})

    def forecast(self, horizon: int, *, quantiles: Optional[Iterable[float]] = None,
                 levels: Optional[Iterable[float]] = None) -> Forecast:
        """Forecast ``horizon`` steps with quantiles (default 0.1, 0.5, 0.9) or central
        intervals (``levels=[80, 95]``). Raises KairosInvalidArgument for a bad horizon or level,
        KairosModelError when a value would not be finite."""
        horizon = int(horizon)
        if horizon < 1:
            raise _invalid("horizon must be at least 1")
        qlevels, ilevels = _quantile_plan(quantiles, levels)
        mean = np.empty(horizon, dtype=np.float64)
        q = np.empty((qlevels.size, horizon), dtype=np.float64)
        _c.kpy_model_forecast(self._handle, qlevels, mean, q.reshape(-1) if qlevels.size else None)
        ts = None
        if self._timed:
            raw = np.empty(horizon, dtype=np.int64)
            _c.kpy_model_forecast_timestamps(self._handle, raw)
            ts = raw.astype("datetime64[s]")
        return Forecast(mean, q, qlevels, ilevels, ts, self.name, self.step_s)

    def __repr__(self) -> str:
        return f"<kairos.Model {self.name}>"


def _build_series(values: ArrayLike, timestamps: TimestampsLike, step: Duration, agg: str,
                  fill: str, regularize: bool) -> Tuple[Any, bool, Optional[int],
                                                        Optional[Dict[str, int]]]:
    if isinstance(values, History):
        if timestamps is None:
            timestamps = values.timestamps
        values = values.values
    elif timestamps is None:
        index = getattr(values, "index", None)     # a pandas Series with a DatetimeIndex
        if index is not None and getattr(index, "dtype", None) is not None and \
                getattr(index.dtype, "kind", "") == "M":
            timestamps = index
    v = _float_array(values)
    ts = _timestamp_array(timestamps, v.size)
    if agg not in _AGGS:
        raise _invalid(f"agg must be one of {', '.join(_AGGS)}, got '{agg}'")
    if fill not in _FILLS:
        raise _invalid(f"fill must be one of {', '.join(_FILLS)}, got '{fill}'")
    series = _c.kpy_series_from_arrays(v, ts)
    if ts is None:
        if step is not None or agg != "mean" or fill != "none":
            raise _invalid("values have no timestamps, so step, agg and fill do not apply")
        return series, False, None, None
    if not regularize:
        return series, True, None, None
    report = np.zeros(8, dtype=np.int64)
    regular = _c.kpy_series_regularize(series, parse_duration(step), _AGGS[agg], _FILLS[fill],
                                       report)
    keys = ("points_in", "points_out", "reordered", "merged", "gaps", "filled", "largest_gap",
            "step_s")
    rep = {k: int(x) for k, x in zip(keys, report)}
    return regular, True, rep["step_s"], rep


def fit(values: ArrayLike, *, timestamps: TimestampsLike = None, season: Season = None,
        model: str = "auto", horizon: Optional[int] = None, step: Duration = None,
        agg: str = "mean", fill: str = "none", regularize: bool = True,
        **model_options: Any) -> Model:
    """Fit a model to a metric history.

    Args:
        values: the history (NaN = missing); a History or a pandas Series with a
            DatetimeIndex brings its own timestamps.
        timestamps: Unix seconds, datetime64, datetimes or ISO 8601 strings. Timestamped input
            is put on a regular step first, exactly as the CLI does (``step`` default: the
            median spacing; ``agg``: mean|max|last|sum; ``fill``: none|linear|previous);
            ``regularize=False`` takes it as given.
        season: seasonal period(s) in steps; None infers them from the timestamps.
        model: auto, naive, snaive, drift, mean, profile, and whatever else the linked
            libkairos knows (arima, autoarima, ...).
        horizon: the horizon you will ask for (guides ``auto``'s cross-validation window); None = unknown.
        **model_options: ``order=(p,d,q)``, ``seasonal_order=(P,D,Q)``, ``include_mean``,
            ``include_drift``, ``exhaustive`` (ARIMA); ``profile_seasons`` (profile);
            ``ets_model`` ("ANN", "AAN", "AAdN", "ANA", "AAA", "AAdA"; ets);
            ``adjusted_model`` ("arima" or "ets"), ``stl_robust``, ``stl_periodic``,
            ``stl_s_window`` (stl, mstl); ``dhr_max_k`` (dhr); ``adjusted_window`` (points
            the non-seasonal part sees, "all" as R; stl, mstl, dhr). See docs/models.md.

    Raises:
        KairosInvalidArgument (unknown model, bad period), KairosDataError (unusable series),
        KairosModelError (the fit failed).
    """
    series, timed, step_s, rep = _build_series(values, timestamps, step, agg, fill, regularize)
    ints, ets_model, adjusted_model = _fit_fields(horizon, model_options)
    handle = _c.kpy_model_fit(series, model, ets_model, adjusted_model, _periods(season), ints)
    return Model(handle, timed=timed, step_s=step_s, regularization=rep)


def forecast(values: ArrayLike, *, horizon: int, timestamps: TimestampsLike = None,
             season: Season = None, model: str = "auto",
             quantiles: Optional[Iterable[float]] = None, levels: Optional[Iterable[float]] = None,
             step: Duration = None, agg: str = "mean", fill: str = "none",
             regularize: bool = True, **model_options: Any) -> Forecast:
    """Fit ``model`` and forecast ``horizon`` steps: ``kairos forecast`` as a function.

    Same numbers as ``kairos forecast FILE --horizon H`` with the same options. Quantiles
    default to 0.1, 0.5, 0.9; ``levels=[80, 95]`` gives central intervals (``lo``/``hi``)
    instead. See fit() for the other arguments and the exceptions.
    """
    if horizon is None or int(horizon) < 1:
        raise _invalid("horizon must be at least 1")
    m = fit(values, timestamps=timestamps, season=season, model=model, horizon=int(horizon),
            step=step, agg=agg, fill=fill, regularize=regularize, **model_options)
    return m.forecast(int(horizon), quantiles=quantiles, levels=levels)


def backtest(values: ArrayLike, *, horizon: int, windows: int = 5, stride: Optional[int] = None,
             timestamps: TimestampsLike = None, season: Season = None, model: str = "auto",
             quantiles: Optional[Iterable[float]] = DEFAULT_QUANTILES,
             levels: Optional[Iterable[float]] = (80, 95), msis_level: float = 95.0,
             mase_season: Optional[int] = None, min_train: Optional[int] = None,
             step: Duration = None, agg: str = "mean", fill: str = "none",
             regularize: bool = True, **model_options: Any) -> Dict[str, Any]:
    """Rolling-origin evaluation (``kairos_backtest``): ``windows`` windows, each fitting
    ``model`` on the points before its origin and scoring the next ``horizon`` points;
    origins ``stride`` steps apart (default: ``horizon``), the last window ending at the end
    of the history. Deterministic.

    Returns the library's JSON report as a dict: ``horizon``, ``windows``, ``step``,
    ``season``, ``msis_level``, ``quantiles``, ``levels``, ``per_window`` (origin, start,
    model, period, n, mae, rmse, mape, smape, mase, msis, pinball {level: loss}, coverage
    {level: share}) and ``aggregate`` (the same metrics over every window). Undefined values
    are None. ``quantiles`` are scored by the pinball loss, ``levels`` (percent) by coverage;
    ``mase_season`` is the m of MASE/MSIS (default: the fit's period, else one inferred from
    the timestamps, else 1). History arguments and model options as for fit().

    Raises KairosDataError when the history is too short for the windows (the message gives
    the length needed) or a window cannot be fitted; KairosInvalidArgument for bad options.
    """
    if horizon is None or int(horizon) < 1:
        raise _invalid("horizon must be at least 1")
    series, _, _, _ = _build_series(values, timestamps, step, agg, fill, regularize)
    qs = _float_array(list(quantiles or ()), "quantiles")
    lv = _float_array(list(levels or ()), "levels")
    bt = np.ascontiguousarray([int(horizon), int(windows), int(stride or 0),
                               int(mase_season or 0), int(min_train or 0)], dtype=np.int64)
    ints, ets_model, adjusted_model = _fit_fields(int(horizon), model_options)
    text = _c.kpy_backtest(series, model, ets_model, adjusted_model, _periods(season), ints,
                           qs, lv, bt, float(msis_level))
    return json.loads(text)
