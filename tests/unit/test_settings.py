import os
import ssl
from pathlib import Path

import kombu
import pytest
from celery import Celery
from kombu.utils.url import url_to_parts

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


def _broker(url: str, tmp_path) -> kombu.Connection:
    """The broker connection Celery makes of the settings for REDIS_URL=url."""
    settings = Settings.from_env({"NEWSDESK_DATA_DIR": str(tmp_path), "REDIS_URL": url})
    return Celery(broker=settings.broker_url).connection_for_write()


@pytest.mark.parametrize("url", ["redis://:pw@db:6380?db=3", "redis://db:6380/3?password=pw",
                                 "redis://:pw@db:6380/3"])
def test_the_broker_uses_the_database_and_password_the_job_store_uses(url, tmp_path):
    """redis-py takes `?db=` and `?password=` from the query; kombu reads only the path and
    the user part, and refuses query arguments it does not know."""
    broker = _broker(url, tmp_path)
    assert (broker.hostname, broker.port, broker.virtual_host, broker.password) == ("db", 6380, "3", "pw")


@pytest.mark.parametrize("url", ["unix:///run/redis.sock?db=3&password=pw", "unix://:pw@/run/redis.sock?db=3"])
def test_the_broker_uses_the_password_of_a_unix_socket_url(url, tmp_path):
    broker = _broker(url, tmp_path)
    assert broker.transport_cls == "redis"
    # kombu's Redis transport reads a socket's path, password and database from this "host".
    socket = url_to_parts(broker.hostname)
    assert (socket.scheme, socket.path, socket.password, socket.query) == (
        "socket", "run/redis.sock", "pw", {"virtual_host": "3"})


def test_the_broker_checks_a_tls_servers_certificate_as_the_job_store_does(tmp_path):
    url = "rediss://:pw@db:6380/0"
    assert _broker(url, tmp_path).ssl == {"ssl_cert_reqs": ssl.CERT_REQUIRED}
    client = Settings.from_env({"NEWSDESK_DATA_DIR": str(tmp_path), "REDIS_URL": url}).redis_client()
    assert client.connection_pool.make_connection().cert_reqs == ssl.CERT_REQUIRED
    # What the URL says about TLS reaches both.
    tls = "rediss://db:6380/0?ssl_cert_reqs=none&ssl_ca_certs=%2Fetc%2Fca.pem"
    assert _broker(tls, tmp_path).ssl == {"ssl_cert_reqs": ssl.CERT_NONE, "ssl_ca_certs": "/etc/ca.pem"}


def test_a_redis_url_of_another_scheme_is_refused_without_echoing_it(tmp_path):
    with pytest.raises(ValueError, match="REDIS_URL must be a redis://, rediss:// or unix:// URL") as refused:
        Settings.from_env({"NEWSDESK_DATA_DIR": str(tmp_path), "REDIS_URL": "http://:secret@db:6379/0"})
    assert "secret" not in str(refused.value)


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
        ({"NEWSDESK_BATCH_CHUNK_CHARS": "0"}, "NEWSDESK_BATCH_CHUNK_CHARS must be positive"),
        ({"NEWSDESK_MAX_BATCH_BYTES": "0"}, "NEWSDESK_MAX_BATCH_BYTES must be positive"),
        ({"NEWSDESK_MAX_BODY_BYTES_IN_FLIGHT": "0"}, "NEWSDESK_MAX_BODY_BYTES_IN_FLIGHT must be positive"),
        ({"NEWSDESK_REDIS_TIMEOUT": "0"}, "NEWSDESK_REDIS_TIMEOUT must be positive"),
        ({"NEWSDESK_REDIS_TIMEOUT": "nan"}, "NEWSDESK_REDIS_TIMEOUT must be positive"),
        ({"NEWSDESK_CLIENT_TIMEOUT": "0"}, "NEWSDESK_CLIENT_TIMEOUT must be positive"),
        ({"NEWSDESK_CLIENT_TIMEOUT": "nan"}, "NEWSDESK_CLIENT_TIMEOUT must be positive"),
        ({"NEWSDESK_WEBHOOK_TIMEOUT": "-1"}, "NEWSDESK_WEBHOOK_TIMEOUT must be positive"),
        ({"NEWSDESK_MAX_ATTEMPTS": "0"}, "NEWSDESK_MAX_ATTEMPTS must be positive"),
        # one delivery at least; a backoff of NaN or infinity cannot be scheduled
        ({"NEWSDESK_WEBHOOK_MAX_ATTEMPTS": "0"}, "NEWSDESK_WEBHOOK_MAX_ATTEMPTS must be positive"),
        ({"NEWSDESK_WEBHOOK_BACKOFF": "-1"}, "NEWSDESK_WEBHOOK_BACKOFF must be 0 or more"),
        ({"NEWSDESK_WEBHOOK_BACKOFF": "nan"}, "NEWSDESK_WEBHOOK_BACKOFF must be 0 or more"),
        ({"NEWSDESK_WEBHOOK_BACKOFF": "inf"}, "NEWSDESK_WEBHOOK_BACKOFF must be 0 or more"),
        ({"NEWSDESK_REQUEUE_QUEUED_AFTER_SECONDS": "0"}, "NEWSDESK_REQUEUE_QUEUED_AFTER_SECONDS must be positive"),
        # logging refuses an unknown level only when the API or the worker configures it: the
        # API's gunicorn workers then failed to boot, over and over
        ({"NEWSDESK_LOG_LEVEL": "verbose"}, "NEWSDESK_LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR"),
        # read by gunicorn, whose own errors named neither ("invalid literal for int()", "max_workers
        # must be greater than 0" in every API process, booted over and over)
        ({"NEWSDESK_API_THREADS": "abc"}, "NEWSDESK_API_THREADS must be an integer"),
        ({"NEWSDESK_API_THREADS": "0"}, "NEWSDESK_API_THREADS must be positive"),
        ({"NEWSDESK_API_WORKERS": "0"}, "NEWSDESK_API_WORKERS must be positive"),
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


