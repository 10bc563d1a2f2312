// Runs tests/checklists/expression_vectors.json through static/js/expressions.js and prints
// one JSON result per vector; tests/checklists/test_expressions.py compares them.
// Usage: node run_vectors.js VECTORS.json EXPRESSIONS.js
"use strict";
const fs = require("fs");
const path = require("path");

const vectors = JSON.parse(fs.readFileSync(process.argv[2], "utf8")).vectors;
const engine = require(path.resolve(process.argv[3]));

function canon(value) {
  if (typeof value === "number" && !Number.isFinite(value)) return { number: String(value) };
  return value;
}

const results = vectors.map((v) => {
  try {
    if ("references" in v) return { references: [...engine.references(v.expr)].sort() };
    return { value: canon(engine.evaluate(v.expr, v.answers || {}, v.current, v.definition)) };
  } catch (error) {
    if (error instanceof engine.ExpressionError) return { error: error.position, message: error.message };
    return { crash: String(error && error.stack) };
  }
});
process.stdout.write(JSON.stringify(results));
