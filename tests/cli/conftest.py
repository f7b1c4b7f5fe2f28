"""Shared fixtures of the `kairos` CLI tests.

The binary under test comes from the KAIROS_BIN environment variable (meson sets it), else
build/src/cli/kairos in the source tree.
"""
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT / "examples" / "data"


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
