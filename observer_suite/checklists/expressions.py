"""The expression language of relevant / constraint / checks: an XPath 1.0 subset over a dict.

Hand-written on purpose: XPath libraries (lxml, elementpath) evaluate over an XML document and
pyxform only checks references, while here answers are a plain dict and the tablet must agree
to the last detail. static/js/expressions.js is the same tokenizer, parser and evaluator line
for line; tests/checklists/expression_vectors.json runs both against one table.

Values are bool, float or str, as in XPath 1.0. An answer is read as: missing/None → "",
number → float, list (select_multiple) → its names joined by spaces, str → str.
"""

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from observer_suite.errors import ServiceError

WS = " \t\r\n"  # XPath whitespace; str.split() would also split on Unicode spaces
NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")  # what ${…} may hold
WORD_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")  # function names and and/or/div/mod
NUMBER_RE = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")
NUMERIC_RE = re.compile(r"[ \t\r\n]*-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[ \t\r\n]*")
SPLIT_RE = re.compile(r"[ \t\r\n]+")
MAX_LENGTH = 2000
MAX_DEPTH = 40

BINARY = {
    "or": 1, "and": 2, "=": 3, "!=": 3, "<": 4, "<=": 4, ">": 4, ">=": 4,
    "+": 5, "-": 5, "*": 6, "div": 6, "mod": 6,
}  # fmt: skip
WORD_OPERATORS = {"or", "and", "div", "mod"}
# name: (fewest, most) arguments; None = any number
FUNCTIONS = {
    "not": (1, 1), "true": (0, 0), "false": (0, 0), "boolean": (1, 1), "number": (1, 1),
    "string": (1, 1), "selected": (2, 2), "count-selected": (1, 1), "if": (3, 3),
    "coalesce": (2, 2), "concat": (1, None), "contains": (2, 2), "starts-with": (2, 2),
    "string-length": (1, 1), "int": (1, 1), "round": (1, 1),
}  # fmt: skip
NUMERIC_TYPES = {"integer", "decimal"}
NO_NAMES: frozenset = frozenset()  # no question's text answers are read as numbers


class ExpressionError(ServiceError):
    """A syntax error; `position` is the 0-based character offset of the offending token."""

    def __init__(self, message: str, position: int):
        super().__init__(f"{message} at character {position + 1}")
        self.position = position


@dataclass(frozen=True, slots=True)
class Node:
    op: str  # num str ref cur neg call, or a binary operator from BINARY
    value: Any = None  # the number, string, question name or function name, by op
    args: tuple = ()
    pos: int = 0


# ---------------------------------------------------------------- tokenizer


def _tokens(text: str) -> list[tuple[str, Any, int]]:
    out, i, n = [], 0, len(text)
    while True:
        while i < n and text[i] in WS:
            i += 1
        if i >= n:
            out.append(("end", None, n))
            return out
        c = text[i]
        nxt = text[i + 1] if i + 1 < n else ""
        if c == "$" and nxt == "{":
            m = NAME_RE.match(text, i + 2)
            if not m or text[m.end() : m.end() + 1] != "}":
                raise ExpressionError("expected a question name in ${…}", i)
            out.append(("ref", m.group(), i))
            i = m.end() + 1
        elif c in "0123456789" or (c == "." and nxt in "0123456789" and nxt):
            m = NUMBER_RE.match(text, i)
            assert m is not None  # the character class above starts a number
            out.append(("num", float(m.group()), i))
            i = m.end()
        elif c == ".":
            if nxt == ".":
                raise ExpressionError("'..' (parent) is not supported", i)
            out.append(("cur", None, i))
            i += 1
        elif c in "'\"":
            end = text.find(c, i + 1)
            if end < 0:
                raise ExpressionError("unterminated string", i)
            out.append(("str", text[i + 1 : end], i))
            i = end + 1
        elif text.startswith(("!=", "<=", ">="), i):
            out.append(("op", text[i : i + 2], i))
            i += 2
        elif c in "=<>+-*(),":
            out.append(("op", c, i))
            i += 1
        elif m := WORD_RE.match(text, i):
            out.append(("word", m.group(), i))
            i = m.end()
        else:
            hint = " (use straight quotes ' or \")" if c in "‘’“”" else ""
            raise ExpressionError(f'unexpected character "{c}"{hint}', i)


# ---------------------------------------------------------------- parser


