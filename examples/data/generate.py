#!/usr/bin/env python3
"""Generate the bundled sample data of libkairos (Python standard library only).

web-requests.csv: four weeks of hourly request rates (req/s) of a web service, with
  a daily cycle that peaks in the evening, quieter weekends, slow growth and noise.
broken.csv: a few rows of the same shape with one non-numeric cell (line 7), for demos
  and tests of error reporting.

The output is byte-for-byte reproducible: a fixed seed, and only operations whose results
Python defines exactly (random.Random with a seed, fixed-precision formatting).

    python3 examples/data/generate.py            # rewrite the files beside this script
    python3 examples/data/generate.py --out DIR  # write them somewhere else
"""
import argparse
import math
import os
import random
from datetime import datetime, timedelta, timezone

SEED = 20240401
START = datetime(2024, 4, 1, tzinfo=timezone.utc)  # a Monday
HOURS = 4 * 7 * 24
BASE_RATE = 690.0           # req/s at an average weekday hour at the start
GROWTH_OVER_PERIOD = 0.12   # +12 % over the four weeks
WEEKEND_FACTOR = 0.72       # Saturdays and Sundays are quieter
NOISE = 0.035               # relative standard deviation of the hourly noise


def daily_shape(hour):
    """Relative load by hour of day (UTC): a trough around 04:00, a broad working-day
    plateau and the peak at 20:00, when people are home."""
    evening_peak = math.exp(-((hour - 20.0) ** 2) / (2 * 2.2 ** 2))
    daytime = math.exp(-((hour - 13.0) ** 2) / (2 * 4.0 ** 2))
    night = 0.33
    return night + 0.45 * daytime + 0.95 * evening_peak


def request_rates(rng):
    mean_shape = sum(daily_shape(h) for h in range(24)) / 24
    for i in range(HOURS):
        t = START + timedelta(hours=i)
        level = BASE_RATE * (1 + GROWTH_OVER_PERIOD * i / HOURS)
        weekly = WEEKEND_FACTOR if t.weekday() >= 5 else 1.0
        noise = 1 + rng.gauss(0.0, NOISE)
        yield t, level * weekly * daily_shape(t.hour) / mean_shape * noise


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def write_web_requests(path):
    rng = random.Random(SEED)
    with open(path, "w", newline="\n") as f:
        f.write("timestamp,value\n")
        for t, rate in request_rates(rng):
            f.write(f"{iso(t)},{rate:.1f}\n")


def write_broken(path):
    rows = [(START + timedelta(hours=i), v) for i, v in
            enumerate(["412.5", "380.2", "351.0", "342.8", "339.4", "abc", "431.6"])]
    with open(path, "w", newline="\n") as f:
        f.write("timestamp,value\n")
        for t, v in rows:
            f.write(f"{iso(t)},{v}\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)),
                        help="directory to write into (default: beside this script)")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    write_web_requests(os.path.join(args.out, "web-requests.csv"))
    write_broken(os.path.join(args.out, "broken.csv"))


if __name__ == "__main__":
    main()
