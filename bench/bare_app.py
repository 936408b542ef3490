"""The yardsticks for bench/api.py: bare Flask endpoints doing one Redis round trip each.

GET /bare reads one key (the issue's yardstick for every endpoint); POST /bare reads the JSON
body a POST /v1/articles gets and writes it to Redis, the least any submit endpoint must do.
"""

import json
import os

import redis
from flask import Flask, request

app = Flask(__name__)
client = redis.Redis.from_url(os.environ["REDIS_URL"])


@app.get("/bare")
def bare():
    return {"value": client.get("bench:bare")}


@app.post("/bare")
def bare_post():
    body = request.get_data()
    json.loads(body)
    client.set("bench:bare:post", body)
    return {"status": "stored"}, 202
