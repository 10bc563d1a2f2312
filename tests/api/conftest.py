"""API test fixtures live in tests/api/fixtures.py, shared with tests/observations."""

from tests.api.fixtures import _session_app, field  # noqa: F401
