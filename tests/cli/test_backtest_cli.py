"""Specification tests of `kairos backtest` and of `--calibrate` (DESIGN.md's contract,
detailed in docs/cli.md and docs/evaluation.md). Expected metrics are computed here, in
Python, from `kairos forecast` run on truncated copies of the input — independently of the
library's evaluation code."""
import json
import math
import random

import pytest

from conftest import START, hourly, read_history, write_csv

QUANTILES = [0.1, 0.5, 0.9]
LEVELS = [80, 95]


def backtest(kairos, *args):
    return json.loads(kairos.ok("backtest", *args))


# ---- independent metrics -------------------------------------------------------------------

def present(y):
    return [i for i, v in enumerate(y) if not math.isnan(v)]


def mae(y, f):
    idx = present(y)
    return sum(abs(y[i] - f[i]) for i in idx) / len(idx)


def rmse(y, f):
    idx = present(y)
    return math.sqrt(sum((y[i] - f[i]) ** 2 for i in idx) / len(idx))


def mape(y, f):
    idx = [i for i in present(y) if y[i] != 0]
    return 100 * sum(abs(y[i] - f[i]) / abs(y[i]) for i in idx) / len(idx)


def smape(y, f):
    idx = present(y)
    return 200 * sum(abs(y[i] - f[i]) / (abs(y[i]) + abs(f[i])) for i in idx) / len(idx)


def naive_scale(train, m):
    pairs = [abs(train[t] - train[t - m]) for t in range(m, len(train))
             if not math.isnan(train[t]) and not math.isnan(train[t - m])]
    return sum(pairs) / len(pairs)


def pinball(y, q, p):
    idx = present(y)
    return sum(p * (y[i] - q[i]) if y[i] >= q[i] else (1 - p) * (q[i] - y[i])
               for i in idx) / len(idx)


def coverage(y, lo, hi):
    idx = present(y)
    return sum(lo[i] <= y[i] <= hi[i] for i in idx) / len(idx)


def interval_score(y, lo, hi, alpha):
    idx = present(y)
    total = 0.0
    for i in idx:
        total += hi[i] - lo[i]
        if y[i] < lo[i]:
            total += 2 / alpha * (lo[i] - y[i])
        if y[i] > hi[i]:
            total += 2 / alpha * (y[i] - hi[i])
    return total / len(idx)


def close(a, b, rel=1e-9):
    return a == pytest.approx(b, rel=rel, abs=1e-12)


# ---- the forecast each window should have made ----------------------------------------------

def truncated_forecast(kairos, tmp_path, times, values, origin, horizon, model_args):
    """`kairos forecast` on the first `origin` rows: (mean, quantiles{p}, bounds{L})."""
    path = write_csv(tmp_path / f"train-{origin}.csv", ["timestamp", "value"],
                     [(t.strftime("%Y-%m-%dT%H:%M:%SZ"), v)
                      for t, v in zip(times[:origin], values[:origin])])
    q = json.loads(kairos.ok("forecast", path, "--horizon", horizon, *model_args,
                             "--quantiles", ",".join(map(str, QUANTILES)), "--format", "json"))
    lv = json.loads(kairos.ok("forecast", path, "--horizon", horizon, *model_args,
                              "--levels", ",".join(map(str, LEVELS)), "--format", "json"))
    fc = q["forecast"]
    quantiles = {p: fc["quantiles"][str(p)] for p in QUANTILES}
    bounds = {L: (lv["forecast"][f"lo{L}"], lv["forecast"][f"hi{L}"]) for L in LEVELS}
    return fc["mean"], quantiles, bounds


