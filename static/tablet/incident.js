// Reporting an incident: big touch targets, a draft saved on every change, and on "Send" a
// payload with a UUID made here, queued in the same outbox as checklists. Everything works
// offline: categories and stations come from IndexedDB; location and photos are optional.
import { AuthError, getJSON } from "./api.js";
import * as data from "./data.js";
import { h } from "./dom.js";
import { lang, t } from "./i18n.js";
import { text } from "./logic.js";
import { MAX_PHOTOS, shrink, thumbnailSrc } from "./photos.js";
import * as store from "./store.js";
import * as tz from "./tz.js";
import { stationHash } from "./views.js";

const SEVERITIES = ["low", "medium", "high", "critical"];
const LIMITS = { title: 200, description: 5000 };

function blank(code) {
  return {
    category: "", severity: "", time: data.localDateTime(), station_code: code,
    latitude: null, longitude: null, accuracy: null, title: "", description: "", photos: [],
    observation_uuid: null, question: null,
  };
}

// One labelled field: its box, and the line its message goes in.
function field(name, label, ...controls) {
  const error = h("p", { class: "tb-error", id: `incident-${name}-error`, hidden: true });
  const box = h("div", { class: "tb-q", dataset: { name } }, label, ...controls, error);
  return { box, error };
}

function problems(draft) {
  const found = {};
  if (!draft.category) found.category = "choose_category";
  if (!SEVERITIES.includes(draft.severity)) found.severity = "choose_severity";
  if (!tz.isoOfLocal(draft.time)) found.time = "invalid_time";
  if (!draft.station_code && draft.latitude === null) found.station = "place_needed";
  if (!draft.title.trim()) found.title = "required";
  else if (draft.title.length > LIMITS.title) found.title = "too_long";
  if (draft.description.length > LIMITS.description) found.description = "too_long";
  return found;
}

export function payloadOf(draft) {
  const payload = {
    uuid: data.newUuid(),
    mission: document.body.dataset.mission,
    category: draft.category,
    severity: draft.severity,
    occurred_at: tz.isoOfLocal(draft.time), // typed on the mission's clock, sent with its offset
    title: draft.title.trim(),
  };
  if (draft.station_code) payload.station_code = draft.station_code;
  if (draft.latitude !== null) Object.assign(payload, { latitude: draft.latitude, longitude: draft.longitude });
  if (draft.description.trim()) payload.description = draft.description.trim();
  if (draft.observation_uuid) {
    Object.assign(payload, { observation_uuid: draft.observation_uuid, question: draft.question });
  }
  if (draft.photos.length) {
    payload.photos = draft.photos.map(({ filename, content_type, data: bytes }) =>
      ({ filename, content_type, data: bytes }));
  }
  return payload;
}

async function knownStations() {
  const [assignments, extras] = await Promise.all([data.assignments(), data.extraStations()]);
  const mine = [...((assignments || {}).stations || [])].sort((a, b) => (a.position || 0) - (b.position || 0));
  return [...mine, ...extras.filter((s) => !mine.some((m) => m.code === s.code))];
}

