// Symptom check-in body map: tapping a dot toggles its checkbox; ticked points are drawn filled.
// The checkboxes remain the real inputs, so the page works the same without this script.
"use strict";

(function () {
  const map = document.querySelector("[data-body-map]");
  if (!map) {
    return;
  }
  map.classList.add("is-interactive");

  map.querySelectorAll(".tp[data-input]").forEach(function (dot) {
    const input = document.getElementById(dot.dataset.input);
    if (!input) {
      return;
    }
    const row = input.closest(".form-check") || input;
    let hovered = false;

    const drawTicked = function () {
      dot.classList.toggle("is-tender", input.checked);
    };
    // Highlight the dot of the checkbox that has focus or is under the pointer.
    const drawHighlight = function () {
      dot.classList.toggle("is-focused", hovered || document.activeElement === input);
    };
    const setHovered = function (value) {
      return function () {
        hovered = value;
        drawHighlight();
      };
    };

    dot.addEventListener("click", function () {
      input.checked = !input.checked;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
    input.addEventListener("change", drawTicked);
    input.addEventListener("focus", drawHighlight);
    input.addEventListener("blur", drawHighlight);
    [row, dot].forEach(function (element) {
      element.addEventListener("mouseenter", setHovered(true));
      element.addEventListener("mouseleave", setHovered(false));
    });
    // The browser may restore ticks on Back: draw what the checkboxes really say.
    drawTicked();
  });
})();
