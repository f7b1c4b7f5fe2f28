"""examples/python/forecast_plot.py runs: a PNG with matplotlib, a table without."""
from __future__ import annotations

import subprocess
import sys

from conftest import REPO, SAMPLE

EXAMPLE = REPO / "examples" / "python" / "forecast_plot.py"


def test_forecast_plot_example_runs(tmp_path):
    out = tmp_path / "forecast.png"
    proc = subprocess.run([sys.executable, str(EXAMPLE), str(SAMPLE), "--horizon", "24",
                           "--out", str(out), "--table"],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "replicas" in proc.stdout and "USD/month" in proc.stdout
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        assert "matplotlib is not installed" in proc.stdout
    else:
        assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_forecast_plot_example_reports_bad_input(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("value\n1\nabc\n")
    proc = subprocess.run([sys.executable, str(EXAMPLE), str(bad)], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 3 and "is not a number" in proc.stderr
