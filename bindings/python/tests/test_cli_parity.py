"""The binding gives the same numbers as the `kairos` program for the same input.

The CLI prints the shortest decimal that reads back as the same double, so the comparisons
are exact (==), not approximate — except cost amounts, which the CLI rounds to a millionth.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

import kairos


def _col(rows, name):
    return np.array([float(r[name]) for r in rows])


FORECAST_CASES = [
    ([], {}),
    (["--levels", "80,95"], {"levels": [80, 95]}),
    (["--quantiles", "0.05,0.5,0.95"], {"quantiles": [0.05, 0.5, 0.95]}),
    (["--model", "snaive", "--season", "24"], {"model": "snaive", "season": 24}),
    (["--model", "snaive"], {"model": "snaive"}),       # period inferred from timestamps
    (["--model", "naive"], {"model": "naive"}),
    (["--model", "drift"], {"model": "drift"}),
    (["--model", "mean"], {"model": "mean"}),
    (["--model", "profile", "--profile-seasons", "2"], {"model": "profile", "profile_seasons": 2}),
    (["--season", "24,168"], {"season": [24, 168]}),
    (["--step", "2h", "--agg", "max"], {"step": "2h", "agg": "max"}),
]


@pytest.mark.parametrize("args,kwargs", FORECAST_CASES, ids=[" ".join(a) or "default"
                                                            for a, _ in FORECAST_CASES])
def test_forecast_equals_cli(cli, sample, args, kwargs):
    rows = cli.csv("forecast", sample, "--horizon", 30, *args)
    fc = kairos.forecast(kairos.read_csv(sample), horizon=30, **kwargs)
    cols = fc.columns()
    assert list(rows[0].keys()) == ["step", "timestamp", *cols.keys()]
    for name, values in cols.items():
        assert np.array_equal(values, _col(rows, name)), name
    stamps = [kairos.format_timestamp(t) for t in fc.timestamps.astype(np.int64)]
    assert stamps == [r["timestamp"] for r in rows]


def test_forecast_from_arrays_equals_cli_on_the_same_file(cli, sample):
    h = kairos.read_csv(sample)
    rows = cli.csv("forecast", sample, "--horizon", 12)
    # plain numpy arrays and datetime64 timestamps, not the History object
    fc = kairos.forecast(h.values.copy(), timestamps=h.timestamps.astype("datetime64[s]"),
                         horizon=12)
    assert np.array_equal(fc.mean, _col(rows, "mean"))
    assert np.array_equal(fc.quantile(0.9), _col(rows, "q0.9"))


def test_untimed_input_equals_cli(cli, tmp_path):
    rng = np.random.default_rng(7)
    y = 50 + np.cumsum(rng.normal(size=120))
    y[17] = np.nan
    path = tmp_path / "untimed.csv"
    path.write_text("value\n" + "\n".join("NaN" if math.isnan(v) else repr(float(v)) for v in y)
                    + "\n")
    rows = cli.csv("forecast", path, "--horizon", 9, "--model", "drift")
    fc = kairos.forecast(y, horizon=9, model="drift")
    assert "timestamp" not in rows[0]
    assert fc.timestamps is None
    assert np.array_equal(fc.mean, _col(rows, "mean"))
    assert np.array_equal(fc.quantiles[2], _col(rows, "q0.9"))


def test_report_equals_cli_json(cli, sample):
    doc = cli.json("forecast", sample, "--horizon", 24, "--format", "json", "--report")
    model = kairos.fit(kairos.read_csv(sample), horizon=24)
    assert model.report() == doc["model"]
    fc = model.forecast(24)
    assert fc.mean.tolist() == doc["forecast"]["mean"]
    assert fc.quantile(0.1).tolist() == doc["forecast"]["quantiles"]["0.1"]


def _has_model(cli, sample, name: str) -> bool:
    proc = cli.run("forecast", sample, "--horizon", 1, "--model", name, check=False)
    if "unknown model" in proc.stderr:
        return False
    try:
        kairos.forecast([1.0, 2.0, 3.0], horizon=1, model=name)
    except kairos.KairosInvalidArgument as exc:
        return "unknown model" not in str(exc)
    except kairos.KairosError:
        pass
    return True


RICHER_CASES = [
    (["--model", "arima", "--order", "1,0,1"], {"model": "arima", "order": (1, 0, 1)}),
    (["--model", "arima", "--order", "1,0,1", "--seasonal-order", "0,1,1"],
     {"model": "arima", "order": (1, 0, 1), "seasonal_order": (0, 1, 1)}),
    (["--model", "arima", "--order", "0,1,1", "--drift"],
     {"model": "arima", "order": (0, 1, 1), "include_drift": True}),
    (["--model", "arima", "--order", "2,0,0", "--no-mean"],
     {"model": "arima", "order": (2, 0, 0), "include_mean": False}),
    (["--model", "autoarima"], {"model": "autoarima"}),
    (["--model", "ets"], {"model": "ets"}),
    (["--model", "stl"], {"model": "stl"}),
    (["--model", "mstl", "--season", "24,168"], {"model": "mstl", "season": [24, 168]}),
    (["--model", "dhr"], {"model": "dhr"}),
]


@pytest.mark.parametrize("args,kwargs", RICHER_CASES,
                         ids=[" ".join(a[1:]) for a, _ in RICHER_CASES])
def test_richer_models_equal_cli_when_both_have_them(cli, sample, args, kwargs):
    if not _has_model(cli, sample, kwargs["model"]):
        pytest.skip(f"this kairos build (CLI or library) has no {kwargs['model']} model yet")
    doc = cli.json("forecast", sample, "--horizon", 24, "--levels", "80,95", "--format", "json",
                   "--report", *args)
    model = kairos.fit(kairos.read_csv(sample), horizon=24, **kwargs)
    fc = model.forecast(24, levels=[80, 95])
    assert fc.mean.tolist() == doc["forecast"]["mean"]
    assert fc.lo[95].tolist() == doc["forecast"]["lo95"]
    assert fc.hi[80].tolist() == doc["forecast"]["hi80"]
    assert model.report() == doc["model"]


PLAN_CASES = [
    (["--target-per-replica", "100"], {"target_per_replica": 100}),
    (["--target-per-replica", "100", "--risk", "0.1", "--lead-time", "1h", "--current", "4"],
     {"target_per_replica": 100, "risk": 0.1, "lead_time": "1h", "current": 4}),
    (["--target-per-replica", "80", "--quantile", "0.75", "--stabilization", "3h",
      "--headroom", "1.2", "--min", "2", "--max", "9", "--max-up-factor", "1.5",
      "--max-down", "0.2"],
     {"target_per_replica": 80, "quantile": 0.75, "stabilization": "3h", "headroom": 1.2,
      "min_replicas": 2, "max_replicas": 9, "max_up_factor": 1.5, "max_down": 0.2}),
]


@pytest.mark.parametrize("args,kwargs", PLAN_CASES, ids=["mean", "risk-lead", "quantile-stab"])
def test_plan_equals_cli(cli, sample, args, kwargs):
    rows = cli.csv("plan", sample, "--horizon", 48, *args)
    doc = cli.json("plan", sample, "--horizon", 48, "--format", "json", *args)
    p = kairos.plan(kairos.read_csv(sample), horizon=48, **kwargs)
    assert p.replicas.tolist() == [int(r["replicas"]) for r in rows]
    assert np.array_equal(p.demand, _col(rows, "demand"))
    assert np.array_equal(p.p_shortfall, _col(rows, "p_shortfall"))
    t = doc["totals"]
    assert p.totals["replica_hours"] == t["replica_hours"]
    assert p.totals["peak_replicas"] == t["peak_replicas"]
    assert p.totals["peak_step"] + 1 == t["peak_step"]
    assert p.totals["shortfall_replica_minutes"] == t["shortfall_replica_minutes"]
    assert p.totals["max_p_shortfall"] == t["max_p_shortfall"]
    assert p.totals["level_extrapolated"] == t["level_extrapolated"]


def _amount(x):
    return None if x is None else round(x, 6)


@pytest.mark.parametrize("extra", [[], ["--spot-share", "0.5", "--spot-discount", "0.6"]])
def test_cost_of_a_plan_equals_cli(cli, sample, tmp_path, extra):
    plan_csv = tmp_path / "plan.csv"
    plan_csv.write_text(cli.run("plan", sample, "--horizon", 48, "--target-per-replica", "100",
                                "--risk", "0.1").stdout)
    doc = cli.json("cost", "--plan", plan_csv, "--cpu", "500m", "--memory", "1Gi",
                   "--current", "4", *extra)
    p = kairos.plan(kairos.read_csv(sample), horizon=48, target_per_replica=100, risk=0.1)
    kw = {"spot_share": 0.5, "spot_discount": 0.6} if extra else {}
    c = kairos.cost(p, cpu="500m", memory="1Gi", current=4, **kw)
    assert _amount(c.replica_hourly) == doc["replica_hourly"]
    assert c.mean_replicas == doc["plan"]["mean_replicas"]
    assert c.peak_replicas == doc["plan"]["peak_replicas"]
    assert _amount(c.plan_month) == doc["plan"]["month"]
    assert _amount(c.peak_month) == doc["peak_static"]["month"]
    assert _amount(c.current_month) == doc["current"]["month"]
    assert _amount(c.delta_vs_current) == doc["delta_vs_current"]
    assert _amount(c.savings_vs_peak) == doc["savings_vs_peak"]


def test_cost_of_a_replica_count_equals_cli(cli):
    doc = cli.json("cost", "--replicas", "3", "--cpu", "500m", "--memory", "1Gi")
    c = kairos.cost(3, cpu="500m", memory="1Gi")
    assert _amount(c.plan_month) == doc["plan"]["month"] == 54.75
    assert c.current_month is None and doc["current"] is None


KEDA_CASES = [
    (["--mode", "cron"], {"mode": "cron"}),
    (["--mode", "cron", "--timezone", "+02:00", "--max-windows", "4", "--namespace", "web"],
     {"mode": "cron", "timezone": "+02:00", "max_windows": 4, "namespace": "web"}),
    (["--mode", "external", "--scaler-address", "kairos.svc:9090", "--fallback", "3"],
     {"mode": "external", "scaler_address": "kairos.svc:9090", "fallback": 3}),
    (["--mode", "prometheus", "--prometheus-server", "http://prom:9090", "--query",
      "sum(rate(http_requests_total[1m]))", "--headroom", "1.25"],
     {"mode": "prometheus", "prometheus_server": "http://prom:9090",
      "query": "sum(rate(http_requests_total[1m]))", "plan_headroom": 1.25}),
]


@pytest.mark.parametrize("args,kwargs", KEDA_CASES, ids=["cron", "cron-tz", "external",
                                                         "prometheus"])
def test_scaled_object_equals_cli(cli, sample, args, kwargs):
    yaml = cli.run("keda", "--name", "api", sample, "--horizon", 48, "--target-per-replica",
                   100, "--risk", 0.1, *args).stdout
    kwargs = dict(kwargs)
    headroom = kwargs.pop("plan_headroom", 1.0)
    p = kairos.plan(kairos.read_csv(sample), horizon=48, target_per_replica=100, risk=0.1,
                    headroom=headroom)
    assert kairos.keda.scaled_object(p, name="api", **kwargs) == yaml


def test_scaled_object_from_a_plan_file_equals_cli(cli, sample, tmp_path):
    plan_csv = tmp_path / "plan.csv"
    plan_csv.write_text(cli.run("plan", sample, "--horizon", 24, "--target-per-replica",
                                "100").stdout)
    yaml = cli.run("keda", "--name", "api", "--mode", "cpu", "--plan", plan_csv,
                   "--target-per-replica", "0.4", "--cpu-request", "500m").stdout
    rows = cli.csv("plan", sample, "--horizon", 24, "--target-per-replica", "100")
    got = kairos.keda.scaled_object([int(r["replicas"]) for r in rows],
                                    timestamps=[r["timestamp"] for r in rows], step_s=3600,
                                    name="api", mode="cpu", target_per_replica=0.4,
                                    cpu_request="500m")
    assert got == yaml


def test_lint_equals_cli(cli, sample, tmp_path):
    yaml = cli.run("keda", "--name", "api", "--mode", "cron", sample, "--horizon", 24,
                   "--target-per-replica", 100).stdout
    bad = yaml.replace("name: api\n", "name: API_bad\n", 1)
    path = tmp_path / "so.yaml"
    path.write_text(bad)
    doc = cli.run("lint", path, "--format", "json", check=False)
    assert doc.returncode in (0, 1), doc.stderr
    import json as _json
    expected = _json.loads(doc.stdout)["findings"]
    got = kairos.lint(bad)
    assert [f.__dict__ for f in got] == expected
    assert any(f.severity == "error" for f in got)
