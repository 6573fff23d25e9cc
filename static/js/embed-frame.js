// Inside the widget's iframe: answer the parent's hello, then report height and events to it.
// The parent's origin is learnt from its hello and must be one the server allows to frame us.
(function () {
  "use strict";
  if (window.parent === window) return;

  var TAG = "studiocentos-booking";
  var allowed = (document.documentElement.getAttribute("data-embed-parents") || "")
    .split(/\s+/).filter(Boolean);
  var parentOrigin = null;
  var lastHeight = -1;

  function send(message) {
    if (!parentOrigin) return;
    message.source = TAG;
    window.parent.postMessage(message, parentOrigin);
  }

  function root() {
    return document.querySelector("[data-embed-root]") || document.body;
  }

  // The content's own height, never the viewport's: measuring the viewport would grow forever.
  function reportHeight(force) {
    var height = Math.ceil(root().getBoundingClientRect().height);
    if (height === lastHeight && !force) return;
    lastHeight = height;
    send({ type: "height", height: height });
  }

  function announcePageEvents() {
    document.querySelectorAll("[data-embed-event]").forEach(function (element) {
      var detail = {};
      try {
        detail = JSON.parse(element.getAttribute("data-embed-detail") || "{}");
      } catch (error) {
        detail = {};
      }
      send({ type: "event", name: element.getAttribute("data-embed-event"), detail: detail });
    });
  }

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent || allowed.indexOf(event.origin) === -1) return;
    var data = event.data;
    if (!data || data.source !== TAG || data.type !== "hello") return;
    var first = parentOrigin === null;
    parentOrigin = event.origin;
    reportHeight(true);
    if (first) announcePageEvents();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") send({ type: "escape" });
  });

  document.addEventListener("DOMContentLoaded", function () {
    new ResizeObserver(function () { reportHeight(false); }).observe(root());
  });
})();
