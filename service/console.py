"""The web console: a page to submit an article and read its analysis, at /console ("/" redirects).

The page is static HTML; its script talks to the public API (/v1/articles, /v1/jobs) exactly as
any other client does, with the same auth. The server only says whether an API key is needed.
"""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, url_for

from newsdesk.languages import ISO_639_1

bp = Blueprint("console", __name__)

# Entity extraction is available for these; any other code still gets a summary.
FIRST_CLASS_LANGUAGES = (("da", "Danish"), ("en", "English"))

# Only this service may be reached; jobs are fetched with connect-src 'self'.
CONSOLE_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
               "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


@bp.get("/")
def index():
    return redirect(url_for("console.console_page"))


@bp.get("/console")
def console_page():
    first_class = {code for code, _ in FIRST_CLASS_LANGUAGES}
    html = render_template(
        "console.html",
        auth_enabled=current_app.config["SETTINGS"].auth_enabled,
        first_class_languages=FIRST_CLASS_LANGUAGES,
        other_languages=sorted(ISO_639_1 - first_class),
    )
    return html, {"Content-Security-Policy": CONSOLE_CSP}
