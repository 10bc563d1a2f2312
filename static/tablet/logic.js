// Skip logic, typing and validation of answers: pure functions over the canonical form
// definition (observer_suite/checklists/__init__.py). Expressions are evaluated by the shared
// window.ObserverExpressions, the same grammar the server checks with.
export const ANSWERED = new Set([
  "yes_no", "select_one", "time_band", "select_multiple",
  "integer", "decimal", "text", "time", "date",
]);
export const CHOICE_TYPES = new Set(["yes_no", "select_one", "time_band", "select_multiple"]);

const YES_NO_NA = [
  { name: "yes", label: { en: "Yes", fr: "Oui" } },
  { name: "no", label: { en: "No", fr: "Non" } },
  { name: "na", label: { en: "Not applicable", fr: "Sans objet" } },
];

// A label in the wanted language, else the form's default, else any.
export function text(labels, lang, fallback) {
  if (labels === null || labels === undefined) return "";
  if (typeof labels === "string") return labels;
  return labels[lang] ?? labels[fallback] ?? Object.values(labels)[0] ?? "";
}

export function choicesFor(def, question) {
  const lists = def.choices || {};
  if (question.type === "yes_no") return lists[question.choices] || lists.yes_no_na || YES_NO_NA;
  return lists[question.choices] || [];
}

function isEmpty(raw) {
  return raw === undefined || raw === null || (Array.isArray(raw) ? raw.length === 0 : String(raw).trim() === "");
}

// Raw input (what the widgets hold, kept in drafts) → {value} or {error: i18n key}.
export function typed(question, raw) {
  if (isEmpty(raw)) return { value: undefined };
  const s = String(raw).trim();
  if (question.type === "integer") {
    return /^[-+]?\d+$/.test(s) ? { value: parseInt(s, 10) } : { error: "integer" };
  }
  if (question.type === "decimal") {
    const dotted = s.replace(",", "."); // French keyboards type a decimal comma
    return /^[-+]?(\d+\.?\d*|\.\d+)$/.test(dotted) ? { value: Number(dotted) } : { error: "decimal" };
  }
  if (question.type === "select_multiple") return { value: [...raw] };
  return { value: question.type === "text" ? s : raw };
}

// XPath truth of an expression (relevant, constraint); the definition tells numeric answers.
function holds(expression, answers, def, current) {
  const engine = window.ObserverExpressions;
  if (!expression || !engine) return true;
  try {
    return engine.toBoolean(engine.evaluate(expression, answers, current, def));
  } catch (error) {
    console.warn("expression failed", expression, error); // the server checks again
    return true;
  }
}

// name → shown? A question is relevant when its expression and every enclosing group's are
// true; answers of hidden questions count as blank, so we repeat until nothing changes.
export function relevance(def, answers) {
  let shown = null;
  let visible = answers;
  for (let pass = 0; pass < 5; pass += 1) {
    const next = new Map();
    for (const q of def.questions) {
      const parentShown = !q.group || next.get(q.group) !== false;
      next.set(q.name, parentShown && holds(q.relevant, visible, def));
    }
    if (shown && def.questions.every((q) => shown.get(q.name) === next.get(q.name))) break;
    shown = next;
    visible = Object.fromEntries(Object.entries(answers).filter(([name]) => next.get(name)));
  }
  return shown;
}

// Everything the form view needs after a change: the answers to send (relevant ones only),
// what is shown, and the errors ({key} for the tablet's words, {message} for the form's).
export function assess(def, raw) {
  const values = {};
  const typeErrors = {};
  for (const q of def.questions) {
    if (!ANSWERED.has(q.type)) continue;
    const { value, error } = typed(q, raw[q.name]);
    if (error) typeErrors[q.name] = error;
    else if (value !== undefined) values[q.name] = value;
  }
  const shown = relevance(def, values);
  const answers = {};
  const errors = {};
  for (const q of def.questions) {
    if (!ANSWERED.has(q.type) || !shown.get(q.name)) continue;
    if (typeErrors[q.name]) errors[q.name] = { key: typeErrors[q.name] };
    else if (values[q.name] !== undefined) answers[q.name] = values[q.name];
    else if (q.required) errors[q.name] = { key: "required" };
  }
  for (const q of def.questions) {
    if (q.name in answers && !holds(q.constraint, answers, def, answers[q.name])) {
      errors[q.name] = q.constraint_message ? { message: q.constraint_message } : { key: "invalid" };
    }
  }
  return { answers, shown, errors };
}
