"""A deleted job's article leaves the embedded Redis's files too, not only its memory: the
append-only file keeps every write until it is rewritten, and `newsdesk serve` has it rewritten
every NEWSDESK_AOF_REWRITE_SECONDS while anything was written."""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from tests.e2e.test_serve import Service


def files_holding(folder: Path, marker: str) -> list[str]:
    return [path.name for path in folder.rglob("*") if path.is_file() and marker.encode() in path.read_bytes()]


def test_a_deleted_jobs_article_leaves_the_append_only_file(tmp_path):
    service = Service(tmp_path, NEWSDESK_AOF_REWRITE_SECONDS="2")
    try:
        marker = "GONE" + secrets.token_hex(6)
        article = {"text": f"Borgmesteren {marker} åbnede broen i går. Den koster en milliard.",
                   "title": marker, "url": f"https://news.example/{marker}", "metadata": {"by": marker}}
        job_id = service.http.post("/v1/articles", json=article).json()["job_id"]
        service.wait(job_id)
        redis_dir = tmp_path / "data" / "redis"
        assert files_holding(redis_dir, marker), "written through to the append-only file"
        assert service.http.delete(f"/v1/jobs/{job_id}").status_code == 204
        deadline = time.monotonic() + 20
        while files_holding(redis_dir, marker) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not files_holding(redis_dir, marker)
    finally:
        assert service.stop() == 0
