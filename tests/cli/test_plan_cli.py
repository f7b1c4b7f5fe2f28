"""Specification tests of `kairos plan` (the contract in DESIGN.md, detailed in docs/cli.md
and docs/planning.md). Expected schedules are computed here from `kairos forecast` output
with the planner's formulas, independently of the planner's code."""
import json
import math

import pytest

from conftest import START, column, hourly, parse_csv, write_csv

HEADER = ["step", "timestamp", "demand", "replicas", "p_shortfall"]


def plan(kairos, *args):
    """(header, rows) of `kairos plan ...` in CSV."""
    return parse_csv(kairos.ok("plan", *args))


def replicas(rows):
    return [int(r["replicas"]) for r in rows]


def near_integer(x):
    """The planner's tolerance: within 1e-9 (relative) of an integer counts as it."""
    r = round(x)
    return r if abs(x - r) <= 1e-9 * max(1.0, abs(x)) else None


def ceil_tol(x):
    r = near_integer(x)
    return r if r is not None else math.ceil(x)


def floor_tol(x):
    r = near_integer(x)
    return r if r is not None else math.floor(x)


def sidecar_plan(means, target, headroom=1.0, lo=1, hi=100, up=2.0, down=0.5, current=None):
    """The Go sidecar's formula: clamp(ceil(mean·h/target)), then per step at most
    ceil(prev·up) and at least floor(prev·(1−down)), clamped again; prev starts at the
    current replicas (the first step's count when unknown)."""
    need = [min(max(ceil_tol(max(m, 0.0) * headroom / target), lo), hi) for m in means]
    prev = current if current else need[0]
    out = []
    for r in need:
        r = min(r, ceil_tol(max(prev, 1) * up))
        r = max(r, floor_tol(prev * (1.0 - down)))
        r = min(max(r, lo), hi)
        out.append(r)
        prev = r
    return out


def forecast_means(kairos, data, horizon, *model):
    _, rows = parse_csv(kairos.ok("forecast", data, "--horizon", horizon, *model))
    return column(rows, "mean")


def spiky_history(tmp_path, days=7, base=100.0, peak=1000.0, peak_hour=12):
    """Hourly history with one spike a day, so snaive forecasts the spike at a known step."""
    values = [peak if i % 24 == peak_hour else base for i in range(days * 24)]
    return write_csv(tmp_path / "spiky.csv", ["timestamp", "value"], hourly(START, values))


SNAIVE = ["--model", "snaive", "--season", "24"]


# ---- output ----------------------------------------------------------------------------------

def test_csv_header_is_exactly_the_contract(kairos, web_requests):
    header, rows = plan(kairos, web_requests, "--horizon", 5, "--target-per-replica", 100)
    assert header == HEADER
    assert [r["step"] for r in rows] == ["1", "2", "3", "4", "5"]


def test_timestamps_are_those_of_the_forecast(kairos, web_requests):
    _, rows = plan(kairos, web_requests, "--horizon", 30, "--target-per-replica", 100)
    _, fc = parse_csv(kairos.ok("forecast", web_requests, "--horizon", 30))
    assert [r["timestamp"] for r in rows] == [r["timestamp"] for r in fc]


def test_input_without_timestamps_has_no_timestamp_column(kairos, tmp_path):
    path = write_csv(tmp_path / "values.csv", None, [float(10 + i % 5) for i in range(40)])
    header, rows = plan(kairos, path, "--horizon", 3, "--target-per-replica", 4)
    assert header == ["step", "demand", "replicas", "p_shortfall"]
    assert len(rows) == 3


def test_p_shortfall_is_a_probability(kairos, web_requests):
    _, rows = plan(kairos, web_requests, "--horizon", 48, "--target-per-replica", 80)
    assert all(0.0 <= float(r["p_shortfall"]) <= 1.0 for r in rows)


