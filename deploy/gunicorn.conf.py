"""gunicorn settings for Observer Suite behind nginx (deploy/nginx-observer-suite.conf).

    gunicorn -c deploy/gunicorn.conf.py          # the app is wsgi_app below

Every value can be changed from the environment file of the systemd unit
(deploy/observer-suite.env.example) without editing this file.
"""

import multiprocessing
import os
import sys


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


wsgi_app = "observer_suite.wsgi:app"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")  # nginx is the only client
backlog = 256

# Threads, not one process per request: a request waiting on PostgreSQL leaves its
# worker's other threads serving. nginx reads whole request bodies and whole responses
# (buffering), so a slow tablet on a bad network never holds a thread.
worker_class = "gthread"
workers = _int("GUNICORN_WORKERS", max(2, multiprocessing.cpu_count()))
threads = _int("GUNICORN_THREADS", 4)

# The master imports and builds the app once; workers are forks of it and answer at once,
# after a restart and when one is replaced (max_requests, a timeout). The app opens no
# connection while it is built; post_fork below makes sure none is shared anyway.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"

# A worker whose main loop has not checked in for `timeout` seconds is killed and replaced.
# With gthread a long request (an import, a PDF) runs in a thread and does not trip it:
# nginx's proxy_read_timeout bounds a request instead.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)  # the unit's TimeoutStopSec is above
keepalive = 5  # nginx keeps upstream connections open (its upstream keepalive)
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = 500  # workers are not all replaced at the same moment
# The heartbeat file on tmpfs, so a slow disk never looks like a hung worker.
worker_tmp_dir = "/dev/shm"  # noqa: S108 - gunicorn makes its own file there (mkstemp)

# X-Forwarded-Proto is believed from nginx on this host only (https URLs, secure cookies);
# X-Forwarded-For is the app's business (TRUSTED_PROXIES=1).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The control socket (gunicornc) in the unit's RuntimeDirectory, not under $HOME.
if os.environ.get("RUNTIME_DIRECTORY"):
    control_socket = os.path.join(os.environ["RUNTIME_DIRECTORY"], "gunicorn.ctl")

# To the journal, through stdout/stderr; GUNICORN_ACCESS_LOG= (empty) turns access lines off.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "observer-suite"


def post_fork(server, worker):
    """A worker must not share a database connection its master opened: drop any pooled one
    (without closing it, which would close it for the master too)."""
    module = sys.modules.get("observer_suite.wsgi")
    if module is None:
        return
    from observer_suite.extensions import db

    with module.app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)
