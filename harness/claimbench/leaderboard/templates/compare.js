// The comparison page (leaderboard/compare.py): two entries' match summaries against the gold of
// #corpus-data, tabulated per layer, label and document, with the gold items one finds and the
// other misses. Every string goes in through textContent, never as markup.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("compare-data").textContent);
  var corpus = JSON.parse(document.getElementById("corpus-data").textContent);
  var selectA = document.getElementById("compare-a");
  var selectB = document.getElementById("compare-b");
  var out = document.getElementById("comparison");
  var LAYERS = ["entities", "numbers", "attributions"];
  var byKey = {};
  data.entries.forEach(function (entry) { byKey[entry.key] = entry; });

  function el(tag, text, css) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (css) { node.className = css; }
    return node;
  }
  function fmt(value) { return value === null || value === undefined ? "N/A" : value.toFixed(3); }
  function signed(value) { return (value > 0 ? "+" : "") + value.toFixed(3); }
  function f1(tp, fp, fn) { return tp === 0 ? 0 : 2 * tp / (2 * tp + fp + fn); }
  function label(entry) { return entry.name + " " + entry.version + (entry.rank ? " (rank " + entry.rank + ")" : ""); }

  function table(id, head, rows) {
    var t = el("table", null, "small compare-table");
    t.id = id;
    var tr = el("tr");
    head.forEach(function (cell) { tr.appendChild(el("th", cell)); });
    t.appendChild(el("thead")).appendChild(tr);
    var body = t.appendChild(el("tbody"));
    rows.forEach(function (row) {
      var line = el("tr");
      row.cells.forEach(function (cell, i) { line.appendChild(el("td", cell, i > 0 && typeof row.raw[i] === "number" ? "num" : "")); });
      if (row.css) { line.className = row.css; }
      body.appendChild(line);
    });
    return t;
  }

  // Per document and layer: the gold items each entry matched, and its false positives by label.
  function matched(entry, doc, layer) {
    var m = entry.summary.m[doc] && entry.summary.m[doc][layer];
    var set = {};
    (m || []).forEach(function (index) { set[index] = true; });
    return set;
  }
  function falsePositives(entry, doc, layer) {
    return (entry.summary.f[doc] && entry.summary.f[doc][layer]) || {};
  }
  function goldLabel(item) { return item.label || "attribution"; }
  function goldText(record, item) {
    var chars = Array.from(record.text);
    var span = item.cue ? item.cue : item;
    var text = chars.slice(span.start, span.end).join("");
    if (item.cue && item.source) { text = chars.slice(item.source.start, item.source.end).join("") + " … " + text; }
    return text;
  }

  function counts(entry, attempted) {
    // {layer: {label: [tp, fp, fn]}}, {doc: {layer: [tp, fp, fn]}} for the layers it attempted.
    var labels = {}, docs = {};
    corpus.documents.forEach(function (record) {
      docs[record.id] = {};
      attempted.forEach(function (layer) {
        var hit = matched(entry, record.id, layer), gold = record.gold[layer] || [];
        var perLabel = labels[layer] = labels[layer] || {};
        var total = [0, 0, 0];
        gold.forEach(function (item, index) {
          var c = perLabel[goldLabel(item)] = perLabel[goldLabel(item)] || [0, 0, 0];
          if (hit[index]) { c[0] += 1; total[0] += 1; } else { c[2] += 1; total[2] += 1; }
        });
        var fps = falsePositives(entry, record.id, layer);
        Object.keys(fps).forEach(function (name) {
          var c = perLabel[name] = perLabel[name] || [0, 0, 0];
          c[1] += fps[name]; total[1] += fps[name];
        });
        docs[record.id][layer] = total;
      });
    });
    return { labels: labels, docs: docs };
  }

  function pValue(a, b) {
    var p = (data.p[a.key] && data.p[a.key][b.key]);
    if (p === undefined) { p = data.p[b.key] && data.p[b.key][a.key]; }
    return p === undefined ? null : p;
  }

  function render() {
    var a = byKey[selectA.value], b = byKey[selectB.value];
    out.replaceChildren();
    if (!a || !b) { out.appendChild(el("p", "At least two scored entries are needed to compare.", "notes")); return; }
    var hash = new URLSearchParams({ a: a.key, b: b.key }).toString();
    if (hash !== location.hash.slice(1)) { location.replace("#" + hash); }
    var p = pValue(a, b);
    var verdict = el("p", null, "lead");
    verdict.id = "compare-verdict";
    var diff = a.overall - b.overall;
    verdict.textContent = "Overall: A " + fmt(a.overall) + ", B " + fmt(b.overall) + " (A − B = " + signed(diff) + "). " +
      (a.key === b.key ? "The same entry on both sides." :
       p === null ? "Paired test: not run for this pair (it runs between every two of the " + data.tested +
         " best-ranked entries); `claimbench compare` on their predictions gives it." :
       "Paired approximate randomisation test of the overall score: p = " + p.toFixed(4) +
         (p < 0.05 ? " < 0.05, the difference is significant." : " ≥ 0.05, the test cannot separate them."));
    out.appendChild(verdict);
    var pv = el("span", p === null ? "" : p.toFixed(4));
    pv.id = "compare-p";
    pv.hidden = true;
    out.appendChild(pv);

    var attempted = LAYERS.filter(function (layer) { return layer in a.layers || layer in b.layers; });
    out.appendChild(el("h3", "Per layer (headline F1, precision, recall)"));
    out.appendChild(table("compare-layers", ["layer", "A F1", "B F1", "A − B", "A P", "B P", "A R", "B R"],
      attempted.map(function (layer) {
        var x = a.layers[layer] || [null, null, null], y = b.layers[layer] || [null, null, null];
        var d = x[0] !== null && y[0] !== null ? signed(x[0] - y[0]) : "N/A";
        var raw = [layer, x[0], y[0], 0, x[1], y[1], x[2], y[2]];
        return { raw: raw, cells: [layer, fmt(x[0]), fmt(y[0]), d, fmt(x[1]), fmt(y[1]), fmt(x[2]), fmt(y[2])] };
      })));

    var ca = counts(a, Object.keys(a.layers)), cb = counts(b, Object.keys(b.layers));
    var labelRows = [];
    attempted.forEach(function (layer) {
      var la = ca.labels[layer] || {}, lb = cb.labels[layer] || {};
      var names = Object.keys(la).concat(Object.keys(lb)).filter(function (n, i, all) { return all.indexOf(n) === i; }).sort();
      names.forEach(function (name) {
        var x = la[name] || (layer in a.layers ? [0, 0, 0] : null);
        var y = lb[name] || (layer in b.layers ? [0, 0, 0] : null);
        var fx = x ? f1(x[0], x[1], x[2]) : null, fy = y ? f1(y[0], y[1], y[2]) : null;
        var changed = !x || !y || x.join() !== y.join();
        labelRows.push({ raw: [layer, name, 1, 1, fx, fy, 0], css: changed ? "differs" : "",
          cells: [layer, name, x ? x.join(" / ") : "not attempted", y ? y.join(" / ") : "not attempted",
                  fmt(fx), fmt(fy), fx !== null && fy !== null ? signed(fx - fy) : "N/A"] });
      });
    });
    out.appendChild(el("h3", "Per label (matches / false positives / misses)"));
    out.appendChild(table("compare-labels", ["layer", "label", "A", "B", "A F1", "B F1", "A − B"], labelRows));

    var docRows = [];
    corpus.documents.forEach(function (record) {
      attempted.forEach(function (layer) {
        var x = ca.docs[record.id][layer], y = cb.docs[record.id][layer];
        var changed = !x || !y || x.join() !== y.join();
        docRows.push({ raw: [record.id, layer, 1, 1, 0], css: changed ? "differs" : "",
          cells: [record.id, layer, x ? x.join(" / ") : "not attempted", y ? y.join(" / ") : "not attempted",
                  x && y ? String(x[0] - y[0]) : "N/A"] });
      });
    });
    out.appendChild(el("h3", "Per document (matches / false positives / misses)"));
    out.appendChild(table("compare-documents", ["document", "layer", "A", "B", "matches A − B"], docRows));

    [[a, b, "A finds, B misses", "only-a"], [b, a, "B finds, A misses", "only-b"]].forEach(function (side) {
      var items = [];
      corpus.documents.forEach(function (record) {
        attempted.forEach(function (layer) {
          var mine = matched(side[0], record.id, layer), theirs = matched(side[1], record.id, layer);
          (record.gold[layer] || []).forEach(function (item, index) {
            if (mine[index] && !theirs[index]) {
              items.push({ raw: [record.id, layer, goldLabel(item), goldText(record, item)],
                           cells: [record.id, layer, goldLabel(item), goldText(record, item)] });
            }
          });
        });
      });
      var heading = el("h3", side[2] + " (" + items.length + " gold item" + (items.length === 1 ? "" : "s") + ")");
      out.appendChild(heading);
      out.appendChild(table(side[3], ["document", "layer", "label", "gold text"], items));
    });
  }

  function fill(select) {
    data.entries.forEach(function (entry) {
      var option = el("option", label(entry));
      option.value = entry.key;
      select.appendChild(option);
    });
  }
  fill(selectA);
  fill(selectB);
  var saved = new URLSearchParams(location.hash.slice(1));
  selectA.value = byKey[saved.get("a")] ? saved.get("a") : (data.entries[0] || {}).key || "";
  selectB.value = byKey[saved.get("b")] ? saved.get("b") : (data.entries[1] || data.entries[0] || {}).key || "";
  selectA.addEventListener("change", render);
  selectB.addEventListener("change", render);
  document.getElementById("compare-swap").addEventListener("click", function () {
    var x = selectA.value;
    selectA.value = selectB.value;
    selectB.value = x;
    render();
  });
  render();
})();
