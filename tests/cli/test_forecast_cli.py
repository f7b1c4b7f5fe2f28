"""Specification tests of `kairos forecast` (the contract in DESIGN.md, detailed in
docs/cli.md). Every expected value is computed here from the input file, independently of
libkairos."""
import json
import random
import re
import subprocess
import sys

import pytest

from conftest import (DATA, HOUR, START, column, hourly, parse_csv, parse_time, read_history,
                      write_csv)



# ---- CSV output ------------------------------------------------------------------------------

def test_csv_header_has_default_quantile_columns(kairos, web_requests):
    header, _ = parse_csv(kairos.ok("forecast", web_requests, "--horizon", 3))
    assert header == ["step", "timestamp", "mean", "q0.1", "q0.5", "q0.9"]


def test_csv_header_with_levels_has_lo_hi_pairs(kairos, web_requests):
    out = kairos.ok("forecast", web_requests, "--horizon", 3, "--levels", "80,95")
    header, _ = parse_csv(out)
    assert header == ["step", "timestamp", "mean", "lo80", "hi80", "lo95", "hi95"]


def test_quantile_columns_use_shortest_spelling_of_the_level(kairos, web_requests):
    out = kairos.ok("forecast", web_requests, "--horizon", 2, "--quantiles", "0.05,0.50,.9")
    header, _ = parse_csv(out)
    assert header[3:] == ["q0.05", "q0.5", "q0.9"]


def test_steps_count_from_one_to_the_horizon(kairos, web_requests):
    _, rows = parse_csv(kairos.ok("forecast", web_requests, "--horizon", 17))
    assert [r["step"] for r in rows] == [str(k) for k in range(1, 18)]


def test_timestamps_continue_the_input_at_its_step(kairos, web_requests):
    times, _ = read_history(web_requests)
    _, rows = parse_csv(kairos.ok("forecast", web_requests, "--horizon", 30))
    got = [parse_time(r["timestamp"]) for r in rows]
    assert got == [times[-1] + k * HOUR for k in range(1, 31)]
    assert all(r["timestamp"].endswith("Z") for r in rows)


def test_quantile_columns_are_monotone_in_every_row(kairos, web_requests):
    levels = ["0.025", "0.1", "0.25", "0.5", "0.75", "0.9", "0.975"]
    out = kairos.ok("forecast", web_requests, "--horizon", 48, "--quantiles", ",".join(levels))
    _, rows = parse_csv(out)
    for row in rows:
        values = [float(row["q" + q]) for q in levels]
        assert values == sorted(values), row


def test_intervals_are_nested_and_lo_below_hi(kairos, web_requests):
    out = kairos.ok("forecast", web_requests, "--horizon", 48, "--levels", "80,95")
    _, rows = parse_csv(out)
    for row in rows:
        lo80, hi80, lo95, hi95 = (float(row[c]) for c in ("lo80", "hi80", "lo95", "hi95"))
        assert lo95 <= lo80 < hi80 <= hi95, row


def test_snaive_repeats_the_last_season(kairos, web_requests):
    _, values = read_history(web_requests)
    out = kairos.ok("forecast", web_requests, "--horizon", 60, "--model", "snaive",
                    "--season", 24)
    _, rows = parse_csv(out)
    expected = [values[len(values) - 24 + (k % 24)] for k in range(60)]
    assert column(rows, "mean") == expected


def test_naive_forecasts_the_last_value(kairos, web_requests):
    _, values = read_history(web_requests)
    out = kairos.ok("forecast", web_requests, "--horizon", 12, "--model", "naive")
    _, rows = parse_csv(out)
    assert column(rows, "mean") == [values[-1]] * 12


def test_mean_model_forecasts_the_history_mean(kairos, web_requests):
    _, values = read_history(web_requests)
    _, rows = parse_csv(kairos.ok("forecast", web_requests, "--horizon", 3, "--model", "mean"))
    assert column(rows, "mean") == pytest.approx([sum(values) / len(values)] * 3, rel=1e-12)


def test_drift_extends_the_average_change(kairos, web_requests):
    _, values = read_history(web_requests)
    slope = (values[-1] - values[0]) / (len(values) - 1)
    _, rows = parse_csv(kairos.ok("forecast", web_requests, "--horizon", 5, "--model", "drift"))
    expected = [values[-1] + h * slope for h in range(1, 6)]
    assert column(rows, "mean") == pytest.approx(expected, rel=1e-12)


