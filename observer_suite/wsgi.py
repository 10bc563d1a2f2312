"""The WSGI application gunicorn serves (`observer_suite.wsgi:app`, see deploy/gunicorn.conf.py).

Configured from the environment (observer_suite.config); built once at import, so with
gunicorn's `preload_app` the master builds it and every worker starts as a fork, ready.
"""

from observer_suite import create_app

app = create_app()
