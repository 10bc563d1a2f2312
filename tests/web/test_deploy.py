"""deploy/ stays in step with the app: gunicorn can load its settings and the app, and nginx
refuses a body exactly where the app would."""

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

DEPLOY = REPO / "deploy"


def test_gunicorn_settings_load_the_app(tmp_path):
    env = {
        **os.environ,
        "SECRET_KEY": "x",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'check.sqlite3'}",
    }
    env.pop("RUNTIME_DIRECTORY", None)
    command = [sys.executable, "-m", "gunicorn", "--check-config", "--print-config"]
    result = subprocess.run(
        [*command, "-c", str(DEPLOY / "gunicorn.conf.py")],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    settings = dict(re.findall(r"^(\w+)\s+= (.*)$", result.stdout, re.M))
    assert settings["wsgi_app"] == "observer_suite.wsgi:app"
    assert settings["preload_app"] == "True"
    assert settings["worker_class"] == "gthread"


def test_the_unit_kills_the_whole_group_and_restarts():
    unit = (DEPLOY / "observer-suite.service").read_text()
    assert re.search(r"^KillMode=(control-group|mixed)$", unit, re.M)
    assert re.search(r"^Restart=on-failure$", unit, re.M)
    assert "EnvironmentFile=" in unit and "gunicorn.conf.py" in unit


def test_nginx_buffers_bodies_up_to_the_apps_upload_limit(monkeypatch):
    from observer_suite.config import from_environment

    monkeypatch.delenv("MAX_UPLOAD_MB", raising=False)
    monkeypatch.setenv("SECRET_KEY", "x")
    limit_mb = from_environment(Path("unused"))["MAX_CONTENT_LENGTH"] // (1024 * 1024)
    site = (DEPLOY / "nginx-observer-suite.conf").read_text()
    directives = dict(re.findall(r"^\s*(\w+)\s+([^;#\n]+);", site, re.M))
    assert directives["client_max_body_size"] == f"{limit_mb}m"
    assert directives["proxy_request_buffering"] == "on"
    assert directives["proxy_buffering"] == "on"
    assert "X-Forwarded-For $remote_addr" in site and "X-Forwarded-Proto $scheme" in site
    env = (DEPLOY / "observer-suite.env.example").read_text()
    assert re.search(r"^TRUSTED_PROXIES=1$", env, re.M)
    assert re.search(rf"^MAX_UPLOAD_MB={limit_mb}$", env, re.M)
