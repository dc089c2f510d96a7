"""Configuration from TALENTMATCH_* environment variables (DESIGN.md §10)."""

from __future__ import annotations

import os
from pathlib import Path

from talentmatch.clock import ZONE_NAME

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"

WEAK_SECRETS = {"", "dev", "secret", "changeme", "change-me", "development-only-secret"}


def database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs written the usual way."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Read at app creation, so tests and commands can set the environment first."""

    def __init__(self) -> None:
        env = os.environ
        self.ENV_NAME = env.get("TALENTMATCH_ENV", "development")
        self.SECRET_KEY = env.get("TALENTMATCH_SECRET_KEY", "development-only-secret")
        self.SQLALCHEMY_DATABASE_URI = database_url(
            env.get("TALENTMATCH_DATABASE_URL", f"sqlite:///{INSTANCE / 'talentmatch.db'}")
        )
        self.BASE_URL = env.get("TALENTMATCH_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
        self.MAIL_BACKEND = env.get("TALENTMATCH_MAIL_BACKEND", "file")
        self.MAIL_DIR = env.get("TALENTMATCH_MAIL_DIR", str(INSTANCE / "mail"))
        self.MAIL_FROM = env.get("TALENTMATCH_MAIL_FROM", "TalentMatch <no-reply@talentmatch.example.jp>")
        self.SENDGRID_API_KEY = env.get("TALENTMATCH_SENDGRID_API_KEY", "")
        self.SENDGRID_SANDBOX = _bool("TALENTMATCH_SENDGRID_SANDBOX")
        self.SENDGRID_HOST = env.get("TALENTMATCH_SENDGRID_HOST", "https://api.sendgrid.com")
        self.SENDGRID_TIMEOUT = float(env.get("TALENTMATCH_SENDGRID_TIMEOUT", "10"))
        # Notification worker: claim size, lease, retries with capped exponential backoff.
        self.NOTIFY_BATCH = int(env.get("TALENTMATCH_NOTIFY_BATCH", "500"))
        self.NOTIFY_LEASE_SECONDS = float(env.get("TALENTMATCH_NOTIFY_LEASE_SECONDS", "60"))
        self.NOTIFY_MAX_ATTEMPTS = int(env.get("TALENTMATCH_NOTIFY_MAX_ATTEMPTS", "8"))
        self.NOTIFY_BACKOFF_BASE = float(env.get("TALENTMATCH_NOTIFY_BACKOFF_BASE", "30"))
        self.NOTIFY_BACKOFF_CAP = float(env.get("TALENTMATCH_NOTIFY_BACKOFF_CAP", "3600"))
        self.REDIS_URL = env.get("TALENTMATCH_REDIS_URL", "")
        self.PROXY_HOPS = int(env.get("TALENTMATCH_PROXY_HOPS", "0"))
        self.DEBUG = _bool("TALENTMATCH_DEBUG")
        production = self.ENV_NAME == "production"
        self.SESSION_COOKIE_SECURE = production or _bool("TALENTMATCH_SECURE_COOKIES")
        self.HSTS = production or _bool("TALENTMATCH_HSTS")
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_NAME = "tm_session"
        self.REMEMBER_COOKIE_DURATION = 0
        # Idle and absolute session timeouts (README documents them).
        self.SESSION_IDLE_MINUTES = int(env.get("TALENTMATCH_SESSION_IDLE_MINUTES", "60"))
        self.SESSION_ABSOLUTE_HOURS = int(env.get("TALENTMATCH_SESSION_ABSOLUTE_HOURS", "12"))
        self.MAX_CONTENT_LENGTH = 4 * 1024 * 1024
        self.WTF_CSRF_TIME_LIMIT = None
        self.BABEL_DEFAULT_LOCALE = "ja"
        self.BABEL_DEFAULT_TIMEZONE = ZONE_NAME
        self.BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "translations")
        self.RATELIMIT_STORAGE_URI = self.REDIS_URL or "memory://"
        self.RATELIMIT_HEADERS_ENABLED = False
        self.LOGIN_LIMIT_PER_CLIENT = env.get("TALENTMATCH_LOGIN_LIMIT_PER_CLIENT", "30 per 10 minutes")
        self.LOGIN_LIMIT_PER_ACCOUNT = env.get("TALENTMATCH_LOGIN_LIMIT_PER_ACCOUNT", "5 per 10 minutes")
        self.INVITATION_MAX_AGE = 7 * 24 * 3600
        self.RESET_MAX_AGE = 3600
        self.CONFIRM_MAX_AGE = 3 * 24 * 3600
        self.MFA_REQUIRED = True
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        # The public listing rechecks which postings are public at most this often per process.
        self.LISTING_FRESHNESS_SECONDS = float(env.get("TALENTMATCH_LISTING_FRESHNESS_SECONDS", "1"))
        # How long shared caches (nginx, a CDN) keep public answers; publication shows within it.
        self.PUBLIC_CACHE_SECONDS = int(env.get("TALENTMATCH_PUBLIC_CACHE_SECONDS", "60"))
        self.TESTING = False

    @property
    def is_production(self) -> bool:
        return self.ENV_NAME == "production"

    def check(self) -> None:
        """Production refuses to start with DEBUG or a weak secret key (SECURITY.md 17)."""
        if not self.is_production:
            return
        if self.DEBUG:
            raise RuntimeError("TALENTMATCH_DEBUG must be off in production")
        if self.SECRET_KEY in WEAK_SECRETS or len(self.SECRET_KEY) < 32:
            raise RuntimeError("TALENTMATCH_SECRET_KEY must be set to 32+ random characters in production")


class TestingConfig(Config):
    def __init__(self, **overrides) -> None:
        super().__init__()
        self.TESTING = True
        self.SECRET_KEY = "testing-secret-key-that-is-long-enough-0123456789"  # noqa: S105 tests only
        self.SQLALCHEMY_DATABASE_URI = database_url(
            os.environ.get("TALENTMATCH_TEST_DATABASE_URL", "sqlite:///:memory:")
        )
        self.MAIL_BACKEND = "file"
        self.RATELIMIT_STORAGE_URI = "memory://"
        self.SERVER_NAME = None
        self.LISTING_FRESHNESS_SECONDS = 0  # tests publish and list at once
        # The suite checks the headers production sends on every response; a test checks that
        # development over plain HTTP sends no HSTS.
        self.HSTS = True
        for key, value in overrides.items():
            setattr(self, key, value)
