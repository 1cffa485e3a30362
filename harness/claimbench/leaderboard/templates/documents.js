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

  // A submission's attributions, one at a time: every match, aligned pair, false positive and
  // miss in text order, listed to step through; the chosen one is drawn twice over the same
  // stretch of text (its paragraphs), gold beside prediction, with cue, source and content as
  // distinct marks, so attributions never pile up on each other.
  function attributionSteps(doc, gold, predicted, pairs) {
    var steps = [], goldTaken = {};
    var aligned = {};
    pairs.forEach(function (pair) { aligned[pair[1]] = pair; goldTaken[pair[0]] = true; });
    predicted.forEach(function (item, index) {
      var pair = aligned[index];
      if (!pair) { steps.push({ kind: "fp", title: "false positive", pred: item }); return; }
      steps.push(pair[2] === "COR"
        ? { kind: "tp", title: "match", gold: gold[pair[0]], pred: item }
        : { kind: "fp", title: "aligned, not credited", gold: gold[pair[0]], pred: item });
    });
    gold.forEach(function (item, index) {
      if (!goldTaken[index]) { steps.push({ kind: "fn", title: "missed", gold: item }); }
    });
    steps.forEach(function (step) {
      var spans = [].concat(rolesOf(step.gold), rolesOf(step.pred));
      step.start = Math.min.apply(null, spans.map(function (r) { return r.span.start; }));
      step.end = Math.max.apply(null, spans.map(function (r) { return r.span.end; }));
    });
    steps.sort(function (x, y) { return x.start - y.start || x.end - y.end; });
    return steps;
  }

  function rolesOf(item) {
    if (!item) { return []; }
    var roles = [{ role: "cue", span: item.cue }];
    if (item.source) { roles.push({ role: "source", span: item.source }); }
    (item.content || []).forEach(function (span) { roles.push({ role: "content", span: span }); });
    return roles;
  }

  function Excerpt(doc, start, end) {
    this.chars = doc.chars.slice(start, end);
  }
  Excerpt.prototype.slice = Doc.prototype.slice;

  function drawSide(target, doc, item, step, missing) {
    target.replaceChildren();
    if (!item) {
      var none = document.createElement("p");
      none.className = "attr-none";
      none.textContent = missing;
      target.appendChild(none);
      return;
    }
    var from = doc.chars.lastIndexOf("\n", step.start - 1) + 1;
    var to = doc.chars.indexOf("\n", step.end);
    if (to < 0) { to = doc.chars.length; }
    var marks = rolesOf(item).map(function (role) {
      return { start: role.span.start - from, end: role.span.end - from, css: "a-" + role.role,
               title: role.role + ": " + quoted(doc.slice(role.span.start, role.span.end)) };
    });
    var text = document.createElement("div");
    text.className = "excerpt";
    highlight(text, new Excerpt(doc, from, to), marks);
    var about = document.createElement("p");
    about.className = "attr-about";
    about.textContent = describe(item, doc);
    target.appendChild(about);
    target.appendChild(text);
  }

  function attributionView(view, doc, gold, predicted, pairs) {
    var steps = attributionSteps(doc, gold, predicted, pairs);
    var box = view.querySelector(".doc");
    box.className = "attr-stepper";
    box.replaceChildren();
    if (!steps.length) {
      box.textContent = "No attribution in the gold or the predictions of this document.";
      return;
    }
    var controls = document.createElement("div");
    controls.className = "attr-controls";
    var previous = document.createElement("button");
    previous.type = "button";
    previous.className = "attr-prev";
    previous.textContent = "\u2190 Previous";
    var next = document.createElement("button");
    next.type = "button";
    next.className = "attr-next";
    next.textContent = "Next \u2192";
    var position = document.createElement("span");
    position.className = "attr-pos";
    controls.append(previous, position, next);
    var list = document.createElement("ol");
    list.className = "attr-list";
    var pair = document.createElement("div");
    pair.className = "attr-pair";
    var sides = ["Gold", "Prediction"].map(function (name) {
      var side = document.createElement("div");
      side.className = "attr-side";
      var heading = document.createElement("h4");
      heading.textContent = name;
      var body = document.createElement("div");
      side.append(heading, body);
      pair.appendChild(side);
      return body;
    });
    var buttons = steps.map(function (step, index) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "attr-item " + step.kind;
      var shown = step.pred || step.gold;
      button.textContent = step.title + ": " + quoted(doc.slice(shown.cue.start, shown.cue.end)) +
        (shown.source ? " \u2014 " + doc.slice(shown.source.start, shown.source.end) : "");
      button.addEventListener("click", function () { show(index); });
      item.appendChild(button);
      list.appendChild(item);
      return button;
    });
    var current = 0;
    function show(index) {
      current = Math.max(0, Math.min(steps.length - 1, index));
      var step = steps[current];
      position.textContent = (current + 1) + " of " + steps.length + ": " + step.title;
      buttons.forEach(function (button, i) { button.setAttribute("aria-current", String(i === current)); });
      drawSide(sides[0], doc, step.gold, step, "no gold attribution here: a false positive");
      drawSide(sides[1], doc, step.pred, step, "not found by the submission: a miss");
      pair.setAttribute("data-kind", step.kind);
      previous.disabled = current === 0;
      next.disabled = current === steps.length - 1;
    }
    previous.addEventListener("click", function () { show(current - 1); });
    next.addEventListener("click", function () { show(current + 1); });
    box.append(controls, pair, list);
    show(0);
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
      if (found && layer === "attributions") {
        var items = found[layer] || [];
        attributionView(view, doc, gold, items, pairs[layer] || []);
        var steps = matchView(doc, gold, items, pairs[layer] || [], submission.schemes[layer]);
        view.querySelector(".counts").textContent = layer + ": " + steps.counts;
        return;
      }
      var shown = found
        ? matchView(doc, gold, found[layer] || [], pairs[layer] || [], submission.schemes[layer])
        : goldView(doc, gold, layer);
      view.querySelector(".counts").textContent = (found ? layer + ": " : "") + shown.counts;
      highlight(view.querySelector(".doc"), doc, shown.marks);
    });
  });
})();