class _Parser:
    def __init__(self, text: str):
        self.tokens = _tokens(text)
        self.i = 0

    def peek(self):
        return self.tokens[self.i]

    def take(self):
        token = self.tokens[self.i]
        self.i += 1
        return token

    def expect(self, symbol: str):
        kind, value, pos = self.take()
        if kind != "op" or value != symbol:
            raise ExpressionError(f"expected '{symbol}'", pos)

    def binary(self, min_prec: int, depth: int) -> Node:
        left = self.unary(depth)
        while True:
            kind, value, pos = self.peek()
            op = value if kind == "op" or (kind == "word" and value in WORD_OPERATORS) else None
            if op not in BINARY or BINARY[op] < min_prec:
                return left
            self.take()
            right = self.binary(BINARY[op] + 1, depth)
            left = Node(op, None, (left, right), pos)

    def unary(self, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise ExpressionError("expression is nested too deeply", self.peek()[2])
        kind, value, pos = self.peek()
        if kind == "op" and value == "-":
            self.take()
            return Node("neg", None, (self.unary(depth + 1),), pos)
        return self.primary(depth)

    def primary(self, depth: int) -> Node:
        kind, value, pos = self.take()
        if kind in ("num", "str", "ref"):
            return Node(kind, value, (), pos)
        if kind == "cur":
            return Node("cur", None, (), pos)
        if kind == "op" and value == "(":
            inner = self.binary(0, depth + 1)
            self.expect(")")
            return inner
        if kind == "word":
            after = self.peek()
            if after[0] == "op" and after[1] == "(" and value not in WORD_OPERATORS:
                return self.call(value, pos, depth)
            if value in WORD_OPERATORS:
                raise ExpressionError(f"unexpected '{value}'", pos)
            raise ExpressionError(f"unknown name '{value}' (refer to answers as ${{name}})", pos)
        if kind == "end":
            raise ExpressionError("unexpected end of expression", pos)
        raise ExpressionError(f"unexpected '{value}'", pos)

    def call(self, name: str, pos: int, depth: int) -> Node:
        if name not in FUNCTIONS:
            raise ExpressionError(f"unknown function {name}()", pos)
        self.expect("(")
        args = []
        if not (self.peek()[0] == "op" and self.peek()[1] == ")"):
            args.append(self.binary(0, depth + 1))
            while self.peek()[0] == "op" and self.peek()[1] == ",":
                self.take()
                args.append(self.binary(0, depth + 1))
        self.expect(")")
        low, high = FUNCTIONS[name]
        if len(args) < low or (high is not None and len(args) > high):
            wanted = str(low) if low == high else f"at least {low}"
            raise ExpressionError(f"{name}() takes {wanted} argument(s), not {len(args)}", pos)
        return Node("call", name, tuple(args), pos)


@lru_cache(maxsize=4096)
def _parse(text: str) -> Node:
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"expression is longer than {MAX_LENGTH} characters", MAX_LENGTH)
    parser = _Parser(text)
    if parser.peek()[0] == "end":
        raise ExpressionError("empty expression", 0)
    node = parser.binary(0, 0)
    kind, value, pos = parser.peek()
    if kind != "end":
        raise ExpressionError(f"unexpected '{value}'", pos)
    return node


def parse(expr: object) -> Node:
    """The AST of `expr` (cached); raises ExpressionError(message, position)."""
    if not isinstance(expr, str):
        raise ExpressionError("an expression must be text", 0)
    return _parse(expr)


def _walk(node: Node):
    yield node
    for arg in node.args:
        yield from _walk(arg)


def references(expr: "str | Node") -> set[str]:
    """The question names an expression reads through ${name}."""
    node = parse(expr) if isinstance(expr, str) else expr
    return {n.value for n in _walk(node) if n.op == "ref"}


def uses_current(expr: "str | Node") -> bool:
    """Whether the expression reads '.', which only a question's own constraint has."""
    node = parse(expr) if isinstance(expr, str) else expr
    return any(n.op == "cur" for n in _walk(node))


# ---------------------------------------------------------------- values


def value_of(answer) -> bool | float | str:
    """An answer as an expression value (see the module docstring)."""
    if answer is None:
        return ""
    if isinstance(answer, bool):
        return answer
    if isinstance(answer, int | float):
        return float(answer)
    if isinstance(answer, str):
        return answer
    if isinstance(answer, list | tuple):
        return " ".join(to_string(value_of(item)) for item in answer)
    return ""


def to_number(value) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    if NUMERIC_RE.fullmatch(value):
        return float(value.strip(WS))
    return math.nan


def to_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return value != 0 and not math.isnan(value)
    return value != ""


