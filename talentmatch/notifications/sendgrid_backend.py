"""SendGrid through the official ``sendgrid`` library (SECURITY.md 23–24).

Messages with the same subject and bodies go out together, one personalization per
recipient (nobody sees another recipient; never cc/bcc), at most 1,000 per request; each
personalization carries its outbox id in ``custom_args``, its own headers
(List-Unsubscribe …) and, for a shared body (a fan-out), its own ``substitutions`` (the
unsubscribe token) that SendGrid fills into the common content. Outcomes: 2xx sent; 429 retry at ``X-RateLimit-Reset``; 5xx, timeouts
and network errors retry (the worker backs off and dead-letters after N attempts); 400/413
dead with SendGrid's reason; 401/403 stop the worker.
"""

from __future__ import annotations

import http.client
import json
import logging
import time
from email.utils import parseaddr
from urllib.error import URLError

from python_http_client import exceptions as http_errors
from sendgrid import SendGridAPIClient

from talentmatch.notifications.backends import (
    DeliveryStopped,
    Mail,
    Outcome,
    clean_headers,
    split,
    strip_crlf,
)

log = logging.getLogger("talentmatch.notify")

MAX_PERSONALIZATIONS = 1000
MAX_RATE_LIMIT_WAIT = 3600.0


class SendGridBackend:
    def __init__(self, api_key: str, sender: str, *, host: str = "https://api.sendgrid.com",
                 timeout: float = 10.0, sandbox: bool = False,
                 batch_limit: int = MAX_PERSONALIZATIONS) -> None:
        self.api = SendGridAPIClient(api_key=api_key, host=host.rstrip("/"))
        # python_http_client passes this to urlopen for every request; the library's default
        # is no timeout at all, which would let one stuck connection hold a worker forever.
        self.api.client.timeout = timeout
        self.timeout = timeout
        self.sandbox = sandbox
        self.batch_limit = max(1, min(batch_limit, MAX_PERSONALIZATIONS))
        name, email = parseaddr(sender)
        self.sender = {"email": email or sender}
        if name:
            self.sender["name"] = strip_crlf(name)

    @classmethod
    def from_config(cls, cfg) -> SendGridBackend:
        if not cfg.get("SENDGRID_API_KEY"):
            log.critical("TALENTMATCH_SENDGRID_API_KEY is not set: mail cannot be sent")
            raise DeliveryStopped("unauthorized: TALENTMATCH_SENDGRID_API_KEY is not set")
        return cls(cfg["SENDGRID_API_KEY"], cfg["MAIL_FROM"], host=cfg["SENDGRID_HOST"],
                   timeout=float(cfg["SENDGRID_TIMEOUT"]), sandbox=bool(cfg["SENDGRID_SANDBOX"]))

    # --- planning ------------------------------------------------------------------------------

    def plan(self, mails: list[Mail]) -> list[list[Mail]]:
        """Group identical content (subject, text, html), then cut groups at the limit."""
        groups: dict[tuple[str, str, str], list[Mail]] = {}
        for mail in mails:
            groups.setdefault((strip_crlf(mail.subject), mail.text, mail.html or ""), []).append(mail)
        return [group[i:i + self.batch_limit]
                for group in groups.values() for i in range(0, len(group), self.batch_limit)]

    def request_body(self, mails: list[Mail]) -> dict:
        """The v3 mail/send body for mails sharing subject and content."""
        first = mails[0]
        content = [{"type": "text/plain", "value": first.text}]
        if first.html:
            content.append({"type": "text/html", "value": first.html})
        body = {
            "personalizations": [self._personalization(m) for m in mails],
            "from": self.sender,
            "subject": strip_crlf(first.subject),
            "content": content,
            # Links stay as signed (unsubscribe tokens); no tracking pixels in public-sector mail.
            "tracking_settings": {"click_tracking": {"enable": False, "enable_text": False},
                                  "open_tracking": {"enable": False}},
        }
        if self.sandbox:
            body["mail_settings"] = {"sandbox_mode": {"enable": True}}
        return body

    @staticmethod
    def _personalization(mail: Mail) -> dict:
        to = {"email": strip_crlf(mail.to_email)}
        name = strip_crlf(mail.to_name)
        if name:
            to["name"] = name
        item: dict = {"to": [to], "custom_args": {"outbox_id": str(mail.outbox_id)}}
        headers = clean_headers(mail.headers)
        if headers:
            item["headers"] = headers
        if mail.substitutions:  # SendGrid fills this recipient's values into the shared content
            item["substitutions"] = dict(mail.substitutions)
        return item

    # --- sending -------------------------------------------------------------------------------

    def send(self, mails: list[Mail]) -> dict[int, Outcome]:
        """Send any list (planned into requests), finding refused addresses by halving."""
        out: dict[int, Outcome] = {}
        queue = self.plan(mails)
        while queue:
            group = queue.pop(0)
            result = self.send_request(group)
            if any(o.status == "split" for o in result.values()):
                queue[0:0] = split(group)
                continue
            out.update(result)
            halt = next((o for o in result.values() if o.status == "stop" or o.throttled), None)
            if halt is not None:
                # Credentials refused or rate limited: the rest is not even tried.
                out.update({m.outbox_id: halt for rest in queue for m in rest})
                break
        return out

    def send_request(self, mails: list[Mail]) -> dict[int, Outcome]:
        """Exactly one HTTP request for mails of one planned group.

        A refused request (400/413) for several recipients answers ``split``: SendGrid accepted
        none of it, so its halves can be sent again safely, and one bad address must not
        dead-letter its neighbours. The worker splits, so it can renew its lease between the
        requests of the search.
        """
        outcome, status = self._post(mails)
        if status in (400, 413) and len(mails) > 1:
            outcome = Outcome("split", outcome.reason)
        return {m.outbox_id: outcome for m in mails}

    def _post(self, mails: list[Mail]) -> tuple[Outcome, int | None]:
        """One request; the outcome and the HTTP status (None when no answer came)."""
        try:
            response = self.api.send(self.request_body(mails))
        except http_errors.HTTPError as exc:
            return self._http_error(exc), int(exc.status_code)
        except (TimeoutError, URLError, OSError, http.client.HTTPException) as exc:
            reason = getattr(exc, "reason", None) or exc
            timed_out = isinstance(exc, TimeoutError) or isinstance(reason, TimeoutError)
            kind = "timeout" if timed_out else "network_error"
            return Outcome("retry", f"{kind}: {type(exc).__name__}: {reason}"[:500]), None
        if 200 <= response.status_code < 300:
            # 202 Accepted; the sandbox answers 200 (validated, not delivered).
            return Outcome("sent"), response.status_code
        return Outcome("retry", f"unexpected: HTTP {response.status_code}"), response.status_code

    def _http_error(self, exc: http_errors.HTTPError) -> Outcome:
        status = int(exc.status_code)
        detail = _error_detail(exc.body)
        if status == 429:
            return Outcome("retry", f"rate_limited: HTTP 429 {detail}".strip(),
                           retry_after=_reset_delay(exc.headers), throttled=True)
        if status in (401, 403):
            return Outcome("stop", f"unauthorized: HTTP {status} {detail}".strip())
        if status in (400, 413):
            kind = "rejected" if status == 400 else "too_large"
            return Outcome("dead", f"{kind}: HTTP {status} {detail}".strip()[:500])
        if status >= 500 or status == 408:
            return Outcome("retry", f"server_error: HTTP {status} {detail}".strip()[:500])
        # Other 4xx (404, 405, 415 …): the request itself is wrong; retrying cannot help.
        return Outcome("dead", f"rejected: HTTP {status} {detail}".strip()[:500])


def _error_detail(body: bytes | str | None) -> str:
    """SendGrid's ``{"errors": [{"message", "field"}]}`` as one line."""
    if not body:
        return ""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
    try:
        errors = json.loads(text).get("errors") or []
        parts = [strip_crlf(f"{e.get('message', '')}" + (f" ({e['field']})" if e.get("field") else ""))
                 for e in errors if isinstance(e, dict)]
        if parts:
            return "; ".join(parts)[:400]
    except (ValueError, AttributeError):
        pass
    return strip_crlf(text)[:200]


def _reset_delay(headers) -> float | None:
    """Seconds until ``X-RateLimit-Reset`` (a Unix time); None when absent or unreadable."""
    value = headers.get("X-RateLimit-Reset") if headers is not None else None
    if value is None:
        return None
    try:
        delay = float(value) - time.time()
    except ValueError:
        return None
    return min(max(delay, 1.0), MAX_RATE_LIMIT_WAIT)
