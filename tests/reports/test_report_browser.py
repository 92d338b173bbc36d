"""The HTML report in a real browser: headless Chromium renders it without console errors, and its screenshot shows
the report (not a blank or broken page). CI installs Chromium (.ci/run); without it these tests fail, not skip."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from tablejam.cli import main
from tablejam.reports.matrix import round_colours
from tests.conftest import BUSINESS_JAM

WIDTH, HEIGHT = 1280, 4000  # tall enough for the overview, seating plan, sector mix and the who-met-whom matrix
BROWSER_SECONDS = 90


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    browser = shutil.which("chromium")
    assert browser is not None, "chromium is not installed: .ci/run installs it (apt-get install chromium)"
    return subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         # Without these it waits for the network, which this machine does not have.
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", *args],
        capture_output=True,
        text=True,
        timeout=BROWSER_SECONDS,
        check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def report(business_jam_plan: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "plan.html"
    result = CliRunner().invoke(main, ["export", str(business_jam_plan), "--instance", str(BUSINESS_JAM), "-o", path])
    assert result.exit_code == 0, result.output
    return path


def console_messages(stderr: str) -> list[str]:
    """What the page itself logged (errors included); Chromium's own chatter (D-Bus, GPU) is not the page's."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def test_browser_renders_every_card_sign_and_square(report: Path, tmp_path: Path) -> None:
    completed = chromium("--dump-dom", report.as_uri(), profile=tmp_path / "profile")
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert console_messages(completed.stderr) == []
    dom = completed.stdout
    # The Business Jam: 48 participants, 8 tables never empty over 4 rounds.
    assert dom.count('<article class="card">') == 48
    assert dom.count('<article class="sign">') == 32
    html = report.read_text()
    squares = len(re.findall(r'class="r\d+"/>', html))
    assert squares > 2 * 400  # about 455 pairs meet, each drawn on both sides of the diagonal
    assert len(re.findall(r'class="r\d+"/?>', dom)) == squares  # the browser kept every one of them


def test_screenshot_shows_the_report(report: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    completed = chromium(
        f"--window-size={WIDTH},{HEIGHT}", f"--screenshot={shot}", report.as_uri(), profile=tmp_path / "profile"
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert console_messages(completed.stderr) == []
    assert shot.stat().st_size > 200_000  # text, tables, chips and the matrix; a blank page compresses to a few KB
    with Image.open(shot) as image:
        assert image.size == (WIDTH, HEIGHT)
        pixels = Counter({colour: count for count, colour in image.convert("RGB").getcolors(WIDTH * HEIGHT)})
    inked = sum(count for colour, count in pixels.items() if colour != (255, 255, 255))
    assert inked > 0.10 * WIDTH * HEIGHT
    assert len(pixels) > 1000  # anti-aliased text and many colours, not a flat page
    for colour in round_colours(4):  # each round's colour fills squares of the matrix
        rgb = tuple(int(colour[k : k + 2], 16) for k in (1, 3, 5))
        assert pixels[rgb] > 10_000, f"{colour} (a round of the matrix) barely appears"  # ~230 squares of ~200 px
