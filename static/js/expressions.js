/* The expression language of relevant / constraint / checks, for the browser and Node.
 *
 * The same tokenizer, parser and evaluator as observer_suite/checklists/expressions.py, step
 * for step, so the tablet and the server always agree; tests/checklists/expression_vectors.json
 * runs both. A classic script (no build step, no dependencies): it sets
 * window.ObserverExpressions = {parse, evaluate, references, ...} and, under Node,
 * module.exports. Values are booleans, numbers and strings as in XPath 1.0; an answer reads as
 * "" when missing, its names joined by spaces when a list (select_multiple).
 */
(function (root) {
  "use strict";

  var WS = " \t\r\n";
  var NAME_RE = /[A-Za-z_][A-Za-z0-9_.-]*/y;
  var WORD_RE = /[A-Za-z_][A-Za-z0-9_-]*/y;
  var NUMBER_RE = /[0-9]+(?:\.[0-9]*)?|\.[0-9]+/y;
  var NUMERIC_RE = /^[ \t\r\n]*-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[ \t\r\n]*$/;
  var SPLIT_RE = /[ \t\r\n]+/;
  var DIGITS = "0123456789";
  var MAX_LENGTH = 2000;
  var MAX_DEPTH = 40;

  var BINARY = {
    or: 1, and: 2, "=": 3, "!=": 3, "<": 4, "<=": 4, ">": 4, ">=": 4,
    "+": 5, "-": 5, "*": 6, div: 6, mod: 6,
  };
  var WORD_OPERATORS = { or: true, and: true, div: true, mod: true };
  var FUNCTIONS = {
    not: [1, 1], true: [0, 0], false: [0, 0], boolean: [1, 1], number: [1, 1],
    string: [1, 1], selected: [2, 2], "count-selected": [1, 1], if: [3, 3],
    coalesce: [2, 2], concat: [1, null], contains: [2, 2], "starts-with": [2, 2],
    "string-length": [1, 1], int: [1, 1], round: [1, 1],
  };
  var NUMERIC_TYPES = { integer: true, decimal: true };

  function ExpressionError(message, position) {
    this.name = "ExpressionError";
    this.message = message + " at character " + (position + 1);
    this.reason = message;
    this.position = position;
  }
  ExpressionError.prototype = Object.create(Error.prototype);
  ExpressionError.prototype.constructor = ExpressionError;

  function has(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  function matchAt(re, text, i) {
    re.lastIndex = i;
    var m = re.exec(text);
    return m ? m[0] : null;
  }

  // ------------------------------------------------------------ tokenizer

  function tokenize(text) {
    var out = [];
    var i = 0;
    var n = text.length;
    for (;;) {
      while (i < n && WS.indexOf(text[i]) >= 0) i += 1;
      if (i >= n) {
        out.push(["end", null, n]);
        return out;
      }
      var c = text[i];
      var nxt = i + 1 < n ? text[i + 1] : "";
      var m;
      if (c === "$" && nxt === "{") {
        m = matchAt(NAME_RE, text, i + 2);
        if (m === null || text[i + 2 + m.length] !== "}") {
          throw new ExpressionError("expected a question name in ${…}", i);
        }
        out.push(["ref", m, i]);
        i += 2 + m.length + 1;
      } else if (DIGITS.indexOf(c) >= 0 || (c === "." && nxt !== "" && DIGITS.indexOf(nxt) >= 0)) {
        m = matchAt(NUMBER_RE, text, i);
        out.push(["num", Number(m), i]);
        i += m.length;
      } else if (c === ".") {
        if (nxt === ".") throw new ExpressionError("'..' (parent) is not supported", i);
        out.push(["cur", null, i]);
        i += 1;
      } else if (c === "'" || c === '"') {
        var end = text.indexOf(c, i + 1);
        if (end < 0) throw new ExpressionError("unterminated string", i);
        out.push(["str", text.slice(i + 1, end), i]);
        i = end + 1;
      } else if (["!=", "<=", ">="].indexOf(text.slice(i, i + 2)) >= 0) {
        out.push(["op", text.slice(i, i + 2), i]);
        i += 2;
      } else if ("=<>+-*(),".indexOf(c) >= 0) {
        out.push(["op", c, i]);
        i += 1;
      } else if ((m = matchAt(WORD_RE, text, i)) !== null) {
        out.push(["word", m, i]);
        i += m.length;
      } else {
        var hint = "‘’“”".indexOf(c) >= 0 ? " (use straight quotes ' or \")" : "";
        throw new ExpressionError('unexpected character "' + c + '"' + hint, i);
      }
    }
  }

  // ------------------------------------------------------------ parser

  function node(op, value, args, pos) {
    return { op: op, value: value, args: args, pos: pos };
  }

  function Parser(text) {
    this.tokens = tokenize(text);
    this.i = 0;
  }
  Parser.prototype.peek = function () {
    return this.tokens[this.i];
  };
  Parser.prototype.take = function () {
    var token = this.tokens[this.i];
    this.i += 1;
    return token;
  };
  Parser.prototype.isOp = function (symbol) {
    var t = this.peek();
    return t[0] === "op" && t[1] === symbol;
  };
  Parser.prototype.expect = function (symbol) {
    var t = this.take();
    if (t[0] !== "op" || t[1] !== symbol) throw new ExpressionError("expected '" + symbol + "'", t[2]);
  };
  Parser.prototype.binary = function (minPrec, depth) {
    var left = this.unary(depth);
    for (;;) {
      var t = this.peek();
      var op = t[0] === "op" || (t[0] === "word" && has(WORD_OPERATORS, t[1])) ? t[1] : null;
      if (op === null || !has(BINARY, op) || BINARY[op] < minPrec) return left;
      this.take();
      var right = this.binary(BINARY[op] + 1, depth);
      left = node(op, null, [left, right], t[2]);
    }
  };
  Parser.prototype.unary = function (depth) {
    if (depth > MAX_DEPTH) throw new ExpressionError("expression is nested too deeply", this.peek()[2]);
    var t = this.peek();
    if (t[0] === "op" && t[1] === "-") {
      this.take();
      return node("neg", null, [this.unary(depth + 1)], t[2]);
    }
    return this.primary(depth);
  };
  Parser.prototype.primary = function (depth) {
    var t = this.take();
    var kind = t[0];
    var value = t[1];
    var pos = t[2];
    if (kind === "num" || kind === "str" || kind === "ref") return node(kind, value, [], pos);
    if (kind === "cur") return node("cur", null, [], pos);
    if (kind === "op" && value === "(") {
      var inner = this.binary(0, depth + 1);
      this.expect(")");
      return inner;
    }
    if (kind === "word") {
      if (this.isOp("(") && !has(WORD_OPERATORS, value)) return this.call(value, pos, depth);
      if (has(WORD_OPERATORS, value)) throw new ExpressionError("unexpected '" + value + "'", pos);
      throw new ExpressionError("unknown name '" + value + "' (refer to answers as ${name})", pos);
    }
    if (kind === "end") throw new ExpressionError("unexpected end of expression", pos);
    throw new ExpressionError("unexpected '" + value + "'", pos);
  };
  Parser.prototype.call = function (name, pos, depth) {
    if (!has(FUNCTIONS, name)) throw new ExpressionError("unknown function " + name + "()", pos);
    this.expect("(");
    var args = [];
    if (!this.isOp(")")) {
      args.push(this.binary(0, depth + 1));
      while (this.isOp(",")) {
        this.take();
        args.push(this.binary(0, depth + 1));
      }
    }
    this.expect(")");
    var low = FUNCTIONS[name][0];
    var high = FUNCTIONS[name][1];
    if (args.length < low || (high !== null && args.length > high)) {
      var wanted = low === high ? String(low) : "at least " + low;
      throw new ExpressionError(
        name + "() takes " + wanted + " argument(s), not " + args.length, pos);
    }
    return node("call", name, args, pos);
  };

  var cache = new Map();

  function parse(expr) {
    if (typeof expr !== "string") throw new ExpressionError("an expression must be text", 0);
    if (cache.has(expr)) return cache.get(expr);
    if (expr.length > MAX_LENGTH) {
      throw new ExpressionError("expression is longer than " + MAX_LENGTH + " characters", MAX_LENGTH);
    }
    var parser = new Parser(expr);
    if (parser.peek()[0] === "end") throw new ExpressionError("empty expression", 0);
    var tree = parser.binary(0, 0);
    var t = parser.peek();
    if (t[0] !== "end") throw new ExpressionError("unexpected '" + t[1] + "'", t[2]);
    if (cache.size >= 4096) cache.clear();
    cache.set(expr, tree);
    return tree;
  }

  function walk(tree, visit) {
    visit(tree);
    for (var k = 0; k < tree.args.length; k += 1) walk(tree.args[k], visit);
  }

  function references(expr) {
    var tree = typeof expr === "string" ? parse(expr) : expr;
    var names = new Set();
    walk(tree, function (n) {
      if (n.op === "ref") names.add(n.value);
    });
    return names;
  }

  function usesCurrent(expr) {
    var tree = typeof expr === "string" ? parse(expr) : expr;
    var found = false;
    walk(tree, function (n) {
      if (n.op === "cur") found = true;
    });
    return found;
  }

  // ------------------------------------------------------------ values

  function valueOf(answer) {
    if (answer === null || answer === undefined) return "";
    if (typeof answer === "boolean" || typeof answer === "number" || typeof answer === "string") {
      return answer;
    }
    if (Array.isArray(answer)) {
      return answer.map(function (item) { return toString(valueOf(item)); }).join(" ");
    }
    return "";
  }

  function stripWS(s) {
    var a = 0;
    var b = s.length;
    while (a < b && WS.indexOf(s[a]) >= 0) a += 1;
    while (b > a && WS.indexOf(s[b - 1]) >= 0) b -= 1;
    return s.slice(a, b);
  }

  function toNumber(value) {
    if (typeof value === "boolean") return value ? 1 : 0;
    if (typeof value === "number") return value;
    return NUMERIC_RE.test(value) ? Number(stripWS(value)) : NaN;
  }

  function toBoolean(value) {
    if (typeof value === "boolean") return value;
    if (typeof value === "number") return value !== 0 && !Number.isNaN(value);
    return value !== "";
  }

  // Plain decimal notation from JavaScript's shortest digits, as Python's Decimal(repr(x)).
  function plain(x) {
    var s = String(x);
    if (s.indexOf("e") < 0) return s;
    var sign = "";
    if (s[0] === "-") {
      sign = "-";
      s = s.slice(1);
    }
    var parts = s.split("e");
    var mantissa = parts[0];
    var dot = mantissa.indexOf(".");
    var digits = mantissa.replace(".", "");
    var point = (dot < 0 ? mantissa.length : dot) + parseInt(parts[1], 10);
    var out;
    if (point <= 0) out = "0." + "0".repeat(-point) + digits;
    else if (point >= digits.length) out = digits + "0".repeat(point - digits.length);
    else out = digits.slice(0, point) + "." + digits.slice(point);
    return sign + out;
  }

  function toString(value) {
    if (typeof value === "boolean") return value ? "true" : "false";
    if (typeof value === "string") return value;
    if (Number.isNaN(value)) return "NaN";
    if (value === Infinity) return "Infinity";
    if (value === -Infinity) return "-Infinity";
    if (Number.isInteger(value)) return BigInt(value).toString();
    return plain(value);
  }

  function tokensOf(value) {
    return toString(value).split(SPLIT_RE).filter(function (part) { return part !== ""; });
  }

  // Code point order, as Python compares strings (UTF-16 order differs above U+FFFF).
  function compareStrings(a, b) {
    var x = Array.from(a);
    var y = Array.from(b);
    for (var k = 0; k < Math.min(x.length, y.length); k += 1) {
      var d = x[k].codePointAt(0) - y[k].codePointAt(0);
      if (d !== 0) return d;
    }
    return x.length - y.length;
  }

  // ------------------------------------------------------------ evaluator

  function evaluate(expr, answers, current, definition) {
    var tree = typeof expr === "string" ? parse(expr) : expr;
    var numeric = new Set();
    if (definition && Array.isArray(definition.questions)) {
      definition.questions.forEach(function (q) {
        if (q && has(NUMERIC_TYPES, q.type)) numeric.add(q.name);
      });
    }
    return evalNode(tree, answers || {}, valueOf(current), numeric);
  }

  function lookup(name, answers, numeric) {
    var raw = has(answers, name) ? answers[name] : undefined;
    if (numeric.has(name) && typeof raw === "string" && stripWS(raw) !== "") return toNumber(raw);
    return valueOf(raw);
  }

  function evalNode(n, answers, current, numeric) {
    var op = n.op;
    if (op === "num" || op === "str") return n.value;
    if (op === "ref") return lookup(n.value, answers, numeric);
    if (op === "cur") return current;
    var args = n.args.map(function (arg) { return evalNode(arg, answers, current, numeric); });
    if (op === "neg") return -toNumber(args[0]);
    if (op === "or") return toBoolean(args[0]) || toBoolean(args[1]);
    if (op === "and") return toBoolean(args[0]) && toBoolean(args[1]);
    if (op === "=" || op === "!=") return equals(args[0], args[1]) === (op === "=");
    if (op === "<" || op === "<=" || op === ">" || op === ">=") return compare(op, args[0], args[1]);
    if (op === "+" || op === "-" || op === "*" || op === "div" || op === "mod") {
      return arithmetic(op, toNumber(args[0]), toNumber(args[1]));
    }
    return call(n.value, args);
  }

  function equals(a, b) {
    if (typeof a === "boolean" || typeof b === "boolean") return toBoolean(a) === toBoolean(b);
    if (typeof a === "number" || typeof b === "number") return toNumber(a) === toNumber(b);
    return a === b;
  }

  function compare(op, a, b) {
    var x;
    var y;
    if (typeof a === "string" && typeof b === "string" && a !== "" && b !== "" &&
        Number.isNaN(toNumber(a)) && Number.isNaN(toNumber(b))) {
      x = compareStrings(a, b);
      y = 0;
    } else {
      x = toNumber(a);
      y = toNumber(b);
    }
    if (op === "<") return x < y;
    if (op === "<=") return x <= y;
    if (op === ">") return x > y;
    return x >= y;
  }

  function arithmetic(op, x, y) {
    if (op === "+") return x + y;
    if (op === "-") return x - y;
    if (op === "*") return x * y;
    if (op === "div") return x / y;
    return x % y;
  }

  function call(name, args) {
    switch (name) {
      case "not": return !toBoolean(args[0]);
      case "true": return true;
      case "false": return false;
      case "boolean": return toBoolean(args[0]);
      case "number": return toNumber(args[0]);
      case "string": return toString(args[0]);
      case "selected": return tokensOf(args[0]).indexOf(stripWS(toString(args[1]))) >= 0;
      case "count-selected": return tokensOf(args[0]).length;
      case "if": return toBoolean(args[0]) ? args[1] : args[2];
      case "coalesce": return toString(args[0]) !== "" ? args[0] : args[1];
      case "concat": return args.map(toString).join("");
      case "contains": return toString(args[0]).indexOf(toString(args[1])) >= 0;
      case "starts-with": return toString(args[0]).startsWith(toString(args[1]));
      case "string-length": return Array.from(toString(args[0])).length;
      default: break;
    }
    var number = toNumber(args[0]);
    if (!Number.isFinite(number)) return number;
    var result = name === "int" ? Math.trunc(number) : Math.floor(number + 0.5);
    return result === 0 ? 0 : result; // no -0, as Python's float(int)
  }

  var api = {
    parse: parse,
    evaluate: evaluate,
    references: references,
    usesCurrent: usesCurrent,
    valueOf: valueOf,
    toBoolean: toBoolean,
    toNumber: toNumber,
    toString: toString,
    ExpressionError: ExpressionError,
    FUNCTIONS: Object.keys(FUNCTIONS),
  };
  if (typeof module === "object" && module && module.exports) module.exports = api;
  if (root) root.ObserverExpressions = api;
})(typeof window !== "undefined" ? window : typeof globalThis !== "undefined" ? globalThis : this);