def to_string(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == int(value):
        return str(int(value))
    return format(Decimal(repr(value)), "f")  # shortest digits, never an exponent


def _tokens_of(value) -> list[str]:
    return [part for part in SPLIT_RE.split(to_string(value)) if part]


# ---------------------------------------------------------------- evaluator


def evaluate(expr, answers: dict, current=None, definition: dict | None = None):
    """Evaluate `expr` (text or AST) over `answers`; '.' is `current`. With `definition`,
    answers to integer/decimal questions given as text are read as numbers."""
    run = compiled(expr) if isinstance(expr, str) else _compile(expr)
    numeric = numeric_names(definition) if definition else NO_NAMES
    return run(answers or {}, value_of(current), numeric)


def numeric_names(definition: dict) -> frozenset:
    """The integer and decimal questions, whose text answers evaluate() reads as numbers."""
    questions = definition.get("questions", [])
    return frozenset(q.get("name") for q in questions if q.get("type") in NUMERIC_TYPES)


@lru_cache(maxsize=4096)
def compiled(expr: str):
    """`expr` as a function (answers, current value, numeric names) -> value, built once:
    walking the tree for every answer of every submission cost more than the rest of the
    checks together. Raises ExpressionError as parse() does."""
    return _compile(parse(expr))


def _compile(node: Node):
    """A closure per node, with the operator chosen now rather than on every call. The
    operators have no side effects, so `and`, `or` and if() may skip the unused side."""
    op, value = node.op, node.value
    if op in ("num", "str"):
        return lambda answers, current, numeric: value
    if op == "ref":
        return lambda answers, current, numeric: _lookup(value, answers, numeric)
    if op == "cur":
        return lambda answers, current, numeric: current
    args = [_compile(arg) for arg in node.args]
    if op == "neg":
        (inner,) = args
        return lambda answers, current, numeric: -to_number(inner(answers, current, numeric))
    if op == "call":
        return _compile_call(value, args)
    left, right = args
    if op == "or":
        return lambda a, c, n: to_bool(left(a, c, n)) or to_bool(right(a, c, n))
    if op == "and":
        return lambda a, c, n: to_bool(left(a, c, n)) and to_bool(right(a, c, n))
    if op == "=":
        return lambda a, c, n: _equals(left(a, c, n), right(a, c, n))
    if op == "!=":
        return lambda a, c, n: not _equals(left(a, c, n), right(a, c, n))
    if op in ("<", "<=", ">", ">="):
        return lambda a, c, n: _compare(op, left(a, c, n), right(a, c, n))
    return lambda a, c, n: _arithmetic(op, to_number(left(a, c, n)), to_number(right(a, c, n)))


def _compile_call(name: str, args: list):
    if name == "if":
        test, then, otherwise = args
        return lambda a, c, n: then(a, c, n) if to_bool(test(a, c, n)) else otherwise(a, c, n)
    if name == "not":
        (inner,) = args
        return lambda a, c, n: not to_bool(inner(a, c, n))
    return lambda a, c, n: _call(name, [arg(a, c, n) for arg in args])


def _lookup(name: str, answers: dict, numeric):
    raw = answers.get(name)
    if name in numeric and isinstance(raw, str) and raw.strip(WS):
        return to_number(raw)
    return value_of(raw)


def _equals(a, b) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return to_bool(a) == to_bool(b)
    if isinstance(a, float) or isinstance(b, float):
        return to_number(a) == to_number(b)
    return a == b


def _compare(op: str, a, b) -> bool:
    """Numbers as in XPath 1.0; two non-empty, non-numeric strings (times 'HH:MM', dates
    'YYYY-MM-DD') compare as strings, by code point, so departure > arrival works."""
    if (
        isinstance(a, str)
        and isinstance(b, str)
        and a
        and b
        and math.isnan(to_number(a))
        and math.isnan(to_number(b))
    ):
        return _ordered(op, a, b)
    return _ordered(op, to_number(a), to_number(b))


def _ordered(op: str, x, y) -> bool:
    """x op y for two strings or two numbers (never one of each: _compare decides)."""
    if op == "<":
        return x < y
    if op == "<=":
        return x <= y
    if op == ">":
        return x > y
    return x >= y


def _arithmetic(op: str, x: float, y: float) -> float:
    if op == "+":
        return x + y
    if op == "-":
        return x - y
    if op == "*":
        return x * y
    if op == "div":
        if y == 0:
            if x == 0 or math.isnan(x):
                return math.nan
            return math.copysign(math.inf, x) * math.copysign(1.0, y)
        return x / y
    try:  # mod: the remainder takes the dividend's sign, as JavaScript's %
        return math.fmod(x, y)
    except ValueError:
        return math.nan


def _call(name: str, args: list):
    if name == "not":
        return not to_bool(args[0])
    if name in ("true", "false"):
        return name == "true"
    if name == "boolean":
        return to_bool(args[0])
    if name == "number":
        return to_number(args[0])
    if name == "string":
        return to_string(args[0])
    if name == "selected":
        return to_string(args[1]).strip(WS) in _tokens_of(args[0])
    if name == "count-selected":
        return float(len(_tokens_of(args[0])))
    if name == "if":
        return args[1] if to_bool(args[0]) else args[2]
    if name in _STRING_FUNCTIONS:
        return _call_string(name, args)
    return _call_rounding(name, args)


_STRING_FUNCTIONS = frozenset({"coalesce", "concat", "contains", "starts-with", "string-length"})


def _call_string(name: str, args: list):
    if name == "coalesce":
        return args[0] if to_string(args[0]) != "" else args[1]
    if name == "concat":
        return "".join(to_string(arg) for arg in args)
    if name == "contains":
        return to_string(args[1]) in to_string(args[0])
    if name == "starts-with":
        return to_string(args[0]).startswith(to_string(args[1]))
    return float(len(to_string(args[0])))  # string-length


def _call_rounding(name: str, args: list):
    """int() and round(), the functions left once the others are matched."""
    number = to_number(args[0])
    if not math.isfinite(number):
        return number
    if name == "int":
        return float(math.trunc(number))
    return float(math.floor(number + 0.5))  # round(), XPath 1.0: halves go up
