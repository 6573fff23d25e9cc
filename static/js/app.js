// Times in the viewer's own zone: pick it from the browser once, let them change it.
(function () {
  "use strict";

  function zoneForm() {
    return document.querySelector("[data-zone-form]");
  }

  function adoptBrowserZone() {
    var form = zoneForm();
    if (!form || new URLSearchParams(window.location.search).has("tz")) return;
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var select = form.querySelector("[data-zone-select]");
    if (!zone || !select || select.value === zone) return;
    if (!select.querySelector('option[value="' + CSS.escape(zone) + '"]')) return;
    select.value = zone;
    form.submit();
  }

  document.addEventListener("change", function (event) {
    var form = event.target.closest("[data-zone-form]");
    if (form && event.target.tagName === "SELECT") form.submit();
  });

  document.addEventListener("DOMContentLoaded", adoptBrowserZone);
})();
