"""service.jobs.job_url builds a job's URL without the URL map: the same string as url_for."""

from __future__ import annotations

import pytest
from flask import url_for

from newsdesk.job_store import new_job_id
from service.jobs import job_url


# WSGI gives SCRIPT_NAME as latin-1 decoded bytes: "\xc3\xb8" is "ø" in UTF-8.
@pytest.mark.parametrize("script_name", ["", "/", "/api", "/api/", "/news desk/v2", "/\xc3\xb8l", "/a%20b"])
def test_the_same_url_as_url_for(app, script_name):
    ids = [new_job_id() for _ in range(200)] + ["Jx3qYpE0oTq8mJ1u1c3r-w", "-_-_", "A" * 22]
    with app.test_request_context("/v1/articles", method="POST", environ_overrides={"SCRIPT_NAME": script_name}):
        for job_id in ids:
            assert job_url(job_id) == url_for("jobs.get_job", job_id=job_id)
