#!/usr/bin/env python3
"""Forecast a metric history, plan replicas for it, and draw both.

    python examples/python/forecast_plot.py examples/data/web-requests.csv \
        --horizon 48 --target-per-replica 100 --risk 0.1 --out forecast.png

Draws the last week of history, the forecast mean with its 50/80/95 % fan, and the replica
plan (second axis) into a PNG. Without matplotlib it prints the same numbers as a table.
Needs the kairos package: pip install ./bindings/python
"""
from __future__ import annotations

import argparse
import sys

import kairos


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("csv", help="history: CSV with timestamp,value columns")
    p.add_argument("--horizon", type=int, default=48, help="steps ahead (default 48)")
    p.add_argument("--model", default="auto", help="model (default auto)")
    p.add_argument("--target-per-replica", type=float, default=100.0,
                   help="load one replica serves (default 100)")
    p.add_argument("--risk", type=float, default=0.1,
                   help="accepted probability of a shortfall per step (default 0.1)")
    p.add_argument("--cpu", default="500m", help="CPU request per replica (default 500m)")
    p.add_argument("--memory", default="1Gi", help="memory request per replica (default 1Gi)")
    p.add_argument("--out", default="forecast.png", help="PNG to write (default forecast.png)")
    p.add_argument("--table", action="store_true", help="print a table even with matplotlib")
    return p.parse_args(argv)


def print_table(fc: kairos.Forecast, plan: kairos.Plan) -> None:
    print(f"{'timestamp':<22}{'mean':>10}{'lo80':>10}{'hi80':>10}{'demand':>10}{'replicas':>9}"
          f"{'p_short':>9}")
    stamps = (fc.timestamps.astype("datetime64[s]").astype(str) if fc.timestamps is not None
              else [str(i + 1) for i in range(fc.horizon)])
    for i in range(fc.horizon):
        print(f"{stamps[i]:<22}{fc.mean[i]:>10.1f}{fc.lo[80][i]:>10.1f}{fc.hi[80][i]:>10.1f}"
              f"{plan.demand[i]:>10.1f}{plan.replicas[i]:>9d}{plan.p_shortfall[i]:>9.3f}")


def plot(history: kairos.History, fc: kairos.Forecast, plan: kairos.Plan, out: str) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    week = 7 * 24
    hist_t = history.timestamps[-week:].astype("datetime64[s]")
    fig, ax = plt.subplots(figsize=(11, 5))
    ax.plot(hist_t, history.values[-week:], color="0.3", lw=1, label="history")
    for level, alpha in ((95, 0.15), (80, 0.25), (50, 0.35)):
        ax.fill_between(fc.timestamps, fc.lo[level], fc.hi[level], color="tab:blue",
                        alpha=alpha, lw=0, label=f"{level}% interval")
    ax.plot(fc.timestamps, fc.mean, color="tab:blue", lw=1.5, label=f"forecast ({fc.model})")
    ax.set_ylabel("load")
    ax2 = ax.twinx()
    ax2.step(plan.timestamps, plan.replicas, where="post", color="tab:red", lw=1.5,
             label="replicas")
    ax2.set_ylabel("replicas")
    ax2.set_ylim(0, max(plan.replicas.max() * 1.3, 1))
    lines = ax.get_legend_handles_labels()
    lines2 = ax2.get_legend_handles_labels()
    ax.legend(lines[0] + lines2[0], lines[1] + lines2[1], loc="upper left", fontsize=8)
    ax.set_title("kairos: forecast, quantile fan and replica plan")
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(out, dpi=110)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    try:
        history = kairos.read_csv(args.csv)
        fc = kairos.forecast(history, horizon=args.horizon, model=args.model,
                             levels=[50, 80, 95])
        plan = kairos.plan(history, horizon=args.horizon, model=args.model,
                           target_per_replica=args.target_per_replica, risk=args.risk)
        cost = kairos.cost(plan, cpu=args.cpu, memory=args.memory)
    except kairos.KairosError as exc:
        print(f"forecast_plot: {exc}", file=sys.stderr)
        return 3
    print(f"model {fc.model}; peak {plan.totals['peak_replicas']} replicas; "
          f"worst step risk {plan.totals['max_p_shortfall']:.3f}; "
          f"{cost.plan_month:.2f} {cost.currency}/month")
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        print("(matplotlib is not installed: printing a table instead of a plot)")
        print_table(fc, plan)
        return 0
    if history.timestamps is None:
        print_table(fc, plan)
        return 0
    if args.table:
        print_table(fc, plan)
    plot(history, fc, plan, args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