@pytest.mark.parametrize("model_args,season", [
    (["--model", "snaive", "--season", "24"], 24),
    ([], 24),    # auto, season inferred from the hourly timestamps
])
def test_metrics_equal_those_of_forecasts_on_truncated_files(kairos, web_requests, tmp_path,
                                                             model_args, season):
    times, values = read_history(web_requests)
    horizon, windows, step = 12, 3, 7
    out = backtest(kairos, web_requests, "--horizon", horizon, "--windows", windows,
                   "--step-windows", step, *model_args)
    assert out["season"] == season
    n = len(values)
    mase_sum = msis_sum = 0.0
    all_y, all_f = [], []
    for k, w in enumerate(out["per_window"]):
        origin = n - horizon - (windows - 1 - k) * step
        assert w["origin"] == origin
        mean, quantiles, bounds = truncated_forecast(kairos, tmp_path, times, values, origin,
                                                     horizon, model_args)
        y = values[origin:origin + horizon]
        scale = naive_scale(values[:origin], season)
        assert close(w["mae"], mae(y, mean))
        assert close(w["rmse"], rmse(y, mean))
        assert close(w["mape"], mape(y, mean))
        assert close(w["smape"], smape(y, mean))
        assert close(w["mase"], mae(y, mean) / scale)
        lo95, hi95 = bounds[95]
        assert close(w["msis"], interval_score(y, lo95, hi95, 0.05) / scale)
        for p in QUANTILES:
            assert close(w["pinball"][str(p)], pinball(y, quantiles[p], p))
        for L in LEVELS:
            assert w["coverage"][str(L)] == coverage(y, *bounds[L])
        mase_sum += w["mase"]
        msis_sum += w["msis"]
        all_y += y
        all_f += mean
    agg = out["aggregate"]
    assert agg["n"] == windows * horizon
    assert close(agg["mae"], mae(all_y, all_f))
    assert close(agg["rmse"], rmse(all_y, all_f))
    assert close(agg["smape"], smape(all_y, all_f))
    assert close(agg["mase"], mase_sum / windows)
    assert close(agg["msis"], msis_sum / windows)


# ---- structure -----------------------------------------------------------------------------

def test_default_is_five_windows_tiling_the_end_of_the_history(kairos, web_requests):
    _, values = read_history(web_requests)
    out = backtest(kairos, web_requests, "--horizon", 24)
    assert out["windows"] == 5 and out["step"] == 24 and out["horizon"] == 24
    origins = [w["origin"] for w in out["per_window"]]
    assert origins == [len(values) - 24 * (5 - k) for k in range(5)]
    assert [w["window"] for w in out["per_window"]] == [1, 2, 3, 4, 5]
    assert out["quantiles"] == QUANTILES and out["levels"] == LEVELS
    assert out["msis_level"] == 95


def test_window_count_and_scored_levels_follow_the_options(kairos, web_requests):
    out = backtest(kairos, web_requests, "--horizon", 6, "--windows", 8, "--quantiles",
                   "0.05,0.95", "--levels", "50", "--format", "json")
    assert len(out["per_window"]) == 8
    for w in out["per_window"] + [out["aggregate"]]:
        assert set(w["pinball"]) == {"0.05", "0.95"}
        assert set(w["coverage"]) == {"50"}


def test_each_window_starts_at_the_timestamp_after_its_training_part(kairos, web_requests):
    times, _ = read_history(web_requests)
    out = backtest(kairos, web_requests, "--horizon", 24, "--windows", 2)
    for w in out["per_window"]:
        assert w["start"] == times[w["origin"]].strftime("%Y-%m-%dT%H:%M:%SZ")


def test_missing_actual_values_are_not_scored(kairos, tmp_path):
    values = [100 + 10 * math.sin(i / 3) for i in range(80)]
    values[-2] = "NA"
    path = write_csv(tmp_path / "gaps.csv", ["timestamp", "value"], hourly(START, values))
    out = backtest(kairos, path, "--horizon", 4, "--windows", 2, "--model", "naive")
    assert [w["n"] for w in out["per_window"]] == [4, 3]
    assert out["aggregate"]["n"] == 7


def test_output_is_identical_on_every_run(kairos, web_requests):
    args = ("backtest", web_requests, "--horizon", 12, "--windows", 4)
    assert kairos.ok(*args) == kairos.ok(*args)


# ---- calibration ----------------------------------------------------------------------------

