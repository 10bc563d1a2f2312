// The list screens: my stations (with search for another one), one station's checklists,
// the outbox, and my incidents. Each renders into a fresh element the router swaps in.
import { AuthError, getJSON } from "./api.js";
import * as data from "./data.js";
import { h } from "./dom.js";
import { lang, t } from "./i18n.js";
import { text } from "./logic.js";
import * as store from "./store.js";
import * as tz from "./tz.js";

const STOP_FORMS = { opening: ["opening"], visit: ["voting"], closing: ["closing", "counting"] };

export const stationHash = (code) => `#/station/${encodeURIComponent(code)}`;
export const fillHash = (code, pk) => `#/fill/${encodeURIComponent(code)}/${encodeURIComponent(pk)}`;
export const incidentHash = (code = "", question = "") =>
  ["#/incident", code, question].filter(Boolean).map((part, i) => (i ? encodeURIComponent(part) : part)).join("/");

function reportLink(code) {
  return h("a", { class: "btn tb-report", id: "report-incident", href: incidentHash(code) }, t("report_incident"));
}

// "08:30" from "08:30", "08:30:00" or a full ISO date-time.
function clock(value) {
  if (!value) return "";
  const match = /(\d\d:\d\d)/.exec(String(value));
  return match ? match[1] : String(value);
}

function chips(counts) {
  const list = [];
  if (counts.draft) list.push(h("span", { class: "tb-chip tb-chip-draft" }, t("draft")));
  if (counts.waiting) {
    list.push(h("span", { class: "tb-chip tb-chip-waiting" }, t("waiting_n", { n: counts.waiting })));
  }
  if (counts.sent) list.push(h("span", { class: "tb-chip tb-chip-sent" }, t("sent_n", { n: counts.sent })));
  return list.length ? h("span", { class: "tb-chips" }, list) : null;
}

function stationCard(station, counts) {
  return h("li", {},
    h("a", { class: "tb-card tb-station", href: stationHash(station.code), dataset: { code: station.code } },
      station.position ? h("span", { class: "tb-pos", "aria-hidden": "true" }, String(station.position)) : null,
      h("span", { class: "tb-station-text" },
        h("strong", {}, `${station.code} · ${station.name}`),
        h("span", { class: "muted" }, [station.area, station.kind,
          station.planned_arrival ? t("planned", { time: clock(station.planned_arrival) }) : ""]
          .filter(Boolean).join(" · ")),
        chips(counts))));
}

// What changed since the published plan this tablet followed before: shown until replaced.
function routeChange(change) {
  const list = (codes) => codes.join(", ");
  return h("section", { class: "tb-note-box tb-route-changed", id: "route-changed", role: "status" },
    h("strong", {}, t("route_changed")),
    change.added.length ? h("p", { class: "route-added" }, t("route_added", { codes: list(change.added) })) : null,
    change.removed.length ? h("p", { class: "route-removed" }, t("route_removed", { codes: list(change.removed) })) : null,
    change.reordered ? h("p", {}, t("route_reordered")) : null,
    h("p", { class: "muted" }, t("route_before", { codes: list(change.previous_codes) || "–" })));
}

export async function stationsView(box) {
  const [assignments, extras, progress] = await Promise.all([
    data.assignments(), data.extraStations(), data.progress(),
  ]);
  box.append(h("h1", {}, t("my_stations")));
  if (!assignments) box.append(h("p", { class: "tb-note-box" }, t("no_data")));
  const { team, plan, stations = [] } = assignments || {};
  if (team) {
    const names = (team.members || []).map((m) => (typeof m === "string" ? m : m.name)).join(", ");
    box.append(h("p", { class: "muted" }, [t("team", { code: team.code }), names,
      plan ? t("route_of", { day: plan.election_day }) : ""].filter(Boolean).join(" · ")));
  }
  box.append(h("p", { class: "muted", id: "mission-zone" }, t("zone_note", { zone: tz.zone() })));
  box.append(h("p", { class: "tb-row tb-incident-links" }, reportLink(),
    h("a", { class: "btn", id: "my-incidents-link", href: "#/incidents" }, t("my_incidents"))));
  const change = (assignments || {}).route_change;
  if (change) box.append(routeChange(change));
  if (assignments && !stations.length) box.append(h("p", { class: "tb-note-box" }, t("no_plan")));
  const ordered = [...stations].sort((a, b) => (a.position || 0) - (b.position || 0));
  if (ordered.length) {
    const cards = ordered.map((s) => stationCard(s, progress(s.code)));
    box.append(h("ol", { class: "tb-list", id: "my-stations" }, cards));
  }
  box.append(searchSection());
  const picked = extras.filter((s) => !stations.some((mine) => mine.code === s.code));
  if (picked.length) {
    box.append(h("h2", {}, t("picked")),
      h("ul", { class: "tb-list" }, picked.map((s) => stationCard(s, progress(s.code)))));
  }
  box.append(h("p", { class: "tb-footer" }, h("a", { href: document.body.dataset.siteUrl }, t("full_site"))));
}

