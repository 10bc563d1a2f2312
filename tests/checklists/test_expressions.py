"""One table of vectors, two evaluators: Python here, JavaScript under Node."""

import json
import math
import shutil
import subprocess
from pathlib import Path

import pytest

from observer_suite.checklists import expressions
from observer_suite.checklists.expressions import ExpressionError, evaluate, parse, references

HERE = Path(__file__).resolve().parent
VECTORS_FILE = HERE / "expression_vectors.json"
JS_FILE = HERE.parents[1] / "static" / "js" / "expressions.js"
VECTORS = json.loads(VECTORS_FILE.read_text(encoding="utf-8"))["vectors"]


def _id(vector: dict) -> str:
    return vector["expr"][:40] or "(empty)"


def _canon(value):
    if isinstance(value, float) and not math.isfinite(value):
        name = "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
        return {"number": name}
    return value


def _python_result(vector: dict) -> dict:
    try:
        if "references" in vector:
            return {"references": sorted(references(vector["expr"]))}
        answers, current = vector.get("answers", {}), vector.get("current")
        value = evaluate(vector["expr"], answers, current, vector.get("definition"))
        return {"value": _canon(value)}
    except ExpressionError as exc:
        return {"error": exc.position, "message": str(exc)}


def _assert_matches(vector: dict, got: dict) -> None:
    if "error" in vector:
        assert got.get("error") == vector["error"], (vector, got)
    elif "references" in vector:
        assert got.get("references") == vector["references"], (vector, got)
    else:
        assert "value" in got, (vector, got)
        expected, value = vector["expected"], got["value"]
        assert type(value) is bool if isinstance(expected, bool) else not isinstance(value, bool)
        if isinstance(expected, int | float) and not isinstance(expected, bool):
            assert isinstance(value, int | float) and value == expected, (vector, got)
        else:
            assert value == expected, (vector, got)


def test_table_is_large_and_covers_errors():
    assert len(VECTORS) >= 80
    assert sum("error" in v for v in VECTORS) >= 15
    assert all(("expected" in v) + ("error" in v) + ("references" in v) == 1 for v in VECTORS)


@pytest.mark.parametrize("vector", VECTORS, ids=_id)
def test_python_evaluator(vector):
    _assert_matches(vector, _python_result(vector))


def test_javascript_evaluator_agrees():
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    run = subprocess.run(
        [node, str(HERE / "run_vectors.js"), str(VECTORS_FILE), str(JS_FILE)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    results = json.loads(run.stdout)
    assert len(results) == len(VECTORS)
    failures = []
    for vector, got in zip(VECTORS, results, strict=True):
        try:
            _assert_matches(vector, got)
        except AssertionError:
            failures.append((vector["expr"], vector.get("expected", vector.get("error")), got))
    assert not failures, failures


def test_loads_as_a_classic_browser_script():
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    script = (
        "const vm = require('vm'); const fs = require('fs');"
        "const window = {}; vm.runInNewContext(fs.readFileSync(process.argv[1], 'utf8'),"
        " {window, Map, Set, BigInt});"
        "const e = window.ObserverExpressions;"
        "process.stdout.write(JSON.stringify([e.evaluate(\"${a} = 'yes'\", {a: 'yes'}),"
        " [...e.references('${a} + ${b}')], typeof e.parse]));"
    )
    run = subprocess.run(
        [node, "-e", script, str(JS_FILE)], capture_output=True, text=True, timeout=30, check=True
    )
    assert json.loads(run.stdout) == [True, ["a", "b"], "function"]


def test_parse_is_cached_and_errors_carry_a_position():
    assert parse("${a} = 1") is parse("${a} = 1")
    with pytest.raises(ExpressionError) as caught:
        parse("${a} = ‘x’")
    assert caught.value.position == 7
    assert "straight quotes" in str(caught.value)
    assert "at character 8" in str(caught.value)


def test_deep_nesting_is_an_error_not_a_crash():
    with pytest.raises(ExpressionError):
        parse("(" * 500 + "1" + ")" * 500)
    with pytest.raises(ExpressionError):
        parse("-" * 500 + "1")
    with pytest.raises(ExpressionError):
        parse("1 + " * 600 + "1")  # too long
    assert evaluate(" + ".join(["1"] * 400), {}) == 400


def test_same_function_table_in_both_evaluators():
    source = JS_FILE.read_text(encoding="utf-8")
    for name in expressions.FUNCTIONS:
        assert f'"{name}"' in source or f" {name}:" in source, name