export async function incidentView(box, args, ctx) {
  const [code = "", question = ""] = args;
  const key = data.incidentKey(code, question);
  const [categories, stations, saved] = await Promise.all([
    data.categories(), knownStations(), store.get("drafts", key),
  ]);
  const draft = { ...blank(code), ...saved };
  const back = draft.back || (code ? stationHash(code) : "#/");
  box.append(h("a", { class: "tb-back", href: back }, `‹ ${t("back")}`), h("h1", {}, t("report_incident")));
  if (!categories.length) {
    box.append(h("p", { class: "tb-note-box" }, t("no_categories")));
    return;
  }
  let submitted = false;
  const fields = {};
  const status = h("p", { class: "tb-saved muted", id: "draft-status" }, saved ? t("draft_saved") : "");
  const summary = h("p", { class: "tb-summary", id: "incident-errors", role: "alert", hidden: true });

  function showProblems() {
    const found = problems(draft);
    for (const [name, { box: fieldBox, error }] of Object.entries(fields)) {
      const show = submitted && Boolean(found[name]);
      error.hidden = !show;
      error.textContent = show ? t(found[name]) : "";
      fieldBox.classList.toggle("tb-invalid", show);
    }
    return found;
  }
  async function save() {
    await store.put("drafts", structuredClone(draft), key);
    status.textContent = t("draft_saved");
    discard.hidden = false;
    if (submitted) showProblems();
  }
  const bindValue = (input, name) => input.addEventListener("input", () => {
    draft[name] = input.value;
    save();
  });

  // Category and severity.
  const category = h("select", { id: "incident-category" },
    h("option", { value: "" }, t("choose")),
    categories.map((c) => h("option", { value: c.code }, text(c.labels, lang(), "en") || c.code)));
  category.value = draft.category;
  bindValue(category, "category");
  fields.category = field("category", h("label", { class: "tb-label", for: "incident-category" }, t("category")), category);
  const severities = SEVERITIES.map((level) => {
    const input = h("input", { type: "radio", name: "severity", value: level, id: `incident-severity-${level}` });
    input.checked = draft.severity === level;
    input.addEventListener("change", () => {
      draft.severity = level;
      save();
    });
    return h("label", { class: `tb-choice tb-severity tb-sev-${level}`, for: input.id }, input,
      h("span", {}, t(`sev_${level}`)));
  });
  const severityBox = h("fieldset", { class: "tb-q", dataset: { name: "severity" } },
    h("legend", { class: "tb-label" }, t("severity")),
    h("div", { class: "tb-choices tb-severities", role: "radiogroup" }, severities));
  fields.severity = { box: severityBox, error: h("p", { class: "tb-error", hidden: true }) };
  severityBox.append(fields.severity.error);

  // When and where.
  const time = h("input", { type: "datetime-local", id: "incident-time", value: draft.time });
  bindValue(time, "time");
  fields.time = field("time", h("label", { class: "tb-label", for: "incident-time" }, tz.named(t("occurred"))), time);
  fields.station = stationField(draft, stations, save);

  // What happened.
  const title = h("input", { type: "text", id: "incident-title", maxlength: LIMITS.title, autocomplete: "off" });
  title.value = draft.title;
  bindValue(title, "title");
  fields.title = field("title", h("label", { class: "tb-label", for: "incident-title" }, t("incident_title")), title);
  const description = h("textarea", { id: "incident-description", rows: 5, maxlength: LIMITS.description });
  description.value = draft.description;
  bindValue(description, "description");
  fields.description = field("description",
    h("label", { class: "tb-label", for: "incident-description" }, t("description")), description);

  const discard = h("button", { type: "button", class: "btn tb-danger", id: "discard-draft", hidden: !saved,
    onclick: async () => {
      if (!window.confirm(t("confirm_discard_draft"))) return;
      await store.remove("drafts", key);
      location.hash = back;
    } }, t("discard_draft"));
  const send = h("button", { type: "submit", class: "btn btn-primary tb-primary", id: "incident-send" },
    t("send_incident"));

  async function onSubmit(event) {
    event.preventDefault();
    submitted = true;
    const found = showProblems();
    const count = Object.keys(found).length;
    if (count) {
      summary.textContent = t("fix_fields", { n: count });
      summary.hidden = false;
      const first = form.querySelector(".tb-invalid input, .tb-invalid select, .tb-invalid textarea");
      if (first) first.focus();
      return;
    }
    send.disabled = true; // one tap, one incident
    summary.hidden = true;
    const payload = payloadOf(draft);
    const station = stations.find((s) => s.code === draft.station_code);
    const labels = { station: station ? `${station.code} · ${station.name}` : draft.station_code, title: payload.title };
    await data.queueIncident(payload, { labels, draftKey: key });
    ctx.flash(t("incident_queued"));
    await ctx.changed();
    location.hash = back;
    ctx.sync.syncNow(false);
  }

  const form = h("form", { class: "tb-fill tb-incident", id: "incident-form", novalidate: true, onsubmit: onSubmit },
    draft.observation_uuid ? h("p", { class: "tb-note-box", id: "incident-link" }, t("from_answer")) : null,
    fields.category.box, severityBox, fields.time.box, fields.station.box,
    fields.title.box, fields.description.box, photoField(draft, save),
    summary,
    h("div", { class: "tb-actions" }, status, h("span", { class: "tb-row" }, discard, send)));
  box.append(form);
}

