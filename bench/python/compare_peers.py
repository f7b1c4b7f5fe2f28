#!/usr/bin/env python3
"""Side-by-side accuracy and speed on M4 hourly: kairos against Python peers.

    python3 bench/python/compare_peers.py                    # all 414 series, every method
    python3 bench/python/compare_peers.py --limit 40 --methods kairos-auto,sf-autoarima

Each method runs in its own process (``--worker``), on the same series, horizon 48 and
period 24, and reports its forecasts (mean, 80 % and 95 % intervals) and the wall time of
fit + forecast per series; this process scores them all with the M4 definitions (sMAPE in
percent; MASE and MSIS scaled by the in-sample seasonal-naive MAE with m = 24; coverage =
share of test points inside the interval) and prints one table.

Peers are installed from PyPI into this script's own venv (``--venv``, default
``bench/python/.venv``) together with kairos (``pip install ./bindings/python``); nothing
is installed elsewhere and CI never runs this. A peer that does not install (Prophet often)
is reported as skipped. Run OpenBLAS and numba single-threaded for fair timings: the script
sets ``OPENBLAS_NUM_THREADS=1``, ``OMP_NUM_THREADS=1`` and ``NUMBA_NUM_THREADS=1``.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import os
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path
from typing import Callable, Dict, List, Tuple

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
HORIZON, PERIOD = 48, 24

# method -> (pip requirements, description)
METHODS: Dict[str, Tuple[List[str], str]] = {
    "kairos-auto": ([], "kairos model=auto"),
    "kairos-autoarima": ([], "kairos model=autoarima"),
    "kairos-snaive": ([], "kairos model=snaive"),
    "sf-autoarima": (["statsforecast"], "statsforecast AutoARIMA(season_length=24)"),
    "sf-mstl": (["statsforecast"], "statsforecast MSTL(season_length=24), AutoETS trend"),
    "sf-autoets": (["statsforecast"], "statsforecast AutoETS(season_length=24)"),
    "sm-sarimax": (["statsmodels"], "statsmodels SARIMAX (1,0,1)x(0,1,1,24)"),
    "prophet": (["prophet"], "Prophet (daily seasonality)"),
}


# ---- data and scoring ---------------------------------------------------------------------

def read_m4(path: Path, limit: int) -> List[List[float]]:
    out: List[List[float]] = []
    with open(path, newline="") as f:
        rows = csv.reader(f)
        next(rows)
        for row in rows:
            out.append([float(x) for x in row[1:] if x.strip() != ""])
            if limit and len(out) >= limit:
                break
    return out


def seasonal_scale(train: List[float], m: int) -> float:
    d = [abs(train[i] - train[i - m]) for i in range(m, len(train))]
    return sum(d) / len(d)


def score(train: List[float], test: List[float], fc: dict) -> Dict[str, float]:
    h = len(test)
    mean, lo95, hi95, lo80, hi80 = (fc[k] for k in ("mean", "lo95", "hi95", "lo80", "hi80"))
    smape = 200.0 / h * sum(abs(y - f) / (abs(y) + abs(f)) for y, f in zip(test, mean))
    scale = seasonal_scale(train, PERIOD)
    mase = sum(abs(y - f) for y, f in zip(test, mean)) / h / scale
    a = 0.05
    msis = sum((u - l) + 2 / a * (l - y) * (y < l) + 2 / a * (y - u) * (y > u)
               for y, l, u in zip(test, lo95, hi95)) / h / scale
    cov95 = sum(l <= y <= u for y, l, u in zip(test, lo95, hi95)) / h
    cov80 = sum(l <= y <= u for y, l, u in zip(test, lo80, hi80)) / h
    return {"smape": smape, "mase": mase, "msis": msis, "cov95": cov95, "cov80": cov80}


# ---- one method per process ---------------------------------------------------------------

def kairos_method(model: str) -> Callable[[List[float]], dict]:
    import kairos

    def run(y: List[float]) -> dict:
        fc = kairos.forecast(y, horizon=HORIZON, season=PERIOD, model=model, levels=[80, 95])
        return {"mean": fc.mean.tolist(), "lo80": fc.lo[80].tolist(), "hi80": fc.hi[80].tolist(),
                "lo95": fc.lo[95].tolist(), "hi95": fc.hi[95].tolist()}
    return run


def statsforecast_method(name: str) -> Callable[[List[float]], dict]:
    import numpy as np
    from statsforecast.models import MSTL, AutoARIMA, AutoETS
    make = {"sf-autoarima": lambda: AutoARIMA(season_length=PERIOD),
            "sf-autoets": lambda: AutoETS(season_length=PERIOD),
            "sf-mstl": lambda: MSTL(season_length=PERIOD,
                                    trend_forecaster=AutoETS(model="ZZN"))}[name]

    def run(y: List[float]) -> dict:
        out = make().forecast(y=np.asarray(y, dtype=float), h=HORIZON, level=[80, 95])
        return {"mean": out["mean"].tolist(), "lo80": out["lo-80"].tolist(),
                "hi80": out["hi-80"].tolist(), "lo95": out["lo-95"].tolist(),
                "hi95": out["hi-95"].tolist()}
    return run


def sarimax_method() -> Callable[[List[float]], dict]:
    import warnings

    import numpy as np
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    def run(y: List[float]) -> dict:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = SARIMAX(np.asarray(y), order=(1, 0, 1), seasonal_order=(0, 1, 1, PERIOD)
                          ).fit(disp=False)
            pred = res.get_forecast(HORIZON)
            ci95, ci80 = pred.conf_int(alpha=0.05), pred.conf_int(alpha=0.2)
        return {"mean": pred.predicted_mean.tolist(), "lo80": ci80[:, 0].tolist(),
                "hi80": ci80[:, 1].tolist(), "lo95": ci95[:, 0].tolist(),
                "hi95": ci95[:, 1].tolist()}
    return run


def prophet_method() -> Callable[[List[float]], dict]:
    import logging

    import pandas as pd
    from prophet import Prophet
    logging.getLogger("cmdstanpy").setLevel(logging.ERROR)

    def run(y: List[float]) -> dict:
        ds = pd.date_range("2000-01-01", periods=len(y), freq="h")
        out = {}
        for width in (80, 95):
            m = Prophet(interval_width=width / 100, daily_seasonality=True,
                        weekly_seasonality=False, yearly_seasonality=False)
            m.fit(pd.DataFrame({"ds": ds, "y": y}))
            fc = m.predict(m.make_future_dataframe(HORIZON, freq="h", include_history=False))
            out["mean"] = fc["yhat"].tolist()
            out[f"lo{width}"], out[f"hi{width}"] = fc["yhat_lower"].tolist(), fc["yhat_upper"].tolist()
        return out
    return run


def worker(method: str, train_path: Path, limit: int, out_path: Path) -> None:
    if method.startswith("kairos-"):
        run = kairos_method(method.split("-", 1)[1])
    elif method.startswith("sf-"):
        run = statsforecast_method(method)
    elif method == "sm-sarimax":
        run = sarimax_method()
    else:
        run = prophet_method()
    results = []
    for y in read_m4(train_path, limit):
        start = time.perf_counter()
        try:
            fc = run(y)
            fc["seconds"] = time.perf_counter() - start
        except Exception as exc:  # a failed series is reported, not fatal
            fc = {"error": f"{type(exc).__name__}: {exc}", "seconds": time.perf_counter() - start}
        results.append(fc)
    out_path.write_text(json.dumps(results))


# ---- the driver ---------------------------------------------------------------------------

def ensure_venv(path: Path, methods: List[str]) -> Path:
    python = path / "bin" / "python"
    if not python.exists():
        print(f"creating {path}", file=sys.stderr)
        venv.create(path, with_pip=True)
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run(pip + ["numpy", "pandas", str(REPO / "bindings" / "python")], check=True)
    for req in sorted({r for m in methods for r in METHODS[m][0]}):
        if subprocess.run(pip + [req]).returncode != 0:
            print(f"note: {req} did not install; its methods are skipped", file=sys.stderr)
    return python


def median(xs: List[float]) -> float:
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=REPO / "tests" / "data" / "m4-hourly")
    ap.add_argument("--limit", type=int, default=0, help="first N series only (0 = all 414)")
    ap.add_argument("--methods", default=",".join(METHODS))
    ap.add_argument("--venv", type=Path, default=HERE / ".venv")
    ap.add_argument("--no-install", action="store_true",
                    help="use the current interpreter as it is (no venv, no pip)")
    ap.add_argument("--json", type=Path, help="also write the table as JSON here")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    train_path, test_path = args.data / "Hourly-train.csv", args.data / "Hourly-test.csv"
    if args.worker:
        worker(args.worker, train_path, args.limit, args.out)
        return 0

    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        ap.error(f"unknown method(s) {unknown}; known: {', '.join(METHODS)}")
    python = Path(sys.executable) if args.no_install else ensure_venv(args.venv, methods)
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1",
               NUMBA_NUM_THREADS="1", MKL_NUM_THREADS="1")
    train, test = read_m4(train_path, args.limit), read_m4(test_path, args.limit)

    rows = []
    for m in methods:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "out.json"
            proc = subprocess.run([str(python), __file__, "--worker", m, "--data", str(args.data),
                                   "--limit", str(args.limit), "--out", str(out)],
                                  env=env, capture_output=True, text=True)
            if proc.returncode != 0 or not out.exists():
                last = (proc.stderr.strip().splitlines() or ["?"])[-1]
                print(f"{m}: skipped ({last})", file=sys.stderr)
                continue
            results = json.loads(out.read_text())
        scores, failed = [], 0
        for y, t, fc in zip(train, test, results):
            if "error" in fc or any(not math.isfinite(v) for v in fc["mean"]):
                failed += 1
                continue
            scores.append(score(y, t, fc))
        n = len(scores)
        agg = {k: sum(s[k] for s in scores) / n if n else float("nan")
               for k in ("smape", "mase", "msis", "cov95", "cov80")}
        secs = [fc["seconds"] for fc in results]
        rows.append({"method": m, "what": METHODS[m][1], "series": n, "failed": failed,
                     **agg, "median_ms": 1000 * median(secs), "mean_ms": 1000 * sum(secs) / len(secs)})

    print(f"M4 hourly, {len(train)} series, horizon {HORIZON}, period {PERIOD}; "
          "each method in its own process, one thread")
    print(f"{'method':<18}{'sMAPE':>8}{'MASE':>8}{'MSIS':>8}{'cov95':>7}{'cov80':>7}"
          f"{'ms/series (median)':>20}{'mean':>9}{'failed':>8}")
    for r in rows:
        print(f"{r['method']:<18}{r['smape']:>8.3f}{r['mase']:>8.3f}{r['msis']:>8.3f}"
              f"{r['cov95']:>7.3f}{r['cov80']:>7.3f}{r['median_ms']:>20.2f}{r['mean_ms']:>9.2f}"
              f"{r['failed']:>8}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
