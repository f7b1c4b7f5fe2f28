"""The pythonic surface: shapes, dtypes, conversions, reports, plans, costs and lint."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

import kairos

Y5 = [1.0, 3.0, 2.0, 5.0, 4.0]


def test_forecast_shapes_and_the_worked_naive_example():
    fc = kairos.forecast(Y5, horizon=2, model="naive", quantiles=[0.1, 0.5, 0.9])
    assert fc.mean.dtype == np.float64 and fc.mean.shape == (2,)
    assert fc.quantiles.shape == (3, 2)
    assert fc.quantile_levels.tolist() == [0.1, 0.5, 0.9]
    # docs/models.md: y = 1,3,2,5,4 → mean 4, sigma² = 3.75, q0.9 at h=2 = 7.5097
    assert fc.mean.tolist() == [4.0, 4.0]
    assert fc.quantile(0.9)[1] == pytest.approx(7.5097, abs=1e-4)
    assert fc.timestamps is None and fc.model == "naive"
    with pytest.raises(KeyError):
        fc.quantile(0.75)


def test_levels_give_lo_and_hi_per_level():
    fc = kairos.forecast(Y5, horizon=3, model="naive", levels=[80, 95])
    assert fc.levels == (80.0, 95.0)
    assert list(fc.columns()) == ["mean", "lo80", "hi80", "lo95", "hi95"]
    assert np.all(fc.lo[95] < fc.lo[80]) and np.all(fc.hi[95] > fc.hi[80])
    assert kairos.levels_to_quantiles([80]).tolist() == pytest.approx([0.1, 0.9])


def test_no_quantiles_at_all():
    fc = kairos.forecast(Y5, horizon=3, model="naive", quantiles=[])
    assert fc.quantiles.shape == (0, 3) and list(fc.columns()) == ["mean"]


def test_timestamps_in_every_form_agree():
    start = 1714521600
    ints = start + 3600 * np.arange(48)
    y = 10 + np.sin(np.arange(48))
    forms = [
        ints,
        ints.astype("datetime64[s]"),
        [dt.datetime.fromtimestamp(int(t), dt.timezone.utc) for t in ints],
        [kairos.format_timestamp(int(t)) for t in ints],
    ]
    results = [kairos.forecast(y, timestamps=f, horizon=3, model="snaive") for f in forms]
    for r in results:
        assert np.array_equal(r.mean, results[0].mean)
        assert np.array_equal(r.timestamps, results[0].timestamps)
    assert results[0].timestamps[0] == np.datetime64(int(ints[-1]) + 3600, "s")


def test_unsorted_timestamps_are_regularized_like_the_cli():
    ts = 1714521600 + 3600 * np.arange(30)
    y = np.arange(30.0)
    order = np.random.default_rng(1).permutation(30)
    a = kairos.forecast(y, timestamps=ts, horizon=2, model="drift")
    b = kairos.forecast(y[order], timestamps=ts[order], horizon=2, model="drift")
    assert np.array_equal(a.mean, b.mean)
    m = kairos.fit(y[order], timestamps=ts[order], model="drift")
    assert m.regularization["reordered"] > 0 and m.step_s == 3600


def test_model_report_coefficients_and_reuse():
    m = kairos.fit(np.arange(40.0) * 2 + 5, model="drift")
    rep = m.report()
    assert rep["name"] == "drift" == m.name
    assert m.coef["drift"] == pytest.approx(2.0)
    assert rep["loglik"] is None
    assert np.array_equal(m.forecast(5).mean[:3], m.forecast(3).mean)


def test_history_from_csv_text():
    h = kairos.parse_csv("timestamp,cpu\n2024-05-01T00:00:00Z,1\n2024-05-01T01:00:00Z,NA\n")
    assert h.name == "cpu"
    assert np.isnan(h.values[1]) and h.timestamps.tolist() == [1714521600, 1714525200]


def test_durations_and_quantities():
    assert kairos.parse_duration("1h30m") == 5400
    assert kairos.parse_duration(dt.timedelta(minutes=5)) == 300
    assert kairos.parse_duration(90) == 90
    with pytest.raises(kairos.KairosInvalidArgument):
        kairos.parse_duration("soon")
    assert kairos.parse_quantity("500m") == 0.5
    assert kairos.parse_quantity("512Mi") == 536870912


def test_plan_from_a_forecast_and_its_cost():
    fc = kairos.forecast(np.full(30, 250.0) + np.arange(30), horizon=6, model="drift")
    p = kairos.plan(fc, target_per_replica=100)
    assert p.replicas.dtype == np.int64 and p.replicas.shape == (6,)
    assert p.step_s == 3600 and p.totals["planned_level"] is None
    assert np.all(p.replicas == np.ceil(fc.mean / 100))
    c = kairos.cost(p, cpu=0.5, memory="1Gi")
    assert c.mean_replicas == pytest.approx(p.replicas.mean())
    assert c.to_dict()["currency"] == "USD"


def test_pandas_frames():
    pd = pytest.importorskip("pandas")
    ts = pd.date_range("2024-05-01", periods=72, freq="h")
    s = pd.Series(100 + np.sin(np.arange(72)), index=ts)
    fc = kairos.forecast(s, horizon=4, model="snaive")          # the index brings timestamps
    df = fc.to_pandas()
    assert list(df.columns) == ["mean", "q0.1", "q0.5", "q0.9"]
    assert df.index[0] == pd.Timestamp("2024-05-04T00:00:00Z")
    untimed = kairos.forecast(Y5, horizon=2, model="naive").to_pandas()
    assert untimed.index.tolist() == [1, 2]


def test_lint_findings():
    text = """apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: api
