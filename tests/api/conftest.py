"""API test fixtures live in tests/api/fixtures.py, shared with tests/observations."""

from tests.api.fixtures import field  # noqa: F401
