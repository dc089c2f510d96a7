"""Shared by the browser stories: Debian's chromium through Playwright, the app served on a
free local port in a thread against the test database, people logging in through the real
forms (staff pass the second factor with a code computed by pyotp, as their phone would),
axe-core on every page, and screenshots of each step into test-artifacts/<story>/.

tests/conftest.py wraps `serve` and `launch` (generators) in the session's `server` and
`browser` fixtures; every story opens its own browser contexts.
"""

from __future__ import annotations

import email
import os
import re
import threading
from collections import Counter
from email import policy
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.support.factories import PASSWORD, next_code

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
BLOCKING_IMPACTS = ("serious", "critical")

browser_marks = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium at /usr/bin/chromium"),
]

# axe figures of the run: pages checked and violations by impact.
AXE_FIGURES: Counter = Counter()


def serve(app):
    """The app on 127.0.0.1:<free port>, served from a thread while the generator runs."""
    srv = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_port}"
    srv.shutdown()
    thread.join(5)


def launch():
    """Debian's chromium, headless, while the generator runs."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield b
        b.close()


class Story:
    """Screenshots numbered in order under test-artifacts/<name>/, and the problems seen on
    the way (script errors, CSP violations, axe findings)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.dir = ARTIFACTS / name
        self.dir.mkdir(parents=True, exist_ok=True)
        for old in self.dir.glob("*.png"):
            old.unlink()
        self.step = 0
        self.problems: list[str] = []

    def shot(self, page, label: str) -> Path:
        self.step += 1
        path = self.dir / f"{self.step:02d}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    def watch(self, page) -> None:
        page.on("console", lambda m: m.type == "error"
                and not m.text.startswith("Failed to load resource")
                and self.problems.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"script: {e}"))

    def check(self, page, label: str) -> None:
        """axe-core on the page as it is now, then a screenshot of it."""
        axe_check(page, self.problems)
        self.shot(page, label)


def axe_check(page, problems: list[str]) -> list[dict]:
    """Run axe-core (shipped by axe-playwright-python) on the page; serious and critical
    violations go to `problems`, every violation to the run's figures."""
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state()
    results = Axe().run(page)
    from tests.support.figures import figure

    violations = results.response["violations"]
    AXE_FIGURES["pages checked"] += 1
    figure("axe-core", "pages checked")
    for v in violations:
        AXE_FIGURES[f"{v['impact']} violations"] += len(v["nodes"])
        figure("axe-core", f"{v['impact']} violations", len(v["nodes"]))
        if v["impact"] in BLOCKING_IMPACTS:
            targets = ", ".join(str(n["target"]) for n in v["nodes"][:3])
            problems.append(f"axe {v['impact']} {v['id']} on {page.url}: {v['help']} ({targets})")
    return violations


class Person:
    """Somebody in their own browser context (language from `locale`)."""

    def __init__(self, browser, base: str, story: Story, *, locale: str = "ja-JP") -> None:
        self.context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.base = base
        self.story = story
        story.watch(self.page)

    def go(self, path: str, label: str | None = None):
        self.page.goto(path if path.startswith("http") else f"{self.base}{path}")
        if label:
            self.story.check(self.page, label)
        return self.page

    def login(self, user, password: str = PASSWORD, label: str | None = None):
        check = None
        if label:
            def check(page, step: str) -> None:
                self.story.check(page, f"{label}{step}")
        return sign_in(self.page, self.base, user, password, check=check)

    def close(self) -> None:
        self.context.close()


def sign_in(page, base: str, user, password: str = PASSWORD, *, check=None):
    """Log `user` in on `page` through the real forms: e-mail and password, then for staff
    the second factor with a fresh code, as their phone would show it. `check(page, step)`
    is called on the login page (step "") and on the second-factor page ("-second-factor")."""
    page.goto(f"{base}/login")
    if check:
        check(page, "")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")
    if user.role != "professional":
        page.wait_for_url("**/login/mfa")
        if check:
            check(page, "-second-factor")
        page.fill("input[name=code]", next_code(user))
        page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "/login" not in page.url, page.url
    return page


def mail_files(app) -> list[email.message.EmailMessage]:
    files = sorted(Path(app.config["MAIL_DIR"]).glob("*.eml"), key=lambda p: p.stat().st_mtime)
    return [email.message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]


def link_in_mail(app, to: str, pattern: str) -> str:
    """The path of the first link matching `pattern` in the newest mail to `to` (file mail
    backend); the mail says BASE_URL, the story's server listens elsewhere."""
    from urllib.parse import urlsplit

    for msg in reversed(mail_files(app)):
        if to in msg["To"]:
            body = msg.get_body(preferencelist=("plain",)).get_content()
            found = re.search(pattern, body)
            if found:
                parts = urlsplit(found.group(0))
                return parts.path + (f"?{parts.query}" if parts.query else "")
    raise AssertionError(f"no mail to {to} with a link like {pattern}")


def report_axe(request) -> None:
    """Print the axe figures at the end of a story module's run."""
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and AXE_FIGURES:
        line = ", ".join(f"{k} {v}" for k, v in sorted(AXE_FIGURES.items()))
        reporter.write_line(f"\naxe-core: {line}")
