"""Machines attack the live service from its own OpenAPI document (schemathesis, bounded)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.e2e.conftest import API_KEY as KEY

ST = str(Path(sys.executable).parent / "st")


def test_openapi_document_describes_every_route(keyed_service):
    document = keyed_service.http.get("/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) >= {"/v1/articles", "/v1/jobs", "/v1/jobs/{job_id}", "/healthz"}
    assert document["paths"]["/v1/articles"]["post"]["security"] == [{"bearer": []}]


def test_schemathesis_finds_no_server_errors_or_schema_violations(keyed_service, tmp_path):
    # positive_data_acceptance is left out: JSON Schema cannot say "a callback host that resolves
    # to a public address" or "a real calendar date", so some schema-valid bodies get a correct 422.
    result = subprocess.run(
        [ST, "run", f"{keyed_service.url}/openapi.json", "--checks", "all",
         "--exclude-checks", "positive_data_acceptance",
         "-H", f"Authorization: Bearer {KEY}", "--max-examples", "25",
         "--generation-deterministic", "--request-timeout", "10"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout[-6000:]
    assert "No issues found" in result.stdout
