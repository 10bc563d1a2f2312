"""Login limits per account, beside the per-address ones on the login views.

Per address alone, a whole mission behind one address is locked out by one attacker, and an
attacker with many addresses is not slowed at all. Counting the attempts on each submitted
username as well slows a spray from many addresses, and a login that succeeds from another
address still works while the attacker's address is blocked, as long as the account limit is
above the per-address one.
"""

from flask import current_app, request

from observer_suite.extensions import limiter

DEFAULT_ACCOUNT_LIMIT = "30 per 10 minutes"
MAX_USERNAME = 80


def _account_limit() -> str:
    return current_app.config.get("LOGIN_ACCOUNT_RATE_LIMIT") or DEFAULT_ACCOUNT_LIMIT


def submitted_username() -> str:
    """The username of a login form or a JSON credentials body, folded so that "Alice" and
    "alice" count together; "" when there is none."""
    name = request.form.get("username")
    if name is None and request.is_json:
        body = request.get_json(silent=True)
        name = body.get("username") if isinstance(body, dict) else None
    if not isinstance(name, str):
        return ""
    return name.strip().casefold()[:MAX_USERNAME]


def _account_key() -> str:
    return "account:" + submitted_username()


# One shared scope, so a view that takes credentials (the login page, the API's token
# endpoint) counts against the same per-account budget.
per_account = limiter.shared_limit(
    _account_limit, scope="login-account", key_func=_account_key, methods=["POST"]
)
