"""Login limits are shared across workers when they use one Redis store."""

import uuid

import pytest

from observer_suite import create_app
from tests.conftest import CSRF_RE, make_test_config

REDIS = "redis://127.0.0.1:6379/15"


def _redis_up() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
    except Exception:
        return False
    return True


@pytest.mark.skipif(not _redis_up(), reason="no Redis at 127.0.0.1:6379")
def test_two_workers_share_the_login_limit(database_url):
    config = make_test_config(database_url)
    config["RATELIMIT_STORAGE_URI"] = REDIS
    config["RATELIMIT_KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    config["LOGIN_RATE_LIMIT"] = "3 per minute"
    workers = [create_app(config).test_client() for _ in range(2)]
    statuses = []
    for attempt in range(4):
        client = workers[attempt % 2]  # alternate, as a load balancer would
        token = CSRF_RE.search(client.get("/login").get_data(as_text=True)).group(1)
        statuses.append(
            client.post(
                "/login",
                data={"username": "nobody", "password": "wrong-password", "csrf_token": token},
            ).status_code
        )
    assert statuses == [401, 401, 401, 429]