def test_profile_model_with_chosen_seasons(kairos, web_requests):
    out = kairos.ok("forecast", web_requests, "--horizon", 24, "--model", "profile",
                    "--season", 24, "--profile-seasons", 2)
    _, rows = parse_csv(out)
    assert len(rows) == 24


def test_numbers_are_printed_in_the_shortest_exact_form(kairos, tmp_path):
    path = write_csv(tmp_path / "h.csv", None, [1.25, 2.5, 0.1])
    _, rows = parse_csv(kairos.ok("forecast", path, "--horizon", 2, "--model", "naive"))
    assert [r["mean"] for r in rows] == ["0.1", "0.1"]
    path = write_csv(tmp_path / "h.csv", None, [1.25, 0.30000000000000004])
    _, rows = parse_csv(kairos.ok("forecast", path, "--horizon", 1, "--model", "naive"))
    assert rows[0]["mean"] == "0.30000000000000004"


# ---- JSON output -----------------------------------------------------------------------------

def test_json_has_the_contract_structure(kairos, web_requests):
    doc = json.loads(kairos.ok("forecast", web_requests, "--horizon", 4, "--format", "json"))
    assert list(doc) == ["forecast"]
    forecast = doc["forecast"]
    assert list(forecast) == ["step", "timestamp", "mean", "quantiles"]
    assert forecast["step"] == [1, 2, 3, 4]
    assert list(forecast["quantiles"]) == ["0.1", "0.5", "0.9"]
    assert all(len(v) == 4 for v in forecast["quantiles"].values())


def test_json_with_levels_has_lo_hi_arrays_instead_of_quantiles(kairos, web_requests):
    out = kairos.ok("forecast", web_requests, "--horizon", 4, "--format", "json",
                    "--levels", "80,95")
    forecast = json.loads(out)["forecast"]
    assert list(forecast) == ["step", "timestamp", "mean", "lo80", "hi80", "lo95", "hi95"]


@pytest.mark.parametrize("extra", [[], ["--levels", "50,80,99.5"],
                                   ["--quantiles", "0.05,0.5,0.95"]])
def test_json_numbers_equal_the_csv_numbers(kairos, web_requests, extra):
    args = ["forecast", web_requests, "--horizon", 24, *extra]
    _, rows = parse_csv(kairos.ok(*args))
    forecast = json.loads(kairos.ok(*args, "--format=json"))["forecast"]
    assert forecast["step"] == [int(r["step"]) for r in rows]
    assert forecast["timestamp"] == [r["timestamp"] for r in rows]
    assert forecast["mean"] == column(rows, "mean")
    arrays = {("q" + k): v for k, v in forecast.get("quantiles", {}).items()}
    arrays.update({k: v for k, v in forecast.items() if k[:2] in ("lo", "hi")})
    assert set(arrays) == set(rows[0]) - {"step", "timestamp", "mean"}
    for name, values in arrays.items():
        assert values == column(rows, name), name


def test_report_adds_the_fitted_model(kairos, web_requests):
    out = kairos.ok("forecast", web_requests, "--horizon", 4, "--format", "json", "--report",
                    "--model", "snaive", "--season", 24)
    doc = json.loads(out)
    assert list(doc) == ["model", "forecast"]
    assert doc["model"]["name"] == "snaive"
    assert isinstance(doc["model"]["sigma2"], float) and doc["model"]["sigma2"] > 0
    assert doc["model"]["period"] == 24


def test_report_names_the_model_auto_chose(kairos, web_requests):
    doc = json.loads(kairos.ok("forecast", web_requests, "--horizon", 4, "--format", "json",
                               "--report"))
    model = doc["model"]
    assert model["name"] == "auto"
    assert model["selected_by"].startswith("rolling-origin CV")
    assert 1 <= len(model["members"]) <= 3
    for member in model["members"]:
        assert member["model"] in model["candidates"]
    assert abs(sum(m["weight"] for m in model["members"]) - 1) < 1e-12


# ---- input handling --------------------------------------------------------------------------

def test_stdin_gives_the_same_forecast_as_the_file(kairos, web_requests):
    from_file = kairos.ok("forecast", web_requests, "--horizon", 10)
    from_stdin = kairos.ok("forecast", "-", "--horizon", 10, stdin=web_requests.read_text())
    assert from_stdin == from_file


