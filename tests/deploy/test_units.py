"""The systemd units in deploy/ run commands that exist, as the README's production section
says: gunicorn on wsgi:app, the notification worker, the two daily jobs with their timers."""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

from talentmatch.config import ROOT

UNITS = ROOT / "deploy" / "systemd"


def _unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read_string(path.read_text(encoding="utf-8").replace("\\\n", " "))
    return parser


def _flask_command(app, words: list[str]):
    """The click command that `flask --app wsgi WORDS…` would run, or None."""
    command = app.cli
    for word in words:
        command = getattr(command, "commands", {}).get(word)
        if command is None:
            return None
    return command


def test_every_unit_runs_an_existing_command(app):
    seen = set()
    for path in sorted(UNITS.glob("*.service")):
        unit = _unit(path)
        for key in ("ExecStartPre", "ExecStart", "ExecStartPost"):
            if not unit.has_option("Service", key):
                continue
            argv = shlex.split(unit.get("Service", key))
            assert argv[0].startswith("/srv/talentmatch/.venv/bin/"), path
            if argv[0].endswith("/flask"):
                assert argv[1:3] == ["--app", "wsgi"], path
                words = [w for w in argv[3:] if not w.startswith("/")]
                command = _flask_command(app, words)
                assert command is not None, f"{path.name}: flask {' '.join(words)} does not exist"
                seen.add(" ".join(words))
            else:
                assert argv[0].endswith("/gunicorn") and argv[-1] == "wsgi:app", path
                seen.add("gunicorn")
    assert {"gunicorn", "assets build", "notify run", "postings close-expired",
            "notify digests", "notify staff-digests", "db forget-used-keys"} <= seen, seen


def test_each_daily_job_has_a_timer_and_the_worker_is_not_restarted_on_a_refused_key():
    for job in ("talentmatch-close-expired", "talentmatch-digests", "talentmatch-staff-digests"):
        timer = _unit(UNITS / f"{job}.timer")
        assert "Asia/Tokyo" in timer.get("Timer", "OnCalendar")
        assert timer.get("Timer", "Persistent") == "true"
        assert _unit(UNITS / f"{job}.service").get("Service", "Type") == "oneshot"
    worker = _unit(UNITS / "talentmatch-worker@.service")
    assert worker.get("Service", "RestartPreventExitStatus") == "3"
