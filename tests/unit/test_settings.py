import os
from pathlib import Path

import pytest

from newsdesk.settings import MAX_SOCKET_PATH, Settings


def test_defaults_use_the_embedded_redis_in_the_data_dir(tmp_path):
    settings = Settings.from_env({"NEWSDESK_DATA_DIR": str(tmp_path)})
    assert settings.embedded_redis
    assert settings.redis_url == f"unix://{tmp_path}/redis/redis.sock?db=0"
    assert settings.broker_url == f"redis+socket://{tmp_path}/redis/redis.sock?virtual_host=0"
    assert settings.max_body_bytes == 1_000_000
    assert settings.result_ttl_seconds == 7 * 24 * 3600


def test_redis_url_is_used_as_given(tmp_path):
    settings = Settings.from_env({"NEWSDESK_DATA_DIR": str(tmp_path), "REDIS_URL": "redis://db:6379/2"})
    assert not settings.embedded_redis
    assert settings.redis_url == settings.broker_url == "redis://db:6379/2"


def test_broker_url_names_another_broker_and_redis_url_stays_the_job_store(tmp_path):
    settings = Settings.from_env({"NEWSDESK_DATA_DIR": str(tmp_path), "REDIS_URL": "redis://db:6379/2",
                                  "NEWSDESK_BROKER_URL": "amqp://user:secret@rabbit:5672/newsdesk"})
    assert settings.broker_url == "amqp://user:secret@rabbit:5672/newsdesk"
    assert settings.redis_url == "redis://db:6379/2"


def test_an_empty_broker_url_is_the_job_stores_redis(tmp_path):
    settings = Settings.from_env({"NEWSDESK_DATA_DIR": str(tmp_path), "NEWSDESK_BROKER_URL": ""})
    assert settings.broker_url == f"redis+socket://{tmp_path}/redis/redis.sock?virtual_host=0"


@pytest.mark.parametrize("url", ["memory://", "sqs://key:secret@", "rabbit:5672", "secret@rabbit"])
def test_a_broker_celery_cannot_use_here_is_refused_without_showing_the_url(url, tmp_path):
    with pytest.raises(ValueError, match="NEWSDESK_BROKER_URL must be a URL of one of the schemes amqp") as refused:
        Settings.from_env({"NEWSDESK_DATA_DIR": str(tmp_path), "NEWSDESK_BROKER_URL": url})
    assert "secret" not in str(refused.value)


def test_the_visibility_timeout_is_only_checked_for_a_redis_broker(tmp_path):
    limits = {"NEWSDESK_DATA_DIR": str(tmp_path), "NEWSDESK_TASK_SOFT_TIME_LIMIT": "900",
              "NEWSDESK_TASK_TIME_LIMIT": "1000"}
    with pytest.raises(ValueError, match="VISIBILITY_TIMEOUT"):
        Settings.from_env({**limits, "NEWSDESK_BROKER_URL": "redis://broker:6379/0"})
    settings = Settings.from_env({**limits, "NEWSDESK_BROKER_URL": "amqp://rabbit:5672//"})
    assert settings.task_time_limit == 1000


def test_long_data_dir_gets_a_short_socket_path(tmp_path):
    deep = tmp_path / ("x" * 120)
    settings = Settings.from_env({"NEWSDESK_DATA_DIR": str(deep)})
    assert len(str(settings.socket_path)) <= MAX_SOCKET_PATH
    assert settings.socket_path != Settings.from_env({"NEWSDESK_DATA_DIR": str(tmp_path)}).socket_path


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"NEWSDESK_MAX_BODY_BYTES": "many"}, "NEWSDESK_MAX_BODY_BYTES must be an integer"),
        ({"NEWSDESK_RESULT_TTL_SECONDS": "5"}, "at least 60"),
        ({"NEWSDESK_TASK_SOFT_TIME_LIMIT": "200"}, "SOFT_TIME_LIMIT"),
        ({"NEWSDESK_VISIBILITY_TIMEOUT": "100"}, "VISIBILITY_TIMEOUT"),
        # threads or gevent would run without the time limits worker.time_limits gives solo
        ({"NEWSDESK_WORKER_POOL": "threads"}, "NEWSDESK_WORKER_POOL must be one of solo, prefork"),
        ({"NEWSDESK_BATCH_CHUNK_SIZE": "0"}, "NEWSDESK_BATCH_CHUNK_SIZE must be positive"),
        ({"NEWSDESK_BATCH_CHUNK_SIZE": "-1"}, "NEWSDESK_BATCH_CHUNK_SIZE must be positive"),
        ({"NEWSDESK_MAX_BATCH_BYTES": "0"}, "NEWSDESK_MAX_BATCH_BYTES must be positive"),
        ({"NEWSDESK_REDIS_TIMEOUT": "0"}, "NEWSDESK_REDIS_TIMEOUT must be positive"),
        ({"NEWSDESK_REDIS_TIMEOUT": "nan"}, "NEWSDESK_REDIS_TIMEOUT must be positive"),
        ({"NEWSDESK_WEBHOOK_TIMEOUT": "-1"}, "NEWSDESK_WEBHOOK_TIMEOUT must be positive"),
        ({"NEWSDESK_MAX_ATTEMPTS": "0"}, "NEWSDESK_MAX_ATTEMPTS must be positive"),
        # a message for `newsdesk serve` to print, not a traceback
        ({"NEWSDESK_API_KEYS_FILE": "/nonexistent/newsdesk-keys"},
         "NEWSDESK_API_KEYS_FILE cannot be read: .*No such file"),
    ],
)
def test_bad_values_are_refused_with_the_variable_named(env, message, tmp_path):
    with pytest.raises(ValueError, match=message):
        Settings.from_env({"NEWSDESK_DATA_DIR": str(tmp_path), **env})


def test_the_socket_path_limit_counts_bytes_not_characters(tmp_path):
    ascii_part = len(str(tmp_path / "nyheder-" / "redis" / "redis.sock"))
    folder = tmp_path / ("nyheder-" + "ø" * (MAX_SOCKET_PATH - ascii_part))  # fits in characters
    settings = Settings.from_env({"NEWSDESK_DATA_DIR": str(folder)})
    assert len(str(folder / "redis" / "redis.sock")) <= MAX_SOCKET_PATH  # in characters it would fit
    assert len(os.fsencode(settings.socket_path)) <= MAX_SOCKET_PATH


def test_data_dir_defaults_to_the_user_data_dir():
    assert Settings.from_env({}).data_dir.name == "newsdesk"
    assert isinstance(Settings.from_env({}).data_dir, Path)


def test_redis_clients_parse_replies_in_c(tmp_path):
    """hiredis is a dependency because every request and task spends its Redis time in the
    client's packing and parsing: the clients (the API's, the worker's, Celery's) must use it."""
    from redis._parsers import _HiredisParser

    client = Settings.from_env({"NEWSDESK_DATA_DIR": str(tmp_path), "REDIS_URL": "redis://db:6379/2"}).redis_client()
    connection = client.connection_pool.make_connection()
    assert isinstance(connection._parser, _HiredisParser)
