// Fills an empty time-zone list (select[data-browser-time-zone]) with this device's zone, when the
// list has it. The person sees the choice and can change it; without JavaScript the list stays empty
// (the clinic's zone).
"use strict";
(function () {
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone) {
    return;
  }
  document.querySelectorAll("select[data-browser-time-zone]").forEach(function (select) {
    var known = Array.prototype.some.call(select.options, function (option) {
      return option.value === zone;
    });
    if (select.value === "" && known) {
      select.value = zone;
    }
  });
})();
