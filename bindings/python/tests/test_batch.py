"""forecast_batch: equal to single calls, identical for any thread count, per-series errors."""
from __future__ import annotations

import numpy as np
import pytest

import kairos

H = 8


def _series(n=24, length=120, seed=3):
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    base = 100 + 20 * np.sin(2 * np.pi * t / 24)
    return base + rng.normal(scale=5, size=(n, length)) + rng.uniform(0, 50, size=(n, 1))


def _same(a, b):
    return np.array_equal(a.mean, b.mean) and np.array_equal(a.quantiles, b.quantiles)


@pytest.mark.parametrize("model,season", [("auto", 24), ("naive", None), ("snaive", 24),
                                          ("profile", 24)])
def test_threaded_batch_equals_single_calls(model, season):
    y = _series()
    batch = kairos.forecast_batch(y, horizon=H, model=model, season=season, threads=4)
    for i, fc in enumerate(batch):
        single = kairos.forecast(y[i], horizon=H, model=model, season=season)
        assert _same(fc, single), i


def test_results_are_identical_for_any_thread_count():
    y = _series(n=50)
    ref = kairos.forecast_batch(y, horizon=H, season=24, levels=[80, 95], threads=0)
    for threads in (1, 2, 3, 8, 100):
        got = kairos.forecast_batch(y, horizon=H, season=24, levels=[80, 95], threads=threads)
        assert all(_same(a, b) for a, b in zip(ref, got)), threads
    assert ref[0].levels == (80.0, 95.0) and set(ref[0].lo) == {80.0, 95.0}


def test_fortran_order_and_views_go_in_as_they_are():
    y = _series()
    ref = kairos.forecast_batch(y, horizon=H, model="drift")
    f = np.asfortranarray(y)
    assert all(_same(a, b) for a, b in zip(ref, kairos.forecast_batch(f, horizon=H, model="drift")))
    wide = np.zeros((y.shape[0] * 2, y.shape[1] + 5))
    wide[::2, 5:] = y
    view = wide[::2, 5:]                         # strided rows, offset start: still no copy
    assert all(_same(a, b) for a, b in zip(ref, kairos.forecast_batch(view, horizon=H,
                                                                      model="drift")))


def test_ragged_lists_of_different_lengths():
    y = _series()
    ragged = [y[i, : 60 + 2 * i] for i in range(y.shape[0])]
    got = kairos.forecast_batch(ragged, horizon=H, model="naive", threads=3)
    for i, fc in enumerate(got):
        assert _same(fc, kairos.forecast(ragged[i], horizon=H, model="naive"))


def test_a_bad_series_does_not_fail_the_batch():
    y = _series(n=6)
    y[2, :] = np.nan
    got = kairos.forecast_batch(y, horizon=H, model="naive", threads=2, errors="return")
    assert isinstance(got[2], kairos.KairosDataError)
    assert str(got[2]).startswith("series 2: ")
    for i in (0, 1, 3, 4, 5):
        assert isinstance(got[i], kairos.Forecast)
        assert _same(got[i], kairos.forecast(y[i], horizon=H, model="naive"))
    with pytest.raises(kairos.KairosDataError, match="^series 2: "):
        kairos.forecast_batch(y, horizon=H, model="naive", threads=2)


def test_an_unknown_model_fails_each_series_with_the_c_message():
    got = kairos.forecast_batch(_series(n=3), horizon=H, model="nope", errors="return")
    assert all(isinstance(e, kairos.KairosInvalidArgument) and "unknown model 'nope'" in str(e)
               for e in got)


def test_shared_timestamps_give_forecast_timestamps_and_inferred_periods():
    y = _series(n=5, length=96)
    ts = 1714521600 + 3600 * np.arange(96)
    got = kairos.forecast_batch(y, timestamps=ts, horizon=H, model="snaive")
    single = kairos.forecast(y[0], timestamps=ts, horizon=H, model="snaive")
    assert _same(got[0], single)
    assert np.array_equal(got[0].timestamps, single.timestamps)
    assert got[0].mean[0] == y[0, 96 - 24]


def test_empty_batch():
    assert kairos.forecast_batch(np.zeros((0, 10)), horizon=3) == []
    assert kairos.forecast_batch([], horizon=3) == []


@pytest.mark.parametrize("model,options", [
    ("arima", {"order": (1, 0, 1), "seasonal_order": (0, 1, 1)}),
    ("autoarima", {}), ("ets", {}), ("stl", {}), ("dhr", {}),
])
def test_richer_models_in_threaded_batches_equal_single_calls(model, options):
    y = _series(n=6, length=24 * 8)
    try:
        kairos.forecast(y[0], horizon=H, model=model, season=24, **options)
    except kairos.KairosInvalidArgument as exc:
        if "unknown model" in str(exc):
            pytest.skip(f"this libkairos has no {model} model yet")
        raise
    batch = kairos.forecast_batch(y, horizon=H, model=model, season=24, threads=3, **options)
    for i, fc in enumerate(batch):
        single = kairos.forecast(y[i], horizon=H, model=model, season=24, **options)
        assert _same(fc, single), (model, i)
