"""Forecast many series in one call (kairos_forecast_batch), on several threads."""
from __future__ import annotations

from typing import Any, Iterable, List, Literal, Optional, Sequence, Union

import numpy as np

from . import capi as _c
from ._core import (Forecast, Season, TimestampsLike, _fit_fields, _float_array, _invalid,
                    _periods, _quantile_plan, _timestamp_array)
from ._errors import KairosError, _from_status

__all__ = ["forecast_batch"]


def _as_2d(values: Any) -> Optional[np.ndarray]:
    """A 2-D float64 view of ``values`` when it is one (any strides, no copy), else None."""
    if isinstance(values, np.ndarray) and values.ndim == 2:
        arr = values if values.dtype == np.float64 else values.astype(np.float64)
        if any(s < 0 or s % 8 for s in arr.strides):
            arr = np.ascontiguousarray(arr)
        return arr
    return None


def _forecast_timestamps(ts: Optional[np.ndarray], horizon: int) -> Optional[np.ndarray]:
    """Continue a strictly increasing, evenly spaced history (as the library does)."""
    if ts is None or ts.size < 2:
        return None
    step = int(ts[-1] - ts[-2])
    if step <= 0 or not np.all(np.diff(ts) == step):
        return None
    return (int(ts[-1]) + step * np.arange(1, horizon + 1, dtype=np.int64)).astype("datetime64[s]")


def forecast_batch(values: Union[np.ndarray, Sequence[Sequence[float]]], *, horizon: int,
                   timestamps: Optional[Union[np.ndarray, Sequence[TimestampsLike]]] = None,
                   season: Season = None, model: str = "auto",
                   quantiles: Optional[Iterable[float]] = None,
                   levels: Optional[Iterable[float]] = None, threads: int = 0,
                   errors: Literal["raise", "return"] = "raise",
                   **model_options: Any) -> List[Union[Forecast, KairosError]]:
    """Fit and forecast every series of a batch; the GIL is released for the whole batch.

    Args:
        values: a 2-D array (one series per row; any memory order goes to C without a copy)
            or a list of 1-D sequences of different lengths (packed once into one array).
        timestamps: optional, shaped like ``values`` (a 2-D array of the same shape, or one
            sequence per series). Unlike forecast(), series are taken as given: no
            regularization (put them on a regular step first).
        threads: 0 runs on the calling thread; N uses N worker threads. Results are identical
            bit for bit whatever the number (run OpenBLAS with OPENBLAS_NUM_THREADS=1).
        errors: ``"raise"`` raises the first failed series' exception (after the whole batch
            ran, message prefixed with ``series i:``); ``"return"`` puts the KairosError
            instance in that series' place in the list.
        Other arguments as forecast().

    Returns:
        One Forecast per series, in order.
    """
    horizon = int(horizon)
    if horizon < 1:
        raise _invalid("horizon must be at least 1")
    if errors not in ("raise", "return"):
        raise _invalid("errors must be 'raise' or 'return'")
    if int(threads) < 0:
        raise _invalid("threads must be >= 0")
    qlevels, ilevels = _quantile_plan(quantiles, levels)
    periods = _periods(season)
    fit, ets_model, adjusted_model = _fit_fields(horizon, model_options)
    k = qlevels.size

    dense = _as_2d(values)
    per_series_ts: List[Optional[np.ndarray]]
    if dense is not None:
        n = dense.shape[0]
        ts2d = None
        if timestamps is not None:
            ts2d = np.empty(dense.shape, dtype=np.int64,
                            order="F" if dense.flags.f_contiguous and not dense.flags.c_contiguous
                            else "C")
            ts_arr = _timestamp_array(timestamps)
            assert ts_arr is not None
            if ts_arr.shape not in (dense.shape, dense.shape[1:]):
                raise _invalid(f"timestamps of shape {ts_arr.shape} do not fit values of shape "
                               f"{dense.shape} (give one row per series, or one shared row)")
            ts2d[...] = ts_arr                  # a shared row is broadcast to every series
            if ts2d.strides != dense.strides:          # values with unusual strides
                dense = np.ascontiguousarray(dense)
                ts2d = np.ascontiguousarray(ts2d)
            per_series_ts = list(ts2d)
        else:
            per_series_ts = [None] * n
    else:
        series = [_float_array(s, f"values[{i}]") for i, s in enumerate(values)]
        n = len(series)
        lengths = np.array([s.size for s in series], dtype=np.int64)
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        packed = np.concatenate(series) if n else np.zeros(0, dtype=np.float64)
        if timestamps is not None:
            ts_list: List[np.ndarray] = []
            for i, t in enumerate(timestamps):
                arr = _timestamp_array(t, series[i].size if i < n else None)
                if arr is None:
                    raise _invalid(f"timestamps[{i}] is None")
                ts_list.append(arr)
            if len(ts_list) != n:
                raise _invalid(f"{len(ts_list)} timestamp sequences for {n} series")
            packed_ts = np.concatenate(ts_list) if n else np.zeros(0, dtype=np.int64)
            per_series_ts = [t for t in ts_list]
        else:
            packed_ts = None
            per_series_ts = [None] * n

    mean = np.empty((n, horizon), dtype=np.float64)
    q = np.empty((n, k, horizon), dtype=np.float64)
    status = np.zeros(n, dtype=np.int32)
    messages = np.zeros(n, dtype=f"S{_c.BATCH_MESSAGE_SIZE}")
    q_flat = q.reshape(-1) if k else None
    msg_buf = messages.view(np.uint8).reshape(-1) if n else None
    if dense is not None:
        _c.kpy_forecast_batch_dense(dense, ts2d, model, ets_model, adjusted_model, periods, fit,
                                    qlevels, horizon, int(threads), mean.reshape(-1), q_flat,
                                    status, msg_buf)
    else:
        _c.kpy_forecast_batch_ragged(packed, offsets, packed_ts, model, ets_model,
                                     adjusted_model, periods, fit, qlevels,
                                     horizon, int(threads), mean.reshape(-1), q_flat, status,
                                     msg_buf)

    out: List[Union[Forecast, KairosError]] = []
    for i in range(n):
        if status[i] != 0:
            err = _from_status(int(status[i]),
                               f"series {i}: " + messages[i].decode("utf-8", "replace"))
            if errors == "raise":
                raise err
            out.append(err)
            continue
        out.append(Forecast(mean[i], q[i], qlevels, ilevels,
                            _forecast_timestamps(per_series_ts[i], horizon), None, None))
    return out
