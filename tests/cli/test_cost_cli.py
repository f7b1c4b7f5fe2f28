"""Specification tests of `kairos cost` (the contract in DESIGN.md, detailed in docs/cli.md
and docs/cost.md). Expected amounts are computed here from the cost formula."""
import json
import os
import subprocess

import pytest

from conftest import DATA, parse_csv

GIB = 2 ** 30
REFERENCE = ["--cpu", "500m", "--memory", "1Gi"]   # 0.5 vCPU, 1 GiB: 0.025 per hour


def cost(kairos, *args, **kwargs):
    return json.loads(kairos.ok("cost", *args, **kwargs))


def rate(cpu, memory_gib, cpu_price=0.04, memory_price=0.005, spot_share=0.0,
         spot_discount=0.0):
    """The hourly price of one replica (docs/cost.md)."""
    def blended(price):
        return (1 - spot_share) * price + spot_share * price * (1 - spot_discount)
    return cpu * blended(cpu_price) + memory_gib * blended(memory_price)


def write_plan(path, rows, timestamps=True):
    """A plan CSV as `kairos plan` writes it, from (timestamp, replicas) pairs."""
    header = "step,timestamp,demand,replicas,p_shortfall" if timestamps else \
        "step,demand,replicas,p_shortfall"
    lines = [header]
    for i, (ts, r) in enumerate(rows, 1):
        lines.append(f"{i},{ts},1,{r},0" if timestamps else f"{i},1,{r},0")
    path.write_text("\n".join(lines) + "\n")
    return path


# ---- the reference ---------------------------------------------------------------------------

def test_three_small_replicas_cost_54_75_a_month(kairos):
    doc = cost(kairos, "--replicas", 3, *REFERENCE)
    assert doc["replica_hourly"] == 0.025
    assert doc["hours_per_month"] == 730
    assert doc["plan"]["month"] == 54.75
    assert doc["plan"]["mean_replicas"] == 3 and doc["plan"]["peak_replicas"] == 3
    assert doc["peak_static"] == {"replicas": 3, "month": 54.75}
    assert doc["currency"] == "USD"


def test_a_fourth_replica_adds_18_25(kairos):
    three = cost(kairos, "--replicas", 3, *REFERENCE)["plan"]["month"]
    four = cost(kairos, "--replicas", 4, *REFERENCE)["plan"]["month"]
    assert four == 73.0
    assert four - three == pytest.approx(18.25, abs=1e-9)


def test_delta_against_the_current_replicas(kairos):
    up = cost(kairos, "--replicas", 4, *REFERENCE, "--current", 3)
    assert up["current"] == {"replicas": 3, "month": 54.75}
    assert up["delta_vs_current"] == 18.25 and up["savings_vs_current"] == -18.25
    down = cost(kairos, "--replicas", 3, *REFERENCE, "--current", 4)
    assert down["delta_vs_current"] == -18.25 and down["savings_vs_current"] == 18.25


def test_unknown_current_gives_nulls(kairos):
    doc = cost(kairos, "--replicas", 3, *REFERENCE)
    assert doc["current"] is None
    assert doc["delta_vs_current"] is None and doc["savings_vs_current"] is None


@pytest.mark.parametrize("cpu,memory", [("0.5", "1Gi"), ("500m", "1024Mi"),
                                        ("500m", str(GIB)), ("5e-1", "1073741824")])
def test_quantities_use_kubernetes_notation(kairos, cpu, memory):
    doc = cost(kairos, "--replicas", 3, "--cpu", cpu, "--memory", memory)
    assert doc["plan"]["month"] == 54.75


def test_prices_and_hours_are_options(kairos):
    doc = cost(kairos, "--replicas", 2, "--cpu", 2, "--memory", "4Gi", "--cpu-price", 0.031,
               "--memory-price", 0.0042, "--hours-per-month", 720)
    expected = rate(2, 4, 0.031, 0.0042)
    assert doc["replica_hourly"] == pytest.approx(expected, abs=1e-6)
    assert doc["plan"]["month"] == pytest.approx(2 * expected * 720, abs=1e-6)


def test_spot_share_and_discount_blend_the_price(kairos):
    doc = cost(kairos, "--replicas", 10, *REFERENCE, "--spot-share", 0.5,
               "--spot-discount", 0.6)
    expected = rate(0.5, 1, spot_share=0.5, spot_discount=0.6)
    assert doc["replica_hourly"] == pytest.approx(expected, abs=1e-6)
    assert doc["plan"]["month"] == pytest.approx(10 * expected * 730, abs=1e-6)
    assert doc["plan"]["month"] < cost(kairos, "--replicas", 10, *REFERENCE)["plan"]["month"]


