"""The Newsdesk HTTP API: a Flask app factory. Importing this package does no work."""

from __future__ import annotations

from typing import Mapping

from flask import Flask

from newsdesk import log
from newsdesk.settings import Settings


def create_app(config: Mapping | None = None) -> Flask:
    """Build the app: settings from the environment, then the caller's overrides.

    `config` may carry `SETTINGS` (a Settings object, as tests do) and any Flask config keys.
    """
    app = Flask(__name__)
    app.config.from_mapping(config or {})
    settings = app.config.get("SETTINGS") or Settings.from_env()
    app.config["SETTINGS"] = settings
    # Werkzeug answers a larger body with 413 before the view reads it.
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.json.sort_keys = False
    if not app.testing:
        log.configure(settings.log_level)

    from . import articles, batches, console, docs, health, jobs, openapi, webhooks
    from .auth import init_auth
    from .body import init_bodies_in_flight
    from .caching import init_caching
    from .errors import register_error_handlers
    from .health import init_request_log
    from .long_poll import init_long_polls
    from .queue import init_queue

    init_queue(app, settings)
    init_long_polls(app, settings.api_threads)
    init_request_log(app)
    init_auth(app)
    init_bodies_in_flight(app, settings.max_body_bytes_in_flight)
    init_caching(app)
    register_error_handlers(app)
    for module in (articles, batches, jobs, webhooks, health, openapi, docs, console):
        app.register_blueprint(module.bp)
    return app
