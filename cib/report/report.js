// cib report: sortable tables, print support and verdicts (downloaded as verdicts.json from a
// Blob). No network access, no eval.
(function () {
  "use strict";
  document.documentElement.setAttribute("data-js", "ok");
  function cellValue(row, i) {
    var cell = row.cells[i];
    if (!cell) { return ""; }
    var raw = cell.getAttribute("data-sort");
    var text = raw !== null ? raw : cell.textContent.trim();
    var num = Number(text);
    return text !== "" && !isNaN(num) ? num : text.toLowerCase();
  }
  function sortBy(table, th, i) {
    var body = table.tBodies[0];
    if (!body) { return; }
    var asc = th.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, i), y = cellValue(b, i);
      if (x === y) { return 0; }
      return (x < y ? -1 : 1) * (asc ? 1 : -1);
    });
    Array.prototype.forEach.call(th.parentNode.cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    rows.forEach(function (r) { body.appendChild(r); });
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    var head = table.tHead;
    if (!head || !head.rows.length) { return; }
    Array.prototype.forEach.call(head.rows[0].cells, function (th, i) {
      th.setAttribute("tabindex", "0");
      th.addEventListener("click", function () { sortBy(table, th, i); });
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy(table, th, i); }
      });
    });
  });
  // Verdicts: one choice per network, downloaded as verdicts.json for `cib review import`.
  var panel = document.getElementById("review-panel");
  if (panel) {
    var chosen = {};
    var count = document.getElementById("rv-count");
    var show = function () {
      var n = Object.keys(chosen).length;
      count.textContent = n ? n + " verdict(s) chosen" : "no verdicts chosen";
    };
    Array.prototype.forEach.call(document.querySelectorAll("fieldset.verdict-control"), function (box) {
      var nid = Number(box.getAttribute("data-network-id"));
      var note = box.querySelector("textarea");
      Array.prototype.forEach.call(box.querySelectorAll("input[type=radio]"), function (radio) {
        radio.addEventListener("change", function () {
          if (!radio.checked) { return; }
          chosen[nid] = {
            network_id: nid,
            track_id: box.getAttribute("data-track-id") || null,
            name: box.getAttribute("data-name") || "",
            verdict: radio.value,
            note: note ? note.value : "",
            decided_at: new Date().toISOString()
          };
          show();
        });
      });
      if (note) {
        note.addEventListener("input", function () {
          if (chosen[nid]) { chosen[nid].note = note.value; }
        });
      }
    });
    document.getElementById("rv-download").addEventListener("click", function () {
      var keys = Object.keys(chosen).sort(function (a, b) { return a - b; });
      var data = {
        format: "cib-verdicts",
        version: 1,
        run_id: panel.getAttribute("data-run-id"),
        reviewer: document.getElementById("rv-reviewer").value || null,
        exported_at: new Date().toISOString(),
        verdicts: keys.map(function (k) { return chosen[k]; })
      };
      var blob = new Blob([JSON.stringify(data, null, 1) + "\n"], { type: "application/json" });
      var url = URL.createObjectURL(blob);
      var a = document.createElement("a");
      a.href = url;
      a.download = "verdicts.json";
      document.body.appendChild(a);
      a.click();
      count.textContent = keys.length + " verdict(s) downloaded as verdicts.json";
      window.setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 1000);
    });
  }
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) { d.open = true; });
  });
})();
