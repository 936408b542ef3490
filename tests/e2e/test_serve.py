"""The service as a user runs it: `newsdesk serve` in a subprocess, driven over real HTTP."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import DANISH_SEED, ROOT, SEEDS, child_env, free_port, load_seed
from tests.redis_servers import RedisServer
from tests.result_checks import check_danish_seed, check_result

NEWSDESK = str(Path(sys.executable).parent / "newsdesk")


def descendants(pid: int) -> set[int]:
    table = subprocess.run(["ps", "-e", "-o", "pid=,ppid="], capture_output=True, text=True).stdout
    children: dict[int, list[int]] = {}
    for line in table.splitlines():
        child, parent = map(int, line.split())
        children.setdefault(parent, []).append(child)
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead for our purposes.
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split(") ")[-1][0] != "Z"


class Service:
    def __init__(self, tmp_path: Path, **env: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = tmp_path / "serve.log"
        self.process = subprocess.Popen(
            [NEWSDESK, "serve", "--port", str(self.port), "--workers", "2"],
            env=child_env(NEWSDESK_DATA_DIR=str(tmp_path / "data"), **env),
            stdout=open(self.log_path, "w"), stderr=subprocess.STDOUT,
        )
        self._wait_serving()
        self.http = httpx.Client(base_url=self.url, timeout=10)

    def _wait_serving(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.log_path.read_text()[-4000:])
            if "Newsdesk is serving on" in self.log_path.read_text():
                return
            time.sleep(0.2)
        raise RuntimeError("not serving in time:\n" + self.log_path.read_text()[-4000:])

    def wait(self, job_id: str, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job = self.http.get(f"/v1/jobs/{job_id}").json()
            if job["status"] in ("succeeded", "failed"):
                return job
            time.sleep(0.1)
        raise AssertionError(f"job {job_id} unfinished: {job}")

    def stop(self, sig=signal.SIGINT, timeout: float = 60) -> int:
        self.http.close()
        self.process.send_signal(sig)
        return self.process.wait(timeout)

    def __repr__(self) -> str:
        return f"Service({self.url})"


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    svc = Service(tmp_path_factory.mktemp("serve"))
    yield svc
    if svc.process.poll() is None:
        svc.process.kill()


def test_every_seed_is_analyzed_over_http(service):
    jobs = []
    for path in SEEDS:
        article = load_seed(path)
        response = service.http.post("/v1/articles", json=article)
        assert response.status_code == 202
        assert response.headers["location"] == f"/v1/jobs/{response.json()['job_id']}"
        jobs.append((path, article, response.json()["job_id"]))
    for path, article, job_id in jobs:
        job = service.wait(job_id)
        assert job["status"] == "succeeded", (path.name, job["error"])
        check_result(article, job["result"])
        if path == DANISH_SEED:
            check_danish_seed(job["result"])


def test_errors_from_the_http_server_itself_are_problem_json(service):
    response = service.http.get("/v1/jobs/" + "x" * 10_000)
    assert response.status_code in (400, 414)
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == response.status_code


def test_unknown_job_over_http(service):
    response = service.http.get("/v1/jobs/does-not-exist")
    assert response.status_code == 404
    assert response.json()["code"] == "job_not_found"


def test_submit_command_posts_and_waits(service):
    result = subprocess.run([NEWSDESK, "submit", str(DANISH_SEED), "--url", service.url, "--json"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    check_danish_seed(json.loads(result.stdout)["result"])

    table = subprocess.run([NEWSDESK, "submit", str(ROOT / "seeds"), "--url", service.url],
                           capture_output=True, text=True, timeout=300)
    assert table.returncode == 0, table.stderr
    assert "succeeded" in table.stdout and "da-kim-jong-un-rusland.json" in table.stdout
    assert "analysing" in table.stderr, "a progress bar while the jobs run"


def command_lines(pids) -> dict[int, str]:
    lines = {}
    for pid in pids:
        try:
            lines[pid] = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except FileNotFoundError:
            pass
    return lines


def children_named(service, word: str) -> list[int]:
    direct = [pid for pid, line in command_lines(descendants(service.process.pid)).items()
              if word in line and Path(f"/proc/{pid}/stat").read_text().split()[3] == str(service.process.pid)]
    return sorted(direct)


def test_each_child_says_what_it_is(service):
    lines = " | ".join(command_lines(descendants(service.process.pid)).values())
    assert "redis-server" in lines
    assert "gunicorn" in lines and "service.wsgi:app" in lines
    assert "celery -A worker.celery_app worker" in lines


@pytest.mark.parametrize("word", ["celery", "gunicorn"])
def test_a_dead_child_is_restarted_and_the_service_keeps_working(service, word):
    before = children_named(service, word)
    victim = before[0]
    os.kill(victim, signal.SIGKILL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        now = children_named(service, word)
        # Restarted: as many as before, the victim replaced.
        if len(now) == len(before) and victim not in now and all(alive(pid) for pid in now):
            break
        time.sleep(0.2)
    else:
        raise AssertionError(f"{word} was not restarted: {service.log_path.read_text()[-2000:]}")
    job = None
    for _ in range(100):  # the API may still be starting
        try:
            job = service.http.post("/v1/articles", json=load_seed(DANISH_SEED)).json()["job_id"]
            break
        except httpx.HTTPError:
            time.sleep(0.2)
    assert service.wait(job)["status"] == "succeeded"


def test_ctrl_c_stops_every_process_and_a_sigterm_meanwhile_does_not_cut_it_short(service):
    # Runs last in this module: it stops the shared service.
    family = descendants(service.process.pid)
    assert len(family) >= 4, "redis, api master + workers, celery workers"
    service.http.close()
    service.process.send_signal(signal.SIGINT)
    time.sleep(0.5)
    service.process.send_signal(signal.SIGTERM)  # as a service manager might, while it stops
    assert service.process.wait(60) == 0
    time.sleep(0.5)
    assert not [pid for pid in family if alive(pid)]
    log = service.log_path.read_text()
    assert "stopped" in log and "Traceback" not in log


@pytest.fixture
def tcp_redis(tmp_path):
    """A Redis reachable as redis://:<password>@127.0.0.1:<port>/3, as a user's own server would be."""
    with RedisServer(tmp_path / "own-redis", password="own-pw-6b0") as server:
        yield server.url(db=3, password="own-pw-6b0")


