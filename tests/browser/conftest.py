"""Browser fixtures live in tests/conftest.py so every package shares one Chromium."""
