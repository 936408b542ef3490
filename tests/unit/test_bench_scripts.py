"""Every benchmark script in bench/ starts (its imports resolve, its options parse) whether run
from the checkout or elsewhere, with or without the checkout on PYTHONPATH. No test runs the
benchmarks themselves, so a broken import there went unseen: bench/service.py shadowed the
project's `service` package for a script run with the checkout on PYTHONPATH."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

SCRIPTS = sorted(p for p in (ROOT / "bench").glob("*.py") if "argparse" in p.read_text(encoding="utf-8"))


@pytest.mark.parametrize("pythonpath", [None, str(ROOT)], ids=["plain", "checkout-on-pythonpath"])
@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_bench_script_starts(script, pythonpath, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    done = subprocess.run([sys.executable, str(script), "--help"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("usage:")


def test_no_bench_module_shadows_a_project_package():
    packages = {p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file()}
    assert not {p.stem for p in (ROOT / "bench").glob("*.py")} & packages
