"""schemathesis, the outside fuzzer, against the running server (gunicorn as deployed) with
every check on: for each operation of /api/v1/openapi.json it sends values the schema allows
(they must be accepted), values it forbids (they must be refused with a 4xx), undeclared
methods (405 with Allow) and checks every answer against the documented schemas. Bounded by
a fixed seed and --max-examples, so a run takes a minute or two."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.factories import make_posting

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
MAX_EXAMPLES = int(os.environ.get("TALENTMATCH_SCHEMATHESIS_EXAMPLES", "25"))

pytestmark = pytest.mark.skipif(
    not SCHEMATHESIS.exists() and shutil.which("schemathesis") is None,
    reason="needs schemathesis (pip install -r requirements-dev.txt)")


def test_the_api_conforms_to_its_openapi_document(app, database_uri, tmp_path):
    from talentmatch.bench.http import Server

    with app.app_context():
        make_posting("011002", title="CIO補佐官（スキーマ検証）")
        make_posting("131016", title="DX推進アドバイザー", joint_wish="joint")
    server = Server(database_uri, workers=2, env={"TALENTMATCH_MAIL_DIR": str(tmp_path / "mail")})
    try:
        server.wait_ready()
        base = f"http://127.0.0.1:{server.port}"
        exe = str(SCHEMATHESIS) if SCHEMATHESIS.exists() else "schemathesis"
        run = subprocess.run(
            [exe, "run", f"{base}/api/v1/openapi.json", "--checks", "all", "--workers", "1",
             "--max-examples", str(MAX_EXAMPLES), "--seed", "20261203", "--no-color",
             "--wait-for-schema", "60", "--request-timeout", "30",
             "--suppress-health-check", "too_slow,filter_too_much"],
            capture_output=True, text=True, timeout=900, cwd=tmp_path,
        )
    finally:
        server.stop()
    summary = run.stdout[-6000:]
    assert run.returncode == 0, summary
    assert "4/4" in summary and " passed" in summary, summary