// The station (preselected, or chosen among the tablet's, or found by search when online) and
// the device's location, either or both.
function stationField(draft, stations, save) {
  const select = h("select", { id: "incident-station" }, h("option", { value: "" }, t("no_station")));
  const addOption = (s) => {
    if (![...select.options].some((o) => o.value === s.code)) {
      select.append(h("option", { value: s.code }, s.name ? `${s.code} · ${s.name}` : s.code));
    }
  };
  stations.forEach(addOption);
  if (draft.station_code) addOption({ code: draft.station_code });
  select.value = draft.station_code;
  select.addEventListener("change", () => {
    draft.station_code = select.value;
    save();
  });

  const query = h("input", { type: "search", id: "incident-station-search", autocomplete: "off",
    "aria-label": t("search_label"), placeholder: t("search_label") });
  const note = h("p", { class: "muted", "aria-live": "polite" });
  const results = h("ul", { class: "tb-list" });
  async function search() {
    results.replaceChildren();
    note.textContent = "";
    const q = query.value.trim();
    if (!q) return;
    if (!navigator.onLine) {
      note.textContent = t("search_offline");
      return;
    }
    try {
      const found = (await getJSON("/stations", { q })).stations || [];
      note.textContent = found.length ? "" : t("no_results");
      results.append(...found.map((s) => h("li", {}, h("button", { type: "button", class: "tb-card",
        onclick: async () => {
          await data.addExtraStation(s);
          addOption(s);
          select.value = s.code;
          draft.station_code = s.code;
          results.replaceChildren();
          save();
        } }, `${s.code} · ${s.name}`))));
    } catch (error) {
      note.textContent = t("search_failed", { error: error instanceof AuthError ? t("session_ended") : error.message });
    }
  }
  query.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault(); // not the whole form
      search();
    }
  });

  const coords = h("p", { class: "muted", id: "incident-coords", "aria-live": "polite" });
  const clear = h("button", { type: "button", class: "btn", id: "incident-clear-location", onclick: () => {
    Object.assign(draft, { latitude: null, longitude: null, accuracy: null });
    showCoords();
    save();
  } }, t("clear_location"));
  function showCoords() {
    const has = draft.latitude !== null;
    coords.textContent = has
      ? t("coords", { lat: draft.latitude.toFixed(5), lon: draft.longitude.toFixed(5), acc: draft.accuracy ?? "?" })
      : "";
    clear.hidden = !has;
  }
  const locate = h("button", { type: "button", class: "btn", id: "incident-locate", onclick: () => {
    coords.textContent = t("locating");
    navigator.geolocation.getCurrentPosition((position) => {
      const round = (x) => Math.round(x * 1e6) / 1e6;
      Object.assign(draft, {
        latitude: round(position.coords.latitude),
        longitude: round(position.coords.longitude),
        accuracy: Math.round(position.coords.accuracy),
      });
      showCoords();
      save();
    }, () => {
      coords.textContent = t("location_failed");
    }, { enableHighAccuracy: true, timeout: 30_000, maximumAge: 120_000 });
  } }, t("use_location"));
  locate.hidden = !("geolocation" in navigator);
  showCoords();

  return field("station", h("label", { class: "tb-label", for: "incident-station" }, t("station")), select,
    h("span", { class: "tb-search-row" }, query,
      h("button", { type: "button", class: "btn", id: "incident-station-find", onclick: search }, t("search"))),
    note, results,
    h("p", { class: "tb-label" }, t("location")),
    h("span", { class: "tb-row" }, locate, clear), coords);
}

// Up to MAX_PHOTOS photos, shrunk on the tablet as they are added.
function photoField(draft, save) {
  const input = h("input", { type: "file", id: "incident-photos", accept: "image/*", capture: "environment",
    multiple: true, class: "sr-only" });
  const pick = h("label", { class: "btn tb-photo-add", for: "incident-photos" }, t("add_photo"));
  const list = h("ul", { class: "tb-photos", id: "incident-photo-list" });
  const note = h("p", { class: "muted", id: "incident-photo-note", "aria-live": "polite" });
  function draw() {
    list.replaceChildren(...draft.photos.map((photo, index) => h("li", { class: "tb-photo" },
      h("img", { src: thumbnailSrc(photo), alt: photo.filename }),
      h("button", { type: "button", class: "btn tb-danger", onclick: () => {
        draft.photos.splice(index, 1);
        draw();
        save();
      } }, t("remove_photo")))));
    pick.hidden = draft.photos.length >= MAX_PHOTOS;
  }
  input.addEventListener("change", async () => {
    const files = [...input.files];
    input.value = "";
    note.textContent = "";
    for (const file of files) {
      if (draft.photos.length >= MAX_PHOTOS) {
        note.textContent = t("photos_full", { n: MAX_PHOTOS });
        break;
      }
      try {
        draft.photos.push(await shrink(file));
      } catch (error) {
        console.warn("photo not read", error);
        note.textContent = t("photo_failed");
      }
    }
    draw();
    await save();
  });
  draw();
  return h("div", { class: "tb-q", dataset: { name: "photos" } },
    h("p", { class: "tb-label" }, t("photos", { n: MAX_PHOTOS })), list, input, pick, note);
}
