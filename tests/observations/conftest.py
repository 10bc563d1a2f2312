"""Review-page fixtures: the same mission and app as the API tests."""

from tests.api.fixtures import field  # noqa: F401
