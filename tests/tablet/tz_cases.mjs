// Wall clock ↔ instant of static/tablet/tz.js, daylight saving included, under Node whatever
// its own zone. Run by test_time_zones.py: node tz_cases.mjs REPO_ROOT
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";

const root = process.argv[2];
globalThis.document = { body: { dataset: { timezone: "Africa/Lagos" } } };
const source = readFileSync(path.join(root, "static/tablet/tz.js"), "utf8");
const tz = await import(`data:text/javascript,${encodeURIComponent(source)}`);

// The shell's zone, no DST: UTC+1 all year.
assert.equal(tz.zone(), "Africa/Lagos");
assert.equal(tz.isoAt("2027-02-25", "07:30"), "2027-02-25T07:30:00+01:00");
assert.equal(tz.isoOfLocal("2027-02-25T09:15"), "2027-02-25T09:15:00+01:00");
assert.equal(tz.isoOfLocal("not a time"), null);
assert.equal(tz.isoAt("2027-02-25", "7h30"), null);
assert.equal(tz.localDateTime(new Date("2027-02-24T23:30:00Z")), "2027-02-25T00:30");
assert.equal(tz.today(new Date("2027-02-24T23:30:00Z")), "2027-02-25");
assert.equal(tz.nowHHMM(new Date("2027-02-25T06:30:00Z")), "07:30");
assert.equal(tz.nextDay("2027-02-28"), "2027-03-01");
assert.match(tz.show("2027-02-25T08:15:00Z", "en"), /9:15.*\(Africa\/Lagos\)$/);

// East and west of UTC, on both sides of their daylight-saving changes.
const ny = "America/New_York";
assert.equal(tz.isoAt("2027-01-10", "07:30", ny), "2027-01-10T07:30:00-05:00");
assert.equal(tz.isoAt("2027-07-10", "07:30", ny), "2027-07-10T07:30:00-04:00");
// 02:30 never happens on 14 March 2027: the clocks read it as 03:30 summer time.
assert.equal(tz.isoAt("2027-03-14", "02:30", ny), "2027-03-14T03:30:00-04:00");
// 01:30 happens twice on 7 November 2027: the first one.
assert.equal(tz.isoAt("2027-11-07", "01:30", ny), "2027-11-07T01:30:00-04:00");
assert.equal(tz.isoAt("2027-11-07", "02:30", ny), "2027-11-07T02:30:00-05:00");
const paris = "Europe/Paris";
assert.equal(tz.isoAt("2027-03-28", "01:30", paris), "2027-03-28T01:30:00+01:00");
assert.equal(tz.isoAt("2027-03-28", "03:30", paris), "2027-03-28T03:30:00+02:00");
assert.equal(tz.isoAt("2027-10-31", "02:30", paris), "2027-10-31T02:30:00+02:00");
assert.equal(tz.isoAt("2027-02-25", "07:30", "Asia/Kolkata"), "2027-02-25T07:30:00+05:30");
assert.equal(tz.isoAt("2027-02-25", "07:30", "Pacific/Chatham"), "2027-02-25T07:30:00+13:45");
// Each ISO text is the same instant as the wall time read back in the zone.
for (const [day, hhmm, zone] of [["2027-11-07", "01:30", ny], ["2027-03-28", "03:30", paris]]) {
  const back = tz.wall(new Date(tz.isoAt(day, hhmm, zone)), zone);
  assert.deepEqual([back.day, back.hhmm], [day, hhmm]);
}
// A zone the browser does not know: UTC, not a broken screen.
globalThis.document.body.dataset.timezone = "Mars/Olympus";
assert.equal(tz.zone(), "UTC");
assert.equal(tz.isoAt("2027-02-25", "07:30"), "2027-02-25T07:30:00+00:00");
console.log("ok");