def test_json_has_the_plan_and_totals_with_the_csv_numbers(kairos, web_requests):
    args = [web_requests, "--horizon", 24, "--target-per-replica", 90, "--risk", 0.1]
    _, rows = plan(kairos, *args)
    doc = json.loads(kairos.ok("plan", *args, "--format", "json"))
    assert set(doc) == {"plan", "totals"}
    p = doc["plan"]
    assert p["step"] == list(range(1, 25))
    assert p["timestamp"] == [r["timestamp"] for r in rows]
    assert p["demand"] == column(rows, "demand")
    assert p["replicas"] == replicas(rows)
    assert p["p_shortfall"] == column(rows, "p_shortfall")
    t = doc["totals"]
    assert t["planned_on"] == "q0.9"
    assert t["peak_replicas"] == max(p["replicas"])
    assert p["replicas"][t["peak_step"] - 1] == t["peak_replicas"]
    assert t["replica_hours"] == pytest.approx(sum(p["replicas"]))
    assert t["hours"] == 24 and t["step_s"] == 3600
    assert t["max_p_shortfall"] == max(p["p_shortfall"])
    assert t["mean_p_shortfall"] == pytest.approx(sum(p["p_shortfall"]) / 24)


def test_json_on_the_mean_says_so(kairos, web_requests):
    doc = json.loads(kairos.ok("plan", web_requests, "--horizon", 3, "--target-per-replica", 90,
                               "--format", "json"))
    assert doc["totals"]["planned_on"] == "mean"


def test_report_adds_the_fitted_model(kairos, web_requests):
    doc = json.loads(kairos.ok("plan", web_requests, "--horizon", 3, "--target-per-replica", 90,
                               "--format", "json", "--report", *SNAIVE))
    assert list(doc) == ["model", "plan", "totals"]
    assert doc["model"]["name"] == "snaive" and doc["model"]["period"] == 24


def test_stdin_gives_the_same_plan_as_the_file(kairos, web_requests):
    args = ["--horizon", 12, "--target-per-replica", 100]
    assert kairos.ok("plan", "-", *args, stdin=web_requests.read_text()) == \
        kairos.ok("plan", web_requests, *args)


def test_verbose_notes_go_to_stderr_only(kairos, web_requests):
    args = [web_requests, "--horizon", 6, "--target-per-replica", 100, "--risk", 0.05]
    quiet = kairos.run("plan", *args)
    loud = kairos.run("plan", *args, "--verbose")
    assert loud.returncode == 0 and loud.stdout == quiet.stdout
    notes = loud.stderr.splitlines()
    assert notes and all(n.startswith("kairos: note: ") for n in notes)
    assert any("planned on q0.95" in n for n in notes)


# ---- the schedule ----------------------------------------------------------------------------

LIMITS = [
    [],
    ["--min", 3, "--max", 7],
    ["--min", 0, "--max", 12, "--headroom", 1.25],
    ["--min", 5, "--max", 40, "--quantile", 0.9, "--current", 2],
    ["--max", 9, "--risk", 0.01, "--lead-time", "3h", "--stabilization", "2h"],
]


@pytest.mark.parametrize("extra", LIMITS, ids=lambda a: " ".join(map(str, a)) or "defaults")
def test_replicas_stay_within_min_and_max(kairos, web_requests, extra):
    _, rows = plan(kairos, web_requests, "--horizon", 72, "--target-per-replica", 40, *extra)
    lo = int(extra[extra.index("--min") + 1]) if "--min" in extra else 1
    hi = int(extra[extra.index("--max") + 1]) if "--max" in extra else 100
    assert all(lo <= r <= hi for r in replicas(rows))


