"""`make ui` (scripts/ui.sh): webserver and daemon on 127.0.0.1, the asset graph in a browser.

Starts the real script on a free port over a copy of the Dagster instance of the operated home
(so the UI has runs, materialisations and check results to show) with an empty landing folder
(so the sensor starts nothing), drives Debian's chromium through playwright, and stops the
processes by PID.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.browser import CHROMIUM, CHROMIUM_FLAGS
from tests.conftest import REPO

pytestmark = pytest.mark.slow

SCREENSHOTS = Path(os.environ.get("CXBENCH_SCREENSHOTS", REPO / "build" / "screenshots"))
LOOPBACK_HEX = "0100007F"  # 127.0.0.1 as /proc/net/tcp writes it


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def listeners(port: int) -> set[str]:
    """Local addresses (hex, as in /proc/net/tcp*) listening on `port`."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, port_hex = fields[1].split(":")
            if fields[3] == "0A" and int(port_hex, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


def graphql(port: int, query: str) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["data"]


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture
def ui(operated_home, tmp_path):
    """scripts/ui.sh running; yields (port, script process, {role: pid}, log path)."""
    home = tmp_path / "home"
    (home / "landing").mkdir(parents=True)
    shutil.copytree(operated_home.root / "dagster", home / "dagster")
    port = free_port()
    log_path = tmp_path / "ui.log"
    env = {**os.environ, "CXBENCH_HOME": str(home), "CXBENCH_UI_PORT": str(port)}
    with log_path.open("w") as log:
        script = subprocess.Popen(
            ["bash", "scripts/ui.sh"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    pids: dict[str, int] = {}
    try:
        deadline = time.monotonic() + 240
        while "cxbench ui: http://" not in log_path.read_text():
            assert script.poll() is None, log_path.read_text()[-3000:]
            assert time.monotonic() < deadline, "the UI did not start within 240 s"
            time.sleep(1)
        pids = {
            role: int(pid)
            for role, pid in re.findall(r"cxbench ui: (\w+) pid (\d+)", log_path.read_text())
        }
        yield port, script, pids, log_path
    finally:
        # Stop by PID: the script (which stops its two processes), then anything left over.
        if script.poll() is None:
            script.send_signal(signal.SIGTERM)
            try:
                script.wait(timeout=60)
            except subprocess.TimeoutExpired:
                script.kill()
        for pid in pids.values():
            if alive(pid):
                os.killpg(pid, signal.SIGKILL)


def test_make_ui_serves_the_asset_graph_on_loopback_only(ui):
    from playwright.sync_api import sync_playwright

    from orchestration.definitions import defs

    port, script, pids, log_path = ui
    assert set(pids) == {"daemon", "webserver"}
    assert listeners(port) == {LOOPBACK_HEX}  # 127.0.0.1 only: not 0.0.0.0, not ::
    assert graphql(port, "{ shouldShowNux }") == {"shouldShowNux": False}  # dialog dismissed

    # The daemon runs the sensor and the schedules.
    deadline = time.monotonic() + 120
    while True:
        statuses = graphql(
            port, "{ instance { daemonHealth { allDaemonStatuses { daemonType healthy } } } }"
        )["instance"]["daemonHealth"]["allDaemonStatuses"]
        healthy = {s["daemonType"] for s in statuses if s["healthy"]}
        if {"SENSOR", "SCHEDULER", "QUEUED_RUN_COORDINATOR"} <= healthy:
            break
        assert time.monotonic() < deadline, statuses
        time.sleep(2)

    mart_check = next(
        key.name
        for key in defs.resolve_asset_graph().asset_check_keys
        if key.asset_key.to_user_string() == "marts/nps_by_sector_year"
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    base = f"http://127.0.0.1:{port}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1800, "height": 1100})

            def show(path: str, *texts: str) -> str:
                page.goto(base + path)
                for text in texts:
                    page.get_by_text(text, exact=True).first.wait_for(timeout=60_000)
                return page.inner_text("body")

            # The whole graph: ingest -> dbt -> publication, edition and report.
            body = show(
                "/assets/published/benchmark_snapshot"
                "?view=lineage&lineageScope=neighbors&lineageDepth=10",
                "benchmark_snapshot",
                "nps_by_sector_year",
                "survey_responses",
                "file_log",
                "edition",
            )
            assert "join the community" not in body.lower()
            page.wait_for_timeout(3000)  # materialisation states fill in after the layout
            page.screenshot(path=str(SCREENSHOTS / "asset-graph.png"))

            show("/assets/audit/file_log?view=checks", "quarantine_share", "no_rejected_files")
            page.screenshot(path=str(SCREENSHOTS / "file-log-checks.png"))
            show("/assets/raw/survey_responses?view=checks", "row_accounting")
            show("/assets/marts/nps_by_sector_year?view=checks", "Execute all")
            # Long dbt test names are shown middle-truncated; the full name is in the page.
            page.get_by_text(mart_check, exact=True).first.wait_for(state="attached")
            show("/automation", "landing_sensor", "nightly_benchmark", "yearly_edition")
            page.screenshot(path=str(SCREENSHOTS / "automation.png"))
        finally:
            browser.close()

    # Stopped by PID: SIGTERM to the script ends the webserver and the daemon.
    script.send_signal(signal.SIGTERM)
    assert script.wait(timeout=60) == 128 + signal.SIGTERM
    assert not [role for role, pid in pids.items() if alive(pid)]
    assert listeners(port) == set()
    assert "Traceback" not in log_path.read_text()
