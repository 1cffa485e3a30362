(function () {
  "use strict";
  var root = document.querySelector("[data-show-layer]");
  var buttons = document.querySelectorAll(".layer-tabs button");
  buttons.forEach(function (button) {
    button.addEventListener("click", function () {
      root.setAttribute("data-show-layer", button.dataset.layer);
      buttons.forEach(function (other) {
        other.setAttribute("aria-pressed", String(other.dataset.layer === button.dataset.layer));
      });
    });
  });
})();