@pytest.mark.parametrize("headroom", [1.0, 1.2, 1.5])
@pytest.mark.parametrize("up,down", [(2.0, 0.5), (1.2, 0.1), (100.0, 1.0)])
def test_capacity_covers_demand_with_headroom_unless_a_step_limit_binds(
        kairos, web_requests, headroom, up, down):
    target = 35
    _, rows = plan(kairos, web_requests, "--horizon", 96, "--target-per-replica", target,
                   "--headroom", headroom, "--max-up-factor", up, "--max-down", down,
                   "--current", 3, "--max", 60, "--quantile", 0.8)
    prev, limited = 3, 0
    for row in rows:
        r, demand = int(row["replicas"]), float(row["demand"])
        if r * target < demand * headroom * (1 - 1e-12) and r < 60:
            # Short of the need below --max only where the up-limit stopped the plan.
            assert r == ceil_tol(max(prev, 1) * up), row
            limited += 1
        prev = r
    if up == 100.0:
        assert limited == 0


@pytest.mark.parametrize("config", [
    dict(target=100),
    dict(target=40, headroom=1.3, up=1.5, down=0.2, current=2),
    dict(target=25, lo=4, hi=30, up=1.1, down=0.05, current=20),
    dict(target=60, headroom=0.9, lo=0, hi=8, up=3.0, down=1.0),
], ids=["defaults", "slow-start", "tight-limits", "scale-to-zero"])
@pytest.mark.parametrize("model", [[], SNAIVE, ["--model", "drift"]],
                         ids=["auto", "snaive", "drift"])
def test_plan_on_the_mean_matches_the_sidecar_formula(kairos, web_requests, config, model):
    horizon = 96
    means = forecast_means(kairos, web_requests, horizon, *model)
    args = [web_requests, "--horizon", horizon, *model,
            "--target-per-replica", config["target"]]
    names = dict(headroom="--headroom", lo="--min", hi="--max", up="--max-up-factor",
                 down="--max-down", current="--current")
    for key, option in names.items():
        if key in config:
            args += [option, config[key]]
    _, rows = plan(kairos, *args)
    assert column(rows, "demand") == [max(m, 0.0) for m in means]
    assert replicas(rows) == sidecar_plan(means, **config)


def test_plan_on_a_quantile_plans_for_that_quantile(kairos, web_requests):
    _, fc = parse_csv(kairos.ok("forecast", web_requests, "--horizon", 48, "--quantiles", 0.9))
    _, rows = plan(kairos, web_requests, "--horizon", 48, "--target-per-replica", 50,
                   "--quantile", 0.9, "--max-up-factor", 1000, "--max-down", 1)
    q = column(fc, "q0.9")
    assert column(rows, "demand") == [max(x, 0.0) for x in q]
    assert replicas(rows) == [max(1, ceil_tol(x / 50)) for x in q]


@pytest.mark.parametrize("risk", ["0.05", "0.1", "0.2", "0.5"])
def test_risk_p_equals_quantile_one_minus_p(kairos, web_requests, risk):
    args = [web_requests, "--horizon", 48, "--target-per-replica", 70, "--format", "json"]
    by_risk = json.loads(kairos.ok("plan", *args, "--risk", risk))
    by_quantile = json.loads(kairos.ok("plan", *args, "--quantile", 1 - float(risk)))
    assert by_risk == by_quantile


def test_risk_off_the_level_grid_equals_the_quantile_too(kairos, web_requests):
    args = [web_requests, "--horizon", 48, "--target-per-replica", 70]
    _, by_risk = plan(kairos, *args, "--risk", 0.07)
    _, by_quantile = plan(kairos, *args, "--quantile", 0.93)
    assert replicas(by_risk) == replicas(by_quantile)
    assert column(by_risk, "demand") == pytest.approx(column(by_quantile, "demand"), rel=1e-9)


def test_lower_risk_never_plans_fewer_replicas(kairos, web_requests):
    args = [web_requests, "--horizon", 48, "--target-per-replica", 70]
    plans = [replicas(plan(kairos, *args, "--risk", p)[1]) for p in (0.5, 0.2, 0.05, 0.01)]
    for looser, tighter in zip(plans, plans[1:]):
        assert all(a <= b for a, b in zip(looser, tighter))