function searchSection() {
  const input = h("input", { type: "search", id: "station-search", autocomplete: "off", enterkeyhint: "search" });
  const note = h("p", { class: "muted", id: "search-note", "aria-live": "polite" });
  const results = h("ul", { class: "tb-list", id: "search-results" });
  async function search(event) {
    event.preventDefault();
    results.replaceChildren();
    note.textContent = "";
    const q = input.value.trim();
    if (!q) return;
    if (!navigator.onLine) {
      note.textContent = t("search_offline");
      return;
    }
    try {
      const found = (await getJSON("/stations", { q })).stations || [];
      note.textContent = found.length ? "" : t("no_results");
      results.append(...found.map((s) => h("li", {},
        h("button", { type: "button", class: "tb-card tb-station", onclick: async () => {
          await data.addExtraStation(s);
          location.hash = stationHash(s.code);
        } }, h("span", { class: "tb-station-text" },
          h("strong", {}, `${s.code} · ${s.name}`), h("span", { class: "muted" }, s.area || ""))))));
    } catch (error) {
      const offline = error instanceof TypeError; // fetch fails this way without a network
      note.textContent = offline ? t("search_offline")
        : t("search_failed", { error: error instanceof AuthError ? t("session_ended") : error.message });
    }
  }
  return h("section", { class: "tb-section", "aria-labelledby": "search-title" },
    h("h2", { id: "search-title" }, t("other_station")),
    h("form", { class: "tb-search", role: "search", onsubmit: search },
      h("label", { for: "station-search" }, t("search_label")),
      h("span", { class: "tb-search-row" }, input, h("button", { type: "submit", class: "btn" }, t("search")))),
    note, results);
}

export async function stationView(box, code) {
  const [station, forms, progress] = await Promise.all([data.station(code), data.forms(), data.progress()]);
  box.append(h("a", { class: "tb-back", href: "#/" }, `‹ ${t("my_stations")}`));
  if (!station) {
    box.append(h("p", { class: "tb-note-box" }, t("unknown_station")));
    return;
  }
  box.append(h("h1", {}, `${station.code} · ${station.name}`),
    h("p", { class: "muted" }, [station.area, station.kind].filter(Boolean).join(" · ")),
    h("p", { class: "tb-row tb-incident-links" }, reportLink(station.code)),
    h("h2", {}, t("choose_form")));
  if (!forms.length) box.append(h("p", { class: "tb-note-box" }, t("no_forms")));
  // The checklists for this stop first: opening → opening, visit → voting, closing → counting.
  const wanted = STOP_FORMS[station.kind] || [];
  const first = (f) => (wanted.includes(f.kind) ? 0 : 1);
  const sorted = [...forms].sort((a, b) => first(a) - first(b));
  box.append(h("ul", { class: "tb-list", id: "forms" }, sorted.map((f) => h("li", {},
    h("a", { class: "tb-card tb-form-link", href: fillHash(station.code, f.id), dataset: { formId: f.form_id } },
      h("span", { class: "tb-station-text" }, h("strong", {}, text(f.title, lang())),
        h("span", { class: "muted" }, f.kind || ""), chips(progress(station.code, f.id))))))));
}

