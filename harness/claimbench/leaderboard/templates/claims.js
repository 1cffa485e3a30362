(function () {
  "use strict";
  var root = document.getElementById("slots");
  var buttons = Array.prototype.slice.call(document.querySelectorAll("#slot-filter button"));
  var state = document.getElementById("slot-state");
  var total = root.getAttribute("data-total");
  var contradicting = root.getAttribute("data-contradicting");
  var ONLY = "contradictions";

  function apply(filter) {
    /* Hides the overview rows and sections of slots with no contradiction, and says so. */
    var only = filter === ONLY;
    root.querySelectorAll('[data-contradiction="false"]').forEach(function (element) {
      element.hidden = only;
    });
    buttons.forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-filter") === filter));
    });
    state.textContent = "";
    var count = document.createElement("strong");
    count.textContent = only ? contradicting + " of " + total : "all " + total;
    state.appendChild(document.createTextNode("Showing "));
    state.appendChild(count);
    state.appendChild(document.createTextNode(" slots; "));
    var note = document.createElement("span");
    note.className = only ? "active" : "";
    note.textContent = only ? "contradictions only." : contradicting + " with a contradiction.";
    state.appendChild(note);
  }

  buttons.forEach(function (button) {
    button.addEventListener("click", function () {
      var filter = button.getAttribute("data-filter");
      apply(filter);
      location.replace("#" + (filter === ONLY ? ONLY : "all"));
    });
  });
  apply(location.hash.slice(1) === ONLY ? ONLY : "all");
})();
