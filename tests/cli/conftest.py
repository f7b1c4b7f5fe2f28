"""Shared fixtures of the `kairos` CLI tests.

The binary under test comes from the KAIROS_BIN environment variable (meson sets it), else
build/src/cli/kairos in the source tree.
"""
import csv
import io
import os
import pathlib
import subprocess
from datetime import datetime, timedelta, timezone

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT / "examples" / "data"
HOUR = timedelta(hours=1)


def kairos_path():
    configured = os.environ.get("KAIROS_BIN")
    return pathlib.Path(configured) if configured else ROOT / "build" / "src" / "cli" / "kairos"


class Kairos:
    """Runs the binary with a predictable environment (C locale unless a test says otherwise)."""

    def __init__(self, path):
        self.path = path

    def run(self, *args, stdin=None, env=None):
        full_env = dict(os.environ)
        for name in ("LANG", "LANGUAGE", "LC_ALL", "LC_NUMERIC"):
            full_env.pop(name, None)
        full_env.update(env or {})
        return subprocess.run([str(self.path), *map(str, args)], input=stdin,
                              capture_output=True, text=True, env=full_env, timeout=120)

    def ok(self, *args, **kwargs):
        """Run and insist on success: exit 0 and nothing at all on stderr."""
        result = self.run(*args, **kwargs)
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
        return result.stdout

    def fails(self, code, *args, **kwargs):
        """Run and insist on the given exit code, no stdout and exactly one 'kairos: ' line
        on stderr. Returns that line."""
        result = self.run(*args, **kwargs)
        assert result.returncode == code, (result.returncode, result.stderr)
        assert result.stdout == ""
        lines = result.stderr.splitlines()
        assert len(lines) == 1, result.stderr
        assert result.stderr.endswith("\n")
        assert lines[0].startswith("kairos: ")
        return lines[0]


@pytest.fixture(scope="session")
def kairos():
    path = kairos_path()
    if not path.exists():
        pytest.fail(f"kairos binary not found at {path}; build it or set KAIROS_BIN")
    return Kairos(path)


@pytest.fixture(scope="session")
def web_requests():
    return DATA / "web-requests.csv"


@pytest.fixture(scope="session")
def broken():
    return DATA / "broken.csv"


# ---- CSV helpers shared by the tests -------------------------------------------------------

def read_history(path):
    """(timestamps, values) of a timestamp,value CSV with a header."""
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return [parse_time(r["timestamp"]) for r in rows], [float(r["value"]) for r in rows]


def parse_time(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def parse_csv(text):
    """(header, rows) of a CSV the program printed; rows are dicts of strings."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    rows = [dict(zip(header, r)) for r in reader]
    assert all(len(r) == len(header) for r in rows)
    return header, rows


def column(rows, name):
    return [float(r[name]) for r in rows]


def write_csv(path, header, rows):
    """Rows are tuples, or plain values for a one-column file; floats are written with
    repr(), which reads back as the same double."""
    with open(path, "w", newline="") as f:
        if header:
            f.write(",".join(header) + "\n")
        for row in rows:
            cells = row if isinstance(row, (tuple, list)) else (row,)
            f.write(",".join(map(str, cells)) + "\n")
    return path


def hourly(start, values):
    """Rows of timestamp,value at one-hour steps from start."""
    return [((start + i * HOUR).strftime("%Y-%m-%dT%H:%M:%SZ"), v) for i, v in enumerate(values)]


START = datetime(2024, 5, 1, tzinfo=timezone.utc)
