"""A real Celery worker process, consuming the test's own queue on the test's Redis."""

from __future__ import annotations

import subprocess
import time

import httpx
import pytest

from tests.conftest import PYTHON, ROOT, child_env, free_port


def start_worker(settings, log_path, name="it", pool="solo", on=(), queues: str | None = None,
                 **extra_env: str) -> subprocess.Popen:
    """`on`: what runs a command on another host (tests.network_hosts.Host.command's prefix);
    `queues`: the worker's -Q (comma-separated), when it is to consume only those."""
    env = child_env(REDIS_URL=settings.redis_url, NEWSDESK_BROKER_URL=settings.broker, NEWSDESK_QUEUE=settings.queue,
                    NEWSDESK_DATA_DIR=str(settings.data_dir), NEWSDESK_WORKER_POOL=pool, **extra_env)
    log = open(log_path, "w")
    process = subprocess.Popen(
        [*on, PYTHON, "-m", "celery", "-A", "worker.celery_app", "worker", "--concurrency", "1",
         "--hostname", f"{name}@%h", "--loglevel", "INFO", *(["-Q", queues] if queues else [])],
        env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so a test can kill the whole worker
    )
    _wait_ready(process, log_path)
    return process


def start_api(settings, log_path, **extra_env: str) -> tuple[subprocess.Popen, str]:
    """The API as production runs it (one gunicorn worker, on a free port); returns the process
    and its URL once /healthz answers."""
    port = free_port()
    process = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-c", "python:service.gunicorn_conf", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "service.wsgi:app"],
        cwd=ROOT, stdout=open(log_path, "w"), stderr=subprocess.STDOUT,
        env=child_env(REDIS_URL=settings.redis_url, NEWSDESK_BROKER_URL=settings.broker,
                      NEWSDESK_DATA_DIR=str(settings.data_dir), **{"NEWSDESK_QUEUE": settings.queue, **extra_env}),
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return process, url
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline and process.poll() is None, log_path.read_text()
        time.sleep(0.1)


def _wait_ready(process, log_path, timeout=60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"worker exited: {log_path.read_text()[-3000:]}")
        if " ready." in log_path.read_text():
            return
        time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"worker not ready in {timeout}s: {log_path.read_text()[-3000:]}")


def stop_worker(process) -> None:
    process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def worker(settings, tmp_path_factory):
    process = start_worker(settings, tmp_path_factory.mktemp("worker") / "worker.log")
    yield process
    stop_worker(process)


def wait_for_job(client, job_id: str, timeout: float = 60.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/v1/jobs/{job_id}").get_json()
        if job["status"] in ("succeeded", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} not finished after {timeout}s: {job}")


def wait_for_status(client, job_id: str, status: str, timeout: float = 60.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/v1/jobs/{job_id}").get_json()
        if job["status"] == status:
            return job
        time.sleep(0.02)
    raise AssertionError(f"job {job_id} never {status}: {job}")


def pool_children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(line) for line in out.split()]
