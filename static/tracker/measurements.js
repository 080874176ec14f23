// Calf measurement form: warns at once, while she types, when the involved calf is >= 3 cm larger
// than the other at the maximal girth or 10 cm below the tibial tuberosity (a swelling red flag).
// Saving reports every red flag again from the saved values. A reading outside the plausible range
// (the form refuses it) is left out, so that a typo such as 90 for 39 raises no alarm.
"use strict";

(function () {
  const alertBox = document.querySelector("[data-swelling-alert]");
  if (!alertBox) {
    return;
  }
  const form = alertBox.closest("form");
  const affectedSide = alertBox.dataset.affectedSide;
  const threshold = parseFloat(alertBox.dataset.threshold);
  const lowest = parseFloat(alertBox.dataset.min) - 1e-9;
  const highest = parseFloat(alertBox.dataset.max) + 1e-9;
  const unit = alertBox.dataset.unit;
  const sites = alertBox.dataset.sites.split(" ");  // where the side-to-side rule applies
  const site = form.querySelector("select[name='site']");

  function meanOf(leg) {
    const readings = [1, 2, 3]
      .map(function (n) {
        const input = form.querySelector("input[name='" + leg + "_" + n + "']");
        return input ? parseFloat(input.value.replace(",", ".")) : NaN;
      })
      .filter(function (value) {
        return Number.isFinite(value) && value >= lowest && value <= highest;
      });
    if (readings.length === 0) {
      return null;
    }
    const mean = readings.reduce(function (a, b) { return a + b; }, 0) / readings.length;
    // Kept to 0.1 cm as the server keeps it (tracker.metrics.mean_reading), so that the warning and
    // the saved measurement agree near the threshold. (In inches the check is only approximate.)
    return unit === "cm" ? Math.round(mean * 10 + 1e-9) / 10 : mean;
  }

  function update() {
    const left = meanOf("left");
    const right = meanOf("right");
    let text = "";
    if (left !== null && right !== null && (!site || sites.includes(site.value))) {
      const larger = left >= right ? "left" : "right";
      const other = larger === "left" ? "right" : "left";
      const excess = Math.abs(left - right);
      const involvedIsLarger = !["left", "right"].includes(affectedSide) || affectedSide === larger;
      if (involvedIsLarger && excess >= threshold - 1e-9) {
        text = "With these readings your " + larger + " calf is " + excess.toFixed(1) + " " + unit +
          " larger than the " + other + ". " + alertBox.dataset.message + " If a reading is " +
          "mistyped, correct it; otherwise save the measurement so that your physiotherapist sees it too.";
      }
    }
    if (alertBox.textContent === text) {
      return;
    }
    alertBox.replaceChildren();
    if (text) {
      const message = document.createElement("p");
      message.className = "alert alert-danger";
      message.textContent = text;
      alertBox.append(message);
    }
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();

// Says at once when the chosen site was already measured on the chosen date, before she types her
// readings (the server says it again on saving, and then offers to replace it keeping her readings:
// on that page the box stays empty until she changes the date or site).
(function () {
  const form = document.querySelector("form[data-measurement-form]");
  const box = form && form.querySelector("[data-duplicate-alert]");
  if (!box) {
    return;
  }
  const date = form.querySelector("input[name='date']");
  const site = form.querySelector("select[name='site']");

  function check() {
    if (!date.value || !site.value) {
      box.replaceChildren();
      return;
    }
    const query = new URLSearchParams({ date: date.value, site: site.value, exclude: form.dataset.exclude || "" });
    fetch(form.dataset.checkUrl + "?" + query, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { duplicate: false }; })
      .then(function (answer) {
        box.replaceChildren();
        if (answer.duplicate) {
          const message = document.createElement("p");
          message.className = "alert alert-warning";
          message.textContent = answer.message;
          box.append(message);
        }
      })
      .catch(function () { box.replaceChildren(); });
  }

  date.addEventListener("change", check);
  site.addEventListener("change", check);
  if (!box.hasAttribute("data-said-by-server")) {
    check();
  }
})();
