"""The tablet's skip logic and validation (static/tablet/logic.js), run under Node."""

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO


def test_skip_logic_and_validation_cases():
    node = shutil.which("node")
    if node is None or not (REPO / "static" / "js" / "expressions.js").exists():
        pytest.skip("needs Node and static/js/expressions.js")
    script = Path(__file__).with_name("logic_cases.mjs")
    result = subprocess.run(
        [node, str(script), str(REPO)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
