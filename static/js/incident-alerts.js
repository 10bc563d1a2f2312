// Critical-incident banner on mission pages: polls the mission's alerts.json every 15 s and
// lists critical incidents still awaiting verification. Text goes in with textContent only,
// so an incident title can never become markup. "Hide" lasts until a newer one arrives.
(function () {
  "use strict";
  var el = document.getElementById("incident-alerts");
  if (!el || !el.dataset.url || !window.fetch) { return; }

  var INTERVAL = 15000;
  var hideKey = "incident-alerts-hidden:" + el.dataset.url;
  var latest = 0;        // highest id received; the next poll asks only for newer ones
  var items = {};        // id -> incident, as last received
  var firstPoll = true;
  var timer = null;

  function node(tag, className, text) {
    var n = document.createElement(tag);
    if (className) { n.className = className; }
    if (text !== undefined) { n.textContent = text; }
    return n;
  }

  function hiddenUpTo() {
    try { return parseInt(window.sessionStorage.getItem(hideKey) || "0", 10) || 0; }
    catch { return 0; }
  }

  function hide() {
    try { window.sessionStorage.setItem(hideKey, String(latest)); } catch { /* private mode */ }
    el.hidden = true;
  }

  function render(data) {
    while (el.firstChild) { el.removeChild(el.firstChild); }
    if (!data.count || latest <= hiddenUpTo()) { el.hidden = true; return; }
    var head = node("p", "incident-alerts-head");
    head.appendChild(node("strong", null, "⚠ " + data.count + " critical incident" +
      (data.count === 1 ? "" : "s") + " awaiting verification"));
    head.appendChild(document.createTextNode(" "));
    var all = node("a", null, "See them");
    all.href = data.list_url;
    head.appendChild(all);
    var close = node("button", "btn btn-small", "Hide");
    close.type = "button";
    close.addEventListener("click", hide);
    head.appendChild(close);
    el.appendChild(head);

    var list = node("ul", "plain");
    Object.keys(items).map(Number).sort(function (a, b) { return b - a; }).slice(0, 2)
      .forEach(function (id) { // the newest two: the banner must not push the page down
        var item = items[id];
        var li = node("li", item.fresh ? "new" : "");
        li.dataset.id = String(id);
        var link = node("a", null, "#" + id + " " + item.title);
        link.href = item.url;
        li.appendChild(link);
        var where = [item.category, item.station, item.occurred_at.replace("T", " ")]
          .filter(Boolean).join(" · ");
        li.appendChild(node("span", "muted", " " + where));
        list.appendChild(li);
      });
    el.appendChild(list);
    el.hidden = false;
  }

  function apply(data) {
    var pending = {};
    (data.ids || []).forEach(function (id) { pending[id] = true; });
    Object.keys(items).forEach(function (id) { if (!pending[id]) { delete items[id]; } });
    (data.incidents || []).forEach(function (item) {
      item.fresh = !firstPoll;
      items[item.id] = item;
    });
    latest = Math.max(latest, data.latest || 0);
    firstPoll = false;
    render(data);
  }

  function poll() {
    timer = null;
    if (document.hidden) { schedule(); return; }
    var url = el.dataset.url + "?since=" + encodeURIComponent(latest);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 401 || response.status === 403) { return null; } // stop
        if (!response.ok) { schedule(); return null; }
        return response.json().then(function (data) { apply(data); schedule(); });
      })
      .catch(function () { schedule(); }); // offline: try again later
  }

  function schedule() {
    if (!timer) { timer = window.setTimeout(poll, INTERVAL); }
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && timer) { window.clearTimeout(timer); timer = null; poll(); }
  });
  poll();
})();
