// Calf Rehab Tracker: progressive enhancements only; every page works without JavaScript.
"use strict";

// A select marked data-submit-on-change (the dashboard's girth site) shows its choice at once;
// the form keeps its "Show" button for browsers without JavaScript.
document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
  select.addEventListener("change", function () {
    select.form.requestSubmit();
  });
});
