// The observer's tablet client: boot, top bar, hash routes, offline readiness.
// Readiness for tests and support: body[data-ready] once a screen shows data,
// body[data-offline-ready] once the service worker controls the page and data is stored.
import { AuthError } from "./api.js";
import * as data from "./data.js";
import { h } from "./dom.js";
import { fillView } from "./fill.js";
import { LANGUAGES, lang, setLang, t } from "./i18n.js";
import { incidentView } from "./incident.js";
import * as store from "./store.js";
import { createSync } from "./sync.js";
import { incidentsView, outboxView, stationView, stationsView } from "./views.js";

const body = document.body;
const config = body.dataset;
const main = document.getElementById("view");
const badge = document.getElementById("outbox-badge");
const banner = document.getElementById("banner");
let pendingFlash = "";
let renders = 0;

const ctx = {
  lang,
  sync: null,
  onLanguage: null, // set by a screen that can switch language without re-rendering
  flash: (message) => { pendingFlash = message; },
  changed,
};

function routeParts() {
  return location.hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
}

async function render(navigated = false) {
  const token = ++renders;
  const [name, ...args] = routeParts();
  const box = h("div", { class: "tb-screen", dataset: { screen: name || "stations" } });
  if (pendingFlash) box.append(h("p", { class: "tb-flash", role: "status" }, pendingFlash));
  pendingFlash = "";
  ctx.onLanguage = null;
  try {
    if (name === "station") await stationView(box, args[0]);
    else if (name === "fill") await fillView(box, args[0], args[1], ctx);
    else if (name === "outbox") await outboxView(box, ctx);
    else if (name === "incident") await incidentView(box, args, ctx);
    else if (name === "incidents") await incidentsView(box);
    else await stationsView(box);
  } catch (error) {
    console.error(error);
    box.append(h("p", { class: "tb-note-box" }, String(error.message || error)));
  }
  if (token !== renders) return; // a later navigation won
  main.replaceChildren(box);
  if (navigated) {
    window.scrollTo(0, 0);
    main.focus({ preventScroll: true }); // screen readers start at the new screen
  }
}

async function changed() {
  const items = await store.all("outbox");
  badge.textContent = String(items.length);
  badge.dataset.attention = items.some((item) => item.status === "attention") ? "1" : "0";
  const label = `${t("outbox")}: ${t("unsent", { n: items.length })}`;
  document.getElementById("outbox-link").setAttribute("aria-label", label);
  if (routeParts()[0] === "outbox") await render(); // keep the list in step with the sync
}

function showBanner(message, link, kind = "") {
  banner.replaceChildren(message, link ? " " : "", link || "");
  banner.dataset.kind = kind;
  banner.hidden = false;
}

function authLost() {
  showBanner(t("session_ended"), h("a", { href: config.loginUrl }, t("log_in")));
}

function updateChrome() {
  const online = navigator.onLine;
  const net = document.getElementById("net-status");
  net.textContent = t(online ? "online" : "offline");
  net.dataset.state = online ? "online" : "offline";
  const other = LANGUAGES.find((code) => code !== lang());
  const switcher = document.getElementById("lang-switch");
  switcher.textContent = other.toUpperCase();
  switcher.setAttribute("lang", other);
  switcher.setAttribute("aria-label", other === "fr" ? "Français" : "English");
  document.getElementById("sync-now").textContent = t("send_now");
  document.getElementById("outbox-label").textContent = t("outbox");
}

function wireTopBar() {
  document.getElementById("lang-switch").addEventListener("click", () => {
    setLang(LANGUAGES.find((code) => code !== lang()));
    updateChrome();
    if (ctx.onLanguage) ctx.onLanguage(lang());
    else render();
    changed();
  });
  document.getElementById("sync-now").addEventListener("click", async () => {
    if (!navigator.onLine) {
      showBanner(t("offline_wait"), null, "offline");
      return;
    }
    banner.hidden = true;
    await ctx.sync.syncNow(true);
    const left = (await store.all("outbox")).filter((item) => item.status === "pending");
    if (left.length) showBanner(t("not_sent", { error: left[0].last_error || "" }));
  });
  window.addEventListener("offline", updateChrome);
  window.addEventListener("online", async () => {
    updateChrome();
    if (banner.dataset.kind === "offline") banner.hidden = true;
    if (await refreshData()) redrawLists(); // plans change on election day
  });
}

async function registerWorker() {
  if (!("serviceWorker" in navigator)) return false;
  await navigator.serviceWorker.register(config.sw, { scope: config.scope });
  await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller) {
    await new Promise((resolve) => {
      navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true });
    });
  }
  return true;
}

// Network → IndexedDB; false when offline or the server cannot be reached.
async function refreshData() {
  if (!navigator.onLine) return false;
  try {
    await data.refresh();
    return true;
  } catch (error) {
    if (error instanceof AuthError) authLost();
    else console.warn("using the data stored on this tablet", error);
    return false;
  }
}

// After a background refresh, redraw list screens unless the observer is typing there.
function redrawLists() {
  const typing = ["INPUT", "TEXTAREA"].includes(document.activeElement && document.activeElement.tagName);
  if (!typing && ["", "station"].includes(routeParts()[0] || "")) render();
}

async function boot() {
  setLang(lang());
  updateChrome();
  wireTopBar();
  const worker = registerWorker().catch((error) => {
    console.warn("service worker not registered", error);
    return false;
  });
  await store.open(config.user);
  if (navigator.storage && navigator.storage.persist) navigator.storage.persist(); // keep the outbox
  ctx.sync = createSync({ onChange: changed, onAuthLost: authLost });
  const stored = await data.assignments();
  const refreshed = refreshData();
  if (!stored) await refreshed; // first run: nothing to show before the network answers
  window.addEventListener("hashchange", () => render(true));
  await render();
  await changed();
  body.dataset.ready = "1";
  ctx.sync.start();
  if (stored && (await refreshed)) redrawLists();
  if ((await worker) && (await data.assignments())) body.dataset.offlineReady = "1";
}

boot();
