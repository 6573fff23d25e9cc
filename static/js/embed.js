// StudiocentOS Booking widget loader: turns each [data-booking-widget] into the booking flow.
// <div data-booking-widget data-service="consultation"></div>
// <script src="https://BOOKING_HOST/embed.js" async></script>
// Options: data-mode="popup", data-service, data-host (a host's slug: book with that host),
// data-locale ("en" or "it": the widget's language, else the visitor's browser's; also
// accepted on the <script> tag for every widget of the page), data-timezone, data-primary-color, data-hide-header, data-label (popup button), data-height
// (the inline frame's height before its content reports one, default 640). Give the element
// the same min-height in your CSS (48px for a popup's button) and the page does not move when
// the widget arrives. Events on the element: booking:ready, booking:slot-selected,
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
  var DEFAULT_ACCENT = "#2457c5";
  var INITIAL_HEIGHT = 640;      // about a month and its times: what the first page will need
  // The few words the loader writes on the partner's page, in the widget's languages.
  var WORDS = {
    en: { book: "Book a meeting", close: "Close", closeLabel: "Close the booking window" },
    it: { book: "Prenota un incontro", close: "Chiudi", closeLabel: "Chiudi la finestra di prenotazione" }
  };

  // The widget's language: data-locale ("it", "it-IT") on the element or on this <script>, else none (the frame then follows the
  // visitor's browser). It travels in the frame's URL (lang=), which the flow keeps on every
  // link and form: the frame has no cookie to remember it.
  function localeOf(element) {
    var tag = element.getAttribute("data-locale") || script.getAttribute("data-locale") || "";
    var language = tag.replace("_", "-").split("-")[0].toLowerCase();
    return Object.prototype.hasOwnProperty.call(WORDS, language) ? language : "";
  }

  // The loader's own words: data-locale's language, else the partner page's <html lang>, else English.
  function words(element) {
    var pageLanguage = (document.documentElement.lang || "").split("-")[0].toLowerCase();
    return WORDS[localeOf(element)] ||
      (Object.prototype.hasOwnProperty.call(WORDS, pageLanguage) ? WORDS[pageLanguage] : WORDS.en);
  }

  // The dialog's backdrop can only be styled from a stylesheet; a constructed one is CSSOM, so a
  // partner's strict CSP (no inline styles) does not block it. Older browsers keep their default.
  function styleBackdrop() {
    if (styleBackdrop.done || !document.adoptedStyleSheets || typeof CSSStyleSheet !== "function") return;
    styleBackdrop.done = true;
    try {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync("dialog[data-booking-dialog]::backdrop { background: rgba(15, 23, 42, .6); }");
      document.adoptedStyleSheets = document.adoptedStyleSheets.concat([sheet]);
    } catch (error) { /* the default backdrop stays */ }
  }

  function accentOf(element) {
    var color = look(element).split("-")[0];
    return color === "default" ? DEFAULT_ACCENT : "#" + color;
  }

  // Buttons on the partner's page are styled here (not by their CSS): at least 44px tall, the
  // accent as fill, a visible focus ring.
  function styleButton(button, filled, accent) {
    var s = button.style;
    s.font = "inherit";
    s.fontWeight = "600";
    s.lineHeight = "1.2";
    s.minHeight = "44px";
    s.minWidth = "44px";
    s.padding = "10px 18px";
    s.borderRadius = "8px";
    s.cursor = "pointer";
    s.border = "2px solid " + accent;
    s.background = filled ? accent : "#fff";
    s.color = filled ? "#fff" : accent;
    button.addEventListener("focus", function () { s.outline = "3px solid #b54708"; s.outlineOffset = "2px"; });
    button.addEventListener("blur", function () { s.outline = ""; });
  }

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
    if (localeOf(element)) query.push("lang=" + localeOf(element));
    return ORIGIN + path + (query.length ? "?" + query.join("&") : "");
  }

  function emit(element, name, detail) {
    element.dispatchEvent(new CustomEvent(name, { detail: detail || {}, bubbles: true }));
  }

  function makeFrame(element) {
    var frame = document.createElement("iframe");
    frame.src = frameSource(element);
    frame.title = element.getAttribute("data-title") || words(element).book;
    frame.style.display = "block";
    frame.style.width = "100%";
    frame.style.border = "0";
    var initial = parseInt(element.getAttribute("data-height"), 10);
    frame.style.height = (element.getAttribute("data-mode") === "popup" ? 0 :
      (initial > 0 ? Math.min(initial, 2000) : INITIAL_HEIGHT)) + "px";
    frame.style.visibility = "hidden";
    return frame;
  }

  function makeDialog(element, frame) {
    styleBackdrop();
    var dialog = document.createElement("dialog");
    dialog.setAttribute("data-booking-dialog", "");
    dialog.setAttribute("aria-label", frame.title);
    dialog.style.width = "min(44rem, 96vw)";
    dialog.style.maxHeight = "92vh";
    dialog.style.padding = "0";
    dialog.style.border = "0";
    dialog.style.borderRadius = "8px";
    dialog.style.overflow = "hidden";
    dialog.style.boxShadow = "0 12px 40px rgba(0, 0, 0, .35)";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "\u00d7 " + words(element).close;
    close.setAttribute("aria-label", words(element).closeLabel);
    styleButton(close, false, accentOf(element));
    close.style.display = "block";
    close.style.margin = "8px 8px 0 auto";
    frame.style.maxHeight = "calc(92vh - 60px)";
    // Sentinels keep Tab and Shift+Tab cycling inside the dialog (focus trap).
    var before = sentinel(function () { frame.focus(); });
    var after = sentinel(function () { close.focus(); });
    [before, close, frame, after].forEach(function (node) { dialog.appendChild(node); });
    close.addEventListener("click", function () { dialog.close(); });
    // A click on the backdrop lands on the dialog itself (its content is the button and the frame).
    dialog.addEventListener("click", function (event) { if (event.target === dialog) dialog.close(); });
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
    button.textContent = element.getAttribute("data-label") || words(element).book;
    button.setAttribute("aria-haspopup", "dialog");
    styleButton(button, true, accentOf(element));
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

    var loads = 0;
    frame.addEventListener("load", function () {
      frame.contentWindow.postMessage({ source: TAG, type: "hello" }, ORIGIN);
      loads += 1;
      if (loads > 1 && !popup) showNewStep(frame);
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

  // Each step of the flow is a new page in the frame: bring the frame's top into view when the
  // partner page is scrolled past it (or it sits below the fold), so the new step is seen.
  function showNewStep(frame) {
    var top = frame.getBoundingClientRect().top;
    if (top > -1 && top < window.innerHeight * 0.5) return;  // -1: scrollIntoView lands on subpixels
    var smooth = !(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
    frame.scrollIntoView({ block: "start", behavior: smooth ? "smooth" : "auto" });
  }

  function mountAll() {
    document.querySelectorAll("[data-booking-widget]").forEach(mount);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountAll);
  else mountAll();
})();
