// Times in the viewer's own zone: pick it from the browser once, let them change it.
(function () {
  "use strict";

  function zoneForm() {
    return document.querySelector("[data-zone-form]");
  }

  // A page carries the common zones only; every zone loads once (a cached response) when the
  // client searches or the browser's zone is not among them. Without JS: the "All time zones" page.
  function withAllZones(select, then) {
    if (!select.dataset.allZones || select.dataset.loaded) { then(); return; }
    if (select.loadingZones) { select.loadingZones.push(then); return; }
    select.loadingZones = [then];
    fetch(select.dataset.allZones)
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response); })
      .then(function (html) {
        var chosen = select.value;
        select.innerHTML = html;
        select.value = chosen;
        select.dataset.loaded = "1";
      })
      .catch(function () { /* keep the common zones; the link still offers every zone */ })
      .then(function () {
        var waiting = select.loadingZones;
        select.loadingZones = null;
        waiting.forEach(function (callback) { callback(); });
      });
  }

  function adoptBrowserZone() {
    var form = zoneForm();
    if (!form || new URLSearchParams(window.location.search).has("tz")) return;
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var select = form.querySelector("[data-zone-select]");
    if (!zone || !select || select.value === zone) return;
    var offered = function () { return select.querySelector('option[value="' + CSS.escape(zone) + '"]'); };
    var apply = function () {
      if (!offered()) return;
      select.value = zone;
      form.submit();
    };
    if (offered()) apply(); else withAllZones(select, apply);
  }

  // The zone applies only when the client presses the button (or Enter in the search box):
  // a select that reloads on change would navigate on every arrow key (WCAG 3.2.2).
  function filterZones(search) {
    var select = search.form.querySelector("[data-zone-select]");
    withAllZones(select, function () { filterLoadedZones(search, select); });
  }

  function filterLoadedZones(search, select) {
    var words = search.value.toLowerCase().replace(/_/g, " ").split(/\s+/).filter(Boolean);
    var first = null;
    Array.prototype.forEach.call(select.options, function (option) {
      var text = option.textContent.toLowerCase().replace(/_/g, " ");
      var match = words.every(function (word) { return text.indexOf(word) !== -1; });
      option.hidden = !match;
      if (match && !first) first = option;
    });
    var chosen = select.options[select.selectedIndex];
    if (first && (!chosen || chosen.hidden)) select.value = first.value;
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches("[data-zone-search]")) filterZones(event.target);
  });

  function revealZoneSearch() {
    document.querySelectorAll("[data-zone-search]").forEach(function (search) {
      search.hidden = false;
    });
  }

  document.addEventListener("htmx:afterSettle", revealZoneSearch);
  document.addEventListener("DOMContentLoaded", revealZoneSearch);

  document.addEventListener("DOMContentLoaded", adoptBrowserZone);
})();

// htmx done right: a busy state while a fragment loads, then focus on the new content and a
// polite announcement of what changed, so keyboard and screen-reader users follow the swap.
(function () {
  "use strict";

  function busyTarget(event) {
    var source = event.detail && event.detail.elt;
    return source && source.closest ? source.closest("[data-picker]") : null;
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var picker = busyTarget(event);
    if (picker) picker.setAttribute("aria-busy", "true");
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var picker = busyTarget(event);
    if (picker && picker.isConnected) picker.removeAttribute("aria-busy");
  });

  function announce(text) {
    var region = document.getElementById("announcer");
    if (!region || !text) return;
    region.textContent = "";
    // a fresh text node after a tick makes screen readers read it again even when unchanged
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var content = event.detail && event.detail.elt;
    if (!content || !content.matches || !content.matches("[data-picker]")) {
      content = document.querySelector("[data-picker]");
    }
    if (!content) return;
    var target = content.querySelector("[data-focus-after-swap]");
    if (target) {
      target.focus({ preventScroll: true });
      // on a phone the times sit below the month: bring them into view
      target.scrollIntoView({ block: "nearest", behavior: "auto" });
    }
    announce(content.getAttribute("data-announce"));
  });

  // A page that opens on a step of its own (the details form) starts with focus on its heading.
  document.addEventListener("DOMContentLoaded", function () {
    var heading = document.querySelector("[data-focus-on-load]");
    if (heading) heading.focus();
  });
})();