def test_serve_uses_redis_url_when_given(tcp_redis, tmp_path):
    svc = Service(tmp_path, REDIS_URL=tcp_redis)
    try:
        assert not (tmp_path / "data" / "redis").exists(), "no embedded Redis with REDIS_URL"
        article = load_seed(DANISH_SEED)
        job = svc.wait(svc.http.post("/v1/articles", json=article).json()["job_id"])
        assert job["status"] == "succeeded"
        from redis import Redis
        assert Redis.from_url(tcp_redis).exists(f"newsdesk:job:{job['job_id']}")
    finally:
        assert svc.stop(signal.SIGTERM) == 0
    assert "own-pw-6b0" not in svc.log_path.read_text(), "the password shows in no line of any process"


def test_serve_refuses_a_redis_that_refuses_its_credentials(tmp_path):
    """A wrong password is mended by no retry: say so and start nothing, without the password."""
    with RedisServer(tmp_path / "locked", password="right-pw-4e8") as server:
        result = subprocess.run([NEWSDESK, "serve", "--port", str(free_port())], capture_output=True, text=True,
                                env=child_env(NEWSDESK_DATA_DIR=str(tmp_path / "data"),
                                              REDIS_URL=server.url(db=2, password="wrong-pw-2c9")),
                                timeout=60)
    assert result.returncode != 0
    assert "invalid username-password pair" in result.stderr and "Traceback" not in result.stderr
    assert f"redis://:********@127.0.0.1:{server.port}/2" in result.stderr, "names the server, not the password"
    assert "wrong-pw-2c9" not in result.stdout + result.stderr
    assert "started api" not in result.stderr, "nothing was started"


def test_serve_refuses_a_public_address_without_keys(tmp_path):
    result = subprocess.run([NEWSDESK, "serve", "--host", "0.0.0.0", "--port", str(free_port())],
                            env=child_env(NEWSDESK_DATA_DIR=str(tmp_path)), capture_output=True,
                            text=True, timeout=60)
    assert result.returncode != 0
    assert "no API keys are configured" in result.stderr
    assert not (tmp_path / "redis").exists(), "nothing was started"


def test_serve_refuses_a_port_in_use_before_starting_anything(tmp_path):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = subprocess.run([NEWSDESK, "serve", "--port", str(port)], capture_output=True, text=True,
                                env=child_env(NEWSDESK_DATA_DIR=str(tmp_path)), timeout=60)
    assert result.returncode != 0
    assert f"Cannot listen on 127.0.0.1:{port}" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "redis").exists(), "nothing was started"


def test_a_killed_supervisor_leaves_no_orphans(tmp_path):
    svc = Service(tmp_path)
    family = descendants(svc.process.pid)
    svc.process.kill()  # SIGKILL: no chance to stop its children itself
    svc.process.wait()
    deadline = time.monotonic() + 60
    while [pid for pid in family if alive(pid)] and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in family if alive(pid)], "children outlived their supervisor"
