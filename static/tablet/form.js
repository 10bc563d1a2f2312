// Renders one checklist and keeps it checked as the observer types: skip logic hides what is
// not relevant, messages appear under each question, and submit is refused while any remain.
// A critical answer (the definition's `critical` choices) shows "Report incident" beside it.
import { h } from "./dom.js";
import { t } from "./i18n.js";
import { CHOICE_TYPES, assess, choicesFor, text } from "./logic.js";
import * as tz from "./tz.js";

const INPUTS = {
  integer: { type: "text", inputmode: "numeric", autocomplete: "off" },
  decimal: { type: "text", inputmode: "decimal", autocomplete: "off" },
  time: { type: "time" },
  date: { type: "date" },
};

// Enter on a keypad ("Go") must not submit the whole checklist.
function noEnterSubmit(event) {
  if (event.key === "Enter") event.preventDefault();
}

// "HH:MM" now on the mission's clock (not the device's).
export const nowHHMM = (date = new Date()) => tz.nowHHMM(date);

// Forms that ask the visit times themselves (the standard ones do) get them prefilled and
// used for arrived_at / departed_at; other forms get two fields of the tablet's own.
const VISIT = { arrived: "arrival_time", departed: "departure_time" };

function asks(def, key) {
  return def.questions.some((q) => q.name === VISIT[key] && q.type === "time");
}

export function newDraft(def, day) {
  const now = nowHHMM();
  const raw = asks(def, "arrived") ? { [VISIT.arrived]: now } : {};
  return { raw, arrived: asks(def, "arrived") ? "" : now, departed: "", day, started: now };
}

export class FormView {
  constructor(def, draft, lang, onChange, { onReport } = {}) {
    this.def = def;
    this.lang = lang;
    this.onChange = onChange;
    this.onReport = onReport; // (question, title) when "Report incident" is tapped
    this.reports = new Map(); // question name → [question, its button]
    this.raw = { ...(draft.raw || {}) };
    this.times = { arrived: draft.arrived || "", departed: draft.departed || "" };
    this.own = { arrived: !asks(def, "arrived"), departed: !asks(def, "departed") };
    this.touched = new Set();
    this.submitted = false;
    this.texts = []; // [element, () => text], re-read when the language changes
    this.fields = new Map(); // name → {box, error, inputs, read}
    this.element = h(
      "div",
      { class: "tb-form" },
      this.own.arrived ? this.timeField("arrived", "arrival") : null,
      this.questions(),
      this.own.departed ? this.timeField("departed", "departure", "departure_hint") : null,
    );
    this.refresh();
  }

  setLanguage(lang) {
    this.lang = lang;
    for (const [el, read] of this.texts) el.textContent = read();
    this.refresh();
  }

  bind(tag, read, attrs = {}) {
    const el = h(tag, attrs, read());
    this.texts.push([el, read]);
    return el;
  }

  tr(labels) {
    return text(labels, this.lang, this.def.default_language);
  }

  questions() {
    const root = h("div", { class: "tb-questions" });
    const groups = new Map();
    for (const q of this.def.questions) {
      const parent = (q.group && groups.get(q.group)) || root;
      const field = q.type === "group" ? this.group(q) : this.question(q);
      if (q.type === "group") groups.set(q.name, field.box);
      this.fields.set(q.name, field);
      parent.append(field.box);
    }
    return root;
  }

  group(q) {
    const legend = this.bind("legend", () => this.tr(q.label));
    return { box: h("fieldset", { class: "tb-group", dataset: { name: q.name } }, legend) };
  }

  // The parts every question has: its label (with the required mark), hint and message.
  parts(q, id) {
    const hint = q.hint ? this.bind("p", () => this.tr(q.hint), { class: "tb-hint", id: `${id}-hint` }) : null;
    const error = h("p", { class: "tb-error", id: `${id}-error`, hidden: true });
    const mark = q.required
      ? [h("span", { class: "tb-required", "aria-hidden": "true" }, " *"),
         this.bind("span", () => t("required_short"), { class: "sr-only" })]
      : [];
    // The visit times are the mission's clock: their label names the zone.
    const visit = Object.values(VISIT).includes(q.name) && q.type === "time";
    const label = visit ? () => tz.named(this.tr(q.label)) : () => this.tr(q.label);
    const title = [this.bind("span", label), ...mark];
    const describedBy = [hint && hint.id, error.id].filter(Boolean).join(" ");
    return { hint, error, title, describedBy };
  }

  question(q) {
    const id = `q-${q.name}`;
    const { hint, error, title, describedBy } = this.parts(q, id);
    if (q.type === "note") {
      const label = h("p", { class: "tb-label" }, title);
      return { box: h("div", { class: "tb-q tb-note", dataset: { name: q.name } }, label, hint) };
    }
    if (CHOICE_TYPES.has(q.type)) return this.choices(q, id, { hint, error, title, describedBy });
    const input = q.type === "text"
      ? h("textarea", { id, rows: 3 })
      : h("input", { id, ...INPUTS[q.type] });
    input.setAttribute("aria-describedby", describedBy);
    if (q.required) input.setAttribute("aria-required", "true");
    input.value = this.raw[q.name] ?? "";
    input.addEventListener("input", () => this.update(q.name));
    if (q.type !== "text") input.addEventListener("keydown", noEnterSubmit);
    const box = h(
      "div",
      { class: `tb-q tb-${q.type}`, dataset: { name: q.name } },
      h("label", { class: "tb-label", for: id }, title),
      hint,
      input,
      error,
    );
    return { box, error, inputs: [input], read: () => input.value };
  }