spec:
  scaleTargetRef:
    name: api
  triggers: []
"""
    findings = kairos.lint(text)
    assert findings and all(isinstance(f, kairos.Finding) for f in findings)
    assert any(f.severity == "error" and f.kind == "ScaledObject" for f in findings)


def test_version():
    assert kairos.__version__.count(".") == 2


def test_contiguous_float64_arrays_are_passed_without_a_copy():
    from kairos._core import _float_array
    a = np.arange(10.0)
    assert _float_array(a) is a                      # handed to C as it is
    b = np.arange(10, dtype=np.int32)
    assert _float_array(b).dtype == np.float64       # converted once, in Python


def test_forecast_writes_into_numpy_arrays_it_allocates_once():
    from kairos import capi
    series = capi.kpy_series_from_arrays(np.array(Y5), None)
    model = capi.kpy_model_fit(series, "naive", None, None, None,
                               np.zeros(16, dtype=np.int64))
    mean = np.full(3, -1.0)
    q = np.full(3, -1.0)
    capi.kpy_model_forecast(model, np.array([0.5]), mean, q)   # C writes in place
    assert mean.tolist() == [4.0, 4.0, 4.0] and q.tolist() == [4.0, 4.0, 4.0]


def test_backtest_windows_score_the_single_forecasts():
    from conftest import SAMPLE
    h = kairos.read_csv(SAMPLE)
    r = kairos.backtest(h, horizon=24, windows=3, model="snaive", season=24)
    assert r["windows"] == 3 and len(r["per_window"]) == 3
    for w in r["per_window"]:
        o = w["origin"]
        fc = kairos.forecast(h.values[:o], horizon=24, model="snaive", season=24)
        actual = h.values[o:o + 24]
        assert w["mae"] == pytest.approx(np.mean(np.abs(actual - fc.mean)), rel=1e-12)
        assert set(w["coverage"]) == {"80", "95"}
    assert r["per_window"][-1]["origin"] + 24 == h.values.size
    assert r["aggregate"]["n"] == 72


def test_backtest_of_a_short_history_says_what_it_needs():
    with pytest.raises(kairos.KairosDataError):
        kairos.backtest(np.arange(10.0), horizon=5, windows=4, model="naive")
