"""Shared fixtures: the repository's sample data and the `kairos` CLI the results must equal."""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import List, Optional

import pytest

REPO = Path(__file__).resolve().parents[3]
SAMPLE = REPO / "examples" / "data" / "web-requests.csv"


def _find_cli() -> Optional[str]:
    env = os.environ.get("KAIROS_BIN")
    if env:
        return env
    for candidate in (REPO / "build" / "src" / "cli" / "kairos",):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which("kairos")


class Cli:
    """Runs the `kairos` program and parses its output."""

    def __init__(self, path: str) -> None:
        self.path = path

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        proc = subprocess.run([self.path, *map(str, args)], capture_output=True, text=True,
                              timeout=120)
        if check and proc.returncode != 0:
            raise AssertionError(f"kairos {' '.join(map(str, args))} failed "
                                 f"({proc.returncode}): {proc.stderr}")
        return proc

    def csv(self, *args: str) -> List[dict]:
        return list(csv.DictReader(io.StringIO(self.run(*args).stdout)))

    def json(self, *args: str) -> dict:
        return json.loads(self.run(*args).stdout)


@pytest.fixture(scope="session")
def cli() -> Cli:
    path = _find_cli()
    if not path:
        pytest.skip("the kairos CLI was not found (build it, or set KAIROS_BIN)")
    return Cli(path)


@pytest.fixture(scope="session")
def sample() -> Path:
    assert SAMPLE.is_file(), SAMPLE
    return SAMPLE