@pytest.mark.parametrize("url", ["redis://:s3cr3t-pw@db:6379/0", "redis://user:s3cr3t-pw@db:6379/0",
                                 "unix:///run/redis.sock?db=0&password=s3cr3t-pw"])
def test_celery_reports_the_settings_without_the_redis_password_or_webhook_secret(url, tmp_path):
    """`celery report` and `celery inspect conf` show the app's configuration, the settings
    object with it."""
    from worker.celery_app import make_celery

    settings = Settings.from_env({"NEWSDESK_DATA_DIR": str(tmp_path), "REDIS_URL": url,
                                  "NEWSDESK_WEBHOOK_SECRET": "whsec-0d1e2f"})
    report = make_celery(settings).bugreport()
    assert "newsdesk_settings" in report and "db" in report
    assert "s3cr3t-pw" not in report and "whsec-0d1e2f" not in report
    assert settings.redis_url == url and settings.webhook_secret == "whsec-0d1e2f"  # still there to use


def test_celery_reports_the_settings_without_the_brokers_password(tmp_path):
    from worker.celery_app import make_celery

    settings = Settings.from_env({"NEWSDESK_DATA_DIR": str(tmp_path), "REDIS_URL": "redis://db:6379/0",
                                  "NEWSDESK_BROKER_URL": "amqp://newsdesk:s3cr3t-pw@rabbit:5672/newsdesk"})
    report = make_celery(settings).bugreport()
    assert "rabbit" in report and "s3cr3t-pw" not in report
    assert settings.broker_url == "amqp://newsdesk:s3cr3t-pw@rabbit:5672/newsdesk"  # still there to use


@pytest.mark.parametrize("queue", ['news"desk', "news,desk", "news desk", "news\ndesk", "x" * 201])
def test_a_queue_name_that_would_break_the_metrics_is_refused(queue, tmp_path):
    """The queue's name is a label value in /metrics, where a quote, comma or line break would
    end the sample early."""
    with pytest.raises(ValueError, match="NEWSDESK_QUEUE"):
        Settings.from_env({"NEWSDESK_DATA_DIR": str(tmp_path), "NEWSDESK_QUEUE": queue})


@pytest.mark.parametrize("queue", ["newsdesk", "news-desk.prod", "team_a:newsdesk"])
def test_ordinary_queue_names_are_accepted(queue, tmp_path):
    assert Settings.from_env({"NEWSDESK_DATA_DIR": str(tmp_path), "NEWSDESK_QUEUE": queue}).queue == queue


def test_a_redis_broker_url_is_read_as_the_job_stores_is(tmp_path):
    """A separate Redis named as the broker gets the same reading of `?db=` and `?password=`
    as REDIS_URL does (kombu would drop both)."""
    settings = Settings.from_env({"NEWSDESK_DATA_DIR": str(tmp_path), "REDIS_URL": "redis://db:6379/0",
                                  "NEWSDESK_BROKER_URL": "redis://broker:6380?db=3&password=pw"})
    broker = Celery(broker=settings.broker_url).connection_for_write()
    assert (broker.hostname, broker.port, broker.virtual_host, broker.password) == ("broker", 6380, "3", "pw")
