"""The web console and /docs as Flask serves them: pages, labels, assets, auth and headers."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from newsdesk.settings import Settings


class _Page(HTMLParser):
    """Collects what these tests look at: label targets, element ids and asset URLs."""

    def __init__(self):
        super().__init__()
        self.labels_for: set[str] = set()
        self.ids: dict[str, dict] = {}
        self.assets: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids[attrs["id"]] = {"tag": tag, **attrs}
        if tag == "label" and "for" in attrs:
            self.labels_for.add(attrs["for"])
        if tag == "script" and attrs.get("src"):
            self.assets.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.assets.append(attrs["href"])


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def test_root_redirects_to_the_console(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/console")


def test_console_has_a_label_for_every_control(client):
    response = client.get("/console")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = parse(response.get_data(as_text=True))
    controls = {id_ for id_, attrs in page.ids.items() if attrs["tag"] in ("input", "textarea", "select")}
    assert controls >= {"article-file", "article-title", "article-text", "article-language", "summary-sentences"}
    assert controls <= page.labels_for, "every form control needs a <label for=...>"


def test_console_status_is_announced_and_errors_are_alerts(client):
    page = parse(client.get("/console").get_data(as_text=True))
    assert page.ids["job-status"]["aria-live"] == "polite"
    assert page.ids["error"]["role"] == "alert"


def test_console_language_select_offers_auto_danish_english_and_any_iso_code(client):
    html = client.get("/console").get_data(as_text=True)
    values = re.findall(r'<option value="([a-z]+)"', html)
    assert values[:3] == ["auto", "da", "en"]
    assert {"de", "sv", "zh"} <= set(values)


def test_console_without_auth_has_no_api_key_field(client):
    page = parse(client.get("/console").get_data(as_text=True))
    assert "api-key" not in page.ids
    assert page.ids["console"]["data-auth-enabled"] == "false"


@pytest.fixture
def auth_client(redis_server, tmp_path):
    from service import create_app

    settings = Settings.from_env({"REDIS_URL": redis_server.url, "NEWSDESK_DATA_DIR": str(tmp_path),
                                  "NEWSDESK_API_KEYS": "console-test-key-0123456789"})
    return create_app({"SETTINGS": settings, "TESTING": True}).test_client()


def test_console_with_auth_asks_for_an_api_key_and_is_itself_public(auth_client):
    response = auth_client.get("/console")
    assert response.status_code == 200  # the page holds no data; the API calls need the key
    page = parse(response.get_data(as_text=True))
    assert page.ids["api-key"]["type"] == "password"
    assert "api-key" in page.labels_for
    assert page.ids["console"]["data-auth-enabled"] == "true"


def test_console_points_at_the_real_api(client):
    page = parse(client.get("/console").get_data(as_text=True))
    assert page.ids["console"]["data-articles-url"] == "/v1/articles"
    assert page.ids["console"]["data-jobs-url"] == "/v1/jobs"


@pytest.mark.parametrize("path", ["/console", "/docs"])
def test_pages_load_only_local_assets_and_forbid_others(client, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert not re.search(r'(src|href)="(https?:)?//', html), "no external asset URLs"
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    for asset in parse(html).assets:
        if asset.endswith(".json"):
            continue
        asset_response = client.get(asset)
        assert asset_response.status_code == 200, asset
        assert asset_response.content_length or asset_response.get_data(), asset
        asset_response.close()


def test_console_static_files_have_the_right_types(client):
    for path, mimetype in [("/static/console.js", "text/javascript"), ("/static/console.css", "text/css"),
                           ("/static/docs.js", "text/javascript")]:
        response = client.get(path)
        assert response.status_code == 200
        assert response.mimetype == mimetype
        response.close()


def test_docs_is_swagger_ui_over_the_served_openapi_document(client):
    response = client.get("/docs")
    page = parse(response.get_data(as_text=True))
    assert page.ids["swagger-ui"]["data-spec-url"] == "/openapi.json"
    assert "/docs/assets/swagger-ui-bundle.js" in page.assets
    assert "/docs/assets/swagger-ui.css" in page.assets
    bundle = client.get("/docs/assets/swagger-ui-bundle.js")
    assert b"SwaggerUIBundle" in bundle.get_data()
    bundle.close()


def test_docs_assets_cannot_escape_their_directory(client):
    response = client.get("/docs/assets/../__init__.py")
    assert response.status_code == 404
    assert client.get("/docs/assets/%2e%2e/__init__.py").status_code == 404


def test_openapi_document_has_the_danish_request_example(client):
    document = client.get("/openapi.json").get_json()
    examples = document["paths"]["/v1/articles"]["post"]["requestBody"]["content"]["application/json"]["examples"]
    danish = examples["danish"]["value"]
    assert danish["language"] == "da" and "Kim Jong-un" in danish["text"]
    # An example must itself be a valid article.
    response = client.post("/v1/articles", json=danish)
    assert response.status_code == 202


def test_openapi_document_describes_every_api_route(app, client):
    # The HTML pages, their assets and the document itself are not part of the API it describes.
    pages = ("static", "console.", "docs.", "openapi.")
    document = client.get("/openapi.json").get_json()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(pages):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        assert path in document["paths"], path
        assert {m.lower() for m in rule.methods - {"HEAD", "OPTIONS"}} <= set(document["paths"][path]), path


def test_openapi_document_gives_the_idempotency_key_bounds_and_both_locations(client):
    # An empty Idempotency-Key is a 400, and both 202s point at what they created.
    paths = client.get("/openapi.json").get_json()["paths"]
    for path in ("/v1/articles", "/v1/batches"):
        [key] = [p for p in paths[path]["post"]["parameters"] if p.get("name") == "Idempotency-Key"]
        assert key["schema"] == {"type": "string", "minLength": 1, "maxLength": 255}
        # A repeat (200) points at what the first request created, as its 202 did.
        for status in ("202", "200"):
            assert "Location" in paths[path]["post"]["responses"][status]["headers"], (path, status)


def test_openapi_document_says_in_what_units_offsets_count(client):
    schemas = client.get("/openapi.json").get_json()["components"]["schemas"]
    for schema in ("Mention", "SummarySentence"):
        for offset in ("start", "end"):
            description = schemas[schema]["properties"][offset]["description"]
            assert "code points" in description and "UTF-16" in description, (schema, offset)
