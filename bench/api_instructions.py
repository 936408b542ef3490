"""The API's cost per request as instructions, counted by callgrind, in-process through the WSGI
app (no HTTP server, no client): unlike bench/api.py's seconds, the count does not change with
the machine's other load, so two versions of the code can be compared on a busy machine.

    .venv/bin/python bench/api_instructions.py [--requests 300] [--endpoints post,post-key,job,bare]
                                               [--auth] [--profile post]

Starts a Redis server of its own (`redis-server`, nothing saved), then for each endpoint runs
this script under `valgrind --tool=callgrind` twice: once building the app and warming it up
with a few requests, once doing the same and then `--requests` more; reports the difference per
request. The endpoints: `post` (POST /v1/articles with the seed article bench/api.py sends),
`post-key` (the same with a fresh Idempotency-Key each), `job` (GET /v1/jobs/<id>) and `bare`
(GET /bare of bench/bare_app.py, bench/api.py's yardstick). The app logs as in production
(INFO, one line a request, to /dev/null here) with the rate limit and queue cap out of reach, and
string hashing seeded alike in every run; `--auth` configures an API key and sends it.
`--profile ENDPOINT` also prints the C functions that endpoint's requests spend most in, by self
cost (callgrind_annotate; the interpreter's own frames stand for the Python code, which
cProfile breaks down by function).

Needs valgrind and redis-server (Debian: apt-get install valgrind redis-server).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "da-kim-jong-un-rusland.json"
WARM_UP = 20
API_KEY = "bench-key-0123456789abcdef"
ENDPOINTS = ("post", "post-key", "job", "bare")


def _environ(method: str, path: str, body: bytes = b"", headers: dict | None = None) -> dict:
    environ = {
        "REQUEST_METHOD": method, "SCRIPT_NAME": "", "PATH_INFO": path, "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1", "REMOTE_PORT": "40000", "HTTP_HOST": "127.0.0.1:8000",
        "wsgi.version": (1, 0), "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr,
        "wsgi.multithread": True, "wsgi.multiprocess": True, "wsgi.run_once": False,
    }
    if body:
        environ.update(CONTENT_TYPE="application/json", CONTENT_LENGTH=str(len(body)))
    for name, value in (headers or {}).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    return environ


def _call(app, environ: dict, body: bytes, expected: int) -> bytes:
    """One request through the WSGI app as a server makes it: a fresh environ and body stream."""
    environ = dict(environ, **{"wsgi.input": io.BytesIO(body)})
    status = []
    chunks = app(environ, lambda line, headers, exc_info=None: status.append(line))
    try:
        answer = b"".join(chunks)
    finally:
        if hasattr(chunks, "close"):
            chunks.close()
    if int(status[0].split()[0]) != expected:
        raise RuntimeError(f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']}: {status[0]} {answer[:300]!r}")
    return answer


def run(endpoint: str, count: int, auth: bool) -> None:
    """What runs under callgrind: build the app, warm it up, then `count` requests."""
    sys.stderr = open(os.devnull, "w")  # the request log lines are formatted and written all the same
    body = json.dumps(json.loads(SEED.read_text(encoding="utf-8")), ensure_ascii=False).encode()
    headers = {"Authorization": f"Bearer {API_KEY}"} if auth else {}
    if endpoint == "bare":
        sys.path.insert(0, str(ROOT / "bench"))
        from bare_app import app

        environ, expected, body = _environ("GET", "/bare"), 200, b""
    else:
        from service import create_app

        app = create_app()
        if endpoint == "job":
            answer = _call(app, _environ("POST", "/v1/articles", body, headers), body, 202)
            environ, expected = _environ("GET", f"/v1/jobs/{json.loads(answer)['job_id']}", headers=headers), 200
            body = b""
        else:
            environ, expected = _environ("POST", "/v1/articles", body, headers), 202
    for n in range(WARM_UP + count):
        if endpoint == "post-key":
            environ["HTTP_IDEMPOTENCY_KEY"] = f"bench-{os.getpid()}-{n}"
        _call(app, environ, body, expected)


def instructions(endpoint: str, count: int, env: dict, auth: bool, out: Path) -> int:
    command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, __file__,
               "--run", endpoint, str(count)] + (["--auth"] if auth else [])
    log = subprocess.run(command, capture_output=True, text=True, env=env)
    found = re.search(r"Collected : (\d+)", log.stderr)
    if log.returncode or not found:
        raise RuntimeError(f"{endpoint}: valgrind failed:\n{log.stderr[-3000:]}")
    return int(found.group(1))


def _function_costs(out: Path, inclusive: bool) -> dict[str, int]:
    text = subprocess.run(["callgrind_annotate", f"--inclusive={'yes' if inclusive else 'no'}", "--threshold=100",
                           str(out)], capture_output=True, text=True, check=True).stdout
    costs: dict[str, int] = {}
    for count, name in re.findall(r"^\s*([\d,]+) \(\s*[\d.]+%\)\s+(\S.*?)(?: \[.*\])?$", text, re.MULTILINE):
        if name != "PROGRAM TOTALS":
            costs[name] = costs.get(name, 0) + int(count.replace(",", ""))
    return costs


def profile(base: Path, total: Path, requests: int, top: int = 40) -> list[tuple[str, float]]:
    """The functions a request spends most in, self cost (the interpreter's inclusive costs
    nest without end), as the difference between the two runs."""
    before, after = _function_costs(base, False), _function_costs(total, False)
    costs = {name: (after.get(name, 0) - before.get(name, 0)) / requests for name in before.keys() | after.keys()}
    return sorted(costs.items(), key=lambda item: -item[1])[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--endpoints", default=",".join(ENDPOINTS))
    parser.add_argument("--auth", action="store_true", help="configure an API key and send it")
    parser.add_argument("--profile", choices=ENDPOINTS,
                        help="also print where this endpoint's requests spend their instructions")
    parser.add_argument("--run", nargs=2, help=argparse.SUPPRESS)  # the part under callgrind
    args = parser.parse_args()
    if args.run is not None:
        sys.path[:0] = [str(ROOT)]
        run(args.run[0], int(args.run[1]), args.auth)
        return
    tmp = Path(tempfile.mkdtemp(prefix="newsdesk-api-instructions-"))
    with socket.socket() as probe:  # a free port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no", "--dir", str(tmp)], stdout=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        env = dict(os.environ, PYTHONHASHSEED="0", REDIS_URL=f"redis://127.0.0.1:{port}/0", NEWSDESK_DATA_DIR=str(tmp),
                   NEWSDESK_LOG_LEVEL="INFO", NEWSDESK_RATE_LIMIT_PER_MINUTE="100000000",
                   NEWSDESK_MAX_QUEUED_PER_KEY="100000000",
                   PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
        if args.auth:
            env["NEWSDESK_API_KEYS"] = API_KEY
        print(f"{'endpoint':<10} {'million instructions a request':>31}  ({args.requests} requests, minus none)")
        for endpoint in args.endpoints.split(","):
            base = instructions(endpoint, 0, env, args.auth, tmp / f"{endpoint}.0.out")
            total = instructions(endpoint, args.requests, env, args.auth, tmp / f"{endpoint}.out")
            print(f"{endpoint:<10} {(total - base) / args.requests / 1e6:>31.3f}", flush=True)
            if endpoint == args.profile:
                print(f"\n{endpoint}: the costliest functions, instructions a request ({tmp})")
                for name, count in profile(tmp / f"{endpoint}.0.out", tmp / f"{endpoint}.out", args.requests):
                    print(f"{count:>12,.0f}  {name}")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
