"""The container image's two commands, the API (the Dockerfile's CMD) and the worker (compose.yaml's
`command`), run on what `pip install .` installs, as the image runs them: from a directory holding
no source, with only the installed package to import. So every model, template and static file
the service reads is in the package, and each command names modules that exist.

No Docker engine is needed: the commands are read from the Dockerfile and compose.yaml and run
here, with their programs from this Python's environment."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import DANISH_SEED, PYTHON, ROOT, child_env, free_port, load_seed
from tests.result_checks import check_danish_seed

API_KEY = "image-test-key-0123456789abcdef"
BIN = Path(sys.executable).parent
# What the image's `pip install .` builds from: the Dockerfile's COPY lines.
COPIED = ("pyproject.toml", "README.md", "newsdesk", "service", "worker")


def image_command() -> list[str]:
    cmd = re.search(r"^CMD (\[.*\])$", (ROOT / "Dockerfile").read_text(), re.MULTILINE)
    return json.loads(cmd.group(1))


def compose_worker_command() -> list[str]:
    compose = (ROOT / "compose.yaml").read_text()
    worker = compose[compose.index("\n  worker:"):]
    return json.loads(re.search(r"^    command: (\[.*\])$", worker, re.MULTILINE).group(1))


def test_the_dockerfile_copies_what_the_package_is_built_from():
    copied = re.findall(r"^COPY (.+) \S+$", (ROOT / "Dockerfile").read_text(), re.MULTILINE)
    assert sorted(" ".join(copied).split()) == sorted(COPIED)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The project as `pip install .` leaves it: built from a copy of what the Dockerfile copies
    (so the checkout gets no build/ directory), installed without dependencies (this environment
    has them) into a directory of its own."""
    tmp = tmp_path_factory.mktemp("image")
    source = tmp / "src"
    source.mkdir()
    for name in COPIED:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, source / name)
    subprocess.run([PYTHON, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(tmp / "wheels"),
                    str(source)], check=True, timeout=300, capture_output=True)
    site = tmp / "site"
    subprocess.run([PYTHON, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site),
                    *map(str, (tmp / "wheels").glob("newsdesk-*.whl"))], check=True, timeout=300, capture_output=True)
    return site


@pytest.fixture(scope="module")
def image_env(installed, redis_server, tmp_path_factory) -> dict[str, str]:
    return child_env(PYTHONPATH=str(installed), REDIS_URL=redis_server.url, NEWSDESK_QUEUE="test-image",
                     NEWSDESK_API_KEYS=API_KEY, NEWSDESK_DATA_DIR=str(tmp_path_factory.mktemp("data")))


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """Where the commands run: the image's /app holds the source too, but a user's `pip install .`
    does not, so nothing here does."""
    return tmp_path_factory.mktemp("app")


def test_the_commands_import_the_installed_package(installed, image_env, workdir):
    where = subprocess.run([PYTHON, "-c", "import newsdesk, service, worker; "
                            "print(newsdesk.__file__, service.__file__, worker.__file__)"],
                           env=image_env, cwd=workdir, capture_output=True, text=True, check=True)
    assert all(Path(f).is_relative_to(installed) for f in where.stdout.split()), where.stdout


def run(command: list[str], env: dict[str, str], cwd: Path, log: Path) -> subprocess.Popen:
    return subprocess.Popen([str(BIN / command[0]), *command[1:]], env=env, cwd=cwd,
                            stdout=open(log, "w"), stderr=subprocess.STDOUT)


@pytest.fixture(scope="module")
def image_service(image_env, workdir, tmp_path_factory):
    logs = tmp_path_factory.mktemp("logs")
    port = free_port()
    api_command = [part.replace("0.0.0.0:8000", f"0.0.0.0:{port}") for part in image_command()]
    assert api_command != image_command(), "the CMD binds somewhere else than 0.0.0.0:8000"
    processes = [run(api_command, image_env, workdir, logs / "api.log"),
                 run(compose_worker_command(), image_env, workdir, logs / "worker.log")]
    http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10,
                        headers={"Authorization": f"Bearer {API_KEY}"})
    try:
        wait_ready(http, processes, logs)
        yield http
    finally:
        http.close()
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()


def wait_ready(http: httpx.Client, processes, logs: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(process.poll() is not None for process in processes):
            break
        try:
            if http.get("/readyz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise AssertionError("the image's commands did not become ready:\n"
                         + "\n".join(log.read_text()[-3000:] for log in sorted(logs.iterdir())))


def test_the_image_commands_analyse_the_danish_seed(image_service):
    accepted = image_service.post("/v1/articles", json=load_seed(DANISH_SEED))
    assert accepted.status_code == 202, accepted.text
    job = image_service.get(accepted.headers["Location"], params={"wait": 30}).json()
    assert job["status"] == "succeeded", job
    check_danish_seed(job["result"])


def test_the_image_serves_the_console_and_the_docs_from_the_package(image_service):
    for path in ("/console", "/static/console.js", "/static/console.css", "/docs", "/openapi.json"):
        assert image_service.get(path).status_code == 200, path


def test_a_worker_installed_without_a_bundled_model_refuses_to_start(installed, image_env, workdir, tmp_path):
    # It used to start and answer every Danish article without entities, as if Danish were not
    # supported, from an installation that had lost the model (a package built without it, say).
    broken = tmp_path / "site"
    shutil.copytree(installed, broken, symlinks=True)
    shutil.rmtree(broken / "worker" / "models" / "ner-da")
    log = tmp_path / "worker.log"
    worker = run(compose_worker_command(), {**image_env, "PYTHONPATH": str(broken)}, workdir, log)
    try:
        assert worker.wait(120) != 0
    finally:
        worker.kill()
    assert "the NER model for da is missing" in log.read_text(), log.read_text()[-3000:]
