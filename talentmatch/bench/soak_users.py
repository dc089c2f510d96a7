"""The people of `flask bench soak`: each virtual user is a thread with one keep-alive
connection that acts as a visitor, its team's professionals and its team's municipality
clerks, each with their own cookies, the way browsers do it: a form is read (for its CSRF
token and current values) before it is posted, and every redirect is followed with a GET.

Every request states the answers it expects; any other answer is an error, listed with a
snippet of what came back (and a notice of class "error" after a redirect counts too: a
refusal the app showed as a message).
"""

from __future__ import annotations

import http.client
import random
import re
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

import pyotp

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                  r'name="csrf_token" value="([^"]+)"')
WITHDRAW = re.compile(r'action="/my/applications/(\d+)/withdraw"')
ERROR_NOTICE = re.compile(r'<div class="notice error"[^>]*>(.*?)</div>', re.S)


# --------------------------------------------------------------------------- what was seen


class Stats:
    """Latencies and answers of every request, shared by the virtual users."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: Counter = Counter()
        self.samples: dict[tuple, str] = {}
        self.done: Counter = Counter()  # completed actions (apply, withdraw, move, edit, login …)

    def record(self, kind: str, ms: float, error: tuple | None = None, sample: str = "") -> None:
        with self.lock:
            self.latency[kind].append(ms)
            if error is not None:
                self.errors[error] += 1
                self.samples.setdefault(error, sample[:300])

    def action(self, name: str) -> None:
        with self.lock:
            self.done[name] += 1


# --------------------------------------------------------------------------- forms


class _FormParser(HTMLParser):
    """The fields a browser would submit for one form (first match of ``action`` or ``id``)."""

    def __init__(self, want) -> None:
        super().__init__(convert_charrefs=True)
        self.want, self.inside, self.done = want, False, False
        self.fields: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._select: tuple[str, bool] | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.done and self.want(a):
            self.inside = True
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "image", "file", "reset"):
                self.fields.append((name, a.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = (name, "multiple" in a), None, False
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                self.fields.append((self._select[0], value))
                self._select_chosen = True

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self.fields.append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "select" and self._select:
            name, multiple = self._select
            if not multiple and not self._select_chosen and self._select_first is not None:
                self.fields.append((name, self._select_first))
            self._select = None
        elif tag == "form":
            self.inside, self.done = False, True


def form_fields(html: str, *, action: str | None = None, form_id: str | None = None) -> list[tuple[str, str]]:
    parser = _FormParser(lambda a: (action is not None and a.get("action") == action)
                         or (form_id is not None and a.get("id") == form_id))
    parser.feed(html)
    return parser.fields


def csrf_of(html: str) -> str:
    m = CSRF.search(html)
    return (m.group(1) or m.group(2)) if m else ""


# --------------------------------------------------------------------------- people


@dataclass
class Account:
    email: str
    totp_secret: str = ""
    last_step: int = -1
    cookies: dict[str, str] = field(default_factory=dict)
    logged_in: bool = False
    html: str = ""  # the last page seen (its CSRF token serves the logout form)


@dataclass
class Pro(Account):
    posting_id: int = 0
    state: str = "none"  # none, received, screening, withdrawn
    application_id: int | None = None


@dataclass
class Team:
    """What one virtual user owns: nobody else acts on these objects at the same time."""

    municipality: str
    staff: list[Account]
    draft_id: int
    pros: list[Pro]
    last_edit: str = ""


class Answer:
    def __init__(self, status: int, headers: dict[str, str], body: str) -> None:
        self.status, self.headers, self.body = status, headers, body

    @property
    def location(self) -> str:
        loc = self.headers.get("location", "")
        return re.sub(r"^https?://[^/]+", "", loc)


class VirtualUser:
    def __init__(self, n: int, port: int, team: Team, public: dict[str, list[str]], password: str,
                 stats: Stats, stop_at: float, think: float, seed: int) -> None:
        self.n, self.port, self.team, self.public, self.password = n, port, team, public, password
        self.stats, self.stop_at, self.think = stats, stop_at, think
        self.rng = random.Random(seed)
        self.conn: http.client.HTTPConnection | None = None
        self.edits = 0
        self.pro_turn = 0

    # -- HTTP ------------------------------------------------------------------------------

    def request(self, who: Account | None, method: str, path: str, kind: str, expect=(200,),
                form: list[tuple[str, str]] | None = None) -> Answer | None:
        import urllib.parse

        headers = {"Accept-Language": "ja", "User-Agent": "talentmatch-soak"}
        if who is not None and who.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in who.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.conn.request(method, path, body=body, headers=headers)
            resp = self.conn.getresponse()
            data = resp.read()
            status, resp_headers = resp.status, {k.lower(): v for k, v in resp.getheaders()}
            if who is not None:
                for raw in resp.msg.get_all("Set-Cookie") or []:
                    name, _, rest = raw.partition("=")
                    value = rest.split(";", 1)[0]
                    if value and "max-age=0" not in raw.lower() and "expires=thu, 01 jan 1970" not in raw.lower():
                        who.cookies[name.strip()] = value
                    else:
                        who.cookies.pop(name.strip(), None)
        except (OSError, http.client.HTTPException) as exc:
            ms = (time.perf_counter() - started) * 1000
            self.stats.record(kind, ms, (kind, method, "connection", type(exc).__name__), str(exc))
            if self.conn is not None:
                self.conn.close()
            self.conn = None
            return None
        ms = (time.perf_counter() - started) * 1000
        text = data.decode("utf-8", "replace") if "text" in resp_headers.get("content-type", "") else ""
        error = None
        if status not in expect:
            error = (kind, method, re.sub(r"\d+", "N", path.split("?")[0]), status)
        elif status == 200 and (m := ERROR_NOTICE.search(text)):
            error = (kind, method, re.sub(r"\d+", "N", path.split("?")[0]), "refused")
            text = unescape(m.group(1)).strip()
        self.stats.record(kind, ms, error, _snippet(text))
        answer = Answer(status, resp_headers, text)
        if who is not None and text:
            who.html = text
        return answer if error is None else None

    def follow(self, who: Account, answer: Answer | None, kind: str) -> Answer | None:
        """GET the redirect's target, as a browser does."""
        if answer is None or not answer.location:
            return None
        return self.request(who, "GET", answer.location, kind)

    # -- visits ----------------------------------------------------------------------------

    def run(self) -> None:
        while time.monotonic() < self.stop_at:
            r = self.rng.random()
            if r < 0.6:
                self.visitor()
            elif r < 0.8:
                self.professional()
            else:
                self.clerk()
            if self.think:
                time.sleep(self.rng.uniform(0, 2 * self.think))
        if self.conn is not None:
            self.conn.close()

    def visitor(self) -> None:
        """A visitor without an account: a listing, the home page or the feed, then a few
        postings (pages or their API form)."""
        first = self.rng.choice(self.public["entry"])
        self.request(None, "GET", first, "public " + _route(first))
        for path in self.rng.sample(self.public["postings"], k=self.rng.randint(1, 3)):
            self.request(None, "GET", path, "public " + _route(path))

    def _login(self, who: Account, staff: bool) -> bool:
        page = self.request(who, "GET", "/login", "login form")
        if page is None:
            return False
        form = [("csrf_token", csrf_of(page.body)), ("email", who.email), ("password", self.password)]
        answer = self.request(who, "POST", "/login", "login", expect=(302,), form=form)
        if answer is None:
            return False
        if staff:
            page = self.follow(who, answer, "login second factor form")
            if page is None:
                return False
            step = int(time.time() // 30)
            who.last_step = step
            code = pyotp.TOTP(who.totp_secret).generate_otp(step)
            answer = self.request(who, "POST", "/login/mfa", "login second factor", expect=(302,),
                                  form=[("csrf_token", csrf_of(page.body)), ("code", code)])
            if answer is None:
                return False
        home = self.follow(who, answer, "home")
        who.logged_in = home is not None
        if who.logged_in:
            self.stats.action("staff login" if staff else "professional login")
        return who.logged_in

    def _logout(self, who: Account) -> None:
        self.request(who, "POST", "/logout", "logout", expect=(302,),
                     form=[("csrf_token", csrf_of(who.html))])
        who.cookies.clear()
        who.logged_in = False

    def professional(self) -> None:
        pros = self.team.pros
        pro = pros[self.pro_turn % len(pros)]
        self.pro_turn += 1
        if not pro.logged_in and not self._login(pro, staff=False):
            return
        if pro.state in ("none", "withdrawn"):
            self.request(pro, "GET", f"/postings/{pro.posting_id}", "posting page, logged in")
            page = self.request(pro, "GET", f"/postings/{pro.posting_id}/apply", "apply form")
            if page is None:
                return
            answer = self.request(pro, "POST", f"/postings/{pro.posting_id}/apply", "apply", expect=(302,),
                                  form=[("csrf_token", csrf_of(page.body)),
                                        ("message", f"よろしくお願いいたします。（{self.n}）")])
            mine = self.follow(pro, answer, "my applications")
            if mine is not None and (m := WITHDRAW.search(mine.body)):
                self.stats.action("apply" if pro.state == "none" else "apply again")
                pro.application_id, pro.state = int(m.group(1)), "received"
        else:
            mine = self.request(pro, "GET", "/my/applications", "my applications")
            if mine is None or pro.application_id is None:
                return
            answer = self.request(pro, "POST", f"/my/applications/{pro.application_id}/withdraw",
                                  "withdraw", expect=(302,),
                                  form=[("csrf_token", csrf_of(mine.body)), ("note", "")])
            if self.follow(pro, answer, "my applications") is not None:
                pro.state = "withdrawn"
                self.stats.action("withdraw")
        if self.rng.random() < 0.3:
            self._logout(pro)

    def clerk(self) -> None:
        step = int(time.time() // 30)
        clerk = next((s for s in self.team.staff if s.logged_in), None)
        if clerk is None:
            # A code works once per 30-second step and account: log in with a clerk whose
            # code for this step is unused, else read as a visitor meanwhile.
            clerk = next((s for s in self.team.staff if s.last_step < step), None)
            if clerk is None or not self._login(clerk, staff=True):
                self.visitor()
                return
        self.request(clerk, "GET", "/my/postings", "my postings")
        edit = f"/my/postings/{self.team.draft_id}/edit"
        page = self.request(clerk, "GET", edit, "posting edit form")
        if page is not None:
            self.edits += 1
            note = f"月2回程度の打ち合わせ（負荷試験 {self.n}-{self.edits}）"
            fields = [(k, v) for k, v in form_fields(page.body, form_id="posting-form") if k != "hours_note"]
            fields += [("hours_note", note), ("action", "save")]
            answer = self.request(clerk, "POST", edit, "posting edit", expect=(302,), form=fields)
            if self.follow(clerk, answer, "posting edit form") is not None:
                self.team.last_edit = note
                self.stats.action("posting edit")
        for pro in [p for p in self.team.pros if p.state == "received"][:2]:
            detail = f"/applications/{pro.application_id}"
            page = self.request(clerk, "GET", detail, "application")
            if page is None:
                continue
            answer = self.request(clerk, "POST", f"{detail}/move", "application move", expect=(302,),
                                  form=[("csrf_token", csrf_of(page.body)), ("target", "screening"),
                                        ("note", "")])
            if self.follow(clerk, answer, "application") is not None:
                pro.state = "screening"
                self.stats.action("move to screening")
        if self.rng.random() < 0.25:
            self._logout(clerk)


def _route(path: str) -> str:
    """A path as a route: ids become {id}, a query string is marked."""
    base, _, query = path.partition("?")
    return re.sub(r"/\d+", "/{id}", base) + (" ?search" if query else "")


def _snippet(text: str) -> str:
    m = re.search(r"<title>(.*?)</title>", text, re.S)
    body = re.sub(r"<[^>]+>", " ", text)
    body = re.sub(r"\s+", " ", unescape(body)).strip()
    return ((m.group(1).strip() + ": ") if m else "") + body[:240]