export async function outboxView(box, ctx) {
  const items = (await store.all("outbox")).sort((a, b) => a.created_at.localeCompare(b.created_at));
  box.append(h("h1", {}, t("outbox")));
  if (!items.length) {
    box.append(h("p", { class: "tb-note-box", id: "outbox-empty" }, t("outbox_empty")));
    return;
  }
  box.append(h("ul", { class: "tb-list", id: "outbox-items" }, items.map((item) => outboxCard(item, ctx))));
}

function outboxCard(item, ctx) {
  const attention = item.status === "attention";
  const incident = data.isIncident(item);
  const act = (work) => async () => {
    await work();
    await ctx.changed();
  };
  const actions = attention ? h("span", { class: "tb-row" },
    h("button", { type: "button", class: "btn", onclick: act(async () => {
      await store.put("outbox", { ...item, status: "pending", next_try: 0 });
      await ctx.sync.syncNow(true);
    }) }, t("retry")),
    h("button", { type: "button", class: "btn", onclick: act(async () => {
      if (incident) {
        const [, , code, question] = await data.reopenIncident(item);
        location.hash = incidentHash(code, question);
        return;
      }
      await data.reopen(item);
      location.hash = fillHash(item.payload.station_code, item.form_pk);
    }) }, t("edit")),
    h("button", { type: "button", class: "btn tb-danger", onclick: act(async () => {
      if (window.confirm(t(incident ? "confirm_delete_incident" : "confirm_delete"))) {
        await store.remove("outbox", item.uuid);
      }
    }) }, t("delete"))) : null;
  const labels = item.labels || {};
  const title = incident
    ? [t("incident"), labels.station, labels.title || item.payload.title]
    : [labels.station || item.payload.station_code, text(labels.form, lang())];
  const classes = `tb-card tb-outbox-item${attention ? " tb-attention" : ""}`;
  return h("li", { class: classes, dataset: { uuid: item.uuid, kind: incident ? "incident" : "observation" } },
    h("strong", {}, title.filter(Boolean).join(" · ")),
    h("span", { class: "muted" }, [attention ? t("attention") : t("waiting"),
      tz.show(item.created_at, lang()), item.attempts ? t("attempts", { n: item.attempts }) : ""]
      .filter(Boolean).join(" · ")),
    item.last_error ? h("span", { class: "tb-error-text" }, item.last_error) : null,
    actions);
}

// My incidents: those waiting on this tablet, then those the server has for my team (the
// list stored at the last refresh, renewed here when there is a network).
export async function incidentsView(box) {
  const waiting = (await store.all("outbox")).filter(data.isIncident)
    .sort((a, b) => b.created_at.localeCompare(a.created_at));
  let sent = await data.myIncidents();
  if (navigator.onLine) {
    try {
      sent = (await getJSON("/me/incidents")).incidents || [];
    } catch (error) {
      console.warn("showing the stored list of incidents", error);
    }
  }
  box.append(h("a", { class: "tb-back", href: "#/" }, `‹ ${t("my_stations")}`),
    h("h1", {}, t("my_incidents")), h("p", {}, reportLink()));
  if (!waiting.length && !sent.length) box.append(h("p", { class: "tb-note-box" }, t("no_incidents")));
  const card = (title, details, dataset) => h("li", { class: "tb-card tb-outbox-item", dataset },
    h("strong", {}, title), h("span", { class: "muted" }, details.filter(Boolean).join(" · ")));
  if (waiting.length) {
    box.append(h("h2", {}, t("waiting_list")), h("ul", { class: "tb-list", id: "incidents-waiting" },
      waiting.map((item) => card(item.payload.title, [item.labels && item.labels.station, t(`sev_${item.payload.severity}`),
        tz.show(item.payload.occurred_at, lang())], { uuid: item.uuid }))));
  }
  if (sent.length) {
    box.append(h("h2", {}, t("sent_list")), h("ul", { class: "tb-list", id: "incidents-sent" },
      sent.map((item) => card(item.title, [item.station_code, t(`sev_${item.severity}`), t(`status_${item.status}`),
        tz.show(item.occurred_at, lang())], { uuid: item.uuid }))));
  }
}
