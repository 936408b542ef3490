"""The yardstick for bench/api.py: a bare Flask endpoint doing one Redis round trip."""

import os

import redis
from flask import Flask

app = Flask(__name__)
client = redis.Redis.from_url(os.environ["REDIS_URL"])


@app.get("/bare")
def bare():
    return {"value": client.get("bench:bare")}
