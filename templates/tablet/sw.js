// Observer Suite tablet service worker: keeps the app shell and its files for offline use.
// Data (assignments, forms, incident categories, drafts, the outbox) lives in IndexedDB, kept
// by the page itself (data.js refreshes it after login and whenever the network returns), so
// API requests are not intercepted here: they reach the network or fail. The incident form
// and photo code are files of static/tablet/, precached like the rest.
const VERSION = {{ version|tojson }};
const SHELL = {{ shell_url|tojson }};
const ASSETS = {{ assets|tojson }};
const CACHE = "tablet-" + VERSION;

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // Bypass the HTTP cache: a new version means some of these files changed.
    await cache.addAll(ASSETS.map((url) => new Request(url, { cache: "no-cache" })));
    // The page that registered us was loaded before we existed: keep a copy of it now.
    const shell = await fetch(SHELL, { cache: "no-cache", redirect: "manual" });
    if (shell.ok) await cache.put(SHELL, shell);
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith("tablet-") && key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim(); // control the open page now, not after its next reload
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === SHELL) {
    event.respondWith(shell(request));
  } else if (ASSETS.includes(url.pathname)) {
    event.respondWith(cacheFirst(request));
  }
});

// Network first, so a fresh shell (and CSRF token) is used whenever there is a network.
async function shell(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) {
      await cache.put(SHELL, response.clone());
      return response;
    }
    if (response.status < 500) return response; // e.g. the redirect to the login page
  } catch (error) {
    // no network: the cached shell below
  }
  return (await cache.match(SHELL)) || Response.error();
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  return (await cache.match(request, { ignoreSearch: true })) || fetch(request);
}