def test_currency_labels_the_amounts(kairos):
    assert cost(kairos, "--replicas", 1, *REFERENCE, "--currency", "EUR")["currency"] == "EUR"


def test_text_format_gives_the_same_amounts(kairos):
    text = kairos.ok("cost", "--replicas", 3, *REFERENCE, "--current", 4, "--format", "text")
    lines = text.splitlines()
    assert lines[0].startswith("plan:") and "54.75 USD/month" in lines[0]
    assert any(line.startswith("current:") and "73.00" in line and "-18.25" in line
               for line in lines)


# ---- pricing a plan --------------------------------------------------------------------------

def test_cost_of_a_plan_is_its_mean_replicas_priced(kairos, web_requests, tmp_path):
    plan_csv = tmp_path / "plan.csv"
    plan_csv.write_text(kairos.ok("plan", web_requests, "--horizon", 48,
                                  "--target-per-replica", 60, "--risk", 0.1))
    _, rows = parse_csv(plan_csv.read_text())
    counts = [int(r["replicas"]) for r in rows]
    mean = sum(counts) / len(counts)
    doc = cost(kairos, "--plan", plan_csv, *REFERENCE, "--current", 5)
    p = doc["plan"]
    assert p["mean_replicas"] == pytest.approx(mean, rel=1e-12)
    assert p["peak_replicas"] == max(counts)
    assert p["horizon_hours"] == 48 and p["replica_hours"] == sum(counts)
    assert p["month"] == pytest.approx(mean * 0.025 * 730, abs=1e-6)
    assert p["horizon"] == pytest.approx(sum(counts) * 0.025, abs=1e-6)
    assert doc["peak_static"]["month"] == pytest.approx(max(counts) * 0.025 * 730, abs=1e-6)
    assert doc["savings_vs_peak"] == pytest.approx(doc["peak_static"]["month"] - p["month"],
                                                   abs=1e-6)
    assert doc["delta_vs_current"] == pytest.approx(p["month"] - 5 * 0.025 * 730, abs=1e-6)


def test_a_plan_on_stdin_is_the_same_as_the_file(kairos, web_requests, tmp_path):
    text = kairos.ok("plan", web_requests, "--horizon", 24, "--target-per-replica", 80)
    path = tmp_path / "plan.csv"
    path.write_text(text)
    assert kairos.ok("cost", "--plan", "-", *REFERENCE, stdin=text) == \
        kairos.ok("cost", "--plan", path, *REFERENCE)


def test_a_constant_plan_costs_the_same_as_its_replica_count(kairos, tmp_path):
    path = write_plan(tmp_path / "plan.csv",
                      [(f"2024-05-01T{h:02d}:00:00Z", 3) for h in range(24)])
    assert cost(kairos, "--plan", path, *REFERENCE)["plan"]["month"] == 54.75


def test_the_step_of_a_plan_comes_from_its_timestamps(kairos, tmp_path):
    rows = [(f"2024-05-01T00:{m:02d}:00Z", r) for m, r in zip(range(0, 60, 15), [2, 4, 4, 6])]
    doc = cost(kairos, "--plan", write_plan(tmp_path / "plan.csv", rows), *REFERENCE)
    assert doc["plan"]["horizon_hours"] == 1.0
    assert doc["plan"]["replica_hours"] == 4.0
    assert doc["plan"]["month"] == pytest.approx(4 * 0.025 * 730, abs=1e-6)


def test_a_plan_without_timestamps_counts_each_row_as_an_hour(kairos, web_requests, tmp_path):
    path = write_plan(tmp_path / "plan.csv", [(None, r) for r in (1, 2, 3, 6)],
                      timestamps=False)
    doc = cost(kairos, "--plan", path, *REFERENCE)
    assert doc["plan"]["horizon_hours"] == 4 and doc["plan"]["mean_replicas"] == 3
    assert doc["plan"]["month"] == 54.75 and doc["peak_static"]["replicas"] == 6


# ---- errors ----------------------------------------------------------------------------------

