(function () {
  "use strict";
  var table = document.getElementById("board");
  var body = table.tBodies[0];
  var headers = Array.prototype.slice.call(table.tHead.rows[1].cells);
  var rows = Array.prototype.slice.call(body.rows);
  var layerSelect = document.getElementById("filter-layer");
  var badgeSelect = document.getElementById("filter-badge");
  var clearButton = document.getElementById("filter-clear");
  var claimsBox = document.getElementById("show-claims");
  var state = document.getElementById("filter-state");
  var board = { lastSortMs: null };

  var keyCache = {};

  function sortKeys(column, numeric) {
    /* Keys are read from the cells once per column, then reused for every later sort. */
    if (!keyCache[column]) {
      keyCache[column] = new Map();
      rows.forEach(function (row) {
        var raw = row.cells[column].getAttribute("data-sort");
        keyCache[column].set(row, numeric ? (raw === "" ? null : Number(raw)) : raw.toLowerCase());
      });
    }
    return keyCache[column];
  }

  function compare(a, b, direction, numeric) {
    if (a[0] === b[0]) { return a[1] - b[1]; }
    if (a[0] === null) { return 1; }            /* missing values last, either direction */
    if (b[0] === null) { return -1; }
    if (numeric) { return direction * (a[0] - b[0]); }
    return direction * (a[0] < b[0] ? -1 : 1);
  }

  function sortBy(column, direction) {
    /* Timed from the call to the re-ordered table laid out again (reading offsetHeight forces
       the layout); the benchmark also times a click to the next painted frame. */
    var started = performance.now();
    var numeric = headers[column].getAttribute("data-type") === "num";
    var keys = sortKeys(column, numeric);
    var keyed = rows.map(function (row, index) { return [keys.get(row), index, row]; });
    keyed.sort(function (a, b) { return compare(a, b, direction, numeric); });
    rows = keyed.map(function (item) { return item[2]; });
    body.replaceChildren.apply(body, rows);
    headers.forEach(function (header, index) {
      if (index === column) {
        header.setAttribute("aria-sort", direction > 0 ? "ascending" : "descending");
      } else {
        header.removeAttribute("aria-sort");
      }
    });
    void table.offsetHeight;
    board.lastSortMs = performance.now() - started;
    return board.lastSortMs;
  }

  headers.forEach(function (header, column) {
    header.querySelector("button").addEventListener("click", function () {
      var current = header.getAttribute("aria-sort");
      var numeric = header.getAttribute("data-type") === "num";
      var first = numeric && column !== 0 ? -1 : 1;   /* scores start high-first */
      sortBy(column, current === null ? first : (current === "ascending" ? -1 : 1));
    });
  });

  function describe(layer, badge) {
    var parts = [];
    if (layer) { parts.push("layer attempted = " + layer); }
    if (badge) { parts.push("badge = " + (badge === "none" ? "no badge" : badge)); }
    return parts;
  }

  function applyFilters() {
    var layer = layerSelect.value;
    var badge = badgeSelect.value;
    var shown = 0;
    rows.forEach(function (row) {
      var layers = row.getAttribute("data-layers").split(" ");
      var badges = row.getAttribute("data-badges");
      var list = badges ? badges.split(" ") : [];
      var keep = (!layer || layers.indexOf(layer) >= 0) &&
        (!badge || (badge === "none" ? list.length === 0 : list.indexOf(badge) >= 0));
      row.hidden = !keep;
      if (keep) { shown += 1; }
    });
    var active = describe(layer, badge);
    state.textContent = "";
    var count = document.createElement("strong");
    count.textContent = active.length ? shown + " of " + rows.length : "all " + rows.length;
    state.appendChild(document.createTextNode("Showing "));
    state.appendChild(count);
    state.appendChild(document.createTextNode(" entries; "));
    var filters = document.createElement("span");
    filters.className = active.length ? "active" : "";
    filters.textContent = active.length ? "filtered by " + active.join(", ") + "." : "no filter.";
    state.appendChild(filters);
    clearButton.disabled = active.length === 0;
    table.classList.toggle("with-claims", claimsBox.checked);
    var hash = new URLSearchParams();
    if (layer) { hash.set("layer", layer); }
    if (badge) { hash.set("badge", badge); }
    if (claimsBox.checked) { hash.set("claims", "1"); }
    var text = hash.toString();
    if (text !== location.hash.slice(1)) { location.replace("#" + text); }
  }

  function restoreFilters() {
    var saved = new URLSearchParams(location.hash.slice(1));
    [[layerSelect, saved.get("layer")], [badgeSelect, saved.get("badge")]].forEach(function (pair) {
      var known = Array.prototype.some.call(pair[0].options, function (o) { return o.value === pair[1]; });
      pair[0].value = known ? pair[1] : "";
    });
    claimsBox.checked = saved.get("claims") === "1";
  }

  layerSelect.addEventListener("change", applyFilters);
  badgeSelect.addEventListener("change", applyFilters);
  claimsBox.addEventListener("change", applyFilters);
  clearButton.addEventListener("click", function () {
    layerSelect.value = "";
    badgeSelect.value = "";
    applyFilters();
  });
  restoreFilters();
  applyFilters();
  board.sortBy = sortBy;
  window.claimbenchBoard = board;
})();
