// Filling one checklist at one station: the draft is saved on every change and restored on
// return; submitting puts the observation into the outbox under the UUID the draft was given
// when it was opened (so an incident raised from one of its answers can name it).
import * as data from "./data.js";
import { h } from "./dom.js";
import { FormView, newDraft, nowHHMM } from "./form.js";
import { t } from "./i18n.js";
import { text } from "./logic.js";
import * as store from "./store.js";
import * as tz from "./tz.js";
import { fillHash, incidentHash, stationHash } from "./views.js";

// The form's labels in the tablet's language when the form has it, else its default.
function formLanguage(def, lang) {
  return (def.languages || []).includes(lang) ? lang : def.default_language || lang;
}

// A day and "HH:MM" of the mission's clock as ISO 8601 with the mission's offset (whatever
// the device's zone); a departure before the arrival is the next day (counting often goes
// past midnight).
function isoTime(day, hhmm, notBefore) {
  const at = tz.instantOf(day, hhmm);
  if (Number.isNaN(at)) return tz.isoOf(Date.now()); // not a time: never a crash at submit
  if (notBefore !== undefined && at < notBefore) return tz.isoAt(tz.nextDay(day), hhmm);
  return tz.isoOf(at);
}

export async function fillView(box, code, pk, ctx) {
  const [station, def] = await Promise.all([data.station(code), data.form(pk)]);
  box.append(h("a", { class: "tb-back", href: stationHash(code) }, `‹ ${code}`));
  if (!station || !def) {
    box.append(h("p", { class: "tb-note-box" }, t(station ? "unknown_form" : "unknown_station")));
    return;
  }
  const key = data.draftKey(code, pk);
  const saved = await store.get("drafts", key);
  const draft = { ...newDraft(def, data.localDay()), ...saved };
  if (!draft.uuid) draft.uuid = data.newUuid();
  const status = h("p", { class: "tb-saved muted", id: "draft-status" }, saved ? t("draft_saved") : "");
  const save = async (change) => {
    Object.assign(draft, change, { updated_at: new Date().toISOString() });
    await store.put("drafts", structuredClone(draft), key);
    status.textContent = t("draft_saved");
    discard.hidden = false;
  };
  // One tap from a critical answer: an incident draft with all but the category filled in.
  const onReport = async (question, title) => {
    await save({});
    await data.startIncidentFrom({
      code, question: question.name, title, observationUuid: draft.uuid, back: fillHash(code, pk),
    });
    location.hash = incidentHash(code, question.name);
  };
  const view = new FormView(def, draft, formLanguage(def, ctx.lang()), save, { onReport });
  const title = h("h1", {}, text(def.title, view.lang, def.default_language));
  ctx.onLanguage = (lang) => {
    view.setLanguage(formLanguage(def, lang));
    title.textContent = text(def.title, view.lang, def.default_language);
  };

  const summary = h("p", { class: "tb-summary", id: "form-errors", role: "alert", hidden: true });
  const submit = h("button", { type: "submit", class: "btn btn-primary tb-primary", id: "submit-form" },
    t("submit"));
  const discard = h("button", { type: "button", class: "btn tb-danger", id: "discard-draft", hidden: !saved,
    onclick: async () => {
      if (!window.confirm(t("confirm_discard_draft"))) return;
      await store.remove("drafts", key);
      location.hash = stationHash(code);
    } }, t("discard_draft"));

  async function onSubmit(event) {
    event.preventDefault();
    const result = view.submit();
    if (result.errors) {
      summary.textContent = t("fix_errors", { n: result.errors });
      summary.hidden = false;
      return;
    }
    submit.disabled = true; // one tap, one observation
    summary.hidden = true;
    // arrived_at is required: a form whose arrival question went unanswered gets the time
    // the checklist was opened.
    const arrivedAt = isoTime(draft.day, result.arrived || draft.started || nowHHMM());
    const payload = {
      uuid: draft.uuid,
      mission: document.body.dataset.mission,
      form_id: def.form_id,
      form_version: def.version,
      station_code: station.code,
      arrived_at: arrivedAt,
      departed_at: isoTime(draft.day, result.departed, Date.parse(arrivedAt)),
      answers: result.answers,
    };
    const labels = { station: `${station.code} · ${station.name}`, form: def.title };
    await data.queue(payload, { formPk: pk, labels });
    ctx.flash(t("queued"));
    await ctx.changed();
    location.hash = stationHash(code);
    ctx.sync.syncNow(false);
  }

  box.append(
    h("form", { class: "tb-fill", id: "checklist", novalidate: true, onsubmit: onSubmit,
      dataset: { formId: def.form_id } },
      title,
      h("p", { class: "muted" }, `${station.code} · ${station.name}`),
      view.element,
      summary,
      h("div", { class: "tb-actions" }, status, h("span", { class: "tb-row" }, discard, submit))),
  );
}