def test_single_column_without_header_has_no_timestamp_column(kairos, tmp_path):
    path = write_csv(tmp_path / "values.csv", None, [10 + (i % 7) for i in range(60)])
    header, rows = parse_csv(kairos.ok("forecast", path, "--horizon", 7, "--season", 7,
                                       "--model", "snaive"))
    assert header == ["step", "mean", "q0.1", "q0.5", "q0.9"]
    assert column(rows, "mean") == [10 + ((60 + k) % 7) for k in range(7)]
    doc = json.loads(kairos.ok("forecast", path, "--horizon", 7, "--format", "json"))
    assert "timestamp" not in doc["forecast"]


def test_options_may_come_before_the_file(kairos, web_requests):
    before = kairos.ok("forecast", "--horizon=3", "--model", "naive", web_requests)
    after = kairos.ok("forecast", web_requests, "--model", "naive", "--horizon", "3")
    assert before == after


def test_unsorted_input_gives_the_same_forecast_as_sorted(kairos, web_requests, tmp_path):
    lines = web_requests.read_text().splitlines()
    body = lines[1:]
    random.Random(7).shuffle(body)
    shuffled = tmp_path / "shuffled.csv"
    shuffled.write_text("\n".join([lines[0], *body]) + "\n")
    args = ["--horizon", 48, "--levels", "80,95"]
    assert kairos.ok("forecast", shuffled, *args) == kairos.ok("forecast", web_requests, *args)


@pytest.mark.parametrize("agg,expected", [("mean", 20.0), ("max", 30.0), ("last", 30.0),
                                          ("sum", 40.0)])
def test_duplicate_timestamps_are_combined_by_agg(kairos, tmp_path, agg, expected):
    rows = hourly(START, [float(v) for v in range(1, 11)])
    rows.append((rows[-1][0], 30.0))
    path = write_csv(tmp_path / "dup.csv", ["timestamp", "value"], rows)
    _, out = parse_csv(kairos.ok("forecast", path, "--horizon", 2, "--model", "naive",
                                 "--agg", agg))
    assert column(out, "mean") == [expected, expected]


@pytest.mark.parametrize("fill,expected", [("none", 10 / 3), ("previous", 2.0),
                                           ("linear", 4.0)])
def test_gaps_are_filled_as_asked(kairos, tmp_path, fill, expected):
    rows = hourly(START, [0.0, 0.0, None, None, 10.0])
    rows = [r for r in rows if r[1] is not None]
    path = write_csv(tmp_path / "gap.csv", ["timestamp", "value"], rows)
    _, out = parse_csv(kairos.ok("forecast", path, "--horizon", 1, "--model", "mean",
                                 "--step", "1h", "--fill", fill))
    assert float(out[0]["mean"]) == pytest.approx(expected, rel=1e-12)


def test_step_option_resamples_the_history(kairos, web_requests):
    _, values = read_history(web_requests)
    out = kairos.ok("forecast", web_requests, "--horizon", 3, "--model", "naive",
                    "--step", "2h", "--agg", "mean")
    _, rows = parse_csv(out)
    assert [r["timestamp"] for r in rows] == ["2024-04-29T00:00:00Z", "2024-04-29T02:00:00Z",
                                              "2024-04-29T04:00:00Z"]
    assert float(rows[0]["mean"]) == pytest.approx((values[-2] + values[-1]) / 2, rel=1e-12)


def test_column_option_picks_the_value_column(kairos, tmp_path):
    rows = [(t, i, 100 + i) for i, (t, _) in enumerate(hourly(START, [0] * 30))]
    path = write_csv(tmp_path / "multi.csv", ["timestamp", "cpu", "memory"], rows)
    _, out = parse_csv(kairos.ok("forecast", path, "--horizon", 1, "--model", "naive",
                                 "--column", "memory"))
    assert column(out, "mean") == [129.0]


def test_verbose_reports_merged_points_on_stderr_only_when_asked(kairos, tmp_path):
    rows = hourly(START, [float(v) for v in range(1, 11)])
    rows.append((rows[-1][0], 30.0))
    path = write_csv(tmp_path / "dup.csv", ["timestamp", "value"], rows)
    kairos.ok("forecast", path, "--horizon", 2)     # quiet by default
    result = kairos.run("forecast", path, "--horizon", 2, "--verbose")
    assert result.returncode == 0
    notes = result.stderr.splitlines()
    assert notes and all(line.startswith("kairos: note: ") for line in notes)
    assert any("combined" in line for line in notes)


