// The JSON API as the tablet uses it; every request carries the session cookie.
const config = document.body.dataset;

export class AuthError extends Error {}

// Field networks can hang rather than fail: give up, so the sync loop and screens move on.
function timeout(ms) {
  return AbortSignal.timeout ? AbortSignal.timeout(ms) : undefined;
}

export class HttpError extends Error {
  constructor(status, data) {
    super(describe(status, data));
    this.status = status;
    this.data = data;
  }
}

// The server's message, e.g. "422: answers.voters: must be at least 0".
export function describe(status, data) {
  if (!data) return `HTTP ${status}`;
  const fields = Object.entries(data.fields || {}).map(([name, text]) => `${name}: ${text}`);
  return [data.detail || data.error || `HTTP ${status}`, ...fields].join(" · ");
}

function url(path, params = {}) {
  const query = new URLSearchParams({ mission: config.mission, ...params });
  return `${config.api}${path}?${query}`;
}

async function read(response) {
  // A redirect means the session is gone (pages send the login form, the API a 401).
  if (response.status === 401 || response.type === "opaqueredirect") throw new AuthError();
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new HttpError(response.status, data);
  return data;
}

export async function getJSON(path, params) {
  const response = await fetch(url(path, params), {
    credentials: "same-origin",
    cache: "no-store",
    redirect: "manual",
    headers: { Accept: "application/json" },
    signal: timeout(20_000),
  });
  return read(response);
}

export async function csrfToken() {
  const response = await fetch(config.csrfUrl, {
    credentials: "same-origin",
    cache: "no-store",
    redirect: "manual",
    signal: timeout(20_000),
  });
  return (await read(response)).csrf_token;
}

// POST a JSON payload (an observation to /submissions, an incident to /incidents).
// Returns {status, data}; throws only when the network fails or times out.
export async function postJSON(path, payload, token, ms = 60_000) {
  const response = await fetch(`${config.api}${path}`, {
    method: "POST",
    credentials: "same-origin",
    redirect: "manual",
    headers: {
      "Content-Type": "application/json",
      Accept: "application/json",
      "X-CSRFToken": token,
    },
    body: JSON.stringify(payload),
    signal: timeout(ms),
  });
  const status = response.type === "opaqueredirect" ? 401 : response.status;
  return { status, data: await response.json().catch(() => null) };
}
