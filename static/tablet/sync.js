// Sends the outbox. Each item keeps the UUID made when it was submitted, so sending it twice
// (a lost response, two tabs) stores it once: the server answers 200 to an identical replay.
import { AuthError, csrfToken, describe, postSubmission } from "./api.js";
import * as store from "./store.js";

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
    response = await postSubmission(item.payload, token);
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
    const due = (await store.all("outbox"))
      .filter((item) => item.status === "pending" && (force || item.next_try <= now))
      .sort((a, b) => a.created_at.localeCompare(b.created_at));
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
