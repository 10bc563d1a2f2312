// What the tablet keeps for one mission: assignments, forms and incident categories copied
// from the API into IndexedDB (so they open offline), drafts, and submitted observations and
// incidents waiting in the outbox (item.kind: "observation", the default, or "incident").
import { getJSON } from "./api.js";
import * as store from "./store.js";
import * as tz from "./tz.js";

const mission = document.body.dataset.mission;
const key = (name) => `${mission}:${name}`;

// Network → IndexedDB, all or nothing. Throws when offline or logged out.
export async function refresh() {
  const [assignments, list, categories, incidents] = await Promise.all([
    getJSON("/me/assignments"), getJSON("/forms"), getJSON("/incidents/categories"),
    getJSON("/me/incidents"),
  ]);
  const forms = list.forms || [];
  const definitions = await Promise.all(forms.map((f) => getJSON(`/forms/${f.id}`)));
  await store.transact(["kv"], "readwrite", (kv) => {
    definitions.forEach((definition, i) => kv.put(definition, key(`form:${forms[i].id}`)));
    kv.put(forms, key("forms"));
    kv.put(categories.categories || [], key("categories"));
    kv.put(incidents.incidents || [], key("my-incidents"));
    return kv.put(assignments, key("assignments"));
  });
}

export const assignments = () => store.get("kv", key("assignments"));
export const categories = async () => (await store.get("kv", key("categories"))) || [];
export const myIncidents = async () => (await store.get("kv", key("my-incidents"))) || [];
export const isIncident = (item) => item.kind === "incident";
export const forms = async () => (await store.get("kv", key("forms"))) || [];
export const form = (pk) => store.get("kv", key(`form:${pk}`));
export const extraStations = async () => (await store.get("kv", key("extra-stations"))) || [];

// A station found by search is kept, so its checklists open offline later too.
export async function addExtraStation(station) {
  const others = (await extraStations()).filter((s) => s.code !== station.code);
  await store.put("kv", [station, ...others].slice(0, 30), key("extra-stations"));
}

export async function station(code) {
  const mine = ((await assignments()) || {}).stations || [];
  return mine.find((s) => s.code === code) || (await extraStations()).find((s) => s.code === code);
}

export const draftKey = (code, pk) => [mission, code, String(pk)];

// Counts of drafts, waiting and sent observations by station code and by "code|form pk".
export async function progress() {
  const [drafts, outbox, sent] = await Promise.all([
    store.keys("drafts"), store.all("outbox"), store.all("sent"),
  ]);
  const tally = new Map();
  const bump = (code, pk, what) => {
    for (const k of [code, `${code}|${pk}`]) {
      const counts = tally.get(k) || { draft: 0, waiting: 0, sent: 0 };
      counts[what] += 1;
      tally.set(k, counts);
    }
  };
  for (const [m, code, pk] of drafts) if (m === mission) bump(code, pk, "draft");
  const checklists = (item) => item.mission === mission && !isIncident(item);
  for (const item of outbox.filter(checklists)) bump(item.payload.station_code, item.form_pk, "waiting");
  for (const item of sent.filter(checklists)) bump(item.station_code, item.form_pk, "sent");
  const none = { draft: 0, waiting: 0, sent: 0 };
  return (code, pk) => tally.get(pk === undefined ? code : `${code}|${pk}`) || none;
}

export function newUuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16)); // older browsers: RFC 4122 v4 by hand
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// The observation goes into the outbox and its draft goes away, in one transaction.
export async function queue(payload, { formPk, labels }) {
  const item = {
    uuid: payload.uuid,
    kind: "observation",
    mission,
    form_pk: String(formPk),
    labels,
    payload,
    status: "pending",
    attempts: 0,
    last_error: null,
    next_try: 0,
    created_at: new Date().toISOString(),
  };
  await store.transact(["outbox", "drafts"], "readwrite", (outbox, drafts) => {
    drafts.delete(draftKey(payload.station_code, formPk));
    return outbox.put(item);
  });
  return item;
}

// An item the server refused goes back to being a draft the observer can correct.
export async function reopen(item) {
  const raw = Object.fromEntries(Object.entries(item.payload.answers)
    .map(([name, value]) => [name, Array.isArray(value) ? value : String(value)]));
  const local = (iso) => (iso ? tz.wall(new Date(iso)).hhmm : "");
  const draft = {
    raw,
    arrived: local(item.payload.arrived_at),
    departed: local(item.payload.departed_at),
    day: localDay(new Date(item.payload.arrived_at || Date.now())),
  };
  await store.transact(["outbox", "drafts"], "readwrite", (outbox, drafts) => {
    outbox.delete(item.uuid);
    return drafts.put(draft, draftKey(item.payload.station_code, item.form_pk));
  });
}

// The day in the mission's time zone (not the device's: see tz.js).
export const localDay = (date = new Date()) => tz.today(date);

// "YYYY-MM-DDTHH:MM" in the mission's time zone, the value of an <input type=datetime-local>.
export const localDateTime = (date = new Date()) => tz.localDateTime(date);

// Incident drafts: one per place the form was opened from (home, a station, a station's
// critical question). Their keys start with "incident", so progress() never counts them.
export const incidentKey = (code = "", question = "") => ["incident", mission, code, question];

// The incident goes into the same outbox as observations, and its draft goes away.
export async function queueIncident(payload, { labels, draftKey: key }) {
  const item = {
    uuid: payload.uuid,
    kind: "incident",
    mission,
    labels,
    draft_key: key,
    payload,
    status: "pending",
    attempts: 0,
    last_error: null,
    next_try: 0,
    created_at: new Date().toISOString(),
  };
  await store.transact(["outbox", "drafts"], "readwrite", (outbox, drafts) => {
    drafts.delete(key);
    return outbox.put(item);
  });
  return item;
}

// A refused incident goes back to being a draft; returns the key it was opened under.
export async function reopenIncident(item) {
  const p = item.payload;
  const key = item.draft_key || incidentKey(p.station_code || "", p.question || "");
  const draft = {
    category: p.category,
    severity: p.severity,
    time: localDateTime(new Date(p.occurred_at || Date.now())),
    station_code: p.station_code || "",
    latitude: p.latitude ?? null,
    longitude: p.longitude ?? null,
    title: p.title || "",
    description: p.description || "",
    photos: p.photos || [],
    observation_uuid: p.observation_uuid || null,
    question: p.question || null,
  };
  await store.transact(["outbox", "drafts"], "readwrite", (outbox, drafts) => {
    outbox.delete(item.uuid);
    return drafts.put(draft, key);
  });
  return key;
}

// One tap from a critical answer: a draft with everything but the category's choice filled
// ("other" until the observer picks better). A draft already raised from the same checklist
// is kept as the observer left it.
export async function startIncidentFrom({ code, question, title, observationUuid, back }) {
  const key = incidentKey(code, question);
  const existing = await store.get("drafts", key);
  if (existing && existing.observation_uuid === observationUuid) return key;
  const codes = (await categories()).map((c) => c.code);
  await store.put("drafts", {
    category: codes.includes("other") ? "other" : codes[0] || "",
    severity: "high",
    time: localDateTime(),
    station_code: code,
    title,
    description: "",
    photos: [],
    observation_uuid: observationUuid,
    question,
    back,
  }, key);
  return key;
}
