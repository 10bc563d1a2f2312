// Sends the outbox. Each item keeps the UUID made when it was submitted, so sending it twice
// (a lost response, two tabs) stores it once: the server answers 200 to an identical replay.
// Observations go before incidents, so an incident raised from a critical answer finds its
// observation on the server and is linked to it; while that checklist is still a draft on
// this tablet, the incident waits for it, but never longer than HOLD_MS.
import { AuthError, csrfToken, describe, postJSON } from "./api.js";
import * as store from "./store.js";

const ROUTES = { observation: ["/submissions", 60_000], incident: ["/incidents", 180_000] };
const HOLD_MS = 10 * 60_000;
const kindOf = (item) => (item.kind === "incident" ? "incident" : "observation");

// The server refused the content: retrying cannot help, the observer has to look at it.
const SET_ASIDE = new Set([400, 403, 404, 409, 410, 413, 422]);
const FIRST_DELAY_MS = 15_000;
const MAX_DELAY_MS = 15 * 60_000;
export const TIMER_MS = 30_000;

// Exponential backoff with jitter, so a tablet fleet does not retry in lockstep.
export function backoff(attempts) {
  const delay = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  return delay / 2 + Math.random() * (delay / 2);
}

async function retryLater(item, error) {
  item.attempts += 1;
  item.last_error = error;
  item.next_try = Date.now() + backoff(item.attempts);
  await store.put("outbox", item);
}

async function sent(item, data) {
  const record = {
    uuid: item.uuid,
    kind: kindOf(item),
    mission: item.mission,
    station_code: item.payload.station_code,
    form_pk: item.form_pk,
    id: data && data.id,
    sent_at: new Date().toISOString(),
  };
  await store.transact(["outbox", "sent"], "readwrite", (outbox, log) => {
    outbox.delete(item.uuid);
    return log.put(record);
  });
}

// "sent" | "aside" | "retry" | "network" | "auth"
async function sendOne(item, token) {
  let response;
  try {
    const [path, ms] = ROUTES[kindOf(item)];
    response = await postJSON(path, item.payload, token, ms);
  } catch (error) {
    await retryLater(item, String(error.message || error));
    return "network";
  }
  const { status, data } = response;
  if (status === 200 || status === 201) {
    await sent(item, data);
    return "sent";
  }
  if (status === 401) return "auth";
  const csrfFailed = status === 400 && /csrf/i.test(describe(status, data));
  if (SET_ASIDE.has(status) && !csrfFailed) {
    item.status = "attention";
    item.attempts += 1;
    item.last_error = describe(status, data);
    await store.put("outbox", item);
    return "aside";
  }
  await retryLater(item, describe(status, data)); // 5xx, 429, a stale CSRF token
  return "retry";
}

export function createSync({ onChange, onAuthLost }) {
  let running = null;

  async function run(force) {
    if (!navigator.onLine) return;
    const now = Date.now();
    const drafting = new Set((await store.all("drafts")).map((draft) => draft && draft.uuid)
      .filter(Boolean)); // the uuids checklists in progress will be sent under
    const waitsForChecklist = (item) => kindOf(item) === "incident"
      && drafting.has(item.payload.observation_uuid)
      && now - Date.parse(item.created_at) < HOLD_MS;
    const rank = (item) => (kindOf(item) === "incident" ? 1 : 0);
    const due = (await store.all("outbox"))
      .filter((item) => item.status === "pending" && (force || item.next_try <= now))
      .filter((item) => !waitsForChecklist(item))
      .sort((a, b) => rank(a) - rank(b) || a.created_at.localeCompare(b.created_at));
    if (!due.length) return;
    let token;
    try {
      token = await csrfToken(); // the one in the cached page may have expired
    } catch (error) {
      if (error instanceof AuthError) onAuthLost();
      return; // no network after all: the next trigger tries again
    }
    for (const item of due) {
      const outcome = await sendOne(item, token);
      await onChange();
      if (outcome === "auth") onAuthLost();
      if (outcome === "auth" || outcome === "network") break;
    }
  }

  // One run at a time; a request during a run gets that run's promise.
  function syncNow(force = false) {
    if (!running) running = run(force).finally(() => { running = null; });
    return running;
  }

  function start() {
    window.addEventListener("online", () => syncNow(true));
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") syncNow(false);
    });
    setInterval(() => syncNow(false), TIMER_MS);
    return syncNow(true);
  }

  return { syncNow, start };
}