def test_shortfall_probability_stays_within_the_accepted_risk(kairos, web_requests):
    _, rows = plan(kairos, web_requests, "--horizon", 48, "--target-per-replica", 30,
                   "--risk", 0.1, "--max-up-factor", 1000, "--max-down", 1)
    assert all(float(r["p_shortfall"]) <= 0.1 + 1e-9 for r in rows)


def test_lead_time_raises_capacity_before_a_peak(kairos, tmp_path):
    data = spiky_history(tmp_path)   # the spike is at 12:00; the forecast starts at 00:00
    common = [data, "--horizon", 24, *SNAIVE, "--target-per-replica", 100,
              "--max-up-factor", 100, "--max-down", 1]
    _, plain = plan(kairos, *common)
    _, early = plan(kairos, *common, "--lead-time", "2h")
    assert replicas(plain)[9:14] == [1, 1, 1, 10, 1]
    assert replicas(early)[9:14] == [1, 10, 10, 10, 1]
    # demand is the load planned for: the peak of the lead window.
    assert column(early, "demand")[9:14] == [100.0, 1000.0, 1000.0, 1000.0, 100.0]
    assert column(plain, "demand")[9:14] == [100.0, 100.0, 100.0, 1000.0, 100.0]


def test_lead_time_in_minutes_covers_the_next_step(kairos, tmp_path):
    data = spiky_history(tmp_path)
    common = [data, "--horizon", 24, *SNAIVE, "--target-per-replica", 100,
              "--max-up-factor", 100, "--max-down", 1]
    _, rows = plan(kairos, *common, "--lead-time", "10m")   # ceil(600/3600) = 1 step
    assert replicas(rows)[10:13] == [1, 10, 10]


def test_stabilization_delays_scale_down_after_a_peak(kairos, tmp_path):
    data = spiky_history(tmp_path)
    common = [data, "--horizon", 24, *SNAIVE, "--target-per-replica", 100,
              "--max-up-factor", 100, "--max-down", 1]
    _, rows = plan(kairos, *common, "--stabilization", "3h")
    assert replicas(rows)[11:17] == [1, 10, 10, 10, 10, 1]


def test_current_replicas_limit_the_first_steps(kairos, tmp_path):
    data = spiky_history(tmp_path, base=1000.0, peak=1000.0)   # flat: needs 10 replicas
    _, rows = plan(kairos, data, "--horizon", 6, *SNAIVE, "--target-per-replica", 100,
                   "--current", 2)
    assert replicas(rows) == [4, 8, 10, 10, 10, 10]   # doubling at most, from 2


# ---- errors ----------------------------------------------------------------------------------

