"""GET /docs: Swagger UI over /openapi.json, its assets served from the installed package.

The JavaScript and CSS come from the `flask-swagger-ui` wheel (which bundles the Swagger UI
dist files), never from a CDN: the docs work on a machine without internet access.
"""

from __future__ import annotations

from pathlib import Path

import flask_swagger_ui
from flask import Blueprint, render_template, send_from_directory

bp = Blueprint("docs", __name__)

SWAGGER_UI_DIST = Path(flask_swagger_ui.__file__).resolve().parent / "dist"

# Swagger UI styles its widgets inline and draws icons as data: SVGs, hence those two allowances;
# everything else must come from this service.
DOCS_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "script-src 'self'; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'")


@bp.get("/docs")
def docs_page():
    return render_template("docs.html"), {"Content-Security-Policy": DOCS_CSP}


@bp.get("/docs/assets/<path:filename>")
def docs_asset(filename: str):
    # send_from_directory refuses paths that leave the directory.
    return send_from_directory(SWAGGER_UI_DIST, filename, max_age=86400)