def test_output_ignores_the_locale(kairos, web_requests):
    args = ["forecast", web_requests, "--horizon", 24, "--levels", "80,95"]
    plain = kairos.ok(*args)
    german = kairos.ok(*args, env={"LC_ALL": "de_DE.UTF-8", "LANG": "de_DE.UTF-8"})
    assert german == plain
    _, rows = parse_csv(german)
    assert "." in rows[0]["mean"]


def test_binary_never_sets_the_locale(kairos):
    # Independent of which locales this machine has installed: a program that never calls
    # setlocale() cannot print ',' as a decimal point.
    assert b"setlocale" not in kairos.path.read_bytes()


# ---- errors ----------------------------------------------------------------------------------

def test_bad_cell_is_exit_3_naming_the_file_and_line(kairos, broken):
    line = kairos.fails(3, "forecast", broken, "--horizon", 5)
    assert "broken.csv" in line
    assert "line 7" in line
    assert "abc" in line


def test_missing_file_is_exit_3(kairos, tmp_path):
    line = kairos.fails(3, "forecast", tmp_path / "nope.csv", "--horizon", 5)
    assert "nope.csv" in line


def test_empty_file_is_exit_3(kairos, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")
    kairos.fails(3, "forecast", path, "--horizon", 5)


def test_series_too_short_for_the_model_is_exit_3(kairos, tmp_path):
    path = write_csv(tmp_path / "short.csv", None, [1.0, 2.0, 3.0])
    kairos.fails(3, "forecast", path, "--horizon", 5, "--model", "snaive", "--season", 24)


def test_model_that_cannot_be_fitted_is_exit_4(kairos, tmp_path):
    # Residuals of 2e308 overflow double precision: the data parse, the fit cannot work.
    path = write_csv(tmp_path / "huge.csv", None, [1e308, -1e308, 1e308])
    line = kairos.fails(4, "forecast", path, "--horizon", 2, "--model", "drift")
    assert "drift" in line


def test_seasonal_model_without_a_season_is_a_usage_error(kairos, tmp_path):
    path = write_csv(tmp_path / "values.csv", None, [float(v) for v in range(50)])
    kairos.fails(2, "forecast", path, "--horizon", 2, "--model", "snaive")


USAGE_ERRORS = {
    "no file": [],
    "two files": ["{data}", "{data}"],
    "missing horizon": ["{data}"],
    "horizon zero": ["{data}", "--horizon", "0"],
    "horizon not a number": ["{data}", "--horizon", "abc"],
    "horizon with junk": ["{data}", "--horizon", "5x"],
    "horizon negative": ["{data}", "--horizon", "-5"],
    "horizon too large": ["{data}", "--horizon", "1000001"],
    "horizon without value": ["{data}", "--horizon"],
    "quantile above one": ["{data}", "--horizon", "3", "--quantiles", "1.5"],
    "quantile zero": ["{data}", "--horizon", "3", "--quantiles", "0,0.5"],
    "quantile empty item": ["{data}", "--horizon", "3", "--quantiles", "0.1,,0.9"],
    "quantile not a number": ["{data}", "--horizon", "3", "--quantiles", "nan"],
    "quantile repeated": ["{data}", "--horizon", "3", "--quantiles", "0.5,0.50"],
    "level 100": ["{data}", "--horizon", "3", "--levels", "100"],
    "quantiles and levels": ["{data}", "--horizon", "3", "--quantiles", "0.5",
                             "--levels", "80"],
    "unknown model": ["{data}", "--horizon", "3", "--model", "prophet"],
    "bad format": ["{data}", "--horizon", "3", "--format", "xml"],
    "unknown option": ["{data}", "--horizon", "3", "--frobnicate"],
    "flag with value": ["{data}", "--horizon", "3", "--format", "json", "--report=yes"],
    "report with csv": ["{data}", "--horizon", "3", "--report"],
    "season zero": ["{data}", "--horizon", "3", "--season", "0"],
    "season not a list of numbers": ["{data}", "--horizon", "3", "--season", "24,day"],
    "bad step": ["{data}", "--horizon", "3", "--step", "5x"],
    "zero step": ["{data}", "--horizon", "3", "--step", "0"],
    "bad agg": ["{data}", "--horizon", "3", "--agg", "median"],
    "bad fill": ["{data}", "--horizon", "3", "--fill", "zero"],
    "order without arima": ["{data}", "--horizon", "3", "--model", "snaive",
                            "--order", "1,1,1"],
    "drift without arima": ["{data}", "--horizon", "3", "--drift"],
    "profile seasons with naive": ["{data}", "--horizon", "3", "--model", "naive",
                                   "--profile-seasons", "2"],
}


@pytest.mark.parametrize("args", USAGE_ERRORS.values(), ids=USAGE_ERRORS.keys())
def test_usage_errors_are_exit_2_with_one_line(kairos, web_requests, args):
    kairos.fails(2, "forecast", *[a.format(data=web_requests) for a in args])


def test_step_options_need_timestamps(kairos, tmp_path):
    path = write_csv(tmp_path / "values.csv", None, [1.0, 2.0, 3.0, 4.0])
    line = kairos.fails(2, "forecast", path, "--horizon", 2, "--fill", "linear")
    assert "timestamps" in line


def test_unknown_model_is_a_usage_error_listing_the_known_ones(kairos, web_requests):
    line = kairos.fails(2, "forecast", web_requests, "--horizon", 3, "--model", "prophet")
    assert "prophet" in line
    for known in ("naive", "snaive", "ets", "mstl", "arima", "autoarima"):
        assert known in line


def test_the_first_usage_error_wins(kairos, web_requests):
    line = kairos.fails(2, "forecast", web_requests, "--horizon", "x", "--format", "xml")
    assert "--horizon" in line


# ---- help and version ------------------------------------------------------------------------

FORECAST_OPTIONS = ["--horizon", "--season", "--model", "--quantiles", "--levels", "--format",
                    "--report", "--column", "--step", "--agg", "--fill", "--profile-seasons",
                    "--order", "--seasonal-order", "--mean", "--no-mean", "--drift",
                    "--verbose", "--help"]
MODELS = ["auto", "naive", "snaive", "drift", "mean", "profile"]


def test_forecast_help_documents_every_option_and_model(kairos):
    text = kairos.ok("forecast", "--help")
    for option in FORECAST_OPTIONS:
        assert option in text, option
    for model in MODELS:
        assert re.search(rf"^\s+{model}\s", text, re.M), model
    assert "default" in text


def test_help_command_shows_a_commands_help(kairos):
    assert kairos.ok("help", "forecast") == kairos.ok("forecast", "--help")


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["help"]])
def test_main_help_lists_forecast(kairos, args):
    text = kairos.ok(*args)
    assert "forecast" in text and "Usage: kairos" in text


