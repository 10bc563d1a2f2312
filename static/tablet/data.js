// What the tablet keeps for one mission: assignments and forms copied from the API into
// IndexedDB (so they open offline), drafts, and submitted observations waiting in the outbox.
import { getJSON } from "./api.js";
import * as store from "./store.js";

const mission = document.body.dataset.mission;
const key = (name) => `${mission}:${name}`;

// Network → IndexedDB, all or nothing. Throws when offline or logged out.
export async function refresh() {
  const [assignments, list] = await Promise.all([getJSON("/me/assignments"), getJSON("/forms")]);
  const forms = list.forms || [];
  const definitions = await Promise.all(forms.map((f) => getJSON(`/forms/${f.id}`)));
  await store.transact(["kv"], "readwrite", (kv) => {
    definitions.forEach((definition, i) => kv.put(definition, key(`form:${forms[i].id}`)));
    kv.put(forms, key("forms"));
    return kv.put(assignments, key("assignments"));
  });
}

export const assignments = () => store.get("kv", key("assignments"));
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
  for (const item of outbox) {
    if (item.mission === mission) bump(item.payload.station_code, item.form_pk, "waiting");
  }
  for (const item of sent) if (item.mission === mission) bump(item.station_code, item.form_pk, "sent");
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
  const local = (iso) => (iso ? new Date(iso).toTimeString().slice(0, 5) : "");
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

export function localDay(date = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
