// Skip logic and validation of static/tablet/logic.js with the real static/js/expressions.js.
// Run by test_logic.py: node logic_cases.mjs REPO_ROOT
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const root = process.argv[2];
globalThis.window = globalThis;
createRequire(import.meta.url)(path.join(root, "static/js/expressions.js"));
const source = readFileSync(path.join(root, "static/tablet/logic.js"), "utf8");
const { assess, typed } = await import(`data:text/javascript,${encodeURIComponent(source)}`);

const def = {
  default_language: "en",
  questions: [
    { name: "open", type: "yes_no", required: true },
    { name: "late", type: "integer", required: true, relevant: "${open} = 'no'",
      constraint: ". >= 1 and . <= 600", constraint_message: { en: "1 to 600" } },
    { name: "why", type: "text", relevant: "${late} > 60" },
    { name: "g", type: "group", relevant: "${open} != ''" },
    { name: "share", type: "decimal", group: "g", constraint: ". <= 1" },
    { name: "tools", type: "select_multiple", group: "g", choices: "tools" },
    { name: "ink", type: "yes_no", relevant: "selected(${tools}, 'ink')" },
  ],
};

// Nothing answered: the follow-ups and the group stay hidden; only 'open' is missing.
let r = assess(def, {});
assert.equal(r.shown.get("late"), false);
assert.equal(r.shown.get("share"), false);
assert.deepEqual(r.errors, { open: { key: "required" } });

// 'no' asks how late; 0 breaks the constraint; a typo is not a number.
r = assess(def, { open: "no", late: "0" });
assert.equal(r.shown.get("late"), true);
assert.deepEqual(r.errors.late, { message: { en: "1 to 600" } });
assert.deepEqual(assess(def, { open: "no", late: "1O" }).errors.late, { key: "integer" });
assert.deepEqual(assess(def, { open: "no" }).errors.late, { key: "required" });

// Answers under a hidden question are dropped, and so is whatever hung on them.
r = assess(def, { open: "yes", late: "90", why: "queue" });
assert.deepEqual(r.answers, { open: "yes" });
assert.equal(r.shown.get("why"), false);
assert.deepEqual(r.errors, {});
r = assess(def, { open: "no", late: "90", why: "queue" });
assert.deepEqual(r.answers, { open: "no", late: 90, why: "queue" });

// Groups: their questions follow the group's relevance; lists and decimal commas type well.
r = assess(def, { open: "yes", share: "0,5", tools: ["ink", "lamp"], ink: "yes" });
assert.deepEqual(r.answers, { open: "yes", share: 0.5, tools: ["ink", "lamp"], ink: "yes" });
assert.deepEqual(assess(def, { open: "yes", share: "1.5" }).errors.share, { key: "invalid" });
assert.deepEqual(assess(def, { open: "yes", tools: [], ink: "no" }).answers, { open: "yes" });

assert.deepEqual(typed({ type: "integer" }, " 12 "), { value: 12 });
assert.deepEqual(typed({ type: "text" }, "   "), { value: undefined });
console.log("ok");
