"""The Nu Html Checker (vnu, the W3C validator's engine) finds no error on any public page
nor on the main staff pages, in Japanese and in English.

vnu.jar comes from npm's vnu-jar (`.ci/run` installs it into .cache/vnu); the test looks for
it at TALENTMATCH_VNU_JAR, then there, and needs a Java runtime.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.factories import login, make_posting, make_user

ROOT = Path(__file__).resolve().parents[2]
CANDIDATES = [os.environ.get("TALENTMATCH_VNU_JAR", ""),
              str(ROOT / ".cache/vnu/node_modules/vnu-jar/build/dist/vnu.jar")]
VNU = next((p for p in CANDIDATES if p and Path(p).is_file()), None)

pytestmark = pytest.mark.skipif(
    VNU is None or shutil.which("java") is None,
    reason="needs vnu.jar (npm install --prefix .cache/vnu vnu-jar, or TALENTMATCH_VNU_JAR) "
           "and a Java runtime")

SAPPORO, HAKODATE, CHIYODA = "011002", "012025", "131016"

PUBLIC = ["/", "/postings", "/postings?q=DX&prefecture=01", "/postings/{posting}",
          "/prefectures", "/prefectures/01", "/login", "/register", "/subscribe",
          "/help/matching", "/password/forgot"]
STAFF = {
    "municipality": ["/home", "/my/postings", "/my/postings/new", "/my/postings/{posting}",
                     "/my/postings/{draft}",
                     "/my/postings/{draft}/edit", "/postings/{posting}/applications",
                     "/postings/{posting}/candidates", "/subsidies", "/my/postings/import"],
    "prefecture": ["/home", "/review/prefecture", "/dashboards/prefecture/01",
                   "/prefectures/01/joint", "/prefectures/01/pool"],
    "ministry": ["/home", "/review/ministry", "/dashboards/national", "/subsidies/national",
                 "/admin/users"],
    "professional": ["/home", "/profile", "/subscriptions", "/my/applications",
                     "/my/postings-for-you"],
}


def _pages(app, client, tmp_path: Path) -> list[Path]:
    posting = make_posting(SAPPORO, title="CIO補佐官（HTML検証）", remote="full").id
    draft = make_posting(SAPPORO, state="draft", title="下書きの募集").id
    make_posting(CHIYODA, title="DX推進アドバイザー", joint_wish="joint")
    users = {"municipality": make_user("municipality", municipality_code=SAPPORO),
             "prefecture": make_user("prefecture", prefecture_code="01"),
             "ministry": make_user("ministry"),
             "professional": make_user("professional")}
    files = []

    def save(path: str, who: str) -> None:
        for lang in ("ja", "en"):
            url = path.format(posting=posting, draft=draft)
            url += ("&" if "?" in url else "?") + f"lang={lang}"
            resp = client.get(url)
            assert resp.status_code == 200, (who, url, resp.status_code)
            name = re.sub(r"[^a-z0-9]+", "_", f"{who}{url}".lower()).strip("_") + ".html"
            (tmp_path / name).write_bytes(resp.data)
            files.append(tmp_path / name)

    # Pages as served: with their CSRF tokens (the tests' app leaves CSRF off for logging in).
    try:
        app.config["WTF_CSRF_ENABLED"] = True
        for path in PUBLIC:
            save(path, "public")
        for role, paths in STAFF.items():
            app.config["WTF_CSRF_ENABLED"] = False
            login(client, users[role])
            app.config["WTF_CSRF_ENABLED"] = True
            for path in paths:
                save(path, role)
            client.delete_cookie("tm_session")
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    return files


def test_every_public_and_main_staff_page_is_valid_html(app, ctx, client, tmp_path):
    files = _pages(app, client, tmp_path)
    run = subprocess.run(["java", "-Xss4m", "-jar", VNU, "--errors-only", "--format", "json",
                          *map(str, files)], capture_output=True, text=True, timeout=600)
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    errors = [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')}"
              for m in messages if m.get("type") == "error"
              or m.get("subType") == "fatal"]
    print(f"\nvnu: {len(files)} pages checked, {len(errors)} errors")
    assert errors == [], "\n".join(errors[:80])
    assert len(files) == 2 * (len(PUBLIC) + sum(len(p) for p in STAFF.values()))
