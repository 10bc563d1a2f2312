// The mission's time zone. Every time typed or shown on the tablet is the mission's wall-clock
// time, whatever zone the device is set to (observers often keep their home zone): wall time
// ↔ instant goes through Intl.DateTimeFormat with timeZone, so daylight saving is the zone's.

const formatters = new Map();

function formatter(zone) {
  let found = formatters.get(zone);
  if (!found) {
    found = new Intl.DateTimeFormat("en-US", {
      timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit",
    });
    formatters.set(zone, found);
  }
  return found;
}

// The shell names the zone (data-timezone); a zone this browser does not know falls back to UTC
// rather than breaking every screen.
export function zone() {
  const name = document.body.dataset.timezone || "UTC";
  try {
    formatter(name);
    return name;
  } catch {
    return "UTC";
  }
}

// {day: "YYYY-MM-DD", hhmm: "HH:MM", second: "SS"} of an instant, in the zone.
export function wall(instant, name = zone()) {
  const parts = Object.fromEntries(formatter(name).formatToParts(instant).map((p) => [p.type, p.value]));
  const hour = parts.hour === "24" ? "00" : parts.hour;
  return { day: `${parts.year}-${parts.month}-${parts.day}`, hhmm: `${hour}:${parts.minute}`, second: parts.second };
}

// Minutes the zone is ahead of UTC at that instant (ms since the epoch).
function offsetAt(ms, name) {
  const w = wall(new Date(ms), name);
  const asUtc = Date.parse(`${w.day}T${w.hhmm}:${w.second}Z`);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

function offsetText(minutes) {
  const pad = (n) => String(n).padStart(2, "0");
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

// The instant (ms) of a wall-clock day and "HH:MM" in the zone, or NaN. At a daylight-saving
// change a time that happens twice is the first; one that never happens is read with the
// offset before the change (02:30 becomes 03:30), as the clocks on the wall would.
export function instantOf(day, hhmm, name = zone()) {
  const naive = Date.parse(`${day}T${hhmm}:00Z`);
  if (Number.isNaN(naive)) return NaN;
  // Offsets change at most once a day: the ones a day either side cover both readings.
  const before = offsetAt(naive - 86_400_000, name);
  const after = offsetAt(naive + 86_400_000, name);
  const readings = [naive - before * 60_000, naive - after * 60_000]
    .filter((ms) => wall(new Date(ms), name).hhmm === hhmm);
  return readings.length ? Math.min(...readings) : naive - before * 60_000;
}

// ISO 8601 with the zone's offset at that instant ("2027-02-25T07:30:00+01:00").
export function isoOf(ms, name = zone()) {
  const offset = offsetAt(ms, name);
  const local = new Date(Math.floor(ms / 1000) * 1000 + offset * 60_000).toISOString().slice(0, 19);
  return `${local}${offsetText(offset)}`;
}

// A wall-clock day and "HH:MM" in the zone as ISO 8601 with its offset; null when unreadable.
export function isoAt(day, hhmm, name = zone()) {
  const ms = instantOf(day, hhmm, name);
  return Number.isNaN(ms) ? null : isoOf(ms, name);
}

// The day after "YYYY-MM-DD".
export function nextDay(day) {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

export const today = (now = new Date()) => wall(now).day;
export const nowHHMM = (now = new Date()) => wall(now).hhmm;

// "YYYY-MM-DDTHH:MM" in the zone: the value of an <input type=datetime-local>.
export function localDateTime(instant = new Date()) {
  const w = wall(instant);
  return `${w.day}T${w.hhmm}`;
}

// An <input type=datetime-local> value read in the zone, as ISO 8601 with its offset.
export function isoOfLocal(value) {
  const match = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)/.exec(value || "");
  return match ? isoAt(match[1], match[2]) : null;
}

// "Arrival time (Africa/Lagos)": a label that says which clock it means.
export const named = (label) => `${label} (${zone()})`;

// An instant for people: date and time in the zone, in the tablet's language, zone named.
export function show(value, lang) {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return "";
  const text = new Intl.DateTimeFormat(lang || undefined, {
    timeZone: zone(), dateStyle: "short", timeStyle: "short",
  }).format(date);
  return named(text);
}
