"""Starting the app loads only what serving pages needs: OR-Tools waits for a plan."""

import json
import os
import subprocess
import sys

from tests.conftest import REPO

PROBE = """
import json, sys
from observer_suite import create_app
create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})
print(json.dumps(sorted(name for name in sys.modules if name.split(".")[0] in %r)))
"""
HEAVY = ("ortools",)  # ~0.2 s at every worker start; only plan generation uses it


def test_create_app_does_not_import_the_solver():
    env = {**os.environ, "SECRET_KEY": "x", "DATABASE_URL": "sqlite://"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE % (HEAVY,)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
