// Highlights the documents of a page (leaderboard/documents.py): the texts and gold come from
// #corpus-data; on a submission page, #documents-data adds its predictions and aligned pairs,
// shown as matches (tp), false positives (fp) and misses (fn); on the corpus page the gold is
// shown. Every string goes in through textContent or an attribute, never as markup.
(function () {
  "use strict";
  var corpusSource = document.getElementById("corpus-data");
  if (!corpusSource) { return; }
  var corpus = JSON.parse(corpusSource.textContent);
  var submissionSource = document.getElementById("documents-data");
  var submission = submissionSource ? JSON.parse(submissionSource.textContent) : null;

  // Offsets count code points (as Python does), so the text is cut as an array of them.
  function Doc(record) {
    this.chars = Array.from(record.text);
  }
  Doc.prototype.slice = function (start, end) { return this.chars.slice(start, end).join(""); };

  function quoted(text) { return "'" + text + "'"; }
  function bound(value) { return value === undefined || value === null ? "open" : String(value); }

  // One line per item for hover titles: label, text and value, or an attribution's roles.
  function describe(item, doc) {
    if (item.cue) {
      var who = item.source ? quoted(doc.slice(item.source.start, item.source.end)) : "no source";
      return "attribution (" + item.quote + "): " + who + " " + quoted(doc.slice(item.cue.start, item.cue.end));
    }
    var line = item.label + " " + quoted(doc.slice(item.start, item.end));
    if (item.value) { line += " = [" + bound(item.value.low) + ", " + bound(item.value.high) + "]"; }
    if (item.timex) { line += " = " + item.timex.value; }
    return line;
  }

  // The marks of an item: its span, or an attribution's cue, source and content spans.
  function marksOf(item, css, title) {
    if (!item.cue) { return [{ start: item.start, end: item.end, css: css, title: title }]; }
    var roles = [["cue", item.cue]];
    if (item.source) { roles.push(["source", item.source]); }
    (item.content || []).forEach(function (span) { roles.push(["content", span]); });
    return roles.map(function (role) {
      return { start: role[1].start, end: role[1].end, css: css + " role-" + role[0], title: title };
    });
  }

  function unique(values) {
    return values.filter(function (value, i) { return values.indexOf(value) === i; });
  }

  // The text cut at every mark edge; each piece covered by marks is wrapped once, with the
  // classes and titles of all of them (spans may overlap or nest).
  function highlight(target, doc, marks) {
    var edges = [0, doc.chars.length];
    var starting = {};
    marks.forEach(function (mark) {
      edges.push(mark.start, mark.end);
      (starting[mark.start] = starting[mark.start] || []).push(mark);
    });
    edges = unique(edges).sort(function (a, b) { return a - b; });
    var fragment = document.createDocumentFragment();
    var open = [];
    for (var i = 0; i + 1 < edges.length; i++) {
      var left = edges[i];
      open = open.filter(function (mark) { return mark.end > left; }).concat(starting[left] || []);
      var piece = document.createTextNode(doc.slice(left, edges[i + 1]));
      if (!open.length) { fragment.appendChild(piece); continue; }
      var element = document.createElement("mark");
      element.className = unique(open.map(function (m) { return m.css; })).join(" ");
      element.title = unique(open.map(function (m) { return m.title; })).join("\n");
      element.appendChild(piece);
      fragment.appendChild(element);
    }
    target.replaceChildren(fragment);
  }

  // A submission's view of one layer: credited pairs are matches; an aligned pair the headline
  // scheme refuses is a false positive and a miss that name each other; the rest are unpaired.
  function matchView(doc, gold, predicted, pairs, scheme) {
    var credited = {}, refused = {}, refusedGold = {};
    pairs.forEach(function (pair) {
      if (pair[2] === "COR") { credited[pair[1]] = pair[0]; }
      else { refused[pair[1]] = pair[0]; refusedGold[pair[0]] = pair[1]; }
    });
    var marks = [], matchedGold = {}, tp = 0;
    predicted.forEach(function (item, index) {
      var described = describe(item, doc);
      if (index in credited) {
        tp += 1;
        matchedGold[credited[index]] = true;
        marks = marks.concat(marksOf(item, "tp", "match: " + described + " (gold: " + describe(gold[credited[index]], doc) + ")"));
      } else if (index in refused) {
        marks = marks.concat(marksOf(item, "fp", "false positive under " + scheme + ": " + described +
          " (aligned with gold " + describe(gold[refused[index]], doc) + ")"));
      } else {
        marks = marks.concat(marksOf(item, "fp", "false positive: " + described));
      }
    });
    gold.forEach(function (item, index) {
      if (matchedGold[index]) { return; }
      var title = "missed: " + describe(item, doc);
      if (index in refusedGold) { title += " (aligned with " + describe(predicted[refusedGold[index]], doc) + ")"; }
      marks = marks.concat(marksOf(item, "fn", title));
    });
    var counts = tp + " matched, " + (predicted.length - tp) + " false positive(s), " +
      (gold.length - tp) + " missed";
    return { marks: marks, counts: counts };
  }

  function goldView(doc, gold, layer) {
    var marks = [];
    gold.forEach(function (item) { marks = marks.concat(marksOf(item, "gold", describe(item, doc))); });
    return { marks: marks, counts: gold.length + " gold " + layer };
  }

  // A submission's predictions by document; a document or layer without any found nothing.
  var predicted = null;
  if (submission) {
    predicted = {};
    submission.predicted.forEach(function (found) { predicted[found.doc_id] = found; });
  }

  corpus.documents.forEach(function (record) {
    var doc = new Doc(record);
    var section = document.getElementById("doc-" + record.id);
    var found = predicted && (predicted[record.id] || {});
    var pairs = submission && (submission.pairs[record.id] || {});
    var layers = submission ? Object.keys(submission.schemes) : Object.keys(record.gold);
    layers.forEach(function (layer) {
      var view = section.querySelector(".layer-view." + layer);
      var gold = record.gold[layer] || [];
      var shown = found
        ? matchView(doc, gold, found[layer] || [], pairs[layer] || [], submission.schemes[layer])
        : goldView(doc, gold, layer);
      view.querySelector(".counts").textContent = (found ? layer + ": " : "") + shown.counts;
      highlight(view.querySelector(".doc"), doc, shown.marks);
    });
  });
})();
