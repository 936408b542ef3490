"""The web console and /docs in a real browser: Debian's Chromium, driven by Playwright, against
`newsdesk serve` (API, workers, embedded Redis) in a subprocess. Nothing is mocked.

Set NEWSDESK_UPDATE_SCREENSHOT=1 to also refresh docs/console.png from this run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import DANISH_SEED, ROOT, SEEDS, load_seed
from tests.e2e.test_serve import Service

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("no /usr/bin/chromium: scripts/test installs Debian's chromium when run as root "
                "with apt-get; otherwise `apt-get install chromium`", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the `test` extra")

# `playwright install` would download a browser; the system's Chromium runs offline instead.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
API_KEY = "console-e2e-key-0123456789abcdef"
# The first job also loads the NER model into a fresh worker process: be generous.
JOB_TIMEOUT_MS = 120_000


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    svc = Service(tmp_path_factory.mktemp("console"))
    yield svc
    svc.stop(signal.SIGTERM)


class Watched:
    """A page plus what it did that a test must not accept: script errors (CSP violations
    included) and requests to anywhere but the service."""

    def __init__(self, page, origin: str):
        self.page, self.origin = page, origin
        self.errors: list[str] = []
        self.foreign_requests: list[str] = []
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("request", self._request)

    def _request(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme not in ("data", "blob") and f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.foreign_requests.append(request.url)

    def assert_clean(self) -> None:
        assert self.foreign_requests == [], "the page must not reach beyond the service"
        assert self.errors == []


def open_page(browser, service):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    return Watched(context.new_page(), service.url)


def submit(page, article: dict) -> None:
    page.get_by_label("Article text").fill(article["text"])
    if article.get("title"):
        page.get_by_label("Title").fill(article["title"])
    page.get_by_label("Language").select_option(article.get("language") or "auto")
    page.get_by_role("button", name="Analyse").click()
    sync_api.expect(page.locator("#job-status")).to_contain_text("succeeded", timeout=JOB_TIMEOUT_MS)


def latest_job(service, **headers) -> dict:
    job_id = service.http.get("/v1/jobs?limit=1", headers=headers).json()["jobs"][0]["job_id"]
    return service.http.get(f"/v1/jobs/{job_id}", headers=headers).json()


def text_mentions(job: dict, name: str) -> list[str]:
    entity = next(e for e in job["result"]["entities"] if e["name"] == name)
    return [m["text"] for m in entity["mentions"] if m["field"] == "text"]


def save_screenshot(page, tmp_path: Path) -> Path:
    shot = tmp_path / "console.png"
    page.screenshot(path=str(shot), full_page=True)
    if os.environ.get("NEWSDESK_UPDATE_SCREENSHOT") == "1":
        (ROOT / "docs").mkdir(exist_ok=True)
        shutil.copyfile(shot, ROOT / "docs" / "console.png")
    return shot


def test_console_analyses_the_danish_seed(browser, service, tmp_path):
    watched = open_page(browser, service)
    page = watched.page
    page.goto(service.url + "/")
    assert page.url == service.url + "/console"
    article = load_seed(DANISH_SEED)
    submit(page, article)
    job = latest_job(service)
    expect = sync_api.expect

    # The text is shown exactly as submitted, with the summary sentences marked in it.
    text_view = page.locator("#article-text-view")
    assert text_view.text_content() == article["text"]
    sentences = job["result"]["summary"]["sentences"]
    expect(page.locator("#summary-list li")).to_have_text([s["text"] for s in sentences])
    expect(text_view.locator("mark.summary-sentence")).to_have_text([s["text"] for s in sentences])

    # Entities are marked by type, at the API's offsets.
    expect(text_view.locator("mark.entity-PER", has_text=re.compile(r"^Kim Jong-un$")).first).to_be_visible()
    expect(text_view.locator("mark.entity-LOC", has_text=re.compile(r"^Rusland$")).first).to_be_visible()
    all_mentions = [m["text"] for e in job["result"]["entities"] for m in e["mentions"] if m["field"] == "text"]
    assert sorted(text_view.locator("mark.entity").all_text_contents()) == sorted(all_mentions)

    # Clicking an entity highlights exactly its mentions.
    kim = page.get_by_role("button", name=re.compile(r"^Kim Jong-un, PER"))
    kim.click()
    expect(kim).to_have_attribute("aria-pressed", "true")
    expect(text_view.locator("mark.entity.selected")).to_have_text(text_mentions(job, "Kim Jong-un"))
    expect(page.locator("#selection-status")).to_contain_text("Kim Jong-un")

    # The job is listed among the recent jobs.
    expect(page.locator("#jobs-body tr", has_text=job["job_id"][:10]).first).to_contain_text("succeeded")
    page.evaluate("window.scrollTo(0, 0)")
    save_screenshot(page, tmp_path)
    watched.assert_clean()


def test_entities_are_keyboard_operable(browser, service):
    watched = open_page(browser, service)
    page = watched.page
    page.goto(service.url + "/console")
    submit(page, load_seed(DANISH_SEED))
    job = latest_job(service)
    rusland = page.get_by_role("button", name=re.compile(r"^Rusland, LOC"))
    rusland.focus()
    page.keyboard.press("Enter")
    sync_api.expect(rusland).to_have_attribute("aria-pressed", "true")
    selected = page.locator("#article-text-view mark.entity.selected")
    sync_api.expect(selected).to_have_text(text_mentions(job, "Rusland"))
    page.keyboard.press("Space")  # pressing again clears the selection
    sync_api.expect(rusland).to_have_attribute("aria-pressed", "false")
    sync_api.expect(selected).to_have_count(0)
    watched.assert_clean()


def test_invalid_input_shows_the_problem(browser, service):
    watched = open_page(browser, service)
    page = watched.page
    page.goto(service.url + "/console")
    page.get_by_label("Article text").fill("Some text.")
    page.get_by_label("Summary sentences").fill("0")
    # The browser's own validation would stop 0; the API must be the one to refuse it here.
    page.locator("#article-form").evaluate("form => form.noValidate = true")
    page.get_by_role("button", name="Analyse").click()
    alert = page.get_by_role("alert")
    sync_api.expect(alert).to_contain_text("not a valid article")
    sync_api.expect(alert).to_contain_text("options.summary_sentences")
    assert [e for e in watched.errors if "422" not in e] == []  # the 422 itself is logged by Chromium
    assert watched.foreign_requests == []


def test_docs_render_offline_from_the_service(browser, service):
    html = service.http.get("/docs").text
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and not [a for a in assets if re.match(r"(https?:)?//", a)]
    for asset in assets:
        assert service.http.get(asset).status_code == 200, asset

    watched = open_page(browser, service)
    page = watched.page
    page.goto(service.url + "/docs")
    operation = page.locator(".opblock", has_text="/v1/articles").first
    sync_api.expect(operation).to_be_visible()
    operation.locator(".opblock-summary").click()
    sync_api.expect(page.locator(".opblock-body").first).to_contain_text("Kim Jong-un")  # the example
    watched.assert_clean()


@pytest.fixture(scope="module")
def auth_service(tmp_path_factory):
    svc = Service(tmp_path_factory.mktemp("console-auth"), NEWSDESK_API_KEYS=API_KEY)
    yield svc
    svc.stop(signal.SIGTERM)


def test_console_sends_the_api_key_when_keys_are_configured(browser, auth_service):
    watched = open_page(browser, auth_service)
    page = watched.page
    page.goto(auth_service.url + "/console")
    sync_api.expect(page.locator("#jobs-message")).to_contain_text("API key")
    page.get_by_label("API key").fill(API_KEY)
    page.get_by_label("API key").dispatch_event("change")
    assert page.evaluate("sessionStorage.getItem('newsdesk.apiKey')") == API_KEY
    # Emoji before the names: the API counts code points, JavaScript UTF-16 units.
    article = {"title": "Frederiksen i Bruxelles 🇪🇺",
               "text": "🇩🇰🇪🇺 Mette Frederiksen mødtes med Ursula von der Leyen i Bruxelles tirsdag. 😀 "
                       "Bagefter talte Frederiksen med pressen i København.",
               "language": "da"}
    submit(page, article)
    job = latest_job(auth_service, Authorization=f"Bearer {API_KEY}")
    assert job["status"] == "succeeded"
    sync_api.expect(page.locator("#article-title-view")).to_have_text(article["title"])
    sync_api.expect(page.locator("#article-text-view")).to_have_text(article["text"])
    for field in ("text", "title"):
        marked = page.locator(f"#article-{field}-view mark.entity").all_text_contents()
        mentions = sorted((m for e in job["result"]["entities"] for m in e["mentions"] if m["field"] == field),
                          key=lambda m: m["start"])
        assert marked == [m["text"] for m in mentions]
    assert page.locator("#article-text-view mark.entity").count(), "no entities: the offsets went unchecked"
    sync_api.expect(page.locator("#jobs-body tr")).to_have_count(1)
    # The key survives a reload of the tab.
    page.reload()
    sync_api.expect(page.get_by_label("API key")).to_have_value(API_KEY)
    watched.assert_clean()


def test_a_job_opened_from_the_list_stays_shown_when_the_followed_one_ends(browser, service):
    watched = open_page(browser, service)
    page = watched.page
    page.goto(service.url + "/console")
    submit(page, {"text": "Mette Frederiksen talte i København tirsdag.", "language": "da"})
    opened = latest_job(service)
    # Hold the next job's first long poll until the other job has been opened.
    held = []

    def hold(route):
        if held:
            route.continue_()
        else:
            held.append(route)

    page.route(re.compile(r"/v1/jobs/[^/?]+\?wait="), hold)
    page.get_by_label("Article text").fill("Lars Løkke Rasmussen rejste onsdag til Berlin.")
    page.get_by_role("button", name="Analyse").click()
    while not held:
        page.wait_for_timeout(50)
    followed_id = urlsplit(held[0].request.url).path.rsplit("/", 1)[-1]
    page.get_by_role("button", name=f"Open job {opened['job_id']}").click()
    sync_api.expect(page.locator("#job-status")).to_contain_text(opened["job_id"][:10])
    service.wait(followed_id)
    with page.expect_response(re.compile(r"\?wait=")) as answer:
        held[0].continue_()
    answer.value.finished()
    page.wait_for_timeout(500)  # time for the answer to be shown, were it to be
    sync_api.expect(page.locator("#result-meta dd").first).to_have_text(opened["job_id"])
    sync_api.expect(page.locator("#job-status")).to_contain_text(opened["job_id"][:10])
    watched.assert_clean()


def test_a_busy_service_is_asked_again_while_a_job_is_followed(browser, service):
    # A 503 (or 429) while following is the service asking to wait, not the job failing.
    watched = open_page(browser, service)
    page = watched.page
    page.goto(service.url + "/console")
    busy = []

    def once_busy(route):
        if busy:
            route.continue_()
        else:
            busy.append(route.request.url)
            route.fulfill(status=503, headers={"Retry-After": "1"}, content_type="application/problem+json",
                          body='{"type": "about:blank", "status": 503, "code": "queue_unavailable", '
                               '"title": "The queue is unavailable"}')

    page.route(re.compile(r"/v1/jobs/[^/?]+\?wait="), once_busy)
    submit(page, {"text": "Mette Frederiksen talte i København tirsdag.", "language": "da"})
    assert busy, "the first long poll was answered 503"
    sync_api.expect(page.locator("#error")).to_be_hidden()
    # The 503 is logged by the browser as a failed resource; it is no script error of the page.
    watched.errors = [e for e in watched.errors if "503" not in e]
    watched.assert_clean()


def focused(page) -> str:
    return page.evaluate("document.activeElement ? document.activeElement.id : ''")


def test_keyboard_focus_is_not_lost_when_a_job_is_submitted(browser, service):
    # The submit button is disabled while its job runs, which drops the focus to the page's body:
    # a keyboard user would start again from the top. The result takes the focus when it is
    # shown, and the button gets it back after an error.
    watched = open_page(browser, service)
    page = watched.page
    page.goto(service.url + "/console")
    page.get_by_label("Article text").fill("Mette Frederiksen talte i København tirsdag.")
    page.get_by_role("button", name="Analyse").focus()
    page.keyboard.press("Enter")
    sync_api.expect(page.locator("#job-status")).to_contain_text("succeeded", timeout=JOB_TIMEOUT_MS)
    assert focused(page) == "result-heading"
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('result').contains(document.activeElement)")

    page.get_by_label("Article text").fill("   ")
    page.locator("#article-form").evaluate("form => form.noValidate = true")
    page.get_by_role("button", name="Analyse").focus()
    page.keyboard.press("Enter")
    sync_api.expect(page.get_by_role("alert")).to_contain_text("not a valid article")
    assert focused(page) == "submit-button"
    assert [e for e in watched.errors if "422" not in e] == []


def direction(page, selector: str) -> str:
    return page.locator(selector).first.evaluate("node => getComputedStyle(node).direction")


def test_right_to_left_text_is_shown_right_to_left(browser, service):
    # Without dir="auto" a Hebrew or Arabic article is laid out left to right: its lines start
    # at the wrong edge and the full stop lands before the sentence's first word.
    watched = open_page(browser, service)
    page = watched.page
    page.goto(service.url + "/console")
    article = {"title": "חדשות מירושלים", "text": "שלום עולם. זהו טקסט בעברית על הממשלה בירושלים. "
                                                  "הישיבה נמשכה שלוש שעות."}
    submit(page, article)
    for selector in ("#article-title", "#article-text", "#article-title-view", "#article-text-view",
                     "#summary-list li"):
        assert direction(page, selector) == "rtl", selector
    submit(page, {"text": "Mette Frederiksen talte i København tirsdag.", "language": "da"})
    assert direction(page, "#article-text-view") == "ltr"
    watched.assert_clean()


def test_text_that_looks_like_html_is_shown_as_text(browser, service):
    watched = open_page(browser, service)
    page = watched.page
    page.goto(service.url + "/console")
    article = {"title": "<i>Frederiksen</i> &lt;3",
               "text": '<script>document.title = "injected"</script> &amp; <b>Mette Frederiksen</b> talte i '
                       "København tirsdag. <img src=x onerror=\"document.title='injected'\">",
               "language": "da"}
    submit(page, article)
    sync_api.expect(page.locator("#article-text-view")).to_have_text(article["text"])
    sync_api.expect(page.locator("#article-title-view")).to_have_text(article["title"])
    assert page.locator("#result script, #result img, #result b, #result i").count() == 0
    job = latest_job(service)
    marked = page.locator("#article-text-view mark.entity").all_text_contents()
    mentions = sorted((m for e in job["result"]["entities"] for m in e["mentions"] if m["field"] == "text"),
                      key=lambda m: m["start"])
    assert marked and marked == [m["text"] for m in mentions]
    assert page.title() == "Newsdesk console"
    watched.assert_clean()


def too_long_article() -> str:
    """Real articles, over the default limit of 1,000,000 bytes once in a JSON body."""
    texts = [load_seed(path)["text"] for path in SEEDS]
    text, i = "", 0
    while len(text.encode()) <= 1_000_000:
        text += texts[i % len(texts)] + "\n\n"
        i += 1
    return text


def test_an_article_over_the_size_limit_says_the_limit_and_its_size(browser, service):
    watched = open_page(browser, service)
    page = watched.page
    page.goto(service.url + "/console")
    text = too_long_article()
    page.get_by_label("Article text").evaluate("(area, text) => { area.value = text; }", text)
    page.get_by_role("button", name="Analyse").click()
    alert = page.get_by_role("alert")
    sync_api.expect(alert).to_contain_text("at most 1,000,000 bytes")
    sent = len(json.dumps({"text": text, "language": "auto", "options": {"summary_sentences": 3}},
                          ensure_ascii=False, separators=(",", ":")).encode())
    sync_api.expect(alert).to_contain_text(f"This article is {sent:,} bytes as sent")
    assert [e for e in watched.errors if "413" not in e] == []


@pytest.fixture(scope="module")
def limited_service(tmp_path_factory):
    # One request a minute: the page's own job list takes it, so the submit is refused.
    svc = Service(tmp_path_factory.mktemp("console-limited"), NEWSDESK_RATE_LIMIT_PER_MINUTE="1")
    yield svc
    svc.stop(signal.SIGTERM)


def test_a_refused_submit_says_when_to_try_again(browser, limited_service):
    watched = open_page(browser, limited_service)
    page = watched.page
    with page.expect_response(re.compile(r"/v1/jobs\?limit=")):
        page.goto(limited_service.url + "/console")
    page.get_by_label("Article text").fill("Mette Frederiksen talte i København tirsdag.")
    with page.expect_response(re.compile(r"/v1/articles$")) as answer:
        page.get_by_role("button", name="Analyse").click()
    assert answer.value.status == 429
    retry_after = int(answer.value.headers["retry-after"])
    alert = page.get_by_role("alert")
    sync_api.expect(alert).to_contain_text("Too many requests")
    sync_api.expect(alert).to_contain_text(f"Try again in {retry_after} s")
    assert [e for e in watched.errors if "429" not in e] == []


def test_losing_the_service_while_following_a_job_says_which_job_and_what_to_do(browser, service):
    watched = open_page(browser, service)
    page = watched.page
    page.clock.install()  # the page's timers, so that its backoff between retries (31 s) is skipped
    page.goto(service.url + "/console")
    # The network goes down after the submit: every long poll of the job fails to connect.
    page.route(re.compile(r"/v1/jobs/[^/?]+\?wait="), lambda route: route.abort("connectionrefused"))
    page.get_by_label("Article text").fill("Mette Frederiksen talte i København tirsdag.")
    with page.expect_response(re.compile(r"/v1/articles$")) as answer:
        page.get_by_role("button", name="Analyse").click()
    job_id = answer.value.json()["job_id"]
    alert = page.get_by_role("alert")
    for _ in range(20):  # each retry fails at once; the wait before the next is what is skipped
        if alert.is_visible():
            break
        page.clock.run_for(20_000)
        page.wait_for_timeout(200)
    sync_api.expect(alert).to_be_visible()
    sync_api.expect(alert).to_contain_text(f"Lost contact with the service while following job {job_id}")
    sync_api.expect(alert).to_contain_text("Recent jobs")
    assert [e for e in watched.errors if "ERR_CONNECTION_REFUSED" not in e] == []


def test_a_job_deleted_while_shown_is_no_longer_presented_as_there(browser, service):
    watched = open_page(browser, service)
    page = watched.page
    page.goto(service.url + "/console")
    lists = []
    page.on("request", lambda request: lists.append(request) if request.url.endswith("/v1/jobs?limit=20") else None)
    submit(page, {"text": "Mette Frederiksen talte i København tirsdag.", "language": "da"})
    job_id = latest_job(service)["job_id"]
    # The console asks for its job list when the article is submitted and again once the job ends.
    # The delete must come after the service answered both: a list read after it lacks the job and
    # takes the job's button away before the click. (The row may show "succeeded" from the first
    # list already, where the job ended before the service read it.)
    deadline = time.monotonic() + 15
    while len(lists) < 2 and time.monotonic() < deadline:
        page.wait_for_timeout(20)
    assert len(lists) >= 2, "the console lists its jobs on submit and when the job ends"
    assert all(request.response() is not None for request in lists)
    open_button = page.get_by_role("button", name=f"Open job {job_id}")
    sync_api.expect(page.locator("#jobs-body tr").filter(has=open_button)).to_contain_text("succeeded")
    assert service.http.delete(f"/v1/jobs/{job_id}").status_code == 204
    open_button.click()
    sync_api.expect(page.get_by_role("alert")).to_contain_text("No such job")
    # Its result and "succeeded" must not stay on screen under the error, nor the job in the list.
    sync_api.expect(page.locator("#result")).to_be_hidden()
    sync_api.expect(page.locator("#job-status")).not_to_contain_text("succeeded")
    sync_api.expect(page.get_by_role("button", name=f"Open job {job_id}")).to_have_count(0)
    assert [e for e in watched.errors if "404" not in e] == []


def test_a_slow_earlier_answer_for_the_job_list_does_not_put_back_an_older_list(browser, service):
    page = open_page(browser, service).page
    held = []

    def hold_the_first(route):
        # The list as it is when the page loads, answered only after the later refreshes.
        if held:
            route.continue_()
        else:
            held.append((route, route.fetch()))

    page.route(re.compile(r".*/v1/jobs\?limit=20$"), hold_the_first)
    page.goto(service.url + "/console")
    submit(page, {"text": "Mette Frederiksen talte i Aarhus onsdag.", "language": "da"})
    job_id = latest_job(service)["job_id"]
    row = page.locator("#jobs-body tr").filter(has=page.get_by_role("button", name=f"Open job {job_id}"))
    sync_api.expect(row).to_contain_text("succeeded")
    route, response = held[0]
    route.fulfill(response=response)
    page.wait_for_timeout(500)
    sync_api.expect(row).to_contain_text("succeeded")


@pytest.fixture(scope="module")
def strict_service(tmp_path_factory):
    # A second's analysis at most: a long article's job fails with `timeout`, as a real job can.
    svc = Service(tmp_path_factory.mktemp("console-strict"), NEWSDESK_TASK_SOFT_TIME_LIMIT="1",
                  NEWSDESK_TASK_TIME_LIMIT="5")
    yield svc
    svc.stop(signal.SIGTERM)


def test_a_failed_job_is_shown_as_an_error_with_its_reason(browser, strict_service):
    watched = open_page(browser, strict_service)
    page = watched.page
    page.goto(strict_service.url + "/console")
    text = too_long_article()[:900_000]
    page.get_by_label("Article text").evaluate("(area, text) => { area.value = text; }", text)
    page.get_by_role("button", name="Analyse").click()
    sync_api.expect(page.locator("#job-status")).to_contain_text("failed", timeout=JOB_TIMEOUT_MS)
    job = latest_job(strict_service)
    assert job["status"] == "failed" and job["error"]["code"] == "timeout"
    alert = page.get_by_role("alert")
    sync_api.expect(alert).to_contain_text(job["error"]["message"])
    sync_api.expect(alert).to_contain_text("timeout")
    sync_api.expect(page.locator("#result")).to_be_hidden()
    watched.assert_clean()


def test_the_largest_article_renders_every_mention_at_its_place(browser, service):
    # Just under the body limit: thousands of mentions, each to be marked where the API says,
    # after characters outside the BMP that shift every UTF-16 offset from the API's.
    text = "𝔘😀 " + too_long_article()
    while len(json.dumps({"text": text, "language": "auto", "options": {"summary_sentences": 3}},
                         ensure_ascii=False).encode()) > 999_000:
        text = text[:-5000]
    watched = open_page(browser, service)
    page = watched.page
    page.goto(service.url + "/console")
    page.get_by_label("Article text").evaluate("(area, text) => { area.value = text; }", text)
    page.get_by_role("button", name="Analyse").click()
    sync_api.expect(page.locator("#job-status")).to_contain_text("succeeded", timeout=JOB_TIMEOUT_MS)
    job = latest_job(service)
    mentions = sorted((m for e in job["result"]["entities"] for m in e["mentions"] if m["field"] == "text"),
                      key=lambda m: m["start"])
    assert len(mentions) > 1000
    text_view = page.locator("#article-text-view")
    assert text_view.text_content() == text
    assert text_view.locator("mark.entity").all_text_contents() == [m["text"] for m in mentions]
    watched.assert_clean()
