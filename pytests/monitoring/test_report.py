"""``just report`` as a person sees it: the page opened offline in headless Chromium (Debian's
package; CI installs it), every section and chart present and drawn, and a screenshot taken."""

from __future__ import annotations

import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from monitoring.report import SECTIONS
from warehouse.runtime import ScratchWarehouse

from .conftest import run_monitor

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Flags that work on a closed network as root (see the machine notes): no sandbox, no GPU, and no
# background connections, which the network refuses many at a time.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-quic", "--hide-scrollbars")


class _Page(HTMLParser):
    """Sections, charts and external references of the rendered DOM."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[str] = []
        self.charts: list[dict[str, str | None]] = []
        self.external: list[str] = []
        self.body: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "section":
            self.sections.append(found.get("id") or "")
        if tag == "svg" and "chart" in (found.get("class") or ""):
            self.charts.append(found)
        if tag == "body":
            self.body = found
        for name in ("src", "href"):
            if (found.get(name) or "").startswith(("http:", "https:", "//")):
                self.external.append(found[name] or "")


def _chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=120, check=False,
    )


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_report_opens_offline_with_every_section_and_chart_drawn(
    dirty_sync: ScratchWarehouse, tmp_path: Path
) -> None:
    run_monitor(dirty_sync)
    page = tmp_path / "report.html"
    written = dirty_sync.run([sys.executable, "-m", "monitoring", "report", "--out", str(page)], check=False)
    assert written.returncode == 0, written.stderr
    dom = _chromium(tmp_path / "profile", "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    parsed = _Page()
    parsed.feed(dom.stdout)
    assert parsed.body.get("data-rendered") == "yes", "the page's script did not run"
    assert parsed.sections == list(SECTIONS)
    assert parsed.external == []
    assert len(parsed.charts) >= 9
    undrawn = [c.get("data-chart") for c in parsed.charts
               if int(c.get("data-marks") or 0) == 0 or int(c.get("data-rendered-width") or 0) == 0]
    assert undrawn == []
    shot = tmp_path / "report.png"
    taken = _chromium(tmp_path / "profile", f"--screenshot={shot}", "--window-size=1200,5000", page.as_uri())
    assert taken.returncode == 0, taken.stderr[-2000:]
    png = shot.read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 50_000
