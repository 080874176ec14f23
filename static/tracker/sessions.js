// Exercise session form: enhancements only; without JavaScript the server does the same work.
// - shows only the amount input (repetitions, seconds or minutes) that the chosen exercise uses;
// - "Add another exercise" adds an empty entry in place instead of reloading the page.
"use strict";

(function () {
  const form = document.querySelector("[data-session-form]");
  const container = document.getElementById("entry-forms");
  if (!form || !container) {
    return;
  }
  const unitsNode = document.getElementById("exercise-units");
  const units = unitsNode ? JSON.parse(unitsNode.textContent) : {};
  const template = document.getElementById("entry-template");
  const totalForms = form.querySelector("input[name='entries-TOTAL_FORMS']");
  const maxForms = form.querySelector("input[name='entries-MAX_NUM_FORMS']");
  const addButton = form.querySelector("[data-add-entry]");

  function showMatchingAmount(entry) {
    const select = entry.querySelector("select[name$='-exercise']");
    const unit = select ? units[select.value] : undefined;
    const boxes = Array.from(entry.querySelectorAll("[data-amount]"));
    boxes.forEach(function (box) {
      // No exercise chosen yet, or an error to read: keep the input visible.
      const hasError = box.querySelector(".is-invalid") !== null;
      box.hidden = Boolean(unit) && box.dataset.amount !== unit && !hasError;
    });
    // One amount shown: as wide as the sets above it, beside the load; more: three in a row.
    const one = boxes.filter(function (box) { return !box.hidden; }).length === 1;
    boxes.forEach(function (box) {
      box.classList.toggle("col-6", one);
      box.classList.toggle("col-4", !one);
    });
  }

  container.querySelectorAll("[data-entry-form]").forEach(showMatchingAmount);
  container.addEventListener("change", function (event) {
    if (event.target.matches("select[name$='-exercise']")) {
      showMatchingAmount(event.target.closest("[data-entry-form]"));
    }
  });

  if (!template || !totalForms || !addButton) {
    return;
  }
  addButton.addEventListener("click", function (event) {
    const index = parseInt(totalForms.value, 10);
    const max = maxForms ? parseInt(maxForms.value, 10) : Infinity;
    if (Number.isNaN(index) || index >= max) {
      return; // let the server answer
    }
    event.preventDefault();
    const fresh = document.createElement("template");
    fresh.innerHTML = template.innerHTML
      .replace(/__prefix__/g, String(index))
      .replace(/__number__/g, String(index + 1));
    const entry = fresh.content.querySelector("[data-entry-form]");
    container.appendChild(entry);
    totalForms.value = String(index + 1);
    showMatchingAmount(entry);
    const first = entry.querySelector("select, input:not([type='hidden']), textarea");
    if (first) {
      first.focus();
    }
  });
})();