def heavy_tailed_growth(days=60, seed=7):
    """Hourly load rising five-fold, with a daily swing and Student-t(3) noise that grow
    with it: an in-sample σ averaged over the whole history is too small for today."""
    rng = random.Random(seed)
    values = []
    for t in range(24 * days):
        level = 10 + 0.08 * t
        z = rng.gauss(0, 1)
        chi2 = sum(rng.gauss(0, 1) ** 2 for _ in range(3))
        noise = z / math.sqrt(chi2 / 3)
        values.append(level * (1 + 0.3 * math.sin(2 * math.pi * (t % 24) / 24))
                      + 0.1 * level * noise)
    return values


def test_calibrate_widens_intervals_on_heavy_tailed_growth(kairos, tmp_path):
    path = write_csv(tmp_path / "growth.csv", ["timestamp", "value"],
                     hourly(START, heavy_tailed_growth()))
    args = (path, "--horizon", 24, "--model", "snaive", "--season", 24, "--levels", 80,
            "--format", "json")
    plain = json.loads(kairos.ok("forecast", *args))["forecast"]
    calibrated = json.loads(kairos.ok("forecast", *args, "--calibrate",
                                      "--calibrate-windows", 10))["forecast"]
    assert calibrated["mean"] == plain["mean"]
    width = [hi - lo for lo, hi in zip(plain["lo80"], plain["hi80"])]
    width_cal = [hi - lo for lo, hi in zip(calibrated["lo80"], calibrated["hi80"])]
    assert sum(width_cal) > 1.2 * sum(width)


def test_calibrated_report_says_so_and_over_how_many_windows(kairos, web_requests):
    out = json.loads(kairos.ok("forecast", web_requests, "--horizon", 24, "--calibrate",
                               "--calibrate-windows", 6, "--format", "json", "--report"))
    cal = out["model"]["calibration"]
    assert cal["method"] == "split-conformal"
    assert cal["windows"] == 6 and cal["horizon"] == 24
    assert cal["scores"] == 6 * 24


def test_plan_accepts_calibrate(kairos, web_requests):
    out = kairos.ok("plan", web_requests, "--horizon", 12, "--target-per-replica", 100,
                    "--risk", 0.1, "--calibrate")
    assert out.splitlines()[0] == "step,timestamp,demand,replicas,p_shortfall"


# ---- failures ------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ("--windows", 3),                                    # no --horizon
    ("--horizon", 5, "--windows", 0),
    ("--horizon", 5, "--step-windows", "x"),
    ("--horizon", 5, "--format", "csv"),
    ("--horizon", 5, "--quantiles", "0.1,1.5"),
    ("--horizon", 5, "--levels", "80,80"),
    ("--horizon", 5, "--model", "no-such-model"),
    ("--horizon", 5, "--calibrate"),
    ("--horizon", 5, "--report"),
    ("--horizon", 5, "--bogus"),
])
def test_usage_errors_exit_2_with_one_line(kairos, web_requests, args):
    kairos.fails(2, "backtest", web_requests, *args)


def test_a_history_too_short_for_the_windows_exits_3_saying_what_it_needs(kairos,
                                                                          web_requests):
    line = kairos.fails(3, "backtest", web_requests, "--horizon", 200, "--windows", 4)
    assert "too short for 4 backtest windows" in line
    assert "at least 801" in line          # 1 + 200 + 3 x 200


def test_a_missing_file_exits_3(kairos, tmp_path):
    kairos.fails(3, "backtest", tmp_path / "nope.csv", "--horizon", 5)


def test_calibrate_on_a_history_too_short_exits_3(kairos, tmp_path):
    path = write_csv(tmp_path / "short.csv", ["timestamp", "value"],
                     hourly(START, [float(i % 5) for i in range(30)]))
    line = kairos.fails(3, "forecast", path, "--horizon", 10, "--calibrate")
    assert "too short" in line


def test_calibrate_windows_needs_calibrate(kairos, web_requests):
    kairos.fails(2, "forecast", web_requests, "--horizon", 5, "--calibrate-windows", 4)


def test_help_lists_the_backtest_options(kairos):
    out = kairos.ok("backtest", "--help")
    for option in ("--windows", "--step-windows", "--quantiles", "--levels", "--horizon"):
        assert option in out
    assert "backtest" in kairos.ok("--help")
