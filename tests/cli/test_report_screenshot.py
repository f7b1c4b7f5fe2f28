"""`kairos run` writes an index.html that a browser renders: headless Chromium (Debian
`chromium`) opens the report of the bundled example and saves a screenshot, which must be a
real picture (a PNG of the window's size with varied content), not an error page.

Set KAIROS_SCREENSHOT=path.png to keep the screenshot (docs/img/run-report.png is made so).
"""
import os
import pathlib
import shutil
import struct
import subprocess
import zlib

import pytest

from conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
WIDTH, HEIGHT = 1400, 2000


def chromium():
    if os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    return shutil.which("chromium")


def png_pixels(data):
    """(width, height, decompressed scanlines) of a PNG, with the standard library only."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, size = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            size = struct.unpack(">II", chunk[:8])
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    return size[0], size[1], zlib.decompress(idat)


def screenshot(browser, page, png, profile):
    """Render @page into @png; the flags keep Chromium off the network and the GPU."""
    args = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", f"--user-data-dir={profile}", f"--screenshot={png}",
            f"--window-size={WIDTH},{HEIGHT}", page.as_uri()]
    return subprocess.run(args, capture_output=True, text=True, timeout=180,
                          env={**os.environ, "HOME": str(profile)})


def test_headless_chromium_renders_the_report(kairos, tmp_path):
    browser = chromium()
    if not browser:
        pytest.skip("chromium is not installed (Debian package 'chromium')")
    out = tmp_path / "report"
    kairos.ok("run", ROOT / "examples" / "run" / "kairos.yaml", "--out", out)
    png = tmp_path / "report.png"
    result = screenshot(browser, out / "index.html", png, tmp_path / "profile")
    assert result.returncode == 0, result.stderr[-2000:]
    data = png.read_bytes()
    width, height, pixels = png_pixels(data)
    assert (width, height) == (WIDTH, HEIGHT)
    # A blank or error page compresses to a few kilobytes with a handful of distinct bytes;
    # three charts with text, lines and shaded fans do not.
    assert len(data) > 50_000
    assert len(set(pixels)) > 100
    keep = os.environ.get("KAIROS_SCREENSHOT")
    if keep:
        pathlib.Path(keep).write_bytes(data)