def test_version_prints_the_library_version(kairos):
    assert re.fullmatch(r"kairos \d+\.\d+\.\d+\n", kairos.ok("--version"))


@pytest.mark.parametrize("args", [[], ["frobnicate"], ["--frobnicate"],
                                  ["help", "frobnicate"]])
def test_unknown_or_missing_command_is_exit_2(kairos, args):
    kairos.fails(2, *args)


# ---- sample data -----------------------------------------------------------------------------

def test_sample_data_is_reproducible(tmp_path):
    subprocess.run([sys.executable, str(DATA / "generate.py"), "--out", str(tmp_path)],
                   check=True)
    for name in ("web-requests.csv", "broken.csv"):
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name


def test_sample_data_is_four_weeks_of_hourly_requests(web_requests):
    times, values = read_history(web_requests)
    assert len(values) == 4 * 7 * 24
    assert all(b - a == HOUR for a, b in zip(times, times[1:]))
    assert 150 < min(values) and max(values) < 1600


# ---- seasonal model options --------------------------------------------------------------------

def test_seasonal_options_reach_the_model(kairos, web_requests):
    doc = json.loads(kairos.ok("forecast", web_requests, "--horizon", 3, "--model", "mstl",
                               "--adjusted-model", "ets", "--format", "json", "--report"))
    assert doc["model"]["adjusted_model"].startswith("ETS(")
    doc = json.loads(kairos.ok("forecast", web_requests, "--horizon", 3, "--model", "ets",
                               "--ets-model", "AAN", "--format", "json", "--report"))
    assert doc["model"]["method"] == "ETS(A,A,N)"


@pytest.mark.parametrize("args, word", [
    (["--model", "naive", "--robust"], "--robust"),
    (["--model", "mstl", "--ets-model", "AAN"], "--ets-model"),
    (["--model", "ets", "--ets-model", "MNM"], "MNM"),
    (["--model", "stl", "--s-window", "8"], "odd"),
    (["--model", "stl", "--max-k", "3"], "--max-k"),
])
def test_seasonal_options_are_checked(kairos, web_requests, args, word):
    line = kairos.fails(2, "forecast", web_requests, "--horizon", 3, *args)
    assert word in line
