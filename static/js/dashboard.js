// Election-day dashboard: polls the stats API (the same JSON as GET /api/v1/stats/indicators)
// and redraws the server-rendered snapshot in place, without reloading the page. Every text
// goes in with textContent, so an incident title or an area name can never become markup.
// The formatting helpers are twins of observer_suite/reporting/views.py: keep them in step,
// so a number reads the same before and after a refresh, and as in the PDF.
(function () {
  "use strict";
  var root = document.getElementById("dashboard");
  if (!root || !root.dataset.statsUrl || !window.fetch) { return; }

  var seconds = parseFloat(root.dataset.refreshSeconds);
  var INTERVAL = 1000 * (isFinite(seconds) && seconds >= 1 ? seconds : 30);
  var ZONE = root.dataset.timezone || "UTC";
  var INCIDENTS = root.dataset.incidentBase || "";
  var LATEST = parseInt(root.dataset.latest, 10) || 10;
  var timer = null;
  var stopped = false;

  // ---- formatting (twins of views.py) ----

  function num(value) {
    if (value === null || value === undefined) { return "\u2013"; }
    return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  // One decimal as Python's format() gives it: correctly rounded, exact ties to even.
  function fixed1(value) {
    if (Number.isInteger(value * 4) && !Number.isInteger(value * 2)) { // x.25 or x.75
      var tenths = Math.floor(value * 10);
      if (tenths % 2 === 1) { tenths += 1; }
      return (tenths / 10).toFixed(1);
    }
    return value.toFixed(1);
  }

  function pct(n, total) { return fixed1(100 * (n / total)) + "%"; }

  function margin(value) { return value === null || value === undefined ? "" : "\u00b1" + fixed1(100 * value); }

  var formatters = {};
  function formatter(withSeconds) {
    var key = withSeconds ? "s" : "m";
    if (!formatters[key]) {
      var options = { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit",
        minute: "2-digit", hourCycle: "h23", timeZone: ZONE };
      if (withSeconds) { options.second = "2-digit"; }
      try { formatters[key] = new Intl.DateTimeFormat("en-GB", options); }
      catch { options.timeZone = "UTC"; formatters[key] = new Intl.DateTimeFormat("en-GB", options); }
    }
    return formatters[key];
  }

  // An ISO time from the JSON in the mission's zone: "YYYY-MM-DD HH:MM", or "HH:MM:SS".
  function when(iso, timeOnly) {
    if (!iso) { return ""; }
    var text = String(iso).replace(/(\.\d{3})\d+/, "$1");
    if (!/(Z|[+-]\d\d:?\d\d)$/i.test(text)) { text += "Z"; } // naive: UTC
    var moment = new Date(text);
    if (isNaN(moment.getTime())) { return ""; }
    var parts = {};
    formatter(timeOnly).formatToParts(moment).forEach(function (p) { parts[p.type] = p.value; });
    var hm = parts.hour + ":" + parts.minute;
    if (timeOnly) { return hm + ":" + parts.second; }
    return parts.year + "-" + parts.month + "-" + parts.day + " " + hm;
  }

  function teamRows(forms) {
    var rows = {}, order = [];
    forms.forEach(function (form, index) {
      form.teams.forEach(function (team) {
        var row = rows[team.team_id];
        if (!row) {
          row = { code: team.team_code, area: team.area_name, cells: forms.map(function () { return null; }), behind: 0 };
          rows[team.team_id] = row;
          order.push(row);
        }
        row.cells[index] = team;
        if (team.expected !== null) { row.behind += Math.max(team.expected - team.on_plan, 0); }
      });
    });
    return order.sort(function (a, b) {
      if (a.behind !== b.behind) { return b.behind - a.behind; }
      return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
    });
  }

  // ---- DOM helpers ----

  function node(tag, className, text) {
    var n = document.createElement(tag);
    if (className) { n.className = className; }
    if (text !== undefined && text !== null) { n.textContent = text; }
    return n;
  }

  function clear(el) { while (el.firstChild) { el.removeChild(el.firstChild); } return el; }

  function cell(text, label, className) {
    var td = node("td", className, text);
    if (label) { td.dataset.label = label; }
    return td;
  }

  function headRow(table, cells) {
    var tr = node("tr");
    cells.forEach(function (c) { tr.appendChild(node("th", c[1] || null, c[0])); });
    clear(table.tHead || table.createTHead()).appendChild(tr);
  }

  function body(table) { return clear(table.tBodies[0] || table.createTBody()); }

  function emptyRow(tbody, span, text) {
    var td = node("td", "muted", text);
    td.colSpan = span;
    node("tr").appendChild(td);
    tbody.appendChild(td.parentNode);
  }

  function progressCell(p, label) {
    var td = cell(num(p.expected !== null ? p.on_plan : p.received), label, "num");
    if (p.expected !== null) {
      td.appendChild(document.createTextNode(" "));
      td.appendChild(node("span", "muted", "/ " + num(p.expected)));
    }
    return td;
  }

  function shareCell(s, label) {
    var td = cell(null, label, "num");
    if (!s.total) { td.appendChild(node("span", "muted", "no data")); return td; }
    td.appendChild(node("strong", null, pct(s.n, s.total)));
    if (s.margin !== null && s.margin !== undefined) {
      td.appendChild(document.createTextNode(" "));
      td.appendChild(node("span", "margin", margin(s.margin)));
    }
    td.appendChild(document.createTextNode(" "));
    td.appendChild(node("span", "muted", "(" + num(s.n) + " of " + num(s.total) + ")"));
    return td;
  }

  function byId(id) { return document.getElementById(id); }

  // ---- sections ----

  function drawFigures(data) {
    var values = {
      stations_observed: data.coverage.stations_observed,
      stations_planned: data.coverage.stations_planned,
      stations_total: data.coverage.stations_total,
      observations: data.counts.observations,
      incidents: data.counts.incidents,
      critical_incidents: data.counts.critical_incidents
    };
    var leftOut = {
      observations: data.counts.observations_rejected,
      incidents: data.counts.incidents_rejected,
      critical_incidents: data.counts.critical_rejected
    };
    Object.keys(values).forEach(function (key) {
      var el = root.querySelector('[data-figure="' + key + '"]');
      if (el) { el.textContent = num(values[key]); }
      var note = root.querySelector('[data-left-out="' + key + '"]');
      if (note) { note.textContent = leftOut[key] ? num(leftOut[key]) + " rejected not counted" : ""; }
    });
  }

  function drawForms(data) {
    byId("dash-plan-note").textContent = data.plan
      ? "Expected from the published plan \u201c" + data.plan.name + "\u201d; progress counts " +
        "the expected stops with a report (reports from other stations add to Received)."
      : "No published deployment plan: nothing is expected yet.";
    var tbody = body(byId("dash-forms"));
    data.forms.forEach(function (f) {
      var tr = node("tr");
      tr.appendChild(cell(f.title));
      tr.appendChild(cell(f.kind, "Phase"));
      tr.appendChild(cell(num(f.mission.received), "Received", "num"));
      tr.appendChild(cell(num(f.mission.expected), "Expected", "num"));
      var bar = cell(null, "Progress");
      if (f.mission.expected) {
        var progress = node("progress", null, pct(f.mission.on_plan, f.mission.expected));
        progress.max = f.mission.expected;
        progress.value = f.mission.on_plan;
        bar.appendChild(progress);
        bar.appendChild(document.createTextNode(" " + pct(f.mission.on_plan, f.mission.expected)));
      }
      tr.appendChild(bar);
      tbody.appendChild(tr);
    });
    if (!data.forms.length) { emptyRow(tbody, 5, "No forms yet."); }
  }

  function formHeads(data) {
    return data.forms.map(function (f) { return [f.title, "num"]; });
  }

  function drawAreas(data) {
    Array.prototype.forEach.call(root.querySelectorAll(".dash-area-level"), function (el) {
      el.textContent = data.area_level;
    });
    var table = byId("dash-areas");
    var level = data.area_level.charAt(0).toUpperCase() + data.area_level.slice(1);
    headRow(table, [[level], ["Stations observed / planned / total", "num"]]
      .concat(formHeads(data), [["Incidents", "num"]]));
    var tbody = body(table);
    data.areas.forEach(function (area, i) {
      var c = data.area_coverage[i];
      var tr = node("tr");
      tr.appendChild(cell(area.name));
      tr.appendChild(cell(num(c.stations_observed) + " / " + num(c.stations_planned) + " / " +
        num(c.stations_total), "Stations", "num"));
      data.forms.forEach(function (f) { tr.appendChild(progressCell(f.areas[i], f.title)); });
      tr.appendChild(cell(num(data.incidents.areas[i]), "Incidents", "num"));
      tbody.appendChild(tr);
    });
    if (!data.areas.length) { emptyRow(tbody, data.forms.length + 3, "No areas."); }
  }

  function drawTeams(data) {
    var table = byId("dash-teams");
    headRow(table, [["Team"], ["Region"]].concat(formHeads(data), [["Behind plan", "num"]]));
    var tbody = body(table);
    var rows = teamRows(data.forms);
    rows.forEach(function (row) {
      var tr = node("tr", row.behind ? "dash-behind" : null);
      tr.appendChild(cell(row.code));
      tr.appendChild(cell(row.area || "\u2013", "Region"));
      row.cells.forEach(function (c, i) {
        tr.appendChild(c ? progressCell(c, data.forms[i].title)
          : cell("\u2013", data.forms[i].title, "num muted"));
      });
      tr.appendChild(cell(num(row.behind), "Behind plan", "num"));
      tbody.appendChild(tr);
    });
    if (!rows.length) { emptyRow(tbody, data.forms.length + 3, "No teams in the plan."); }
  }

  function drawNoOpening(data) {
    byId("dash-no-opening-count").textContent = num(data.teams_without_opening.length);
    var list = clear(byId("dash-no-opening"));
    data.teams_without_opening.forEach(function (t) {
      var li = node("li", null, t.code);
      if (t.area_name) {
        li.appendChild(document.createTextNode(" "));
        li.appendChild(node("span", "muted", t.area_name));
      }
      list.appendChild(li);
    });
  }

  function drawIndicators(data) {
    var note = data.mode === "sample"
      ? "Sample mode: \u00b1 is the margin of error at " +
        (data.confidence ? String(Math.round(100000 * 100 * data.confidence) / 100000) : "") +
        "% confidence."
      : "Purposive mode: figures describe observed stations only.";
    byId("dash-mode-note").textContent = note;
    var table = byId("dash-indicators");
    var whole = data.region ? data.region.name : "Mission";
    headRow(table, [["Indicator"], [whole, "num"]].concat(
      data.areas.map(function (a) { return [a.name, "num"]; })));
    var tbody = body(table);
    data.indicators.forEach(function (ind) {
      var tr = node("tr");
      tr.dataset.key = ind.key;
      var label = cell(ind.label + " ");
      label.appendChild(node("span", "muted", "\u00b7 " + ind.phase));
      tr.appendChild(label);
      tr.appendChild(shareCell(ind.mission, whole));
      ind.areas.forEach(function (s, i) { tr.appendChild(shareCell(s, data.areas[i].name)); });
      tbody.appendChild(tr);
    });
    if (!data.indicators.length) { emptyRow(tbody, data.areas.length + 2, "No indicators defined."); }
  }

  function drawIncidents(data) {
    var list = clear(byId("dash-incidents"));
    var items = data.incidents.critical.slice(0, LATEST);
    items.forEach(function (item) {
      var li = node("li");
      li.dataset.id = String(item.id);
      var link = node("a", null, "#" + item.id + " " + item.title);
      link.href = INCIDENTS + encodeURIComponent(String(item.id));
      li.appendChild(link);
      li.appendChild(document.createTextNode(" "));
      var meta = [item.category, item.station_code, item.area_name, when(item.occurred_at)]
        .filter(Boolean).join(" \u00b7 ");
      li.appendChild(node("span", "muted", meta));
      list.appendChild(li);
    });
    if (!items.length) { list.appendChild(node("li", "muted", "None.")); }
  }

  function draw(data) {
    drawFigures(data);
    drawForms(data);
    drawAreas(data);
    drawTeams(data);
    drawNoOpening(data);
    drawIndicators(data);
    drawIncidents(data);
    var updated = byId("dash-updated");
    updated.textContent = when(data.generated_at, true);
    updated.setAttribute("datetime", data.generated_at);
    byId("dash-until").textContent = when(data.until);
    root.dataset.refreshed = String((parseInt(root.dataset.refreshed, 10) || 0) + 1);
  }

  // ---- polling ----

  function failed(reason) {
    var note = byId("dash-refresh-error");
    note.textContent = "Refresh failed (" + reason + "); showing the data of " +
      byId("dash-updated").textContent + ".";
    note.hidden = false;
  }

  function poll() {
    timer = null;
    if (document.hidden) { schedule(); return; }
    fetch(root.dataset.statsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 401 || response.status === 403) {
          stopped = true; // logged out or no longer allowed: reloading will say so
          failed("not logged in any more; reload the page");
          return null;
        }
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json().then(function (data) {
          try { draw(data); } catch { failed("unexpected answer"); return; }
          byId("dash-refresh-error").hidden = true;
        });
      })
      .catch(function (error) {
        failed(error && /^HTTP /.test(error.message) ? error.message : "no connection");
      })
      .then(schedule);
  }

  function schedule() {
    if (!timer && !stopped) { timer = window.setTimeout(poll, INTERVAL); }
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && timer) { window.clearTimeout(timer); timer = null; poll(); }
  });
  schedule(); // the page already shows the data of its own request
})();
