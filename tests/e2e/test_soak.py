"""A short run of bench/soak.py: load, then a worker SIGKILL, a Redis restart and the API
server killed, all under load; every accepted job must end with a correct result."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT, child_env


def test_no_accepted_job_is_lost_under_load_and_faults():
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "soak.py"), "--clients", "4", "--phase-seconds", "8"],
        capture_output=True, text=True, timeout=600, env=child_env(),
    )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["accepted"] > 0
    assert report["lost"] == 0
    assert report.get("wrong_result", 0) == 0
    assert report["succeeded"] + report.get("failed", 0) == report["accepted"]