USAGE_ERRORS = {
    "nothing to price": REFERENCE,
    "both replicas and plan": ["--replicas", "3", "--plan", "x.csv", *REFERENCE],
    "missing cpu": ["--replicas", "3", "--memory", "1Gi"],
    "missing memory": ["--replicas", "3", "--cpu", "1"],
    "replicas not a number": ["--replicas", "three", *REFERENCE],
    "replicas negative": ["--replicas", "-3", *REFERENCE],
    "bad cpu quantity": ["--replicas", "3", "--cpu", "1x", "--memory", "1Gi"],
    "negative memory": ["--replicas", "3", "--cpu", "1", "--memory", "-1Gi"],
    "negative price": ["--replicas", "3", *REFERENCE, "--cpu-price", "-0.1"],
    "zero hours": ["--replicas", "3", *REFERENCE, "--hours-per-month", "0"],
    "spot share above one": ["--replicas", "3", *REFERENCE, "--spot-share", "1.5"],
    "spot discount not a number": ["--replicas", "3", *REFERENCE, "--spot-discount", "half"],
    "current zero": ["--replicas", "3", *REFERENCE, "--current", "0"],
    "bad format": ["--replicas", "3", *REFERENCE, "--format", "csv"],
    "a positional file": ["plan.csv", *REFERENCE],
    "unknown option": ["--replicas", "3", *REFERENCE, "--frob"],
    "option without value": ["--replicas", "3", *REFERENCE, "--current"],
}


@pytest.mark.parametrize("args", USAGE_ERRORS.values(), ids=USAGE_ERRORS.keys())
def test_usage_errors_are_exit_2_with_one_line(kairos, args):
    kairos.fails(2, "cost", *args)


BAD_PLANS = {
    "no replicas column": "timestamp,value\n2024-05-01T00:00:00Z,3\n",
    "replicas not a count": "step,replicas\n1,3\n2,many\n",
    "negative replicas": "step,replicas\n1,-3\n",
    "fractional replicas": "step,replicas\n1,2.5\n",
    "short row": "step,timestamp,replicas\n1,2024-05-01T00:00:00Z,3\n2,2024-05-01T01:00:00Z\n",
    "bad timestamp": "step,timestamp,replicas\n1,2024-13-01T00:00:00Z,3\n",
    "uneven steps": "step,timestamp,replicas\n1,2024-05-01T00:00:00Z,3\n"
                    "2,2024-05-01T01:00:00Z,3\n3,2024-05-01T03:00:00Z,3\n",
    "time going back": "step,timestamp,replicas\n1,2024-05-01T01:00:00Z,3\n"
                       "2,2024-05-01T00:00:00Z,3\n",
    "header only": "step,timestamp,demand,replicas,p_shortfall\n",
    "empty": "",
}


@pytest.mark.parametrize("text", BAD_PLANS.values(), ids=BAD_PLANS.keys())
def test_bad_plans_are_exit_3_with_one_line(kairos, tmp_path, text):
    path = tmp_path / "plan.csv"
    path.write_text(text)
    line = kairos.fails(3, "cost", "--plan", path, *REFERENCE)
    assert str(path) in line


def test_missing_plan_is_exit_3(kairos, tmp_path):
    line = kairos.fails(3, "cost", "--plan", tmp_path / "nope.csv", *REFERENCE)
    assert "nope.csv" in line


def test_a_forecast_is_not_a_plan(kairos, web_requests):
    forecast = kairos.ok("forecast", web_requests, "--horizon", 3)
    line = kairos.fails(3, "cost", "--plan", "-", *REFERENCE, stdin=forecast)
    assert "replicas" in line


# ---- help ------------------------------------------------------------------------------------

COST_OPTIONS = ["--replicas", "--plan", "--cpu", "--memory", "--cpu-price", "--memory-price",
                "--hours-per-month", "--spot-share", "--spot-discount", "--current", "--format",
                "--help"]


def test_cost_help_documents_every_option(kairos):
    text = kairos.ok("cost", "--help")
    for option in COST_OPTIONS:
        assert option in text, option
    assert "0.04" in text and "0.005" in text and "730" in text
    assert kairos.ok("help", "cost") == text


def test_the_plan_of_a_history_without_timestamps_prices_by_the_hour(kairos, tmp_path):
    history = tmp_path / "values.csv"
    history.write_text("".join(f"{100 + 10 * (i % 4)}\n" for i in range(40)))
    text = kairos.ok("plan", history, "--horizon", 8, "--target-per-replica", 30)
    counts = [int(r["replicas"]) for r in parse_csv(text)[1]]
    doc = cost(kairos, "--plan", "-", *REFERENCE, stdin=text)
    assert doc["plan"]["horizon_hours"] == 8
    assert doc["plan"]["month"] == pytest.approx(sum(counts) / 8 * 0.025 * 730, abs=1e-6)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [
    ["cost", "--replicas", "3", *REFERENCE],
    ["plan", str(DATA / "web-requests.csv"), "--horizon", "3", "--target-per-replica", "10"],
], ids=["cost", "plan"])
def test_a_failed_write_is_exit_3_with_one_line(kairos, args):
    with open("/dev/full", "w") as full:
        result = subprocess.run([str(kairos.path), *args], stdout=full, stderr=subprocess.PIPE,
                                text=True, timeout=60)
    assert result.returncode == 3
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("kairos: ")
