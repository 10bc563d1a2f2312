"""The signed-in user, typed for the type checker.

Flask-Login types `current_user` as `LocalProxy[Any | None]`. The code reads it only in
requests that passed login_required, a permission check or an `is_authenticated` test, so it
stands for a User there; this module says so once instead of at every call.
"""

from typing import cast

from flask_login import current_user as _current_user

from observer_suite.models.users import User

# The same proxy object, re-exported with the type it has where the code uses it.
current_user = cast(User, _current_user)


def signed_in_user() -> User:
    """The User object behind the proxy (for code that keeps it beyond the request)."""
    return cast(User, _current_user._get_current_object())
