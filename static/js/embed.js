// StudiocentOS Booking widget loader: turns each [data-booking-widget] into the booking flow.
// <div data-booking-widget data-service="consultation"></div>
// <script src="https://BOOKING_HOST/embed.js" async></script>
// Options: data-mode="popup", data-service, data-host (a host's slug: book with that host),
// data-timezone, data-primary-color, data-hide-header, data-label (popup button). Events on the element: booking:ready, booking:slot-selected,
// booking:created (detail: reference, start, end, timezone, service_type, meeting_url).
(function () {
  "use strict";

  var TAG = "studiocentos-booking";
  var script = document.currentScript;
  if (!script || !script.src) return;
  var ORIGIN = new URL(script.src).origin;
  var EVENTS = ["booking:slot-selected", "booking:created"];
  var FIRST_CONTACT_MS = 60000;  // the frame never loaded at all
  var AFTER_LOAD_MS = 3000;      // loaded but silent: refused (origin not allowed, widget off)

  function look(element) {
    var color = (element.getAttribute("data-primary-color") || "").replace(/^#/, "").toLowerCase();
    if (/^[0-9a-f]{3}$/.test(color)) color = color.replace(/(.)/g, "$1$1");
    if (!/^[0-9a-f]{6}$/.test(color)) color = "default";
    var hide = element.hasAttribute("data-hide-header") &&
      element.getAttribute("data-hide-header") !== "false";
    return color + (hide ? "-noheader" : "");
  }

  function frameSource(element) {
    var service = element.getAttribute("data-service");
    var zone = element.getAttribute("data-timezone") ||
      Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    var host = element.getAttribute("data-host");
    var path = "/embed/" + look(element) + "/" +
      (service ? "book/" + encodeURIComponent(service) : "");
    var query = [];
    if (zone) query.push("tz=" + encodeURIComponent(zone));
    if (host && service) query.push("host=" + encodeURIComponent(host));
    return ORIGIN + path + (query.length ? "?" + query.join("&") : "");
  }

  function emit(element, name, detail) {
    element.dispatchEvent(new CustomEvent(name, { detail: detail || {}, bubbles: true }));
  }

  function makeFrame(element) {
    var frame = document.createElement("iframe");
    frame.src = frameSource(element);
    frame.title = element.getAttribute("data-title") || "Book a meeting";
    frame.style.display = "block";
    frame.style.width = "100%";
    frame.style.border = "0";
    frame.style.height = "0";
    frame.style.visibility = "hidden";
    return frame;
  }

  function makeDialog(element, frame) {
    var dialog = document.createElement("dialog");
    dialog.setAttribute("aria-label", frame.title);
    dialog.style.width = "min(44rem, 96vw)";
    dialog.style.maxHeight = "92vh";
    dialog.style.padding = "0";
    dialog.style.border = "0";
    dialog.style.borderRadius = "8px";
    dialog.style.overflow = "hidden";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Close";
    close.setAttribute("aria-label", "Close the booking window");
    close.style.display = "block";
    close.style.margin = "8px 8px 0 auto";
    frame.style.maxHeight = "calc(92vh - 48px)";
    // Sentinels keep Tab and Shift+Tab cycling inside the dialog (focus trap).
    var before = sentinel(function () { frame.focus(); });
    var after = sentinel(function () { close.focus(); });
    [before, close, frame, after].forEach(function (node) { dialog.appendChild(node); });
    close.addEventListener("click", function () { dialog.close(); });
    element.appendChild(dialog);
    return dialog;
  }

  function sentinel(onFocus) {
    var node = document.createElement("span");
    node.tabIndex = 0;
    node.addEventListener("focus", onFocus);
    return node;
  }

  function makeOpener(element, dialog, frame) {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = element.getAttribute("data-label") || "Book a meeting";
    button.setAttribute("aria-haspopup", "dialog");
    button.addEventListener("click", function () {
      dialog.showModal();
      frame.style.visibility = "visible";
      dialog.querySelector("button").focus();
      frame.contentWindow.postMessage({ source: TAG, type: "hello" }, ORIGIN);
    });
    dialog.addEventListener("close", function () { button.focus(); });
    element.insertBefore(button, dialog);
  }

  function mount(element) {
    if (element.hasAttribute("data-booking-state")) return;
    element.setAttribute("data-booking-state", "loading");
    var popup = element.getAttribute("data-mode") === "popup";
    var frame = makeFrame(element);
    var dialog = popup ? makeDialog(element, frame) : null;
    if (!popup) element.appendChild(frame);
    var ready = false;
    var timer = setTimeout(refuse, FIRST_CONTACT_MS);

    function refuse() {
      if (ready) return;
      element.setAttribute("data-booking-state", "unavailable");
      (dialog || frame).remove();
      if (window.console) {
        console.warn("Booking widget: " + ORIGIN + " does not allow " + location.origin +
          " to embed it (ask its admin to add this origin).");
      }
    }

    function firstContact() {
      ready = true;
      clearTimeout(timer);
      element.setAttribute("data-booking-state", "ready");
      if (popup) makeOpener(element, dialog, frame);
      else frame.style.visibility = "visible";
      emit(element, "booking:ready", { mode: popup ? "popup" : "inline" });
    }

    frame.addEventListener("load", function () {
      frame.contentWindow.postMessage({ source: TAG, type: "hello" }, ORIGIN);
      if (!ready) {
        clearTimeout(timer);
        timer = setTimeout(refuse, AFTER_LOAD_MS);
      }
    });

    window.addEventListener("message", function (event) {
      if (event.origin !== ORIGIN || event.source !== frame.contentWindow) return;
      var data = event.data;
      if (!data || data.source !== TAG) return;
      if (!ready) firstContact();
      if (data.type === "height" && typeof data.height === "number" && data.height >= 0) {
        frame.style.height = Math.min(Math.ceil(data.height), 10000) + "px";
      } else if (data.type === "event" && EVENTS.indexOf(data.name) !== -1) {
        emit(element, data.name, data.detail);
      } else if (data.type === "escape" && dialog && dialog.open) {
        dialog.close();
      }
    });
  }

  function mountAll() {
    document.querySelectorAll("[data-booking-widget]").forEach(mount);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountAll);
  else mountAll();
})();
