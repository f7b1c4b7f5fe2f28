"""`kairos forecast --model arima|autoarima`: the contract's --report, checked against fits
made with R's forecast::Arima (tests/data/arima, written by tests/data/arima/make_refs.R)."""
import json

import pytest

from conftest import ROOT

REFS = ROOT / "tests" / "data" / "arima"
CASES = ["usaccdeaths", "lynx_log_ar2", "airpassengers_log", "m4_h1_101_011_24"]


def reference(name):
    return json.loads((REFS / f"{name}.json").read_text())


def arima_args(ref):
    args = ["--model", "arima", "--order", ",".join(map(str, ref["order"]))]
    if any(ref["seasonal_order"]):
        args += ["--seasonal-order", ",".join(map(str, ref["seasonal_order"])),
                 "--season", ref["season"]]
    args.append("--drift" if ref["include_drift"] else
                "--mean" if ref["include_mean"] else "--no-mean")
    return args


@pytest.mark.parametrize("name", CASES)
def test_arima_report_reproduces_r(kairos, name):
    ref = reference(name)
    out = kairos.ok("forecast", REFS / f"{name}.csv", "--horizon", 48, "--levels", "80,95",
                    "--format", "json", "--report", *arima_args(ref))
    doc = json.loads(out)
    model, fc = doc["model"], doc["forecast"]
    assert model["name"] == "arima"
    assert model["order"] == ref["order"]
    assert model["seasonal_order"] == ref["seasonal_order"]
    assert list(model["coef"]) == ref["coef_names"]
    for got, want in zip(model["coef"].values(), ref["coef"]):
        assert got == pytest.approx(want, abs=2e-3)
    assert model["loglik"] == pytest.approx(ref["loglik"], abs=0.01)
    assert model["sigma2"] == pytest.approx(ref["sigma2"], rel=5e-3)
    assert model["nobs"] == ref["nobs"]
    for key in ("mean", "lo80", "hi80", "lo95", "hi95"):
        assert fc[key] == pytest.approx(ref[key], rel=2e-3)


def test_seasonal_order_without_a_season_is_a_usage_error(kairos):
    line = kairos.fails(2, "forecast", REFS / "usaccdeaths.csv", "--horizon", 3,
                        "--model", "arima", "--order", "0,1,1", "--seasonal-order", "0,1,1")
    assert "season" in line


def test_order_applies_only_to_arima(kairos):
    line = kairos.fails(2, "forecast", REFS / "usaccdeaths.csv", "--horizon", 3,
                        "--model", "naive", "--order", "1,0,0")
    assert "--order" in line


def test_autoarima_reports_the_chosen_model_and_every_candidate(kairos):
    doc = json.loads(kairos.ok("forecast", REFS / "lynx_log_ar2.csv", "--horizon", 10,
                               "--model", "autoarima", "--format", "json", "--report"))
    model = doc["model"]
    assert model["name"] == "autoarima"
    assert model["search"] == "stepwise"
    tried = model["tried"]
    assert len(tried) >= 4
    finite = [t["aicc"] for t in tried if t["aicc"] is not None]
    # The chosen model is the one with the lowest AICc among those tried.
    assert model["aicc"] == pytest.approx(min(finite), abs=1e-6)
    best = min((t for t in tried if t["aicc"] is not None), key=lambda t: t["aicc"])
    assert model["order"] == best["order"]


def test_constant_series_is_bad_data_not_a_crash(kairos, tmp_path):
    path = tmp_path / "flat.csv"
    path.write_text("value\n" + "5\n" * 50)
    kairos.fails(3, "forecast", path, "--horizon", 3, "--model", "arima", "--order", "1,0,0")
