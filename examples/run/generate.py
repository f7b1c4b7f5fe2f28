#!/usr/bin/env python3
"""Generate the sample histories of examples/run/kairos.yaml (Python standard library only).

batch-jobs.csv: five weeks of hourly queue depth (jobs waiting) of a batch worker pool:
  a quiet daytime trickle, a nightly batch window on weekdays (01:00-05:00 UTC) and the big
  weekly run on Sunday night (00:00-08:00 UTC) -- a weekly cycle that a daily season misses.
flat-service.csv: one week of 15-minute request rates (req/s) of an internal auth service:
  flat, a faint daily ripple, and noise.

The web traffic workload reuses examples/data/web-requests.csv (examples/data/generate.py).
The output is byte-for-byte reproducible: fixed seeds and fixed-precision formatting.

    python3 examples/run/generate.py            # rewrite the files beside this script
    python3 examples/run/generate.py --out DIR  # write them somewhere else
"""
import argparse
import math
import os
import random
from datetime import datetime, timedelta, timezone

START = datetime(2024, 4, 1, tzinfo=timezone.utc)  # a Monday, as for web-requests.csv
BATCH_SEED = 20240402
BATCH_HOURS = 5 * 7 * 24
FLAT_SEED = 20240403
FLAT_STEP = timedelta(minutes=15)
FLAT_POINTS = 7 * 24 * 4


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def batch_level(t):
    """Jobs waiting at hour t: the weekly run dwarfs the nightly ones."""
    day, hour = t.weekday(), t.hour
    if day == 6 and hour < 8:                      # Sunday 00:00-08:00: the weekly run
        return 260.0 * math.sin(math.pi * (hour + 0.5) / 8)
    if day < 5 and 1 <= hour < 5:                  # weekday nights: the nightly batch
        return 70.0 * math.sin(math.pi * (hour - 0.5) / 4)
    return 6.0                                     # the daytime trickle


def batch_jobs(rng):
    for i in range(BATCH_HOURS):
        t = START + timedelta(hours=i)
        level = batch_level(t)
        yield t, max(0.0, level * (1 + rng.gauss(0.0, 0.06)) + rng.gauss(0.0, 1.5))


def flat_service(rng):
    for i in range(FLAT_POINTS):
        t = START + i * FLAT_STEP
        ripple = 1 + 0.03 * math.sin(2 * math.pi * (t.hour + t.minute / 60 - 9) / 24)
        yield t, 220.0 * ripple * (1 + rng.gauss(0.0, 0.02))


def write(path, rows):
    with open(path, "w", newline="\n") as f:
        f.write("timestamp,value\n")
        for t, v in rows:
            f.write(f"{iso(t)},{v:.1f}\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)),
                        help="directory to write into (default: beside this script)")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    write(os.path.join(args.out, "batch-jobs.csv"), batch_jobs(random.Random(BATCH_SEED)))
    write(os.path.join(args.out, "flat-service.csv"), flat_service(random.Random(FLAT_SEED)))


if __name__ == "__main__":
    main()
