"""GET /v1/webhooks/secret: the caller's webhook signing secret (see newsdesk.webhooks)."""

from flask import Blueprint, current_app

from newsdesk.webhooks import SIGNATURE_HEADER, key_secret, server_secret

from .auth import current_owner
from .queue import get_queue

bp = Blueprint("webhooks", __name__, url_prefix="/v1")


@bp.get("/webhooks/secret")
def webhook_secret():
    server = server_secret(get_queue().store.redis, current_app.config["SETTINGS"].webhook_secret)
    return {
        "secret": key_secret(server, current_owner()),
        "algorithm": "HMAC-SHA256",
        "header": SIGNATURE_HEADER,
        "signed_content": "<t>.<raw request body>, where the header is `t=<unix time>,v1=<hex digest>`",
    }
