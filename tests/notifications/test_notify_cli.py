"""`flask notify run`: --once prints a JSON summary; the loop exits cleanly on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from talentmatch.config import ROOT
from talentmatch.extensions import db
from tests.support.outbox import queue, states


def test_once_sends_what_is_due_and_prints_a_json_summary(app, runner):
    with app.app_context():
        queue(3)
    result = runner.invoke(args=["notify", "run", "--once"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output.strip().splitlines()[-1])
    assert summary["sent"] == 3 and summary["dead"] == 0 and summary["events"] == 0
    assert len(list(Path(app.config["MAIL_DIR"]).glob("*.eml"))) == 3
    again = json.loads(runner.invoke(args=["notify", "run", "--once"]).output.strip().splitlines()[-1])
    assert again["sent"] == 0 and again["batches"] == 0


def test_the_worker_loop_stops_cleanly_on_sigterm(app, tmp_path):
    with app.app_context():
        queue(4)
    env = dict(os.environ, TALENTMATCH_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
               TALENTMATCH_MAIL_BACKEND="file", TALENTMATCH_MAIL_DIR=str(tmp_path / "mail"),
               TALENTMATCH_ENV="development")
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "notify", "run", "--interval", "0.2"],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 40
        with app.app_context():
            while states().get("sent", 0) < 4 and time.monotonic() < deadline:
                db.session.rollback()
                time.sleep(0.2)
            assert states() == {"sent": 4}
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=10) == 0, worker.stdout.read().decode(errors="replace")
    finally:
        if worker.poll() is None:
            worker.kill()
    assert len(list((tmp_path / "mail").glob("*.eml"))) == 4