  choices(q, id, { hint, error, title, describedBy }) {
    const multiple = q.type === "select_multiple";
    const current = this.raw[q.name];
    const inputs = [];
    const options = choicesFor(this.def, q).map((choice, index) => {
      const input = h("input", {
        type: multiple ? "checkbox" : "radio",
        name: id,
        value: choice.name,
        id: `${id}-${index}`,
      });
      input.checked = multiple ? (current || []).includes(choice.name) : current === choice.name;
      input.addEventListener("change", () => this.update(q.name));
      inputs.push(input);
      return h("label", { class: "tb-choice", for: input.id }, input,
        this.bind("span", () => this.tr(choice.label)));
    });
    const list = h("div", { class: "tb-choices", role: multiple ? null : "radiogroup" }, options);
    if (q.required && !multiple) list.setAttribute("aria-required", "true");
    const box = h(
      "fieldset",
      { class: "tb-q", dataset: { name: q.name }, "aria-describedby": describedBy },
      h("legend", { class: "tb-label" }, title),
      hint,
      list,
      this.reportButton(q),
      error,
    );
    const read = () => (multiple
      ? inputs.filter((i) => i.checked).map((i) => i.value)
      : (inputs.find((i) => i.checked) || {}).value);
    return { box, error, inputs, read };
  }

  reportButton(q) {
    if (!this.onReport || !(q.critical || []).length) return null;
    const button = this.bind("button", () => t("report_incident"), {
      type: "button",
      class: "btn tb-report tb-report-critical",
      hidden: true,
      dataset: { question: q.name },
      onclick: () => this.onReport(q, this.criticalTitle(q)),
    });
    this.reports.set(q.name, [q, button]);
    return button;
  }

  // "Did the station open on time? — No": the incident's title, in the form's language.
  criticalTitle(q) {
    const value = this.result.answers[q.name];
    const chosen = Array.isArray(value) ? value.filter((v) => q.critical.includes(v)) : [value];
    const labels = choicesFor(this.def, q).filter((c) => chosen.includes(c.name))
      .map((c) => this.tr(c.label));
    return `${this.tr(q.label)} — ${labels.join(", ")}`.slice(0, 200);
  }

  timeField(key, labelKey, hintKey) {
    const id = `time-${key}`;
    const input = h("input", { type: "time", id, value: this.times[key] });
    const error = h("p", { class: "tb-error", id: `${id}-error`, hidden: true });
    const hint = hintKey ? this.bind("p", () => t(hintKey), { class: "tb-hint", id: `${id}-hint` }) : null;
    input.setAttribute("aria-describedby", [hint && hint.id, error.id].filter(Boolean).join(" "));
    input.addEventListener("keydown", noEnterSubmit);
    input.addEventListener("input", () => {
      this.times[key] = input.value;
      this.touched.add(key);
      this.changed();
    });
    const label = this.bind("label", () => tz.named(t(labelKey)), { class: "tb-label", for: id });
    const box = h("div", { class: "tb-q tb-time", dataset: { name: key } }, label, hint, input, error);
    this.fields.set(key, { box, error, inputs: [input], time: true });
    return box;
  }

  update(name) {
    this.raw[name] = this.fields.get(name).read();
    this.touched.add(name);
    this.changed();
  }

  changed() {
    this.refresh();
    this.onChange({ raw: this.raw, arrived: this.times.arrived, departed: this.times.departed });
  }

  errors() {
    const errors = { ...this.result.errors };
    if (this.own.arrived && !/^\d\d:\d\d$/.test(this.times.arrived)) {
      errors.arrived = { key: "required" };
    }
    return errors;
  }

  refresh() {
    this.result = assess(this.def, this.raw);
    const errors = this.errors();
    for (const [name, field] of this.fields) {
      if (!field.time) field.box.hidden = !this.result.shown.get(name);
      if (!field.error) continue;
      const error = errors[name];
      const show = Boolean(error) && !field.box.hidden && (this.submitted || this.touched.has(name));
      field.error.hidden = !show;
      field.error.textContent = show ? this.message(error) : "";
      field.box.classList.toggle("tb-invalid", show);
      for (const input of field.inputs) input.setAttribute("aria-invalid", String(show));
    }
    for (const [name, [q, button]] of this.reports) {
      const value = this.result.answers[name];
      const chosen = Array.isArray(value) ? value : [value];
      const critical = chosen.some((v) => q.critical.includes(v));
      button.hidden = !(critical && this.result.shown.get(name));
    }
  }

  // The form's own constraint message in the current language, else the tablet's words.
  message(error) {
    return (error.message && this.tr(error.message)) || t(error.key || "invalid");
  }

  time(key) {
    return (this.own[key] ? this.times[key] : this.result.answers[VISIT[key]]) || "";
  }

  // {answers, arrived, departed} to send, or {errors: n} after showing every message and
  // focusing the first. A departure left empty becomes the time of submitting.
  submit() {
    const departure = this.fields.get(VISIT.departed);
    const stamp = !this.own.departed && departure && !departure.box.hidden && !this.raw[VISIT.departed];
    if (stamp) this.setRaw(VISIT.departed, nowHHMM());
    this.submitted = true;
    this.refresh();
    const count = Object.keys(this.errors()).length;
    if (count) {
      if (stamp) this.setRaw(VISIT.departed, ""); // not yet: they are still at the station
      const first = this.element.querySelector(".tb-invalid input, .tb-invalid textarea");
      if (first) first.focus();
      return { errors: count };
    }
    return {
      answers: this.result.answers,
      arrived: this.time("arrived"),
      departed: this.time("departed") || nowHHMM(),
    };
  }

  setRaw(name, value) {
    this.raw[name] = value;
    this.fields.get(name).inputs[0].value = value;
    this.refresh();
  }
}
