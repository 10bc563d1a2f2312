"""The password policy, one check for every place that sets a password (CLI, web, demo).

The common-password list is the one zxcvbn ships (its frequency list of leaked passwords), so
the project keeps no word list of its own.
"""

from functools import lru_cache

MIN_LENGTH = 10


@lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    """Loaded on first use: the list is about 30,000 words and most processes never set a
    password."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(word.casefold() for word in FREQUENCY_LISTS["passwords"])


def is_common(password: str) -> bool:
    return password.casefold() in _common()


def problem(password: str, username: str = "") -> str | None:
    """Why `password` may not be used by `username`, as a sentence; None when it may.

    The username is public, so it adds nothing secret: what is left once it is taken out
    must still be long enough. That refuses the username itself and the username with a few
    characters around it, and accepts a long passphrase that happens to contain it."""
    if len(password) < MIN_LENGTH:
        return f"must be at least {MIN_LENGTH} characters"
    name = username.strip().casefold()
    if name and len(password.casefold().replace(name, "")) < MIN_LENGTH:
        if password.casefold() == name:
            return "must not be the username"
        return f"must be at least {MIN_LENGTH} characters besides the username"
    if is_common(password):
        return "is on a list of commonly used passwords: choose another"
    return None
