"""A real worker's memory and time on the largest articles a client may send, alone and in batches.

    .venv/bin/python bench/large_articles.py --data ../shared/data [--cases da,en,batch4,batch32]
        [--chunk 32] [--chunk-chars 1000000] [--keep-logs DIR]

Each case runs in a fresh solo worker (`celery -A worker.celery_app worker`, as `newsdesk serve`
starts it, both models loaded) against a Redis of its own. The articles are real news text
concatenated (the seeds, CNN/DailyMail articles for English, DaNewsroom articles for Danish)
until the request body (JSON in UTF-8, non-ASCII characters unescaped) is just under
NEWSDESK_MAX_BODY_BYTES, so about one million characters. They are posted through the API's own
Flask app, so a body over the limit would be refused as in production. Cases: `da`, `en` (one
article), `batchN` (a batch of N such articles, Danish and English by turns), `batchNxC` (N
articles of at most C characters each), queued in chunks of at most --chunk articles and
--chunk-chars characters (NEWSDESK_BATCH_CHUNK_SIZE, NEWSDESK_BATCH_CHUNK_CHARS; a huge
--chunk-chars chunks by count alone, as before NEWSDESK_BATCH_CHUNK_CHARS was there). The
worker's RSS is read every 0.1 s from /proc: the table shows it idle (models loaded), its peak
(VmHWM), after the last job ended and 5 s later, the seconds from submit to the last job's end,
and the jobs' outcomes. A worker over --kill-above MB is ended, and the case says so.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def source_articles(data: str | None, language: str) -> list[str]:
    seeds = sorted((ROOT / "seeds").glob(f"{language}-*.json"))
    texts = [json.loads(path.read_text(encoding="utf-8"))["text"] for path in seeds]
    if data:
        name = "cnndm_dev100/cnndm_dev100.jsonl" if language == "en" else "danewsroom_dansum/val1k.jsonl"
        field = "article" if language == "en" else "text"
        texts += [json.loads(line)[field] for line in (Path(data) / name).read_text(encoding="utf-8").splitlines()]
    return texts


def body_bytes(text: str, language: str) -> int:
    return len(json.dumps({"text": text, "language": language}, ensure_ascii=False).encode())


def large_text(texts: list[str], language: str, limit: int, start: int = 0, chars: int | None = None) -> str:
    """Articles from `start` on, joined by blank lines, as many as keep the body under `limit`
    bytes (and the text under `chars` characters, cut at the last article that fits)."""
    parts, size, length, i = [], body_bytes("", language), 0, start
    while True:
        part = texts[i % len(texts)] + "\n\n"
        cost = body_bytes(part, language) - body_bytes("", language)
        if size + cost > limit or (chars is not None and length + len(part) > chars and parts):
            break
        parts.append(part)
        size, length, i = size + cost, length + len(part), i + 1
    return "".join(parts).rstrip()


def articles_for(case: str, data: str | None, limit: int) -> list[dict]:
    sources = {language: source_articles(data, language) for language in ("da", "en")}
    if case in ("da", "en"):
        return [{"text": large_text(sources[case], case, limit), "language": case}]
    count, _, chars = case.removeprefix("batch").partition("x")
    languages = ["da" if i % 2 == 0 else "en" for i in range(int(count))]
    # Each begins elsewhere in its corpus, so that no two articles of a batch are the same text.
    return [{"text": large_text(sources[lang], lang, limit, start=i * 37, chars=int(chars) if chars else None),
             "language": lang} for i, lang in enumerate(languages)]


class RssWatch:
    def __init__(self, pid: int, kill_above_mb: float):
        self.pid, self.kill_above_mb = pid, kill_above_mb
        self.peak, self.killed = 0.0, False
        self.stop = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()

    def status(self) -> dict[str, float]:
        fields = {}
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0]) / 1024
        return fields

    def _run(self) -> None:
        while not self.stop.wait(0.1):
            try:
                rss = self.status()["VmRSS"]
            except (OSError, KeyError):
                return
            self.peak = max(self.peak, rss)
            if rss > self.kill_above_mb:
                self.killed = True
                os.kill(self.pid, 9)
                return


def run_case(case: str, args) -> dict:
    from newsdesk.embedded_redis import EmbeddedRedis
    from newsdesk.settings import Settings
    from service import create_app

    articles = articles_for(case, args.data, args.max_body_bytes - 64)
    with tempfile.TemporaryDirectory(prefix="newsdesk-large-") as tmp, \
            EmbeddedRedis(Path(tmp), Path(tmp) / "r.sock") as redis_server:
        env = {"REDIS_URL": redis_server.url, "NEWSDESK_DATA_DIR": tmp,
               "NEWSDESK_BATCH_CHUNK_SIZE": str(args.chunk), "NEWSDESK_BATCH_CHUNK_CHARS": str(args.chunk_chars),
               "NEWSDESK_LOG_LEVEL": "INFO", "NEWSDESK_RATE_LIMIT_PER_MINUTE": "100000"}
        # The API runs in this process, its log quiet; the worker logs to a file.
        api_settings = Settings.from_env({**env, "NEWSDESK_LOG_LEVEL": "WARNING"})
        client = create_app({"SETTINGS": api_settings}).test_client()
        worker = start_worker(case, env, Path(args.keep_logs or tmp) / f"worker-{case}.log")
        try:
            measured = measure(client, articles, worker, args)
        finally:
            worker.terminate()
            worker.wait(30)
    chars = [len(a["text"]) for a in articles]
    return {"case": case, "articles": len(articles), "chars_each": f"{min(chars):,}-{max(chars):,}", **measured}


def start_worker(case: str, env: dict, log_path: Path) -> subprocess.Popen:
    """A solo worker as `newsdesk serve` starts one, once it says it is ready."""
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "worker.celery_app", "worker", "--concurrency", "1",
         "--hostname", f"large-{case}@%h", "--loglevel", "INFO"],
        cwd=ROOT, env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        stdout=open(log_path, "w"), stderr=subprocess.STDOUT)
    while "ready." not in log_path.read_text():
        if worker.poll() is not None:
            raise SystemExit(f"the worker ended at start; see {log_path}")
        time.sleep(0.2)
    time.sleep(1)
    return worker


def measure(client, articles: list[dict], worker: subprocess.Popen, args) -> dict:
    watch = RssWatch(worker.pid, args.kill_above)
    idle = watch.status()["VmRSS"]
    job_ids, began = submit(client, articles), time.monotonic()
    outcomes = wait(client, job_ids, worker, args.timeout)
    seconds = time.monotonic() - began
    after = watch.status() if worker.poll() is None else {}
    time.sleep(5)
    later = watch.status() if worker.poll() is None else {}
    watch.stop.set()
    return {"idle_mb": round(idle), "peak_mb": round(max(watch.peak, after.get("VmHWM", 0))),
            "after_mb": round(after.get("VmRSS", 0)), "after_5s_mb": round(later.get("VmRSS", 0)),
            "seconds": round(seconds, 1), "outcomes": dict(outcomes), "killed": watch.killed}


def submit(client, articles: list[dict]) -> list[str]:
    if len(articles) == 1:
        body = json.dumps(articles[0], ensure_ascii=False).encode()
        answer = client.post("/v1/articles", data=body, content_type="application/json")
        assert answer.status_code == 202, answer.get_data(as_text=True)[:300]
        return [answer.get_json()["job_id"]]
    body = json.dumps({"articles": articles}, ensure_ascii=False).encode()
    answer = client.post("/v1/batches", data=body, content_type="application/json")
    assert answer.status_code == 202, answer.get_data(as_text=True)[:300]
    return answer.get_json()["job_ids"]


def wait(client, job_ids: list[str], worker: subprocess.Popen, timeout: float) -> Counter:
    deadline = time.monotonic() + timeout
    while True:
        jobs = [client.get(f"/v1/jobs/{job_id}").get_json() for job_id in job_ids]
        done = [job for job in jobs if job["status"] in ("succeeded", "failed")]
        if len(done) == len(jobs) or worker.poll() is not None or time.monotonic() > deadline:
            return Counter(job["status"] + (f":{job['error']['code']}" if job.get("error") else "")
                           for job in jobs)
        time.sleep(0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data")
    parser.add_argument("--cases", default="da,en,batch4,batch32")
    parser.add_argument("--chunk", type=int, default=32, help="NEWSDESK_BATCH_CHUNK_SIZE")
    parser.add_argument("--chunk-chars", type=int, default=1_000_000, help="NEWSDESK_BATCH_CHUNK_CHARS")
    parser.add_argument("--max-body-bytes", type=int, default=1_000_000, help="NEWSDESK_MAX_BODY_BYTES")
    parser.add_argument("--kill-above", type=float, default=4000, help="MB: end a worker that grows past it")
    parser.add_argument("--timeout", type=float, default=900, help="seconds to wait for a case's jobs")
    parser.add_argument("--keep-logs", help="a folder for the workers' logs")
    args = parser.parse_args()
    rows = []
    for case in args.cases.split(","):
        rows.append(run_case(case, args))
        print(json.dumps(rows[-1]), flush=True)
    print()
    print("| case | articles | characters each | idle MB | peak MB | after MB | 5 s later MB | seconds "
          "| outcomes |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        outcomes = ", ".join(f"{k} {v}" for k, v in sorted(r["outcomes"].items()))
        outcomes += " (killed)" if r["killed"] else ""
        print(f"| {r['case']} | {r['articles']} | {r['chars_each']} | {r['idle_mb']} | {r['peak_mb']} | "
              f"{r['after_mb']} | {r['after_5s_mb']} | {r['seconds']} | {outcomes} |")


if __name__ == "__main__":
    main()
