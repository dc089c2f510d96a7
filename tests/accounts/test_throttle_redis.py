"""Login limits live in Redis when it is configured, so every gunicorn process shares them
(SECURITY.md 3). Runs when TALENTMATCH_TEST_REDIS_URL is set."""

import os
import secrets

import pytest

REDIS_URL = os.environ.get("TALENTMATCH_TEST_REDIS_URL", "")
pytestmark = pytest.mark.skipif(not REDIS_URL, reason="needs Redis (TALENTMATCH_TEST_REDIS_URL)")


def test_login_limits_are_shared_through_redis(app, database_uri, tmp_path):
    import redis

    from talentmatch.app import create_app
    from talentmatch.config import TestingConfig

    prefix = f"tm-test-{secrets.token_hex(4)}"

    def make_app():
        cfg = TestingConfig(SQLALCHEMY_DATABASE_URI=database_uri, MAIL_DIR=str(tmp_path), WTF_CSRF_ENABLED=False,
                            RATELIMIT_STORAGE_URI=REDIS_URL, RATELIMIT_KEY_PREFIX=prefix)
        return create_app(cfg)

    # Two app instances stand for two gunicorn processes: attempts in one count in the other.
    from talentmatch.extensions import limiter

    first, second = make_app(), make_app()
    email = f"{prefix}@example.jp"
    try:
        for _ in range(3):
            assert first.test_client().post("/login", data={"email": email, "password": "wrong one!"}).status_code == 200
        codes = [second.test_client().post("/login", data={"email": email, "password": "wrong one!"}).status_code
                 for _ in range(3)]
    finally:
        limiter.init_app(app)  # the session's app goes back to its own (memory) storage
    assert codes[:2] == [200, 200] and codes[2] == 429
    client = redis.Redis.from_url(REDIS_URL)
    keys = client.keys(f"*{prefix}*")
    assert keys, "the limiter should have written its counters to Redis"
    client.delete(*keys)
