// Draws Swagger UI (swagger-ui-dist, served by this site) from the settings in the page's
// #swagger-settings JSON block. A file rather than an inline script, for the
// Content-Security-Policy; the page lists the operations without it.
(function () {
  "use strict";
  var settings = document.getElementById("swagger-settings");
  var root = document.getElementById("swagger-ui");
  if (!settings || !root || typeof window.SwaggerUIBundle !== "function") { return; }

  // Swagger UI draws a parameter that takes one of a list of values as a <select> with no
  // label: name it after its parameter, as the row shows it, so a screen reader says it too.
  function labelChoices() {
    root.querySelectorAll("tr[data-param-name] select:not([aria-label])").forEach(function (select) {
      var row = select.closest("tr[data-param-name]");
      select.setAttribute("aria-label", row.getAttribute("data-param-name") + " (" + row.getAttribute("data-param-in") + ")");
    });
  }
  new MutationObserver(labelChoices).observe(root, { childList: true, subtree: true });

  var options = JSON.parse(settings.textContent);
  options.presets = [window.SwaggerUIBundle.presets.apis];
  window.SwaggerUIBundle(options);
})();