USAGE_ERRORS = {
    "no file": ["--horizon", "3", "--target-per-replica", "10"],
    "missing horizon": ["{data}", "--target-per-replica", "10"],
    "missing target": ["{data}", "--horizon", "3"],
    "target zero": ["{data}", "--horizon", "3", "--target-per-replica", "0"],
    "target not a number": ["{data}", "--horizon", "3", "--target-per-replica", "ten"],
    "headroom negative": ["{data}", "--horizon", "3", "--target-per-replica", "10",
                          "--headroom", "-1"],
    "quantile one": ["{data}", "--horizon", "3", "--target-per-replica", "10",
                     "--quantile", "1"],
    "risk zero": ["{data}", "--horizon", "3", "--target-per-replica", "10", "--risk", "0"],
    "quantile and risk": ["{data}", "--horizon", "3", "--target-per-replica", "10",
                          "--quantile", "0.9", "--risk", "0.1"],
    "max below min": ["{data}", "--horizon", "3", "--target-per-replica", "10",
                      "--min", "5", "--max", "4"],
    "max zero": ["{data}", "--horizon", "3", "--target-per-replica", "10", "--max", "0"],
    "max too large": ["{data}", "--horizon", "3", "--target-per-replica", "10",
                      "--max", "1000001"],
    "up factor below one": ["{data}", "--horizon", "3", "--target-per-replica", "10",
                            "--max-up-factor", "0.5"],
    "down above one": ["{data}", "--horizon", "3", "--target-per-replica", "10",
                       "--max-down", "1.5"],
    "bad lead time": ["{data}", "--horizon", "3", "--target-per-replica", "10",
                      "--lead-time", "soon"],
    "bad stabilization": ["{data}", "--horizon", "3", "--target-per-replica", "10",
                          "--stabilization", "-5m"],
    "current zero": ["{data}", "--horizon", "3", "--target-per-replica", "10",
                     "--current", "0"],
    "bad format": ["{data}", "--horizon", "3", "--target-per-replica", "10",
                   "--format", "yaml"],
    "report with csv": ["{data}", "--horizon", "3", "--target-per-replica", "10", "--report"],
    "forecast-only option": ["{data}", "--horizon", "3", "--target-per-replica", "10",
                             "--quantiles", "0.5"],
    "unknown option": ["{data}", "--horizon", "3", "--target-per-replica", "10", "--frob"],
    "unknown model": ["{data}", "--horizon", "3", "--target-per-replica", "10",
                      "--model", "prophet"],
    "arima term without arima": ["{data}", "--horizon", "3", "--target-per-replica", "10",
                                 "--order", "1,0,0"],
    "bad fill": ["{data}", "--horizon", "3", "--target-per-replica", "10", "--fill", "zero"],
}


@pytest.mark.parametrize("args", USAGE_ERRORS.values(), ids=USAGE_ERRORS.keys())
def test_usage_errors_are_exit_2_with_one_line(kairos, web_requests, args):
    kairos.fails(2, "plan", *[a.format(data=web_requests) for a in args])


def test_lead_time_needs_timestamps(kairos, tmp_path):
    path = write_csv(tmp_path / "values.csv", None, [float(v) for v in range(30)])
    line = kairos.fails(2, "plan", path, "--horizon", 2, "--target-per-replica", 5,
                        "--lead-time", "1h")
    assert "timestamps" in line


def test_bad_cell_is_exit_3_naming_the_file(kairos, broken):
    line = kairos.fails(3, "plan", broken, "--horizon", 3, "--target-per-replica", 10)
    assert str(broken) in line


def test_missing_file_is_exit_3(kairos, tmp_path):
    kairos.fails(3, "plan", tmp_path / "nope.csv", "--horizon", 3, "--target-per-replica", 10)


def test_model_that_cannot_be_fitted_is_exit_4(kairos, tmp_path):
    path = write_csv(tmp_path / "huge.csv", None, [1e308, -1e308, 1e308])
    kairos.fails(4, "plan", path, "--horizon", 2, "--model", "drift",
                 "--target-per-replica", 10)


# ---- help ------------------------------------------------------------------------------------

PLAN_OPTIONS = ["--target-per-replica", "--headroom", "--quantile", "--risk", "--min", "--max",
                "--max-up-factor", "--max-down", "--stabilization", "--lead-time", "--current",
                "--format", "--horizon", "--season", "--model", "--column", "--step", "--agg",
                "--fill", "--profile-seasons", "--report", "--order", "--seasonal-order",
                "--mean", "--no-mean", "--drift", "--verbose", "--help"]


def test_plan_help_documents_every_option(kairos):
    text = kairos.ok("plan", "--help")
    for option in PLAN_OPTIONS:
        assert option in text, option
    assert "step,timestamp,demand,replicas,p_shortfall" in text
    assert kairos.ok("help", "plan") == text


def test_main_help_lists_plan_and_cost(kairos):
    text = kairos.ok("--help")
    assert "  plan " in text and "  cost " in text
