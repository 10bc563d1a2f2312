"""Settings read from the environment, so one build runs on a laptop and on a real mission."""

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


DEFAULT_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"  # "none" turns tiles off


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def normalise_database_url(url: str) -> str:
    """Accept Heroku-style `postgres://` URLs and point plain PostgreSQL URLs at psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def default_database_url(instance_path: Path) -> str:
    return f"sqlite:///{instance_path / 'observer_suite.sqlite3'}"


def from_environment(instance_path: Path) -> dict:
    """Build the Flask config mapping; every key can be overridden by create_app(config=...)."""
    secret = os.environ.get("SECRET_KEY")
    if not secret:
        secret_file = instance_path / "secret_key"
        if secret_file.exists():
            secret = secret_file.read_text().strip()
        else:
            secret = secrets.token_hex(32)
            instance_path.mkdir(parents=True, exist_ok=True)
            secret_file.write_text(secret)
            secret_file.chmod(0o600)
    return {
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(
            os.environ.get("DATABASE_URL") or default_database_url(instance_path)
        ),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        # Per submitted username, from any address; above the per-address limit, so a
        # correct password from elsewhere still works while one address is blocked.
        "LOGIN_ACCOUNT_RATE_LIMIT": os.environ.get("LOGIN_ACCOUNT_RATE_LIMIT", "30 per 10 minutes"),
        # How many proxies in front of the app set X-Forwarded-For (0: the header is ignored).
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0") or 0),
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", True),
        "REMEMBER_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", True),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_UPLOAD_MB", "50")) * 1024 * 1024,
        "MAP_TILE_URL": os.environ.get("MAP_TILE_URL", DEFAULT_TILES),
        "WTF_CSRF_TIME_LIMIT": None,
        "API_TOKEN_DAYS": int(os.environ.get("API_TOKEN_DAYS", "30")),
        "API_TOKEN_CACHE_SECONDS": float(os.environ.get("API_TOKEN_CACHE_SECONDS", "5")),
        "DASHBOARD_REFRESH_SECONDS": float(os.environ.get("DASHBOARD_REFRESH_SECONDS", "30")),
        "INCIDENT_MAX_PHOTOS": int(os.environ.get("INCIDENT_MAX_PHOTOS", "3")),
        "INCIDENT_PHOTO_MAX_MB": float(os.environ.get("INCIDENT_PHOTO_MAX_MB", "5")),
        # Rows a workbook may have (it unpacks to far more than was uploaded); CSV has no cap.
        "IMPORT_MAX_ROWS": int(os.environ.get("IMPORT_MAX_ROWS", "500000")),
    }
